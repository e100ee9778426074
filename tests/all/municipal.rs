//! A municipality's own copy: a site that builds on a base (here a copy of the fixture
//! handbook, as a checkout of the national handbook would be), with supplements, local
//! changes, hidden items and its own pages; and `metodbok new`.

use std::path::{Path, PathBuf};

use crate::common::*;
use scraper::{Html, Selector};

/// A folder holding `national/` (a copy of the fixture handbook) and `kommun/`, a site that
/// builds on it with the files given (path relative to `kommun/`, text).
fn municipal(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("site"), &dir.path().join("national"));
    let kommun = dir.path().join("kommun");
    write(
        &kommun.join("metodbok.yaml"),
        "title: Handboken för Exempel kommun\nbase: ../national\norganisation:\n  name: Exempel kommun\n\
         accessibility:\n  status: delvis\n  known_problems:\n    - problem: Ett problem.\n      reason: En orsak.\n  assessed: \"2026-11-23\"\n  method: Egen bedömning.\n  feedback:\n    \
         email: a@kommun.example\n",
    );
    for (path, text) in files {
        write(&kommun.join(path), text);
    }
    (dir, kommun)
}

const SUPPLEMENT: &str = r#"id: lokal-vagledning
name: Kommunens vägledning 2026
publisher: Exempel kommun
additions:
  - id: forankra-i-ledningen
    to: "@phase/fas-ett"
    number: "1"
    title: Förankra i ledningen
    text: Kommunens tillägg till fas ett.
    items:
      - id: boka-mote
        text: Boka ett möte med kommunledningen
"#;

fn built(kommun: &Path) -> PathBuf {
    let (code, err) = build(kommun);
    assert_eq!(code, 0, "the municipal site builds:\n{err}");
    kommun.join("public")
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// Every HTML page of the output, with its path.
fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| (e.path().strip_prefix(out).unwrap().display().to_string(), read(e.path())))
        .collect()
}

#[test]
fn a_supplement_adds_text_to_phase_one_marked_with_its_name() {
    let (_d, kommun) = municipal(&[("content/supplements/lokal-vagledning.yaml", SUPPLEMENT)]);
    let out = built(&kommun);
    let phase = page(&out, "faser/fas-ett.html");

    // The national text is still there, and the addition follows it in a marked section.
    assert!(texts(&phase, "#syfte + .mb-prose").iter().any(|t| t == "Syftet med fas ett."));
    let sections = texts(&phase, "section.mb-supplement");
    assert_eq!(sections.len(), 1, "one supplement section on phase 1");
    let s = &sections[0];
    assert!(s.contains("Tillägg: Kommunens vägledning 2026"), "headed with the supplement's name: {s}");
    assert!(s.contains("inte metodens egen text"), "says it is not the method's text: {s}");
    assert!(s.contains("Kommunens tillägg till fas ett."), "{s}");
    // Its item is a checklist of its own, under a level-3 legend, inside the marked section.
    let legend = texts(&phase, "section.mb-supplement fieldset[data-checklist=forankra-i-ledningen] legend h3");
    assert_eq!(legend, ["1. Förankra i ledningen"]);
    let items = texts(&phase, "section.mb-supplement [data-checklist=forankra-i-ledningen] li[data-item=boka-mote]");
    assert_eq!(items, ["Boka ett möte med kommunledningen"]);
    // The link to the supplement's page works, and that page lists where the additions are.
    let about = page(&out, "tillagg/lokal-vagledning.html");
    let links: Vec<String> = about
        .select(&Selector::parse("main a").unwrap())
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(links.contains(&"../faser/fas-ett.html#forankra-i-ledningen".to_string()), "{links:?}");
    // Phase 2 has no additions, and no mark.
    assert!(texts(&page(&out, "faser/fas-tva.html"), "section.mb-supplement, .mb-mark").is_empty());
}

#[test]
fn an_override_replaces_one_field_only() {
    let overrides = "phases:\n  - id: fas-ett\n    purpose: Vårt eget syfte med fas ett.\n";
    let (d, kommun) = municipal(&[("content/overrides.yaml", overrides)]);
    let out = built(&kommun);
    let phase = page(&out, "faser/fas-ett.html");
    assert_eq!(texts(&phase, "#syfte + .mb-prose"), ["Vårt eget syfte med fas ett."]);
    assert!(!read(&out.join("faser/fas-ett.html")).contains("Syftet med fas ett."), "the base's purpose is gone");
    // Everything else is the base's: name, activities, results.
    assert_eq!(texts(&phase, "h1"), ["Fas ett"]);
    assert_eq!(texts(&phase, "[data-checklist=checklista-fas-ett] > ul > li > .mb-checklist__text").len(), 2);
    assert!(texts(&phase, "#resultat + ul li").iter().any(|t| t == "Dokument ett"));
    // The reader is told what was changed locally, and by whom.
    let mark = texts(&phase, ".mb-mark").join(" ");
    assert!(mark.contains("Lokalt ändrad") && mark.contains("Exempel kommun") && mark.contains("syfte"), "{mark}");
    // Other phases are untouched and unmarked; the base's file too.
    assert!(texts(&page(&out, "faser/fas-tva.html"), ".mb-mark").is_empty());
    assert!(read(&d.path().join("national/content/phases/fas-ett.yaml")).contains("purpose: Syftet med fas ett."));
}

#[test]
fn an_override_with_a_broken_link_points_at_the_override() {
    let overrides = "phases:\n  - id: fas-ett\n    purpose: Se [dokumentet](@document/dokument-tre).\n";
    let (_d, kommun) = municipal(&[("content/overrides.yaml", overrides)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(err.contains("content/overrides.yaml:3:17"), "the link is in the override, at the link itself:\n{err}");
    assert!(err.contains("there is no document with id `dokument-tre`"), "{err}");
}

#[test]
fn a_hidden_item_disappears_everywhere_including_search_and_the_sitemap() {
    let overrides =
        "hide:\n  - \"@document/dokument-ett\"\n  - \"@faq/fraga-ett\"\n  - \"@phase/fas-ett#aktivitet-a\"\n";
    let (_d, kommun) = municipal(&[("content/overrides.yaml", overrides)]);
    let out = built(&kommun);

    // Its page is gone, and so is the page of its template (a template of a hidden document).
    assert!(!out.join("dokument/dokument-ett.html").exists());
    assert!(!out.join("mallar/mall-ett.html").exists());
    assert!(out.join("dokument/dokument-tva.html").exists(), "the other document stays");
    // No page links to it or names it; a sentence that linked to it keeps its words.
    for (path, html) in pages(&out) {
        assert!(!html.contains("dokument-ett.html"), "{path} links to the hidden document");
        // (A sentence of the method that mentions it by name stays as the method wrote it.)
        assert!(!html.contains(">Dokument ett<"), "{path} lists the hidden document");
        assert!(!html.contains("En fråga?"), "{path} shows the hidden question");
        assert!(!html.contains("Aktivitet A"), "{path} shows the hidden activity");
    }
    let om = texts(&page(&out, "om.html"), "main .mb-prose p").join(" ");
    assert!(om.contains("Text med en länk till dokumentet och"), "the words stay, without the link: {om}");
    // Search and sitemap know nothing of it.
    let index = search_index(&out);
    let docs = index["docs"].as_array().unwrap();
    let entry = |d: &serde_json::Value| format!("{} {} {}", d[0], d[1], d[3]);
    for gone in ["dokument-ett", "mall-ett", "En fråga", "Aktivitet A"] {
        assert!(!docs.iter().any(|d| entry(d).contains(gone)), "the search index holds `{gone}`");
    }
    assert!(!docs.iter().any(|d| d[1] == "Dokument ett"), "no search result is the hidden document");
    assert!(docs.iter().any(|d| d[1] == "Dokument två"), "the search index still has the rest");
    let locs = sitemap_locs(&read(&out.join("sitemap.xml")));
    assert!(locs.iter().all(|l| !l.contains("dokument-ett") && !l.contains("mall-ett")), "{locs:?}");
    assert!(locs.iter().any(|l| l.contains("dokument-tva")));
}

#[test]
fn a_supplement_reference_to_a_missing_id_fails_with_file_and_line() {
    let bad = SUPPLEMENT.replace("@phase/fas-ett", "@phase/fas-tre");
    let (_d, kommun) = municipal(&[("content/supplements/lokal-vagledning.yaml", &bad)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/supplements/lokal-vagledning.yaml:6:9"), "{err}");
    assert!(err.contains("there is no phase `fas-tre` to attach this to"), "{err}");
    assert!(err.contains("did you mean `fas-ett`?"), "{err}");
    assert!(!kommun.join("public").exists(), "nothing is written");
}

#[test]
fn when_a_new_edition_of_the_base_renames_an_id_the_supplement_is_reported_naming_both_files() {
    let (d, kommun) = municipal(&[("content/supplements/lokal-vagledning.yaml", SUPPLEMENT)]);
    built(&kommun);
    // The new national edition calls the phase `fas-etta`, everywhere in the base.
    let national = d.path().join("national/content");
    for entry in walkdir::WalkDir::new(&national).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let text = read(entry.path());
            if text.contains("fas-ett") {
                write(entry.path(), &text.replace("fas-ett", "fas-etta"));
            }
        }
    }
    let (code, err) = build(&kommun);
    assert_eq!(code, 1, "the supplement is not silently dropped:\n{err}");
    assert!(err.contains("content/supplements/lokal-vagledning.yaml:6:9"), "the supplement's file and line:\n{err}");
    assert!(err.contains("../national/content/phases/"), "the base's folder:\n{err}");
    assert!(err.contains("metodbok.yaml:2:7"), "where the base is named:\n{err}");
    assert!(err.contains("did you mean `fas-etta`?"), "{err}");
}

#[test]
fn overrides_and_hides_of_ids_the_base_lacks_fail_with_file_and_line() {
    let overrides = "areas:\n  - id: omrade-tva\n    name: Område 2\nhide:\n  - \"@faq/fraga-tva\"\n  - \"@phase/fas-ett#aktivitet-x\"\n  - \"@phase/fas-tva\"\n";
    let (_d, kommun) = municipal(&[("content/overrides.yaml", overrides)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/overrides.yaml:2:9")
            && err.contains("there is no coordination area with id `omrade-tva`"),
        "{err}"
    );
    assert!(
        err.contains("content/overrides.yaml:5:5") && err.contains("there is no FAQ question with id `fraga-tva`"),
        "{err}"
    );
    assert!(
        err.contains("content/overrides.yaml:6:5") && err.contains("phase `fas-ett` has no item `aktivitet-x`"),
        "{err}"
    );
    assert!(err.contains("content/overrides.yaml:7:5") && err.contains("a phase cannot be hidden"), "{err}");
}

#[test]
fn an_unknown_field_in_an_override_lists_the_fields_that_can_be_replaced() {
    let overrides = "phases:\n  - id: fas-ett\n    purpos: Fel.\n";
    let (_d, kommun) = municipal(&[("content/overrides.yaml", overrides)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(err.contains("content/overrides.yaml:3:5") && err.contains("unknown key `purpos`"), "{err}");
    assert!(err.contains("did you mean `purpose`?"), "{err}");
}

#[test]
fn a_phase_the_base_already_has_is_a_duplicate_naming_both_files() {
    let phase = "id: fas-ett\nnumber: 9\nname: Egen fas\npurpose: Egen.\nactivities: []\n";
    let (_d, kommun) = municipal(&[("content/phases/egen.yaml", phase)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(err.contains("content/phases/egen.yaml:1:5") && err.contains("duplicate phase id `fas-ett`"), "{err}");
    assert!(err.contains("../national/content/phases/fas-ett.yaml:1:5"), "{err}");
    assert!(err.contains("overrides.yaml") || err.contains("ids must be unique"), "{err}");
}

#[test]
fn the_sites_own_pages_are_marked_local_and_listed_apart_from_the_method() {
    let own = "---\nid: var-sida\ntitle: Vår sida\n---\nKommunens egen text.\n";
    let (_d, kommun) = municipal(&[("content/pages/var-sida.md", own)]);
    let out = built(&kommun);
    let mark = texts(&page(&out, "var-sida.html"), ".mb-mark").join(" ");
    assert!(mark.contains("Lokalt innehåll") && mark.contains("Exempel kommun"), "{mark}");
    assert!(texts(&page(&out, "om.html"), ".mb-mark").is_empty(), "the base's pages are not marked");
    let home = page(&out, "index.html");
    assert!(texts(&home, "#lokalt + ul li").iter().any(|t| t == "Vår sida"), "listed as local on the start page");
    assert!(
        !texts(&home, "#om-metoden + ul li").iter().any(|t| t.contains("Vår sida")),
        "not among the method's pages"
    );
}

#[test]
fn a_logo_must_be_svg_or_png() {
    let (_d, kommun) = municipal(&[("static/img/logo.gif", "GIF89a")]);
    edit(
        &kommun.join("metodbok.yaml"),
        "organisation:",
        "logo:\n  src: img/logo.gif\n  alt: Exempel kommun\norganisation:",
    );
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(err.contains("metodbok.yaml:4:8") && err.contains("is not an SVG or PNG image"), "{err}");
}

#[test]
fn metodbok_new_makes_a_site_that_builds_and_checks_once_its_statement_is_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("exempel-kommun");
    let root = repo_root();
    let (code, _, err) =
        run(&["new", site.to_str().unwrap(), "--org", "Exempel kommun", "--base", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for f in ["metodbok.yaml", "content/overrides.yaml", "templates/README.md", "README.md", "base-review.yaml"] {
        assert!(site.join(f).is_file(), "{f} is made");
    }
    let config = read(&site.join("metodbok.yaml"));
    for key in
        ["base:", "organisation:", "# logo:", "# colours:", "# contact:", "# footer:", "# strings:", "accessibility:"]
    {
        assert!(config.contains(key), "the configuration has `{key}`");
    }
    // It speaks the site's language, Swedish by default, and leaves the statement's facts blank.
    for line in [
        "language: sv",
        "# Handbokens namn, i sidhuvudet och i varje sidas titel.",
        "# Tillgänglighetsredogörelsen. Lagen (2018:1937) om tillgänglighet till digital offentlig",
        "  status: \"FYLL I: helt, delvis eller inte\"",
        "  assessed: \"FYLL I: ÅÅÅÅ-MM-DD\"",
    ] {
        assert!(config.lines().any(|l| l == line), "the configuration has the line {line:?}:\n{config}");
    }
    assert!(read(&site.join("README.md")).contains("metodbok check . --accept-base"));
    // A blank statement is not published.
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 1, "`metodbok check` refuses the blank statement:\n{err}");
    assert!(err.contains("metodbok.yaml"), "{err}");
    fill_statement(&site);
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 0, "`metodbok check` passes on the new site:\n{err}");
    let out = built(&site);
    // It is the whole handbook, with the organisation's page marked as its own.
    assert!(out.join("faser/identifiera-behov.html").is_file());
    let mark = texts(&page(&out, "om-exempel-kommuns-utgava.html"), ".mb-mark").join(" ");
    assert!(mark.contains("Lokalt innehåll") && mark.contains("Exempel kommun"), "{mark}");
    // The example keys in the configuration work once uncommented.
    edit(
        &site.join("metodbok.yaml"),
        "# colours:\n#   primary: \"#1d4e89\"\n#   accent: \"#b35900\"",
        "colours:\n  primary: \"#1d4e89\"\n  accent: \"#b35900\"",
    );
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // So does `hide:`, also of a page the method's phases link to from their support.
    edit(
        &site.join("content/overrides.yaml"),
        "# hide:\n#   - \"@page/version-1-1\"",
        "hide:\n  - \"@page/version-1-1\"\n  - \"@page/bilaga-3-saknas\"",
    );
    let out = built(&site);
    assert!(!out.join("version-1-1.html").exists() && !out.join("bilaga-3-saknas.html").exists());
    for (path, html) in pages(&out) {
        assert!(
            !html.contains("bilaga-3-saknas.html") && !html.contains("version-1-1.html"),
            "{path} links to a hidden page"
        );
    }
    // A second `new` into the same folder refuses rather than overwrite.
    let (code, _, err) = run(&["new", site.to_str().unwrap(), "--org", "X", "--base", root.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists and is not empty"), "{err}");
}

#[test]
fn metodbok_new_without_a_base_builds_on_the_newest_built_in_edition() {
    let dir = tempfile::tempdir().unwrap();
    // Run anywhere: the edition is in the binary, not in the folder it is run in.
    let out = metodbok().current_dir(dir.path()).args(["new", "kommun", "--org", "K"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = dir.path().join("kommun");
    let config = read(&site.join("metodbok.yaml"));
    assert!(config.lines().any(|l| l.starts_with("base: \"metod-")), "{config}");
    fill_statement(&site);
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn metodbok_new_in_english_writes_its_texts_in_english_and_checks_once_its_statement_is_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        metodbok().current_dir(dir.path()).args(["new", "kommun", "--org", "K", "--language", "en"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = dir.path().join("kommun");
    let config = read(&site.join("metodbok.yaml"));
    for line in ["language: en", "  status: \"FILL IN: helt, delvis or inte\"", "  assessed: \"FILL IN: YYYY-MM-DD\""] {
        assert!(config.lines().any(|l| l == line), "the configuration has the line {line:?}:\n{config}");
    }
    assert!(!config.contains("FYLL I"), "{config}");
    assert!(read(&site.join("README.md")).contains("## 4. Publish"));
    fill_statement(&site);
    let (code, _, err) = run(&["check", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_example_site_adds_the_mina_meddelanden_guide_to_phases_one_to_three() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let example = repo_root().join("examples/exempel-kommun");
    let (code, _, err) = run(&["build", example.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // Its numbered additions per phase, as the guide numbers them (2.1.2, 2.2.2, 2.3.2).
    for (phase, count) in [("identifiera-behov", 4), ("ta-fram-losningsalternativ", 8), ("detaljera-vald-losning", 3)] {
        let doc = page(&out, &format!("faser/{phase}.html"));
        let sections: Vec<_> = doc.select(&Selector::parse("section.mb-supplement").unwrap()).collect();
        let h2 = |s: &scraper::ElementRef| {
            s.select(&Selector::parse("h2").unwrap()).next().unwrap().text().collect::<String>()
        };
        let guide =
            sections.iter().find(|s| h2(s).contains("Anslutning till Mina meddelanden")).expect("the guide's section");
        let headings: Vec<String> = guide
            .select(&Selector::parse("h3").unwrap())
            .map(|h| h.text().collect::<String>().trim().to_string())
            .collect();
        let numbered: Vec<&String> =
            headings.iter().filter(|h| h.chars().next().is_some_and(|c| c.is_ascii_digit())).collect();
        assert_eq!(numbered.len(), count, "{phase}: {headings:?}");
        assert!(numbered[0].starts_with("1. "), "{numbered:?}");
        // The e-nämnd process is the second supplement, in a section of its own.
        assert!(sections.iter().any(|s| h2(s).contains("e-nämnd")), "{phase}: the e-nämnd process");
    }
    assert!(texts(&page(&out, "faser/initiera.html"), "section.mb-supplement").is_empty(), "phase 4 has none");
    // The municipality's branding.
    let home = read(&out.join("index.html"));
    assert!(home.contains("--mb-brand:#1f5c3a"), "its colour");
    // Its logo, decorative beside a title that already names it: the name is said once.
    let doc = Html::parse_document(&home);
    let banner = doc.select(&Selector::parse("header .mb-header__home").unwrap()).next().unwrap();
    let logo = banner.select(&Selector::parse("img").unwrap()).next().expect("the logo in the banner");
    assert_eq!(logo.value().attr("src"), Some("img/exempel-kommun.svg"));
    assert_eq!(logo.value().attr("alt"), Some(""));
    let said = banner.text().collect::<String>();
    assert_eq!(said.matches("Exempel kommun").count(), 1, "the organisation's name once in the banner: {said}");
    assert_eq!(doc.select(&Selector::parse("header .mb-header__org").unwrap()).count(), 0);
    assert!(out.join("img/exempel-kommun.svg").is_file());
}

#[test]
fn a_base_that_is_not_a_site_is_one_error_where_it_is_named() {
    let (_d, kommun) = municipal(&[]);
    edit(&kommun.join("metodbok.yaml"), "base: ../national", "base: ../nationell");
    let (code, err) = build(&kommun);
    assert_eq!(code, 1);
    assert!(
        err.contains("metodbok.yaml:2:7")
            && err.contains("the base `../nationell` is neither a built-in edition nor a folder"),
        "{err}"
    );
    assert!(err.contains("1 problem found"), "one mistake, one message:\n{err}");
}

#[test]
fn search_results_from_a_supplement_or_the_sites_own_pages_carry_their_label() {
    let own = "---\nid: var-sida\ntitle: Vår sida\n---\nKommunens egen text.\n\n## Kontakt\n\nRing oss.\n";
    let (_d, kommun) =
        municipal(&[("content/supplements/lokal-vagledning.yaml", SUPPLEMENT), ("content/pages/var-sida.md", own)]);
    let out = built(&kommun);
    let index = search_index(&out);
    let label = |url: &str| {
        let doc = index["docs"].as_array().unwrap().iter().find(|d| d[0] == url).unwrap_or_else(|| panic!("{url}"));
        doc.get(5).and_then(|l| l.as_str()).map(String::from)
    };
    assert_eq!(label("var-sida.html").as_deref(), Some("Lokalt innehåll"));
    assert_eq!(label("var-sida.html#kontakt").as_deref(), Some("Lokalt innehåll"), "its sections too");
    let supplement = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[1] == "1. Förankra i ledningen")
        .expect("the addition is indexed");
    assert_eq!(supplement[5], "Tillägg: Kommunens vägledning 2026");
    assert_eq!(label("faser/fas-ett.html"), None, "the national text has no label");
    assert_eq!(label("faser/fas-ett.html#huvudaktiviteter"), None);
}

#[test]
fn the_sites_search_help_is_shown_on_the_search_page_as_its_own_and_used_by_the_index() {
    let help = "synonyms:\n  - word: GDPR\n    search: [ledningen]\n";
    let (_d, kommun) =
        municipal(&[("content/supplements/lokal-vagledning.yaml", SUPPLEMENT), ("content/search.yaml", help)]);
    let out = built(&kommun);
    let search = page(&out, "sok.html");
    assert_eq!(texts(&search, ".mb-synonyms__list dt"), ["GDPR"]);
    assert_eq!(texts(&search, ".mb-synonyms__list dd"), ["ledningen"]);
    let mark = texts(&search, ".mb-synonyms .mb-mark").join(" ");
    assert!(mark.contains("Lokalt innehåll") && mark.contains("Exempel kommun"), "{mark}");
    // Shipped analysed as the client looks it up: the term typed, the terms searched.
    assert_eq!(search_index(&out)["syn"], serde_json::json!([["gdpr", ["ledning"], "GDPR", ["ledningen"]]]));
    // The national handbook alone has none.
    let dir = site("site");
    assert_eq!(build(dir.path()).0, 0);
    assert!(texts(&page(&dir.path().join("public"), "sok.html"), ".mb-synonyms").is_empty());
}

#[test]
fn search_help_that_cannot_work_fails_with_file_line_and_column() {
    let help = "synonyms:\n  - word: GDPR\n    search: [ledningen, dataskydd]\n  - word: e-tjänst och mer\n    search: [ledningen]\n";
    let (_d, kommun) =
        municipal(&[("content/supplements/lokal-vagledning.yaml", SUPPLEMENT), ("content/search.yaml", help)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/search.yaml:3:25"), "{err}");
    assert!(err.contains("no page of the handbook uses the word `dataskydd`"), "{err}");
    assert!(err.contains("content/search.yaml:4:11"), "both problems in one run: {err}");
    assert!(err.contains("`e-tjänst och mer` is 4 words"), "{err}");
    assert!(!kommun.join("public").exists(), "nothing is written");
}

#[test]
fn an_additions_table_row_with_the_wrong_number_of_cells_and_an_empty_part_are_errors_where_written() {
    let supplement = format!(
        "{SUPPLEMENT}    then:\n      - table:\n          columns: [Innehåll, Resurser]\n          rows:\n            - [Workshops, \"\"]\n            - [Beredning]\n      - {{}}\n"
    );
    let (_d, kommun) = municipal(&[("content/supplements/lokal-vagledning.yaml", &supplement)]);
    let (code, err) = build(&kommun);
    assert_eq!(code, 1, "{err}");
    // The second row, on line 18 of the file, has one cell where the table has two columns.
    assert!(err.contains("lokal-vagledning.yaml:18:15"), "{err}");
    assert!(err.contains("this table row has 1 cell, the table 2 columns"), "{err}");
    assert!(err.contains("each part of `then:` needs `text:`, `items:`, `table:` or `figure:`"), "{err}");
    assert!(err.contains("2 problems found"), "{err}");
}
