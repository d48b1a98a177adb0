//! Output formats. Only this module and the command-line module write to the terminal.

pub mod human;
pub mod json;

/// Output formats for `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the offending words underlined
    Human,
    /// one JSON document, for tools (see the README for the schema)
    Json,
}
