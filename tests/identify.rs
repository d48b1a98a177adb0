//! Base-license identification and riders, on the license texts under `fixtures/` (which
//! we wrote): each standard text is named, unmodified texts have no added ranges, and a
//! restrictive paragraph added to MIT, BSD-3-Clause or Apache-2.0 is found exactly.

use osdlint::identify::identify;

fn read(path: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn standard_texts_are_named_with_no_added_text() {
    for (path, spdx) in [
        ("fixtures/clean/mit.txt", "MIT"),
        ("fixtures/clean/mit-comment-prefixed.txt", "MIT"),
        ("fixtures/clean/mit-hash-comment.txt", "MIT"),
        ("fixtures/clean/bsd-3-clause.txt", "BSD-3-Clause"),
        ("fixtures/clean/isc.txt", "ISC"),
        ("fixtures/clean/zlib.txt", "Zlib"),
        ("fixtures/clean/apache-2.0-notice.txt", "Apache-2.0"),
        ("LICENSE-APACHE", "Apache-2.0"),
        ("LICENSE-MIT", "MIT"),
    ] {
        let id = identify(&read(path)).unwrap_or_else(|| panic!("{path}: not identified"));
        assert_eq!(id.spdx, spdx, "{path}");
        assert!(id.score >= 0.95, "{path}: score {}", id.score);
        assert_eq!(id.added, Vec::<std::ops::Range<usize>>::new(), "{path}: added text found in a standard text");
    }
}

#[test]
fn texts_of_our_own_are_not_named() {
    for path in ["fixtures/clean/for-any-purpose-commercial.txt", "fixtures/restricted/military.txt", "fixtures/restricted/user-threshold-mau.txt"] {
        assert_eq!(identify(&read(path)), None, "{path}");
    }
    assert_eq!(identify(""), None);
}

/// The one added range of a fixture, as text.
fn rider(path: &str, spdx: &str) -> String {
    let text = read(path);
    let id = identify(&text).unwrap_or_else(|| panic!("{path}: not identified"));
    assert_eq!(id.spdx, spdx, "{path}");
    assert_eq!(id.added.len(), 1, "{path}: {:?}", id.added.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>());
    text[id.added[0].clone()].to_string()
}

#[test]
fn a_rider_appended_to_mit_is_found() {
    let r = rider("fixtures/restricted/mit-plus-rider.txt", "MIT");
    assert!(r.starts_with("Additional restriction: notwithstanding"), "{r}");
    assert!(r.ends_with("the planning of combat operations."), "{r}");
}

#[test]
fn a_condition_inserted_into_bsd_3_clause_is_found() {
    let r = rider("fixtures/restricted/bsd-3-clause-plus-rider.txt", "BSD-3-Clause");
    assert!(r.starts_with("4. The software and works derived from it"), "{r}");
    assert!(r.ends_with("commercial license from Tidewater Signal Labs."), "{r}");
}

#[test]
fn a_rider_after_the_apache_2_0_text_is_found() {
    let r = rider("fixtures/restricted/apache-2.0-plus-rider.txt", "Apache-2.0");
    assert!(r.starts_with("ADDITIONAL TERM FOR LARGE SERVICES"), "{r}");
    assert!(r.ends_with("may grant or refuse at its discretion."), "{r}");
}

#[test]
fn a_commons_clause_after_the_apache_notice_is_found() {
    let r = rider("fixtures/restricted/commons-clause-rider.txt", "Apache-2.0");
    assert!(r.starts_with("Rider to the License."), "{r}");
    assert!(r.ends_with("built around it."), "{r}");
}

/// A license inside a much longer text scores low as a whole; its best window of lines
/// names it, and the text around it is added.
#[test]
fn a_license_inside_a_longer_text_is_named_by_its_window() {
    let mit = read("fixtures/clean/mit.txt");
    let before = "About this bundle\n\nThis archive gathers the tools our lab uses to sort field recordings of birds, \
                  with scripts for trimming silence, tagging species and exporting spectrograms. Each tool came \
                  from a different student project over many seasons, and each kept the terms it was first \
                  released under. The notes below say where each tool came from and who looks after it now.\n\n\
                  The trimming scripts were written during the spring survey and later rewritten for speed. \
                  The tagging tool reads the survey sheets directly and writes one file per recording.\n\n";
    let after = "\n\nThe spectrogram exporter depends on a plotting library that ships its own notice in the \
                 vendor folder. Questions about the recordings themselves go to the survey coordinator, who \
                 keeps the field sheets, the station maps and the calibration logs for every season.\n";
    let text = format!("{before}{mit}{after}");
    let id = identify(&text).unwrap_or_else(|| panic!("MIT inside a longer text: not identified"));
    assert_eq!(id.spdx, "MIT");
    assert!(id.score >= 0.8, "score {}", id.score);
    let added: Vec<&str> = id.added.iter().map(|r| &text[r.clone()]).collect();
    assert!(added.iter().any(|a| a.starts_with("About this bundle")), "{added:?}");
    assert!(added.iter().any(|a| a.ends_with("for every season.")), "{added:?}");
    assert!(added.iter().all(|a| !a.contains("WITHOUT WARRANTY")), "{added:?}");
}
