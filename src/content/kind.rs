//! The kinds of thing the content holds and refers to, and how a reference names one
//! (`@kind/id`). This is part of the model: loading, validating, resolving and rendering
//! all speak of kinds, and none of them owns the word.

/// The kinds of thing a reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Phase,
    Milestone,
    Area,
    Role,
    Concept,
    Document,
    HeadingTemplate,
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
        Kind::HeadingTemplate,
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
            Kind::HeadingTemplate => "template",
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
            Kind::HeadingTemplate => "heading template",
            Kind::Checklist => "checklist",
            Kind::Faq => "FAQ question",
            Kind::Page => "page",
            Kind::Supplement => "supplement",
        }
    }
}

/// `@kind/id` → (kind, id), without checking that it exists.
pub fn parse_entity_ref(reference: &str) -> Option<(Kind, String)> {
    let (word, id) = reference.strip_prefix('@')?.split_once('/')?;
    let id = id.split('#').next()?;
    Kind::ALL.into_iter().find(|k| k.word() == word).map(|k| (k, id.to_string()))
}
