//! Facts a rule's named captures find, such as a threshold's number and unit, turned
//! into values: "700 million" becomes 700000000.

use serde_json::{Map, Value};

const WORDS: &[(&str, u64)] = &[
    ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
    ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("fifteen", 15),
    ("twenty", 20), ("thirty", 30), ("fifty", 50), ("hundred", 100), ("thousand", 1_000),
];

const SCALES: &[(&str, u64)] = &[
    ("thousand", 1_000), ("k", 1_000), ("million", 1_000_000), ("millions", 1_000_000),
    ("mio", 1_000_000), ("m", 1_000_000), ("mm", 1_000_000), ("billion", 1_000_000_000),
    ("bn", 1_000_000_000), ("b", 1_000_000_000),
];

/// Parse an amount as licenses write it: `700 million`, `$5,000,000`, `1M`, `10,000.00`,
/// `two (2)`, `one hundred`. Returns `None` when there is no number in it.
pub fn parse_amount(s: &str) -> Option<u64> {
    let s = s.to_lowercase();
    // "two (2)": the digits in brackets are the number.
    if let (Some(a), Some(b)) = (s.find('('), s.find(')')) {
        if a < b {
            if let Some(n) = parse_amount(&s[a + 1..b]) {
                return Some(n);
            }
        }
    }
    let start = s.find(|c: char| c.is_ascii_digit());
    let (base, rest) = match start {
        Some(i) => {
            let digits: String = s[i..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect();
            let end = i + digits.len();
            let clean: String = digits.trim_end_matches(['.', ',']).chars().filter(|&c| c != ',').collect();
            let v: f64 = clean.parse().ok()?;
            (v, &s[end..])
        }
        None => {
            let mut total = 0u64;
            let mut any = false;
            for w in s.split(|c: char| !c.is_alphabetic()) {
                if let Some(&(_, n)) = WORDS.iter().find(|(x, _)| *x == w) {
                    any = true;
                    if n >= 100 && total > 0 {
                        total *= n;
                    } else {
                        total += n;
                    }
                }
            }
            if !any {
                return None;
            }
            return Some(total);
        }
    };
    let word = rest.trim_start().split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let scale = SCALES.iter().find(|(w, _)| *w == word).map_or(1, |&(_, n)| n);
    let v = base * scale as f64;
    if v.is_finite() && v >= 0.0 && v < u64::MAX as f64 {
        Some(v.round() as u64)
    } else {
        None
    }
}

/// Currency named in an amount, as an ISO code where it is clear.
pub fn currency(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    if l.contains('$') || l.contains("usd") || l.contains("dollar") {
        Some("USD")
    } else if l.contains('€') || l.contains("eur") {
        Some("EUR")
    } else if l.contains('£') || l.contains("gbp") || l.contains("pound") {
        Some("GBP")
    } else if l.contains('¥') || l.contains("jpy") || l.contains("yen") {
        Some("JPY")
    } else {
        None
    }
}

/// Turn a rule's named captures into facts. `threshold` and `amount` become numbers
/// (with a `currency` where one is written); other names stay text, whitespace folded.
pub fn from_captures(names: &[(&str, &str)]) -> Map<String, Value> {
    let mut m = Map::new();
    for &(name, text) in names {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match name {
            "threshold" | "amount" => {
                if let Some(n) = parse_amount(&text) {
                    m.insert(name.to_string(), Value::from(n));
                    if let Some(c) = currency(&text) {
                        m.entry("currency").or_insert_with(|| Value::from(c));
                    }
                } else {
                    m.insert(name.to_string(), Value::from(text));
                }
            }
            _ => {
                m.insert(name.to_string(), Value::from(text));
            }
        }
    }
    m
}

/// A number with thousands separators: 700000000 → "700,000,000".
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Fill `{name}` placeholders from facts; `None` if any placeholder has no fact.
pub fn fill(template: &str, facts: &Map<String, Value>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let key = &rest[open + 1..close];
        match facts.get(key)? {
            Value::Number(n) => out.push_str(&n.as_u64().map_or_else(|| n.to_string(), group_digits)),
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("700 million"), Some(700_000_000));
        assert_eq!(parse_amount("$5,000,000"), Some(5_000_000));
        assert_eq!(parse_amount("USD $10,000.00"), Some(10_000));
        assert_eq!(parse_amount("1M"), Some(1_000_000));
        assert_eq!(parse_amount("1.5 billion"), Some(1_500_000_000));
        assert_eq!(parse_amount("two (2)"), Some(2));
        assert_eq!(parse_amount("one hundred"), Some(100));
        assert_eq!(parse_amount("ten"), Some(10));
        assert_eq!(parse_amount("many"), None);
    }

    #[test]
    fn facts_and_labels() {
        let f = from_captures(&[("threshold", "US $1,000,000"), ("unit", "annual   revenue")]);
        assert_eq!(f.get("threshold"), Some(&Value::from(1_000_000u64)));
        assert_eq!(f.get("currency"), Some(&Value::from("USD")));
        assert_eq!(fill("threshold: {threshold} {unit}", &f).as_deref(), Some("threshold: 1,000,000 annual revenue"));
        assert_eq!(fill("{missing}", &f), None);
    }
}
