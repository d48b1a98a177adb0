//! The `osdlint` binary: everything is in the library.
fn main() {
    std::process::exit(osdlint::cli::main());
}
