//! Properties that must hold for any input: spans lie on character boundaries of the
//! original text, their `text` is that slice, line and column agree with the offset, and
//! nothing panics.

use osdlint::report::lint_source;
use osdlint::rules::RuleSet;
use osdlint::source::Source;
use osdlint::Linter;
use proptest::prelude::*;

/// Rules that fire on almost anything, so the properties see many spans.
const GREEDY: &str = r#"
[[rule]]
id = "osd6/any-words"
osd = [6]
message = "m"
label = "l"
why = "w"
help = "h"
explain = "e"
triggers = ["a", "e", "o", "é", "-"]
regexes = ['\w+.{0,6}\w*', '(?P<hit>[^ ]{1,3}) ']
tests.match = []
tests.no_match = []
"#;

fn greedy() -> Linter {
    let mut set = RuleSet::default();
    set.add_file("greedy.toml", GREEDY, true).unwrap_or_else(|e| panic!("{e}"));
    Linter::new(set).unwrap_or_else(|e| panic!("{e}"))
}

fn licenseish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("must not ".to_string()),
        Just("military ".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("// ".to_string()),
        Just(" * ".to_string()),
        Just("**".to_string()),
        Just("<b>".to_string()),
        Just("[x](y)".to_string()),
        Just("&amp;".to_string()),
        Just("non-\ncommercial ".to_string()),
        Just("\u{201c}quoted\u{201d} ".to_string()),
        Just("\u{ad}\u{200b}\u{feff}".to_string()),
        Just("é".to_string()),
        Just("ß".to_string()),
        Just("İ".to_string()),
        Just("ﬁ".to_string()),
        Just("日本語".to_string()),
        Just("``as is'' ".to_string()),
        Just("e.g. ".to_string()),
        Just(". ".to_string()),
        "[ -~]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(linter: &Linter, text: &str) {
    let report = lint_source(linter, Source::from_text("t", text));
    for d in &report.diagnostics {
        let (s, e) = (d.span.start, d.span.end);
        assert!(s <= e && e <= text.len(), "span {s}..{e} outside {}", text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e), "span {s}..{e} not on char boundaries of {text:?}");
        assert_eq!(&text[s..e], d.text);
        let before = &text[..s];
        let line = 1 + before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count();
        assert_eq!(d.line, line, "line of {s} in {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_slices_of_the_original(text in licenseish()) {
        check(&greedy(), &text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        check(&greedy(), &text);
    }

    #[test]
    fn the_embedded_rules_keep_spans_on_boundaries(text in licenseish()) {
        thread_local!(static L: Linter = osdlint::embedded_linter().unwrap_or_else(|e| panic!("{e}")));
        L.with(|l| check(l, &text));
    }

    #[test]
    fn any_bytes_decode_and_lint(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(src) = Source::from_bytes("b".into(), bytes.clone()) {
            let report = lint_source(&greedy(), src);
            for d in &report.diagnostics {
                prop_assert!(d.span.start <= d.span.end && d.span.end <= bytes.len());
            }
        }
    }
}
