//! `--format json`: one document with every file's diagnostics and a summary.

use serde::Serialize;

use crate::report::{Diagnostic, FileReport, Span};
use crate::rules::Severity;

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// The standard license the text is built on; `null` when none matched well enough.
    license: Option<LicenseOut<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct LicenseOut<'a> {
    spdx: &'a str,
    name: &'a str,
    score: f32,
    /// Riders: byte ranges of the file that go beyond the license.
    added: Vec<Span>,
}

fn license(r: &FileReport) -> Option<LicenseOut<'_>> {
    r.license.as_ref().map(|l| LicenseOut { spdx: &l.spdx, name: &l.name, score: l.score, added: r.added_spans() })
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    unreadable: usize,
    /// Binary files met while walking a directory, not linted.
    skipped: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    files: Vec<FileOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorOut<'a>>,
    summary: Summary,
    /// The verdict on each project root checked (see `project.rs`); absent when none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    projects: &'a [crate::project::Summary],
}

/// Render the whole run as one JSON document.
pub fn render(reports: &[FileReport], failures: &[(String, String)], skipped: usize) -> String {
    render_with_projects(reports, failures, skipped, &[])
}

/// [`render`], with the verdicts on the project roots checked.
pub fn render_with_projects(
    reports: &[FileReport],
    failures: &[(String, String)],
    skipped: usize,
    projects: &[crate::project::Summary],
) -> String {
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum();
    let doc = Doc {
        version: 1,
        files: reports
            .iter()
            .map(|r| FileOut {
                path: &r.source.name,
                note: r.source.note.as_deref(),
                license: license(r),
                diagnostics: &r.diagnostics,
            })
            .collect(),
        errors: failures.iter().map(|(p, m)| ErrorOut { path: p, message: m }).collect(),
        summary: Summary {
            files: reports.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            unreadable: failures.len(),
            skipped,
        },
        projects,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
