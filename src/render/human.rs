//! The default output: rustc-style diagnostics drawn by codespan-reporting.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{SimpleFile, SimpleFiles};
use codespan_reporting::term::{self, termcolor::WriteColor, Config};

use crate::report::{added_lines, FileReport};
use crate::rules::{criterion_name, Severity};

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    }
}

fn labels(d: &crate::report::Diagnostic) -> Vec<Label<()>> {
    let mut v = vec![Label::primary((), d.text_span.clone()).with_message(d.label.as_str())];
    if let Some(frame) = &d.frame_span {
        v.push(Label::secondary((), frame.clone()).with_message("restricted by this wording"));
    }
    v
}

/// `1-3, 7` for lines 1 to 3 and line 7.
fn line_list(lines: &[(usize, usize)]) -> String {
    let parts: Vec<String> =
        lines.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    parts.join(", ")
}

/// The header line of a file whose base license was identified:
/// `LICENSE: MIT (98% match) + 2 added lines (24-25)`.
pub fn license_header(report: &FileReport) -> Option<String> {
    let license = report.license.as_ref()?;
    let percent = (f64::from(license.score) * 100.0).floor();
    let mut line = format!("{}: {} ({percent}% match)", report.source.name, license.spdx);
    let ranges = added_lines(&report.source.text, license);
    if !ranges.is_empty() {
        let mut seen = std::collections::BTreeSet::new();
        for &(a, b) in &ranges {
            seen.extend(a..=b);
        }
        let n = seen.len();
        line.push_str(&format!(" + {n} added line{} ({})", if n == 1 { "" } else { "s" }, line_list(&ranges)));
    }
    Some(line)
}

/// Write one file's header (its base license, when one was identified) and diagnostics.
pub fn render_file(out: &mut dyn WriteColor, report: &FileReport) -> std::io::Result<()> {
    let file = SimpleFile::new(report.source.name.as_str(), report.source.text.as_str());
    let config = Config::default();
    if let Some(header) = license_header(report) {
        use codespan_reporting::term::termcolor::ColorSpec;
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "{header}")?;
        out.reset()?;
        writeln!(out)?;
    }
    let added = report.license.as_ref().map(|l| (l, added_lines(&report.source.text, l)));
    for d in &report.diagnostics {
        let criteria: Vec<String> = d.osd.iter().map(|n| format!("OSD {n} ({})", criterion_name(*n))).collect();
        let mut notes = vec![if criteria.is_empty() { d.why.clone() } else { format!("{}: {}", criteria.join(", "), d.why) }];
        if let (Some(_), Some((license, lines))) = (&d.added_to, &added) {
            // The rider this clause is in: the added range that holds its start.
            let at = license.added.iter().position(|r| r.contains(&d.text_span.start));
            let rider = match at.and_then(|i| lines.get(i)) {
                Some(&(a, b)) if a == b => format!(" (line {a} is not part of it)"),
                Some(&(a, b)) => format!(" (lines {a}-{b} are not part of it)"),
                None => String::new(),
            };
            notes.push(format!("note: added to the {} text{rider}", license.name));
        }
        notes.push(format!("help: {}", d.help));
        if d.related.is_empty() {
            let diag = CsDiagnostic::new(severity(d.severity))
                .with_code(d.rule.as_str())
                .with_message(d.message.as_str())
                .with_labels(labels(d))
                .with_notes(notes);
            term::emit(out, &config, &file, &diag).map_err(to_io)?;
        } else {
            render_related(out, &config, report, d, notes)?;
        }
    }
    Ok(())
}

/// A diagnostic with labels in other files (a manifest's declaration and the license
/// clause it conflicts with): drawn from a database of every file it points into.
fn render_related(out: &mut dyn WriteColor, config: &Config, report: &FileReport, d: &crate::report::Diagnostic, notes: Vec<String>) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let main = files.add(report.source.name.clone(), std::sync::Arc::from(report.source.text.as_str()));
    let mut ids: Vec<(&str, usize)> = Vec::new();
    let mut labels: Vec<Label<usize>> = vec![Label::primary(main, d.text_span.clone()).with_message(d.label.as_str())];
    if let Some(frame) = &d.frame_span {
        labels.push(Label::secondary(main, frame.clone()).with_message("restricted by this wording"));
    }
    for r in &d.related {
        let id = match ids.iter().find(|(p, _)| *p == r.path) {
            Some((_, id)) => *id,
            // (A label in the same file: the definition of a term.)
            None if r.path == report.source.name && *r.file_text == *report.source.text => main,
            None => {
                let id = files.add(r.path.clone(), r.file_text.clone());
                ids.push((r.path.as_str(), id));
                id
            }
        };
        labels.push(Label::secondary(id, r.text_span.clone()).with_message(r.message.as_str()));
    }
    let diag = CsDiagnostic::new(severity(d.severity))
        .with_code(d.rule.as_str())
        .with_message(d.message.as_str())
        .with_labels(labels)
        .with_notes(notes);
    term::emit(out, config, &files, &diag).map_err(to_io)
}

/// One diagnostic pointing into a file that is not a license text (a pattern set or a
/// configuration file).
pub fn render_in(out: &mut dyn WriteColor, name: &str, text: &str, diag: &CsDiagnostic<()>) -> std::io::Result<()> {
    term::emit(out, &Config::default(), &SimpleFile::new(name, text), diag).map_err(to_io)
}

/// An error at a spot in such a file, or a one-line error when there is no spot.
pub fn render_error_at(
    out: &mut dyn WriteColor,
    name: &str,
    at: Option<(&str, std::ops::Range<usize>)>,
    title: &str,
    message: &str,
) -> std::io::Result<()> {
    match at {
        Some((text, span)) => {
            let d = CsDiagnostic::error().with_message(title).with_labels(vec![Label::primary((), span).with_message(message)]);
            render_in(out, name, text, &d)
        }
        None => render_message(out, Severity::Error, &format!("{name}: {message}")),
    }
}

/// A one-line message about a file that was not linted, or was linted with a caveat.
pub fn render_message(out: &mut dyn WriteColor, level: Severity, message: &str) -> std::io::Result<()> {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    let (word, color) = match level {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
        Severity::Note => ("note", Color::Cyan),
    };
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{word}")?;
    out.reset()?;
    writeln!(out, ": {message}")
}

/// The closing summary line.
pub fn render_summary(
    out: &mut dyn WriteColor,
    files: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
    binaries: usize,
) -> std::io::Result<()> {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut line = format!("checked {}: {}, {}", plural(files, "file"), plural(errors, "error"), plural(warnings, "warning"));
    if unreadable > 0 {
        line.push_str(&format!(", {} not read", plural(unreadable, "file")));
    }
    if binaries > 0 {
        line.push_str(&format!(", {} skipped", plural(binaries, "binary file")));
    }
    if errors == 0 && warnings == 0 && unreadable == 0 {
        line.push_str(" - no conflicts with the Open Source Definition found");
    }
    writeln!(out, "{line}")
}

/// The project's verdict, after the run's summary: one line.
pub fn render_project(out: &mut dyn WriteColor, summary: &crate::project::Summary) -> std::io::Result<()> {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    let color = match summary.conforms {
        Some(true) => Color::Green,
        Some(false) => Color::Red,
        None => Color::Yellow,
    };
    let (head, rest) = summary.summary.split_once(": ").unwrap_or((summary.summary.as_str(), ""));
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{head}")?;
    out.reset()?;
    writeln!(out, ": {rest}")
}

fn to_io(e: codespan_reporting::files::Error) -> std::io::Error {
    match e {
        codespan_reporting::files::Error::Io(io) => io,
        other => std::io::Error::other(other.to_string()),
    }
}
