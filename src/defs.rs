//! The pattern-file format as TOML reads it. Shared with `build.rs` (by `#[path]`), which
//! parses the embedded pattern files once and writes them out as Rust code that builds
//! these same structures, so the binary does not parse its own TOML on every run.

use serde::Deserialize;
use toml::Spanned;

/// Text of a pattern file: borrowed from the binary for an embedded file (`build.rs`
/// writes its strings as literals), owned for a file read at run time.
pub type Text = std::borrow::Cow<'static, str>;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

pub(crate) fn default_severity() -> Severity {
    Severity::Error
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDef {
    #[serde(default)]
    pub(crate) guard: Vec<GuardDef>,
    #[serde(default)]
    pub(crate) rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GuardDef {
    pub(crate) id: Spanned<String>,
    pub(crate) description: String,
    pub(crate) regexes: Vec<Spanned<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub(crate) id: Spanned<String>,
    pub(crate) osd: Spanned<Vec<u8>>,
    #[serde(default = "default_severity")]
    pub(crate) severity: Severity,
    pub(crate) message: Spanned<String>,
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) fact_label: Option<String>,
    pub(crate) why: String,
    pub(crate) help: String,
    pub(crate) explain: Spanned<String>,
    pub(crate) triggers: Spanned<Vec<Text>>,
    /// The triggers normalized (as rules match them), when `build.rs` did it already.
    #[serde(skip)]
    pub(crate) normalized: Option<Vec<Text>>,
    /// The embedded literal table's index of each (non-empty) normalized trigger, when
    /// `build.rs` put them there.
    #[serde(skip)]
    pub(crate) trigger_ids: Option<&'static [u32]>,
    #[serde(default)]
    pub(crate) regexes: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) warn: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) unless: Vec<Spanned<Text>>,
    #[serde(default)]
    pub(crate) guards: Vec<Spanned<String>>,
    pub(crate) tests: TestsDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestsDef {
    #[serde(rename = "match")]
    pub(crate) matches: Vec<Spanned<Text>>,
    pub(crate) no_match: Vec<Spanned<Text>>,
}
