//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

use serde_sarif::sarif::{
    Artifact, ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::report::FileReport;
use crate::rules::{criterion_name, RuleSet, Severity};

/// Where the Open Source Definition is published; every rule's help points there.
pub const OSD_URI: &str = "https://opensource.org/osd";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

/// A path as a relative URI reference: `/` separators, and every byte outside the
/// unreserved set percent-encoded (so `,`, `:`, `%`, spaces and newlines survive).
pub fn uri(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A location in a file, with a message when it is a related one.
fn location(path: &str, (line, column, end_line, end_column): (usize, usize, usize, usize), message: Option<&str>) -> Location {
    let region = Region::builder()
        .start_line(line as i64)
        .start_column(column as i64)
        .end_line(end_line as i64)
        .end_column(end_column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(uri(path)).build())
        .region(region)
        .build();
    match message {
        Some(m) => Location::builder().physical_location(physical).message(Message::builder().text(m.to_string()).build()).build(),
        None => Location::builder().physical_location(physical).build(),
    }
}

/// A SARIF rule: its id, one-line message, why it conflicts, and the help and explanation.
fn descriptor(id: &str, message: &str, full: String, help: &str, explain: &str, properties: PropertyBag) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(id.to_string())
        .short_description(MultiformatMessageString::builder().text(message.to_string()).build())
        .full_description(MultiformatMessageString::builder().text(full).build())
        .help(
            MultiformatMessageString::builder()
                .text(format!("{help}\n\n{}", explain.trim()))
                .markdown(explain.trim().to_string())
                .build(),
        )
        .help_uri(OSD_URI.to_string())
        .properties(properties)
        .build()
}

/// The built-in project rules (see `project.rs`) as SARIF rules.
fn project_rules() -> impl Iterator<Item = ReportingDescriptor> {
    crate::project::RULES.iter().map(|r| {
        let tags = PropertyBag::builder().tags(vec!["project".to_string()]).build();
        descriptor(r.id, r.message, r.why.to_string(), r.help, r.explain, tags)
    })
}

/// Render the run as a SARIF 2.1.0 log.
pub fn render(set: &RuleSet, reports: &[FileReport]) -> String {
    render_with_projects(set, reports, &[])
}

/// [`render`], with the verdicts on the project roots checked in the run's properties.
pub fn render_with_projects(set: &RuleSet, reports: &[FileReport], projects: &[crate::project::Summary]) -> String {
    let rules: Vec<ReportingDescriptor> = set
        .rules
        .iter()
        .map(|r| {
            let criteria: Vec<String> = r.osd.iter().map(|n| format!("OSD {n} ({})", criterion_name(*n))).collect();
            let mut props = std::collections::BTreeMap::new();
            props.insert("osd".to_string(), serde_json::json!(r.osd));
            // Tagged with the first criterion; loading rejects a rule without one.
            let tags: Vec<String> = r.osd.first().map(|n| format!("osd{n}")).into_iter().collect();
            let full = format!("{}: {}", criteria.join(", "), r.why);
            let properties = PropertyBag::builder().tags(tags).additional_properties(props).build();
            descriptor(&r.id, &r.message, full, &r.help, &r.explain, properties)
        })
        .chain(project_rules())
        .collect();
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for report in reports {
        // The base license of a file goes in its artifact's properties.
        if let Some(l) = &report.license {
            let mut props = std::collections::BTreeMap::new();
            props.insert(
                "license".to_string(),
                // (The score is an f32 of three decimals: widened as it is, it would print as
                // 0.9120000004768372.)
                serde_json::json!({"spdx": l.spdx, "name": l.name, "score": (f64::from(l.score) * 1000.0).round() / 1000.0, "added": report.added_spans()}),
            );
            artifacts.push(
                Artifact::builder()
                    .location(ArtifactLocation::builder().uri(uri(&report.source.name)).build())
                    .properties(PropertyBag::builder().additional_properties(props).build())
                    .build(),
            );
        }
        for d in &report.diagnostics {
            let primary = location(&report.source.name, (d.line, d.column, d.end_line, d.end_column), None);
            let mut props = std::collections::BTreeMap::new();
            props.insert("osd".to_string(), serde_json::json!(d.osd));
            if !d.facts.is_empty() {
                props.insert("facts".to_string(), serde_json::Value::Object(d.facts.clone()));
            }
            if let Some(base) = &d.added_to {
                props.insert("added_to".to_string(), serde_json::json!(base));
            }
            let result = SarifResult::builder()
                .rule_id(d.rule.clone())
                .level(level(d.severity))
                .message(Message::builder().text(format!("{}: {}", d.message, d.label)).build())
                .locations(vec![primary])
                .properties(PropertyBag::builder().additional_properties(props).build());
            let related: Vec<Location> = d
                .related
                .iter()
                .map(|r| location(&r.path, (r.line, r.column, r.end_line, r.end_column), Some(&r.message)))
                .collect();
            results.push(if related.is_empty() { result.build() } else { result.related_locations(related).build() });
        }
    }
    let no_artifacts = artifacts.is_empty();
    let mut run = Run::builder()
        .artifacts(artifacts)
        .tool(
            Tool::builder()
                .driver(
                    ToolComponent::builder()
                        .name("osdlint")
                        .version(env!("CARGO_PKG_VERSION"))
                        .information_uri(OSD_URI)
                        .rules(rules)
                        .build(),
                )
                .build(),
        )
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    if no_artifacts {
        run.artifacts = None;
    }
    if !projects.is_empty() {
        run.properties = Some(PropertyBag::builder().additional_properties(run_properties(projects)).build());
    }
    let log = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// The project verdicts, when there are any, as `projects` in the run's property bag.
fn run_properties(projects: &[crate::project::Summary]) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut props = std::collections::BTreeMap::new();
    props.insert("projects".to_string(), serde_json::to_value(projects).unwrap_or_default());
    props
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_escape_what_uris_cannot_hold() {
        assert_eq!(super::uri("./vendor/a b/LICENSE"), "vendor/a%20b/LICENSE");
        assert_eq!(super::uri("x,y:z%\n"), "x%2Cy%3Az%25%0A");
    }
}
