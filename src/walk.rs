//! Finding the license files under a directory: the `ignore` crate's walker (it honours
//! `.gitignore` and skips hidden files) filtered by license-like file names.

use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};

/// File names (matched case-insensitively against the base name) that hold licenses.
pub const LICENSE_GLOBS: &[&str] = &[
    "licen[cs]e",
    "licen[cs]e[-._]*",
    "licen[cs]es",
    "un-licen[cs]e",
    "unlicen[cs]e",
    "unlicen[cs]e.*",
    "copying",
    "copying[-._]*",
    "copyright",
    "copyright[-._]*",
    "notice",
    "notice[-._]*",
    "eula",
    "eula[-._]*",
    "*[-_.]licen[cs]e",
    "*[-_.]licen[cs]e.txt",
    "*[-_.]licen[cs]e.md",
    "*.licen[cs]e",
];

/// Extensions of source files that happen to carry a license-like name (`license.rs`).
const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "go", "js", "ts", "jsx", "tsx", "java", "kt", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php",
    "swift", "scala", "sh", "pl", "pm", "lua", "json", "yaml", "yml", "toml", "xml", "html", "css", "lock",
    "png", "jpg", "jpeg", "gif", "svg", "pdf", "zip", "gz", "class", "o", "so", "dll", "exe",
];

/// Matches license-like base names.
pub struct LicenseNames(GlobSet);

impl LicenseNames {
    pub fn new() -> LicenseNames {
        let mut b = GlobSetBuilder::new();
        for g in LICENSE_GLOBS {
            // The globs are constants, checked by a test.
            if let Ok(glob) = globset::GlobBuilder::new(g).case_insensitive(true).literal_separator(true).build() {
                b.add(glob);
            }
        }
        LicenseNames(b.build().unwrap_or_else(|_| GlobSet::empty()))
    }

    pub fn is_match(&self, path: &Path) -> bool {
        let Some(name) = path.file_name() else { return false };
        let ext_is_code = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| CODE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        // REUSE keeps a project's license texts in `LICENSES/`, named by SPDX id
        // (`LICENSES/MIT.txt`).
        let in_licenses_dir = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|d| d.to_str())
            .is_some_and(|d| d.eq_ignore_ascii_case("licenses") || d.eq_ignore_ascii_case("licences"));
        !ext_is_code && (in_licenses_dir || self.0.is_match(Path::new(name)))
    }
}

impl Default for LicenseNames {
    fn default() -> Self {
        Self::new()
    }
}

/// What walking a directory turned up.
pub enum Walked {
    File(PathBuf),
    /// A path the walker could not read, with why.
    Error(PathBuf, String),
}

/// License-like files under `root`, sorted by path so output never depends on the order
/// the file system lists them in.
pub fn walk(root: &Path, names: &LicenseNames, threads: usize) -> Vec<Walked> {
    let found = std::sync::Mutex::new(Vec::new());
    // Links are followed so a LICENSE that points at a shared file is linted; the walker
    // reports loops and dangling links as errors, which the caller shows. It walks in
    // parallel; sorting afterwards makes the order independent of the thread count.
    let walker = ignore::WalkBuilder::new(root).follow_links(true).require_git(false).threads(threads).build_parallel();
    walker.run(|| {
        let found = &found;
        Box::new(move |entry| {
            let item = match entry {
                Ok(e) => {
                    let is_file = e.file_type().is_some_and(|t| t.is_file());
                    (is_file && names.is_match(e.path())).then(|| Walked::File(e.into_path()))
                }
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                    Some(Walked::Error(path, io_message(&err)))
                }
            };
            if let (Some(item), Ok(mut v)) = (item, found.lock()) {
                v.push(item);
            }
            ignore::WalkState::Continue
        })
    });
    let mut out = found.into_inner().unwrap_or_default();
    out.sort_by(|a, b| key(a).cmp(key(b)));
    out
}

fn key(w: &Walked) -> &Path {
    match w {
        Walked::File(p) | Walked::Error(p, _) => p,
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn io_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => io_message(err),
        ignore::Error::Loop { ancestor, .. } => format!("symbolic link loop back to {}", ancestor.display()),
        ignore::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use globset::Glob;

    #[test]
    fn license_like_names() {
        let n = LicenseNames::new();
        for yes in ["LICENSE", "License.md", "LICENCE.txt", "COPYING", "COPYING.LESSER", "NOTICE", "UNLICENSE", "LICENSE-MIT", "MIT-LICENSE.txt", "foo.license", "eula.txt", "licenses", "LICENSES/MIT.txt", "p/licences/LicenseRef-Acme.md", "LICENSES/Apache-2.0"] {
            assert!(n.is_match(Path::new(yes)), "{yes}");
        }
        for no in ["README.md", "license.rs", "src/licensing.txt", "Cargo.toml", "licensee.txt", "LICENSES/check.py", "licenses-list/MIT.txt"] {
            assert!(!n.is_match(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn globs_compile() {
        for g in LICENSE_GLOBS {
            assert!(Glob::new(g).is_ok(), "{g}");
        }
    }
}
