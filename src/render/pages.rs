//! The pages around the method's structure: the start page, free pages written in Markdown
//! (with their `@list` blocks), the reading guide, the questions and answers, a
//! supplement's own page, and the accessibility statement.

use serde::Serialize;

use super::method::Step;
use super::page::{Built, Link, PageBuilder};
use crate::config::Compliance;
use crate::content::kind::{Kind, parse_entity_ref};
use crate::content::model::{Markdown, Page, RoleKind, Source};
use crate::diagnostic::Diagnostic;
use crate::markdown::WrittenAt;
use crate::paths::ListPage;

#[derive(Serialize)]
struct ReadingGuidePage {
    guide: GuideView,
}

#[derive(Serialize)]
struct GuideView {
    intro_html: Option<String>,
    parts_html: Option<String>,
    entries: Vec<GuideEntry>,
    has_links: bool,
    source_ref: Option<String>,
}

#[derive(Serialize)]
struct GuideEntry {
    id: String,
    audience: String,
    read: String,
    links: Vec<Link>,
}

/// The reading guide: who should read what.
pub(super) fn reading_guide(p: &mut PageBuilder) -> Built {
    let site = p.site;
    let g = site.content.reading_guide.as_ref().expect("the page is only made when there is a guide");
    let intro_html = p.opt_md(&g.intro);
    let parts_html = p.opt_md(&g.parts);
    let entries = g
        .entries
        .iter()
        .map(|e| GuideEntry {
            id: e.id.value.clone(),
            audience: e.audience.clone(),
            read: e.read.clone(),
            links: e.links.iter().filter_map(|l| p.reference(&l.value)).collect(),
        })
        .collect();
    let has_links = g.entries.iter().any(|e| !e.links.is_empty());
    let guide = GuideView { intro_html, parts_html, entries, has_links, source_ref: g.source_ref.clone() };
    Built::new("reading-guide.html", p.t("reading_guide"), ReadingGuidePage { guide })
}

#[derive(Serialize)]
struct FaqPage {
    questions: Vec<Question>,
}

#[derive(Serialize)]
struct Question {
    id: String,
    question: String,
    answer_html: String,
    derived: bool,
    cites: Vec<String>,
}

/// The storage page, "Mina utvecklingsinsatser": what is kept in the browser, and (with the
/// checklist script) the initiatives, their files and the progress of every step.
pub(super) fn stored(p: &mut PageBuilder) -> Built {
    let steps = super::method::steps(p, false, true);
    let others = super::checklists::other_checklists(p);
    Built::new("stored.html", p.t("stored_title"), StoredPage { steps, others }).with_checklists(true)
}

#[derive(Serialize)]
struct StoredPage {
    steps: Vec<Step>,
    /// Checklists of their own and supplements' checklists.
    others: Vec<super::checklists::CatalogueEntry>,
}

/// The questions and answers.
pub(super) fn faq(p: &mut PageBuilder) -> Built {
    // A cite that is a section number reads "avsnitt 1.3"; others ("Bilaga 1", a web page)
    // as written.
    let section = p.t("section_word");
    let cite =
        |c: &String| if c.starts_with(|ch: char| ch.is_ascii_digit()) { format!("{section} {c}") } else { c.clone() };
    let questions = p
        .site
        .content
        .faq
        .iter()
        .map(|f| Question {
            id: p.id(&f.id.value),
            question: f.question.clone(),
            answer_html: p.md(&f.answer),
            derived: f.source == Source::Derived,
            cites: f.cites.iter().map(cite).collect(),
        })
        .collect();
    Built::new("faq.html", p.t("faq"), FaqPage { questions })
}

#[derive(Serialize)]
struct FreePage {
    content: FreePageView,
}

#[derive(Serialize)]
struct FreePageView {
    id: String,
    section: Option<String>,
    blocks: Vec<Block>,
    derived: bool,
    /// The title is the editors' (the text is a source's).
    title_derived: bool,
    source_ref: Option<String>,
    description: Option<String>,
    related: Vec<Link>,
}

/// A part of a free page's body: Markdown as HTML, or a list asked for with `@list`.
#[derive(Serialize)]
#[serde(untagged)]
enum Block {
    Html { html: String },
    List { list: Vec<ListEntry> },
}

/// An entity in a page's `@list`, with its summary.
#[derive(Serialize)]
struct ListEntry {
    #[serde(flatten)]
    link: Link,
    text_html: Option<String>,
}

/// A free page: its Markdown body with `@list` blocks, a contents list, related links.
pub(super) fn page(p: &mut PageBuilder, i: usize) -> Built {
    let pg = &p.site.content.pages[i];
    let blocks = page_blocks(p, pg);
    let content = FreePageView {
        id: pg.meta.id.value.clone(),
        section: pg.meta.section.clone(),
        blocks,
        derived: pg.meta.source == Source::Derived,
        title_derived: pg.meta.title_source == Source::Derived && pg.meta.source != Source::Derived,
        source_ref: pg.meta.source_ref.clone(),
        description: pg.meta.description.clone(),
        related: pg.meta.related.iter().filter_map(|l| p.reference(&l.value)).collect(),
    };
    Built::new("page.html", pg.meta.title.clone(), FreePage { content })
}

#[derive(Serialize)]
struct HomePage {
    /// The first paragraph of the page marked `lead: true`, and a link to that page.
    lead: Option<Lead>,
    /// Where to start, by role: the reading guide's entries.
    roles: Vec<Link>,
    local_pages: Vec<PageLink>,
    supplements: Vec<SupplementLink>,
    summary_html: Option<String>,
    summary_source: Option<String>,
    edition_note_html: Option<String>,
    steps: Vec<Step>,
    sections: Vec<Link>,
    pages: Vec<PageLink>,
    /// Some of `pages` have a description: the editors' words, said above the list.
    pages_described: bool,
}

/// A free page on the start page, with its section and description.
#[derive(Serialize)]
struct PageLink {
    #[serde(flatten)]
    link: Link,
    section: Option<String>,
    description: Option<String>,
}

/// The method's own words on what it is for and for whom, quoted on the start page.
#[derive(Serialize)]
struct Lead {
    html: String,
    page: Link,
    source_ref: Option<String>,
}

#[derive(Serialize)]
struct SupplementLink {
    #[serde(flatten)]
    link: Link,
    publisher: Option<String>,
}

/// The start page.
pub(super) fn home(p: &mut PageBuilder) -> Built {
    let c = p.site.content;
    let method = c.method.as_ref();
    let summary_html = method.and_then(|m| m.summary.as_ref().map(|s| p.md(s)));
    let edition_note_html = method.and_then(|m| m.edition_note.as_ref().map(|s| p.md(s)));
    let steps = super::method::steps(p, false, false);
    let mut sections = vec![
        p.section(ListPage::Phases),
        p.section(ListPage::Areas),
        p.section(ListPage::Documents),
        p.section(ListPage::HeadingTemplates),
        p.section(ListPage::Glossary),
    ];
    if c.reading_guide.is_some() {
        sections.push(p.section(ListPage::ReadingGuide));
    }
    if !c.faq.is_empty() {
        sections.push(p.section(ListPage::Faq));
    }
    let page_link = |pg: &Page| PageLink {
        link: p.link(Kind::Page, &pg.meta.id.value),
        section: pg.meta.section.clone(),
        description: pg.meta.description.clone(),
    };
    // The method's pages, and apart from them what the site adds: its own pages and supplements.
    let added = |pg: &&Page| pg.meta.supplement.is_some() || c.is_local(pg.file);
    let pages: Vec<PageLink> = c.pages.iter().filter(|pg| !added(pg)).map(page_link).collect();
    let local_pages = c.pages.iter().filter(added).map(page_link).collect();
    let supplements = c
        .supplements
        .iter()
        .map(|s| SupplementLink { link: p.link(Kind::Supplement, &s.id.value), publisher: s.publisher.clone() })
        .collect();
    let lead = c.pages.iter().find(|pg| pg.meta.lead).and_then(|pg| {
        // The first paragraph: the body up to its first blank line.
        let start = pg.body.len() - pg.body.trim_start().len();
        let text = pg.body[start..].split("\n\n").next().unwrap_or_default();
        let skipped = pg.body[..start].matches('\n').count();
        let origin = WrittenAt { file: &c.files[pg.file], line: pg.body_line + skipped, column: 1, exact: true };
        let r = p.render_at(text, origin);
        let html = p.take(r);
        (!html.trim().is_empty()).then(|| Lead {
            html,
            page: p.link(Kind::Page, &pg.meta.id.value),
            source_ref: pg.meta.source_ref.clone(),
        })
    });
    let roles = c
        .reading_guide
        .iter()
        .flat_map(|g| &g.entries)
        .map(|e| Link {
            title: e.audience.clone(),
            url: Some(p.url(&format!("{}#{}", ListPage::ReadingGuide.url(), e.id.value))),
        })
        .collect();
    let data = HomePage {
        lead,
        roles,
        local_pages,
        supplements,
        summary_html,
        summary_source: method.and_then(|m| m.summary_source.clone()),
        edition_note_html,
        steps,
        sections,
        pages_described: pages.iter().any(|pg| pg.description.is_some()),
        pages,
    };
    Built::new("index.html", p.site.config.title.clone(), data)
}

/// The lists a page body can include with a line `@list <kind>`.
pub const PAGE_LISTS: &[&str] =
    &["phases", "milestones", "areas", "key-roles", "decision-makers", "concepts", "documents", "templates"];

/// A page body as blocks: Markdown rendered to HTML, and the lists its `@list <kind>` lines
/// ask for (the method's entities with their summaries, from the content, not copied).
fn page_blocks(p: &mut PageBuilder, pg: &Page) -> Vec<Block> {
    let c = p.site.content;
    let file = &c.files[pg.file];
    let mut blocks = Vec::new();
    let mut segment = String::new();
    let mut segment_line = pg.body_line;
    let flush = |p: &mut PageBuilder, text: &str, line: usize, blocks: &mut Vec<Block>| {
        if text.trim().is_empty() {
            return;
        }
        let origin = WrittenAt { file, line, column: 1, exact: true };
        let r = p.render_at(text, origin);
        let html = p.take(r);
        blocks.push(Block::Html { html });
    };
    for (n, line) in pg.body.split_inclusive('\n').enumerate() {
        let Some(kind) = line.trim_end().strip_prefix("@list ") else {
            segment.push_str(line);
            continue;
        };
        flush(p, &segment, segment_line, &mut blocks);
        segment.clear();
        segment_line = pg.body_line + n + 1;
        let kind = kind.trim();
        match entity_list(p, kind) {
            Some(list) => blocks.push(Block::List { list }),
            None => {
                let mut d = Diagnostic::at(file, pg.body_line + n, 7, format!("unknown list `{kind}`"))
                    .with_length(kind.chars().count());
                d = d.with_help(match crate::diagnostic::closest(kind, PAGE_LISTS.iter().copied()) {
                    Some(best) => format!("did you mean `@list {best}`?"),
                    None => format!("lists: {}", PAGE_LISTS.join(", ")),
                });
                p.diagnostics.push(d);
            }
        }
    }
    flush(p, &segment, segment_line, &mut blocks);
    blocks
}

/// The entities of `kind` with their summaries, for a page's `@list`.
fn entity_list(p: &mut PageBuilder, kind: &str) -> Option<Vec<ListEntry>> {
    let c = p.site.content;
    let item = |p: &mut PageBuilder, k: Kind, id: &str, text: Option<&Markdown>| ListEntry {
        link: p.link(k, id),
        text_html: text.map(|t| p.md_inline(t)),
    };

    let roles = |p: &mut PageBuilder, want: RoleKind| -> Vec<ListEntry> {
        c.roles
            .iter()
            .filter(|r| r.kind == want)
            .map(|r| item(p, Kind::Role, &r.id.value, r.definition.as_ref()))
            .collect()
    };
    Some(match kind {
        "phases" => c.phases.iter().map(|x| item(p, Kind::Phase, &x.id.value, x.summary.as_ref())).collect(),
        "milestones" => {
            c.milestones.iter().map(|x| item(p, Kind::Milestone, &x.id.value, x.summary.as_ref())).collect()
        }
        "areas" => c.areas.iter().map(|x| item(p, Kind::Area, &x.id.value, Some(&x.purpose))).collect(),
        "key-roles" => roles(p, RoleKind::KeyRole),
        "decision-makers" => roles(p, RoleKind::DecisionMaker),
        "concepts" => c.concepts.iter().map(|x| item(p, Kind::Concept, &x.id.value, Some(&x.definition))).collect(),
        "documents" => c.documents.iter().map(|x| item(p, Kind::Document, &x.id.value, Some(&x.purpose))).collect(),
        "templates" => {
            c.heading_templates.iter().map(|x| item(p, Kind::HeadingTemplate, &x.id.value, Some(&x.purpose))).collect()
        }
        _ => return None,
    })
}

#[derive(Serialize)]
struct SupplementPage {
    supplement: SupplementView,
}

#[derive(Serialize)]
struct SupplementView {
    id: String,
    name: String,
    publisher: Option<String>,
    date: Option<String>,
    source_ref: Option<String>,
    about_html: Option<String>,
    note_html: Option<String>,
    /// The name is the editors' (the source has no title).
    name_derived: bool,
    /// The editors placed the additions at the method's phases.
    placed_by_editors: bool,
    pages: Vec<Link>,
    groups: Vec<AdditionGroup>,
}

/// The additions made to one page of the method.
#[derive(Serialize)]
struct AdditionGroup {
    link: Link,
    additions: Vec<AdditionEntry>,
}

#[derive(Serialize)]
struct AdditionEntry {
    title: String,
    url: String,
    /// How many checklist items it adds.
    items: usize,
}

/// A supplement's own page: what it is, the editors' note, and where its additions are.
pub(super) fn supplement(p: &mut PageBuilder, i: usize) -> Built {
    let c = p.site.content;
    let s = &c.supplements[i];
    let about_html = p.opt_md(&s.about);
    let note_html = p.opt_md(&s.note);
    // Additions grouped by what they are attached to, in the order of the supplement.
    let mut groups: Vec<(String, AdditionGroup)> = Vec::new();
    for a in &s.additions {
        let target = a.to.value.split('#').next().unwrap_or_default().to_string();
        let Some((kind, id)) = parse_entity_ref(&target) else { continue };
        let link = p.link(kind, &id);
        let url = format!("{}#{}", link.url.as_deref().unwrap_or_default(), a.id.value);
        let title = match &a.title {
            Some(_) => crate::links::addition_title(s, a),
            None => p.t("supplement_intro_entry"),
        };
        let entry = AdditionEntry { title, url, items: a.all_items().count() };
        match groups.iter_mut().find(|g| g.0 == target) {
            Some(g) => g.1.additions.push(entry),
            None => groups.push((target, AdditionGroup { link, additions: vec![entry] })),
        }
    }
    let pages = c
        .pages
        .iter()
        .filter(|pg| pg.meta.supplement.as_ref().is_some_and(|x| x.value == s.id.value))
        .map(|pg| p.link(Kind::Page, &pg.meta.id.value))
        .collect();
    let supplement = SupplementView {
        id: s.id.value.clone(),
        name: s.name.clone(),
        publisher: s.publisher.clone(),
        date: s.date.clone(),
        source_ref: s.source_ref.clone(),
        about_html,
        note_html,
        name_derived: s.name_source == Source::Derived,
        placed_by_editors: s.placement == Source::Derived,
        pages,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
    };
    Built::new("supplement.html", s.name.clone(), SupplementPage { supplement })
}

#[derive(Serialize)]
struct AccessibilityPage<'a> {
    statement: Statement<'a>,
}

/// The facts of the accessibility statement, as the configuration gives them.
#[derive(Serialize)]
struct Statement<'a> {
    organisation: String,
    service: String,
    intro: String,
    status: String,
    known_problems: Vec<Problem<'a>>,
    assessed: String,
    updated: String,
    method: String,
    feedback: Feedback<'a>,
    /// The statement of an example edition, not to be published as it is: the page says so.
    example: bool,
}

/// A known problem and its reason.
#[derive(Serialize)]
struct Problem<'a> {
    problem: &'a str,
    reason: &'a str,
}

/// How readers report problems: the statement's routes, each defaulting to `contact:`'s.
#[derive(Serialize)]
struct Feedback<'a> {
    email: Option<&'a str>,
    phone: Option<&'a str>,
    url: Option<&'a str>,
    response_time: Option<&'a str>,
}

/// The accessibility statement. Its text is handed to the template as written: the
/// template escapes it, once. A statement still being written (the preview shows what is
/// missing) renders with what it has.
pub(super) fn accessibility(p: &mut PageBuilder) -> Built {
    let cfg = p.site.config;
    let a = &cfg.accessibility;
    let text = |v: &'_ Option<crate::yaml::Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    let org = text(&a.organisation)
        .or_else(|| cfg.organisation.as_ref().map(|o| o.name.clone()))
        .unwrap_or_else(|| cfg.title.clone());
    let service = text(&a.service).unwrap_or_else(|| cfg.title.clone());
    let intro = p.t("a11y_intro").replace("{org}", &org).replace("{service}", &service);
    let status_key = match a.compliance() {
        Some(Compliance::Helt) => "a11y_status_helt",
        Some(Compliance::Delvis) | None => "a11y_status_delvis",
        Some(Compliance::Inte) => "a11y_status_inte",
    };
    let routes = crate::statement::routes(cfg);
    let str_of = |v: &Option<crate::yaml::Spanned<String>>| v.as_ref().map_or(String::new(), |v| v.value.clone());
    let assessed = str_of(&a.assessed);
    let statement = Statement {
        intro,
        status: p.t(status_key),
        known_problems: a
            .known_problems
            .iter()
            .map(|k| Problem { problem: &k.problem.value, reason: &k.reason.value })
            .collect(),
        updated: a.updated.as_ref().map_or(assessed.clone(), |v| v.value.clone()),
        assessed,
        method: str_of(&a.method),
        feedback: Feedback {
            email: routes.email,
            phone: routes.phone,
            url: routes.url,
            response_time: a.feedback.response_time.as_ref().map(|v| v.value.as_str()),
        },
        example: a.example,
        organisation: org,
        service,
    };
    let data = AccessibilityPage { statement };
    let title = format!("{} {}", p.t("a11y_title"), cfg.title);
    Built::new("accessibility.html", title, data)
}
