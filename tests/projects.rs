//! The project report, end to end: `osdlint check DIR` on the project fixtures
//! (fixtures/projects/, written by us) weighs the license files against the manifests'
//! declarations and the README's "open source" claims. Each fixture's human output and
//! JSON document are snapshots; the tests below pin what each fixture is about.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// osdlint with the embedded rules, no configuration, run from the repository root so
/// paths in the output are relative and stable.
fn osdlint() -> Command {
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.env_remove("NO_COLOR").current_dir(ROOT).args(["--isolated", "--color", "never"]);
    c
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = osdlint().args(["check", "--format", "json"]).args(args).output().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn diagnostics<'a>(doc: &'a serde_json::Value, file: &str) -> Vec<&'a serde_json::Value> {
    doc["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(file)))
        .flat_map(|f| f["diagnostics"].as_array().into_iter().flatten())
        .collect()
}

fn rules(diags: &[&serde_json::Value]) -> Vec<String> {
    diags.iter().filter_map(|d| d["rule"].as_str()).map(str::to_string).collect()
}

#[test]
fn project_fixture_snapshots() {
    let mut dirs: Vec<_> = fs::read_dir(Path::new(ROOT).join("fixtures/projects"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "project fixtures missing");
    for dir in dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let rel = format!("fixtures/projects/{name}");
        let human = osdlint().args(["check", &rel]).output().unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(format!("human@{name}"), String::from_utf8_lossy(&human.stdout));
        insta::assert_json_snapshot!(format!("json@{name}"), json(&[&rel]));
    }
}

#[test]
fn model_card_declaring_apache_over_a_restrictive_license_is_an_error_at_both_places() {
    let dir = "fixtures/projects/model-card-apache-restrictive";
    osdlint()
        .args(["check", dir])
        .assert()
        .code(1)
        .stdout(contains("error[project/declared-license-conflict]"))
        .stdout(contains("README.md:4:10"))
        .stdout(contains("declares Apache-2.0, an OSI-approved license"))
        .stdout(contains("LICENSE:9:50"))
        .stdout(contains("but the license text conflicts here"))
        .stdout(contains("project fixtures/projects/model-card-apache-restrictive: does not conform to the OSD: LICENSE"))
        .stdout(contains("README.md declares Apache-2.0, but the license text conflicts with the OSD"));
    let doc = json(&[dir]);
    let readme = diagnostics(&doc, "README.md");
    assert_eq!(rules(&readme), ["project/declared-license-conflict", "project/open-source-claim"]);
    let conflict = readme[0];
    assert_eq!(conflict["text"], "apache-2.0");
    assert_eq!(conflict["facts"]["declared"], "Apache-2.0");
    let related = &conflict["related"][0];
    assert_eq!(related["path"], format!("{dir}/LICENSE"));
    assert_eq!((related["line"].as_u64(), related["column"].as_u64()), (Some(9), Some(50)));
    // The related span is byte offsets into the license file.
    let text = fs::read_to_string(Path::new(ROOT).join(dir).join("LICENSE")).unwrap_or_default();
    let (s, e) = (related["span"]["start"].as_u64().unwrap_or(0) as usize, related["span"]["end"].as_u64().unwrap_or(0) as usize);
    assert!(text[s..e].contains("Quillfeather Usage"), "{}", &text[s..e]);
    // A model card gets the model's accurate term.
    assert!(readme[1]["help"].as_str().unwrap_or_default().contains("\"open weights\""));
    let project = &doc["projects"][0];
    assert_eq!(project["conforms"], false);
    assert_eq!(project["declarations"][0]["spdx"], "Apache-2.0");
    assert_eq!(project["declarations"][0]["osi_approved"], true);
    assert_eq!(project["declarations"][0]["value"], "apache-2.0");
}

#[test]
fn readme_calling_a_noncommercial_project_open_source_gets_warnings() {
    let dir = "fixtures/projects/readme-claims-noncommercial";
    osdlint()
        .args(["check", dir])
        .assert()
        .code(1)
        .stdout(contains("warning[project/open-source-claim]: project is called open source, but its license conflicts with the OSD"))
        .stdout(contains("README.md:3:12"))
        .stdout(contains("called \"open source\" here"))
        .stdout(contains("LICENSE:6:1"))
        .stdout(contains("help: call it \"source available\" instead"))
        .stdout(contains("checked 1 file: 2 errors, 2 warnings"))
        .stdout(contains("project fixtures/projects/readme-claims-noncommercial: does not conform to the OSD: LICENSE allows only non-commercial use (OSD 6)"));
    let doc = json(&[dir]);
    let readme = diagnostics(&doc, "README.md");
    // The claim in the fenced code block is not prose; the two in the text are.
    assert_eq!(readme.len(), 2);
    assert_eq!(readme[1]["text"], "open-source");
    assert_eq!(readme[0]["related"][0]["path"], format!("{dir}/LICENSE"));
    assert_eq!(doc["projects"][0]["claims"], 2);
    assert_eq!(doc["projects"][0]["declarations"][0]["file"], "LICENSE");
}

#[test]
fn negated_and_comparative_claims_are_not_flagged() {
    let dir = "fixtures/projects/negated-claims";
    osdlint()
        .args(["check", dir])
        .assert()
        .code(1)
        .stdout(contains("project/open-source-claim").not())
        .stdout(contains("does not conform to the OSD: LICENSE allows only research"))
        .stdout(contains("pyproject.toml declares the license in LICENSE"));
    let doc = json(&[dir]);
    assert_eq!(doc["projects"][0]["claims"], 0);
    assert!(diagnostics(&doc, "README.md").is_empty());
}

#[test]
fn a_clean_project_conforms_and_its_claim_stands() {
    osdlint()
        .args(["check", "fixtures/projects/cargo-mit-clean"])
        .assert()
        .code(0)
        .stdout(contains("checked 1 file: 0 errors, 0 warnings"))
        .stdout(contains("project fixtures/projects/cargo-mit-clean: conforms to the OSD: "))
        .stdout(contains("Cargo.toml declares MIT"));
    let doc = json(&["fixtures/projects/cargo-mit-clean"]);
    assert_eq!(doc["projects"][0]["conforms"], true);
    assert_eq!(doc["projects"][0]["claims"], 1, "the claim is found, and fine, because the license conforms");
    assert_eq!(doc["summary"]["errors"], 0);
    osdlint().args(["check", "fixtures/projects/npm-isc-clean"]).assert().code(0).stdout(contains("package.json declares ISC"));
}

#[test]
fn a_non_spdx_model_card_license_is_named_but_not_an_osi_claim() {
    let doc = json(&["fixtures/projects/model-card-other-license"]);
    assert!(diagnostics(&doc, "README.md").is_empty());
    let p = &doc["projects"][0];
    assert_eq!(p["conforms"], false);
    assert_eq!(p["declarations"][0]["license_name"], "acme-community-license");
    assert_eq!(p["declarations"][0]["license_link"], "LICENSE");
    assert_eq!(p["declarations"][0]["spdx"], serde_json::Value::Null);
    assert!(
        p["summary"].as_str().unwrap_or_default().ends_with("README.md declares other (\"acme-community-license\")"),
        "{}",
        p["summary"]
    );
}

#[test]
fn pyproject_table_text_form_over_a_rider_is_a_conflict() {
    osdlint()
        .args(["check", "fixtures/projects/pyproject-mit-rider"])
        .assert()
        .code(1)
        .stdout(contains("pyproject.toml:5:20"))
        .stdout(contains("declares MIT, an OSI-approved license"))
        .stdout(contains("LICENSE:24:5"));
}

#[test]
fn project_rules_are_listed_explained_and_selectable() {
    osdlint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(contains("project/declared-license-conflict"))
        .stdout(contains("project/declared-license-mismatch"))
        .stdout(contains("project/open-source-claim"));
    osdlint()
        .args(["explain", "project/open-source-claim"])
        .assert()
        .code(0)
        .stdout(contains("## What it finds"))
        .stdout(contains("open weights"));
    let dir = "fixtures/projects/readme-claims-noncommercial";
    // --select shows only project findings, but the verdict still rests on the license.
    let doc = json(&["--select", "project", dir]);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 2);
    assert_eq!(doc["projects"][0]["conforms"], false);
    osdlint().args(["check", "--select", "project", dir]).assert().code(0);
    osdlint().args(["check", "--select", "project", "--fail-on", "warning", dir]).assert().code(1);
    let doc = json(&["--ignore", "project/open-source-claim", dir]);
    assert_eq!(doc["summary"]["warnings"], 0);
    osdlint().args(["check", "--ignore", "project/open-source-claim", dir]).assert().stderr(contains("matches no rule").not());
}

#[test]
fn config_files_can_name_project_rules() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = Path::new(ROOT).join("fixtures/projects/readme-claims-noncommercial");
    for f in ["README.md", "LICENSE", "package.json"] {
        fs::copy(src.join(f), d.path().join(f)).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(d.path().join("osdlint.toml"), "ignore = [\"project/open-source-claim\"]\n").unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(d.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(contains("project/open-source-claim").not())
        .stdout(contains("project: does not conform to the OSD: LICENSE allows only non-commercial use (OSD 6)"));
}

#[test]
fn concise_github_and_sarif_carry_the_related_location() {
    let dir = "fixtures/projects/pyproject-mit-rider";
    osdlint()
        .args(["check", "--format", "concise", dir])
        .assert()
        .stdout(contains("pyproject.toml:5:20: error[project/declared-license-conflict]"))
        .stdout(contains("(see fixtures/projects/pyproject-mit-rider/LICENSE:24:5: "));
    osdlint()
        .args(["check", "--format", "github", dir])
        .assert()
        .stdout(contains("title=project/declared-license-conflict (OSD 6)::"))
        .stdout(contains("See fixtures/projects/pyproject-mit-rider/LICENSE:24:5"));
    let out = osdlint().args(["check", "--format", "sarif", "fixtures/projects"]).output().unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    // fixtures/projects itself is no project: nothing related, no verdicts.
    assert!(v["runs"][0]["properties"].is_null());
    let out = osdlint().args(["check", "--format", "sarif", dir]).output().unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == "project/declared-license-conflict"));
    let res = run["results"].as_array().cloned().unwrap_or_default();
    let conflict = res.iter().find(|r| r["ruleId"] == "project/declared-license-conflict").cloned().unwrap_or_default();
    let rel = &conflict["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], format!("{dir}/LICENSE"));
    assert_eq!(rel["region"]["startLine"], 24);
    assert_eq!(run["properties"]["projects"][0]["conforms"], false);
}

#[test]
fn sarif_of_project_reports_validates_against_the_schema() {
    let python = std::process::Command::new("python3").args(["-c", "import jsonschema"]).status();
    if !python.is_ok_and(|s| s.success()) {
        eprintln!("python3 with jsonschema is not installed; .ci/run validates the SARIF instead");
        return;
    }
    let out = osdlint()
        .args([
            "check",
            "--format",
            "sarif",
            "fixtures/projects/model-card-apache-restrictive",
            "fixtures/projects/readme-claims-noncommercial",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = d.path().join("projects.sarif");
    fs::write(&log, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let status = std::process::Command::new("python3")
        .arg(Path::new(ROOT).join("tests/validate_sarif.py"))
        .arg(Path::new(ROOT).join("tests/data/sarif-schema-2.1.0.json"))
        .arg(&log)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
}

#[test]
fn plain_trees_and_vendored_licenses_are_not_projects() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let w = |p: &str, s: &str| {
        let p = d.path().join(p);
        fs::create_dir_all(p.parent().unwrap_or(d.path())).unwrap_or_else(|e| panic!("{e}"));
        fs::write(p, s).unwrap_or_else(|e| panic!("{e}"));
    };
    // A tree of license files with no manifest or README: no project line.
    w("a/LICENSE", "Permission is granted to use this work for any purpose.\n");
    osdlint().arg("check").arg(d.path()).assert().code(0).stdout(contains("project").not());
    // A vendored package's manifest and README are not read: only the root counts.
    w("vendor/pkg/Cargo.toml", "[package]\nname = \"x\"\nlicense = \"MIT\"\n");
    w("vendor/pkg/README.md", "x is open source.\n");
    w("vendor/pkg/LICENSE", "You may use this software for non-commercial purposes only.\n");
    osdlint().arg("check").arg(d.path()).assert().code(1).stdout(contains("project").not());
    // The root gets a manifest: now it is a project, and the vendored license does not
    // decide its verdict.
    w("Cargo.toml", "[package]\nname = \"root\"\nlicense = \"MIT\"\n");
    w("LICENSE", "Permission is granted to use this work for any purpose.\n");
    osdlint()
        .arg("check")
        .arg(d.path())
        .assert()
        .code(1)
        .stdout(contains(": conforms to the OSD: no conflicts in LICENSE; Cargo.toml declares MIT"));
}

#[test]
fn a_broken_manifest_is_one_line_naming_it() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("package.json"), "{\"license\": \"MIT\",}\n").unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("LICENSE"), "Permission is granted to use this work for any purpose.\n").unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(d.path())
        .args(["--isolated", "check"])
        .assert()
        .code(0)
        .stderr(
            predicate::str::is_match(
                r"warning: package\.json: not valid JSON \(line 1, column \d+\): .*; its license declaration is not checked\n",
            )
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .stdout(contains("project: conforms to the OSD: no conflicts in LICENSE"));
}

#[test]
fn a_license_file_a_manifest_names_is_linted_even_if_not_walked() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("pyproject.toml"), "[project]\nname = \"x\"\nlicense = {file = \"TERMS.txt\"}\n")
        .unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.path().join("TERMS.txt"), "You may use this software for non-commercial purposes only.\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(d.path())
        .args(["--isolated", "check"])
        .assert()
        .code(1)
        .stdout(contains("TERMS.txt:1:"))
        .stdout(contains("checked 1 file: 1 error"))
        .stdout(contains("project: does not conform to the OSD: TERMS.txt allows only non-commercial use (OSD 6); pyproject.toml declares the license in TERMS.txt"));
}

#[test]
fn a_license_text_that_is_not_the_declared_license_is_a_mismatch() {
    // Cargo.toml declares MIT; LICENSE is the full Apache License 2.0.
    let dir = "fixtures/projects/cargo-mismatch-apache";
    osdlint()
        .args(["check", dir])
        .assert()
        .code(1)
        .stdout(contains("error[project/declared-license-mismatch]: license text does not match the declared license"))
        .stdout(contains("Cargo.toml:5:12"))
        .stdout(contains("declares MIT"))
        .stdout(contains("LICENSE:1:"))
        .stdout(contains("but this text is Apache-2.0"))
        .stdout(contains("conforms to the OSD: LICENSE is Apache-2.0; but Cargo.toml declares MIT\n"));
    let doc = json(&[dir]);
    let d = diagnostics(&doc, "Cargo.toml");
    assert_eq!(rules(&d), ["project/declared-license-mismatch"]);
    assert_eq!(d[0]["facts"]["identified"], "Apache-2.0");
    assert_eq!(doc["projects"][0]["license_files"][0]["spdx"], "Apache-2.0");
    insta::assert_snapshot!(
        "human@cargo-mismatch-apache",
        String::from_utf8_lossy(&osdlint().args(["check", dir]).output().map(|o| o.stdout).unwrap_or_default())
    );
}

#[test]
fn a_file_matching_any_operand_of_an_or_expression_is_no_mismatch() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(ROOT);
    fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n").unwrap_or_else(|e| panic!("{e}"));
    fs::copy(root.join("LICENSE-MIT"), d.path().join("LICENSE-MIT")).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(root.join("LICENSE-APACHE"), d.path().join("LICENSE-APACHE")).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(d.path()).args(["--isolated", "check"]).assert().code(0).stdout(contains(
        "project: conforms to the OSD: LICENSE-APACHE is Apache-2.0, LICENSE-MIT is MIT; Cargo.toml declares MIT OR Apache-2.0",
    ));
    // Declaring only MIT over the same two files: LICENSE-APACHE is a mismatch.
    fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"x\"\nlicense = \"MIT\"\n").unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(d.path()).args(["--isolated", "check"]).assert().code(1).stdout(contains("project/declared-license-mismatch"));
}

#[test]
fn the_readme_shows_a_real_project_report() {
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap_or_default();
    let cmd = "    $ osdlint check --select project fixtures/projects/model-card-apache-restrictive\n";
    let shown: Vec<&str> = readme
        .split(cmd)
        .nth(1)
        .unwrap_or_else(|| panic!("README.md lost its project report"))
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect();
    let out = osdlint()
        .args(["check", "--select", "project", "fixtures/projects/model-card-apache-restrictive"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let actual = String::from_utf8_lossy(&out.stdout);
    let actual: Vec<&str> = actual.lines().map(str::trim_end).collect();
    assert_eq!(shown.join("\n").trim_end(), actual.join("\n").trim_end(), "README.md's project report is stale");
}
