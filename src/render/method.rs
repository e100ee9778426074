//! The method's sequence: the phases page, a phase, a milestone, the step before and after,
//! and what the method asks of a coordination area along the way.

use serde::Serialize;

use super::checklists::{Checklist, ChecklistItem, ChecklistRecord, SupplementSection, own_checklists, supplements_on};
use super::layout::{Download, download};
use super::order::{StepNav, step_nav};
use super::page::{Built, Link, PageBuilder};
use crate::content::Content;
use crate::content::kind::Kind;
use crate::content::model::Id;
use crate::links::milestone_title;
use crate::paths::{self, ListPage, basis_item_id, item_anchor, milestone_checklist_id, phase_checklist_id};
use crate::slug::roman;

/// One step of the method: a phase, or the milestone after it.
#[derive(Serialize)]
pub(super) struct Step {
    /// `phase` or `milestone`.
    kind: &'static str,
    /// A phase's number.
    number: Option<u32>,
    /// A milestone's roman numeral.
    numeral: Option<String>,
    name: String,
    link: Link,
    summary_html: Option<String>,
    /// The step's checklist, for its progress.
    checklist: ChecklistRecord,
}

#[derive(Serialize)]
struct PhasesPage {
    steps: Vec<Step>,
}

/// The phases page: every step with its summary.
pub(super) fn phases(p: &mut PageBuilder) -> Built {
    let data = PhasesPage { steps: steps(p, true, false) };
    // The phases page shows each step's progress.
    Built::new("phases.html", p.t("phases"), data).with_checklists(true)
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

/// The step-by-step list of phases with the milestones between them.
pub(super) fn steps(p: &mut PageBuilder, with_summaries: bool, with_texts: bool) -> Vec<Step> {
    let c = p.site.content;
    sequence(c)
        .into_iter()
        .map(|(kind, i)| match kind {
            Kind::Phase => {
                let ph = &c.phases[i];
                let summary = if with_summaries { ph.summary.as_ref().map(|s| p.md(s)) } else { None };
                Step {
                    kind: "phase",
                    number: Some(ph.number),
                    numeral: None,
                    name: ph.name.clone(),
                    link: p.link(Kind::Phase, &ph.id.value),
                    summary_html: summary,
                    checklist: ChecklistRecord::new(
                        &phase_checklist_id(&ph.id.value),
                        ph.activities.iter().map(|a| (a.id.value.as_str(), a.text.as_str())),
                        with_texts,
                    ),
                }
            }
            _ => {
                let m = &c.milestones[i];
                let summary = if with_summaries { m.summary.as_ref().map(|s| p.md_inline(s)) } else { None };
                // The decision's items, then its basis: one record in two parts.
                let basis: Vec<(String, String)> = m
                    .decision_basis
                    .documents
                    .iter()
                    .map(|d| (basis_item_id(&d.value), p.link(Kind::Document, &d.value).title))
                    .collect();
                let items = m
                    .decision_covers
                    .iter()
                    .map(|it| (it.id.value.as_str(), it.text.as_str()))
                    .chain(basis.iter().map(|(id, title)| (id.as_str(), title.as_str())));
                Step {
                    kind: "milestone",
                    number: None,
                    numeral: Some(roman(m.number)),
                    name: m.short_name.clone(),
                    link: p.link(Kind::Milestone, &m.id.value),
                    summary_html: summary,
                    checklist: ChecklistRecord::new(&milestone_checklist_id(&m.id.value), items, with_texts),
                }
            }
        })
        .collect()
}

/// A result or a support of a phase: text, and where it links.
#[derive(Serialize)]
struct Entry {
    text: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct PhaseView {
    id: String,
    number: u32,
    name: String,
    summary_html: Option<String>,
    purpose_html: String,
    results: Vec<Entry>,
    support: Vec<Entry>,
    source_ref: Option<String>,
}

/// The skeletons of a phase's documents in one zip, and the templates in it.
#[derive(Serialize)]
struct PhaseSkeletons {
    zip: Download,
    templates: Vec<Link>,
}

#[derive(Serialize)]
struct PhasePage {
    phase: PhaseView,
    /// The phase's main activities.
    activities: Checklist,
    milestone_after: Option<Link>,
    checklists: Vec<Checklist>,
    supplements: Vec<SupplementSection>,
    skeletons: Option<PhaseSkeletons>,
    stepnav: StepNav,
}

/// A phase: its purpose, its main activities as a checklist, results, support.
pub(super) fn phase(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let ph = &c.phases[i];
    let summary = p.opt_md(&ph.summary);
    let purpose = p.md(&ph.purpose);
    let note = p.opt_md(&ph.activities_note);
    let checklist_id = p.id(&phase_checklist_id(&ph.id.value));
    let mut activities = Checklist::new(&checklist_id, p.t("activities"), 2, paths::id("activities").to_string());
    activities.notice_html = note;
    activities.has_concerns = ph.activities.iter().any(|a| !a.concerns.is_empty());
    activities.items = ph
        .activities
        .iter()
        .map(|a| ChecklistItem {
            items: a.items.clone(),
            concerns: a.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect(),
            ..ChecklistItem::new(&checklist_id, &a.id.value, &a.text)
        })
        .collect();
    let results = ph
        .results
        .iter()
        .map(|r| {
            let link = r.document.as_ref().map(|d| p.link(Kind::Document, &d.value));
            let text = r.text.clone().or_else(|| link.as_ref().map(|l| l.title.clone()));
            Entry { text, url: link.and_then(|l| l.url) }
        })
        .collect();
    let support = ph
        .support
        .iter()
        .map(|s| {
            let target = match (&s.template, &s.link) {
                (Some(t), _) => p.site.index.get(Kind::HeadingTemplate, &t.value).cloned(),
                (None, Some(l)) => p.site.index.resolve(&l.value).ok(),
                _ => None,
            };
            let text = s.text.clone().or_else(|| target.as_ref().map(|t| t.title.clone()));
            Entry { text, url: target.map(|t| p.url(&t.url)) }
        })
        .collect();
    let milestone_after = c
        .milestones
        .iter()
        .find(|m| m.after_phase.as_ref().is_some_and(|a| a.value == ph.id.value))
        .map(|m| p.link(Kind::Milestone, &m.id.value));
    let data = PhasePage {
        phase: PhaseView {
            id: ph.id.value.clone(),
            number: ph.number,
            name: ph.name.clone(),
            summary_html: summary,
            purpose_html: purpose,
            results,
            support,
            source_ref: ph.source_ref.clone(),
        },
        activities,
        milestone_after,
        checklists: own_checklists(p, Kind::Phase, &ph.id.value),
        supplements: supplements_on(p, Kind::Phase, &ph.id.value),
        skeletons: phase_skeletons(p, &ph.id.value),
        stepnav: step_nav(p, (Kind::Phase, i)),
    };
    let title = format!("{} {}: {}", p.t("phase"), ph.number, ph.name);
    Built::new("phase.html", title, data).with_checklists(true).under(p.section(ListPage::Phases))
}

#[derive(Serialize)]
struct DecidedBy {
    text: String,
    role: Link,
}

#[derive(Serialize)]
struct MilestoneView {
    id: String,
    numeral: String,
    short_name: String,
    heading: Option<String>,
    summary_html: Option<String>,
    purpose_html: String,
    /// The basis as text, when it names no documents.
    basis_text: String,
    prepared_by: String,
    decided_by: DecidedBy,
    information: Option<String>,
    source_ref: Option<String>,
    after_phase: Option<Link>,
    before_phase: Option<Link>,
}

#[derive(Serialize)]
struct MilestonePage {
    milestone: MilestoneView,
    /// What the decision covers.
    decision: Checklist,
    /// The documents the decision is based on: a second part of the same checklist.
    basis: Option<Checklist>,
    checklists: Vec<Checklist>,
    supplements: Vec<SupplementSection>,
    stepnav: StepNav,
}

/// A milestone: what the decision covers and its basis (one checklist in two parts), who
/// prepares and who decides.
pub(super) fn milestone(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let m = &c.milestones[i];
    let purpose = p.md(&m.purpose);
    let summary = p.opt_md(&m.summary);
    let checklist_id = p.id(&milestone_checklist_id(&m.id.value));
    let mut decision =
        Checklist::new(&checklist_id, p.t("decision_covers"), 2, paths::id("decision_covers").to_string());
    decision.has_concerns = m.decision_covers.iter().any(|i| !i.concerns.is_empty());
    decision.items = m
        .decision_covers
        .iter()
        .map(|it| ChecklistItem {
            concerns: it.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect(),
            ..ChecklistItem::new(&checklist_id, &it.id.value, &it.text)
        })
        .collect();
    let basis = (!m.decision_basis.documents.is_empty()).then(|| {
        let mut basis =
            Checklist::new(&checklist_id, p.t("decision_basis"), 2, paths::id("decision_basis").to_string());
        basis.id = None;
        basis.text = Some(m.decision_basis.text.clone());
        basis.items = m
            .decision_basis
            .documents
            .iter()
            .map(|d| {
                let link = p.link(Kind::Document, &d.value);
                ChecklistItem {
                    url: link.url,
                    ..ChecklistItem::new(&checklist_id, &basis_item_id(&d.value), &link.title)
                }
            })
            .collect();
        basis
    });
    let data = MilestonePage {
        milestone: MilestoneView {
            id: m.id.value.clone(),
            numeral: roman(m.number),
            short_name: m.short_name.clone(),
            heading: m.heading.clone(),
            summary_html: summary,
            purpose_html: purpose,
            basis_text: m.decision_basis.text.clone(),
            prepared_by: m.prepared_by.clone(),
            decided_by: DecidedBy {
                text: m.decided_by.text.clone(),
                role: p.link(Kind::Role, &m.decided_by.role.value),
            },
            information: m.information.clone(),
            source_ref: m.source_ref.clone(),
            after_phase: m.after_phase.as_ref().map(|a| p.link(Kind::Phase, &a.value)),
            before_phase: m.before_phase.as_ref().map(|b| p.link(Kind::Phase, &b.value)),
        },
        decision,
        basis,
        checklists: own_checklists(p, Kind::Milestone, &m.id.value),
        supplements: supplements_on(p, Kind::Milestone, &m.id.value),
        stepnav: step_nav(p, (Kind::Milestone, i)),
    };
    let title = milestone_title(p.site.strings, m.number, &m.short_name);
    Built::new("milestone.html", title, data).with_checklists(true).under(p.section(ListPage::Phases))
}

/// What the method asks of a coordination area in one phase or at one milestone.
#[derive(Serialize)]
pub(super) struct AreaAsk {
    link: Link,
    items: Vec<AreaAskItem>,
}

#[derive(Serialize)]
struct AreaAskItem {
    text: String,
    items: Vec<String>,
    /// The item on the phase's or milestone's page.
    url: String,
}

/// What the method asks of area `area` in each phase and at each milestone, by the
/// editorial mapping (`concerns`) of activities and decision items.
pub(super) fn area_mapping(p: &PageBuilder, area: &str) -> Vec<AreaAsk> {
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
        let page_url = link.url.clone().unwrap_or_default();
        let items = matching
            .into_iter()
            .map(|(id, text, sub)| AreaAskItem {
                text: text.clone(),
                items: sub,
                url: format!("{page_url}#{}", item_anchor(&checklist, id)),
            })
            .collect();
        out.push(AreaAsk { link, items });
    }
    out
}

/// The zip of a phase's document skeletons and the templates in it, if it has any.
fn phase_skeletons(p: &PageBuilder, phase: &str) -> Option<PhaseSkeletons> {
    let c = p.site.content;
    let zip = download(p, &paths::phase_skeletons(phase), &paths::phase_skeletons_name(phase))?;
    let templates = c
        .heading_templates
        .iter()
        .filter(|t| c.documents.iter().any(|d| d.id.value == t.document.value && d.phase.value == phase))
        .map(|t| p.link(Kind::HeadingTemplate, &t.id.value))
        .collect();
    Some(PhaseSkeletons { zip, templates })
}
