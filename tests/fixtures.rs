//! Fixture snapshots: every license text under fixtures/ (written by us) is linted with
//! the embedded rules; the human output (no colour) and the JSON findings are snapshots,
//! and clean fixtures must have no errors while restricted ones must have at least one.
//! Accept changes with `cargo insta review`; CI runs with INSTA_UPDATE=no.

use codespan_reporting::term::termcolor::NoColor;
use osdlint::report::lint_source;
use osdlint::source::Source;
use osdlint::Severity;

fn relative(path: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

#[test]
fn fixtures() {
    let linter = osdlint::embedded_linter().unwrap_or_else(|e| panic!("{e}"));
    insta::glob!("../fixtures", "**/*.{txt,md}", |path| {
        if path.file_name().is_some_and(|n| n == "README.md") {
            return;
        }
        let name = relative(path);
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = Source::from_bytes(name.clone(), bytes).unwrap_or_else(|b| panic!("{name}: {}", b.0));
        let report = lint_source(&linter, source);
        let errors = report.count(Severity::Error);
        if name.contains("/clean/") {
            assert_eq!(errors, 0, "{name}: a clean fixture has errors: {:#?}", report.diagnostics);
        } else if name.contains("/restricted/") {
            assert!(errors > 0, "{name}: a restricted fixture has no error");
        }
        let mut buf = NoColor::new(Vec::new());
        osdlint::render::human::render_file(&mut buf, &report).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!("human", String::from_utf8_lossy(&buf.into_inner()));
        insta::assert_json_snapshot!("json", report.diagnostics);
    });
}
