//! Shared by the fuzz targets: the linters (built once a process) and the invariants every
//! linted report must keep.
#![allow(dead_code)]

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, OnceLock};

use osdlint::report::{lint_source, FileReport};
use osdlint::rules::RuleSet;
use osdlint::Linter;

/// The linter with the embedded pattern sets, as `osdlint check` uses it.
pub fn embedded() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| osdlint::embedded_linter().unwrap_or_else(|e| panic!("embedded patterns do not load: {e}")))
}

/// Rules that fire on almost any text, so every input yields many spans (and facts, and
/// frames) to check. The same shape as the set in `tests/properties.rs`.
const GREEDY: &str = r#"
[[rule]]
id = "osd6/any-words"
osd = [6]
message = "m"
label = "l"
fact_label = "got {word}"
why = "w"
help = "h"
explain = "e"
triggers = ["a", "e", "o", "é", "-", "1"]
regexes = ['\w+.{0,6}\w*', '(?P<hit>[^ ]{1,3}) ', '(?P<word>\w+) (?P<hit>\S+)']
warn = ['(?P<frame>must|may) not .{0,20}(?P<hit>\w+)']
tests.match = []
tests.no_match = []
"#;

pub fn greedy() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| {
        let mut set = RuleSet::default();
        set.add_file("greedy.toml", GREEDY, true).unwrap_or_else(|e| panic!("{e}"));
        set.finish().unwrap_or_else(|e| panic!("{e}"));
        Linter::new(set).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Lint with [`greedy`] on a thread of its own. A thread keeps the search caches of one
/// linter only, and drops them when it meets another: alternating the two linters on one
/// thread would rebuild every cache on every input and slow the fuzzer tenfold.
pub fn lint_greedy(source: osdlint::source::Source) -> FileReport {
    type Worker = (Sender<osdlint::source::Source>, Receiver<FileReport>);
    static W: OnceLock<Mutex<Worker>> = OnceLock::new();
    let w = W.get_or_init(|| {
        let (tx, rx) = channel::<osdlint::source::Source>();
        let (back, out) = channel::<FileReport>();
        // A panic on this thread aborts the process (libfuzzer-sys's panic hook): a crash.
        std::thread::spawn(move || {
            for s in rx {
                let _ = back.send(lint_source(greedy(), s));
            }
        });
        Mutex::new((tx, out))
    });
    let w = w.lock().unwrap_or_else(|e| e.into_inner());
    w.0.send(source).unwrap_or_else(|e| panic!("greedy worker gone: {e}"));
    w.1.recv().unwrap_or_else(|e| panic!("greedy worker gone: {e}"))
}

/// Where lines start, counted independently of `Source::line_starts`: lines end at
/// `\n`, `\r\n` or a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// How many characters precede each byte offset (meaningful at character boundaries).
fn char_counts(text: &str) -> Vec<usize> {
    let mut counts = vec![0; text.len() + 1];
    let mut n = 0;
    for (i, slot) in counts.iter_mut().enumerate() {
        *slot = n;
        if i < text.len() && text.is_char_boundary(i) {
            n += 1;
        }
    }
    counts
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(starts: &[usize], chars: &[usize], offset: usize) -> (usize, usize) {
    let line = starts.partition_point(|&s| s <= offset);
    (line, 1 + chars[offset] - chars[starts[line - 1]])
}

/// The bytes of the file a decoded range came from, decoded again the way
/// `Source::from_bytes` decoded the whole file.
fn redecode(note: Option<&str>, bytes: &[u8]) -> String {
    match note {
        None => String::from_utf8_lossy(bytes).into_owned(),
        Some(n) if n.contains("Windows-1252") => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
        Some(n) => {
            let le = n.contains("UTF-16LE");
            let units = bytes.chunks(2).map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xDC00,
            });
            char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
        }
    }
}

/// Every diagnostic's spans lie in the file and on character boundaries of the decoded
/// text, `text` is that slice, line and column agree with the offsets, and the file span
/// holds the same words.
pub fn check_report(report: &FileReport, file: &[u8]) {
    let text = report.source.text.as_str();
    if report.diagnostics.is_empty() {
        return;
    }
    let starts = line_starts(text);
    let chars = char_counts(text);
    for d in &report.diagnostics {
        let r = d.text_span.clone();
        assert!(r.start <= r.end && r.end <= text.len(), "decoded span {r:?} outside {}", text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "decoded span {r:?} not on char boundaries");
        assert_eq!(&text[r.clone()], d.text, "text is not the decoded slice");
        assert!(!d.text.is_empty(), "empty finding");
        if let Some(f) = &d.frame_span {
            assert!(f.start <= f.end && f.end <= text.len(), "frame {f:?} outside {}", text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "frame {f:?} not on char boundaries");
        }
        let s = d.span;
        assert!(s.start <= s.end && s.end <= file.len(), "file span {s:?} outside {}", file.len());
        let again = redecode(report.source.note.as_deref(), &file[s.start..s.end]);
        assert_eq!(again, d.text, "file bytes {s:?} do not hold the finding's text");
        assert_eq!((d.line, d.column), line_col(&starts, &chars, r.start), "line/column of {}", r.start);
        assert_eq!((d.end_line, d.end_column), line_col(&starts, &chars, r.end), "end line/column of {}", r.end);
    }
}

/// Normalizing keeps a map back to the original that is in range, on character
/// boundaries and in order; sentences lie in the text, in order, without overlap.
pub fn check_normalize(text: &str) {
    let n = osdlint::normalize::normalize(text);
    let mut last = 0;
    let bounds: Vec<usize> = (0..=n.text.len()).filter(|&i| n.text.is_char_boundary(i)).collect();
    for &i in &bounds {
        let (s, e) = n.original_span(text, i, i);
        assert_eq!(s, e);
        assert!(s <= text.len() && text.is_char_boundary(s), "map of {i} is {s}, not a boundary of the original");
        assert!(s >= last, "map goes backwards at {i}: {s} < {last}");
        last = s;
    }
    for w in bounds.windows(2) {
        let (s, e) = n.original_span(text, w[0], w[1]);
        assert!(s <= e && e <= text.len(), "span of {w:?} is {s}..{e}");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    check_sentences(&n.text);
    check_sentences(text);
}

fn check_sentences(text: &str) {
    let mut last = 0;
    for r in osdlint::segment::sentences(text) {
        assert!(last <= r.start && r.start < r.end && r.end <= text.len(), "sentence {r:?} after {last} in {}", text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "sentence {r:?} not on char boundaries");
        last = r.end;
    }
}
