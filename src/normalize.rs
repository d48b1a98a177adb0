//! Turns a license text into the form the rules match against — lower case, one space
//! between words, no markup, comment prefixes or typographic quotes — and keeps a map
//! from every byte of that form back to the byte of the original it came from.
//!
//! Paragraph breaks (a blank line, a form feed) survive as a single `\n` so the
//! segmenter can see them; every other run of whitespace becomes one space.

/// Normalized text plus the map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The text the rules see.
    pub text: String,
    /// `map[i]` is the original byte offset of the character that produced byte `i` of
    /// `text`; `map[text.len()]` is the original's length.
    map: Vec<u32>,
}

impl Normalized {
    /// Original byte range for the normalized byte range `start..end`. The result
    /// starts and ends on character boundaries of `original`.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.map.get(start).copied().unwrap_or(0) as usize;
        if end <= start {
            return (s, s);
        }
        let last = self.map.get(end - 1).copied().unwrap_or(0) as usize;
        let e = original
            .get(last..)
            .and_then(|rest| rest.chars().next())
            .map_or(original.len(), |c| last + c.len_utf8());
        (s.min(e), e)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Pending {
    None,
    Space(u32),
    Para(u32),
    /// The end of a heading: two line feeds, a break no sentence runs on over.
    Heading(u32),
}

struct Out {
    text: String,
    map: Vec<u32>,
    pending: Pending,
}

impl Out {
    fn space(&mut self, at: usize, para: bool) {
        let at = at as u32;
        self.pending = match (self.pending, para) {
            (Pending::Heading(p), _) => Pending::Heading(p),
            (Pending::Para(p), _) => Pending::Para(p),
            (Pending::Space(p), true) => Pending::Para(p),
            (Pending::Space(p), false) => Pending::Space(p),
            (Pending::None, true) => Pending::Para(at),
            (Pending::None, false) => Pending::Space(at),
        };
    }

    fn flush(&mut self) {
        let (c, at) = match self.pending {
            Pending::None => return,
            Pending::Space(at) => (' ', at),
            Pending::Para(at) => ('\n', at),
            Pending::Heading(at) => {
                self.text.push('\n');
                self.map.push(at);
                ('\n', at)
            }
        };
        self.pending = Pending::None;
        if !self.text.is_empty() {
            self.text.push(c);
            self.map.push(at);
        }
    }

    /// The end of a heading line at `at`: whatever follows starts a sentence of its own.
    fn heading_end(&mut self, at: usize) {
        self.pending = match self.pending {
            Pending::Heading(p) | Pending::Para(p) | Pending::Space(p) => Pending::Heading(p),
            Pending::None => Pending::Heading(at as u32),
        };
    }

    /// Push `run`, ASCII characters that [`plain`] says are kept as they are but for
    /// case, which start at `at` in the original: in one go.
    fn push_run(&mut self, run: &str, at: usize) {
        self.flush();
        let from = self.text.len();
        self.text.push_str(run);
        if let Some(pushed) = self.text.get_mut(from..) {
            pushed.make_ascii_lowercase();
        }
        let at = at as u32;
        self.map.extend((0..run.len() as u32).map(|k| at + k));
    }

    fn push(&mut self, c: char, at: usize) {
        // Old texts quote ``like this'': two apostrophes read as one double quote.
        if c == '\'' && self.pending == Pending::None && self.text.ends_with('\'') {
            self.text.pop();
            self.text.push('"');
            return;
        }
        self.flush();
        let at = at as u32;
        if c.is_ascii() {
            self.text.push(c.to_ascii_lowercase());
            self.map.push(at);
        } else {
            for l in c.to_lowercase() {
                let before = self.text.len();
                self.text.push(l);
                for _ in before..self.text.len() {
                    self.map.push(at);
                }
            }
        }
    }
}

/// What a character becomes before lower-casing.
enum Class {
    Keep(char),
    Space,
    Para,
    Drop,
}

fn classify(c: char) -> Class {
    match c {
        ' ' | '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            Class::Space
        }
        '\u{c}' | '\u{2029}' => Class::Para,
        '\u{2028}' | '\u{85}' | '\u{b}' => Class::Space,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Class::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => {
            Class::Keep('\'')
        }
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2033}' => {
            Class::Keep('"')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
            Class::Keep('-')
        }
        '\u{2026}' => Class::Keep('.'),
        c if c.is_control() => Class::Space,
        c => Class::Keep(c),
    }
}

const ENTITIES: &[(&str, char)] = &[
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&apos;", '\''),
    ("&#39;", '\''),
    ("&nbsp;", ' '),
    ("&rsquo;", '\''),
    ("&lsquo;", '\''),
    ("&ldquo;", '"'),
    ("&rdquo;", '"'),
    ("&mdash;", '-'),
    ("&ndash;", '-'),
    ("&copy;", '©'),
];

/// Length of the comment or block-quote prefix at the start of `line` (after its
/// leading whitespace), or 0.
fn prefix_len(line: &str) -> usize {
    let t = line.trim_start_matches([' ', '\t']);
    let lead = line.len() - t.len();
    let b = t.as_bytes();
    let n = match b {
        [b'/', b'/', ..] => 2 + t[2..].bytes().take_while(|&c| c == b'/' || c == b'!').count(),
        [b'/', b'*', ..] => 2 + t[2..].bytes().take_while(|&c| c == b'*').count(),
        [b'*', b'/', ..] => 2,
        [b'*', b' ', ..] | [b'*'] => 1,
        [b'#', ..] => t.bytes().take_while(|&c| c == b'#').count(),
        [b'>', ..] => t.bytes().take_while(|&c| c == b'>' || c == b' ').count(),
        [b'-', b'-', b' ', ..] => 2,
        [b';', b';', ..] => t.bytes().take_while(|&c| c == b';').count(),
        [b'R', b'E', b'M', b' ', ..] => 3,
        _ => 0,
    };
    if n == 0 {
        0
    } else {
        lead + n
    }
}

/// Is this line a Markdown heading (`## 3. Passing copies on`), given that it stands as a
/// block of its own, between blank lines (or the text's ends)? Its last words may be ones a sentence
/// runs on over ("on", "for"), but what follows it is a new sentence. A heading that ends
/// in a lead-in's punctuation (`# You may not:`) still leads in, and so does a comment
/// line (`# you may not use this file except`), which has comment lines around it.
fn is_heading_block(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    let hashes = t.bytes().take_while(|&c| c == b'#').count();
    let words = t.get(hashes..).unwrap_or_default().trim_end_matches(['#', ' ', '\t']);
    (1..=6).contains(&hashes)
        && words.starts_with(' ')
        && !words.trim().is_empty()
        && !words.ends_with([':', ';', ',', '-'])
}

/// Whether `line` is a row of a table written as text (`Training a model | Yes | ...`,
/// `| a | b |`): each row is read on its own, not run on into the next.
fn is_table_row(line: &str) -> bool {
    // (Most lines have no bar: looked for first, as searching every line for " | "
    // cost 3% of a run over long plain text.)
    if memchr::memchr(b'|', line.as_bytes()).is_none() {
        return false;
    }
    let t = line.trim();
    t.matches(" | ").count() >= 2 || (t.starts_with('|') && t.len() > 1 && t.matches('|').count() >= 3)
}

/// Whether the text after a table row starts with a row that carries on its cells, a
/// row whose first cell is blank (`|      | or to companies based there. |`): a cell's
/// words wrapped onto the next line are read with the row above.
fn continues_row(after: &str) -> bool {
    let line = &after[..memchr::memchr2(b'\n', b'\r', after.as_bytes()).unwrap_or(after.len())];
    let t = line.trim();
    let Some(rest) = t.strip_prefix('|') else { return false };
    let Some(bar) = rest.find('|') else { return false };
    rest[..bar].trim().is_empty() && !rest[bar + 1..].trim_matches(['|', ' ', '\t']).is_empty() && !is_rule_line(line)
}

/// Whether `line` holds nothing but blanks (after a comment or quote prefix).
fn is_blank(line: &str) -> bool {
    line.get(prefix_len(line)..).unwrap_or_default().trim().is_empty()
}

/// Is this line only decoration (`-----`, `=====`, `*****`, `|---|`)?
fn is_rule_line(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|c| matches!(c, b'-' | b'=' | b'*' | b'_' | b'~' | b'|' | b':' | b'+' | b' '))
}

/// Normalize `text` (already decoded) for matching.
pub fn normalize(text: &str) -> Normalized {
    let mut out = Out {
        text: String::with_capacity(text.len() + 1),
        map: Vec::with_capacity(text.len() + 1),
        pending: Pending::None,
    };
    let mut pos = 0usize;
    let bytes = text.as_bytes();
    // Whether the line before was blank (or there was none).
    let mut prev_blank = true;
    while pos < text.len() {
        // One physical line: [pos, eol), then its terminator.
        let rest = bytes.get(pos..).unwrap_or_default();
        let eol = memchr::memchr2(b'\n', b'\r', rest).map_or(text.len(), |i| pos + i);
        let line = &text[pos..eol];
        let next = match bytes.get(eol) {
            Some(b'\r') if bytes.get(eol + 1) == Some(&b'\n') => eol + 2,
            Some(_) => eol + 1,
            None => eol,
        };
        let heading = line.starts_with(['#', ' ', '\t']) && prev_blank && is_heading_block(line) && {
            let after = &text[next..];
            let following = &after[..memchr::memchr2(b'\n', b'\r', after.as_bytes()).unwrap_or(after.len())];
            next >= text.len() || is_blank(following)
        };
        let rule_line = is_rule_line(line);
        prev_blank = rule_line || is_blank(line);
        if rule_line {
            out.space(pos, true);
        } else {
            let skip = prefix_len(line);
            let skip = skip + (line[skip..].len() - line[skip..].trim_start_matches([' ', '\t']).len());
            if line[skip..].trim().is_empty() {
                out.space(pos, true);
            } else {
                inline(&mut out, text, pos + skip, eol);
            }
        }
        if eol < text.len() {
            // A word hyphenated across the line break: "com-\nmercial".
            let joined = out.pending == Pending::None && out.text.ends_with('-') && {
                let before = out.text[..out.text.len() - 1].chars().next_back();
                let after_line = &text[next..];
                let rest = &after_line[prefix_len(after_line)..];
                let first = rest.trim_start_matches([' ', '\t']).chars().next();
                before.is_some_and(char::is_alphabetic) && first.is_some_and(char::is_lowercase)
            };
            if joined {
                out.text.pop();
                out.map.pop();
            } else if heading || (is_table_row(line) && !continues_row(&text[next..])) {
                out.heading_end(eol);
            } else {
                out.space(eol, false);
            }
        }
        pos = next;
    }
    out.pending = Pending::None;
    out.map.push(text.len() as u32);
    apostrophes(&mut out.text, &mut out.map);
    spellings(&mut out.text, &mut out.map);
    Normalized {
        text: out.text,
        map: out.map,
    }
}

/// Negative contractions written without their apostrophe, which no word is spelled
/// like otherwise ("cant" and "wont" are words: see [`SUBJECTS`]).
const BARE_CONTRACTIONS: &[&str] = &[
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "shouldnt", "wouldnt",
    "couldnt", "mustnt", "neednt", "shant",
];

/// The subjects after which "cant" and "wont" are "can't" and "won't" ("you cant sell
/// it"), not the nouns and the adjective they also spell ("the cant of the trade").
const SUBJECTS: &[&str] = &["i", "you", "u", "we", "they", "it", "he", "she", "one", "licensee", "licensees", "user", "users"];

/// The word that ends just before `start` (one space between), if any.
fn word_before(bytes: &[u8], start: usize) -> Option<&[u8]> {
    let end = start.checked_sub(1).filter(|&e| bytes.get(e) == Some(&b' '))?;
    let from = bytes.get(..end)?.iter().rposition(|b| !b.is_ascii_lowercase()).map_or(0, |i| i + 1);
    bytes.get(from..end)
}

/// Put the apostrophe back into a contraction written without it ("pls dont sell
/// this"), so that rules read it as they read "don't". The apostrophe maps to the
/// original byte of the `t` after it.
fn apostrophes(text: &mut String, map: &mut Vec<u32>) {
    let bytes = text.as_bytes();
    let mut at = Vec::new();
    for p in memchr::memmem::find_iter(bytes, b"nt") {
        if bytes.get(p + 2).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'\'') {
            continue;
        }
        let start = bytes.get(..p).and_then(|b| b.iter().rposition(|b| !b.is_ascii_lowercase())).map_or(0, |i| i + 1);
        if bytes.get(start.wrapping_sub(1)) == Some(&b'\'') {
            continue;
        }
        let word = bytes.get(start..p + 2).unwrap_or_default();
        let subject = || word_before(bytes, start).is_some_and(|w| SUBJECTS.iter().any(|s| s.as_bytes() == w));
        if BARE_CONTRACTIONS.iter().any(|c| c.as_bytes() == word) || (matches!(word, b"cant" | b"wont") && subject()) {
            at.push(p + 1);
        }
    }
    insert_before(text, map, &at, '\'');
}

/// Insert the ASCII character `c` before each byte offset of `at` (ascending, on
/// character boundaries), each mapped to the original byte of the one it precedes.
fn insert_before(text: &mut String, map: &mut Vec<u32>, at: &[usize], c: char) {
    if at.is_empty() {
        return;
    }
    let (mut t, mut m) = (String::with_capacity(text.len() + at.len()), Vec::with_capacity(map.len() + at.len()));
    let mut from = 0;
    for &i in at {
        t.push_str(text.get(from..i).unwrap_or_default());
        m.extend_from_slice(map.get(from..i).unwrap_or_default());
        t.push(c);
        m.push(map.get(i).copied().unwrap_or(0));
        from = i;
    }
    t.push_str(text.get(from..).unwrap_or_default());
    m.extend_from_slice(map.get(from..).unwrap_or_default());
    (*text, *map) = (t, m);
}

/// Words that "non" joins without its hyphen ("non commercial use only"), which rules
/// read hyphenated.
const NON_JOINED: &[&str] = &["commercial", "profit", "production"];

/// Mend the spellings of a few words the rules turn on: "non commercial" is
/// "non-commercial" (the space becomes the hyphen, in place), and the misspellings
/// "commerical" and "comercial" are "commercial" (the letters swapped in place; the
/// missing `m` inserted, mapped to the `m` before it).
fn spellings(text: &mut String, map: &mut Vec<u32>) {
    let bytes = text.as_bytes();
    let starts_word = |i: usize| i == 0 || bytes.get(i - 1).is_some_and(|c| !c.is_ascii_alphanumeric());
    let joins: Vec<usize> = memchr::memmem::find_iter(bytes, b"non ")
        .filter(|&i| starts_word(i))
        .filter(|&i| {
            let after = bytes.get(i + 4..).unwrap_or_default();
            NON_JOINED.iter().any(|w| after.starts_with(w.as_bytes()) && !after.get(w.len()).is_some_and(u8::is_ascii_alphanumeric))
        })
        .map(|i| i + 3)
        .collect();
    let swaps: Vec<usize> = memchr::memmem::find_iter(bytes, b"commerical").map(|i| i + 6).collect();
    let missing: Vec<usize> = memchr::memmem::find_iter(bytes, b"comercial").map(|i| i + 2).collect();
    // Most texts have none of them: nothing is copied.
    if !(joins.is_empty() && swaps.is_empty()) {
        let mut b = std::mem::take(text).into_bytes();
        for &i in &joins {
            if let Some(x) = b.get_mut(i) {
                *x = b'-';
            }
        }
        for &i in &swaps {
            if i + 1 < b.len() {
                b.swap(i, i + 1);
            }
        }
        // ASCII bytes were replaced by ASCII bytes, so the text is still UTF-8.
        *text = String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
    insert_before(text, map, &missing, 'm');
}

/// Whether an ASCII byte is kept as it is but for case, with nothing to look at around
/// it: a printable character other than the markup [`inline`] handles (`*`, `_`, `<`,
/// `&`, `[`, `]`), the quotes [`Out::push`] and [`classify`] rewrite, and white space.
fn plain(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'*' | b'_' | b'<' | b'&' | b'[' | b']' | b'\'' | b'`')
}

/// Normalize the characters of one line, `text[start..end]`.
fn inline(out: &mut Out, text: &str, start: usize, end: usize) {
    let line = &text[start..end];
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(c) = line.get(i..).and_then(|rest| rest.chars().next()) {
        let at = start + i;
        // A run of plain characters (most of a license) goes in at once, with the single
        // spaces between its words: a space there would be pushed as a space anyway,
        // mapped to where it is.
        if bytes.get(i).copied().is_some_and(plain) {
            let mut stop = i + 1;
            while let Some(&b) = bytes.get(stop) {
                if plain(b) || (b == b' ' && bytes.get(stop + 1).copied().is_some_and(plain)) {
                    stop += 1;
                } else {
                    break;
                }
            }
            out.push_run(line.get(i..stop).unwrap_or_default(), at);
            i = stop;
            continue;
        }
        // Where the next character starts, unless markup below skips further.
        i += c.len_utf8();
        match c {
            // Markdown emphasis and code markers carry no words.
            '*' | '_' => {
                // `_` inside a word is kept out too: "file_name" reads as "filename".
                continue;
            }
            '<' => {
                let rest = &line[i..];
                // An HTML comment's opening: its words are read (a licence notice in an
                // HTML or XML file is one), only the marker is dropped.
                if rest.starts_with("!--") {
                    out.space(at, false);
                    i += 3;
                    continue;
                }
                // An HTML tag or an autolink: skip to its `>` if it closes soon.
                let starts_tag = rest
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!');
                if let Some(close) = rest.find('>').filter(|&k| starts_tag && k < 300) {
                    out.space(at, false);
                    i += close + 1;
                    continue;
                }
                out.push('<', at);
            }
            '&' => {
                let rest = &line[at - start..];
                if let Some(&(name, ch)) = ENTITIES.iter().find(|(n, _)| rest.starts_with(n)) {
                    if ch == ' ' {
                        out.space(at, false);
                    } else {
                        out.push(ch, at);
                    }
                    // Entities are ASCII: one byte a character.
                    i = at - start + name.len();
                    continue;
                }
                out.push('&', at);
            }
            ']' => {
                // A Markdown link `[words](target)`: keep the words, drop the target.
                if line[i..].starts_with('(') {
                    if let Some(close) = line[i..].find(')') {
                        i += close + 1;
                        continue;
                    }
                }
                out.push(']', at);
            }
            '[' => {
                // Keep brackets that are not links; they are rare and harmless.
                if line[i..].find("](").is_some() {
                    continue;
                }
                out.push('[', at);
            }
            c => match classify(c) {
                Class::Keep(k) => out.push(k, at),
                Class::Space => out.space(at, false),
                Class::Para => out.space(at, true),
                Class::Drop => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contraction_without_its_apostrophe_gets_it_back() {
        assert_eq!(norm("Pls DONT sell this, it isnt yours"), "pls don't sell this, it isn't yours");
        // "cant" and "wont" after a subject are contractions; elsewhere they are words,
        // and words that only end so stay as they are.
        assert_eq!(norm("You cant grant what you wont hold; dont't"), "you can't grant what you won't hold; dont't");
        assert_eq!(norm("the cant of the trade, as is their wont"), "the cant of the trade, as is their wont");
        assert_eq!(norm("cant"), "cant");
        assert_eq!(norm("dont"), "don't");
        // The apostrophe maps to the `t` after it: the span of "don't" is "DONT".
        let text = "so DONT sell";
        let n = normalize(text);
        let at = n.text.find("don't").unwrap_or_default();
        assert_eq!(n.original_span(text, at, at + 5), (3, 7));
        assert_eq!(n.original_span(text, at + 3, at + 5), (6, 7));
    }

    #[test]
    fn a_few_spellings_are_mended() {
        assert_eq!(norm("Non commercial use only; NON PROFIT use; non-commercial"), "non-commercial use only; non-profit use; non-commercial");
        // Only "non" as a word, and only before the words it joins.
        assert_eq!(norm("canon commercial; non commercially"), "canon commercial; non commercially");
        assert_eq!(norm("No comercial or commerical use"), "no commercial or commercial use");
        // The inserted letter maps to the `m` before it: "comercial" spans the original word.
        let text = "no COMERCIAL use";
        let n = normalize(text);
        let at = n.text.find("commercial").unwrap_or_default();
        assert_eq!(n.original_span(text, at, at + 10), (3, 12));
    }

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn folds_case_and_whitespace() {
        assert_eq!(norm("  You  MAY\tnot\nuse it. "), "you may not use it.");
    }

    #[test]
    fn keeps_paragraph_breaks() {
        assert_eq!(norm("One.\n\n\nTwo.\r\n\r\nThree.\u{c}Four"), "one.\ntwo.\nthree.\nfour");
    }

    #[test]
    fn joins_words_hyphenated_across_lines() {
        assert_eq!(norm("for com-\nmercial use"), "for commercial use");
        assert_eq!(norm("non-\n  Commercial"), "non- commercial");
        assert_eq!(norm("// for com-\n// mercial use"), "for commercial use");
    }

    #[test]
    fn strips_comment_prefixes_and_markup() {
        assert_eq!(norm("# Title\n * **must not** be `used`\n// for <b>war</b>"), "title must not be 'used' for war");
        assert_eq!(norm("provided ``as is'' and"), "provided \"as is\" and");
        assert_eq!(norm("see [the policy](https://x.example/p) &amp; more"), "see the policy & more");
        // An HTML comment's words are read ("<!--" was once taken for a tag and hid them
        // up to its "-->"); the closing marker is left in, like other punctuation.
        assert_eq!(norm("<!-- Agencies may not use this. -->"), "agencies may not use this. -->");
        assert_eq!(norm("<p>a</p><!--b-->c"), "a b-->c");
    }

    #[test]
    fn a_markdown_heading_on_its_own_ends_with_two_line_feeds() {
        // Its words may run on ("on"); the break after it still ends the sentence.
        assert_eq!(norm("## 3. Passing copies on\n\nGiving away copies is not allowed."), "3. passing copies on\n\ngiving away copies is not allowed.");
        assert_eq!(norm("Intro.\n\n# Use\n"), "intro.\nuse");
        // Not a heading: comment lines of a paragraph, and a lead-in ending in a colon.
        assert_eq!(norm("# you may not use this file except\n# in compliance"), "you may not use this file except in compliance");
        assert_eq!(norm("# You may not:\n\n- sell it"), "you may not:\n- sell it");
    }

    #[test]
    fn a_table_row_ends_with_two_line_feeds() {
        assert_eq!(norm("Training | Yes | may not compete\nBenchmarks | Yes | name it"), "training | yes | may not compete\n\nbenchmarks | yes | name it");
        assert_eq!(norm("| a | b |\n| c | d |"), "| a | b |\n\n| c | d |");
        assert_eq!(norm("this or | that\nnext"), "this or | that next");
        // A row whose first cell is blank carries on the cells of the row above.
        assert_eq!(
            norm("| Scope | Not granted to people in the EU |\n|       | or to companies based there. |\n| Fees | None |"),
            "| scope | not granted to people in the eu | | | or to companies based there. |\n\n| fees | none |"
        );
    }

    #[test]
    fn straightens_quotes_and_dashes() {
        assert_eq!(norm("\u{201c}Sell\u{201d} \u{2014} it\u{2019}s"), "\"sell\" - it's");
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(norm("mili\u{ad}tary\u{200b} use"), "military use");
    }

    #[test]
    fn single_spaces_in_plain_runs_map_to_themselves() {
        // A line of words and single spaces goes in as one run; each byte maps to itself,
        // as it did when every space was pushed on its own.
        let src = "You may NOT sell it, ok?  Twice  spaced\tand tabbed.";
        let n = normalize(src);
        assert_eq!(n.text, "you may not sell it, ok? twice spaced and tabbed.");
        let plain = "you may not sell it, ok?".len();
        assert_eq!(n.map.get(..plain), Some(&(0..plain as u32).collect::<Vec<u32>>()[..]));
        // After a double space, the one space kept maps to the first of them.
        let at = n.text.find(" twice").unwrap_or(0);
        assert_eq!(n.map.get(at), Some(&(src.find("  Twice").unwrap_or(0) as u32)));
    }

    #[test]
    fn maps_back_to_original_bytes() {
        let src = "Émigré\n\n  NOT for “military” use";
        let n = normalize(src);
        let i = n.text.find("military").unwrap_or(0);
        let (s, e) = n.original_span(src, i, i + "military".len());
        assert_eq!(&src[s..e], "military");
        let j = n.text.find("\"military\"").unwrap_or(0);
        let (s, e) = n.original_span(src, j, j + "\"military\"".len());
        assert_eq!(&src[s..e], "“military”");
        // Every byte of a run of plain characters maps to its own, after markup and
        // entities that took more bytes than they gave.
        let src = "**NO** &amp; <b>Military-Use,</b> ``ever''.";
        let n = normalize(src);
        assert_eq!(n.text, "no & military-use, \"ever\".");
        for word in ["no", "military-use,", "ever"] {
            let i = n.text.find(word).unwrap_or(0);
            let (s, e) = n.original_span(src, i, i + word.len());
            assert_eq!(src[s..e].to_lowercase(), word);
        }
    }
}
