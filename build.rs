//! Embeds the default theme (`themes/default/`) and the national edition this repository
//! holds (`content/`) in the binary, so a new user needs nothing but the binary. Generates
//! a table of (path, bytes) sorted by path for each.

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

/// The table of every file under `root`: `(path relative to root with / separators, bytes)`,
/// sorted by path, as Rust source; each file is watched for changes.
fn table(name: &str, doc: &str, root: &Path) -> String {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no files in {}: the binary would be missing them", root.display());
    let mut code = format!("/// {doc}\npub static {name}: &[(&str, &[u8])] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", f.display().to_string()));
    }
    code.push_str("];\n");
    code
}

fn main() {
    // Linked as a position-dependent executable on Linux: a position-independent one spends
    // about 8 ms of every start applying 138,000 relocations to 11 MB of tables (mostly the
    // typesetter's) before `main` runs; see "Speed and memory" in the README.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    // The package's folder as Cargo gives it when the script runs: a script compiled once and
    // run for a copy of the package in another folder (a worktree sharing the target folder)
    // must read that copy's files, not the folder it was compiled in.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("Cargo sets CARGO_MANIFEST_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let theme = table(
        "FILES",
        "The default theme's files: (path inside the theme, contents).",
        &Path::new(&manifest).join("themes/default"),
    );
    fs::write(out.join("theme_files.rs"), theme).unwrap();
    // The national edition: what a site building on it reads from a base folder (its
    // `content/`), by path inside that folder.
    let content = Path::new(&manifest).join("content");
    let edition = table("CONTENT", "The bundled edition's content: (path inside content/, contents).", &content);
    fs::write(out.join("edition_files.rs"), edition).unwrap();
}
