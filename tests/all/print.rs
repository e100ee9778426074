//! The whole handbook as one document: the print page `hela-handboken.html` and the PDF
//! `hela-handboken.pdf` that `build` typesets, checked as a reader (and a PDF reader) would:
//! every page in reading order, links that stay inside, an outline, tags, the language, and
//! the same bytes from two builds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Selector};

use crate::common::{copy_dir, metodbok, page, repo_root, search_index};

/// The bundled handbook, built once for these tests.
fn handbook() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        metodbok().args(["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]).assert().success();
        (dir, out)
    })
    .1
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reading order as a reader finds it: from the start page, "Nästa" on every page.
fn reading_order(out: &Path) -> Vec<(String, String)> {
    let mut order = Vec::new();
    let mut path = "index.html".to_string();
    loop {
        let doc = page(out, &path);
        let h1 = doc.select(&sel("main h1")).next().map(text).expect("every page has an h1");
        order.push((path.clone(), h1));
        let Some(next) = doc.select(&sel(".mb-pager a[rel=next]")).next() else { break };
        let href = next.value().attr("href").unwrap();
        let joined = Path::new(&path).parent().unwrap().join(href);
        let mut parts: Vec<String> = Vec::new();
        for c in joined.components() {
            match c {
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        path = parts.join("/");
        assert!(order.len() < 1000, "the pager loops");
    }
    order
}

/// The parts of the print page: number and title of each part's heading.
fn parts(doc: &Html) -> Vec<(usize, String)> {
    doc.select(&sel("section.mb-part h2 > .mb-part-number"))
        .map(|n| ElementRef::wrap(n.parent().unwrap()).unwrap())
        .map(|h| {
            let number = h.select(&sel(".mb-part-number")).next().map(text).unwrap();
            let full = text(h);
            let title = full.strip_prefix(&number).unwrap().trim().to_string();
            (number.parse().unwrap(), title)
        })
        .collect()
}

#[test]
fn the_print_page_holds_every_page_in_reading_order_under_a_numbered_heading() {
    let out = handbook();
    let order = reading_order(out);
    assert!(order.len() > 60, "the handbook's reading order: {} pages", order.len());
    let doc = page(out, "hela-handboken.html");
    let parts = parts(&doc);
    let titles: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
    let expected: Vec<&str> = order.iter().map(|(_, h1)| h1.as_str()).collect();
    assert_eq!(titles, expected, "every page's h1, in the order the pager reads them");
    let numbers: Vec<usize> = parts.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=parts.len()).collect::<Vec<_>>(), "parts are numbered 1, 2, 3, …");
    // The contents list at the top links every part, with its number.
    let toc: Vec<String> = doc.select(&sel(".mb-print-toc a")).map(text).collect();
    let headings: Vec<String> = parts.iter().map(|(n, t)| format!("{n} {t}")).collect();
    assert_eq!(toc, headings);
    // The page's own h1 is the handbook's; the parts are one level below it.
    assert_eq!(doc.select(&sel("main h1")).count(), 1);
    // What only works on screen is not there; a checklist is a plain list.
    for screen_only in [".mb-pager", ".mb-stepnav", ".mb-toc", "main form", "main button", "main input"] {
        assert_eq!(doc.select(&sel(screen_only)).count(), 0, "{screen_only} on the print page");
    }
    assert!(doc.select(&sel(".mb-part ul.mb-checklist__items > li")).count() > 50, "checklists print as lists");
}

#[test]
fn links_on_the_print_page_stay_on_it_and_ids_are_unique() {
    let out = handbook();
    let doc = page(out, "hela-handboken.html");
    let mut ids = BTreeSet::new();
    for e in doc.select(&sel("[id]")) {
        let id = e.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "the id {id} appears twice");
    }
    let mut inside = 0;
    for a in doc.select(&sel("main a[href]")) {
        let href = a.value().attr("href").unwrap();
        if let Some(id) = href.strip_prefix('#') {
            assert!(ids.contains(id), "the link to #{id} ({}) has no target on the page", text(a));
            inside += 1;
        } else if href.contains("://") || href.starts_with("mailto:") {
            // Another site: it stays a link.
        } else {
            // A file to download, never another page of the handbook.
            assert!(!href.contains(".html"), "{href} leaves the print page for another page");
            assert!(out.join(href.split('#').next().unwrap()).is_file(), "{href} is a file of the output");
        }
    }
    assert!(inside > 500, "links between parts point inside the page ({inside})");
    // A link that pointed to an anchor on another page points to that anchor here: the
    // checklist item on the phase page.
    let item = doc.select(&sel("li[id^='faser-initiera--checklista-initiera--']")).count();
    assert!(item > 0, "a checklist item's id carries its part's anchor");
}

#[test]
fn every_page_links_to_the_print_page_and_to_the_pdf_with_its_size() {
    let out = handbook();
    let size = std::fs::metadata(out.join("hela-handboken.pdf")).unwrap().len() as f64;
    let label = format!("PDF, {:.1} MB", size / 1_000_000.0).replace('.', ",");
    for path in ["index.html", "faser/initiera.html", "mallar/genomforandedirektiv.html", "tillganglighet.html"] {
        let doc = page(out, path);
        let footer = doc.select(&sel("footer")).next().unwrap();
        let links: Vec<(String, String)> =
            footer.select(&sel("a")).map(|a| (a.value().attr("href").unwrap().to_string(), text(a))).collect();
        assert!(
            links.iter().any(|(h, t)| h.ends_with("hela-handboken.html") && t == "Hela handboken: skriv ut eller spara som PDF"),
            "{path}: {links:?}"
        );
        assert!(
            links.iter().any(|(h, t)| h.ends_with("hela-handboken.pdf") && *t == label),
            "{path}: {label} in {links:?}"
        );
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("hela-handboken.html"), "the print page is in the sitemap");
    // Search finds a text on its own page, not a second time on the print page.
    let index = search_index(out).to_string();
    assert!(index.contains("faser/initiera.html"), "the index lists pages");
    assert!(!index.contains("hela-handboken.html"), "the print page is not indexed");
}

/// The PDF's text, from `pdftotext`, of pages `first` and on.
fn pdf_text(pdf: &Path, first: Option<u32>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(f) = first {
        cmd.args(["-f", &f.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A PDF text string: UTF-16 with its byte order mark, or PDFDocEncoding (Latin-1 here).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// What a PDF reader finds in the file: its outline (top-level titles with the page number
/// each goes to), its internal links (the page each goes to), its page count.
struct PdfFacts {
    outline: Vec<(String, u32)>,
    nested: usize,
    link_pages: Vec<Option<u32>>,
    pages: u32,
    lang: String,
    marked: bool,
    struct_tree: bool,
}

fn pdf_facts(path: &Path) -> PdfFacts {
    let doc = lopdf::Document::load(path).expect("the PDF parses");
    let pages: BTreeMap<lopdf::ObjectId, u32> = doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let deref = |o: &lopdf::Object| -> lopdf::Object {
        match o {
            lopdf::Object::Reference(id) => doc.get_object(*id).unwrap().clone(),
            o => o.clone(),
        }
    };
    let catalog = doc.catalog().unwrap();
    // Named destinations (a link to a heading's label is one): the name tree under
    // /Names /Dests, name → [page …].
    let mut named: BTreeMap<Vec<u8>, lopdf::Object> = BTreeMap::new();
    let mut nodes: Vec<lopdf::Object> = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| deref(n).as_dict().ok().and_then(|d| d.get(b"Dests").ok().cloned()))
        .into_iter()
        .collect();
    while let Some(node) = nodes.pop() {
        let node = deref(&node);
        let d = node.as_dict().unwrap();
        if let Ok(kids) = d.get(b"Kids") {
            nodes.extend(deref(kids).as_array().unwrap().iter().cloned());
        }
        if let Ok(names) = d.get(b"Names") {
            for pair in deref(names).as_array().unwrap().chunks(2) {
                named.insert(pair[0].as_str().unwrap().to_vec(), deref(&pair[1]));
            }
        }
    }
    let dest_page = |dest: &lopdf::Object| -> Option<u32> {
        let dest = deref(dest);
        let dest = match dest.as_str() {
            Ok(name) => named.get(name)?.clone(),
            Err(_) => dest,
        };
        let arr = match dest.as_dict() {
            Ok(d) => deref(d.get(b"D").ok()?),
            Err(_) => dest,
        };
        let arr = arr.as_array().ok()?;
        let page = arr.first()?.as_reference().ok()?;
        pages.get(&page).copied()
    };
    let lang = catalog.get(b"Lang").ok().and_then(|l| deref(l).as_str().ok().map(pdf_string)).unwrap_or_default();
    let marked = catalog
        .get(b"MarkInfo")
        .ok()
        .map(&deref)
        .and_then(|m| m.as_dict().ok().and_then(|d| d.get(b"Marked").ok().and_then(|b| b.as_bool().ok())))
        .unwrap_or(false);
    let struct_tree = catalog.get(b"StructTreeRoot").is_ok();
    let mut outline = Vec::new();
    let mut nested = 0;
    if let Ok(root) = catalog.get(b"Outlines") {
        let root = deref(root);
        let mut next = root.as_dict().unwrap().get(b"First").ok().cloned();
        while let Some(item) = next {
            let item = deref(&item);
            let d = item.as_dict().unwrap();
            let title = pdf_string(deref(d.get(b"Title").unwrap()).as_str().unwrap());
            let page = d.get(b"Dest").ok().and_then(dest_page);
            if d.get(b"First").is_ok() {
                nested += 1;
            }
            outline.push((title, page.unwrap_or(0)));
            next = d.get(b"Next").ok().cloned();
        }
    }
    let mut link_pages = Vec::new();
    for id in pages.keys() {
        let page = doc.get_dictionary(*id).unwrap();
        let Ok(annots) = page.get(b"Annots") else { continue };
        for a in deref(annots).as_array().unwrap() {
            let a = deref(a);
            let d = a.as_dict().unwrap();
            if d.get(b"Subtype").unwrap().as_name().unwrap() != b"Link" {
                continue;
            }
            if let Ok(dest) = d.get(b"Dest") {
                link_pages.push(dest_page(dest));
            } else if let Ok(action) = d.get(b"A") {
                let action = deref(action);
                let action = action.as_dict().unwrap();
                if action.get(b"S").unwrap().as_name().unwrap() == b"GoTo" {
                    link_pages.push(action.get(b"D").ok().and_then(dest_page));
                }
            }
        }
    }
    PdfFacts { outline, nested, link_pages, pages: pages.len() as u32, lang, marked, struct_tree }
}

#[test]
fn the_pdf_holds_the_handbook_in_order_with_an_outline_tags_and_working_links() {
    let out = handbook();
    let pdf = out.join("hela-handboken.pdf");
    let print = page(out, "hela-handboken.html");
    let parts = parts(&print);
    let facts = pdf_facts(&pdf);

    // The outline: one entry per numbered part, in order, each to a page of the document;
    // the parts' own headings nested below them.
    let expected: Vec<String> = parts.iter().map(|(n, t)| format!("{n} {t}")).collect();
    let titles: Vec<String> = facts.outline.iter().map(|(t, _)| collapse(t)).collect();
    assert_eq!(titles, expected, "the PDF's bookmarks are the print page's parts");
    assert!(facts.outline.iter().all(|(_, p)| (1..=facts.pages).contains(p)), "every bookmark goes to a page");
    assert!(facts.outline.windows(2).all(|w| w[0].1 <= w[1].1), "bookmarks go forward through the document");
    assert!(facts.nested > 30, "parts' sections are nested bookmarks ({})", facts.nested);

    // The text, from the first part on (after the title page and the contents list), holds
    // every phase, milestone, area, document and template heading in reading order.
    let first_part = facts.outline[0].1;
    let body = collapse(&pdf_text(&pdf, Some(first_part)));
    let order = reading_order(out);
    let mut at = 0;
    let mut checked = 0;
    for (n, (path, h1)) in order.iter().enumerate() {
        if !["faser/", "milstolpar/", "samordningsomraden/", "dokument/", "mallar/"].iter().any(|p| path.starts_with(p))
        {
            continue;
        }
        let heading = format!("{} {h1}", n + 1);
        let found = body[at..].find(&heading).unwrap_or_else(|| panic!("{heading} is not in the PDF after {at}"));
        at += found + heading.len();
        checked += 1;
    }
    assert!(checked > 40, "{checked} headings checked");
    // A checklist is a list with empty boxes.
    assert!(body.contains("☐ Utarbeta ett Genomförandedirektiv"), "a checklist item with its box");

    // Tags and language for assistive technology.
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Title:           Metod för utveckling i samverkan"), "{info}");
    assert!(facts.lang.starts_with("sv"), "the document language: {}", facts.lang);
    assert!(facts.marked && facts.struct_tree, "marked content with a structure tree");

    // Internal links go to pages of the document.
    assert!(facts.link_pages.len() > 500, "{} internal links", facts.link_pages.len());
    assert!(
        facts.link_pages.iter().all(|p| p.is_some_and(|p| (1..=facts.pages).contains(&p))),
        "every internal link goes to a page of the document"
    );
}

#[test]
fn two_builds_write_the_same_pdf() {
    let first = handbook().join("hela-handboken.pdf");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    metodbok().args(["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]).assert().success();
    let a = std::fs::read(first).unwrap();
    let b = std::fs::read(out.join("hela-handboken.pdf")).unwrap();
    assert!(a == b, "two builds of the same site give different PDFs ({} and {} bytes)", a.len(), b.len());
    assert!(!String::from_utf8_lossy(&a).contains("CreationDate"), "no creation date in the PDF");
}

/// A copy of the municipal example, its base the repository, with `overrides` added.
fn municipal_copy(overrides: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kommun");
    copy_dir(&repo_root().join("examples/exempel-kommun"), &site);
    let config = std::fs::read_to_string(site.join("metodbok.yaml")).unwrap();
    let config = config.replace("base: ../..", &format!("base: {}", repo_root().display()));
    std::fs::write(site.join("metodbok.yaml"), config).unwrap();
    if !overrides.is_empty() {
        std::fs::write(site.join("content/overrides.yaml"), overrides).unwrap();
    }
    dir
}

#[test]
fn a_municipal_copy_prints_its_supplements_and_branding_and_not_what_it_hides() {
    let hides = "hide:\n  - \"@faq/finns-milstolparna-kvar\"\n  - \"@phase/initiera#beskriv-forutsattningar\"\n";
    let dir = municipal_copy(hides);
    let site = dir.path().join("kommun");
    metodbok().args(["build", site.to_str().unwrap()]).assert().success();
    let out = site.join("public");
    let print = page(&out, "hela-handboken.html");
    let titles: Vec<String> = parts(&print).into_iter().map(|(_, t)| t).collect();
    assert!(titles.iter().any(|t| t == "Samverkansprocess för gemensam e-nämnd"), "{titles:?}");
    let pdf = out.join("hela-handboken.pdf");
    let text = collapse(&pdf_text(&pdf, None));
    // Its supplements, marked as on the web pages, and its own pages.
    assert!(text.contains("Samverkansprocess för gemensam e-nämnd"));
    assert!(text.contains("Tillägg. Det här är inte metodens egen text utan ett tillägg till den."));
    assert!(text.contains("Mina meddelanden"), "the SKL supplement");
    // The organisation on the title page and in the metadata.
    assert!(text.contains("Utgiven av Exempel kommun"), "the title page names the organisation");
    let info = String::from_utf8_lossy(&Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).into_owned();
    assert!(info.contains("Author:          Exempel kommun"), "{info}");
    // What it hides is gone: the question and the checklist item, which the national PDF has.
    let national = collapse(&pdf_text(&handbook().join("hela-handboken.pdf"), None));
    for hidden in ["Finns milstolparna kvar", "Beskriv förutsättningar för att utvecklingsinsatsen"] {
        assert!(national.contains(hidden), "the national PDF has {hidden:?}");
        assert!(!text.contains(hidden), "the copy's PDF still has hidden {hidden:?}");
    }
}

#[test]
fn a_site_can_turn_the_pdf_off() {
    let dir = municipal_copy("");
    let site = dir.path().join("kommun");
    let config = std::fs::read_to_string(site.join("metodbok.yaml")).unwrap();
    std::fs::write(site.join("metodbok.yaml"), format!("{config}\npdf: false\n")).unwrap();
    metodbok().args(["build", site.to_str().unwrap()]).assert().success();
    let out = site.join("public");
    assert!(!out.join("hela-handboken.pdf").exists(), "no PDF");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("hela-handboken.html"), "the print page is still linked");
    assert!(!home.contains("hela-handboken.pdf"), "the PDF is not");
}

#[test]
fn a_print_page_laid_out_otherwise_holds_every_page_also_without_a_pdf() {
    // Without a PDF, a page's part of the print page keeps only what the print page is made
    // of; a template that puts text beside the parts makes the print page be read whole, and
    // the pages are rendered again for their parts' HTML.
    let build = |template: Option<&str>| {
        let dir = municipal_copy("");
        let site = dir.path().join("kommun");
        let config = std::fs::read_to_string(site.join("metodbok.yaml")).unwrap();
        std::fs::write(site.join("metodbok.yaml"), format!("{config}\npdf: false\n")).unwrap();
        if let Some(t) = template {
            std::fs::create_dir_all(site.join("templates")).unwrap();
            std::fs::write(site.join("templates/print.html"), t).unwrap();
        }
        metodbok().args(["build", site.to_str().unwrap()]).assert().success();
        let doc = page(&site.join("public"), "hela-handboken.html");
        doc.select(&sel("section.mb-part")).map(text).collect::<Vec<String>>()
    };
    let theme = std::fs::read_to_string(repo_root().join("themes/default/templates/print.html")).unwrap();
    let beside = "aria-labelledby=\"{{ part.anchor }}\">\nDel {{ part.number }}.";
    let odd = theme.replace("aria-labelledby=\"{{ part.anchor }}\">", beside);
    assert_ne!(odd, theme, "the theme's print page places its parts as this test expects");
    let (plain, odd) = (build(None), build(Some(&odd)));
    assert!(plain.len() > 60, "{} parts", plain.len());
    assert_eq!(odd.len(), plain.len());
    for (i, (p, o)) in plain.iter().zip(&odd).enumerate() {
        assert!(p.len() > 20, "part {} has its page's content: {p:?}", i + 1);
        assert_eq!(*o, format!("Del {}. {p}", i + 1));
    }
}
