//! A site's local changes to the content it builds on (`content/overrides.yaml`): fields
//! replaced one by one, and items hidden from this copy.
//!
//! Applied once, after the base's and the site's content are loaded and before validation,
//! so validation and rendering only ever see the combined content. Replaced fields are
//! remembered (pages say which of their fields are local); hidden items are removed, along
//! with the lists that name them (a phase's results, an activity's areas), and remembered so
//! that a reference to one says it is hidden rather than missing.

use super::Content;
use super::at;
use super::kind::{Kind, parse_entity_ref};
use super::model::*;
use crate::diagnostic::{Diagnostic, closest};
use crate::review::{Dependency, How};

/// Applies every `overrides.yaml` of `content` (the base's first).
pub fn apply(content: &mut Content, diagnostics: &mut Vec<Diagnostic>) {
    let overrides = std::mem::take(&mut content.overrides);
    // Fields are replaced first, then items hidden, so a site may hide what its base changed.
    let mut hides = Vec::new();
    for o in overrides {
        let file = o.file;
        macro_rules! each {
            ($patches:expr, $entities:ident, $kind:expr) => {
                for p in $patches {
                    let found = content.$entities.iter().position(|e| e.id.value == p.id.value);
                    match found {
                        Some(i) => {
                            let key = ($kind, p.id.value.clone());
                            // A copy's change to a national entity depends on the text it replaced.
                            let national = content.base.is_some()
                                && content.$entities[i].file < content.first_site_file
                                && file >= content.first_site_file;
                            let id = p.id.clone();
                            let fields = p.apply(&mut content.$entities[i]);
                            for (field, text) in &fields {
                                if national {
                                    let key = format!("@{}/{}:{field}", $kind.word(), id.value);
                                    let how = How::Replaces(field);
                                    content.depends.push(Dependency::at(key, text.clone(), how, file, &id));
                                }
                            }
                            content.changed.entry(key).or_default().extend(fields.into_iter().map(|(f, _)| f));
                        }
                        None => {
                            let ids: Vec<&str> = content.$entities.iter().map(|e| e.id.value.as_str()).collect();
                            diagnostics.push(missing(content, file, &p.id, &p.id.value, $kind, &ids));
                        }
                    }
                }
            };
        }
        each!(o.phases, phases, Kind::Phase);
        each!(o.milestones, milestones, Kind::Milestone);
        each!(o.areas, areas, Kind::Area);
        each!(o.documents, documents, Kind::Document);
        each!(o.roles, roles, Kind::Role);
        each!(o.concepts, concepts, Kind::Concept);
        each!(o.templates, heading_templates, Kind::HeadingTemplate);
        each!(o.faq, faq, Kind::Faq);
        hides.extend(o.hide.into_iter().map(|r| (file, r)));
    }
    for (file, r) in &hides {
        // What a copy hides of the national text, as the base has it.
        if *file >= content.first_site_file
            && let Some((kind, id)) = parse_entity_ref(&r.value)
        {
            let text = match r.value.split_once('#') {
                Some((_, item)) => crate::review::item_text(content, kind, &id, item),
                None => crate::review::entity_text(content, kind, &id),
            };
            if let Some(text) = text {
                content.depends.push(Dependency::at(r.value.clone(), text, How::Hides, *file, r));
            }
        }
        match hide(content, *file, r) {
            Ok(()) => {
                let place = at(content, *file, r, 0, "").location();
                content.hidden.insert(r.value.clone(), place);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    cascade(content);
}

/// An override or hide naming an id the combined content does not have.
/// `written` is where the id (or the reference holding it) is written.
fn missing(content: &Content, file: FileId, written: &Id, id: &str, kind: Kind, ids: &[&str]) -> Diagnostic {
    let mut d = at(content, file, written, 0, format!("there is no {} with id `{id}`", kind.noun()))
        .with_length(written.value.chars().count());
    let mut help = match closest(id, ids.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("{} ids: {}.", kind.noun(), ids.join(", ")),
    };
    if let Some(b) = &content.base {
        help.push_str(&format!(
            " If a newer edition of the base (`{}`, named at {}) renamed or removed it, change or delete this entry.",
            b.shown.display(),
            b.named_at
        ));
    }
    d = d.with_help(help);
    d
}

/// Removes what `r` names from `content`.
fn hide(content: &mut Content, file: FileId, r: &Id) -> Result<(), Diagnostic> {
    let reference = r.value.as_str();
    let bad = |content: &Content, message: String, help: &str| {
        at(content, file, r, 0, message).with_length(reference.chars().count()).with_help(help.to_string())
    };
    let Some((kind, id)) = parse_entity_ref(reference) else {
        return Err(bad(
            content,
            format!("`{reference}` is not a reference to hide"),
            "write `@kind/id` (e.g. `@faq/vem-forvaltar-metoden`) or, for one checklist item, `@phase/id#item`",
        ));
    };
    let item = reference.split_once('#').map(|(_, i)| i.to_string());
    macro_rules! remove {
        ($list:ident, |$e:ident| $id:expr) => {{
            let ids: Vec<String> = content.$list.iter().map(|$e| $id.clone()).collect();
            match content.$list.iter().position(|$e| $id == id) {
                Some(i) => {
                    content.$list.remove(i);
                    Ok(())
                }
                None => {
                    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                    Err(missing(content, file, r, &id, kind, &ids))
                }
            }
        }};
    }
    macro_rules! remove_item {
        ($list:ident, $items:ident) => {{
            let item = item.clone().unwrap_or_default();
            let Some(owner) = content.$list.iter_mut().find(|e| e.id.value == id) else {
                let ids: Vec<String> = content.$list.iter().map(|e| e.id.value.clone()).collect();
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                return Err(missing(content, file, r, &id, kind, &ids));
            };
            match owner.$items.iter().position(|i| i.id.value == item) {
                Some(i) => {
                    owner.$items.remove(i);
                    Ok(())
                }
                None => {
                    let ids: Vec<String> = owner.$items.iter().map(|i| i.id.value.clone()).collect();
                    let help = match closest(&item, ids.iter().map(String::as_str)) {
                        Some(b) => format!("did you mean `#{b}`?"),
                        None => format!("its items: {}", ids.join(", ")),
                    };
                    Err(bad(content, format!("{} `{id}` has no item `{item}`", kind.noun()), &help))
                }
            }
        }};
    }
    match (kind, &item) {
        (Kind::Phase, Some(_)) => remove_item!(phases, activities),
        (Kind::Milestone, Some(_)) => remove_item!(milestones, decision_covers),
        (Kind::Checklist, Some(_)) => remove_item!(checklists, items),
        (Kind::Phase | Kind::Milestone, None) => Err(bad(
            content,
            format!("a {} cannot be hidden", kind.noun()),
            "phases and milestones give the method its order; hide single items (`@phase/id#item`) or change \
             fields in the `phases:`/`milestones:` lists of overrides.yaml",
        )),
        (_, Some(_)) => Err(bad(
            content,
            format!("only checklist items can be hidden with `#`; `{reference}` names part of a {}", kind.noun()),
            "hide the whole item (`@kind/id`), or an item of a phase, milestone or checklist (`@phase/id#item`)",
        )),
        (Kind::Area, None) => remove!(areas, |e| e.id.value),
        (Kind::Role, None) => remove!(roles, |e| e.id.value),
        (Kind::Concept, None) => remove!(concepts, |e| e.id.value),
        (Kind::Document, None) => remove!(documents, |e| e.id.value),
        (Kind::HeadingTemplate, None) => remove!(heading_templates, |e| e.id.value),
        (Kind::Checklist, None) => remove!(checklists, |e| e.id.value),
        (Kind::Faq, None) => remove!(faq, |e| e.id.value),
        (Kind::Page, None) => remove!(pages, |e| e.meta.id.value),
        (Kind::Supplement, None) => remove!(supplements, |e| e.id.value),
    }
}

/// Removes what named a hidden item from the lists that remain: a hidden document's
/// template, a phase's results and a milestone's decision basis; a hidden template or page
/// from a phase's support; a hidden area from the areas activities concern; hidden pages
/// from `related` lists and the reading guide.
fn cascade(content: &mut Content) {
    if content.hidden.is_empty() {
        return;
    }
    // A hidden document's template is hidden with it, for the same reason.
    let also: Vec<(String, String)> = content
        .heading_templates
        .iter()
        .filter_map(|t| {
            let why = content.hidden.get(&format!("@document/{}", t.document.value))?;
            Some((format!("@template/{}", t.id.value), why.clone()))
        })
        .collect();
    content.hidden.extend(also);
    let hidden = &content.hidden;
    let gone = |kind: Kind, id: &str| hidden.contains_key(&format!("@{}/{id}", kind.word()));
    let related_gone =
        |r: &Id| parse_entity_ref(&r.value).is_some_and(|(k, id)| !r.value.contains('#') && gone(k, &id));
    content.heading_templates.retain(|t| !gone(Kind::HeadingTemplate, &t.id.value));
    for p in &mut content.phases {
        p.results.retain(|r| r.document.as_ref().is_none_or(|d| !gone(Kind::Document, &d.value)));
        p.support.retain(|s| s.template.as_ref().is_none_or(|t| !gone(Kind::HeadingTemplate, &t.value)));
        p.support.retain(|s| s.link.as_ref().is_none_or(|l| !related_gone(l)));
        for a in &mut p.activities {
            a.concerns.retain(|c| !gone(Kind::Area, &c.value));
        }
    }
    for m in &mut content.milestones {
        m.decision_basis.documents.retain(|d| !gone(Kind::Document, &d.value));
        for i in &mut m.decision_covers {
            i.concerns.retain(|c| !gone(Kind::Area, &c.value));
        }
    }
    for k in &mut content.checklists {
        for i in &mut k.items {
            i.concerns.retain(|c| !gone(Kind::Area, &c.value));
        }
    }
    for p in &mut content.pages {
        p.meta.related.retain(|r| !related_gone(r));
    }
    if let Some(g) = &mut content.reading_guide {
        for e in &mut g.entries {
            e.links.retain(|r| !related_gone(r));
        }
    }
}
