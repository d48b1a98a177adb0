//! The matcher: one aho-corasick pass over the normalized text picks, per sentence, the
//! rules whose trigger literals occur there; only those rules' regexes run, and a rule's
//! exclusions (its `unless` regexes and named guards) veto a sentence.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde_json::{Map, Value};

use crate::normalize::{normalize, Normalized};
use crate::rules::{Pattern, Regex, RuleSet, Severity};
use crate::segment::sentences;

/// One finding, with spans into the text that was linted.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    pub severity: Severity,
    /// Byte range of the offending words in the linted text.
    pub span: Range<usize>,
    /// Byte range of the sentence it was found in.
    pub sentence: Range<usize>,
    pub facts: Map<String, Value>,
}

/// Rules ready to match: the loaded set plus the shared prefilter.
pub struct Linter {
    /// Tells this linter's caches from another's in a thread's scratch space.
    id: usize,
    pub set: RuleSet,
    prefilter: AhoCorasick,
    /// For each prefilter literal, the rules that listed it.
    literal_rules: Vec<Vec<u16>>,
}

/// Texts longer than this are linted in pieces cut at paragraph breaks, so memory stays
/// bounded by the piece, not the file.
const CHUNK: usize = 1 << 20;

impl Linter {
    pub fn new(set: RuleSet) -> Result<Linter, aho_corasick::BuildError> {
        let mut literals: Vec<String> = Vec::new();
        let mut literal_rules: Vec<Vec<u16>> = Vec::new();
        for (ri, rule) in set.rules.iter().enumerate() {
            for t in rule.triggers.iter().filter(|t| !t.is_empty()) {
                let li = match literals.iter().position(|l| l == t) {
                    Some(i) => i,
                    None => {
                        literals.push(t.clone());
                        literal_rules.push(Vec::new());
                        literals.len() - 1
                    }
                };
                // Checked in RuleSet::finish: fewer than 65536 rules.
                let ri = u16::try_from(ri).unwrap_or(u16::MAX);
                if !literal_rules[li].contains(&ri) {
                    literal_rules[li].push(ri);
                }
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&literals)?;
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        Ok(Linter {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            set,
            prefilter,
            literal_rules,
        })
    }

    /// Lint a decoded text with every rule.
    pub fn lint(&self, text: &str) -> Vec<Finding> {
        self.lint_filtered(text, None)
    }

    /// Lint with every rule, or with one rule only (for its examples).
    pub fn lint_filtered(&self, text: &str, only: Option<usize>) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = chunk_end(text, start);
            let piece = &text[start..end];
            let norm = normalize(piece);
            for mut f in self.lint_normalized(piece, &norm, only) {
                f.span = f.span.start + start..f.span.end + start;
                f.sentence = f.sentence.start + start..f.sentence.end + start;
                out.push(f);
            }
            start = end;
        }
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, &self.set.rules[a.rule].id).cmp(&(b.span.start, b.span.end, &self.set.rules[b.rule].id))
        });
        out
    }

    fn lint_normalized(&self, original: &str, norm: &Normalized, only: Option<usize>) -> Vec<Finding> {
        let sents = sentences(&norm.text);
        // Sentences are found; inside one, a kept paragraph break is just a space, so
        // rules can write plain spaces. Same length, so offsets hold.
        let flat = norm.text.replace('\n', " ");
        let text = flat.as_str();
        // (sentence, rule) pairs the prefilter calls on.
        let mut cands: Vec<(u32, u16)> = Vec::new();
        for m in self.prefilter.find_overlapping_iter(text) {
            // Overlapping matches come in order of their ends, so look the start up.
            let si = sents.partition_point(|s| s.end <= m.start());
            if sents.get(si).is_none_or(|s| s.start > m.start()) {
                continue;
            }
            for &r in &self.literal_rules[m.pattern().as_usize()] {
                if only.is_none_or(|o| o == r as usize) {
                    cands.push((si as u32, r));
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();

        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            if scratch.linter != self.id {
                scratch.linter = self.id;
                scratch.caches.clear();
            }
            scratch.caches.resize_with(self.set.pattern_count(), || None);
            self.confirm(original, norm, text, &sents, cands, &mut scratch)
        })
    }

    fn confirm(
        &self,
        original: &str,
        norm: &Normalized,
        text: &str,
        sents: &[Range<usize>],
        cands: Vec<(u32, u16)>,
        scratch: &mut Scratch,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for (s, r) in cands {
            let range = sents[s as usize].clone();
            let sentence = &text[range.clone()];
            let rule = &self.set.rules[r as usize];
            let vetoed = rule.unless.iter().any(|p| scratch.is_match(p, sentence))
                || rule
                    .guards
                    .iter()
                    .any(|&g| self.set.guards[g].regexes.iter().any(|p| scratch.is_match(p, sentence)));
            if vetoed {
                continue;
            }
            let mut found: Vec<Finding> = Vec::new();
            let groups = [(rule.severity, &rule.regexes), (Severity::Warning, &rule.warn)];
            for (severity, pats) in groups {
                for p in pats.iter() {
                    for (whole, groups) in scratch.captures(p, sentence) {
                        let hit = groups.iter().find(|(n, _)| *n == "hit").map_or(whole, |(_, r)| r.clone());
                        let hit = trim_range(sentence, snap(sentence, hit));
                        if hit.is_empty() || found.iter().any(|f| overlaps(&f.span, &hit)) {
                            continue;
                        }
                        let named: Vec<(&str, &str)> = groups
                            .iter()
                            .filter(|(n, _)| *n != "hit")
                            .filter_map(|(n, r)| sentence.get(snap(sentence, r.clone())).map(|t| (*n, t)))
                            .collect();
                        found.push(Finding {
                            rule: r as usize,
                            severity,
                            span: hit,
                            sentence: range.clone(),
                            facts: crate::facts::from_captures(&named),
                        });
                    }
                }
            }
            for mut f in found {
                let (a, b) = norm.original_span(original, range.start + f.span.start, range.start + f.span.end);
                let (sa, sb) = norm.original_span(original, range.start, range.end);
                f.span = a..b;
                f.sentence = sa..sb;
                out.push(f);
            }
        }
        out
    }
}

/// A thread's search caches, one slot per regex of the linter last used on the thread.
/// Owning them (rather than sharing the regex crate's pool) keeps memory to the rules a
/// thread actually ran, and keeps threads from contending for caches.
#[derive(Default)]
struct Scratch {
    linter: usize,
    caches: Vec<Option<regex_automata::meta::Cache>>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch { linter: usize::MAX, caches: Vec::new() });
}

type Groups<'r> = Vec<(&'r str, Range<usize>)>;

impl Scratch {
    fn cache(&mut self, p: &Pattern, re: &Regex) -> Option<&mut regex_automata::meta::Cache> {
        let slot = self.caches.get_mut(p.index)?;
        Some(slot.get_or_insert_with(|| re.create_cache()))
    }

    fn is_match(&mut self, p: &Pattern, text: &str) -> bool {
        let Some(re) = p.regex() else { return false };
        let Some(cache) = self.cache(p, re) else { return false };
        re.is_match_with(cache, &regex_automata::Input::new(text.as_bytes()))
    }

    /// Every match of `p` in `text`: the whole match and the named groups.
    fn captures<'r>(&mut self, p: &'r Pattern, text: &str) -> Vec<(Range<usize>, Groups<'r>)> {
        let mut out = Vec::new();
        let Some(re) = p.regex() else { return out };
        let Some(cache) = self.cache(p, re) else { return out };
        let hay = text.as_bytes();
        let mut input = regex_automata::Input::new(hay);
        // Only a regex with named groups needs the capture engines; the rest stop at the
        // match bounds the DFAs find.
        let named = re.group_info().pattern_names(regex_automata::PatternID::ZERO).flatten().count() > 0;
        let mut caps = re.create_captures();
        loop {
            let m = if named {
                re.search_captures_with(cache, &input, &mut caps);
                caps.get_match()
            } else {
                re.search_with(cache, &input)
            };
            let Some(m) = m else { break };
            let groups = if named {
                re.group_info()
                    .pattern_names(regex_automata::PatternID::ZERO)
                    .flatten()
                    .filter_map(|n| caps.get_group_by_name(n).map(|s| (n, s.range())))
                    .collect()
            } else {
                Vec::new()
            };
            out.push((m.range(), groups));
            let next = if m.is_empty() { m.end() + 1 } else { m.end() };
            if next > hay.len() {
                break;
            }
            input.set_start(next);
        }
        out
    }
}

/// Widen a byte range to character boundaries: a byte regex's `.` can start or end a
/// match inside a multi-byte character.
fn snap(text: &str, r: Range<usize>) -> Range<usize> {
    let (mut s, mut e) = (r.start.min(text.len()), r.end.min(text.len()));
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    s..e
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Shrink a match so it neither starts nor ends with spaces or punctuation.
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let junk = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '(' | ')');
    let lead = s.len() - s.trim_start_matches(junk).len();
    let body = s.trim_start_matches(junk).trim_end_matches(junk);
    r.start + lead..r.start + lead + body.len()
}

/// Where the piece of `text` that starts at `start` should end: at a paragraph break
/// (a blank line) near `CHUNK` bytes on, else a line break, else a sentence end, else a
/// character boundary.
fn chunk_end(text: &str, start: usize) -> usize {
    if text.len() - start <= CHUNK {
        return text.len();
    }
    let window = &text.as_bytes()[start + CHUNK / 2..start + CHUNK];
    let base = start + CHUNK / 2;
    let cut = memchr::memmem::rfind(window, b"\n\n")
        .map(|i| base + i + 2)
        .or_else(|| memchr::memmem::rfind(window, b"\r\n\r\n").map(|i| base + i + 4))
        .or_else(|| memchr::memrchr(b'\n', window).map(|i| base + i + 1))
        .or_else(|| memchr::memmem::rfind(window, b". ").map(|i| base + i + 2));
    let mut end = cut.unwrap_or(start + CHUNK);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}
