//! Every rule carries examples it must flag and examples it must leave alone; this runs
//! them through the whole engine (normalize, segment, prefilter, confirm, exclusions).

use std::ops::Range;

use crate::engine::Linter;

/// What went wrong with one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A `match` example the rule did not flag.
    NotFlagged,
    /// A `match` example a regex matches but no trigger literal occurs in: the
    /// prefilter would hide this finding.
    PrefilterMiss,
    /// A `no_match` example the rule flagged.
    Flagged,
}

/// One failing example.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: usize,
    pub problem: Problem,
    pub example: String,
    /// Where the example stands in its pattern file.
    pub span: Range<usize>,
}

/// Run the examples of every rule (or of the rules for which `keep` is true).
pub fn check_examples(linter: &Linter, keep: impl Fn(usize) -> bool) -> Vec<ExampleFailure> {
    let mut out = Vec::new();
    for (i, rule) in linter.set.rules.iter().enumerate().filter(|(i, _)| keep(*i)) {
        for (text, span) in &rule.tests.matches {
            if linter.lint_filtered(text, Some(i)).iter().any(|f| f.rule == i) {
                continue;
            }
            let norm = crate::normalize::normalize(text).text.replace('\n', " ");
            let regex_hits = rule.regexes.iter().chain(&rule.warn).any(|p| p.regex().is_some_and(|re| re.is_match(norm.as_bytes())));
            let literal_hits = rule.triggers.iter().any(|t| norm.contains(t.as_ref()));
            let problem = if regex_hits && !literal_hits { Problem::PrefilterMiss } else { Problem::NotFlagged };
            out.push(ExampleFailure { rule: i, problem, example: text.to_string(), span: span.clone() });
        }
        for (text, span) in &rule.tests.no_match {
            if linter.lint_filtered(text, Some(i)).iter().any(|f| f.rule == i) {
                out.push(ExampleFailure { rule: i, problem: Problem::Flagged, example: text.to_string(), span: span.clone() });
            }
        }
    }
    out
}

impl Problem {
    pub fn describe(&self) -> &'static str {
        match self {
            Problem::NotFlagged => "this `match` example is not flagged by the rule",
            Problem::PrefilterMiss => "a regex matches this example, but none of the rule's `triggers` occurs in it, so the prefilter hides it",
            Problem::Flagged => "this `no_match` example is flagged by the rule",
        }
    }
}
