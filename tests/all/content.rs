//! The bundled handbook is the whole method: the counts of every kind match version 1.0, and
//! editorial material is marked. (That every text is the source's word for word and in its
//! order, or marked editorial, is `provenance`.)

use std::collections::BTreeMap;

use metodbok::content::model::{RoleKind, Source};
use metodbok::content::{Content, load};

fn bundled() -> Content {
    let mut diagnostics = Vec::new();
    let content = load(&crate::common::repo_root(), None, &mut diagnostics);
    assert!(diagnostics.is_empty(), "the bundled content loads: {diagnostics:?}");
    content
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
fn the_example_sites_supplements_keep_their_sources_structure() {
    // Their text is checked word for word and in order by `provenance`; here, their shape.
    let site = crate::common::repo_root().join("examples/exempel-kommun");
    let mut diagnostics = Vec::new();
    let c = load(&site, metodbok::config::base_of(&site).unwrap(), &mut diagnostics);
    assert!(diagnostics.is_empty(), "the example loads: {diagnostics:?}");
    let s = c.supplements.iter().find(|s| s.id.value == "mina-meddelanden").expect("the guide");
    // The numbered additions of chapter 2, per phase: 4, 8 and 3.
    for (phase, count) in [("identifiera-behov", 4), ("ta-fram-losningsalternativ", 8), ("detaljera-vald-losning", 3)] {
        let n = s.additions.iter().filter(|a| a.to.value == format!("@phase/{phase}") && a.number.is_some()).count();
        assert_eq!(n, count, "{phase}");
    }
    // 2.2.2 point 4: the six activities follow "Följande aktiviteter ingår:", and the seventh
    // follows the three paragraphs after them.
    let four = s.additions.iter().find(|a| a.id.value == "analys-verksamhetsperspektiv").unwrap();
    assert_eq!(four.text.as_ref().unwrap().value.trim(), "Följande aktiviteter ingår:");
    assert_eq!(four.items.len(), 6);
    assert_eq!(four.then.len(), 1);
    assert_eq!(four.then[0].items.len(), 1);
    assert_eq!(four.all_items().count(), 7);
    // The editors' note says what is left out, and is shown as editorial.
    assert!(s.note.as_ref().unwrap().value.contains("återges inte"));

    // The e-nämnd process: seven sub-processes, each with its table of content, resources and
    // documents, and the process picture's four decision points; placed by the editors.
    let e = c.supplements.iter().find(|s| s.id.value == "e-namnd").expect("the e-nämnd process");
    assert_eq!(e.placement, Source::Derived);
    assert_eq!(e.name_source, Source::Derived);
    assert_eq!(e.additions.len(), 7);
    for a in &e.additions {
        let tables: Vec<_> = a.then.iter().filter_map(|p| p.table.as_ref()).collect();
        assert_eq!(tables.len(), 1, "{}", a.id.value);
        assert_eq!(tables[0].columns.first().map(String::as_str), Some("Innehåll"), "{}", a.id.value);
        assert_eq!(tables[0].columns.last().map(String::as_str), Some("Stödjande/styrande dokument"));
    }
    let decisions: Vec<&str> = e
        .additions
        .iter()
        .flat_map(|a| &a.then)
        .filter_map(|p| p.figure.as_ref())
        .flat_map(|f| &f.fragments)
        .filter(|f| f.decision)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(decisions.len(), 4, "{decisions:?}");
    assert!(decisions.iter().all(|d| d.starts_with("Beslut")), "{decisions:?}");
    let phases: Vec<&str> = e.additions.iter().map(|a| a.to.value.as_str()).collect();
    assert_eq!(phases.len(), 7);
    assert!(!phases.contains(&"@phase/initiera"), "no sub-process corresponds to Initiera");
}
