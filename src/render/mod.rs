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
pub use page::{INDEX_VERSION, PDF_SIZE, Shared, Site, render_sitemap};
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
    /// What the page holds (ids, links, search sections), read as it was rendered.
    pub facts: crate::inspect::PageFacts,
    /// The page as rendered, where `body` is minified and that text is still needed: the
    /// print page, when the site has a PDF, which is typeset from it.
    pub source: Option<String>,
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

/// What a build keeps of its pages for the next build in the same process (the preview's
/// worker): each page's template, context, and what was made of it. Rendering is a function
/// of the templates and the page's context alone (the theme registers no functions that read
/// anything else), and reading a page a function of its text, its path and the print page's
/// plan; so a page whose template, context, templates, plan and minifying are all as they
/// were is taken from here instead of being rendered and read again, and the output is the
/// same as a full build's, byte for byte (a test rebuilds after a series of edits and
/// compares). Every page's context is still made from the content on every build.
#[derive(Default)]
pub struct Memo {
    templates: Vec<(String, String)>,
    plan: Option<print::Plan>,
    minify: bool,
    pages: std::collections::HashMap<String, Kept>,
    /// Pages taken from here in the last build, and pages rendered.
    pub reused: usize,
    pub rendered: usize,
}

/// A page as the last build made it.
struct Kept {
    template: &'static str,
    context: tera::Context,
    output: Output,
    part: Option<print::Part>,
    /// For the print page, whose context holds markers for the parts: the parts.
    parts: Option<Vec<print::Part>>,
}

/// Renders every page of `site` with `tera`. Pages that fail are reported, not written.
///
/// Each page is read once as soon as it is rendered, in the same task (see [`read`]): its
/// facts for the link check and the search index, its part of the print page, and, with
/// `minify`, its minified text; so no page is parsed twice and no page's full text outlives
/// its task. Each part is read and minified with its page too, so the print page is made
/// from the parts' facts and minified text without parsing them again (see
/// [`print::assemble`]; where that cannot be, it is read and minified as any page); its text
/// as rendered, which the PDF is typeset from, is kept in [`Output::source`]. While the print
/// page is made, `beside` is given every other page (in no particular order), for work that
/// needs them all (the search index); its result is returned when every page rendered. With
/// a `memo`, pages whose inputs did not change since the last build are taken from it (see
/// [`Memo`]).
pub fn render_all<R: Send>(
    site: &Site,
    tera: &tera::Tera,
    minify: bool,
    mut memo: Option<&mut Memo>,
    beside: impl FnOnce(&mut [Output]) -> R + Send,
) -> (Vec<Output>, Vec<Diagnostic>, Option<R>) {
    let jobs = jobs(site.content);
    let order = order::Order::new(site.content);
    let plan = print::Plan::new(site.content, order.jobs());
    // The memo holds for this build only if everything but the pages' contexts is as it was.
    let templates = site.templates.sources();
    let old = memo
        .as_deref_mut()
        .map(std::mem::take)
        .filter(|m| m.templates == templates && m.plan.as_ref() == Some(&plan) && m.minify == minify);
    let kept = |prepared: &page::Prepared, parts: Option<&[print::Part]>| {
        let k = old.as_ref()?.pages.get(&prepared.path)?;
        (k.template == prepared.template && k.context == prepared.context && k.parts.as_deref() == parts).then_some(k)
    };
    let keeping = memo.is_some();
    // The parts' HTML is the print page's text, which a PDF is typeset from, a page that is
    // not minified shows, and a memo compares; without those, only a print page that must be
    // parsed whole needs it (see `print::assemble`), and gets it by rendering pages again.
    let keep_html = keeping || site.config.pdf || !minify;
    let html_again = |part: &mut print::Part| -> Result<(), Vec<Diagnostic>> {
        let job = &order.jobs()[part.number - 1];
        let rendering = rendering(job_path(site.content, job));
        let prepared = page::prepare(site, &order, job, &rendering, None)?;
        let output = unread(&prepared, page::render_prepared(site, tera, &prepared).map_err(|d| vec![d])?);
        let toc = |headings: &[toc::Heading]| page::render_toc(site, tera, prepared.template, headings);
        let (_, again) = read(output, Some(&plan), false, false, true, toc).map_err(|d| vec![d])?;
        part.html = again.map(|p| p.html).unwrap_or_default();
        part.html_dropped = false;
        Ok(())
    };
    // A page: the output, its part of the print page, what the memo keeps of it, and whether
    // it came from the memo.
    type Made = (Output, Option<print::Part>, Option<Kept>, bool);
    // `parts` for the print page, whose context has markers in their place (see
    // `print::assemble`).
    let make = |job: &Job,
                extra: Option<tera::Context>,
                plan: Option<&print::Plan>,
                mut parts: Option<Vec<print::Part>>,
                minify: bool| {
        let _rendering = rendering(job_path(site.content, job));
        let mut prepared = page::prepare(site, &order, job, &_rendering, extra)?;
        let known = kept(&prepared, parts.as_deref());
        let kept_parts = keeping.then(|| parts.clone()).flatten();
        let reused = known.is_some();
        let (mut output, part) = match known {
            Some(k) => (k.output.clone(), k.part.clone()),
            None => {
                let mut body = page::render_prepared(site, tera, &prepared).map_err(|d| vec![d])?;
                // The print page's text as rendered is kept where a PDF is typeset from it.
                let keep_source = *job == Job::Print && site.config.pdf;
                let mut assembled = None;
                if let Some(parts) = &mut parts {
                    match print::assemble(&body, parts, minify, keep_source) {
                        Some(a) => assembled = Some(a),
                        None => {
                            parts.par_iter_mut().filter(|p| p.html_dropped).try_for_each(html_again)?;
                            let mut context = prepared.context.clone();
                            context.insert("parts", &print::views(parts, false));
                            body = page::render_with(site, tera, prepared.template, &context).map_err(|d| vec![d])?;
                        }
                    }
                }
                // The context goes before the page is read, unless the memo keeps it.
                if !keeping {
                    prepared.context = tera::Context::new();
                }
                let output = unread(&prepared, body);
                match assembled {
                    Some(a) => (assembled_output(output, a, keep_source), None),
                    None => {
                        let toc = |headings: &[toc::Heading]| page::render_toc(site, tera, prepared.template, headings);
                        read(output, plan, minify, keep_source, keep_html, toc).map_err(|d| vec![d])?
                    }
                }
            }
        };
        if !keeping {
            put_in(&mut output.body, INDEX_VERSION, site.index_version);
        }
        let keep = keeping.then(|| Kept {
            template: prepared.template,
            context: prepared.context,
            output: output.clone(),
            part: part.clone(),
            parts: kept_parts,
        });
        output.anchors = prepared.anchors;
        Ok::<Made, Vec<Diagnostic>>((output, part, keep, reused))
    };
    // One page a task: left to itself, rayon hands each of two threads a run of pages
    // that the other cannot take from, and one thread idled for the last 3 ms. The pages
    // are counted before (no `filter`), so that their results go straight into one list:
    // gathered from a list per task, 5,000 pages peaked 15 MB higher.
    let pages: Vec<&Job> = jobs.iter().filter(|job| **job != Job::Print).collect();
    let results: Vec<Result<Made, Vec<Diagnostic>>> =
        pages.par_iter().with_max_len(1).map(|job| make(job, None, Some(&plan), None, minify)).collect();
    let mut outputs = Vec::new();
    let mut parts = Vec::new();
    let mut diagnostics = Vec::new();
    let mut pages = std::collections::HashMap::new();
    let mut reused = 0;
    let mut count = |o: &Output, keep: Option<Kept>, from_memo: bool| {
        reused += usize::from(from_memo);
        if let Some(k) = keep {
            pages.insert(o.path.clone(), k);
        }
    };
    for r in results {
        match r {
            Ok((o, part, keep, from_memo)) => {
                count(&o, keep, from_memo);
                outputs.push(o);
                parts.extend(part);
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    parts.sort_by_key(|p| p.number);
    crate::timings::stage("render pages");
    // The whole handbook on one page is made from the pages as rendered, while `beside`
    // works on the pages.
    let mut besides = None;
    if diagnostics.is_empty() {
        let mut extra = tera::Context::new();
        extra.insert("parts", &print::views(&parts, true));
        extra.insert("print_header", &print::css_string(&site.config.title));
        let (print, other) =
            rayon::join(|| make(&Job::Print, Some(extra), None, Some(parts), minify), || beside(&mut outputs));
        besides = Some(other);
        match print {
            Ok((o, _, keep, from_memo)) => {
                count(&o, keep, from_memo);
                outputs.push(o);
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    // The last build's pages are let go of beside the rest of this one.
    if let Some(old) = old {
        rayon::spawn(move || drop(old));
    }
    if let Some(memo) = memo {
        let total = pages.len();
        *memo = Memo { templates, plan: Some(plan), minify, pages, reused, rendered: total - reused };
    }
    crate::timings::stage("render print");
    // The sitemap lists what rendered.
    if diagnostics.is_empty() {
        match page::render_sitemap(site, tera, &outputs) {
            Ok(o) => outputs.push(o),
            Err(d) => diagnostics.push(d),
        }
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    dedup_diagnostics(&mut diagnostics);
    (outputs, diagnostics, besides)
}

/// The page `prepared` as rendered (`body`), not yet read.
fn unread(prepared: &page::Prepared, body: String) -> Output {
    Output {
        path: prepared.path.clone(),
        body,
        in_sitemap: prepared.in_sitemap,
        template: prepared.template.to_string(),
        anchors: Vec::new(),
        facts: Default::default(),
        source: None,
    }
}

/// Reads a rendered page (see [`crate::inspect`]): parses it, puts its contents list in place
/// (rendered by `toc` from the headings of that parse; see [`toc`]) in its text and the parse,
/// and makes its part of the print page (`plan`) from the same parse (keeping the part's HTML
/// where `keep_html`, see [`print::Plan::part`]); with `minify`, writes it
/// minified from that parse too (see [`crate::minify`]), keeping the text as rendered in
/// [`Output::source`] where `keep_source` (the print page, when a PDF is typeset from it). A
/// page nested too deeply is neither walked nor minified: the link check refuses it.
fn read(
    mut o: Output,
    plan: Option<&print::Plan>,
    minify: bool,
    keep_source: bool,
    keep_html: bool,
    toc: impl FnOnce(&[toc::Heading]) -> Result<String, Diagnostic>,
) -> Result<(Output, Option<print::Part>), Diagnostic> {
    if !o.path.ends_with(".html") {
        return Ok((o, None));
    }
    let mut doc = scraper::Html::parse_document(&o.body);
    o.body = toc::insert(std::mem::take(&mut o.body), &mut doc, toc)?;
    o.facts = crate::inspect::read_parsed(&o.path, &doc);
    let shallow = o.facts.depth <= crate::inspect::MAX_PAGE_DEPTH;
    let part = plan.filter(|_| shallow).and_then(|plan| plan.part(&o.path, &doc, minify, keep_html));
    if minify && shallow {
        let rendered = std::mem::take(&mut o.body);
        if keep_source {
            o.source = Some(rendered);
        } else {
            drop(rendered);
        }
        o.body = crate::minify::document(&doc);
        // Held until the site is written: without the room left for growth.
        o.body.shrink_to_fit();
    }
    Ok((o, part))
}

/// The print page as [`print::assemble`] made it, as [`read`] would have read the whole
/// page: its text, which lists no sections (`assemble` made sure), without the marker of
/// where they end (see [`toc::insert`]); minified where it could be, its text as rendered
/// kept where `keep_source`.
fn assembled_output(mut o: Output, a: print::Assembled, keep_source: bool) -> Output {
    let text = a.text.map(|t| t.replacen(toc::END, "", 1));
    o.facts = a.facts;
    match a.minified {
        Some(minified) => {
            o.body = minified;
            o.source = text.filter(|_| keep_source);
        }
        None => o.body = text.unwrap_or_default(),
    }
    o
}

/// Puts `value` in place of each `placeholder` in `text`, in place: a page is not copied
/// for it.
pub fn put_in(text: &mut String, placeholder: &str, value: &str) {
    let finder = memchr::memmem::Finder::new(placeholder);
    let mut from = 0;
    while let Some(at) = finder.find(&text.as_bytes()[from..]) {
        let at = from + at;
        text.replace_range(at..at + placeholder.len(), value);
        from = at + value.len();
    }
}

/// The same mistake in a shared text (a template, a Markdown field shown on two pages)
/// is reported once.
fn dedup_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = BTreeMap::new();
    diagnostics.retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.message.clone()), ()).is_none());
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}
