//! The interface around the method's text: the language a site chooses, the strings of the
//! theme, configuration text shown as written, and checklists that keep their own records.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use scraper::{Html, Node};

/// Lowercased words (runs of letters) of `text`.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The words of a source file's text, leaving out ids and references (`milstolpe-1`,
/// `@phase/fas-ett`), which are not shown as words.
fn text_words(source: &str) -> BTreeSet<String> {
    source
        .split(|c: char| c.is_whitespace() || "()[]".contains(c))
        .filter(|t| !t.contains(['-', '/', '@', '_']))
        .flat_map(words)
        .collect()
}

/// The string values of a flat `key: value` YAML file of interface strings.
fn string_values(path: &Path) -> Vec<String> {
    let map: std::collections::BTreeMap<String, String> = serde_saphyr::from_str(&read(path)).unwrap();
    map.into_values().collect()
}

/// What a reader meets on a page: its text and the attributes read out or shown
/// (`aria-label`, `title`, `alt`, `placeholder`, `content` of meta).
fn shown_words(html: &str) -> BTreeSet<String> {
    let doc = Html::parse_document(html);
    let mut out = BTreeSet::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Text(t) => out.extend(words(t)),
            Node::Element(e) => {
                for (name, value) in e.attrs() {
                    if ["aria-label", "title", "alt", "placeholder", "content"].contains(&name) {
                        out.extend(words(value));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn an_english_site_shows_no_swedish_interface_word() {
    let dir = site("site");
    edit(&dir.path().join("metodbok.yaml"), "language: sv\n", "language: en\n");
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");

    // The Swedish interface words: words of sv.yaml that the English strings do not use and
    // the site's content (the method's own Swedish text) does not contain either.
    let theme = repo_root().join("themes/default/i18n");
    let english: BTreeSet<String> = string_values(&theme.join("en.yaml")).iter().flat_map(|s| words(s)).collect();
    let mut content_words = BTreeSet::new();
    for e in walkdir::WalkDir::new(dir.path().join("content")).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            content_words.extend(text_words(&read(e.path())));
        }
    }
    content_words.extend(text_words(&read(&dir.path().join("metodbok.yaml"))));
    let swedish: BTreeSet<String> = string_values(&theme.join("sv.yaml"))
        .iter()
        .flat_map(|s| words(s))
        .filter(|w| w.chars().count() >= 4 && !english.contains(w) && !content_words.contains(w))
        .collect();
    assert!(swedish.contains("milstolpe") && swedish.contains("huvudaktiviteter"), "{swedish:?}");

    let mut found = Vec::new();
    let out = dir.path().join("public");
    for e in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy();
        let text = if name.ends_with(".html") {
            shown_words(&read(e.path()))
        } else if let Some(script) = e.path().strip_prefix(out.join("js")).ok().filter(|_| name.ends_with(".js")) {
            // What the scripts say (their interface strings, written in by the build): the
            // words of the script as written that its source does not have.
            let source: BTreeSet<String> = words(&read(&theme.join("../static/js").join(script)));
            let written: BTreeSet<String> = words(&read(e.path()));
            written.difference(&source).cloned().collect()
        } else if name == "search-index.js" {
            // What search results show: each section's title, breadcrumbs and text.
            let index = search_index(&out);
            let docs = index["docs"].as_array().unwrap().iter();
            docs.flat_map(|d| (1..4).flat_map(|i| words(d[i].as_str().unwrap())).collect::<Vec<_>>()).collect()
        } else {
            continue;
        };
        for w in text.intersection(&swedish) {
            found.push(format!("{}: {w}", e.path().strip_prefix(&out).unwrap().display()));
        }
    }
    assert!(found.is_empty(), "Swedish interface words on the English site:\n{}", found.join("\n"));
}

#[test]
fn a_missing_interface_string_names_the_template_and_the_key() {
    let dir = site("site");
    let template = read(&repo_root().join("themes/default/templates/template.html"));
    assert!(template.contains("{{ t.outline }}"));
    write(&dir.path().join("templates/template.html"), &template.replacen("{{ t.outline }}", "{{ t.outlines }}", 1));
    let (code, err) = build(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("templates/template.html:"), "names the template: {err}");
    assert!(err.contains("there is no interface string `outlines`"), "names the key: {err}");
    assert!(err.contains("did you mean `outline`?"), "suggests the key: {err}");
    assert!(err.contains("strings:"), "says where a site's strings are changed: {err}");
    assert!(!err.contains("a11y_assessed"), "does not list every key: {err}");
}

/// True when `needle` occurs in `hay` as a whole name (not followed by more of a name).
fn mentions(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, _)| !hay[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

#[test]
fn every_interface_string_is_used() {
    // Keys are used by templates (`t.key`), by the Rust code (a literal "key", or a family
    // whose key is made from a value: field_*, format_*, a11y_status_*), and by the scripts
    // through the strings they are handed (cl_*, search_*).
    let root = repo_root();
    let mut used_in = String::new();
    for dir in ["themes/default/templates", "themes/default/static/js", "src"] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() {
                used_in.push_str(&read(e.path()));
            }
        }
    }
    let sv: std::collections::BTreeMap<String, String> =
        serde_saphyr::from_str(&read(&root.join("themes/default/i18n/sv.yaml"))).unwrap();
    let families = ["field_", "format_", "a11y_status_"];
    let unused: Vec<&String> = sv
        .keys()
        .filter(|k| !families.iter().any(|f| k.starts_with(f)))
        .filter(|k| {
            !(mentions(&used_in, &format!("t.{k}"))
                || mentions(&used_in, &format!("strings.{k}"))
                || used_in.contains(&format!("\"{k}\""))
                || used_in.contains(&format!("'{k}'")))
        })
        .collect();
    assert!(unused.is_empty(), "interface strings nothing uses: {unused:?}");
}

#[test]
fn configuration_text_is_shown_as_written() {
    let tricky = r#"Barn & Unga <i>x</i> "citat" 'apostrof' åäö"#;
    let yaml = serde_json::to_string(tricky).unwrap();
    let dir = site("site");
    let config = dir.path().join("metodbok.yaml");
    let text = read(&config)
        .replace("title: Testhandboken", &format!("title: {yaml}\ndescription: {yaml}"))
        .replace("  name: Exempelkommunen", &format!("  name: {yaml}"))
        .replace(
            "    - problem: Ett känt problem.\n      reason: En orsak.",
            &format!("    - problem: {yaml}\n      reason: {yaml}"),
        )
        .replace("  method: Egen bedömning.", &format!("  method: {yaml}\n  service: {yaml}"));
    write(&config, &format!("{text}contact:\n  name: {yaml}\n  phone: {yaml}\n"));
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("public");
    for page in ["index.html", "tillganglighet.html", "faser/fas-ett.html"] {
        let html = read(&out.join(page));
        let doc = Html::parse_document(&html);
        let text: String = doc.root_element().text().collect();
        assert!(text.contains(tricky), "{page} shows the text as written: {text}");
        assert!(!text.contains("&amp;") && !text.contains("&lt;"), "{page} escapes twice: {text}");
        let injected = scraper::Selector::parse("i").unwrap();
        assert_eq!(doc.select(&injected).count(), 0, "{page} lets configuration text make markup");
    }
    let statement: String =
        Html::parse_document(&read(&out.join("tillganglighet.html"))).root_element().text().collect();
    assert!(statement.matches(tricky).count() >= 5, "organisation, service, problem, reason, method: {statement}");
}

#[test]
fn a_milestone_may_not_take_the_checklist_of_a_phase() {
    let dir = site("site");
    let milestone = dir.path().join("content/milestones/milstolpe-1.yaml");
    edit(&milestone, "id: milstolpe-1\n", "id: fas-ett\n");
    for (from, to) in [("@milestone/milstolpe-1", "@milestone/fas-ett"), ("milstolpe-1", "fas-ett")] {
        for e in walkdir::WalkDir::new(dir.path().join("content")).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() && e.path() != milestone {
                let t = read(e.path());
                if t.contains(from) {
                    write(e.path(), &t.replace(from, to));
                }
            }
        }
    }
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("checklista-fas-ett"), "names the checklist id: {err}");
    assert!(
        err.contains("milestones/milstolpe-1.yaml") && err.contains("phases/fas-ett.yaml"),
        "names both files: {err}"
    );
}

#[test]
fn a_supplement_checklist_on_a_document_page_works() {
    // An addition with items is a checklist wherever it is added; the page must load the
    // checklist script for it, not only pages with checklists of their own.
    let dir = site("site");
    write(
        &dir.path().join("content/supplements/lokalt.yaml"),
        "id: lokalt\nname: Lokalt tillägg\nadditions:\n  - id: lokala-punkter\n    to: \"@document/dokument-ett\"\n    title: Lokala punkter\n    items:\n      - id: punkt-ett\n        text: Punkt ett\n",
    );
    let (code, err) = build(dir.path());
    assert_eq!(code, 0, "{err}");
    let html = read(&dir.path().join("public/dokument/dokument-ett.html"));
    let doc = Html::parse_document(&html);
    let fieldset = scraper::Selector::parse("fieldset[data-checklist=lokala-punkter]").unwrap();
    assert_eq!(doc.select(&fieldset).count(), 1, "the addition is a checklist");
    let script = scraper::Selector::parse("script[src*='js/checklists.js']").unwrap();
    assert_eq!(doc.select(&script).count(), 1, "the page loads the checklist script");
}
