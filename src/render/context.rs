//! The data each page kind hands to its template. One builder per page kind; the shared
//! part (site, navigation, breadcrumbs, strings, the page's relative root) is added once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Output;
use super::templates::TemplateFiles;
use crate::config::{Compliance, Config};
use crate::content::Content;
use crate::content::model::{Markdown, RoleKind, Source};
use crate::diagnostic::Diagnostic;
use crate::links::{self, Index, Kind, Section, milestone_checklist_id, phase_checklist_id, root_of};
use crate::markdown::{self, Origin, escape};
use crate::skeleton;
use crate::slug::{roman, sv_sort_key};

/// Everything rendering needs, read-only and shared by all pages.
pub struct Site<'a> {
    pub config: &'a Config,
    /// `metodbok.yaml`, for diagnostics in its Markdown (the footer).
    pub config_file: &'a crate::diagnostic::SourceFile,
    pub content: &'a Content,
    pub index: &'a Index,
    pub strings: &'a BTreeMap<String, String>,
    pub templates: &'a TemplateFiles,
    /// Static files of the theme (output paths), to link the stylesheet with a version.
    pub stylesheets: Vec<String>,
    /// The logo's output path, if any.
    pub logo: Option<String>,
    /// Generated downloads (document skeletons): output path → size in bytes.
    pub downloads: &'a BTreeMap<String, usize>,
    /// Every file the output will hold, so paths written in Markdown can be checked.
    pub files: &'a BTreeSet<String>,
}

/// One page to render.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    Phases,
    Phase(usize),
    Milestone(usize),
    Areas,
    Area(usize),
    Documents,
    Document(usize),
    Templates,
    Template(usize),
    Glossary,
    ReadingGuide,
    Faq,
    Page(usize),
    Supplement(usize),
    Accessibility,
    Search,
    Stored,
    NotFound,
}

/// Every page of the site.
pub fn jobs(c: &Content) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Phases, Job::Areas, Job::Documents, Job::Templates, Job::Glossary];
    jobs.extend((0..c.phases.len()).map(Job::Phase));
    jobs.extend((0..c.milestones.len()).map(Job::Milestone));
    jobs.extend((0..c.areas.len()).map(Job::Area));
    jobs.extend((0..c.documents.len()).map(Job::Document));
    jobs.extend((0..c.templates.len()).map(Job::Template));
    jobs.extend((0..c.pages.len()).map(Job::Page));
    jobs.extend((0..c.supplements.len()).map(Job::Supplement));
    if c.reading_guide.is_some() {
        jobs.push(Job::ReadingGuide);
    }
    if !c.faq.is_empty() {
        jobs.push(Job::Faq);
    }
    jobs.push(Job::Accessibility);
    jobs.push(Job::Search);
    jobs.push(Job::Stored);
    jobs.push(Job::NotFound);
    jobs
}

/// The output path of `job`'s page: the one place that decides it.
pub fn job_path(c: &Content, job: &Job) -> String {
    match job {
        Job::Home => Section::Home.url().to_string(),
        Job::Phases => Section::Phases.url().to_string(),
        Job::Phase(i) => links::url(Kind::Phase, &c.phases[*i].id.value),
        Job::Milestone(i) => links::url(Kind::Milestone, &c.milestones[*i].id.value),
        Job::Areas => Section::Areas.url().to_string(),
        Job::Area(i) => links::url(Kind::Area, &c.areas[*i].id.value),
        Job::Documents => Section::Documents.url().to_string(),
        Job::Document(i) => links::url(Kind::Document, &c.documents[*i].id.value),
        Job::Templates => Section::Templates.url().to_string(),
        Job::Template(i) => links::url(Kind::Template, &c.templates[*i].id.value),
        Job::Glossary => Section::Glossary.url().to_string(),
        Job::ReadingGuide => Section::ReadingGuide.url().to_string(),
        Job::Faq => Section::Faq.url().to_string(),
        Job::Page(i) => links::url(Kind::Page, &c.pages[*i].meta.id.value),
        Job::Supplement(i) => links::url(Kind::Supplement, &c.supplements[*i].id.value),
        Job::Accessibility => Section::Accessibility.url().to_string(),
        Job::Search => Section::Search.url().to_string(),
        Job::Stored => Section::Stored.url().to_string(),
        Job::NotFound => "404.html".to_string(),
    }
}

/// Builds one page's context: collects Markdown diagnostics and keeps HTML ids unique.
struct Page<'s, 'a> {
    site: &'s Site<'a>,
    /// The page's output path.
    path: String,
    root: String,
    used_ids: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    /// Links to anchors written in the page's Markdown.
    anchors: Vec<markdown::AnchorLink>,
}

impl<'s, 'a> Page<'s, 'a> {
    fn new(site: &'s Site<'a>, path: &str) -> Self {
        // Ids the layout itself uses.
        let used_ids = ["mb-main", "mb-nav", "mb-header", "mb-footer", "mb-title", "mb-breadcrumbs", "mb-toc"]
            .into_iter()
            .map(String::from)
            .collect();
        Page {
            site,
            path: path.to_string(),
            root: root_of(path),
            used_ids,
            diagnostics: Vec::new(),
            anchors: Vec::new(),
        }
    }

    /// What Markdown on this page needs to know about it.
    fn target(&self) -> markdown::ForPage<'_> {
        markdown::ForPage { index: self.site.index, path: &self.path, root: &self.root, files: self.site.files }
    }

    /// Keeps what rendering a Markdown text found; returns its HTML.
    fn take(&mut self, r: markdown::Rendered) -> String {
        self.diagnostics.extend(r.diagnostics);
        self.anchors.extend(r.anchors);
        r.html
    }

    fn origin(&self, text: &Markdown) -> Origin<'s> {
        Origin {
            file: &self.site.content.files[text.file],
            line: text.referenced.line() as usize,
            column: text.referenced.column() as usize,
            exact: false,
        }
    }

    /// A Markdown field of a YAML file, as HTML.
    fn md(&mut self, text: &Markdown) -> String {
        let origin = self.origin(text);
        let mut used = std::mem::take(&mut self.used_ids);
        let r = markdown::render(&text.value, origin, self.target(), &mut used);
        self.used_ids = used;
        self.take(r)
    }

    /// A short Markdown field, without an outer paragraph.
    fn md_inline(&mut self, text: &Markdown) -> String {
        let origin = self.origin(text);
        let mut used = std::mem::take(&mut self.used_ids);
        let r = markdown::render_inline(&text.value, origin, self.target(), &mut used);
        self.used_ids = used;
        self.take(r)
    }

    fn opt_md(&mut self, text: &Option<Markdown>) -> Option<String> {
        text.as_ref().map(|t| self.md(t))
    }

    /// A link to an entity, as `{title, url}` relative to this page.
    fn link(&self, kind: Kind, id: &str) -> Value {
        match self.site.index.get(kind, id) {
            Some(t) => json!({ "title": t.title, "url": format!("{}{}", self.root, t.url) }),
            None => json!({ "title": id, "url": Value::Null }),
        }
    }

    fn section(&self, s: Section) -> Value {
        json!({ "title": self.t(s.title_key()), "url": format!("{}{}", self.root, s.url()) })
    }

    fn t(&self, key: &str) -> String {
        self.site.strings.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn id(&mut self, wanted: &str) -> String {
        markdown::unique_id(wanted, &mut self.used_ids)
    }
}

/// Renders `job`; returns the output or the diagnostics that stopped it.
pub fn render_job(
    site: &Site,
    tera: &tera::Tera,
    job: &Job,
    rendering: &super::RenderingGuard,
) -> (Option<Output>, Vec<Diagnostic>) {
    let (path, template, title, crumbs, mut page, data) = build(site, job);
    rendering.template(site.templates.display_path(&template));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_value(site, &mut page));
    ctx.insert("t", site.strings);
    ctx.insert("root", &page.root);
    ctx.insert("nav", &nav(site, &page, job));
    // The checklist script loads only where there is a checklist (or progress of them).
    let checklists = matches!(job, Job::Phase(_) | Job::Milestone(_) | Job::Phases)
        || data["checklists"].as_array().is_some_and(|a| !a.is_empty());
    let kind = template.trim_end_matches(".html");
    ctx.insert("page", &json!({ "title": title, "path": path, "kind": kind, "checklists": checklists }));
    let mut bc = vec![json!({ "title": page.t("home"), "url": format!("{}index.html", page.root) })];
    bc.extend(crumbs);
    ctx.insert("breadcrumbs", &if matches!(job, Job::Home | Job::NotFound) { Vec::new() } else { bc });
    ctx.insert("mark", &mark(&page, job));
    if let Value::Object(map) = data {
        for (k, v) in map {
            ctx.insert(k, &v);
        }
    }
    let diagnostics = std::mem::take(&mut page.diagnostics);
    if !diagnostics.is_empty() {
        return (None, diagnostics);
    }
    match tera.render(&template, &ctx) {
        Ok(body) => {
            let in_sitemap = !matches!(job, Job::NotFound);
            (Some(Output { path, body, in_sitemap, template, anchors: page.anchors }), Vec::new())
        }
        Err(e) => (None, vec![site.templates.diagnostic(&e, &template)]),
    }
}

type Built<'s, 'a> = (String, String, String, Vec<Value>, Page<'s, 'a>, Value);

fn build<'s, 'a>(site: &'s Site<'a>, job: &Job) -> Built<'s, 'a> {
    let c = site.content;
    match job {
        Job::Home => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let data = home(&mut p);
            (path, "index.html".into(), site.config.title.clone(), vec![], p, data)
        }
        Job::Phases => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let data = json!({ "steps": steps(&mut p, true) });
            let title = p.t("phases");
            (path, "phases.html".into(), title, vec![], p, data)
        }
        Job::Phase(i) => {
            let ph = &c.phases[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let crumbs = vec![p.section(Section::Phases)];
            let data = phase(&mut p, *i);
            let title = format!("{} {}: {}", p.t("phase"), ph.number, ph.name);
            (path, "phase.html".into(), title, crumbs, p, data)
        }
        Job::Milestone(i) => {
            let m = &c.milestones[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let crumbs = vec![p.section(Section::Phases)];
            let data = milestone(&mut p, *i);
            let title = format!("{} {}: {}", p.t("milestone"), roman(m.number), m.short_name);
            (path, "milestone.html".into(), title, crumbs, p, data)
        }
        Job::Areas => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let areas: Vec<Value> = c
                .areas
                .iter()
                .map(|a| {
                    let purpose = p.md_inline(&a.purpose);
                    json!({ "link": p.link(Kind::Area, &a.id.value), "purpose_html": purpose })
                })
                .collect();
            let title = p.t("areas");
            (path, "areas.html".into(), title, vec![], p, json!({ "areas": areas }))
        }
        Job::Area(i) => {
            let a = &c.areas[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let crumbs = vec![p.section(Section::Areas)];
            let purpose = p.md(&a.purpose);
            let note = p.opt_md(&a.note);
            let checklists = own_checklists(&mut p, Kind::Area, &a.id.value);
            let asks = area_mapping(&p, &a.id.value);
            let data = json!({ "asks": asks, "area": {
                "id": a.id.value, "name": a.name, "purpose_html": purpose, "note_html": note,
                "read_more": a.read_more.iter().map(|r| json!({ "text": r.text, "location": r.location })).collect::<Vec<_>>(),
                "source_ref": a.source_ref,
            }, "checklists": checklists, "supplements": supplements_on(&mut p, Kind::Area, &a.id.value) });
            (path, "area.html".into(), a.name.clone(), crumbs, p, data)
        }
        Job::Documents => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let data = documents(&mut p);
            let title = p.t("documents");
            (path, "documents.html".into(), title, vec![], p, data)
        }
        Job::Document(i) => {
            let d = &c.documents[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let crumbs = vec![p.section(Section::Documents)];
            let purpose = p.md(&d.purpose);
            let needed_by: Vec<Value> = c
                .milestones
                .iter()
                .filter(|m| m.decision_basis.documents.iter().any(|x| x.value == d.id.value))
                .map(|m| p.link(Kind::Milestone, &m.id.value))
                .collect();
            let template = c
                .templates
                .iter()
                .find(|t| t.document.value == d.id.value)
                .map(|t| p.link(Kind::Template, &t.id.value));
            let data = json!({ "document": {
                "id": d.id.value, "name": d.name, "purpose_html": purpose, "source_ref": d.source_ref,
                "phase": p.link(Kind::Phase, &d.phase.value), "needed_by": needed_by, "template": template,
            }, "checklists": own_checklists(&mut p, Kind::Document, &d.id.value),
               "supplements": supplements_on(&mut p, Kind::Document, &d.id.value) });
            (path, "document.html".into(), d.name.clone(), crumbs, p, data)
        }
        Job::Templates => {
            let path = job_path(c, job);
            let p = Page::new(site, &path);
            let list: Vec<Value> = c
                .templates
                .iter()
                .map(|t| json!({ "link": p.link(Kind::Template, &t.id.value), "phase": p.link(Kind::Phase, &t.phase.value), "headings": t.headings.len() }))
                .collect();
            let title = p.t("templates");
            (path, "templates.html".into(), title, vec![], p, json!({ "templates": list }))
        }
        Job::Template(i) => {
            let t = &c.templates[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let crumbs = vec![p.section(Section::Templates)];
            let purpose = p.md(&t.purpose);
            let data = json!({ "template": {
                "id": t.id.value, "title": t.title, "purpose_html": purpose, "source_ref": t.source_ref,
                "document": p.link(Kind::Document, &t.document.value), "phase": p.link(Kind::Phase, &t.phase.value),
                "outline": outline(t.headings.iter().map(|h| (h.number.value.as_str(), h.text.as_str()))),
                "downloads": skeleton::FORMATS.iter().filter_map(|ext| download(&p, &skeleton::template_path(&t.id.value, ext), &t.document.value)).collect::<Vec<_>>(),
            }});
            (path, "template.html".into(), t.title.clone(), crumbs, p, data)
        }
        Job::Glossary => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let data = glossary(&mut p);
            let title = p.t("glossary");
            (path, "glossary.html".into(), title, vec![], p, data)
        }
        Job::ReadingGuide => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let g = c.reading_guide.as_ref().expect("job only made when present");
            let intro = p.opt_md(&g.intro);
            let parts = p.opt_md(&g.parts);
            let entries: Vec<Value> = g
                .entries
                .iter()
                .map(|e| {
                    let links: Vec<Value> = e
                        .links
                        .iter()
                        .filter_map(|l| site.index.resolve(&l.value).ok().map(|t| (l, t)))
                        .map(|(l, t)| json!({ "title": link_title(&p, &l.value, &t.title), "url": format!("{}{}", p.root, t.url) }))
                        .collect();
                    json!({ "id": e.id.value, "audience": e.audience, "read": e.read, "links": links })
                })
                .collect();
            let title = p.t("reading_guide");
            let has_links = g.entries.iter().any(|e| !e.links.is_empty());
            let data = json!({ "guide": { "intro_html": intro, "parts_html": parts, "entries": entries, "has_links": has_links, "source_ref": g.source_ref } });
            (path, "reading-guide.html".into(), title, vec![], p, data)
        }
        Job::Faq => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let items: Vec<Value> = c
                .faq
                .iter()
                .map(|f| {
                    let id = p.id(&f.id.value);
                    let answer = p.md(&f.answer);
                    json!({ "id": id, "question": f.question, "answer_html": answer, "derived": f.source == Source::Derived, "cites": f.cites })
                })
                .collect();
            let title = p.t("faq");
            (path, "faq.html".into(), title, vec![], p, json!({ "questions": items }))
        }
        Job::Page(i) => {
            let pg = &c.pages[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let (blocks, headings) = page_blocks(&mut p, pg);
            let related: Vec<Value> = pg
                .meta
                .related
                .iter()
                .filter_map(|l| site.index.resolve(&l.value).ok().map(|t| (l, t)))
                .map(|(l, t)| json!({ "title": link_title(&p, &l.value, &t.title), "url": format!("{}{}", p.root, t.url) }))
                .collect();
            let toc: Vec<_> = headings.into_iter().filter(|h| h.level == 2).collect();
            let data = json!({ "content": {
                "id": pg.meta.id.value, "section": pg.meta.section, "blocks": blocks, "toc": toc,
                "derived": pg.meta.source == Source::Derived, "source_ref": pg.meta.source_ref,
                "description": pg.meta.description, "related": related,
            }});
            let crumbs = vec![];
            (path, "page.html".into(), pg.meta.title.clone(), crumbs, p, data)
        }
        Job::Supplement(i) => {
            let sp = &c.supplements[*i];
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            let data = supplement_page(&mut p, *i);
            (path, "supplement.html".into(), sp.name.clone(), vec![], p, data)
        }
        Job::Accessibility => {
            let path = job_path(c, job);
            let p = Page::new(site, &path);
            let data = accessibility(&p);
            let title = format!("{} {}", p.t("a11y_title"), site.config.title);
            (path, "accessibility.html".into(), title, vec![], p, data)
        }
        Job::Search => {
            let path = job_path(c, job);
            let p = Page::new(site, &path);
            let data = json!({ "register": register(&p) });
            let title = p.t("search");
            (path, "search.html".into(), title, vec![], p, data)
        }
        Job::Stored => {
            let path = job_path(c, job);
            let p = Page::new(site, &path);
            let title = p.t("stored_title");
            (path, "stored.html".into(), title, vec![], p, json!({}))
        }
        Job::NotFound => {
            let path = job_path(c, job);
            let mut p = Page::new(site, &path);
            // A server shows this page at whatever address was asked for, at any depth, so
            // relative links would break; with the site's address known, link absolutely.
            if let Some(url) = &site.config.url {
                p.root = format!("{}/", url.value.trim_end_matches('/'));
            }
            let title = p.t("not_found_title");
            (path, "404.html".into(), title, vec![], p, json!({}))
        }
    }
}

/// The lists a page body can include with a line `@list <kind>`.
pub const PAGE_LISTS: &[&str] =
    &["phases", "milestones", "areas", "key-roles", "decision-makers", "concepts", "documents", "templates"];

/// A page body as blocks: Markdown rendered to HTML, and the lists its `@list <kind>` lines
/// ask for (the method's entities with their summaries, from the content, not copied).
fn page_blocks(p: &mut Page, pg: &crate::content::model::Page) -> (Vec<Value>, Vec<markdown::HeadingInfo>) {
    let c = p.site.content;
    let file = &c.files[pg.file];
    let mut blocks = Vec::new();
    let mut headings = Vec::new();
    let mut segment = String::new();
    let mut segment_line = pg.body_line;
    let flush =
        |p: &mut Page, text: &str, line: usize, blocks: &mut Vec<Value>, headings: &mut Vec<markdown::HeadingInfo>| {
            if text.trim().is_empty() {
                return;
            }
            let origin = Origin { file, line, column: 1, exact: true };
            let mut used = std::mem::take(&mut p.used_ids);
            let mut r = markdown::render(text, origin, p.target(), &mut used);
            p.used_ids = used;
            headings.extend(std::mem::take(&mut r.headings));
            let html = p.take(r);
            blocks.push(json!({ "html": html }));
        };
    for (n, line) in pg.body.split_inclusive('\n').enumerate() {
        let Some(kind) = line.trim_end().strip_prefix("@list ") else {
            segment.push_str(line);
            continue;
        };
        flush(p, &segment, segment_line, &mut blocks, &mut headings);
        segment.clear();
        segment_line = pg.body_line + n + 1;
        let kind = kind.trim();
        match entity_list(p, kind) {
            Some(items) => blocks.push(json!({ "list": items })),
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
    flush(p, &segment, segment_line, &mut blocks, &mut headings);
    (blocks, headings)
}

/// The entities of `kind` as `{title, url, text_html}` for a page's `@list`.
fn entity_list(p: &mut Page, kind: &str) -> Option<Vec<Value>> {
    let c = p.site.content;
    let item = |p: &mut Page, k: Kind, id: &str, text: Option<&Markdown>| {
        let mut l = p.link(k, id);
        l["text_html"] = json!(text.map(|t| p.md_inline(t)));
        l
    };

    let roles = |p: &mut Page, want: RoleKind| -> Vec<Value> {
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
        "templates" => c.templates.iter().map(|x| item(p, Kind::Template, &x.id.value, Some(&x.purpose))).collect(),
        _ => return None,
    })
}

/// A list page reference shows its translated name; an entity reference its title.
fn link_title(p: &Page, reference: &str, fallback: &str) -> String {
    match reference.strip_prefix('@').and_then(|w| Section::ALL.into_iter().find(|s| s.word() == w)) {
        Some(section) => p.t(section.title_key()),
        None => fallback.to_string(),
    }
}

fn site_value(site: &Site, p: &mut Page) -> Value {
    let cfg = site.config;
    let method = site.content.method.as_ref();
    let footer = cfg.footer.as_ref().map(|f| {
        let origin = Origin {
            file: site.config_file,
            line: f.referenced.line() as usize,
            column: f.referenced.column() as usize,
            exact: false,
        };
        let r = markdown::render(&f.value, origin, p.target(), &mut BTreeSet::new());
        p.take(r)
    });
    json!({
        "title": cfg.title,
        "description": cfg.description,
        "lang": cfg.language.code(),
        "organisation": cfg.organisation,
        "logo": site.logo.as_ref().zip(cfg.logo.as_ref()).map(|(src, l)| json!({ "src": format!("{}{}", p.root, src), "alt": l.alt })),
        "contact": cfg.contact,
        "footer_html": footer,
        "primary": cfg.colours.primary.as_ref().map(|c| c.value.clone()),
        "accent": cfg.colours.accent.as_ref().map(|c| c.value.clone()),
        "stylesheets": site.stylesheets.iter().map(|s| format!("{}{}", p.root, s)).collect::<Vec<_>>(),
        "method": method.map(|m| json!({ "name": m.name, "version": m.version, "date": m.date, "publisher": m.publisher })),
        "has_reading_guide": site.content.reading_guide.is_some(),
        "has_faq": !site.content.faq.is_empty(),
        "accessibility_url": format!("{}{}", p.root, Section::Accessibility.url()),
        "home_url": format!("{}index.html", p.root),
        "script": format!("{}js/metodbok.js", p.root),
        "checklist_script": format!("{}js/checklists.js", p.root),
        "checklist_strings": ui_strings(p, "cl_"),
        "stored_url": format!("{}{}", p.root, Section::Stored.url()),
        "search": {
            "url": format!("{}{}", p.root, Section::Search.url()),
            "script": format!("{}js/search.js", p.root),
            "index": format!("{}{}", p.root, crate::search::INDEX_PATH),
            "strings": ui_strings(p, "search_"),
        },
    })
}

/// The zip of a phase's document skeletons and the templates in it, if it has any.
fn phase_skeletons(p: &Page, phase: &str) -> Option<Value> {
    let c = p.site.content;
    let zip = download(p, &skeleton::phase_zip_path(phase), &format!("{phase}-dokumentmallar"))?;
    let templates: Vec<Value> = c
        .templates
        .iter()
        .filter(|t| c.documents.iter().any(|d| d.id.value == t.document.value && d.phase.value == phase))
        .map(|t| p.link(Kind::Template, &t.id.value))
        .collect();
    Some(json!({ "zip": zip, "templates": templates }))
}

/// A generated download as `{url, label, file}`: the label states format and size
/// ("Word (.docx), 9 kB"); `file` is the name to save it under.
fn download(p: &Page, path: &str, name: &str) -> Option<Value> {
    let size = *p.site.downloads.get(path)?;
    let ext = path.rsplit('.').next().unwrap_or_default();
    let kb = ((size + 500) / 1000).max(1);
    Some(json!({
        "url": format!("{}{path}", p.root),
        "label": format!("{}, {kb} kB", p.t(&format!("format_{ext}"))),
        "file": format!("{name}.{ext}"),
    }))
}

/// The interface strings whose keys start with `prefix`, as JSON for a script's data attribute.
fn ui_strings(p: &Page, prefix: &str) -> String {
    let map: BTreeMap<&String, &String> = p.site.strings.iter().filter(|(k, _)| k.starts_with(prefix)).collect();
    serde_json::to_string(&map).expect("strings serialize")
}

/// The search page's register: every phase, milestone, area, role, concept, document and
/// template under its initial letter, in Swedish alphabetical order.
fn register(p: &Page) -> Vec<Value> {
    let c = p.site.content;
    let mut entries: Vec<(String, Value, String)> = Vec::new();
    let mut add = |title: &str, kind: Kind, id: &str, label: String| {
        let link = p.link(kind, id);
        entries.push((title.to_string(), link["url"].clone(), label));
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
    for t in &c.templates {
        add(&t.title, Kind::Template, &t.id.value, p.t("template"));
    }
    entries.sort_by(|a, b| (sv_sort_key(&a.0), &a.2).cmp(&(sv_sort_key(&b.0), &b.2)));
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for (title, url, kind) in entries {
        let letter: String = title.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
        let entry = json!({ "title": title, "url": url, "kind": kind });
        match groups.last_mut() {
            Some((l, list)) if *l == letter => list.push(entry),
            _ => groups.push((letter, vec![entry])),
        }
    }
    groups
        .into_iter()
        .map(|(letter, entries)| {
            // Å, Ä and Ö are letters of their own, and need ids of their own.
            let id: String = letter
                .chars()
                .flat_map(|c| match c.to_lowercase().next().unwrap_or(c) {
                    'å' => vec!['a', 'a'],
                    'ä' => vec!['a', 'e'],
                    'ö' => vec!['o', 'e'],
                    c if c.is_ascii_alphanumeric() => vec![c],
                    _ => vec!['x'],
                })
                .collect();
            json!({ "letter": letter, "id": format!("register-{id}"), "entries": entries })
        })
        .collect()
}

/// The main navigation, with the current section marked.
fn nav(site: &Site, p: &Page, job: &Job) -> Vec<Value> {
    let current = match job {
        Job::Phases | Job::Phase(_) | Job::Milestone(_) => Some(Section::Phases),
        Job::Areas | Job::Area(_) => Some(Section::Areas),
        Job::Documents | Job::Document(_) => Some(Section::Documents),
        Job::Templates | Job::Template(_) => Some(Section::Templates),
        Job::Glossary => Some(Section::Glossary),
        Job::ReadingGuide => Some(Section::ReadingGuide),
        Job::Faq => Some(Section::Faq),
        _ => None,
    };
    let exact = matches!(
        job,
        Job::Phases | Job::Areas | Job::Documents | Job::Templates | Job::Glossary | Job::ReadingGuide | Job::Faq
    );
    let mut items = vec![Section::Phases, Section::Areas, Section::Documents, Section::Templates, Section::Glossary];
    if site.content.reading_guide.is_some() {
        items.push(Section::ReadingGuide);
    }
    if !site.content.faq.is_empty() {
        items.push(Section::Faq);
    }
    items
        .into_iter()
        .map(|s| {
            // The menu is short on space: "Faser" rather than "Faser och milstolpar".
            let key = if s == Section::Phases { "phases_short" } else { s.title_key() };
            let here = current == Some(s);
            json!({ "title": p.t(key), "url": format!("{}{}", p.root, s.url()), "current": here, "page": here && exact })
        })
        .collect()
}

/// Phases and milestones in the order a development initiative meets them.
fn sequence(c: &Content) -> Vec<(Kind, usize)> {
    let mut seq = Vec::new();
    let mut placed = vec![false; c.milestones.len()];
    for (i, ph) in c.phases.iter().enumerate() {
        seq.push((Kind::Phase, i));
        for (j, m) in c.milestones.iter().enumerate() {
            if !placed[j] && m.after_phase.as_ref().is_some_and(|a| a.value == ph.id.value) {
                seq.push((Kind::Milestone, j));
                placed[j] = true;
            }
        }
    }
    seq.extend(placed.iter().enumerate().filter(|(_, p)| !**p).map(|(j, _)| (Kind::Milestone, j)));
    seq
}

fn seq_link(p: &Page, (kind, i): (Kind, usize)) -> Value {
    let c = p.site.content;
    match kind {
        Kind::Phase => p.link(Kind::Phase, &c.phases[i].id.value),
        _ => p.link(Kind::Milestone, &c.milestones[i].id.value),
    }
}

fn prev_next(p: &Page, me: (Kind, usize)) -> Value {
    let seq = sequence(p.site.content);
    let pos = seq.iter().position(|s| *s == me);
    let prev = pos.and_then(|i| i.checked_sub(1)).map(|i| seq_link(p, seq[i]));
    let next = pos.and_then(|i| seq.get(i + 1)).map(|s| seq_link(p, *s));
    json!({ "prev": prev, "next": next })
}

/// The step-by-step list of phases with the milestones between them.
fn steps(p: &mut Page, with_summaries: bool) -> Vec<Value> {
    let c = p.site.content;
    sequence(c)
        .into_iter()
        .map(|(kind, i)| match kind {
            Kind::Phase => {
                let ph = &c.phases[i];
                let summary = if with_summaries { ph.summary.as_ref().map(|s| p.md(s)) } else { None };
                let items: Vec<&str> = ph.activities.iter().map(|a| a.id.value.as_str()).collect();
                let checklist = json!({ "id": phase_checklist_id(&ph.id.value), "items": items.join(" ") });
                json!({ "kind": "phase", "number": ph.number, "name": ph.name, "link": p.link(Kind::Phase, &ph.id.value), "summary_html": summary, "checklist": checklist })
            }
            _ => {
                let m = &c.milestones[i];
                let summary = if with_summaries { m.summary.as_ref().map(|s| p.md_inline(s)) } else { None };
                let mut items: Vec<String> = m.decision_covers.iter().map(|it| it.id.value.clone()).collect();
                items.extend(m.decision_basis.documents.iter().map(|d| format!("underlag-{}", d.value)));
                let checklist = json!({ "id": milestone_checklist_id(&m.id.value), "items": items.join(" ") });
                json!({ "kind": "milestone", "numeral": roman(m.number), "name": m.short_name, "link": p.link(Kind::Milestone, &m.id.value), "summary_html": summary, "checklist": checklist })
            }
        })
        .collect()
}

fn home(p: &mut Page) -> Value {
    let c = p.site.content;
    let method = c.method.as_ref();
    let summary = method.and_then(|m| m.summary.as_ref().map(|s| p.md(s)));
    let edition_note = method.and_then(|m| m.edition_note.as_ref().map(|s| p.md(s)));
    let steps = steps(p, false);
    let mut sections = vec![
        p.section(Section::Phases),
        p.section(Section::Areas),
        p.section(Section::Documents),
        p.section(Section::Templates),
        p.section(Section::Glossary),
    ];
    if c.reading_guide.is_some() {
        sections.push(p.section(Section::ReadingGuide));
    }
    if !c.faq.is_empty() {
        sections.push(p.section(Section::Faq));
    }
    let page_link = |pg: &crate::content::model::Page| {
        let mut l = p.link(Kind::Page, &pg.meta.id.value);
        l["section"] = json!(pg.meta.section);
        l["description"] = json!(pg.meta.description);
        l
    };
    // The method's pages, and apart from them what the site adds: its own pages and supplements.
    let added = |pg: &&crate::content::model::Page| pg.meta.supplement.is_some() || c.is_local(pg.file);
    let pages: Vec<Value> = c.pages.iter().filter(|pg| !added(pg)).map(page_link).collect();
    let local_pages: Vec<Value> = c.pages.iter().filter(added).map(page_link).collect();
    let supplements: Vec<Value> = c
        .supplements
        .iter()
        .map(|s| {
            let mut l = p.link(Kind::Supplement, &s.id.value);
            l["publisher"] = json!(s.publisher);
            l
        })
        .collect();
    json!({
        "local_pages": local_pages,
        "supplements": supplements,
        "summary_html": summary,
        "summary_source": method.and_then(|m| m.summary_source.clone()),
        "edition_note_html": edition_note,
        "steps": steps,
        "sections": sections,
        "pages": pages,
    })
}

fn phase(p: &mut Page, i: usize) -> Value {
    let c = p.site.content;
    let ph = &c.phases[i];
    let summary = p.opt_md(&ph.summary);
    let purpose = p.md(&ph.purpose);
    let note = p.opt_md(&ph.activities_note);
    let checklist_id = p.id(&phase_checklist_id(&ph.id.value));
    let activities: Vec<Value> = ph
        .activities
        .iter()
        .map(|a| {
            let concerns: Vec<Value> = a.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect();
            json!({ "id": a.id.value, "html_id": item_anchor(&checklist_id, &a.id.value), "text": a.text, "items": a.items, "concerns": concerns })
        })
        .collect();
    let results: Vec<Value> = ph
        .results
        .iter()
        .map(|r| {
            let link = r.document.as_ref().map(|d| p.link(Kind::Document, &d.value));
            let text = r.text.clone().or_else(|| link.as_ref().and_then(|l| l["title"].as_str().map(String::from)));
            json!({ "text": text, "url": link.and_then(|l| l["url"].as_str().map(String::from)) })
        })
        .collect();
    let support: Vec<Value> = ph
        .support
        .iter()
        .map(|s| {
            let target = match (&s.template, &s.link) {
                (Some(t), _) => p.site.index.get(Kind::Template, &t.value).cloned(),
                (None, Some(l)) => p.site.index.resolve(&l.value).ok(),
                _ => None,
            };
            let text = s.text.clone().or_else(|| target.as_ref().map(|t| t.title.clone()));
            json!({ "text": text, "url": target.map(|t| format!("{}{}", p.root, t.url)) })
        })
        .collect();
    let milestone_after: Option<Value> = c
        .milestones
        .iter()
        .find(|m| m.after_phase.as_ref().is_some_and(|a| a.value == ph.id.value))
        .map(|m| p.link(Kind::Milestone, &m.id.value));
    let checklists = own_checklists(p, Kind::Phase, &ph.id.value);
    json!({
        "phase": {
            "id": ph.id.value, "number": ph.number, "name": ph.name, "summary_html": summary,
            "purpose_html": purpose, "activities_note_html": note, "activities": activities,
            "checklist_id": checklist_id, "results": results, "support": support, "source_ref": ph.source_ref,
            "has_concerns": ph.activities.iter().any(|a| !a.concerns.is_empty()),
        },
        "milestone_after": milestone_after,
        "checklists": checklists,
        "supplements": supplements_on(p, Kind::Phase, &ph.id.value),
        "skeletons": phase_skeletons(p, &ph.id.value),
        "sequence": prev_next(p, (Kind::Phase, i)),
    })
}

fn milestone(p: &mut Page, i: usize) -> Value {
    let c = p.site.content;
    let m = &c.milestones[i];
    let purpose = p.md(&m.purpose);
    let summary = p.opt_md(&m.summary);
    let checklist_id = p.id(&milestone_checklist_id(&m.id.value));
    let covers: Vec<Value> = m
        .decision_covers
        .iter()
        .map(|it| {
            let concerns: Vec<Value> = it.concerns.iter().map(|c| p.link(Kind::Area, &c.value)).collect();
            json!({ "id": it.id.value, "html_id": item_anchor(&checklist_id, &it.id.value), "text": it.text, "concerns": concerns })
        })
        .collect();
    let basis: Vec<Value> = m
        .decision_basis
        .documents
        .iter()
        .map(|d| {
            let mut l = p.link(Kind::Document, &d.value);
            l["html_id"] = json!(item_anchor(&checklist_id, &format!("underlag-{}", d.value)));
            l["id"] = json!(format!("underlag-{}", d.value));
            l
        })
        .collect();
    json!({
        "milestone": {
            "id": m.id.value, "numeral": roman(m.number), "short_name": m.short_name, "heading": m.heading,
            "summary_html": summary, "purpose_html": purpose, "checklist_id": checklist_id,
            "decision_covers": covers, "has_concerns": m.decision_covers.iter().any(|i| !i.concerns.is_empty()), "basis_text": m.decision_basis.text, "basis_documents": basis,
            "prepared_by": m.prepared_by, "decided_by": { "text": m.decided_by.text, "role": p.link(Kind::Role, &m.decided_by.role.value) },
            "information": m.information, "source_ref": m.source_ref,
            "after_phase": m.after_phase.as_ref().map(|a| p.link(Kind::Phase, &a.value)),
            "before_phase": m.before_phase.as_ref().map(|b| p.link(Kind::Phase, &b.value)),
        },
        "checklists": own_checklists(p, Kind::Milestone, &m.id.value),
        "supplements": supplements_on(p, Kind::Milestone, &m.id.value),
        "sequence": prev_next(p, (Kind::Milestone, i)),
    })
}

/// The HTML id of a checklist item: `<checklist id>--<item id>`, so ids of different
/// checklists on one page never collide.
pub fn item_anchor(checklist: &str, item: &str) -> String {
    format!("{checklist}--{item}")
}

/// What the method asks of area `area` in each phase and at each milestone, by the
/// editorial mapping (`concerns`) of activities and decision items.
fn area_mapping(p: &Page, area: &str) -> Vec<Value> {
    let c = p.site.content;
    let concerns = |list: &[crate::content::model::Id]| list.iter().any(|x| x.value == area);
    let mut out = Vec::new();
    for (kind, i) in sequence(c) {
        // The page of the phase or milestone, its checklist, and the items that concern the area.
        let (link, checklist, matching) = match kind {
            Kind::Phase => {
                let ph = &c.phases[i];
                let matching: Vec<_> = ph
                    .activities
                    .iter()
                    .filter(|a| concerns(&a.concerns))
                    .map(|a| (&a.id.value, &a.text, a.items.clone()))
                    .collect();
                (p.link(Kind::Phase, &ph.id.value), phase_checklist_id(&ph.id.value), matching)
            }
            _ => {
                let m = &c.milestones[i];
                let matching: Vec<_> = m
                    .decision_covers
                    .iter()
                    .filter(|it| concerns(&it.concerns))
                    .map(|it| (&it.id.value, &it.text, Vec::new()))
                    .collect();
                (p.link(Kind::Milestone, &m.id.value), milestone_checklist_id(&m.id.value), matching)
            }
        };
        if matching.is_empty() {
            continue;
        }
        let page_url = link["url"].as_str().unwrap_or_default().to_string();
        let items: Vec<Value> = matching
            .into_iter()
            .map(|(id, text, sub)| {
                json!({ "text": text, "items": sub, "url": format!("{page_url}#{}", item_anchor(&checklist, id)) })
            })
            .collect();
        out.push(json!({ "link": link, "items": items }));
    }
    out
}

/// Checklists of their own attached to `kind`/`id`.
fn own_checklists(p: &mut Page, kind: Kind, id: &str) -> Vec<Value> {
    let c = p.site.content;
    let reference = format!("@{}/{}", kind.word(), id);
    c.checklists
        .iter()
        .filter(|k| k.attached_to.as_ref().is_some_and(|a| a.value.split('#').next() == Some(reference.as_str())))
        .map(|k| {
            let cid = p.id(&k.id.value);
            let intro = p.opt_md(&k.intro);
            let items: Vec<Value> = k.items.iter().map(|it| json!({ "id": it.id.value, "html_id": item_anchor(&cid, &it.id.value), "text": it.text })).collect();
            let origin = origin(p, k.supplement.as_ref().map(|s| s.value.as_str()), k.file);
            json!({ "id": cid, "title": k.title, "intro_html": intro, "items": items, "derived": k.source == Source::Derived,
                    "source_ref": k.source_ref, "level": 2, "origin": origin })
        })
        .collect()
}

/// The additions of every supplement attached to `kind`/`id`, grouped by supplement, each
/// with its text and, when it has items, as a checklist.
fn supplements_on(p: &mut Page, kind: Kind, id: &str) -> Vec<Value> {
    let c = p.site.content;
    let reference = format!("@{}/{}", kind.word(), id);
    let mut out = Vec::new();
    for s in &c.supplements {
        let additions: Vec<&crate::content::model::Addition> =
            s.additions.iter().filter(|a| a.to.value.split('#').next() == Some(reference.as_str())).collect();
        if additions.is_empty() {
            continue;
        }
        let heading_id = p.id(&format!("tillagg-{}", s.id.value));
        let list: Vec<Value> = additions.into_iter().map(|a| addition(p, s, a)).collect();
        out.push(json!({
            "id": s.id.value, "heading_id": heading_id, "name": s.name, "publisher": s.publisher,
            "link": p.link(Kind::Supplement, &s.id.value), "additions": list,
        }));
    }
    out
}

/// One addition as the template shows it: with items it is a checklist (legend at level 3).
fn addition(p: &mut Page, s: &crate::content::model::Supplement, a: &crate::content::model::Addition) -> Value {
    let cid = p.id(&a.id.value);
    let text = p.opt_md(&a.text);
    let title = a.title.as_ref().map(|_| links::addition_title(s, a));
    let items: Vec<Value> = a
        .items
        .iter()
        .map(|it| json!({ "id": it.id.value, "html_id": item_anchor(&cid, &it.id.value), "text": it.text }))
        .collect();
    json!({
        "id": cid, "title": title, "intro_html": text, "items": items, "level": 3,
        "derived": a.source == Source::Derived, "source_ref": a.source_ref,
        "checklist": !a.items.is_empty(),
    })
}

/// A supplement's own page: what it is, the editors' note, and where its additions are.
fn supplement_page(p: &mut Page, i: usize) -> Value {
    let c = p.site.content;
    let s = &c.supplements[i];
    let about = p.opt_md(&s.about);
    let note = p.opt_md(&s.note);
    // Additions grouped by what they are attached to, in the order of the supplement.
    let mut groups: Vec<(String, Value, Vec<Value>)> = Vec::new();
    for a in &s.additions {
        let target = a.to.value.split('#').next().unwrap_or_default().to_string();
        let Some((kind, id)) = links::parse_entity_ref(&target) else { continue };
        let link = p.link(kind, &id);
        let url = format!("{}#{}", link["url"].as_str().unwrap_or_default(), a.id.value);
        let title = match &a.title {
            Some(_) => links::addition_title(s, a),
            None => p.t("supplement_intro_entry"),
        };
        let entry = json!({ "title": title, "url": url, "items": a.items.len() });
        match groups.iter_mut().find(|g| g.0 == target) {
            Some(g) => g.2.push(entry),
            None => groups.push((target, link, vec![entry])),
        }
    }
    let pages: Vec<Value> = c
        .pages
        .iter()
        .filter(|pg| pg.meta.supplement.as_ref().is_some_and(|x| x.value == s.id.value))
        .map(|pg| p.link(Kind::Page, &pg.meta.id.value))
        .collect();
    json!({ "supplement": {
        "id": s.id.value, "name": s.name, "publisher": s.publisher, "date": s.date, "source_ref": s.source_ref,
        "about_html": about, "note_html": note, "pages": pages,
        "groups": groups.into_iter().map(|(_, link, entries)| json!({ "link": link, "additions": entries })).collect::<Vec<_>>(),
    }})
}

/// Where a page's text comes from, when it is not the base's national text: a supplement, or
/// the site's own content; and which fields the site has changed locally.
fn mark(p: &Page, job: &Job) -> Value {
    let c = p.site.content;
    let (kind, id, file, supplement) = match job {
        Job::Page(i) => {
            let pg = &c.pages[*i];
            (Kind::Page, pg.meta.id.value.clone(), pg.file, pg.meta.supplement.as_ref().map(|s| s.value.clone()))
        }
        Job::Phase(i) => (Kind::Phase, c.phases[*i].id.value.clone(), c.phases[*i].file, None),
        Job::Milestone(i) => (Kind::Milestone, c.milestones[*i].id.value.clone(), c.milestones[*i].file, None),
        Job::Area(i) => (Kind::Area, c.areas[*i].id.value.clone(), c.areas[*i].file, None),
        Job::Document(i) => (Kind::Document, c.documents[*i].id.value.clone(), c.documents[*i].file, None),
        Job::Template(i) => (Kind::Template, c.templates[*i].id.value.clone(), c.templates[*i].file, None),
        _ => return Value::Null,
    };
    let origin = origin(p, supplement.as_deref(), file);
    let changed = c.changed.get(&(kind, id)).map(|fields| {
        let labels: Vec<String> = fields.iter().map(|f| p.t(&format!("field_{f}"))).collect();
        json!({ "by": organisation(p), "fields": labels })
    });
    if origin.is_none() && changed.is_none() {
        return Value::Null;
    }
    json!({ "origin": origin, "changed": changed })
}

/// Where a text written in `file` comes from when it is not the base's: `{supplement: link}`
/// for a supplement's, `{local: organisation}` for the site's own.
fn origin(p: &Page, supplement: Option<&str>, file: crate::content::model::FileId) -> Option<Value> {
    match supplement {
        Some(s) => Some(json!({ "supplement": p.link(Kind::Supplement, s) })),
        None if p.site.content.is_local(file) => Some(json!({ "local": organisation(p) })),
        None => None,
    }
}

/// Who publishes this copy, as local text is attributed: the organisation, or the title.
fn organisation(p: &Page) -> String {
    p.site.config.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| p.site.config.title.clone())
}

fn documents(p: &mut Page) -> Value {
    let c = p.site.content;
    let phases: Vec<Value> = c.phases.iter().map(|ph| json!({ "id": ph.id.value, "number": ph.number, "name": ph.name, "link": p.link(Kind::Phase, &ph.id.value) })).collect();
    let rows: Vec<Value> = c
        .documents
        .iter()
        .map(|d| {
            let cells: Vec<bool> = c.phases.iter().map(|ph| ph.id.value == d.phase.value).collect();
            let has_template = c.templates.iter().any(|t| t.document.value == d.id.value);
            json!({ "link": p.link(Kind::Document, &d.id.value), "cells": cells, "has_template": has_template })
        })
        .collect();
    let by_phase: Vec<Value> = c
        .phases
        .iter()
        .map(|ph| {
            let docs: Vec<Value> = c
                .documents
                .iter()
                .filter(|d| d.phase.value == ph.id.value)
                .map(|d| p.link(Kind::Document, &d.id.value))
                .collect();
            json!({ "phase": p.link(Kind::Phase, &ph.id.value), "documents": docs })
        })
        .collect();
    json!({ "phases": phases, "rows": rows, "by_phase": by_phase })
}

fn glossary(p: &mut Page) -> Value {
    let c = p.site.content;
    let role = |p: &mut Page, r: &crate::content::model::Role| {
        let def = r.definition.as_ref().map(|d| p.md(d));
        let decides: Vec<Value> = c
            .milestones
            .iter()
            .filter(|m| m.decided_by.role.value == r.id.value)
            .map(|m| p.link(Kind::Milestone, &m.id.value))
            .collect();
        let id = p.id(&r.id.value);
        json!({ "id": id, "name": r.name, "definition_html": def, "decides": decides, "derived": r.source == Source::Derived, "source_ref": r.source_ref })
    };
    let key_roles: Vec<Value> =
        c.roles.iter().filter(|r| r.kind == crate::content::model::RoleKind::KeyRole).map(|r| role(p, r)).collect();
    let deciders: Vec<Value> = c
        .roles
        .iter()
        .filter(|r| r.kind == crate::content::model::RoleKind::DecisionMaker)
        .map(|r| role(p, r))
        .collect();
    let concepts: Vec<Value> = c
        .concepts
        .iter()
        .map(|k| {
            let def = p.md(&k.definition);
            let id = p.id(&k.id.value);
            json!({ "id": id, "name": k.name, "definition_html": def, "derived": k.source == Source::Derived, "source_ref": k.source_ref })
        })
        .collect();
    json!({ "key_roles": key_roles, "decision_makers": deciders, "concepts": concepts })
}

/// A template's numbered headings as a tree: a heading's parent is the closest earlier
/// heading whose number is a prefix of its own (3.1.1 under 3 when the method has no 3.1).
pub fn outline<'x>(headings: impl Iterator<Item = (&'x str, &'x str)>) -> Vec<Value> {
    fn insert(nodes: &mut Vec<Value>, number: &str, text: &str, level: usize) {
        if let Some(last) = nodes.last_mut() {
            let last_number = last["number"].as_str().unwrap_or("").to_string();
            if number.starts_with(&format!("{last_number}."))
                && let Some(children) = last["children"].as_array_mut()
            {
                insert(children, number, text, level);
                return;
            }
        }
        let anchor = format!("rubrik-{}", number.replace('.', "-"));
        nodes.push(json!({ "number": number, "text": text, "level": level, "anchor": anchor, "children": [] }));
    }
    let mut roots = Vec::new();
    for (number, text) in headings {
        insert(&mut roots, number, text, number.split('.').count());
    }
    roots
}

fn accessibility(p: &Page) -> Value {
    let cfg = p.site.config;
    let a = &cfg.accessibility;
    let org = a
        .organisation
        .clone()
        .or_else(|| cfg.organisation.as_ref().map(|o| o.name.clone()))
        .unwrap_or_else(|| cfg.title.clone());
    let service = a.service.clone().unwrap_or_else(|| cfg.title.clone());
    let intro = p.t("a11y_intro").replace("{org}", &escape(&org)).replace("{service}", &escape(&service));
    let status_key = match a.status {
        Compliance::Helt => "a11y_status_helt",
        Compliance::Delvis => "a11y_status_delvis",
        Compliance::Inte => "a11y_status_inte",
    };
    json!({ "statement": {
        "organisation": org, "service": service, "intro": intro, "status": p.t(status_key),
        "known_problems": a.known_problems, "assessed": a.assessed,
        "updated": a.updated.clone().unwrap_or_else(|| a.assessed.clone()), "method": a.method, "feedback": a.feedback,
    }})
}

/// `sitemap.xml`: every page but 404, absolute when the site's `url` is configured.
pub fn render_sitemap(site: &Site, tera: &tera::Tera, outputs: &[Output]) -> Result<Output, Diagnostic> {
    let base = site.config.url.as_ref().map(|u| format!("{}/", u.value.trim_end_matches('/'))).unwrap_or_default();
    let urls: Vec<String> = outputs.iter().filter(|o| o.in_sitemap).map(|o| format!("{base}{}", o.path)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    tera.render("sitemap.xml", &ctx)
        .map(|body| Output {
            path: "sitemap.xml".into(),
            body,
            in_sitemap: false,
            template: "sitemap.xml".into(),
            anchors: Vec::new(),
        })
        .map_err(|e| site.templates.diagnostic(&e, "sitemap.xml"))
}
