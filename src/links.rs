//! One place that decides every page's URL, and resolves references between content.
//!
//! Content refers to content by stable id. Typed fields name their kind (`document:
//! idebeskrivning`); free references, in Markdown links and in lists such as a page's
//! `related`, are written `@kind/id` (optionally `#anchor`) or `@section` for the handbook's
//! list pages, e.g. `[fasen Initiera](@phase/initiera)`, `@documents`. A reference that
//! does not resolve is a diagnostic with the closest valid id.
//!
//! URLs are paths relative to the output root, such as `faser/initiera.html`; pages
//! prefix them with their own relative root, so every link in the output is relative and
//! the handbook works under any sub-path and from disk.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::Content;
use crate::diagnostic::closest;

/// The kinds of thing a reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Phase,
    Milestone,
    Area,
    Role,
    Concept,
    Document,
    Template,
    Checklist,
    Faq,
    Page,
    Supplement,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Phase,
        Kind::Milestone,
        Kind::Area,
        Kind::Role,
        Kind::Concept,
        Kind::Document,
        Kind::Template,
        Kind::Checklist,
        Kind::Faq,
        Kind::Page,
        Kind::Supplement,
    ];

    /// The word used in `@word/id`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Phase => "phase",
            Kind::Milestone => "milestone",
            Kind::Area => "area",
            Kind::Role => "role",
            Kind::Concept => "concept",
            Kind::Document => "document",
            Kind::Template => "template",
            Kind::Checklist => "checklist",
            Kind::Faq => "faq",
            Kind::Page => "page",
            Kind::Supplement => "supplement",
        }
    }

    /// What the author calls it, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Phase => "phase",
            Kind::Milestone => "milestone",
            Kind::Area => "coordination area",
            Kind::Role => "role",
            Kind::Concept => "concept",
            Kind::Document => "document",
            Kind::Template => "heading template",
            Kind::Checklist => "checklist",
            Kind::Faq => "FAQ question",
            Kind::Page => "page",
            Kind::Supplement => "supplement",
        }
    }
}

/// The handbook's list pages, referred to as `@word`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Phases,
    Areas,
    Documents,
    Templates,
    Glossary,
    ReadingGuide,
    Faq,
    Accessibility,
    Search,
    Stored,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Home,
        Section::Phases,
        Section::Areas,
        Section::Documents,
        Section::Templates,
        Section::Glossary,
        Section::ReadingGuide,
        Section::Faq,
        Section::Accessibility,
        Section::Search,
        Section::Stored,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Section::Home => "home",
            Section::Phases => "phases",
            Section::Areas => "areas",
            Section::Documents => "documents",
            Section::Templates => "templates",
            Section::Glossary => "glossary",
            Section::ReadingGuide => "reading-guide",
            Section::Faq => "faq",
            Section::Accessibility => "accessibility",
            Section::Search => "search",
            Section::Stored => "stored",
        }
    }

    /// The key of the section's name among the interface strings.
    pub fn title_key(self) -> &'static str {
        match self {
            Section::Home => "home",
            Section::Phases => "phases",
            Section::Areas => "areas",
            Section::Documents => "documents",
            Section::Templates => "templates",
            Section::Glossary => "glossary",
            Section::ReadingGuide => "reading_guide",
            Section::Faq => "faq",
            Section::Accessibility => "accessibility",
            Section::Search => "search",
            Section::Stored => "stored_title",
        }
    }

    /// The output path of the section's page.
    pub fn url(self) -> &'static str {
        match self {
            Section::Home => "index.html",
            Section::Phases => "faser.html",
            Section::Areas => "samordningsomraden.html",
            Section::Documents => "dokument.html",
            Section::Templates => "mallar.html",
            Section::Glossary => "begrepp.html",
            Section::ReadingGuide => "lasanvisningar.html",
            Section::Faq => "fragor-och-svar.html",
            Section::Accessibility => "tillganglighet.html",
            Section::Search => "sok.html",
            Section::Stored => "sparat.html",
        }
    }
}

/// Names a free page may not take, because the handbook's own pages and folders use them.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "index",
    "404",
    "sitemap",
    "faser",
    "milstolpar",
    "samordningsomraden",
    "dokument",
    "mallar",
    "begrepp",
    "lasanvisningar",
    "fragor-och-svar",
    "tillganglighet",
    "sok",
    "sparat",
    "utskrift",
    "tillagg",
    "css",
    "js",
    "img",
    "static",
];

/// The output path of an entity of `kind` with `id`.
pub fn url(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Phase => format!("faser/{id}.html"),
        Kind::Milestone => format!("milstolpar/{id}.html"),
        Kind::Area => format!("samordningsomraden/{id}.html"),
        Kind::Document => format!("dokument/{id}.html"),
        Kind::Template => format!("mallar/{id}.html"),
        Kind::Role | Kind::Concept => format!("begrepp.html#{id}"),
        Kind::Faq => format!("fragor-och-svar.html#{id}"),
        Kind::Page => format!("{id}.html"),
        Kind::Supplement => format!("tillagg/{id}.html"),
        // A checklist lives on the page of what it is attached to; the index knows where.
        Kind::Checklist => format!("#{id}"),
    }
}

/// Why a reference did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub message: String,
    pub help: Option<String>,
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

impl Index {
    pub fn new(content: &Content) -> Self {
        let mut index = Index {
            unreadable: content.unreadable_ids.iter().cloned().collect(),
            hidden: content.hidden.clone(),
            ..Default::default()
        };
        for p in &content.phases {
            index.add(Kind::Phase, &p.id.value, url(Kind::Phase, &p.id.value), format!("{}. {}", p.number, p.name));
        }
        for m in &content.milestones {
            let title = format!("Milstolpe {}: {}", crate::slug::roman(m.number), m.short_name);
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
        for t in &content.templates {
            index.add(Kind::Template, &t.id.value, url(Kind::Template, &t.id.value), t.title.clone());
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
        for (id, title, owner) in checklist_places(content) {
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
        Err(Unresolved { message: format!("there is no {} with id `{id}`", kind.noun()), help })
    }

    /// Resolves a free reference: `@kind/id`, `@kind/id#anchor` or `@section`.
    pub fn resolve(&self, reference: &str) -> Result<Target, Unresolved> {
        let Some(body) = reference.strip_prefix('@') else {
            return Err(Unresolved {
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
                let Some(section) = Section::ALL.into_iter().find(|s| s.word() == body) else {
                    let words: Vec<&str> = Section::ALL.iter().map(|s| s.word()).collect();
                    return Err(Unresolved {
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
pub fn checklist_places(content: &Content) -> Vec<ChecklistPlace> {
    let mut out = Vec::new();
    for p in &content.phases {
        out.push((
            phase_checklist_id(&p.id.value),
            format!("Huvudaktiviteter: {}", p.name),
            Some((Kind::Phase, p.id.value.clone())),
        ));
    }
    for m in &content.milestones {
        out.push((
            milestone_checklist_id(&m.id.value),
            format!("Milstolpe {}: {}", crate::slug::roman(m.number), m.short_name),
            Some((Kind::Milestone, m.id.value.clone())),
        ));
    }
    for c in &content.checklists {
        let owner = c.attached_to.as_ref().and_then(|r| parse_entity_ref(&r.value));
        out.push((c.id.value.clone(), c.title.clone(), owner));
    }
    for s in &content.supplements {
        for a in s.additions.iter().filter(|a| !a.items.is_empty()) {
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

/// The checklist id of a phase's activities: derived from the phase's stable id.
pub fn phase_checklist_id(phase: &str) -> String {
    format!("checklista-{phase}")
}

/// The checklist id of a milestone's decision: derived from the milestone's stable id.
pub fn milestone_checklist_id(milestone: &str) -> String {
    format!("checklista-{milestone}")
}

/// `@kind/id` → (kind, id), without checking that it exists.
pub fn parse_entity_ref(reference: &str) -> Option<(Kind, String)> {
    let (word, id) = reference.strip_prefix('@')?.split_once('/')?;
    let id = id.split('#').next()?;
    Kind::ALL.into_iter().find(|k| k.word() == word).map(|k| (k, id.to_string()))
}

/// The relative path from a page at `from` (an output path) to the output root:
/// "" for `index.html`, "../" for `faser/initiera.html`.
pub fn root_of(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}
