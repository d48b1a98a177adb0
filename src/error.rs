//! The library's errors. Each carries the path it is about, and pattern errors carry the
//! span in their file so they can be shown with a label at the bad key or regex.

use std::ops::Range;

/// A pattern file that could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PatternError {
    pub file: String,
    /// The file's text, when there is a span to show in it.
    pub text: Option<String>,
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl PatternError {
    pub(crate) fn at(file: &str, text: &str, span: Option<Range<usize>>, message: String) -> Self {
        PatternError {
            file: file.to_string(),
            text: Some(text.to_string()),
            span,
            message,
        }
    }

    pub(crate) fn plain(file: String, message: String) -> Self {
        PatternError {
            file,
            text: None,
            span: None,
            message,
        }
    }

    pub(crate) fn io(file: String, e: std::io::Error) -> Self {
        Self::plain(file, e.to_string())
    }
}

/// A file that could not be read or linted.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {why}")]
    Skipped { path: String, why: String },
}
