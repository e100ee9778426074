//! Building a site: every page kind is written and linked, links are relative, output is
//! deterministic, and a site's own templates and static files override the theme's.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::common::*;
use scraper::{Html, Selector};

fn parse(path: &Path) -> Html {
    Html::parse_document(&read(path))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// Resolves a relative `href` found on the page at `from` (relative to the output root).
fn resolve(from: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn is_external(href: &str) -> bool {
    href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:")
}

#[test]
fn the_bundled_handbook_builds_and_its_start_page_reaches_every_page_kind() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let (code, _, err) = run(&["build", repo_root().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    let index = parse(&out.join("index.html"));
    let hrefs: BTreeSet<String> =
        select(&index, "a[href]").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    for kind in [
        "faser.html",
        "faser/identifiera-behov.html",
        "milstolpar/milstolpe-1.html",
        "samordningsomraden.html",
        "dokument.html",
        "mallar.html",
        "begrepp.html",
        "lasanvisningar.html",
        "fragor-och-svar.html",
        "inledning.html",
        "tillganglighet.html",
    ] {
        assert!(hrefs.contains(kind), "the start page links to {kind}; it has {hrefs:?}");
    }

    // Every page in the sitemap is reachable by following links from the start page, and
    // every page kind is among them.
    let listed: BTreeSet<String> = sitemap_locs(&read(&out.join("sitemap.xml"))).into_iter().collect();
    for kind in ["samordningsomraden/arkitektur.html", "dokument/idebeskrivning.html", "mallar/idebeskrivning.html"] {
        assert!(listed.contains(kind), "sitemap lists {kind}");
    }
    let mut seen = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let doc = parse(&out.join(&page));
        for a in select(&doc, "a[href]") {
            let href = a.value().attr("href").unwrap();
            if is_external(href) || href.starts_with('#') {
                continue;
            }
            assert!(!href.starts_with('/'), "{page}: links are relative, not {href}");
            let target = resolve(&page, href);
            assert!(out.join(&target).is_file(), "{page}: {href} leads to a missing {target}");
            if target.ends_with(".html") && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    let unreachable: Vec<_> = listed.difference(&seen).collect();
    assert!(unreachable.is_empty(), "pages not reachable from the start page: {unreachable:?}");
}

#[test]
fn pages_have_one_h1_landmarks_a_skip_link_and_no_requests_to_other_hosts() {
    let dir = site("site");
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("public");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let name = path.strip_prefix(&out).unwrap().display().to_string();
        let doc = parse(path);
        assert_eq!(select(&doc, "html[lang=sv]").len(), 1, "{name}: lang=sv");
        assert_eq!(select(&doc, "h1").len(), 1, "{name}: exactly one h1");
        assert_eq!(select(&doc, "main#mb-main").len(), 1, "{name}: one main landmark");
        assert_eq!(select(&doc, "header").len(), 1, "{name}: a banner");
        assert_eq!(select(&doc, "footer").len(), 1, "{name}: a contentinfo");
        let first_link = select(&doc, "body a").into_iter().next().unwrap();
        assert_eq!(first_link.value().attr("href"), Some("#mb-main"), "{name}: the first link skips to the content");
        for (css, attr) in [("script[src]", "src"), ("img[src]", "src"), ("link[href]", "href"), ("iframe[src]", "src")]
        {
            for el in select(&doc, css) {
                let v = el.value().attr(attr).unwrap();
                assert!(!v.contains("//"), "{name}: {css} loads {v} from another host");
            }
        }
    }
    assert!(pages >= 18, "all page kinds of the fixture were built ({pages})");
}

#[test]
fn fenced_code_is_highlighted_with_classes_the_theme_colours() {
    let dir = site("site");
    assert_eq!(build(dir.path()).0, 0);
    let doc = parse(&dir.path().join("public/om.html"));
    let code = select(&doc, "pre.code code.language-yaml");
    assert_eq!(code.len(), 1);
    let html = code[0].inner_html();
    assert!(html.contains("class=\"hl-"), "highlighted with hl- classes: {html}");
    assert!(!html.contains("style="), "no inline styles: {html}");
    let css = read(&dir.path().join("public/css/metodbok.css"));
    assert!(css.contains(".hl-string"), "the theme colours the classes");
}

#[test]
fn references_become_relative_links_to_the_right_pages() {
    let dir = site("site");
    assert_eq!(build(dir.path()).0, 0);
    let out = dir.path().join("public");
    let phase = parse(&out.join("faser/fas-ett.html"));
    let links: Vec<_> = select(&phase, "main a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert!(links.contains(&"../dokument/dokument-ett.html".to_string()), "a phase links to its documents: {links:?}");
    assert!(links.contains(&"../mallar/mall-ett.html".to_string()), "a phase links to its templates");
    assert!(links.contains(&"../milstolpar/milstolpe-1.html".to_string()), "a phase links to the milestone after it");

    let doc = parse(&out.join("dokument/dokument-ett.html"));
    let links: Vec<_> = select(&doc, "main a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    for l in ["../faser/fas-ett.html", "../mallar/mall-ett.html", "../milstolpar/milstolpe-1.html"] {
        assert!(links.contains(&l.to_string()), "a document links to its phase, template and milestone: {links:?}");
    }

    let m = parse(&out.join("milstolpar/milstolpe-1.html"));
    let links: Vec<_> = select(&m, "main a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert!(
        links.contains(&"../dokument/dokument-ett.html".to_string()),
        "a milestone links to the documents it decides on"
    );
    assert!(links.contains(&"../begrepp.html#styrgrupp".to_string()), "and to the role that decides");
    let glossary = parse(&out.join("begrepp.html"));
    assert_eq!(select(&glossary, "dt#styrgrupp").len(), 1, "each term has an anchor");

    // A template's outline keeps the method's numbering and nesting, four levels deep.
    let t = parse(&out.join("mallar/mall-ett.html"));
    let numbers: Vec<_> = select(&t, ".mb-outline__number").iter().map(|n| n.text().collect::<String>()).collect();
    assert_eq!(numbers, ["1", "1.1", "3.1.3.2"]);
    assert_eq!(select(&t, "ol.mb-outline > li > ol.mb-outline > li").len(), 1, "1.1 is nested under 1");

    let faq = parse(&out.join("fragor-och-svar.html"));
    assert_eq!(select(&faq, ".mb-faq .mb-derived").len(), 1, "a derived answer is marked as such");
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = site("site");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let s = dir.path().to_str().unwrap();
    assert_eq!(run(&["build", s, "--out", a.to_str().unwrap()]).0, 0);
    assert_eq!(run(&["build", s, "--out", b.to_str().unwrap()]).0, 0);
    let (ca, cb) = (contents(&a), contents(&b));
    assert!(ca.len() >= 20);
    assert_eq!(ca.keys().collect::<Vec<_>>(), cb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ca {
        assert!(bytes == &cb[path], "{} differs between two builds", path.display());
    }
}

#[test]
fn a_site_override_of_one_template_and_one_css_file_changes_only_those() {
    let dir = site("site");
    let s = dir.path().to_str().unwrap();
    let plain = dir.path().join("plain");
    assert_eq!(run(&["build", s, "--out", plain.to_str().unwrap()]).0, 0);

    write(
        &dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}<h1>Hittades inte hos oss</h1>{% endblock content %}\n",
    );
    write(&dir.path().join("static/css/metodbok.css"), "body { color: #000000; }\n");
    let custom = dir.path().join("custom");
    let (code, _, err) = run(&["build", s, "--out", custom.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    let (a, b) = (contents(&plain), contents(&custom));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files are written");
    // Pages link the stylesheet with its fingerprint, so a changed stylesheet changes that
    // address on every page (a browser that cached the old one fetches the new one); apart
    // from it, only the overridden template's page differs.
    let version = |root: &Path| {
        let doc = parse(&root.join("index.html"));
        let href = select(&doc, "link[rel=stylesheet]")[0].value().attr("href").unwrap().to_string();
        href.split_once("?v=").expect("the stylesheet has a fingerprint").1.to_string()
    };
    let (old, new) = (version(&plain), version(&custom));
    assert_ne!(old, new, "a changed stylesheet has a new address");
    // (Fingerprints left out: the search index's is made from the templates too.)
    let unversioned = |bytes: &[u8]| -> Vec<u8> {
        let text = String::from_utf8_lossy(bytes);
        let mut parts = text.split("?v=");
        let mut out = parts.next().unwrap_or_default().to_string();
        parts.for_each(|rest| out.push_str(rest.get(10..).unwrap_or_default()));
        out.into_bytes()
    };
    let changed: Vec<String> = a
        .iter()
        .filter(|(p, bytes)| match p.extension().is_some_and(|e| e == "html") {
            true => unversioned(&b[*p]) != unversioned(bytes),
            false => b[*p] != **bytes,
        })
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(changed, ["404.html", "css/metodbok.css"]);
    assert!(read(&custom.join("404.html")).contains("Hittades inte hos oss"));
    assert_eq!(read(&custom.join("css/metodbok.css")), "body { color: #000000; }\n");
}

#[test]
fn minified_pages_keep_their_language_and_structure() {
    let dir = site("site");
    assert_eq!(build(dir.path()).0, 0);
    let html = read(&dir.path().join("public/faser/fas-ett.html"));
    let files =
        metodbok::render_site(dir.path(), false, "public", metodbok::PdfWhen::Asked).expect("the site renders").files;
    let plain = files.iter().find(|f| f.path == "faser/fas-ett.html").expect("the phase page").bytes.len();
    assert!(html.len() * 10 < plain * 9, "pages are minified: {} bytes of {plain}", html.len());
    assert!(!html.contains("\n  <"), "indentation is removed");
    assert!(html.starts_with("<!doctype html><html lang=sv>"), "{}", &html[..60]);
    assert!(html.contains("</html>"), "closing tags are kept");
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(run(&["build", "--no-such-flag"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["build", empty.path().to_str().unwrap()]);
    assert_eq!(code, 2, "a folder without metodbok.yaml is not a site");
    assert!(err.contains("metodbok.yaml"), "{err}");
}

#[test]
fn help_is_there_for_each_command() {
    for args in [&["--help"][..], &["build", "--help"], &["check", "--help"]] {
        let (code, out, _) = run(args);
        assert_eq!(code, 0);
        assert!(out.contains("Usage: metodbok"), "{out}");
    }
    let (_, out, _) = run(&["build", "--help"]);
    assert!(out.contains("--out"), "{out}");
}

#[test]
fn with_the_sites_address_the_sitemap_is_absolute_and_the_404_page_works_at_any_depth() {
    let dir = site("site");
    edit(&dir.path().join("metodbok.yaml"), "language: sv\n", "language: sv\nurl: https://example.org/handbok/\n");
    assert_eq!(build(dir.path()).0, 0);
    let out = dir.path().join("public");
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/handbok/faser/fas-ett.html</loc>"), "{sitemap}");
    assert!(!sitemap.contains("404.html"), "the 404 page is not listed");
    let doc = parse(&out.join("404.html"));
    let css = select(&doc, "link[rel=stylesheet]")[0].value().attr("href").unwrap().to_string();
    assert!(css.starts_with("https://example.org/handbok/css/metodbok.css?v="), "{css}");
    // Every other page still links relatively.
    let phase = parse(&out.join("faser/fas-ett.html"));
    let href = select(&phase, "link[rel=stylesheet]")[0].value().attr("href").unwrap().to_string();
    assert!(href.starts_with("../css/metodbok.css?v="), "{href}");
}

#[test]
fn an_english_site_gets_the_english_interface() {
    let dir = site("site");
    edit(&dir.path().join("metodbok.yaml"), "language: sv\n", "language: en\nstrings:\n  faq: Common questions\n");
    assert_eq!(build(dir.path()).0, 0);
    let doc = parse(&dir.path().join("public/index.html"));
    assert_eq!(select(&doc, "html[lang=en]").len(), 1);
    let skip = select(&doc, "a.mb-skip-link")[0].text().collect::<String>();
    assert_eq!(skip, "Skip to content");
    let nav: Vec<String> = select(&doc, ".mb-nav__link").iter().map(|a| a.text().collect()).collect();
    assert!(nav.contains(&"Common questions".to_string()), "a string overridden in the configuration: {nav:?}");
}

#[test]
fn an_unknown_interface_string_suggests_the_right_key() {
    let dir = site("site");
    edit(&dir.path().join("metodbok.yaml"), "language: sv\n", "language: sv\nstrings:\n  skiplink: Hoppa\n");
    let (code, err) = build(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("metodbok.yaml:4:13") && err.contains("did you mean `skip_link`?"), "{err}");
}

#[test]
fn a_method_without_milestones_builds() {
    // Version 1.1 of the method removed all milestones.
    let dir = site("site");
    std::fs::remove_dir_all(dir.path().join("content/milestones")).unwrap();
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let doc = parse(&dir.path().join("public/faser.html"));
    assert_eq!(select(&doc, ".mb-steps__item--phase").len(), 2);
    assert_eq!(select(&doc, ".mb-steps__item--milestone").len(), 0);
    let phase = parse(&dir.path().join("public/faser/fas-ett.html"));
    let next: Vec<String> =
        select(&phase, "a[rel=next]").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(next, ["../faser/fas-tva.html"], "without a milestone, the next step is the next phase");
}

/// The entries of the built `search-index.js`: (url, title, crumbs).
fn search_entries(out: &Path) -> Vec<(String, String, String)> {
    search_index(out)["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d[0].as_str().unwrap().into(), d[1].as_str().unwrap().into(), d[2].as_str().unwrap().into()))
        .collect()
}

#[test]
fn the_search_index_has_an_entry_for_every_heading_section_of_every_page() {
    let dir = site("site");
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("public");
    let entries = search_entries(&out);
    let urls: BTreeSet<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(urls.len(), entries.len(), "one entry per section");
    let mut pages = 0;
    for loc in sitemap_locs(&read(&out.join("sitemap.xml"))) {
        let loc = loc.as_str();
        // Neither the search page nor the whole handbook's page (each text is found on its
        // own page) is searched.
        if loc == "sok.html" || loc == "hela-handboken.html" {
            assert!(!entries.iter().any(|e| e.0.starts_with(loc)), "{loc} is not searched");
            continue;
        }
        pages += 1;
        assert!(urls.contains(loc), "{loc} has an entry for its top");
        let doc = parse(&out.join(loc));
        for h in select(&doc, "main h2[id], main h3[id], main h4[id], main [data-search-section][id]") {
            if h.value().attr("data-search-skip").is_some()
                || h.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.attr("data-search-skip").is_some()))
            {
                continue;
            }
            let url = format!("{loc}#{}", h.value().attr("id").unwrap());
            assert!(urls.contains(url.as_str()), "{url} ({}) has an entry", h.text().collect::<String>());
        }
    }
    assert!(pages > 10);
    assert!(!entries.iter().any(|e| e.0.starts_with("404.html")), "the 404 page is not searched");
    // Where a section is: the page's breadcrumbs and title.
    let phase = entries.iter().find(|e| e.0 == "faser/fas-ett.html#huvudaktiviteter").expect("a phase's activities");
    assert_eq!(phase.1, "Huvudaktiviteter");
    assert!(phase.2.starts_with("Faser och milstolpar › Fas 1:"), "{phase:?}");
}

#[test]
fn a_theme_that_searches_the_whole_handbooks_page_finds_its_sections_too() {
    // The index is made from the other pages' sections while the print page is made; a
    // theme that does not leave the print page out of search has its sections put in their
    // place, and the index made of them all.
    let plain = site("site");
    let (code, err) = build(plain.path());
    assert_eq!(code, 0, "{err}");
    let dir = site("site");
    let base = read(&repo_root().join("themes/default/templates/base.html"));
    let searched = base.replace(r#" or page.kind == "print""#, "");
    assert_ne!(searched, base, "the theme leaves the print page out of search as this test expects");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/base.html"), searched).unwrap();
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let (before, after) = (search_entries(&plain.path().join("public")), search_entries(&dir.path().join("public")));
    let printed: Vec<&(String, String, String)> =
        after.iter().filter(|e| e.0.starts_with("hela-handboken.html#")).collect();
    assert!(printed.len() > 10, "the print page's sections are in the index: {}", printed.len());
    let others: Vec<&(String, String, String)> =
        after.iter().filter(|e| !e.0.starts_with("hela-handboken.html")).collect();
    assert_eq!(others, before.iter().collect::<Vec<_>>(), "every other page's entries as before");
    let paths: Vec<&str> = after.iter().map(|e| e.0.split('#').next().unwrap()).collect();
    assert!(paths.is_sorted(), "entries in the order of their pages' paths");
    // Every entry was analysed: the index has a field length for each.
    let index = search_index(&dir.path().join("public"));
    assert_eq!(index["len"].as_array().unwrap().len(), after.len());
}

#[test]
fn checklists_are_fieldsets_with_a_legend_and_their_script_comes_only_with_them() {
    let dir = site("site");
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("public");
    let (mut with, mut without) = (0, 0);
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = parse(&path);
        let fieldsets = select(&doc, "fieldset[data-checklist]");
        let wanted = !fieldsets.is_empty() || !select(&doc, "[data-progress]").is_empty();
        let script = !select(&doc, "script[src*='js/checklists.js']").is_empty();
        assert_eq!(
            script,
            wanted,
            "{}: the checklist script is loaded exactly where there is a checklist",
            path.display()
        );
        if wanted {
            with += 1
        } else {
            without += 1
        }
        for fs in fieldsets {
            let first = fs.children().filter_map(scraper::ElementRef::wrap).next().unwrap();
            assert_eq!(first.value().name(), "legend", "{}: a checklist's first child is its legend", path.display());
            let checklist = fs.value().attr("data-checklist").unwrap();
            for li in fs.select(&Selector::parse("li[data-item]").unwrap()) {
                let id = format!("{checklist}--{}", li.value().attr("data-item").unwrap());
                assert_eq!(li.value().attr("id"), Some(id.as_str()), "{}: items have stable ids", path.display());
                assert!(
                    li.select(&Selector::parse("input").unwrap()).next().is_none(),
                    "no checkbox without the script"
                );
            }
        }
    }
    assert!(with >= 3 && without >= 10, "{with} pages with checklists, {without} without");
    let stored = read(&out.join("sparat.html"));
    assert!(stored.contains("localStorage"), "the page about what is stored exists");
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_the_files_it_would_write_again_and_equals_a_fresh_build() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = site("site");
    let s = dir.path().to_str().unwrap();
    let out = dir.path().join("public");
    let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    assert_eq!(build(dir.path()).0, 0);
    let first: BTreeMap<PathBuf, u64> =
        contents(&out).keys().map(|p| (p.clone(), inode(p.to_str().unwrap()))).collect();

    // Nothing changed: every file of the new output is the file the last build wrote.
    assert_eq!(build(dir.path()).0, 0);
    for (path, ino) in &first {
        let meta = std::fs::metadata(out.join(path)).unwrap();
        if path.to_str() != Some(".metodbok-output") {
            assert_eq!(meta.ino(), *ino, "{} was written again", path.display());
        }
        assert_eq!(meta.nlink(), 1, "{} is linked elsewhere", path.display());
    }

    // A file changed by hand, one with other permissions and one linked elsewhere are written
    // afresh; the one linked elsewhere keeps what it held there.
    let (css, js, search) = ("css/metodbok.css", "js/metodbok.js", "js/search.js");
    std::fs::write(out.join(css), "body{}").unwrap();
    std::fs::set_permissions(out.join(js), std::fs::Permissions::from_mode(0o600)).unwrap();
    let elsewhere = dir.path().join("kept-search.js");
    std::fs::hard_link(out.join(search), &elsewhere).unwrap();
    let kept = std::fs::read(&elsewhere).unwrap();
    // And a page whose text changes.
    edit(&dir.path().join("content/pages/om.md"), "Text med en länk", "Ny text med en länk");
    let before: BTreeMap<&str, u64> = [css, js, search, "om.html"].into_iter().map(|p| (p, inode(p))).collect();
    assert_eq!(build(dir.path()).0, 0);
    for (path, ino) in before {
        assert_ne!(inode(path), ino, "{path} should have been written afresh");
    }
    assert_eq!(
        std::fs::metadata(out.join(js)).unwrap().mode() & 0o777,
        std::fs::metadata(out.join(css)).unwrap().mode() & 0o777
    );
    assert_eq!(std::fs::read(&elsewhere).unwrap(), kept, "the file linked elsewhere was changed");
    assert!(read(&out.join("om.html")).contains("Ny text med en länk"));
    assert_eq!(
        inode("mallar/mall-ett.docx"),
        first[Path::new("mallar/mall-ett.docx")],
        "an unchanged download is kept"
    );

    // The output is exactly a fresh build's.
    let fresh = dir.path().join("fresh");
    assert_eq!(run(&["build", s, "--out", fresh.to_str().unwrap()]).0, 0);
    assert_eq!(contents(&out), contents(&fresh));
}
