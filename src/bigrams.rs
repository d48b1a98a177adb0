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

/// Bytes of one posting: a bigram hash (`u64`) and the index of a text holding it (`u16`),
/// little-endian.
const POSTING: usize = 10;

/// The index `build.rs` writes for a list of fingerprints: the number of texts (`u32`),
/// each text's fingerprint size (`u32` each), then a posting for each (hash, text) pair,
/// sorted by hash. All little-endian. `None` past 65,535 texts.
pub fn index_bytes(fingerprints: &[Vec<u64>]) -> Option<Vec<u8>> {
    let mut postings: Vec<(u64, u16)> = Vec::new();
    let mut out = Vec::new();
    out.extend_from_slice(&u32::try_from(fingerprints.len()).ok()?.to_le_bytes());
    for (i, fp) in fingerprints.iter().enumerate() {
        out.extend_from_slice(&u32::try_from(fp.len()).ok()?.to_le_bytes());
        let i = u16::try_from(i).ok()?;
        postings.extend(fp.iter().map(|&h| (h, i)));
    }
    postings.sort_unstable();
    for (h, i) in postings {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&i.to_le_bytes());
    }
    Some(out)
}

/// An index written by [`index_bytes`], read in place.
pub struct Index<'a> {
    /// Each text's fingerprint size.
    pub sizes: Vec<u32>,
    postings: &'a [u8],
}

impl<'a> Index<'a> {
    /// Read an index; `None` when the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<Index<'a>> {
        let (count, rest) = bytes.split_at_checked(4)?;
        let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
        let (sizes, postings) = rest.split_at_checked(count.checked_mul(4)?)?;
        let sizes = sizes.chunks_exact(4).filter_map(|c| c.try_into().ok().map(u32::from_le_bytes)).collect();
        (postings.len() % POSTING == 0).then_some(Index { sizes, postings })
    }

    fn posting(&self, at: usize) -> Option<(u64, u16)> {
        let rec = self.postings.get(at * POSTING..(at + 1) * POSTING)?;
        let (h, i) = rec.split_at(8);
        Some((u64::from_le_bytes(h.try_into().ok()?), u16::from_le_bytes(i.try_into().ok()?)))
    }

    /// For each text of the index, how many hashes it shares with `fingerprint`.
    pub fn shared(&self, fingerprint: &[u64]) -> Vec<u32> {
        let mut counts = vec![0u32; self.sizes.len()];
        let n = self.postings.len() / POSTING;
        for &h in fingerprint {
            // The first posting of `h`, by binary search over the sorted postings.
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match self.posting(mid) {
                    Some((x, _)) if x < h => lo = mid + 1,
                    _ => hi = mid,
                }
            }
            let mut at = lo;
            while let Some((x, i)) = self.posting(at).filter(|&(x, _)| x == h) {
                debug_assert_eq!(x, h);
                if let Some(c) = counts.get_mut(usize::from(i)) {
                    *c += 1;
                }
                at += 1;
            }
        }
        counts
    }
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
    fn the_index_counts_shared_hashes_per_text() {
        let texts = [fingerprint("the quick brown fox jumps"), fingerprint("a quick brown fox sleeps"), Vec::new()];
        let bytes = index_bytes(&texts).unwrap_or_default();
        let index = Index::read(&bytes).unwrap_or_else(|| panic!("index does not read back"));
        assert_eq!(index.sizes, [4, 4, 0]);
        assert_eq!(index.shared(&fingerprint("quick brown fox jumps high")), [3, 2, 0]);
        assert_eq!(index.shared(&[]), [0, 0, 0]);
        assert!(Index::read(&bytes[..bytes.len() - 1]).is_none());
    }
}
