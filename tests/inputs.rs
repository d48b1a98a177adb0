//! Hostile and unusual inputs: encodings, binaries, special files, links, pipes. Each
//! gets one clear line naming the path, and the run goes on.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const RESTRICTED: &str = "Permission is granted to use this work.\n\nIt must not be put to\nmilitary use.\n";

fn testlint() -> Command {
    let mut c = Command::cargo_bin("osdlint").unwrap_or_else(|e| panic!("{e}"));
    c.env_remove("NO_COLOR");
    c.args(["--no-default-patterns", "--patterns"]).arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/patterns"));
    c
}

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn first_diag(v: &serde_json::Value) -> (u64, u64, u64, u64, String) {
    let d = &v["files"][0]["diagnostics"][0];
    (
        d["line"].as_u64().unwrap_or(0),
        d["column"].as_u64().unwrap_or(0),
        d["span"]["start"].as_u64().unwrap_or(0),
        d["span"]["end"].as_u64().unwrap_or(0),
        d["text"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn utf16_gets_the_same_line_and_column_as_utf8() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let utf8 = d.path().join("LICENSE-8");
    fs::write(&utf8, RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    let (l8, c8, _, _, t8) = first_diag(&json(testlint().args(["check", "--format", "json"]).arg(&utf8)));
    for (bom, le) in [([0xFFu8, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for u in RESTRICTED.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let p = d.path().join("LICENSE-16");
        fs::write(&p, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let (l, c, s, e, t) = first_diag(&json(testlint().args(["check", "--format", "json"]).arg(&p)));
        assert_eq!((l, c, t.as_str()), (l8, c8, t8.as_str()));
        // The span is in the file's own bytes: two a character, after the BOM.
        let at = RESTRICTED.find("military").unwrap_or(0) as u64;
        assert_eq!((s, e), (2 + 2 * at, 2 + 2 * (at + 8)));
    }
}

#[test]
fn utf8_bom_crlf_and_cr_only_are_linted_alike() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in [
        ("bom", format!("\u{feff}{RESTRICTED}")),
        ("crlf", RESTRICTED.replace('\n', "\r\n")),
        ("cr", RESTRICTED.replace('\n', "\r")),
        ("ff", RESTRICTED.replace("\n\n", "\n\u{c}\n")),
        ("invisible", RESTRICTED.replace("military", "mili\u{ad}tary\u{200b}")),
    ] {
        let p = d.path().join(name);
        fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
        let v = json(testlint().args(["check", "--format", "json"]).arg(&p));
        let (line, col, s, e, t) = first_diag(&v);
        assert_eq!((line, col), (4, 1), "{name}");
        assert_eq!(text.as_bytes().get(s as usize..e as usize).map(|b| String::from_utf8_lossy(b).into_owned()), Some(t), "{name}");
    }
}

#[test]
fn latin1_is_linted_with_a_note() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("COPYING");
    let mut bytes = b"Copyright \xa9 1999 J\xfcrgen.\n\n".to_vec();
    bytes.extend(RESTRICTED.as_bytes());
    fs::write(&p, bytes).unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stderr(contains("COPYING: not valid UTF-8; read as Windows-1252"))
        .stdout(contains("error[osd6/test-military]"));
}

#[cfg(unix)]
#[test]
fn special_files_get_one_line_and_the_run_goes_on() {
    use std::os::unix::fs::symlink;
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = d.path();
    fs::write(root.join("LICENSE"), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    let fifo = root.join("LICENSE.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    symlink("/dev/zero", root.join("LICENSE.zero")).unwrap_or_else(|e| panic!("{e}"));
    symlink(root.join("nowhere"), root.join("LICENSE.dangling")).unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(root.join("loop")).unwrap_or_else(|e| panic!("{e}"));
    symlink(root, root.join("loop/back")).unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(root.join("dir/LICENSE")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(root.join("dir/LICENSE/COPYING"), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    fs::write(root.join("-LICENSE"), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));

    // Named explicitly: each special file is one error line; the good files are linted.
    let mut cmd = testlint();
    cmd.arg("check").arg(root.join("LICENSE.zero")).arg(root.join("LICENSE.dangling")).arg(root.join("LICENSE"));
    if made {
        cmd.arg(&fifo);
    }
    let out = cmd.timeout(std::time::Duration::from_secs(20)).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("LICENSE.zero: not a regular file"), "{err}");
    assert!(err.contains("LICENSE.dangling: no such file or directory"), "{err}");
    if made {
        assert!(err.contains("LICENSE.fifo: not a regular file"), "{err}");
    }
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("error[osd6/test-military]"));

    // Walked: the loop and the dangling link are named, the rest is linted, exit is 1.
    let out = testlint().args(["check", "--format", "json"]).arg(root).timeout(std::time::Duration::from_secs(20)).output().unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("loop"), "{err}");
    assert!(err.contains("LICENSE.dangling"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = v["files"].as_array().map(|a| a.iter().filter_map(|f| f["path"].as_str()).collect()).unwrap_or_default();
    assert!(paths.iter().any(|p| p.ends_with("dir/LICENSE/COPYING")), "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("/-LICENSE")), "{paths:?}");
    assert_eq!(out.status.code(), Some(1));

    // A file named like a flag, after `--`.
    testlint().current_dir(root).args(["check", "--", "-LICENSE"]).assert().code(1);
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_run_quietly() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for i in 0..300 {
        fs::create_dir_all(d.path().join(format!("p{i}"))).unwrap_or_else(|e| panic!("{e}"));
        fs::write(d.path().join(format!("p{i}/LICENSE")), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    }
    let bin = assert_cmd::cargo::cargo_bin("osdlint");
    let script = format!(
        "'{}' --no-default-patterns --patterns '{}' check '{}' | head -n 1; echo \"status=${{PIPESTATUS[0]}}\"",
        bin.display(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/patterns").display(),
        d.path().display()
    );
    let out = std::process::Command::new("bash").arg("-c").arg(script).output().unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("status=0"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn user_files_are_never_modified() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("LICENSE");
    fs::write(&p, RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    let before = fs::metadata(&p).and_then(|m| m.modified()).ok();
    for fmt in ["human", "json", "sarif", "github", "concise"] {
        testlint().args(["check", "--format", fmt]).arg(&p).assert().code(1);
    }
    assert_eq!(fs::read_to_string(&p).ok().as_deref(), Some(RESTRICTED));
    assert_eq!(fs::metadata(&p).and_then(|m| m.modified()).ok(), before);
    let names: Vec<_> = fs::read_dir(d.path()).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names.len(), 1, "osdlint wrote files: {names:?}");
}

#[test]
fn many_findings_in_one_big_file() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("LICENSE");
    let text = "It must not be put to military use.\n".repeat(30_000);
    fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
    let v = json(testlint().args(["check", "--format", "json"]).arg(&p));
    assert_eq!(v["summary"]["errors"], 30_000);
    let last = &v["files"][0]["diagnostics"][29_999];
    assert_eq!(last["line"], 30_000);
}

#[test]
fn one_long_line_is_linted() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("LICENSE");
    // 3 MB on one line with no sentence ends: chunking must still cut it safely.
    let mut text = "lorem ipsum é dolor ".repeat(150_000);
    text.push_str("it must not be put to military use");
    fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
    let v = json(testlint().args(["check", "--format", "json"]).arg(&p));
    assert_eq!(v["summary"]["errors"], 1);
    let (line, _, s, e, t) = first_diag(&v);
    assert_eq!(line, 1);
    assert_eq!(&text[s as usize..e as usize], t);
}

#[cfg(unix)]
#[test]
fn odd_file_names_are_escaped_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let newline = d.path().join("LICENSE\nEVIL");
    let latin = d.path().join(std::ffi::OsStr::from_bytes(b"LICENSE-\xe9t\xe9"));
    for p in [&newline, &latin] {
        fs::write(p, RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    }
    // concise: the newline is escaped, so each finding stays on one line.
    let out = testlint().args(["check", "--format", "concise"]).arg(&newline).arg(&latin).output().unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("LICENSE\\nEVIL:4:1: error[osd6/test-military]"), "{text}");
    // github: the newline becomes %0A in the file property.
    testlint().args(["check", "--format", "github"]).arg(&newline).assert().code(1).stdout(contains("LICENSE%0AEVIL,line=4"));
    // sarif: a valid JSON document with percent-encoded URIs.
    let out = testlint().args(["check", "--format", "sarif"]).arg(&newline).arg(&latin).output().unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let uris: Vec<String> = v["runs"][0]["results"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    assert_eq!(uris.len(), 2);
    assert!(uris.iter().all(|u| !u.contains('\n') && !u.contains(' ')), "{uris:?}");
    assert!(uris[0].ends_with("LICENSE%0AEVIL"), "{uris:?}");
    // json and human: no panic, both files reported.
    let v = json(testlint().args(["check", "--format", "json"]).arg(&newline).arg(&latin));
    assert_eq!(v["summary"]["files"], 2);
    testlint().arg("check").arg(&newline).arg(&latin).assert().code(1).stdout(contains("checked 2 files: 2 errors"));
}

#[cfg(unix)]
#[test]
fn a_path_longer_than_path_max_is_one_error_line() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let long = d.path().join("x".repeat(200)).join("y".repeat(200)).join("z".repeat(5000)).join("LICENSE");
    fs::write(d.path().join("LICENSE"), RESTRICTED).unwrap_or_else(|e| panic!("{e}"));
    let out = testlint().arg("check").arg(&long).arg(d.path().join("LICENSE")).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[osd6/test-military]"));
}

#[test]
fn a_wide_space_before_a_period_is_linted() {
    // Found by `cargo fuzz run lint_bytes`: U+1680 OGHAM SPACE MARK is whitespace that
    // normalizing keeps, and the sentence splitter took the byte after it for the start of
    // the word before the period, inside the character: a panic.
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("LICENSE");
    fs::write(&p, format!("Terms\u{1680}. {RESTRICTED}")).unwrap_or_else(|e| panic!("{e}"));
    testlint()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(contains("error[osd6/test-military]"))
        .stderr(contains("panicked").not());
}
