//! The command line as a user runs it: exit codes, standard input, directories, formats,
//! colour, and errors that name the file and let the run go on. These use a small pattern
//! set of their own (tests/data/patterns) so they test the mechanics, not the rules.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const RESTRICTED: &str = "Permission is granted to use this work.\n\nIt must not be put to\nmilitary use.\n";
const CLEAN: &str = "Permission is granted to use this work for any purpose.\n";

fn osdlint() -> Command {
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.env_remove("NO_COLOR");
    c
}

/// osdlint with only the test pattern set.
fn testlint() -> Command {
    let mut c = osdlint();
    c.args(["--no-default-patterns", "--patterns"]).arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/patterns"));
    c
}

fn tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let w = |p: &str, s: &str| {
        let p = d.path().join(p);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(p, s).unwrap_or_else(|e| panic!("{e}"));
    };
    w("LICENSE", RESTRICTED);
    w("vendor/lib/COPYING.txt", RESTRICTED);
    w("vendor/other/license.md", CLEAN);
    w("README.md", RESTRICTED);
    w("src/license.rs", RESTRICTED);
    w("ignored/LICENSE", RESTRICTED);
    w(".gitignore", "ignored/\n");
    d
}

#[test]
fn restricted_file_exits_1_with_a_rustc_style_diagnostic() {
    let d = tree();
    testlint()
        .arg("check")
        .arg(d.path().join("LICENSE"))
        .assert()
        .code(1)
        .stdout(contains("error[osd6/test-military]: license forbids military use"))
        .stdout(contains("military use excluded"))
        .stdout(contains("OSD 6 (no discrimination against fields of endeavor)"))
        .stdout(contains("help: remove the clause"))
        .stdout(contains("LICENSE:4:1"))
        .stdout(contains("checked 1 file: 1 error, 0 warnings"));
}

#[test]
fn clean_file_exits_0() {
    let d = tree();
    testlint()
        .arg("check")
        .arg(d.path().join("vendor/other/license.md"))
        .assert()
        .code(0)
        .stdout(contains("checked 1 file: 0 errors, 0 warnings"));
}

#[test]
fn stdin_is_read_for_dash() {
    testlint()
        .args(["check", "-"])
        .write_stdin(RESTRICTED)
        .assert()
        .code(1)
        .stdout(contains("<stdin>:4:1"));
    testlint().args(["check", "-"]).write_stdin(CLEAN).assert().code(0);
}

#[test]
fn directories_are_walked_for_license_files_only() {
    let d = tree();
    // REUSE's layout: license texts under LICENSES/, named by SPDX id.
    fs::create_dir_all(d.path().join("LICENSES")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("LICENSES/MIT.txt"), CLEAN).unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("LICENSES/check.py"), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    let out = testlint().args(["check", "--format", "json"]).arg(d.path()).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<String> = v["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["path"].as_str()).map(|p| p.replace(&*d.path().to_string_lossy(), "")).collect())
        .unwrap_or_default();
    // README.md and license.rs are not license files; ignored/ is in .gitignore.
    assert_eq!(paths, ["/LICENSE", "/LICENSES/MIT.txt", "/vendor/lib/COPYING.txt", "/vendor/other/license.md"]);
}

#[test]
fn default_path_is_the_current_directory() {
    let d = tree();
    testlint().arg("check").current_dir(d.path()).assert().code(1).stdout(contains("checked 3 files: 2 errors"));
}

#[test]
fn a_missing_file_is_named_and_the_others_are_still_linted() {
    let d = tree();
    testlint()
        .arg("check")
        .arg(d.path().join("NOPE"))
        .arg(d.path().join("LICENSE"))
        .assert()
        .code(2)
        .stderr(contains("NOPE: no such file or directory"))
        .stdout(contains("error[osd6/test-military]"));
}

#[test]
fn json_has_the_documented_fields() {
    let d = tree();
    let out = testlint()
        .args(["check", "--format", "json"])
        .arg(d.path().join("LICENSE"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["version"], 1);
    let diag = &v["files"][0]["diagnostics"][0];
    assert_eq!(diag["rule"], "osd6/test-military");
    assert_eq!(diag["osd"], serde_json::json!([6]));
    assert_eq!(diag["severity"], "error");
    assert_eq!(diag["text"], "military");
    let (s, e) = (diag["span"]["start"].as_u64().unwrap_or(0) as usize, diag["span"]["end"].as_u64().unwrap_or(0) as usize);
    assert_eq!(&RESTRICTED[s..e], "military");
    assert_eq!((diag["line"].as_u64(), diag["column"].as_u64()), (Some(4), Some(1)));
    assert_eq!((diag["end_line"].as_u64(), diag["end_column"].as_u64()), (Some(4), Some(9)));
    assert_eq!(v["summary"], serde_json::json!({"files": 1, "errors": 1, "warnings": 0, "notes": 0, "unreadable": 0, "skipped": 0}));
}

#[test]
fn facts_are_extracted_into_json_and_labels() {
    let text = "Licensees with more than 700 million monthly active users must ask us.";
    let out = testlint().args(["check", "--format", "json", "-"]).write_stdin(text).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["files"][0]["diagnostics"][0]["facts"], serde_json::json!({"threshold": 700_000_000u64, "unit": "monthly_active_users"}));
    testlint().args(["check", "-"]).write_stdin(text).assert().stdout(contains("threshold: 700,000,000 monthly active users"));
}

/// The embedded rules, on a whole file under `fixtures/`.
fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(path)
}

#[test]
fn revenue_facts_carry_currency_and_period() {
    let text = "This license is available only to organisations with less than US $1,000,000 in annual revenue.";
    let out = osdlint().args(["--isolated", "check", "--format", "json", "-"]).write_stdin(text).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "osd5/revenue-threshold");
    assert_eq!(d["facts"], serde_json::json!({"threshold": 1_000_000u64, "currency": "USD", "unit": "revenue", "period": "annual"}));
    osdlint()
        .args(["--isolated", "check", "-"])
        .write_stdin(text)
        .assert()
        .stdout(contains("threshold: 1,000,000 USD of annual revenue"));
    let out = osdlint().args(["--isolated", "check", "--format", "sarif", "-"]).write_stdin(text).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["runs"][0]["results"][0]["properties"]["facts"]["period"], "annual");
}

#[test]
fn a_rider_on_mit_is_an_error_that_names_the_base_license() {
    let path = fixture("restricted/mit-plus-rider.txt");
    osdlint()
        .args(["--isolated", "check"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(contains("mit-plus-rider.txt: MIT (91% match) + 3 added lines (23-25)"))
        .stdout(contains("error[osd6/military]"))
        .stdout(contains("= note: added to the MIT License text (lines 23-25 are not part of it)"));
    let out = osdlint().args(["--isolated", "check", "--format", "json"]).arg(&path).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    let file = &v["files"][0];
    assert_eq!(file["license"]["spdx"], "MIT");
    assert_eq!(file["license"]["name"], "MIT License");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let added = &file["license"]["added"][0];
    let (s, e) = (added["start"].as_u64().unwrap_or(0) as usize, added["end"].as_u64().unwrap_or(0) as usize);
    assert!(text[s..e].starts_with("Additional restriction:") && text[s..e].ends_with("combat operations."), "{}", &text[s..e]);
    assert_eq!(file["diagnostics"][0]["added_to"], "MIT");
    osdlint()
        .args(["--isolated", "check", "--format", "concise"])
        .arg(&path)
        .assert()
        .stdout(contains("; added to the MIT License text"));
    let out = osdlint().args(["--isolated", "check", "--format", "sarif"]).arg(&path).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["runs"][0]["results"][0]["properties"]["added_to"], "MIT");
    assert_eq!(v["runs"][0]["artifacts"][0]["properties"]["license"]["spdx"], "MIT");
    // The score reads as in JSON (three decimals), not as a widened f32.
    assert_eq!(v["runs"][0]["artifacts"][0]["properties"]["license"]["score"], file["license"]["score"]);
    assert!(String::from_utf8_lossy(&out).contains(&format!("\"score\": {}", file["license"]["score"])));
}

#[test]
fn a_plain_license_has_a_header_and_no_added_lines() {
    let out = osdlint()
        .args(["--isolated", "check"])
        .arg(fixture("clean/mit.txt"))
        .arg(fixture("clean/bsd-3-clause.txt"))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("mit.txt: MIT (100% match)\n"), "{out}");
    assert!(out.contains("bsd-3-clause.txt: BSD-3-Clause (99% match)\n"), "{out}");
    // A text that is no standard license gets no header, and `null` in JSON.
    let out = osdlint().args(["--isolated", "check", "--format", "json", "-"]).write_stdin(CLEAN).assert().code(0).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["files"][0]["license"], serde_json::Value::Null);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let d = tree();
    let lic = d.path().join("LICENSE");
    testlint().args(["--color", "always", "check"]).arg(&lic).assert().stdout(contains("\u{1b}["));
    testlint().args(["--color", "never", "check"]).arg(&lic).assert().stdout(contains("\u{1b}[").not());
    // Not a terminal: auto means no colour.
    testlint().arg("check").arg(&lic).assert().stdout(contains("\u{1b}[").not());
    testlint().env("NO_COLOR", "1").arg("check").arg(&lic).assert().stdout(contains("\u{1b}[").not());
}

#[test]
fn a_binary_named_explicitly_is_a_warning_not_a_failure() {
    let d = tree();
    let png = d.path().join("LICENSE.png");
    fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_or_else(|e| panic!("{e}"));
    testlint().arg("check").arg(&png).assert().code(0).stderr(contains("LICENSE.png: skipped: a PNG image"));
}

#[test]
fn rules_and_explain() {
    testlint().arg("rules").assert().code(0).stdout(contains("osd6/test-military")).stdout(contains("osd5/test-users"));
    testlint()
        .args(["explain", "osd6/test-military"])
        .assert()
        .code(0)
        .stdout(contains("## What it finds"))
        .stdout(contains("## Example it flags"));
    testlint().args(["explain", "osd6/nope"]).assert().code(2).stderr(contains("no rule `osd6/nope`"));
}

#[test]
fn a_bad_pattern_file_is_shown_at_its_line() {
    osdlint()
        .args(["--patterns"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad"))
        .args(["check", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(2)
        .stderr(contains("unknown-key.toml:11:1"))
        .stderr(contains("unknown field `colour`"));
}

#[test]
fn a_byte_order_mark_in_a_pattern_file_or_config_is_shown_at_its_start() {
    let d = tree();
    let pats = d.path().join("pats");
    fs::create_dir_all(&pats).unwrap_or_else(|e| panic!("{e}"));
    let policy = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/patterns/policy.toml")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(pats.join("bom.toml"), format!("\u{feff}{policy}")).unwrap_or_else(|e| panic!("{e}"));
    osdlint()
        .args(["--no-default-patterns", "--patterns"])
        .arg(&pats)
        .args(["check", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(contains("bom.toml:1:1"))
        .stderr(contains("byte-order mark"));
    fs::write(d.path().join("osdlint.toml"), "\u{feff}select = [\"osd6\"]\n").unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .args(["check", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(contains("osdlint.toml:1:1"))
        .stderr(contains("byte-order mark"));
}

#[test]
fn crlf_pattern_files_and_configs_load_like_lf_and_errors_keep_their_lines() {
    // CRLF is valid TOML, and what a Windows checkout gives: it loads as LF does.
    let d = tree();
    let pats = d.path().join("pats");
    fs::create_dir_all(&pats).unwrap_or_else(|e| panic!("{e}"));
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let crlf = |p: &str| fs::read_to_string(data.join(p)).unwrap_or_else(|e| panic!("{e}")).replace('\n', "\r\n");
    fs::write(pats.join("policy.toml"), crlf("patterns/policy.toml")).unwrap_or_else(|e| panic!("{e}"));
    let with = |dir: &Path| {
        let mut c = osdlint();
        c.args(["--no-default-patterns", "--patterns"]).arg(dir).current_dir(d.path());
        c
    };
    with(&pats).args(["check", "LICENSE"]).assert().code(1).stdout(contains("error[osd6/test-military]"));
    osdlint().args(["--no-default-patterns", "test-patterns"]).arg(&pats).assert().code(0).stdout(contains(", 0 failed"));
    // An error in a CRLF file is shown at the same line and column as in the LF file.
    let bad = d.path().join("bad");
    fs::create_dir_all(&bad).unwrap_or_else(|e| panic!("{e}"));
    fs::write(bad.join("unknown-key.toml"), crlf("bad/unknown-key.toml")).unwrap_or_else(|e| panic!("{e}"));
    with(&bad)
        .args(["check", "LICENSE"])
        .assert()
        .code(2)
        .stderr(contains("unknown-key.toml:11:1"))
        .stderr(contains("unknown field `colour`"));
    // The same for the configuration file.
    fs::write(d.path().join("osdlint.toml"), "ignore = [\"osd6\"]\r\n").unwrap_or_else(|e| panic!("{e}"));
    with(&pats).args(["check", "LICENSE"]).assert().code(0);
    fs::write(d.path().join("osdlint.toml"), "select = [\"osd6\"]\r\nfail-on = \"sometimes\"\r\n").unwrap_or_else(|e| panic!("{e}"));
    with(&pats)
        .args(["check", "LICENSE"])
        .assert()
        .code(2)
        .stderr(contains("osdlint.toml:2:11"))
        .stderr(contains("unknown variant `sometimes`"));
}

#[test]
fn test_patterns_runs_the_examples() {
    osdlint()
        .arg("test-patterns")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/patterns"))
        .assert()
        .code(0)
        .stdout(contains("4 examples, 0 failed"));
}

#[test]
fn help_teaches() {
    osdlint().arg("--help").assert().code(0).stdout(contains("Open Source Definition")).stdout(contains("check"));
    osdlint()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(contains("osdlint check LICENSE"))
        .stdout(contains("Exit status"));
    osdlint().arg("--bogus").assert().code(2);
}

#[test]
fn the_projects_own_licenses_lint_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    osdlint()
        .arg("check")
        .arg(root.join("LICENSE-MIT"))
        .arg(root.join("LICENSE-APACHE"))
        .assert()
        .code(0)
        .stdout(contains("checked 2 files: 0 errors, 0 warnings"));
}

#[test]
fn concise_and_github_formats() {
    let d = tree();
    testlint()
        .args(["check", "--format", "concise"])
        .arg(d.path().join("LICENSE"))
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with(":4:1: error[osd6/test-military] license forbids military use: military use excluded\n"));
    // Commas, colons and percent signs in a file name are escaped in the property.
    let odd = d.path().join("odd,na:me%.license");
    fs::write(&odd, RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .args(["check", "--format", "github"])
        .arg(&odd)
        .assert()
        .code(1)
        .stdout(contains("odd%2Cna%3Ame%25.license,line=4,col=1,endLine=4,endColumn=9,title=osd6/test-military (OSD 6)::license forbids military use"));
}

#[test]
fn sarif_has_rules_results_and_regions() {
    let d = tree();
    let out = testlint()
        .args(["check", "--format", "sarif", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == "osd6/test-military" && r["helpUri"].is_string() && r["help"]["text"].is_string()));
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "osd6/test-military");
    assert_eq!(res["level"], "error");
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "LICENSE");
    assert_eq!(loc["region"], serde_json::json!({"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 9}));
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let d = tree();
    // More files than the threads may lint ahead of the one printed next (256).
    for i in 0..300 {
        let name = format!("pkg{i:03}/LICENSE");
        fs::create_dir_all(d.path().join(format!("pkg{i:03}"))).unwrap_or_else(|e| panic!("{e}"));
        fs::write(d.path().join(name), if i % 3 == 0 { RESTRICTED } else { CLEAN }).unwrap_or_else(|e| panic!("{e}"));
    }
    let run = |j: &str| testlint().args(["check", "--format", "json", "-j", j]).arg(d.path()).output().map(|o| o.stdout).unwrap_or_default();
    let one = run("1");
    let one_text = String::from_utf8_lossy(&one);
    assert!(one_text.contains("pkg000/LICENSE") && one_text.contains("pkg299/LICENSE"), "{one_text}");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

#[test]
fn files_from_and_exclude() {
    let d = tree();
    fs::write(d.path().join("list"), "LICENSE\nvendor/other/license.md\n").unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .args(["check", "--files-from", "list"])
        .current_dir(d.path())
        .assert()
        .code(1)
        .stdout(contains("checked 2 files: 1 error"));
    fs::write(d.path().join("list0"), "LICENSE\0vendor/lib/COPYING.txt\0").unwrap_or_else(|e| panic!("{e}"));
    testlint().args(["check", "--files-from", "list0"]).current_dir(d.path()).assert().stdout(contains("checked 2 files: 2 errors"));
    testlint()
        .args(["check", "--exclude", "vendor/**"])
        .current_dir(d.path())
        .assert()
        .stdout(contains("checked 1 file: 1 error"));
    // Named files are linted even when excluded, unless --force-exclude.
    testlint().args(["check", "--exclude", "LICENSE", "LICENSE"]).current_dir(d.path()).assert().code(1);
    testlint()
        .args(["check", "--exclude", "LICENSE", "--force-exclude", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(0)
        .stdout(contains("checked 0 files"));
}

#[test]
fn config_is_discovered_and_applied() {
    let d = tree();
    fs::create_dir_all(d.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("osdlint.toml"), "ignore = [\"osd6\"]\n").unwrap_or_else(|e| panic!("{e}"));
    // Found from a subdirectory by walking up.
    testlint().args(["check", "../LICENSE"]).current_dir(d.path().join("sub")).assert().code(0);
    testlint().args(["--isolated", "check", "../LICENSE"]).current_dir(d.path().join("sub")).assert().code(1);
    // Severity override and fail-on.
    fs::write(d.path().join("osdlint.toml"), "[severity]\n\"osd6/test-military\" = \"warning\"\n").unwrap_or_else(|e| panic!("{e}"));
    testlint().args(["check", "LICENSE"]).current_dir(d.path()).assert().code(0).stdout(contains("warning[osd6/test-military]"));
    testlint().args(["check", "--fail-on", "warning", "LICENSE"]).current_dir(d.path()).assert().code(1);
    // --select keeps only what it names.
    testlint().args(["--isolated", "check", "--select", "osd5", "LICENSE"]).current_dir(d.path()).assert().code(0);
}

#[test]
fn allow_entries_accept_one_finding_and_stale_ones_are_reported() {
    let d = tree();
    fs::write(
        d.path().join(".osdlint.toml"),
        "[[allow]]\npath = \"LICENSE\"\nrule = \"osd6/test-military\"\ntext = \"military\"\nreason = \"approved by counsel\"\n\n\
         [[allow]]\npath = \"nothing/**\"\nrule = \"osd5\"\nreason = \"old\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .args(["check", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(0)
        .stderr(contains("allow entry for `osd5` in `nothing/**` matched no finding"))
        .stderr(contains(".osdlint.toml:8:8"));
}

#[test]
fn a_bad_config_is_shown_at_its_line() {
    let d = tree();
    fs::write(d.path().join("osdlint.toml"), "select = [\"osd6\"]\nfail-on = \"sometimes\"\n").unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .args(["check", "LICENSE"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(contains("osdlint.toml:2:11"))
        .stderr(contains("unknown variant `sometimes`"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        osdlint().args(["completions", shell]).assert().code(0).stdout(contains("osdlint")).stdout(contains("check"));
    }
    osdlint().arg("man").assert().code(0).stdout(contains(".TH osdlint 1")).stdout(contains("Open Source Definition")).stdout(contains(".SH \"EXIT STATUS\""));
    osdlint().args(["completions", "tcsh-ish"]).assert().code(2);
}

#[test]
fn binaries_met_while_walking_are_counted_not_linted() {
    let d = tree();
    fs::write(d.path().join("vendor/LICENSE"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("vendor/COPYING.bin"), b"text\0with a NUL").unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .arg("check")
        .arg(d.path())
        .assert()
        .code(1)
        .stdout(contains("checked 3 files: 2 errors, 0 warnings, 2 binary files skipped"))
        .stderr(contains("skipped").not());
    // Named on the command line, a binary is skipped with a warning that names it, and
    // counted the same way.
    let named = d.path().join("vendor/COPYING.bin");
    testlint()
        .args(["check", "--format", "json"])
        .arg(&named)
        .assert()
        .code(0)
        .stdout(contains("\"skipped\": 1"))
        .stderr(contains(format!("{}: skipped: binary data", named.display())));
}

#[test]
fn the_pattern_sets_on_disk_load_in_place_of_the_embedded_ones_and_find_the_same() {
    // `scripts/osdlint-dev` does this to score a rule change without a rebuild; the
    // files define the fragments the binary has built in, which they may.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures: Vec<std::path::PathBuf> = ["fixtures/restricted", "fixtures/clean"]
        .iter()
        .flat_map(|d| fs::read_dir(root.join(d)).unwrap_or_else(|e| panic!("{e}")))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    let run = |on_disk: bool| {
        let mut c = osdlint();
        if on_disk {
            c.args(["--no-default-patterns", "--patterns"]).arg(root.join("patterns"));
        }
        let out = c.args(["check", "--format", "json"]).args(&fixtures).output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let embedded = run(false);
    assert!(String::from_utf8_lossy(&embedded).contains("osd6/military"));
    assert!(run(true) == embedded, "the on-disk pattern sets find something else");
}
