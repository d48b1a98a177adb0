//! Arbitrary bytes, linted and rendered in every output format, under a plain file name
//! and under one with characters the formats must escape. JSON and SARIF must parse; the
//! one-line formats must give one line a finding.
#![no_main]

use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use libfuzzer_sys::fuzz_target;
use osdlint::render::{human, json, plain, sarif};
use osdlint::report::{lint_source, FileReport};
use osdlint::rules::Severity;
use osdlint::source::Source;
use osdlint::Linter;

mod common;

fn render(linter: &Linter, report: &FileReport) {
    let n = report.diagnostics.len();
    // human, with and without colour, as `check` writes it.
    let mut outs: [Box<dyn WriteColor>; 2] = [Box::new(Ansi::new(Vec::new())), Box::new(NoColor::new(Vec::new()))];
    for out in outs.iter_mut() {
        if let Some(note) = &report.source.note {
            let _ = human::render_message(out.as_mut(), Severity::Note, &format!("{}: {note}", report.source.name));
        }
        let _ = human::render_file(out.as_mut(), report);
        let e = report.count(Severity::Error);
        let w = report.count(Severity::Warning);
        let _ = human::render_summary(out.as_mut(), 1, e, w, 0, 0);
    }
    let concise = plain::concise(report);
    assert_eq!(concise.lines().count(), n, "concise is not one line a finding:\n{concise}");
    let github = plain::github(report);
    assert_eq!(github.lines().count(), n, "github is not one line a finding:\n{github}");
    assert!(github.lines().all(|l| l.starts_with("::")), "{github}");

    let failures = vec![(report.source.name.clone(), format!("{}: no such file", report.source.name))];
    let doc = json::render(std::slice::from_ref(report), &failures, 1);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap_or_else(|e| panic!("JSON does not parse: {e}\n{doc}"));
    assert_eq!(v["files"][0]["path"].as_str(), Some(report.source.name.as_str()));
    assert_eq!(v["files"][0]["diagnostics"].as_array().map(Vec::len), Some(n));
    let log = sarif::render(&linter.set, std::slice::from_ref(report));
    let v: serde_json::Value = serde_json::from_str(&log).unwrap_or_else(|e| panic!("SARIF does not parse: {e}\n{log}"));
    let results = v["runs"][0]["results"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(results, n);
    if let Some(uri) = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str() {
        assert!(!uri.contains(|c: char| c.is_whitespace() || c == ',' || c == ':'), "unescaped URI {uri:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::from_bytes("LICENSE".into(), data.to_vec()) else { return };
    // A name made from the input's first bytes, with what the formats must escape.
    let head = String::from_utf8_lossy(data.get(..data.len().min(24)).unwrap_or_default()).into_owned();
    let odd = format!("./dir, with: odd%20/{head}\nLICENSE\r%0A:1,2\\x");
    let embedded = lint_source(common::embedded(), source.clone());
    let greedy = common::lint_greedy(source);
    for (linter, report) in [(common::embedded(), embedded), (common::greedy(), greedy)] {
        common::check_report(&report, data);
        render(linter, &report);
        let mut renamed = report;
        renamed.source.name = odd.clone();
        render(linter, &renamed);
    }
});
