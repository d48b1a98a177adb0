//! osdlint: lint license texts against the Open Source Definition.
//!
//! Data flows one way: read (bytes → decoded [`source::Source`]) → [`normalize`] (text +
//! offset map) → [`segment`] (sentences) → [`engine`] (Aho-Corasick prefilter → regex
//! confirm → exclusions) → [`report`] (findings with file offsets) → [`render`].
//! Pointed at a project's root, [`project`] also weighs the license files against the
//! manifests' [`declared`] licenses and the README's open-source [`claims`].
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

mod askalono;
mod char_class;
pub mod bigrams;
pub mod claims;
pub mod cli;
pub mod config;
pub mod declared;
mod defined;
pub mod engine;
pub mod error;
pub mod facts;
pub mod identify;
mod lead;
pub mod normalize;
pub mod project;
pub mod render;
pub mod report;
pub mod rules;
pub mod segment;
pub mod selftest;
pub mod source;
pub mod walk;

pub use engine::{Finding, Linter};
pub use rules::{RuleSet, Severity};

/// A linter with the embedded pattern sets.
pub fn embedded_linter() -> Result<Linter, error::PatternError> {
    let set = RuleSet::embedded()?;
    Linter::new(set).map_err(|e| error::PatternError {
        file: "patterns".into(),
        text: None,
        span: None,
        message: e.to_string(),
    })
}
