//! Base-license identification: which standard license a text is built on, named by its
//! SPDX id with a similarity score, and which parts of the text go beyond it (riders such
//! as an appended Commons Clause or a "no military use" line).
//!
//! The matching is askalono's, as the `spdx` crate carries it (word-bigram Dice scores
//! against a store of license texts), done by `src/askalono.rs` with the same results and
//! without the crate's regexes; the store is cut down, and its texts' bigrams counted, once
//! at build time (`build.rs`), and read in place. Riders are found by diffing the text's
//! words against the matched license's words (`similar`'s patience diff) and keeping the
//! inserted runs that are at least a few words long, leaving out copyright lines and
//! filled-in placeholders such as `<year>` or `[name of copyright owner]`.

use std::ops::Range;
use std::sync::OnceLock;

use crate::askalono::{Grams, Lines, Stored};
use crate::bigrams::{fnv, Index, FNV_START};

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

/// askalono's bigrams of the texts of [`lines::LINES`], in the same order (`build.rs`; see
/// `src/askalono.rs`).
static GRAMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/license_grams.bin"));

/// One text of the license index.
struct Entry {
    id: &'static str,
    lines: &'static str,
    /// askalono's bigrams of the text, as `build.rs` wrote them.
    grams: Stored<'static>,
    /// Its [`license_words`], the first time a text is diffed against it.
    words: OnceLock<Vec<u64>>,
}

/// The texts of the license index and their fingerprints.
struct Licenses {
    entries: Vec<Entry>,
    fingerprints: Index<'static>,
}

static INDEX: OnceLock<Option<Licenses>> = OnceLock::new();

/// The license index, read once a run: a list of sizes and where each text's bigrams are;
/// both the fingerprint index and the bigrams are read where the binary holds them.
/// `None` if the index does not read back, which `build.rs` rules out.
fn index() -> Option<&'static Licenses> {
    INDEX
        .get_or_init(|| {
            let fingerprints = Index::read(FINGERPRINTS)?;
            let grams = Grams::split(GRAMS)?;
            let entries = lines::LINES
                .iter()
                .zip(grams)
                .map(|(&(_, id, text), grams)| Entry { id, lines: text, grams, words: OnceLock::new() })
                .collect::<Vec<_>>();
            let complete = entries.len() == fingerprints.sizes.len() && entries.len() == lines::LINES.len();
            complete.then_some(Licenses { entries, fingerprints })
        })
        .as_ref()
}

impl Entry {
    fn words(&self) -> &[u64] {
        self.words.get_or_init(|| license_words(self.lines))
    }
}

/// How many of the best fingerprint matches are scored as askalono scores.
const CANDIDATES: usize = 3;
/// A license whose fingerprint's Dice coefficient with the text's is below this is not
/// scored against the whole text: over the corpus askalono's score stayed under 0.62
/// (and [`CONFIDENT`] is 0.8) wherever the fingerprints' was under 0.5.
const FINGERPRINT_FLOOR: f32 = 0.45;
/// The share of a license's bigrams a text must hold for a window of it to be worth
/// scoring. A window scores at least [`CONFIDENT`] only where it holds two thirds of
/// them (2|W∩L| ≥ 0.8(|W| + |L|) and |W| ≥ |W∩L| give |W∩L| ≥ 2|L|/3); the fingerprints
/// split words a little differently from askalono, hence the margin.
const CONTAINED: f32 = 0.65;

/// A whole-text score at least this high names the license outright.
const CONFIDENT: f32 = 0.8;
/// Below this whole-text score nothing is tried: even the best window of the text could
/// not reach [`CONFIDENT`] in practice, and looking costs time.
const WORTH_A_LOOK: f32 = 0.25;
/// Texts longer than this are not identified: no license is near that long, and
/// askalono's window search grows with the text.
const MAX_TEXT: usize = 512 * 1024;
/// Texts with more lines than this skip the window search (each of its steps, about 18
/// a search over the corpus, goes over the window's text again).
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
/// pairs with, and any license most of whose word pairs the text holds; askalono's matcher
/// (`src/askalono.rs`) scores those, the whole text first, then its best window of lines
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
    let lines = Lines::new(text);
    let grams = lines.grams();
    let score_of = |i: usize| index.get(i).map(|e| (i, grams.dice(&e.grams)));
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
                || lines.len() > MAX_LINES_TO_OPTIMIZE
            {
                return None;
            }
            let windowed = lines.best_window_score(&index.get(i)?.grams);
            if windowed < CONFIDENT {
                return None;
            }
            (i, windowed)
        }
    };
    let entry = index.get(best)?;
    let spdx = entry.id.to_string();
    let name = spdx::license_id(&spdx).map_or_else(|| spdx.clone(), |l| l.full_name.to_string());
    let added = riders(text, entry.words());
    Some(Identification { spdx, name, score: (score * 1000.0).floor() / 1000.0, added })
}

/// A word of a text: a hash of it, lowercased, and where it is.
struct Word {
    hash: u64,
    span: Range<usize>,
}

/// The hash of a word (lowercased): FNV-1a over its bytes.
const fn hash_word(w: &str) -> u64 {
    let (mut bytes, mut h) = (w.as_bytes(), FNV_START);
    while let [b, rest @ ..] = bytes {
        h = fnv(h, *b);
        bytes = rest;
    }
    h
}

/// The hash of a URL, which [`Words`] makes one word.
const URL: u64 = hash_word("\0url");
/// The hashes of the words that make a line a title.
const LICENSE: [u64; 2] = [hash_word("license"), hash_word("licence")];

/// The words of a text: runs of letters and digits, lowercased; a URL is one word. Words
/// are compared by a 64-bit hash of their lowercased bytes (a URL's is that of `"\0url"`,
/// which no run of letters and digits has).
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words { text, at: 0 }
    }

    /// The length of the character at the current position if it is a letter or digit.
    fn alnum_here(&self) -> Option<usize> {
        let b = *self.text.as_bytes().get(self.at)?;
        if b < 0x80 {
            return b.is_ascii_alphanumeric().then_some(1);
        }
        let c = self.text.get(self.at..)?.chars().next()?;
        c.is_alphanumeric().then(|| c.len_utf8())
    }
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        use crate::bigrams::alnum_lower;
        let bytes = self.text.as_bytes();
        // To the next letter or digit.
        loop {
            let rest = bytes.get(self.at..)?;
            self.at += rest.iter().position(|&b| b >= 0x80 || alnum_lower(b) != 0)?;
            if self.alnum_here().is_some() {
                break;
            }
            self.at += self.text.get(self.at..)?.chars().next()?.len_utf8();
        }
        let start = self.at;
        if matches!(bytes.get(start), Some(b'h' | b'H')) {
            let rest = self.text.get(start..)?;
            let head = rest.as_bytes();
            let is_url = [&b"http://"[..], b"https://"].iter().any(|p| head.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)));
            if is_url {
                self.at += rest.find(char::is_whitespace).unwrap_or(rest.len());
                return Some(Word { hash: URL, span: start..self.at });
            }
        }
        let mut hash = FNV_START;
        while let Some(l) = bytes.get(self.at).map(|&b| alnum_lower(b)).filter(|&l| l != 0) {
            hash = fnv(hash, l);
            self.at += 1;
        }
        if bytes.get(self.at).is_some_and(|&b| b >= 0x80) && self.alnum_here().is_some() {
            // A word with letters beyond ASCII: lowercased as a whole.
            while let Some(len) = self.alnum_here() {
                self.at += len;
            }
            hash = hash_word(&self.text.get(start..self.at)?.to_lowercase());
        }
        Some(Word { hash, span: start..self.at })
    }
}

/// `haystack` contains `needle` (lowercase ASCII, starting with a letter), in any case.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else { return true };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay)
        .any(|i| hay.get(i..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)))
}

/// `s` starts with `prefix` (lowercase ASCII), in any case.
fn starts_with_ignore_ascii_case(s: &str, prefix: &str) -> bool {
    s.as_bytes().get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Is this line a copyright or rights line, whose names and years differ from text to text?
/// (Matched in any ASCII case: no other character lowercases to a letter of these words.)
fn is_copyright_line(line: &str) -> bool {
    let l = line.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©' && c != '(');
    let c_year = starts_with_ignore_ascii_case(l, "(c)")
        && l.get(3..).is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    starts_with_ignore_ascii_case(l, "copyright") || l.starts_with('©') || c_year || contains_ignore_ascii_case(l, "all rights reserved")
}

/// Is this line a title such as "BSD 3-Clause License" or "The MIT License (MIT)"? Titles
/// vary from copy to copy and are not part of the license's terms.
fn is_title_line(line: &str) -> bool {
    if line.trim_end().ends_with(['.', ';', ':', ',']) || !contains_ignore_ascii_case(line, "licen") {
        return false;
    }
    let (mut count, mut named) = (0, false);
    for w in Words::new(line) {
        count += 1;
        if count > 6 {
            return false;
        }
        named |= LICENSE.contains(&w.hash);
    }
    named
}

/// Lines that differ from copy to copy of a license and are never counted as added.
fn is_boilerplate_line(line: &str) -> bool {
    is_copyright_line(line) || is_title_line(line)
}

/// The words of a license's normalized lines (askalono's) that texts are diffed against:
/// those of its lines that are not boilerplate.
fn license_words(lines: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for line in lines.lines().filter(|l| !is_boilerplate_line(l)) {
        // askalono writes URLs as "http://blackboxed/url" and then turns `/` into a space.
        let line = if line.contains("http: blackboxed url") {
            std::borrow::Cow::Owned(line.replace("http: blackboxed url", "http://blackboxed/url"))
        } else {
            std::borrow::Cow::Borrowed(line)
        };
        out.extend(Words::new(&line).map(|w| w.hash));
    }
    out
}

/// The byte ranges of `text` that `license` (the [`license_words`] of the matched license)
/// does not account for.
fn riders(text: &str, license: &[u64]) -> Vec<Range<usize>> {
    let sample: Vec<Word> = Words::new(text).collect();
    let sample_words: Vec<u64> = sample.iter().map(|w| w.hash).collect();
    if sample_words == license {
        // (What the diff below would find: all of it matched.)
        return Vec::new();
    }
    let deadline = std::time::Instant::now().checked_add(std::time::Duration::from_millis(500));
    let ops = word_diff(license, &sample_words, deadline);

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

/// The word diff [`riders`] reads: `similar`'s patience diff, with the hooks its
/// `capture_diff_slices` uses, but with the words that occur once in each text found by
/// counting their hashes in an open-addressing table, where `similar` counts them in a
/// `HashMap` keyed with SipHash, which was most of the cost of the diff. The rest is as
/// `similar` does it: its Myers diff of the two lists of once-only words, then, for each
/// pair of them it matched, the words before it that are the same in both, and its Myers
/// diff of what is left of the gap. (The tests hold this to `similar`'s own.)
fn word_diff(old: &[u64], new: &[u64], deadline: Option<std::time::Instant>) -> Vec<similar::DiffOp> {
    use similar::algorithms::{myers, Capture, Compact, Replace};
    let mut d = Compact::new(Replace::new(Capture::new()), old, new);
    let (old_once, new_once) = (once_only(old), once_only(new));
    let value = |seq: &[u64], at: &[usize]| at.iter().filter_map(|&i| seq.get(i).copied()).collect::<Vec<u64>>();
    let (old_values, new_values) = (value(old, &old_once), value(new, &new_once));
    let mut gaps = Replace::new(Gaps { d: &mut d, old, new, old_once: &old_once, new_once: &new_once, old_at: 0, new_at: 0, deadline });
    let Ok(()) = myers::diff_deadline(&mut gaps, &old_values, 0..old_values.len(), &new_values, 0..new_values.len(), deadline);
    d.into_inner().into_inner().into_ops()
}

/// The indices of the items of `seq` that occur in it once, in order.
fn once_only(seq: &[u64]) -> Vec<usize> {
    let len = (seq.len() * 2).next_power_of_two().max(16);
    let (mask, shift) = (len - 1, 64 - len.trailing_zeros());
    // Each slot's item and how many times it was seen (0: an empty slot).
    let (mut items, mut seen) = (vec![0u64; len], vec![0u32; len]);
    let slot = |items: &[u64], seen: &[u32], h: u64| {
        let mut i = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
        while seen.get(i).is_some_and(|&n| n > 0) && items.get(i).is_some_and(|&x| x != h) {
            i = (i + 1) & mask;
        }
        i
    };
    let mut slots = Vec::with_capacity(seq.len());
    for &h in seq {
        let i = slot(&items, &seen, h);
        if let (Some(x), Some(n)) = (items.get_mut(i), seen.get_mut(i)) {
            (*x, *n) = (h, *n + 1);
        }
        slots.push(i);
    }
    slots.iter().enumerate().filter(|&(_, &i)| seen.get(i) == Some(&1)).map(|(at, _)| at).collect()
}

/// The hook that turns the Myers diff of the once-only words into the diff of the texts
/// (see [`word_diff`]).
struct Gaps<'a, D> {
    d: &'a mut D,
    old: &'a [u64],
    new: &'a [u64],
    old_once: &'a [usize],
    new_once: &'a [usize],
    /// How far the diff of the texts has got.
    old_at: usize,
    new_at: usize,
    deadline: Option<std::time::Instant>,
}

impl<D: similar::algorithms::DiffHook> similar::algorithms::DiffHook for Gaps<'_, D> {
    type Error = D::Error;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), D::Error> {
        use similar::algorithms::{myers, NoFinishHook};
        for (o, n) in (old..old + len).zip(new..new + len) {
            let (Some(&o), Some(&n)) = (self.old_once.get(o), self.new_once.get(n)) else { continue };
            let (old_from, new_from) = (self.old_at, self.new_at);
            while self.old_at < o && self.new_at < n && self.new.get(self.new_at) == self.old.get(self.old_at) {
                self.old_at += 1;
                self.new_at += 1;
            }
            if self.old_at > old_from {
                self.d.equal(old_from, new_from, self.old_at - old_from)?;
            }
            // Most anchors follow the one before with nothing or only one side between:
            // that is what the diff would say (it allocates its work space first).
            if self.old_at == o && self.new_at < n {
                self.d.insert(o, self.new_at, n - self.new_at)?;
            } else if self.new_at == n && self.old_at < o {
                self.d.delete(self.old_at, o - self.old_at, n)?;
            } else if self.old_at < o {
                let mut gap = NoFinishHook::new(&mut *self.d);
                myers::diff_deadline(&mut gap, self.old, self.old_at..o, self.new, self.new_at..n, self.deadline)?;
            }
            (self.old_at, self.new_at) = (o, n);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), D::Error> {
        let (old, new) = (self.old_at..self.old.len(), self.new_at..self.new.len());
        similar::algorithms::myers::diff_deadline(&mut *self.d, self.old, old, self.new, new, self.deadline)
    }
}

/// Extend the end of a range over the punctuation that closes its last word (`.`, `)`,
/// quotes), up to the next space.
fn extend_over_punctuation(text: &str, end: usize) -> usize {
    let rest = text.get(end..).unwrap_or_default();
    end + rest.find(|c: char| c.is_whitespace() || c.is_alphanumeric()).unwrap_or(rest.len())
}

/// The texts of the license index, for tests.
#[cfg(test)]
pub(crate) fn license_texts() -> impl Iterator<Item = &'static str> {
    lines::LINES.iter().map(|&(_, _, text)| text)
}

/// The text of the license `id` in the index, for tests.
#[cfg(test)]
pub(crate) fn license_text(id: &str) -> Option<&'static str> {
    lines::LINES.iter().find(|&&(key, _, _)| key == id).map(|&(_, _, text)| text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_license_bigrams_read_back_as_counted() {
        let licenses = index().unwrap_or_else(|| panic!("the license index does not read back"));
        for e in &licenses.entries {
            assert!(e.grams.is(&Lines::new(e.lines).grams()), "{}", e.id);
        }
    }

    #[test]
    fn words_and_urls() {
        let text = "See https://example.org/x, or (C) 2024 Ann's Straße.";
        let w: Vec<(u64, &str)> = Words::new(text).map(|w| (w.hash, &text[w.span])).collect();
        assert_eq!(hash_word("license"), "license".bytes().fold(FNV_START, fnv));
        let expected = [("see", "See"), ("\u{0}url", "https://example.org/x,"), ("or", "or"), ("c", "C"), ("2024", "2024"), ("ann", "Ann"), ("s", "s"), ("straße", "Straße")];
        assert_eq!(w, expected.map(|(h, s)| (hash_word(h), s)));
    }

    /// [`word_diff`] is `similar`'s patience diff.
    fn same_diff(old: &[u64], new: &[u64]) {
        let theirs = similar::capture_diff_slices(similar::Algorithm::Patience, old, new);
        assert_eq!(word_diff(old, new, None), theirs, "{old:?} {new:?}");
    }

    #[test]
    fn the_word_diff_is_similars_on_license_texts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let licenses: Vec<Vec<u64>> = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "Zlib"].iter().filter_map(|id| license_text(id)).map(license_words).collect();
        assert_eq!(licenses.len(), 5);
        for dir in ["fixtures/clean", "fixtures/restricted"] {
            for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let words: Vec<u64> = Words::new(&text).map(|w| w.hash).collect();
                for license in &licenses {
                    same_diff(license, &words);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_word_diff_is_similars(old in proptest::collection::vec(0u64..12, 0..60), new in proptest::collection::vec(0u64..12, 0..60)) {
            same_diff(&old, &new);
        }

        #[test]
        fn the_word_diff_is_similars_on_edits(old in proptest::collection::vec(0u64..150, 0..300), edits in proptest::collection::vec((0usize..300, 0usize..4, proptest::collection::vec(0u64..150, 0..6)), 0..8)) {
            // A text made from the other by replacing a few runs of words.
            let mut new = old.clone();
            for (at, cut, put) in edits {
                let at = at.min(new.len());
                let cut = cut.min(new.len() - at);
                new.splice(at..at + cut, put);
            }
            same_diff(&old, &new);
        }
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
        let license = license_words("Permission is granted to use this work for any purpose.");
        let text = "Copyright 2024 Ann\n\nPermission is granted to use this work for any purpose.\n\nNo military use is allowed.\n";
        let added = riders(text, &license);
        assert_eq!(added.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["No military use is allowed."]);
    }
}
