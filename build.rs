//! Embeds every `patterns/*.toml` into the binary, in name order.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
use std::{env, fs, path::Path};

/// Errors end the build, with what was being done when they happened.
fn main() -> Result<(), String> {
    let dir = Path::new("patterns");
    println!("cargo:rerun-if-changed=patterns");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("pub(super) const FILES: &[(&str, &str)] = &[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=patterns/{n}");
        let abs = fs::canonicalize(dir.join(n)).map_err(|e| format!("pattern file path patterns/{n}: {e}"))?;
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", format!("patterns/{n}"), abs));
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let dest = Path::new(&out_dir).join("embedded_patterns.rs");
    fs::write(&dest, out).map_err(|e| format!("write {}: {e}", dest.display()))?;
    Ok(())
}
