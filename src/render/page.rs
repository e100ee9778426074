//! What every page shares: the builder that renders a page's Markdown and keeps its ids
//! unique, the layout's context (site, navigation, breadcrumbs, strings, where the text
//! comes from), and the dispatch to the module of each page kind.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::templates::TemplateFiles;
use super::{Job, Output, job_path, method, pages, reference};
use crate::config::Config;
use crate::content::Content;
use crate::content::kind::Kind;
use crate::content::model::{FileId, Markdown};
use crate::diagnostic::Diagnostic;
use crate::links::Index;
use crate::markdown::{self, WrittenAt};
use crate::paths::{self, ListPage, root_of};

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

/// Builds one page's context: collects Markdown diagnostics and keeps HTML ids unique.
pub(super) struct PageBuilder<'s, 'a> {
    pub(super) site: &'s Site<'a>,
    /// The page's output path.
    pub(super) path: String,
    pub(super) root: String,
    used_ids: BTreeSet<String>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Interface strings asked for that do not exist.
    missing: RefCell<BTreeSet<String>>,
    /// Links to anchors written in the page's Markdown.
    anchors: Vec<markdown::AnchorLink>,
}

impl<'s, 'a> PageBuilder<'s, 'a> {
    pub(super) fn new(site: &'s Site<'a>, path: &str) -> Self {
        // Ids the layout itself uses.
        let used_ids = paths::layout_ids().map(String::from).collect();
        PageBuilder {
            site,
            path: path.to_string(),
            root: root_of(path),
            used_ids,
            diagnostics: Vec::new(),
            anchors: Vec::new(),
            missing: RefCell::default(),
        }
    }

    /// What Markdown on this page needs to know about it.
    pub(super) fn target(&self) -> markdown::ForPage<'_> {
        markdown::ForPage { index: self.site.index, path: &self.path, root: &self.root, files: self.site.files }
    }

    /// Keeps what rendering a Markdown text found; returns its HTML.
    pub(super) fn take(&mut self, r: markdown::Rendered) -> String {
        self.diagnostics.extend(r.diagnostics);
        self.anchors.extend(r.anchors);
        r.html
    }

    fn origin(&self, text: &Markdown) -> WrittenAt<'s> {
        WrittenAt {
            file: &self.site.content.files[text.file],
            line: text.referenced.line() as usize,
            column: text.referenced.column() as usize,
            exact: false,
        }
    }

    /// Markdown text written at `origin`, rendered for this page with its ids kept unique.
    pub(super) fn render_at(&mut self, text: &str, origin: WrittenAt) -> markdown::Rendered {
        let mut used = std::mem::take(&mut self.used_ids);
        let r = markdown::render(text, origin, self.target(), &mut used);
        self.used_ids = used;
        r
    }

    /// A Markdown field of a YAML file, as HTML.
    pub(super) fn md(&mut self, text: &Markdown) -> String {
        let r = self.render_at(&text.value, self.origin(text));
        self.take(r)
    }

    /// A short Markdown field, without an outer paragraph.
    pub(super) fn md_inline(&mut self, text: &Markdown) -> String {
        let origin = self.origin(text);
        let mut used = std::mem::take(&mut self.used_ids);
        let r = markdown::render_inline(&text.value, origin, self.target(), &mut used);
        self.used_ids = used;
        self.take(r)
    }

    pub(super) fn opt_md(&mut self, text: &Option<Markdown>) -> Option<String> {
        text.as_ref().map(|t| self.md(t))
    }

    /// A link to an entity, as `{title, url}` relative to this page.
    pub(super) fn link(&self, kind: Kind, id: &str) -> Value {
        match self.site.index.get(kind, id) {
            Some(t) => json!({ "title": t.title, "url": format!("{}{}", self.root, t.url) }),
            None => json!({ "title": id, "url": Value::Null }),
        }
    }

    pub(super) fn section(&self, s: ListPage) -> Value {
        json!({ "title": self.t(s.title_key()), "url": format!("{}{}", self.root, s.url()) })
    }

    /// The interface string `key`. One that does not exist is reported when the page is
    /// rendered, naming the page's template and the key.
    pub(super) fn t(&self, key: &str) -> String {
        match self.site.strings.get(key) {
            Some(s) => s.clone(),
            None => {
                self.missing.borrow_mut().insert(key.to_string());
                key.to_string()
            }
        }
    }

    pub(super) fn id(&mut self, wanted: &str) -> String {
        markdown::unique_id(wanted, &mut self.used_ids)
    }
}

/// What a page kind's module hands back: the template, the page's title, the breadcrumbs
/// between the start page and the page, and the kind's own context.
pub(super) struct Built {
    pub template: &'static str,
    pub title: String,
    pub crumbs: Vec<Value>,
    pub data: Value,
}

impl Built {
    /// A page with a context of its own (any `Serialize` struct or `json!` object).
    pub fn new(template: &'static str, title: String, data: impl Serialize) -> Self {
        let data = serde_json::to_value(data).expect("a page context serializes");
        Built { template, title, crumbs: Vec::new(), data }
    }

    /// The page under the list page `parent`.
    pub fn under(mut self, parent: Value) -> Self {
        self.crumbs.push(parent);
        self
    }
}

/// The layout's facts about the page itself.
#[derive(Serialize)]
struct PageInfo<'a> {
    title: &'a str,
    path: &'a str,
    /// The template's name without `.html`, for the `<body>` class.
    kind: &'a str,
    /// The checklist script loads only where there is a checklist (or progress of them).
    checklists: bool,
}

/// Renders `job`; returns the output or the diagnostics that stopped it.
pub fn render_job(
    site: &Site,
    tera: &tera::Tera,
    job: &Job,
    rendering: &super::RenderingGuard,
) -> (Option<Output>, Vec<Diagnostic>) {
    let path = job_path(site.content, job);
    let mut page = PageBuilder::new(site, &path);
    let built = build(&mut page, job);
    let template = built.template;
    rendering.template(site.templates.display_path(template));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_value(site, &mut page));
    ctx.insert("t", site.strings);
    ctx.insert("ids", &paths::IDS.iter().copied().collect::<BTreeMap<&str, &str>>());
    ctx.insert("root", &page.root);
    ctx.insert("nav", &nav(site, &page, job));
    let checklists = matches!(job, Job::Phase(_) | Job::Milestone(_) | Job::Phases)
        || built.data["checklists"].as_array().is_some_and(|a| !a.is_empty());
    let kind = template.trim_end_matches(".html");
    ctx.insert("page", &PageInfo { title: &built.title, path: &path, kind, checklists });
    let mut bc = vec![json!({ "title": page.t("home"), "url": format!("{}{}", page.root, ListPage::Home.url()) })];
    bc.extend(built.crumbs);
    ctx.insert("breadcrumbs", &if matches!(job, Job::Home | Job::NotFound) { Vec::new() } else { bc });
    ctx.insert("mark", &mark(&page, job));
    if let Value::Object(map) = built.data {
        for (k, v) in map {
            ctx.insert(k, &v);
        }
    }
    let mut diagnostics = std::mem::take(&mut page.diagnostics);
    for key in page.missing.borrow().iter() {
        diagnostics.push(missing_string(site, template, key));
    }
    if !diagnostics.is_empty() {
        return (None, diagnostics);
    }
    match tera.render(template, &ctx) {
        Ok(body) => {
            let in_sitemap = !matches!(job, Job::NotFound);
            (Some(Output { path, body, in_sitemap, template: template.to_string(), anchors: page.anchors }), Vec::new())
        }
        Err(e) => (None, vec![site.templates.diagnostic(&e, template)]),
    }
}

/// An interface string the code asks for that the theme's strings lack.
fn missing_string(site: &Site, template: &str, key: &str) -> Diagnostic {
    Diagnostic::file(
        site.templates.display_path(template),
        format!("there is no interface string `{key}`, which this page needs"),
    )
    .with_help(format!(
        "add `{key}` to the theme's i18n/sv.yaml and i18n/en.yaml (a site changes a string under `strings:` in metodbok.yaml)"
    ))
}

/// The context of `job`'s own page kind.
fn build(p: &mut PageBuilder, job: &Job) -> Built {
    match job {
        Job::Home => pages::home(p),
        Job::Phases => method::phases(p),
        Job::Phase(i) => method::phase(p, *i),
        Job::Milestone(i) => method::milestone(p, *i),
        Job::Areas => reference::areas(p),
        Job::Area(i) => reference::area(p, *i),
        Job::Documents => reference::documents(p),
        Job::Document(i) => reference::document(p, *i),
        Job::Templates => reference::templates(p),
        Job::Template(i) => reference::template(p, *i),
        Job::Glossary => reference::glossary(p),
        Job::ReadingGuide => pages::reading_guide(p),
        Job::Faq => pages::faq(p),
        Job::Page(i) => pages::page(p, *i),
        Job::Supplement(i) => pages::supplement(p, *i),
        Job::Accessibility => pages::accessibility(p),
        Job::Search => reference::search(p),
        Job::Stored => Built::new("stored.html", p.t("stored_title"), json!({})),
        Job::NotFound => {
            // A server shows this page at whatever address was asked for, at any depth, so
            // relative links would break; with the site's address known, link absolutely.
            if let Some(url) = &p.site.config.url {
                p.root = format!("{}/", url.value.trim_end_matches('/'));
            }
            Built::new("404.html", p.t("not_found_title"), json!({}))
        }
    }
}

/// A list page reference shows its translated name; an entity reference its title.
pub(super) fn link_title(p: &PageBuilder, reference: &str, fallback: &str) -> String {
    match reference.strip_prefix('@').and_then(|w| ListPage::ALL.into_iter().find(|s| s.word() == w)) {
        Some(section) => p.t(section.title_key()),
        None => fallback.to_string(),
    }
}

fn site_value(site: &Site, p: &mut PageBuilder) -> Value {
    let cfg = site.config;
    let method = site.content.method.as_ref();
    let footer = cfg.footer.as_ref().map(|f| {
        let origin = WrittenAt {
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
        "accessibility_url": format!("{}{}", p.root, ListPage::Accessibility.url()),
        "home_url": format!("{}{}", p.root, ListPage::Home.url()),
        "script": format!("{}{}", p.root, paths::SCRIPT),
        "checklist_script": format!("{}{}", p.root, paths::CHECKLIST_SCRIPT),
        "checklist_strings": ui_strings(p, "cl_"),
        "stored_url": format!("{}{}", p.root, ListPage::Stored.url()),
        "search": {
            "url": format!("{}{}", p.root, ListPage::Search.url()),
            "script": format!("{}{}", p.root, paths::SEARCH_SCRIPT),
            "index": format!("{}{}", p.root, paths::SEARCH_INDEX),
            "strings": ui_strings(p, "search_"),
        },
    })
}

/// A generated download as `{url, label, file}`: the label states format and size
/// ("Word (.docx), 9 kB"); `file` is the name to save it under.
pub(super) fn download(p: &PageBuilder, path: &str, name: &str) -> Option<Value> {
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
fn ui_strings(p: &PageBuilder, prefix: &str) -> String {
    let map: BTreeMap<&String, &String> = p.site.strings.iter().filter(|(k, _)| k.starts_with(prefix)).collect();
    serde_json::to_string(&map).expect("strings serialize")
}

/// The main navigation, with the current section marked.
fn nav(site: &Site, p: &PageBuilder, job: &Job) -> Vec<Value> {
    let current = match job {
        Job::Phases | Job::Phase(_) | Job::Milestone(_) => Some(ListPage::Phases),
        Job::Areas | Job::Area(_) => Some(ListPage::Areas),
        Job::Documents | Job::Document(_) => Some(ListPage::Documents),
        Job::Templates | Job::Template(_) => Some(ListPage::Templates),
        Job::Glossary => Some(ListPage::Glossary),
        Job::ReadingGuide => Some(ListPage::ReadingGuide),
        Job::Faq => Some(ListPage::Faq),
        _ => None,
    };
    let exact = matches!(
        job,
        Job::Phases | Job::Areas | Job::Documents | Job::Templates | Job::Glossary | Job::ReadingGuide | Job::Faq
    );
    let mut items =
        vec![ListPage::Phases, ListPage::Areas, ListPage::Documents, ListPage::Templates, ListPage::Glossary];
    if site.content.reading_guide.is_some() {
        items.push(ListPage::ReadingGuide);
    }
    if !site.content.faq.is_empty() {
        items.push(ListPage::Faq);
    }
    items
        .into_iter()
        .map(|s| {
            // The menu is short on space: "Faser" rather than "Faser och milstolpar".
            let key = if s == ListPage::Phases { "phases_short" } else { s.title_key() };
            let here = current == Some(s);
            json!({ "title": p.t(key), "url": format!("{}{}", p.root, s.url()), "current": here, "page": here && exact })
        })
        .collect()
}

/// Where a page's text comes from, when it is not the base's national text: a supplement, or
/// the site's own content; and which fields the site has changed locally.
fn mark(p: &PageBuilder, job: &Job) -> Value {
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
pub(super) fn origin(p: &PageBuilder, supplement: Option<&str>, file: FileId) -> Option<Value> {
    match supplement {
        Some(s) => Some(json!({ "supplement": p.link(Kind::Supplement, s) })),
        None if p.site.content.is_local(file) => Some(json!({ "local": organisation(p) })),
        None => None,
    }
}

/// Who publishes this copy, as local text is attributed: the organisation, or the title.
pub(super) fn organisation(p: &PageBuilder) -> String {
    p.site.config.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| p.site.config.title.clone())
}

/// `sitemap.xml`: every page but 404, absolute when the site's `url` is configured.
pub fn render_sitemap(site: &Site, tera: &tera::Tera, outputs: &[Output]) -> Result<Output, Diagnostic> {
    let base = site.config.url.as_ref().map(|u| format!("{}/", u.value.trim_end_matches('/'))).unwrap_or_default();
    let urls: Vec<String> = outputs.iter().filter(|o| o.in_sitemap).map(|o| format!("{base}{}", o.path)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    tera.render("sitemap.xml", &ctx)
        .map(|body| Output {
            path: paths::SITEMAP.into(),
            body,
            in_sitemap: false,
            template: "sitemap.xml".into(),
            anchors: Vec::new(),
        })
        .map_err(|e| site.templates.diagnostic(&e, "sitemap.xml"))
}
