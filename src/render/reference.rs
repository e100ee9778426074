//! The method's reference pages: coordination areas, documents and their matrix, heading
//! templates, roles and concepts, and the search page's A–Ö register.

use serde::Serialize;

use super::checklists::{self, Checklist, SupplementSection, own_checklists, supplements_on};
use super::layout::{Download, download};
use super::method::{AreaAsk, area_mapping};
use super::page::{Built, Link, PageBuilder};
use crate::content::kind::Kind;
use crate::content::model::{ReadMore, Role, RoleKind, Source, outline_parents};
use crate::paths::{self, ListPage};
use crate::slug::{roman, sv_sort_key};

#[derive(Serialize)]
struct AreasPage {
    areas: Vec<AreaEntry>,
}

#[derive(Serialize)]
struct AreaEntry {
    link: Link,
    purpose_html: String,
}

/// The coordination areas page.
pub(super) fn areas(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let areas = c
        .areas
        .iter()
        .map(|a| AreaEntry { purpose_html: p.md_inline(&a.purpose), link: p.link(Kind::Area, &a.id.value) })
        .collect();
    Built::new("areas.html", p.t("areas"), AreasPage { areas })
}

#[derive(Serialize)]
struct AreaPage<'a> {
    area: AreaView<'a>,
    asks: Vec<AreaAsk>,
    checklists: Vec<Checklist>,
    supplements: Vec<SupplementSection>,
}

#[derive(Serialize)]
struct AreaView<'a> {
    id: &'a str,
    name: &'a str,
    purpose_html: String,
    note_html: Option<String>,
    read_more: &'a [ReadMore],
    source_ref: Option<&'a str>,
}

/// A coordination area: its purpose, and what the method asks of it phase by phase.
pub(super) fn area(p: &mut PageBuilder, i: usize) -> Built {
    let a = &p.site.content.areas[i];
    let purpose = p.md(&a.purpose);
    let note = p.opt_md(&a.note);
    let checklists = own_checklists(p, Kind::Area, &a.id.value);
    let asks = area_mapping(p, &a.id.value);
    let data = AreaPage {
        area: AreaView {
            id: &a.id.value,
            name: &a.name,
            purpose_html: purpose,
            note_html: note,
            read_more: &a.read_more,
            source_ref: a.source_ref.as_deref(),
        },
        asks,
        checklists,
        supplements: supplements_on(p, Kind::Area, &a.id.value),
    };
    let shows = checklists::any(&data.checklists, &data.supplements);
    Built::new("area.html", a.name.clone(), data).with_checklists(shows).under(p.section(ListPage::Areas))
}

#[derive(Serialize)]
struct DocumentPage<'a> {
    document: DocumentView<'a>,
    checklists: Vec<Checklist>,
    supplements: Vec<SupplementSection>,
}

#[derive(Serialize)]
struct DocumentView<'a> {
    id: &'a str,
    name: &'a str,
    purpose_html: String,
    source_ref: Option<&'a str>,
    /// The phase that produces it.
    phase: Link,
    /// The milestones whose decision it is a basis for.
    needed_by: Vec<Link>,
    template: Option<Link>,
}

/// A document: its purpose, the phase that produces it, the decisions it is a basis for.
pub(super) fn document(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let d = &c.documents[i];
    let purpose = p.md(&d.purpose);
    let needed_by = c
        .milestones
        .iter()
        .filter(|m| m.decision_basis.documents.iter().any(|x| x.value == d.id.value))
        .map(|m| p.link(Kind::Milestone, &m.id.value))
        .collect();
    let template = c
        .heading_templates
        .iter()
        .find(|t| t.document.value == d.id.value)
        .map(|t| p.link(Kind::HeadingTemplate, &t.id.value));
    let data = DocumentPage {
        document: DocumentView {
            id: &d.id.value,
            name: &d.name,
            purpose_html: purpose,
            source_ref: d.source_ref.as_deref(),
            phase: p.link(Kind::Phase, &d.phase.value),
            needed_by,
            template,
        },
        checklists: own_checklists(p, Kind::Document, &d.id.value),
        supplements: supplements_on(p, Kind::Document, &d.id.value),
    };
    let shows = checklists::any(&data.checklists, &data.supplements);
    Built::new("document.html", d.name.clone(), data).with_checklists(shows).under(p.section(ListPage::Documents))
}

#[derive(Serialize)]
struct TemplatesPage {
    templates: Vec<TemplateEntry>,
}

#[derive(Serialize)]
struct TemplateEntry {
    link: Link,
    phase: Link,
    /// How many headings it has.
    headings: usize,
}

/// The heading templates page, in the order the phases use them (`content::load` sorts them).
pub(super) fn templates(p: &mut PageBuilder) -> Built {
    let templates = p
        .site
        .content
        .heading_templates
        .iter()
        .map(|t| TemplateEntry {
            link: p.link(Kind::HeadingTemplate, &t.id.value),
            phase: p.link(Kind::Phase, &t.phase.value),
            headings: t.headings.len(),
        })
        .collect();
    Built::new("templates.html", p.t("templates"), TemplatesPage { templates })
}

#[derive(Serialize)]
struct TemplatePage<'a> {
    template: TemplateView<'a>,
}

#[derive(Serialize)]
struct TemplateView<'a> {
    id: &'a str,
    title: &'a str,
    purpose_html: String,
    source_ref: Option<&'a str>,
    document: Link,
    phase: Link,
    phase_as_written: Option<&'a str>,
    outline: Vec<OutlineNode>,
    downloads: Vec<SkeletonDownload>,
}

/// A skeleton to download and what it holds.
#[derive(Serialize)]
struct SkeletonDownload {
    #[serde(flatten)]
    download: Download,
    contains: String,
}

/// A heading template: its purpose, its numbered headings, its skeletons to download.
pub(super) fn template(p: &mut PageBuilder, i: usize) -> Built {
    let t = &p.site.content.heading_templates[i];
    let purpose = p.md(&t.purpose);
    let downloads = crate::skeleton::FORMATS
        .iter()
        .filter_map(|ext| {
            let contains = p.t(if *ext == "md" { "download_contains_markdown" } else { "download_contains_document" });
            download(p, &paths::skeleton(&t.id.value, ext), &t.document.value)
                .map(|download| SkeletonDownload { download, contains })
        })
        .collect();
    let data = TemplatePage {
        template: TemplateView {
            id: &t.id.value,
            title: &t.title,
            purpose_html: purpose,
            source_ref: t.source_ref.as_deref(),
            document: p.link(Kind::Document, &t.document.value),
            phase: p.link(Kind::Phase, &t.phase.value),
            phase_as_written: t.phase_as_written.as_deref(),
            outline: outline(t.headings.iter().map(|h| (h.number.value.as_str(), h.text.as_str())).collect()),
            downloads,
        },
    };
    Built::new("template.html", t.title.clone(), data).under(p.section(ListPage::HeadingTemplates))
}

#[derive(Serialize)]
struct SearchPage {
    register: Vec<RegisterLetter>,
    /// The site's search help (`content/search.yaml`), in the order written.
    synonyms: Vec<SynonymEntry>,
    /// Whose help it is: the organisation, or the handbook's title.
    synonyms_by: String,
}

#[derive(Serialize)]
struct SynonymEntry {
    word: String,
    search: Vec<String>,
}

/// The search page, with the site's search help and the register for readers without
/// JavaScript.
pub(super) fn search(p: &mut PageBuilder) -> Built {
    let synonyms = p
        .site
        .content
        .synonyms()
        .map(|(_, s)| SynonymEntry {
            word: s.word.value.clone(),
            search: s.search.iter().map(|w| w.value.clone()).collect(),
        })
        .collect();
    let data = SearchPage { register: register(p), synonyms, synonyms_by: super::layout::organisation(p) };
    Built::new("search.html", p.t("search"), data)
}

#[derive(Serialize)]
struct DocumentsPage {
    /// The method's introduction to the figure (Bilaga 2), and where it is.
    intro_html: Option<String>,
    intro_source: Option<String>,
    /// The templates page, which says which documents have heading templates (the figure's
    /// colour marking does not survive in the source).
    templates: Link,
    /// The one source all documents cite, which the table lays out.
    matrix_source: Option<String>,
    phases: Vec<MatrixPhase>,
    rows: Vec<MatrixRow>,
    by_phase: Vec<PhaseDocuments>,
}

/// A column of the document × phase matrix.
#[derive(Serialize)]
struct MatrixPhase {
    id: String,
    number: u32,
    name: String,
    link: Link,
}

/// A row of the matrix: a document, and for each phase whether it produces it.
#[derive(Serialize)]
struct MatrixRow {
    link: Link,
    cells: Vec<bool>,
    has_template: bool,
}

#[derive(Serialize)]
struct PhaseDocuments {
    phase: Link,
    documents: Vec<Link>,
}

/// The documents page: the document × phase matrix and the documents phase by phase.
pub(super) fn documents(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let phases = c
        .phases
        .iter()
        .map(|ph| MatrixPhase {
            id: ph.id.value.clone(),
            number: ph.number,
            name: ph.name.clone(),
            link: p.link(Kind::Phase, &ph.id.value),
        })
        .collect();
    let rows = c
        .documents
        .iter()
        .map(|d| MatrixRow {
            link: p.link(Kind::Document, &d.id.value),
            cells: c.phases.iter().map(|ph| ph.id.value == d.phase.value).collect(),
            has_template: c.heading_templates.iter().any(|t| t.document.value == d.id.value),
        })
        .collect();
    let by_phase = c
        .phases
        .iter()
        .map(|ph| PhaseDocuments {
            phase: p.link(Kind::Phase, &ph.id.value),
            documents: c
                .documents
                .iter()
                .filter(|d| d.phase.value == ph.id.value)
                .map(|d| p.link(Kind::Document, &d.id.value))
                .collect(),
        })
        .collect();
    // Where every document cites one place (the method's figure in Bilaga 2), the table is
    // the handbook's layout of that figure, and says so.
    let part = |r: &Option<String>| r.as_ref().map(|r| r.split(',').next().unwrap_or_default().trim().to_string());
    let first = c.documents.first().and_then(|d| part(&d.source_ref)).filter(|f| !f.is_empty());
    let matrix_source = first.filter(|f| c.documents.iter().all(|d| part(&d.source_ref).as_ref() == Some(f)));
    let method = c.method.as_ref();
    let intro_html = method.and_then(|m| m.documents_intro.as_ref()).map(|m| p.md(m));
    let intro_source = method.and_then(|m| m.documents_intro_source.clone());
    let templates = p.section(ListPage::HeadingTemplates);
    let data = DocumentsPage { intro_html, intro_source, templates, matrix_source, phases, rows, by_phase };
    Built::new("documents.html", p.t("documents"), data)
}

#[derive(Serialize)]
struct GlossaryPage {
    key_roles: Vec<Term>,
    decision_makers: Vec<Term>,
    concepts: Vec<Term>,
}

/// A role or a concept, with its definition.
#[derive(Serialize)]
struct Term {
    id: String,
    name: String,
    definition_html: Option<String>,
    /// The milestones a deciding role decides at.
    decides: Vec<Link>,
    derived: bool,
    source_ref: Option<String>,
}

/// The roles and concepts page.
pub(super) fn glossary(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let role = |p: &mut PageBuilder, r: &Role| {
        let definition_html = r.definition.as_ref().map(|d| p.md(d));
        let decides = c
            .milestones
            .iter()
            .filter(|m| m.decided_by.role.value == r.id.value)
            .map(|m| p.link(Kind::Milestone, &m.id.value))
            .collect();
        Term {
            id: p.id(&r.id.value),
            name: r.name.clone(),
            definition_html,
            decides,
            derived: r.source == Source::Derived,
            source_ref: r.source_ref.clone(),
        }
    };
    let key_roles = c.roles.iter().filter(|r| r.kind == RoleKind::KeyRole).map(|r| role(p, r)).collect();
    let decision_makers = c.roles.iter().filter(|r| r.kind == RoleKind::DecisionMaker).map(|r| role(p, r)).collect();
    let concepts = c
        .concepts
        .iter()
        .map(|k| {
            let definition_html = Some(p.md(&k.definition));
            Term {
                id: p.id(&k.id.value),
                name: k.name.clone(),
                definition_html,
                decides: Vec::new(),
                derived: k.source == Source::Derived,
                source_ref: k.source_ref.clone(),
            }
        })
        .collect();
    Built::new("glossary.html", p.t("glossary"), GlossaryPage { key_roles, decision_makers, concepts })
}

/// The entries of the search page's register under one letter.
#[derive(Serialize)]
struct RegisterLetter {
    id: String,
    letter: String,
    entries: Vec<RegisterEntry>,
}

#[derive(Serialize)]
struct RegisterEntry {
    title: String,
    url: Option<String>,
    /// What it is: "Fas 3", "Dokument".
    kind: String,
}

/// The search page's register: every phase, milestone, area, role, concept, document and
/// template under its initial letter, in Swedish alphabetical order.
fn register(p: &PageBuilder) -> Vec<RegisterLetter> {
    let c = p.site.content;
    let mut entries: Vec<RegisterEntry> = Vec::new();
    let mut add = |title: &str, kind: Kind, id: &str, label: String| {
        entries.push(RegisterEntry { title: title.to_string(), url: p.link(kind, id).url, kind: label });
    };
    for ph in &c.phases {
        add(&ph.name, Kind::Phase, &ph.id.value, format!("{} {}", p.t("phase"), ph.number));
    }
    for m in &c.milestones {
        add(&m.short_name, Kind::Milestone, &m.id.value, format!("{} {}", p.t("milestone"), roman(m.number)));
    }
    for a in &c.areas {
        add(&a.name, Kind::Area, &a.id.value, p.t("area"));
    }
    for r in &c.roles {
        let key = if r.kind == RoleKind::KeyRole { "key_role" } else { "decision_maker" };
        add(&r.name, Kind::Role, &r.id.value, p.t(key));
    }
    for x in &c.concepts {
        add(&x.name, Kind::Concept, &x.id.value, p.t("concept"));
    }
    for d in &c.documents {
        add(&d.name, Kind::Document, &d.id.value, p.t("document"));
    }
    for t in &c.heading_templates {
        add(&t.title, Kind::HeadingTemplate, &t.id.value, p.t("template"));
    }
    entries.sort_by(|a, b| (sv_sort_key(&a.title), &a.kind).cmp(&(sv_sort_key(&b.title), &b.kind)));
    let mut groups: Vec<RegisterLetter> = Vec::new();
    for entry in entries {
        let letter: String = entry.title.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
        match groups.last_mut() {
            Some(g) if g.letter == letter => g.entries.push(entry),
            _ => groups.push(RegisterLetter { id: paths::register_letter(&letter), letter, entries: vec![entry] }),
        }
    }
    groups
}

/// A numbered heading of a template in its outline.
#[derive(Debug, Serialize)]
pub struct OutlineNode {
    number: String,
    text: String,
    /// The number's depth: 3 for 3.1.1, even where the method has no 3.1 to nest it in.
    level: usize,
    anchor: String,
    children: Vec<OutlineNode>,
}

/// A template's numbered headings (number, text) as a tree, nested by
/// [`outline_parents`], the rule the skeletons follow too.
pub fn outline(headings: Vec<(&str, &str)>) -> Vec<OutlineNode> {
    let numbers: Vec<&str> = headings.iter().map(|(n, _)| *n).collect();
    let parents = outline_parents(&numbers);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); headings.len()];
    let mut roots = Vec::new();
    for (i, parent) in parents.iter().enumerate() {
        match parent {
            Some(j) => children[*j].push(i),
            None => roots.push(i),
        }
    }
    fn node(i: usize, headings: &[(&str, &str)], children: &[Vec<usize>]) -> OutlineNode {
        let (number, text) = headings[i];
        OutlineNode {
            number: number.to_string(),
            text: text.to_string(),
            level: number.split('.').count(),
            anchor: paths::outline_anchor(number),
            children: children[i].iter().map(|&c| node(c, headings, children)).collect(),
        }
    }
    roots.into_iter().map(|i| node(i, &headings, &children)).collect()
}
