//! Arbitrary text as a pattern file (`--patterns DIR`): loading it never panics, an error
//! renders with codespan-reporting, and a set that loads lints a license text, runs its
//! own examples and renders as SARIF.
#![no_main]

use codespan_reporting::term::termcolor::NoColor;
use libfuzzer_sys::fuzz_target;
use osdlint::render::human;
use osdlint::report::lint_source;
use osdlint::rules::RuleSet;
use osdlint::source::Source;
use osdlint::Linter;

mod common;

const LICENSE: &str = "Permission is granted to use this software, free of charge.\n\n\
You may not sell it, and it must not be put to military use.\r\n\
Non-commercial use only; companies with more than 100 employees need a license.\n";

fuzz_target!(|data: &[u8]| {
    // `add_dir` refuses a file that is not UTF-8 before parsing it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut set = RuleSet::default();
    let loaded = set.add_file("fuzz.toml", text, true).and_then(|()| set.finish());
    if let Err(e) = loaded {
        // As `osdlint` prints it: the span must be drawable in the file's text.
        if let (Some(t), Some(span)) = (&e.text, &e.span) {
            assert!(span.start <= span.end && span.end <= t.len(), "error span {span:?} outside {}", t.len());
            assert!(t.is_char_boundary(span.start) && t.is_char_boundary(span.end), "error span {span:?} off char boundaries");
        }
        let at = e.text.as_deref().zip(e.span.clone());
        let mut out = NoColor::new(Vec::new());
        let _ = human::render_error_at(&mut out, &e.file, at, "invalid pattern file", &e.message);
        return;
    }
    let Ok(linter) = Linter::new(set) else { return };
    let report = lint_source(&linter, Source::from_text("LICENSE", LICENSE));
    common::check_report(&report, LICENSE.as_bytes());
    let _ = osdlint::selftest::check_examples(&linter, |_| true);
    let sarif = osdlint::render::sarif::render(&linter.set, &[report]);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&sarif) {
        panic!("SARIF does not parse: {e}");
    }
});
