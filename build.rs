//! Embeds the default theme (`themes/default/`) in the binary, so a new user needs nothing
//! but the binary. Generates a table of (path, bytes) sorted by path.

use std::fs;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if !entry.file_name().to_string_lossy().starts_with('.') {
            out.push(path);
        }
    }
}

fn main() {
    // The package's folder as Cargo gives it when the script runs: a script compiled once and
    // run for a copy of the package in another folder (a worktree sharing the target folder)
    // must read that copy's theme, not the folder it was compiled in.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("Cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no theme files in {}: the binary would have no templates", root.display());
    let mut code = String::from(
        "/// The default theme's files: (path inside the theme, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", f.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("theme_files.rs");
    fs::write(out, code).unwrap();
}
