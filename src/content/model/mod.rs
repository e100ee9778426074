//! The method as typed data: the kinds of `shared/design/content-model.md`.
//!
//! Each struct is what an author writes in one YAML file (or one list entry), so serde's
//! `deny_unknown_fields` turns a typo into a diagnostic. Ids and references are
//! [`Spanned`] so validation can point at the exact place they were written. Ids are stable:
//! they are written in the content once and never derived from display text at build time,
//! because URLs, saved checklist progress and municipalities' links depend on them.

use serde::Deserialize;

use crate::yaml::Spanned;

mod local;

pub use local::*;

/// An id, or a reference to one, with where it was written.
pub type Id = Spanned<String>;
/// Markdown text, with the file and place it was written (for links inside it that do not
/// resolve). The file is known here rather than from the entity holding the text, because a
/// site's `overrides.yaml` may replace one field of an entity that lives in the base.
#[derive(Debug, Clone)]
pub struct Markdown {
    pub value: String,
    pub referenced: serde_saphyr::Location,
    pub file: FileId,
}

impl<'de> Deserialize<'de> for Markdown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<String>::deserialize(d)?;
        Ok(Markdown { value: s.value, referenced: s.referenced, file: super::reading_file() })
    }
}

/// Index of a file in [`super::Content::files`]; every entity remembers the file it came from.
pub type FileId = usize;

/// Where a text comes from: the method itself, or our editorial derivation from it.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The method's own text (transcribed).
    #[default]
    Method,
    /// Editorial: assembled from the method's text by the handbook's editors.
    Derived,
}

/// The method being published (metoden): `content/method.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// The summary on the start page, Markdown; from the source `summary_source` names.
    #[serde(default)]
    pub summary: Option<Markdown>,
    /// Where the summary comes from, as the reader sees it after "Källa:".
    #[serde(default)]
    pub summary_source: Option<String>,
    /// The method's introduction to its documents (Bilaga 2), shown above the document ×
    /// phase matrix, Markdown.
    #[serde(default)]
    pub documents_intro: Option<Markdown>,
    /// Where `documents_intro` is in the source, e.g. "Bilaga 2, s. 29".
    #[serde(default)]
    pub documents_intro_source: Option<String>,
    /// Notes on this edition shown on the start page (e.g. what is missing), Markdown.
    #[serde(default)]
    pub edition_note: Option<Markdown>,
    #[serde(skip)]
    pub file: FileId,
}

/// A phase (fas) of the development model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: Id,
    /// Position in the model, 1-based; phases are shown in this order.
    pub number: u32,
    pub name: String,
    /// One-paragraph description from the introduction (2.1), Markdown.
    #[serde(default)]
    pub summary: Option<Markdown>,
    /// Syfte, Markdown.
    pub purpose: Markdown,
    /// A note shown before the activities (e.g. the "OBS!" of Realisera nyttor), Markdown.
    #[serde(default)]
    pub activities_note: Option<Markdown>,
    /// Huvudaktiviteter; together they are the phase's checklist.
    pub activities: Vec<Activity>,
    /// Resultat.
    #[serde(default)]
    pub results: Vec<ResultItem>,
    /// Stöd.
    #[serde(default)]
    pub support: Vec<SupportItem>,
    /// Where this is in the source, e.g. "Bilaga 1, s. 13–14".
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A main activity (huvudaktivitet) of a phase, with its sub-items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Stable id; also the checklist item id.
    pub id: Id,
    pub text: String,
    #[serde(default)]
    pub items: Vec<String>,
    /// Editorial: the coordination areas this activity concerns. The method does not state
    /// this mapping; the handbook shows it marked as derived.
    #[serde(default)]
    pub concerns: Vec<Id>,
}

/// A result (resultat) of a phase: a document of the method, or a described result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultItem {
    #[serde(default)]
    pub document: Option<Id>,
    /// Shown instead of the document's name when set (e.g. "Förstudierapport med
    /// rekommenderad lösning").
    #[serde(default)]
    pub text: Option<String>,
}

/// Support (stöd) for a phase: a heading template of the method, a page, or named guidance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportItem {
    #[serde(default)]
    pub template: Option<Id>,
    /// An internal reference such as `@page/bilaga-4`.
    #[serde(default)]
    pub link: Option<Id>,
    #[serde(default)]
    pub text: Option<String>,
}

/// A milestone (milstolpe): the decision between two phases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: Id,
    /// 1-based; shown as a Roman numeral (I–VIII).
    pub number: u32,
    /// The short name of section 2.2, e.g. "Beslut om identifierat behov".
    pub short_name: String,
    /// The phase before the milestone.
    #[serde(default)]
    pub after_phase: Option<Id>,
    /// The phase the decision leads into.
    #[serde(default)]
    pub before_phase: Option<Id>,
    /// The heading as in Bilaga 1, e.g. "beslut inför fasen Ta fram lösningsalternativ".
    #[serde(default)]
    pub heading: Option<String>,
    /// The one-sentence description of section 2.2, Markdown.
    #[serde(default)]
    pub summary: Option<Markdown>,
    /// Syfte, Markdown.
    pub purpose: Markdown,
    /// Beslutet omfattar: the items the decision covers.
    pub decision_covers: Vec<ChecklistItem>,
    /// Underlag för beslut.
    pub decision_basis: DecisionBasis,
    /// Bereds av.
    pub prepared_by: String,
    /// Beslutas av.
    pub decided_by: DecidedBy,
    /// Information.
    #[serde(default)]
    pub information: Option<String>,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// Underlag för beslut: the text as written, and the method's documents it names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBasis {
    pub text: String,
    #[serde(default)]
    pub documents: Vec<Id>,
}

/// Beslutas av: the deciding role, as written and as a reference.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecidedBy {
    pub role: Id,
    pub text: String,
}

/// One item of a checklist, with its stable id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: Id,
    pub text: String,
    /// Editorial: the coordination areas this item concerns (shown marked as derived).
    #[serde(default)]
    pub concerns: Vec<Id>,
}

/// A coordination area (samordningsområde).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: Id,
    pub name: String,
    /// Syfte: the method's sentence, Markdown.
    pub purpose: Markdown,
    /// Where to read more (the guidance the method names).
    #[serde(default)]
    pub read_more: Vec<ReadMore>,
    /// A note about this area (e.g. that its checklist is not in this edition), Markdown.
    #[serde(default)]
    pub note: Option<Markdown>,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A piece of guidance the method points to.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadMore {
    pub text: String,
    /// Where the method says it is found, as written (shown as text; the method's
    /// addresses are from 2013 and not all still resolve).
    #[serde(default)]
    pub location: Option<String>,
}

/// The kind of a role.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    /// One of the key roles (nyckelroller) of section 2.4.
    KeyRole,
    /// A role the milestones name as deciding (Styrgrupp, Verksamhetsägare).
    DecisionMaker,
}

/// A role (roll).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub name: String,
    pub kind: RoleKind,
    #[serde(default)]
    pub definition: Option<Markdown>,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A concept (begrepp) of the glossary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: Id,
    pub name: String,
    pub definition: Markdown,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A document (dokument) of Bilaga 2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: Id,
    pub name: String,
    /// Syfte, Markdown.
    pub purpose: Markdown,
    /// The phase that produces it.
    pub phase: Id,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A heading template (rubriker till dokument, Bilaga 3).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingTemplate {
    pub id: Id,
    /// The document the template is for.
    pub document: Id,
    /// "Mall för Idébeskrivning".
    pub title: String,
    /// The phase of the template's "Fas:" line.
    pub phase: Id,
    /// The "Fas:" line's words when they are not the phase's name (Förstudierapport's says
    /// "Ta fram lösningsförslag"); the page shows them beside the phase.
    #[serde(default)]
    pub phase_as_written: Option<String>,
    pub purpose: Markdown,
    pub headings: Vec<Heading>,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// A numbered heading of a template, e.g. `3.1.3.2 Externt- privatpersoner och företag`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    /// The number as the method writes it, without a trailing dot: "3.1.3.2".
    pub number: Spanned<String>,
    pub text: String,
}

impl Heading {
    /// 1 for "3", 4 for "3.1.3.2".
    pub fn level(&self) -> usize {
        self.number.value.split('.').count()
    }
}

/// The outline rule of heading templates, for the page and the skeletons alike: a heading's
/// parent is the closest earlier heading whose number is a prefix of its own, so 3.1.1 sits
/// under 3 where the method has no 3.1. `None` for a heading with no such parent.
pub fn outline_parents(numbers: &[&str]) -> Vec<Option<usize>> {
    (0..numbers.len()).map(|i| (0..i).rev().find(|&j| numbers[i].starts_with(&format!("{}.", numbers[j])))).collect()
}

/// A checklist of its own (a supplement's, or an area's in a phase).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistFile {
    pub id: Id,
    pub title: String,
    /// What it belongs to, as a reference such as `@phase/identifiera-behov`.
    #[serde(default)]
    pub attached_to: Option<Id>,
    #[serde(default)]
    pub intro: Option<Markdown>,
    pub items: Vec<ChecklistItem>,
    /// The supplement this checklist belongs to (its id); it is marked with its name.
    #[serde(default)]
    pub supplement: Option<Id>,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// Search help (`content/search.yaml`): words readers type that the handbook does not use,
/// each with the handbook's words a search for it also finds. A site's own help, shown to
/// readers as such on the search page; the bundled handbook has none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchHelp {
    #[serde(default)]
    pub synonyms: Vec<Synonym>,
    #[serde(skip)]
    pub file: FileId,
}

/// One entry of the search help: `word: GDPR`, `search: [personuppgifter, dataskydd]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    /// The word a reader types.
    pub word: Spanned<String>,
    /// Words of the handbook that a search for `word` also finds, one word each.
    pub search: Vec<Spanned<String>>,
}

/// The reading guide (läsanvisningar, 1.5): `content/reading-guide.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingGuide {
    #[serde(default)]
    pub intro: Option<Markdown>,
    pub entries: Vec<ReadingEntry>,
    /// What each part holds, Markdown.
    #[serde(default)]
    pub parts: Option<Markdown>,
    #[serde(default)]
    pub source_ref: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// One row of the reading guide: who, and what to read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingEntry {
    pub id: Id,
    /// The reader's role as the method names it.
    pub audience: String,
    /// What to read, as the method writes it.
    pub read: String,
    /// Where that is in this handbook: references such as `@phases`.
    #[serde(default)]
    pub links: Vec<Id>,
}

/// A question of the FAQ (frågor och svar).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub id: Id,
    pub question: String,
    /// Markdown, built from the method's own sentences.
    pub answer: Markdown,
    pub source: Source,
    /// The sections of the method the answer is built from, e.g. ["1.3"].
    #[serde(default)]
    pub cites: Vec<String>,
    #[serde(skip)]
    pub file: FileId,
}

/// The front matter of a free Markdown page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub id: Id,
    pub title: String,
    /// `derived` when the title is the editors' words on a page whose text is a source's (a
    /// supplement's page); the page says so under its heading.
    #[serde(default)]
    pub title_source: Source,
    /// A section number of the method, shown before the title ("1.1").
    #[serde(default)]
    pub section: Option<String>,
    /// Position among pages; lower first, then by id.
    #[serde(default)]
    pub order: i64,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub source_ref: Option<String>,
    /// One line about the page, shown under its link on the start page: the editors' words,
    /// marked there as such.
    #[serde(default)]
    pub description: Option<String>,
    /// Related parts of the handbook, as references such as `@phase/initiera`.
    #[serde(default)]
    pub related: Vec<Id>,
    /// The supplement this page belongs to (its id); the page is marked with its name.
    #[serde(default)]
    pub supplement: Option<Id>,
    /// The page's first paragraph opens the start page (what the method is for and for
    /// whom, in its own words), with a link to the page.
    #[serde(default)]
    pub lead: bool,
}

/// A free Markdown page (sida): front matter plus body.
#[derive(Debug)]
pub struct Page {
    pub meta: PageMeta,
    pub body: String,
    /// Line of the file where the body starts (1-based).
    pub body_line: usize,
    pub file: FileId,
}
