//! Leads: where a large regex's matches can begin, found once per sentence for every
//! regex that begins the same way.
//!
//! A checker ([`crate::rules::Pattern::checker`]) searching a sentence unanchored carries
//! every partial match begun at every earlier position in its lazy-DFA states: for a
//! regex that starts with a long alternation (the `prohibition` and `may-not` fragments,
//! dozens of wordings each) those states are many, seldom met again, and building them
//! was most of what the checkers cost over the corpus. The lead of such a regex is a
//! short regex every match of it starts with (`may`, `shall`, `neither`, `cannot`, ...,
//! [`lead_of`]); a reverse scan finds where the lead matches, and the checker then runs
//! anchored at those positions only. Anchored, a lazy DFA's states follow one start, so
//! they are few and met again from sentence to sentence.
//!
//! The answer is the unanchored search's: every match begins where its lead matches, so
//! a match found anchored at a lead's position is a match, and a regex that matches
//! somewhere matches anchored at the position it begins at, which the scan reports. A
//! lead that also matches where the regex cannot start costs one anchored search that
//! soon dies, never a wrong answer.

use std::sync::{Arc, Mutex};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_syntax::hir::{Hir, HirKind};

/// A checker whose NFA has fewer states than this searches unanchored: its states are
/// cheap to build, and the scan for its lead would cost more than it saves. Over every
/// fourth corpus text (`check -j 1`, instructions): 300 states 3.92 G, 600 3.88 G,
/// 1,000 3.89 G, 1,500 4.09 G, 3,000 4.15 G; the unanchored checkers alone 4.09 G.
pub const LEAD_ABOVE_NFA_STATES: usize = 600;

/// A lead shorter than this many bytes matches too often to narrow anything down.
const MIN_LEAD_LEN: usize = 3;

/// Cap on a lead's lazy-DFA cache, per thread. Leads are few (one for each distinct
/// beginning among the large regexes a run uses) and small.
const LEAD_CACHE_LIMIT: usize = 1 << 20;

/// A lead shared by the regexes that begin the same way: its id in its set's
/// [`Leads`] (the slot of the starts a thread found for it) and its reverse automaton.
#[derive(Debug, Clone)]
pub struct Lead {
    pub id: usize,
    pub dfa: Arc<DFA>,
}

/// A rule set's leads, each built once, when the first regex that begins with it builds
/// its checker.
#[derive(Debug, Default)]
pub struct Leads {
    /// (the lead as a regex, its reverse automaton)
    table: Mutex<Vec<(String, Arc<DFA>)>>,
}

impl Leads {
    /// The lead of a checker's tree `hir`, built or found; `None` when it has none worth
    /// scanning for (it can match the empty string or very short text) or its automaton
    /// cannot be built.
    pub fn of(&self, hir: &Hir) -> Option<Lead> {
        let (lead, _) = lead_of(hir);
        if lead.properties().minimum_len().is_none_or(|n| n < MIN_LEAD_LEN) {
            return None;
        }
        let key = lead.to_string();
        let mut table = self.table.lock().ok()?;
        if let Some(id) = table.iter().position(|(k, _)| *k == key) {
            return table.get(id).map(|(_, dfa)| Lead { id, dfa: Arc::clone(dfa) });
        }
        let dfa = Arc::new(reverse_dfa(&lead)?);
        table.push((key, Arc::clone(&dfa)));
        Some(Lead { id: table.len() - 1, dfa })
    }

    /// How many leads have been built.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.lock().map_or(0, |t| t.len())
    }
}

/// A regex that every match of `hir` begins with a match of (the regexes' alternatives
/// each cut at their first repetition), and whether it is all of `hir`.
pub fn lead_of(hir: &Hir) -> (Hir, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => (hir.clone(), true),
        HirKind::Capture(c) => lead_of(&c.sub),
        // One pass through the repeated part begins every match.
        HirKind::Repetition(r) if r.min >= 1 => (lead_of(&r.sub).0, false),
        HirKind::Repetition(_) => (Hir::empty(), false),
        HirKind::Alternation(alts) => {
            let mut whole = true;
            let leads = alts
                .iter()
                .map(|a| {
                    let (lead, w) = lead_of(a);
                    whole &= w;
                    lead
                })
                .collect();
            (Hir::alternation(leads), whole)
        }
        HirKind::Concat(parts) => {
            let mut leads = Vec::new();
            for part in parts {
                let (lead, whole) = lead_of(part);
                leads.push(lead);
                if !whole {
                    return (Hir::concat(leads), false);
                }
            }
            (Hir::concat(leads), true)
        }
    }
}

/// The reverse lazy DFA of a lead, reporting every position a match of it begins at.
fn reverse_dfa(lead: &Hir) -> Option<DFA> {
    use regex_automata::nfa::thompson;
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(false)
                .reverse(true)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(lead)
        .ok()?;
    DFA::builder()
        .configure(
            regex_automata::hybrid::dfa::Config::new()
                // Every start, not only the leftmost-first one.
                .match_kind(regex_automata::MatchKind::All)
                .cache_capacity(LEAD_CACHE_LIMIT)
                .skip_cache_capacity_check(true)
                .minimum_cache_clear_count(Some(3)),
        )
        .build_from_nfa(nfa)
        .ok()
}

/// Put in `found` every position in `hay` where a match of the lead whose reverse
/// automaton is `dfa` begins, in ascending order; false when the search gives up (a
/// thrashing cache, a Unicode word boundary on non-ASCII text).
pub fn starts(dfa: &DFA, cache: &mut Cache, hay: &[u8], found: &mut Vec<usize>) -> bool {
    scan(dfa, cache, hay, found).is_some()
}

fn scan(dfa: &DFA, cache: &mut Cache, hay: &[u8], found: &mut Vec<usize>) -> Option<()> {
    let input = regex_automata::Input::new(hay);
    let mut sid = dfa.start_state_reverse(cache, &input).ok()?;
    // A lazy DFA reports a match one byte late: a match state entered on the byte at
    // `at` (reading backwards) is a match beginning at `at + 1`.
    for at in (0..hay.len()).rev() {
        sid = dfa.next_state(cache, sid, *hay.get(at)?).ok()?;
        if sid.is_tagged() {
            if sid.is_match() {
                found.push(at + 1);
            } else if sid.is_dead() {
                break;
            } else if sid.is_quit() {
                return None;
            }
        }
    }
    if !sid.is_dead() && dfa.next_eoi_state(cache, sid).ok()?.is_match() {
        found.push(0);
    }
    found.reverse();
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(re: &str) -> Hir {
        regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(re).unwrap()
    }

    /// Where matches of `re` begin, found the slow way: anchored at every position.
    fn begins(re: &str, hay: &str) -> Vec<usize> {
        let re = regex_automata::meta::Regex::new(re).unwrap();
        (0..=hay.len())
            .filter(|&i| {
                let input = regex_automata::Input::new(hay).range(i..).anchored(regex_automata::Anchored::Yes);
                re.search_half(&input).is_some()
            })
            .collect()
    }

    #[test]
    fn a_lead_is_cut_at_the_first_repetition_of_each_alternative() {
        let (lead, whole) = lead_of(&parse(r"(?:may|shall) ?not (?:\w+ ){0,3}sell|\bneither\b[^.]{0,80}\bnor"));
        assert!(!whole);
        assert_eq!(lead, parse(r"(?:may|shall)|\bneither\b"));
        let (lead, whole) = lead_of(&parse(r"is prohibited"));
        assert!(whole);
        assert_eq!(lead, parse(r"is prohibited"));
        // A repetition that must occur once leads with one pass through it.
        assert_eq!(lead_of(&parse(r"(?:ab)+c")).0, parse(r"ab"));
    }

    #[test]
    fn the_scan_finds_every_position_a_match_of_the_regex_begins_at() {
        let cases = [
            (r"(?:may|shall) ?not (?:\w+ ){0,3}sell|\bneither\b[^.]{0,80}\bnor", "you may not sell it; neither they nor we shall not  sell. dismay not us sell"),
            (r"\bno (?:\w+ ){0,4}(?:may|shall)", "no one may; no, no person shall; piano may"),
            (r"(?:ab)+c", "ababc abc aabc"),
        ];
        for (re, hay) in cases {
            let (lead, _) = lead_of(&parse(re));
            let dfa = reverse_dfa(&lead).unwrap();
            let mut found = Vec::new();
            assert!(starts(&dfa, &mut dfa.create_cache(), hay.as_bytes(), &mut found));
            for b in begins(re, hay) {
                assert!(found.contains(&b), "{re:?} begins at {b} in {hay:?}, the scan found {found:?}");
            }
            // The scan reports where the lead begins, no more.
            assert_eq!(found, begins(&lead.to_string(), hay), "{re:?}");
        }
    }

    #[test]
    fn short_or_empty_leads_are_not_scanned_for() {
        let leads = Leads::default();
        assert!(leads.of(&parse(r"(?:\w+ ){0,3}sell")).is_none());
        assert!(leads.of(&parse(r"no\b.*sell")).is_none());
        assert!(leads.of(&parse(r"may not.*sell")).is_some());
        // The same lead is built once.
        let a = leads.of(&parse(r"(?:may|must) not (?:\w+ )*sell")).unwrap();
        let b = leads.of(&parse(r"(?:may|must) not (?:\w+ )*rent")).unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(leads.len(), 2);
    }
}
