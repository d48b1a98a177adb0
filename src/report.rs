//! Findings resolved for output: rule texts filled in, spans turned into file offsets,
//! lines and columns.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::{Finding, Linter};
use crate::identify::{identify, Identification};
use crate::rules::Severity;
use crate::source::Source;

/// A byte range in the file as read.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One diagnostic, as every output format needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub osd: Vec<u8>,
    pub severity: Severity,
    pub message: String,
    /// Byte offsets into the file as read.
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The original words the span covers.
    pub text: String,
    pub facts: Map<String, Value>,
    /// The SPDX id of the standard license this clause was added to, when it lies in a
    /// rider: text beyond the identified base license.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_to: Option<String>,
    /// The short label under the offending words.
    #[serde(skip)]
    pub label: String,
    /// Why it conflicts, in plain words.
    pub why: String,
    /// What to do about it.
    pub help: String,
    /// Byte range in the decoded text (differs from `span` for transcoded files).
    #[serde(skip)]
    pub text_span: std::ops::Range<usize>,
    /// The restrictive wording around the offending words, in the decoded text.
    #[serde(skip)]
    pub frame_span: Option<std::ops::Range<usize>>,
    /// Secondary labels in other files: the license clause a manifest's declaration or a
    /// README's claim conflicts with. Empty for a finding in a license text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A secondary label in another file.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub path: String,
    /// Byte offsets into that file as read.
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// Byte range in that file's decoded text.
    #[serde(skip)]
    pub text_span: std::ops::Range<usize>,
    /// That file's decoded text, for drawing the label.
    #[serde(skip)]
    pub file_text: std::sync::Arc<str>,
}

/// One linted file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
    /// The standard license the text is built on, and its riders.
    pub license: Option<Identification>,
}

impl FileReport {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// The added ranges (riders) as file offsets.
    pub fn added_spans(&self) -> Vec<Span> {
        let ranges = self.license.as_ref().map_or(&[][..], |l| l.added.as_slice());
        ranges
            .iter()
            .map(|r| Span { start: self.source.file_offset(r.start), end: self.source.file_offset(r.end) })
            .collect()
    }
}

/// The lines (1-based, first and last) each added range of `license` covers in `text`.
pub fn added_lines(text: &str, license: &Identification) -> Vec<(usize, usize)> {
    let line_of = |at: usize| text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
    license.added.iter().map(|r| (line_of(r.start), line_of(r.end.saturating_sub(1).max(r.start)))).collect()
}

/// Lint one decoded source and resolve its findings.
pub fn lint_source(linter: &Linter, source: Source) -> FileReport {
    lint_source_with(linter, source, false)
}

/// [`lint_source`]; with `spare_core`, the text's sentences are linted on two threads
/// and its base license is identified on a third, for one file on a machine with cores
/// to spare.
pub fn lint_source_with(linter: &Linter, source: Source, spare_core: bool) -> FileReport {
    let (findings, license) = if spare_core {
        std::thread::scope(|s| {
            let named = s.spawn(|| identify(&source.text));
            let findings = linter.lint_parallel(&source.text, 2);
            // A panic in identification (none is known: it is fuzzed) loses the name only.
            (findings, named.join().ok().flatten())
        })
    } else {
        (linter.lint(&source.text), identify(&source.text))
    };
    let starts = if findings.is_empty() { Vec::new() } else { source.line_starts() };
    let diagnostics = findings.iter().filter_map(|f| resolve(linter, &source, &starts, f, license.as_ref())).collect();
    FileReport { source, diagnostics, license }
}

/// `None` only for a finding of a rule not in the linter's set, which the engine never
/// makes.
fn resolve(linter: &Linter, source: &Source, starts: &[usize], f: &Finding, license: Option<&Identification>) -> Option<Diagnostic> {
    let rule = linter.set.rules.get(f.rule)?;
    let (line, column) = source.line_col_in(starts, f.span.start);
    let (end_line, end_column) = source.line_col_in(starts, f.span.end);
    let label = rule
        .fact_label
        .as_deref()
        .and_then(|t| crate::facts::fill(t, &f.facts))
        .unwrap_or_else(|| rule.label.clone());
    Some(Diagnostic {
        rule: rule.id.clone(),
        osd: rule.osd.clone(),
        severity: f.severity,
        message: rule.message.clone(),
        span: Span {
            start: source.file_offset(f.span.start),
            end: source.file_offset(f.span.end),
        },
        line,
        column,
        end_line,
        end_column,
        text: source.text.get(f.span.clone()).unwrap_or_default().to_string(),
        facts: f.facts.clone(),
        added_to: license.filter(|l| l.added.iter().any(|r| r.contains(&f.span.start))).map(|l| l.spdx.clone()),
        label,
        why: rule.why.clone(),
        help: rule.help.clone(),
        text_span: f.span.clone(),
        frame_span: f.frame.clone(),
        related: f.defined.iter().map(|r| defined_here(source, starts, r)).collect(),
    })
}

/// The secondary label at the definition of a term a finding was read through.
fn defined_here(source: &Source, starts: &[usize], r: &std::ops::Range<usize>) -> Related {
    let (line, column) = source.line_col_in(starts, r.start);
    let (end_line, end_column) = source.line_col_in(starts, r.end);
    Related {
        path: source.name.clone(),
        span: Span { start: source.file_offset(r.start), end: source.file_offset(r.end) },
        line,
        column,
        end_line,
        end_column,
        message: "the term, as defined here".to_string(),
        text_span: r.clone(),
        file_text: std::sync::Arc::from(source.text.as_str()),
    }
}
