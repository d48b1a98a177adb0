//! Splits normalized text into sentences, the unit a rule's regexes confirm within.
//!
//! A sentence ends at `.`, `!` or `?` followed by a space, or at a paragraph break. A
//! paragraph break that follows a lead-in (`You may not:`, `…; or`) does not end it, so
//! a list stays one sentence with the words that introduce it.

use std::ops::Range;

/// Words that end with a period without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "no", "nos", "vs", "sec", "art", "para", "st",
    "mr", "mrs", "ms", "dr", "u.s", "u.k", "cf", "approx", "incl", "viz", "al", "jr", "sr", "esp",
    "fig", "ver", "rev", "v",
];

fn ends_sentence(text: &str, dot: usize) -> bool {
    // Look back a few bytes only, so a long run without spaces stays linear.
    let mut lo = dot.saturating_sub(24);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    // Closing quotes and brackets before the period belong to the word: `activities").`
    let before = text[lo..dot].trim_end_matches(['"', '\'', ')', ']']);
    // The word starts after the separator, which may be wider than a byte (U+1680).
    let word_start = before
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || c == '(' || c == '"' || c == '\'')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    // "1.", "a.", "iv." open list items and section numbers; "e.g." and "U.S." carry inner dots.
    if word.len() == 1 || word.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return false;
    }
    if ABBREVIATIONS.contains(&word) || word.contains('.') {
        return false;
    }
    // Roman numerals used as item numbers: "ii.", "xiv."
    if word.len() <= 4 && word.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return false;
    }
    true
}

/// Words a sentence does not end on: a paragraph that ends with one ("You may not",
/// "for the following", "including") runs on into the next.
const RUN_ON_WORDS: &[&str] = &[
    "or", "and", "and/or", "nor", "not", "to", "the", "a", "an", "of", "for", "by", "with", "in", "on", "may", "shall",
    "must", "will", "can", "cannot", "including", "following", "except", "that", "which", "who", "if", "unless",
    "than", "any", "as", "from", "into", "under", "without", "agree", "agrees",
];

/// Does the text before a paragraph break lead into what follows?
fn leads_in(before: &str) -> bool {
    let t = before.trim_end();
    if t.ends_with([':', ';', ',', '-']) {
        return true;
    }
    let last = t.rsplit(' ').next().unwrap_or("");
    // A heading line of one word ("restrictions") is not a lead-in, but "You may not" is.
    t.contains(' ') && RUN_ON_WORDS.contains(&last)
}

/// Sentence ranges of `text`, in order, covering every non-space byte.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    let push = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if s + lead < e - trail {
            out.push(s + lead..e - trail);
        }
    };
    // The candidates in order: terminators found with memchr (paragraph breaks are
    // few in normalized text, so the next one is found once and kept until passed).
    let mut next_break = memchr::memchr(b'\n', bytes);
    let mut from = 0usize;
    loop {
        let stop = memchr::memchr3(b'.', b'!', b'?', bytes.get(from..).unwrap_or_default()).map(|k| from + k);
        let i = match (stop, next_break) {
            (Some(a), Some(n)) => a.min(n),
            (Some(a), None) => a,
            (None, Some(n)) => n,
            (None, None) => break,
        };
        from = i + 1;
        if next_break == Some(i) {
            next_break = memchr::memchr(b'\n', bytes.get(from..).unwrap_or_default()).map(|k| from + k);
        }
        let Some(&b) = bytes.get(i) else { break };
        if i < start {
            continue;
        }
        match b {
            b'\n' => {
                // Two line feeds end a heading (`normalize`): no sentence runs on over them.
                let heading = bytes.get(i + 1) == Some(&b'\n');
                if heading || !leads_in(&text[start..i]) {
                    push(&mut out, start, i);
                    start = i + 1;
                }
            }
            _ => {
                // Closing quotes and brackets belong to the sentence they end.
                let mut end = i + 1;
                while matches!(bytes.get(end), Some(b'"' | b'\'' | b')')) {
                    end += 1;
                }
                let at_break = matches!(bytes.get(end), None | Some(b' ' | b'\n'));
                if at_break && (b != b'.' || ends_sentence(text, i)) {
                    push(&mut out, start, end);
                    start = end;
                }
            }
        }
    }
    push(&mut out, start, text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentences(s).into_iter().map(|r| &s[r]).collect()
    }

    /// The byte-by-byte walk `sentences` replaced with memchr: it visits the same
    /// candidates in the same order, so it must cut the same sentences.
    fn sentences_bytewise(text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0usize;
        let push = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
            let seg = &text[s..e];
            let (lead, trail) = (seg.len() - seg.trim_start().len(), seg.len() - seg.trim_end().len());
            if s + lead < e - trail {
                out.push(s + lead..e - trail);
            }
        };
        for (i, &b) in bytes.iter().enumerate() {
            if i < start || !matches!(b, b'.' | b'!' | b'?' | b'\n') {
                continue;
            }
            if b == b'\n' {
                if bytes.get(i + 1) == Some(&b'\n') || !leads_in(&text[start..i]) {
                    push(&mut out, start, i);
                    start = i + 1;
                }
                continue;
            }
            let mut end = i + 1;
            while matches!(bytes.get(end), Some(b'"' | b'\'' | b')')) {
                end += 1;
            }
            if matches!(bytes.get(end), None | Some(b' ' | b'\n')) && (b != b'.' || ends_sentence(text, i)) {
                push(&mut out, start, end);
                start = end;
            }
        }
        push(&mut out, start, text.len());
        out
    }

    #[test]
    fn memchr_walk_cuts_as_the_bytewise_walk_did() {
        // Texts built from pieces that exercise every branch, in many orders.
        let pieces = ["you may not", " sell it.", " e.g.", "\n", "\n\n", " (a) host it;", "!\"", "? ", "2.0 ", "done.", " \u{e9}t\u{e9}.", ")", ":\n"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(sentences(&t), sentences_bytewise(&t), "{t:?}");
        }
    }

    #[test]
    fn splits_on_terminators() {
        assert_eq!(split("one two. three? four! five"), ["one two.", "three?", "four!", "five"]);
    }

    #[test]
    fn keeps_abbreviations_and_numbers() {
        assert_eq!(
            split("see e.g. the u.s. rules in sec. 3. 1. first item. done."),
            ["see e.g. the u.s. rules in sec. 3. 1. first item.", "done."]
        );
        assert_eq!(split("version 2.0 is out. ok"), ["version 2.0 is out.", "ok"]);
    }

    #[test]
    fn paragraph_breaks_end_sentences_unless_they_lead_in() {
        assert_eq!(split("heading\nyou may not:\n(a) sell it;\n(b) host it.\nnext"), [
            "heading",
            "you may not:\n(a) sell it;\n(b) host it.",
            "next"
        ]);
    }

    #[test]
    fn two_line_feeds_end_a_sentence_even_after_a_run_on_word() {
        // What `normalize` puts after a heading ("## Passing copies on").
        assert_eq!(split("passing copies on\n\ngiving away copies is not allowed."), ["passing copies on", "giving away copies is not allowed."]);
        assert_eq!(split("passing copies on\ngiving away copies"), ["passing copies on\ngiving away copies"]);
    }

    #[test]
    fn paragraphs_that_stop_mid_sentence_run_on() {
        assert_eq!(split("you may not
(a) sell it.
next"), ["you may not\n(a) sell it.", "next"]);
        assert_eq!(split("restrictions
you may not sell it."), ["restrictions", "you may not sell it."]);
    }

    #[test]
    fn a_period_after_a_closing_quote_ends_the_sentence() {
        assert_eq!(split("(\"high risk activities\"). you agree."), ["(\"high risk activities\").", "you agree."]);
    }

    #[test]
    fn quotes_close_with_their_sentence() {
        assert_eq!(split("it is \"as is.\" you agree."), ["it is \"as is.\"", "you agree."]);
    }
}
