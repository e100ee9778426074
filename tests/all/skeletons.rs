//! Document skeletons as a civil servant gets them: every package of the bundled handbook is
//! unzipped and its structure checked, then opened by a real office program (LibreOffice,
//! headless), which must find every heading in order with its number, and export a PDF with
//! one bookmark per heading.
//!
//! Needs `soffice` (Debian's `libreoffice-writer-nogui`, which `.ci/run` installs).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;

/// The bundled handbook, built once for all tests here.
fn bundled() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = dir.join("public");
        let (code, _, err) = run(&["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        out
    })
}

/// Every template of the bundled content: (id, document id, ["number text", …]).
fn templates() -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("content/heading-templates")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let field =
            |key: &str| text.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).unwrap().trim().to_string();
        let headings = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- { number: \""))
            .map(|l| {
                let (number, rest) = l.split_once("\", text: ").unwrap();
                format!("{number} {}", rest.trim_end_matches(" }").trim_matches('"'))
            })
            .collect();
        out.push((field("id"), field("document"), headings));
    }
    out.sort();
    assert_eq!(out.len(), 7, "the bundled method has seven heading templates");
    out
}

/// The level each heading should have: one below the closest earlier heading whose number
/// is a prefix of its own (the method goes from 3 straight to 3.1.1).
fn expected_levels(headings: &[String]) -> Vec<usize> {
    let numbers: Vec<&str> = headings.iter().map(|h| h.split(' ').next().unwrap()).collect();
    let mut levels: Vec<usize> = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        let parent = (0..i).rev().find(|&j| n.starts_with(&format!("{}.", numbers[j])));
        levels.push(parent.map_or(1, |j| levels[j] + 1));
    }
    levels
}

fn unzip(path: &Path) -> (Vec<(String, zip::CompressionMethod)>, BTreeMap<String, String>) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut order = Vec::new();
    let mut texts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        order.push((name.clone(), f.compression()));
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            texts.insert(name, s);
        }
    }
    (order, texts)
}

/// The values of attribute `attr` in `xml`.
fn attrs<'a>(xml: &'a str, attr: &str) -> Vec<&'a str> {
    xml.split(&format!(" {attr}=\"")).skip(1).map(|s| s.split('"').next().unwrap()).collect()
}

/// The text of every element `tag` in `xml`, in order.
fn texts_of(xml: &str, open: &str, close: &str) -> Vec<String> {
    xml.split(open)
        .skip(1)
        .map(|s| s.split(close).next().unwrap().split('>').next_back().unwrap().to_string())
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

#[test]
fn odt_packages_have_their_mimetype_first_and_stored_and_a_complete_manifest() {
    for (id, _, headings) in templates() {
        let (order, files) = unzip(&bundled().join(format!("mallar/{id}.odt")));
        assert_eq!(order[0], ("mimetype".to_string(), zip::CompressionMethod::Stored), "{id}.odt");
        assert_eq!(files["mimetype"], "application/vnd.oasis.opendocument.text");
        let manifest = &files["META-INF/manifest.xml"];
        let listed: BTreeSet<&str> = attrs(manifest, "manifest:full-path").into_iter().filter(|p| *p != "/").collect();
        let present: BTreeSet<&str> =
            order.iter().map(|(n, _)| n.as_str()).filter(|n| *n != "mimetype" && !n.starts_with("META-INF/")).collect();
        assert_eq!(listed, present, "{id}.odt: the manifest lists exactly the files in the package");
        // Real headings with their outline level, in the method's order.
        let content = &files["content.xml"];
        let found: Vec<String> = texts_of(content, "<text:h ", "</text:h>").iter().map(|t| unescape(t)).collect();
        assert_eq!(found, headings, "{id}.odt");
        let levels: Vec<usize> = attrs(content, "text:outline-level").iter().map(|l| l.parse().unwrap()).collect();
        assert_eq!(levels, expected_levels(&headings), "{id}.odt: heading levels");
        assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{id}.odt: no heading level is skipped: {levels:?}");
        let styles: Vec<usize> = attrs(content, "text:style-name")
            .iter()
            .filter_map(|s| s.strip_prefix("Heading_20_"))
            .map(|l| l.parse().unwrap())
            .collect();
        assert_eq!(styles, levels, "{id}.odt: each heading has the style of its level");
        let meta = &files["meta.xml"];
        assert!(meta.contains("<dc:language>sv-SE</dc:language>") && meta.contains("<dc:title>"), "{meta}");
        assert!(
            meta.contains("<dc:creator>Metod för utveckling i samverkan</dc:creator>"),
            "creator: the site (no organisation set)"
        );
        assert!(files["styles.xml"].contains("style:name=\"Heading_20_1\" style:display-name=\"Heading 1\""));
    }
}

#[test]
fn docx_packages_declare_every_part_and_use_heading_styles() {
    for (id, document, headings) in templates() {
        let (order, files) = unzip(&bundled().join(format!("mallar/{id}.docx")));
        let types = &files["[Content_Types].xml"];
        let overrides: BTreeSet<String> =
            attrs(types, "PartName").iter().map(|p| p.trim_start_matches('/').to_string()).collect();
        let defaults: BTreeSet<&str> = attrs(types, "Extension").into_iter().collect();
        for (name, _) in &order {
            if name == "[Content_Types].xml" {
                continue;
            }
            let ext = name.rsplit('.').next().unwrap();
            assert!(overrides.contains(name) || defaults.contains(ext), "{id}.docx: {name} has no content type");
        }
        for part in &overrides {
            assert!(files.contains_key(part), "{id}.docx: [Content_Types].xml names {part}, which is missing");
        }
        for (rels, base) in [("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")] {
            for target in attrs(&files[rels], "Target") {
                assert!(
                    files.contains_key(&format!("{base}{target}")),
                    "{id}.docx: {rels} points to a missing {target}"
                );
            }
        }
        let doc = &files["word/document.xml"];
        let styles: Vec<usize> =
            attrs(doc, "w:val").iter().filter_map(|s| s.strip_prefix("Heading")).map(|l| l.parse().unwrap()).collect();
        assert_eq!(styles, expected_levels(&headings), "{id}.docx: one heading style per heading, at its level");
        let paragraphs: Vec<String> = doc
            .split("<w:p>")
            .filter(|p| p.contains("w:pStyle w:val=\"Heading"))
            .map(|p| unescape(&texts_of(p, "<w:t ", "</w:t>").concat()))
            .collect();
        assert_eq!(paragraphs, headings, "{id}.docx");
        let core = &files["docProps/core.xml"];
        assert!(core.contains("<dc:language>sv-SE</dc:language>") && core.contains("<dc:creator>"), "{core}");
        assert!(files["word/styles.xml"].contains("<w:name w:val=\"heading 1\"/>"), "built-in heading names");
        assert!(files["word/styles.xml"].contains("<w:outlineLvl w:val=\"3\"/>"), "heading 4 has its outline level");
        let _ = document;
    }
}

#[test]
fn two_builds_give_byte_identical_packages_and_phases_zip_their_skeletons() {
    let again = tempfile::tempdir().unwrap();
    let out = again.path().join("public");
    assert_eq!(run(&["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]).0, 0);
    let mut compared = 0;
    for dir in ["mallar", "faser"] {
        for entry in std::fs::read_dir(bundled().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if [".docx", ".odt", ".md", ".zip"].iter().any(|e| name.ends_with(e)) {
                assert!(
                    std::fs::read(&path).unwrap() == std::fs::read(out.join(dir).join(&name)).unwrap(),
                    "{name} differs"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 7 * 3 + 4, "21 skeletons and 4 phase zips");
    // Förstudiedirektiv is a document of phase 1; its skeletons are in that phase's zip.
    let (order, _) = unzip(&bundled().join("faser/identifiera-behov-dokumentmallar.zip"));
    let names: Vec<&str> = order.iter().map(|(n, _)| n.as_str()).collect();
    for n in ["forstudiedirektiv.docx", "forstudiedirektiv.odt", "forstudiedirektiv.md"] {
        assert!(names.contains(&n), "{names:?}");
    }
}

/// Runs LibreOffice headless on `files`, converting to `format` into a fresh folder.
fn soffice(files: &[PathBuf], format: &str) -> PathBuf {
    let out = tempfile::tempdir().unwrap().keep();
    // A profile of its own, so tests running at the same time do not share one.
    let profile = format!("-env:UserInstallation=file://{}", out.join("profile").display());
    let status = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--norestore", "--convert-to", format, "--outdir"])
        .arg(out.join("converted"))
        .args(files)
        .output()
        .expect("soffice runs (Debian package libreoffice-writer-nogui; .ci/run installs it)");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    out.join("converted")
}

fn packages(ext: &str) -> Vec<(PathBuf, Vec<String>)> {
    templates().into_iter().map(|(id, _, headings)| (bundled().join(format!("mallar/{id}.{ext}")), headings)).collect()
}

#[test]
fn libreoffice_reads_every_heading_in_order_with_its_number() {
    for ext in ["docx", "odt"] {
        let files = packages(ext);
        let out = soffice(&files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), "txt:Text");
        for (path, headings) in files {
            let txt = out.join(path.with_extension("txt").file_name().unwrap());
            let text = std::fs::read_to_string(&txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()));
            let lines: Vec<&str> = text.lines().map(|l| l.trim_start_matches('\u{feff}').trim()).collect();
            let mut at = 0;
            for h in &headings {
                let found = lines[at..].iter().position(|l| l == h);
                assert!(found.is_some(), "{}: heading \"{h}\" not found after line {at}", path.display());
                at += found.unwrap() + 1;
            }
        }
    }
}

/// The bookmark titles of a PDF as LibreOffice writes them (`/Title <FEFF…>` in outline
/// items, uncompressed), without the document information's own title.
fn bookmarks(pdf: &[u8], document_title: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/Title")
        .skip(1)
        .filter_map(|s| {
            let s = s.trim_start();
            let hex = s.strip_prefix('<')?.split('>').next()?;
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            let units: Vec<u16> = bytes.chunks(2).skip(1).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            Some(String::from_utf16(&units).unwrap())
        })
        .filter(|t| t != document_title)
        .collect()
}

#[test]
fn libreoffice_exports_a_pdf_with_one_bookmark_per_heading() {
    let names: BTreeMap<String, String> = templates()
        .into_iter()
        .map(|(id, document, _)| {
            let yaml = std::fs::read_to_string(repo_root().join("content/documents.yaml")).unwrap();
            let name = yaml
                .split("- id: ")
                .find(|b| b.starts_with(&format!("{document}\n")))
                .and_then(|b| b.lines().find_map(|l| l.trim().strip_prefix("name: ")))
                .unwrap_or_else(|| panic!("document {document} in documents.yaml"))
                .trim_matches('"')
                .to_string();
            (id, name)
        })
        .collect();
    for ext in ["docx", "odt"] {
        let files = packages(ext);
        let out = soffice(&files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), "pdf");
        for (path, headings) in files {
            let id = path.file_stem().unwrap().to_str().unwrap();
            let pdf = std::fs::read(out.join(format!("{id}.pdf"))).unwrap();
            assert_eq!(bookmarks(&pdf, &names[id]), headings, "{}: one bookmark per heading, in order", path.display());
        }
    }
}
