//! Embeds every `patterns/*.toml` into the binary, in name order, together with the
//! literal condition of each of their regexes (see `src/need.rs`), computed here once
//! rather than on every run, and the checkers of most as whole DFAs; and writes the
//! license index that identification loads, with the character classes of askalono's
//! text normalization (`src/askalono.rs`).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
use std::{env, fs, path::Path};

use toml::Spanned;

#[allow(dead_code)]
#[path = "src/need.rs"]
mod need;

#[allow(dead_code)]
#[path = "src/bigrams.rs"]
mod bigrams;

#[allow(dead_code)]
#[path = "src/askalono.rs"]
mod askalono;

#[allow(dead_code)]
#[path = "src/defs.rs"]
mod defs;

#[allow(dead_code)]
#[path = "src/normalize.rs"]
mod normalize;
use defs::{FileDef, RuleDef};

/// Rust code for a spanned string.
fn spanned(s: &Spanned<String>) -> String {
    let r = s.span();
    format!("s({}, {}, {:?})", r.start, r.end, s.get_ref())
}

fn spanned_list(v: &[Spanned<String>]) -> String {
    let items: Vec<String> = v.iter().map(spanned).collect();
    format!("vec![{}]", items.join(", "))
}

/// Rust code for a list of spanned texts, borrowed from the binary.
fn text_list(v: &[Spanned<defs::Text>]) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|s| {
            let r = s.span();
            format!("t({}, {}, {:?})", r.start, r.end, s.get_ref())
        })
        .collect();
    format!("vec![{}]", items.join(", "))
}

/// `ids` gives the literal table's index of a normalized trigger.
fn rule_code(r: &RuleDef, ids: &mut dyn FnMut(&[u8]) -> usize) -> String {
    let normalized: Vec<String> = r.triggers.get_ref().iter().map(|t| normalize::normalize(t).text).collect();
    let (osd, triggers) = (r.osd.span(), r.triggers.span());
    format!(
        "RuleDef {{ id: {}, osd: Spanned::new({}..{}, vec!{:?}), severity: Severity::{:?}, message: {}, label: {:?}.into(), \
         fact_label: {}, generic: {}, why: {:?}.into(), help: {:?}.into(), explain: {}, triggers: Spanned::new({}..{}, vec![{}]), \
         normalized: Some(vec![{}]), trigger_ids: Some(&[{}]), regexes: {}, warn: {}, unless: {}, guards: {}, tests: TestsDef {{ matches: {}, no_match: {} }} }}",
        spanned(&r.id),
        osd.start,
        osd.end,
        r.osd.get_ref(),
        r.severity,
        spanned(&r.message),
        r.label,
        r.fact_label.as_ref().map_or("None".to_string(), |l| format!("Some({l:?}.into())")),
        r.generic,
        r.why,
        r.help,
        spanned(&r.explain),
        triggers.start,
        triggers.end,
        r.triggers.get_ref().iter().map(|t| format!("{t:?}.into()")).collect::<Vec<_>>().join(", "),
        normalized.iter().map(|t| format!("{t:?}.into()")).collect::<Vec<_>>().join(", "),
        normalized.iter().filter(|t| !t.is_empty()).map(|t| ids(t.as_bytes()).to_string()).collect::<Vec<_>>().join(", "),
        text_list(&r.regexes),
        text_list(&r.warn),
        text_list(&r.unless),
        spanned_list(&r.guards),
        text_list(&r.tests.matches),
        text_list(&r.tests.no_match),
    )
}

/// A function that builds the parsed pattern file, as Rust code: what `toml::from_str`
/// gives the binary, without the parsing.
fn file_code(name: &str, def: &FileDef, ids: &mut dyn FnMut(&[u8]) -> usize) -> String {
    let guards: Vec<String> = def
        .guard
        .iter()
        .map(|g| format!("GuardDef {{ id: {}, description: {:?}.into(), regexes: {}, unless: {}, late: {} }}", spanned(&g.id), g.description, text_list(&g.regexes), text_list(&g.unless), g.late))
        .collect();
    let rules: Vec<String> = def.rule.iter().map(|r| rule_code(r, ids)).collect();
    format!(
        "fn {name}() -> FileDef {{\n    FileDef {{\n        fragments: Default::default(),\n        guard: vec![{}],\n        rule: vec![\n            {}\n        ],\n    }}\n}}\n",
        guards.join(", "),
        rules.join(",\n            ")
    )
}

/// A byte string as a Rust literal.
fn byte_string(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &c in bytes {
        if c.is_ascii_alphanumeric() || c == b' ' {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("\\x{c:02x}"));
        }
    }
    out.push('"');
    out
}

/// `(start, end, encoded condition, encoded syntax tree, encoded loosened tree, whether
/// loosening changed only capture groups, whether the condition has a key)` of each regex of a pattern
/// file, as Rust source. A file that does not parse gets none, and a regex that does not
/// parse an empty tree: the binary then reports the error at run time.
fn needs(def: Option<&FileDef>, table: &mut need::LiteralTable, keys: &mut Vec<(usize, usize)>, index: &mut usize, dfas: &mut Vec<u8>) -> Result<String, String> {
    let mut out = String::from("&[");
    let Some(def) = def else { return Ok("&[]".into()) };
    let regexes = def
        .guard
        .iter()
        .flat_map(|g| g.regexes.iter().chain(&g.unless))
        .chain(def.rule.iter().flat_map(|r| r.regexes.iter().chain(&r.warn).chain(&r.unless)));
    for s in regexes {
        let hir = need::parse(s.get_ref()).ok();
        let n = hir.as_ref().map_or(need::Need::True, need::Need::of);
        let mut need_bytes = Vec::new();
        n.encode_with_table(&mut need_bytes, table);
        // (literal, regex) pairs of the key index; regexes are numbered as RuleSet loads
        // them. The key's literals are the condition's, already in the table.
        let key = n.key(table).map(|(_, k)| k).filter(|k| !k.is_empty());
        let keyed = key.is_some();
        keys.extend(key.into_iter().flatten().map(|l| (l, *index)));
        *index += 1;
        let (mut hir_bytes, mut relaxed, mut exact) = (Vec::new(), Vec::new(), false);
        // Where its checker's whole DFA is in `dfas`, if it is small enough to embed.
        let mut dfa = (0, 0);
        if let Some(h) = &hir {
            need::encode_hir(h, &mut hir_bytes);
            let (loose, is_exact) = need::checker_tree(h);
            exact = is_exact;
            need::encode_hir(&loose, &mut relaxed);
            if let Some(bytes) = need::checker_nfa(&loose).as_ref().and_then(embedded_checker) {
                // Each starts at a multiple of 4, as its transitions are `u32`s.
                dfas.resize(dfas.len().next_multiple_of(4), 0);
                let (Ok(at), Ok(len)) = (u32::try_from(dfas.len()), u32::try_from(bytes.len())) else { return Err("embedded checkers past 4 GB".into()) };
                dfa = (at, len);
                dfas.extend_from_slice(&bytes);
            }
        }
        let span = s.span();
        let (a, b) = (u32::try_from(span.start), u32::try_from(span.end));
        let (Ok(a), Ok(b)) = (a, b) else { return Err("pattern file larger than 4 GB".into()) };
        out.push_str(&format!(
            "({a}, {b}, {}, {}, {}, {exact}, {keyed}, {}, {}),",
            byte_string(&need_bytes),
            byte_string(&hir_bytes),
            byte_string(&relaxed),
            dfa.0,
            dfa.1
        ));
    }
    out.push(']');
    Ok(out)
}

/// The largest checker built here as a whole DFA ([`embedded_checker`]). At 64 KB the
/// binary held 41 MB of checkers; at 128 KB, 74 MB (2,122 of 2,592 regexes' checkers):
/// a corpus run took 7% less time (766 → 715 ms beside each other) for 13 MB more peak
/// memory (146 → 158 MB), and one LICENSE 5.8 → 5.2 ms. At 256 KB, 99 MB of checkers
/// bought 3% more, for 14 MB more.
const EMBEDDED_CHECKER_BYTES: usize = 128 << 10;

/// The checker of `nfa` ([`need::checker_nfa`]) as a whole dense DFA for unanchored
/// searches, minimized and serialized in little-endian order, if it takes at most
/// [`EMBEDDED_CHECKER_BYTES`]; `None` if not, or if it needs a Unicode word boundary
/// (which a whole DFA cannot search). Most checkers a license calls on are this small:
/// the binary reads them in place, and a run neither compiles their NFA nor builds their
/// states one by one as a lazy DFA does. Over the embedded sets the binary grows by
/// about 74 MB; one license costs a fifth fewer instructions (README, "Performance").
fn embedded_checker(nfa: &regex_automata::nfa::thompson::NFA) -> Option<Vec<u8>> {
    use regex_automata::dfa::{dense, StartKind};
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .minimize(true)
                // Minimizing shrinks many to half: determinize up to twice the cap.
                .dfa_size_limit(Some(2 * EMBEDDED_CHECKER_BYTES))
                .determinize_size_limit(Some(4 * EMBEDDED_CHECKER_BYTES)),
        )
        .build_from_nfa(nfa)
        .ok()?;
    let mut bytes = vec![0; dfa.write_to_len()];
    dfa.write_to_little_endian(&mut bytes).ok()?;
    (bytes.len() <= EMBEDDED_CHECKER_BYTES).then_some(bytes)
}

/// The prefilter's words over the literal table, which literals hold each word and
/// where, and the key index (literal -> regexes), as Rust source (see `need::Prefilter`). The first `named` literals are those conditions name.
fn prefilter_code(literals: &[Vec<u8>], named: usize, mut keys: Vec<(usize, usize)>, out_dir: &Path) -> Result<String, String> {
    let (words, holders) = need::by_core(literals.iter().map(Vec::as_slice).enumerate());
    let (mut blob, mut ends) = (Vec::new(), Vec::new());
    for w in &words {
        blob.extend_from_slice(w);
        ends.push(blob.len().to_string());
    }
    let mut holder_starts = vec!["0".to_string()];
    let mut flat = Vec::new();
    for h in &holders {
        flat.extend(h.iter().map(|h| format!("holder({}, {}, {}, {}, {})", h.literal, h.offset, h.len, h.first, h.last)));
        holder_starts.push(flat.len().to_string());
    }
    keys.sort_unstable();
    keys.dedup();
    let mut key_starts = vec!["0".to_string()];
    let mut keyed = Vec::new();
    let mut at = 0;
    for l in 0..literals.len() {
        while let Some(&(_, p)) = keys.get(at).filter(|(kl, _)| *kl == l) {
            keyed.push(p.to_string());
            at += 1;
        }
        key_starts.push(keyed.len().to_string());
    }
    write_automaton(&words, &out_dir.join("prefilter.daac"))?;
    write_automaton(&literals.iter().map(Vec::as_slice).collect::<Vec<_>>(), &out_dir.join("phrases.daac"))?;
    Ok(format!(
        "const fn holder(literal: u32, offset: u32, len: u32, first: u8, last: u8) -> super::need::Holder {{ \
         super::need::Holder {{ literal, offset, len, first, last }} }}\n\
         pub(super) const PREFILTER: super::need::Prefilter = super::need::Prefilter {{ \
         words: super::need::Table {{ bytes: {}, ends: &[{}] }}, holder_starts: &[{}], holders: &[{}], \
         key_starts: &[{}], keyed: &[{}], named: {named} }};\n",
        byte_string(&blob),
        ends.join(", "),
        holder_starts.join(", "),
        flat.join(", "),
        key_starts.join(", "),
        keyed.join(", ")
    ))
}

/// An automaton over `words` (word `i` reports `i`; the empty ones are left out),
/// serialized to `dest` for the binary to load instead of building it on every run;
/// empty when there are no words.
fn write_automaton(words: &[&[u8]], dest: &Path) -> Result<(), String> {
    let bytes = if words.is_empty() {
        Vec::new()
    } else {
        let with_ids = words.iter().enumerate().filter(|(_, w)| !w.is_empty()).map(|(i, &w)| (w, i as u32));
        let automaton: daachorse::DoubleArrayAhoCorasick<u32> = daachorse::DoubleArrayAhoCorasickBuilder::new()
            .use_prefilter(false)
            .build_with_values(with_ids)
            .map_err(|e| format!("prefilter automaton: {e}"))?;
        automaton.serialize()
    };
    fs::write(dest, bytes).map_err(|e| format!("write {}: {e}", dest.display()))
}

/// Licenses outside the OSI-approved set that are worth naming anyway: public-domain
/// dedications, Creative Commons, and the source-available texts that riders and
/// restricted licenses are most often built on.
const EXTRA_LICENSES: &[&str] = &[
    "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0", "WTFPL", "JSON", "BUSL-1.1", "SSPL-1.0", "Elastic-2.0",
    "PolyForm-Noncommercial-1.0.0", "PolyForm-Small-Business-1.0.0", "Hippocratic-2.1",
];

/// The license index `src/identify.rs` uses, cut from askalono's store as the `spdx`
/// crate ships it (about 700 licenses) to the OSI-approved licenses that are not
/// deprecated plus [`EXTRA_LICENSES`], with their standard header notices:
/// - `license_lines.rs`: each text's normalized lines, as `(key, SPDX id, text)`, keyed
///   `ID` or `ID#headerN`;
/// - `license_bigrams.bin`: the texts' word-bigram fingerprints (`src/bigrams.rs`), in the
///   same order, as an index from each bigram hash to the texts that hold it;
/// - `license_grams.bin`: each text's bigrams as askalono counts them (`src/askalono.rs`,
///   from its lines, as `TextData::new` would), one after the other, in the same order.
///
/// A run fingerprints its text and merges it with the index to pick the few licenses worth
/// scoring, then scores those with their askalono bigrams.
fn license_index(out_dir: &Path) -> Result<(), String> {
    use spdx::detection::Store;
    let full = Store::load_inline().map_err(|e| format!("load the spdx crate's license store: {e}"))?;
    let mut ids: Vec<&String> = full.licenses().collect();
    ids.sort();
    let mut lines = String::from("pub(super) const LINES: &[(&str, &str, &str)] = &[\n");
    let mut fingerprints: Vec<Vec<u64>> = Vec::new();
    let mut grams = Vec::new();
    let mut add = |key: &str, id: &str, text: String| -> Result<(), String> {
        fingerprints.push(bigrams::fingerprint(&text));
        askalono::Lines::new(&text).grams().write(&mut grams);
        lines.push_str(&format!("    ({key:?}, {id:?}, {text:?}),\n"));
        Ok(())
    };
    for id in ids {
        let Some(entry) = full.iter().find(|(k, _)| *k == id).map(|(_, e)| e) else { continue };
        let keep = spdx::license_id(id).is_some_and(|l| l.is_osi_approved() && !l.is_deprecated())
            || EXTRA_LICENSES.contains(&id.as_str());
        if keep {
            add(id, id, entry.original.lines().join("\n"))?;
            for (i, h) in entry.headers.iter().enumerate() {
                add(&format!("{id}#header{i}"), id, h.lines().join("\n"))?;
            }
        }
    }
    lines.push_str("];\n");
    let dest = out_dir.join("license_lines.rs");
    fs::write(&dest, lines).map_err(|e| format!("write {}: {e}", dest.display()))?;
    let index = bigrams::index_bytes(&fingerprints).ok_or("the license index is too large to write")?;
    let dest = out_dir.join("license_bigrams.bin");
    fs::write(&dest, index).map_err(|e| format!("write {}: {e}", dest.display()))?;
    let dest = out_dir.join("license_grams.bin");
    fs::write(&dest, grams).map_err(|e| format!("write {}: {e}", dest.display()))
}

/// The character classes of the regexes askalono normalizes texts with, written as the
/// `spdx` crate writes them (`src/askalono.rs` names each bit): the `regex` crate reads
/// them with this same `regex-syntax` (one version in `Cargo.lock`), so a table made from
/// them classes every character exactly as those regexes do, down to the quirks (`\x2044`
/// in a class is `\x20` then `4`, so a `4` counts as horizontal space).
const CHAR_CLASSES: &[&str] = &[
    r"[\w\s\pP]",
    r"[\w\s]",
    r"\s",
    r"(?x)[ \t\p{Zs} \\ / \| \x2044 ]",
    r#"["'\p{Pi}\p{Pf}]"#,
    r"\p{Pd}",
    r"\p{Ps}",
    r"\p{Pe}",
    r"\p{Pc}",
    r"[©Ⓒⓒ]",
    r"\d",
];

/// The bits of [`CHAR_CLASSES`] each character has, bit `i` for class `i`: a table for
/// ASCII and, beyond it, the first code point of each run of characters that share their
/// bits, in order.
fn class_tables() -> Result<char_class::Tables, String> {
    use regex_syntax::hir::{Class, HirKind};
    let mut classes: Vec<Vec<(u32, u32)>> = Vec::new();
    for re in CHAR_CLASSES {
        let hir = regex_syntax::Parser::new().parse(re).map_err(|e| format!("character class {re}: {e}"))?;
        let ranges = match hir.kind() {
            HirKind::Class(Class::Unicode(c)) => c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))).collect(),
            _ => return Err(format!("character class {re}: not a class of characters")),
        };
        classes.push(ranges);
    }
    let bits = |c: u32| -> u16 {
        classes
            .iter()
            .enumerate()
            .filter(|(_, ranges)| ranges.get(ranges.partition_point(|&(_, b)| b < c)).is_some_and(|&(a, _)| a <= c))
            .fold(0, |acc, (i, _)| acc | 1 << i)
    };
    let mut ascii = [0u16; 128];
    for (c, b) in (0..).zip(ascii.iter_mut()) {
        *b = bits(c);
    }
    let mut starts: Vec<u32> = classes.iter().flatten().flat_map(|&(a, b)| [a, b + 1]).filter(|&c| c > 128).collect();
    starts.push(128);
    starts.sort_unstable();
    starts.dedup();
    let mut runs: Vec<(u32, u16)> = Vec::new();
    for c in starts {
        let b = bits(c);
        if runs.last().is_none_or(|&(_, last)| last != b) {
            runs.push((c, b));
        }
    }
    Ok((ascii, runs))
}

/// The class tables for `src/askalono.rs`: written to `char_classes.rs` for the library,
/// and kept here for this script's own use of it.
mod char_class {
    use std::sync::OnceLock;

    /// The ASCII table and the runs beyond.
    pub type Tables = ([u16; 128], Vec<(u32, u16)>);

    pub static TABLES: OnceLock<Tables> = OnceLock::new();

    pub fn ascii() -> &'static [u16; 128] {
        TABLES.get().map_or(&[0; 128], |t| &t.0)
    }

    pub fn runs() -> &'static [(u32, u16)] {
        TABLES.get().map_or(&[], |t| &t.1)
    }
}

/// `char_classes.rs`: [`class_tables`], for `src/char_class.rs`.
fn char_classes(out_dir: &Path) -> Result<(), String> {
    let (ascii, runs) = class_tables()?;
    let mut out = String::from("pub(super) static ASCII_CLASSES: [u16; 128] = [");
    for b in ascii {
        out.push_str(&format!("{b},"));
    }
    out.push_str("];\npub(super) static CLASS_RUNS: &[(u32, u16)] = &[");
    for (c, b) in &runs {
        out.push_str(&format!("({c},{b}),"));
    }
    out.push_str("];\n");
    char_class::TABLES.set((ascii, runs)).map_err(|_| "class tables set twice")?;
    let dest = out_dir.join("char_classes.rs");
    fs::write(&dest, out).map_err(|e| format!("write {}: {e}", dest.display()))
}

/// Errors end the build, with what was being done when they happened.
fn main() -> Result<(), String> {
    let dir = Path::new("patterns");
    println!("cargo:rerun-if-changed=patterns");
    println!("cargo:rerun-if-changed=src/need.rs");
    println!("cargo:rerun-if-changed=src/bigrams.rs");
    println!("cargo:rerun-if-changed=src/askalono.rs");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("pub(super) const FILES: &[(&str, &str)] = &[\n");
    let mut conds = String::from("pub(super) const NEEDS: &[&[super::Precomputed]] = &[\n");
    let mut defs = String::from("pub(super) const DEFS: &[Option<fn() -> FileDef>] = &[\n");
    let mut code = String::from(
        "use super::defs::{FileDef, GuardDef, RuleDef, Severity, TestsDef};\nuse toml::Spanned;\n\
         fn s(a: usize, b: usize, v: &str) -> Spanned<String> {\n    Spanned::new(a..b, v.to_string())\n}\n\
         fn t(a: usize, b: usize, v: &'static str) -> Spanned<super::defs::Text> {\n    Spanned::new(a..b, v.into())\n}\n",
    );
    // The literals of every embedded regex's condition, in one table (see need.rs).
    let mut table = need::LiteralTable::default();
    let (mut keys, mut index) = (Vec::new(), 0usize);
    // The checkers built ahead ([`embedded_checker`]), one after another.
    let mut dfas = Vec::new();
    // Every rule's triggers, normalized as the binary normalizes them.
    let mut triggers: Vec<Vec<u8>> = Vec::new();
    let mut parsed = Vec::new();
    // The fragments of the files so far (see `defs::Fragments`).
    let mut fragments = defs::Fragments::default();
    for (i, n) in names.iter().enumerate() {
        println!("cargo:rerun-if-changed=patterns/{n}");
        let path = dir.join(n);
        let abs = fs::canonicalize(&path).map_err(|e| format!("pattern file path patterns/{n}: {e}"))?;
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", format!("patterns/{n}"), abs));
        // Read as the binary will see it; a file that is not UTF-8 is reported at run time.
        let text = fs::read(&path).map_err(|e| format!("read patterns/{n}: {e}"))?;
        let text = String::from_utf8(text).ok();
        // A file with a byte-order mark, that does not parse or whose fragments cannot
        // be expanded is left to the binary, which reports the error.
        let def = text.as_deref().filter(|t| !t.starts_with('\u{feff}')).and_then(|t| toml::from_str::<FileDef>(t).ok());
        let def = def.and_then(|mut d| {
            let mut with = fragments.clone();
            with.define(&d.fragments).ok()?;
            defs::expand_file(&with, &mut d).ok()?;
            fragments = with;
            // The binary has them all in one table (`FRAGMENTS`), expanded.
            d.fragments.clear();
            Some(d)
        });
        let needs = needs(def.as_ref(), &mut table, &mut keys, &mut index, &mut dfas)?;
        conds.push_str(&format!("    {needs},\n"));
        for r in def.iter().flat_map(|d| &d.rule) {
            triggers.extend(r.triggers.get_ref().iter().map(|t| normalize::normalize(t).text.into_bytes()));
        }
        match def {
            Some(def) => {
                parsed.push((i, def));
                defs.push_str(&format!("    Some(file_{i}),\n"));
            }
            None => defs.push_str("    None,\n"),
        }
    }
    out.push_str("];\n");
    conds.push_str("];\n");
    defs.push_str("];\n");
    out.push_str(&conds);
    // The triggers join the table after the literals conditions name, so that the
    // prefilter's words are all known here.
    let named = table.literals.len();
    for t in triggers.iter().filter(|t| !t.is_empty()) {
        table.index(t);
    }
    for (i, def) in &parsed {
        code.push_str(&file_code(&format!("file_{i}"), def, &mut |t| table.index(t)));
    }
    let mut ends = Vec::new();
    let mut blob = Vec::new();
    for l in &table.literals {
        blob.extend_from_slice(l);
        ends.push(blob.len().to_string());
    }
    out.push_str(&format!(
        "pub(super) const LITERALS: super::need::Table = super::need::Table {{ bytes: {}, ends: &[{}] }};\n",
        byte_string(&blob),
        ends.join(", ")
    ));
    let out_dir = env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    out.push_str(&prefilter_code(&table.literals, named, keys, Path::new(&out_dir))?);
    out.push_str(&defs);
    let table: Vec<String> = fragments.defined().iter().map(|(k, v)| format!("({k:?}, {v:?})")).collect();
    out.push_str(&format!("pub(super) const FRAGMENTS: &[(&str, &str)] = &[{}];\n", table.join(", ")));
    out.push_str(&code);
    let dest = Path::new(&out_dir).join("checkers.bin");
    fs::write(&dest, &dfas).map_err(|e| format!("write {}: {e}", dest.display()))?;
    let dest = Path::new(&out_dir).join("embedded_patterns.rs");
    fs::write(&dest, out).map_err(|e| format!("write {}: {e}", dest.display()))?;
    char_classes(Path::new(&out_dir))?;
    license_index(Path::new(&out_dir))
}
