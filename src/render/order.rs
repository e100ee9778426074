//! The handbook's reading order, and where a page stands in it: previous and next for every
//! page in the order, and the step-by-step navigation of phases and milestones.
//!
//! The order follows the method's own: the start page, the method's chapters (pages with a
//! section number, and those ordered before the first of them, such as the summary), the
//! phases with the milestone after each, the coordination areas, roles and concepts,
//! the documents, the heading templates, the reading guide and the questions and answers;
//! then the rest of the method's pages (notes on the edition, in their `order`), and last
//! what the site adds: each supplement followed by its pages, then the site's own pages.
//! Search, the accessibility statement, the storage page and 404 are outside the order.

use std::collections::HashMap;

use serde::Serialize;

use super::Job;
use super::method::{Step, sequence, steps};
use super::page::{Link, PageBuilder};
use crate::content::Content;
use crate::content::kind::Kind;
use crate::paths::ListPage;

/// The reading order, and each page's place in it.
pub struct Order {
    jobs: Vec<Job>,
    place: HashMap<Job, usize>,
}

impl Order {
    pub(super) fn new(c: &Content) -> Self {
        let jobs = reading_order(c);
        let place = jobs.iter().enumerate().map(|(i, j)| (j.clone(), i)).collect();
        Order { jobs, place }
    }

    /// Every page in reading order.
    pub(super) fn jobs(&self) -> &[Job] {
        &self.jobs
    }
}

/// Every page in the order a reader reads the handbook from start to end.
fn reading_order(c: &Content) -> Vec<Job> {
    let base: Vec<usize> =
        (0..c.pages.len()).filter(|&i| c.pages[i].meta.supplement.is_none() && !c.is_local(c.pages[i].file)).collect();
    // The chapters run to the last page with a section number.
    let chapters_end = base.iter().rposition(|&i| c.pages[i].meta.section.is_some()).map_or(0, |k| k + 1);
    let mut order = vec![Job::Home];
    order.extend(base[..chapters_end].iter().map(|&i| Job::Page(i)));
    order.push(Job::Phases);
    order.extend(sequence(c).into_iter().map(|(kind, i)| match kind {
        Kind::Phase => Job::Phase(i),
        _ => Job::Milestone(i),
    }));
    order.push(Job::Areas);
    order.extend((0..c.areas.len()).map(Job::Area));
    order.push(Job::Glossary);
    order.push(Job::Documents);
    order.extend((0..c.documents.len()).map(Job::Document));
    order.push(Job::HeadingTemplates);
    order.extend((0..c.heading_templates.len()).map(Job::HeadingTemplate));
    if c.reading_guide.is_some() {
        order.push(Job::ReadingGuide);
    }
    if !c.faq.is_empty() {
        order.push(Job::Faq);
    }
    order.extend(base[chapters_end..].iter().map(|&i| Job::Page(i)));
    for (s, sup) in c.supplements.iter().enumerate() {
        order.push(Job::Supplement(s));
        order.extend(
            (0..c.pages.len())
                .filter(|&i| c.pages[i].meta.supplement.as_ref().is_some_and(|x| x.value == sup.id.value))
                .map(Job::Page),
        );
    }
    order.extend(
        (0..c.pages.len())
            .filter(|&i| c.pages[i].meta.supplement.is_none() && c.is_local(c.pages[i].file))
            .map(Job::Page),
    );
    order
}

/// The pages before and after a page in the reading order.
#[derive(Serialize)]
pub(super) struct Pager {
    prev: Option<Link>,
    next: Option<Link>,
}

/// Previous and next of `job`, if it is in the reading order.
pub(super) fn pager(p: &PageBuilder, order: &Order, job: &Job) -> Option<Pager> {
    let pos = *order.place.get(job)?;
    let prev = pos.checked_sub(1).map(|i| job_link(p, &order.jobs[i]));
    let next = order.jobs.get(pos + 1).map(|j| job_link(p, j));
    Some(Pager { prev, next })
}

/// A link to the page of `job`, by the title readers know it by.
fn job_link(p: &PageBuilder, job: &Job) -> Link {
    let c = p.site.content;
    match job {
        Job::Home => p.section(ListPage::Home),
        Job::Phases => p.section(ListPage::Phases),
        Job::Areas => p.section(ListPage::Areas),
        Job::Documents => p.section(ListPage::Documents),
        Job::HeadingTemplates => p.section(ListPage::HeadingTemplates),
        Job::Glossary => p.section(ListPage::Glossary),
        Job::ReadingGuide => p.section(ListPage::ReadingGuide),
        Job::Faq => p.section(ListPage::Faq),
        Job::Phase(i) => p.link(Kind::Phase, &c.phases[*i].id.value),
        Job::Milestone(i) => p.link(Kind::Milestone, &c.milestones[*i].id.value),
        Job::Area(i) => p.link(Kind::Area, &c.areas[*i].id.value),
        Job::Document(i) => p.link(Kind::Document, &c.documents[*i].id.value),
        Job::HeadingTemplate(i) => p.link(Kind::HeadingTemplate, &c.heading_templates[*i].id.value),
        Job::Page(i) => p.link(Kind::Page, &c.pages[*i].meta.id.value),
        Job::Supplement(i) => p.link(Kind::Supplement, &c.supplements[*i].id.value),
        Job::Accessibility => p.section(ListPage::Accessibility),
        Job::Search => p.section(ListPage::Search),
        Job::Stored => p.section(ListPage::Stored),
        Job::NotFound | Job::Print => p.section(ListPage::Home),
    }
}

/// The whole sequence of phases and milestones, with the page's own step marked.
#[derive(Serialize)]
pub(super) struct StepNav {
    steps: Vec<Step>,
    /// The current step's position, 1-based, and the number of steps.
    position: usize,
    total: usize,
    /// "Steg 3 av 16 i metoden".
    label: String,
}

/// The step navigation for the page of phase or milestone `me`: the steps the phases page
/// lists, without their summaries.
pub(super) fn step_nav(p: &mut PageBuilder, me: (Kind, usize)) -> StepNav {
    let position = sequence(p.site.content).iter().position(|s| *s == me).map_or(0, |i| i + 1);
    let steps = steps(p, false, false);
    let total = steps.len();
    let label = p.t("stepnav_position").replace("{n}", &position.to_string()).replace("{total}", &total.to_string());
    StepNav { total, steps, position, label }
}
