//! Arbitrary bytes, read as a license file and linted: no panic, and every finding's
//! spans are in the file, on character boundaries, and hold the finding's words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use osdlint::report::lint_source;
use osdlint::source::Source;

mod common;

fuzz_target!(|data: &[u8]| {
    // The text stages on their own, over whatever text the bytes make.
    common::check_normalize(&String::from_utf8_lossy(data));
    let Ok(source) = Source::from_bytes("LICENSE".into(), data.to_vec()) else { return };
    if source.text.as_bytes() != data {
        common::check_normalize(&source.text);
    }
    // On two threads, and again from the sentence memo, the same findings.
    let once = common::embedded().lint(&source.text);
    assert_eq!(once, common::embedded().lint_parallel(&source.text, 2), "two threads");
    assert_eq!(once, common::embedded().lint(&source.text), "from the memo");
    let embedded = lint_source(common::embedded(), source.clone());
    common::check_report(&embedded, data);
    let greedy = common::lint_greedy(source);
    common::check_report(&greedy, data);
});
