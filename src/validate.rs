//! Checks that the loaded content holds together: ids well-formed and unique, every
//! reference resolving, numbered things numbered once. Every problem is collected.

use std::collections::BTreeMap;

use crate::content::kind::{Kind, parse_entity_ref};
use crate::content::model::*;
use crate::content::{Content, FRONT_MATTER_OFFSET, at};
use crate::diagnostic::Diagnostic;
use crate::links::{Index, Reason};
use crate::paths::{RESERVED_PAGE_IDS, milestone_checklist_id, phase_checklist_id};
use crate::slug::slugify;

struct Checker<'a> {
    content: &'a Content,
    index: &'a Index,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Ids are written once and appear in URLs: lower-case letters, digits and hyphens.
    fn id_form(&mut self, file: FileId, id: &Id, offset: usize) {
        let v = &id.value;
        let ok = !v.is_empty()
            && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !v.starts_with('-')
            && !v.ends_with('-');
        if !ok {
            let d = at(self.content, file, id, offset, format!("the id `{v}` may only hold a–z, 0–9 and hyphens"))
                .with_length(v.chars().count())
                .with_help(format!(
                    "for example `{}`; ids appear in URLs and saved checklists, so choose once",
                    slugify(v)
                ));
            self.push(d);
        }
    }

    fn reference(&mut self, file: FileId, kind: Kind, r: &Id, offset: usize) {
        if let Err(u) = self.index.check(kind, &r.value) {
            let mut d = at(self.content, file, r, offset, u.message).with_length(r.value.chars().count());
            if let Some(h) = u.help {
                d = d.with_help(h);
            }
            self.push(d);
        }
    }

    fn free_reference(&mut self, file: FileId, r: &Id, offset: usize) {
        if let Err(u) = self.index.resolve(&r.value) {
            let mut d = at(self.content, file, r, offset, u.message).with_length(r.value.chars().count());
            if let Some(h) = u.help {
                d = d.with_help(h);
            }
            self.push(d);
        }
    }
}

/// Reports each id in `ids` that was already used, pointing at both places.
fn unique<'a>(c: &mut Checker, what: &str, ids: impl IntoIterator<Item = (FileId, &'a Id, usize)>) {
    let mut seen: BTreeMap<&str, (FileId, &Id, usize)> = BTreeMap::new();
    for (file, id, offset) in ids {
        c.id_form(file, id, offset);
        if let Some((f0, first, o0)) = seen.get(id.value.as_str()) {
            let first_at = at(c.content, *f0, first, *o0, "").location();
            let d = at(c.content, file, id, offset, format!("duplicate {what} id `{}`", id.value))
                .with_length(id.value.chars().count())
                .with_help(format!("it is already used at {first_at}; ids must be unique"));
            c.push(d);
        } else {
            seen.insert(&id.value, (file, id, offset));
        }
    }
}

/// Every checklist is saved in the reader's browser under its id, so two checklists with
/// one id would share one record. A phase's and a milestone's checklist ids are derived from
/// their own ids (`checklista-<id>`): a milestone given a phase's id, or a checklist of its
/// own named like a derived one, is reported with both places.
fn checklist_ids(c: &mut Checker) {
    let content = c.content;
    let derived = content.phases.iter().map(|p| (phase_checklist_id(&p.id.value), Kind::Phase, p.file, &p.id)).chain(
        content.milestones.iter().map(|m| (milestone_checklist_id(&m.id.value), Kind::Milestone, m.file, &m.id)),
    );
    let own = content.checklists.iter().map(|k| (k.id.value.clone(), Kind::Checklist, k.file, &k.id)).chain(
        content
            .supplements
            .iter()
            .flat_map(|s| s.additions.iter().map(move |a| (a.id.value.clone(), Kind::Supplement, s.file, &a.id))),
    );
    let group = |k: Kind| match k {
        Kind::Phase => 0,
        Kind::Milestone => 1,
        _ => 2,
    };
    let what = |kind: Kind, id: &Id| match kind {
        Kind::Phase | Kind::Milestone => format!("the checklist of the {} `{}`", kind.noun(), id.value),
        Kind::Supplement => format!("the supplement addition `{}`", id.value),
        _ => format!("the checklist `{}`", id.value),
    };
    let mut seen: BTreeMap<String, (Kind, FileId, &Id)> = BTreeMap::new();
    for (checklist, kind, file, id) in derived.chain(own) {
        match seen.get(&checklist) {
            // Ids repeated within one group are reported as duplicate ids already.
            Some((k0, f0, id0)) if group(*k0) != group(kind) => {
                let first_at = at(content, *f0, *id0, 0, "").location();
                let message = format!(
                    "{} has the checklist id `{checklist}`, as {} at {first_at} has",
                    what(kind, id),
                    what(*k0, id0)
                );
                let d = at(content, file, id, 0, message).with_length(id.value.chars().count()).with_help(
                    "a reader's marks are saved by checklist id, so the two would share them: give one another id",
                );
                c.push(d);
            }
            Some(_) => {}
            None => {
                seen.insert(checklist, (kind, file, id));
            }
        }
    }
}

/// All problems of `content`, given its `index`.
pub fn validate(content: &Content, index: &Index) -> Vec<Diagnostic> {
    let mut c = Checker { content, index, out: Vec::new() };
    let fm = FRONT_MATTER_OFFSET;

    unique(&mut c, "phase", content.phases.iter().map(|p| (p.file, &p.id, 0)));
    unique(&mut c, "milestone", content.milestones.iter().map(|m| (m.file, &m.id, 0)));
    unique(&mut c, "coordination area", content.areas.iter().map(|a| (a.file, &a.id, 0)));
    // Roles and concepts share the glossary page, so their anchors must not collide.
    unique(
        &mut c,
        "glossary (role or concept)",
        content.roles.iter().map(|r| (r.file, &r.id, 0)).chain(content.concepts.iter().map(|k| (k.file, &k.id, 0))),
    );
    unique(&mut c, "document", content.documents.iter().map(|d| (d.file, &d.id, 0)));
    unique(&mut c, "heading template", content.heading_templates.iter().map(|t| (t.file, &t.id, 0)));
    // Additions with items are checklists on their page, so they share the checklists' ids.
    unique(
        &mut c,
        "checklist or supplement addition",
        content
            .checklists
            .iter()
            .map(|k| (k.file, &k.id, 0))
            .chain(content.supplements.iter().flat_map(|s| s.additions.iter().map(move |a| (s.file, &a.id, 0)))),
    );
    checklist_ids(&mut c);
    unique(&mut c, "supplement", content.supplements.iter().map(|s| (s.file, &s.id, 0)));
    unique(&mut c, "FAQ", content.faq.iter().map(|f| (f.file, &f.id, 0)));
    unique(&mut c, "page", content.pages.iter().map(|p| (p.file, &p.meta.id, fm)));

    for p in &content.pages {
        if RESERVED_PAGE_IDS.contains(&p.meta.id.value.as_str()) {
            let d = at(
                content,
                p.file,
                &p.meta.id,
                fm,
                format!("the page id `{}` is taken by the handbook itself", p.meta.id.value),
            )
            .with_help(format!("reserved: {}", RESERVED_PAGE_IDS.join(", ")));
            c.push(d);
        }
        for r in &p.meta.related {
            c.free_reference(p.file, r, fm);
        }
        if let Some(s) = &p.meta.supplement {
            c.reference(p.file, Kind::Supplement, s, fm);
        }
    }
    for s in &content.supplements {
        for a in &s.additions {
            attachment(&mut c, s.file, &a.to);
            unique(&mut c, "checklist item", a.all_items().map(|i| (s.file, &i.id, 0)));
            for area in a.all_items().flat_map(|i| &i.concerns) {
                c.reference(s.file, Kind::Area, area, 0);
            }
            if a.text.is_none() && a.items.is_empty() && a.then.is_empty() {
                c.push(at(content, s.file, &a.id, 0, "an addition needs `text:`, `items:` or `then:`"));
            }
            if a.then.iter().any(|p| p.is_empty()) {
                c.push(at(
                    content,
                    s.file,
                    &a.id,
                    0,
                    "each part of `then:` needs `text:`, `items:`, `table:` or `figure:`",
                ));
            }
            for t in a.then.iter().filter_map(|p| p.table.as_ref()) {
                for row in t.rows.iter().filter(|r| r.value.len() != t.columns.len()) {
                    let n = row.value.len();
                    let cells = if n == 1 { "cell" } else { "cells" };
                    let message = format!("this table row has {n} {cells}, the table {} columns", t.columns.len());
                    c.push(at(content, s.file, row, 0, message));
                }
            }
        }
    }

    numbered(&mut c, "phase", content.phases.iter().map(|p| (p.file, &p.id, p.number)));
    numbered(&mut c, "milestone", content.milestones.iter().map(|m| (m.file, &m.id, m.number)));

    for p in &content.phases {
        unique(&mut c, "activity", p.activities.iter().map(|a| (p.file, &a.id, 0)));
        for area in p.activities.iter().flat_map(|a| &a.concerns) {
            c.reference(p.file, Kind::Area, area, 0);
        }
        for r in &p.results {
            if let Some(d) = &r.document {
                c.reference(p.file, Kind::Document, d, 0);
            } else if r.text.is_none() {
                c.push(at(content, p.file, &p.id, 0, "a result needs `document:` or `text:`"));
            }
        }
        for s in &p.support {
            if let Some(t) = &s.template {
                c.reference(p.file, Kind::HeadingTemplate, t, 0);
            }
            if let Some(l) = &s.link {
                c.free_reference(p.file, l, 0);
            }
            if s.template.is_none() && s.text.is_none() {
                c.push(at(content, p.file, &p.id, 0, "a support item needs `template:` or `text:`"));
            }
        }
    }
    for m in &content.milestones {
        unique(&mut c, "decision item", m.decision_covers.iter().map(|i| (m.file, &i.id, 0)));
        for area in m.decision_covers.iter().flat_map(|i| &i.concerns) {
            c.reference(m.file, Kind::Area, area, 0);
        }
        for p in m.after_phase.iter().chain(&m.before_phase) {
            c.reference(m.file, Kind::Phase, p, 0);
        }
        for d in &m.decision_basis.documents {
            c.reference(m.file, Kind::Document, d, 0);
        }
        c.reference(m.file, Kind::Role, &m.decided_by.role, 0);
    }
    for d in &content.documents {
        c.reference(d.file, Kind::Phase, &d.phase, 0);
    }
    for t in &content.heading_templates {
        c.reference(t.file, Kind::Document, &t.document, 0);
        c.reference(t.file, Kind::Phase, &t.phase, 0);
        headings(&mut c, t);
    }
    for k in &content.checklists {
        unique(&mut c, "checklist item", k.items.iter().map(|i| (k.file, &i.id, 0)));
        for area in k.items.iter().flat_map(|i| &i.concerns) {
            c.reference(k.file, Kind::Area, area, 0);
        }
        if let Some(r) = &k.attached_to {
            attachment(&mut c, k.file, r);
        }
        if let Some(s) = &k.supplement {
            c.reference(k.file, Kind::Supplement, s, 0);
        }
    }
    if let Some(g) = &content.reading_guide {
        unique(&mut c, "reading guide entry", g.entries.iter().map(|e| (g.file, &e.id, 0)));
        for e in &g.entries {
            for l in &e.links {
                c.free_reference(g.file, l, 0);
            }
        }
    }
    c.out
}

/// What an addition or a checklist is attached to: a phase, milestone, coordination area or
/// document that exists. When the site builds on a base, a missing id is most likely one a
/// newer edition of the base renamed or removed, and the message says so, naming the base.
fn attachment(c: &mut Checker, file: FileId, r: &Id) {
    const KINDS: [Kind; 4] = [Kind::Phase, Kind::Milestone, Kind::Area, Kind::Document];
    let Some((kind, id)) = parse_entity_ref(&r.value) else {
        c.free_reference(file, r, 0);
        return;
    };
    if !KINDS.contains(&kind) {
        let d = at(c.content, file, r, 0, format!("additions and checklists cannot be attached to a {}", kind.noun()))
            .with_length(r.value.chars().count())
            .with_help("attach them to `@phase/…`, `@milestone/…`, `@area/…` or `@document/…`");
        c.push(d);
        return;
    }
    let Err(u) = c.index.check(kind, &id) else { return };
    let message = if u.reason == Reason::Hidden {
        u.message
    } else {
        format!("there is no {} `{id}` to attach this to", kind.noun())
    };
    let mut d = at(c.content, file, r, 0, message).with_length(r.value.chars().count());
    let mut help = u.help.unwrap_or_default();
    if let Some(b) = &c.content.base {
        let folder = match kind {
            Kind::Phase => "phases/",
            Kind::Milestone => "milestones/",
            Kind::Area => "areas/",
            _ => "documents.yaml",
        };
        help = format!(
            "{help} The base `{}` (named at {}) has no such {} in {}; if its new edition renamed or removed it, \
             attach this to another {} or delete it.",
            b.shown.display(),
            b.named_at,
            kind.noun(),
            b.shown.join("content").join(folder).display(),
            kind.noun()
        )
        .trim()
        .to_string();
    }
    d = d.with_help(help);
    c.push(d);
}

fn numbered<'a>(c: &mut Checker, what: &str, items: impl IntoIterator<Item = (FileId, &'a Id, u32)>) {
    let mut seen: BTreeMap<u32, &Id> = BTreeMap::new();
    for (file, id, n) in items {
        if let Some(first) = seen.get(&n) {
            let d =
                at(c.content, file, id, 0, format!("{what} `{}` has number {n}, as does `{}`", id.value, first.value))
                    .with_help("each number is used once; it sets the order");
            c.push(d);
        } else {
            seen.insert(n, id);
        }
    }
}

/// Heading numbers: digits separated by dots, at most four levels, each used once.
fn headings(c: &mut Checker, t: &HeadingTemplate) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for h in &t.headings {
        let n = h.number.value.as_str();
        let well_formed =
            !n.is_empty() && n.split('.').all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_digit()));
        if !well_formed {
            let d = at(c.content, t.file, &h.number, 0, format!("`{n}` is not a heading number"))
                .with_help("write numbers like 3 or 3.1.3.2, without a trailing dot");
            c.push(d);
        } else if h.level() > 4 {
            c.push(at(
                c.content,
                t.file,
                &h.number,
                0,
                format!("`{n}` is {} levels deep; templates have at most four", h.level()),
            ));
        }
        if seen.insert(n, ()).is_some() {
            c.push(at(c.content, t.file, &h.number, 0, format!("heading number `{n}` appears twice")));
        }
    }
}
