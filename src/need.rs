//! Literal conditions of rule regexes, and the parsing they are computed from.
//!
//! Self-contained (it depends on `regex-syntax` and `regex-automata` only), so that
//! `build.rs` includes it too and computes the conditions of the embedded pattern sets
//! at build time; the binary then only decodes them (see [`Need::encode`]).

/// Rewrite `\b` and `\B` to their ASCII forms. A Unicode word boundary pushes the regex
/// engine off its DFA on any non-ASCII text, which costs two orders of magnitude; the
/// normalized text's words are what ASCII boundaries see well enough.
pub(crate) fn ascii_boundaries(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 8);
    let mut chars = src.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str(r"(?-u:\b)"),
                Some('B') => out.push_str(r"(?-u:\B)"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}


/// A checker turns a bounded repetition with a larger upper bound than this into an
/// unbounded one ([`relax`]). Even short counts such as `(?:\w+ ){0,4}` multiply a lazy
/// DFA's states; loosening them too cost every tenth corpus text 4% fewer instructions
/// than loosening only counts above 8 (3 and 1 did about as well as 2).
pub const RELAX_ABOVE: u32 = 2;

/// A looser regex that matches wherever `hir` does: bounded repetitions with an upper
/// bound above `above` become unbounded (`.{0,600}` becomes `.*`, `x{2,40}` becomes
/// `x*`), and capture groups go. A gap of hundreds of counted steps compiles to hundreds
/// of NFA states and makes nearly every byte of a sentence a new lazy-DFA state; the
/// loosened regex compiles and searches in a fraction of that. It can say yes where the
/// rule does not match (a gap that is too long), never no where it does.
pub fn relax(hir: &regex_syntax::hir::Hir, above: u32) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    match hir.kind() {
        HirKind::Repetition(r) => {
            let sub = Box::new(relax(&r.sub, above));
            match r.max {
                Some(max) if max > above => Hir::repetition(Repetition { min: 0, max: None, greedy: true, sub }),
                _ => Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub }),
            }
        }
        HirKind::Capture(c) => relax(&c.sub, above),
        HirKind::Concat(v) => Hir::concat(v.iter().map(|h| relax(h, above)).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(|h| relax(h, above)).collect()),
        _ => hir.clone(),
    }
}

/// The tree a checker is built from, and whether the checker is exact (its "yes" is the
/// regex's): the loosened regex ([`relax`]), simplified for a yes-or-no search of a
/// sentence ([`for_match`]).
pub fn checker_tree(hir: &regex_syntax::hir::Hir) -> (regex_syntax::hir::Hir, bool) {
    let loose = relax(hir, RELAX_ABOVE);
    let exact = loose == relax(hir, u32::MAX);
    let (wide, widened) = widen(&loose);
    (for_match(&wide), exact && !widened)
}

/// Largest compiled program a pattern may build (a checker's NFA here, the full regex's
/// in `rules.rs`), so a hostile set fails fast.
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// The forward NFA a checker is built from: the checker tree ([`checker_tree`]) over
/// bytes, without capture groups. `None` past [`REGEX_SIZE_LIMIT`].
pub fn checker_nfa(tree: &regex_syntax::hir::Hir) -> Option<regex_automata::nfa::thompson::NFA> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .utf8(false)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(tree)
        .ok()
}

/// Whether every match of `hir` begins where a match of its checker tree
/// ([`checker_tree`]) begins. Loosening and widening only add matches, and [`for_match`]
/// keeps where matches begin unless it drops a sequence's leading parts that can match
/// nothing (`(?:\w+ ){0,3}may not` is checked as `may not`), or the whole tree. Read off
/// the tree as it is, without building the checker's (which cost as much as compiling
/// the regex).
pub fn checker_keeps_starts(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    // The first part of the sequence the tree is, sequences inside it flattened, as
    // `simplify` flattens them.
    let mut first = hir;
    loop {
        match first.kind() {
            HirKind::Capture(c) => first = &c.sub,
            HirKind::Concat(v) => match v.first() {
                Some(h) => first = h,
                None => return false,
            },
            _ => break,
        }
    }
    !nullable_loosened(first) && !nullable_loosened(hir)
}

/// [`nullable`] of the tree [`relax`] makes of `hir`: a repetition it loosens can
/// match nothing.
fn nullable_loosened(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Repetition(r) => r.min == 0 || r.max.is_some_and(|m| m > RELAX_ABOVE) || nullable_loosened(&r.sub),
        HirKind::Capture(c) => nullable_loosened(&c.sub),
        HirKind::Alternation(v) => v.iter().any(nullable_loosened),
        HirKind::Concat(v) => v.iter().all(nullable_loosened),
        HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// [`checker_keeps_starts`] the long way, from the checker's tree as it is built.
#[cfg(test)]
pub(crate) fn checker_keeps_starts_built(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    let (wide, _) = widen(&relax(hir, RELAX_ABOVE));
    let inner = simplify(&wide);
    match inner.kind() {
        HirKind::Concat(v) => !v.first().is_some_and(nullable),
        _ => !nullable(&inner),
    }
}

/// A looser regex: each large Unicode class (what [`utf8_bytes`] keeps, such as Unicode
/// `\w`) becomes its ASCII part or any non-ASCII character; and whether there was one.
/// The UTF-8 automaton of such a class is hundreds of NFA states with wide sparse
/// transitions, which every lazy-DFA state that holds it must step through.
fn widen(hir: &regex_syntax::hir::Hir) -> (regex_syntax::hir::Hir, bool) {
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, HirKind, Repetition};
    match hir.kind() {
        // (An alternation of ASCII letters becomes a Unicode class of them: it stays.)
        HirKind::Class(Class::Unicode(c)) if c.ranges().iter().any(|r| u32::from(r.end()) >= 0x80) => {
            let ascii: Vec<ClassBytesRange> = c
                .ranges()
                .iter()
                .filter(|r| u32::from(r.start()) < 0x80)
                .map(|r| ClassBytesRange::new(r.start() as u8, u32::from(r.end()).min(0x7f) as u8))
                .collect();
            let mut alts = vec![Hir::class(Class::Bytes(ClassBytes::new(ascii)))];
            alts.extend(multibyte_sequences());
            (Hir::alternation(alts), true)
        }
        HirKind::Repetition(r) => {
            let (sub, w) = widen(&r.sub);
            (Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub: Box::new(sub) }), w)
        }
        HirKind::Capture(c) => widen(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => {
            let (parts, w): (Vec<Hir>, Vec<bool>) = v.iter().map(widen).unzip();
            let h = if matches!(hir.kind(), HirKind::Concat(_)) { Hir::concat(parts) } else { Hir::alternation(parts) };
            (h, w.contains(&true))
        }
        _ => (hir.clone(), false),
    }
}

/// A smaller regex that matches somewhere in a text without a line feed exactly when
/// `hir` does (where it matches may differ). Checkers only ask whether a sentence
/// matches, and sentences are flattened to one line, so:
/// - an alternation with a branch that matches any run of bytes (`.*`, which a loosened
///   `.{0,700}?` is) is that branch: every other branch's match is such a run;
/// - next to a `.*` in a sequence, a part that can match nothing unconditionally
///   (`(?:\w+ )*`, `[^.]*`, `x?`) adds no match, and neither does a second `.*`;
/// - a sequence's leading and trailing parts of that kind add no match either: an
///   unanchored search finds the rest where the whole matched.
///
/// The lazy DFA of the unsimplified form tracks every branch beside the `.*` at once; the
/// sets of positions it builds states for are what made prohibition-list rules the most
/// expensive checkers (a new state for nearly every byte searched).
pub fn for_match(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind};
    let inner = simplify(hir);
    match inner.kind() {
        HirKind::Concat(v) => {
            let (mut start, mut end) = (0, v.len());
            while start < end && v.get(start).is_some_and(nullable) {
                start += 1;
            }
            while end > start && v.get(end - 1).is_some_and(nullable) {
                end -= 1;
            }
            // All of it nullable: it matches the empty string anywhere, as the tree does.
            if start == end {
                return Hir::empty();
            }
            Hir::concat(v.get(start..end).unwrap_or_default().to_vec())
        }
        _ if nullable(&inner) => Hir::empty(),
        _ => inner,
    }
}

/// [`for_match`]'s rewrite inside the tree: what holds at any position, not only at the
/// ends.
fn simplify(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    match hir.kind() {
        HirKind::Repetition(r) => {
            let sub = Box::new(simplify(&r.sub));
            Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub })
        }
        HirKind::Capture(c) => simplify(&c.sub),
        HirKind::Alternation(v) => {
            let v: Vec<Hir> = v.iter().map(simplify).collect();
            match v.iter().find(|h| any_run(h)) {
                Some(run) => run.clone(),
                None => Hir::alternation(v),
            }
        }
        HirKind::Concat(v) => {
            let mut parts: Vec<Hir> = Vec::with_capacity(v.len());
            for h in v.iter().map(simplify) {
                // Flatten, so that neighbours inside a nested sequence meet.
                let pieces = match h.kind() {
                    HirKind::Concat(inner) => inner.clone(),
                    _ => vec![h],
                };
                for h in pieces {
                    if any_run(&h) {
                        // A `.*` swallows the nullable parts before it.
                        while parts.last().is_some_and(|p| nullable(p) && !any_run(p)) {
                            parts.pop();
                        }
                        if parts.last().is_some_and(any_run) {
                            continue;
                        }
                    } else if nullable(&h) && parts.last().is_some_and(any_run) {
                        continue;
                    }
                    parts.push(h);
                }
            }
            Hir::concat(parts)
        }
        _ => hir.clone(),
    }
}

/// Whether `hir` can match the empty string whatever surrounds it (no assertion
/// involved): a `x*`, a `x?`, an alternation with such a branch.
fn nullable(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Repetition(r) => r.min == 0 || nullable(&r.sub),
        HirKind::Capture(c) => nullable(&c.sub),
        HirKind::Alternation(v) => v.iter().any(nullable),
        HirKind::Concat(v) => v.iter().all(nullable),
        HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// Whether `hir` is `x*` for an `x` that matches any character but perhaps the line feed
/// (a byte class, or [`utf8_bytes`]'s four-branch form of `.`): it then matches any run
/// of a one-line text.
fn any_run(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    let HirKind::Repetition(r) = hir.kind() else { return false };
    r.min == 0 && r.max.is_none() && any_char(&r.sub)
}

/// Whether `hir` matches any one character but perhaps the line feed: a class of every
/// byte, or every ASCII byte and every multi-byte UTF-8 sequence as [`utf8_bytes`] writes
/// them.
fn any_char(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, Hir, HirKind};
    // The bytes of a class: whether it covers `all` of them, maybe but for the line feed.
    let covers = |h: &Hir, all: usize| {
        let HirKind::Class(Class::Bytes(c)) = h.kind() else { return false };
        // Ranges are sorted and do not touch, so count the bytes they cover.
        let covered: usize = c.ranges().iter().map(|r| usize::from(r.end() - r.start()) + 1).sum();
        let has_feed = c.ranges().iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end());
        let in_range = c.ranges().iter().all(|r| usize::from(r.end()) < all);
        in_range && (covered == all || (covered == all - 1 && !has_feed))
    };
    if covers(hir, 256) {
        return true;
    }
    let HirKind::Alternation(v) = hir.kind() else { return false };
    matches!(v.as_slice(), [ascii, rest @ ..] if covers(ascii, 128) && rest == multibyte_sequences().as_slice())
}

/// Whether the ASCII part of a class (`ranges`) is letters, and perhaps digits and the
/// underscore: every ASCII lower-case letter, and nothing that is not a word character.
fn is_letter_class(ranges: &[regex_syntax::hir::ClassBytesRange]) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let has = |b: u8| ranges.iter().any(|r| r.start() <= b && b <= r.end());
    ranges.iter().all(|r| (r.start()..=r.end()).all(word)) && (b'a'..=b'z').all(has)
}

/// Every UTF-8 sequence of two, three and four bytes, loosely (lead byte, then
/// continuation bytes): what [`utf8_bytes`] writes for "any non-ASCII character".
fn multibyte_sequences() -> [regex_syntax::hir::Hir; 3] {
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir};
    let byte = |a: u8, b: u8| Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(a, b)])));
    let cont = || byte(0x80, 0xbf);
    [
        Hir::concat(vec![byte(0xc2, 0xdf), cont()]),
        Hir::concat(vec![byte(0xe0, 0xef), cont(), cont()]),
        Hir::concat(vec![byte(0xf0, 0xf4), cont(), cont(), cont()]),
    ]
}

/// Why a regex did not compile.
#[derive(Debug)]
pub struct CompileError(pub String);

/// Parse a rule regex the way it is compiled. Rules match normalized text, which is lower
/// case, so the regex runs over bytes with Unicode classes off: `.` is one byte and `\w` is
/// ASCII, which keeps a bounded gap like `.{0,300}` a few hundred states instead of
/// thousands, and every search on the DFA. A regex that needs Unicode (a class with a
/// non-ASCII character, `\p{..}`) is parsed with Unicode on instead. Non-ASCII literals
/// work either way.
pub(crate) fn parse(src: &str) -> Result<regex_syntax::hir::Hir, CompileError> {
    use regex_automata::util::syntax;
    let src = ascii_boundaries(src);
    let parse =
        |unicode: bool| syntax::parse_with(&src, &syntax::Config::new().unicode(unicode).utf8(false)).map_err(Box::new);
    match parse(false) {
        Ok(h) => Ok(h),
        Err(_) => parse(true)
            .map(|h| utf8_bytes(&h).unwrap_or(h))
            .map_err(|e| CompileError(format!("invalid regex:\n{e}"))),
    }
}

/// The same regex over bytes: each Unicode class becomes the UTF-8 byte sequences of its
/// characters. The texts are valid UTF-8, so it matches where the Unicode regex does; but
/// a class of "any character but a few ASCII ones" (`.`, `[^.;]`) becomes a loose
/// four-branch byte pattern instead of a full UTF-8 automaton, and where it is a counted
/// gap (`.{0,600}`, `[^)]{0,40}`), a class of any byte but those ASCII ones, as in a regex
/// parsed without Unicode: such a gap counts bytes, as every other rule's does, and
/// compiles to 600 NFA states rather than thousands (the nine largest rules, which need
/// Unicode only for a `•`, were about 24,000 states each). A large class of letters (`\w`)
/// becomes its ASCII part and any byte that is not ASCII ([`is_letter_class`]). `None`
/// when a Unicode word boundary makes the rewrite unsafe.
fn utf8_bytes(h: &regex_syntax::hir::Hir) -> Option<regex_syntax::hir::Hir> {
    bytes_of(h, false)
}

/// A counted repetition with a larger bound than this is a gap ([`utf8_bytes`]).
const GAP_ABOVE: u32 = 8;

/// [`utf8_bytes`]; `gap` when `h` is what a counted gap repeats.
fn bytes_of(h: &regex_syntax::hir::Hir, gap: bool) -> Option<regex_syntax::hir::Hir> {
    use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look, Repetition};
    Some(match h.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0.clone()),
        HirKind::Look(l) => match l {
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode => return None,
            l => Hir::look(*l),
        },
        HirKind::Class(Class::Bytes(c)) => Hir::class(Class::Bytes(c.clone())),
        HirKind::Class(Class::Unicode(c)) => {
            let mut ascii = Vec::new();
            let mut wide: Vec<(u32, u32)> = Vec::new();
            for r in c.ranges() {
                let (a, b) = (r.start() as u32, r.end() as u32);
                if a < 0x80 {
                    ascii.push(ClassBytesRange::new(a as u8, b.min(0x7f) as u8));
                }
                if b >= 0x80 {
                    wide.push((a.max(0x80), b));
                }
            }
            // Every non-ASCII scalar value (surrogates cannot occur in UTF-8 text).
            let all_wide = wide.iter().all(|&(a, _)| a <= 0x80 || (0xd800..=0xe000).contains(&a))
                && wide.iter().any(|&(a, _)| a == 0x80)
                && wide.iter().any(|&(_, b)| b == 0x10ffff)
                && wide.iter().zip(wide.iter().skip(1)).all(|(&(_, b0), &(a1, _))| b0 + 1 == a1 || (b0 + 1 >= 0xd800 && a1 <= 0xe000));
            let count: u32 = wide.iter().map(|&(a, b)| b - a + 1).sum();
            // Any byte but the ASCII ones left out, one NFA state: for a counted gap, and
            // for a large class of letters (Unicode `\w`, `\p{L}`), as the checkers read
            // it ([`widen`]); its UTF-8 automaton is hundreds of NFA states (`\w{1,4}`
            // alone was a thousand), and a rule reads non-ASCII text through it only as
            // words.
            if (all_wide && gap) || (!all_wide && count > 16 && is_letter_class(&ascii)) {
                ascii.push(ClassBytesRange::new(0x80, 0xff));
                return Some(Hir::class(Class::Bytes(ClassBytes::new(ascii))));
            }
            let mut alts = Vec::new();
            if !ascii.is_empty() {
                alts.push(Hir::class(Class::Bytes(ClassBytes::new(ascii))));
            }
            if all_wide {
                alts.extend(multibyte_sequences());
            } else if count <= 16 {
                for &(a, b) in &wide {
                    for ch in (a..=b).filter_map(char::from_u32) {
                        alts.push(Hir::literal(ch.to_string().into_bytes()));
                    }
                }
            } else {
                // Another large class (Unicode `\d`) stays as it is: the NFA compiler
                // builds its UTF-8 automaton more compactly than an alternation would be.
                return Some(Hir::class(Class::Unicode(c.clone())));
            }
            if alts.is_empty() {
                // A class that matches nothing.
                Hir::class(Class::Bytes(ClassBytes::empty()))
            } else {
                Hir::alternation(alts)
            }
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(bytes_of(&r.sub, r.max.is_some_and(|m| m > GAP_ABOVE))?),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(utf8_bytes(&c.sub)?),
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(utf8_bytes).collect::<Option<_>>()?),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(utf8_bytes).collect::<Option<_>>()?),
    })
}

/// A condition on literal strings that holds wherever a regex matches: each literal in
/// it must occur inside the searched text for the regex to have any chance. The engine
/// finds every rule literal in one Aho-Corasick pass and runs a regex only on sentences
/// that satisfy its condition, which skips most searches without changing any match.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// Nothing known: always run the regex.
    True,
    /// Borrowed from the binary for an embedded rule (see [`Need::decode`]).
    Lit(std::borrow::Cow<'static, [u8]>),
    Any(Vec<Need>),
    /// Each part must hold, in this order: each part's literals start at or after
    /// the end of the literals that satisfied the part before it. The parts of a
    /// concatenation match consecutive pieces of the text, so the order holds wherever
    /// the regex matches; it turns down the sentences that hold a rule's words in
    /// another order ("use ... not" where the rule wants "not ... use").
    Seq(Vec<Need>),
    /// The condition holds with literals that end at most this many bytes into the
    /// text: the pieces of a regex anchored with `^` that come before them can match at
    /// most that much.
    Near(usize, Box<Need>),
    /// Inside a [`Need::Seq`]: the part's literals start at most this many bytes after
    /// the end of the literals that satisfied the part before it (the pieces of the
    /// regex between them can match at most that much).
    Gap(usize, Box<Need>),
}

/// The part of a literal the prefilter looks for: its longest word (a run of ASCII letters
/// and digits, or of non-ASCII bytes), or the whole literal when no word is three bytes
/// long. Every occurrence of the literal holds its core at the same offset, so finding
/// the cores and checking the bytes around them finds every literal.
pub fn core(lit: &[u8]) -> std::ops::Range<usize> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let mut best = 0..0;
    let mut i = 0;
    while i < lit.len() {
        let start = i;
        while lit.get(i).is_some_and(|&b| word(b)) {
            i += 1;
        }
        if i - start > best.len() {
            best = start..i;
        }
        i += 1;
    }
    if best.len() < 3 {
        0..lit.len()
    } else {
        best
    }
}

/// A literal that holds a prefilter word: its id, where the word starts in it, and what a
/// text must have at the literal's ends (its length, first and last byte) for the literal
/// to be worth comparing whole, checked without reading the literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    pub literal: u32,
    pub offset: u32,
    pub len: u32,
    pub first: u8,
    pub last: u8,
}

impl Holder {
    /// Literal `literal`, `lit`, holding a word at `offset`.
    pub fn new(literal: u32, offset: u32, lit: &[u8]) -> Holder {
        let (first, last) = (lit.first().copied().unwrap_or(0), lit.last().copied().unwrap_or(0));
        Holder { literal, offset, len: lit.len() as u32, first, last }
    }
}

/// The literals that hold a prefilter word.
pub type Holders = Vec<Holder>;

/// Literals grouped by their [`core`] words: the distinct words, in the order first met,
/// and for each the literals holding it (by the ids given) with the word's offset in them.
pub fn by_core<'a>(literals: impl Iterator<Item = (usize, &'a [u8])>) -> (Vec<&'a [u8]>, Vec<Holders>) {
    let mut words: Vec<&[u8]> = Vec::new();
    let mut ids = std::collections::HashMap::new();
    let mut holders: Vec<Holders> = Vec::new();
    for (li, lit) in literals {
        let at = core(lit);
        let word = lit.get(at.clone()).unwrap_or(lit);
        let wi = *ids.entry(word).or_insert_with(|| {
            words.push(word);
            holders.push(Vec::new());
            words.len() - 1
        });
        // `wi` was handed out just above or earlier, so its slot exists.
        if let Some(h) = holders.get_mut(wi) {
            h.push(Holder::new(li as u32, at.start as u32, lit));
        }
    }
    (words, holders)
}

/// One byte off the front of `bytes`.
fn read_byte(bytes: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = bytes.split_first()?;
    *bytes = rest;
    Some(b)
}

/// A number as LEB128: seven bits a byte, low bits first, the top bit set on all but
/// the last byte. The encodings of conditions and syntax trees write their numbers so.
fn write_num(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Read back a number [`write_num`] wrote, advancing `bytes` past it.
fn read_num(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = read_byte(bytes)?;
        n |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Literals weaker than this (see [`weight`]) are too common to be worth looking for.
/// Two-letter words ("uk", "eu", "ai") stay in: a condition that drops one of its
/// choices drops them all. Measured: every tenth corpus text 2.997 G instructions at 3,
/// 2.965 G at 2, 3.129 G at 1; one LICENSE 144 M, 129 M, 130 M.
const MIN_WEIGHT: usize = 2;
/// A condition keeps at most this many of the literal sets a regex needs together, the
/// strongest: one or two selective ones turn down nearly every sentence, and each literal
/// kept costs prefilter matches.
const MAX_ALL: usize = 5;

/// Words too common in license texts to tell sentences apart.
const COMMON: &[&str] = &[
    "the", "of", "or", "to", "in", "is", "on", "at", "by", "as", "an", "and", "any", "you", "this", "that", "with",
    "for", "are", "but", "our", "his", "ing", "its", "from", "such", "all", "be", "your", "which", "have", "has",
    "than", "into", "these", "those", "other", "each", "was", "were", "their", "they", "them", "it", "if", "no",
];

/// How much a literal tells: its letters and digits, and three for a symbol beyond
/// ASCII (a bullet, `§`, `€`: rare in license texts, and where they occur they mark a
/// list or a sum); none for a common word alone.
fn weight(lit: &[u8]) -> usize {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b >= 0x80;
    let start = lit.iter().position(word).unwrap_or(lit.len());
    let end = lit.iter().rposition(word).map_or(start, |i| i + 1);
    // `start <= end <= lit.len()`: both come from the same search for word bytes.
    let core = lit.get(start..end).unwrap_or_default();
    if COMMON.iter().any(|w| w.as_bytes() == core) {
        return 0;
    }
    match std::str::from_utf8(core) {
        Ok(text) => text
            .chars()
            .map(|c| match c {
                c if c.is_ascii_alphanumeric() => 1,
                c if c.is_ascii() || c.is_alphanumeric() => usize::from(!c.is_ascii()),
                _ => 3,
            })
            .sum(),
        // A piece of a character: count characters by their first bytes.
        Err(_) => core.iter().filter(|&&b| b.is_ascii_alphanumeric() || b >= 0xc0).count(),
    }
}

/// Largest set of alternative strings tracked for one piece of a regex.
const MAX_SET: usize = 16;

impl Need {
    /// How selective the condition is: the weight of its weakest literal that must
    /// occur.
    fn strength(&self) -> usize {
        match self {
            Need::True => 0,
            Need::Lit(l) => weight(l),
            Need::Any(v) => v.iter().map(Need::strength).min().unwrap_or(0),
            Need::Seq(v) => v.iter().map(Need::strength).max().unwrap_or(0),
            // Much stronger than the literal alone: it must also be near the start.
            Need::Near(_, n) => n.strength() * 4,
            Need::Gap(_, n) => n.strength(),
        }
    }

    /// The parts of a concatenation, in order ([`Need::Seq`]), each with the most bytes
    /// that can separate its literals from the part before it ([`Need::Gap`]). A nested
    /// concatenation's parts are consecutive in this one. Only the [`MAX_ALL`] strongest
    /// parts are kept, in their order, and a part after one that was dropped loses its
    /// gap: dropping parts and bounds only widens the condition, so it stays true
    /// wherever the regex matches.
    fn seq(parts: Vec<(Need, Option<usize>)>) -> Need {
        let mut out: Vec<(Need, Option<usize>)> = Vec::new();
        for (p, gap) in parts {
            match p {
                Need::True => {}
                Need::Seq(v) => {
                    for (k, e) in v.into_iter().enumerate() {
                        match e {
                            e if k == 0 => out.push((e, gap)),
                            Need::Gap(g, e) => out.push((*e, Some(g))),
                            e => out.push((e, None)),
                        }
                    }
                }
                p => out.push((p, gap)),
            }
        }
        let mut keep = vec![true; out.len()];
        if out.len() > MAX_ALL {
            let mut by_strength: Vec<usize> = (0..out.len()).collect();
            by_strength.sort_by_cached_key(|&i| std::cmp::Reverse(out.get(i).map_or(0, |(n, _)| n.strength())));
            keep = vec![false; out.len()];
            for &i in by_strength.iter().take(MAX_ALL) {
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
        }
        let mut v = Vec::new();
        let mut previous_kept = false;
        for ((n, gap), kept) in out.into_iter().zip(keep) {
            if kept {
                v.push(match gap {
                    Some(g) if previous_kept => Need::Gap(g, Box::new(n)),
                    _ => n,
                });
            }
            previous_kept = kept;
        }
        match v.len() {
            0 => Need::True,
            1 => match v.pop() {
                Some(Need::Gap(_, n)) => *n,
                n => n.unwrap_or(Need::True),
            },
            _ => Need::Seq(v),
        }
    }

    fn any(parts: Vec<Need>) -> Need {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Need::True => return Need::True,
                Need::Any(v) => out.extend(v),
                p => {
                    if !out.contains(&p) {
                        out.push(p)
                    }
                }
            }
        }
        match out.len() {
            0 => Need::True,
            1 => out.pop().unwrap_or(Need::True),
            _ => Need::Any(out),
        }
    }

    /// One of these strings must occur.
    fn of_set(set: &[Vec<u8>]) -> Need {
        if set.is_empty() || set.iter().any(|s| weight(s) < MIN_WEIGHT) {
            return Need::True;
        }
        Need::any(set.iter().map(|s| Need::Lit(s.clone().into())).collect())
    }

    /// The literal condition of a parsed regex.
    pub fn of(hir: &regex_syntax::hir::Hir) -> Need {
        let (exact, need) = need_of(hir);
        match exact {
            Some(set) => Need::of_set(&set),
            None => need,
        }
    }

    /// The condition as bytes, for [`Need::decode`]: a tag (0 true, 1 literal, 2 literal
    /// by its index in a table, 3 any, 4 seq, 5 near, 6 gap), then a literal's length and bytes or a list's length and items, lengths
    /// as LEB128.
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.encode_into(out, None);
    }

    /// [`Need::encode`], writing each literal as its index in `table` (tag 2), added
    /// there if new: `build.rs` gives the embedded sets one table of literals, which
    /// the engine takes over as its first literal ids instead of looking each up.
    pub fn encode_with_table(&self, out: &mut Vec<u8>, table: &mut LiteralTable) {
        self.encode_into(out, Some(table));
    }

    fn encode_into(&self, out: &mut Vec<u8>, mut table: Option<&mut LiteralTable>) {
        match self {
            Need::True => out.push(0),
            Need::Lit(l) => match table {
                Some(t) => {
                    out.push(2);
                    write_num(out, t.index(l) as u64);
                }
                None => {
                    out.push(1);
                    write_num(out, l.len() as u64);
                    out.extend_from_slice(l);
                }
            },
            Need::Any(v) | Need::Seq(v) => {
                out.push(if matches!(self, Need::Any(_)) { 3 } else { 4 });
                write_num(out, v.len() as u64);
                v.iter().for_each(|n| n.encode_into(out, table.as_deref_mut()));
            }
            Need::Near(at, n) | Need::Gap(at, n) => {
                out.push(if matches!(self, Need::Near(..)) { 5 } else { 6 });
                write_num(out, *at as u64);
                n.encode_into(out, table);
            }
        }
    }

    /// Read back one condition written by [`Need::encode`] (or with `table`, by
    /// [`Need::encode_with_table`]), advancing `bytes` past it; `None` if the bytes are
    /// not such a condition. Its literals borrow from `bytes` or the table.
    pub fn decode(bytes: &mut &'static [u8], table: Table) -> Option<Need> {
        struct AsNeed;
        impl Build for AsNeed {
            type Out = Need;
            fn truth(&mut self) -> Need {
                Need::True
            }
            fn lit(&mut self, l: &'static [u8]) -> Need {
                Need::Lit(l.into())
            }
            fn any(&mut self, v: Vec<Need>) -> Need {
                Need::Any(v)
            }
            fn seq(&mut self, v: Vec<Need>) -> Need {
                Need::Seq(v)
            }
            fn near(&mut self, at: usize, n: Need) -> Need {
                Need::Near(at, Box::new(n))
            }
            fn gap(&mut self, at: usize, n: Need) -> Need {
                Need::Gap(at, Box::new(n))
            }
        }
        decode_with(bytes, table, &mut AsNeed)
    }

    /// A set of literals one of which must occur wherever the condition holds (of a
    /// sequence, its part whose literals look rarest: fewest and longest), as indexes
    /// in `table`; `None` when there is none. The engine computes the same of its own
    /// conditions (`Cond::key` in engine.rs); `build.rs` writes the embedded ones' so a
    /// run need not read every condition to index them.
    pub fn key(&self, table: &mut LiteralTable) -> Option<(usize, Vec<usize>)> {
        match self {
            Need::True => None,
            Need::Lit(l) => Some((key_cost(l.len()), vec![table.index(l)])),
            Need::Seq(v) => v.iter().filter_map(|n| n.key(table)).min_by_key(|(cost, _)| *cost),
            Need::Near(_, n) | Need::Gap(_, n) => n.key(table),
            Need::Any(v) => {
                let mut cost = 0;
                let mut all = Vec::new();
                for n in v {
                    let (c, k) = n.key(table)?;
                    cost += c;
                    all.extend(k);
                }
                all.sort_unstable();
                all.dedup();
                Some((cost, all))
            }
        }
    }

    /// Every literal the condition names.
    pub fn literals<'a>(&'a self, out: &mut Vec<&'a [u8]>) {
        match self {
            Need::True => {}
            Need::Lit(l) => out.push(l),
            Need::Any(v) | Need::Seq(v) => v.iter().for_each(|n| n.literals(out)),
            Need::Near(_, n) | Need::Gap(_, n) => n.literals(out),
        }
    }
}

/// How common a literal of `len` bytes is taken to be, in arbitrary units, when a key is
/// chosen ([`Need::key`]): a sentence holds a three-letter word far more often than a
/// phrase of twenty letters, so the cost falls with the cube of the length, and a set of
/// sixteen long phrases makes a better key than four words one of which is "use". (Keys
/// decide only which conditions a sentence evaluates, never what matches.)
pub fn key_cost(len: usize) -> usize {
    let len = len.clamp(1, 64);
    1 + 4096 / (len * len * len)
}

/// The embedded literal table as the binary holds it: every literal's bytes one after
/// another, and where each ends. (A table of slices would cost a relocation per entry
/// when the program loads.)
#[derive(Debug, Clone, Copy, Default)]
pub struct Table {
    pub bytes: &'static [u8],
    pub ends: &'static [u32],
}

impl Table {
    pub fn get(&self, i: usize) -> Option<&'static [u8]> {
        let start = match i.checked_sub(1) {
            Some(j) => *self.ends.get(j)? as usize,
            None => 0,
        };
        self.bytes.get(start..*self.ends.get(i)? as usize)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// What `build.rs` computes once over the embedded literal table, so that a run need
/// not: the prefilter's words (each table literal's [`core`]), which literals hold each
/// word and where, and which regexes each literal is the key of ([`Need::key`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Prefilter {
    pub words: Table,
    /// Word `w`'s holders are `holders[holder_starts[w]..holder_starts[w + 1]]`:
    /// (literal index, offset of the word in it).
    pub holder_starts: &'static [u32],
    pub holders: &'static [Holder],
    /// Literal `l` is the key of regexes `keyed[key_starts[l]..key_starts[l + 1]]`.
    pub key_starts: &'static [u32],
    pub keyed: &'static [u32],
    /// How many literals, from the first, some condition names; the rest are triggers.
    pub named: u32,
}


/// The slice `items[starts[i]..starts[i + 1]]` of a flat index.
pub fn slice_of<T>(starts: &[u32], items: &'static [T], i: usize) -> &'static [T] {
    let at = |i: usize| starts.get(i).map_or(0, |&x| x as usize);
    items.get(at(i)..at(i + 1)).unwrap_or_default()
}

/// Literals in the order they were first met, each once.
#[derive(Default)]
pub struct LiteralTable {
    pub literals: Vec<Vec<u8>>,
    index: std::collections::HashMap<Vec<u8>, usize>,
}

impl LiteralTable {
    /// The index of `l`, added at the end if it is new.
    pub fn index(&mut self, l: &[u8]) -> usize {
        if let Some(&i) = self.index.get(l) {
            return i;
        }
        self.literals.push(l.to_vec());
        self.index.insert(l.to_vec(), self.literals.len() - 1);
        self.literals.len() - 1
    }
}

/// What to make of each node of an encoded condition ([`Need::encode`]), so that a
/// reader can build its own form of it without building a [`Need`] first.
pub trait Build {
    type Out;
    fn truth(&mut self) -> Self::Out;
    fn lit(&mut self, l: &'static [u8]) -> Self::Out;
    /// Entry `i` of the literal table, `l`.
    fn lit_at(&mut self, i: usize, l: &'static [u8]) -> Self::Out {
        let _ = i;
        self.lit(l)
    }
    fn any(&mut self, v: Vec<Self::Out>) -> Self::Out;
    /// Whether [`Build::any_of_table`] builds choices of table literals (then
    /// [`decode_with`] reads their ids ahead; otherwise it does not look).
    const TABLE_CHOICES: bool = false;
    /// A choice of entries of the literal table alone (`ids`, each in the table), if this
    /// form has a shorter way to build one than [`Build::any`] of [`Build::lit_at`]s; it
    /// must build the same.
    fn any_of_table(&mut self, ids: &[u32]) -> Option<Self::Out> {
        let _ = ids;
        None
    }
    fn seq(&mut self, v: Vec<Self::Out>) -> Self::Out;
    fn near(&mut self, at: usize, n: Self::Out) -> Self::Out;
    fn gap(&mut self, at: usize, n: Self::Out) -> Self::Out;
}

/// Read one encoded condition into `b`'s form, advancing `bytes` past it; `None` if the
/// bytes are not such a condition.
pub fn decode_with<B: Build>(bytes: &mut &'static [u8], table: Table, b: &mut B) -> Option<B::Out> {
    Some(match read_byte(bytes)? {
        0 => b.truth(),
        1 => {
            let n = usize::try_from(read_num(bytes)?).ok()?;
            let lit = bytes.get(..n)?;
            *bytes = bytes.get(n..)?;
            b.lit(lit)
        }
        2 => {
            let i = usize::try_from(read_num(bytes)?).ok()?;
            b.lit_at(i, table.get(i)?)
        }
        tag @ (3 | 4) => {
            let n = usize::try_from(read_num(bytes)?).ok()?;
            // Each part takes at least a byte, which bounds the allocation by the input.
            if n > bytes.len() {
                return None;
            }
            // Most choices are of table literals alone: read their ids first, and let `b`
            // build the choice in one step if it can (a node and an allocation less each).
            if tag == 3 && B::TABLE_CHOICES {
                if let Some((ids, rest)) = table_ids(bytes, n, table) {
                    if let Some(out) = b.any_of_table(&ids) {
                        *bytes = rest;
                        return Some(out);
                    }
                }
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(decode_with(bytes, table, b)?);
            }
            if tag == 3 {
                b.any(v)
            } else {
                b.seq(v)
            }
        }
        tag @ (5 | 6) => {
            let at = usize::try_from(read_num(bytes)?).ok()?;
            let n = decode_with(bytes, table, b)?;
            if tag == 5 {
                b.near(at, n)
            } else {
                b.gap(at, n)
            }
        }
        _ => return None,
    })
}

/// The ids of `n` encoded conditions that are each an entry of `table` (tag 2), and the
/// bytes after them; `None` if any is something else.
fn table_ids(bytes: &'static [u8], n: usize, table: Table) -> Option<(Vec<u32>, &'static [u8])> {
    let mut rest = bytes;
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        if read_byte(&mut rest)? != 2 {
            return None;
        }
        let i = usize::try_from(read_num(&mut rest)?).ok()?;
        table.get(i)?;
        ids.push(u32::try_from(i).ok()?);
    }
    Some((ids, rest))
}

/// Cross product of two string sets, or `None` when it would be too large.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// `a + b`, or `None` when either is unbounded (or the sum overflows).
fn add(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    a.zip(b).and_then(|(a, b)| a.checked_add(b))
}

/// The parts of a concatenation's condition as they are found, each with the most bytes
/// that can lie between its literals and those of the part before it.
struct Parts(Vec<(Need, Option<usize>)>, Option<usize>);

impl Default for Parts {
    fn default() -> Self {
        Parts(Vec::new(), Some(0))
    }
}

impl Parts {
    /// A run of exact strings: its literals are the strings themselves, so nothing of
    /// the run lies outside them; a run too weak to need spans its longest string.
    fn run(&mut self, n: Need, run: &[Vec<u8>]) {
        let len = run.iter().map(Vec::len).max();
        self.push(n, Some(0), Some(0), len);
    }

    /// A piece of at most `len` bytes whose literals can be anywhere inside it.
    fn piece(&mut self, n: Need, len: Option<usize>) {
        self.push(n, len, len, len);
    }

    fn push(&mut self, n: Need, before: Option<usize>, after: Option<usize>, len: Option<usize>) {
        let Parts(parts, pending) = self;
        if n == Need::True {
            *pending = add(*pending, len);
        } else {
            parts.push((n, add(*pending, before)));
            *pending = after;
        }
    }
}

/// For a piece of a regex: the finite set of strings it matches when that set is small
/// (look-arounds count as empty, which only widens the set), and otherwise a condition.
fn need_of(hir: &regex_syntax::hir::Hir) -> (Option<Vec<Vec<u8>>>, Need) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Some(vec![Vec::new()]), Need::True),
        HirKind::Literal(l) => (Some(vec![l.0.to_vec()]), Need::True),
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.ranges().iter().map(|r| r.end() as usize - r.start() as usize + 1).sum();
            if n > 4 {
                return (None, Need::True);
            }
            let set = c.ranges().iter().flat_map(|r| (r.start()..=r.end()).map(|b| vec![b])).collect();
            (Some(set), Need::True)
        }
        HirKind::Class(Class::Unicode(c)) => {
            let n: usize = c.ranges().iter().map(|r| r.end() as usize - r.start() as usize + 1).sum();
            if n > 4 {
                return (None, Need::True);
            }
            let set = c
                .ranges()
                .iter()
                .flat_map(|r| (r.start()..=r.end()).map(|ch| ch.to_string().into_bytes()))
                .collect();
            (Some(set), Need::True)
        }
        HirKind::Capture(c) => need_of(&c.sub),
        HirKind::Repetition(r) => {
            let (exact, need) = need_of(&r.sub);
            if let (Some(set), Some(max)) = (&exact, r.max) {
                if max <= 3 {
                    // Expand small bounded repetitions: `s?`, `-{0,2}`.
                    let mut all: Vec<Vec<u8>> = Vec::new();
                    let mut cur = vec![Vec::new()];
                    let mut ok = true;
                    for k in 0..=max {
                        if k >= r.min {
                            all.extend(cur.iter().cloned());
                        }
                        if k < max {
                            match product(&cur, set) {
                                Some(p) => cur = p,
                                None => {
                                    ok = false;
                                    break;
                                }
                            }
                        }
                    }
                    all.sort();
                    all.dedup();
                    if ok && all.len() <= MAX_SET {
                        return (Some(all), Need::True);
                    }
                }
            }
            if r.min == 0 {
                return (None, Need::True);
            }
            (None, exact.map_or(need, |s| Need::of_set(&s)))
        }
        HirKind::Concat(subs) => {
            // After a `^`, each piece ends at most as far into the text as the pieces up to
            // it can reach: the literals of a rule anchored at the start of a sentence must
            // be near that start ([`Need::Near`]).
            let anchored = subs.first().is_some_and(|h| matches!(h.kind(), HirKind::Look(regex_syntax::hir::Look::Start)));
            let near = |n: Need, reach: Option<usize>| match (anchored, reach, n) {
                (_, _, Need::True) => Need::True,
                (true, Some(r), n) => Need::Near(r, Box::new(n)),
                (_, _, n) => n,
            };
            let mut parts = Parts::default();
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut exact = true;
            // How far the pieces before this one, and up to this one, can reach.
            let mut upto = Some(0usize);
            for s in subs {
                let before = upto;
                let len = s.properties().maximum_len();
                upto = add(upto, len);
                match need_of(s) {
                    (Some(set), _) => match product(&run, &set) {
                        Some(p) => run = p,
                        None => {
                            exact = false;
                            parts.run(near(Need::of_set(&run), before), &run);
                            run = set;
                        }
                    },
                    (None, n) => {
                        exact = false;
                        parts.run(near(Need::of_set(&run), before), &run);
                        run = vec![Vec::new()];
                        parts.piece(near(n, upto), len);
                    }
                }
            }
            if exact {
                return (Some(run), Need::True);
            }
            parts.run(near(Need::of_set(&run), upto), &run);
            (None, Need::seq(parts.0))
        }
        HirKind::Alternation(subs) => {
            let parts: Vec<_> = subs.iter().map(need_of).collect();
            if parts.iter().all(|(e, _)| e.is_some()) {
                let mut set: Vec<Vec<u8>> = parts.iter().flat_map(|(e, _)| e.iter().flatten().cloned()).collect();
                set.sort();
                set.dedup();
                if set.len() <= MAX_SET {
                    return (Some(set), Need::True);
                }
            }
            (None, Need::any(parts.into_iter().map(|(e, n)| e.map_or(n, |s| Need::of_set(&s))).collect()))
        }
    }
}


/// A parsed regex as bytes, so that `build.rs` parses the embedded rules once and the
/// binary rebuilds each regex's syntax tree without parsing it (parsing a rule regex of
/// a few kilobytes costs more than compiling it). A tag per node, then its fields;
/// numbers as LEB128. [`decode_hir`] reads it back.
#[cfg_attr(not(test), allow(dead_code))] // build.rs writes the trees; the binary only reads them
pub fn encode_hir(hir: &regex_syntax::hir::Hir, out: &mut Vec<u8>) {
    use regex_syntax::hir::{Class, HirKind};
    fn list(out: &mut Vec<u8>, v: &[regex_syntax::hir::Hir]) {
        write_num(out, v.len() as u64);
        v.iter().for_each(|h| encode_hir(h, out));
    }
    match hir.kind() {
        HirKind::Empty => out.push(0),
        HirKind::Literal(l) => {
            out.push(1);
            write_num(out, l.0.len() as u64);
            out.extend_from_slice(&l.0);
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push(2);
            write_num(out, c.ranges().len() as u64);
            for r in c.ranges() {
                out.extend_from_slice(&[r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            out.push(3);
            write_num(out, c.ranges().len() as u64);
            for r in c.ranges() {
                write_num(out, u64::from(r.start()));
                write_num(out, u64::from(r.end()));
            }
        }
        HirKind::Look(l) => {
            out.push(4);
            write_num(out, u64::from(l.as_repr()));
        }
        HirKind::Repetition(r) => {
            out.push(5);
            write_num(out, u64::from(r.min));
            // The maximum plus one, zero for none.
            write_num(out, r.max.map_or(0, |m| u64::from(m) + 1));
            out.push(u8::from(r.greedy));
            encode_hir(&r.sub, out);
        }
        HirKind::Capture(c) => {
            out.push(6);
            write_num(out, u64::from(c.index));
            let name = c.name.as_deref().unwrap_or_default();
            write_num(out, name.len() as u64);
            out.extend_from_slice(name.as_bytes());
            encode_hir(&c.sub, out);
        }
        HirKind::Concat(v) => {
            out.push(7);
            list(out, v);
        }
        HirKind::Alternation(v) => {
            out.push(8);
            list(out, v);
        }
    }
}

/// Read back one syntax tree written by [`encode_hir`], advancing `bytes` past it; `None`
/// if the bytes are not such a tree.
pub fn decode_hir(bytes: &mut &[u8]) -> Option<regex_syntax::hir::Hir> {
    use regex_syntax::hir::{
        Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, Look, Repetition,
    };
    fn take<'a>(bytes: &mut &'a [u8], n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        let (head, rest) = (bytes.get(..n)?, bytes.get(n..)?);
        *bytes = rest;
        Some(head)
    }
    fn list(bytes: &mut &[u8]) -> Option<Vec<Hir>> {
        let n = read_num(bytes)?;
        // Each node takes at least a byte, which bounds the allocation by the input.
        if n > bytes.len() as u64 {
            return None;
        }
        (0..n).map(|_| decode_hir(bytes)).collect()
    }
    let u32_of = |n: u64| u32::try_from(n).ok();
    Some(match read_byte(bytes)? {
        0 => Hir::empty(),
        1 => {
            let n = read_num(bytes)?;
            Hir::literal(take(bytes, n)?)
        }
        2 => {
            let n = read_num(bytes)?;
            let raw = take(bytes, n.checked_mul(2)?)?;
            let ranges = raw.chunks_exact(2).filter_map(|p| match p {
                &[a, b] => Some(ClassBytesRange::new(a, b)),
                _ => None,
            });
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        3 => {
            let n = read_num(bytes)?;
            if n > bytes.len() as u64 {
                return None;
            }
            let mut ranges = Vec::new();
            for _ in 0..n {
                let a = char::from_u32(u32_of(read_num(bytes)?)?)?;
                let b = char::from_u32(u32_of(read_num(bytes)?)?)?;
                ranges.push(ClassUnicodeRange::new(a, b));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        4 => Hir::look(Look::from_repr(u32_of(read_num(bytes)?)?)?),
        5 => {
            let min = u32_of(read_num(bytes)?)?;
            let max = match read_num(bytes)? {
                0 => None,
                m => Some(u32_of(m - 1)?),
            };
            let greedy = read_byte(bytes)? != 0;
            let sub = Box::new(decode_hir(bytes)?);
            Hir::repetition(Repetition { min, max, greedy, sub })
        }
        6 => {
            let index = u32_of(read_num(bytes)?)?;
            let n = read_num(bytes)?;
            let name = std::str::from_utf8(take(bytes, n)?).ok()?;
            let name = (!name.is_empty()).then(|| Box::<str>::from(name));
            let sub = Box::new(decode_hir(bytes)?);
            Hir::capture(Capture { index, name, sub })
        }
        7 => Hir::concat(list(bytes)?),
        8 => Hir::alternation(list(bytes)?),
        _ => return None,
    })
}
