//! Declared licenses: what a project's manifests say its license is, and where they say
//! it (the byte span of the value), from Cargo.toml, package.json, pyproject.toml and a
//! Hugging Face model card's YAML front matter.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// What a declaration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// An SPDX expression, with its ids in canonical case (`apache-2.0` → `Apache-2.0`).
    Spdx {
        /// The expression rewritten with canonical ids and upper-case operators.
        expression: String,
        /// The license ids it names, in order, without `+` or exceptions.
        ids: Vec<String>,
        /// Every license it names is OSI-approved (so the declaration claims open source).
        osi_approved: bool,
    },
    /// Not an SPDX expression: `llama3`, `openrail`, `other`, `UNLICENSED`, a free name.
    Name(String),
    /// The license is the text of this file (pyproject `{file = …}`, Cargo
    /// `license-file`, npm `SEE LICENSE IN …`).
    File(String),
}

/// One declaration in one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// Where it is said, as in `package.license` or `license` (front matter).
    pub key: &'static str,
    /// The value as written (unquoted).
    pub value: String,
    /// The value's byte range in the manifest's text.
    pub span: Range<usize>,
    pub declared: Declared,
    /// A model card's `license_name`, when the license is `other` or not SPDX.
    pub name: Option<String>,
    /// A model card's `license_link`.
    pub link: Option<String>,
}

impl Declaration {
    fn new(key: &'static str, value: &str, span: Range<usize>, declared: Declared) -> Declaration {
        Declaration { key, value: value.to_string(), span, declared, name: None, link: None }
    }

    /// Does it name an OSI-approved SPDX expression, and so claim to be open source?
    pub fn claims_osi(&self) -> bool {
        matches!(self.declared, Declared::Spdx { osi_approved: true, .. })
    }

    /// Short words for what it declares: `MIT OR Apache-2.0`, `llama3 ("Llama 3
    /// Community License")`, `the license in LICENSE`.
    pub fn describe(&self) -> String {
        match &self.declared {
            Declared::Spdx { expression, .. } => expression.clone(),
            Declared::Name(n) => match &self.name {
                Some(name) if !name.eq_ignore_ascii_case(n) => format!("{n} (\"{name}\")"),
                _ => n.clone(),
            },
            Declared::File(f) => format!("the license in {f}"),
        }
    }
}

/// A manifest that could not be read as its format, with a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError(pub String);

/// Resolve a declared license string. SPDX ids are matched regardless of case (model
/// cards write `apache-2.0`); `/` is read as `OR` (old Cargo manifests). Anything that
/// does not parse as an expression of known ids is a [`Declared::Name`].
pub fn resolve(value: &str) -> Declared {
    let value = value.trim();
    let mut canonical = String::new();
    let mut after_with = false;
    for token in tokens(value) {
        let word = match token {
            "(" | ")" => token.to_string(),
            t if t.eq_ignore_ascii_case("and") || t.eq_ignore_ascii_case("or") || t.eq_ignore_ascii_case("with") => {
                after_with = t.eq_ignore_ascii_case("with");
                if !canonical.is_empty() {
                    canonical.push(' ');
                }
                canonical.push_str(&t.to_ascii_uppercase());
                canonical.push(' ');
                continue;
            }
            "/" => {
                canonical.push_str(" OR ");
                continue;
            }
            t if after_with => {
                after_with = false;
                match spdx::identifiers::EXCEPTIONS.iter().find(|e| e.name.eq_ignore_ascii_case(t)) {
                    Some(e) => e.name.to_string(),
                    None => return Declared::Name(value.to_string()),
                }
            }
            t if t.len() > 11 && t.get(..11).is_some_and(|p| p.eq_ignore_ascii_case("LicenseRef-")) => t.to_string(),
            t => {
                let (base, plus) = t.strip_suffix('+').map_or((t, ""), |b| (b, "+"));
                match spdx::identifiers::LICENSES.iter().find(|l| l.name.eq_ignore_ascii_case(base)) {
                    Some(l) => format!("{}{plus}", l.name),
                    None => return Declared::Name(value.to_string()),
                }
            }
        };
        canonical.push_str(&word);
    }
    let mode = spdx::ParseMode {
        allow_slash_as_or_operator: true,
        allow_imprecise_license_names: false,
        allow_postfix_plus_on_gpl: true,
        allow_deprecated: true,
        allow_unknown: false,
    };
    let Ok(expr) = spdx::Expression::parse_mode(&canonical, mode) else {
        return Declared::Name(value.to_string());
    };
    let mut ids = Vec::new();
    let mut osi_approved = true;
    for r in expr.requirements() {
        match &r.req.license {
            spdx::LicenseItem::Spdx { id, or_later } => {
                osi_approved &= id.is_osi_approved();
                ids.push(format!("{}{}", id.name, if *or_later { "+" } else { "" }));
            }
            other @ spdx::LicenseItem::Other(_) => {
                osi_approved = false;
                ids.push(other.to_string());
            }
        }
    }
    if ids.is_empty() {
        return Declared::Name(value.to_string());
    }
    Declared::Spdx { expression: canonical, ids, osi_approved }
}

/// An SPDX expression cut into ids, operators, parentheses and `/`.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let sep = c.is_whitespace() || matches!(c, '(' | ')' | '/');
        if sep {
            if let Some(st) = start.take() {
                out.extend(s.get(st..i));
            }
            if !c.is_whitespace() {
                out.extend(s.get(i..i + 1));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.extend(s.get(st..));
    }
    out
}

/// The span of a TOML or JSON string's contents: without its quotes when `span` covers
/// a quoted string.
fn unquote(text: &str, span: Range<usize>) -> Range<usize> {
    let s = text.get(span.clone()).unwrap_or_default();
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if s.len() >= 2 * q.len() && s.starts_with(q) && s.ends_with(q) {
            return span.start + q.len()..span.end - q.len();
        }
    }
    span
}

fn toml_error(e: &toml::de::Error, text: &str) -> ManifestError {
    let at = e
        .span()
        .map(|s| {
            let line = text.get(..s.start).unwrap_or_default().matches('\n').count() + 1;
            format!(" (line {line})")
        })
        .unwrap_or_default();
    ManifestError(format!("not valid TOML{at}: {}", e.message().trim()))
}

#[derive(Deserialize)]
struct CargoDef {
    package: Option<CargoPackage>,
}

#[derive(Deserialize)]
struct CargoPackage {
    license: Option<Spanned<toml::Value>>,
    #[serde(rename = "license-file")]
    license_file: Option<Spanned<toml::Value>>,
}

/// `package.license` (and `package.license-file`) of a Cargo.toml. A license inherited
/// from the workspace (`license.workspace = true`) is not a declaration here.
pub fn cargo(text: &str) -> Result<Vec<Declaration>, ManifestError> {
    let def: CargoDef = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
    let mut out = Vec::new();
    let Some(pkg) = def.package else { return Ok(out) };
    if let Some(v) = pkg.license {
        let span = unquote(text, v.span());
        if let toml::Value::String(s) = v.into_inner() {
            out.push(Declaration::new("package.license", &s, span, resolve(&s)));
        }
    }
    if let Some(v) = pkg.license_file {
        let span = unquote(text, v.span());
        if let toml::Value::String(s) = v.into_inner() {
            out.push(Declaration::new("package.license-file", &s, span, Declared::File(s.clone())));
        }
    }
    Ok(out)
}

/// `project.license` of a pyproject.toml, looked at twice: first for its type, then for
/// the spans of the form it has (a `Spanned` around a dotted table such as
/// `license.text = …` loses its span, so each form gets its own struct).
#[derive(Deserialize)]
struct PyprojectDef<L> {
    project: Option<PyProject<L>>,
}

#[derive(Deserialize)]
struct PyProject<L> {
    license: Option<L>,
}

/// `license = {text = …}` / `{file = …}` (PEP 621).
#[derive(Deserialize)]
struct PyTable {
    text: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
}

/// `project.license` of a pyproject.toml: an SPDX expression (PEP 639), or the table
/// form `{text = …}` / `{file = …}` (PEP 621).
pub fn pyproject(text: &str) -> Result<Vec<Declaration>, ManifestError> {
    let def: PyprojectDef<toml::Value> = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
    let Some(lic) = def.project.and_then(|p| p.license) else { return Ok(Vec::new()) };
    match lic {
        toml::Value::String(_) => {
            let def: PyprojectDef<Spanned<String>> = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
            let Some(s) = def.project.and_then(|p| p.license) else { return Ok(Vec::new()) };
            let span = unquote(text, s.span());
            let s = s.into_inner();
            Ok(vec![Declaration::new("project.license", &s, span, resolve(&s))])
        }
        toml::Value::Table(_) => {
            let def: PyprojectDef<PyTable> = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
            let Some(table) = def.project.and_then(|p| p.license) else { return Ok(Vec::new()) };
            let mut out = Vec::new();
            if let Some(t) = table.text {
                let span = unquote(text, t.span());
                let s = t.into_inner();
                // `{text = "MIT"}` names a license; a longer text is the license itself,
                // which names nothing we can check.
                let declared = match resolve(&s) {
                    d @ Declared::Spdx { .. } => d,
                    _ => Declared::Name(first_line(&s)),
                };
                out.push(Declaration::new("project.license.text", &s, span, declared));
            }
            if let Some(f) = table.file {
                let span = unquote(text, f.span());
                let s = f.into_inner();
                out.push(Declaration::new("project.license.file", &s, span, Declared::File(s.clone())));
            }
            Ok(out)
        }
        _ => Ok(Vec::new()),
    }
}

fn first_line(s: &str) -> String {
    let line = s.trim().lines().next().unwrap_or_default().trim();
    if line.chars().count() > 60 {
        format!("{}…", line.chars().take(60).collect::<String>())
    } else {
        line.to_string()
    }
}

/// `license` of a package.json: a string (an SPDX expression, `UNLICENSED`, or
/// `SEE LICENSE IN <file>`) or the old object form `{"type": …}`.
pub fn package_json(text: &str) -> Result<Vec<Declaration>, ManifestError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ManifestError(format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column())))?;
    let (license, span) = match value.get("license") {
        Some(serde_json::Value::String(s)) => (s.clone(), json_member(text, "license", None)),
        Some(serde_json::Value::Object(o)) => match o.get("type") {
            Some(serde_json::Value::String(s)) => (s.clone(), json_member(text, "license", Some("type"))),
            _ => return Ok(Vec::new()),
        },
        _ => return Ok(Vec::new()),
    };
    let span = span.map(|s| unquote(text, s)).unwrap_or(0..0);
    let declared = match license.strip_prefix("SEE LICENSE IN ") {
        Some(file) => Declared::File(file.trim().to_string()),
        None => resolve(&license),
    };
    Ok(vec![Declaration::new("license", &license, span, declared)])
}

/// The span of the value of a top-level member `key` of a JSON object (of `inner`
/// within it, when given). serde_json keeps no positions, and this is all we need of
/// them: a scan that skips strings and nested values, on a text already known to be
/// valid JSON.
fn json_member(text: &str, key: &str, inner: Option<&str>) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(b, i)?;
        let name: String = serde_json::from_str(text.get(i..key_end)?).ok()?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = skip_value(b, start)?;
        if name == key {
            return match inner {
                None => Some(start..end),
                Some(k) => json_member(text.get(start..end)?, k, None).map(|r| start + r.start..start + r.end),
            };
        }
        i = skip_ws(b, end);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// The end of the string that starts at `i` (just past its closing quote).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end of the value that starts at `i`.
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match b.get(i)? {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while b.get(i).is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()) {
                i += 1;
            }
            Some(i)
        }
    }
}

/// The YAML front matter of a Markdown file: the byte range of its body (between the
/// `---` lines) and of the whole block, or `None` when the file has none.
pub fn front_matter(text: &str) -> Option<(Range<usize>, Range<usize>)> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let body_start = text.find('\n')? + 1;
    let mut at = body_start;
    for line in text.get(body_start..)?.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some((body_start..at, 0..at + line.len()));
        }
        at += line.len();
    }
    None
}

/// `license`, `license_name` and `license_link` of a model card's front matter. Only
/// top-level scalar keys are needed, so a careful line scan does (a YAML parser would
/// not give their spans): `key: value`, with the value plain, quoted, or a block list
/// of such values (read as alternatives, `OR`).
pub fn model_card(text: &str) -> Vec<Declaration> {
    let Some((body, _)) = front_matter(text) else { return Vec::new() };
    let mut license: Option<(String, Range<usize>)> = None;
    let mut name = None;
    let mut link = None;
    let mut lines = Vec::new();
    let mut at = body.start;
    for line in text.get(body.clone()).unwrap_or_default().split_inclusive('\n') {
        lines.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    let mut i = 0;
    while let Some(&(start, line)) = lines.get(i) {
        i += 1;
        let Some((key, rest)) = line.split_once(':') else { continue };
        if key.starts_with(char::is_whitespace) || key.starts_with('#') {
            continue;
        }
        let value_at = start + key.len() + 1;
        let scalar = yaml_scalar(rest, value_at);
        let value = match (scalar, key.trim()) {
            (Some(v), _) => Some(v),
            // A block list: `license:` then `- apache-2.0` lines.
            (None, "license") => {
                let mut items: Vec<(String, Range<usize>)> = Vec::new();
                while let Some(&(s, l)) = lines.get(i) {
                    let t = l.trim_start();
                    let Some(item) = t.strip_prefix("- ") else { break };
                    let item_at = s + (l.len() - item.len());
                    items.extend(yaml_scalar(item, item_at));
                    i += 1;
                }
                let span = items.first().map(|f| f.1.start).zip(items.last().map(|l| l.1.end)).map(|(a, b)| a..b);
                let joined = items.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(" OR ");
                span.filter(|_| !joined.is_empty()).map(|s| (joined, s))
            }
            (None, _) => None,
        };
        match key.trim() {
            "license" => license = value,
            "license_name" => name = value.map(|v| v.0),
            "license_link" => link = value.map(|v| v.0),
            _ => {}
        }
    }
    let Some((value, span)) = license else { return Vec::new() };
    let declared = resolve(&value);
    let mut d = Declaration::new("license", &value, span, declared);
    d.name = name;
    d.link = link;
    vec![d]
}

/// A YAML scalar on one line (`rest` follows the colon, at byte `at`): its value and
/// span, without quotes and without a trailing comment. `None` when empty.
fn yaml_scalar(rest: &str, at: usize) -> Option<(String, Range<usize>)> {
    let lead = rest.len() - rest.trim_start().len();
    let v = rest.trim_start();
    let start = at + lead;
    if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = v.get(1..)?;
        let end = inner.find(q)?;
        let s = inner.get(..end)?;
        return (!s.trim().is_empty()).then(|| (s.to_string(), start + 1..start + 1 + end));
    }
    let v = match v.find(" #") {
        Some(c) => v.get(..c)?,
        None if v.starts_with('#') => "",
        None => v,
    };
    let v = v.trim_end();
    (!v.is_empty() && !v.starts_with(['[', '{', '|', '>'])).then(|| (v.to_string(), start..start + v.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spdx(expression: &str, ids: &[&str], osi: bool) -> Declared {
        Declared::Spdx { expression: expression.into(), ids: ids.iter().map(|s| s.to_string()).collect(), osi_approved: osi }
    }

    fn at<'a>(text: &'a str, d: &Declaration) -> &'a str {
        &text[d.span.clone()]
    }

    #[test]
    fn spdx_expressions_resolve_whatever_the_case() {
        assert_eq!(resolve("MIT"), spdx("MIT", &["MIT"], true));
        assert_eq!(resolve("apache-2.0"), spdx("Apache-2.0", &["Apache-2.0"], true));
        assert_eq!(resolve("MIT OR Apache-2.0"), spdx("MIT OR Apache-2.0", &["MIT", "Apache-2.0"], true));
        assert_eq!(resolve("mit or apache-2.0"), spdx("MIT OR Apache-2.0", &["MIT", "Apache-2.0"], true));
        assert_eq!(resolve("MIT/Apache-2.0"), spdx("MIT OR Apache-2.0", &["MIT", "Apache-2.0"], true));
        assert_eq!(resolve("(MIT AND BSD-3-Clause)"), spdx("(MIT AND BSD-3-Clause)", &["MIT", "BSD-3-Clause"], true));
        assert_eq!(
            resolve("GPL-2.0-or-later WITH Classpath-exception-2.0"),
            spdx("GPL-2.0-or-later WITH Classpath-exception-2.0", &["GPL-2.0-or-later"], true)
        );
        assert_eq!(resolve("cc-by-nc-4.0"), spdx("CC-BY-NC-4.0", &["CC-BY-NC-4.0"], false));
        assert_eq!(resolve("MIT AND LicenseRef-Ours"), spdx("MIT AND LicenseRef-Ours", &["MIT", "LicenseRef-Ours"], false));
    }

    #[test]
    fn model_card_names_that_are_not_spdx_stay_names() {
        for n in ["llama3", "openrail", "other", "UNLICENSED", "bigscience-bloom-rail-1.0", "gemma", "MIT OR", ""] {
            assert_eq!(resolve(n), Declared::Name(n.to_string()), "{n}");
        }
    }

    #[test]
    fn cargo_license_and_span() {
        let text = "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\nlicense-file = 'LICENSE.txt'\n";
        let d = cargo(text).unwrap_or_default();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].key, at(text, &d[0])), ("package.license", "MIT OR Apache-2.0"));
        assert!(d[0].claims_osi());
        assert_eq!(d[1].declared, Declared::File("LICENSE.txt".into()));
        assert_eq!(at(text, &d[1]), "LICENSE.txt");
        // Inherited from the workspace: nothing declared here.
        assert!(cargo("[package]\nlicense.workspace = true\n").unwrap_or_default().is_empty());
        assert!(cargo("[workspace]\nmembers = []\n").unwrap_or_default().is_empty());
        let e = cargo("[package\nlicense = 1").err().map(|e| e.0).unwrap_or_default();
        assert!(e.starts_with("not valid TOML (line 1)"), "{e}");
    }

    #[test]
    fn pyproject_string_and_table_forms() {
        let text = "[project]\nname = \"x\"\nlicense = \"BSD-3-Clause\"\n";
        let d = pyproject(text).unwrap_or_default();
        assert_eq!((d[0].key, at(text, &d[0])), ("project.license", "BSD-3-Clause"));
        assert_eq!(d[0].declared, spdx("BSD-3-Clause", &["BSD-3-Clause"], true));

        let text = "[project]\nlicense = { text = \"MIT\" }\n";
        let d = pyproject(text).unwrap_or_default();
        assert_eq!((d[0].key, at(text, &d[0])), ("project.license.text", "MIT"));
        assert!(d[0].claims_osi());

        let text = "[project]\nlicense = {text = \"Proprietary research license\"}\n";
        let d = pyproject(text).unwrap_or_default();
        assert_eq!(d[0].declared, Declared::Name("Proprietary research license".into()));

        let text = "[project]\nlicense = {file = \"LICENSE.txt\"}\n";
        let d = pyproject(text).unwrap_or_default();
        assert_eq!((d[0].key, at(text, &d[0])), ("project.license.file", "LICENSE.txt"));
        assert_eq!(d[0].declared, Declared::File("LICENSE.txt".into()));

        let text = "[project]\nlicense.text = \"Apache-2.0\"\n";
        let d = pyproject(text).unwrap_or_default();
        assert_eq!(at(text, &d[0]), "Apache-2.0");
        assert!(pyproject("[tool.black]\nline-length = 88\n").unwrap_or_default().is_empty());
    }

    #[test]
    fn package_json_forms_and_spans() {
        let text = "{\n  \"name\": \"x\",\n  \"scripts\": {\"license\": \"no\"},\n  \"license\" : \"ISC\"\n}\n";
        let d = package_json(text).unwrap_or_default();
        assert_eq!((d[0].key, at(text, &d[0])), ("license", "ISC"));
        assert!(d[0].claims_osi());

        let text = "{\"description\": \"a \\\"license\\\": quoted\", \"license\": {\"type\": \"MIT\", \"url\": \"x\"}}";
        let d = package_json(text).unwrap_or_default();
        assert_eq!(at(text, &d[0]), "MIT");

        let text = "{\"license\": \"SEE LICENSE IN EULA.txt\"}";
        assert_eq!(package_json(text).unwrap_or_default()[0].declared, Declared::File("EULA.txt".into()));
        let text = "{\"license\": \"UNLICENSED\"}";
        assert_eq!(package_json(text).unwrap_or_default()[0].declared, Declared::Name("UNLICENSED".into()));
        let e = package_json("{\"license\": }").err().map(|e| e.0).unwrap_or_default();
        assert!(e.starts_with("not valid JSON (line 1, column 13)"), "{e}");
    }

    #[test]
    fn model_card_front_matter() {
        let text = "---\nlanguage: en\nlicense: apache-2.0 # see LICENSE\ntags:\n- text\n---\n# Model\n";
        let d = model_card(text);
        assert_eq!((d[0].key, at(text, &d[0])), ("license", "apache-2.0"));
        assert_eq!(d[0].declared, spdx("Apache-2.0", &["Apache-2.0"], true));

        let text = "---\r\nlicense: \"other\"\r\nlicense_name: acme-model-license\r\nlicense_link: LICENSE\r\n---\r\n";
        let d = model_card(text);
        assert_eq!(at(text, &d[0]), "other");
        assert_eq!(d[0].declared, Declared::Name("other".into()));
        assert_eq!(d[0].name.as_deref(), Some("acme-model-license"));
        assert_eq!(d[0].link.as_deref(), Some("LICENSE"));
        assert_eq!(d[0].describe(), "other (\"acme-model-license\")");

        let text = "---\nlicense:\n  - mit\n  - apache-2.0\n---\n";
        let d = model_card(text);
        assert_eq!(at(text, &d[0]), "mit\n  - apache-2.0");
        assert_eq!(d[0].declared, spdx("MIT OR Apache-2.0", &["MIT", "Apache-2.0"], true));

        // Nested keys and text outside the front matter are not declarations.
        assert!(model_card("---\ncard:\n  license: mit\n---\n").is_empty());
        assert!(model_card("# Title\n\nlicense: mit\n").is_empty());
        assert!(model_card("---\nlicense: mit\n").is_empty(), "an unclosed block is not front matter");
    }
}
