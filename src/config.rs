//! `osdlint.toml` / `.osdlint.toml`: which rules run, at what severity, what fails the
//! run, which files are skipped, and findings accepted on purpose (with a reason).
//!
//! The file is found by walking up from the working directory; `--config FILE` names
//! one and `--isolated` ignores them. Command-line flags add to what the file says.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::report::{Diagnostic, FileReport};
use crate::rules::Severity;

/// Names the configuration file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = ["osdlint.toml", ".osdlint.toml"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// exit 1 when any error is found (the default)
    #[default]
    Error,
    /// exit 1 when any error or warning is found
    Warning,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileDef {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<FailOn>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    severity: std::collections::BTreeMap<String, Spanned<Severity>>,
    #[serde(default)]
    allow: Vec<AllowDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowDef {
    path: Spanned<String>,
    rule: Spanned<String>,
    #[serde(default)]
    text: Option<String>,
    reason: Spanned<String>,
}

/// One accepted finding.
#[derive(Debug)]
pub struct Allow {
    pub path: globset::GlobMatcher,
    pub path_glob: String,
    pub rule: String,
    pub text: Option<String>,
    pub reason: String,
    /// Where the entry stands in the config file.
    pub span: Range<usize>,
}

/// A configuration error, with the file's text and the span of the bad value.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// The settings in force.
#[derive(Debug, Default)]
pub struct Config {
    /// The file they came from, if any.
    pub file: Option<PathBuf>,
    pub text: String,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: FailOn,
    pub patterns: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    pub allow: Vec<Allow>,
}

/// Does `id` fall under `sel`, which is a whole id (`osd6/military`), a criterion
/// (`osd6`) or a family prefix (`osd6/mil`)?
pub fn selects(sel: &str, id: &str) -> bool {
    id == sel || id.strip_prefix(sel).is_some_and(|rest| rest.starts_with('/') || sel.contains('/'))
}

/// Find the configuration file above `start`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for n in FILE_NAMES {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
        dir = d.parent();
    }
    None
}

impl Config {
    /// Read and check a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: name.clone(),
            text: String::new(),
            span: None,
            message: e.to_string(),
        })?;
        Self::parse(&name, &text, path.parent().unwrap_or(Path::new(".")))
    }

    /// Parse configuration text; relative paths are taken from `base`.
    pub fn parse(name: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let err = |span: Option<Range<usize>>, message: String| ConfigError {
            file: name.to_string(),
            text: text.to_string(),
            span,
            message,
        };
        if text.starts_with('\u{feff}') {
            return Err(err(Some(0..3), "the file starts with a byte-order mark; save it as UTF-8 without one".into()));
        }
        let def: FileDef = toml::from_str(text).map_err(|e| err(e.span(), e.message().trim().to_string()))?;
        let check_id = |s: &Spanned<String>| -> Result<String, ConfigError> {
            let v = s.get_ref();
            let ok = (v.starts_with("osd") && v.len() > 3 || v.starts_with("project")) && !v.contains(char::is_whitespace);
            if ok {
                Ok(v.clone())
            } else {
                Err(err(Some(s.span()), format!("`{v}` is not a rule id or prefix such as `osd6`, `osd5/user-threshold` or `project`")))
            }
        };
        let mut cfg = Config {
            file: Some(PathBuf::from(name)),
            text: text.to_string(),
            fail_on: def.fail_on.unwrap_or_default(),
            ..Config::default()
        };
        for s in &def.select {
            cfg.select.push(check_id(s)?);
        }
        for s in &def.ignore {
            cfg.ignore.push(check_id(s)?);
        }
        cfg.patterns = def.patterns.iter().map(|p| base.join(p)).collect();
        for g in &def.exclude {
            globset::Glob::new(g.get_ref()).map_err(|e| err(Some(g.span()), format!("invalid glob: {e}")))?;
            cfg.exclude.push(g.get_ref().clone());
        }
        for (id, sev) in def.severity {
            cfg.severity.push((id, *sev.get_ref()));
        }
        for a in def.allow {
            if a.reason.get_ref().trim().is_empty() {
                return Err(err(Some(a.reason.span()), "an allow entry needs a reason".into()));
            }
            let glob = globset::Glob::new(a.path.get_ref()).map_err(|e| err(Some(a.path.span()), format!("invalid glob: {e}")))?;
            let rule = check_id(&a.rule)?;
            let span = a.path.span().start.min(a.rule.span().start)..a.reason.span().end.max(a.rule.span().end);
            cfg.allow.push(Allow {
                path: glob.compile_matcher(),
                path_glob: a.path.get_ref().clone(),
                rule,
                text: a.text.map(|t| t.to_lowercase()),
                reason: a.reason.into_inner(),
                span,
            });
        }
        Ok(cfg)
    }

    /// Apply selection, severity overrides and allow entries to one file's findings.
    /// Returns how many findings each allow entry accepted (by index).
    pub fn apply(&self, report: &mut FileReport, used: &mut [usize]) {
        self.apply_with(report, used, true);
    }

    /// [`Config::apply`] without `select` and `ignore`, and without counting allow entries
    /// as used: the findings a project's verdict rests on (see `project.rs`), whatever
    /// the run shows.
    pub fn apply_accepted(&self, report: &mut FileReport) {
        let mut unused = vec![0usize; self.allow.len()];
        self.apply_with(report, &mut unused, false);
    }

    fn apply_with(&self, report: &mut FileReport, used: &mut [usize], selecting: bool) {
        let path = report.source.name.strip_prefix("./").unwrap_or(&report.source.name).to_string();
        report.diagnostics.retain_mut(|d| {
            if selecting && !self.select.is_empty() && !self.select.iter().any(|s| selects(s, &d.rule)) {
                return false;
            }
            if selecting && self.ignore.iter().any(|s| selects(s, &d.rule)) {
                return false;
            }
            // The most specific override wins: the longest matching prefix.
            if let Some((_, sev)) = self.severity.iter().filter(|(s, _)| selects(s, &d.rule)).max_by_key(|(s, _)| s.len()) {
                d.severity = *sev;
            }
            for (i, a) in self.allow.iter().enumerate() {
                if allows(a, &path, d) {
                    if let Some(u) = used.get_mut(i) {
                        *u += 1;
                    }
                    return false;
                }
            }
            true
        });
    }

    /// Should the run fail for these counts?
    pub fn fails(&self, errors: usize, warnings: usize) -> bool {
        errors > 0 || (self.fail_on == FailOn::Warning && warnings > 0)
    }
}

fn allows(a: &Allow, path: &str, d: &Diagnostic) -> bool {
    let path_ok = a.path.is_match(path) || Path::new(path).file_name().is_some_and(|n| a.path.is_match(n));
    path_ok
        && selects(&a.rule, &d.rule)
        && a.text.as_ref().is_none_or(|t| d.text.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ").contains(t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_prefix() {
        assert!(selects("osd6", "osd6/military"));
        assert!(selects("osd6/military", "osd6/military"));
        assert!(selects("osd6/mil", "osd6/military"));
        assert!(!selects("osd6", "osd60/x"));
        assert!(!selects("osd5", "osd6/military"));
    }

    #[test]
    fn unknown_keys_are_errors_at_their_place() {
        let text = "select = [\"osd6\"]\nfail_on = \"warning\"\n";
        let e = Config::parse("osdlint.toml", text, Path::new(".")).err().map(|e| (e.message, e.span));
        let (msg, span) = e.unwrap_or_default();
        assert!(msg.contains("unknown field `fail_on`"), "{msg}");
        assert_eq!(span.map(|s| &text[s]), Some("fail_on"));
    }

    #[test]
    fn bad_values_are_errors_at_their_place() {
        let text = "fail-on = \"sometimes\"\n";
        let e = Config::parse("osdlint.toml", text, Path::new(".")).err().map(|e| e.span);
        assert_eq!(e.flatten().map(|s| &text[s]), Some("\"sometimes\""));
        let text = "[[allow]]\npath = \"LICENSE\"\nrule = \"osd6\"\nreason = \"  \"\n";
        let e = Config::parse("osdlint.toml", text, Path::new(".")).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("an allow entry needs a reason"));
    }
}
