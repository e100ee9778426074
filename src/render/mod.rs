//! Rendering: one context per page kind, tera templates of the theme, HTML out.
//!
//! Every page is a [`Job`]; jobs are independent, so they render in parallel (rayon), and
//! the result is sorted by output path so two builds are byte-identical.

mod checklists;
mod layout;
mod method;
mod order;
mod page;
mod pages;
mod print;
mod reference;
mod templates;
mod toc;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

pub use layout::size_label;
pub use page::{PDF_SIZE, Site, render_sitemap};
pub use templates::{TemplateFiles, compile};

use crate::content::Content;
use crate::content::kind::Kind;
use crate::diagnostic::Diagnostic;
use crate::paths::{self, ListPage};

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    Phases,
    Phase(usize),
    Milestone(usize),
    Areas,
    Area(usize),
    Documents,
    Document(usize),
    HeadingTemplates,
    HeadingTemplate(usize),
    Glossary,
    ReadingGuide,
    Faq,
    Page(usize),
    Supplement(usize),
    Accessibility,
    Search,
    Stored,
    NotFound,
    /// The whole handbook on one page, made from the other pages once they are rendered.
    Print,
}

/// Every page of the site.
pub fn jobs(c: &Content) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Phases, Job::Areas, Job::Documents, Job::HeadingTemplates, Job::Glossary];
    jobs.extend((0..c.phases.len()).map(Job::Phase));
    jobs.extend((0..c.milestones.len()).map(Job::Milestone));
    jobs.extend((0..c.areas.len()).map(Job::Area));
    jobs.extend((0..c.documents.len()).map(Job::Document));
    jobs.extend((0..c.heading_templates.len()).map(Job::HeadingTemplate));
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
    jobs.push(Job::Print);
    jobs
}

/// The output path of `job`'s page: the one place that decides it.
pub fn job_path(c: &Content, job: &Job) -> String {
    match job {
        Job::Home => ListPage::Home.url().to_string(),
        Job::Phases => ListPage::Phases.url().to_string(),
        Job::Phase(i) => paths::url(Kind::Phase, &c.phases[*i].id.value),
        Job::Milestone(i) => paths::url(Kind::Milestone, &c.milestones[*i].id.value),
        Job::Areas => ListPage::Areas.url().to_string(),
        Job::Area(i) => paths::url(Kind::Area, &c.areas[*i].id.value),
        Job::Documents => ListPage::Documents.url().to_string(),
        Job::Document(i) => paths::url(Kind::Document, &c.documents[*i].id.value),
        Job::HeadingTemplates => ListPage::HeadingTemplates.url().to_string(),
        Job::HeadingTemplate(i) => paths::url(Kind::HeadingTemplate, &c.heading_templates[*i].id.value),
        Job::Glossary => ListPage::Glossary.url().to_string(),
        Job::ReadingGuide => ListPage::ReadingGuide.url().to_string(),
        Job::Faq => ListPage::Faq.url().to_string(),
        Job::Page(i) => paths::url(Kind::Page, &c.pages[*i].meta.id.value),
        Job::Supplement(i) => paths::url(Kind::Supplement, &c.supplements[*i].id.value),
        Job::Accessibility => ListPage::Accessibility.url().to_string(),
        Job::Search => ListPage::Search.url().to_string(),
        Job::Stored => ListPage::Stored.url().to_string(),
        Job::NotFound => paths::NOT_FOUND.to_string(),
        Job::Print => paths::PRINT.to_string(),
    }
}

/// A rendered output file.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output root, e.g. `faser/initiera.html`.
    pub path: String,
    pub body: String,
    /// Listed in `sitemap.xml`.
    pub in_sitemap: bool,
    /// The template it was rendered with, e.g. `phase.html`.
    pub template: String,
    /// Links to anchors that its Markdown wrote, to check once every page is rendered.
    pub anchors: Vec<crate::markdown::AnchorLink>,
}

/// A page being rendered, for the time limit: its output path, the template (as the author
/// names its file, once known), and when it started.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub page: String,
    pub template: Option<std::path::PathBuf>,
    pub started: Instant,
}

/// The pages being rendered now, in this process.
static IN_FLIGHT: Mutex<BTreeMap<u64, InFlight>> = Mutex::new(BTreeMap::new());
static NEXT_JOB: AtomicU64 = AtomicU64::new(0);

/// The page that has been rendering longest, if any: a template that loops for ever never
/// returns, so the command watching the build ([`crate::limits`]) names it and stops.
pub fn longest_in_flight() -> Option<InFlight> {
    let jobs = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    jobs.values().min_by_key(|j| j.started).cloned()
}

/// Records a page as being rendered until the returned guard is dropped.
pub(crate) fn rendering(page: String) -> RenderingGuard {
    let id = NEXT_JOB.fetch_add(1, Ordering::Relaxed);
    let job = InFlight { page, template: None, started: Instant::now() };
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()).insert(id, job);
    RenderingGuard(id)
}

/// Ends a page's record in [`longest_in_flight`] when dropped.
pub(crate) struct RenderingGuard(u64);

impl RenderingGuard {
    /// The page's template is now known.
    pub(crate) fn template(&self, path: std::path::PathBuf) {
        if let Some(j) = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&self.0) {
            j.template = Some(path);
        }
    }
}

impl Drop for RenderingGuard {
    fn drop(&mut self) {
        IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.0);
    }
}

/// Renders every page of `site` with `tera`. Pages that fail are reported, not written.
pub fn render_all(site: &Site, tera: &tera::Tera) -> (Vec<Output>, Vec<Diagnostic>) {
    let jobs = jobs(site.content);
    let order = order::Order::new(site.content);
    let results: Vec<(Option<Output>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .filter(|job| **job != Job::Print)
        .map(|job| {
            let _rendering = rendering(job_path(site.content, job));
            page::render_job(site, tera, &order, job, &_rendering, None)
        })
        .collect();
    let mut outputs = Vec::new();
    let mut diagnostics = Vec::new();
    for (o, d) in results {
        outputs.extend(o);
        diagnostics.extend(d);
    }
    // The whole handbook on one page is made from the pages as rendered.
    if diagnostics.is_empty() {
        let parts = print::parts(site.content, order.jobs(), &outputs);
        let _rendering = rendering(paths::PRINT.to_string());
        let extra = serde_json::json!({ "parts": parts, "print_header": print::css_string(&site.config.title) });
        let (o, d) = page::render_job(site, tera, &order, &Job::Print, &_rendering, Some(extra));
        outputs.extend(o);
        diagnostics.extend(d);
    }
    // The sitemap lists what rendered.
    if diagnostics.is_empty() {
        match page::render_sitemap(site, tera, &outputs) {
            Ok(o) => outputs.push(o),
            Err(d) => diagnostics.push(d),
        }
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    dedup_diagnostics(&mut diagnostics);
    (outputs, diagnostics)
}

/// The same mistake in a shared text (a template, a Markdown field shown on two pages)
/// is reported once.
fn dedup_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = BTreeMap::new();
    diagnostics.retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.message.clone()), ()).is_none());
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}
