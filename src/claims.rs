//! "Open source" claims in a README or model card: the sentences that call the project
//! open source (or open-source, OSS), leaving out those that negate the term, compare
//! with it, mention it in quotes, or use it about other people's software.
//!
//! This is wording heuristics, not grammar: a claim is any use of the term that no trap
//! explains away. The traps are listed in the tests below.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// One sentence that calls the project open source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The words `open source` (or the variant used) in the file's text.
    pub span: Range<usize>,
    /// The sentence they stand in.
    pub sentence: Range<usize>,
}

/// Words that, a few words before the term, negate it.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "nor", "neither", "without", "non", "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "won't",
    "cannot", "can't", "hardly", "nothing", "none", "instead", "rather", "stop", "stopped", "avoid",
];

/// Words that, a few words before the term, make it a comparison or about others.
const COMPARISONS: &[&str] = &[
    "unlike",
    "than",
    "versus",
    "vs",
    "compared",
    "comparing",
    "comparison",
    "opposed",
    "contrast",
    "alternative",
    "alternatives",
    "other",
    "others",
    "many",
    "most",
    "some",
    "existing",
    "popular",
    "leading",
    "typical",
    "traditional",
    "conventional",
    "fellow",
    "various",
    "several",
    "similar",
    "both",
    "whether",
    "if",
    "either",
];

/// Nouns that, right after the term, make it about the movement or other people's
/// software: "the open source community", "the Open Source Definition".
const ECOSYSTEM: &[&str] = &[
    "community",
    "communities",
    "ecosystem",
    "ecosystems",
    "world",
    "movement",
    "initiative",
    "definition",
    "foundation",
    "foundations",
    "contributors",
    "maintainers",
    "developers",
    "enthusiasts",
    "advocates",
    "summit",
    "conference",
    "program",
    "office",
    "alternatives",
    "counterparts",
    "competitors",
    "peers",
    "equivalents",
];

/// Plural nouns that, right after the term, are about software in general unless the
/// sentence speaks of itself ("our open-source models", "we release open-source tools").
const GENERIC_PLURALS: &[&str] = &[
    "models",
    "projects",
    "tools",
    "libraries",
    "packages",
    "frameworks",
    "solutions",
    "implementations",
    "datasets",
    "components",
    "dependencies",
    "efforts",
    "programs",
    "llms",
    "weights",
    "codebases",
    "apps",
    "applications",
    "products",
    "licenses",
    "licences",
    "software",
];

/// Words in a sentence that make a plural about the project itself.
const SELF: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "remains",
    "remain",
    "we",
    "our",
    "us",
    "this",
    "these",
    "it",
    "its",
    "here",
    "fully",
    "truly",
    "completely",
    "entirely",
];

/// Words skipped when looking for the word before the term.
const SKIPPED: &[&str] = &["the", "a", "an", "fully", "truly", "completely", "entirely", "100%", "free", "and"];

/// Prepositions that, before a generic plural, make it about other software.
const PREPOSITIONS: &[&str] = &[
    "to", "with", "on", "from", "for", "of", "about", "in", "into", "by", "using", "among", "between", "like", "against", "over", "across",
    "around", "via", "through", "atop", "upon",
];

/// Intensifiers after a negation that keep the claim: "not only open source".
const NOT_ONLY: &[&str] = &["only", "just", "merely", "simply"];

fn term() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\bopen[ \t\-\u{2010}\u{2011}]?sourc(?:e|ed|ing)\b|\bOSS\b").ok()).as_ref()
}

/// The claims in a Markdown or plain-text README. `skip` are ranges that are not prose
/// (the YAML front matter of a model card).
pub fn find(text: &str, skip: &[Range<usize>]) -> Vec<Claim> {
    let Some(re) = term() else { return Vec::new() };
    let prose = blank_non_prose(text, skip);
    let mut out = Vec::new();
    for sentence in sentences(&prose) {
        let Some(s) = prose.get(sentence.clone()) else { continue };
        if s.trim_end().ends_with('?') {
            continue;
        }
        for m in re.find_iter(s) {
            // `OSS` counts in capitals only, and not as part of a name such as OSS-Fuzz.
            if m.as_str().eq_ignore_ascii_case("oss") && (m.as_str() != "OSS" || s.get(m.end()..).is_some_and(|r| r.starts_with('-'))) {
                continue;
            }
            let before = s.get(..m.start()).unwrap_or_default();
            let after = s.get(m.end()..).unwrap_or_default();
            if !is_trap(before, after) {
                out.push(Claim { span: sentence.start + m.start()..sentence.start + m.end(), sentence: sentence.clone() });
                // One claim a sentence is enough.
                break;
            }
        }
    }
    out
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '%'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{2019}', "'").to_lowercase())
        .collect()
}

fn is_trap(before: &str, after: &str) -> bool {
    // Quoted: the term is mentioned, not used ("we avoid the label "open source"").
    let opens = before.trim_end_matches(' ').chars().next_back();
    if opens.is_some_and(|c| matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}'))
        && after.chars().next().is_some_and(|c| matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}'))
    {
        return true;
    }
    let prev = words(before);
    // Negations and comparisons count within the clause: "it has no dependencies, and it
    // is open source" claims.
    let clause = before.rsplit([',', ';', ':', '(', ')', '\u{2014}', '\u{2013}']).next().unwrap_or(before);
    let near_words = words(clause);
    // "non-open-source", "non open source".
    if prev.last().is_some_and(|w| w == "non") {
        return true;
    }
    let near: Vec<&String> = near_words.iter().rev().take(6).collect();
    for (i, w) in near.iter().enumerate() {
        let negation = NEGATIONS.contains(&w.as_str()) || (w.ends_with("n't") && w.len() > 3);
        // "not only open source" keeps the claim: the intensifier follows the negation.
        let intensified = i > 0 && near.get(i - 1).is_some_and(|n| NOT_ONLY.contains(&n.as_str()));
        if negation && !intensified {
            return true;
        }
        if i < 4 && COMPARISONS.contains(&w.as_str()) {
            return true;
        }
        // "no longer", "far from", "as opposed to" are covered by `no`, and:
        if *w == "from" && near.get(i + 1).is_some_and(|n| *n == "far" || *n == "differs" || *n == "differ") {
            return true;
        }
    }
    let next = words(after);
    let next2: Vec<&str> = next.iter().take(2).map(String::as_str).collect();
    if next2.iter().any(|w| ECOSYSTEM.contains(w)) {
        return true;
    }
    // "open-source or proprietary models": a category, not this project.
    if matches!(next2.as_slice(), ["or" | "and" | "vs" | "versus", "proprietary" | "closed" | "commercial" | "closed-source", ..]) {
        return true;
    }
    if next2.iter().any(|w| GENERIC_PLURALS.contains(w)) {
        // "with open-source tools", "to open-source projects": about other software.
        let lead = prev.iter().rev().find(|w| !SKIPPED.contains(&w.as_str()));
        if lead.is_some_and(|w| PREPOSITIONS.contains(&w.as_str())) {
            return true;
        }
        return !prev.iter().any(|w| SELF.contains(&w.as_str()));
    }
    false
}

/// The text with everything that is not prose blanked to spaces, byte for byte, so
/// offsets still hold: `skip`, fenced code blocks, inline code, HTML comments and tags,
/// link targets and bare URLs.
fn blank_non_prose(text: &str, skip: &[Range<usize>]) -> String {
    let mut hide = vec![false; text.len()];
    let mut mark = |r: Range<usize>| {
        for h in hide.get_mut(r).into_iter().flatten() {
            *h = true;
        }
    };
    for r in skip {
        mark(r.clone());
    }
    // Fenced code blocks.
    let mut at = 0;
    let mut fence: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some((at, m)),
            (Some((start, m)), Some(n)) if m == n => {
                mark(start..at + line.len());
                fence = None;
            }
            _ => {}
        }
        at += line.len();
    }
    if let Some((start, _)) = fence {
        mark(start..text.len());
    }
    static SPANS: OnceLock<Option<Regex>> = OnceLock::new();
    let spans = SPANS
        .get_or_init(|| Regex::new(r"(?s)<!--.*?-->|`[^`\n]*`|\]\([^)\s]*\)|<[a-zA-Z/][^>\n]*>|\b(?:https?|ftp)://\S+|\bwww\.\S+").ok());
    for m in spans.iter().flat_map(|re| re.find_iter(text)) {
        // A link target: keep the `]`, hide `(url)`.
        let start = if m.as_str().starts_with(']') { m.start() + 1 } else { m.start() };
        mark(start..m.end());
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if hide.get(i).copied().unwrap_or(false) && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Sentences of a Markdown text: cut at `.`, `!` or `?` before a space, at blank
/// lines, and before headings, list items, table cells and block quotes.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let cut = |out: &mut Vec<Range<usize>>, from: &mut usize, to: usize| {
        if text.get(*from..to).is_some_and(|s| !s.trim().is_empty()) {
            out.push(*from..to);
        }
        *from = to;
    };
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let structural = t.is_empty()
            || t.starts_with('#')
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.starts_with('>')
            || t.starts_with('|')
            || t.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if structural {
            cut(&mut out, &mut start, at);
        }
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_blank = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if (matches!(c, '.' | '!' | '?') && next_blank) || c == '|' {
                cut(&mut out, &mut start, at + i + c.len_utf8());
            }
        }
        at += line.len();
        if t.is_empty() || t.starts_with('#') {
            // A blank line or a heading ends what it closes.
            cut(&mut out, &mut start, at);
        }
    }
    cut(&mut out, &mut start, text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimed(text: &str) -> Vec<&str> {
        find(text, &[]).into_iter().map(|c| &text[c.span]).collect()
    }

    #[test]
    fn claims_are_found() {
        for (text, term) in [
            ("Quillfeather-7B is an open-source language model.", "open-source"),
            ("This project is open source.", "open source"),
            ("We open-sourced the weights in March.", "open-sourced"),
            ("Fully Open Source, forever.", "Open Source"),
            ("The model is released as open source under the terms in LICENSE.", "open source"),
            ("Our open-source models run on a laptop.", "open-source"),
            ("Not only is it open source, it is also fast.", "open source"),
            ("Weft is OSS you can rely on.", "OSS"),
            ("# An opensource toolkit for maps", "opensource"),
            ("- 100% open\u{2011}source", "open\u{2011}source"),
            ("It is fast, it has no dependencies, and it is 100% open-source.", "open-source"),
            ("Weft is an open source alternative to Acme Maps.", "open source"),
        ] {
            assert_eq!(claimed(text), [term], "{text}");
        }
    }

    #[test]
    fn negated_comparative_and_generic_uses_are_not_claims() {
        for text in [
            "This model is not open source.",
            "Weft isn't open-source, and we say so plainly.",
            "It is not an open source project.",
            "This model is not open-source software under the OSI definition.",
            "These weights are no longer open source.",
            "Unlike open source models, this one comes with use restrictions.",
            "Unlike most open-source software, the license limits commercial use.",
            "We chose a source-available license rather than open source.",
            "We publish the weights instead of an open-source release.",
            "It performs better than open-source alternatives.",
            "Compared with open source models of the same size, it is faster.",
            "This is a non-open-source release.",
            "A non open source license applies.",
            "We thank the open source community for its tools.",
            "See the Open Source Definition for what the term means.",
            "The Open Source Initiative maintains a list of licenses.",
            "Built with open-source tools such as Rust and Python.",
            "It supports both open-source and proprietary models.",
            "Is Weft open source?",
            "We avoid calling it \"open source\" on purpose.",
            "We do not describe it as \"open source\".",
            "Weft is far from open source.",
            "It can be used with other OSS projects.",
            "Weft is fuzzed by OSS-Fuzz every night.",
            "The word oss means bone in Catalan.",
            "Neither the model nor its weights are open source.",
            "Many open source libraries were studied.",
            "We contribute to open-source projects in our spare time.",
        ] {
            assert_eq!(claimed(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn code_links_front_matter_and_urls_are_not_prose() {
        let text = "---\ntags: [open-source]\n---\n\n```sh\n# an open source install script\n```\n\
                    Run `open-source-setup` first. See [the docs](https://example.org/open-source).\n\
                    <!-- this is open source -->\n<img alt=\"open source badge\" src=\"x.png\">\n\
                    https://example.org/open-source/weft\n";
        let front = crate::declared::front_matter(text).map(|(_, all)| all).into_iter().collect::<Vec<_>>();
        assert_eq!(find(text, &front), Vec::new());
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "# Weft\n\nA mapping toolkit.\n\nWeft is open source.\nIt is fast.\n";
        let c = find(text, &[]);
        assert_eq!(c.len(), 1);
        assert_eq!(&text[c[0].span.clone()], "open source");
        assert_eq!(&text[c[0].sentence.clone()], "Weft is open source.");
    }
}
