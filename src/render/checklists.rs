//! Checklists, and the supplements' additions that appear on the method's pages: one type,
//! [`Checklist`], for every checklist `partials/checklist.html` shows.

use serde::Serialize;

use super::layout::{Origin, origin};
use super::page::{Link, PageBuilder};
use crate::content::kind::{Kind, parse_entity_ref};
use crate::content::model::{Addition, Source, Supplement};
use crate::paths::{self, item_anchor};

/// A checklist as `partials/checklist.html` shows it: a fieldset whose items have stable
/// ids, saved in the reader's browser under `record`. The same partial shows a phase's
/// activities, a milestone's decision and its basis, checklists of their own and
/// supplements' additions.
#[derive(Debug, Serialize)]
pub(super) struct Checklist {
    /// The fieldset's id; `None` for a second part of one checklist (a milestone's basis).
    pub id: Option<String>,
    /// The key of the saved record.
    pub record: String,
    pub title: String,
    /// The heading's level: 2 on its own, 3 inside a supplement's section.
    pub level: u8,
    pub heading_id: String,
    /// A checklist of its own has a title of its own (styled as such); the method's
    /// checklists are headed by the section's name.
    pub own: bool,
    /// Markdown before the items.
    pub intro_html: Option<String>,
    /// A notice before the items (a phase's note on its activities).
    pub notice_html: Option<String>,
    /// Plain text before the items (a milestone's basis).
    pub text: Option<String>,
    pub items: Vec<ChecklistItem>,
    /// What follows the items, in the source's order (a supplement's addition).
    pub parts: Vec<PartView>,
    /// Some item concerns a coordination area, so the note on that mapping follows.
    pub has_concerns: bool,
    pub derived: bool,
    pub source_ref: Option<String>,
    /// Where the text comes from when it is not the base's national text.
    pub origin: Option<Origin>,
}

impl Checklist {
    pub(super) fn new(id: &str, title: String, level: u8, heading_id: String) -> Self {
        Checklist {
            id: Some(id.to_string()),
            record: id.to_string(),
            title,
            level,
            heading_id,
            own: false,
            intro_html: None,
            notice_html: None,
            text: None,
            items: Vec::new(),
            parts: Vec::new(),
            has_concerns: false,
            derived: false,
            source_ref: None,
            origin: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ChecklistItem {
    pub id: String,
    pub html_id: String,
    pub text: String,
    /// The item as a link (a document of a milestone's basis).
    pub url: Option<String>,
    /// The parts of an activity.
    pub items: Vec<String>,
    /// The coordination areas the item concerns.
    pub concerns: Vec<Link>,
}

impl ChecklistItem {
    /// The items of a checklist of its own or a supplement's addition, as written.
    fn all(checklist: &str, items: &[crate::content::model::ChecklistItem]) -> Vec<Self> {
        items.iter().map(|it| ChecklistItem::new(checklist, &it.id.value, &it.text)).collect()
    }

    pub(super) fn new(checklist: &str, id: &str, text: &str) -> Self {
        ChecklistItem {
            id: id.to_string(),
            html_id: item_anchor(checklist, id),
            text: text.to_string(),
            url: None,
            items: Vec::new(),
            concerns: Vec::new(),
        }
    }
}

/// A part of an addition after its first text and items, as `partials/parts.html` shows it.
#[derive(Debug, Serialize)]
pub(super) struct PartView {
    html: Option<String>,
    items: Vec<ChecklistItem>,
    columns: Vec<ColumnView>,
    figure: Vec<FragmentView>,
}

/// A source's table shown as its columns, each a headed list of its non-empty cells: the
/// columns of a process step's table (content, resources, documents) are lists of their own,
/// its rows only the figure's layout, and lists reflow on a phone where a table cannot.
#[derive(Debug, Serialize)]
struct ColumnView {
    title: String,
    cells: Vec<String>,
}

#[derive(Debug, Serialize)]
struct FragmentView {
    text: String,
    decision: bool,
}

/// The parts of addition `a`, whose checklist (when it has items) is `checklist`.
fn parts(p: &mut PageBuilder, checklist: &str, a: &Addition) -> Vec<PartView> {
    a.then
        .iter()
        .map(|part| PartView {
            html: p.opt_md(&part.text),
            items: ChecklistItem::all(checklist, &part.items),
            columns: part
                .table
                .iter()
                .flat_map(|t| {
                    t.columns.iter().enumerate().map(|(i, title)| ColumnView {
                        title: title.clone(),
                        cells: t
                            .rows
                            .iter()
                            .filter_map(|r| r.value.get(i))
                            .filter(|c| !c.is_empty())
                            .cloned()
                            .collect(),
                    })
                })
                .collect(),
            figure: part
                .figure
                .iter()
                .flat_map(|f| &f.fragments)
                .map(|f| FragmentView { text: f.text.clone(), decision: f.decision })
                .collect(),
        })
        .collect()
}

/// True when `reference` (`@kind/id`, perhaps with `#anchor`) names `kind`/`id`.
fn names(reference: &str, kind: Kind, id: &str) -> bool {
    parse_entity_ref(reference).is_some_and(|(k, i)| k == kind && i == id)
}

/// Checklists of their own attached to `kind`/`id`.
pub(super) fn own_checklists(p: &mut PageBuilder, kind: Kind, id: &str) -> Vec<Checklist> {
    let c = p.site.content;
    c.checklists
        .iter()
        .filter(|k| k.attached_to.as_ref().is_some_and(|a| names(&a.value, kind, id)))
        .map(|k| {
            let cid = p.id(&k.id.value);
            let mut list = Checklist::new(&cid, k.title.clone(), 2, paths::checklist_heading(&cid));
            list.own = true;
            list.intro_html = p.opt_md(&k.intro);
            list.items = ChecklistItem::all(&cid, &k.items);
            list.derived = k.source == Source::Derived;
            list.source_ref = k.source_ref.clone();
            list.origin = origin(p, k.supplement.as_ref().map(|s| s.value.as_str()), k.file);
            list
        })
        .collect()
}

/// A supplement's additions on the page of what they are added to.
#[derive(Serialize)]
pub(super) struct SupplementSection {
    id: String,
    heading_id: String,
    name: String,
    publisher: Option<String>,
    link: Link,
    /// The handbook's editors, not the supplement, placed its additions on this page.
    placed_by_editors: bool,
    additions: Vec<AdditionView>,
}

/// One addition: text, or with items a checklist.
#[derive(Serialize)]
struct AdditionView {
    id: String,
    title: Option<String>,
    intro_html: Option<String>,
    derived: bool,
    source_ref: Option<String>,
    /// What follows the text (an addition without items).
    parts: Vec<PartView>,
    /// The addition as a checklist, when it has items.
    checklist: Option<Checklist>,
}

/// The additions of every supplement attached to `kind`/`id`, grouped by supplement, each
/// with its text and, when it has items, as a checklist.
pub(super) fn supplements_on(p: &mut PageBuilder, kind: Kind, id: &str) -> Vec<SupplementSection> {
    let c = p.site.content;
    let mut out = Vec::new();
    for s in &c.supplements {
        let additions: Vec<&Addition> = s.additions.iter().filter(|a| names(&a.to.value, kind, id)).collect();
        if additions.is_empty() {
            continue;
        }
        let heading_id = p.id(&paths::supplement_heading(&s.id.value));
        let list = additions.into_iter().map(|a| addition(p, s, a)).collect();
        out.push(SupplementSection {
            id: s.id.value.clone(),
            heading_id,
            name: s.name.clone(),
            publisher: s.publisher.clone(),
            link: p.link(Kind::Supplement, &s.id.value),
            placed_by_editors: s.placement == Source::Derived,
            additions: list,
        });
    }
    out
}

/// One addition as the template shows it: with items it is a checklist (heading at level 3).
fn addition(p: &mut PageBuilder, s: &Supplement, a: &Addition) -> AdditionView {
    let cid = p.id(&a.id.value);
    let text = p.opt_md(&a.text);
    let title = a.title.as_ref().map(|_| crate::links::addition_title(s, a));
    let derived = a.source == Source::Derived;
    let parts = parts(p, &cid, a);
    let (checklist, parts) = if a.is_checklist() {
        let mut list = Checklist::new(&cid, title.clone().unwrap_or_default(), 3, paths::checklist_heading(&cid));
        list.own = true;
        list.intro_html = text.clone();
        list.items = ChecklistItem::all(&cid, &a.items);
        list.parts = parts;
        list.derived = derived;
        list.source_ref = a.source_ref.clone();
        (Some(list), Vec::new())
    } else {
        (None, parts)
    };
    AdditionView { id: cid, title, intro_html: text, derived, source_ref: a.source_ref.clone(), parts, checklist }
}

/// True when a page with checklists of its own `own` and supplements' additions
/// `supplements` shows a checklist.
pub(super) fn any(own: &[Checklist], supplements: &[SupplementSection]) -> bool {
    !own.is_empty() || supplements.iter().any(|s| s.additions.iter().any(|a| a.checklist.is_some()))
}

/// A checklist's saved record and items, for the progress and exports of the phases page and
/// the storage page: the record's key, the item ids separated by spaces, and (where the page
/// exports every checklist) the items' texts as a JSON array in the same order.
#[derive(Serialize)]
pub(super) struct ChecklistRecord {
    id: String,
    items: String,
    texts: Option<String>,
}

impl ChecklistRecord {
    /// The record `id` of `items` (id, text); with their texts when `with_texts`.
    pub(super) fn new<'i>(id: &str, items: impl IntoIterator<Item = (&'i str, &'i str)>, with_texts: bool) -> Self {
        let (ids, texts): (Vec<&str>, Vec<&str>) = items.into_iter().unzip();
        ChecklistRecord {
            id: id.to_string(),
            items: ids.join(" "),
            texts: with_texts.then(|| serde_json::to_string(&texts).expect("texts serialize")),
        }
    }
}

/// A checklist other than a phase's or a milestone's, as the storage page lists it: the page
/// and checklist it is ("Fas 1: Identifiera behov – 1. Anpassa …"), where it is, and its record.
#[derive(Serialize)]
pub(super) struct CatalogueEntry {
    title: String,
    url: Option<String>,
    checklist: ChecklistRecord,
}

/// Every checklist of its own and every supplement's addition with items, in content order.
pub(super) fn other_checklists(p: &PageBuilder) -> Vec<CatalogueEntry> {
    let c = p.site.content;
    let entry = |to: &str, record: &str, title: &str, items: Vec<(&str, &str)>| {
        let target = p.reference(to);
        CatalogueEntry {
            title: match &target {
                Some(t) => format!("{} – {title}", t.title),
                None => title.to_string(),
            },
            url: target.and_then(|t| t.url).map(|u| format!("{u}#{record}")),
            checklist: ChecklistRecord::new(record, items, true),
        }
    };
    let own = c.checklists.iter().filter_map(|k| {
        let to = k.attached_to.as_ref()?;
        let items = k.items.iter().map(|it| (it.id.value.as_str(), it.text.as_str())).collect();
        Some(entry(&to.value, &k.id.value, &k.title, items))
    });
    let added = c.supplements.iter().flat_map(|s| s.additions.iter().filter(|a| a.is_checklist()).map(move |a| (s, a)));
    let added = added.map(|(s, a)| {
        let items = a.all_items().map(|it| (it.id.value.as_str(), it.text.as_str())).collect();
        entry(&a.to.value, &a.id.value, &crate::links::addition_title(s, a), items)
    });
    own.chain(added).collect()
}
