//! Resolving references between content (the URLs themselves are decided in [`crate::paths`]).
//!
//! Content refers to content by stable id. Typed fields name their kind (`document:
//! idebeskrivning`); free references, in Markdown links and in lists such as a page's
//! `related`, are written `@kind/id` (optionally `#anchor`) or `@section` for the handbook's
//! list pages, e.g. `[fasen Initiera](@phase/initiera)`, `@documents`. A reference that
//! does not resolve is a diagnostic with the closest valid id.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::Content;
use crate::content::kind::{Kind, parse_entity_ref};
use crate::diagnostic::closest;
use crate::paths::{ListPage, milestone_checklist_id, phase_checklist_id, url};

/// Why a reference did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub reason: Reason,
    pub message: String,
    pub help: Option<String>,
}

/// What is wrong with a reference, for callers that word it their own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// It is not written as a reference.
    NotAReference,
    /// It names a kind or list page that does not exist.
    UnknownKind,
    /// Nothing of the kind has the id.
    Missing,
    /// It names something the site hides.
    Hidden,
}

/// A resolved reference: where it goes and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub title: String,
}

/// Every id of the content, by kind, with its URL and title.
#[derive(Debug, Default)]
pub struct Index {
    entries: BTreeMap<Kind, BTreeMap<String, Target>>,
    /// Ids from files that failed to load: references to them are not reported again.
    unreadable: BTreeSet<String>,
    /// What the site hides (`@kind/id` → where it is hidden): links to these are shown as
    /// plain text, and other references to them say so.
    hidden: BTreeMap<String, String>,
}

/// The interface strings, by key.
pub type Strings = BTreeMap<String, String>;

/// The title of milestone `number` with `short_name`, in the interface language:
/// "Milstolpe III: Beslut om genomförande", "Milestone III: …".
pub fn milestone_title(strings: &Strings, number: u32, short_name: &str) -> String {
    format!("{} {}: {short_name}", string(strings, "milestone"), crate::slug::roman(number))
}

/// An interface string that the code itself asks for (every language file has it: a test
/// compares them).
fn string<'s>(strings: &'s Strings, key: &'s str) -> &'s str {
    strings.get(key).map(String::as_str).unwrap_or(key)
}

impl Index {
    /// The index of `content`, its titles in the language of `strings`.
    pub fn new(content: &Content, strings: &Strings) -> Self {
        let mut index = Index {
            unreadable: content.unreadable_ids.iter().cloned().collect(),
            hidden: content.hidden.clone(),
            ..Default::default()
        };
        for p in &content.phases {
            index.add(Kind::Phase, &p.id.value, url(Kind::Phase, &p.id.value), format!("{}. {}", p.number, p.name));
        }
        for m in &content.milestones {
            let title = milestone_title(strings, m.number, &m.short_name);
            index.add(Kind::Milestone, &m.id.value, url(Kind::Milestone, &m.id.value), title);
        }
        for a in &content.areas {
            index.add(Kind::Area, &a.id.value, url(Kind::Area, &a.id.value), a.name.clone());
        }
        for r in &content.roles {
            index.add(Kind::Role, &r.id.value, url(Kind::Role, &r.id.value), r.name.clone());
        }
        for c in &content.concepts {
            index.add(Kind::Concept, &c.id.value, url(Kind::Concept, &c.id.value), c.name.clone());
        }
        for d in &content.documents {
            index.add(Kind::Document, &d.id.value, url(Kind::Document, &d.id.value), d.name.clone());
        }
        for t in &content.heading_templates {
            index.add(Kind::HeadingTemplate, &t.id.value, url(Kind::HeadingTemplate, &t.id.value), t.title.clone());
        }
        for f in &content.faq {
            index.add(Kind::Faq, &f.id.value, url(Kind::Faq, &f.id.value), f.question.clone());
        }
        for p in &content.pages {
            index.add(Kind::Page, &p.meta.id.value, url(Kind::Page, &p.meta.id.value), p.meta.title.clone());
        }
        for s in &content.supplements {
            index.add(Kind::Supplement, &s.id.value, url(Kind::Supplement, &s.id.value), s.name.clone());
        }
        // Checklists are placed on the page of what they belong to.
        for (id, title, owner) in checklist_places(content, strings) {
            let page = owner.map(|(k, oid)| url(k, &oid)).unwrap_or_default();
            let page = page.split('#').next().unwrap_or_default().to_string();
            index.add(Kind::Checklist, &id, format!("{page}#{id}"), title);
        }
        index
    }

    fn add(&mut self, kind: Kind, id: &str, url: String, title: String) {
        self.entries.entry(kind).or_default().insert(id.to_string(), Target { url, title });
    }

    /// The target of `id` of `kind`, if it exists.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Target> {
        self.entries.get(&kind).and_then(|m| m.get(id))
    }

    /// True when `reference` (`@kind/id`, with or without `#anchor`) names something the
    /// site hides.
    pub fn is_hidden(&self, reference: &str) -> bool {
        let whole = reference.split('#').next().unwrap_or(reference);
        self.hidden.contains_key(whole)
    }

    /// Checks that `id` names an existing `kind`; otherwise says what would be right.
    pub fn check(&self, kind: Kind, id: &str) -> Result<(), Unresolved> {
        if self.get(kind, id).is_some() || self.unreadable.contains(id) {
            return Ok(());
        }
        if let Some(place) = self.hidden.get(&format!("@{}/{id}", kind.word())) {
            return Err(Unresolved {
                reason: Reason::Hidden,
                message: format!("the {} `{id}` is hidden by {place}", kind.noun()),
                help: Some("stop referring to it here, or remove it from `hide:`".into()),
            });
        }
        let ids = self.entries.get(&kind);
        let help = match ids.and_then(|m| closest(id, m.keys().map(String::as_str))) {
            Some(best) => Some(format!("did you mean `{best}`?")),
            None => match ids {
                Some(m) if !m.is_empty() => {
                    let list: Vec<&str> = m.keys().map(String::as_str).take(12).collect();
                    Some(format!("existing {} ids: {}", kind.noun(), list.join(", ")))
                }
                _ => Some(format!("there is no {} in the content yet", kind.noun())),
            },
        };
        Err(Unresolved {
            reason: Reason::Missing,
            message: format!("there is no {} with id `{id}`", kind.noun()),
            help,
        })
    }

    /// Resolves a free reference: `@kind/id`, `@kind/id#anchor` or `@section`.
    pub fn resolve(&self, reference: &str) -> Result<Target, Unresolved> {
        let Some(body) = reference.strip_prefix('@') else {
            return Err(Unresolved {
                reason: Reason::NotAReference,
                message: format!("`{reference}` is not a reference"),
                help: Some(
                    "references are written `@kind/id` (e.g. `@phase/initiera`) or `@section` (e.g. `@documents`)"
                        .into(),
                ),
            });
        };
        let (body, anchor) = match body.split_once('#') {
            Some((b, a)) => (b, Some(a)),
            None => (body, None),
        };
        let with_anchor = |mut t: Target| {
            if let Some(a) = anchor {
                let base = t.url.split('#').next().unwrap_or_default().to_string();
                t.url = format!("{base}#{a}");
            }
            t
        };
        match body.split_once('/') {
            Some((word, id)) => {
                let Some(kind) = Kind::ALL.into_iter().find(|k| k.word() == word) else {
                    let words: Vec<&str> = Kind::ALL.iter().map(|k| k.word()).collect();
                    return Err(Unresolved {
                        reason: Reason::UnknownKind,
                        message: format!("unknown kind `{word}` in reference `{reference}`"),
                        help: Some(match closest(word, words.iter().copied()) {
                            Some(b) => format!("did you mean `@{b}/{id}`?"),
                            None => format!("kinds: {}", words.join(", ")),
                        }),
                    });
                };
                self.check(kind, id)?;
                Ok(with_anchor(
                    self.get(kind, id).cloned().unwrap_or_else(|| Target { url: url(kind, id), title: id.to_string() }),
                ))
            }
            None => {
                let Some(section) = ListPage::ALL.into_iter().find(|s| s.word() == body) else {
                    let words: Vec<&str> = ListPage::ALL.iter().map(|s| s.word()).collect();
                    return Err(Unresolved {
                        reason: Reason::UnknownKind,
                        message: format!("unknown section `@{body}`"),
                        help: Some(match closest(body, words.iter().copied()) {
                            Some(b) => format!("did you mean `@{b}`?"),
                            None => format!("sections: {}; entities are written `@kind/id`", words.join(", ")),
                        }),
                    });
                };
                Ok(with_anchor(Target { url: section.url().to_string(), title: section.word().to_string() }))
            }
        }
    }
}

/// A checklist's id, its title, and the entity whose page shows it.
pub type ChecklistPlace = (String, String, Option<(Kind, String)>);

/// Every checklist of the handbook with its title and the entity whose page shows it:
/// one per phase (its main activities), one per milestone (what the decision covers and its
/// basis), and the checklists of their own.
pub fn checklist_places(content: &Content, strings: &Strings) -> Vec<ChecklistPlace> {
    let mut out = Vec::new();
    for p in &content.phases {
        out.push((
            phase_checklist_id(&p.id.value),
            format!("{}: {}", string(strings, "activities"), p.name),
            Some((Kind::Phase, p.id.value.clone())),
        ));
    }
    for m in &content.milestones {
        out.push((
            milestone_checklist_id(&m.id.value),
            milestone_title(strings, m.number, &m.short_name),
            Some((Kind::Milestone, m.id.value.clone())),
        ));
    }
    for c in &content.checklists {
        let owner = c.attached_to.as_ref().and_then(|r| parse_entity_ref(&r.value));
        out.push((c.id.value.clone(), c.title.clone(), owner));
    }
    for s in &content.supplements {
        for a in s.additions.iter().filter(|a| a.is_checklist()) {
            out.push((a.id.value.clone(), addition_title(s, a), parse_entity_ref(&a.to.value)));
        }
    }
    out
}

/// The heading of a supplement's addition: its number and title as the supplement writes
/// them, or the supplement's name when it has no title.
pub fn addition_title(s: &crate::content::model::Supplement, a: &crate::content::model::Addition) -> String {
    match (&a.number, &a.title) {
        (Some(n), Some(t)) => format!("{n}. {t}"),
        (None, Some(t)) => t.clone(),
        _ => s.name.clone(),
    }
}
