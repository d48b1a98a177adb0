//! Embeds every `patterns/*.toml` into the binary, in name order.
use std::{env, fs, path::Path};

fn main() {
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
        let abs = fs::canonicalize(dir.join(n)).expect("pattern file path");
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", format!("patterns/{n}"), abs));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("embedded_patterns.rs");
    fs::write(dest, out).expect("write embedded_patterns.rs");
}
