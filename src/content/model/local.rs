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
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
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
            /// Replaces the fields given; returns their names.
            pub fn apply(self, target: &mut $target) -> Vec<&'static str> {
                #[allow(unused_mut)]
                let mut changed = Vec::new();
                $( if let Some(v) = self.$req { target.$req = v; changed.push(stringify!($req)); } )*
                $( if let Some(v) = self.$opt { target.$opt = Some(v); changed.push(stringify!($opt)); } )*
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
