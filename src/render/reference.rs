//! The method's reference pages: coordination areas, documents and their matrix, heading
//! templates, roles and concepts, and the search page's A–Ö register.

use serde_json::{Value, json};

use super::method::{area_mapping, own_checklists, supplements_on};
use super::page::{Built, PageBuilder, download};
use crate::content::kind::Kind;
use crate::content::model::{Role, RoleKind, Source};
use crate::paths::{self, ListPage};
use crate::slug::{roman, sv_sort_key};

/// The coordination areas page.
pub(super) fn areas(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let areas: Vec<Value> = c
        .areas
        .iter()
        .map(|a| {
            let purpose = p.md_inline(&a.purpose);
            json!({ "link": p.link(Kind::Area, &a.id.value), "purpose_html": purpose })
        })
        .collect();
    Built::new("areas.html", p.t("areas"), json!({ "areas": areas }))
}

/// A coordination area: its purpose, and what the method asks of it phase by phase.
pub(super) fn area(p: &mut PageBuilder, i: usize) -> Built {
    let a = &p.site.content.areas[i];
    let purpose = p.md(&a.purpose);
    let note = p.opt_md(&a.note);
    let checklists = own_checklists(p, Kind::Area, &a.id.value);
    let asks = area_mapping(p, &a.id.value);
    let data = json!({ "asks": asks, "area": {
        "id": a.id.value, "name": a.name, "purpose_html": purpose, "note_html": note,
        "read_more": a.read_more.iter().map(|r| json!({ "text": r.text, "location": r.location })).collect::<Vec<_>>(),
        "source_ref": a.source_ref,
    }, "checklists": checklists, "supplements": supplements_on(p, Kind::Area, &a.id.value) });
    Built::new("area.html", a.name.clone(), data).under(p.section(ListPage::Areas))
}

/// A document: its purpose, the phase that produces it, the decisions it is a basis for.
pub(super) fn document(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let d = &c.documents[i];
    let purpose = p.md(&d.purpose);
    let needed_by: Vec<Value> = c
        .milestones
        .iter()
        .filter(|m| m.decision_basis.documents.iter().any(|x| x.value == d.id.value))
        .map(|m| p.link(Kind::Milestone, &m.id.value))
        .collect();
    let template =
        c.templates.iter().find(|t| t.document.value == d.id.value).map(|t| p.link(Kind::Template, &t.id.value));
    let data = json!({ "document": {
        "id": d.id.value, "name": d.name, "purpose_html": purpose, "source_ref": d.source_ref,
        "phase": p.link(Kind::Phase, &d.phase.value), "needed_by": needed_by, "template": template,
    }, "checklists": own_checklists(p, Kind::Document, &d.id.value),
       "supplements": supplements_on(p, Kind::Document, &d.id.value) });
    Built::new("document.html", d.name.clone(), data).under(p.section(ListPage::Documents))
}

/// The heading templates page.
pub(super) fn templates(p: &mut PageBuilder) -> Built {
    let list: Vec<Value> = p
        .site
        .content
        .templates
        .iter()
        .map(|t| json!({ "link": p.link(Kind::Template, &t.id.value), "phase": p.link(Kind::Phase, &t.phase.value), "headings": t.headings.len() }))
        .collect();
    Built::new("templates.html", p.t("templates"), json!({ "templates": list }))
}

/// A heading template: its purpose, its numbered headings, its skeletons to download.
pub(super) fn template(p: &mut PageBuilder, i: usize) -> Built {
    let t = &p.site.content.templates[i];
    let purpose = p.md(&t.purpose);
    let downloads: Vec<Value> = crate::skeleton::FORMATS
        .iter()
        .filter_map(|ext| download(p, &paths::skeleton(&t.id.value, ext), &t.document.value))
        .collect();
    let data = json!({ "template": {
        "id": t.id.value, "title": t.title, "purpose_html": purpose, "source_ref": t.source_ref,
        "document": p.link(Kind::Document, &t.document.value), "phase": p.link(Kind::Phase, &t.phase.value),
        "outline": outline(t.headings.iter().map(|h| (h.number.value.as_str(), h.text.as_str()))),
        "downloads": downloads,
    }});
    Built::new("template.html", t.title.clone(), data).under(p.section(ListPage::Templates))
}

/// The search page, with its register for readers without JavaScript.
pub(super) fn search(p: &mut PageBuilder) -> Built {
    let data = json!({ "register": register(p) });
    Built::new("search.html", p.t("search"), data)
}

/// The documents page: the document × phase matrix and the documents phase by phase.
pub(super) fn documents(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let phases: Vec<Value> = c.phases.iter().map(|ph| json!({ "id": ph.id.value, "number": ph.number, "name": ph.name, "link": p.link(Kind::Phase, &ph.id.value) })).collect();
    let rows: Vec<Value> = c
        .documents
        .iter()
        .map(|d| {
            let cells: Vec<bool> = c.phases.iter().map(|ph| ph.id.value == d.phase.value).collect();
            let has_template = c.templates.iter().any(|t| t.document.value == d.id.value);
            json!({ "link": p.link(Kind::Document, &d.id.value), "cells": cells, "has_template": has_template })
        })
        .collect();
    let by_phase: Vec<Value> = c
        .phases
        .iter()
        .map(|ph| {
            let docs: Vec<Value> = c
                .documents
                .iter()
                .filter(|d| d.phase.value == ph.id.value)
                .map(|d| p.link(Kind::Document, &d.id.value))
                .collect();
            json!({ "phase": p.link(Kind::Phase, &ph.id.value), "documents": docs })
        })
        .collect();
    Built::new("documents.html", p.t("documents"), json!({ "phases": phases, "rows": rows, "by_phase": by_phase }))
}

/// The roles and concepts page.
pub(super) fn glossary(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let role = |p: &mut PageBuilder, r: &Role| {
        let def = r.definition.as_ref().map(|d| p.md(d));
        let decides: Vec<Value> = c
            .milestones
            .iter()
            .filter(|m| m.decided_by.role.value == r.id.value)
            .map(|m| p.link(Kind::Milestone, &m.id.value))
            .collect();
        let id = p.id(&r.id.value);
        json!({ "id": id, "name": r.name, "definition_html": def, "decides": decides, "derived": r.source == Source::Derived, "source_ref": r.source_ref })
    };
    let key_roles: Vec<Value> = c.roles.iter().filter(|r| r.kind == RoleKind::KeyRole).map(|r| role(p, r)).collect();
    let deciders: Vec<Value> =
        c.roles.iter().filter(|r| r.kind == RoleKind::DecisionMaker).map(|r| role(p, r)).collect();
    let concepts: Vec<Value> = c
        .concepts
        .iter()
        .map(|k| {
            let def = p.md(&k.definition);
            let id = p.id(&k.id.value);
            json!({ "id": id, "name": k.name, "definition_html": def, "derived": k.source == Source::Derived, "source_ref": k.source_ref })
        })
        .collect();
    let data = json!({ "key_roles": key_roles, "decision_makers": deciders, "concepts": concepts });
    Built::new("glossary.html", p.t("glossary"), data)
}

/// The search page's register: every phase, milestone, area, role, concept, document and
/// template under its initial letter, in Swedish alphabetical order.
fn register(p: &PageBuilder) -> Vec<Value> {
    let c = p.site.content;
    let mut entries: Vec<(String, Value, String)> = Vec::new();
    let mut add = |title: &str, kind: Kind, id: &str, label: String| {
        let link = p.link(kind, id);
        entries.push((title.to_string(), link["url"].clone(), label));
    };
    for ph in &c.phases {
        add(&ph.name, Kind::Phase, &ph.id.value, format!("{} {}", p.t("phase"), ph.number));
    }
    for m in &c.milestones {
        add(&m.short_name, Kind::Milestone, &m.id.value, format!("{} {}", p.t("milestone"), roman(m.number)));
    }
    for a in &c.areas {
        add(&a.name, Kind::Area, &a.id.value, p.t("area"));
    }
    for r in &c.roles {
        let key = if r.kind == RoleKind::KeyRole { "key_role" } else { "decision_maker" };
        add(&r.name, Kind::Role, &r.id.value, p.t(key));
    }
    for x in &c.concepts {
        add(&x.name, Kind::Concept, &x.id.value, p.t("concept"));
    }
    for d in &c.documents {
        add(&d.name, Kind::Document, &d.id.value, p.t("document"));
    }
    for t in &c.templates {
        add(&t.title, Kind::Template, &t.id.value, p.t("template"));
    }
    entries.sort_by(|a, b| (sv_sort_key(&a.0), &a.2).cmp(&(sv_sort_key(&b.0), &b.2)));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for (title, url, kind) in entries {
        let letter: String = title.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
        let entry = json!({ "title": title, "url": url, "kind": kind });
        match groups.last_mut() {
            Some((l, list)) if *l == letter => list.push(entry),
            _ => groups.push((letter, vec![entry])),
        }
    }
    groups
        .into_iter()
        .map(|(letter, entries)| json!({ "id": paths::register_letter(&letter), "letter": letter, "entries": entries }))
        .collect()
}

/// A template's numbered headings as a tree: a heading's parent is the closest earlier
/// heading whose number is a prefix of its own (3.1.1 under 3 when the method has no 3.1).
pub fn outline<'x>(headings: impl Iterator<Item = (&'x str, &'x str)>) -> Vec<Value> {
    fn insert(nodes: &mut Vec<Value>, number: &str, text: &str, level: usize) {
        if let Some(last) = nodes.last_mut() {
            let last_number = last["number"].as_str().unwrap_or("").to_string();
            if number.starts_with(&format!("{last_number}."))
                && let Some(children) = last["children"].as_array_mut()
            {
                insert(children, number, text, level);
                return;
            }
        }
        let anchor = paths::outline_anchor(number);
        nodes.push(json!({ "number": number, "text": text, "level": level, "anchor": anchor, "children": [] }));
    }
    let mut roots = Vec::new();
    for (number, text) in headings {
        insert(&mut roots, number, text, number.split('.').count());
    }
    roots
}
