//! Reading a file's bytes into text: byte-order marks, UTF-16, legacy 8-bit encodings,
//! binary detection, and the map from decoded text back to the bytes of the file.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// A decoded text and how to find its bytes in the file it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as shown to the user.
    pub name: String,
    /// The decoded text.
    pub text: String,
    /// Bytes skipped at the start of the file (a byte-order mark).
    base: usize,
    /// When the file was transcoded: `map[i]` is the file offset of decoded byte `i`,
    /// and `map[text.len()]` the file's length.
    map: Option<Vec<u32>>,
    /// Said once about the file, such as the encoding it was read as.
    pub note: Option<String>,
}

/// Why bytes were not read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary(pub &'static str);

const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\x00asm", "a WebAssembly module"),
];

/// Is this binary content? Looks at the signature and for NUL bytes in the first 8 KiB.
pub fn sniff_binary(bytes: &[u8]) -> Option<Binary> {
    if let Some(&(_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        // "MZ" and "BZh" also begin ordinary words; demand a NUL nearby for those.
        let weak = what == "a Windows executable" || what == "bzip2 data";
        if !weak || memchr::memchr(0, bytes.get(..512).unwrap_or(bytes)).is_some() {
            return Some(Binary(what));
        }
    }
    if Encoding::for_bom(bytes).is_some_and(|(e, _)| e == UTF_16LE || e == UTF_16BE) {
        return None;
    }
    memchr::memchr(0, bytes.get(..8192).unwrap_or(bytes)).map(|_| Binary("binary data (it has NUL bytes)"))
}

impl Source {
    /// Decode a file's bytes. UTF-8 (with or without a BOM) is read as is; UTF-16 with
    /// a BOM is transcoded; anything else that is not valid UTF-8 is read as
    /// Windows-1252, with a note, so that no file is dropped.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Source, Binary> {
        if let Some(b) = sniff_binary(&bytes) {
            return Err(b);
        }
        match Encoding::for_bom(&bytes) {
            Some((enc, bom)) if enc == UTF_16LE || enc == UTF_16BE => Ok(Self::utf16(name, &bytes, bom, enc == UTF_16LE)),
            // `bom` is the length of the BOM that `bytes` starts with.
            Some((enc, bom)) if enc == UTF_8 => match std::str::from_utf8(bytes.get(bom..).unwrap_or_default()) {
                Ok(t) => Ok(Source { name, text: t.to_string(), base: bom, map: None, note: None }),
                Err(_) => Ok(Self::legacy(name, &bytes, bom)),
            },
            _ => match String::from_utf8(bytes) {
                Ok(text) => Ok(Source { name, text, base: 0, map: None, note: None }),
                Err(e) => Ok(Self::legacy(name, e.as_bytes(), 0)),
            },
        }
    }

    /// A text given directly (stdin, tests).
    pub fn from_text(name: &str, text: &str) -> Source {
        Source { name: name.to_string(), text: text.to_string(), base: 0, map: None, note: None }
    }

    fn utf16(name: String, bytes: &[u8], bom: usize, le: bool) -> Source {
        let body = bytes.get(bom..).unwrap_or_default();
        let units = body.chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            // An odd trailing byte: decoded as a replacement character below.
            _ => 0xDC00,
        });
        let mut text = String::with_capacity(body.len() / 2);
        let mut map = Vec::with_capacity(body.len() / 2 + 1);
        let mut unit = 0usize;
        for r in char::decode_utf16(units) {
            let (c, n) = match r {
                Ok(c) => (c, c.len_utf16()),
                Err(_) => (char::REPLACEMENT_CHARACTER, 1),
            };
            let at = (bom + unit * 2) as u32;
            for _ in 0..c.len_utf8() {
                map.push(at);
            }
            text.push(c);
            unit += n;
        }
        map.push(bytes.len() as u32);
        let enc = if le { "UTF-16LE" } else { "UTF-16BE" };
        Source { name, text, base: 0, map: Some(map), note: Some(format!("read as {enc}")) }
    }

    fn legacy(name: String, bytes: &[u8], bom: usize) -> Source {
        let body = bytes.get(bom..).unwrap_or_default();
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
        let text = text.into_owned();
        let mut map = Vec::with_capacity(text.len() + 1);
        // Windows-1252 is one byte a character, so character i came from byte i.
        for (i, c) in text.chars().enumerate() {
            for _ in 0..c.len_utf8() {
                map.push((bom + i) as u32);
            }
        }
        map.push(bytes.len() as u32);
        Source {
            name,
            text,
            base: 0,
            map: Some(map),
            note: Some("not valid UTF-8; read as Windows-1252 (Latin-1)".into()),
        }
    }

    /// The file offset of a byte offset into [`Source::text`].
    pub fn file_offset(&self, decoded: usize) -> usize {
        match &self.map {
            Some(m) => m.get(decoded).copied().unwrap_or(0) as usize,
            None => self.base + decoded,
        }
    }

    /// Byte offsets where lines start: after `\n`, after `\r\n`, after a lone `\r`.
    pub fn line_starts(&self) -> Vec<usize> {
        let b = self.text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b.get(i) == Some(&b'\r') && b.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        starts
    }

    /// 1-based line and column (in characters) of a byte offset into the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_col_in(&self.line_starts(), offset)
    }

    /// [`Source::line_col`] with the line starts computed once for many lookups.
    pub fn line_col_in(&self, starts: &[usize], offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let col = 1 + self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_maps_back_to_file_bytes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "ab\ncd".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = Source::from_bytes("x".into(), bytes).map_err(|b| b.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.text, "ab\ncd");
        assert_eq!(s.file_offset(3), 2 + 3 * 2);
        assert_eq!(s.line_col(4), (2, 2));
    }

    #[test]
    fn latin1_is_read_not_dropped() {
        let s = Source::from_bytes("x".into(), b"caf\xe9 ok".to_vec()).map_err(|b| b.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.text, "café ok");
        assert_eq!(s.file_offset(s.text.find("ok").unwrap_or(0)), 5);
        assert!(s.note.is_some());
    }

    #[test]
    fn binaries_are_recognised() {
        assert!(sniff_binary(b"\x89PNG\r\n\x1a\n....").is_some());
        assert!(sniff_binary(b"text\0more").is_some());
        assert!(sniff_binary(b"MZ is a fine start for a sentence").is_none());
    }

    #[test]
    fn crlf_counts_one_line() {
        let s = Source::from_text("x", "a\r\nb\rc");
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(5), (3, 1));
    }
}
