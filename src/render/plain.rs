//! The one-line formats: `--format concise` (`path:line:col: severity[rule] message`) and
//! `--format github` (workflow commands that annotate a pull request).

use crate::report::FileReport;
use crate::rules::Severity;

/// One line a diagnostic: `path:line:col: severity[rule] message: label`.
pub fn concise(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}: {}{}",
            escape_path(&report.source.name),
            d.line,
            d.column,
            d.severity.as_str(),
            d.rule,
            d.message,
            d.label,
            added_to(report, d)
        ));
        // A finding about a project names the license clause it rests on.
        for r in &d.related {
            out.push_str(&format!(" (see {}:{}:{}: {})", escape_path(&r.path), r.line, r.column, r.message));
        }
        out.push('\n');
    }
    out
}

/// `; added to the MIT License text` for a clause in a rider, else nothing.
fn added_to(report: &FileReport, d: &crate::report::Diagnostic) -> String {
    match (&d.added_to, &report.license) {
        (Some(_), Some(l)) => format!("; added to the {} text", l.name),
        _ => String::new(),
    }
}

/// A newline or carriage return in a path would break the one-line format.
fn escape_path(p: &str) -> String {
    p.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

/// GitHub's escaping for a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escaping for a workflow command's property values.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error file=…::message` command a diagnostic.
pub fn github(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let osd: Vec<String> = d.osd.iter().map(|n| format!("OSD {n}")).collect();
        let title = if osd.is_empty() { d.rule.clone() } else { format!("{} ({})", d.rule, osd.join(", ")) };
        let see: String = d.related.iter().map(|r| format!(" See {}:{}:{}: {}.", r.path, r.line, r.column, r.message)).collect();
        out.push_str(&format!(
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(report.source.name.strip_prefix("./").unwrap_or(&report.source.name)),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(&title),
            escape_data(&format!("{}: {}{}.{see} {}. Help: {}", d.message, d.label, added_to(report, d), d.why, d.help))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(escape_property("a,b:c%d\ne"), "a%2Cb%3Ac%25d%0Ae");
        assert_eq!(escape_data("50%: a,b\r\n"), "50%25: a,b%0D%0A");
    }
}
