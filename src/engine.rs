//! The matcher, sentence by sentence. An Aho-Corasick pass over a sentence finds the
//! rules' trigger literals and the literals their regexes need (by one word of each,
//! then the phrase around it). Only the rules triggered there are looked at; of their
//! regexes, only those whose literal condition holds (the literals, in order, close
//! enough: see `need.rs`) are searched, first with a cheap checker, then in full where
//! the checker allows; a rule's exclusions (its `unless` regexes and named guards) veto
//! the sentence. What a sentence yields is kept for the rest of the run, keyed by a
//! digest of its words, since license texts repeat each other's sentences.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use daachorse::DoubleArrayAhoCorasick;
use serde_json::{Map, Value};
use smallvec::{smallvec, SmallVec};

use crate::normalize::{normalize, Normalized};
use crate::rules::{Need, Pattern, RuleSet, Severity};
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
    /// When a rule's `hit` group narrows the span, the words of the match before it:
    /// usually the restrictive frame ("must not be used for"), shown as a secondary label.
    pub frame: Option<Range<usize>>,
    /// When the offending words are a term the text defines, read with its definition in
    /// its place ([`crate::defined`]): the definition's words.
    pub defined: Option<Range<usize>>,
    pub facts: Map<String, Value>,
}

/// Rules ready to match: the loaded set plus the shared prefilter.
pub struct Linter {
    /// Tells this linter's caches from another's in a thread's scratch space.
    id: usize,
    pub set: RuleSet,
    /// One word of every trigger literal and of every literal a regex needs (its
    /// [`core`]), in automata. Phrases share their words, so an automaton holds a sixth
    /// of the bytes the phrases would, and builds in a sixth of the time. The embedded
    /// table's words are in one automaton built once a process ([`embedded_automaton`]);
    /// the words of literals loaded at run time, if any, are in a second. (Past the first
    /// [`PHRASES_AFTER`] bytes, the table's phrases are searched instead of its words:
    /// [`Linter::phrases`].)
    prefilter: Option<&'static DoubleArrayAhoCorasick<u32>>,
    extra: Option<AhoCorasick>,
    /// For each core word of the second automaton, the literals that hold it and where:
    /// a core found at `p` is the literal if the text at `p - offset` spells it out
    /// ([`KeyIndex::holders`] has the table's).
    cores: Vec<crate::rules::Holders>,
    /// Every literal, by id.
    literals: Literals,
    /// What a prefilter literal found in a sentence does, by literal id: its rules (those
    /// that listed it as a trigger) are `called[start(i)..start(i + 1)]`, where `start` is
    /// the low 31 bits of `calls`, and its top bit says whether some regex condition names
    /// it. One array of 4-byte entries: the literal hits of a long text land anywhere in
    /// it, so it is kept small (a vector of vectors cost a cache miss a hit, about a
    /// twentieth of a run over a large file).
    calls: Vec<u32>,
    called: Vec<u16>,
    /// For each regex (by [`Pattern::index`]), its literal condition over prefilter ids,
    /// and whether it has an order to check ([`Cond::ordered`]); made on first use from
    /// `encoded` for an embedded regex ([`Linter::cond`]).
    conds: Vec<OnceLock<Prepared>>,
    /// An embedded regex's encoded condition ([`Pattern::encoded_need`]).
    encoded: Vec<Option<&'static [u8]>>,
    /// The embedded literal table, whose indexes are the first literal ids.
    table: crate::rules::Table,
    /// What each sentence linted so far yielded, by [`sentence_key`]; `None` for nothing.
    memo: Mutex<Memo>,
    /// How many sentences the memo was asked for, and how many it had
    /// ([`Linter::memo_wanted`]).
    memo_asked: std::sync::atomic::AtomicUsize,
    memo_found: std::sync::atomic::AtomicUsize,
    /// How many bytes this linter was given so far: past [`PHRASES_AFTER`], sentences
    /// are searched with the embedded phrase automaton ([`embedded_phrases`]).
    given: std::sync::atomic::AtomicUsize,
    /// For each literal id, the regexes (by [`Pattern::index`]) whose condition needs
    /// one of a set of literals it belongs to ([`Cond::key`]); and for each regex whether
    /// it has such a key. A sentence only looks at the conditions of keyed regexes whose
    /// key it holds.
    by_literal: KeyIndex,
    keyed: Vec<bool>,
    /// A bit for each regex without a key, in the words of [`Seen::maybe`].
    unkeyed: Vec<u64>,
    /// For each rule, where its regexes and then its warnings are among the regexes'
    /// indexes, when each list has indexes that follow on (`RuleSet` numbers them so):
    /// a sentence reads off which of them to look at from the bits of the keys it holds
    /// and of the unkeyed regexes, a few words a rule, rather than looking at each of the
    /// hundreds of regexes of the rules its literals call on.
    spans: Vec<Option<RuleSpan>>,
}

/// A term the text defines as a use, an activity or a class of people, whose definition
/// restricts ([`Linter::restricted_terms`]).
struct Term {
    term: String,
    /// The definition's words.
    body: String,
    /// Where they are in the normalized text.
    at: Range<usize>,
}

/// A rule's regexes are the indexes `start..warn`, its warnings `warn..end`.
#[derive(Clone, Copy)]
struct RuleSpan {
    start: usize,
    warn: usize,
    end: usize,
}

impl RuleSpan {
    fn of(rule: &crate::rules::Rule) -> Option<RuleSpan> {
        let follow_on = |v: &[Pattern], from: usize| v.iter().enumerate().all(|(k, p)| p.index == from + k);
        let start = rule.regexes.first().or(rule.warn.first())?.index;
        let warn = start + rule.regexes.len();
        (follow_on(&rule.regexes, start) && follow_on(&rule.warn, warn)).then_some(RuleSpan { start, warn, end: warn + rule.warn.len() })
    }
}

/// The regexes each literal id is the key of: the embedded regexes', as build.rs indexed
/// them over the table's literals; then those of regexes loaded at run time, whose keys
/// may be any literal: `regexes[starts[l]..starts[l + 1]]` (`starts` is empty when there
/// are none).
struct KeyIndex {
    pre: crate::rules::Prefilter,
    starts: Vec<u32>,
    regexes: Vec<u32>,
}

impl KeyIndex {
    fn get(&self, l: u32) -> impl Iterator<Item = &u32> {
        let at = |i: usize| self.starts.get(i).map_or(0, |&x| x as usize);
        let l = l as usize;
        let loaded = self.regexes.get(at(l)..at(l + 1)).unwrap_or_default();
        crate::rules::slice_of(self.pre.key_starts, self.pre.keyed, l).iter().chain(loaded)
    }
}

/// Sentence digest to what the sentence yielded (sentence-relative spans).
type Memo = HashMap<u128, Option<Arc<[Finding]>>, Quick>;

/// Which regexes' literal conditions are known to hold, or not, for one set of literals:
/// two bits a regex.
#[derive(Default)]
struct Verdicts {
    known: Vec<u64>,
    holds: Vec<u64>,
}

impl Verdicts {
    fn get(&self, i: usize) -> Option<bool> {
        let bit = 1 << (i % 64);
        let known = self.known.get(i / 64).is_some_and(|w| w & bit != 0);
        known.then(|| self.holds.get(i / 64).is_some_and(|w| w & bit != 0))
    }

    fn clear(&mut self) {
        self.known.fill(0);
        self.holds.fill(0);
    }

    fn set(&mut self, i: usize, holds: bool) {
        if self.known.len() <= i / 64 {
            self.known.resize(i / 64 + 1, 0);
            self.holds.resize(i / 64 + 1, 0);
        }
        let bit = 1 << (i % 64);
        if let (Some(k), Some(h)) = (self.known.get_mut(i / 64), self.holds.get_mut(i / 64)) {
            *k |= bit;
            if holds {
                *h |= bit;
            }
        }
    }
}

/// How many sets of literals a thread keeps verdicts for ([`Scratch::recent`]). A longer
/// memory (thousands of sets in a hash map) cost the corpus 4% more time than it saved.
const VERDICT_SETS: usize = 8;

/// How many sentences a thread takes at a time when one text is linted on several.
const SENTENCES_PER_TASK: usize = 8;

/// How many sentences the memo holds before it starts over: about 4 MB of keys.
const MEMO_ENTRIES: usize = 100_000;

/// The memo is asked about every sentence until it has been asked this many times; after
/// that, about every sentence only while at least one in [`MEMO_FEW`] was there.
const MEMO_TRIAL: usize = 8192;

/// Below one hit in this many questions, the memo is asked only about the sentences of
/// one key in [`MEMO_SAMPLE`] (chosen by key, so that a repeat of one of them is found
/// as often as repeats are): where sentences seldom repeat (a large numbered or generated
/// file), keeping every one cost a tenth of the time (a 20 MiB file: 250 ms, 226 ms
/// without), while over the corpus, where two in five repeat, the memo saves 7%.
const MEMO_FEW: usize = 50;

/// See [`MEMO_FEW`].
const MEMO_SAMPLE: u128 = 32;

/// A 128-bit digest of a sentence (two SipHash-1-3 passes under random keys): two
/// different sentences share one with odds far below those of a hardware error.
fn sentence_key(s: &str) -> u128 {
    use std::hash::{BuildHasher, Hasher};
    // Keys drawn once a run: no text can be written to collide with another on purpose
    // (and so borrow a harmless sentence's verdict).
    static KEYS: std::sync::OnceLock<(std::hash::RandomState, std::hash::RandomState)> = std::sync::OnceLock::new();
    let (ka, kb) = KEYS.get_or_init(|| (std::hash::RandomState::new(), std::hash::RandomState::new()));
    let (mut a, mut b) = (ka.build_hasher(), kb.build_hasher());
    a.write(s.as_bytes());
    b.write(s.as_bytes());
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// A regex's literal condition ([`crate::rules::Need`]) over prefilter literal ids.
#[derive(Debug, Clone)]
enum Cond {
    True,
    Lit(u32),
    /// One of these literals; `mask` holds their bloom bits, so a sentence without any of
    /// them is usually turned down by one AND.
    AnyLit { mask: u64, lits: Box<[u32]> },
    /// Every part, in order ([`Need::Seq`]).
    Seq(Box<[Cond]>),
    /// Satisfied by literals that end within this many bytes of the sentence's start.
    Near(u32, Box<Cond>),
    /// Inside a sequence: starts at most this many bytes after the part before it ends.
    Gap(u32, Box<Cond>),
    Any(Box<[Cond]>),
}

/// Every literal, by id: the embedded table's, then those added at run time.
struct Literals {
    table: crate::rules::Table,
    more: Vec<Vec<u8>>,
}

impl Literals {
    fn get(&self, i: usize) -> Option<&[u8]> {
        match i.checked_sub(self.table.len()) {
            None => self.table.get(i),
            Some(j) => self.more.get(j).map(Vec::as_slice),
        }
    }

    fn len(&self) -> usize {
        self.table.len() + self.more.len()
    }
}

/// A regex's condition ready to test: whether it has an order to check
/// ([`Cond::ordered`]), and the literals it cannot hold without ([`Cond::required`]),
/// tested first, one bit each, before the walk over the condition's tree.
struct Prepared {
    cond: Cond,
    ordered: bool,
    required: Box<[u32]>,
}

impl Prepared {
    fn new(cond: Cond) -> Prepared {
        let mut required = Vec::new();
        cond.required(&mut required);
        required.sort_unstable();
        required.dedup();
        Prepared { ordered: cond.ordered(), required: required.into(), cond }
    }
}

/// A hasher for short byte strings whose values come from our own rule files, not from
/// an adversary: a multiply-rotate over eight bytes at a time, where the standard
/// SipHash cost more than the rest of interning tens of thousands of literals.
#[derive(Default, Clone, Copy)]
struct Quick;

#[derive(Default)]
struct QuickHasher(u64);

impl std::hash::BuildHasher for Quick {
    type Hasher = QuickHasher;
    fn build_hasher(&self) -> QuickHasher {
        QuickHasher(0)
    }
}

impl std::hash::Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = w.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.add(u64::from_le_bytes(w) ^ (rest.len() as u64) << 59);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The product's high bits are its well-mixed ones; the table indexes by the low.
        self.0.rotate_left(26)
    }
}

impl QuickHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The bloom bit of a literal id.
fn bloom(lit: u32) -> u64 {
    1 << (lit.wrapping_mul(0x9e37_79b9) >> 26)
}

/// A sentence's literals: a bit per literal id, and the bloom bits of them all; and
/// where each occurs, as `(literal, start, end)` sorted, for ordered conditions.
struct Seen {
    bits: Vec<u64>,
    bloom: u64,
    at: Vec<(u32, u32, u32)>,
    /// The distinct literals, sorted.
    present: Vec<u32>,
    /// A bit per regex whose key ([`Cond::key`]) the sentence holds.
    maybe: Vec<u64>,
    /// A bit per rule the prefilter calls on, cleared as they are read: a literal calls on
    /// its rules each time it occurs, and sorting the repeats cost a seventh of a run over
    /// long plain texts.
    called: Vec<u64>,
}

impl Seen {
    fn has(&self, l: u32) -> bool {
        self.bits.get(l as usize / 64).is_some_and(|w| w & (1 << (l % 64)) != 0)
    }

    /// The literals of `lits` (sorted) that the sentence holds, found by walking
    /// whichever list is shorter: a choice of a hundred countries against the few
    /// literals a sentence holds, or the other way round.
    fn present_of<'a>(&'a self, lits: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        let walk_present = lits.len() > 4 * self.present.len();
        let from_present = self.present.iter().copied().filter(move |l| walk_present && lits.binary_search(l).is_ok());
        let from_lits = lits.iter().copied().filter(move |&l| !walk_present && self.has(l));
        from_present.chain(from_lits)
    }

    /// Every occurrence of literal `l`, by start.
    fn occurrences(&self, l: u32) -> &[(u32, u32, u32)] {
        let from = self.at.partition_point(|&(x, ..)| x < l);
        let rest = self.at.get(from..).unwrap_or_default();
        rest.get(..rest.partition_point(|&(x, ..)| x == l)).unwrap_or_default()
    }

    /// The end of the first occurrence of literal `l` that starts at `pos` or later.
    fn first_end(&self, l: u32, pos: u32) -> Option<u32> {
        let i = self.at.partition_point(|&(x, start, _)| (x, start) < (l, pos));
        self.at.get(i).filter(|&&(x, _, _)| x == l).map(|&(_, _, end)| end)
    }
}

/// Builds a [`Cond`] from an embedded regex's encoded [`Need`], whose literals are
/// indexes in the literal table and so their own ids. (`build.rs` writes no other kind;
/// a literal written out would only be treated as present, which is always safe.)
struct FromTable;

impl crate::rules::Build for FromTable {
    type Out = Cond;
    fn truth(&mut self) -> Cond {
        Cond::True
    }
    fn lit(&mut self, _: &'static [u8]) -> Cond {
        Cond::True
    }
    fn lit_at(&mut self, i: usize, _: &'static [u8]) -> Cond {
        Cond::Lit(i as u32)
    }
    fn any(&mut self, v: Vec<Cond>) -> Cond {
        Cond::any(v)
    }
    const TABLE_CHOICES: bool = true;
    fn any_of_table(&mut self, ids: &[u32]) -> Option<Cond> {
        Some(Cond::any_lit(ids.to_vec()))
    }
    fn seq(&mut self, v: Vec<Cond>) -> Cond {
        Cond::Seq(v.into())
    }
    fn near(&mut self, at: usize, c: Cond) -> Cond {
        Cond::Near(u32::try_from(at).unwrap_or(u32::MAX), Box::new(c))
    }
    fn gap(&mut self, at: usize, c: Cond) -> Cond {
        Cond::Gap(u32::try_from(at).unwrap_or(u32::MAX), Box::new(c))
    }
}

impl Cond {
    /// A choice; of literals alone, one [`Cond::AnyLit`] with their bloom bits.
    fn any(v: Vec<Cond>) -> Cond {
        if !v.iter().all(|c| matches!(c, Cond::Lit(_))) {
            return Cond::Any(v.into());
        }
        Cond::any_lit(v.iter().map(|c| if let Cond::Lit(l) = c { *l } else { 0 }).collect())
    }

    /// A choice of the literals `lits`, with their bloom bits.
    fn any_lit(mut lits: Vec<u32>) -> Cond {
        // Sorted, for [`Cond::holds`]'s binary search.
        lits.sort_unstable();
        lits.dedup();
        Cond::AnyLit { mask: lits.iter().fold(0, |m, &l| m | bloom(l)), lits: lits.into() }
    }

    fn lower(n: &Need, intern: &mut dyn FnMut(&[u8]) -> u32) -> Cond {
        match n {
            Need::True => Cond::True,
            Need::Lit(l) => Cond::Lit(intern(l)),
            Need::Seq(v) => Cond::Seq(v.iter().map(|n| Cond::lower(n, intern)).collect()),
            Need::Near(at, n) => Cond::Near(u32::try_from(*at).unwrap_or(u32::MAX), Box::new(Cond::lower(n, intern))),
            Need::Gap(at, n) => Cond::Gap(u32::try_from(*at).unwrap_or(u32::MAX), Box::new(Cond::lower(n, intern))),
            Need::Any(v) => Cond::any(v.iter().map(|n| Cond::lower(n, intern)).collect()),
        }
    }

    fn holds(&self, seen: &Seen) -> bool {
        match self {
            Cond::True => true,
            Cond::Lit(l) => seen.has(*l),
            Cond::AnyLit { mask, lits } => {
                // Whichever list is shorter is walked: a choice of a hundred countries
                // against the few literals a sentence holds, or the other way round.
                seen.bloom & mask != 0
                    && if lits.len() > 4 * seen.present.len() {
                        seen.present.iter().any(|l| lits.binary_search(l).is_ok())
                    } else {
                        lits.iter().any(|&l| seen.has(l))
                    }
            }
            Cond::Seq(v) => v.iter().all(|c| c.holds(seen)),
            Cond::Near(_, c) | Cond::Gap(_, c) => c.holds(seen),
            Cond::Any(v) => v.iter().any(|c| c.holds(seen)),
        }
    }

    /// A set of literals one of which must occur wherever the condition holds: of a
    /// sequence, its part whose literals look rarest (fewest, longest, by `rarity`).
    /// Writes it to `out` and returns its cost, or `None` when there is no such set (the
    /// condition is true of any sentence).
    fn key(&self, rarity: &dyn Fn(u32) -> usize, out: Option<&mut Vec<u32>>) -> Option<usize> {
        match self {
            Cond::True => None,
            Cond::Lit(l) => {
                if let Some(o) = out {
                    o.push(*l);
                }
                Some(rarity(*l))
            }
            Cond::AnyLit { lits, .. } => {
                if let Some(o) = out {
                    o.extend_from_slice(lits);
                }
                Some(lits.iter().map(|&l| rarity(l)).sum())
            }
            Cond::Seq(v) => {
                let best = v.iter().filter_map(|c| c.key(rarity, None).map(|cost| (cost, c))).min_by_key(|&(cost, _)| cost)?;
                best.1.key(rarity, out)
            }
            Cond::Near(_, c) | Cond::Gap(_, c) => c.key(rarity, out),
            Cond::Any(v) => {
                let cost = v.iter().map(|c| c.key(rarity, None)).sum::<Option<usize>>()?;
                if let Some(o) = out {
                    for c in v.iter() {
                        c.key(rarity, Some(o));
                    }
                }
                Some(cost)
            }
        }
    }

    /// The literal ids of a condition that is one literal or a choice of literals.
    fn flat(&self) -> Option<&[u32]> {
        match self {
            Cond::Lit(l) => Some(std::slice::from_ref(l)),
            Cond::AnyLit { lits, .. } => Some(lits),
            _ => None,
        }
    }

    /// [`Cond::reach`] of a sequence. While its parts are literals, every place each
    /// part can end is kept, so that the next part's gap ([`Cond::Gap`]) can be checked
    /// against each; after any other part only its earliest end is known, and the next
    /// part's gap is not checked.
    fn reach_seq(parts: &[Cond], seen: &Seen, pos: u32) -> Option<u32> {
        // The places the parts so far can end, and the next part's (two buffers, swapped;
        // inline, as a sentence seldom holds more than a few of a literal: allocating
        // them was a tenth of this function's cost on long plain text).
        let (mut ends, mut next): (SmallVec<[u32; 8]>, SmallVec<[u32; 8]>) = (smallvec![pos], SmallVec::new());
        let mut every = false;
        for c in parts {
            let (gap, part) = match c {
                Cond::Gap(g, part) => (Some(*g), part.as_ref()),
                c => (None, c),
            };
            let lo = *ends.first()?;
            next.clear();
            match part.flat() {
                Some(lits) => {
                    for l in seen.present_of(lits) {
                        for &(_, start, end) in seen.occurrences(l) {
                            let fits = match gap.filter(|_| every) {
                                // The latest end at or before `start` is the closest.
                                Some(g) => {
                                    let before = ends.partition_point(|&e| e <= start);
                                    before.checked_sub(1).and_then(|i| ends.get(i)).is_some_and(|&e| start - e <= g)
                                }
                                None => start >= lo,
                            };
                            if fits {
                                next.push(end);
                            }
                        }
                    }
                    next.sort_unstable();
                    next.dedup();
                    every = true;
                }
                None => {
                    every = false;
                    next.push(part.reach(seen, lo)?);
                }
            }
            if next.is_empty() {
                return None;
            }
            std::mem::swap(&mut ends, &mut next);
        }
        ends.first().copied()
    }

    /// Literals that occur wherever the condition holds (those of its sequences' plain
    /// literal parts; a choice contributes none), added to `out`.
    fn required(&self, out: &mut Vec<u32>) {
        match self {
            Cond::Lit(l) => out.push(*l),
            Cond::AnyLit { lits, .. } if lits.len() == 1 => out.extend_from_slice(lits),
            Cond::Seq(v) => v.iter().for_each(|c| c.required(out)),
            Cond::Near(_, c) | Cond::Gap(_, c) => c.required(out),
            Cond::Any(_) | Cond::True | Cond::AnyLit { .. } => {}
        }
    }

    /// Whether the condition has an order to check beyond [`Cond::holds`].
    fn ordered(&self) -> bool {
        match self {
            Cond::Seq(_) | Cond::Near(..) | Cond::Gap(..) => true,
            Cond::Any(v) => v.iter().any(Cond::ordered),
            _ => false,
        }
    }

    /// Where the earliest way to satisfy the condition with literals that start at `pos`
    /// or later ends, if there is one. Taking the earliest end for each part of a
    /// sequence leaves the most room for the parts after it, so a sequence fails only
    /// where no order of its literals fits.
    /// Offsets are from the start of the sentence.
    fn reach(&self, seen: &Seen, pos: u32) -> Option<u32> {
        match self {
            Cond::True => Some(pos),
            Cond::Lit(l) => seen.first_end(*l, pos),
            Cond::AnyLit { lits, .. } => seen.present_of(lits).filter_map(|l| seen.first_end(l, pos)).min(),
            Cond::Seq(v) => Cond::reach_seq(v, seen, pos),
            // A gap is checked by the sequence it is part of.
            Cond::Gap(_, c) => c.reach(seen, pos),
            // The earliest end is the only one that can be near enough.
            Cond::Near(within, c) => c.reach(seen, pos).filter(|&end| end <= *within),
            Cond::Any(v) => v.iter().filter_map(|c| c.reach(seen, pos)).min(),
        }
    }
}

/// For each sentence of `flat`, the words that introduce the list it is an item of, when
/// they are a prohibition: "you agree not to: (a) resell it. (b) host it." makes two
/// sentences, and the second says nothing restrictive on its own. The words run from the
/// start of the introducing sentence to its colon; they carry on over consecutive items
/// (sentences that start with a list marker) and end at the first sentence that is not
/// one.
fn list_leads(flat: &str, sents: &[Range<usize>]) -> Vec<Option<Range<usize>>> {
    let mut out = Vec::with_capacity(sents.len());
    let mut lead: Option<Range<usize>> = None;
    for r in sents {
        let s = flat.get(r.clone()).unwrap_or_default();
        let item = starts_list_item(s);
        if !item {
            lead = None;
        }
        // An item that is a whole clause of its own ("(ii) licensee acknowledges that
        // ...") does not continue the introduction, though the list goes on.
        out.push(lead.clone().filter(|_| !has_own_subject(s)));
        if let Some(colon) = prohibition_lead_in(s).filter(|&c| c < MAX_LEAD) {
            lead = Some(r.start..r.start + colon + 1);
        }
    }
    out
}

/// Whether a sentence starts with a list marker: `(a) `, `b) `, `3. `, `iv. `, `- `, `• `.
fn starts_list_item(s: &str) -> bool {
    let b = s.as_bytes();
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("\u{2022} ") || s.starts_with("\u{b7} ") {
        return true;
    }
    let body = usize::from(b.first() == Some(&b'('));
    let n = b.iter().skip(body).take_while(|c| c.is_ascii_digit() || c.is_ascii_lowercase()).count();
    // Section-style numbers: "a.1 ", "2.3 ", "4.1.2 " (a letter or number, then numbers).
    let sub = |at: usize| b.get(at) == Some(&b'.') && b.get(at + 1).is_some_and(u8::is_ascii_digit);
    if body == 0 && (1..=2).contains(&n) && sub(n) {
        let mut at = n;
        while sub(at) {
            at += 1 + b.iter().skip(at + 1).take_while(|c| c.is_ascii_digit()).count();
        }
        return at <= 9 && b.get(at) == Some(&b' ');
    }
    let close = b.get(body + n).copied();
    // "(a)", "3.", "iv)": short, and letters only as a single letter or a roman numeral.
    let label = s.get(body..body + n).unwrap_or_default();
    let short = (1..=3).contains(&n)
        && (label.bytes().all(|c| c.is_ascii_digit()) || n == 1 || label.bytes().all(|c| matches!(c, b'i' | b'v' | b'x')));
    short && matches!(close, Some(b')') | Some(b'.')) && b.get(body + n + 1) == Some(&b' ')
}

/// How the word after a determiner begins when it names a party ("the licensee", "the
/// users", "the company"), which makes an item a clause of its own ([`has_own_subject`]).
const PARTY_STEMS: &[&str] =
    &["licens", "user", "customer", "recipient", "compan", "developer", "author", "owner", "vendor", "contributor", "member", "organi", "entit"];

/// Whether a list item opens with a subject of its own rather than with what the
/// introduction leads into (`sell ...`, `use ...`, `develop ...`).
fn has_own_subject(item: &str) -> bool {
    let rest = item.split_once(' ').map_or("", |(_, r)| r);
    let mut words = rest.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    match first {
        "you" | "licensee" | "licensees" | "licensor" | "we" | "it" | "they" | "neither" | "nothing" | "notwithstanding" | "if" | "where"
        | "when" | "unless" | "provided" | "subject" | "no" => true,
        // A determiner opens a clause only with a verb after it ("the licensee shall
        // ..."); without one the item is a noun phrase the introduction governs ("4. the
        // exploration, extraction or transport of coal").
        "the" | "this" | "that" | "these" | "those" | "your" | "our" | "its" | "such" | "all" | "each" => {
            let second = words.clone().next().unwrap_or("");
            let party = PARTY_STEMS.iter().any(|p| second.starts_with(p))
                || matches!(second, "party" | "parties" | "person" | "persons" | "individual" | "individuals" | "government" | "copyright");
            party
                || words.any(|w| {
                    matches!(
                        w,
                        "shall" | "will" | "may" | "must" | "can" | "cannot" | "should" | "would" | "is" | "are" | "was" | "were" | "has" | "have"
                            | "does" | "do" | "agrees" | "acknowledges" | "accepts" | "remains" | "applies" | "means" | "includes"
                    )
                })
        }
        _ => false,
    }
}

/// Where the colon of a prohibition that introduces a list is (`you agree not to:`,
/// `the following uses are prohibited:`): the last colon of the sentence, followed by
/// nothing or by a list item, with a negation or a ban in the words just before it.
fn prohibition_lead_in(s: &str) -> Option<usize> {
    // A heading ("Prohibited uses", "You may not") introduces the list below it with no
    // colon: a short line with no closing punctuation.
    let heading = !s.contains(':') && s.len() <= 60 && !s.trim_end().ends_with(['.', ',', ';', '!', '?']);
    if heading && banned_before(s, s.len()) {
        return s.len().checked_sub(1);
    }
    let colon = s.rfind(':')?;
    let after = s.get(colon + 1..).unwrap_or_default().trim_start();
    if !after.is_empty() && !starts_list_item(after) {
        return None;
    }
    banned_before(s, colon).then_some(colon)
}

/// The longest introduction of a list that its items are read after: a lead-in is a
/// clause ("you agree not to use the Model or any Derivative, or to allow anyone else
/// to use them:"), and a long one read again before each of many items costs what
/// many long sentences cost (an 8 KB text of bullet lines took 0.38 s, not 0.1 s).
const MAX_LEAD: usize = 300;

/// Whether the words before `colon` (up to 160 bytes: a long introduction such as "you
/// agree not to use the Model or any Derivative Model, or to allow anyone else to use
/// them:" has its negation far from the colon) hold a negation or a ban, or make what
/// follows conditions ("provided that:", "only if all of the following hold:"), each
/// of which a rule reads on its own as it reads a prohibition.
fn banned_before(s: &str, colon: usize) -> bool {
    let mut from = colon.saturating_sub(160);
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let before = s.get(from..colon).unwrap_or_default();
    // An obligation right before the colon makes each item a requirement: "applicants
    // must: (a) ...; (b) sign the data access agreement".
    let last: Vec<&str> = before.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).rev().take(3).collect();
    let obliged = matches!(
        last.as_slice(),
        ["must" | "shall", ..] | ["first" | "also", "must" | "shall", ..] | ["to", "required" | "need" | "needs" | "have" | "has" | "agree" | "agrees", ..]
    );
    obliged
        || before.contains("n't")
        || before.contains("only if")
        || before.contains("provided that")
        || before.contains("on condition that")
        || before.contains("following conditions")
        || before.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(w, "not" | "never" | "cannot" | "nor" | "prohibited" | "prohibit" | "forbidden" | "forbid" | "barred")
        })
}

/// Where the introduction of a list of prohibitions that a sentence holds whole ends
/// (its colon), and the list's items, when it has two or more ([`list_items`]): "you
/// agree not to: (a) resell it; (b) modify it", "the model may not be used for: -
/// diagnosis - scoring job applicants". `None` for any other sentence.
///
/// `laid_out` is the sentence before line breaks became spaces: items whose bullets the
/// normalizer dropped are still a list when a line break follows the colon and
/// semicolons part them ("shall not be used:" over "- to plan raids; or" and "- for
/// the extraction of coal").
fn in_sentence_list(s: &str, laid_out: &str) -> Option<(usize, Vec<Range<usize>>)> {
    let Some(colon) = s.find(':').filter(|&c| c < MAX_LEAD) else { return inline_list(s) };
    let after = s.get(colon + 1..)?;
    let broken = laid_out.as_bytes().get(colon + 1) == Some(&b'\n') && after.contains(';');
    if !(starts_list_item(after.trim_start()) || broken) || !banned_before(s, colon) {
        return inline_list(s);
    }
    let items = list_items(s, colon + 1);
    (items.len() > 1).then_some((colon, items))
}

/// A list of prohibitions run into its sentence with no colon: "you agree not to use the
/// Model (i) to produce ...; (ii) to support ...; or (iii) for ...". The first marker,
/// `(a)`, `(i)` or `(1)`, ends the introduction (which holds the negation or ban), and
/// the items are cut at semicolons, of which there must be one before the second
/// marker. The introduction's end is given as its last character, as a colon's place
/// is: the items are read after it as after a colon.
fn inline_list(s: &str) -> Option<(usize, Vec<Range<usize>>)> {
    // The first " (a) ", " (i) " or " (1) ", found from the brackets (most sentences
    // have none): three substring searches of every sentence cost 8% on long plain text.
    let b = s.as_bytes();
    let (at, second) = memchr::memchr_iter(b'(', b).take_while(|&i| i <= MAX_LEAD).find_map(|i| {
        let rest = b.get(i..)?;
        let second = [(&b"(a) "[..], "; (b) "), (b"(i) ", "; (ii) "), (b"(1) ", "; (2) ")]
            .iter()
            .find(|(first, _)| rest.starts_with(first))?
            .1;
        let space = i.checked_sub(1)?;
        (b.get(space) == Some(&b' ')).then_some((space, second))
    })?;
    if at >= MAX_LEAD || !s.get(at..).is_some_and(|rest| rest.contains(second)) || !banned_before(s, at) {
        return None;
    }
    let last = s.get(..at)?.trim_end_matches(',').len().checked_sub(1)?;
    let items = list_items(s, at + 1);
    (items.len() > 1).then_some((last, items))
}

/// The items of the list that starts at byte `from` of `s`, each without its leading
/// blanks: cut at semicolons when there are any, else before each marker of the first
/// item's kind ("- ", "(b) ", "2. ") that follows a blank.
fn list_items(s: &str, from: usize) -> Vec<Range<usize>> {
    let mut cuts = Vec::new();
    let after = s.get(from..).unwrap_or_default();
    if after.contains(';') {
        cuts.extend(after.match_indices(';').map(|(i, _)| from + i + 1));
    } else {
        let first = after.trim_start();
        let kind = |t: &str| -> Option<u8> {
            let b = t.as_bytes();
            match *b.first()? {
                c @ (b'-' | b'*') => Some(c),
                _ if t.starts_with('\u{2022}') || t.starts_with('\u{b7}') => Some(b'o'),
                b'(' => Some(b'('),
                c if c.is_ascii_digit() => Some(b'1'),
                _ => Some(b'a'),
            }
        };
        let want = kind(first);
        for (i, _) in after.match_indices(' ') {
            let rest = after.get(i + 1..).unwrap_or_default();
            if i + 1 > after.len() - first.len() && starts_list_item(rest) && kind(rest) == want {
                cuts.push(from + i + 1);
            }
        }
    }
    let mut out = Vec::new();
    let mut start = from;
    for end in cuts.into_iter().chain(std::iter::once(s.len())) {
        let part = s.get(start..end).unwrap_or_default();
        let blank = part.len() - part.trim_start().len();
        if part.trim().len() > 1 {
            out.push(start + blank..end);
        }
        start = end;
    }
    out
}

/// Whether the start of a list item holds a word beyond its marker and a conjunction
/// (`(1`, `(b) or`, `or` hold none).
fn has_words(part: &str) -> bool {
    part.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| !matches!(w, "or" | "and" | "nor") && !(w.len() <= 3 && (w.bytes().all(|b| b.is_ascii_digit()) || w.len() == 1 || w.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')))))
}

/// What a forbidden row of a table is read after ([`forbidden_row`]), or for an action
/// written as a gerund, before.
const FORBIDDEN_ROW_LEAD: &str = "you may not:";
const FORBIDDEN_ROW_TAIL: &str = " is not permitted.";

/// Of a line of a permission matrix written out, every part of it an action and a
/// verdict ("Commercial use: not permitted", "Military: NO | Nuclear power: NO | Other:
/// yes", "Personal use | yes; use in a business | no", "Redistribution - No"): each
/// action whose verdict forbids it, with the range from the action to the end of its
/// verdict, as [`forbidden_row`] gives them. Empty when a part is not such a pair.
fn forbidden_pairs<'a>(s: &'a str) -> Vec<(Range<usize>, Range<usize>)> {
    // At most `n` words.
    let short = |t: &str, n: usize| t.split_whitespace().count() <= n;
    let t = s.trim_end().trim_end_matches('.');
    // Where a piece of `t` (a subslice of it) starts in it.
    let at_in = |piece: &str| (piece.as_ptr() as usize).saturating_sub(t.as_ptr() as usize);
    // (Most sentences hold no separator: a pass over the bytes says so.)
    if t.starts_with('|') || (memchr::memchr2(b':', b'|', t.as_bytes()).is_none() && !t.contains(" - ")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for seg in t.split(';') {
        // "key: verdict | key: verdict" or "key - verdict", else "key | verdict".
        let marked = seg.contains(':') || seg.contains(" - ");
        let parts: Vec<&str> = if marked { seg.split('|').collect() } else { vec![seg] };
        for part in parts {
            let split = if marked {
                part.find(':').map(|i| (i, 1)).or_else(|| part.find(" - ").map(|i| (i, 3)))
            } else {
                let bars: Vec<usize> = memchr::memchr_iter(b'|', part.as_bytes()).collect();
                (bars.len() == 1).then(|| bars.first().map(|&i| (i, 1))).flatten()
            };
            let Some((at, width)) = split else { return Vec::new() };
            let (Some(key), Some(verdict)) = (part.get(..at), part.get(at + width..)) else { return Vec::new() };
            // (Emphasis around a key or a value is not part of it: "**Commercial use**: *No*".)
            let bare = |t: &'a str| t.trim().trim_matches(['*', '_']).trim();
            let (k, v) = (bare(key), bare(verdict));
            // A heading that names what is forbidden ("out-of-scope use: any commercial
            // deployment"): its value is the action.
            let heading = RESTRICTION_HEADINGS.contains(&k);
            // ("no military use" is the action "military use"; "no restrictions", nothing.)
            let action = match v.strip_prefix("no ") {
                Some(rest) if !["restriction", "additional", "further", "other", "limit"].iter().any(|w| rest.starts_with(w)) => rest,
                _ => v,
            };
            if heading && !action.is_empty() && short(action, 24) && !action.starts_with("no ") && !action.starts_with("not ") && !action.starts_with("none") {
                let start = at_in(action);
                out.push((start..start + action.len(), start..start + action.len()));
                continue;
            }
            if k.is_empty() || v.is_empty() || !short(k, 8) || !short(v, 8) || !k.chars().any(char::is_alphabetic) {
                return Vec::new();
            }
            // The verdict forbids, whole or with its conditions after it ("no, unless
            // approved"); "no restrictions" does not.
            let forbids = ["not permitted", "not allowed", "not licensed", "not licenced", "prohibited", "forbidden", "excluded", "no", "\u{2717}", "\u{2718}", "\u{274c}"]
                .iter()
                .any(|w| {
                    v.strip_prefix(w).is_some_and(|rest| {
                        let rest = rest.trim_start();
                        rest.is_empty() || rest.starts_with([',', '(', '-', '\u{2013}', '.']) || ["unless", "except", "without", "if "].iter().any(|c| rest.starts_with(c))
                    })
                });
            if forbids {
                let start = at_in(k);
                let end = at_in(part) + part.trim_end().len();
                out.push((start..start + k.len(), start..end));
            }
        }
    }
    out
}

/// Headings of a matrix or a model card whose value is what may not be done
/// ([`forbidden_pairs`]).
const RESTRICTION_HEADINGS: &[&str] = &[
    "restrictions",
    "use restrictions",
    "usage restrictions",
    "restricted use",
    "restricted uses",
    "prohibited use",
    "prohibited uses",
    "forbidden use",
    "forbidden uses",
    "excluded use",
    "excluded uses",
    "disallowed uses",
    "out-of-scope use",
    "out-of-scope uses",
    "out of scope use",
    "out of scope uses",
    "out-of-scope",
    "not permitted",
    "not allowed",
];

/// Of a table row with two cells, an action and a verdict that forbids it ("| use the
/// dataset in a commercial product | no |", "| publish modified versions | no, unless
/// approved |"): the range of the action, and from the action to the end of the verdict,
/// whose conditions ("unless approved") a rule may read.
fn forbidden_row(s: &str) -> Option<(Range<usize>, Range<usize>)> {
    let t = s.trim_end();
    if !t.starts_with('|') || memchr::memchr_iter(b'|', t.as_bytes()).count() < 3 {
        return None;
    }
    // The cells between the bars, with where each starts.
    let mut cells = Vec::new();
    let mut start = 1;
    for bar in memchr::memchr_iter(b'|', t.as_bytes()).skip(1) {
        let raw = t.get(start..bar)?;
        let lead = raw.len() - raw.trim_start().len();
        if !raw.trim().is_empty() {
            cells.push((start + lead, raw.trim()));
        }
        start = bar + 1;
    }
    let [(at, action), (verdict_at, verdict)] = cells.as_slice() else { return None };
    let v = verdict.trim_start_matches(['*', '_']);
    let forbids = ["no", "not allowed", "not permitted", "prohibited", "forbidden", "\u{2717}", "\u{2718}", "\u{274c}"]
        .iter()
        .any(|w| v.strip_prefix(w).is_some_and(|rest| !rest.starts_with(char::is_alphanumeric)));
    // The action, and the verdict's conditions ("no, unless approved").
    (forbids && action.chars().any(char::is_alphabetic)).then_some((*at..at + action.len(), *at..verdict_at + verdict.len()))
}

/// Whether a sentence is a question: it ends with a question mark (before any closing
/// quotes or brackets).
fn is_question(s: &str) -> bool {
    s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | ']' | '*' | '_')).ends_with('?')
}

/// Run `work` on `threads` threads, each taking tasks until none are left, and put
/// together the findings of every task in the order of their keys (where the task
/// starts in the text). This thread works too: one thread fewer to start, and its caches
/// are warm.
fn on_threads(threads: usize, work: impl Fn() -> Vec<(usize, Vec<Finding>)> + Sync) -> Vec<Finding> {
    let mut parts: Vec<(usize, Vec<Finding>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (1..threads).map(|_| s.spawn(&work)).collect();
        let mut parts = work();
        for w in workers {
            match w.join() {
                Ok(done) => parts.extend(done),
                // A worker's panic is the caller's, as it would be on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    parts.sort_by_key(|&(at, _)| at);
    parts.into_iter().flat_map(|(_, f)| f).collect()
}

/// Texts longer than this are linted in pieces cut at paragraph breaks, so memory stays
/// bounded by the piece, not the file.
const CHUNK: usize = 1 << 20;

/// The top bit of an entry of [`Linter::calls`]: some regex condition names the literal.
const NEEDED: u32 = 1 << 31;
/// The other bits of an entry of [`Linter::calls`]: where its rules start in `called`.
const CALLS: u32 = NEEDED - 1;

/// [`Linter::calls`] and [`Linter::called`] from the (literal, rule) pairs of the rules'
/// triggers, sorted, and whether each literal is needed (as long as the literals);
/// `calls` has one more entry, the end. (Built from pairs, not from a list of rules for
/// each of the tens of thousands of literals, most of them empty: making and dropping
/// those cost a single-file run 4% more instructions.)
fn calls_of(pairs: &[(u32, u16)], needed: &[bool]) -> Result<(Vec<u32>, Vec<u16>), PrefilterError> {
    if u32::try_from(pairs.len()).map_or(true, |n| n > CALLS) {
        return Err(PrefilterError::TooBig);
    }
    let mut calls = Vec::with_capacity(needed.len() + 1);
    let mut at = 0usize;
    for (li, &need) in needed.iter().enumerate() {
        // `at` is at most `pairs.len()`, which fits (checked above).
        calls.push(at as u32 | if need { NEEDED } else { 0 });
        while pairs.get(at).is_some_and(|&(l, _)| l as usize == li) {
            at += 1;
        }
    }
    calls.push(at as u32);
    Ok((calls, pairs.iter().map(|&(_, r)| r).collect()))
}

/// The prefilter automaton over the embedded table's words. Those words are fixed when
/// the binary is built, so `build.rs` builds the automaton and the binary reads it back,
/// once a process (0.8 M instructions, where building aho-corasick's took 12.9 M). `daachorse` is used here
/// because its automata can be serialized and `aho-corasick`'s cannot; the words of rules
/// loaded at run time go into an `aho-corasick` automaton ([`automaton`]). Both report
/// every occurrence of every word.
pub fn embedded_automaton() -> Result<Option<&'static DoubleArrayAhoCorasick<u32>>, PrefilterError> {
    static AUTOMATON: OnceLock<Result<Option<DoubleArrayAhoCorasick<u32>>, PrefilterError>> = OnceLock::new();
    read_automaton(&AUTOMATON, crate::rules::EMBEDDED_AUTOMATON)
}

/// The automaton over the embedded literal table's phrases themselves (13,000 of them,
/// 1 MB), which `build.rs` also builds. It reports each literal where it occurs: a
/// sentence costs one pass, and no check of the phrases around each common word (some
/// 500 a sentence of plain license text), so the 20 MB synthetic file takes 18% less
/// time and the corpus 4% less. But reading it back costs 5.7 M instructions, where the
/// word automaton costs 0.8 M: one LICENSE would take 14% more. So a linter turns to it
/// only once it has been given [`PHRASES_AFTER`] bytes.
pub fn embedded_phrases() -> Result<Option<&'static DoubleArrayAhoCorasick<u32>>, PrefilterError> {
    static AUTOMATON: OnceLock<Result<Option<DoubleArrayAhoCorasick<u32>>, PrefilterError>> = OnceLock::new();
    read_automaton(&AUTOMATON, crate::rules::EMBEDDED_PHRASES)
}

/// After how many bytes of text a linter searches with [`embedded_phrases`]: about
/// where reading that automaton costs less than the phrase checks it saves (some 0.4 M
/// instructions per 11 kB of license text).
pub const PHRASES_AFTER: usize = 128 << 10;

/// An automaton `build.rs` serialized, read back once a process into `slot`.
fn read_automaton(
    slot: &'static OnceLock<Result<Option<DoubleArrayAhoCorasick<u32>>, PrefilterError>>,
    bytes: &'static [u8],
) -> Result<Option<&'static DoubleArrayAhoCorasick<u32>>, PrefilterError> {
    let read = slot.get_or_init(|| {
        if bytes.is_empty() {
            return Ok(None);
        }
        // Reading checks every index the automaton holds; a word it reports that is past
        // the table's words finds no holders, a literal past the table's no rules.
        let (automaton, rest) = DoubleArrayAhoCorasick::deserialize(bytes).map_err(|e| PrefilterError::Embedded(e.to_string()))?;
        if !rest.is_empty() {
            return Err(PrefilterError::Embedded(format!("{} bytes left over", rest.len())));
        }
        Ok(Some(automaton))
    });
    read.as_ref().map(Option::as_ref).map_err(Clone::clone)
}

/// Why the prefilter could not be made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PrefilterError {
    #[error(transparent)]
    Build(#[from] aho_corasick::BuildError),
    #[error("the embedded automaton does not read back: {0}")]
    Embedded(String),
    #[error("the rules' triggers are more than 2^31 (literal, rule) pairs")]
    TooBig,
}

fn automaton<'a>(words: impl IntoIterator<Item = &'a [u8]>) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(words)
}

impl Linter {
    pub fn new(set: RuleSet) -> Result<Linter, PrefilterError> {
        // The embedded literal table comes first, so its indexes are literal ids (it
        // holds the embedded rules' triggers too); other literals (the triggers and
        // conditions of rules loaded at run time) are added after it, each once, even
        // one the table also holds: both automata then report it, each with its own id.
        let table = set.literal_table();
        let pre = set.embedded_prefilter();
        // Every index in the table has its entry (build.rs writes both), so ids line up.
        let mut literals = Literals { table, more: Vec::new() };
        // Literal ids by the hash of their bytes (the bytes are kept once, in `literals`).
        let mut ids: HashMap<u64, Vec<usize>, Quick> = HashMap::default();
        let mut intern = |lit: &[u8], literals: &mut Literals| -> usize {
            use std::hash::BuildHasher;
            let same = ids.entry(Quick.hash_one(lit)).or_default();
            if let Some(&i) = same.iter().find(|&&i| literals.get(i) == Some(lit)) {
                return i;
            }
            literals.more.push(lit.to_vec());
            same.push(literals.len() - 1);
            literals.len() - 1
        };
        // (literal, rule) for each trigger of each rule.
        let mut triggered: Vec<(u32, u16)> = Vec::new();
        for (ri, rule) in set.rules.iter().enumerate() {
            // Checked in RuleSet::finish: fewer than 65536 rules.
            let ri = u16::try_from(ri).unwrap_or(u16::MAX);
            // An embedded rule's triggers are in the table, and build.rs gave their ids.
            match rule.trigger_ids.filter(|_| !table.is_empty()) {
                Some(ids) => triggered.extend(ids.iter().map(|&i| (i, ri))),
                None => {
                    for t in rule.triggers.iter().filter(|t| !t.is_empty()) {
                        // Literal ids stay below 2^32: `calls_of` checks their pairs.
                        triggered.push((intern(t.as_bytes(), &mut literals) as u32, ri));
                    }
                }
            }
        }
        // By literal, then rule: the rules a literal calls, in order, each once.
        triggered.sort_unstable();
        triggered.dedup();
        // An embedded regex's condition is read from its encoding the first time a
        // sentence needs it (its literals are all in the table, so it needs nothing
        // from here); other regexes' conditions are made now, adding their literals.
        let mut conds: Vec<OnceLock<Prepared>> = (0..set.pattern_count()).map(|_| OnceLock::new()).collect();
        let mut encoded: Vec<Option<&'static [u8]>> = vec![None; set.pattern_count()];
        // The table's first literals are embedded conditions'; the rest are triggers.
        let mut needed: Vec<bool> = (0..table.len()).map(|i| i < pre.named as usize).collect();
        for p in set.patterns() {
            // Pattern indexes are handed out 0..pattern_count() by RuleSet::pattern.
            if let Some(bytes) = p.encoded_need() {
                if let Some(slot) = encoded.get_mut(p.index) {
                    *slot = Some(bytes);
                }
                continue;
            }
            let cond = Cond::lower(&p.need(), &mut |l| {
                let i = intern(l, &mut literals);
                needed.resize(literals.len(), false);
                if let Some(n) = needed.get_mut(i) {
                    *n = true;
                }
                i as u32
            });
            if let Some(slot) = conds.get_mut(p.index) {
                *slot = OnceLock::from(Prepared::new(cond));
            }
        }
        needed.resize(literals.len(), false);
        let (calls, called) = calls_of(&triggered, &needed)?;
        // The table's words come from build.rs. A word of the other literals may also be
        // one of the table's: both automata then report it, each with its own literals.
        let prefilter = if pre.words.is_empty() { None } else { embedded_automaton()? };
        let (more, cores) = crate::rules::by_core(literals.more.iter().enumerate().map(|(i, l)| (table.len() + i, l.as_slice())));
        let extra = if more.is_empty() { None } else { Some(automaton(more)?) };
        // (literal, regex) pairs, then in the flat form of `by_literal`: embedded regexes'
        // keys as build.rs wrote them, the others' from their conditions.
        let rarity = |l: u32| crate::rules::key_cost(literals.get(l as usize).map_or(1, |b| b.len()));
        let mut keyed = vec![false; conds.len()];
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut key = Vec::new();
        for p in set.patterns() {
            let has = match p.encoded_keyed() {
                // In build.rs's index already.
                Some(keyed) => keyed,
                None => {
                    key.clear();
                    let has = conds.get(p.index).and_then(OnceLock::get).is_some_and(|c| c.cond.key(&rarity, Some(&mut key)).is_some());
                    pairs.extend(key.iter().map(|&l| (l, p.index as u32)));
                    has
                }
            };
            if let Some(k) = keyed.get_mut(p.index).filter(|_| has) {
                *k = true;
            }
        }
        // The regexes loaded at run time may key any literal, the table's too.
        pairs.sort_unstable();
        let mut by_literal = KeyIndex { pre, starts: Vec::new(), regexes: Vec::with_capacity(pairs.len()) };
        if !pairs.is_empty() {
            let mut at = 0;
            for l in 0..literals.len() as u32 {
                by_literal.starts.push(by_literal.regexes.len() as u32);
                while let Some(&(_, p)) = pairs.get(at).filter(|(pl, _)| *pl == l) {
                    by_literal.regexes.push(p);
                    at += 1;
                }
            }
            by_literal.starts.push(by_literal.regexes.len() as u32);
        }
        let mut unkeyed = vec![0u64; keyed.len().div_ceil(64)];
        for (i, _) in keyed.iter().enumerate().filter(|(_, k)| !**k) {
            if let Some(w) = unkeyed.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
        let spans = set.rules.iter().map(RuleSpan::of).collect();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        Ok(Linter {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            set,
            prefilter,
            extra,
            cores,
            literals,
            calls,
            called,
            conds,
            encoded,
            table,
            memo: Mutex::new(HashMap::default()),
            memo_asked: std::sync::atomic::AtomicUsize::new(0),
            memo_found: std::sync::atomic::AtomicUsize::new(0),
            given: std::sync::atomic::AtomicUsize::new(0),
            by_literal,
            keyed,
            unkeyed,
            spans,
        })
    }

    /// Lint a decoded text with every rule.
    pub fn lint(&self, text: &str) -> Vec<Finding> {
        self.lint_filtered(text, None)
    }

    /// [`Linter::lint`] on `threads` threads: sentences are handed out a few at a time.
    /// The findings are the same, in the same order.
    pub fn lint_parallel(&self, text: &str, threads: usize) -> Vec<Finding> {
        self.lint_with(text, None, threads)
    }

    /// Lint with every rule, or with one rule only (for its examples).
    pub fn lint_filtered(&self, text: &str, only: Option<usize>) -> Vec<Finding> {
        self.lint_with(text, only, 1)
    }

    fn lint_with(&self, text: &str, only: Option<usize>, threads: usize) -> Vec<Finding> {
        self.given.fetch_add(text.len(), std::sync::atomic::Ordering::Relaxed);
        let mut pieces = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = chunk_end(text, start);
            pieces.push(start..end);
            start = end;
        }
        // A piece's findings, with offsets in the whole text.
        let piece = |range: &Range<usize>, threads: usize| -> Vec<Finding> {
            // chunk_end returns character boundaries, at most `text.len()`.
            let Some(piece) = text.get(range.clone()) else { return Vec::new() };
            let norm = normalize(piece);
            let mut found = self.lint_normalized(piece, &norm, only, threads);
            let at = range.start;
            for f in &mut found {
                f.span = f.span.start + at..f.span.end + at;
                f.sentence = f.sentence.start + at..f.sentence.end + at;
                f.frame = f.frame.clone().map(|fr| fr.start + at..fr.end + at);
                f.defined = f.defined.clone().map(|d| d.start + at..d.end + at);
            }
            found
        };
        let mut out: Vec<Finding> = if threads > 1 && pieces.len() >= 2 * threads {
            // Enough pieces for every thread: each takes whole pieces in turn, normalizing
            // them too, which one thread would otherwise do for all while the others wait.
            let next = std::sync::atomic::AtomicUsize::new(0);
            let work = || {
                let mut done = Vec::new();
                while let Some(range) = pieces.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    done.push((range.start, piece(range, 1)));
                }
                done
            };
            on_threads(threads, work)
        } else {
            pieces.iter().flat_map(|range| piece(range, threads)).collect()
        };
        let id = |f: &Finding| self.set.rules.get(f.rule).map(|r| r.id.as_str());
        out.sort_by(|a, b| (a.span.start, a.span.end, id(a)).cmp(&(b.span.start, b.span.end, id(b))));
        out
    }

    fn lint_normalized(&self, original: &str, norm: &Normalized, only: Option<usize>, threads: usize) -> Vec<Finding> {
        let sents = sentences(&norm.text);
        // Sentences are found; inside one, a kept paragraph break is just a space, so
        // rules can write plain spaces. Same length, so offsets hold.
        let flat = norm.text.replace('\n', " ");
        let leads = list_leads(&flat, &sents);
        // The sentences that define a term ([`crate::defined::definition`]): the term's
        // range and its definition's, in the sentence.
        let defs: Vec<_> = sents.iter().map(|r| flat.get(r.clone()).and_then(crate::defined::definition)).collect();
        let terms = self.restricted_terms(&flat, &sents, &defs, only);
        if threads <= 1 || sents.len() < 2 * SENTENCES_PER_TASK {
            return self.lint_sentences(original, norm, &flat, &sents, &leads, &defs, &terms, only);
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        // Tasks of a few sentences each, taken in turn by whichever thread is free.
        let work = || {
            let mut done = Vec::new();
            loop {
                let at = next.fetch_add(SENTENCES_PER_TASK, std::sync::atomic::Ordering::Relaxed);
                let Some(task) = sents.get(at..(at + SENTENCES_PER_TASK).min(sents.len())) else { break };
                if task.is_empty() {
                    break;
                }
                let (task_leads, task_defs) = (leads.get(at..).unwrap_or_default(), defs.get(at..).unwrap_or_default());
                done.push((at, self.lint_sentences(original, norm, &flat, task, task_leads, task_defs, &terms, only)));
            }
            done
        };
        on_threads(threads, work)
    }

    /// Lint `item` (at `range` of the normalized text), read after the words of `lead`
    /// when it has one (the introduction of the list it is an item of), and push what it
    /// yields to `out` with offsets in `original`, reported in the sentence at `sentence`.
    #[allow(clippy::too_many_arguments)]
    fn lint_read(
        &self,
        original: &str,
        norm: &Normalized,
        lead: Option<(Range<usize>, &str)>,
        range: Range<usize>,
        item: &str,
        tail: &str,
        sentence: Range<usize>,
        only: Option<usize>,
        seen: &mut Seen,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        // The introduction and the item, as one text; a heading that introduces a list
        // ("Prohibited uses") is read with a colon after it.
        // Words read after the item (`tail`, for a table row whose verdict follows its
        // action) are not in the text either.
        // An introduction that ends in "do" ("what you can't do:", "things you must not
        // do") reads as its items' verb's negation, the item's marker left out: "what you
        // can't ship a game that bundles another engine", so that the ban governs the
        // item's verb as it does in a sentence.
        // (Only for an item with no verb of its own that a ban could govern: "derivative
        // works may not be distributed" keeps its colon.)
        let clause = || item.split(' ').any(|w| matches!(w, "may" | "must" | "shall" | "will" | "can" | "cannot" | "not" | "is" | "are") || w.ends_with("n't"));
        let mut bare = false;
        let lead = lead.map(|(l, words)| match words.trim_end_matches(':').strip_suffix(" do") {
            Some(w) if !w.is_empty() && !clause() => {
                bare = true;
                (l, w)
            }
            _ => (l, words),
        });
        let sep = lead.as_ref().map_or("", |(_, words)| if words.ends_with(':') || bare { " " } else { ": " });
        let skip = if bare && starts_list_item(item) { item.find(' ').map_or(0, |i| i + 1) } else { 0 };
        let joined;
        let text = match (&lead, tail) {
            (None, "") => item,
            _ => {
                let words = lead.as_ref().map_or("", |(_, w)| w);
                joined = format!("{words}{sep}{}{tail}", item.get(skip..).unwrap_or_default());
                joined.as_str()
            }
        };
        let found = self.lint_memo(text, only, seen, scratch);
        // Offsets in `text` to offsets in the normalized text: the item's own, or (for a
        // span that stays in them) the introducing words'.
        let (lead_range, words_len) = lead.map_or((0..0, 0), |(l, words)| (l, words.len()));
        let synthetic = lead_range.is_empty() && words_len > 0;
        let lead_len = words_len + sep.len();
        let item_end = lead_len + item.len() - skip;
        let place = |r: &Range<usize>, in_item: bool| -> Range<usize> {
            if r.start >= lead_len || (in_item && r.end > lead_len) {
                range.start + skip + r.start.max(lead_len) - lead_len..range.start + skip + r.end.max(lead_len) - lead_len
            } else {
                lead_range.start + r.start.min(words_len)..lead_range.start + r.end.min(words_len)
            }
        };
        let at = |r: Range<usize>| {
            let (a, b) = norm.original_span(original, r.start, r.end);
            a..b
        };
        for f in found.iter().flat_map(|f| f.iter()) {
            // What the introduction alone yields, its own sentence has reported; so has
            // a span that only reaches into the item by a marker or a conjunction
            // ("... any service which: (1", "...; or").
            if f.span.end <= lead_len
                || f.span.start >= item_end
                || (f.span.start < lead_len && !has_words(text.get(lead_len..f.span.end).unwrap_or_default()))
            {
                continue;
            }
            let clamp = |r: &Range<usize>| r.start..r.end.min(item_end);
            out.push(Finding {
                span: at(place(&clamp(&f.span), true)),
                sentence: at(sentence.clone()),
                // (Words read before or after a table row are not in the text: no frame
                // there.)
                frame: f
                    .frame
                    .as_ref()
                    .filter(|r| !(synthetic && r.start < lead_len) && r.start < item_end)
                    .map(|r| at(place(&clamp(r), false))),
                ..f.clone()
            });
        }
    }

    /// What one sentence (normalized, flattened) yields. What a sentence yields depends on
    /// its words alone: license texts repeat each other's sentences, and each is confirmed
    /// once a run.
    fn lint_memo(&self, text: &str, only: Option<usize>, seen: &mut Seen, scratch: &mut Scratch) -> Option<Arc<[Finding]>> {
        let key = only.is_none().then(|| sentence_key(text)).filter(|&k| self.memo_wanted(k));
        if let Some(found) = key.and_then(|k| self.memo.lock().ok().and_then(|m| m.get(&k).cloned())) {
            self.memo_found.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return found;
        }
        let found = self.lint_sentence(text, only, seen, scratch);
        let found: Option<Arc<[Finding]>> = (!found.is_empty()).then(|| found.into());
        if let (Some(k), Ok(mut m)) = (key, self.memo.lock()) {
            if m.len() >= MEMO_ENTRIES {
                m.clear();
            }
            m.insert(k, found.clone());
        }
        found
    }

    /// Whether to ask the memo about (and keep) the sentence of key `k`: always while
    /// sentences repeat often enough, else for one key in [`MEMO_SAMPLE`]; counts the
    /// question. (Found answers are counted in [`Linter::lint_memo`].)
    fn memo_wanted(&self, k: u128) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let asked = self.memo_asked.load(Relaxed);
        let often = asked < MEMO_TRIAL || self.memo_found.load(Relaxed).saturating_mul(MEMO_FEW) >= asked;
        let wanted = often || k % MEMO_SAMPLE == 0;
        if wanted {
            self.memo_asked.fetch_add(1, Relaxed);
        }
        wanted
    }

    /// Whether guard `g` vetoes `sentence`, settled once a sentence (`settled`, by guard).
    fn guard_vetoes(&self, g: usize, sentence: &str, seen: &Seen, verdicts: &RefCell<Verdicts>, scratch: &mut Scratch, settled: &mut [Option<bool>]) -> bool {
        let Some(slot) = settled.get_mut(g) else { return false };
        *slot.get_or_insert_with(|| {
            let mut veto = |p: &Pattern| self.holds(p, seen, verdicts) && scratch.is_match(p, sentence);
            self.set.guards.get(g).is_some_and(|g| g.regexes.iter().any(&mut veto) && !g.unless.iter().any(&mut veto))
        })
    }

    /// Empty scratch space for [`Linter::lint_sentence`].
    fn seen(&self) -> Seen {
        Seen { bits: vec![0u64; self.calls.len().div_ceil(64)], bloom: 0, at: Vec::new(), present: Vec::new(), maybe: vec![0u64; self.conds.len().div_ceil(64)], called: vec![0u64; self.set.rules.len().div_ceil(64)] }
    }

    /// The terms the sentences `sents` of `flat` define as a use, an activity or a class of
    /// people ([`crate::defined::names_activity`]) whose definitions restrict, read as a
    /// use that may not be made ([`crate::defined::PROBE`]): each with its
    /// definition's words, at most [`crate::defined::MAX_TERMS`], the first definition of
    /// a term kept.
    fn restricted_terms(&self, flat: &str, sents: &[Range<usize>], defs: &[Option<(Range<usize>, Range<usize>)>], only: Option<usize>) -> Vec<Term> {
        use crate::defined::{MAX_TERMS, PROBE};
        let mut terms: Vec<Term> = Vec::new();
        let mut defs = sents.iter().zip(defs).filter_map(|(r, def)| {
            let s = flat.get(r.clone())?;
            let (term, body) = def.clone()?;
            Some((s.get(term)?, s.get(body.clone())?, r.start + body.start..r.start + body.end))
        });
        let Some(mut next) = defs.next() else { return terms };
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            scratch.reset(self.id, self.set.pattern_count());
            let mut seen = self.seen();
            loop {
                let (term, body, at) = next;
                if crate::defined::names_activity(term, body) && !terms.iter().any(|t| t.term == term) {
                    let found = self.lint_memo(&format!("{PROBE}{body}."), only, &mut seen, &mut scratch);
                    // Who may use it and for what (OSD 5, 6, 8, 9): acts such as
                    // distributing or modifying, which licenses define to permit them,
                    // read as banned after "you may not use it for"; and a catch-all
                    // finds a purpose in any words there, so it counts only for a
                    // definition of a use ([`crate::defined::names_use`]).
                    let uses = crate::defined::names_use(body);
                    let field = |f: &Finding| self.set.rules.get(f.rule).is_some_and(|r| (uses || !r.generic) && r.osd.iter().any(|c| matches!(c, 5 | 6 | 8 | 9)));
                    if found.iter().flat_map(|f| f.iter()).any(|f| f.severity == Severity::Error && f.span.end > PROBE.len() && field(f)) {
                        terms.push(Term { term: term.to_string(), body: body.to_string(), at });
                    }
                }
                match defs.next() {
                    Some(d) if terms.len() < MAX_TERMS => next = d,
                    _ => break,
                }
            }
        });
        terms
    }

    /// Read `item` (the sentence at `range`, an item of a list read after `lead`, or the
    /// clause after a definition) again with the definition of each restricted term it
    /// uses (`terms`, [`Linter::restricted_terms`]) in the term's place, and push what the
    /// definition's words yield, reported at the term, unless a rule the sentence's
    /// findings so far (`out[first..]`) hold reported it already.
    #[allow(clippy::too_many_arguments)]
    fn lint_substituted(
        &self,
        original: &str,
        norm: &Normalized,
        lead: Option<&(Range<usize>, &str)>,
        range: Range<usize>,
        item: &str,
        terms: &[Term],
        first: usize,
        only: Option<usize>,
        seen: &mut Seen,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        for Term { term, body, at: defined } in terms {
            let Some(used) = crate::defined::uses(item, term).find(|u| crate::defined::stands_for(item, u)) else { continue };
            let Some(sub) = crate::defined::Substituted::new(item, used, body) else { continue };
            let text = match lead {
                Some((_, words)) => format!("{words}{}{}", if words.ends_with(':') { " " } else { ": " }, sub.text),
                None => sub.text.clone(),
            };
            let lead_len = text.len() - sub.text.len();
            let Some(found) = self.lint_memo(&text, only, seen, scratch) else { continue };
            let in_body = lead_len + sub.body.start..lead_len + sub.body.end;
            // Offsets in `text` to offsets in the normalized text.
            let back = |p: usize, end: bool| range.start + sub.back(p.max(lead_len) - lead_len, end);
            let at = |r: Range<usize>| {
                let (a, b) = norm.original_span(original, r.start, r.end);
                a..b
            };
            for f in found.iter() {
                if !crate::defined::frames_term(&f.span, f.frame.as_ref(), &in_body) || out.get(first..).is_some_and(|g| g.iter().any(|g| g.rule == f.rule)) {
                    continue;
                }
                let frame = f.frame.as_ref().and_then(|r| match lead {
                    // (Up to the term, when it runs into the definition.)
                    _ if r.start >= lead_len => Some(back(r.start, false)..back(r.end, false)),
                    // (Introducing words that are in the text.)
                    Some((l, words)) if !l.is_empty() => Some(l.start + r.start..l.start + r.end.min(words.len())),
                    _ => None,
                });
                out.push(Finding {
                    span: at(back(f.span.start, false)..back(f.span.end, true)),
                    sentence: at(range.clone()),
                    frame: frame.map(at),
                    defined: Some(at(defined.clone())),
                    ..f.clone()
                });
            }
        }
    }

    /// Lint these sentences of the normalized text `flat`; `leads` has, for each, the
    /// words that introduce the list it is an item of, if any ([`list_leads`]), and `defs`
    /// the term it defines, if any; `terms` are the restricted terms the text defines
    /// ([`Linter::restricted_terms`]).
    #[allow(clippy::too_many_arguments)]
    fn lint_sentences(
        &self,
        original: &str,
        norm: &Normalized,
        flat: &str,
        sents: &[Range<usize>],
        leads: &[Option<Range<usize>>],
        defs: &[Option<(Range<usize>, Range<usize>)>],
        terms: &[Term],
        only: Option<usize>,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            scratch.reset(self.id, self.set.pattern_count());
            let mut seen = self.seen();
            // Where the current sentence's findings start in `out`, and where those of its
            // list's introduction read alone end, if it has one.
            let (mut first, mut intro_end) = (0, None);
            for (k, range) in sents.iter().cloned().enumerate() {
                self.defer_generic(&mut out, first, intro_end.take());
                first = out.len();
                // Sentences come from the text, so the range is in bounds.
                let Some(item) = flat.get(range.clone()) else { continue };
                // An item of a list that a prohibition introduced ("you agree not to:
                // (a) ...; (b) ... . (c) ...") is read after its introduction, which
                // an earlier sentence holds.
                let lead = leads.get(k).cloned().flatten().and_then(|l| flat.get(l.clone()).map(|t| (l, t)));
                // A question ("Q: Can I sell copies?", "Do I have to register?") asks what a
                // license says; the answer says it.
                if is_question(item) {
                    continue;
                }
                // Where the findings of a matrix line's pairs end, when it has any.
                let mut pairs_end = None;
                'read: {
                    // A row of a table of what is allowed ("| use in a commercial product | no |")
                    // says what its first cell says after "may not".
                    // So does each forbidden pair of a matrix written out on a line
                    // ("Military: NO | Nuclear power: NO | Other: yes").
                    if lead.is_none() {
                        // (A pair's action reads as the subject of a ban: "use in a business:
                        // no" is "use in a business is not permitted".)
                        let (rows, pairs) = match forbidden_row(item) {
                            Some(row) => (vec![row], false),
                            None => (forbidden_pairs(item), true),
                        };
                        let mut read = false;
                        for (action, row) in rows {
                            // An action written as a gerund ("| charging a fee for copies |
                            // not permitted |") reads as the subject of a ban; any other as
                            // what "you may not" governs.
                            let gerund = pairs || item.get(action.clone()).and_then(|a| a.split(' ').next()).is_some_and(|w| w.len() > 4 && w.ends_with("ing"));
                            let (cell, words, tail) = if gerund {
                                (action, None, FORBIDDEN_ROW_TAIL)
                            } else {
                                (row, Some((range.start..range.start, FORBIDDEN_ROW_LEAD)), "")
                            };
                            let cell = range.start + cell.start..range.start + cell.end;
                            if let Some(text) = flat.get(cell.clone()) {
                                self.lint_read(original, norm, words, cell, text, tail, range.clone(), only, &mut seen, &mut scratch, &mut out);
                                read = true;
                            }
                        }
                        // (A matrix line's pairs are read, then the line whole too, as
                        // any sentence is: a rule may find what it says whole.)
                        if read && !pairs {
                            break 'read;
                        }
                        if read {
                            pairs_end = Some(out.len());
                        }
                    }
                    // A list of prohibitions the sentence holds whole ("you agree not to use
                    // it: (a) for ...; (b) to ...; (c) in ...") is read as its introduction
                    // and then each item after the introduction, as an item that is a
                    // sentence of its own is, so that a rule finds every item and not only
                    // the first it meets, and an exclusion in one item does not excuse another.
                    // So are several items in one sentence after an introduction an earlier
                    // sentence holds ("Prohibited uses" over "- weapons - surveillance").
                    let (intro, parts) = match &lead {
                        Some((l, _)) => (l.clone(), list_items(item, 0)),
                        None => match in_sentence_list(item, norm.text.get(range.clone()).unwrap_or_default()) {
                            Some((colon, parts)) => (range.start..range.start + colon + 1, parts),
                            None => {
                                self.lint_read(original, norm, None, range.clone(), item, "", range.clone(), only, &mut seen, &mut scratch, &mut out);
                                break 'read;
                            }
                        },
                    };
                    let Some(words) = flat.get(intro.clone()) else { break 'read };
                    if lead.is_some() && parts.len() < 2 {
                        self.lint_read(original, norm, lead.clone(), range.clone(), item, "", range.clone(), only, &mut seen, &mut scratch, &mut out);
                        break 'read;
                    }
                    if lead.is_none() {
                        self.lint_read(original, norm, None, intro.clone(), words, "", range.clone(), only, &mut seen, &mut scratch, &mut out);
                        intro_end = Some(out.len());
                    }
                    for part in parts {
                        let part = range.start + part.start..range.start + part.end;
                        let Some(text) = flat.get(part.clone()) else { continue };
                        self.lint_read(original, norm, Some((intro.clone(), words)), part, text, "", range.clone(), only, &mut seen, &mut scratch, &mut out);
                    }
                }
                // What a rule found in a pair is not reported again from the whole line.
                if let Some(end) = pairs_end {
                    let whole: Vec<Finding> = out.drain(end..).collect();
                    for f in whole {
                        if !out.get(first..).is_some_and(|g| g.iter().any(|g| g.rule == f.rule && overlaps(&g.span, &f.span))) {
                            out.push(f);
                        }
                    }
                }
                // A sentence that defines a term ("\"x\" means ...; no license is granted
                // for x") holds a clause of its own after the definition, which the whole
                // sentence, a definition, does not say: it is read alone.
                let clause = defs.get(k).cloned().flatten().map(|(_, body)| crate::defined::clause_after(item, body.end)).filter(|&c| c < item.len());
                let (range, item) = match clause {
                    Some(c) => {
                        let (range, item) = (range.start + c..range.end, item.get(c..).unwrap_or_default());
                        if lead.is_none() && has_words(item) {
                            let before = out.len();
                            self.lint_read(original, norm, None, range.clone(), item, "", range.clone(), only, &mut seen, &mut scratch, &mut out);
                            // What the whole sentence already reported (a rule that does
                            // not pass over definitions) is not reported again.
                            let read: Vec<Finding> = out.drain(before..).collect();
                            for f in read {
                                if !out.get(first..).is_some_and(|g| g.iter().any(|g| g.rule == f.rule && g.span == f.span)) {
                                    out.push(f);
                                }
                            }
                        }
                        (range, item)
                    }
                    None => (range, item),
                };
                // A term the text defines as a restriction, used here: read again with its
                // definition in its place.
                if !terms.is_empty() {
                    self.lint_substituted(original, norm, lead.as_ref(), range.clone(), item, terms, first, only, &mut seen, &mut scratch, &mut out);
                }
            }
            self.defer_generic(&mut out, first, intro_end);
        });
        out
    }

    /// Of one sentence's findings (`out[first..]`), drop those of a `generic` rule (a
    /// catch-all such as "forbids using the work for a particular purpose") where a
    /// finding of a rule that is not one, as severe or more and for a criterion they
    /// share, reports the same words; or, for a list held in the sentence, where the
    /// generic finding is of the introduction read alone (`out[first..intro_end]`) and
    /// the other of an item. "may not be used for: (a) military purposes" then reports
    /// the military use, not also a purpose taken out of the grant twice.
    fn defer_generic(&self, out: &mut Vec<Finding>, first: usize, intro_end: Option<usize>) {
        let Some(group) = out.get(first..) else { return };
        // (A sentence with hundreds of findings is a machine-made one: left as it is.)
        if group.len() < 2 || group.len() > 256 {
            return;
        }
        let rule = |f: &Finding| self.set.rules.get(f.rule);
        let in_intro = |i: usize| intro_end.is_some_and(|e| first + i < e);
        let drop: Vec<bool> = group
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let Some(r) = rule(f).filter(|r| r.generic) else { return false };
                group.iter().enumerate().any(|(j, g)| {
                    rule(g).is_some_and(|s| !s.generic && s.osd.iter().any(|c| r.osd.contains(c)))
                        && g.severity >= f.severity
                        && (overlaps(&f.span, &g.span) || (in_intro(i) && !in_intro(j)))
                })
            })
            .collect();
        if drop.contains(&true) {
            let mut k = 0;
            out.retain(|_| {
                let keep = k < first || !drop.get(k - first).copied().unwrap_or(false);
                k += 1;
                keep
            });
        }
    }

    /// Confirm what the prefilter finds in one sentence (of normalized, flattened text).
    /// Spans in the findings are relative to the sentence.
    fn lint_sentence(&self, sentence: &str, only: Option<usize>, seen: &mut Seen, scratch: &mut Scratch) -> Vec<Finding> {
        // The rules the prefilter calls on, and where the literals regexes need occur.
        seen.at.clear();
        let bytes = sentence.as_bytes();
        // A literal found at `start`: its rules are candidates, and a condition may ask
        // where it is.
        let mut found = |li: usize, start: usize, end: usize| {
            let (Some(&at), Some(&next)) = (self.calls.get(li), self.calls.get(li + 1)) else { return };
            let rules = self.called.get((at & CALLS) as usize..(next & CALLS) as usize).unwrap_or_default();
            for &r in rules {
                if only.is_none_or(|o| o == r as usize) {
                    if let Some(word) = seen.called.get_mut(r as usize / 64) {
                        *word |= 1 << (r % 64);
                    }
                }
            }
            if at & NEEDED != 0 {
                // Texts are linted in pieces of at most a few MiB, so offsets fit.
                seen.at.push((li as u32, start as u32, end as u32));
            }
        };
        // A core word found at `at`: each literal that holds it and is spelled out around it.
        let holding = |at: usize, holders: &[crate::rules::Holder], found: &mut dyn FnMut(usize, usize, usize)| {
            for h in holders {
                // Most phrases that hold a word differ from the text at one of their ends:
                // look there (the holder has both) before reading the phrase.
                let Some(start) = at.checked_sub(h.offset as usize) else { continue };
                let end = start + h.len as usize;
                if bytes.get(start) != Some(&h.first) || bytes.get(end.wrapping_sub(1)) != Some(&h.last) {
                    continue;
                }
                if bytes.get(start..end) == self.literals.get(h.literal as usize) {
                    found(h.literal as usize, start, end);
                }
            }
        };
        let pre = &self.by_literal.pre;
        match (self.prefilter, self.phrases()) {
            (Some(_), Some(phrases)) => {
                for m in phrases.find_overlapping_iter(sentence) {
                    found(m.value() as usize, m.start(), m.end());
                }
            }
            (Some(words), None) => {
                for m in words.find_overlapping_iter(sentence) {
                    holding(m.start(), crate::rules::slice_of(pre.holder_starts, pre.holders, m.value() as usize), &mut found);
                }
            }
            (None, _) => {}
        }
        if let Some(a) = &self.extra {
            for m in a.find_overlapping_iter(sentence) {
                holding(m.start(), self.cores.get(m.pattern().as_usize()).map_or(&[][..], Vec::as_slice), &mut found);
            }
        }
        let mut out = Vec::new();
        // The rules called on, in order.
        let mut rules: Vec<u16> = Vec::new();
        for (w, word) in seen.called.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                // Fewer than 65536 rules (`RuleSet::finish`).
                rules.push((w * 64 + bits.trailing_zeros() as usize) as u16);
                bits &= bits - 1;
            }
        }
        if rules.is_empty() {
            return out;
        }
        // The distinct literals, sorted, each with its bit; then their occurrences grouped
        // by literal (sorting the occurrences whole cost a seventh of a run over long
        // plain texts, which hold a hundred or so a sentence).
        seen.present.clear();
        for &(l, ..) in &seen.at {
            // `seen.bits` has a bit for every prefilter literal id.
            if let Some(word) = seen.bits.get_mut(l as usize / 64) {
                *word |= 1 << (l % 64);
                seen.bloom |= bloom(l);
            }
        }
        // (Read off the bits: a few hundred words cost less than sorting the literals.)
        for (w, &word) in seen.bits.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                seen.present.push((w * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        scratch.group(&mut seen.at, &seen.present);
        let slot = scratch.verdict_slot(&seen.present);
        let verdicts = RefCell::new(scratch.recent.get_mut(slot).map(|(_, v)| std::mem::take(v)).unwrap_or_default());
        for &l in &seen.present {
            for &p in self.by_literal.get(l) {
                if let Some(word) = seen.maybe.get_mut(p as usize / 64) {
                    *word |= 1 << (p % 64);
                }
            }
        }
        // Each guard's verdict on this sentence, once settled.
        let mut guard_vetoes: Vec<Option<bool>> = vec![None; self.set.guards.len()];
        // A rule's regexes (and then warnings) that the sentence holds the key of or that
        // have none, in order.
        let mut candidates: Vec<(Severity, &Pattern)> = Vec::new();
        'rules: for r in rules {
            // Candidates come from the rule set, so the lookup succeeds.
            let Some(rule) = self.set.rules.get(r as usize) else { continue };
            candidates.clear();
            match self.spans.get(r as usize).copied().flatten() {
                Some(span) => {
                    for w in span.start / 64..span.end.div_ceil(64) {
                        let (from, to) = (span.start.max(w * 64), span.end.min(w * 64 + 64));
                        // The bits of indexes `from..to`, in word `w`.
                        let mask = (u64::MAX >> (64 - (to - from))) << (from - w * 64);
                        let mut bits = (seen.maybe.get(w).copied().unwrap_or(0) | self.unkeyed.get(w).copied().unwrap_or(0)) & mask;
                        while bits != 0 {
                            let i = w * 64 + bits.trailing_zeros() as usize;
                            bits &= bits - 1;
                            let p = if i < span.warn {
                                rule.regexes.get(i - span.start).map(|p| (rule.severity, p))
                            } else {
                                rule.warn.get(i - span.warn).map(|p| (Severity::Warning, p))
                            };
                            candidates.extend(p);
                        }
                    }
                }
                None => {
                    let all = rule.regexes.iter().map(|p| (rule.severity, p)).chain(rule.warn.iter().map(|p| (Severity::Warning, p)));
                    candidates.extend(all.filter(|(_, p)| self.key_held(p, seen)));
                }
            }
            let mut found: Vec<Finding> = Vec::new();
            // Whether the rule's exclusions veto this sentence, once known.
            let mut vetoed: Option<bool> = None;
            for &(severity, p) in &candidates {
                if !self.holds(p, seen, &verdicts) {
                    continue;
                }
                // The regex may match: settle the exclusions first. A vetoed sentence
                // yields nothing for the rule, so its regexes need not be built or run
                // (warranty disclaimers, say, veto many rules' near-matches). A shared
                // guard is settled once a sentence; a `late` one only once the checker
                // has said the regex may match.
                let late = |g: &usize| self.set.guards.get(*g).is_some_and(|g| g.late);
                let vetoed = *vetoed.get_or_insert_with(|| {
                    rule.unless.iter().any(|p| self.holds(p, seen, &verdicts) && scratch.is_match(p, sentence))
                        || rule.guards.iter().filter(|g| !late(g)).any(|&g| self.guard_vetoes(g, sentence, seen, &verdicts, scratch, &mut guard_vetoes))
                });
                if vetoed {
                    continue 'rules;
                }
                if scratch.quick_match(p, sentence) == Some(false) {
                    continue;
                }
                if rule.guards.iter().filter(|g| late(g)).any(|&g| self.guard_vetoes(g, sentence, seen, &verdicts, scratch, &mut guard_vetoes)) {
                    continue 'rules;
                }
                for (whole, groups) in scratch.captures_checked(p, sentence) {
                    let hit = groups.iter().find(|(n, _)| *n == "hit").map_or(whole.clone(), |(_, r)| r.clone());
                    let hit = trim_range(sentence, snap(sentence, hit));
                    let frame = trim_range(sentence, snap(sentence, whole.start..hit.start.max(whole.start)));
                    // A frame is worth showing when it is a few words, not a paragraph.
                    let frame = (frame.len() >= 4 && frame.len() <= 120).then_some(frame);
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
                        sentence: 0..sentence.len(),
                        frame,
                        defined: None,
                        facts: crate::facts::from_captures_in(&named, &context(sentence, &whole)),
                    });
                }
            }
            // Exclusions were settled, and did not veto, before anything was found.
            out.extend(found);
        }
        for &(l, ..) in &seen.at {
            if let Some(word) = seen.bits.get_mut(l as usize / 64) {
                *word &= !(1 << (l % 64));
            }
        }
        // A few dozen words, where the regexes keyed by common literals are hundreds.
        seen.maybe.fill(0);
        seen.bloom = 0;
        if let Some((_, v)) = scratch.recent.get_mut(slot) {
            *v = verdicts.into_inner();
        }
        out
    }

    /// The embedded phrase automaton, once this linter has been given enough text for it
    /// to pay ([`embedded_phrases`]); `None` before, or if it does not read back (the
    /// word automaton finds the same literals).
    fn phrases(&self) -> Option<&'static DoubleArrayAhoCorasick<u32>> {
        if self.given.load(std::sync::atomic::Ordering::Relaxed) < PHRASES_AFTER {
            return None;
        }
        embedded_phrases().ok().flatten()
    }

    /// Whether the sentence holds a literal of the key of `p`, if it has one.
    #[inline]
    fn key_held(&self, p: &Pattern, seen: &Seen) -> bool {
        let keyed = self.keyed.get(p.index).copied().unwrap_or(false);
        !keyed || seen.maybe.get(p.index / 64).is_some_and(|w| w & (1 << (p.index % 64)) != 0)
    }

    /// Does the literal condition of `p` hold in the sentence? Every pattern of the set
    /// has a condition (`conds` has `pattern_count()` entries).
    ///
    /// Whether its literals are there depends only on which literals the sentence holds,
    /// so that part of the answer is kept in `verdicts`, the answers given for sentences
    /// with this same set of literals ([`Scratch::recent`]); where they are is checked
    /// each time.
    fn holds(&self, p: &Pattern, seen: &Seen, verdicts: &RefCell<Verdicts>) -> bool {
        if !self.key_held(p, seen) {
            return false;
        }
        let Some(c) = self.cond(p.index) else { return false };
        let known = verdicts.borrow().get(p.index);
        let present = known.unwrap_or_else(|| {
            let v = c.required.iter().all(|&l| seen.has(l)) && c.cond.holds(seen);
            verdicts.borrow_mut().set(p.index, v);
            v
        });
        present && (!c.ordered || c.cond.reach(seen, 0).is_some())
    }

    /// The condition of regex `i`, read from its encoding the first time.
    fn cond(&self, i: usize) -> Option<&Prepared> {
        let slot = self.conds.get(i)?;
        Some(slot.get_or_init(|| {
            let Some(mut bytes) = self.encoded.get(i).copied().flatten() else { return Prepared::new(Cond::True) };
            let cond = crate::rules::decode_with(&mut bytes, self.table, &mut FromTable)
                .filter(|_| bytes.is_empty())
                .unwrap_or(Cond::True);
            Prepared::new(cond)
        }))
    }
}

/// A thread's search caches for the linter last used on the thread: a checker cache slot
/// per regex, and one search space that every full regex resets to itself. Owning them
/// (rather than sharing the regex crate's pool) keeps memory to the rules a thread
/// actually ran, and keeps threads from contending for caches.
#[derive(Default)]
struct Scratch {
    linter: usize,
    /// The search space of the full regexes ([`crate::rules::Full`]), one for them all.
    full: crate::rules::FullCache,
    /// The caches of the regexes' checkers ([`Pattern::checker`]).
    checker_caches: Vec<Option<Box<regex_automata::hybrid::dfa::Cache>>>,
    /// For the last few sets of literals sentences held (sorted ids), which regexes'
    /// literal conditions held ([`Linter::holds`]): long texts repeat a phrasing with a
    /// word or a number changed, and a set met again skips its conditions.
    recent: Vec<(Vec<u32>, Verdicts)>,
    /// The slot of `recent` to fill next.
    next_recent: usize,
    /// For [`Scratch::group`]: a slot for each literal id, and room for the occurrences.
    slots: Vec<u32>,
    spare: Vec<(u32, u32, u32)>,
    /// Each cache's size when last used, and their sum.
    sizes: Vec<usize>,
    total: usize,
    /// Where the leads of large regexes begin in the text last searched.
    lead_starts: LeadStarts,
    /// Where the last checker that searched anchored at its lead's starts, in the text
    /// of [`Scratch::lead_starts`], said yes.
    anchor: Option<Anchor>,
}

/// A checker's yes at a lead's start ([`crate::lead`]): no match of its regex begins
/// before `at`, and when the checker is exact, one begins there.
#[derive(Clone, Copy)]
struct Anchor {
    /// The pattern's index, and where its search began.
    pattern: usize,
    from: usize,
    at: usize,
}

/// Where each lead ([`crate::lead`]) begins in one text: scanned for when a checker
/// first needs it, then shared by every regex with that lead.
#[derive(Default)]
struct LeadStarts {
    /// The text the starts are of.
    text: Vec<u8>,
    /// Bumped for each new text: a lead's starts are of `text` when their generation is
    /// this.
    generation: u64,
    /// For each lead id: the generation of its starts, whether the scan succeeded, and
    /// the starts.
    starts: Vec<(u64, bool, Vec<usize>)>,
    /// The lazy-DFA cache of each lead.
    caches: Vec<Option<Box<regex_automata::hybrid::dfa::Cache>>>,
}

impl LeadStarts {
    /// Where `lead` begins in `hay`, ascending; `None` when the scan gave up (the caller
    /// then searches unanchored).
    fn get(&mut self, lead: &crate::lead::Lead, hay: &[u8]) -> Option<&[usize]> {
        if self.text != hay {
            self.text.clear();
            self.text.extend_from_slice(hay);
            self.generation += 1;
        }
        if self.starts.len() <= lead.id {
            self.starts.resize_with(lead.id + 1, Default::default);
            self.caches.resize_with(lead.id + 1, || None);
        }
        let (generation, ok, starts) = self.starts.get_mut(lead.id)?;
        if *generation != self.generation {
            let slot = self.caches.get_mut(lead.id)?;
            let cache = slot.get_or_insert_with(|| Box::new(lead.dfa.create_cache()));
            starts.clear();
            *ok = crate::lead::starts(&lead.dfa, cache, hay, starts);
            if !*ok {
                // A scan that gave up leaves a thrashed cache behind.
                *slot = None;
            }
            *generation = self.generation;
        }
        ok.then_some(starts.as_slice())
    }
}

/// When a thread's caches grow past this, they are dropped and grow again from the
/// rules in use: the lazy DFAs of hundreds of rules would otherwise hold hundreds of
/// megabytes of states that are rarely needed again.
const CACHE_BUDGET: usize = 32 << 20;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch { linter: usize::MAX, ..Scratch::default() });
}

type Groups<'r> = Vec<(&'r str, Range<usize>)>;

impl Scratch {
    fn reset(&mut self, linter: usize, patterns: usize) {
        if self.linter != linter {
            self.linter = linter;
            self.full = crate::rules::FullCache::default();
            self.checker_caches.clear();
            self.recent.clear();
            self.sizes.clear();
            self.total = 0;
            self.lead_starts = LeadStarts::default();
            self.anchor = None;
        }
        self.checker_caches.resize_with(patterns, || None);
        self.sizes.resize(patterns, 0);
    }

    /// The slot of [`Scratch::recent`] for a sentence holding the literals `present`:
    /// the set's own if it was met lately, else the oldest one, emptied for it.
    fn verdict_slot(&mut self, present: &[u32]) -> usize {
        if let Some(i) = self.recent.iter().position(|(set, _)| set.as_slice() == present) {
            return i;
        }
        if self.recent.len() < VERDICT_SETS {
            self.recent.push((present.to_vec(), Verdicts::default()));
            return self.recent.len() - 1;
        }
        let i = self.next_recent % VERDICT_SETS;
        self.next_recent = i + 1;
        if let Some((set, verdicts)) = self.recent.get_mut(i) {
            set.clear();
            set.extend_from_slice(present);
            verdicts.clear();
        }
        i
    }

    /// Order the occurrences `at` (literal, start, end) as sorting them would, where
    /// `present` holds their distinct literals, sorted: a count of each literal places
    /// them, and the prefilters report a literal's occurrences by start already.
    fn group(&mut self, at: &mut Vec<(u32, u32, u32)>, present: &[u32]) {
        let Some(&last) = present.last() else { return };
        if self.slots.len() <= last as usize {
            self.slots.resize(last as usize + 1, 0);
        }
        for &l in present {
            if let Some(n) = self.slots.get_mut(l as usize) {
                *n = 0;
            }
        }
        for &(l, ..) in at.iter() {
            if let Some(n) = self.slots.get_mut(l as usize) {
                *n += 1;
            }
        }
        let mut offset = 0;
        for &l in present {
            if let Some(n) = self.slots.get_mut(l as usize) {
                (*n, offset) = (offset, offset + *n);
            }
        }
        self.spare.clear();
        self.spare.resize(at.len(), (0, 0, 0));
        for &o in at.iter() {
            let place = self.slots.get_mut(o.0 as usize).map(|n| {
                *n += 1;
                *n - 1
            });
            if let Some(slot) = place.and_then(|i| self.spare.get_mut(i as usize)) {
                *slot = o;
            }
        }
        std::mem::swap(at, &mut self.spare);
        // (The word and phrase prefilters report in order; anything else is sorted.)
        if !at.windows(2).all(|w| w.first() <= w.get(1)) {
            at.sort_unstable();
        }
    }

    /// Account for the growth of the checker cache of `p` in a search just done.
    fn used(&mut self, p: &Pattern) {
        let Some(now) = self.checker_caches.get(p.index).and_then(Option::as_ref).map(|c| c.memory_usage()) else { return };
        // `sizes` is resized along with `checker_caches`, so the slot exists.
        let Some(size) = self.sizes.get_mut(p.index) else { return };
        // The sizes add up to the total, so this cannot underflow.
        self.total = self.total - *size + now;
        *size = now;
        if self.total > CACHE_BUDGET {
            self.checker_caches.iter_mut().for_each(|c| *c = None);
            self.sizes.iter_mut().for_each(|s| *s = 0);
            self.total = 0;
        }
    }

    /// What the checker of `p` says about `text`: `Some(false)` when `p` cannot match
    /// there, `Some(true)` when it may, `None` when the checker cannot tell.
    fn quick_match(&mut self, p: &Pattern, text: &str) -> Option<bool> {
        self.quick(p, text).map(|(found, _)| found)
    }

    /// [`Scratch::quick_match`], and whether its "yes" is final ([`Pattern::checker`]).
    fn quick(&mut self, p: &Pattern, text: &str) -> Option<(bool, bool)> {
        self.quick_from(p, text.as_bytes(), 0)
    }

    /// [`Scratch::quick`] on `hay` from `start` on (what comes before `start` still
    /// counts for a word boundary).
    fn quick_from(&mut self, p: &Pattern, hay: &[u8], start: usize) -> Option<(bool, bool)> {
        let checker = p.checker()?;
        let (dfa, exact) = match &checker.dfa {
            crate::rules::CheckerDfa::Lazy(dfa) => (dfa, checker.exact),
            crate::rules::CheckerDfa::Whole(dfa) => {
                use regex_automata::dfa::Automaton;
                let found = dfa.try_search_fwd(&regex_automata::Input::new(hay).range(start..).earliest(true));
                return found.ok().map(|m| (m.is_some(), checker.exact));
            }
        };
        let starts = checker.lead.as_ref().and_then(|lead| self.lead_starts.get(lead, hay));
        let cache = self.checker_caches.get_mut(p.index)?.get_or_insert_with(|| Box::new(dfa.create_cache()));
        let found = match starts {
            // A large regex: anchored where its lead matches ([`crate::lead`]).
            Some(starts) => {
                let mut found = Ok(None);
                self.anchor = None;
                for &s in starts.iter().filter(|&&s| s >= start) {
                    let input = regex_automata::Input::new(hay).range(s..).anchored(regex_automata::Anchored::Yes).earliest(true);
                    found = dfa.try_search_fwd(cache, &input);
                    if matches!(found, Ok(Some(_))) {
                        self.anchor = Some(Anchor { pattern: p.index, from: start, at: s });
                    }
                    if !matches!(found, Ok(None)) {
                        break;
                    }
                }
                found
            }
            None => dfa.try_search_fwd(cache, &regex_automata::Input::new(hay).range(start..).earliest(true)),
        };
        self.used(p);
        let found = found.ok().map(|m| m.is_some());
        if found.is_none() {
            // A search that gave up leaves a thrashed cache behind: start afresh next time.
            if let Some(slot) = self.checker_caches.get_mut(p.index) {
                *slot = None;
            }
        }
        found.map(|f| (f, exact))
    }

    fn is_match(&mut self, p: &Pattern, text: &str) -> bool {
        match self.quick(p, text) {
            Some((false, _)) => return false,
            // An exact checker's yes is the regex's: no need to build the regex.
            Some((true, true)) => return true,
            _ => {}
        }
        p.regex().is_some_and(|re| re.is_match_with(&mut self.full, text.as_bytes()))
    }

    /// Every match of `p` in `text`, where its checker ([`Scratch::quick_match`]) has
    /// already said it may match: the whole match and the named groups.
    fn captures_checked<'r>(&mut self, p: &'r Pattern, text: &str) -> Vec<(Range<usize>, Groups<'r>)> {
        let mut out = Vec::new();
        let Some(re) = p.regex() else { return out };
        let hay = text.as_bytes();
        let mut input = regex_automata::Input::new(hay);
        // Only a regex with named groups needs its groups found; the rest stop at the
        // match bounds.
        let named = re.has_names();
        let mut caps = if named {
            re.create_captures()
        } else {
            regex_automata::util::captures::Captures::matches(re.group_info().clone())
        };
        // Where the checker found the regex may begin matching (searching from `from`):
        // the search starts there, and, when the checker is exact, matches there.
        // (Not for a regex whose checker dropped its leading parts: its matches may begin
        // before the checker's.)
        let exact = p.checker().is_some_and(|c| c.exact);
        let anchored = |this: &Scratch, from: usize| {
            this.anchor
                .filter(|a| a.pattern == p.index && a.from == from && this.lead_starts.text == hay && re.keeps_starts())
                .map(|a| a.at)
        };
        let narrow = |input: &mut regex_automata::Input<'_>, at: Option<usize>| {
            if let Some(at) = at {
                input.set_start(at);
                input.set_anchored(if exact { regex_automata::Anchored::Yes } else { regex_automata::Anchored::No });
            } else {
                input.set_anchored(regex_automata::Anchored::No);
            }
        };
        narrow(&mut input, anchored(self, 0));
        loop {
            re.search(&mut self.full, &input, &mut caps);
            let Some(m) = caps.get_match() else { break };
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
            // Looking for one more match, the full regex reads the rest of the sentence
            // on its slow engines, and mostly finds none: the checker says so sooner.
            if matches!(self.quick_from(p, hay, next), Some((false, _))) {
                break;
            }
            narrow(&mut input, anchored(self, next));
        }
        out
    }
}

/// The words of a match and a few either side, where a fact's period is written
/// ("gross annual revenue ... below $2M", "$1M a year").
fn context(sentence: &str, whole: &Range<usize>) -> String {
    let (start, end) = (whole.start.saturating_sub(24), (whole.end + 24).min(sentence.len()));
    sentence.get(snap(sentence, start..end)).unwrap_or_default().to_string()
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
    let base = start + CHUNK / 2;
    // More than CHUNK bytes remain past `start`, so the window is in bounds.
    let Some(window) = text.as_bytes().get(base..start + CHUNK) else { return text.len() };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// [`FromTable`] without its shortcut for choices of table literals.
    struct OneByOne;

    impl crate::rules::Build for OneByOne {
        type Out = Cond;
        fn truth(&mut self) -> Cond {
            FromTable.truth()
        }
        fn lit(&mut self, l: &'static [u8]) -> Cond {
            FromTable.lit(l)
        }
        fn lit_at(&mut self, i: usize, l: &'static [u8]) -> Cond {
            FromTable.lit_at(i, l)
        }
        fn any(&mut self, v: Vec<Cond>) -> Cond {
            FromTable.any(v)
        }
        fn seq(&mut self, v: Vec<Cond>) -> Cond {
            FromTable.seq(v)
        }
        fn near(&mut self, at: usize, c: Cond) -> Cond {
            FromTable.near(at, c)
        }
        fn gap(&mut self, at: usize, c: Cond) -> Cond {
            FromTable.gap(at, c)
        }
    }

    /// `calls_of` gives each literal the rules of its pairs, in order, and its flag.
    #[test]
    fn each_literal_calls_its_own_rules_and_says_whether_it_is_needed() {
        let (calls, called) = calls_of(&[(1, 1), (1, 3), (3, 2)], &[true, false, false, true]).expect("small");
        assert_eq!(called, [1, 3, 2]);
        assert_eq!(calls, [NEEDED, 0, 2, 2 | NEEDED, 3]);
        let rules = |i: usize| &called[(calls[i] & CALLS) as usize..(calls[i + 1] & CALLS) as usize];
        assert_eq!((rules(0), rules(1), rules(2), rules(3)), (&[][..], &[1, 3][..], &[][..], &[2][..]));
    }

    /// Where sentences seldom repeat, the memo keeps only a sample of them after its
    /// trial; where they repeat, it keeps them all; and what is linted is the same.
    #[test]
    fn the_memo_keeps_a_sample_where_sentences_do_not_repeat() {
        let set = || RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        let linter = Linter::new(set()).unwrap_or_else(|e| panic!("{e:?}"));
        let n = 4 * MEMO_TRIAL;
        let unique: String = (0..n).map(|i| format!("Part {i} of this work may not be used for military purposes.\n\n")).collect();
        let found = linter.lint(&unique);
        let kept = linter.memo.lock().map(|m| m.len()).unwrap_or(0);
        assert!(kept >= MEMO_TRIAL && kept < MEMO_TRIAL + n / 8, "{kept} of {n}");
        assert_eq!(found.len(), n, "each sentence is still linted");
        let repeated: String = (0..n).map(|i| format!("Section {} may not be used for military purposes.\n\n", i % 100)).collect();
        let again = Linter::new(set()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(again.lint(&repeated).len(), n);
        let found_again = again.memo_found.load(std::sync::atomic::Ordering::Relaxed);
        assert!(found_again > n / 2, "{found_again} of {n} found in the memo");
    }

    /// Every embedded condition reads back the same with the shortcut as without it, and
    /// the shortcut is taken.
    #[test]
    fn choices_of_table_literals_read_back_as_built_one_by_one() {
        let linter = Linter::new(RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e:?}"));
        let (mut read, mut choices) = (0, 0);
        for bytes in linter.encoded.iter().flatten() {
            let (mut a, mut b) = (*bytes, *bytes);
            let fast = crate::rules::decode_with(&mut a, linter.table, &mut FromTable);
            let slow = crate::rules::decode_with(&mut b, linter.table, &mut OneByOne);
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
            assert_eq!(a.len(), b.len(), "both read the whole encoding");
            read += 1;
            choices += usize::from(matches!(fast, Some(Cond::AnyLit { .. })));
        }
        assert!(read > 1000 && choices > 100, "{read} conditions, {choices} choices of literals");
    }

    /// The clause after a definition, read alone, does not report again what the whole
    /// sentence reported (a rule that does not pass over definitions finds it in both).
    #[test]
    fn a_clause_after_a_definition_is_not_reported_twice() {
        let linter = Linter::new(RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e:?}"));
        let text = "\"Competitor\" means any firm that sells a search product; no Competitor, and no agent acting for a Competitor, may use the program.";
        let found: Vec<(String, Range<usize>)> =
            linter.lint(text).into_iter().map(|f| (linter.set.rules.get(f.rule).map(|r| r.id.clone()).unwrap_or_default(), f.span)).collect();
        let named: Vec<_> = found.iter().filter(|(id, _)| id == "osd5/named-entity").collect();
        assert_eq!(named.len(), 1, "{found:?}");
    }
}

#[cfg(test)]
mod matrix_tests {
    use super::forbidden_pairs;

    /// The actions a matrix line forbids, as text.
    fn forbidden(line: &str) -> Vec<(&str, &str)> {
        forbidden_pairs(line).into_iter().map(|(a, r)| (&line[a], &line[r])).collect()
    }

    #[test]
    fn a_matrix_line_forbids_the_actions_whose_verdict_is_no() {
        assert_eq!(forbidden("military/defence: no | nuclear power: no | other: yes"), [("military/defence", "military/defence: no"), ("nuclear power", "nuclear power: no")]);
        assert_eq!(forbidden("personal use | yes ; use in a business or for clients | no"), [("use in a business or for clients", "use in a business or for clients | no")]);
        assert_eq!(forbidden("redistribution - no."), [("redistribution", "redistribution - no")]);
        assert_eq!(forbidden("bundling with third-party software: not permitted"), [("bundling with third-party software", "bundling with third-party software: not permitted")]);
        // A verdict with its conditions still forbids.
        assert_eq!(forbidden("commercial use: no, unless licensed").len(), 1);
        assert_eq!(forbidden("hosting: prohibited (except internally)").len(), 1);
        // A heading that names what is forbidden: its value is the action.
        assert_eq!(forbidden("intended use: research; out-of-scope use: any commercial deployment"), [("any commercial deployment", "any commercial deployment")]);
        assert_eq!(forbidden("prohibited uses: weapons, surveillance"), [("weapons, surveillance", "weapons, surveillance")]);
        assert_eq!(forbidden("restrictions: none"), []);
        assert_eq!(forbidden("restrictions: no restrictions"), []);
        assert_eq!(forbidden("restrictions: no military use"), [("military use", "military use")]);
        // Emphasis around a value is not part of it.
        assert_eq!(forbidden("prohibited uses: **weapons**"), [("weapons", "weapons")]);
        assert_eq!(forbidden("**commercial use**: _no_"), [("commercial use", "commercial use**: _no_")]);
    }

    #[test]
    fn lines_that_are_not_a_matrix_or_allow_forbid_nothing() {
        // Verdicts that allow, or that only start like a "no".
        assert_eq!(forbidden("commercial use: no restrictions"), []);
        assert_eq!(forbidden("commercial use: allowed | redistribution: yes"), []);
        assert_eq!(forbidden("fees: none"), []);
        // A part that is not a pair makes the line not a matrix.
        assert_eq!(forbidden("military: no | and we hope you enjoy it"), []);
        // Long cells are prose, not a matrix.
        assert_eq!(forbidden("note: no one who receives a copy of this program from anyone at all is excluded from it"), []);
        // A table row is forbidden_row's.
        assert_eq!(forbidden("| commercial use | no |"), []);
    }
}
