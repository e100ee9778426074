//! The layout's context, the same on every page: the site (name, branding, addresses of the
//! scripts and of the list pages), the main navigation, where a page's text comes from, and
//! downloads with their labels.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Job;
use super::page::{Link, PageBuilder, Site};
use crate::content::kind::Kind;
use crate::content::model::FileId;
use crate::markdown::{self, WrittenAt};
use crate::paths::{self, ListPage};

/// The site's part of every page's context: its name, branding, and the addresses of
/// what every page links to, relative to the page.
#[derive(Serialize)]
pub(super) struct SiteContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    lang: &'static str,
    organisation: Option<&'a crate::config::Organisation>,
    /// The organisation's name in the banner, unless the title already says it: the name
    /// appears once.
    organisation_label: Option<&'a str>,
    logo: Option<Logo<'a>>,
    /// The site's icon (`favicon.svg` of the theme or the site's `static/`).
    favicon: Option<String>,
    contact: Option<&'a crate::config::Contact>,
    footer_html: Option<String>,
    primary: Option<&'a str>,
    accent: Option<&'a str>,
    stylesheets: Vec<String>,
    method: Option<MethodFacts<'a>>,
    has_reading_guide: bool,
    has_faq: bool,
    accessibility_url: String,
    home_url: String,
    script: String,
    checklist_script: String,
    stored_url: String,
    search: SearchContext,
    /// The whole handbook on one page, and as a PDF when the site makes one.
    print_url: String,
    pdf: Option<PdfLink>,
}

#[derive(Serialize)]
struct PdfLink {
    url: String,
    /// Format and size: "PDF, 1,2 MB".
    label: String,
}

#[derive(Serialize)]
struct Logo<'a> {
    src: String,
    alt: &'a str,
}

/// What the footer says of the method's edition.
#[derive(Serialize)]
struct MethodFacts<'a> {
    name: &'a str,
    version: &'a str,
    date: Option<&'a str>,
    publisher: Option<&'a str>,
}

#[derive(Serialize)]
struct SearchContext {
    url: String,
    script: String,
    index: String,
}

pub(super) fn site_context<'a>(site: &Site<'a>, p: &mut PageBuilder<'_, 'a>) -> SiteContext<'a> {
    let cfg = site.config;
    let footer_html = cfg.footer.as_ref().map(|f| {
        let origin = WrittenAt {
            file: site.config_file,
            line: f.referenced.line() as usize,
            column: f.referenced.column() as usize,
            exact: false,
        };
        let r = markdown::render(&f.value, origin, p.target(), &mut BTreeSet::new());
        p.take(r)
    });
    let method = site.content.method.as_ref().map(|m| MethodFacts {
        name: &m.name,
        version: &m.version,
        date: m.date.as_deref(),
        publisher: m.publisher.as_deref(),
    });
    let organisation_label =
        cfg.organisation.as_ref().map(|o| o.name.as_str()).filter(|name| !cfg.title.contains(name));
    let said = |text: &str| {
        let text = text.trim();
        !text.is_empty() && (cfg.title.contains(text) || organisation_label.is_some_and(|o| o.contains(text)))
    };
    SiteContext {
        title: &cfg.title,
        description: cfg.description.as_deref(),
        lang: cfg.language.code(),
        organisation: cfg.organisation.as_ref(),
        organisation_label,
        // The logo shares its link with the title: where the text says what the logo says,
        // the logo is decorative, so a screen reader does not read the name twice.
        logo: site
            .logo
            .as_ref()
            .zip(cfg.logo.as_ref())
            .map(|(src, l)| Logo { src: p.url(src), alt: if said(&l.alt) { "" } else { &l.alt } }),
        favicon: site.files.contains(paths::FAVICON).then(|| p.url(paths::FAVICON)),
        contact: cfg.contact.as_ref(),
        footer_html,
        primary: cfg.colours.primary.as_ref().map(|c| c.value.as_str()),
        accent: cfg.colours.accent.as_ref().map(|c| c.value.as_str()),
        stylesheets: site.stylesheets.iter().map(|s| versioned(p, s)).collect(),
        method,
        has_reading_guide: site.content.reading_guide.is_some(),
        has_faq: !site.content.faq.is_empty(),
        accessibility_url: p.url(ListPage::Accessibility.url()),
        home_url: p.url(ListPage::Home.url()),
        script: versioned(p, paths::SCRIPT),
        checklist_script: versioned(p, paths::CHECKLIST_SCRIPT),
        stored_url: p.url(ListPage::Stored.url()),
        print_url: p.url(paths::PRINT),
        pdf: site.pdf_label.clone().map(|label| PdfLink { url: p.url(paths::PRINT_PDF), label }),
        search: SearchContext {
            url: p.url(ListPage::Search.url()),
            script: versioned(p, paths::SEARCH_SCRIPT),
            index: format!("{}?v={}", p.url(paths::SEARCH_INDEX), super::page::INDEX_VERSION),
        },
    }
}

/// The address of the stylesheet or script at `path` with its fingerprint, when it has one.
fn versioned(p: &PageBuilder, path: &str) -> String {
    match p.site.versions.get(path) {
        Some(v) => format!("{}?v={v}", p.url(path)),
        None => p.url(path),
    }
}

/// A generated download: the label states format and size ("Word (.docx), 9 kB"); `file`
/// is the name to save it under.
#[derive(Debug, Serialize)]
pub(super) struct Download {
    url: String,
    label: String,
    file: String,
}

/// The download of the generated file at `path`, saved as `name` with its extension.
pub(super) fn download(p: &PageBuilder, path: &str, name: &str) -> Option<Download> {
    let size = *p.site.downloads.get(path)?;
    let ext = path.rsplit('.').next().unwrap_or_default();
    Some(Download {
        url: p.url(path),
        label: format!("{}, {}", p.t(&format!("format_{ext}")), size_label(size, p.site.config.language)),
        file: format!("{name}.{ext}"),
    })
}

/// A file size as readers read it: "1,2 MB" in Swedish, "1.2 MB" in English.
pub fn size_label(bytes: usize, language: crate::config::Language) -> String {
    let text = if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} kB", ((bytes + 500) / 1000).max(1))
    };
    match language {
        crate::config::Language::Sv => text.replace('.', ","),
        crate::config::Language::En => text,
    }
}

/// An entry of the main navigation: `current` for the section the page is in, `page` when
/// the page is the section's own list page.
#[derive(Serialize)]
pub(super) struct NavItem {
    title: String,
    url: String,
    current: bool,
    page: bool,
}

/// The main navigation, with the current section marked.
pub(super) fn nav(site: &Site, p: &PageBuilder, job: &Job) -> Vec<NavItem> {
    let current = match job {
        Job::Phases | Job::Phase(_) | Job::Milestone(_) => Some(ListPage::Phases),
        Job::Areas | Job::Area(_) => Some(ListPage::Areas),
        Job::Documents | Job::Document(_) => Some(ListPage::Documents),
        Job::HeadingTemplates | Job::HeadingTemplate(_) => Some(ListPage::HeadingTemplates),
        Job::Glossary => Some(ListPage::Glossary),
        Job::ReadingGuide => Some(ListPage::ReadingGuide),
        Job::Faq => Some(ListPage::Faq),
        _ => None,
    };
    let exact = matches!(
        job,
        Job::Phases
            | Job::Areas
            | Job::Documents
            | Job::HeadingTemplates
            | Job::Glossary
            | Job::ReadingGuide
            | Job::Faq
    );
    let mut items =
        vec![ListPage::Phases, ListPage::Areas, ListPage::Documents, ListPage::HeadingTemplates, ListPage::Glossary];
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
            NavItem { title: p.t(key), url: p.url(s.url()), current: here, page: here && exact }
        })
        .collect()
}

/// Where a page's text comes from, when it is not the base's national text, and which of
/// its fields the site has changed.
#[derive(Serialize)]
pub(super) struct Mark {
    origin: Option<Origin>,
    changed: Option<Changed>,
}

/// The fields of a page the site has changed, by their names in the interface language.
#[derive(Serialize)]
struct Changed {
    by: String,
    fields: Vec<String>,
}

/// Where a text comes from when it is not the base's national text: a supplement (linked),
/// or the site's own content (the organisation's name). Only one is present.
#[derive(Debug, Serialize)]
pub(super) struct Origin {
    #[serde(skip_serializing_if = "Option::is_none")]
    supplement: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    local: Option<String>,
}

/// Where a page's text comes from, when it is not the base's national text: a supplement, or
/// the site's own content; and which fields the site has changed locally.
pub(super) fn mark(p: &PageBuilder, job: &Job) -> Option<Mark> {
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
        Job::HeadingTemplate(i) => {
            (Kind::HeadingTemplate, c.heading_templates[*i].id.value.clone(), c.heading_templates[*i].file, None)
        }
        _ => return None,
    };
    let origin = origin(p, supplement.as_deref(), file);
    let changed = c.changed.get(&(kind, id)).map(|fields| {
        let labels: Vec<String> = fields.iter().map(|f| p.t(&format!("field_{f}"))).collect();
        Changed { by: organisation(p), fields: labels }
    });
    (origin.is_some() || changed.is_some()).then_some(Mark { origin, changed })
}

/// Where a text written in `file` comes from when it is not the base's.
pub(super) fn origin(p: &PageBuilder, supplement: Option<&str>, file: FileId) -> Option<Origin> {
    match supplement {
        Some(s) => Some(Origin { supplement: Some(p.link(Kind::Supplement, s)), local: None }),
        None if p.site.content.is_local(file) => Some(Origin { supplement: None, local: Some(organisation(p)) }),
        None => None,
    }
}

/// Who publishes this copy, as local text is attributed: the organisation, or the title.
pub(super) fn organisation(p: &PageBuilder) -> String {
    p.site.config.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| p.site.config.title.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_in_the_language() {
        use crate::config::Language;
        assert_eq!(size_label(1_175_447, Language::Sv), "1,2 MB");
        assert_eq!(size_label(1_175_447, Language::En), "1.2 MB");
        assert_eq!(size_label(9_400, Language::Sv), "9 kB");
        assert_eq!(size_label(120, Language::Sv), "1 kB");
    }
}
