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

/// Compile a rule regex. Rules match normalized text, which is lower case, so the regex
/// runs over bytes with Unicode classes off: `.` is one byte and `\w` is ASCII, which
/// keeps a bounded gap like `.{0,300}` a few hundred states instead of thousands, and
/// every search on the DFA. A regex that needs Unicode (a class with a non-ASCII
/// character, `\p{..}`) is compiled with Unicode on instead. Non-ASCII literals work
/// either way. Search caches are not kept in the regex: each thread owns its own (see
/// `engine.rs`), so memory grows with the rules a thread uses, not with a shared pool.
pub(crate) fn compile(src: &str) -> Result<Regex, CompileError> {
    use regex_automata::{meta, util::syntax};
    let src = ascii_boundaries(src);
    let build = |unicode: bool| {
        meta::Builder::new()
            .configure(
                meta::Config::new()
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .hybrid_cache_capacity(DFA_CACHE_LIMIT)
                    .utf8_empty(false),
            )
            .syntax(syntax::Config::new().unicode(unicode).utf8(false))
            .build(&src)
    };
    build(false).or_else(|_| build(true)).map_err(|e| {
        let text = e.to_string();
        if e.size_limit().is_some() || text.contains("exceeds size limit") {
            CompileError(format!("regex is too large: it compiles to more than the limit of {REGEX_SIZE_LIMIT} bytes"))
        } else {
            CompileError(format!("invalid regex:\n{}", e.syntax_error().map_or(text, |s| s.to_string())))
        }
    })
}

impl Pattern {
    fn new(s: &Spanned<String>, index: usize) -> Self {
        Pattern {
            source: s.get_ref().clone(),
            span: s.span(),
            index,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex; `None` only if it does not compile, which loading with
    /// `eager` rules out and the embedded sets' tests rule out.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| compile(&self.source).ok()).as_ref()
    }

    fn check(&self) -> Result<(), CompileError> {
        compile(&self.source).map(|re| {
            let _ = self.compiled.set(Some(re));
        })
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

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_boundaries(r"\bfoo\B\\b\d"), r"(?-u:\b)foo(?-u:\B)\\b\d");
    }
}
