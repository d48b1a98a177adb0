//! Word-bigram fingerprints of texts, shared by `build.rs` (which fingerprints the license
//! index once) and [`crate::identify`] (which fingerprints each text it is given): the
//! sorted, deduplicated 64-bit hashes of each pair of neighbouring words, lowercased.
//!
//! They only pick which licenses are worth scoring: a merge of two sorted lists gives the
//! shared-bigram count of a text and a license in microseconds, where the `spdx` crate's
//! string-keyed sets take milliseconds a license. The score a user sees is the crate's.

/// FNV-1a over the bytes of a word pair, with a separator between the words.
fn hash_pair(a: &str, b: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in a.bytes().chain(std::iter::once(0u8)).chain(b.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The fingerprint of `text`: sorted, deduplicated hashes of its lowercased word bigrams.
/// A word is a run of letters and digits.
pub fn fingerprint(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut prev: Option<String> = None;
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if let Some(p) = &prev {
            out.push(hash_pair(p, &word));
        }
        prev = Some(word);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How many hashes two fingerprints share.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_case_punctuation_and_repeats() {
        assert_eq!(fingerprint("Free, as in FREE speech."), fingerprint("free as in free speech"));
        assert_eq!(fingerprint("a b a b a b").len(), 2);
        assert!(fingerprint("one").is_empty());
    }

    #[test]
    fn shared_counts_common_hashes() {
        let a = fingerprint("the quick brown fox jumps");
        let b = fingerprint("a quick brown fox sleeps");
        assert_eq!(shared(&a, &b), 2);
        assert_eq!(shared(&a, &a), a.len());
        assert_eq!(shared(&a, &[]), 0);
    }
}
