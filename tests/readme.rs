//! The README's claims that can rot: the rule list and the worked pattern example.

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap_or_default()
}

#[test]
fn the_rule_list_matches_the_embedded_rules() {
    let text = readme();
    let list = text
        .split("<!-- rules:start -->")
        .nth(1)
        .and_then(|t| t.split("<!-- rules:end -->").next())
        .unwrap_or_else(|| panic!("README.md has no rules:start/rules:end markers"));
    let linter = osdlint::embedded_linter().unwrap_or_else(|e| panic!("{e}"));
    let mut missing = Vec::new();
    for r in &linter.set.rules {
        let row = format!("| `{}` |", r.id);
        if !list.contains(&row) || !list.contains(&r.message) {
            missing.push(r.id.clone());
        }
    }
    let rows = list.lines().filter(|l| l.starts_with("| `osd")).count();
    assert!(
        missing.is_empty() && rows == linter.set.rules.len(),
        "README rule list is stale ({rows} rows, {} rules; missing or changed: {missing:?}); run scripts/readme-rules.sh",
        linter.set.rules.len()
    );
}

#[test]
fn the_worked_pattern_example_passes_its_own_tests() {
    let text = readme();
    let example = text
        .split("# policy/ui-attribution.toml\n")
        .nth(1)
        .and_then(|t| t.split("```").next())
        .unwrap_or_else(|| panic!("README.md lost its worked example"));
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.path().join("ui-attribution.toml"), example).unwrap_or_else(|e| panic!("{e}"));
    Command::cargo_bin("osdlint")
        .unwrap_or_else(|e| panic!("{e}"))
        .arg("test-patterns")
        .arg(d.path())
        .assert()
        .code(0)
        .stdout(contains("2 examples, 0 failed"));
}
