//! The method's sequence: the phases page, a phase, a milestone, and what they share with
//! the pages that show them (checklists of their own, supplements' additions, the step
//! before and after).

use serde_json::{Value, json};

use super::page::{Built, PageBuilder, download, origin};
use crate::content::Content;
use crate::content::kind::Kind;
use crate::content::model::{Addition, Id, Source, Supplement};
use crate::links::milestone_title;
use crate::paths::{self, ListPage, basis_item_id, item_anchor, milestone_checklist_id, phase_checklist_id};
use crate::slug::roman;

/// The phases page: every step with its summary.
pub(super) fn phases(p: &mut PageBuilder) -> Built {
    let data = json!({ "steps": steps(p, true) });
    Built::new("phases.html", p.t("phases"), data)
}

/// Phases and milestones in the order a development initiative meets them.
pub(super) fn sequence(c: &Content) -> Vec<(Kind, usize)> {
    let mut seq = Vec::new();
    let mut placed = vec![false; c.milestones.len()];
    for (i, ph) in c.phases.iter().enumerate() {
        seq.push((Kind::Phase, i));
        for (j, m) in c.milestones.iter().enumerate() {
            if !placed[j] && m.after_phase.as_ref().is_some_and(|a| a.value == ph.id.value) {
                seq.push((Kind::Milestone, j));
                placed[j] = true;
            }
        }
    }
    seq.extend(placed.iter().enumerate().filter(|(_, p)| !**p).map(|(j, _)| (Kind::Milestone, j)));
    seq
}

fn seq_link(p: &PageBuilder, (kind, i): (Kind, usize)) -> Value {
    let c = p.site.content;
    match kind {
        Kind::Phase => p.link(Kind::Phase, &c.phases[i].id.value),
        _ => p.link(Kind::Milestone, &c.milestones[i].id.value),
    }
}

fn prev_next(p: &PageBuilder, me: (Kind, usize)) -> Value {
    let seq = sequence(p.site.content);
    let pos = seq.iter().position(|s| *s == me);
    let prev = pos.and_then(|i| i.checked_sub(1)).map(|i| seq_link(p, seq[i]));
    let next = pos.and_then(|i| seq.get(i + 1)).map(|s| seq_link(p, *s));
    json!({ "prev": prev, "next": next })
}

/// The step-by-step list of phases with the milestones between them.
pub(super) fn steps(p: &mut PageBuilder, with_summaries: bool) -> Vec<Value> {
    let c = p.site.content;
    sequence(c)
        .into_iter()
        .map(|(kind, i)| match kind {
            Kind::Phase => {
                let ph = &c.phases[i];
                let summary = if with_summaries { ph.summary.as_ref().map(|s| p.md(s)) } else { None };
                let items: Vec<&str> = ph.activities.iter().map(|a| a.id.value.as_str()).collect();
                let checklist = json!({ "id": phase_checklist_id(&ph.id.value), "items": items.join(" ") });
                json!({ "kind": "phase", "number": ph.number, "name": ph.name, "link": p.link(Kind::Phase, &ph.id.value), "summary_html": summary, "checklist": checklist })
            }
            _ => {
                let m = &c.milestones[i];
                let summary = if with_summaries { m.summary.as_ref().map(|s| p.md_inline(s)) } else { None };
                let mut items: Vec<String> = m.decision_covers.iter().map(|it| it.id.value.clone()).collect();
                items.extend(m.decision_basis.documents.iter().map(|d| basis_item_id(&d.value)));
                let checklist = json!({ "id": milestone_checklist_id(&m.id.value), "items": items.join(" ") });
                json!({ "kind": "milestone", "numeral": roman(m.number), "name": m.short_name, "link": p.link(Kind::Milestone, &m.id.value), "summary_html": summary, "checklist": checklist })
            }
        })
        .collect()
}

pub(super) fn phase(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let ph = &c.phases[i];
    let summary = p.opt_md(&ph.summary);
    let purpose = p.md(&ph.purpose);
    let note = p.opt_md(&ph.activities_note);
    let checklist_id = p.id(&phase_checklist_id(&ph.id.value));
    let activities: Vec<Value> = ph
        .activities
        .iter()
        .map(|a| {
            let concerns: Vec<Value> = a.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect();
            json!({ "id": a.id.value, "html_id": item_anchor(&checklist_id, &a.id.value), "text": a.text, "items": a.items, "concerns": concerns })
        })
        .collect();
    let results: Vec<Value> = ph
        .results
        .iter()
        .map(|r| {
            let link = r.document.as_ref().map(|d| p.link(Kind::Document, &d.value));
            let text = r.text.clone().or_else(|| link.as_ref().and_then(|l| l["title"].as_str().map(String::from)));
            json!({ "text": text, "url": link.and_then(|l| l["url"].as_str().map(String::from)) })
        })
        .collect();
    let support: Vec<Value> = ph
        .support
        .iter()
        .map(|s| {
            let target = match (&s.template, &s.link) {
                (Some(t), _) => p.site.index.get(Kind::Template, &t.value).cloned(),
                (None, Some(l)) => p.site.index.resolve(&l.value).ok(),
                _ => None,
            };
            let text = s.text.clone().or_else(|| target.as_ref().map(|t| t.title.clone()));
            json!({ "text": text, "url": target.map(|t| format!("{}{}", p.root, t.url)) })
        })
        .collect();
    let milestone_after: Option<Value> = c
        .milestones
        .iter()
        .find(|m| m.after_phase.as_ref().is_some_and(|a| a.value == ph.id.value))
        .map(|m| p.link(Kind::Milestone, &m.id.value));
    let checklists = own_checklists(p, Kind::Phase, &ph.id.value);
    let data = json!({
        "phase": {
            "id": ph.id.value, "number": ph.number, "name": ph.name, "summary_html": summary,
            "purpose_html": purpose, "activities_note_html": note, "activities": activities,
            "checklist_id": checklist_id, "results": results, "support": support, "source_ref": ph.source_ref,
            "has_concerns": ph.activities.iter().any(|a| !a.concerns.is_empty()),
        },
        "milestone_after": milestone_after,
        "checklists": checklists,
        "supplements": supplements_on(p, Kind::Phase, &ph.id.value),
        "skeletons": phase_skeletons(p, &ph.id.value),
        "sequence": prev_next(p, (Kind::Phase, i)),
    });
    let title = format!("{} {}: {}", p.t("phase"), ph.number, ph.name);
    Built::new("phase.html", title, data).under(p.section(ListPage::Phases))
}

pub(super) fn milestone(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let m = &c.milestones[i];
    let purpose = p.md(&m.purpose);
    let summary = p.opt_md(&m.summary);
    let checklist_id = p.id(&milestone_checklist_id(&m.id.value));
    let covers: Vec<Value> = m
        .decision_covers
        .iter()
        .map(|it| {
            let concerns: Vec<Value> = it.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect();
            json!({ "id": it.id.value, "html_id": item_anchor(&checklist_id, &it.id.value), "text": it.text, "concerns": concerns })
        })
        .collect();
    let basis: Vec<Value> = m
        .decision_basis
        .documents
        .iter()
        .map(|d| {
            let mut l = p.link(Kind::Document, &d.value);
            l["html_id"] = json!(item_anchor(&checklist_id, &basis_item_id(&d.value)));
            l["id"] = json!(basis_item_id(&d.value));
            l
        })
        .collect();
    let data = json!({
        "milestone": {
            "id": m.id.value, "numeral": roman(m.number), "short_name": m.short_name, "heading": m.heading,
            "summary_html": summary, "purpose_html": purpose, "checklist_id": checklist_id,
            "decision_covers": covers, "has_concerns": m.decision_covers.iter().any(|i| !i.concerns.is_empty()), "basis_text": m.decision_basis.text, "basis_documents": basis,
            "prepared_by": m.prepared_by, "decided_by": { "text": m.decided_by.text, "role": p.link(Kind::Role, &m.decided_by.role.value) },
            "information": m.information, "source_ref": m.source_ref,
            "after_phase": m.after_phase.as_ref().map(|a| p.link(Kind::Phase, &a.value)),
            "before_phase": m.before_phase.as_ref().map(|b| p.link(Kind::Phase, &b.value)),
        },
        "checklists": own_checklists(p, Kind::Milestone, &m.id.value),
        "supplements": supplements_on(p, Kind::Milestone, &m.id.value),
        "sequence": prev_next(p, (Kind::Milestone, i)),
    });
    let title = milestone_title(p.site.strings, m.number, &m.short_name);
    Built::new("milestone.html", title, data).under(p.section(ListPage::Phases))
}

/// What the method asks of area `area` in each phase and at each milestone, by the
/// editorial mapping (`concerns`) of activities and decision items.
pub(super) fn area_mapping(p: &PageBuilder, area: &str) -> Vec<Value> {
    let c = p.site.content;
    let concerns = |list: &[Id]| list.iter().any(|x| x.value == area);
    let mut out = Vec::new();
    for (kind, i) in sequence(c) {
        // The page of the phase or milestone, its checklist, and the items that concern the area.
        let (link, checklist, matching) = match kind {
            Kind::Phase => {
                let ph = &c.phases[i];
                let matching: Vec<_> = ph
                    .activities
                    .iter()
                    .filter(|a| concerns(&a.concerns))
                    .map(|a| (&a.id.value, &a.text, a.items.clone()))
                    .collect();
                (p.link(Kind::Phase, &ph.id.value), phase_checklist_id(&ph.id.value), matching)
            }
            _ => {
                let m = &c.milestones[i];
                let matching: Vec<_> = m
                    .decision_covers
                    .iter()
                    .filter(|it| concerns(&it.concerns))
                    .map(|it| (&it.id.value, &it.text, Vec::new()))
                    .collect();
                (p.link(Kind::Milestone, &m.id.value), milestone_checklist_id(&m.id.value), matching)
            }
        };
        if matching.is_empty() {
            continue;
        }
        let page_url = link["url"].as_str().unwrap_or_default().to_string();
        let items: Vec<Value> = matching
            .into_iter()
            .map(|(id, text, sub)| {
                json!({ "text": text, "items": sub, "url": format!("{page_url}#{}", item_anchor(&checklist, id)) })
            })
            .collect();
        out.push(json!({ "link": link, "items": items }));
    }
    out
}

/// Checklists of their own attached to `kind`/`id`.
pub(super) fn own_checklists(p: &mut PageBuilder, kind: Kind, id: &str) -> Vec<Value> {
    let c = p.site.content;
    let reference = format!("@{}/{}", kind.word(), id);
    c.checklists
        .iter()
        .filter(|k| k.attached_to.as_ref().is_some_and(|a| a.value.split('#').next() == Some(reference.as_str())))
        .map(|k| {
            let cid = p.id(&k.id.value);
            let intro = p.opt_md(&k.intro);
            let items: Vec<Value> = k.items.iter().map(|it| json!({ "id": it.id.value, "html_id": item_anchor(&cid, &it.id.value), "text": it.text })).collect();
            let origin = origin(p, k.supplement.as_ref().map(|s| s.value.as_str()), k.file);
            json!({ "id": cid, "title": k.title, "intro_html": intro, "items": items, "derived": k.source == Source::Derived,
                    "source_ref": k.source_ref, "level": 2, "origin": origin })
        })
        .collect()
}

/// The additions of every supplement attached to `kind`/`id`, grouped by supplement, each
/// with its text and, when it has items, as a checklist.
pub(super) fn supplements_on(p: &mut PageBuilder, kind: Kind, id: &str) -> Vec<Value> {
    let c = p.site.content;
    let reference = format!("@{}/{}", kind.word(), id);
    let mut out = Vec::new();
    for s in &c.supplements {
        let additions: Vec<&Addition> =
            s.additions.iter().filter(|a| a.to.value.split('#').next() == Some(reference.as_str())).collect();
        if additions.is_empty() {
            continue;
        }
        let heading_id = p.id(&paths::supplement_heading(&s.id.value));
        let list: Vec<Value> = additions.into_iter().map(|a| addition(p, s, a)).collect();
        out.push(json!({
            "id": s.id.value, "heading_id": heading_id, "name": s.name, "publisher": s.publisher,
            "link": p.link(Kind::Supplement, &s.id.value), "additions": list,
        }));
    }
    out
}

/// One addition as the template shows it: with items it is a checklist (legend at level 3).
fn addition(p: &mut PageBuilder, s: &Supplement, a: &Addition) -> Value {
    let cid = p.id(&a.id.value);
    let text = p.opt_md(&a.text);
    let title = a.title.as_ref().map(|_| crate::links::addition_title(s, a));
    let items: Vec<Value> = a
        .items
        .iter()
        .map(|it| json!({ "id": it.id.value, "html_id": item_anchor(&cid, &it.id.value), "text": it.text }))
        .collect();
    json!({
        "id": cid, "title": title, "intro_html": text, "items": items, "level": 3,
        "derived": a.source == Source::Derived, "source_ref": a.source_ref,
        "checklist": !a.items.is_empty(),
    })
}

/// The zip of a phase's document skeletons and the templates in it, if it has any.
fn phase_skeletons(p: &PageBuilder, phase: &str) -> Option<Value> {
    let c = p.site.content;
    let zip = download(p, &paths::phase_skeletons(phase), &format!("{phase}-dokumentmallar"))?;
    let templates: Vec<Value> = c
        .templates
        .iter()
        .filter(|t| c.documents.iter().any(|d| d.id.value == t.document.value && d.phase.value == phase))
        .map(|t| p.link(Kind::Template, &t.id.value))
        .collect();
    Some(json!({ "zip": zip, "templates": templates }))
}
