//! What the bundled handbook and the example municipal copy write, file by file (path, size
//! and fingerprint), against the recorded snapshot: a change in how the build works (reading
//! each page once, the search index made without elasticlunr's trie, files written side by
//! side, the PDF from the cache) must not change a byte of what it writes. The snapshot was
//! recorded with the build before that work; a deliberate change to the output updates it,
//! reviewed like any snapshot. (Pages written minified from their own parse rather than by
//! minify-html was one: every page's bytes changed, not its document; `minified.rs` shows
//! that.)

use std::path::Path;

use crate::common::{contents, metodbok, repo_root};

/// Every output file as `path size fingerprint`, one per line.
fn manifest(out: &Path) -> String {
    contents(out)
        .into_iter()
        .map(|(path, bytes)| {
            format!("{} {} {}\n", path.display(), bytes.len(), metodbok::output::fingerprint([bytes.as_slice()]))
        })
        .collect()
}

fn build(site: &Path, out: &Path, cache: &Path) {
    let result = metodbok().arg("build").arg(site).arg("--out").arg(out).env("METODBOK_CACHE", cache).output().unwrap();
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
}

/// The PDFs the cache holds.
fn cached(cache: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache).map_or_else(|_| Vec::new(), |d| d.flatten().map(|e| e.path()).collect())
}

#[test]
fn the_handbook_and_the_example_copy_are_written_as_recorded_with_or_without_the_pdf_cache() {
    for (name, site) in [("handbook", repo_root()), ("exempel_kommun", repo_root().join("examples/exempel-kommun"))] {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        // Typeset: the cache is empty.
        build(&site, &tmp.path().join("first"), &cache);
        let first = manifest(&tmp.path().join("first"));
        insta::assert_snapshot!(format!("output_of_{name}"), first);
        // The PDF was kept, byte for byte as written.
        let kept = cached(&cache);
        assert_eq!(kept.len(), 1, "{kept:?}");
        let pdf = std::fs::read(tmp.path().join("first/hela-handboken.pdf")).unwrap();
        assert_eq!(std::fs::read(&kept[0]).unwrap(), pdf);
        // From the cache: the same output.
        build(&site, &tmp.path().join("second"), &cache);
        assert_eq!(manifest(&tmp.path().join("second")), first, "{name}: a build from the cache differs");
        // A cached file cut short is typeset anew, and the output is still the same.
        std::fs::write(&kept[0], &pdf[..pdf.len() / 2]).unwrap();
        build(&site, &tmp.path().join("third"), &cache);
        assert_eq!(manifest(&tmp.path().join("third")), first, "{name}: a build after a broken cache differs");
        assert_eq!(std::fs::read(&kept[0]).unwrap(), pdf, "{name}: the broken cached PDF was not replaced");
    }
}

#[test]
fn a_change_to_the_content_is_not_served_an_old_pdf() {
    let site = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&repo_root(), site.path());
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    build(site.path(), &tmp.path().join("a"), &cache);
    crate::common::edit(&site.path().join("content/phases/initiera.yaml"), "name: Initiera", "name: Initiering");
    build(site.path(), &tmp.path().join("b"), &cache);
    assert_eq!(cached(&cache).len(), 2, "the changed handbook was typeset anew and kept beside the first");
    let text = |dir: &str| {
        let out = std::process::Command::new("pdftotext")
            .arg(tmp.path().join(dir).join("hela-handboken.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) runs");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!text("a").contains("Initiering"));
    assert!(text("b").contains("Initiering"));
}
