//! Terms a license defines and then uses: `"harmful activity" means any activity that
//! harms living beings; no license is granted for harmful activity.` A rule reads the
//! words of a sentence, and "no license is granted for harmful activity" says nothing it
//! knows; read with the definition in the term's place, it does. The engine
//! (`Linter::lint_normalized`) finds a text's definitions with [`definition`], keeps those
//! whose words restrict when read as what may not be done ([`PROBE`]), and reads each
//! sentence that uses such a term again as [`Substituted`] says.
//!
//! Everything here works on normalized text: lower case, single spaces.

use std::ops::Range;

/// How the words of a definition are read to tell whether they restrict: what they
/// describe, as a use that may not be made. (A term for a class of people reads as well:
/// "... for any person or entity that offers a competing product".)
pub(crate) const PROBE: &str = "you may not use the software for ";

/// How many defined terms of one text are read into the sentences that use them.
pub(crate) const MAX_TERMS: usize = 16;

/// The words that follow a quoted term in a definition.
const DEFINES: [&str; 6] = [" means ", " shall mean ", " refers to ", " shall refer to ", " is defined as ", " has the meaning "];

/// Where a clause that uses a term may start after its definition's words, in one
/// sentence: `"x" means ...; no license is granted for x`, `"x" means ..., and no x may`.
const CLAUSE_BREAKS: [&str; 3] = ["; ", ", and ", ", but "];

/// A definition at the start of sentence `s` (after a number or a few words such as "as
/// used herein, the term"): the range of the quoted term (without its quotes) and of the
/// words that define it, up to the clause that goes on to use the term in the same
/// sentence, if one does, or else to the first semicolon or the sentence's end.
pub(crate) fn definition(s: &str) -> Option<(Range<usize>, Range<usize>)> {
    let open = s.get(..s.len().min(48))?.find('"')?;
    let term_start = open + 1;
    let close = term_start + s.get(term_start..)?.get(..s.len().saturating_sub(term_start).min(61))?.find('"')?;
    let term = s.get(term_start..close)?;
    if term.len() < 2 || !term.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let after = s.get(close + 1..)?;
    let verb = DEFINES.iter().find(|v| after.starts_with(*v))?;
    let body_start = close + 1 + verb.len();
    let rest = s.get(body_start..)?;
    // The first use of the term after a clause break: the definition ends at the last
    // break before it.
    let end = uses(rest, term)
        .find_map(|u| CLAUSE_BREAKS.iter().filter_map(|b| rest.get(..u.start).and_then(|r| r.rfind(b))).max())
        .or_else(|| rest.find("; "))
        .unwrap_or(rest.trim_end_matches(['.', ' ']).len());
    let body = body_start..body_start + end;
    has_word(s.get(body.clone())?).then_some((term_start..close, body))
}

/// Where the clause after a definition's words (ending at `body_end` of `s`) starts,
/// past its break ("; ", ", and "): a clause of its own, which may use the term.
pub(crate) fn clause_after(s: &str, body_end: usize) -> usize {
    let rest = s.get(body_end..).unwrap_or_default();
    body_end + CLAUSE_BREAKS.iter().find(|b| rest.starts_with(*b)).map_or(0, |b| b.len())
}

/// The words a definition opens with (after a determiner and up to two more words) when
/// its term names a use, an activity or a class of people: the terms whose definitions are
/// read in their place. A term for a thing ("\"library\" means a software library ...",
/// "\"license\" means a limited license ...") is left alone: read into every sentence
/// that names the thing, its words would say things the sentence does not.
const ACTIVITY_WORDS: [&str; 46] = [
    "use", "uses", "usage", "activity", "activities", "purpose", "purposes", "act", "acts", "conduct", "exploitation", "transfer",
    "distribution", "redistribution", "sale", "sales", "deployment", "person", "persons", "people", "entity", "entities",
    "individual", "individuals", "organization", "organizations", "organisation", "organisations", "company", "companies",
    "licensee", "licensees", "user", "users", "customer", "customers", "party", "parties", "business", "businesses", "institution",
    "institutions", "government", "governments", "member", "members",
];

/// Terms for the parties of a license.
const PARTIES: [&str; 24] = [
    "you", "your", "licensee", "licensees", "licensor", "licensors", "user", "users", "end user", "end users", "recipient",
    "recipients", "customer", "customers", "subscriber", "subscribers", "contributor", "contributors", "we", "us", "company",
    "provider", "author", "authors",
];

/// Whether a definition's words (`body`) open as those of a use, an activity or a class
/// of people ([`ACTIVITY_WORDS`], or a verb in "-ing": "using", "providing").
pub(crate) fn names_activity(term: &str, body: &str) -> bool {
    // The parties the license speaks to or for ("\"you\" means any individual or legal
    // entity ..., including ...") are the subject of nearly every sentence: a definition
    // of who they are is not a restriction to read into each one. (One that leaves people
    // out is read where it is: the `definition` guard lifts for it.)
    if PARTIES.contains(&term) {
        return false;
    }
    // A word defined by widening itself ("\"use\" means use, host, store") names
    // nothing new, and is every plain use of the word.
    if !term.contains(' ') && uses(body, term).next().is_some() {
        return false;
    }
    let mut words = body.split([' ', ',']).filter(|w| !w.is_empty()).peekable();
    if words.peek().is_some_and(|w| DETERMINERS.contains(w)) {
        words.next();
    }
    let gerund = |w: &str| w.len() > 4 && w.ends_with("ing") && !w.ends_with("thing");
    words.take(3).enumerate().any(|(i, w)| ACTIVITY_WORDS.contains(&w) || (i == 0 && gerund(w)))
}

/// How far before the definition's words (in bytes) the words of the sentence that
/// restrict may start, or how far after them they may be, to restrict what the term
/// names: "shall not be used for any [...]", "[...] is not permitted", not a "may not" at
/// the start of a long sentence whose term comes last.
const FRAME_REACH: usize = 80;

/// Whether a finding in a substituted sentence (its `span`, and its `frame` if it has
/// one) restricts what the definition (at `body`) describes, with the sentence's own
/// words next to it. What the definition's words say by themselves ("\"internal use\"
/// means use solely for internal purposes") every use of the term would repeat: the
/// sentence's words must take part.
pub(crate) fn frames_term(span: &Range<usize>, frame: Option<&Range<usize>>, body: &Range<usize>) -> bool {
    let touches = span.start < body.end && body.start < span.end;
    // The words that restrict: the frame, or the match when the rule has none.
    let words = frame.unwrap_or(span);
    let before = words.start < body.start && body.start - words.start <= FRAME_REACH;
    let after = match frame {
        Some(frame) => frame.start >= body.end && frame.start - body.end <= FRAME_REACH / 2,
        None => span.end > body.end && span.end - body.end <= FRAME_REACH,
    };
    touches && (before || after)
}

/// Whether a definition's words (`body`) open with a use of the work itself ("any use
/// in ...", "running the software to ...", "purposes other than ..."): what a catch-all
/// rule ("forbids using the work for a particular purpose") may judge, where it would
/// judge any words at all after "you may not use it for".
pub(crate) fn names_use(body: &str) -> bool {
    const USES: [&str; 14] = [
        "use", "uses", "usage", "purpose", "purposes", "activity", "activities", "using", "running", "operating", "deploying", "employing",
        "executing", "exploiting",
    ];
    let mut words = body.split([' ', ',']).filter(|w| !w.is_empty());
    let first = words.next().unwrap_or_default();
    let head = if DETERMINERS.contains(&first) { words.next().unwrap_or_default() } else { first };
    USES.contains(&head)
}

/// Whether `s` holds a letter.
fn has_word(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

/// The uses of `term` in `s`: whole words, with a plural `s` taken in, and not the quoted
/// term of a definition.
pub(crate) fn uses<'a>(s: &'a str, term: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let bytes = s.as_bytes();
    memchr::memmem::find_iter(bytes, term.as_bytes()).filter_map(move |at| {
        let mut end = at + term.len();
        if bytes.get(end) == Some(&b's') {
            end += 1;
        }
        let before = at.checked_sub(1).and_then(|i| bytes.get(i)).copied();
        let after = bytes.get(end).copied();
        let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80);
        (!word(before) && !word(after) && before != Some(b'"')).then_some(at..end)
    })
}

/// Nouns that make a term before them a modifier: "the commercial use license", "the
/// sale agreement" name a license and an agreement, not the use or the sale.
const HEAD_NOUNS: [&str; 10] = ["license", "licenses", "licence", "licences", "agreement", "agreements", "fee", "fees", "terms", "rights"];

/// Whether the use of a term at `used` in `sentence` is one its definition can stand in
/// for: not a modifier of a noun after it ([`HEAD_NOUNS`]), nor what something is said
/// not to be ("is not a competitive activity" sorts something out of the term).
pub(crate) fn stands_for(sentence: &str, used: &Range<usize>) -> bool {
    let next = sentence.get(used.end..).unwrap_or_default().trim_start().split([' ', ',', '.', ';']).next().unwrap_or_default();
    let mut before = sentence.get(..used.start).unwrap_or_default().split(' ').filter(|w| !w.is_empty()).rev().peekable();
    if before.peek().is_some_and(|w| DETERMINERS.contains(w)) {
        before.next();
    }
    let negated = before.next() == Some("not") && before.next().is_some_and(|w| matches!(w, "is" | "are" | "be" | "was" | "constitute" | "constitutes"));
    !HEAD_NOUNS.contains(&next) && !negated
}

/// The words in front of a term that make a determiner at the start of its definition
/// one too many: "no [any person ...]".
const DETERMINERS: [&str; 10] = ["no", "any", "a", "an", "the", "all", "each", "every", "such", "other"];

/// A sentence read with a definition in place of a use of its term: `text` is `pre`,
/// then the definition (its first word dropped when it is a determiner and one comes
/// before), then `post`.
pub(crate) struct Substituted {
    pub text: String,
    /// Where the definition is in `text`.
    pub body: Range<usize>,
    /// Where the term was in the sentence.
    pub term: Range<usize>,
}

impl Substituted {
    pub(crate) fn new(sentence: &str, term: Range<usize>, body: &str) -> Option<Substituted> {
        let pre = sentence.get(..term.start)?;
        let post = sentence.get(term.end..)?;
        let last = pre.trim_end().rsplit(' ').next().unwrap_or_default();
        let body = match body.split_once(' ') {
            Some((first, rest)) if DETERMINERS.contains(&last) && DETERMINERS.contains(&first) && has_word(rest) => rest,
            _ => body,
        };
        let text = format!("{pre}{body}{post}");
        Some(Substituted { body: pre.len()..pre.len() + body.len(), term, text })
    }

    /// An offset of `text` as one of the sentence: inside the definition, the term's
    /// start (or, for the end of a range, `end`, the term's end).
    pub(crate) fn back(&self, at: usize, end: bool) -> usize {
        if at <= self.body.start {
            at
        } else if at >= self.body.end {
            at - self.body.end + self.term.end
        } else if end {
            self.term.end
        } else {
            self.term.start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Option<(&str, &str)> {
        definition(s).map(|(t, b)| (&s[t], &s[b]))
    }

    #[test]
    fn a_definition_ends_where_a_clause_uses_its_term() {
        assert_eq!(
            parts("\"harmful activity\" means any activity that causes harm to living beings; no license is granted for harmful activity."),
            Some(("harmful activity", "any activity that causes harm to living beings"))
        );
        assert_eq!(
            parts("1.4 \"military application\" means any use in weapons development, targeting, or combat operations, and the model shall not be used for any military application."),
            Some(("military application", "any use in weapons development, targeting, or combat operations"))
        );
        // A break inside the definition is not the one before the clause that uses it.
        assert_eq!(
            parts("as used herein, \"academic use\" means research, teaching, and study; academic use is the only use licensed."),
            Some(("academic use", "research, teaching, and study"))
        );
        // The term in its own definition is not a use after a break.
        assert_eq!(parts("\"commercial use\" means any commercial use of the software."), Some(("commercial use", "any commercial use of the software")));
        assert_eq!(parts("\"source\" form shall mean the preferred form; see below."), None);
        assert_eq!(parts("\"licensor\" shall mean the copyright owner; and so on"), Some(("licensor", "the copyright owner")));
        let s = "\"xy\" means z, and no xy may";
        assert_eq!(definition(s).map(|(_, b)| &s[clause_after(s, b.end)..]), Some("no xy may"));
        assert_eq!(parts("you may use it \"as is\"."), None);
    }

    #[test]
    fn uses_activities_and_people_are_read_in_and_things_are_not() {
        for body in ["any use in weapons development", "any commercial use of the software", "using the outputs to train a model", "any person or entity that competes", "a natural person who", "monitoring individuals", "any activity that harms", "a licensee whose annual revenue does not exceed"] {
            assert!(names_activity("x y", body), "{body}");
        }
        for body in ["a software library or collection of functions", "a limited, non-exclusive license solely for internal use", "the software-as-a-service offering", "anything that", "the copyright owner", ""] {
            assert!(!names_activity("x y", body), "{body}");
        }
        assert!(!names_activity("use", "use, host, store and modify"));
        assert!(!names_activity("you", "any individual or legal entity exercising rights, including competitors"));
        assert!(names_activity("sale", "providing the software for a fee"));
    }

    #[test]
    fn only_words_next_to_the_definition_restrict_what_it_names() {
        let body = 100..150;
        // "shall not be used for any [...]": the frame may run into the definition.
        assert!(frames_term(&(100..150), Some(&(70..95)), &body));
        assert!(frames_term(&(120..130), Some(&(70..120)), &body));
        // "[...] is not permitted"
        assert!(frames_term(&(60..170), None, &body));
        assert!(frames_term(&(120..170), Some(&(150..170)), &body));
        // The definition's own words, or a frame far before it.
        assert!(!frames_term(&(110..140), Some(&(100..110)), &body));
        assert!(!frames_term(&(110..140), None, &body));
        assert!(!frames_term(&(0..150), Some(&(0..10)), &body));
        // A finding that is not in the definition.
        assert!(!frames_term(&(60..90), Some(&(50..60)), &body));
    }

    #[test]
    fn a_term_as_a_modifier_or_sorted_out_is_not_read_in() {
        let at = |s: &str, term: &str| s.find(term).map_or(0..0, |i| i..i + term.len());
        let s = "you may not assign the commercial use license";
        assert!(!stands_for(s, &at(s, "commercial use")));
        let s = "personal software is not a competitive activity.";
        assert!(!stands_for(s, &at(s, "competitive activity")));
        let s = "no license is granted for any commercial use.";
        assert!(stands_for(s, &at(s, "commercial use")));
        let s = "no competitor may exercise any right";
        assert!(stands_for(s, &at(s, "competitor")));
    }

    #[test]
    fn a_catch_all_judges_only_uses_of_the_work() {
        for body in ["any use in weapons development", "running the software to process live data", "purposes other than research"] {
            assert!(names_use(body), "{body}");
        }
        for body in ["having the right to grant", "any commercial use", "a person who", "distributing copies", ""] {
            assert!(!names_use(body), "{body}");
        }
    }

    #[test]
    fn uses_are_whole_words_and_plurals_outside_quotes() {
        let s = "\"registered user\" means x; only registered users and registered user-groups, not unregistered users";
        let found: Vec<&str> = uses(s, "registered user").map(|r| &s[r]).collect();
        assert_eq!(found, ["registered users"]);
    }

    #[test]
    fn a_substituted_sentence_maps_back_to_the_term() {
        let s = "no competitor may exercise any right";
        let term = 3..13;
        let sub = Substituted::new(s, term.clone(), "any person that offers a competing product").unwrap_or_else(|| panic!("no substitution"));
        assert_eq!(sub.text, "no person that offers a competing product may exercise any right");
        assert_eq!(&sub.text[sub.body.clone()], "person that offers a competing product");
        assert_eq!((sub.back(0, false), sub.back(sub.body.start + 4, false), sub.back(sub.body.start + 4, true)), (0, 3, 13));
        assert_eq!(&s[sub.back(sub.body.end + 1, false)..], "may exercise any right");
        // No determiner before the term: the definition's stays.
        let sub = Substituted::new("licensed for production use only", 13..27, "a use in production").unwrap_or_else(|| panic!("no substitution"));
        assert_eq!(sub.text, "licensed for a use in production only");
    }
}
