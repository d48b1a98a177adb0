//! The pattern-file format as TOML reads it. Shared with `build.rs` (by `#[path]`), which
//! parses the embedded pattern files once and writes them out as Rust code that builds
//! these same structures, so the binary does not parse its own TOML on every run.

use serde::Deserialize;
use toml::Spanned;

/// Text of a pattern file: borrowed from the binary for an embedded file (`build.rs`
/// writes its strings as literals), owned for a file read at run time.
pub type Text = std::borrow::Cow<'static, str>;

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

pub(crate) fn default_severity() -> Severity {
    Severity::Error
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDef {
    /// `[fragments]`: named pieces of regex that this file's regexes, its other
    /// fragments and later files' use as `(?&name)` ([`Fragments`]).
    #[serde(default)]
    pub(crate) fragments: std::collections::BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(crate) guard: Vec<GuardDef>,
    #[serde(default)]
    pub(crate) rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GuardDef {
    pub(crate) id: Spanned<String>,
    pub(crate) description: String,
    pub(crate) regexes: Vec<Spanned<Text>>,
    /// Sentences the guard does not cover though a regex matches: a definition that
    /// carves a use out of a permitted purpose restricts, where one that only names a
    /// term does not.
    #[serde(default)]
    pub(crate) unless: Vec<Spanned<Text>>,
    /// Settled only where a rule's checker says its regex may match, not before: for a
    /// guard that seldom vetoes (history notes), whose regexes would otherwise be built
    /// for sentences the rule's checker turns down anyway.
    #[serde(default)]
    pub(crate) late: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub(crate) id: Spanned<String>,
    pub(crate) osd: Spanned<Vec<u8>>,
    #[serde(default = "default_severity")]
    pub(crate) severity: Severity,
    pub(crate) message: Spanned<String>,
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) fact_label: Option<String>,
    /// A catch-all ("forbids using the work for a particular purpose"): where a rule that
    /// is not one reports the same words for a criterion they share, its finding goes.
    #[serde(default)]
    pub(crate) generic: bool,
    pub(crate) why: String,
    pub(crate) help: String,
    pub(crate) explain: Spanned<String>,
    pub(crate) triggers: Spanned<Vec<Text>>,
    /// The triggers normalized (as rules match them), when `build.rs` did it already.
    #[serde(skip)]
    pub(crate) normalized: Option<Vec<Text>>,
    /// The embedded literal table's index of each (non-empty) normalized trigger, when
    /// `build.rs` put them there.
    #[serde(skip)]
    pub(crate) trigger_ids: Option<&'static [u32]>,
    #[serde(default)]
    pub(crate) regexes: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) warn: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) unless: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) guards: Vec<Spanned<String>>,
    pub(crate) tests: TestsDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestsDef {
    #[serde(rename = "match")]
    pub(crate) matches: Vec<Spanned<Text>>,
    pub(crate) no_match: Vec<Spanned<Text>>,
}

/// The fragments defined so far, by name, each with its references already expanded: a
/// regex writes `(?&name)` where the fragment's regex goes, and it reads as
/// `(?:fragment)`. `(?&` is not regex syntax, so a reference cannot be mistaken for one.
/// Names are lower case, digits and dashes. A fragment may use the fragments of earlier
/// files and the other fragments of its own file, in any order, but not itself.
///
/// The embedded files' fragments are `base`: defined for every file, whether or not the
/// embedded rules are loaded. A file may define one of them again (a copy of the pattern
/// sets loaded with `--no-default-patterns` does): its regexes and later files' then use
/// its definition; the embedded regexes keep theirs.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fragments {
    bodies: std::collections::HashMap<String, String>,
    pub(crate) base: &'static [(&'static str, &'static str)],
}

/// A fragment that could not be defined or a reference that could not be expanded: the
/// message, and the fragment whose definition it is about (`None` for a regex's).
pub(crate) type FragmentError = (Option<String>, String);

impl Fragments {
    /// Add a file's `[fragments]`, or say which is wrong and why.
    pub(crate) fn define(&mut self, defs: &std::collections::BTreeMap<String, Spanned<String>>) -> Result<(), FragmentError> {
        for name in defs.keys() {
            if !valid_fragment_name(name) {
                return Err((Some(name.clone()), format!("fragment name `{name}` must be lower case letters, digits and dashes, starting with a letter")));
            }
            if self.bodies.contains_key(name) {
                return Err((Some(name.clone()), format!("fragment `{name}` is already defined by an earlier file")));
            }
        }
        for name in defs.keys() {
            self.resolve(name, defs, &mut Vec::new())?;
        }
        Ok(())
    }

    /// Expand `name` of this file's `defs` (and, first, what it refers to); `stack` holds
    /// the fragments being expanded, to find a cycle.
    fn resolve(&mut self, name: &str, defs: &std::collections::BTreeMap<String, Spanned<String>>, stack: &mut Vec<String>) -> Result<(), FragmentError> {
        // Resolved already; one that `define` let through in `bodies` is this file's.
        if self.bodies.contains_key(name) {
            return Ok(());
        }
        let Some(def) = defs.get(name) else { return Ok(()) };
        if stack.iter().any(|n| n == name) {
            stack.push(name.to_string());
            return Err((Some(name.to_string()), format!("fragment `{name}` refers to itself: {}", stack.join(" -> "))));
        }
        stack.push(name.to_string());
        let refs = references(def.get_ref()).map_err(|e| (Some(name.to_string()), e))?;
        for (_, r) in refs {
            self.resolve(r, defs, stack)?;
        }
        stack.pop();
        let body = self.expand(def.get_ref()).map_err(|e| (Some(name.to_string()), e))?.into_owned();
        self.bodies.insert(name.to_string(), body);
        Ok(())
    }

    /// `src` with each `(?&name)` replaced by `(?:` the fragment `)`.
    pub(crate) fn expand<'a>(&self, src: &'a str) -> Result<std::borrow::Cow<'a, str>, String> {
        let refs = references(src)?;
        if refs.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(src));
        }
        let mut out = String::new();
        let mut last = 0;
        for (at, name) in refs {
            let body = self.get(name).ok_or_else(|| {
                format!("unknown fragment `(?&{name})`: define it in a `[fragments]` table of this pattern file or an earlier one")
            })?;
            out.push_str(src.get(last..at.start).unwrap_or_default());
            out.push_str("(?:");
            out.push_str(body);
            out.push(')');
            last = at.end;
        }
        out.push_str(src.get(last..).unwrap_or_default());
        Ok(std::borrow::Cow::Owned(out))
    }

    /// A fragment, expanded.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.bodies.get(name).map(String::as_str).or_else(|| self.base.iter().find(|(n, _)| *n == name).map(|(_, b)| *b))
    }

    /// The fragments defined here (not `base`), by name.
    #[allow(dead_code)]
    pub(crate) fn defined(&self) -> std::collections::BTreeMap<&str, &str> {
        self.bodies.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
}

/// Every regex of `def` with its fragment references expanded ([`Fragments`]), or the
/// span of one that cannot be and why.
pub(crate) fn expand_file(fragments: &Fragments, def: &mut FileDef) -> Result<(), (std::ops::Range<usize>, String)> {
    let regexes = def
        .guard
        .iter_mut()
        .flat_map(|g| g.regexes.iter_mut().chain(g.unless.iter_mut()))
        .chain(def.rule.iter_mut().flat_map(|r| r.regexes.iter_mut().chain(r.warn.iter_mut()).chain(r.unless.iter_mut())));
    for s in regexes {
        let span = s.span();
        let expanded = match fragments.expand(s.get_ref()) {
            Ok(std::borrow::Cow::Borrowed(_)) => continue,
            Ok(std::borrow::Cow::Owned(e)) => e,
            Err(msg) => return Err((span, msg)),
        };
        *s = Spanned::new(span, expanded.into());
    }
    Ok(())
}

fn valid_fragment_name(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The byte range and name of every `(?&name)` in `src`, skipping escaped characters and
/// character classes; an error for a `(?&` without a name and a closing parenthesis.
fn references(src: &str) -> Result<Vec<(std::ops::Range<usize>, &str)>, String> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let (mut i, mut class) = (0, 0usize);
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 1,
            b'[' => {
                if class == 0 {
                    // A `]` first in a class (after a `^`) is a literal one.
                    if b.get(i + 1) == Some(&b'^') {
                        i += 1;
                    }
                    if b.get(i + 1) == Some(&b']') {
                        i += 1;
                    }
                }
                class += 1;
            }
            b']' if class > 0 => class -= 1,
            b'(' if class == 0 && b.get(i + 1..i + 3) == Some(b"?&") => {
                let start = i + 3;
                let len = b.get(start..).unwrap_or_default().iter().take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_').count();
                if len == 0 || b.get(start + len) != Some(&b')') {
                    return Err(format!("`(?&` at byte {i} of the regex must be a fragment reference, `(?&name)`"));
                }
                let name = src.get(start..start + len).unwrap_or_default();
                out.push((i..start + len + 1, name));
                i = start + len;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(out)
}
