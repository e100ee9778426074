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

/// The depth of each heading's number: its level in Word and OpenDocument (3.1.1 is 3).
fn depths(headings: &[String]) -> Vec<usize> {
    headings.iter().map(|h| h.split(' ').next().unwrap().matches('.').count() + 1).collect()
}

/// The heading texts without their numbers.
fn texts(headings: &[String]) -> Vec<String> {
    headings.iter().map(|h| h.split_once(' ').unwrap().1.to_string()).collect()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

/// A parsed XML part.
fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("well-formed XML: {e}"))
}

/// Elements named `name` in namespace `ns` under `node`, in document order.
fn all<'a, 'i>(node: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    let (ns, name) = (ns.to_string(), name.to_string());
    node.descendants().filter(move |n| n.is_element() && n.has_tag_name((ns.as_str(), name.as_str()))).collect()
}

/// The text of `node` and everything in it.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap()).collect()
}

/// Attribute `name` of namespace `ns`.
fn attr<'a>(node: roxmltree::Node<'a, '_>, ns: &str, name: &str) -> Option<&'a str> {
    node.attribute((ns, name))
}

/// The first element `name` of namespace `ns` under `node` whose attribute `key` is `value`.
fn element_with<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    (ns, name): (&str, &str),
    key: (&str, &str),
    value: &str,
) -> roxmltree::Node<'a, 'i> {
    all(node, ns, name)
        .into_iter()
        .find(|n| n.attribute(key) == Some(value))
        .unwrap_or_else(|| panic!("a {name} whose {} is {value}", key.1))
}

/// A Dublin Core property (`dc:language`, `dc:description`, …) of a properties part.
fn dublin_core(properties: &roxmltree::Document, name: &str) -> Option<String> {
    properties.descendants().find(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", name))).map(text_of)
}

/// The rows of a table's cells' text, in either format.
fn rows(table: roxmltree::Node, ns: &str, row: &str, cell: &str) -> Vec<Vec<String>> {
    all(table, ns, row).into_iter().map(|r| all(r, ns, cell).into_iter().map(text_of).collect()).collect()
}

/// The information table and change log as the bundled handbook's Swedish labels give them.
fn expected_tables(document_name: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let info = [
        ("Dokumentnamn", document_name),
        ("Utvecklingsinsats", ""),
        ("Version", "0.1"),
        ("Datum", ""),
        ("Status (utkast, för beslut, beslutad)", "Utkast"),
        ("Författare", ""),
        ("Dokumentägare", ""),
        ("Beslutad av", ""),
        ("Beslutsdatum", ""),
    ];
    let log = [["Version", "Datum", "Ändring", "Ändrad av"], ["0.1", "", "Första utkast", ""]];
    (
        info.iter().map(|(k, v)| vec![k.to_string(), v.to_string()]).collect(),
        log.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
    )
}

/// The document's name (documents.yaml) for each template id.
fn document_names() -> BTreeMap<String, String> {
    let yaml = std::fs::read_to_string(repo_root().join("content/documents.yaml")).unwrap();
    templates()
        .into_iter()
        .map(|(id, document, _)| {
            let name = yaml
                .split("- id: ")
                .find(|b| b.starts_with(&format!("{document}\n")))
                .and_then(|b| b.lines().find_map(|l| l.trim().strip_prefix("name: ")))
                .unwrap_or_else(|| panic!("document {document} in documents.yaml"))
                .trim_matches('"')
                .to_string();
            (id, name)
        })
        .collect()
}

#[test]
fn odt_packages_have_their_mimetype_first_and_stored_and_a_complete_manifest() {
    let names = document_names();
    for (id, _, headings) in templates() {
        let (order, files) = unzip(&bundled().join(format!("mallar/{id}.odt")));
        assert_eq!(order[0], ("mimetype".to_string(), zip::CompressionMethod::Stored), "{id}.odt");
        assert_eq!(files["mimetype"], "application/vnd.oasis.opendocument.text");
        let manifest = parse(&files["META-INF/manifest.xml"]);
        let listed: BTreeSet<&str> = manifest
            .descendants()
            .filter_map(|n| n.attribute(("urn:oasis:names:tc:opendocument:xmlns:manifest:1.0", "full-path")))
            .filter(|p| *p != "/")
            .collect();
        let present: BTreeSet<&str> =
            order.iter().map(|(n, _)| n.as_str()).filter(|n| *n != "mimetype" && !n.starts_with("META-INF/")).collect();
        assert_eq!(listed, present, "{id}.odt: the manifest lists exactly the files in the package");
        // Real headings without typed numbers, at the depth of their number, in the method's order.
        let content = parse(&files["content.xml"]);
        let body = all(content.root(), "urn:oasis:names:tc:opendocument:xmlns:office:1.0", "text")[0];
        let found: Vec<_> = all(body, TEXT, "h");
        assert_eq!(found.iter().map(|h| text_of(*h)).collect::<Vec<_>>(), texts(&headings), "{id}.odt");
        let levels: Vec<usize> =
            found.iter().map(|h| attr(*h, TEXT, "outline-level").unwrap().parse().unwrap()).collect();
        assert_eq!(levels, depths(&headings), "{id}.odt: heading levels");
        let styles: Vec<String> = found.iter().map(|h| attr(*h, TEXT, "style-name").unwrap().to_string()).collect();
        assert_eq!(styles, levels.iter().map(|l| format!("Heading_20_{l}")).collect::<Vec<_>>(), "{id}.odt");
        // The information table and change log, then a table of contents listing every heading.
        let tables = all(body, TABLE, "table");
        let (info, log) = expected_tables(&names[&id]);
        assert_eq!(rows(tables[0], TABLE, "table-row", "table-cell"), info, "{id}.odt");
        assert_eq!(rows(tables[1], TABLE, "table-row", "table-cell"), log, "{id}.odt");
        let toc = all(body, TEXT, "table-of-content");
        assert_eq!(toc.len(), 1, "{id}.odt: one table of contents");
        assert_eq!(attr(all(toc[0], TEXT, "table-of-content-source")[0], TEXT, "outline-level"), Some("4"));
        let entries: Vec<String> = all(all(toc[0], TEXT, "index-body")[0], TEXT, "p")
            .into_iter()
            .skip(1)
            .map(|p| text_of(p).trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
            .collect();
        assert_eq!(entries, headings, "{id}.odt: the delivered contents list every heading with its number");
        // Heading 1–4 numbered by the outline numbering, one level of the number each.
        let styles = parse(&files["styles.xml"]);
        for level in 1..=4 {
            let outline =
                element_with(styles.root(), (TEXT, "outline-level-style"), (TEXT, "level"), &level.to_string());
            assert_eq!(attr(outline, STYLE, "num-format"), Some("1"), "{id}.odt level {level}");
            assert_eq!(attr(outline, TEXT, "display-levels"), Some(level.to_string().as_str()));
            let style = element_with(styles.root(), (STYLE, "style"), (STYLE, "name"), &format!("Heading_20_{level}"));
            assert_eq!(attr(style, STYLE, "default-outline-level"), Some(level.to_string().as_str()));
        }
        // Page number and count in the footer, the document's name in the header.
        let footer = all(styles.root(), STYLE, "footer")[0];
        assert_eq!(all(footer, TEXT, "page-number").len(), 1, "{id}.odt");
        assert_eq!(all(footer, TEXT, "page-count").len(), 1, "{id}.odt");
        assert!(text_of(footer).starts_with("Sida "), "{id}.odt");
        assert_eq!(text_of(all(styles.root(), STYLE, "header")[0]), names[&id], "{id}.odt: no organisation");
        let face = all(styles.root(), STYLE, "font-face")[0];
        assert_eq!(attr(face, SVG, "font-family"), Some("Arial"));
        let meta = parse(&files["meta.xml"]);
        let dc = |name: &str| dublin_core(&meta, name);
        assert_eq!(dc("language").as_deref(), Some("sv-SE"));
        assert_eq!(dc("creator").as_deref(), Some("Metod för utveckling i samverkan"), "the site (no organisation)");
        assert!(dc("description").unwrap().contains("har handboken lagt till"), "{id}.odt: the additions are named");
    }
}

#[test]
fn docx_packages_declare_every_part_and_bind_heading_styles_to_one_numbering() {
    let names = document_names();
    for (id, _, headings) in templates() {
        let (order, files) = unzip(&bundled().join(format!("mallar/{id}.docx")));
        let types = parse(&files["[Content_Types].xml"]);
        let overrides: BTreeSet<String> = types
            .descendants()
            .filter_map(|n| n.attribute("PartName"))
            .map(|p| p.trim_start_matches('/').to_string())
            .collect();
        let defaults: BTreeSet<&str> = types.descendants().filter_map(|n| n.attribute("Extension")).collect();
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
            for target in parse(&files[rels]).descendants().filter_map(|n| n.attribute("Target")) {
                assert!(
                    files.contains_key(&format!("{base}{target}")),
                    "{id}.docx: {rels} points to a missing {target}"
                );
            }
        }
        let doc = parse(&files["word/document.xml"]);
        let style_of = |p: roxmltree::Node| {
            all(p, W, "pStyle").first().and_then(|s| attr(*s, W, "val")).unwrap_or("Normal").to_string()
        };
        let paragraphs = all(doc.root(), W, "p");
        let heading_paragraphs: Vec<_> =
            paragraphs.iter().filter(|p| style_of(**p).starts_with("Heading")).copied().collect();
        assert_eq!(heading_paragraphs.iter().map(|p| text_of(*p)).collect::<Vec<_>>(), texts(&headings), "{id}.docx");
        let levels: Vec<usize> =
            heading_paragraphs.iter().map(|p| style_of(*p)["Heading".len()..].parse().unwrap()).collect();
        assert_eq!(levels, depths(&headings), "{id}.docx: one heading style per heading, at its number's depth");
        assert!(heading_paragraphs.iter().all(|p| all(*p, W, "numPr").is_empty()), "numbered by their style");
        // The information table and change log, then a TOC field whose result lists every heading.
        let tables = all(doc.root(), W, "tbl");
        let (info, log) = expected_tables(&names[&id]);
        assert_eq!(rows(tables[0], W, "tr", "tc"), info, "{id}.docx");
        assert_eq!(rows(tables[1], W, "tr", "tc"), log, "{id}.docx");
        let instructions: Vec<String> = all(doc.root(), W, "instrText").into_iter().map(text_of).collect();
        assert_eq!(instructions, [" TOC \\o \"1-4\" \\h \\z \\u "], "{id}.docx");
        let entries: Vec<String> = paragraphs
            .iter()
            .filter(|p| style_of(**p).starts_with("TOC") && style_of(**p) != "TOCHeading")
            .map(|p| {
                let shown: String = all(*p, W, "t").into_iter().map(text_of).collect();
                shown.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
            })
            .collect();
        assert_eq!(entries, headings, "{id}.docx: the delivered contents list every heading with its number");
        // Heading 1–4 each bound to its level of one multilevel numbering.
        let styles = parse(&files["word/styles.xml"]);
        let numbering = parse(&files["word/numbering.xml"]);
        for level in 1..=4 {
            let style = element_with(styles.root(), (W, "style"), (W, "styleId"), &format!("Heading{level}"));
            let num = all(style, W, "numPr")[0];
            assert_eq!(attr(all(num, W, "numId")[0], W, "val"), Some("1"), "{id}.docx Heading{level}");
            assert_eq!(attr(all(num, W, "ilvl")[0], W, "val"), Some((level - 1).to_string().as_str()));
            let lvl = element_with(numbering.root(), (W, "lvl"), (W, "ilvl"), &(level - 1).to_string());
            assert_eq!(attr(all(lvl, W, "pStyle")[0], W, "val"), Some(format!("Heading{level}").as_str()));
            let text: Vec<String> = (1..=level).map(|l| format!("%{l}")).collect();
            assert_eq!(attr(all(lvl, W, "lvlText")[0], W, "val"), Some(text.join(".").as_str()));
        }
        let num = all(numbering.root(), W, "num")[0];
        assert_eq!(attr(num, W, "numId"), Some("1"));
        // Page fields in the footer, the document's name in the header.
        let footer = parse(&files["word/footer1.xml"]);
        let fields: Vec<&str> =
            all(footer.root(), W, "fldSimple").into_iter().filter_map(|f| attr(f, W, "instr")).collect();
        assert_eq!(fields, [" PAGE ", " NUMPAGES "], "{id}.docx");
        assert_eq!(text_of(parse(&files["word/header1.xml"]).root()), names[&id], "{id}.docx: no organisation");
        let fonts = all(styles.root(), W, "rFonts")[0];
        assert_eq!(attr(fonts, W, "ascii"), Some("Arial"));
        let core = parse(&files["docProps/core.xml"]);
        let dc = |name: &str| dublin_core(&core, name);
        assert_eq!(dc("language").as_deref(), Some("sv-SE"));
        assert!(dc("description").unwrap().contains("har handboken lagt till"), "{id}.docx: the additions are named");
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
                if !name.ends_with(".md") {
                    assert_eq!(entry_dates(&path), BTreeSet::from([edition_date()]), "{name}: every entry dated");
                }
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

/// The method's edition date in content/method.yaml: (year, month, day).
fn edition_date() -> (u16, u8, u8) {
    let yaml = std::fs::read_to_string(repo_root().join("content/method.yaml")).unwrap();
    let date = yaml.lines().find_map(|l| l.strip_prefix("date: ")).unwrap().trim_matches('"').to_string();
    let parts: Vec<u16> = date.split('-').map(|p| p.parse().unwrap()).collect();
    assert_ne!(parts[0], 1980);
    (parts[0], parts[1] as u8, parts[2] as u8)
}

/// The dates the entries of a zip package carry.
fn entry_dates(path: &Path) -> BTreeSet<(u16, u8, u8)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let when = archive.by_index(i).unwrap().last_modified().unwrap();
            (when.year(), when.month(), when.day())
        })
        .collect()
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
    let names = document_names();
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

/// Runs `tests/all/office.py` (LibreOffice through UNO, with Debian's python3-uno) and
/// returns what it reports.
fn office(args: &[&str]) -> serde_json::Value {
    let script = repo_root().join("tests/all/office.py");
    let out = Command::new("/usr/bin/python3")
        .arg(&script)
        .args(args)
        .output()
        .expect("/usr/bin/python3 runs (Debian's python3 with python3-uno; .ci/run installs it)");
    assert!(out.status.success(), "office.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The headings of an `office.py` report as "number text", the number LibreOffice shows.
fn numbered_headings(report: &serde_json::Value) -> Vec<String> {
    let headings = report["headings"].as_array().unwrap().iter();
    headings.map(|h| format!("{} {}", h[0].as_str().unwrap(), h[1].as_str().unwrap())).collect()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// The font families a PDF embeds (subset prefixes and styles removed), by `pdffonts`.
fn pdf_font_families(pdf: &Path) -> BTreeSet<String> {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(|name| {
            let name = name.split_once('+').map_or(name, |(_, n)| n);
            name.split('-').next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn libreoffice_numbers_each_heading_as_the_method_and_finds_the_contents_tables_and_page_fields() {
    let names = document_names();
    let (info, log) = expected_tables("");
    let mut families = BTreeMap::new();
    for ext in ["odt", "docx"] {
        let files: Vec<(PathBuf, Vec<String>)> = packages(ext);
        let paths: Vec<String> = files.iter().map(|(p, _)| p.to_str().unwrap().to_string()).collect();
        let args: Vec<&str> = std::iter::once("report").chain(paths.iter().map(String::as_str)).collect();
        let report = office(&args);
        for (path, headings) in &files {
            let r = &report[path.to_str().unwrap()];
            let id = path.file_stem().unwrap().to_str().unwrap();
            let what = format!("{id}.{ext}");
            // Every heading numbered by LibreOffice with the method's number, at its level.
            let shown = numbered_headings(r);
            assert_eq!(&shown, headings, "{what}: the numbers LibreOffice maintains");
            let levels: Vec<usize> =
                r["headings"].as_array().unwrap().iter().map(|h| h[2].as_u64().unwrap() as usize).collect();
            assert_eq!(levels, depths(headings), "{what}");
            // The contents as delivered list every heading with a page, and are what LibreOffice
            // makes of them when it updates them.
            let delivered = &r["contents_delivered"];
            assert_eq!(delivered["service"], "SwXDocumentIndex", "{what}: a real table of contents");
            assert_eq!(delivered["title"], "Innehåll", "{what}");
            let entries: Vec<String> =
                delivered["lines"].as_array().unwrap().iter().map(|l| l[0].as_str().unwrap().to_string()).collect();
            assert_eq!(&entries, headings, "{what}: the contents list every heading");
            assert_eq!(r["contents_updated"], *delivered, "{what}: the delivered pages are the updated ones");
            let pages = r["pages"].as_u64().unwrap();
            let last: u64 =
                delivered["lines"].as_array().unwrap().last().unwrap()[1].as_str().unwrap().parse().unwrap();
            assert_eq!(last, pages, "{what}: the last chapter is on the last page");
            // The information table and change log.
            let tables: Vec<&serde_json::Value> = r["tables"].as_object().unwrap().values().collect();
            let cells =
                |t: &serde_json::Value| -> Vec<Vec<String>> { t.as_array().unwrap().iter().map(strings).collect() };
            let mut expected_info = info.clone();
            expected_info[0][1] = names[id].clone();
            assert!(tables.iter().any(|t| cells(t) == expected_info), "{what}: {tables:?}");
            assert!(tables.iter().any(|t| cells(t) == log), "{what}: {tables:?}");
            // Page number and count fields in the footer, the name in the header.
            let footer = &r["footer"]["Standard"];
            assert_eq!(
                footer["fields"],
                serde_json::json!([
                    ["com.sun.star.text.textfield.PageNumber"],
                    ["com.sun.star.text.textfield.PageCount"]
                ]),
                "{what}"
            );
            assert_eq!(r["header"]["Standard"], names[id].as_str(), "{what}");
            assert!(r["description"].as_str().unwrap().contains("har handboken lagt till"), "{what}");
            // One typeface for every paragraph style used.
            let fonts: BTreeSet<&str> = r["fonts"].as_object().unwrap().values().map(|f| f.as_str().unwrap()).collect();
            assert_eq!(fonts, BTreeSet::from(["Arial"]), "{what}");
            // The PDF LibreOffice exports after updating: the footer reads "Sida 1 av N".
            let pdf = PathBuf::from(r["pdf"].as_str().unwrap());
            let text = Command::new("pdftotext").args(["-f", "1", "-l", "1"]).arg(&pdf).arg("-").output().unwrap();
            let text = String::from_utf8_lossy(&text.stdout);
            assert!(text.contains(&format!("Sida 1 av {pages}")), "{what}: {text}");
            families.entry(ext).or_insert_with(BTreeSet::new).extend(pdf_font_families(&pdf));
        }
    }
    assert_eq!(families["odt"], families["docx"], "the same typeface in both formats: {families:?}");
    assert!(families["odt"].iter().all(|f| f == "LiberationSans"), "{families:?}");
}

#[test]
fn a_heading_added_in_libreoffice_is_numbered_and_those_after_it_renumbered() {
    for ext in ["odt", "docx"] {
        let path = bundled().join(format!("mallar/forstudierapport.{ext}"));
        let r = office(&["insert", path.to_str().unwrap(), "Syfte", "Intressenter"]);
        let shown = numbered_headings(&r);
        assert_eq!(
            shown[..7],
            [
                "1 Utvecklingsinsatsens omfattning och bakgrund",
                "1.1 Syfte",
                "1.2 Intressenter",
                "1.3 Bakgrund",
                "1.4 Avgränsningar",
                "1.5 Förutsättningar",
                "2 Förstudiens syfte"
            ],
            "forstudierapport.{ext}"
        );
        // Later chapters keep their numbers, the skipped level included.
        assert!(shown.contains(&"3.1.3.2 Externt- privatpersoner och företag".to_string()), "{shown:?}");
        let contents: Vec<&str> =
            r["contents_updated"]["lines"].as_array().unwrap().iter().map(|l| l[0].as_str().unwrap()).collect();
        assert_eq!(contents[2..4], ["1.2 Intressenter", "1.3 Bakgrund"], "forstudierapport.{ext}: contents updated");
    }
}

/// The bytes of entry `name` of the zip package at `path`.
fn entry_bytes(path: &Path, name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[test]
fn an_organisations_skeletons_carry_its_name_and_logo_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let site = repo_root().join("examples/exempel-kommun");
    let (code, _, err) = run(&["build", site.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let png = b"\x89PNG\r\n\x1a\n";
    // OpenDocument: the logo (the site's SVG drawn as PNG) and the name after the document's.
    let odt = out.join("mallar/forstudierapport.odt");
    let (_, files) = unzip(&odt);
    assert!(entry_bytes(&odt, "Pictures/logo.png").starts_with(png), "the logo as PNG");
    assert!(files["META-INF/manifest.xml"].contains("manifest:full-path=\"Pictures/logo.png\""));
    let styles = parse(&files["styles.xml"]);
    let header = all(styles.root(), STYLE, "header")[0];
    let frame = all(header, "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "frame")[0];
    let image = frame.first_element_child().unwrap();
    assert_eq!(image.attribute(("http://www.w3.org/1999/xlink", "href")), Some("Pictures/logo.png"));
    assert_eq!(all(frame, SVG, "title").into_iter().map(text_of).collect::<Vec<_>>(), ["Exempel kommun"], "alt text");
    let paragraph = all(header, TEXT, "p")[0];
    let words: Vec<&str> = paragraph.children().filter(|n| n.is_text()).map(|n| n.text().unwrap().trim()).collect();
    assert_eq!(words, ["Förstudierapport", "Exempel kommun"]);
    // Word: the same in the header part, the image through the header's relationships.
    let docx = out.join("mallar/forstudierapport.docx");
    let (_, files) = unzip(&docx);
    let header = parse(&files["word/header1.xml"]);
    let words: Vec<String> = all(header.root(), W, "t").into_iter().map(text_of).collect();
    assert_eq!(words.concat(), "Förstudierapport Exempel kommun");
    let blip = header.descendants().find(|n| n.has_tag_name("blip")).unwrap();
    let id = blip.attributes().find(|a| a.name() == "embed").unwrap().value();
    let rels = parse(&files["word/_rels/header1.xml.rels"]);
    let target = rels.descendants().find(|n| n.attribute("Id") == Some(id)).unwrap().attribute("Target").unwrap();
    assert!(entry_bytes(&docx, &format!("word/{target}")).starts_with(png), "the logo as PNG");
    let described = header.descendants().find(|n| n.has_tag_name("docPr")).unwrap().attribute("descr");
    assert_eq!(described, Some("Exempel kommun"), "alt text");
    // LibreOffice shows the name in the header, and the exported first page has the logo.
    let report = office(&["report", odt.to_str().unwrap(), docx.to_str().unwrap()]);
    for path in [&odt, &docx] {
        let r = &report[path.to_str().unwrap()];
        assert!(r["header"]["Standard"].as_str().unwrap().ends_with("Exempel kommun"), "{r:?}");
        let images = Command::new("pdfimages")
            .args(["-f", "1", "-l", "1", "-list"])
            .arg(r["pdf"].as_str().unwrap())
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&images.stdout).lines().skip(2).count();
        assert!(listed >= 1, "{}: the logo on page 1", path.display());
    }
}
