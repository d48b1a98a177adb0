//! The project report: when `osdlint check DIR` is pointed at a project's root, its
//! license files are weighed together with what its manifests declare and what its README
//! or model card claims, and one line says whether the project's license conforms to the
//! OSD, and why not.
//!
//! A project root is a directory named on the command line that holds, itself, a
//! manifest (Cargo.toml, package.json, pyproject.toml) or a README next to license files.
//! Only that directory's own files count: license files at its top level (and in a
//! REUSE-style `LICENSES/` folder) are the project's license; those deeper down belong to
//! vendored code and are linted as before, but do not decide the summary.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::claims;
use crate::config::Config;
use crate::declared::{self, Declaration, Declared};
use crate::engine::Linter;
use crate::identify::Identification;
use crate::report::{lint_source, Diagnostic, FileReport, Related, Span};
use crate::rules::Severity;
use crate::source::Source;

/// A rule about a project rather than a license text. These are built in, not pattern
/// data: they compare files instead of matching wording.
#[derive(Debug)]
pub struct ProjectRule {
    pub id: &'static str,
    pub severity: Severity,
    pub message: &'static str,
    pub why: &'static str,
    pub help: &'static str,
    pub explain: &'static str,
}

pub const DECLARED_CONFLICT: &str = "project/declared-license-conflict";
pub const DECLARED_MISMATCH: &str = "project/declared-license-mismatch";
pub const OPEN_SOURCE_CLAIM: &str = "project/open-source-claim";

/// The project rules, for `osdlint rules`, `osdlint explain`, SARIF and `--select`.
pub const RULES: &[ProjectRule] = &[CONFLICT_RULE, MISMATCH_RULE, CLAIM_RULE];

const CONFLICT_RULE: ProjectRule = ProjectRule {
    id: DECLARED_CONFLICT,
    severity: Severity::Error,
    message: "declared license is open source, but the license text conflicts with the OSD",
    why: "the manifest tells package indexes, scanners and users that the project is under an OSI-approved license, but the text that grants the rights restricts what the OSD requires to be free",
    help: "declare what the text says (in a model card, `license: other` with `license_name` and `license_link`), or replace the text with the declared license",
    explain: "## What it finds
A manifest (Cargo.toml `package.license`, package.json `license`, pyproject.toml
`project.license`, a model card's `license:`) that names an OSI-approved SPDX expression,
such as `apache-2.0`, while a license file at the project's root has OSD errors.

## Why it conflicts with the OSD
Tools and people read the declaration and conclude the project is open source. The rights
come from the license text, and that text restricts a use, a user or a form of
distribution the OSD requires to be free, so the declaration is false.

## How to fix it
Make the declaration say what the text is: a model card can say `license: other` with
`license_name` and `license_link`; an SPDX manifest can use a `LicenseRef-` id. Or replace
the text with the license the manifest declares.",
};

const MISMATCH_RULE: ProjectRule = ProjectRule {
    id: DECLARED_MISMATCH,
    severity: Severity::Error,
    message: "license text does not match the declared license",
    why: "package indexes, SBOMs and scanners read the declaration while the rights come from the text; when they name different licenses, users are told the wrong terms",
    help: "declare the license the text is, or ship the text of the declared license",
    explain: "## What it finds
A manifest that declares an SPDX expression (say `MIT`) while a license file at the
project's root is recognised as a different standard license (say the Apache License
2.0). A file matching any license of the expression (`MIT OR Apache-2.0`) is a match.

## Why it conflicts with the OSD
It may not: both licenses can be open source. But the declaration is what package
indexes, SBOMs and license scanners report, so users are told terms that are not the ones
they receive.

## How to fix it
Declare the license the text is, or replace the text with the declared license. Dual
licenses are declared with `OR`, one license file each.",
};

const CLAIM_RULE: ProjectRule = ProjectRule {
    id: OPEN_SOURCE_CLAIM,
    severity: Severity::Warning,
    message: "project is called open source, but its license conflicts with the OSD",
    why: "\"open source\" means software under a license that meets the OSD; calling software under these terms open source misleads the people who rely on the word",
    help: "call it \"source available\" instead, or relicense it under an OSI-approved license",
    explain: "## What it finds
A sentence in the README or model card that calls the project \"open source\" (or
\"open-source\", \"opensource\", \"OSS\") while a license file at the project's root has OSD
errors. Sentences that negate or compare (\"not open source\", \"unlike open-source
models\", \"rather than open source\"), questions, quoted mentions, and uses about other
software (\"the open source community\", \"built with open-source tools\") are left alone.

## Why it conflicts with the OSD
\"Open source\" is defined by the OSD. A license that restricts commercial use, a field of
endeavor or a group of users does not meet it, so the claim is inaccurate, however open
the code or the weights are to read.

## How to fix it
Use an accurate term: \"open weights\" for a model whose weights can be downloaded,
\"source available\" for code that can be read under restrictions. Or relicense under an
OSI-approved license and keep the claim.",
};

/// A project rule by id.
pub fn find_rule(id: &str) -> Option<&'static ProjectRule> {
    RULES.iter().find(|r| r.id == id)
}

/// The kinds of project files that are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cargo,
    PackageJson,
    Pyproject,
    Readme,
}

const MANIFESTS: &[(&str, Kind)] = &[("Cargo.toml", Kind::Cargo), ("package.json", Kind::PackageJson), ("pyproject.toml", Kind::Pyproject)];

/// README names, matched regardless of case; the first present wins.
const READMES: &[&str] = &["readme.md", "readme.markdown", "readme", "readme.txt", "readme.rst"];

/// A directory found to be a project root.
#[derive(Debug, Clone)]
pub struct Project {
    /// The root as shown (`.` for the working directory).
    pub root: PathBuf,
    files: Vec<(PathBuf, Kind)>,
}

/// A path as shown: without a leading `./` or a trailing `/` (`.` stays `.`).
fn shown(p: &Path) -> PathBuf {
    let tidy: PathBuf = p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    if tidy.as_os_str().is_empty() && !p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        tidy
    }
}

impl Project {
    /// Is `dir` a project root? `license_files` are the walked license files (any depth).
    pub fn discover(dir: &Path, license_files: &[PathBuf]) -> Option<Project> {
        let mut files = Vec::new();
        for (name, kind) in MANIFESTS {
            let p = dir.join(name);
            if p.is_file() {
                files.push((shown(&p), *kind));
            }
        }
        let has_manifest = !files.is_empty();
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| READMES.contains(&n.to_ascii_lowercase().as_str()))
            })
            .collect();
        names.sort_by_key(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
            (READMES.iter().position(|r| *r == n), p.clone())
        });
        if let Some(readme) = names.into_iter().next() {
            files.push((shown(&readme), Kind::Readme));
        }
        let project = Project { root: shown(dir), files };
        let has_license = license_files.iter().any(|f| project.owns(f));
        (has_manifest || (has_license && !project.files.is_empty())).then_some(project)
    }

    /// Drop the project files that `keep` refuses (those matching `--exclude`); `false`
    /// when none is left, and so no project either.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) -> bool {
        self.files.retain(|(p, _)| keep(p));
        !self.files.is_empty()
    }

    /// Is this license file the project's own: at the root, or in `LICENSES/`?
    pub fn owns(&self, file: &Path) -> bool {
        let parent = file.parent().map(shown).filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| PathBuf::from("."));
        parent == self.root || parent == shown(&self.root.join("LICENSES"))
    }

    /// The name of a file of the project as shown (`LICENSE` under `.`).
    fn path(&self, rel: &str) -> PathBuf {
        shown(&self.root.join(rel))
    }
}

/// A license file of the project, as linted (with its text).
#[derive(Debug, Clone, Serialize)]
pub struct LicenseOut {
    pub path: String,
    /// The standard license the text was recognised as.
    pub spdx: Option<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// A declaration, for the JSON `projects` list.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationOut {
    pub path: String,
    pub key: &'static str,
    pub value: String,
    /// The SPDX expression it resolves to, with canonical ids.
    pub spdx: Option<String>,
    pub osi_approved: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// The verdict on one project.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub root: String,
    /// Does the project's license conform to the OSD? `None` when there is no license
    /// file to judge.
    pub conforms: Option<bool>,
    /// The one line printed after the run's summary.
    pub summary: String,
    pub license_files: Vec<LicenseOut>,
    pub declarations: Vec<DeclarationOut>,
    /// Sentences calling the project open source.
    pub claims: usize,
}

/// What analysing a project gave.
#[derive(Debug)]
pub struct Outcome {
    /// License files that a manifest names but the walk did not find, linted here.
    pub licenses: Vec<FileReport>,
    /// The manifests and README that have diagnostics, in path order.
    pub reports: Vec<FileReport>,
    pub summary: Summary,
    /// Files that could not be read or parsed: one line each, naming the file.
    pub problems: Vec<String>,
}

/// A manifest or README as read.
struct Read {
    kind: Kind,
    source: Source,
    declarations: Vec<Declaration>,
    /// For a README: its front matter block, which is not prose.
    front: Option<Range<usize>>,
}

/// Analyse a project. `licenses` are its walked license files (see [`Project::owns`]),
/// linted, with [`Config::apply_accepted`] applied; `config` is applied to what is found
/// here too.
pub fn analyze(linter: &Linter, project: &Project, mut licenses: Vec<FileReport>, config: &Config, allow_used: &mut [usize]) -> Outcome {
    let mut problems = Vec::new();
    let mut read = Vec::new();
    for (path, kind) in &project.files {
        match read_file(path, *kind) {
            Ok(r) => read.push(r),
            Err(p) => problems.push(p),
        }
    }
    // License files named by a declaration but not found by the walk (a pyproject
    // `{file = "TERMS.txt"}`, a model card's `license_link: terms.md`).
    let mut extra = Vec::new();
    let named: BTreeSet<PathBuf> = read
        .iter()
        .flat_map(|r| &r.declarations)
        .filter_map(|d| match (&d.declared, &d.link) {
            (Declared::File(f), _) => Some(f.clone()),
            (_, Some(link)) if is_relative_file(link) => Some(link.clone()),
            _ => None,
        })
        .map(|f| project.path(&f))
        .collect();
    for path in named {
        let name = path.display().to_string();
        if licenses.iter().any(|l| l.source.name == name) || !path.is_file() {
            continue;
        }
        match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| Source::from_bytes(name.clone(), b).map_err(|b| b.0.to_string()))
        {
            Ok(source) => {
                let report = lint_source(linter, source);
                let mut kept = report.clone();
                config.apply_accepted(&mut kept);
                licenses.push(kept);
                let mut shown = report;
                config.apply(&mut shown, allow_used);
                extra.push(shown);
            }
            Err(e) => problems.push(format!("{name}: {e}; named as the license, but not read")),
        }
    }
    licenses.sort_by(|a, b| a.source.name.cmp(&b.source.name));

    let idents: Vec<Option<Identification>> = licenses.iter().map(identified).collect();
    let conflicts: Vec<(&FileReport, &Diagnostic)> = licenses
        .iter()
        .filter_map(|l| l.diagnostics.iter().filter(|d| d.severity == Severity::Error).min_by_key(|d| d.span.start).map(|d| (l, d)))
        .collect();

    let mut reports = Vec::new();
    let mut claim_count = 0;
    let mut declarations = Vec::new();
    let mut mismatches = Vec::new();
    for r in &read {
        let starts = r.source.line_starts();
        let mut diags = Vec::new();
        for d in &r.declarations {
            let (line, column) = r.source.line_col_in(&starts, d.span.start);
            declarations.push((r.source.name.clone(), d.clone(), line, column));
            if d.claims_osi() && !conflicts.is_empty() {
                diags.push(declared_conflict(&r.source, &starts, d, &conflicts));
            }
            if let Declared::Spdx { ids, .. } = &d.declared {
                for (l, ident) in licenses.iter().zip(&idents) {
                    let Some(ident) = ident else { continue };
                    if is_main_license(&l.source.name) && !ids.iter().any(|id| same_license(id, &ident.spdx)) {
                        diags.push(mismatch(&r.source, &starts, d, l, ident));
                        mismatches.push((r.source.name.clone(), d.describe(), l.source.name.clone(), ident.spdx.clone()));
                    }
                }
            }
        }
        if r.kind == Kind::Readme {
            let skip: Vec<Range<usize>> = r.front.iter().cloned().collect();
            let found = claims::find(&r.source.text, &skip);
            claim_count += found.len();
            if let Some(&(l, d)) = conflicts.first() {
                for c in &found {
                    diags.push(claim(&r.source, &starts, c, l, d, r.front.is_some()));
                }
            }
        }
        if !diags.is_empty() {
            diags.sort_by_key(|d| (d.span.start, d.rule.clone()));
            let mut report = file_report(r.source.clone(), diags);
            config.apply(&mut report, allow_used);
            if !report.diagnostics.is_empty() {
                reports.push(report);
            }
        }
    }
    reports.sort_by(|a, b| a.source.name.cmp(&b.source.name));

    let license_files: Vec<LicenseOut> = licenses
        .iter()
        .zip(&idents)
        .map(|(l, i)| LicenseOut {
            path: l.source.name.clone(),
            spdx: i.as_ref().map(|i| i.spdx.clone()),
            errors: l.count(Severity::Error),
            warnings: l.count(Severity::Warning),
        })
        .collect();
    let (conforms, line) = verdict(project, &licenses, &idents, &declarations, &mismatches);
    let summary = Summary {
        root: project.root.display().to_string(),
        conforms,
        summary: line,
        license_files,
        declarations: declarations.into_iter().map(|(path, d, line, column)| declaration_out(path, d, line, column)).collect(),
        claims: claim_count,
    };
    Outcome { licenses: extra, reports, summary, problems }
}

/// The identification of a license file, made when it was linted.
fn identified(report: &FileReport) -> Option<Identification> {
    report.license.clone()
}

/// A manifest's license link that names a file in the project, not a web page.
fn is_relative_file(link: &str) -> bool {
    !link.contains("://") && !link.starts_with('/') && !link.contains("..") && !link.trim().is_empty()
}

/// Third-party notices at the root are not the project's license.
fn is_main_license(name: &str) -> bool {
    let base = Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    !(base.contains("notice") || base.contains("third") || base.contains("3rd"))
}

/// Do two SPDX ids name the same license, ignoring `-only`, `-or-later`, `+` and case?
fn same_license(a: &str, b: &str) -> bool {
    let base = |s: &str| {
        let s = s.trim().trim_end_matches('+').to_ascii_lowercase();
        s.strip_suffix("-only").or_else(|| s.strip_suffix("-or-later")).map(str::to_string).unwrap_or(s)
    };
    base(a) == base(b)
}

fn read_file(path: &Path, kind: Kind) -> Result<Read, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}; not read"))?;
    let source = Source::from_bytes(name.clone(), bytes).map_err(|b| format!("{name}: {}; not read", b.0))?;
    let parsed = match kind {
        Kind::Cargo => declared::cargo(&source.text),
        Kind::PackageJson => declared::package_json(&source.text),
        Kind::Pyproject => declared::pyproject(&source.text),
        Kind::Readme => Ok(declared::model_card(&source.text)),
    };
    let declarations = parsed.map_err(|e| format!("{name}: {}; its license declaration is not checked", e.0))?;
    let front = if kind == Kind::Readme { declared::front_matter(&source.text).map(|(_, all)| all) } else { None };
    Ok(Read { kind, source, declarations, front })
}

/// One file's report. The only place project reports are built.
fn file_report(source: Source, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport { source, diagnostics, license: None }
}

/// A diagnostic at `span` of a project file.
struct At<'a> {
    source: &'a Source,
    starts: &'a [usize],
    span: Range<usize>,
}

fn diagnostic(
    rule: &ProjectRule,
    at: At,
    label: String,
    osd: Vec<u8>,
    help: String,
    facts: Map<String, Value>,
    related: Vec<Related>,
) -> Diagnostic {
    let (line, column) = at.source.line_col_in(at.starts, at.span.start);
    let (end_line, end_column) = at.source.line_col_in(at.starts, at.span.end);
    Diagnostic {
        rule: rule.id.to_string(),
        osd,
        severity: rule.severity,
        message: rule.message.to_string(),
        span: Span { start: at.source.file_offset(at.span.start), end: at.source.file_offset(at.span.end) },
        line,
        column,
        end_line,
        end_column,
        text: at.source.text.get(at.span.clone()).unwrap_or_default().to_string(),
        facts,
        label,
        why: rule.why.to_string(),
        help,
        text_span: at.span,
        frame_span: None,
        related,
        added_to: None,
    }
}

/// A secondary label at a license finding.
fn related_at(l: &FileReport, d: &Diagnostic) -> Related {
    let osd: Vec<String> = d.osd.iter().map(u8::to_string).collect();
    Related {
        path: l.source.name.clone(),
        span: d.span,
        line: d.line,
        column: d.column,
        end_line: d.end_line,
        end_column: d.end_column,
    message: format!("but the license text conflicts here: {} (OSD {})", d.message, osd.join(", ")),
        text_span: d.text_span.clone(),
        file_text: Arc::from(l.source.text.as_str()),
    }
}

fn declared_conflict(source: &Source, starts: &[usize], d: &Declaration, conflicts: &[(&FileReport, &Diagnostic)]) -> Diagnostic {
    let mut osd: Vec<u8> = conflicts.iter().flat_map(|(_, c)| c.osd.iter().copied()).collect();
    osd.sort_unstable();
    osd.dedup();
    let mut facts = Map::new();
    facts.insert("declared".into(), Value::String(d.describe()));
    let files: Vec<Value> = conflicts.iter().map(|(l, _)| Value::String(l.source.name.clone())).collect();
    facts.insert("license_files".into(), Value::Array(files));
    let r = &CONFLICT_RULE;
    diagnostic(
        r,
        At { source, starts, span: d.span.clone() },
        format!("declares {}, an OSI-approved license", d.describe()),
        osd,
        r.help.to_string(),
        facts,
        conflicts.iter().map(|(l, c)| related_at(l, c)).collect(),
    )
}

fn mismatch(source: &Source, starts: &[usize], d: &Declaration, l: &FileReport, ident: &Identification) -> Diagnostic {
    // The label goes on the text's first line, usually its title.
    let text = &l.source.text;
    let lead = text.len() - text.trim_start().len();
    let first = text.get(lead..).and_then(|t| t.lines().next()).unwrap_or_default();
    let span = lead..lead + first.trim_end().len();
    let lstarts = l.source.line_starts();
    let (line, column) = l.source.line_col_in(&lstarts, span.start);
    let (end_line, end_column) = l.source.line_col_in(&lstarts, span.end);
    let related = Related {
        path: l.source.name.clone(),
        span: Span { start: l.source.file_offset(span.start), end: l.source.file_offset(span.end) },
        line,
        column,
        end_line,
        end_column,
    message: format!("but this text is {} ({})", ident.spdx, ident.name),
        text_span: span,
        file_text: Arc::from(text.as_str()),
    };
    let mut facts = Map::new();
    facts.insert("declared".into(), Value::String(d.describe()));
    facts.insert("identified".into(), Value::String(ident.spdx.clone()));
    facts.insert("license_file".into(), Value::String(l.source.name.clone()));
    let r = &MISMATCH_RULE;
    diagnostic(
        r,
        At { source, starts, span: d.span.clone() },
        format!("declares {}", d.describe()),
        Vec::new(),
        r.help.to_string(),
        facts,
        vec![related],
    )
}

fn claim(source: &Source, starts: &[usize], c: &claims::Claim, l: &FileReport, d: &Diagnostic, model_card: bool) -> Diagnostic {
    let word = source.text.get(c.span.clone()).unwrap_or_default().to_string();
    let mut facts = Map::new();
    facts.insert("claim".into(), Value::String(word.clone()));
    let help = if model_card {
        "call the model \"open weights\" (or \"source available\") instead, or relicense it under an OSI-approved license"
    } else {
        "call it \"source available\" instead, or relicense it under an OSI-approved license"
    };
    diagnostic(
        &CLAIM_RULE,
        At { source, starts, span: c.span.clone() },
        format!("called \"{word}\" here"),
        d.osd.clone(),
        help.to_string(),
        facts,
        vec![related_at(l, d)],
    )
}

fn declaration_out(path: String, d: Declaration, line: usize, column: usize) -> DeclarationOut {
    let osi = d.claims_osi();
    let (spdx, file) = match &d.declared {
        Declared::Spdx { expression, .. } => (Some(expression.clone()), None),
        Declared::Name(_) => (None, None),
        Declared::File(f) => (None, Some(f.clone())),
    };
    DeclarationOut {
        path,
        key: d.key,
        value: d.value,
        spdx,
        osi_approved: osi,
        license_name: d.name,
        license_link: d.link,
        file,
        line,
        column,
    }
}

/// A license finding in a few words: `LICENSE allows only non-commercial use (OSD 6)`.
fn finding_words(path: &str, d: &Diagnostic) -> String {
    let osd: Vec<String> = d.osd.iter().map(u8::to_string).collect();
    // "license forbids …" reads as "LICENSE forbids …"; "license grant is …" does not.
    let verb = |rest: &str| rest.split(' ').next().is_some_and(|w| w.ends_with('s'));
    let what = match d.message.strip_prefix("license ") {
        Some(rest) if verb(rest) => format!("{path} {rest}"),
        _ => format!("{path}: {}", d.message),
    };
    format!("{what} (OSD {})", osd.join(", "))
}

fn plural(n: usize, w: &str) -> String {
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
}

/// Whether the project conforms, and the one line that says so and why.
fn verdict(
    project: &Project,
    licenses: &[FileReport],
    idents: &[Option<Identification>],
    declarations: &[(String, Declaration, usize, usize)],
    mismatches: &[(String, String, String, String)],
) -> (Option<bool>, String) {
    let head = match project.root.to_str() {
        Some("" | ".") => "project".to_string(),
        _ => format!("project {}", project.root.display()),
    };
    // Within the line, files are named from the project's root.
    let rel = |name: &str| -> String {
        let p = Path::new(name);
        match p.strip_prefix(&project.root) {
            Ok(r) if project.root != Path::new(".") => r.display().to_string(),
            _ => name.to_string(),
        }
    };
    let text_fails = licenses.iter().any(|l| l.count(Severity::Error) > 0);
    let declared: Vec<String> = declarations
        .iter()
        .map(|(p, d, _, _)| {
            let also = if text_fails && d.claims_osi() { ", but the license text conflicts with the OSD" } else { "" };
            format!("{} declares {}{also}", rel(p), d.describe())
        })
        .collect();
    let declared_line = declared.join("; ");
    let mut reasons = Vec::new();
    for l in licenses {
        let mut errors: Vec<&Diagnostic> = l.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        errors.sort_by_key(|d| d.span.start);
        if let Some(first) = errors.first() {
            let mut r = finding_words(&rel(&l.source.name), first);
            match errors.len() {
                1 => {}
                2 => r.push_str(" and 1 more conflict"),
                n => r.push_str(&format!(" and {} more conflicts", n - 1)),
            }
            reasons.push(r);
        }
    }
    // A declared license that is not open source is a reason of its own.
    for (p, d, _, _) in declarations {
        if let Declared::Spdx { expression, osi_approved: false, .. } = &d.declared {
            reasons.push(format!("{} declares {expression}, which is not OSI-approved", rel(p)));
        }
    }
    if licenses.is_empty() {
        let why = if declared.is_empty() {
            "no license file and no declared license found".to_string()
        } else {
            format!("no license file found; {declared_line}")
        };
        let conforms = if reasons.is_empty() { None } else { Some(false) };
        return (conforms, format!("{head}: cannot tell whether it conforms to the OSD: {why}"));
    }
    if !reasons.is_empty() {
        let mut line = format!("{head}: does not conform to the OSD: {}", reasons.join("; "));
        let other: Vec<&String> = declared.iter().filter(|d| !reasons.iter().any(|r| r.starts_with(d.as_str()))).collect();
        if !other.is_empty() {
            line.push_str(&format!("; {}", other.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")));
        }
        return (Some(false), line);
    }
    let mut what: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (l, i) in licenses.iter().zip(idents) {
        match i {
            Some(i) => what.push(format!("{} is {}", rel(&l.source.name), i.spdx)),
            None => unknown.push(rel(&l.source.name)),
        }
    }
    if !unknown.is_empty() {
        what.push(format!("no conflicts in {}", unknown.join(", ")));
    }
    let mut line = format!("{head}: conforms to the OSD: {}", what.join(", "));
    let warnings: usize = licenses.iter().map(|l| l.count(Severity::Warning)).sum();
    if warnings > 0 {
        line.push_str(&format!(", but {} to review", plural(warnings, "warning")));
    }
    // A declaration the texts contradict is said once, as the mismatch ("LICENSE is
    // Apache-2.0; but Cargo.toml declares MIT"): the line has named the texts already.
    let contradicted = |p: &str| mismatches.iter().any(|(m, ..)| m == p);
    let agreed: Vec<&String> = declarations.iter().zip(&declared).filter(|((p, ..), _)| !contradicted(p)).map(|(_, line)| line).collect();
    if !agreed.is_empty() {
        line.push_str(&format!("; {}", agreed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")));
    }
    for (p, d, file, spdx) in mismatches {
        let named = what.iter().any(|w| w.starts_with(&format!("{} is ", rel(file))));
        if named {
            line.push_str(&format!("; but {} declares {d}", rel(p)));
        } else {
            line.push_str(&format!("; but {} declares {d} and {} is {spdx}", rel(p), rel(file)));
        }
    }
    (Some(true), line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_the_house_style() {
        for r in RULES {
            assert!(r.id.starts_with("project/"), "{}", r.id);
            for s in [r.message, r.why, r.help] {
                assert!(s.chars().next().is_some_and(|c| !c.is_uppercase()) && !s.ends_with('.'), "{}: {s}", r.id);
            }
            for section in crate::rules::EXPLAIN_SECTIONS {
                assert!(r.explain.contains(section), "{}: no {section}", r.id);
            }
        }
    }

    #[test]
    fn same_license_ignores_only_and_or_later() {
        assert!(same_license("GPL-3.0", "GPL-3.0-only"));
        assert!(same_license("GPL-2.0+", "GPL-2.0-or-later"));
        assert!(same_license("apache-2.0", "Apache-2.0"));
        assert!(!same_license("MIT", "Apache-2.0"));
        assert!(!same_license("BSD-2-Clause", "BSD-3-Clause"));
    }

    #[test]
    fn notices_are_not_the_main_license() {
        assert!(is_main_license("LICENSE"));
        assert!(is_main_license("pkg/LICENSE-MIT"));
        assert!(!is_main_license("NOTICE"));
        assert!(!is_main_license("LICENSE-THIRD-PARTY"));
    }

    #[test]
    fn ownership_is_the_root_and_licenses_folder() {
        let p = Project { root: PathBuf::from("."), files: Vec::new() };
        assert!(p.owns(Path::new("LICENSE")));
        assert!(p.owns(Path::new("LICENSES/MIT.txt")));
        assert!(!p.owns(Path::new("vendor/LICENSE")));
        let p = Project { root: PathBuf::from("proj"), files: Vec::new() };
        assert!(p.owns(Path::new("proj/LICENSE")));
        assert!(p.owns(Path::new("./proj/COPYING")));
        assert!(!p.owns(Path::new("proj/vendor/LICENSE")));
    }
}
