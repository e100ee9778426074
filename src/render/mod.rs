//! Rendering: one context per page kind, tera templates of the theme, HTML out.
//!
//! Every page is a [`Job`]; jobs are independent, so they render in parallel (rayon), and
//! the result is sorted by output path so two builds are byte-identical.

mod context;
mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;

pub use context::{Site, job_path, jobs};
pub use templates::{TemplateFiles, compile};

use crate::diagnostic::Diagnostic;

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

/// Renders every page of `site` with `tera`. Pages that fail are reported, not written.
pub fn render_all(site: &Site, tera: &tera::Tera) -> (Vec<Output>, Vec<Diagnostic>) {
    let jobs = context::jobs(site.content);
    let results: Vec<(Option<Output>, Vec<Diagnostic>)> =
        jobs.par_iter().map(|job| context::render_job(site, tera, job)).collect();
    let mut outputs = Vec::new();
    let mut diagnostics = Vec::new();
    for (o, d) in results {
        outputs.extend(o);
        diagnostics.extend(d);
    }
    // The sitemap lists what rendered.
    if diagnostics.is_empty() {
        match context::render_sitemap(site, tera, &outputs) {
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
