//! Facts a rule's named captures find, such as a threshold's number and unit, turned
//! into values: "700 million" becomes 700000000.

use serde_json::{Map, Value};

const WORDS: &[(&str, u64)] = &[
    ("zero", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
    ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14),
    ("fifteen", 15), ("sixteen", 16), ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20),
    ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80), ("ninety", 90),
];

/// Words that multiply what comes before them in a number written out: "seven hundred
/// million" is (7 × 100) × 1,000,000.
const WORD_SCALES: &[(&str, u64)] = &[("thousand", 1_000), ("million", 1_000_000), ("billion", 1_000_000_000), ("trillion", 1_000_000_000_000)];

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
        None => return parse_words(&s),
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

/// A number written out in words: "ten million", "seven hundred million", "one hundred
/// and fifty thousand", "twenty-five". Words that are not numbers are passed over.
fn parse_words(s: &str) -> Option<u64> {
    // What the scales before have added up to, and the group of three digits being read.
    let (mut total, mut group, mut any) = (0u64, 0u64, false);
    for w in s.split(|c: char| !c.is_alphabetic()) {
        if let Some(&(_, n)) = WORDS.iter().find(|(x, _)| *x == w) {
            group = group.checked_add(n)?;
        } else if w == "hundred" {
            group = group.max(1).checked_mul(100)?;
        } else if let Some(&(_, n)) = WORD_SCALES.iter().find(|(x, _)| *x == w) {
            total = total.checked_add(group.max(1).checked_mul(n)?)?;
            group = 0;
        } else {
            continue;
        }
        any = true;
    }
    any.then(|| total.checked_add(group)).flatten()
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
/// (with a `currency` where one is written); `unit` becomes one of the normalized units
/// (see [`normalize_unit`]) where the wording fits one; other names stay text, whitespace
/// folded.
pub fn from_captures(names: &[(&str, &str)]) -> Map<String, Value> {
    from_captures_in(names, "")
}

/// [`from_captures`], with the words around the match (`context`) to read a period from:
/// "$1,000,000 in annual revenue" and "$1M a year" are `"period": "annual"`.
pub fn from_captures_in(names: &[(&str, &str)], context: &str) -> Map<String, Value> {
    let mut m = Map::new();
    let mut unit_text = None;
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
            "unit" => {
                let unit = normalize_unit(&text).map_or_else(|| Value::from(text.as_str()), Value::from);
                unit_text = Some(text);
                m.insert(name.to_string(), unit);
            }
            _ => {
                m.insert(name.to_string(), Value::from(text));
            }
        }
    }
    // "10 million US dollars in revenue": the currency may follow the captured number.
    if m.get("unit").and_then(Value::as_str) == Some("revenue") && !m.contains_key("currency") {
        let unit = unit_text.as_deref().unwrap_or_default();
        if let Some(c) = currency(unit).or_else(|| currency(context)) {
            m.insert("currency".into(), Value::from(c));
        }
    }
    if let Some(u) = unit_text {
        let unit = m.get("unit").and_then(Value::as_str).unwrap_or_default();
        // "monthly active users" carries its period in the unit already.
        if !unit.ends_with("_active_users") {
            if let Some(p) = period(&format!("{u} {context}")) {
                m.insert("period".into(), Value::from(p));
            }
        }
    }
    m
}

/// The normalized unit a threshold counts, from the words of a `unit` capture:
/// `monthly_active_users`, `daily_active_users`, `users` (also seats, developers,
/// subscribers, customers, players, accounts, members, visitors), `employees` (staff,
/// personnel, workers, FTEs), `revenue` (also sales, turnover, income, earnings) or
/// `devices` (computers, servers, instances, CPUs).
pub fn normalize_unit(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| t.split(|c: char| !c.is_alphanumeric()).any(|w| words.contains(&w));
    let stem = |stems: &[&str]| t.split(|c: char| !c.is_alphanumeric()).any(|w| stems.iter().any(|s| w.starts_with(s)));
    // (Players, accounts, members and visitors are counted as users are.)
    let people = ["user", "subscriber", "player", "account", "member", "visitor"];
    if has(&["mau"]) || (t.contains("monthly") && stem(&people)) {
        Some("monthly_active_users")
    } else if has(&["dau"]) || (t.contains("daily") && stem(&people)) {
        Some("daily_active_users")
    } else if stem(&["employee", "staff", "personnel", "worker", "fte", "full"]) {
        Some("employees")
    } else if stem(&[
        "revenue", "sales", "turnover", "income", "receipt", "donation", "funding", "proceeds", "profit", "earn",
        "mak", "generat", "gross", "bring", "turn", "rais",
    ]) {
        Some("revenue")
    } else if stem(&["device", "computer", "workstation", "machine", "server", "instance", "installation", "cpu", "core", "node"]) {
        Some("devices")
    } else if stem(&["user", "seat", "developer", "individual", "person", "people", "subscriber", "customer", "player", "account", "member", "visitor"]) {
        Some("users")
    } else {
        None
    }
}

/// `annual` or `monthly`, where the words say so.
pub fn period(text: &str) -> Option<&'static str> {
    let t = format!(" {} ", text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
    let any = |ps: &[&str]| ps.iter().any(|p| t.contains(p));
    if any(&[" annual", " annually ", " yearly ", " per year ", " a year ", " each year ", " every year ", " per annum ", " fiscal year ", " calendar year ", " twelve months ", " 12 months "]) {
        Some("annual")
    } else if any(&[" monthly ", " per month ", " a month ", " each month ", " every month "]) {
        Some("monthly")
    } else {
        None
    }
}

/// How a normalized unit reads in a label: `monthly active users`, or for revenue with
/// its currency and period, `USD of annual revenue`.
pub fn describe_unit(facts: &Map<String, Value>) -> Option<String> {
    let unit = facts.get("unit")?.as_str()?;
    let period = facts.get("period").and_then(Value::as_str).map(|p| format!("{p} ")).unwrap_or_default();
    Some(match unit {
        "revenue" => match facts.get("currency").and_then(Value::as_str) {
            Some(c) => format!("{c} of {period}revenue"),
            None => format!("in {period}revenue"),
        },
        "monthly_active_users" | "daily_active_users" | "users" | "employees" | "devices" => {
            format!("{period}{}", unit.replace('_', " ")).replace("monthly monthly", "monthly")
        }
        other => other.to_string(),
    })
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
            Value::String(_) if key == "unit" => out.push_str(&describe_unit(facts).unwrap_or_default()),
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
        // Written out, with scales.
        assert_eq!(parse_amount("ten million"), Some(10_000_000));
        assert_eq!(parse_amount("seven hundred million"), Some(700_000_000));
        assert_eq!(parse_amount("one hundred and fifty thousand"), Some(150_000));
        assert_eq!(parse_amount("twenty-five"), Some(25));
        assert_eq!(parse_amount("two billion euros"), Some(2_000_000_000));
        assert_eq!(parse_amount("a million"), Some(1_000_000));
        assert_eq!(parse_amount("one thousand two hundred"), Some(1_200));
    }

    #[test]
    fn facts_and_labels() {
        let f = from_captures(&[("threshold", "US $1,000,000"), ("unit", "annual   revenue")]);
        assert_eq!(f.get("threshold"), Some(&Value::from(1_000_000u64)));
        assert_eq!(f.get("currency"), Some(&Value::from("USD")));
        assert_eq!(f.get("unit"), Some(&Value::from("revenue")));
        assert_eq!(f.get("period"), Some(&Value::from("annual")));
        assert_eq!(fill("threshold: {threshold} {unit}", &f).as_deref(), Some("threshold: 1,000,000 USD of annual revenue"));
        assert_eq!(fill("{missing}", &f), None);
    }

    #[test]
    fn units_are_normalized() {
        let f = from_captures(&[("threshold", "700 million"), ("unit", "monthly active users")]);
        assert_eq!(f.get("threshold"), Some(&Value::from(700_000_000u64)));
        assert_eq!(f.get("unit"), Some(&Value::from("monthly_active_users")));
        assert_eq!(f.get("period"), None);
        assert_eq!(fill("threshold: {threshold} {unit}", &f).as_deref(), Some("threshold: 700,000,000 monthly active users"));
        for (words, unit) in [
            ("daily active users", "daily_active_users"),
            ("MAU", "monthly_active_users"),
            ("concurrent users", "users"),
            ("seats", "users"),
            ("monthly active players", "monthly_active_users"),
            ("registered accounts", "users"),
            ("developers", "users"),
            ("full-time employees", "employees"),
            ("staff members", "employees"),
            ("computers", "devices"),
            ("server instances", "devices"),
            ("gross annual revenue", "revenue"),
            ("turnover", "revenue"),
            ("making", "revenue"),
        ] {
            assert_eq!(normalize_unit(words), Some(unit), "{words}");
        }
        let f = from_captures_in(&[("threshold", "$1M"), ("unit", "making")], "making over $1m a year");
        assert_eq!((f.get("unit"), f.get("period")), (Some(&Value::from("revenue")), Some(&Value::from("annual"))));
        let f = from_captures_in(&[("threshold", "5,000"), ("unit", "revenue")], "revenue of more than 5,000 eur per month");
        assert_eq!(f.get("period"), Some(&Value::from("monthly")));
    }
}
