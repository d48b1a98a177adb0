//! Word-bigram fingerprints of texts, shared by `build.rs` (which fingerprints the license
//! index once) and [`crate::identify`] (which fingerprints each text it is given): the
//! 64-bit hashes of each pair of neighbouring words, lowercased, without repeats.
//!
//! They only pick which licenses are worth scoring: one look-up in the index per bigram of
//! the text gives its shared-bigram count with every license at once (some 0.5 M
//! instructions for the 11 kB Apache-2.0 text, fingerprint included). The score a user
//! sees is askalono's (`src/askalono.rs`).

/// FNV-1a's starting value.
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, one byte further.
pub(crate) const fn fnv(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
}

/// `b` lowercased if it is an ASCII letter or digit, else 0.
pub(crate) fn alnum_lower(b: u8) -> u8 {
    ALNUM_LOWER.get(usize::from(b)).copied().unwrap_or(0)
}

/// [`alnum_lower`] of each byte: looked up, it cut the cost of fingerprinting by a sixth.
const ALNUM_LOWER: [u8; 256] = {
    let mut table = [0; 256];
    let (mut rest, mut b): (&mut [u8], u8) = (&mut table, 0);
    while let Some((entry, tail)) = rest.split_first_mut() {
        if b.is_ascii_alphanumeric() {
            *entry = b | 0x20;
        }
        (rest, b) = (tail, b.wrapping_add(1));
    }
    table
};

/// The fingerprint of `text`: the hashes of its lowercased word bigrams, without repeats,
/// in no particular order. A word is a run of letters and digits. A bigram's hash is
/// FNV-1a over its first word's bytes, a zero byte and its second word's bytes; so each
/// word is hashed twice in one pass, going on from the word before it and its zero byte,
/// and from the start.
pub fn fingerprint(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6);
    // The hash of the word before and its zero byte.
    let mut prev: Option<u64> = None;
    let mut i = 0;
    while let Some(rest) = bytes.get(i..) {
        // To the next letter or digit.
        i += rest.iter().position(|&b| b >= 0x80 || alnum_lower(b) != 0).unwrap_or(rest.len());
        let Some(&b) = bytes.get(i) else { break };
        if b >= 0x80 {
            let c = text.get(i..).and_then(|r| r.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
        }
        // The word, hashed as it goes while it is ASCII.
        let start = i;
        let (mut pair, mut word) = (prev.unwrap_or(FNV_START), FNV_START);
        while let Some(l) = bytes.get(i).map(|&b| alnum_lower(b)).filter(|&l| l != 0) {
            pair = fnv(pair, l);
            word = fnv(word, l);
            i += 1;
        }
        let more = |i: usize| text.get(i..).and_then(|r| r.chars().next()).filter(|c| c.is_alphanumeric());
        if bytes.get(i).is_some_and(|&b| b >= 0x80) && more(i).is_some() {
            // Letters beyond ASCII: the word lowercased whole, and hashed again.
            while let Some(c) = bytes.get(i).and_then(|&b| if b < 0x80 { (alnum_lower(b) != 0).then_some('a') } else { more(i) }) {
                i += c.len_utf8();
            }
            let lower = text.get(start..i).unwrap_or_default().to_lowercase();
            pair = lower.bytes().fold(prev.unwrap_or(FNV_START), fnv);
            word = lower.bytes().fold(FNV_START, fnv);
        }
        if prev.is_some() {
            out.push(pair);
        }
        prev = Some(fnv(word, 0));
    }
    dedup(out)
}

/// `hashes` without repeats, in no particular order: an open-addressing set, as sorting
/// them cost several times as much.
fn dedup(hashes: Vec<u64>) -> Vec<u64> {
    let len = (hashes.len() * 2).next_power_of_two().max(16);
    let (mask, shift) = (len - 1, 64 - len.trailing_zeros());
    // 0 marks an empty slot; a hash of 0 is kept aside.
    let mut slots = vec![0u64; len];
    let mut zero = false;
    let mut out = Vec::with_capacity(hashes.len());
    for h in hashes {
        if h == 0 {
            if !zero {
                out.push(0);
            }
            zero = true;
            continue;
        }
        // The top bits pick the slot: FNV-1a's last step is a multiplication, which mixes
        // into the high bits.
        let mut i = (h >> shift) as usize;
        while let Some(slot) = slots.get_mut(i) {
            if *slot == 0 {
                *slot = h;
                out.push(h);
                break;
            }
            if *slot == h {
                break;
            }
            i = (i + 1) & mask;
        }
    }
    out
}

/// The keys are cut into `1 << BUCKET_BITS` buckets by the top bits of their hashes, so
/// that a hash is looked for among a few keys, not by a binary search over all of them:
/// a 64 kB table.
const BUCKET_BITS: u32 = 14;

/// The bucket of a hash.
fn bucket(h: u64) -> usize {
    (h >> (64 - BUCKET_BITS)) as usize
}

/// The little-endian `u32` at `at` (counted in `u32`s) of `bytes`.
fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let rec = bytes.get(at * 4..at * 4 + 4)?;
    Some(u32::from_le_bytes(rec.try_into().ok()?) as usize)
}

/// How many bit planes [`Index::shared`] counts in: enough for any count a `u32` holds.
const PLANES: usize = 32;

/// The index `build.rs` writes for a list of fingerprints, all little-endian:
/// - the number of texts (`u32`), then each text's fingerprint size (`u32` each);
/// - the number of different hashes, the keys (`u32`);
/// - where each bucket's keys start (`u32` each, and one past the last);
/// - the keys, sorted (`u64` each);
/// - for each key, which texts hold it: a bit for each text, text `i` bit `i % 64` of
///   `u64` `i / 64`, in as many `u64`s as it takes for all the texts.
///
/// A look-up compares a hash with the few keys of its bucket and adds the key's row of
/// bits to counters held a bit of each at a time (see [`Index::shared`]), rather than
/// counting one by one each of the 150 or so licenses that hold a common bigram such as
/// "of the", as a list of the texts would have it: over the corpus that cost twice as
/// much. `None` past `u32::MAX` texts or hashes.
pub fn index_bytes(fingerprints: &[Vec<u64>]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(&u32::try_from(fingerprints.len()).ok()?.to_le_bytes());
    for fp in fingerprints {
        out.extend_from_slice(&u32::try_from(fp.len()).ok()?.to_le_bytes());
    }
    let mut postings: Vec<(u64, usize)> = fingerprints.iter().enumerate().flat_map(|(i, fp)| fp.iter().map(move |&h| (h, i))).collect();
    postings.sort_unstable();
    let words = fingerprints.len().div_ceil(64);
    let (mut keys, mut rows) = (Vec::new(), Vec::new());
    for run in postings.chunk_by(|a, b| a.0 == b.0) {
        keys.extend(run.first().map(|p| p.0));
        let mut row = vec![0u64; words];
        for &(_, i) in run {
            if let Some(w) = row.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
        rows.extend(row);
    }
    out.extend_from_slice(&u32::try_from(keys.len()).ok()?.to_le_bytes());
    for b in 0..=1usize << BUCKET_BITS {
        let start = keys.partition_point(|&h| bucket(h) < b);
        out.extend_from_slice(&u32::try_from(start).ok()?.to_le_bytes());
    }
    for h in keys.iter().chain(&rows) {
        out.extend_from_slice(&h.to_le_bytes());
    }
    Some(out)
}

/// An index written by [`index_bytes`], read in place.
pub struct Index<'a> {
    /// Each text's fingerprint size.
    pub sizes: Vec<u32>,
    buckets: &'a [u8],
    keys: &'a [u8],
    rows: &'a [u8],
}

impl<'a> Index<'a> {
    /// Read an index; `None` when the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<Index<'a>> {
        let (count, rest) = bytes.split_at_checked(4)?;
        let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
        let (sizes, rest) = rest.split_at_checked(count.checked_mul(4)?)?;
        let sizes = sizes.chunks_exact(4).filter_map(|c| c.try_into().ok().map(u32::from_le_bytes)).collect();
        let (keys, rest) = rest.split_at_checked(4)?;
        let keys = u32::from_le_bytes(keys.try_into().ok()?) as usize;
        let (buckets, rest) = rest.split_at_checked(((1 << BUCKET_BITS) + 1) * 4)?;
        let (keys, rows) = rest.split_at_checked(keys.checked_mul(8)?)?;
        (rows.len() == keys.len() * count.div_ceil(64)).then_some(Index { sizes, buckets, keys, rows })
    }

    /// For each text of the index, how many hashes it shares with `fingerprint`.
    ///
    /// The counts are kept in bit planes, [`PLANES`] `u64`s for each 64 texts, text `i`'s
    /// count in bit `i % 64` of them, its lowest bit in the first: a key's row of bits is
    /// added to 64 counts at once by carrying through the planes, as a binary adder does.
    pub fn shared(&self, fingerprint: &[u64]) -> Vec<u32> {
        let words = self.sizes.len().div_ceil(64);
        let mut planes = vec![0u64; words * PLANES];
        for &h in fingerprint {
            let b = bucket(h);
            let (Some(lo), Some(hi)) = (u32_at(self.buckets, b), u32_at(self.buckets, b + 1)) else { continue };
            let keys = self.keys.get(lo * 8..hi * 8).unwrap_or_default();
            let Some(k) = keys.chunks_exact(8).map(|k| k.try_into().map_or(0, u64::from_le_bytes)).take_while(|&k| k <= h).position(|k| k == h) else {
                continue;
            };
            let row = (lo + k) * words * 8;
            for (bits, planes) in self.rows.get(row..row + words * 8).unwrap_or_default().chunks_exact(8).zip(planes.chunks_exact_mut(PLANES)) {
                let mut carry = bits.try_into().map_or(0, u64::from_le_bytes);
                for plane in planes {
                    if carry == 0 {
                        break;
                    }
                    (*plane, carry) = (*plane ^ carry, *plane & carry);
                }
            }
        }
        let mut counts = vec![0u32; self.sizes.len()];
        for (w, planes) in planes.chunks_exact(PLANES).enumerate() {
            for (j, &plane) in planes.iter().enumerate() {
                let mut bits = plane;
                while bits != 0 {
                    if let Some(c) = counts.get_mut(w * 64 + bits.trailing_zeros() as usize) {
                        *c |= 1 << j;
                    }
                    bits &= bits - 1;
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alnum_lower_lowercases_ascii_letters_and_digits_only() {
        for b in 0..=255u8 {
            let expected = if b.is_ascii_alphanumeric() { b.to_ascii_lowercase() } else { 0 };
            assert_eq!(alnum_lower(b), expected, "{b}");
        }
    }

    #[test]
    fn fingerprints_ignore_case_punctuation_and_repeats() {
        assert_eq!(fingerprint("Free, as in FREE speech."), fingerprint("free as in free speech"));
        assert_eq!(fingerprint("a b a b a b").len(), 2);
        assert!(fingerprint("one").is_empty());
    }

    fn sorted(mut v: Vec<u64>) -> Vec<u64> {
        v.sort_unstable();
        v
    }

    /// The fingerprint as first written: each word lowercased, each pair hashed whole.
    fn plain_fingerprint(text: &str) -> Vec<u64> {
        let words: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let mut out: Vec<u64> = words.windows(2).map(|p| p[0].bytes().chain([0]).chain(p[1].bytes()).fold(FNV_START, fnv)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn fingerprints_hash_pairs_as_plainly_written() {
        for text in ["", "one", "Free, as in FREE speech.", "Ünïcödé Straße ΣΑΣ x\u{301}y Ⅻ 42 and_more", " a\tb\nc "] {
            assert_eq!(sorted(fingerprint(text)), plain_fingerprint(text), "{text}");
        }
        let apache = include_str!("../LICENSE-APACHE");
        assert_eq!(sorted(fingerprint(apache)), plain_fingerprint(apache));
        assert_eq!(sorted(dedup(vec![3, 0, 5, 3, 0, 1 << 63, 5, 1 << 63])), [0, 3, 5, 1 << 63]);
    }

    #[test]
    fn the_index_counts_shared_hashes_per_text() {
        let texts = [fingerprint("the quick brown fox jumps"), fingerprint("a quick brown fox sleeps"), Vec::new()];
        let bytes = index_bytes(&texts).unwrap_or_default();
        let index = Index::read(&bytes).unwrap_or_else(|| panic!("index does not read back"));
        assert_eq!(index.sizes, [4, 4, 0]);
        assert_eq!(index.shared(&fingerprint("quick brown fox jumps high")), [3, 2, 0]);
        assert_eq!(index.shared(&[]), [0, 0, 0]);
        assert!(Index::read(&bytes[..bytes.len() - 1]).is_none());
    }

    /// Counts that carry through many bit planes, for texts that take several `u64`s of
    /// bits, are those of a plain count.
    #[test]
    fn the_bit_planes_count_as_counting_one_by_one() {
        let pool: Vec<u64> = (1..=2000u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).chain([0, u64::MAX]).collect();
        let texts: Vec<Vec<u64>> = (0..150usize).map(|t| pool.iter().enumerate().filter(|&(i, _)| (i * 7 + t * 13) % (t % 5 + 1) == 0).map(|(_, &h)| h).collect()).collect();
        let bytes = index_bytes(&texts).unwrap_or_default();
        let index = Index::read(&bytes).unwrap_or_else(|| panic!("index does not read back"));
        let query: Vec<u64> = pool.iter().step_by(2).copied().chain([u64::MAX, 12345]).collect();
        let plain: Vec<u32> = texts.iter().map(|t| t.iter().filter(|h| query.contains(h)).count() as u32).collect();
        assert!(plain.iter().any(|&n| n > 1000) && plain.iter().any(|&n| n < 500));
        assert_eq!(index.shared(&query), plain);
    }
}
