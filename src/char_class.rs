//! The character classes of askalono's normalizing regexes, for `src/askalono.rs`: the
//! table `build.rs` reads from those regexes (`build.rs` itself uses the same table, made
//! in memory, when it counts the license index's bigrams with `src/askalono.rs`).

mod table {
    include!(concat!(env!("OUT_DIR"), "/char_classes.rs"));
}

/// The class bits of each ASCII character.
pub(crate) fn ascii() -> &'static [u16; 128] {
    &table::ASCII_CLASSES
}

/// The first code point past ASCII of each run of characters with the same class bits,
/// and those bits, in order.
pub(crate) fn runs() -> &'static [(u32, u16)] {
    table::CLASS_RUNS
}
