//! The `osdlint` binary: everything is in the library.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]
fn main() {
    std::process::exit(osdlint::cli::main());
}
