//! Arbitrary bytes as each kind of project file: Cargo.toml, pyproject.toml,
//! package.json and a README or model card. Parsing may fail with an error, never panic;
//! every declaration's span and every "open source" claim's span lies on character
//! boundaries of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use osdlint::{claims, declared, identify};

fn spans_hold(text: &str, decls: &[declared::Declaration]) {
    for d in decls {
        assert!(text.get(d.span.clone()).is_some(), "span {:?} off the text or a character", d.span);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if let Ok(d) = declared::cargo(text) {
        spans_hold(text, &d);
    }
    if let Ok(d) = declared::pyproject(text) {
        spans_hold(text, &d);
    }
    if let Ok(d) = declared::package_json(text) {
        spans_hold(text, &d);
    }
    let card = declared::model_card(text);
    spans_hold(text, &card);
    let front: Vec<_> = declared::front_matter(text).map(|(_, all)| all).into_iter().collect();
    for r in &front {
        assert!(text.get(r.clone()).is_some(), "front matter {r:?} off the text");
    }
    for c in claims::find(text, &front) {
        let term = text.get(c.span.clone()).unwrap_or_else(|| panic!("claim {:?} off the text", c.span));
        let sentence = text.get(c.sentence.clone()).unwrap_or_else(|| panic!("sentence {:?} off the text", c.sentence));
        assert!(c.sentence.start <= c.span.start && c.span.end <= c.sentence.end, "{term:?} outside {sentence:?}");
    }
    // Base-license identification on the same bytes: added ranges lie in the text.
    if let Some(id) = identify::identify(text) {
        assert!((0.0..=1.0).contains(&id.score), "score {}", id.score);
        for r in &id.added {
            assert!(text.get(r.clone()).is_some(), "added {r:?} off the text");
        }
    }
    let _ = declared::resolve(text);
});
