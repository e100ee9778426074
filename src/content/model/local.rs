//! What a site adds to or changes in the method it builds on: supplements with their
//! additions, and `overrides.yaml` (replaced fields, hidden items).

use serde::Deserialize;

use super::*;

/// A supplement (tillägg): another publisher's additions to the method, such as SKL's
/// municipal perspective on the first three phases (`content/supplements/<id>.yaml`).
/// Everything it adds is shown on the pages of what it is attached to, marked with its name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplement {
    pub id: Id,
    /// The name readers see on every addition, e.g. "Anslutning till Mina meddelanden – vägledning".
    pub name: String,
    /// `derived` when the source has no title and the name is the editors' (said on its page).
    #[serde(default)]
    pub name_source: Source,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub source_ref: Option<String>,
    /// What the supplement is, in its own words; Markdown.
    #[serde(default)]
    pub about: Option<Markdown>,
    /// Editorial: what the handbook's editors did with it (what is left out, how it is split);
    /// shown marked as editorial. Markdown.
    #[serde(default)]
    pub note: Option<Markdown>,
    /// Who placed the additions at the phases they are attached to: the supplement itself
    /// (`method`, as the Mina meddelanden guide does, phase by phase), or the handbook's editors
    /// (`derived`, for a process that does not name the method's phases); then every addition
    /// says so on its page.
    #[serde(default)]
    pub placement: Source,
    #[serde(default)]
    pub additions: Vec<Addition>,
    #[serde(skip)]
    pub file: FileId,
}

/// One addition of a supplement, attached to a phase, milestone, coordination area or
/// document: text, and checklist items when it has any.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    /// Stable id: the anchor on the page and, with items, the checklist id.
    pub id: Id,
    /// What it is attached to: `@phase/identifiera-behov`.
    pub to: Id,
    /// The supplement's own number for it, e.g. "3".
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub items: Vec<ChecklistItem>,
    /// What follows the text and items, in the source's order: more text, more items of the
    /// same checklist, a table, the text of a figure. For a source whose prose continues
    /// after a list, or a process description with a table per step.
    #[serde(default)]
    pub then: Vec<Part>,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
}

impl Addition {
    /// Every checklist item of the addition, in order: `items`, then those of each part.
    pub fn all_items(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().chain(self.then.iter().flat_map(|p| &p.items))
    }

    /// True when the addition is a checklist on its page.
    pub fn is_checklist(&self) -> bool {
        self.all_items().next().is_some()
    }
}

/// One part of an addition after its first text and items; each field given is shown in
/// this order: text, items, table, figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub items: Vec<ChecklistItem>,
    #[serde(default)]
    pub table: Option<Table>,
    #[serde(default)]
    pub figure: Option<Figure>,
}

impl Part {
    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.items.is_empty() && self.table.is_none() && self.figure.is_none()
    }
}

/// A table as the source sets it: column headings and rows of cells, each cell as written
/// (an empty cell is `""`). It is labelled by its addition's title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Spanned<Vec<String>>>,
}

/// The words of a figure (a process picture) whose layout a transcript does not keep: its
/// fragments in the transcript's order, each a decision point or not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub fragments: Vec<Fragment>,
}

/// A fragment of a figure's text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    pub text: String,
    /// The fragment names a decision ("Beslut e-nämnden om upphandling").
    #[serde(default)]
    pub decision: bool,
}

/// Generates the patch type of one kind for `overrides.yaml`: the kind's id and each field
/// that may be replaced, all optional; `apply` replaces the fields given and names them.
macro_rules! patch {
    ($(#[$doc:meta])* $patch:ident for $target:ty { $($req:ident: $rty:ty),* ; $($opt:ident: $oty:ty),* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $patch {
            pub id: Id,
            $( #[serde(default)] pub $req: Option<$rty>, )*
            $( #[serde(default)] pub $opt: Option<$oty>, )*
        }

        impl $patch {
            /// Replaces the fields given; returns their names, each with the text it replaced.
            pub fn apply(self, target: &mut $target) -> Vec<(&'static str, String)> {
                use crate::review::NationalText;
                #[allow(unused_mut)]
                let mut changed = Vec::new();
                $( if let Some(v) = self.$req {
                    changed.push((stringify!($req), target.$req.national_text()));
                    target.$req = v;
                } )*
                $( if let Some(v) = self.$opt {
                    changed.push((stringify!($opt), target.$opt.national_text()));
                    target.$opt = Some(v);
                } )*
                changed
            }
        }
    };
}

patch!(
    /// Fields of a phase a site may replace.
    PhasePatch for Phase { name: String, purpose: Markdown; summary: Markdown, activities_note: Markdown }
);
patch!(
    /// Fields of a milestone a site may replace.
    MilestonePatch for Milestone {
        short_name: String, purpose: Markdown, prepared_by: String; summary: Markdown, information: String
    }
);
patch!(
    /// Fields of a coordination area a site may replace.
    AreaPatch for Area { name: String, purpose: Markdown; note: Markdown }
);
patch!(
    /// Fields of a document a site may replace.
    DocumentPatch for Document { name: String, purpose: Markdown; }
);
patch!(
    /// Fields of a role a site may replace.
    RolePatch for Role { name: String; definition: Markdown }
);
patch!(
    /// Fields of a concept a site may replace.
    ConceptPatch for Concept { name: String, definition: Markdown; }
);
patch!(
    /// Fields of a heading template a site may replace.
    TemplatePatch for HeadingTemplate { title: String, purpose: Markdown; }
);
patch!(
    /// Fields of a FAQ question a site may replace.
    FaqPatch for Faq { question: String, answer: Markdown; }
);

/// `content/overrides.yaml`: a site's local changes to the content it builds on. Each entry
/// names an id and the fields to replace (the rest stays as the base has it); `hide` lists
/// what this copy does not publish.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub phases: Vec<PhasePatch>,
    #[serde(default)]
    pub milestones: Vec<MilestonePatch>,
    #[serde(default)]
    pub areas: Vec<AreaPatch>,
    #[serde(default)]
    pub documents: Vec<DocumentPatch>,
    #[serde(default)]
    pub roles: Vec<RolePatch>,
    #[serde(default)]
    pub concepts: Vec<ConceptPatch>,
    #[serde(default)]
    pub templates: Vec<TemplatePatch>,
    #[serde(default)]
    pub faq: Vec<FaqPatch>,
    /// References to hide: `@page/x`, `@faq/x`, `@document/x`, `@phase/x#activity`, ...
    #[serde(default)]
    pub hide: Vec<Id>,
    #[serde(skip)]
    pub file: FileId,
}
