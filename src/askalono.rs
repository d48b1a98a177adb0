//! askalono's text matching, as the `spdx` crate carries it (`spdx::detection::TextData`:
//! its normalization, its word bigrams, its Dice score and its search for the best window
//! of lines), done again without its regexes, for the same scores at a small part of the
//! cost. The crate runs some twenty regexes over a text, one after the other, and keeps
//! its bigrams as strings in a hash map: on `osdlint check LICENSE-APACHE` (callgrind),
//! compiling the regexes cost about 18 M instructions, and normalizing the 11 kB text and
//! the two licenses scored against it about 9 M and 16 M more. Here the text's lines take
//! one pass and its words another, about 0.9 M together; a bigram is a 64-bit hash,
//! counted in an open-addressing table; a license's bigrams are counted at build time
//! (`build.rs`, with this module) and read in place, so scoring one is a pass over its
//! list. The scores are the crate's bit for bit, as long as no two bigrams of a text and
//! its license share a 64-bit hash (a chance of about one in 10^11 a text).
//!
//! askalono normalizes a text in two stages:
//! - each line (`TextData::lines`): Unicode NFC; characters that are neither word, space
//!   nor punctuation dropped; `http://…` and `https://…` written `http://blackboxed/url`;
//!   runs of horizontal space made one space (the crate's class also holds `/`, `\`, `|`
//!   and, by a quirk of its `\x2044`, the digit `4`); runs of quotes, of dashes, of opening,
//!   of closing and of connecting punctuation made one `'`, `-`, `(`, `)`, `_`; `Ⓒ` and `ⓒ`
//!   made `(c)`; the line trimmed;
//! - the lines in view, joined: a prefix that most of them share (a comment leader)
//!   removed; `\r`, `\v` and `\f` made line breaks and runs of three or more breaks two;
//!   punctuation dropped; lowercased; a first line that is a title ending in `license`
//!   removed; copyright statements removed; the words that are left (split at white space)
//!   paired into bigrams.
//!
//! The score of two texts is the Dice coefficient of their bigram multisets. Which
//! character is in which class is read, at build time, from the crate's own regexes with
//! the `regex-syntax` that the `regex` crate uses (`build.rs`), so the classes match
//! exactly; the tests hold this module to the crate's results.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::bigrams::{fnv, FNV_START};

// The class bits, in the order of `build.rs`'s `CHAR_CLASSES`.
/// `[\w\s\pP]`: what the first stage keeps.
const KEPT: u16 = 1 << 0;
/// `[\w\s]`: what the second stage keeps.
const WORD_OR_SPACE: u16 = 1 << 1;
/// `\s`: white space.
const SPACE: u16 = 1 << 2;
/// Horizontal space, as the crate's class has it.
const HSPACE: u16 = 1 << 3;
/// `["'\p{Pi}\p{Pf}]`: quotes.
const QUOTE: u16 = 1 << 4;
/// `\p{Pd}`: dashes.
const DASH: u16 = 1 << 5;
/// `\p{Ps}`: opening punctuation.
const OPEN: u16 = 1 << 6;
/// `\p{Pe}`: closing punctuation.
const CLOSE: u16 = 1 << 7;
/// `\p{Pc}`: connecting punctuation.
const CONNECT: u16 = 1 << 8;
/// `[©Ⓒⓒ]`: copyright signs.
const COPY: u16 = 1 << 9;
/// `\d`: decimal digits.
const DIGIT: u16 = 1 << 10;
/// The classes whose runs the first stage makes one character.
const RUNS: u16 = HSPACE | QUOTE | DASH | OPEN | CLOSE | CONNECT;

/// The class bits of `c`.
fn class(c: char) -> u16 {
    let u = u32::from(c);
    if u < 128 {
        return crate::char_class::ascii().get(u as usize).copied().unwrap_or(0);
    }
    let runs = crate::char_class::runs();
    runs.partition_point(|&(start, _)| start <= u).checked_sub(1).and_then(|i| runs.get(i)).map_or(0, |&(_, bits)| bits)
}

fn is_space(c: char) -> bool {
    class(c) & SPACE != 0
}

/// The character at byte `i` of `s` (a char boundary) and its length in bytes.
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((char::from(b), 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// A text as askalono reads it: its normalized lines (`TextData::lines`).
pub struct Lines {
    /// The lines, joined by `\n`.
    text: String,
    /// Where each line starts in `text`.
    starts: Vec<usize>,
}

impl Lines {
    /// The first stage: normalize each line of `text`.
    pub fn new(text: &str) -> Lines {
        // NFC never joins or splits across a line break, so the whole text is one call.
        let nfc: Cow<str> = if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.nfc().collect())
        };
        let mut out = Vec::with_capacity(nfc.len());
        let mut starts = Vec::new();
        let mut kept = String::new();
        for line in nfc.split('\n') {
            if !starts.is_empty() {
                out.push(b'\n');
            }
            let start = out.len();
            starts.push(start);
            if !normalize_line(line, &mut out) {
                // The line has characters the stage drops before it looks for URLs.
                out.truncate(start);
                kept.clear();
                kept.extend(line.chars().filter(|&c| class(c) & KEPT != 0));
                normalize_line(&kept, &mut out);
            }
        }
        // (Whole characters are written, so this never fails.)
        Lines { text: String::from_utf8(out).unwrap_or_default(), starts }
    }

    /// The normalized lines, joined by `\n`.
    #[cfg(test)]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Lines `start..end`, joined by `\n`.
    fn view(&self, start: usize, end: usize) -> &str {
        if start >= end {
            return "";
        }
        let from = self.starts.get(start).copied().unwrap_or(self.text.len());
        let to = self.starts.get(end).map_or(self.text.len(), |&s| s.saturating_sub(1));
        self.text.get(from..to).unwrap_or_default()
    }

    /// The bigrams of all the lines (`TextData::new`).
    pub fn grams(&self) -> Grams {
        Grams::new(&self.text)
    }

    /// The best score of a window of these lines against `license`: askalono's
    /// `TextData::optimize_bounds`, which searches for the best last line with the first
    /// line fixed, then for the best first line.
    ///
    /// The search scores some eighteen windows; the second stage is run once over all the
    /// lines, and each window's words taken from it (see [`Stage2`]); the license's
    /// bigrams are put in a table once for all of them (see [`Tally`]).
    pub fn best_window_score(&self, license: &Stored) -> f32 {
        let stage2 = Stage2::new(self);
        let mut tally = Tally::new(license);
        let mut score = |start: usize, end: usize| {
            tally.clear();
            stage2.window_words(self, start, end, |h| tally.push(h));
            tally.dice()
        };
        let (end, _) = ternary_search(|end| score(0, end), 0, self.len());
        ternary_search(|start| score(start, end), 0, end).1
    }
}

/// The second stage (see [`for_each_word`]) run once over all of a text's lines, so that
/// each window of them that [`Lines::best_window_score`] scores has its words taken from
/// it rather than the stage run again on the window's view, which was most of the cost of
/// the search. A window's text comes out as a slice of the whole text's:
/// - dropping punctuation goes through the text from its start, and what it makes of a
///   character depends on nothing before it but how many line breaks came just before:
///   of those that open the window, the window keeps up to two, whatever came before
///   them, and the whole text keeps up to two of a run at least as long; from the
///   window's first other character on, the two are the same;
/// - lowercasing is each character's own but for a final sigma, which depends on the
///   characters around it up to the nearest line break: the lines are lowercased one by
///   one, and a window starts and ends next to a line break;
/// - a title and copyright statements are looked for in the window's own text, and they
///   start and end next to a line break, as the window does: the words between them are
///   the whole text's words there.
///
/// A window that shares a prefix for the stage to strip (a comment leader) is not a slice
/// of the whole: its words are found from its view as before.
struct Stage2 {
    /// The stage's text of all the lines, before titles and copyright statements go.
    text: String,
    /// Where each line is in `text`.
    lines: Vec<LineAt>,
    /// The words of `text`: their hash, start and end.
    words: Vec<(u64, usize, usize)>,
    /// For each line, how many of the lines before it share a prefix with the next line
    /// (see [`common_prefix`]).
    prefixed: Vec<u32>,
}

/// Where a line of [`Lines`] is in [`Stage2::text`].
struct LineAt {
    /// How many line breaks (`\r`, `\v`, `\f`) it starts with.
    breaks: usize,
    /// Where what follows those breaks starts; `None` if there is nothing else.
    rest: Option<usize>,
    /// Where it ends.
    end: usize,
}

/// `\n`, `\r`, `\v` or `\f`, which the second stage makes line breaks.
fn is_break(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0b | 0x0c)
}

impl Stage2 {
    fn new(lines: &Lines) -> Stage2 {
        let mut dropper = Dropper::new();
        let mut out = Vec::with_capacity(lines.text.len());
        let mut at = Vec::with_capacity(lines.len());
        for (k, line) in lines.text.split('\n').enumerate() {
            if k > 0 {
                dropper.push("\n", &mut out);
            }
            let breaks = line.bytes().take_while(|&b| is_break(b)).count();
            let (head, rest) = line.split_at_checked(breaks).unwrap_or_default();
            dropper.push(head, &mut out);
            let start = out.len();
            dropper.push(rest, &mut out);
            at.push(LineAt { breaks, rest: (!rest.is_empty()).then_some(start), end: out.len() });
        }
        // (Whole characters are kept, so this never fails.)
        let mut text = String::from_utf8(out).unwrap_or_default();
        if !text.is_ascii() {
            let mut lower = String::with_capacity(text.len());
            let mut from = 0;
            for line in &mut at {
                let start = line.rest.unwrap_or(line.end);
                lower.push_str(text.get(from..start).unwrap_or_default());
                line.rest = line.rest.map(|_| lower.len());
                lower.push_str(&text.get(start..line.end).unwrap_or_default().to_lowercase());
                from = line.end;
                line.end = lower.len();
            }
            text = lower;
        }
        let mut words = Vec::with_capacity(text.len() / 5);
        split_words(&text, |r, h| words.push((h, r.start, r.end)));
        let mut prefixed = vec![0];
        let mut count = 0;
        for (prev, line) in lines.text.split('\n').zip(lines.text.split('\n').skip(1)) {
            count += u32::from(common_prefix(prev, line).is_some());
            prefixed.push(count);
        }
        Stage2 { text, lines: at, words, prefixed }
    }

    /// Call `f` on the hash of each word the second stage leaves of the view of lines
    /// `start..end`, in order: `for_each_word(lines.view(start, end), …)`.
    fn window_words(&self, lines: &Lines, start: usize, end: usize, mut f: impl FnMut(u64)) {
        let view = lines.view(start, end);
        // A prefix is stripped where the lines that share one with the next, counted with
        // one more for each different prefix, are 80% of the lines: at most twice as many
        // as share one.
        let (from, to) = (self.prefixed.get(start), self.prefixed.get(end.saturating_sub(1)));
        let prefixed = from.zip(to).map_or(0, |(a, b)| b.saturating_sub(*a));
        let lines_in_view = end.saturating_sub(start) as f32;
        if prefixed > 0 && 2 * prefixed >= (0.8f32 * lines_in_view) as u32 && matches!(strip_common_prefix(view), Cow::Owned(_)) {
            return for_each_word(view, |_, h| f(h));
        }
        // The line breaks that open the window, and where its first other character is.
        let mut breaks = 0;
        let mut first = None;
        for line in self.lines.get(start..end).unwrap_or_default() {
            breaks += line.breaks;
            if line.rest.is_some() {
                first = line.rest;
                break;
            }
            // (And the line break after the line.)
            breaks += 1;
        }
        let last = end.checked_sub(1).and_then(|k| self.lines.get(k)).map(|l| l.end);
        // (With nothing but line breaks, there are no words.)
        let (Some(first), Some(last)) = (first, last) else { return };
        let from = first.saturating_sub(breaks.min(2));
        let text = self.text.get(from..last).unwrap_or_default();
        for_each_part(text, |part| {
            let (lo, hi) = (from + part.start, from + part.end);
            let words = self.words.get(self.words.partition_point(|w| w.1 < lo)..).unwrap_or_default();
            for &(h, _, _) in words.iter().take_while(|w| w.2 <= hi) {
                f(h);
            }
        });
    }
}

/// The first stage on one line, appended to `out`, trimmed. `false` (and `out` to be cut
/// back) if the line has characters that the stage drops first (`[^\w\s\pP]`).
fn normalize_line(line: &str, out: &mut Vec<u8>) -> bool {
    let bytes = line.as_bytes();
    let start = out.len();
    // Written by index into room enough for the line (a URL of 8 bytes or more becomes
    // 20, nothing else grows), for speed; cut back at the end.
    out.resize(start + bytes.len() * 5 / 2 + 32, 0);
    let mut n = start;
    let put = |out: &mut Vec<u8>, n: &mut usize, s: &[u8]| {
        if let Some(o) = out.get_mut(*n..*n + s.len()) {
            o.copy_from_slice(s);
        }
        *n += s.len();
    };
    // The end of the last character written that is not white space: the line is
    // trimmed by writing no white space before one, and cutting it back to the last.
    let mut end = start;
    // The run class of the last character written, if it was one.
    let mut run = 0;
    let ascii = crate::char_class::ascii();
    let mut i = 0;
    let plain = |b: u8| ascii.get(usize::from(b)).is_some_and(|&bits| bits & (RUNS | COPY | SPACE | KEPT) == KEPT) && b != b'h';
    while let Some(&b) = bytes.get(i) {
        // Most characters: ASCII letters, digits and punctuation that stay as they are.
        if plain(b) {
            while let Some(&b) = bytes.get(i).filter(|&&b| plain(b)) {
                if let Some(o) = out.get_mut(n) {
                    *o = b;
                }
                n += 1;
                i += 1;
            }
            end = n;
            run = 0;
            continue;
        }
        // And single spaces.
        if b == b' ' && run == 0 {
            if end > start {
                if let Some(o) = out.get_mut(n) {
                    *o = b' ';
                }
                n += 1;
            }
            run = HSPACE;
            i += 1;
            continue;
        }
        if b == b'h' {
            if let Some(url) = line.get(i..).and_then(url_len) {
                // `http://blackboxed/url`, its slashes made spaces.
                put(out, &mut n, b"http: blackboxed url");
                end = n;
                run = 0;
                i += url;
                continue;
            }
        }
        let Some((c, len)) = char_at(line, i) else { break };
        let this = bytes.get(i..i + len).unwrap_or_default();
        i += len;
        let bits = class(c);
        if bits & KEPT == 0 {
            out.truncate(start);
            return false;
        }
        let kind = bits & RUNS;
        if kind != 0 {
            if kind != run {
                run = kind;
                let rep = match kind {
                    HSPACE if end == start => continue,
                    HSPACE => b' ',
                    QUOTE => b'\'',
                    DASH => b'-',
                    OPEN => b'(',
                    CLOSE => b')',
                    _ => b'_',
                };
                put(out, &mut n, &[rep]);
                if rep != b' ' {
                    end = n;
                }
            }
            continue;
        }
        run = 0;
        if bits & COPY != 0 {
            put(out, &mut n, b"(c)");
            end = n;
        } else if bits & SPACE == 0 {
            put(out, &mut n, this);
            end = n;
        } else if end > start {
            put(out, &mut n, this);
        }
    }
    out.truncate(end);
    true
}

/// The length of the URL `https?://\S+` at the start of `s`, if there is one.
fn url_len(s: &str) -> Option<usize> {
    let head = if s.starts_with("https://") {
        8
    } else if s.starts_with("http://") {
        7
    } else {
        return None;
    };
    let tail = s.get(head..)?;
    let body = tail.find(is_space).unwrap_or(tail.len());
    // (Characters the stage drops are gone by the time it looks for URLs.)
    let kept = tail.get(..body)?.chars().any(|c| class(c) & KEPT != 0);
    kept.then_some(head + body)
}

/// The bigrams of a text, as askalono counts them: a hash of each pair of neighbouring
/// words, with how many times it occurs, in an open-addressing table (what askalono keeps
/// in a hash map of strings).
#[derive(Debug, Clone)]
pub struct Grams {
    /// The slots' hashes and counts, a count of 0 for an empty slot; a power of two long
    /// (and zeroed by the allocator), at most half full; a hash's first slot is picked by
    /// its top bits.
    hashes: Vec<u64>,
    counts: Vec<u32>,
    /// 64 less the number of bits of a slot index.
    shift: u32,
    /// How many different bigrams.
    distinct: u32,
    /// How many bigrams, counting repeats.
    total: u32,
}

/// Bytes of a bigram in [`Grams::write`]: its hash (`u64`) and count (`u32`).
const GRAM: usize = 12;

impl Grams {
    /// An empty table for up to `n` different bigrams.
    fn with_capacity(n: usize) -> Grams {
        let len = (n * 2).next_power_of_two().max(16);
        Grams { hashes: vec![0; len], counts: vec![0; len], shift: 64 - len.trailing_zeros(), distinct: 0, total: 0 }
    }

    /// Count bigram `h` `n` more times.
    fn add(&mut self, h: u64, n: u32) {
        let mask = self.hashes.len() - 1;
        let mut i = (h >> self.shift) as usize;
        while let (Some(x), Some(count)) = (self.hashes.get_mut(i), self.counts.get_mut(i)) {
            if *count == 0 {
                (*x, *count) = (h, n);
                self.distinct += 1;
                break;
            }
            if *x == h {
                *count += n;
                break;
            }
            i = (i + 1) & mask;
        }
        self.total = self.total.saturating_add(n);
    }

    /// How many times bigram `h` occurs.
    fn get(&self, h: u64) -> u32 {
        self.slot(h).and_then(|i| self.counts.get(i)).copied().unwrap_or(0)
    }

    /// The slot that holds bigram `h`, if it occurs.
    fn slot(&self, h: u64) -> Option<usize> {
        let mask = self.hashes.len() - 1;
        let mut i = (h >> self.shift) as usize;
        while let (Some(&x), Some(&n)) = (self.hashes.get(i), self.counts.get(i)) {
            if n == 0 {
                return None;
            }
            if x == h {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
        None
    }

    /// The bigrams and their counts, in no order.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.hashes.iter().copied().zip(self.counts.iter().copied()).filter(|s| s.1 > 0)
    }

    /// The second stage on `view` (normalized lines joined by `\n`), and its bigrams.
    fn new(view: &str) -> Grams {
        let mut hashes = Vec::with_capacity(view.len() / 5);
        let mut prev = None;
        for_each_word(view, |_, h| {
            if let Some(p) = prev {
                hashes.push(hash_pair(p, h));
            }
            prev = Some(h);
        });
        let mut grams = Grams::with_capacity(hashes.len());
        for h in hashes {
            grams.add(h, 1);
        }
        grams
    }

    /// The Dice coefficient of two bigram multisets, computed as askalono computes it
    /// (`2 * shared / (total + total)` in `f32`, shared bigrams counted as often as both
    /// have them).
    pub fn dice(&self, license: &Stored) -> f32 {
        if self.total == 0 || license.total == 0 {
            return 0.0;
        }
        let shared: u32 = license.iter().map(|(h, n)| n.min(self.get(h))).sum();
        (2.0 * shared as f32) / ((self.total as usize + license.total as usize) as f32)
    }

    /// The bigrams and their counts, sorted.
    fn sorted(&self) -> Vec<(u64, u32)> {
        let mut out: Vec<(u64, u32)> = self.iter().collect();
        out.sort_unstable();
        out
    }

    /// Append these bigrams to `out`: the total (`u32`), the number of different bigrams
    /// (`u32`), then each one's hash (`u64`) and count (`u32`), sorted, all little-endian.
    /// (`build.rs` writes the license index's bigrams with it.)
    #[allow(dead_code)]
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.total.to_le_bytes());
        out.extend_from_slice(&self.distinct.to_le_bytes());
        for (h, n) in self.sorted() {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// Cut what [`Grams::write`] wrote, one after the other, into each one's bigrams.
    pub fn split(mut bytes: &[u8]) -> Option<Vec<Stored<'_>>> {
        let mut out = Vec::new();
        while let Some(head) = bytes.get(..8) {
            let (total, len) = head.split_at(4);
            let total = u32::from_le_bytes(total.try_into().ok()?);
            let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
            let (grams, rest) = bytes.get(8..)?.split_at_checked(len.checked_mul(GRAM)?)?;
            out.push(Stored { total, grams });
            bytes = rest;
        }
        bytes.is_empty().then_some(out)
    }
}

/// A license's bigrams in a table, for scoring many windows of a text against it
/// ([`Lines::best_window_score`]): a window's score is [`Grams::dice`] of its bigrams,
/// but they are looked up in the license's table as they come, without a table of their
/// own to allocate, zero and fill for each window.
struct Tally {
    /// The license's bigrams and their counts.
    license: Grams,
    /// How many bigrams the license has, counting repeats.
    total: u32,
    /// For each slot of `license`, how many times the window scored has its bigram so far.
    seen: Vec<u32>,
    /// The window's last word so far, its number of bigrams, and how many it shares.
    prev: Option<u64>,
    window: u32,
    shared: u32,
}

impl Tally {
    /// The table of `license`'s bigrams.
    fn new(license: &Stored) -> Tally {
        let mut table = Grams::with_capacity(license.grams.len() / GRAM);
        for (h, n) in license.iter() {
            table.add(h, n);
        }
        Tally { seen: vec![0; table.counts.len()], license: table, total: license.total, prev: None, window: 0, shared: 0 }
    }

    /// Start on a window.
    fn clear(&mut self) {
        self.seen.fill(0);
        (self.prev, self.window, self.shared) = (None, 0, 0);
    }

    /// The window's next word: its bigram with the word before is shared with the license
    /// while the window has had it fewer times than the license has it.
    fn push(&mut self, h: u64) {
        if let Some(p) = self.prev {
            self.window = self.window.saturating_add(1);
            let at = self.license.slot(hash_pair(p, h));
            if let (Some(seen), Some(&n)) = (at.and_then(|i| self.seen.get_mut(i)), at.and_then(|i| self.license.counts.get(i))) {
                self.shared += u32::from(*seen < n);
                *seen += 1;
            }
        }
        self.prev = Some(h);
    }

    /// The window's score: `Grams::new(view).dice(license)`, for the words of `view`.
    fn dice(&self) -> f32 {
        if self.window == 0 || self.total == 0 {
            return 0.0;
        }
        (2.0 * self.shared as f32) / ((self.window as usize + self.total as usize) as f32)
    }
}

/// A text's bigrams as [`Grams::write`] wrote them, read in place.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// How many bigrams, counting repeats.
    total: u32,
    /// `(hash, count)` records, sorted.
    grams: &'a [u8],
}

impl Stored<'_> {
    /// The bigrams and their counts, sorted.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.grams.chunks_exact(GRAM).filter_map(|g| {
            let (h, n) = g.split_at(8);
            Some((u64::from_le_bytes(h.try_into().ok()?), u32::from_le_bytes(n.try_into().ok()?)))
        })
    }

    /// The same bigrams as `grams`?
    #[cfg(test)]
    pub fn is(&self, grams: &Grams) -> bool {
        self.total == grams.total && self.iter().collect::<Vec<_>>() == grams.sorted()
    }
}

/// A bigram's hash from its words' (ordered: `a b` is not `b a`).
fn hash_pair(a: u64, b: u64) -> u64 {
    (a.rotate_left(29) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Call `f` on each word the second stage leaves of `view`, and its hash (FNV-1a), in
/// order.
fn for_each_word(view: &str, mut f: impl FnMut(&str, u64)) {
    let stripped = strip_common_prefix(view);
    let mut text = drop_punctuation(&stripped);
    if !text.is_ascii() {
        // Lowercasing is the whole text's (a final sigma depends on what follows it).
        text = text.to_lowercase();
    }
    for_each_part(&text, |part| {
        let part = text.get(part).unwrap_or_default();
        split_words(part, |w, h| f(part.get(w).unwrap_or_default(), h));
    });
}

/// Call `f` on each part of `text` (a view with punctuation dropped, lowercased) whose
/// words the second stage keeps, in order: all of it but a title and copyright statements.
fn for_each_part(text: &str, mut f: impl FnMut(Range<usize>)) {
    let title = title_len(text);
    let rest = text.get(title..).unwrap_or_default();
    let mut at = 0;
    for cut in copyright_statements(rest).iter().chain(std::iter::once(&(rest.len()..rest.len()))) {
        // A statement is replaced by a paragraph break, which only separates words.
        f(title + at..title + cut.start);
        at = cut.end;
    }
}

/// Call `f` on where each run of characters other than white space in `text` is, and its
/// hash. `text` has no ASCII characters but word characters and white space left, so an
/// ASCII byte is white space if and only if it is a space or a control character.
fn split_words(text: &str, mut f: impl FnMut(Range<usize>, u64)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        // White space.
        loop {
            match bytes.get(i) {
                None => return,
                Some(&b) if b < 0x80 => {
                    if b > b' ' {
                        break;
                    }
                    i += 1;
                }
                Some(_) => match char_at(text, i) {
                    Some((c, len)) if is_space(c) => i += len,
                    _ => break,
                },
            }
        }
        // A word.
        let start = i;
        let mut hash = FNV_START;
        loop {
            match bytes.get(i) {
                Some(&b) if b > b' ' && b < 0x80 => {
                    hash = fnv(hash, b);
                    i += 1;
                }
                Some(&b) if b >= 0x80 => match char_at(text, i) {
                    Some((c, len)) if !is_space(c) => {
                        hash = bytes.get(i..i + len).unwrap_or_default().iter().fold(hash, |h, &b| fnv(h, b));
                        i += len;
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        f(start..i, hash);
    }
}

/// The prefix [`strip_common_prefix`] counts for a line and the next: what they start
/// with alike, trimmed, if longer than 3 bytes both before and after trimming.
fn common_prefix<'a>(prev: &'a str, line: &str) -> Option<&'a str> {
    let same = prev.bytes().zip(line.bytes()).take_while(|(a, b)| a == b).count();
    if same <= 3 {
        return None;
    }
    let mut end = same;
    while !prev.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = prev.get(..end).unwrap_or_default().trim();
    (prefix.len() > 3).then_some(prefix)
}

/// `text` without the prefix most of its lines share, if they do: askalono counts the
/// common prefix (trimmed, if longer than 3 bytes) of each line with the next, takes the
/// most frequent, and removes it when it and the prefixes that extend it count at least
/// 80% of the lines.
fn strip_common_prefix(text: &str) -> Cow<'_, str> {
    let mut prefixes: Vec<&str> = Vec::new();
    let mut lines = text.split('\n');
    let mut line_count: usize = 1;
    if let Some(mut prev) = lines.next() {
        for line in lines {
            line_count += 1;
            prefixes.extend(common_prefix(prev, line));
            prev = line;
        }
    }
    if prefixes.is_empty() {
        return Cow::Borrowed(text);
    }
    prefixes.sort_unstable();
    // Each prefix with askalono's count for it: one more than the times it was seen.
    let mut counted: Vec<(&str, u32)> = Vec::new();
    for p in prefixes {
        match counted.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => counted.push((p, 2)),
        }
    }
    let top = counted.iter().map(|c| c.1).max().unwrap_or(0);
    // askalono takes any of the most frequent (the last its hash map yields); the first
    // in byte order here. (Over the corpus, such a tie never decided whether to strip.)
    let Some(&(most_common, _)) = counted.iter().find(|c| c.1 == top) else { return Cow::Borrowed(text) };
    let common: u32 = counted.iter().filter(|(p, _)| p.starts_with(most_common)).map(|c| c.1).sum();
    if common < (0.8f32 * line_count as f32) as u32 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.strip_prefix(most_common).unwrap_or(line).trim());
    }
    Cow::Owned(out)
}

/// `text` with `\r`, `\v` and `\f` made line breaks, runs of three or more breaks made two,
/// and then everything but word characters and white space dropped; ASCII lowercased.
fn drop_punctuation(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    Dropper::new().push(text, &mut out);
    // (Whole characters are kept, so this never fails.)
    String::from_utf8(out).unwrap_or_default()
}

/// [`drop_punctuation`] as a stream: a text pushed in pieces comes out as it would whole
/// (what a piece makes of a line break depends on how many came just before it).
struct Dropper {
    /// For each ASCII byte: 0 to drop it, 1 for a line break, else what to write.
    action: [u8; 128],
    /// How many line breaks in a row were pushed last.
    breaks: u32,
}

impl Dropper {
    fn new() -> Dropper {
        let mut action = [0u8; 128];
        for (b, (a, &bits)) in (0u8..).zip(action.iter_mut().zip(crate::char_class::ascii())) {
            *a = match b {
                _ if is_break(b) => 1,
                _ if bits & WORD_OR_SPACE != 0 => b.to_ascii_lowercase(),
                _ => 0,
            };
        }
        Dropper { action, breaks: 0 }
    }

    /// Append what `text` becomes to `out`.
    fn push(&mut self, text: &str, out: &mut Vec<u8>) {
        let bytes = text.as_bytes();
        // Written by index into room as long as the text (nothing grows), for speed.
        let mut n = out.len();
        out.resize(n + bytes.len(), 0);
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if let Some(&a) = self.action.get(usize::from(b)) {
                i += 1;
                if a > 1 {
                    self.breaks = 0;
                    if let Some(o) = out.get_mut(n) {
                        *o = a;
                    }
                    n += 1;
                } else if a == 1 {
                    self.breaks = self.breaks.saturating_add(1);
                    if self.breaks <= 2 {
                        if let Some(o) = out.get_mut(n) {
                            *o = b'\n';
                        }
                        n += 1;
                    }
                } else {
                    self.breaks = 0;
                }
                continue;
            }
            self.breaks = 0;
            let Some((c, len)) = char_at(text, i) else { break };
            if class(c) & WORD_OR_SPACE != 0 {
                if let (Some(o), Some(this)) = (out.get_mut(n..n + len), bytes.get(i..i + len)) {
                    o.copy_from_slice(this);
                }
                n += len;
            }
            i += len;
        }
        out.truncate(n);
    }
}

/// How much of the start of `text` is a title line askalono removes: a first line that
/// ends in `license`, `license version X` or `license[ version X] copyright …`, followed by
/// a blank line.
fn title_len(text: &str) -> usize {
    let Some(nl) = text.find('\n') else { return 0 };
    let (line, rest) = text.split_at(nl);
    if !rest.starts_with("\n\n") {
        return 0;
    }
    let copyright = |r: &str| r.is_empty() || r.starts_with(" copyright");
    let title_end = |tail: &str| {
        copyright(tail)
            || tail.strip_prefix(" version ").is_some_and(|v| {
                let n = v.find(is_space).unwrap_or(v.len());
                n > 0 && v.get(n..).is_some_and(copyright)
            })
    };
    if line.match_indices("license").any(|(i, l)| title_end(line.get(i + l.len()..).unwrap_or_default())) {
        nl + 2
    } else {
        0
    }
}

/// The copyright statements askalono removes from `text`, in order, as its regex finds
/// them: a line starting `copyright` that is a paragraph of its own (after a blank line or
/// at the start of the text), the first line if it mentions copyright anywhere, or a line
/// starting `copyright` followed by years or `c` (which may run on over line breaks).
fn copyright_statements(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // A statement starts at the start of the text, or else at a line start where the
    // line starts with `copyright`, or at the line break before a blank line and a line
    // that starts with spaces and `copyright`: so only the places that word is found
    // are looked at, rather than each line start and line break.
    let starts = memchr::memmem::find_iter(bytes, "copyright").flat_map(|at| {
        let line = bytes.get(..at).and_then(|b| memchr::memrchr(b'\n', b)).map_or(0, |i| i + 1);
        let spaces = bytes.get(line..at).is_some_and(|s| s.iter().all(|&b| b == b' '));
        let paragraph = line.checked_sub(2).filter(|&p| spaces && bytes.get(p..line) == Some(b"\n\n"));
        paragraph.into_iter().chain((line == at).then_some(at))
    });
    let mut out = Vec::new();
    // Where the regex goes on looking: past the last statement found.
    let mut from = 0;
    for p in std::iter::once(0).chain(starts) {
        if p < from {
            continue;
        }
        if let Some(end) = copyright_at(text, p) {
            out.push(p..end);
            from = end.max(p + 1);
        }
    }
    out
}

/// The end of the copyright statement that starts at `p`, if one does.
fn copyright_at(text: &str, p: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(p..p + 2) == Some(b"\n\n") {
        if let Some(end) = own_paragraph(text, p + 2) {
            return Some(end);
        }
    }
    if p == 0 {
        let breaks = bytes.iter().take_while(|&&b| b == b'\n').count();
        if let Some(end) = own_paragraph(text, breaks) {
            return Some(end);
        }
        let end = line_end(text, 0);
        if text.get(..end).is_some_and(|l| l.contains("copyright")) {
            return Some(end);
        }
    }
    if p == 0 || bytes.get(p - 1) == Some(&b'\n') {
        return with_years(text, p);
    }
    None
}

/// The end of the blank line after the line at `start`, if that line is spaces and then
/// `copyright…` and a blank line follows it.
fn own_paragraph(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let spaces = rest.bytes().take_while(|&b| b == b' ').count();
    if !rest.get(spaces..)?.starts_with("copyright") {
        return None;
    }
    let end = line_end(text, start);
    text.get(end..)?.starts_with("\n\n").then_some(end + 2)
}

/// The end of the statement at line start `p`, if the line starts `copyright` and one or
/// more times white space and `c` or digits follow: the end of the line those end on.
fn with_years(text: &str, p: usize) -> Option<usize> {
    if !text.get(p..)?.starts_with("copyright") {
        return None;
    }
    let mut at = p + "copyright".len();
    let mut any = false;
    loop {
        let tail = text.get(at..)?;
        let space = tail.find(|c: char| !is_space(c)).unwrap_or(tail.len());
        let next = tail.get(space..)?;
        match next.chars().next() {
            Some('c') if space > 0 => at += space + 1,
            Some(c) if space > 0 && class(c) & DIGIT != 0 => {
                at += space + next.find(|c: char| class(c) & DIGIT == 0).unwrap_or(next.len());
            }
            _ => break,
        }
        any = true;
    }
    any.then(|| line_end(text, at))
}

/// The index of the first `\n` at or after `from`, or the end of `text`.
fn line_end(text: &str, from: usize) -> usize {
    text.get(from..).and_then(|r| r.find('\n')).map_or(text.len(), |i| from + i)
}

/// askalono's search for the index with the best score in `left..=right`: thirds are cut
/// off on the worse side until four or fewer indices are left, and the last best of those
/// wins. Scores are kept, as some indices come up twice.
fn ternary_search(mut score: impl FnMut(usize) -> f32, mut left: usize, mut right: usize) -> (usize, f32) {
    let mut seen: Vec<(usize, f32)> = Vec::new();
    let mut score = |i: usize| {
        if let Some(&(_, s)) = seen.iter().find(|(j, _)| *j == i) {
            return s;
        }
        let s = score(i);
        seen.push((i, s));
        s
    };
    loop {
        if right - left <= 3 {
            return (left..=right).map(|i| (i, score(i))).fold((0, 0.0), |best, x| if x.1 >= best.1 { x } else { best });
        }
        let low = (left * 2 + right) / 3;
        let high = (left + right * 2) / 3;
        if score(low) > score(high) {
            right = high - 1;
        } else {
            left = low + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spdx::detection::TextData;

    /// The words askalono's second stage leaves of `view`, as its processed text.
    fn processed(view: &str) -> String {
        let mut words = Vec::new();
        for_each_word(view, |w, h| {
            assert_eq!(h, w.bytes().fold(FNV_START, fnv), "{w}");
            words.push(w.to_string());
        });
        words.join(" ")
    }

    /// The bigrams of `text` as `build.rs` stores a license's.
    fn stored(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        Lines::new(text).grams().write(&mut out);
        out
    }

    fn read(bytes: &[u8]) -> Stored<'_> {
        Grams::split(bytes).and_then(|s| s.first().copied()).unwrap_or_else(|| panic!("bigrams do not read back"))
    }

    /// This module and the crate agree on `text`: the same normalized lines, the same
    /// processed text (read from the crate's `Debug`, as it keeps it private).
    fn agree(text: &str) {
        let theirs = TextData::new(text);
        let ours = Lines::new(text);
        let lines: Vec<&str> = ours.text().split('\n').collect();
        assert_eq!(theirs.lines(), lines.as_slice(), "lines of {text:?}");
        let processed = processed(ours.text());
        let debug = format!("{theirs:?}");
        assert!(debug.contains(&format!("text_processed: {processed:?}")), "processed {text:?}: ours {processed:?}, theirs {debug}");
    }

    #[test]
    fn edge_cases_agree_with_the_crate() {
        for text in [
            "",
            "\n",
            "one",
            "MIT License\n\nPermission is hereby granted",
            "The MIT License (MIT) Copyright (c) 2024 Ann\n\nPermission",
            "Apache License\nVersion 2.0, January 2004\n\nTERMS",
            "Foo license version 2.0\n\nBar",
            "Foo license version 2.0 copyright 2024 Ann\n\nBar",
            "Foo License, Version\n\nBar",
            "Copyright (c) 2024 Ann\n\nPermission is granted.",
            "Intro\n\n  Copyright 2024 Ann\n\nMore text\nCopyright 2019\n2020 Bob and c\nc is here\n\nend",
            "a\n\n\ncopyright x\n\nb copyright\ncopyright c2019 x\ncopyright\n\n2019",
            "\n\n\n copyright me\n\nrest",
            "See https://example.org/a/b, or http:// x or https://\there HTTP://X.",
            "a4b 2004 \\ / | ⁄ x\ty\u{a0}z",
            "“Quoted” ‘text’ -- — – dashes (([[ ]])) __init__ ⓒ Ⓒ © 2024",
            "$100 + <tag> = ^~`|",
            "https://$ x, ht$tp://y, http://$$z$ $https://w",
            "Line one\r\nLine two\r\n\r\n\r\n\r\nLine three\rfour\u{b}five\u{c}six",
            "// Copyright 2024\n// Permission is hereby granted\n// to any person\n// obtaining a copy\n// of this software",
            "#### heading\n#### another\n#### third line here\n#### fourth\nlast",
            "café Σίσυφος ΣΑΣ İstanbul ﬁne e\u{301} Å",
            "- - -\n* * *\n\n...\n\n\n!!!\ntext",
            "copyright\n\ncopyright\n\ncopyright",
            "the copyright notice\ncopyright 2020 x copyright\n\n   copyright y\n\n\n\ncopyright\n\ncopyright c\ncopyright",
            "x\n\n copyright 1\n 2\ncopyright 3\n\ncopyright\n\n  copyright\nz\n\ncopyright 2019 copyright\n\n",
        ] {
            agree(text);
        }
    }

    #[test]
    fn no_character_is_in_two_run_classes() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert!((class(c) & RUNS).count_ones() <= 1, "{c:?}");
        }
    }

    #[test]
    fn license_texts_and_fixtures_agree_with_the_crate() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = crate::identify::license_texts().map(str::to_string).collect();
        for dir in ["fixtures/clean", "fixtures/restricted"] {
            for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
                texts.extend(std::fs::read_to_string(entry.path()));
            }
        }
        texts.push(std::fs::read_to_string(root.join("LICENSE-APACHE")).unwrap_or_default());
        assert!(texts.len() > 100);
        let licenses: Vec<(TextData, Vec<u8>)> =
            ["MIT", "Apache-2.0", "BSD-3-Clause"].iter().filter_map(|id| crate::identify::license_text(id)).map(|t| (TextData::new(t), stored(t))).collect();
        assert_eq!(licenses.len(), 3);
        for text in &texts {
            agree(text);
            let (theirs, ours) = (TextData::new(text), Lines::new(text));
            let grams = ours.grams();
            for (data, g) in &licenses {
                assert_eq!(theirs.match_score(data).to_bits(), grams.dice(&read(g)).to_bits());
            }
        }
    }

    #[test]
    fn windows_agree_with_the_crate() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mit = std::fs::read_to_string(root.join("fixtures/clean/mit.txt")).unwrap_or_default();
        let license = crate::identify::license_text("MIT").unwrap_or_default();
        for text in [
            format!("Some words before it\nand more\n\n{mit}\n\nand after it\na few lines\nof text"),
            format!("{mit}\n\nThen a long tail of other words that go on and on.\n\nMore of it."),
            mit.clone(),
            "unrelated\ntext".to_string(),
        ] {
            let (_, theirs) = TextData::new(&text).optimize_bounds(&TextData::new(license));
            let ours = Lines::new(&text).best_window_score(&read(&stored(license)));
            assert_eq!(theirs.to_bits(), ours.to_bits(), "{text}");
        }
    }

    #[test]
    fn window_tallies_score_as_window_bigrams() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mit = std::fs::read_to_string(root.join("fixtures/clean/mit.txt")).unwrap_or_default();
        let text = format!("Intro line\n\nCopyright 2024 Ann\n\n{mit}\n\n{mit}\nand a tail\nof a few lines");
        let lines = Lines::new(&text);
        let stage2 = Stage2::new(&lines);
        for id in ["MIT", "ISC"] {
            let license = stored(crate::identify::license_text(id).unwrap_or_default());
            let license = read(&license);
            let mut tally = Tally::new(&license);
            for start in 0..=lines.len() {
                for end in start..=lines.len() {
                    tally.clear();
                    stage2.window_words(&lines, start, end, |h| tally.push(h));
                    let view = lines.view(start, end);
                    assert_eq!(tally.dice().to_bits(), Grams::new(view).dice(&license).to_bits(), "{id} {start}..{end}");
                }
            }
        }
    }

    /// Each window's words, taken from the second stage of the whole text, are those of the
    /// stage run on the window's view: around runs of line breaks (`\r` and blank lines,
    /// with punctuation between them or not), titles and copyright statements at a
    /// window's start and end, final sigmas at a line's end, and prefixes to strip.
    #[test]
    fn windows_of_the_whole_second_stage_are_the_windows_own() {
        for text in [
            "MIT License\n\nCopyright (c) 2024 Ann\n\n\n\nPermission is granted\n\r\rto all\n.\n\n.\nof it\n\n\n",
            "a b\r\n\r\nc d\r\n\r\n\r\n\r\ne f\r\n\u{b}\u{c}g h\r\n",
            "\r\r\rone\n\n\ntwo license\n\nthree\ncopyright 2019\n2020 Bob\nfour\n\n  copyright me\n\nfive",
            "ΟΔΟΣ ΣΑΣ\nΣ x\n\nΌΣ. Σ\n\rΣα ΣΑΣ.\n\n\nİstanbul Σ\n-Σ-\n",
            "## NOTE: Copyright 2024\n## NOTE: Permission is granted\n## NOTE: to any person\n## NOTE: obtaining a copy\n## NOTE: of this\nplain\nlines\nhere",
            "Foo License\n\nThe license copyright notice\n\nCopyright\n\nBar\nCopyright c 2020\n\n\nBaz license version 2\n\nqux",
        ] {
            let lines = Lines::new(text);
            let stage2 = Stage2::new(&lines);
            for start in 0..=lines.len() {
                for end in start..=lines.len() {
                    let mut ours = Vec::new();
                    stage2.window_words(&lines, start, end, |h| ours.push(h));
                    let mut theirs = Vec::new();
                    for_each_word(lines.view(start, end), |_, h| theirs.push(h));
                    assert_eq!(ours, theirs, "{text:?} {start}..{end}");
                }
            }
        }
    }

    /// The same over the texts listed, one path a line, in the file `OSDLINT_AGREE_LIST`
    /// (e.g. a corpus): `OSDLINT_AGREE_LIST=list cargo test --release -- --ignored agree`.
    #[test]
    #[ignore = "needs a list of texts in OSDLINT_AGREE_LIST"]
    fn listed_texts_agree_with_the_crate() {
        let Ok(list) = std::env::var("OSDLINT_AGREE_LIST") else { return };
        let list = std::fs::read_to_string(list).unwrap_or_default();
        let licenses: Vec<(TextData, Vec<u8>)> = crate::identify::license_texts().map(|t| (TextData::new(t), stored(t))).collect();
        for path in list.lines() {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let text = String::from_utf8_lossy(&bytes).into_owned();
            agree(&text);
            let (theirs, ours) = (TextData::new(&text), Lines::new(&text).grams());
            for (data, g) in &licenses {
                assert_eq!(theirs.match_score(data).to_bits(), ours.dice(&read(g)).to_bits(), "{path}");
            }
        }
    }
}
