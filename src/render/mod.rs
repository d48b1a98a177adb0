//! Output formats. Only this module and the command-line module write to the terminal.

pub mod human;
pub mod json;
pub mod plain;
pub mod sarif;

/// Output formats for `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the offending words underlined
    Human,
    /// one JSON document, for tools (see the README for the schema)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands, which annotate the pull request
    Github,
    /// one line a finding: path:line:col: severity[rule] message
    Concise,
}
