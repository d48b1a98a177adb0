//! Word-bigram fingerprints of texts, shared by `build.rs` (which fingerprints the license
//! index once) and [`crate::identify`] (which fingerprints each text it is given): the
//! 64-bit hashes of each pair of neighbouring words, lowercased, without repeats.
//!
//! They only pick which licenses are worth scoring: one look-up in the index per bigram of
//! the text gives its shared-bigram count with every license at once (some 0.7 M
//! instructions for the 11 kB Apache-2.0 text, fingerprint included). The score a user
//! sees is askalono's (`src/askalono.rs`).

/// FNV-1a's starting value.
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, one byte further.
pub(crate) const fn fnv(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
}

/// `b` lowercased if it is an ASCII letter or digit, else 0.
pub(crate) fn alnum_lower(b: u8) -> u8 {
    if b.is_ascii_alphanumeric() {
        b | 0x20
    } else {
        0
    }
}

/// The fingerprint of `text`: the hashes of its lowercased word bigrams, without repeats,
/// in no particular order. A word is a run of letters and digits. A bigram's hash is
/// FNV-1a over its first word's bytes, a zero byte and its second word's bytes; so each
/// word is hashed twice in one pass, going on from the word before it and its zero byte,
/// and from the start.
pub fn fingerprint(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    // The hash of the word before and its zero byte.
    let mut prev: Option<u64> = None;
    let mut i = 0;
    while let Some(rest) = bytes.get(i..) {
        // To the next letter or digit.
        i += rest.iter().position(|&b| b >= 0x80 || alnum_lower(b) != 0).unwrap_or(rest.len());
        let Some(&b) = bytes.get(i) else { break };
        if b >= 0x80 {
            let c = text.get(i..).and_then(|r| r.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
        }
        // The word, hashed as it goes while it is ASCII.
        let start = i;
        let (mut pair, mut word) = (prev.unwrap_or(FNV_START), FNV_START);
        while let Some(l) = bytes.get(i).map(|&b| alnum_lower(b)).filter(|&l| l != 0) {
            pair = fnv(pair, l);
            word = fnv(word, l);
            i += 1;
        }
        let more = |i: usize| text.get(i..).and_then(|r| r.chars().next()).filter(|c| c.is_alphanumeric());
        if bytes.get(i).is_some_and(|&b| b >= 0x80) && more(i).is_some() {
            // Letters beyond ASCII: the word lowercased whole, and hashed again.
            while let Some(c) = bytes.get(i).and_then(|&b| if b < 0x80 { (alnum_lower(b) != 0).then_some('a') } else { more(i) }) {
                i += c.len_utf8();
            }
            let lower = text.get(start..i).unwrap_or_default().to_lowercase();
            pair = lower.bytes().fold(prev.unwrap_or(FNV_START), fnv);
            word = lower.bytes().fold(FNV_START, fnv);
        }
        if prev.is_some() {
            out.push(pair);
        }
        prev = Some(fnv(word, 0));
    }
    dedup(out)
}

/// `hashes` without repeats, in no particular order: an open-addressing set, as sorting
/// them cost several times as much.
fn dedup(hashes: Vec<u64>) -> Vec<u64> {
    let len = (hashes.len() * 2).next_power_of_two().max(16);
    let (mask, shift) = (len - 1, 64 - len.trailing_zeros());
    // 0 marks an empty slot; a hash of 0 is kept aside.
    let mut slots = vec![0u64; len];
    let mut zero = false;
    let mut out = Vec::with_capacity(hashes.len());
    for h in hashes {
        if h == 0 {
            if !zero {
                out.push(0);
            }
            zero = true;
            continue;
        }
        // The top bits pick the slot: FNV-1a's last step is a multiplication, which mixes
        // into the high bits.
        let mut i = (h >> shift) as usize;
        while let Some(slot) = slots.get_mut(i) {
            if *slot == 0 {
                *slot = h;
                out.push(h);
                break;
            }
            if *slot == h {
                break;
            }
            i = (i + 1) & mask;
        }
    }
    out
}

/// Bytes of one posting: a bigram hash (`u64`) and the index of a text holding it (`u16`),
/// little-endian.
const POSTING: usize = 10;

/// The postings are cut into `1 << BUCKET_BITS` buckets by the top bits of their hashes,
/// so that a hash is looked for among ten or so postings (more for the bigrams many
/// licenses share), not by a binary search over all 150,000: a 64 kB table.
const BUCKET_BITS: u32 = 14;

/// The bucket of a hash.
fn bucket(h: u64) -> usize {
    (h >> (64 - BUCKET_BITS)) as usize
}

/// The index `build.rs` writes for a list of fingerprints: the number of texts (`u32`),
/// each text's fingerprint size (`u32` each), where each bucket's postings start (`u32`
/// each, and one past the last), then a posting for each (hash, text) pair, sorted by
/// hash. All little-endian. `None` past 65,535 texts.
pub fn index_bytes(fingerprints: &[Vec<u64>]) -> Option<Vec<u8>> {
    let mut postings: Vec<(u64, u16)> = Vec::new();
    let mut out = Vec::new();
    out.extend_from_slice(&u32::try_from(fingerprints.len()).ok()?.to_le_bytes());
    for (i, fp) in fingerprints.iter().enumerate() {
        out.extend_from_slice(&u32::try_from(fp.len()).ok()?.to_le_bytes());
        let i = u16::try_from(i).ok()?;
        postings.extend(fp.iter().map(|&h| (h, i)));
    }
    postings.sort_unstable();
    for b in 0..=1usize << BUCKET_BITS {
        let start = postings.partition_point(|&(h, _)| bucket(h) < b);
        out.extend_from_slice(&u32::try_from(start).ok()?.to_le_bytes());
    }
    for (h, i) in postings {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&i.to_le_bytes());
    }
    Some(out)
}

/// An index written by [`index_bytes`], read in place.
pub struct Index<'a> {
    /// Each text's fingerprint size.
    pub sizes: Vec<u32>,
    buckets: &'a [u8],
    postings: &'a [u8],
}

impl<'a> Index<'a> {
    /// Read an index; `None` when the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<Index<'a>> {
        let (count, rest) = bytes.split_at_checked(4)?;
        let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
        let (sizes, rest) = rest.split_at_checked(count.checked_mul(4)?)?;
        let sizes = sizes.chunks_exact(4).filter_map(|c| c.try_into().ok().map(u32::from_le_bytes)).collect();
        let (buckets, postings) = rest.split_at_checked(((1 << BUCKET_BITS) + 1) * 4)?;
        (postings.len() % POSTING == 0).then_some(Index { sizes, buckets, postings })
    }

    /// Where bucket `b`'s postings start.
    fn bucket_start(&self, b: usize) -> Option<usize> {
        let rec = self.buckets.get(b * 4..b * 4 + 4)?;
        Some(u32::from_le_bytes(rec.try_into().ok()?) as usize)
    }

    /// For each text of the index, how many hashes it shares with `fingerprint`.
    pub fn shared(&self, fingerprint: &[u64]) -> Vec<u32> {
        let mut counts = vec![0u32; self.sizes.len()];
        for &h in fingerprint {
            let b = bucket(h);
            let (Some(lo), Some(hi)) = (self.bucket_start(b), self.bucket_start(b + 1)) else { continue };
            let postings = self.postings.get(lo * POSTING..hi * POSTING).unwrap_or_default();
            for rec in postings.chunks_exact(POSTING) {
                let (x, i) = rec.split_at(8);
                let x = x.try_into().map_or(0, u64::from_le_bytes);
                if x > h {
                    break;
                }
                if x == h {
                    let i = i.try_into().map_or(0, u16::from_le_bytes);
                    if let Some(c) = counts.get_mut(usize::from(i)) {
                        *c += 1;
                    }
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_case_punctuation_and_repeats() {
        assert_eq!(fingerprint("Free, as in FREE speech."), fingerprint("free as in free speech"));
        assert_eq!(fingerprint("a b a b a b").len(), 2);
        assert!(fingerprint("one").is_empty());
    }

    fn sorted(mut v: Vec<u64>) -> Vec<u64> {
        v.sort_unstable();
        v
    }

    /// The fingerprint as first written: each word lowercased, each pair hashed whole.
    fn plain_fingerprint(text: &str) -> Vec<u64> {
        let words: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let mut out: Vec<u64> = words.windows(2).map(|p| p[0].bytes().chain([0]).chain(p[1].bytes()).fold(FNV_START, fnv)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn fingerprints_hash_pairs_as_plainly_written() {
        for text in ["", "one", "Free, as in FREE speech.", "Ünïcödé Straße ΣΑΣ x\u{301}y Ⅻ 42 and_more", " a\tb\nc "] {
            assert_eq!(sorted(fingerprint(text)), plain_fingerprint(text), "{text}");
        }
        let apache = include_str!("../LICENSE-APACHE");
        assert_eq!(sorted(fingerprint(apache)), plain_fingerprint(apache));
        assert_eq!(sorted(dedup(vec![3, 0, 5, 3, 0, 1 << 63, 5, 1 << 63])), [0, 3, 5, 1 << 63]);
    }

    #[test]
    fn the_index_counts_shared_hashes_per_text() {
        let texts = [fingerprint("the quick brown fox jumps"), fingerprint("a quick brown fox sleeps"), Vec::new()];
        let bytes = index_bytes(&texts).unwrap_or_default();
        let index = Index::read(&bytes).unwrap_or_else(|| panic!("index does not read back"));
        assert_eq!(index.sizes, [4, 4, 0]);
        assert_eq!(index.shared(&fingerprint("quick brown fox jumps high")), [3, 2, 0]);
        assert_eq!(index.shared(&[]), [0, 0, 0]);
        assert!(Index::read(&bytes[..bytes.len() - 1]).is_none());
    }
}
