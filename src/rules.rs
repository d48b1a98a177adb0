//! Rules as data: the TOML pattern-set format, its loading and checking.
//!
//! A pattern set is a TOML file of `[[rule]]` tables (and shared `[[guard]]` tables of
//! exclusions). The sets under `patterns/` are embedded in the binary at build time;
//! `--patterns DIR` adds the `*.toml` files of a directory.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

pub use regex_automata::meta::Regex;
use toml::Spanned;

use crate::error::PatternError;
use crate::lead::{Lead, Leads};

#[path = "need.rs"]
mod need;
use need::REGEX_SIZE_LIMIT;
pub use need::{by_core, core, decode_with, key_cost, slice_of, Build, CompileError, Holder, Holders, Need, Prefilter, Table};
pub(crate) use need::parse;

#[path = "defs.rs"]
mod defs;
pub use defs::{Severity, Text};
use defs::FileDef;

/// A regex's literal condition: computed from the regex, or as `build.rs` encoded it.
#[derive(Debug)]
enum NeedOf {
    Parsed(Need),
    /// Encoded with literals as indexes in the embedded literal table, with its key.
    Encoded(&'static [u8], bool),
}

/// A regex compiled on first use, so a run pays only for the rules its text calls on.
#[derive(Debug)]
pub struct Pattern {
    pub source: Text,
    /// Where the regex stands in its pattern file.
    pub span: Range<usize>,
    /// Unique within its [`RuleSet`]: the slot of this regex's search cache in a thread's
    /// scratch space (see `engine.rs`).
    pub index: usize,
    /// What must occur in a text for the regex to match there.
    need: NeedOf,
    /// The parsed regex as `build.rs` wrote it, for an embedded pattern.
    hir: Option<&'static [u8]>,
    /// Its loosened tree ([`relax`]), which the checker is built from, likewise; and
    /// whether loosening left it as it was (but for capture groups).
    relaxed: Option<(&'static [u8], bool)>,
    /// Its checker as a whole DFA, serialized by `build.rs`, for a small one
    /// (`embedded_checker` in `build.rs`); empty when there is none.
    whole: &'static [u8],
    compiled: OnceLock<Option<Full>>,
    /// A forward lazy DFA of the regex with its long gaps loosened ([`relax`]), which
    /// says at a fraction of the full regex's cost where the regex cannot match (see
    /// [`Pattern::checker`]): not built yet, or built (`None` when it cannot be).
    /// With it, whether it is exact: the regex had no long gap to loosen, so the
    /// checker's "yes" is the regex's.
    checker: Mutex<Option<Option<CheckerOf>>>,
    /// The leads of its set's regexes, which its checker's lead joins ([`crate::lead`]).
    leads: Arc<Leads>,
}

/// A forward-only lazy DFA: it tells whether a regex matches in a text, not where.
pub type Checker = regex_automata::hybrid::dfa::DFA;

/// A checker's automaton: built ahead by `build.rs` and read where the binary holds it
/// (a small one of an embedded regex, `embedded_checker` in `build.rs`), or a lazy DFA that
/// builds its states as it searches.
#[derive(Debug, Clone)]
pub enum CheckerDfa {
    Whole(Arc<regex_automata::dfa::dense::DFA<&'static [u32]>>),
    Lazy(Arc<Checker>),
}

/// A regex's checker ([`Pattern::checker`]).
#[derive(Debug, Clone)]
pub struct CheckerOf {
    pub dfa: CheckerDfa,
    /// Its "yes" is the regex's too.
    pub exact: bool,
    /// For a large regex, what its matches begin with: the checker then searches
    /// anchored where that matches ([`crate::lead`]).
    pub lead: Option<Lead>,
}

/// Cap on each regex's lazy-DFA cache (per thread), so hundreds of rules stay small.
const DFA_CACHE_LIMIT: usize = 256 << 10;

/// Build a `meta::Regex` of a parsed rule regex, with its search engines (`full`) or only
/// those whose building can fail (the NFAs), which is enough to check it: loading a
/// pattern set checks each regex this way, with the errors it reports. Linting searches
/// with [`Full`] instead; tests hold [`Full`] to this regex's matches.
///
/// Its engines are the forward ones. The lazy and dense DFAs would need a reverse NFA
/// too, whose building cost more than the searches they sped up when this was the
/// linting engine: over every tenth corpus text 5.41 G instructions with them, 4.55 G
/// without, the same findings. The one-pass DFA is not tried either: rule regexes are
/// seldom one-pass.
fn build_hir(hir: &regex_syntax::hir::Hir, full: bool) -> Result<Regex, CompileError> {
    use regex_automata::meta;
    let mut config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .utf8_empty(false)
        .dfa(false)
        .hybrid(false)
        .onepass(false);
    if !full {
        config = config.auto_prefilter(false).onepass(false).dfa(false).hybrid(false).backtrack(false);
    }
    meta::Builder::new()
        .configure(config)
        .build_from_hir(hir)
        .map_err(|e| {
            let text = e.to_string();
            if e.size_limit().is_some() || text.contains("exceeds size limit") {
                CompileError(format!("regex is too large: it compiles to more than the limit of {REGEX_SIZE_LIMIT} bytes"))
            } else {
                CompileError(format!("invalid regex:\n{}", e.syntax_error().map_or(text, |s| s.to_string())))
            }
        })
}

/// Bytes of "visited" bits a thread's backtracker may use (a bit for each rule NFA state
/// at each haystack position): 1 MiB, four times the default, lets the backtracker
/// rather than the PikeVM search most sentences even through a rule's long counted gaps.
/// Over the corpus (`check -j 1`): 11.44 G instructions with the default, 11.42 G with
/// 1 MiB, 11.75 G with 4 MiB (clearing the bits costs more than the PikeVM it saves).
const BACKTRACK_VISITED: usize = 1 << 20;

/// A rule regex compiled for the searches the linter makes once its checker has said a
/// sentence may match: the forward NFA with a bounded backtracker and a PikeVM (for
/// sentences too long for the backtracker), and no caches of its own. A thread keeps one
/// [`FullCache`] for all of them, so memory does not grow with the number of regexes a
/// run has used (as it did with a `meta::Regex` and its cache per regex), and building
/// one does not extract a literal prefilter the checker has made redundant.
#[derive(Debug)]
pub struct Full {
    pikevm: regex_automata::nfa::thompson::pikevm::PikeVM,
    backtrack: regex_automata::nfa::thompson::backtrack::BoundedBacktracker,
    /// Whether it has named capture groups.
    named: bool,
    /// Whether its matches begin where its checker's do ([`need::checker_keeps_starts`]).
    keeps_starts: bool,
}

/// A thread's search space for [`Full`] regexes, reset to whichever it searches with.
#[derive(Debug, Default)]
pub struct FullCache {
    pikevm: Option<(regex_automata::nfa::thompson::pikevm::Cache, usize)>,
    backtrack: Option<(regex_automata::nfa::thompson::backtrack::Cache, usize)>,
}

impl FullCache {
    /// The memory held, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.pikevm.as_ref().map_or(0, |(c, _)| c.memory_usage()) + self.backtrack.as_ref().map_or(0, |(c, _)| c.memory_usage())
    }
}

impl Full {
    fn new(hir: &regex_syntax::hir::Hir) -> Result<Full, CompileError> {
        use regex_automata::nfa::thompson::{self, backtrack, pikevm};
        // `build_hir` has already checked that it compiles within the limit.
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).utf8(false))
            .build_from_hir(hir)
            .map_err(|e| CompileError(format!("invalid regex: {e}")))?;
        let named = nfa.group_info().pattern_names(regex_automata::PatternID::ZERO).flatten().count() > 0;
        let backtrack = backtrack::Builder::new()
            .configure(backtrack::Config::new().visited_capacity(BACKTRACK_VISITED))
            .build_from_nfa(nfa.clone())
            .map_err(|e| CompileError(format!("invalid regex: {e}")))?;
        let pikevm = pikevm::Builder::new().build_from_nfa(nfa).map_err(|e| CompileError(format!("invalid regex: {e}")))?;
        Ok(Full { pikevm, backtrack, named, keeps_starts: need::checker_keeps_starts(hir) })
    }

    /// Whether the regex has named groups (only then are its captures worth finding).
    pub fn has_names(&self) -> bool {
        self.named
    }

    /// Whether its matches begin where its checker's matches begin: then none begins
    /// before the first place the checker found one to begin.
    pub fn keeps_starts(&self) -> bool {
        self.keeps_starts
    }

    /// Its capture groups' layout.
    pub fn group_info(&self) -> &regex_automata::util::captures::GroupInfo {
        self.pikevm.get_nfa().group_info()
    }

    /// Room for its captures.
    pub fn create_captures(&self) -> regex_automata::util::captures::Captures {
        self.pikevm.create_captures()
    }

    /// The leftmost-first match in `input`, with the capture groups in `caps` (or only the
    /// match bounds when `caps` has only those slots), using the thread's `cache`.
    pub fn search(&self, cache: &mut FullCache, input: &regex_automata::Input<'_>, caps: &mut regex_automata::util::captures::Captures) {
        let me = self as *const Full as usize;
        if input.get_span().len() < self.backtrack.max_haystack_len() {
            let (c, owner) = cache.backtrack.get_or_insert_with(|| (self.backtrack.create_cache(), me));
            if *owner != me {
                c.reset(&self.backtrack);
                *owner = me;
            }
            // The haystack fits the visited set, so the search cannot fail.
            if self.backtrack.try_search(c, input, caps).is_ok() {
                return;
            }
        }
        let (c, owner) = cache.pikevm.get_or_insert_with(|| (self.pikevm.create_cache(), me));
        if *owner != me {
            c.reset(&self.pikevm);
            *owner = me;
        }
        self.pikevm.search(c, input, caps);
    }

    /// Whether the regex matches anywhere in `hay`.
    pub fn is_match_with(&self, cache: &mut FullCache, hay: &[u8]) -> bool {
        let input = regex_automata::Input::new(hay).earliest(true);
        let mut caps = regex_automata::util::captures::Captures::matches(self.group_info().clone());
        self.search(cache, &input, &mut caps);
        caps.is_match()
    }

    /// [`Full::is_match_with`] on a cache of its own.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.is_match_with(&mut FullCache::default(), hay)
    }
}

/// Build the forward lazy DFA of a parsed regex, configured as [`build_hir`] configures
/// the full regex's.
fn build_checker(hir: &regex_syntax::hir::Hir) -> Option<Checker> {
    use regex_automata::hybrid::dfa;
    let nfa = need::checker_nfa(hir)?;
    dfa::DFA::builder()
        .configure(
            dfa::Config::new()
                .cache_capacity(DFA_CACHE_LIMIT)
                // A large regex needs more than the cap to build; it thrashes instead,
                // gives up after a few cache clears, and its caller falls back.
                .skip_cache_capacity_check(true)
                .minimum_cache_clear_count(Some(3))
                .minimum_bytes_per_state(Some(10)),
        )
        .build_from_nfa(nfa)
        .ok()
}

/// A checker `build.rs` built ahead (its `embedded_checker`), read in place (and
/// checked); `None` for no bytes, or bytes that do not read back (on a big-endian
/// machine, say).
fn read_embedded_checker(bytes: &'static [u8]) -> Option<regex_automata::dfa::dense::DFA<&'static [u32]>> {
    if bytes.is_empty() {
        return None;
    }
    regex_automata::dfa::dense::DFA::from_bytes(bytes).ok().map(|(dfa, _)| dfa)
}

/// Compile a rule regex (see [`parse`]).
#[cfg(test)]
pub(crate) fn compile(src: &str) -> Result<Regex, CompileError> {
    build_hir(&parse(src)?, true)
}

impl Pattern {
    /// A pattern with its literal condition, computed now unless `need` brings it.
    fn new(s: &Spanned<Text>, index: usize, need: Option<(&'static [u8], bool)>, trees: Option<Trees>, leads: Arc<Leads>) -> Self {
        let need = match need {
            Some((bytes, keyed)) => NeedOf::Encoded(bytes, keyed),
            None => NeedOf::Parsed(parse(s.get_ref()).map_or(Need::True, |h| Need::of(&h))),
        };
        Pattern {
            source: s.get_ref().clone(),
            span: s.span(),
            index,
            need,
            hir: trees.map(|t| t.0),
            relaxed: trees.map(|t| (t.1, t.2)),
            whole: trees.map_or(&[][..], |t| t.3),
            compiled: OnceLock::new(),
            checker: Mutex::new(None),
            leads,
        }
    }

    /// What must occur in a text for the regex to match there.
    pub fn need(&self) -> Need {
        match &self.need {
            NeedOf::Parsed(n) => n.clone(),
            NeedOf::Encoded(bytes, _) => {
                let mut bytes = *bytes;
                Need::decode(&mut bytes, embedded::LITERALS).filter(|_| bytes.is_empty()).unwrap_or(Need::True)
            }
        }
    }

    /// The condition as `build.rs` encoded it ([`Need::encode_with_table`], literals as
    /// indexes in [`RuleSet::literal_table`]), for an embedded regex: a reader can build
    /// its own form of it from these ([`decode_with`]).
    pub fn encoded_need(&self) -> Option<&'static [u8]> {
        match self.need {
            NeedOf::Encoded(bytes, _) => Some(bytes),
            NeedOf::Parsed(_) => None,
        }
    }

    /// For an embedded regex, whether its condition has a key ([`Need::key`]), which
    /// `build.rs` put in the embedded key index ([`RuleSet::embedded_prefilter`]).
    pub fn encoded_keyed(&self) -> Option<bool> {
        match self.need {
            NeedOf::Encoded(_, keyed) => Some(keyed),
            NeedOf::Parsed(_) => None,
        }
    }

    /// The checker: a forward lazy DFA of the loosened regex ([`relax`]), built on first
    /// use. Most regexes a text calls on do not match it, and the checker's "no" is all a
    /// run needs: it skips building the full regex (reverse automaton, prefilter,
    /// capture engines) and its slow search over long counted gaps. Its "yes" is only a
    /// maybe, which the full regex settles. `None` when it cannot be built; its searches
    /// can also fail (a cache that thrashes, a Unicode word boundary): the caller then
    /// uses [`Pattern::regex`].
    /// With the checker comes whether it is exact: then its "yes" is the regex's too,
    /// which settles a yes-or-no question (an exclusion) without the full regex.
    pub fn checker(&self) -> Option<CheckerOf> {
        let mut slot = self.checker.lock().ok()?;
        slot.get_or_insert_with(|| {
            let (mut bytes, exact) = self.relaxed.unwrap_or_default();
            // Built ahead: read in place. (Bytes that do not read back leave the checker
            // to be built here.)
            if let Some(dfa) = read_embedded_checker(self.whole) {
                return Some(CheckerOf { dfa: CheckerDfa::Whole(Arc::new(dfa)), exact, lead: None });
            }
            let (relaxed, exact) = match need::decode_hir(&mut bytes).filter(|_| bytes.is_empty()) {
                Some(h) => (h, exact),
                None => {
                    let hir = self.hir().ok()?;
                    need::checker_tree(&hir)
                }
            };
            let dfa = build_checker(&relaxed)?;
            let lead = (dfa.get_nfa().states().len() >= crate::lead::LEAD_ABOVE_NFA_STATES)
                .then(|| self.leads.of(&relaxed))
                .flatten();
            Some(CheckerOf { dfa: CheckerDfa::Lazy(Arc::new(dfa)), exact, lead })
        })
        .clone()
    }

    /// The parsed regex: read back from what `build.rs` wrote for an embedded pattern,
    /// parsed from the source otherwise.
    fn hir(&self) -> Result<regex_syntax::hir::Hir, CompileError> {
        let mut bytes = self.hir.unwrap_or_default();
        match need::decode_hir(&mut bytes).filter(|_| bytes.is_empty()) {
            Some(h) => Ok(h),
            None => parse(&self.source),
        }
    }

    /// The compiled regex; `None` only if it does not compile, which loading with
    /// `eager` rules out and the embedded sets' tests rule out.
    pub fn regex(&self) -> Option<&Full> {
        self.compiled
            .get_or_init(|| self.hir().and_then(|h| Full::new(&h)).ok())
            .as_ref()
    }

    /// Whether the regex has been compiled (by use or by an eager load).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// Check that the regex compiles, without keeping it: a run compiles only the regexes
    /// its texts call on, and holding all of them would cost tens of megabytes.
    fn check(&self) -> Result<(), CompileError> {
        build_hir(&parse(&self.source)?, false).map(drop)
    }
}

/// A shared set of exclusions that rules name in `guards`.
#[derive(Debug)]
pub struct Guard {
    pub id: String,
    pub description: String,
    pub regexes: Vec<Pattern>,
    /// Sentences it does not cover though one of its regexes matches.
    pub unless: Vec<Pattern>,
    /// Settled after a rule's checker, not before ([`crate::defs`]' `late`).
    pub late: bool,
}

/// Example texts a rule must and must not flag.
#[derive(Debug, Default)]
pub struct Tests {
    pub matches: Vec<(Text, Range<usize>)>,
    pub no_match: Vec<(Text, Range<usize>)>,
}

/// One rule, loaded.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub osd: Vec<u8>,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub fact_label: Option<String>,
    /// A catch-all, which yields to a more specific rule ([`crate::defs`]' `generic`).
    pub generic: bool,
    pub why: String,
    pub help: String,
    pub explain: String,
    pub triggers: Vec<Text>,
    /// For an embedded rule, the literal table's index of each non-empty trigger.
    pub(crate) trigger_ids: Option<&'static [u32]>,
    pub regexes: Vec<Pattern>,
    pub warn: Vec<Pattern>,
    pub unless: Vec<Pattern>,
    /// Indexes into [`RuleSet::guards`].
    pub guards: Vec<usize>,
    pub tests: Tests,
    /// Which pattern file it came from (index into [`RuleSet::files`]).
    pub file: usize,
    /// Where its id stands in that file.
    pub id_span: Range<usize>,
}

/// A pattern file as read, kept for error reports.
#[derive(Debug, Clone)]
pub struct PatternFile {
    pub name: String,
    /// Borrowed from the binary for an embedded file.
    pub text: std::borrow::Cow<'static, str>,
    /// Built into the binary (as opposed to added with `--patterns`).
    pub embedded: bool,
}

/// All loaded rules and guards.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub guards: Vec<Guard>,
    pub files: Vec<PatternFile>,
    patterns: usize,
    /// The `[fragments]` of the files loaded so far, which later files may use too.
    fragments: defs::Fragments,
    /// The leads of its large regexes ([`crate::lead`]), shared by their checkers.
    leads: Arc<Leads>,
}

/// What the OSD criteria are called, for messages.
pub fn criterion_name(n: u8) -> &'static str {
    match n {
        1 => "free redistribution",
        2 => "source code",
        3 => "derived works",
        4 => "integrity of the author's source code",
        5 => "no discrimination against persons or groups",
        6 => "no discrimination against fields of endeavor",
        7 => "distribution of license",
        8 => "license must not be specific to a product",
        9 => "license must not restrict other software",
        10 => "license must be technology-neutral",
        _ => "unknown criterion",
    }
}

/// The sections every explanation carries, in order.
pub const EXPLAIN_SECTIONS: [&str; 3] =
    ["## What it finds", "## Why it conflicts with the OSD", "## How to fix it"];

/// What `build.rs` computed for one embedded regex: its span in its pattern file, its
/// literal condition as [`Need::encode`] writes it, its syntax tree and loosened tree
/// ([`relax`]) as [`need::encode_hir`] writes them (empty if it does not parse),
/// whether the loosened tree is the regex itself but for capture groups, and whether the
/// condition has a key ([`Need::key`]; the keys are in the embedded key index), and where
/// its checker's whole DFA is in [`EMBEDDED_CHECKERS`] (offset and length; no bytes when
/// it has none).
type Precomputed = (u32, u32, &'static [u8], &'static [u8], &'static [u8], bool, bool, u32, u32);

/// The checkers `build.rs` built ahead as whole DFAs (its `embedded_checker`), one
/// after another.
/// (Aligned for the DFAs' `u32` transitions; `build.rs` starts each at a multiple of 4.)
static EMBEDDED_CHECKERS: &Aligned<[u8]> = &Aligned { bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/checkers.bin")) };

/// Bytes aligned as `u32`s are.
#[repr(C, align(4))]
struct Aligned<B: ?Sized> {
    bytes: B,
}

/// An embedded regex's syntax tree and its loosened tree, as `build.rs` wrote them,
/// whether loosening changed anything but capture groups, and its checker's whole DFA
/// (empty if none).
type Trees = (&'static [u8], &'static [u8], bool, &'static [u8]);

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));
}

/// The prefilter's words and the key index over the embedded literal table
/// ([`RuleSet::embedded_prefilter`] when the embedded sets are loaded).
pub const EMBEDDED_PREFILTER: need::Prefilter = embedded::PREFILTER;

/// The prefilter automaton over [`EMBEDDED_PREFILTER`]'s words, as `build.rs` serialized
/// it (a `daachorse` automaton; word `i` reports `i`); empty if there are no words.
pub const EMBEDDED_AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/prefilter.daac"));

/// An automaton over the embedded literal table itself, as `build.rs` serialized it
/// (literal `i` reports `i`); empty if there are no literals.
pub const EMBEDDED_PHRASES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/phrases.daac"));

impl RuleSet {
    /// The rule sets built into the binary.
    pub fn embedded() -> Result<RuleSet, PatternError> {
        let mut set = RuleSet::default();
        for (i, (name, text)) in embedded::FILES.iter().enumerate() {
            let needs = embedded::NEEDS.get(i).copied().unwrap_or_default();
            let def = embedded::DEFS.get(i).copied().flatten();
            set.add_file_with(name, std::borrow::Cow::Borrowed(text), false, needs, def)?;
        }
        set.finish()?;
        Ok(set)
    }

    /// Add the `*.toml` files of `dir`, in name order, compiling their regexes now so
    /// that a bad one is reported before any text is linted.
    pub fn add_dir(&mut self, dir: &std::path::Path) -> Result<(), PatternError> {
        let io = |e: std::io::Error| PatternError::io(dir.display().to_string(), e);
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(PatternError::plain(
                dir.display().to_string(),
                "no pattern files (*.toml) in this directory".into(),
            ));
        }
        for p in paths {
            let name = p.display().to_string();
            let bytes = std::fs::read(&p).map_err(|e| PatternError::io(name.clone(), e))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| PatternError::plain(name.clone(), "pattern file is not UTF-8".into()))?;
            self.add_file(&name, &text, true)?;
        }
        Ok(())
    }

    /// Parse one pattern file and add its rules.
    pub fn add_file(&mut self, name: &str, text: &str, eager: bool) -> Result<(), PatternError> {
        self.add_file_with(name, std::borrow::Cow::Owned(text.to_string()), eager, &[], None)
    }

    /// [`RuleSet::add_file`], with the literal conditions `build.rs` computed for the
    /// file's regexes: (span of the regex, encoded condition), in the order they are
    /// met. A regex whose span is not next in `needs` gets its condition computed.
    /// `parsed` builds the file's contents as `build.rs` parsed them, for an embedded file.
    fn add_file_with(
        &mut self,
        name: &str,
        text: std::borrow::Cow<'static, str>,
        eager: bool,
        needs: &[Precomputed],
        parsed: Option<fn() -> FileDef>,
    ) -> Result<(), PatternError> {
        let mut needs = needs.iter().peekable();
        let mut pattern = |set: &mut RuleSet, s: &Spanned<Text>| {
            let span = s.span();
            let pre = needs.next_if(|&&(a, b, ..)| (a as usize, b as usize) == (span.start, span.end));
            let need = pre.map(|&(_, _, bytes, _, _, _, keyed, _, _)| (bytes, keyed));
            let whole = |at: u32, len: u32| EMBEDDED_CHECKERS.bytes.get(at as usize..at as usize + len as usize).unwrap_or_default();
            let trees = pre.map(|&(_, _, _, hir, relaxed, exact, _, at, len)| (hir, relaxed, exact, whole(at, len)));
            set.pattern(s, need, trees.filter(|(h, ..)| !h.is_empty()))
        };
        let file_idx = self.files.len();
        self.files.push(PatternFile {
            name: name.to_string(),
            text: text.clone(),
            embedded: !eager,
        });
        let text = &*text;
        let err = |span: Option<Range<usize>>, msg: String| PatternError::at(name, text, span, msg);
        if text.starts_with('\u{feff}') {
            return Err(err(Some(0..3), "pattern file starts with a byte-order mark; save it as UTF-8 without one".into()));
        }
        let mut def: FileDef = match parsed {
            Some(parsed) => parsed(),
            None => toml::from_str(text).map_err(|e| err(e.span(), e.message().to_string()))?,
        };
        // The embedded files' fragments are there for every file.
        self.fragments.base = embedded::FRAGMENTS;
        if parsed.is_none() {
            self.fragments
                .define(&def.fragments)
                .map_err(|(name, msg)| err(name.and_then(|n| def.fragments.get(&n)).map(Spanned::span), msg))?;
            defs::expand_file(&self.fragments, &mut def).map_err(|(span, msg)| err(Some(span), msg))?;
        }

        for g in def.guard {
            if self.guards.iter().any(|x| x.id == *g.id.get_ref()) {
                return Err(err(Some(g.id.span()), format!("duplicate guard id `{}`", g.id.get_ref())));
            }
            let regexes: Vec<Pattern> = g.regexes.iter().map(|s| pattern(self, s)).collect();
            let unless: Vec<Pattern> = g.unless.iter().map(|s| pattern(self, s)).collect();
            if eager {
                for p in regexes.iter().chain(&unless) {
                    p.check().map_err(|e| err(Some(p.span.clone()), e.0))?;
                }
            }
            self.guards.push(Guard {
                id: g.id.into_inner(),
                description: g.description,
                regexes,
                unless,
                late: g.late,
            });
        }

        for r in def.rule {
            let id = r.id.get_ref().clone();
            if !valid_id(&id) {
                return Err(err(
                    Some(r.id.span()),
                    format!("rule id `{id}` must look like `osdN/family-name` (lowercase, digits and dashes)"),
                ));
            }
            if self.rules.iter().any(|x| x.id == id) {
                return Err(err(Some(r.id.span()), format!("duplicate rule id `{id}`")));
            }
            if r.osd.get_ref().is_empty() || r.osd.get_ref().iter().any(|&n| !(1..=10).contains(&n)) {
                return Err(err(Some(r.osd.span()), "`osd` lists OSD criteria, numbers 1 to 10".into()));
            }
            if r.triggers.get_ref().iter().all(|t| t.trim().is_empty()) {
                return Err(err(
                    Some(r.triggers.span()),
                    "a rule needs at least one trigger literal for the prefilter".into(),
                ));
            }
            if r.regexes.is_empty() && r.warn.is_empty() {
                return Err(err(Some(r.id.span()), format!("rule `{id}` has no `regexes` or `warn` regexes")));
            }
            let mut guards = Vec::new();
            for g in &r.guards {
                match self.guards.iter().position(|x| x.id == *g.get_ref()) {
                    Some(i) => guards.push(i),
                    None => return Err(err(Some(g.span()), format!("unknown guard `{}`", g.get_ref()))),
                }
            }
            let mut pats = |v: &[Spanned<Text>]| v.iter().map(|s| pattern(self, s)).collect::<Vec<_>>();
            let rule = Rule {
                id,
                osd: r.osd.into_inner(),
                severity: r.severity,
                message: r.message.into_inner(),
                label: r.label,
                fact_label: r.fact_label,
                generic: r.generic,
                why: r.why,
                help: r.help,
                explain: r.explain.into_inner(),
                trigger_ids: r.trigger_ids,
                triggers: match r.normalized {
                    Some(t) => t,
                    None => r.triggers.into_inner().iter().map(|t| crate::normalize::normalize(t).text.into()).collect(),
                },
                regexes: pats(&r.regexes),
                warn: pats(&r.warn),
                unless: pats(&r.unless),
                guards,
                tests: Tests {
                    matches: r.tests.matches.into_iter().map(|s| (s.get_ref().clone(), s.span())).collect(),
                    no_match: r.tests.no_match.into_iter().map(|s| (s.get_ref().clone(), s.span())).collect(),
                },
                file: file_idx,
                id_span: r.id.span(),
            };
            if eager {
                for p in rule.regexes.iter().chain(&rule.warn).chain(&rule.unless) {
                    p.check().map_err(|e| err(Some(p.span.clone()), e.0))?;
                }
            }
            self.rules.push(rule);
        }
        Ok(())
    }

    /// Checks that need every file loaded.
    pub fn finish(&mut self) -> Result<(), PatternError> {
        if self.rules.len() > u16::MAX as usize {
            return Err(PatternError::plain("patterns".into(), "more than 65535 rules".into()));
        }
        Ok(())
    }

    fn pattern(&mut self, s: &Spanned<Text>, need: Option<(&'static [u8], bool)>, trees: Option<Trees>) -> Pattern {
        self.patterns += 1;
        Pattern::new(s, self.patterns - 1, need, trees, Arc::clone(&self.leads))
    }

    /// Every regex of the set: guards' and rules'.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.guards
            .iter()
            .flat_map(|g| g.regexes.iter().chain(&g.unless))
            .chain(self.rules.iter().flat_map(|r| r.regexes.iter().chain(&r.warn).chain(&r.unless)))
    }

    /// The literals of the embedded regexes' conditions, which their encoded conditions
    /// ([`Pattern::encoded_need`]) index; empty when the embedded sets are not loaded.
    pub fn literal_table(&self) -> need::Table {
        if self.files.iter().any(|f| f.embedded) {
            embedded::LITERALS
        } else {
            need::Table::default()
        }
    }

    /// The prefilter's words and the key index over [`RuleSet::literal_table`], as
    /// `build.rs` computed them; empty when the embedded sets are not loaded.
    pub fn embedded_prefilter(&self) -> need::Prefilter {
        if self.files.iter().any(|f| f.embedded) {
            embedded::PREFILTER
        } else {
            need::Prefilter::default()
        }
    }

    /// How many regexes the set holds (the size of a thread's cache table).
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    pub fn find(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Rules by id, for lookups from renderers.
    pub fn index(&self) -> HashMap<&str, usize> {
        self.rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect()
    }
}

fn valid_id(id: &str) -> bool {
    let Some((head, tail)) = id.split_once('/') else {
        return false;
    };
    head.strip_prefix("osd").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}


#[cfg(test)]
mod tests {
    use super::need::ascii_boundaries;
    use super::*;

    /// Whether a regex's matches begin where its checker's do, read off its tree, is what
    /// building the checker's tree shows, for every embedded regex and a few made up.
    #[test]
    fn keeps_starts_is_read_off_the_tree_as_the_checker_tree_shows() {
        let set = RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        let mut trees: Vec<regex_syntax::hir::Hir> = set.patterns().map(|p| p.hir().unwrap_or_else(|e| panic!("{e:?}"))).collect();
        for re in [r"(?:\w+ ){0,3}may not", r"(?:a|b)?c", r"(?P<x>(?:\w+ ){0,3})may", r"\bmay not", r"x{1,5}y", r"x+y", r".*", r"(?:ab)*|c", r"(?:(?:a )?b)c"] {
            trees.push(parse(re).unwrap_or_else(|e| panic!("{e:?}")));
        }
        let mut dropped = 0;
        for h in &trees {
            let built = need::checker_keeps_starts_built(h);
            assert_eq!(need::checker_keeps_starts(h), built, "{h}");
            dropped += usize::from(!built);
        }
        assert!(dropped >= 5 && dropped < trees.len() / 2, "{dropped} of {} drop their leading parts", trees.len());
    }

    #[test]
    fn ids_have_criterion_and_family() {
        assert!(valid_id("osd6/military"));
        assert!(valid_id("osd10/click-wrap"));
        assert!(!valid_id("osd6"));
        assert!(!valid_id("osd6/Military"));
        assert!(!valid_id("six/military"));
    }

    /// Every place a way to satisfy `n` with literals after `prev` (the end of the part
    /// before, inside a sequence) can end: the condition's meaning, by brute force.
    fn ends(n: &Need, text: &str, prev: usize) -> Vec<usize> {
        let starts = |l: &[u8]| -> Vec<usize> {
            (prev..text.len()).filter(|&i| text.as_bytes().get(i..i + l.len()) == Some(l)).collect()
        };
        let mut out: Vec<usize> = match n {
            Need::True => vec![prev],
            Need::Lit(l) => starts(l).into_iter().map(|i| i + l.len()).collect(),
            Need::Any(v) => v.iter().flat_map(|n| ends(n, text, prev)).collect(),
            Need::Seq(v) => v.iter().fold(vec![prev], |at, n| at.iter().flat_map(|&p| ends(n, text, p)).collect()),
            Need::Near(within, n) => ends(n, text, prev).into_iter().filter(|&e| e <= *within).collect(),
            // Gaps bound literal parts (a literal or a choice of literals).
            Need::Gap(g, n) => {
                let flat = match n.as_ref() {
                    Need::Lit(_) => true,
                    Need::Any(v) => v.iter().all(|x| matches!(x, Need::Lit(_))),
                    _ => false,
                };
                if flat {
                    let mut lits = Vec::new();
                    n.literals(&mut lits);
                    lits.iter().flat_map(|l| starts(l).into_iter().filter(|&i| i - prev <= *g).map(|i| i + l.len())).collect()
                } else {
                    ends(n, text, prev)
                }
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    fn holds(n: &Need, text: &str) -> bool {
        !ends(n, text, 0).is_empty()
    }

    #[test]
    fn literal_conditions_hold_wherever_the_regex_matches() {
        let regexes = [
            r"\b(?:may|must|shall) ?not\b.{0,80}\b(?:sell|resell)s?\b",
            r"non-?commercial (?:use|purposes?)",
            r"^[\u00b7\u2022] (?:use|run)\b.{0,40}(?:military|weapons?)",
            r"(?:[a-zäöü]+ ){0,3}?verkauf(?:en)?",
            r"\b(?P<hit>evil)\b|\bharm\w*",
            r"^(?:[-*] )?(?:re-?)?distribution\b.{0,40}\bprohibited",
            r"\b(?:may|must) not\b[^.;]{0,12}\b(?:sell|rent)\b[^.;]{0,20}\b(?:copies|it)\b",
        ];
        let texts = [
            "you may not sell it.",
            "you mustnot, under any circumstances, resell copies",
            "for non-commercial use only",
            "noncommercial purposes",
            "\u{2022} use it for military purposes",
            "\u{b7} run \u{e9}\u{e9} weapons",
            "sie dürfen es nicht verkaufen",
            "do no evil",
            "harmful uses",
            "nothing here",
            "- re-distribution of it is prohibited",
            "distribution: prohibited",
            "for now the distribution is prohibited",
            "you may not ever sell any of it",
            "you may not, under any circumstances, sell it",
            "you may not sell it but you may not rent copies",
        ];
        for src in regexes {
            let hir = parse(src).unwrap_or_else(|e| panic!("{}", e.0));
            let need = Need::of(&hir);
            let re = compile(src).unwrap_or_else(|e| panic!("{}", e.0));
            for t in texts {
                if re.is_match(t.as_bytes()) {
                    assert!(holds(&need, t), "{src} matches {t:?} but its condition {need:?} does not hold");
                }
            }
        }
        // The conditions are not vacuous, and they hold the regex's words in its order.
        let first = Need::of(&parse(regexes[0]).unwrap_or_else(|e| panic!("{}", e.0)));
        assert_ne!(first, Need::True);
        assert!(holds(&first, "you may not sell it"));
        assert!(!holds(&first, "you may sell it, but not the logo"));
        assert!(!holds(&first, "they sell it and you may not"));
        // A rule anchored at the start wants its words near the start.
        let anchored = Need::of(&parse(regexes[5]).unwrap_or_else(|e| panic!("{}", e.0)));
        assert!(holds(&anchored, "- re-distribution is prohibited"));
        assert!(!holds(&anchored, "for now the distribution is prohibited"));
        // And near each other when the regex allows only a short gap between them.
        let gapped = Need::of(&parse(regexes[6]).unwrap_or_else(|e| panic!("{}", e.0)));
        assert!(holds(&gapped, "you may not ever sell any of it"));
        assert!(!holds(&gapped, "you may not, under any circumstances, sell it"));
        assert!(holds(&gapped, "you may not sell it but you may not rent copies"));
    }

    /// The loosened regex, simplified for a yes-or-no search as a checker is
    /// ([`need::checker_tree`]), against the same loosened regex unsimplified.
    fn checker_pair(src: &str) -> ((regex_syntax::hir::Hir, bool), regex_syntax::hir::Hir) {
        let h = parse(src).unwrap_or_else(|e| panic!("{}", e.0));
        (need::checker_tree(&h), need::relax(&h, need::RELAX_ABOVE))
    }

    #[test]
    fn checker_trees_drop_what_cannot_change_a_yes() {
        let tree = |src: &str| checker_pair(src).0 .0;
        let plain = |src: &str| need::relax(&parse(src).unwrap_or_else(|e| panic!("{}", e.0)), u32::MAX);
        // A gap that may be any run absorbs the branches beside it, and the nullable
        // parts next to it.
        assert_eq!(tree(r"x (?:.{0,60}?|(?:[a-z]+ ){0,10}?|.{0,700}?; (?:\w+ )?)y"), plain(r"x .*y"));
        assert_eq!(tree(r"x [^.]{0,9}.{0,60}(?:a|b)?(?:c )*y"), plain(r"x .*y"));
        // Leading and trailing parts that can match nothing add nothing to a search.
        assert_eq!(tree(r"(?:\w+ ){0,3}no (?:use|sale)[^.;]{0,40}"), plain(r"no (?:use|sale)"));
        // Word boundaries are conditions, not optional parts, and stay.
        assert_eq!(tree(r"\bno\b(?:[a-z]+)?"), plain(r"\bno\b"));
        assert_eq!(tree(r"(?:a|\b)x"), plain(r"(?:a|\b)x"));
        // A gap that excludes a byte (`[^.]`) absorbs nothing.
        assert_eq!(tree(r"x[^.]{0,60}(?:a|b)?y"), plain(r"x[^.]*(?:a|b)?y"));
        // The Unicode form of `.` (a rule with a `•` is parsed with Unicode on) absorbs too,
        // and a counted gap of it is a gap of bytes, as in a regex without Unicode.
        let unicode_tree = |src: &str| need::for_match(&need::relax(&parse(src).unwrap_or_else(|e| panic!("{}", e.0)), 0));
        assert_eq!(tree(r"[•] .*(?:a )?y"), unicode_tree(r"[•] .*y"));
        assert_eq!(tree(r"[•] .{0,60}(?:a )?y"), unicode_tree(r"[•] (?-u:.)*y"));
        assert_ne!(unicode_tree(r"[•] .*y"), unicode_tree(r"[•] (?-u:.)*y"));
    }

    #[test]
    fn checkers_stay_exact_unless_a_class_was_widened() {
        // Exact: no count was loosened and nothing widened.
        assert!(checker_pair(r"\bno (?:military|weapons?) use\b").0 .1);
        // Loosening a count makes the checker inexact, as before.
        assert!(!checker_pair(r"\bno\b.{0,40}\bmilitary\b").0 .1);
        // A large Unicode class (in a rule parsed with Unicode on), such as `\d`, becomes
        // "its ASCII part or any non-ASCII character": looser, so no longer exact.
        assert!(!checker_pair(r"[•] \d+ use").0 .1);
        assert!(checker_pair(r"[•] use").0 .1);
        // Unicode `\w` is already read so by the regex itself ([`need::parse`]), and
        // the checker stays exact.
        assert!(checker_pair(r"[•] \w+ use").0 .1);
    }

    /// The sentences of the fixtures and of every rule's own examples, normalized and
    /// flattened as the linter reads them.
    fn fixture_and_example_sentences(set: &RuleSet) -> Vec<String> {
        let mut texts: Vec<String> = set.rules.iter().flat_map(|r| r.tests.matches.iter().chain(&r.tests.no_match)).map(|(t, _)| t.to_string()).collect();
        for dir in ["fixtures/clean", "fixtures/restricted"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
                texts.push(std::fs::read_to_string(entry.unwrap_or_else(|e| panic!("{e}")).path()).unwrap_or_default());
            }
        }
        let mut sentences = Vec::new();
        for text in &texts {
            let norm = crate::normalize::normalize(text);
            let flat = norm.text.replace('\n', " ");
            sentences.extend(crate::segment::sentences(&norm.text).into_iter().map(|r| flat[r].to_string()));
        }
        sentences
    }

    /// The simplified checker says yes on every sentence of the fixtures where the
    /// loosened regex matches, and, unless a class was widened, only there.
    #[test]
    fn checker_trees_answer_as_the_loosened_regexes_do() {
        let set = RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        let sentences = fixture_and_example_sentences(&set);
        let is_match = |dfa: &Checker, cache: &mut regex_automata::hybrid::dfa::Cache, s: &str| {
            dfa.try_search_fwd(cache, &regex_automata::Input::new(s).earliest(true)).map(|m| m.is_some())
        };
        let (mut changed, mut yes) = (0, 0);
        for p in set.patterns() {
            let ((tree, exact), loose) = checker_pair(&p.source);
            if tree == loose {
                continue;
            }
            changed += 1;
            let widened = need::relax(&parse(&p.source).unwrap_or_else(|e| panic!("{}", e.0)), u32::MAX) == loose && !exact;
            let (Some(new), Some(old)) = (build_checker(&tree), build_checker(&loose)) else { panic!("{}", p.source) };
            let (mut new_cache, mut old_cache) = (new.create_cache(), old.create_cache());
            for s in &sentences {
                let (Ok(a), Ok(b)) = (is_match(&new, &mut new_cache, s), is_match(&old, &mut old_cache, s)) else { continue };
                yes += usize::from(b);
                assert!(a || !b, "simplified checker misses {s:?}: {}", p.source);
                if !widened {
                    assert_eq!(a, b, "{s:?}: {}", p.source);
                }
            }
        }
        // The prohibition-list rules are among them, and some of their sentences match.
        assert!(changed > 40, "{changed}");
        assert!(yes > 100, "{yes}");
    }

    /// The checkers `build.rs` built ahead as whole DFAs read back (checked in full, with
    /// the binary's own `regex-automata`), are most of the embedded regexes' checkers,
    /// and say yes or no where the lazy DFA built from the same loosened tree does: on
    /// the fixtures' sentences and every rule's own examples.
    #[test]
    fn embedded_checkers_answer_as_lazy_checkers_do() {
        use regex_automata::dfa::Automaton;
        let set = RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        let sentences = fixture_and_example_sentences(&set);
        let (mut whole, mut all, mut yes) = (0, 0, 0);
        for p in set.patterns() {
            all += 1;
            if p.whole.is_empty() {
                continue;
            }
            whole += 1;
            let Some(CheckerOf { dfa: CheckerDfa::Whole(dfa), .. }) = p.checker() else { panic!("not read back: {}", p.source) };
            let (mut bytes, _) = p.relaxed.unwrap_or_default();
            let tree = need::decode_hir(&mut bytes).unwrap_or_else(|| panic!("{}", p.source));
            let lazy = build_checker(&tree).unwrap_or_else(|| panic!("{}", p.source));
            let mut cache = lazy.create_cache();
            for s in &sentences {
                let input = regex_automata::Input::new(s).earliest(true);
                let (Ok(a), Ok(b)) = (dfa.try_search_fwd(&input), lazy.try_search_fwd(&mut cache, &input)) else { panic!("{s:?}: {}", p.source) };
                assert_eq!(a.is_some(), b.is_some(), "{s:?}: {}", p.source);
                yes += usize::from(a.is_some());
            }
        }
        // Most checkers are built ahead, and many of them say yes somewhere.
        assert!(whole * 2 > all, "{whole} of {all}");
        assert!(yes > 1000, "{yes}");
    }

    /// The full regex's engines (backtracker for what fits its visited bits, PikeVM past
    /// that) find the same matches and groups as a `meta::Regex`, on a short haystack and
    /// on one too long for the backtracker, with one cache shared by two regexes.
    #[test]
    fn full_regexes_find_what_meta_regexes_find() {
        let sources = [
            r"\b(?:may not|must not)\b[^.;]{0,80}?\b(?P<hit>sell|rent)\b",
            r"(?:^|; )(?P<hit>use\b[^.;]{0,40}\bfor\b.{0,20}?(?:war|weapons))",
        ];
        let long = format!("{}you may not, under any terms, rent it; use it for weapons", "filler words here ".repeat(20_000));
        let texts = ["you may not sell it", "you may not rent it; use it for war or for weapons", long.as_str(), "nothing to see"];
        let mut cache = FullCache::default();
        for src in sources {
            let hir = parse(src).unwrap_or_else(|e| panic!("{}", e.0));
            let full = Full::new(&hir).unwrap_or_else(|e| panic!("{}", e.0));
            let meta = compile(src).unwrap_or_else(|e| panic!("{}", e.0));
            // The long text is past the backtracker: the PikeVM searches it.
            assert!(long.len() >= full.backtrack.max_haystack_len(), "{src}");
            assert!(texts[1].len() < full.backtrack.max_haystack_len(), "{src}");
            for t in texts {
                let mut caps = full.create_captures();
                full.search(&mut cache, &regex_automata::Input::new(t.as_bytes()), &mut caps);
                let mut want = meta.create_captures();
                meta.search_captures(&regex_automata::Input::new(t.as_bytes()), &mut want);
                assert_eq!(caps.get_match().map(|m| m.range()), want.get_match().map(|m| m.range()), "{src} on {:.40}", t);
                assert_eq!(caps.get_group_by_name("hit").map(|m| m.range()), want.get_group_by_name("hit").map(|m| m.range()), "{src}");
                assert_eq!(full.is_match_with(&mut cache, t.as_bytes()), want.is_match(), "{src}");
            }
        }
    }

    /// A regex parsed with Unicode on (for its `•`) runs over bytes, and matches where the
    /// Unicode regex does, but that a counted gap of more than a few characters
    /// (`[^.;]{0,12}`) counts bytes, as a gap does in every regex parsed without Unicode.
    #[test]
    fn unicode_regexes_match_over_bytes_with_gaps_in_bytes() {
        use regex_automata::util::syntax;
        let src = r"(?:^|[;:\u00b7\u2022] ?)(?P<hit>use\b[^.;]{0,12}\bfor\b.{0,8}?(?:war|\w+fare))";
        // The same regex, its gap written as a gap of bytes.
        let reference = r"(?:^|[;:\u00b7\u2022] ?)(?P<hit>use\b(?-u:[^.;]){0,12}\bfor\b.{0,8}?(?:war|\w+fare))";
        let texts = ["\u{2022} use it \u{e9}\u{e9}\u{e9} for warfare", "use \u{1f600}\u{1f600} for x\u{e9}war", "use \u{1f600}\u{1f600}\u{1f600} for x\u{e9}war", "; use \u{e9}\u{e9}\u{e9}\u{e9}\u{e9} for war", "; use \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} for war", "use it for \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} war"];
        let unicode = syntax::parse_with(&ascii_boundaries(reference), &syntax::Config::new().unicode(true).utf8(false))
            .unwrap_or_else(|e| panic!("{e}"));
        let plain = regex_automata::meta::Regex::builder()
            .configure(regex_automata::meta::Config::new().utf8_empty(false))
            .build_from_hir(&unicode)
            .unwrap_or_else(|e| panic!("{e}"));
        let bytes = compile(src).unwrap_or_else(|e| panic!("{}", e.0));
        for t in texts {
            let a: Vec<_> = plain.find_iter(t.as_bytes()).map(|m| m.range()).collect();
            let b: Vec<_> = bytes.find_iter(t.as_bytes()).map(|m| m.range()).collect();
            assert_eq!(a, b, "{t:?}");
        }
        // Two four-byte characters fit the twelve-byte gap, three do not; five two-byte
        // ones fit, seven do not.
        let found = |t: &str| bytes.find_iter(t.as_bytes()).next().is_some();
        assert!(found(texts[1]) && !found(texts[2]));
        assert!(found(texts[3]) && !found(texts[4]));
    }

    /// In a rule parsed with Unicode on, a class of letters (`\w`) reads any byte that is
    /// not ASCII as part of a word, one NFA state instead of a UTF-8 automaton; a digit
    /// class keeps its exact UTF-8 form.
    #[test]
    fn unicode_letter_classes_take_non_ascii_bytes_as_letters() {
        let word = compile(r"[•] \w+ use").unwrap_or_else(|e| panic!("{}", e.0));
        let digits = compile(r"[•] \d+ use").unwrap_or_else(|e| panic!("{}", e.0));
        let text = "\u{2022} caf\u{e9} use";
        assert_eq!(word.find(text.as_bytes()).map(|m| m.range()), Some(0..text.len()));
        assert!(digits.is_match("\u{2022} \u{663}\u{664} use".as_bytes()));
        assert!(!digits.is_match("\u{2022} \u{e9} use".as_bytes()));
        let states = |src: &str| need::checker_nfa(&parse(src).unwrap_or_else(|e| panic!("{}", e.0))).map_or(0, |n| n.states().len());
        assert!(states(r"[•] \w{1,4} use") < states(r"[•] \d{1,4} use") / 4, "{} {}", states(r"[•] \w{1,4} use"), states(r"[•] \d{1,4} use"));
    }

    #[test]
    fn every_embedded_regex_reads_back_as_parsed() {
        let set = RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        let mut n = 0;
        for p in set.patterns() {
            let parsed = parse(&p.source).unwrap_or_else(|e| panic!("{}", e.0));
            let mut bytes = Vec::new();
            need::encode_hir(&parsed, &mut bytes);
            let mut rest = bytes.as_slice();
            assert_eq!(need::decode_hir(&mut rest).as_ref(), Some(&parsed), "{}", p.source);
            assert!(rest.is_empty());
            // And what the binary holds is that same tree.
            assert_eq!(p.hir().ok().as_ref(), Some(&parsed), "{}", p.source);
            assert!(p.hir.is_some(), "no syntax tree embedded for {}", p.source);
            let (mut relaxed, exact) = p.relaxed.unwrap_or_default();
            assert_eq!((need::decode_hir(&mut relaxed).unwrap_or_else(|| panic!("{}", p.source)), exact), need::checker_tree(&parsed), "{}", p.source);
            n += 1;
        }
        assert!(n > 1000);
        // Bytes that are not a tree are turned away, not trusted.
        assert_eq!(need::decode_hir(&mut &[9u8][..]), None);
        assert_eq!(need::decode_hir(&mut &[7u8, 0xff, 0xff, 0xff, 0x0f][..]), None);
    }

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bfoo\B\\b\d"), r"(?-u:\b)foo(?-u:\B)\\b\d");
    }
}
