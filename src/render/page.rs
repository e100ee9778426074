//! What every page shares: the builder that renders a page's Markdown and keeps its ids
//! unique, links relative to the page, and the dispatch to the module of each page kind;
//! the layout's own context is in [`super::layout`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::json;

use super::layout::{mark, nav, site_context};
use super::templates::TemplateFiles;
use super::{Job, Output, job_path, method, pages, reference};
use crate::config::Config;
use crate::content::Content;
use crate::content::kind::Kind;
use crate::content::model::Markdown;
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
    /// The fingerprint of each stylesheet and script (output path → `?v=` value).
    pub versions: &'a BTreeMap<String, String>,
    /// What the link to the whole handbook's PDF says of it ("PDF, 1,2 MB"), or `None` when
    /// the site makes no PDF. Pages are rendered before the PDF exists, so a build passes
    /// [`PDF_SIZE`] here and puts the size in its place once the PDF is made.
    pub pdf_label: Option<String>,
    /// What every page's context holds unchanged, converted for tera once.
    pub shared: Shared,
    /// The search index's version, put in place of [`INDEX_VERSION`] in each page as soon as
    /// it is rendered, unless a memo keeps the pages (see [`super::Memo`]): then it is put in
    /// once they are all rendered.
    pub index_version: &'a str,
}

/// The parts of every page's context that are the same on every page: the interface
/// strings (`t`) and the layout's ids (`ids`). Tera's values share their data, so each page
/// takes a copy for the price of a pointer.
pub struct Shared {
    strings: tera::Value,
    ids: tera::Value,
}

impl Shared {
    pub fn new(strings: &BTreeMap<String, String>) -> Self {
        let ids: BTreeMap<&str, &str> = paths::IDS.iter().copied().collect();
        Shared { strings: tera::Value::from_serializable(strings), ids: tera::Value::from_serializable(&ids) }
    }
}

/// Where the search index's version goes in rendered pages: the fingerprint of everything
/// pages are made from, put in once every page is rendered, so that a page's context does not
/// change with every edit of another page (see [`super::Memo`]). It holds a space, as
/// [`PDF_SIZE`] does.
pub const INDEX_VERSION: &str = "@@metodbok index-version@@";

/// Where the PDF's size goes in rendered pages until it is known. It holds a space, so that
/// minifying never takes the quotes off an attribute that holds it.
pub const PDF_SIZE: &str = "@@metodbok pdf-size@@";

/// [`markdown::render`] or [`markdown::render_inline`].
type Renderer = fn(&str, WrittenAt<'_>, markdown::ForPage<'_>, &mut BTreeSet<String>) -> markdown::Rendered;

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
        self.render_with(markdown::render, text, origin)
    }

    /// Renders with `render` (a block or an inline renderer), keeping this page's ids unique.
    fn render_with(&mut self, render: Renderer, text: &str, origin: WrittenAt) -> markdown::Rendered {
        let mut used = std::mem::take(&mut self.used_ids);
        let r = render(text, origin, self.target(), &mut used);
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
        let r = self.render_with(markdown::render_inline, &text.value, self.origin(text));
        self.take(r)
    }

    pub(super) fn opt_md(&mut self, text: &Option<Markdown>) -> Option<String> {
        text.as_ref().map(|t| self.md(t))
    }

    /// A link to an entity, relative to this page.
    pub(super) fn link(&self, kind: Kind, id: &str) -> Link {
        match self.site.index.get(kind, id) {
            Some(t) => Link { title: t.title.clone(), url: Some(self.url(&t.url)) },
            None => Link { title: id.to_string(), url: None },
        }
    }

    /// A link to one of the handbook's list pages, by its name in the interface language.
    pub(super) fn section(&self, s: ListPage) -> Link {
        Link { title: self.t(s.title_key()), url: Some(self.url(s.url())) }
    }

    /// A free reference (`@kind/id`, `@section`) as a link, if it resolves: a list page by
    /// its name in the interface language, an entity by its title.
    pub(super) fn reference(&self, reference: &str) -> Option<Link> {
        let target = self.site.index.resolve(reference).ok()?;
        Some(Link { title: link_title(self, reference, &target.title), url: Some(self.url(&target.url)) })
    }

    /// An output path (from [`crate::paths`]) as a URL relative to this page.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
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

/// A link to a page of the handbook, relative to the page it is on. `url` is `None` where
/// the entity does not exist (the title is then its id).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Link {
    pub title: String,
    pub url: Option<String>,
}

/// What a page kind's module hands back: the template, the page's title, the breadcrumbs
/// between the start page and the page, and the kind's own context.
pub(super) struct Built {
    pub template: &'static str,
    pub title: String,
    pub crumbs: Vec<Link>,
    pub data: tera::Context,
    /// The page shows a checklist (or the progress of checklists), so it loads their script.
    pub checklists: bool,
}

impl Built {
    /// A page with a context of its own (any `Serialize` struct or `json!` object).
    pub fn new(template: &'static str, title: String, data: impl Serialize) -> Self {
        let data = tera::Context::from_serialize(&data).expect("a page context is a map");
        Built { template, title, crumbs: Vec::new(), data, checklists: false }
    }

    /// The page shows checklists when `shown`.
    pub fn with_checklists(mut self, shown: bool) -> Self {
        self.checklists = shown;
        self
    }

    /// The page under the list page `parent`.
    pub fn under(mut self, parent: Link) -> Self {
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

/// A page ready to be rendered: its template and everything the template is given.
pub struct Prepared {
    pub path: String,
    pub template: &'static str,
    /// The template's whole input: rendering is a function of the templates and this.
    pub context: tera::Context,
    pub in_sitemap: bool,
    /// Links to anchors that its Markdown wrote.
    pub anchors: Vec<markdown::AnchorLink>,
}

/// Makes `job`'s context (rendering its Markdown); or the diagnostics that stop it.
pub fn prepare(
    site: &Site,
    order: &super::order::Order,
    job: &Job,
    rendering: &super::RenderingGuard,
    extra: Option<tera::Context>,
) -> Result<Prepared, Vec<Diagnostic>> {
    let path = job_path(site.content, job);
    let mut page = PageBuilder::new(site, &path);
    let built = build(&mut page, job);
    let template = built.template;
    rendering.template(site.templates.display_path(template));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_context(site, &mut page));
    ctx.insert_value("t", site.shared.strings.clone());
    ctx.insert_value("ids", site.shared.ids.clone());
    ctx.insert("root", &page.root);
    ctx.insert("nav", &nav(site, &page, job));
    let checklists = built.checklists;
    let kind = template.trim_end_matches(".html");
    ctx.insert("page", &PageInfo { title: &built.title, path: &path, kind, checklists });
    let mut bc = vec![page.section(ListPage::Home)];
    bc.extend(built.crumbs);
    ctx.insert("breadcrumbs", &if matches!(job, Job::Home | Job::NotFound) { Vec::new() } else { bc });
    ctx.insert("mark", &mark(&page, job));
    ctx.insert("pager", &super::order::pager(&page, order, job));
    ctx.extend(built.data);
    ctx.extend(extra.unwrap_or_default());
    let mut diagnostics = std::mem::take(&mut page.diagnostics);
    for key in page.missing.borrow().iter() {
        diagnostics.push(missing_string(site, template, key));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let in_sitemap = !matches!(job, Job::NotFound);
    Ok(Prepared { path, template, context: ctx, in_sitemap, anchors: page.anchors })
}

/// Renders a prepared page with `tera`; its contents list is put in place when the page is
/// read (see [`super::toc`]).
pub fn render_prepared(site: &Site, tera: &tera::Tera, prepared: &Prepared) -> Result<String, Diagnostic> {
    render_with(site, tera, prepared.template, &prepared.context)
}

/// Renders `template` with `context`; a problem is reported at the template.
pub(super) fn render_with(
    site: &Site,
    tera: &tera::Tera,
    template: &str,
    context: &tera::Context,
) -> Result<String, Diagnostic> {
    tera.render(template, context).map_err(|e| site.templates.diagnostic(&e, template))
}

/// The contents list of a page rendered with `template` that has the sections `headings`.
pub(super) fn render_toc(
    site: &Site,
    tera: &tera::Tera,
    template: &str,
    headings: &[super::toc::Heading],
) -> Result<String, Diagnostic> {
    let mut toc = tera::Context::new();
    toc.insert_value("t", site.shared.strings.clone());
    toc.insert_value("ids", site.shared.ids.clone());
    toc.insert("toc", headings);
    tera.render("partials/toc.html", &toc).map_err(|e| site.templates.diagnostic(&e, template))
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
        Job::HeadingTemplates => reference::templates(p),
        Job::HeadingTemplate(i) => reference::template(p, *i),
        Job::Glossary => reference::glossary(p),
        Job::ReadingGuide => pages::reading_guide(p),
        Job::Faq => pages::faq(p),
        Job::Page(i) => pages::page(p, *i),
        Job::Supplement(i) => pages::supplement(p, *i),
        Job::Accessibility => pages::accessibility(p),
        Job::Search => reference::search(p),
        Job::Stored => pages::stored(p),
        Job::Print => Built::new("print.html", p.t("print_title"), json!({})),
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
            facts: Default::default(),
            source: None,
        })
        .map_err(|e| site.templates.diagnostic(&e, "sitemap.xml"))
}
