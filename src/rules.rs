//! Rules as data: the TOML pattern-set format, its loading and checking.
//!
//! A pattern set is a TOML file of `[[rule]]` tables (and shared `[[guard]]` tables of
//! exclusions). The sets under `patterns/` are embedded in the binary at build time;
//! `--patterns DIR` adds the `*.toml` files of a directory.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

pub use regex_automata::meta::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::PatternError;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

fn default_severity() -> Severity {
    Severity::Error
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    guard: Vec<GuardDef>,
    #[serde(default)]
    rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardDef {
    id: Spanned<String>,
    description: String,
    regexes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: Spanned<String>,
    osd: Spanned<Vec<u8>>,
    #[serde(default = "default_severity")]
    severity: Severity,
    message: Spanned<String>,
    label: String,
    #[serde(default)]
    fact_label: Option<String>,
    why: String,
    help: String,
    explain: Spanned<String>,
    triggers: Spanned<Vec<String>>,
    #[serde(default)]
    regexes: Vec<Spanned<String>>,
    #[serde(default)]
    warn: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    guards: Vec<Spanned<String>>,
    tests: TestsDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestsDef {
    #[serde(rename = "match")]
    matches: Vec<Spanned<String>>,
    no_match: Vec<Spanned<String>>,
}

/// A regex compiled on first use, so a run pays only for the rules its text calls on.
#[derive(Debug)]
pub struct Pattern {
    pub source: String,
    /// Where the regex stands in its pattern file.
    pub span: Range<usize>,
    /// Unique within its [`RuleSet`]: the slot of this regex's search cache in a thread's
    /// scratch space (see `engine.rs`).
    pub index: usize,
    /// What must occur in a text for the regex to match there.
    pub need: Need,
    compiled: OnceLock<Option<Regex>>,
}

/// Largest compiled program a pattern may build, so a hostile set fails fast.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// Rewrite `\b` and `\B` to their ASCII forms. A Unicode word boundary pushes the regex
/// engine off its DFA on any non-ASCII text, which costs two orders of magnitude; the
/// normalized text's words are what ASCII boundaries see well enough.
fn ascii_boundaries(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 8);
    let mut chars = src.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str(r"(?-u:\b)"),
                Some('B') => out.push_str(r"(?-u:\B)"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Cap on each regex's lazy-DFA cache (per thread), so hundreds of rules stay small.
const DFA_CACHE_LIMIT: usize = 256 << 10;

/// Why a regex did not compile.
#[derive(Debug)]
pub struct CompileError(pub String);

/// Parse a rule regex the way it is compiled. Rules match normalized text, which is lower
/// case, so the regex runs over bytes with Unicode classes off: `.` is one byte and `\w` is
/// ASCII, which keeps a bounded gap like `.{0,300}` a few hundred states instead of
/// thousands, and every search on the DFA. A regex that needs Unicode (a class with a
/// non-ASCII character, `\p{..}`) is parsed with Unicode on instead. Non-ASCII literals
/// work either way.
pub(crate) fn parse(src: &str) -> Result<regex_syntax::hir::Hir, CompileError> {
    use regex_automata::util::syntax;
    let src = ascii_boundaries(src);
    let parse =
        |unicode: bool| syntax::parse_with(&src, &syntax::Config::new().unicode(unicode).utf8(false)).map_err(Box::new);
    match parse(false) {
        Ok(h) => Ok(h),
        Err(_) => parse(true)
            .map(|h| utf8_bytes(&h).unwrap_or(h))
            .map_err(|e| CompileError(format!("invalid regex:\n{e}"))),
    }
}

/// The same regex over bytes: each Unicode class becomes the UTF-8 byte sequences of its
/// characters. The texts are valid UTF-8, so it matches exactly where the Unicode regex
/// does; but a class of "any character but a few ASCII ones" (`.`, `[^.;]`) becomes a
/// loose four-branch byte pattern instead of a full UTF-8 automaton, which keeps a gap
/// like `.{0,600}` small where a rule needs Unicode only for a `•` or a `€`. `None` when
/// a Unicode word boundary makes the rewrite unsafe.
fn utf8_bytes(h: &regex_syntax::hir::Hir) -> Option<regex_syntax::hir::Hir> {
    use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look, Repetition};
    Some(match h.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0.clone()),
        HirKind::Look(l) => match l {
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode => return None,
            l => Hir::look(*l),
        },
        HirKind::Class(Class::Bytes(c)) => Hir::class(Class::Bytes(c.clone())),
        HirKind::Class(Class::Unicode(c)) => {
            let byte = |a: u8, b: u8| Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(a, b)])));
            let mut ascii = Vec::new();
            let mut wide: Vec<(u32, u32)> = Vec::new();
            for r in c.ranges() {
                let (a, b) = (r.start() as u32, r.end() as u32);
                if a < 0x80 {
                    ascii.push(ClassBytesRange::new(a as u8, b.min(0x7f) as u8));
                }
                if b >= 0x80 {
                    wide.push((a.max(0x80), b));
                }
            }
            let mut alts = Vec::new();
            if !ascii.is_empty() {
                alts.push(Hir::class(Class::Bytes(ClassBytes::new(ascii))));
            }
            // Every non-ASCII scalar value (surrogates cannot occur in UTF-8 text).
            let all_wide = wide.iter().all(|&(a, _)| a <= 0x80 || (0xd800..=0xe000).contains(&a))
                && wide.iter().any(|&(a, _)| a == 0x80)
                && wide.iter().any(|&(_, b)| b == 0x10ffff)
                && wide.iter().zip(wide.iter().skip(1)).all(|(&(_, b0), &(a1, _))| b0 + 1 == a1 || (b0 + 1 >= 0xd800 && a1 <= 0xe000));
            let count: u32 = wide.iter().map(|&(a, b)| b - a + 1).sum();
            if all_wide {
                let cont = || byte(0x80, 0xbf);
                alts.push(Hir::concat(vec![byte(0xc2, 0xdf), cont()]));
                alts.push(Hir::concat(vec![byte(0xe0, 0xef), cont(), cont()]));
                alts.push(Hir::concat(vec![byte(0xf0, 0xf4), cont(), cont(), cont()]));
            } else if count <= 16 {
                for &(a, b) in &wide {
                    for ch in (a..=b).filter_map(char::from_u32) {
                        alts.push(Hir::literal(ch.to_string().into_bytes()));
                    }
                }
            } else {
                // A large class like Unicode `\w` stays as it is: the NFA compiler builds
                // its UTF-8 automaton more compactly than an alternation would be.
                return Some(Hir::class(Class::Unicode(c.clone())));
            }
            if alts.is_empty() {
                // A class that matches nothing.
                Hir::class(Class::Bytes(ClassBytes::empty()))
            } else {
                Hir::alternation(alts)
            }
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(utf8_bytes(&r.sub)?),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(utf8_bytes(&c.sub)?),
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(utf8_bytes).collect::<Option<_>>()?),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(utf8_bytes).collect::<Option<_>>()?),
    })
}

/// Compile a parsed rule regex. Search caches are not kept in the regex: each thread owns
/// its own (see `engine.rs`), so memory grows with the rules a thread uses, not with a
/// shared pool.
fn compile_hir(hir: &regex_syntax::hir::Hir) -> Result<Regex, CompileError> {
    build_hir(hir, true)
}

/// Build the regex, with all its search engines (`full`) or only those whose building can
/// fail (the NFAs), which is enough to check it.
fn build_hir(hir: &regex_syntax::hir::Hir, full: bool) -> Result<Regex, CompileError> {
    use regex_automata::meta;
    let mut config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE_LIMIT)
        .utf8_empty(false);
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

/// Compile a rule regex (see [`parse`]).
pub(crate) fn compile(src: &str) -> Result<Regex, CompileError> {
    compile_hir(&parse(src)?)
}

/// A condition on literal strings that holds wherever a regex matches: each literal in
/// it must occur inside the searched text for the regex to have any chance. The engine
/// finds every rule literal in one aho-corasick pass and runs a regex only on sentences
/// that satisfy its condition, which skips most searches without changing any match.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// Nothing known: always run the regex.
    True,
    Lit(Vec<u8>),
    All(Vec<Need>),
    Any(Vec<Need>),
}

/// Literals weaker than this (see [`weight`]) are too common to be worth looking for.
const MIN_WEIGHT: usize = 3;
/// A condition keeps at most this many of the literal sets a regex needs together, the
/// strongest: one or two selective ones turn down nearly every sentence, and each literal
/// kept costs prefilter matches.
const MAX_ALL: usize = 3;

/// Words too common in license texts to tell sentences apart.
const COMMON: &[&str] = &[
    "the", "of", "or", "to", "in", "is", "on", "at", "by", "as", "an", "and", "any", "you", "this", "that", "with",
    "for", "are", "but", "our", "his", "ing", "its", "from", "such", "all", "be", "your", "which", "have", "has",
    "than", "into", "these", "those", "other", "each", "was", "were", "their", "they", "them", "it", "if", "no",
];

/// How much a literal tells: its letters and digits (a non-ASCII character counts as
/// one), none for a common word alone.
fn weight(lit: &[u8]) -> usize {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b >= 0x80;
    let start = lit.iter().position(word).unwrap_or(lit.len());
    let end = lit.iter().rposition(word).map_or(start, |i| i + 1);
    // `start <= end <= lit.len()`: both come from the same search for word bytes.
    let core = lit.get(start..end).unwrap_or_default();
    if COMMON.iter().any(|w| w.as_bytes() == core) {
        return 0;
    }
    // Count characters, not bytes: skip UTF-8 continuation bytes.
    core.iter().filter(|&&b| b.is_ascii_alphanumeric() || b >= 0xc0).count()
}

/// Largest set of alternative strings tracked for one piece of a regex.
const MAX_SET: usize = 16;

impl Need {
    /// How selective the condition is: the weight of its weakest literal that must
    /// occur.
    fn strength(&self) -> usize {
        match self {
            Need::True => 0,
            Need::Lit(l) => weight(l),
            Need::Any(v) => v.iter().map(Need::strength).min().unwrap_or(0),
            Need::All(v) => v.iter().map(Need::strength).max().unwrap_or(0),
        }
    }

    fn all(parts: Vec<Need>) -> Need {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Need::True => {}
                Need::All(v) => out.extend(v),
                p => {
                    if !out.contains(&p) {
                        out.push(p)
                    }
                }
            }
        }
        // Dropping a part only widens the condition, so it stays true wherever the
        // regex matches.
        out.sort_by_cached_key(|n| std::cmp::Reverse(n.strength()));
        out.truncate(MAX_ALL);
        match out.len() {
            0 => Need::True,
            1 => out.pop().unwrap_or(Need::True),
            _ => Need::All(out),
        }
    }

    fn any(parts: Vec<Need>) -> Need {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Need::True => return Need::True,
                Need::Any(v) => out.extend(v),
                p => {
                    if !out.contains(&p) {
                        out.push(p)
                    }
                }
            }
        }
        match out.len() {
            0 => Need::True,
            1 => out.pop().unwrap_or(Need::True),
            _ => Need::Any(out),
        }
    }

    /// One of these strings must occur.
    fn of_set(set: &[Vec<u8>]) -> Need {
        if set.is_empty() || set.iter().any(|s| weight(s) < MIN_WEIGHT) {
            return Need::True;
        }
        Need::any(set.iter().map(|s| Need::Lit(s.clone())).collect())
    }

    /// The literal condition of a parsed regex.
    pub fn of(hir: &regex_syntax::hir::Hir) -> Need {
        let (exact, need) = need_of(hir);
        match exact {
            Some(set) => Need::of_set(&set),
            None => need,
        }
    }

    /// Every literal the condition names.
    pub fn literals<'a>(&'a self, out: &mut Vec<&'a [u8]>) {
        match self {
            Need::True => {}
            Need::Lit(l) => out.push(l),
            Need::All(v) | Need::Any(v) => v.iter().for_each(|n| n.literals(out)),
        }
    }
}

/// Cross product of two string sets, or `None` when it would be too large.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// For a piece of a regex: the finite set of strings it matches when that set is small
/// (look-arounds count as empty, which only widens the set), and otherwise a condition.
fn need_of(hir: &regex_syntax::hir::Hir) -> (Option<Vec<Vec<u8>>>, Need) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Some(vec![Vec::new()]), Need::True),
        HirKind::Literal(l) => (Some(vec![l.0.to_vec()]), Need::True),
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.ranges().iter().map(|r| r.end() as usize - r.start() as usize + 1).sum();
            if n > 4 {
                return (None, Need::True);
            }
            let set = c.ranges().iter().flat_map(|r| (r.start()..=r.end()).map(|b| vec![b])).collect();
            (Some(set), Need::True)
        }
        HirKind::Class(Class::Unicode(c)) => {
            let n: usize = c.ranges().iter().map(|r| r.end() as usize - r.start() as usize + 1).sum();
            if n > 4 {
                return (None, Need::True);
            }
            let set = c
                .ranges()
                .iter()
                .flat_map(|r| (r.start()..=r.end()).map(|ch| ch.to_string().into_bytes()))
                .collect();
            (Some(set), Need::True)
        }
        HirKind::Capture(c) => need_of(&c.sub),
        HirKind::Repetition(r) => {
            let (exact, need) = need_of(&r.sub);
            if let (Some(set), Some(max)) = (&exact, r.max) {
                if max <= 3 {
                    // Expand small bounded repetitions: `s?`, `-{0,2}`.
                    let mut all: Vec<Vec<u8>> = Vec::new();
                    let mut cur = vec![Vec::new()];
                    let mut ok = true;
                    for k in 0..=max {
                        if k >= r.min {
                            all.extend(cur.iter().cloned());
                        }
                        if k < max {
                            match product(&cur, set) {
                                Some(p) => cur = p,
                                None => {
                                    ok = false;
                                    break;
                                }
                            }
                        }
                    }
                    all.sort();
                    all.dedup();
                    if ok && all.len() <= MAX_SET {
                        return (Some(all), Need::True);
                    }
                }
            }
            if r.min == 0 {
                return (None, Need::True);
            }
            (None, exact.map_or(need, |s| Need::of_set(&s)))
        }
        HirKind::Concat(subs) => {
            let mut needs = Vec::new();
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut exact = true;
            for s in subs {
                match need_of(s) {
                    (Some(set), _) => match product(&run, &set) {
                        Some(p) => run = p,
                        None => {
                            exact = false;
                            needs.push(Need::of_set(&run));
                            run = set;
                        }
                    },
                    (None, n) => {
                        exact = false;
                        needs.push(Need::of_set(&run));
                        run = vec![Vec::new()];
                        needs.push(n);
                    }
                }
            }
            if exact {
                return (Some(run), Need::True);
            }
            needs.push(Need::of_set(&run));
            (None, Need::all(needs))
        }
        HirKind::Alternation(subs) => {
            let parts: Vec<_> = subs.iter().map(need_of).collect();
            if parts.iter().all(|(e, _)| e.is_some()) {
                let mut set: Vec<Vec<u8>> = parts.iter().flat_map(|(e, _)| e.iter().flatten().cloned()).collect();
                set.sort();
                set.dedup();
                if set.len() <= MAX_SET {
                    return (Some(set), Need::True);
                }
            }
            (None, Need::any(parts.into_iter().map(|(e, n)| e.map_or(n, |s| Need::of_set(&s))).collect()))
        }
    }
}

impl Pattern {
    fn new(s: &Spanned<String>, index: usize) -> Self {
        let need = parse(s.get_ref()).map_or(Need::True, |h| Need::of(&h));
        Pattern {
            source: s.get_ref().clone(),
            span: s.span(),
            index,
            need,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex; `None` only if it does not compile, which loading with
    /// `eager` rules out and the embedded sets' tests rule out.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| compile(&self.source).ok()).as_ref()
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
}

/// Example texts a rule must and must not flag.
#[derive(Debug, Default)]
pub struct Tests {
    pub matches: Vec<(String, Range<usize>)>,
    pub no_match: Vec<(String, Range<usize>)>,
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
    pub why: String,
    pub help: String,
    pub explain: String,
    pub triggers: Vec<String>,
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
    pub text: String,
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

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));
}

impl RuleSet {
    /// The rule sets built into the binary.
    pub fn embedded() -> Result<RuleSet, PatternError> {
        let mut set = RuleSet::default();
        for (name, text) in embedded::FILES {
            set.add_file(name, text, false)?;
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
        let file_idx = self.files.len();
        self.files.push(PatternFile {
            name: name.to_string(),
            text: text.to_string(),
            embedded: !eager,
        });
        let err = |span: Option<Range<usize>>, msg: String| PatternError::at(name, text, span, msg);
        if text.starts_with('\u{feff}') {
            return Err(err(Some(0..3), "pattern file starts with a byte-order mark; save it as UTF-8 without one".into()));
        }
        let def: FileDef = toml::from_str(text).map_err(|e| err(e.span(), e.message().to_string()))?;

        for g in def.guard {
            if self.guards.iter().any(|x| x.id == *g.id.get_ref()) {
                return Err(err(Some(g.id.span()), format!("duplicate guard id `{}`", g.id.get_ref())));
            }
            let regexes: Vec<Pattern> = g.regexes.iter().map(|s| self.pattern(s)).collect();
            if eager {
                for p in &regexes {
                    p.check().map_err(|e| err(Some(p.span.clone()), e.0))?;
                }
            }
            self.guards.push(Guard {
                id: g.id.into_inner(),
                description: g.description,
                regexes,
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
            let mut pats = |v: &[Spanned<String>]| v.iter().map(|s| self.pattern(s)).collect::<Vec<_>>();
            let rule = Rule {
                id,
                osd: r.osd.into_inner(),
                severity: r.severity,
                message: r.message.into_inner(),
                label: r.label,
                fact_label: r.fact_label,
                why: r.why,
                help: r.help,
                explain: r.explain.into_inner(),
                triggers: r.triggers.into_inner().iter().map(|t| crate::normalize::normalize(t).text).collect(),
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

    fn pattern(&mut self, s: &Spanned<String>) -> Pattern {
        self.patterns += 1;
        Pattern::new(s, self.patterns - 1)
    }

    /// Every regex of the set: guards' and rules'.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.guards
            .iter()
            .flat_map(|g| &g.regexes)
            .chain(self.rules.iter().flat_map(|r| r.regexes.iter().chain(&r.warn).chain(&r.unless)))
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
    use super::*;

    #[test]
    fn ids_have_criterion_and_family() {
        assert!(valid_id("osd6/military"));
        assert!(valid_id("osd10/click-wrap"));
        assert!(!valid_id("osd6"));
        assert!(!valid_id("osd6/Military"));
        assert!(!valid_id("six/military"));
    }

    fn holds(n: &Need, text: &str) -> bool {
        match n {
            Need::True => true,
            Need::Lit(l) => text.as_bytes().windows(l.len()).any(|w| w == l.as_slice()),
            Need::All(v) => v.iter().all(|n| holds(n, text)),
            Need::Any(v) => v.iter().any(|n| holds(n, text)),
        }
    }

    #[test]
    fn literal_conditions_hold_wherever_the_regex_matches() {
        let regexes = [
            r"\b(?:may|must|shall) ?not\b.{0,80}\b(?:sell|resell)s?\b",
            r"non-?commercial (?:use|purposes?)",
            r"^[\u00b7\u2022] (?:use|run)\b.{0,40}(?:military|weapons?)",
            r"(?:[a-zäöü]+ ){0,3}?verkauf(?:en)?",
            r"\b(?P<hit>evil)\b|\bharm\w*",
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
        // The conditions are not vacuous.
        assert_ne!(Need::of(&parse(regexes[0]).unwrap_or_else(|e| panic!("{}", e.0))), Need::True);
    }

    #[test]
    fn unicode_regexes_match_the_same_over_bytes() {
        use regex_automata::util::syntax;
        let src = r"(?:^|[;:\u00b7\u2022] ?)(?P<hit>use\b[^.;]{0,12}\bfor\b.{0,8}?(?:war|\w+fare))";
        let texts = ["\u{2022} use it \u{e9}\u{e9}\u{e9} for warfare", "use \u{1f600}\u{1f600}\u{1f600} for x\u{e9}war", "; use \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} for war", "use it for \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} war"];
        let unicode = syntax::parse_with(&ascii_boundaries(src), &syntax::Config::new().unicode(true).utf8(false))
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
    }

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bfoo\B\\b\d"), r"(?-u:\b)foo(?-u:\B)\\b\d");
    }
}
