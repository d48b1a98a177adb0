//! The matcher's contract on a small inline rule set: spans, sentence scope, vetoes,
//! severities, chunking.

use osdlint::rules::RuleSet;
use osdlint::{Linter, Severity};

    const SET: &str = r#"
[[guard]]
id = "g"
description = "test guard"
regexes = ['\bas is\b']
unless = ['\bas is,? except\b']

[[guard]]
id = "def"
description = "a definition"
regexes = ['^"[^"]+" means\b']
late = true

[[rule]]
id = "osd6/t"
osd = [6]
message = "m"
label = "l"
why = "w"
help = "h"
explain = "e"
triggers = ["military", "drilling"]
regexes = ['\bnot\b.{0,40}\b(?P<hit>military)\b', '\b(?P<hit>drilling)\b.{0,40}\bis not permitted\b']
warn = ['\bdiscouraged\b.{0,40}\bmilitary\b']
unless = ['\bnot designed\b']
guards = ["g", "def"]
tests.match = []
tests.no_match = []

[[rule]]
id = "osd7/t"
osd = [7]
message = "m"
label = "l"
why = "w"
help = "h"
explain = "e"
triggers = ["sign"]
regexes = ['\bmust\b.{0,40}\b(?P<hit>sign)\b']
tests.match = []
tests.no_match = []
"#;

    fn linter() -> Linter {
        let mut set = RuleSet::default();
        set.add_file("t.toml", SET, true).unwrap_or_else(|e| panic!("{e}"));
        Linter::new(set).unwrap_or_else(|e| panic!("{e}"))
    }

    fn spans(text: &str) -> Vec<(&str, Severity)> {
        linter().lint(text).into_iter().map(|f| (&text[f.span], f.severity)).collect()
    }

    #[test]
    fn hit_group_narrows_the_span_to_original_bytes() {
        assert_eq!(spans("It may NOT be used for\n  MILITARY work."), [("MILITARY", Severity::Error)]);
    }

    #[test]
    fn regexes_stay_within_a_sentence() {
        assert_eq!(spans("It is not sold. Military use is fine."), []);
    }

    #[test]
    fn unless_and_guards_veto_the_sentence() {
        assert_eq!(spans("It is not designed for military use."), []);
        assert_eq!(spans("Provided as is, not for military use."), []);
        assert_eq!(spans("Provided as is. Not for military use."), [("military", Severity::Error)]);
        // A guard's own exclusion lifts it: the rule's regex decides again.
        assert_eq!(spans("Provided as is, except not for military use."), [("military", Severity::Error)]);
    }

    #[test]
    fn bulleted_items_parted_by_semicolons_are_read_after_their_introduction() {
        // The bullets go in normalizing and the lines run together; the line break after
        // the colon and the semicolons still part the items, so the second is read
        // after "not" too (the first item is long enough to keep them apart otherwise).
        let text = "It is not to be used:\n\n  * to plan, route or dispatch the delivery vans of anyone; or\n  * for military drills.";
        assert_eq!(spans(text), [("military", Severity::Error)]);
        // Without the line break, it is one sentence as written.
        let text = "It is not to be used: to plan, route or dispatch the delivery vans of anyone; or for military drills.";
        assert_eq!(spans(text), []);
    }

    #[test]
    fn a_table_row_that_forbids_its_action_is_read_as_a_prohibition() {
        let table = "| Use | Allowed? |\n| --- | --- |\n| Research | Yes |\n| Military training | No |\n| Military parades | Yes, with credit |\n";
        assert_eq!(spans(table), [("Military", Severity::Error)]);
        // An action written as a gerund is read as the subject of the ban.
        assert_eq!(spans("| Use | Allowed? |\n| Drilling troops for war | Not permitted |\n"), [("Drilling", Severity::Error)]);
        // The words read before the row are not in the text: no frame points at them.
        assert_eq!(linter().lint(table).first().map(|f| f.frame.clone()), Some(None));
        // Only a row of two cells, whose second says no.
        assert_eq!(spans("| Military training | No | Yes |\n"), []);
        assert_eq!(spans("| Military training | Nothing to add |\n"), []);
    }

    #[test]
    fn a_defined_use_is_read_where_a_sentence_forbids_it() {
        // "may not be put to armed use" says nothing the rules know; with the definition
        // in the term's place it does, and the finding points at the term.
        let text = "\"Armed Use\" means any use by military forces. The Software may not be put to Armed Use.";
        assert_eq!(spans(text), [("Armed Use", Severity::Error)]);
        // In the sentence that defines it, in a clause after the definition.
        assert_eq!(spans("\"Armed Use\" means any use by military forces; it may not be put to any Armed Use."), [("Armed Use", Severity::Error)]);
        // The definition alone, a permission, a term for a thing, a term that only
        // modifies a noun, and what something is said not to be: nothing.
        assert_eq!(spans("\"Armed Use\" means any use by military forces."), []);
        assert_eq!(spans("\"Armed Use\" means any use by military forces. You may put it to Armed Use."), []);
        assert_eq!(spans("\"Kit\" means the tools military forces use. You may not sell the Kit."), []);
        assert_eq!(spans("\"Armed Use\" means any use by military forces. It may not replace the Armed Use license."), []);
        assert_eq!(spans("\"Armed Use\" means any use by military forces. Drills are not Armed Use."), []);
        // A definition that says what it says by itself is not said again at every use.
        assert_eq!(spans("\"Scope\" means any use, not for military forces. Scope is broad."), []);
        // The clause after a definition is read alone: the definition does not veto it.
        assert_eq!(spans("\"Drill\" means a practice; drilling in it is not permitted."), [("drilling", Severity::Error)]);
        assert_eq!(spans("\"Drill\" means drilling in it, which is not permitted."), []);
    }

    #[test]
    fn items_of_a_list_of_obligations_are_read_after_it() {
        // "must:" right before the colon makes each item a requirement.
        // (The first item is long enough to keep "must" and "sign" apart when the
        // sentence is read whole.)
        let first = "fill in the online application form with your details";
        assert_eq!(spans(&format!("Applicants must: (a) {first}; (b) sign the agreement; and (c) wait.")), [("sign", Severity::Error)]);
        assert_eq!(spans(&format!("Applicants must:\n- {first};\n- sign the agreement.")), [("sign", Severity::Error)]);
        // Elsewhere in the introduction it does not.
        assert_eq!(spans(&format!("Applicants must read this, then: (a) {first}; (b) sign the agreement.")), []);
    }

    #[test]
    fn list_items_are_read_after_the_prohibition_that_introduces_them() {
        // Item 2 is a sentence of its own; it is read after "You may not use it:".
        let text = "You may not use it:\n1. For spam.\n2. For MILITARY work.\n\nLater, military drills.";
        let found = linter().lint(text);
        assert_eq!(found.iter().map(|f| &text[f.span.clone()]).collect::<Vec<_>>(), ["MILITARY"]);
        // The words before the hit are shown in the introduction, and the sentence is the item.
        let frame = found.first().and_then(|f| f.frame.clone()).map(|r| &text[r]);
        assert_eq!(frame, Some("not use it:"));
        assert_eq!(found.first().map(|f| &text[f.sentence.clone()]), Some("2. For MILITARY work."));
        // Without a prohibition before the colon, nothing leads in.
        assert_eq!(spans("You may use it:\n1. For spam.\n2. For military work."), []);
        // An item with a subject of its own is a clause of its own.
        assert_eq!(spans("You may not use it:\n1. For spam.\n2. The licensee uses it for military work."), []);
        // An item that opens with "the" but has no verb is a noun phrase the
        // introduction governs.
        assert_eq!(spans("You may not use it:\n1. For spam.\n2. The military drills of any army."), [("military", Severity::Error)]);
        assert_eq!(spans("You may not use it:\n1. For spam.\n2. The drills are military ones."), []);
        // A sentence that is not an item ends the list.
        assert_eq!(spans("You may not use it:\n1. For spam.\nMilitary work is welcome."), []);
        // Bullets and lettered items continue it, each item once.
        assert_eq!(spans("You may not:\n- use it for spam.\n- use it for military work.\n(c) use it in military drills."), [
            ("military", Severity::Error),
            ("military", Severity::Error)
        ]);
    }

    #[test]
    fn a_long_introduction_still_introduces_its_list() {
        // Its negation is more than 80 bytes before the colon.
        let set = SET.replace(r"'\bnot\b.{0,40}\b(?P<hit>military)\b'", r"'\bagree not to\b.{0,200}: \d\. for (?P<hit>military)\b'");
        let mut rules = RuleSet::default();
        rules.add_file("t.toml", &set, true).unwrap_or_else(|e| panic!("{e}"));
        let linter = Linter::new(rules).unwrap_or_else(|e| panic!("{e}"));
        let text = "You agree not to use the Software or any part of it, in source or object form, or to let anyone else do so:\n1. For spam.\n2. For MILITARY work.";
        let found: Vec<&str> = linter.lint(text).into_iter().map(|f| &text[f.span]).collect();
        assert_eq!(found, ["MILITARY"]);
    }

    #[test]
    fn a_list_held_in_one_sentence_is_vetoed_item_by_item() {
        // The guard's "as is" in item (b) does not excuse item (a).
        assert_eq!(spans("You may not: (a) use it for MILITARY work; (b) sell it as is."), [("MILITARY", Severity::Error)]);
        // The item that holds the veto stays vetoed.
        assert_eq!(spans("You may not: (a) use it for military work as is; (b) sell it."), []);
        // A veto in the introduction covers every item.
        assert_eq!(spans("It is not designed, and you may not: (a) use it for military work; (b) sell it."), []);
        // A sentence that is not a list of prohibitions is vetoed whole, as before.
        assert_eq!(spans("Not for military use; sold as is."), []);
    }

    #[test]
    fn a_list_run_into_its_sentence_without_a_colon_is_read_item_by_item() {
        // "(i)" ends the introduction; the items are cut at semicolons. Read whole, the
        // negation is too far from item (iii) for the rule's 40-byte gap.
        let text = "You agree not to use it (i) to produce campaign material for elections; (ii) to diagnose illness in patients; or (iii) for MILITARY drills.";
        assert_eq!(spans(text), [("MILITARY", Severity::Error)]);
        // No negation before the first marker, or no second marker after a semicolon: not a list.
        assert_eq!(spans("You may use the Model (i) to produce campaign material for elections; (ii) to diagnose illness in patients; or (iii) for MILITARY drills."), []);
        assert_eq!(spans("You agree not to use it (i) to produce campaign material for elections or to diagnose illness in patients, or for MILITARY drills."), []);
    }

    #[test]
    fn section_numbers_mark_list_items_too() {
        // "A.2", "4.1.2": items of the list "You may not use it:" introduces.
        assert_eq!(spans("You may not use it:\n\nA.1 For spam.\n\nA.2 For MILITARY drills."), [("MILITARY", Severity::Error)]);
        assert_eq!(spans("You may not use it:\n\n4.1.1 For spam.\n\n4.1.2 For MILITARY drills."), [("MILITARY", Severity::Error)]);
        // A numbered clause with a subject of its own is not an item of the list.
        assert_eq!(spans("You may not use it:\n\n4.2 The licensee may use it for MILITARY drills."), []);
    }

    #[test]
    fn a_sentence_that_opens_with_a_marker_is_not_a_list_run_into_it() {
        // The fuzzer's find: "(a)" at the very start has no space before it (this once
        // overflowed with overflow checks on).
        assert_eq!(spans("(a) you may not use it for MILITARY work; (b) sell it."), [("MILITARY", Severity::Error)]);
        assert_eq!(spans("(i) (a) not; (b)"), []);
    }

    #[test]
    fn a_list_of_conditions_is_read_item_by_item() {
        // The guard's "as is" in item (a) does not veto item (b).
        assert_eq!(spans("You may use it provided that: (a) you ship it as is; (b) it is not used for MILITARY work."), [("MILITARY", Severity::Error)]);
        assert_eq!(spans("The rights apply only if all of the following hold: (a) you ship it as is; (b) it is not used for MILITARY work."), [("MILITARY", Severity::Error)]);
    }

    #[test]
    fn questions_are_not_read_as_clauses() {
        assert_eq!(spans("Q: May I not use it for military work?"), []);
        assert_eq!(spans("Why? You may not use it for MILITARY work."), [("MILITARY", Severity::Error)]);
    }

    #[test]
    fn a_list_held_in_one_sentence_is_read_item_by_item() {
        // The rule's "not ... military" reaches item (a) only; item (b) is read after the
        // introduction too, and (a) is not reported twice.
        let text = "You may not: (a) use it for MILITARY work; (b) resell it; (c) use it in any form of Military drills.";
        assert_eq!(spans(text), [("MILITARY", Severity::Error), ("Military", Severity::Error)]);
        // A heading introduces the list below it, read with a colon after it.
        assert_eq!(spans("Not permitted\n\n- spam\n- MILITARY drills"), [("MILITARY", Severity::Error)]);
        // Items on lines of their own, with no semicolons, are cut at their markers.
        let text = "You may not use it for:\n- spam\n- MILITARY drills\n- parades of the Military";
        assert_eq!(spans(text), [("MILITARY", Severity::Error), ("Military", Severity::Error)]);
    }

    #[test]
    fn warn_regexes_report_warnings() {
        assert_eq!(spans("Use is discouraged in military settings."), [("discouraged in military", Severity::Warning)]);
    }

    #[test]
    fn one_finding_per_place_and_every_place() {
        let text = "Not for military use. Also not for military use.";
        assert_eq!(spans(text).len(), 2);
        // Two in one sentence: the search for a second match goes on past the first.
        let text = "Not for military use, nor for anything of that kind whatsoever; not for military training.";
        assert_eq!(spans(text), [("military", Severity::Error), ("military", Severity::Error)]);
    }

    /// Sentences holding the same literals share their conditions' answers, and only
    /// they: a sentence whose condition fails does not answer for the next, which holds
    /// other literals.
    #[test]
    fn a_condition_that_failed_in_one_sentence_is_tried_again_in_another() {
        let text = "Military use is fine. Not for military use. Military use is fine. Not for military use, never.";
        assert_eq!(spans(text), [("military", Severity::Error), ("military", Severity::Error)]);
    }

    #[test]
    fn chunked_texts_keep_offsets() {
        // Longer than the piece size the engine cuts texts into (1 MiB).
    let filler = "Some words here.\n\n".repeat(200_000);
        let text = format!("{filler}It may not be used for military work.\n");
        let found = linter().lint(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "military");
    }

    /// A text of many pieces is linted a piece a thread: the findings, their offsets and
    /// their order are those of one thread.
    #[test]
    fn pieces_linted_on_several_threads_keep_offsets_and_order() {
        let mut text = String::new();
        for i in 0..6 {
            text.push_str(&"Some words here.\n\n".repeat(70_000 + 1_000 * i));
            text.push_str(&format!("Part {i} may not be used for military work.\n\n"));
        }
        assert!(text.len() > 6 << 20);
        let one = linter().lint(&text);
        assert_eq!(one.len(), 6);
        assert!(one.iter().all(|f| &text[f.span.clone()] == "military"));
        for threads in [2, 3] {
            let many = linter().lint_parallel(&text, threads);
            let key = |f: &osdlint::engine::Finding| (f.rule, f.span.clone(), f.sentence.clone());
            assert_eq!(one.iter().map(key).collect::<Vec<_>>(), many.iter().map(key).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        for t in ["", "\n\n\n", ".", "é", "\u{feff}", "a\u{0}b", "not\u{ad}", "(((", "\"\"\"."] {
            let _ = linter().lint(t);
        }
    }

    /// Linting one text on several threads finds the same things, in the same order,
    /// as on one; and a repeated sentence (answered from the memo) the same as the first.
    #[test]
    fn threads_and_the_sentence_memo_change_nothing() {
        let embedded = Linter::new(RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e}"));
        let mut text = String::new();
        for entry in std::fs::read_dir("fixtures/restricted").unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            text.push_str("\n\n");
        }
        let key = |f: &osdlint::engine::Finding| (f.rule, f.span.clone(), f.sentence.clone(), f.frame.clone(), f.facts.clone());
        let one: Vec<_> = embedded.lint(&text).iter().map(key).collect();
        assert!(one.len() > 20, "the fixtures should give many findings, got {}", one.len());
        // A fresh linter, so nothing is memoized yet, on two and three threads.
        for threads in [2, 3] {
            let fresh = Linter::new(RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e}"));
            let many: Vec<_> = fresh.lint_parallel(&text, threads).iter().map(key).collect();
            assert_eq!(one, many, "{threads} threads");
        }
        // The same text again: every sentence now comes from the memo.
        let again: Vec<_> = embedded.lint(&text).iter().map(key).collect();
        assert_eq!(one, again);
        // Twice over in one text: the second copy's findings are the first's, moved.
        let twice = format!("{text}\n\n{text}");
        let both = embedded.lint(&twice);
        assert_eq!(both.len(), 2 * one.len());
    }

/// The prefilter automaton `build.rs` serializes for the embedded words reports what an
/// aho-corasick automaton built from the same words reports: every occurrence of every
/// word.
#[test]
fn embedded_automaton_finds_what_aho_corasick_finds() {
    let automaton = osdlint::engine::embedded_automaton()
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the embedded sets have words"));
    let words = osdlint::rules::EMBEDDED_PREFILTER.words;
    let words: Vec<&[u8]> = (0..words.len()).map(|w| words.get(w).unwrap_or_else(|| panic!("word {w}"))).collect();
    assert!(words.len() > 1000, "{} words", words.len());
    let reference = aho_corasick::AhoCorasick::new(&words).unwrap_or_else(|e| panic!("{e}"));
    let mut texts = 0;
    for dir in ["fixtures/clean", "fixtures/restricted"] {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let text = std::fs::read_to_string(entry.unwrap_or_else(|e| panic!("{e}")).path()).unwrap_or_default();
            let text = osdlint::normalize::normalize(&text).text;
            let mut got: Vec<(usize, usize)> = automaton.find_overlapping_iter(&text).map(|m| (m.start(), m.value() as usize)).collect();
            let mut want: Vec<(usize, usize)> = reference.find_overlapping_iter(&text).map(|m| (m.start(), m.pattern().as_usize())).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert!(!want.is_empty());
            assert_eq!(got, want);
            texts += 1;
        }
    }
    assert!(texts > 10, "{texts} fixtures");
}

/// The automaton over the embedded table's phrases reports what aho-corasick built from
/// the same phrases reports: every occurrence of every literal, under its table index.
#[test]
fn embedded_phrases_find_what_aho_corasick_finds() {
    let automaton = osdlint::engine::embedded_phrases()
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the embedded sets have literals"));
    let table = RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}")).literal_table();
    let literals: Vec<&[u8]> = (0..table.len()).map(|l| table.get(l).unwrap_or_else(|| panic!("literal {l}"))).collect();
    assert!(literals.len() > 5000, "{} literals", literals.len());
    let reference = aho_corasick::AhoCorasick::new(&literals).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir("fixtures/restricted").unwrap_or_else(|e| panic!("{e}")) {
        let text = std::fs::read_to_string(entry.unwrap_or_else(|e| panic!("{e}")).path()).unwrap_or_default();
        let text = osdlint::normalize::normalize(&text).text;
        let mut got: Vec<(usize, usize, usize)> = automaton.find_overlapping_iter(&text).map(|m| (m.start(), m.end(), m.value() as usize)).collect();
        let mut want: Vec<(usize, usize, usize)> = reference.find_overlapping_iter(&text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
        got.sort_unstable();
        want.sort_unstable();
        assert!(!want.is_empty());
        assert_eq!(got, want);
    }
}

/// A linter searches with the table's words until it has been given
/// [`osdlint::engine::PHRASES_AFTER`] bytes, and with its phrases after: each fixture
/// yields the same findings either way.
#[test]
fn words_and_phrases_find_the_same() {
    let fresh = || Linter::new(RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e}"));
    let warm = fresh();
    warm.lint(&"Nothing to see here. ".repeat(osdlint::engine::PHRASES_AFTER / 10));
    let key = |f: &osdlint::engine::Finding| (f.rule, f.span.clone(), f.facts.clone());
    let mut findings = 0;
    for dir in ["fixtures/clean", "fixtures/restricted"] {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(text.len() < osdlint::engine::PHRASES_AFTER, "{} is too long to be linted by words", path.display());
            let by_words: Vec<_> = fresh().lint(&text).iter().map(key).collect();
            let by_phrases: Vec<_> = warm.lint(&text).iter().map(key).collect();
            assert_eq!(by_words, by_phrases, "{}", path.display());
            findings += by_words.len();
        }
    }
    assert!(findings > 50, "{findings}");
}

/// A rule loaded at run time beside the embedded sets, whose trigger and literals
/// ("military", "not") are also the embedded table's, matches as it does without the
/// embedded sets: both automata report its words, each under its own ids.
#[test]
fn loaded_rules_match_through_the_embedded_table() {
    let text = "Permission is granted, but it must not be put to military use.";
    for embedded in [true, false] {
        let mut set = if embedded { RuleSet::embedded().unwrap_or_else(|e| panic!("{e:?}")) } else { RuleSet::default() };
        set.add_file("t.toml", SET, true).unwrap_or_else(|e| panic!("{e}"));
        set.finish().unwrap_or_else(|e| panic!("{e:?}"));
        let linter = Linter::new(set).unwrap_or_else(|e| panic!("{e}"));
        let rule = linter.set.rules.iter().position(|r| r.id == "osd6/t").unwrap_or_else(|| panic!("loaded"));
        let found: Vec<&str> = linter.lint(text).into_iter().filter(|f| f.rule == rule).map(|f| &text[f.span]).collect();
        assert_eq!(found, ["military"], "with the embedded sets: {embedded}");
    }
}

/// A catch-all rule marked `generic` yields to a specific one that reports the same words
/// for a criterion they share, as severe or more; or, in a list held in one sentence,
/// that reports an item where the catch-all reports the introduction.
#[test]
fn a_generic_rule_yields_to_a_specific_one_on_the_same_words() {
    let rule = |id: &str, osd: u8, generic: bool, severity: &str, regex: &str, trigger: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nosd = [{osd}]\nseverity = \"{severity}\"\ngeneric = {generic}\nmessage = \"m\"\nlabel = \"l\"\nwhy = \"w\"\n\
             help = \"h\"\nexplain = \"e\"\ntriggers = [\"{trigger}\"]\nregexes = ['{regex}']\ntests.match = []\ntests.no_match = []\n\n"
        )
    };
    let any_purpose = r"\bnot be used (?P<hit>for(?: [a-z]+)+)";
    let lint = |specific: &str, text: &str| -> Vec<String> {
        let mut set = RuleSet::default();
        let file = rule("osd6/purpose", 6, true, "error", any_purpose, "used") + specific;
        set.add_file("t.toml", &file, true).unwrap_or_else(|e| panic!("{e}"));
        let linter = Linter::new(set).unwrap_or_else(|e| panic!("{e}"));
        linter.lint(text).into_iter().map(|f| format!("{} {}", linter.set.rules[f.rule].id, &text[f.span])).collect()
    };
    let military = |osd: u8, severity: &str| rule(&format!("osd{osd}/military"), osd, false, severity, r"\b(?P<hit>military)\b", "military");
    let text = "It may not be used for military drills.";
    assert_eq!(lint(&military(6, "error"), text), ["osd6/military military"]);
    // Not when the specific finding is milder, is for another criterion, or is elsewhere.
    assert_eq!(lint(&military(6, "warning"), text), ["osd6/purpose for military drills", "osd6/military military"]);
    assert_eq!(lint(&military(5, "error"), text), ["osd6/purpose for military drills", "osd5/military military"]);
    let text = "It may not be used for fun. Military drills are fine.";
    assert_eq!(lint(&military(6, "error"), text), ["osd6/purpose for fun", "osd6/military Military"]);
    // A list in one sentence: the introduction read alone yields to the items.
    let list = "It may not be used for: (a) military drills; (b) parades.";
    let intro = r"\bnot be used (?P<hit>for):";
    let mut set = RuleSet::default();
    set.add_file("t.toml", &(rule("osd6/purpose", 6, true, "error", intro, "used") + &military(6, "error")), true).unwrap_or_else(|e| panic!("{e}"));
    let linter = Linter::new(set).unwrap_or_else(|e| panic!("{e}"));
    let found: Vec<&str> = linter.lint(list).into_iter().map(|f| &list[f.span]).collect();
    assert_eq!(found, ["military"]);
    assert_eq!(linter.lint("It may not be used for: (a) parades; (b) fairs.").len(), 1);
}

/// A large regex's checker searches anchored where its lead ("may not", ...) matches
/// (src/lead.rs), and its full regex from where the checker said yes: the matches are
/// still those of a plain search, each one, leftmost first, several in a sentence.
#[test]
fn a_large_regex_finds_what_a_plain_search_finds() {
    // 150 made-up verbs make the regex's NFA large enough (over 600 states) to have its
    // lead scanned for.
    // (Each verb's own long tail: an alternation's shared beginnings compile once.)
    let verbs: Vec<String> = (0..150).map(|i| format!("verb{i}qwertyuiop")).collect();
    let alternation = verbs.join("|");
    let exact = format!(r"\b(?:may|must|shall) not (?:\w+ ){{0,3}}(?P<hit>{alternation})\b");
    // A long gap, which the checker loosens: its yes is only a maybe.
    let loose = format!(r"\b(?:cannot|will never)\b[^.]{{0,300}}\b(?P<hit>{alternation})\b");
    // Leading words that can be absent, which the checker drops: the match begins before
    // the checker's, and no group narrows the finding to the verb.
    let leading = format!(r"(?:[a-z]+ ){{0,2}}(?:may|must|shall) not (?:{alternation})\b");
    let file = |re: &str| {
        format!(
            "[[rule]]\nid = \"osd6/t\"\nosd = [6]\nmessage = \"m\"\nlabel = \"l\"\nwhy = \"w\"\nhelp = \"h\"\nexplain = \"e\"\ntriggers = [\"not\", \"never\"]\nregexes = ['{re}']\ntests.match = []\ntests.no_match = []\n"
        )
    };
    let texts = [
        "You may not verb7qwertyuiop it, and you must not ever verb9qwertyuiop it; dismay not verb3qwertyuiop; shall not verb149qwertyuiop.",
        "Dismay not verb3qwertyuiop, may not, must not a b c d verb5qwertyuiop, may not a b c verb6qwertyuiop.",
        "Nothing here may not be verb1qwertyuiopy, must notverb2qwertyuiop, shall not verb150qwertyuiop.",
        "You cannot, in any way and at any time, verb12qwertyuiop it; you will never verb13qwertyuiop or verb14qwertyuiop it.",
        "It will never be verb1qwertyuiop. Cannot verb2qwertyuiop.",
    ];
    for re in [&exact, &loose, &leading] {
        let mut set = RuleSet::default();
        set.add_file("t.toml", &file(re), true).unwrap_or_else(|e| panic!("{e}"));
        let linter = Linter::new(set).unwrap_or_else(|e| panic!("{e}"));
        let plain = regex::Regex::new(re).unwrap_or_else(|e| panic!("{e}"));
        let mut matched = 0;
        for text in texts {
            let found: Vec<&str> = linter.lint(text).into_iter().map(|f| &text[f.span]).collect();
            let lower = text.to_lowercase();
            let expected: Vec<&str> = text
                .split_inclusive('.')
                .scan(0, |at, s| {
                    let start = *at;
                    *at += s.len();
                    Some((start, s))
                })
                .flat_map(|(start, s)| plain.captures_iter(&lower[start..start + s.len()]).filter_map(move |c| c.name("hit").or_else(|| c.get(0)).map(|m| start + m.start()..start + m.end())).collect::<Vec<_>>())
                .map(|r| &text[r])
                .collect();
            assert_eq!(found, expected, "{re:.40} in {text:?}");
            matched += found.len();
        }
        assert!(matched >= 3, "{matched} matches of {re:.40}");
    }
}
