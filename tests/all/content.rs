//! The bundled handbook is the whole method, faithfully: the counts of every kind match
//! version 1.0, and every text presented as the method's own occurs in the source verbatim
//! (a copy under tests/fixtures/source). Editorial text is exempt only by its `derived` mark.

use std::collections::BTreeMap;

use metodbok::content::model::{RoleKind, Source};
use metodbok::content::{Content, load};

fn bundled() -> Content {
    let mut diagnostics = Vec::new();
    let content = load(&crate::common::repo_root(), None, &mut diagnostics);
    assert!(diagnostics.is_empty(), "the bundled content loads: {diagnostics:?}");
    content
}

/// Whitespace runs become one space.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn source(name: &str) -> String {
    normalise(&crate::common::read(&crate::common::fixture("source").join(name)))
}

/// Markdown to the plain text a reader sees: links keep their text, emphasis and list
/// markers go, footnote markers go, raw HTML blocks are left out (they carry editorial notes).
fn plain(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in markdown.split("\n\n") {
        let block = block.trim();
        if block.is_empty() || block.starts_with('<') || block.starts_with("@list ") {
            continue;
        }
        for item in block.split('\n').fold(Vec::<String>::new(), |mut acc, line| {
            let t = line.trim();
            let starts_item = t.starts_with("- ")
                || t.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if starts_item || acc.is_empty() {
                acc.push(String::new());
            }
            acc.last_mut().unwrap().push_str(&format!(" {t}"));
            acc
        }) {
            let mut t = item.trim().to_string();
            t = t.trim_start_matches("- ").to_string();
            if let Some((n, rest)) = t.split_once(". ")
                && n.chars().all(|c| c.is_ascii_digit())
            {
                t = rest.to_string();
            }
            t = t.trim_start_matches('#').trim().to_string();
            if let Some(rest) = t.strip_prefix("[^") {
                t = rest.split_once("]:").map(|(_, r)| r.to_string()).unwrap_or(t);
            }
            // [text](target) → text; [^n] → nothing; *x* and **x** → x
            let mut s = String::new();
            let mut rest = t.as_str();
            while let Some(i) = rest.find('[') {
                s.push_str(&rest[..i]);
                let after = &rest[i + 1..];
                if let Some(stripped) = after.strip_prefix('^') {
                    rest = stripped.split_once(']').map(|(_, r)| r).unwrap_or("");
                    continue;
                }
                match after.split_once("](") {
                    Some((text, tail)) => {
                        s.push_str(text);
                        rest = tail.split_once(')').map(|(_, r)| r).unwrap_or("");
                    }
                    None => {
                        s.push('[');
                        rest = after;
                    }
                }
            }
            s.push_str(rest);
            out.push(normalise(&s.replace("**", "").replace('*', "")));
        }
    }
    out
}

#[test]
fn the_handbook_holds_every_kind_of_the_method_in_full() {
    let c = bundled();
    assert_eq!(c.phases.len(), 8, "eight phases");
    assert_eq!(c.milestones.len(), 8, "eight milestones");
    assert_eq!(c.areas.len(), 10, "ten coordination areas");
    assert_eq!(c.roles.iter().filter(|r| r.kind == RoleKind::KeyRole).count(), 5, "five key roles");
    assert_eq!(
        c.roles.iter().filter(|r| r.kind == RoleKind::DecisionMaker).count(),
        2,
        "styrgrupp and verksamhetsägare"
    );
    assert_eq!(c.concepts.len(), 3, "three concepts");
    assert_eq!(c.documents.len(), 18, "the eighteen documents of Bilaga 2");
    assert_eq!(c.heading_templates.len(), 7, "the seven heading templates in the source");

    let names: Vec<&str> = c.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Identifiera behov",
            "Ta fram lösningsalternativ",
            "Detaljera vald lösning",
            "Initiera",
            "Utveckla",
            "Införa",
            "Etablera förvaltning",
            "Realisera nyttor"
        ]
    );

    // Headings per template, counted in the source's Bilaga 3.
    let headings: BTreeMap<&str, usize> =
        c.heading_templates.iter().map(|t| (t.id.value.as_str(), t.headings.len())).collect();
    let expected = BTreeMap::from([
        ("idebeskrivning", 5),
        ("forstudiedirektiv", 24),
        ("forstudierapport", 20),
        ("fordjupad-forstudierapport", 25),
        ("business-case", 20),
        ("nyttorealiseringsplan", 11),
        ("genomforandedirektiv", 23),
    ]);
    assert_eq!(headings, expected);
    let deepest = c.heading_templates.iter().flat_map(|t| &t.headings).map(|h| h.level()).max();
    assert_eq!(deepest, Some(4), "Förstudierapport's 3.1.3.2 is at level four");

    // Checklist items: each phase's main activities, each milestone's decision items and basis.
    let activities: Vec<usize> = c.phases.iter().map(|p| p.activities.len()).collect();
    assert_eq!(activities, [9, 3, 4, 2, 6, 4, 6, 3]);
    let decisions: Vec<usize> = c.milestones.iter().map(|m| m.decision_covers.len()).collect();
    assert_eq!(decisions, [5, 3, 7, 4, 4, 3, 4, 3]);
    let basis: Vec<usize> = c.milestones.iter().map(|m| m.decision_basis.documents.len()).collect();
    assert_eq!(basis, [3, 1, 4, 1, 3, 1, 4, 1]);

    // Every document is produced by one of the phases that lists it as a result.
    for d in &c.documents {
        let phase = c.phases.iter().find(|p| p.id.value == d.phase.value).unwrap();
        assert!(
            phase.results.iter().any(|r| r.document.as_ref().is_some_and(|x| x.value == d.id.value)),
            "{} is among the results of {}",
            d.name,
            phase.name
        );
    }
}

#[test]
fn every_text_presented_as_the_methods_own_occurs_in_the_source_verbatim() {
    let c = bundled();
    let v10 = source("metod-1.0.txt");
    let web = source("version-1.1-webbsida.txt");
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut check = |what: String, text: &str, src: &str| {
        for t in plain(text) {
            checked += 1;
            if !src.contains(&t) {
                missing.push(format!("{what}: {t}"));
            }
        }
    };
    for p in &c.phases {
        let n = &p.name;
        check(format!("phase {n} name"), &p.name, &v10);
        check(format!("phase {n} purpose"), &p.purpose.value, &v10);
        if let Some(s) = &p.summary {
            check(format!("phase {n} summary"), &s.value, &v10);
        }
        if let Some(s) = &p.activities_note {
            check(format!("phase {n} note"), &s.value, &v10);
        }
        for a in &p.activities {
            check(format!("phase {n} activity {}", a.id.value), &a.text, &v10);
            for i in &a.items {
                check(format!("phase {n} activity {} item", a.id.value), i, &v10);
            }
        }
        for r in p.results.iter().filter_map(|r| r.text.as_ref()) {
            check(format!("phase {n} result"), r, &v10);
        }
        for s in p.support.iter().filter_map(|s| s.text.as_ref()) {
            check(format!("phase {n} support"), s, &v10);
        }
    }
    for m in &c.milestones {
        let n = &m.id.value;
        check(format!("{n} short name"), &m.short_name, &v10);
        check(format!("{n} purpose"), &m.purpose.value, &v10);
        if let Some(s) = &m.summary {
            check(format!("{n} summary"), &s.value, &v10);
        }
        for i in &m.decision_covers {
            check(format!("{n} decision item {}", i.id.value), &i.text, &v10);
        }
        check(format!("{n} decision basis"), &m.decision_basis.text, &v10);
        check(format!("{n} prepared by"), &m.prepared_by, &v10);
        check(format!("{n} decided by"), &m.decided_by.text, &v10);
        if let Some(i) = &m.information {
            check(format!("{n} information"), i, &v10);
        }
    }
    for a in &c.areas {
        check(format!("area {}", a.name), &a.purpose.value, &v10);
        for r in &a.read_more {
            check(format!("area {} read more", a.name), &r.text, &v10);
        }
    }
    for r in c.roles.iter().filter(|r| r.source == Source::Method) {
        if let Some(d) = &r.definition {
            check(format!("role {}", r.name), &d.value, &v10);
        }
    }
    for k in c.concepts.iter().filter(|k| k.source == Source::Method) {
        check(format!("concept {}", k.name), &k.definition.value, &v10);
    }
    for d in &c.documents {
        check(format!("document {}", d.name), &d.name, &v10);
        check(format!("document {} purpose", d.name), &d.purpose.value, &v10);
    }
    for t in &c.heading_templates {
        check(format!("template {}", t.title), &t.title, &v10);
        check(format!("template {} purpose", t.title), &t.purpose.value, &v10);
        for h in &t.headings {
            // As the source writes it: "3.1.3.2. Externt- privatpersoner och företag".
            check(format!("template {} heading", t.title), &format!("{}. {}", h.number.value, h.text), &v10);
        }
    }
    if let Some(g) = &c.reading_guide {
        for e in &g.entries {
            check("reading guide audience".into(), &e.audience, &v10);
            check("reading guide".into(), &e.read, &v10);
        }
        for text in g.intro.iter().chain(&g.parts) {
            check("reading guide".into(), &text.value, &v10);
        }
    }
    for p in c.pages.iter().filter(|p| p.meta.source == Source::Method) {
        check(format!("page {}", p.meta.id.value), &p.body, &v10);
    }
    if let Some(s) = c.method.as_ref().and_then(|m| m.summary.as_ref()) {
        check("start page summary".into(), &s.value, &web);
    }
    assert!(checked > 400, "the check covered the content ({checked} texts)");
    assert!(
        missing.is_empty(),
        "{} of {checked} texts are not in the source verbatim:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_fidelity_check_would_notice_a_changed_word() {
    // The same comparison as above, on a text that differs from the source by one word.
    let v10 = source("metod-1.0.txt");
    let faithful = "Syfte med fasen är att förtydliga och fördjupa det förslag till förändring/utveckling";
    assert!(v10.contains(&normalise(faithful)));
    let changed = faithful.replace("fördjupa", "förbättra");
    assert!(!v10.contains(&normalise(&changed)));
}

#[test]
fn editorial_material_is_marked_derived() {
    let c = bundled();
    assert!((8..=12).contains(&c.faq.len()), "8–12 questions, got {}", c.faq.len());
    for f in &c.faq {
        assert_eq!(f.source, Source::Derived, "the answer to {:?} is the editors' compilation", f.question);
        assert!(!f.cites.is_empty(), "the answer to {:?} cites its source section", f.question);
    }
    for id in ["bilaga-3-saknas", "bilaga-4-saknas", "version-1-1"] {
        let page = c.pages.iter().find(|p| p.meta.id.value == id).unwrap_or_else(|| panic!("page {id}"));
        assert_eq!(page.meta.source, Source::Derived, "{id} is editorial");
    }
    let linked = c.phases.iter().flat_map(|p| &p.activities).filter(|a| !a.concerns.is_empty()).count();
    assert!(linked > 10, "the editorial mapping of activities to areas is there ({linked})");
}

#[test]
fn the_example_sites_supplement_is_the_mina_meddelanden_guide_verbatim() {
    let site = crate::common::repo_root().join("examples/exempel-kommun");
    let mut diagnostics = Vec::new();
    let c = load(&site, metodbok::config::base_of(&site).unwrap(), &mut diagnostics);
    assert!(diagnostics.is_empty(), "the example loads: {diagnostics:?}");
    let src = source("mina-meddelanden-2014.txt");
    let s = c.supplements.iter().find(|s| s.id.value == "mina-meddelanden").expect("the supplement");
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut check = |what: String, text: &str| {
        for t in plain(text) {
            checked += 1;
            if !src.contains(&t) {
                missing.push(format!("{what}: {t}"));
            }
        }
    };
    check("about".into(), &s.about.as_ref().unwrap().value);
    let mut titles = Vec::new();
    for a in &s.additions {
        let id = &a.id.value;
        if let Some(t) = &a.title {
            // The guide writes "1. Anpassa metoden ... förutsättningar." with its number.
            titles.push((id.clone(), format!("{}. {t}", a.number.as_deref().unwrap_or_default())));
        }
        if let Some(t) = &a.text {
            check(format!("{id} text"), &t.value);
        }
        for i in &a.items {
            check(format!("{id} item {}", i.id.value), &i.text);
        }
    }
    let page = c.pages.iter().find(|p| p.meta.supplement.is_some()).expect("the supplement's page");
    check("page".into(), &page.body);
    for (id, numbered) in titles {
        checked += 1;
        if !src.contains(&normalise(&numbered)) {
            missing.push(format!("{id} title: {numbered}"));
        }
    }
    assert!(checked > 100, "checked {checked} texts");
    assert!(
        missing.is_empty(),
        "{} of {checked} texts are not in the guide verbatim:\n{}",
        missing.len(),
        missing.join("\n")
    );
    // The numbered additions of chapter 2, per phase: 4, 8 and 3.
    for (phase, count) in [("identifiera-behov", 4), ("ta-fram-losningsalternativ", 8), ("detaljera-vald-losning", 3)] {
        let n = s.additions.iter().filter(|a| a.to.value == format!("@phase/{phase}") && a.number.is_some()).count();
        assert_eq!(n, count, "{phase}");
    }
    // The editors' note says what is left out, and is shown as editorial.
    assert!(s.note.as_ref().unwrap().value.contains("återges inte"));
}
