//! Every embedded rule runs its own examples, and keeps the house conventions.

use osdlint::rules::{RuleSet, EXPLAIN_SECTIONS};
use osdlint::selftest::check_examples;

fn linter() -> osdlint::Linter {
    osdlint::embedded_linter().unwrap_or_else(|e| panic!("embedded patterns do not load: {e}"))
}

#[test]
fn every_rule_flags_its_match_examples_and_not_its_no_match_examples() {
    let l = linter();
    let failures = check_examples(&l, |_| true);
    let report: Vec<String> = failures
        .iter()
        .map(|f| format!("{}: {}: {:?}", l.set.rules[f.rule].id, f.problem.describe(), f.example))
        .collect();
    assert!(report.is_empty(), "{} failing examples:\n{}", report.len(), report.join("\n"));
}

#[test]
fn every_regex_compiles() {
    let l = linter();
    for r in &l.set.rules {
        for p in r.regexes.iter().chain(&r.warn).chain(&r.unless) {
            assert!(p.regex().is_some(), "{}: regex does not compile: {}", r.id, p.source);
        }
    }
    for g in &l.set.guards {
        for p in &g.regexes {
            assert!(p.regex().is_some(), "guard {}: regex does not compile: {}", g.id, p.source);
        }
    }
}

fn one_line_style(what: &str, id: &str, s: &str) {
    assert!(!s.is_empty(), "{id}: empty {what}");
    assert!(!s.ends_with('.'), "{id}: {what} ends with a period: {s:?}");
    assert!(!s.contains('\n'), "{id}: {what} spans lines");
    let first = s.chars().next().unwrap_or(' ');
    assert!(!first.is_uppercase() || s.starts_with("OSD"), "{id}: {what} starts with a capital: {s:?}");
}

#[test]
fn messages_labels_and_help_are_in_style() {
    let l = linter();
    assert!(l.set.rules.len() >= 20, "only {} rules", l.set.rules.len());
    for r in &l.set.rules {
        one_line_style("message", &r.id, &r.message);
        one_line_style("label", &r.id, &r.label);
        one_line_style("why", &r.id, &r.why);
        one_line_style("help", &r.id, &r.help);
        assert!(r.message.len() <= 80, "{}: message longer than 80 bytes", r.id);
    }
}

#[test]
fn every_explanation_has_its_sections_in_order() {
    let l = linter();
    for r in &l.set.rules {
        let mut at = 0;
        for s in EXPLAIN_SECTIONS {
            let Some(i) = r.explain[at..].find(s) else { panic!("{}: explanation lacks {s:?} (in order)", r.id) };
            at += i + s.len();
        }
        let body = r.explain.replace(EXPLAIN_SECTIONS[0], "").replace(EXPLAIN_SECTIONS[1], "").replace(EXPLAIN_SECTIONS[2], "");
        assert!(body.split_whitespace().count() >= 25, "{}: explanation is too thin", r.id);
    }
}

#[test]
fn every_rule_has_examples_both_ways_and_lowercase_triggers() {
    let l = linter();
    for r in &l.set.rules {
        assert!(!r.tests.matches.is_empty(), "{}: no match examples", r.id);
        assert!(!r.tests.no_match.is_empty(), "{}: no no_match examples", r.id);
        for t in &r.triggers {
            assert_eq!(t, &t.to_lowercase(), "{}: trigger {t:?} is not lowercase", r.id);
        }
        assert!(r.osd.iter().all(|n| (1..=10).contains(n) && *n != 4), "{}: bad OSD list {:?}", r.id, r.osd);
        let crit = r.id.trim_start_matches("osd").split('/').next().and_then(|n| n.parse::<u8>().ok());
        assert!(crit.is_some_and(|c| r.osd.contains(&c)), "{}: id names a criterion not in its osd list {:?}", r.id, r.osd);
    }
}

#[test]
fn no_rule_lists_a_trigger_or_a_regex_twice() {
    // A second copy is compiled and searched for nothing (two sessions found some by
    // reading: a regex of osd6/no-benchmark, then 63 triggers).
    let l = linter();
    for r in &l.set.rules {
        let mut triggers: Vec<&str> = r.triggers.iter().map(|t| t.as_ref()).collect();
        triggers.sort_unstable();
        let twice: Vec<&&str> = triggers.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
        assert!(twice.is_empty(), "{}: triggers listed twice: {twice:?}", r.id);
        for list in [&r.regexes, &r.warn, &r.unless] {
            let mut sources: Vec<&str> = list.iter().map(|p| p.source.as_ref()).collect();
            sources.sort_unstable();
            let twice: Vec<&&str> = sources.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
            assert!(twice.is_empty(), "{}: regexes listed twice: {twice:?}", r.id);
        }
    }
}

#[test]
fn ids_are_unique_across_files() {
    // Loading refuses duplicates; prove it on a doubled set.
    let mut set = RuleSet::default();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/patterns/policy.toml")).unwrap_or_default();
    assert!(set.add_file("a.toml", &text, true).is_ok());
    let err = set.add_file("b.toml", &text, true).err().map(|e| e.message).unwrap_or_default();
    assert!(err.contains("duplicate"), "{err}");
    let l = linter();
    let mut ids: Vec<&str> = l.set.rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(n, ids.len());
}

#[test]
fn unknown_keys_and_bad_regexes_are_refused_with_a_span() {
    let mut set = RuleSet::default();
    let bad = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad/unknown-key.toml")).unwrap_or_default();
    let e = set.add_file("bad.toml", &bad, true).err().unwrap_or_else(|| panic!("accepted an unknown key"));
    assert!(e.message.contains("unknown field `colour`"), "{}", e.message);
    assert!(e.span.is_some());

    let broken = bad.replace("colour = \"red\"\n", "").replace("regexes = ['x']", "regexes = ['(unclosed']");
    let mut set = RuleSet::default();
    let e = set.add_file("bad.toml", &broken, true).err().unwrap_or_else(|| panic!("accepted a bad regex"));
    assert!(e.message.contains("invalid regex"), "{}", e.message);
    let span = e.span.unwrap_or(0..0);
    assert_eq!(&broken[span], "'(unclosed'");

    let huge = bad.replace("colour = \"red\"\n", "").replace("regexes = ['x']", "regexes = ['\\w{1000}{1000}']");
    let mut set = RuleSet::default();
    let e = set.add_file("huge.toml", &huge, true).err().unwrap_or_else(|| panic!("accepted a huge regex"));
    assert!(e.message.contains("too large") || e.message.contains("invalid regex"), "{}", e.message);
}

#[test]
fn crlf_pattern_files_load_the_same_rules_as_lf() {
    let lf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/patterns/policy.toml")).unwrap_or_default();
    let mut a = RuleSet::default();
    a.add_file("lf.toml", &lf, true).unwrap_or_else(|e| panic!("{e}"));
    let mut b = RuleSet::default();
    b.add_file("crlf.toml", &lf.replace('\n', "\r\n"), true).unwrap_or_else(|e| panic!("CRLF refused: {e}"));
    assert_eq!(a.rules.len(), b.rules.len());
    for (x, y) in a.rules.iter().zip(&b.rules) {
        // Multi-line strings (explanations) come out with plain `\n` line ends.
        assert_eq!((&x.id, &x.message, &x.explain, &x.triggers), (&y.id, &y.message, &y.explain, &y.triggers));
        let src = |r: &osdlint::rules::Rule| r.regexes.iter().map(|p| p.source.clone()).collect::<Vec<_>>();
        assert_eq!(src(x), src(y));
    }
    // A byte-order mark is refused, pointing at it.
    let e = RuleSet::default().add_file("bom.toml", &format!("\u{feff}{lf}"), true).err().unwrap_or_else(|| panic!("accepted a BOM"));
    assert_eq!(e.span, Some(0..3));
}

#[test]
fn every_rule_fires_on_some_fixture() {
    let l = linter();
    let mut fired = std::collections::BTreeSet::new();
    for entry in walk(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for f in l.lint(&text) {
            fired.insert(l.set.rules[f.rule].id.clone());
        }
    }
    let silent: Vec<&str> = l.set.rules.iter().map(|r| r.id.as_str()).filter(|id| !fired.contains(*id)).collect();
    // Rules are many and fixtures few: every OSD criterion must be exercised at least.
    let crits: std::collections::BTreeSet<u8> = l
        .set
        .rules
        .iter()
        .filter(|r| fired.contains(&r.id))
        .flat_map(|r| r.osd.clone())
        .collect();
    for c in [1, 2, 3, 5, 6, 7, 8, 9, 10] {
        assert!(crits.contains(&c), "no fixture exercises an OSD {c} rule; silent rules: {silent:?}");
    }
}

fn walk(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt" || x == "md") && p.file_name().is_some_and(|n| n != "README.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A rule file in the shape of `tests/data/bad/unknown-key.toml`'s, with `fragments` as
/// its `[fragments]` table and `regex` as its one regex.
fn with_fragments(fragments: &str, regex: &str) -> String {
    format!(
        "[fragments]\n{fragments}\n\n[[rule]]\nid = \"osd6/frag\"\nosd = [6]\nmessage = \"m\"\nlabel = \"l\"\nwhy = \"w\"\nhelp = \"h\"\n\
         explain = \"e\"\ntriggers = [\"spying\", \"tracking\"]\nregexes = ['{regex}']\ntests.match = []\ntests.no_match = []\n"
    )
}

#[test]
fn fragments_expand_where_regexes_name_them() {
    // Its own fragments, one using another defined after it, and an embedded one, which
    // is there without the embedded rules.
    let text = with_fragments("watching = '(?&field) of (?:people|users)'\nfield = 'spying|tracking'", r"\b(?&prohibition)\b.{0,40}\b(?P<hit>(?&watching))\b");
    let mut set = RuleSet::default();
    set.add_file("f.toml", &text, true).unwrap_or_else(|e| panic!("{e}"));
    let rule = set.rules.last().unwrap_or_else(|| panic!("no rule"));
    let source = rule.regexes.first().map(|p| p.source.to_string()).unwrap_or_default();
    assert!(source.contains("(?:(?:spying|tracking) of (?:people|users))"), "{source}");
    assert!(!source.contains("(?&"), "{source}");
    let linter = osdlint::Linter::new(set).unwrap_or_else(|e| panic!("{e}"));
    let text = "You may not use it for tracking of users.";
    let spans: Vec<(&str, &str)> = linter.lint(text).into_iter().map(|f| (&text[f.span], linter.set.rules[f.rule].id.as_str())).collect();
    assert_eq!(spans, [("tracking of users", "osd6/frag")]);
    assert!(linter.lint("Spying of people is a hobby.").iter().all(|f| linter.set.rules[f.rule].id != "osd6/frag"));
}

#[test]
fn escaped_and_class_characters_are_not_fragment_references() {
    let text = with_fragments("x = 'spying'", r"[(?&x)] \(?&x\)");
    let mut set = RuleSet::default();
    // Nothing to expand, and the regex is a valid one of its own.
    set.add_file("f.toml", &text, true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.rules.first().and_then(|r| r.regexes.first()).map(|p| p.source.to_string()).unwrap_or_default(), r"[(?&x)] \(?&x\)");
}

#[test]
fn a_file_may_define_an_embedded_fragment_again_for_its_own_regexes() {
    // As a copy of the pattern sets loaded with `--no-default-patterns` does.
    let mut set = RuleSet::default();
    set.add_file("f.toml", &with_fragments("prohibition = 'never'", r"\b(?&prohibition) (?P<hit>spying)"), true).unwrap_or_else(|e| panic!("{e}"));
    let source = set.rules.last().and_then(|r| r.regexes.first()).map(|p| p.source.to_string()).unwrap_or_default();
    assert_eq!(source, r"\b(?:never) (?P<hit>spying)");
    // The next file sees the new definition too.
    let text = with_fragments("other = 'x'", r"(?&prohibition) (?P<hit>tracking)").replace("osd6/frag", "osd6/frag-two");
    set.add_file("g.toml", &text, true).unwrap_or_else(|e| panic!("{e}"));
    let source = set.rules.last().and_then(|r| r.regexes.first()).map(|p| p.source.to_string()).unwrap_or_default();
    assert_eq!(source, r"(?:never) (?P<hit>tracking)");
}

#[test]
fn bad_fragments_are_refused_with_a_span() {
    let refuse = |fragments: &str, regex: &str| {
        let text = with_fragments(fragments, regex);
        let mut set = RuleSet::default();
        let e = set.add_file("f.toml", &text, true).err().unwrap_or_else(|| panic!("accepted {fragments} / {regex}"));
        let at = e.span.clone().and_then(|s| text.get(s)).unwrap_or_default().to_string();
        (e.message, at)
    };
    let (msg, at) = refuse("x = 'spying'", r"\b(?&nope)\b");
    assert!(msg.contains("unknown fragment `(?&nope)`"), "{msg}");
    assert_eq!(at, r"'\b(?&nope)\b'");
    let (msg, at) = refuse("a = 'x(?&b)'\nb = 'y(?&a)'", "(?&a)");
    assert!(msg.contains("refers to itself: a -> b -> a"), "{msg}");
    assert_eq!(at, "'x(?&b)'");
    // A fragment an earlier file defined cannot be defined again.
    let mut set = RuleSet::default();
    set.add_file("a.toml", &with_fragments("x = 'spying'", "(?&x)"), true).unwrap_or_else(|e| panic!("{e}"));
    let text = with_fragments("x = 'tracking'", "(?&x)").replace("osd6/frag", "osd6/frag-two");
    let e = set.add_file("b.toml", &text, true).err().unwrap_or_else(|| panic!("x defined twice"));
    assert!(e.message.contains("fragment `x` is already defined by an earlier file"), "{}", e.message);
    assert_eq!(e.span.clone().and_then(|s| text.get(s)), Some("'tracking'"));
    let (msg, _) = refuse("Bad_Name = 'x'", "x");
    assert!(msg.contains("fragment name `Bad_Name`"), "{msg}");
    let (msg, _) = refuse("x = 'y'", "a(?&)b");
    assert!(msg.contains("must be a fragment reference"), "{msg}");
}
