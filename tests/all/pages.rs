//! One page of every page kind of the fixture site, as HTML before minifying, kept as insta
//! snapshots: a change to any template or page context shows up here as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test all pages` and read the
//! diff in git).

use crate::common::*;

const PAGES: &[&str] = &[
    "index.html",
    "faser.html",
    "faser/fas-ett.html",
    "milstolpar/milstolpe-1.html",
    "samordningsomraden.html",
    "samordningsomraden/omrade-ett.html",
    "dokument.html",
    "dokument/dokument-ett.html",
    "mallar.html",
    "mallar/mall-ett.html",
    "begrepp.html",
    "lasanvisningar.html",
    "fragor-och-svar.html",
    "om.html",
    "tillganglighet.html",
    "sok.html",
    "sparat.html",
    "404.html",
    "hela-handboken.html",
];

#[test]
fn every_page_kind_renders_as_reviewed() {
    let files = metodbok::render_site(&fixture("site"), false, "public", metodbok::PdfWhen::Asked)
        .expect("the fixture builds")
        .files;
    let kinds: std::collections::BTreeSet<&str> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| std::str::from_utf8(&f.bytes).ok())
        .filter_map(|html| html.split("<body class=\"").nth(1).and_then(|b| b.split('"').next()))
        .collect();
    let mut shown = std::collections::BTreeSet::new();
    for page in PAGES {
        let file = files.iter().find(|f| f.path == *page).unwrap_or_else(|| panic!("{page} is built"));
        let html = String::from_utf8(file.bytes.clone()).unwrap();
        if let Some(class) = html.split("<body class=\"").nth(1).and_then(|b| b.split('"').next()) {
            shown.insert(class.to_string());
        }
        // The fingerprints of scripts and stylesheets change with every edit of them; the
        // snapshots show where they are, not their value.
        let mut parts = html.split("?v=");
        let mut shown_html = parts.next().unwrap_or_default().to_string();
        parts.for_each(|rest| {
            shown_html.push_str("?v=…");
            shown_html.push_str(rest.get(10..).unwrap_or_default());
        });
        insta::assert_snapshot!(page.replace(['/', '.'], "_"), shown_html);
    }
    let missing: Vec<&&str> = kinds.iter().filter(|k| !shown.contains(**k)).collect();
    assert!(missing.is_empty(), "page kinds without a snapshot: {missing:?}");
}
