//! The preview's incremental rebuild: its worker keeps each build's pages (a `Memo`) and
//! renders again only the pages whose inputs changed. After each of a series of edits, a
//! rebuild with the memo must equal a full build without one, byte for byte, and the memo
//! must have spared the pages an edit cannot reach.

use std::path::Path;

use metodbok::{Memo, PdfWhen, render_site, render_site_again};

use crate::common::{copy_dir, edit, repo_root, write};

/// The output in memory, by path.
fn files(rendered: metodbok::Rendered) -> Vec<(String, Vec<u8>)> {
    rendered.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// Rebuilds with the memo and without; both must succeed and agree. Returns the pages reused.
fn same_as_full(site: &Path, memo: &mut Memo, what: &str) -> usize {
    let again = render_site_again(site, false, "preview", PdfWhen::Asked, memo)
        .unwrap_or_else(|e| panic!("after {what}: the rebuild failed: {e}"));
    let full = render_site(site, false, "preview", PdfWhen::Asked).unwrap();
    let (again, full) = (files(again), files(full));
    assert_eq!(again.len(), full.len(), "after {what}: the rebuild has other files");
    for ((pa, a), (pf, f)) in again.iter().zip(&full) {
        assert_eq!(pa, pf, "after {what}");
        assert!(a == f, "after {what}: {pa} differs from a full build's");
    }
    memo.pages.reused
}

#[test]
fn a_rebuild_after_each_edit_equals_a_full_build_and_renders_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root(), dir.path());
    let site = dir.path();
    let mut memo = Memo::default();
    let first = same_as_full(site, &mut memo, "the first build");
    assert_eq!(first, 0, "the first build has nothing to reuse");
    let pages = memo.pages.rendered;
    assert!(pages > 70, "{pages}");

    // Nothing changed: every page is reused.
    assert_eq!(same_as_full(site, &mut memo, "no change"), pages);

    // One paragraph of one page: that page (and the print page, which holds it) is rendered.
    edit(&site.join("content/pages/forvaltning-av-metoden.md"), "förvaltas av", "förvaltas gemensamt av");
    let reused = same_as_full(site, &mut memo, "a paragraph");
    assert_eq!(memo.pages.rendered, 2, "only the page and the print page are rendered again");
    assert_eq!(reused, pages - 2);

    // A phase's name: its page, its neighbours' pager, the lists that name it, the print page.
    edit(&site.join("content/phases/initiera.yaml"), "name: Initiera", "name: Initiering");
    let reused = same_as_full(site, &mut memo, "a phase's name");
    assert!(memo.pages.rendered > 3 && reused > pages / 2, "{} rendered", memo.pages.rendered);

    // An interface string: every page says it.
    let config = site.join("metodbok.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    write(&config, &format!("{text}\nstrings:\n  phases_short: Faserna\n"));
    same_as_full(site, &mut memo, "an interface string");
    assert_eq!(memo.pages.reused, 0);

    // A template of the site's own: every page is rendered again.
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}<h1>Hittades inte hos oss</h1>{% endblock content %}\n",
    );
    assert_eq!(same_as_full(site, &mut memo, "a template"), 0);
    assert_eq!(same_as_full(site, &mut memo, "no change after a template"), pages);

    // A new page changes the reading order and the print page's plan; removing it restores both.
    write(
        &site.join("content/pages/ny-sida.md"),
        "---\nid: ny-sida\ntitle: En ny sida\n---\nEn ny sida om [faserna](@phases).\n",
    );
    same_as_full(site, &mut memo, "a new page");
    std::fs::remove_file(site.join("content/pages/ny-sida.md")).unwrap();
    same_as_full(site, &mut memo, "a removed page");

    // A mistake: the rebuild fails as a full build does; once mended, they agree again.
    edit(
        &site.join("content/pages/forvaltning-av-metoden.md"),
        "förvaltas gemensamt av",
        "förvaltas av [x](@phase/finns-inte)",
    );
    assert!(render_site_again(site, false, "preview", PdfWhen::Asked, &mut memo).is_err());
    assert!(render_site(site, false, "preview", PdfWhen::Asked).is_err());
    edit(&site.join("content/pages/forvaltning-av-metoden.md"), "förvaltas av [x](@phase/finns-inte)", "förvaltas av");
    same_as_full(site, &mut memo, "a mended mistake");
    assert_eq!(same_as_full(site, &mut memo, "no change at the end"), pages);
}
