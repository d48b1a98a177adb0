//! Base-license identification: which standard license a text is built on, named by its
//! SPDX id with a similarity score, and which parts of the text go beyond it (riders such
//! as an appended Commons Clause or a "no military use" line).
//!
//! The matching is askalono's, as the `spdx` crate carries it (word-bigram Dice scores
//! against a store of license texts); the store is cut down and serialized once, at build
//! time (`build.rs`), and loaded at most once a run. Riders are found by diffing the text's
//! words against the matched license's words with `similar` (patience diff) and keeping
//! the inserted runs that are at least a few words long, leaving out copyright lines and
//! filled-in placeholders such as `<year>` or `[name of copyright owner]`.

use std::ops::Range;
use std::sync::OnceLock;

use spdx::detection::TextData;

use crate::bigrams::Index;

/// The standard license a text is built on.
#[derive(Debug, Clone, PartialEq)]
pub struct Identification {
    /// SPDX id, e.g. `MIT`.
    pub spdx: String,
    /// Full name, e.g. `MIT License`.
    pub name: String,
    /// How closely the text matches the license, `0.0..=1.0` (Dice coefficient of word
    /// bigrams; where the license is embedded in a longer text, of the part it spans).
    pub score: f32,
    /// Byte ranges in the decoded text that are not part of the base license (riders).
    pub added: Vec<Range<usize>>,
}

/// The normalized lines of each text of the license index (`build.rs`): `(key, SPDX id,
/// lines)`, keyed `ID`, or `ID#headerN` for a license's standard header notices.
mod lines {
    include!(concat!(env!("OUT_DIR"), "/license_lines.rs"));
}

/// The word-bigram fingerprints of the texts of [`lines::LINES`], in the same order, as
/// an index from bigram to texts (`build.rs`; see `src/bigrams.rs`).
static FINGERPRINTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/license_bigrams.bin"));

/// One text of the license index.
struct Entry {
    id: &'static str,
    lines: &'static str,
    /// The `spdx` crate's view of the text, made the first time it is scored.
    data: OnceLock<TextData>,
}

/// The texts of the license index and their fingerprints.
struct Licenses {
    entries: Vec<Entry>,
    fingerprints: Index<'static>,
}

static INDEX: OnceLock<Option<Licenses>> = OnceLock::new();

/// The license index, read once a run: a list of sizes; the hashes are searched where the
/// binary holds them, and each license's `TextData` is only built when a text is scored
/// against it. `None` if the index does not read back, which `build.rs` rules out.
fn index() -> Option<&'static Licenses> {
    INDEX
        .get_or_init(|| {
            let fingerprints = Index::read(FINGERPRINTS)?;
            let entries = lines::LINES
                .iter()
                .map(|&(_, id, text)| Entry { id, lines: text, data: OnceLock::new() })
                .collect::<Vec<_>>();
            (entries.len() == fingerprints.sizes.len()).then_some(Licenses { entries, fingerprints })
        })
        .as_ref()
}

impl Entry {
    fn data(&self) -> &TextData {
        self.data.get_or_init(|| TextData::new(self.lines))
    }
}

/// How many of the best fingerprint matches the `spdx` crate scores.
const CANDIDATES: usize = 3;
/// A license whose fingerprint's Dice coefficient with the text's is below this is not
/// scored against the whole text: over the corpus the crate's score stayed under 0.62
/// (and [`CONFIDENT`] is 0.8) wherever the fingerprints' was under 0.5.
const FINGERPRINT_FLOOR: f32 = 0.45;
/// The share of a license's bigrams a text must hold for a window of it to be worth
/// scoring. A window scores at least [`CONFIDENT`] only where it holds two thirds of
/// them (2|W∩L| ≥ 0.8(|W| + |L|) and |W| ≥ |W∩L| give |W∩L| ≥ 2|L|/3); the fingerprints
/// split words a little differently from the crate, hence the margin.
const CONTAINED: f32 = 0.65;

/// A whole-text score at least this high names the license outright.
const CONFIDENT: f32 = 0.8;
/// Below this whole-text score nothing is tried: even the best window of the text could
/// not reach [`CONFIDENT`] in practice, and looking costs time.
const WORTH_A_LOOK: f32 = 0.25;
/// Texts longer than this are not identified: no license is near that long, and
/// askalono's window search grows with the text.
const MAX_TEXT: usize = 512 * 1024;
/// Texts with more lines than this skip the window search (it reprocesses the text at
/// every step).
const MAX_LINES_TO_OPTIMIZE: usize = 3000;
/// An inserted run of fewer words than this is an edit, not a rider.
const MIN_ADDED_WORDS: usize = 3;
/// A run that replaces license words counts as added when it is this many words longer
/// than what it replaces, or at least [`MIN_REWRITE_WORDS`] long.
const MIN_EXCESS_WORDS: usize = 3;
const MIN_REWRITE_WORDS: usize = 12;
/// Matched islands this short inside an added run are chance matches ("the", "software").
const MAX_ISLAND_WORDS: usize = 2;

/// Name the standard license `text` is built on, and the parts of `text` that go beyond
/// it. `None` when nothing matches well enough.
///
/// The fingerprints (`src/bigrams.rs`) pick the few licenses the text shares the most word
/// pairs with, and any license most of whose word pairs the text holds; the `spdx` crate
/// (askalono's matcher) scores those, the whole text first, then its best window of lines
/// where the license may be part of a longer text.
pub fn identify(text: &str) -> Option<Identification> {
    if text.len() > MAX_TEXT || text.trim().is_empty() {
        return None;
    }
    let licenses = index()?;
    let index = licenses.entries.as_slice();
    let fp = crate::bigrams::fingerprint(text);
    if fp.is_empty() {
        return None;
    }
    // (entry, Dice coefficient of the fingerprints, share of the license's bigrams held)
    let sizes = &licenses.fingerprints.sizes;
    let mut near: Vec<(usize, f32, f32)> = licenses
        .fingerprints
        .shared(&fp)
        .into_iter()
        .zip(sizes)
        .enumerate()
        .filter(|(_, (_, &size))| size > 0)
        .map(|(i, (n, &size))| {
            let (n, size) = (n as f32, size as f32);
            (i, 2.0 * n / (fp.len() as f32 + size), n / size)
        })
        .collect();
    near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // The licenses close enough to the whole text to name it, and the one license the
    // text holds most of, which may name a window of it.
    let whole: Vec<usize> = near.iter().take(CANDIDATES).filter(|c| c.1 >= FINGERPRINT_FLOOR).map(|c| c.0).collect();
    let window = near
        .iter()
        .filter(|c| c.2 >= CONTAINED)
        .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)))
        .map(|c| c.0);
    if whole.is_empty() && window.is_none() {
        return None;
    }
    let data = TextData::new(text);
    let score_of = |i: usize| index.get(i).map(|e| (i, e.data().match_score(&data)));
    // Best whole-text score first; equal scores go to the earlier id, as the index sorts.
    let mut scored: Vec<(usize, f32)> = whole.iter().filter_map(|&i| score_of(i)).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, score) = match scored.first().copied() {
        Some((i, s)) if s >= CONFIDENT => (i, s),
        _ => {
            // The license may be a part of a longer text: score the best window of lines.
            let i = window?;
            let (_, whole_score) = score_of(i)?;
            // (A NaN score compares false and is turned away too.)
            if whole_score.partial_cmp(&WORTH_A_LOOK).is_none_or(|o| o == std::cmp::Ordering::Less)
                || data.lines().len() > MAX_LINES_TO_OPTIMIZE
            {
                return None;
            }
            let (_, windowed) = data.optimize_bounds(index.get(i)?.data());
            if windowed < CONFIDENT {
                return None;
            }
            (i, windowed)
        }
    };
    let entry = index.get(best)?;
    let spdx = entry.id.to_string();
    let name = spdx::license_id(&spdx).map_or_else(|| spdx.clone(), |l| l.full_name.to_string());
    let lines: Vec<String> = entry.lines.lines().map(str::to_string).collect();
    let added = riders(text, &lines);
    Some(Identification { spdx, name, score: (score * 1000.0).floor() / 1000.0, added })
}

/// A word of a text, lowercased, and where it is.
struct Word {
    word: String,
    span: Range<usize>,
}

/// The words of `text`: runs of letters and digits, lowercased; a URL is one word.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let rest = text.get(i..).unwrap_or_default();
        let head = rest.as_bytes();
        let is_url = [&b"http://"[..], b"https://"].iter().any(|p| head.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)));
        if is_url {
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            while chars.peek().is_some_and(|&(j, _)| j < i + len) {
                chars.next();
            }
            out.push(Word { word: "\u{0}url".into(), span: i..i + len });
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_alphanumeric() {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let w = text.get(i..end).unwrap_or_default();
        out.push(Word { word: w.to_lowercase(), span: i..end });
    }
    out
}

/// Is this line a copyright or rights line, whose names and years differ from text to text?
fn is_copyright_line(line: &str) -> bool {
    let l = line.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©' && c != '(').to_lowercase();
    let c_year = l.strip_prefix("(c)").is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    l.starts_with("copyright") || l.starts_with('©') || c_year || l.contains("all rights reserved")
}

/// Is this line a title such as "BSD 3-Clause License" or "The MIT License (MIT)"? Titles
/// vary from copy to copy and are not part of the license's terms.
fn is_title_line(line: &str) -> bool {
    let words = words(line);
    let sentence = line.trim_end().ends_with(['.', ';', ':', ',']);
    !sentence && words.len() <= 6 && words.iter().any(|w| w.word == "license" || w.word == "licence")
}

/// Lines that differ from copy to copy of a license and are never counted as added.
fn is_boilerplate_line(line: &str) -> bool {
    is_copyright_line(line) || is_title_line(line)
}

/// The byte ranges of `text` that `license_lines` (askalono's normalized lines of the
/// matched license) do not account for.
fn riders(text: &str, license_lines: &[String]) -> Vec<Range<usize>> {
    // askalono writes URLs as "http://blackboxed/url" and then turns `/` into a space.
    let license: String = license_lines
        .iter()
        .filter(|l| !is_boilerplate_line(l))
        .map(|l| l.replace("http: blackboxed url", "http://blackboxed/url"))
        .collect::<Vec<_>>()
        .join("\n");
    let license: Vec<String> = words(&license).into_iter().map(|w| w.word).collect();
    let sample = words(text);
    let sample_words: Vec<&str> = sample.iter().map(|w| w.word.as_str()).collect();
    let license_words: Vec<&str> = license.iter().map(String::as_str).collect();
    let deadline = std::time::Instant::now().checked_add(std::time::Duration::from_millis(500));
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Patience, &license_words, &sample_words, deadline);

    // For each sample word: matched to the license or not; and for each unmatched word,
    // how many license words its change replaced (counted once, on the first word).
    let mut matched = vec![false; sample.len()];
    let mut replaced = vec![0usize; sample.len()];
    for op in ops {
        match op {
            similar::DiffOp::Equal { new_index, len, .. } => {
                for m in matched.iter_mut().skip(new_index).take(len) {
                    *m = true;
                }
            }
            similar::DiffOp::Replace { new_index, old_len, .. } => {
                if let Some(r) = replaced.get_mut(new_index) {
                    *r += old_len;
                }
            }
            similar::DiffOp::Delete { new_index, old_len, .. } => {
                if let Some(r) = replaced.get_mut(new_index) {
                    *r += old_len;
                }
            }
            similar::DiffOp::Insert { .. } => {}
        }
    }
    // Words on copyright and title lines are never added text.
    let mut copyright = Vec::with_capacity(sample.len());
    let mut words_left = sample.iter().peekable();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let boilerplate = is_boilerplate_line(line);
        while words_left.peek().is_some_and(|w| w.span.start < line_end) {
            words_left.next();
            copyright.push(boilerplate);
        }
        line_start = line_end;
    }
    for (m, c) in matched.iter_mut().zip(&copyright) {
        *m |= *c;
    }
    // Short matched islands inside unmatched text are chance matches.
    let mut i = 0;
    while i < matched.len() {
        if matched.get(i) == Some(&true) {
            let start = i;
            while matched.get(i) == Some(&true) {
                i += 1;
            }
            let bounded = start > 0 && i < matched.len();
            let chance = (start..i).all(|k| copyright.get(k) == Some(&false));
            if bounded && chance && i - start <= MAX_ISLAND_WORDS {
                for m in matched.iter_mut().take(i).skip(start) {
                    *m = false;
                }
            }
        } else {
            i += 1;
        }
    }
    // Unmatched runs that are long enough, as byte ranges.
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < sample.len() {
        if matched.get(i) != Some(&false) {
            i += 1;
            continue;
        }
        let start = i;
        while matched.get(i) == Some(&false) {
            i += 1;
        }
        let inserted = i - start;
        let gone: usize = replaced.get(start..i).map_or(0, |r| r.iter().sum());
        let added = if gone == 0 {
            inserted >= MIN_ADDED_WORDS
        } else {
            inserted >= gone + MIN_EXCESS_WORDS || inserted >= MIN_REWRITE_WORDS
        };
        if !added {
            continue;
        }
        let (Some(first), Some(last)) = (sample.get(start), sample.get(i - 1)) else { continue };
        out.push(first.span.start..extend_over_punctuation(text, last.span.end));
    }
    out
}

/// Extend the end of a range over the punctuation that closes its last word (`.`, `)`,
/// quotes), up to the next space.
fn extend_over_punctuation(text: &str, end: usize) -> usize {
    let rest = text.get(end..).unwrap_or_default();
    end + rest.find(|c: char| c.is_whitespace() || c.is_alphanumeric()).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_urls() {
        let w: Vec<String> = words("See https://example.org/x, or (C) 2024 Ann's.").into_iter().map(|w| w.word).collect();
        assert_eq!(w, ["see", "\u{0}url", "or", "c", "2024", "ann", "s"]);
    }

    #[test]
    fn copyright_lines() {
        assert!(is_copyright_line("// Copyright (c) 2024 Ann"));
        assert!(is_copyright_line("(c) 2024 Ann"));
        assert!(!is_copyright_line("   (c) You must retain, in the Source form"));
        assert!(is_copyright_line("Foo Ltd. All rights reserved."));
        assert!(!is_copyright_line("The above copyright notice shall be included"));
        assert!(is_title_line("BSD 3-Clause License"));
        assert!(is_title_line("# The MIT License (MIT)"));
        assert!(!is_title_line("This license is void."));
    }

    #[test]
    fn an_appended_line_is_a_rider() {
        let license = vec!["Permission is granted to use this work for any purpose.".to_string()];
        let text = "Copyright 2024 Ann\n\nPermission is granted to use this work for any purpose.\n\nNo military use is allowed.\n";
        let added = riders(text, &license);
        assert_eq!(added.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["No military use is allowed."]);
    }
}
