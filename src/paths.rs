//! The one place that decides every output path, fixed HTML id and derived anchor of the
//! handbook. Templates receive the ids from here (as `ids.*`); the Rust code asks here for
//! URLs; nothing else spells a path.
//!
//! URLs are paths relative to the output root, such as `faser/initiera.html`; pages
//! prefix them with their own relative root, so every link in the output is relative and
//! the handbook works under any sub-path and from disk.

use crate::content::kind::Kind;

/// The handbook's list pages, referred to as `@word`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListPage {
    Home,
    Phases,
    Areas,
    Documents,
    HeadingTemplates,
    Glossary,
    ReadingGuide,
    Faq,
    Accessibility,
    Search,
    Stored,
}

impl ListPage {
    pub const ALL: [ListPage; 11] = [
        ListPage::Home,
        ListPage::Phases,
        ListPage::Areas,
        ListPage::Documents,
        ListPage::HeadingTemplates,
        ListPage::Glossary,
        ListPage::ReadingGuide,
        ListPage::Faq,
        ListPage::Accessibility,
        ListPage::Search,
        ListPage::Stored,
    ];

    pub fn word(self) -> &'static str {
        match self {
            ListPage::Home => "home",
            ListPage::Phases => "phases",
            ListPage::Areas => "areas",
            ListPage::Documents => "documents",
            ListPage::HeadingTemplates => "templates",
            ListPage::Glossary => "glossary",
            ListPage::ReadingGuide => "reading-guide",
            ListPage::Faq => "faq",
            ListPage::Accessibility => "accessibility",
            ListPage::Search => "search",
            ListPage::Stored => "stored",
        }
    }

    /// The key of the section's name among the interface strings.
    pub fn title_key(self) -> &'static str {
        match self {
            ListPage::Home => "home",
            ListPage::Phases => "phases",
            ListPage::Areas => "areas",
            ListPage::Documents => "documents",
            ListPage::HeadingTemplates => "templates",
            ListPage::Glossary => "glossary",
            ListPage::ReadingGuide => "reading_guide",
            ListPage::Faq => "faq",
            ListPage::Accessibility => "accessibility",
            ListPage::Search => "search",
            ListPage::Stored => "stored_title",
        }
    }

    /// The output path of the section's page.
    pub fn url(self) -> &'static str {
        match self {
            ListPage::Home => "index.html",
            ListPage::Phases => "faser.html",
            ListPage::Areas => "samordningsomraden.html",
            ListPage::Documents => "dokument.html",
            ListPage::HeadingTemplates => "mallar.html",
            ListPage::Glossary => "begrepp.html",
            ListPage::ReadingGuide => "lasanvisningar.html",
            ListPage::Faq => "fragor-och-svar.html",
            ListPage::Accessibility => "tillganglighet.html",
            ListPage::Search => "sok.html",
            ListPage::Stored => "sparat.html",
        }
    }
}

/// Names a free page may not take, because the handbook's own pages and folders use them.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "index",
    "404",
    "sitemap",
    "faser",
    "milstolpar",
    "samordningsomraden",
    "dokument",
    "mallar",
    "begrepp",
    "lasanvisningar",
    "fragor-och-svar",
    "tillganglighet",
    "sok",
    "sparat",
    "utskrift",
    "hela-handboken",
    "tillagg",
    "css",
    "js",
    "img",
    "static",
];

/// The output path of an entity of `kind` with `id`.
pub fn url(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Phase => format!("faser/{id}.html"),
        Kind::Milestone => format!("milstolpar/{id}.html"),
        Kind::Area => format!("samordningsomraden/{id}.html"),
        Kind::Document => format!("dokument/{id}.html"),
        Kind::HeadingTemplate => format!("mallar/{id}.html"),
        Kind::Role | Kind::Concept => format!("begrepp.html#{id}"),
        Kind::Faq => format!("fragor-och-svar.html#{id}"),
        Kind::Page => format!("{id}.html"),
        Kind::Supplement => format!("tillagg/{id}.html"),
        // A checklist lives on the page of what it is attached to; the index knows where.
        Kind::Checklist => format!("#{id}"),
    }
}

/// The relative path from a page at `from` (an output path) to the output root:
/// "" for `index.html`, "../" for `faser/initiera.html`.
pub fn root_of(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// The page a server shows for an address that does not exist.
pub const NOT_FOUND: &str = "404.html";
/// The whole handbook on one page, to print.
pub const PRINT: &str = "hela-handboken.html";
/// The whole handbook as a PDF.
pub const PRINT_PDF: &str = "hela-handboken.pdf";
/// The list of every page for search engines.
pub const SITEMAP: &str = "sitemap.xml";
/// The search index, loaded as a script so that search works from disk.
pub const SEARCH_INDEX: &str = "search-index.js";
/// The script every page loads.
pub const SCRIPT: &str = "js/metodbok.js";
/// The script of pages with checklists.
pub const CHECKLIST_SCRIPT: &str = "js/checklists.js";
/// The search client, loaded by [`SCRIPT`] on first use.
/// The site's icon, from the theme or the site's `static/`.
pub const FAVICON: &str = "favicon.svg";
pub const SEARCH_SCRIPT: &str = "js/search.js";

/// The output path of the skeleton of heading template `template` in format `ext`.
pub fn skeleton(template: &str, ext: &str) -> String {
    format!("mallar/{template}.{ext}")
}

/// The output path of the zip of every skeleton of phase `phase`.
pub fn phase_skeletons(phase: &str) -> String {
    format!("faser/{}.zip", phase_skeletons_name(phase))
}

/// The name a phase's zip of skeletons is saved under, without its extension.
pub fn phase_skeletons_name(phase: &str) -> String {
    format!("{phase}-dokumentmallar")
}

/// The checklist id of a phase's activities: derived from the phase's stable id.
pub fn phase_checklist_id(phase: &str) -> String {
    format!("checklista-{phase}")
}

/// The checklist id of a milestone's decision: derived from the milestone's stable id.
pub fn milestone_checklist_id(milestone: &str) -> String {
    format!("checklista-{milestone}")
}

/// The item id of a document in a milestone's decision basis.
pub fn basis_item_id(document: &str) -> String {
    format!("underlag-{document}")
}

/// The HTML id of the heading of a checklist of its own (or a supplement's addition).
pub fn checklist_heading(checklist: &str) -> String {
    format!("{checklist}-title")
}

/// The HTML id of a checklist item: `<checklist id>--<item id>`, so ids of different
/// checklists on one page never collide.
pub fn item_anchor(checklist: &str, item: &str) -> String {
    format!("{checklist}--{item}")
}

/// The anchor of a heading template's numbered heading: `rubrik-3-1-1` for 3.1.1.
pub fn outline_anchor(number: &str) -> String {
    format!("rubrik-{}", number.replace('.', "-"))
}

/// The heading id of a supplement's additions on the page they are added to.
pub fn supplement_heading(supplement: &str) -> String {
    format!("tillagg-{supplement}")
}

/// The id of a letter of the search page's A–Ö register. Å, Ä and Ö are letters of their
/// own and need ids of their own.
pub fn register_letter(letter: &str) -> String {
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
    format!("register-{id}")
}

/// The fixed ids of the layout and of the sections of each page kind, by the name templates
/// use (`{{ ids.purpose }}`). The layout's ids (`mb-…`) are reserved on every page, so that
/// no heading written in Markdown takes one.
pub const IDS: &[(&str, &str)] = &[
    // The layout.
    ("main", "mb-main"),
    ("contents", "mb-innehall"),
    ("nav", "mb-nav"),
    ("header", "mb-header"),
    ("footer", "mb-footer"),
    ("title", "mb-title"),
    ("breadcrumbs", "mb-breadcrumbs"),
    ("toc", "mb-toc"),
    ("toc_title", "mb-toc-rubrik"),
    ("stepnav", "mb-steg"),
    ("stepnav_title", "mb-steg-rubrik"),
    ("initiatives", "mb-insatser"),
    // Sections of the pages.
    ("about_method", "om-metoden"),
    ("activities", "huvudaktiviteter"),
    ("additions", "tillaggen"),
    ("assessment", "metod"),
    ("by_phase", "per-fas"),
    ("clear", "ta-bort"),
    ("decided_by", "beslutas-av"),
    ("decision_basis", "underlag"),
    ("decision_covers", "beslutet-omfattar"),
    ("download", "ladda-ner"),
    ("edition", "utgavan"),
    ("enforcement", "tillsyn"),
    ("feedback", "kontakt"),
    ("in_phases", "i-faserna"),
    ("information", "information"),
    ("local", "lokalt"),
    ("matrix", "matris"),
    ("matrix_caption", "matris-caption"),
    ("milestone_after", "milstolpe"),
    ("move", "flytta"),
    ("other_checklists", "andra-checklistor"),
    ("outline", "rubriker"),
    ("pages", "sidor"),
    ("parts", "delar"),
    ("preparation", "beredning"),
    ("problems", "brister"),
    ("progress", "framsteg"),
    ("purpose", "syfte"),
    ("read_more", "las-mer"),
    ("register", "register"),
    ("synonyms", "sokhjalp"),
    ("related", "se-aven"),
    ("results", "resultat"),
    ("skeletons", "dokumentmallar"),
    ("start_here", "borja-har"),
    ("status", "status"),
    ("steps", "faser"),
    ("summary", "sammanfattning"),
    ("support", "stod"),
    ("what", "vad"),
    ("where", "var"),
];

/// The fixed id named `name` in [`IDS`].
pub fn id(name: &str) -> &'static str {
    IDS.iter().find(|(n, _)| *n == name).map(|(_, id)| *id).unwrap_or_else(|| panic!("no fixed id `{name}`"))
}

/// The layout's own ids, which every page reserves.
pub fn layout_ids() -> impl Iterator<Item = &'static str> {
    IDS.iter().map(|(_, id)| *id).filter(|id| id.starts_with("mb-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ids_are_unique_in_name_and_value() {
        let mut names: Vec<_> = IDS.iter().map(|(n, _)| n).collect();
        let mut ids: Vec<_> = IDS.iter().map(|(_, i)| i).collect();
        names.sort();
        names.dedup();
        ids.sort();
        ids.dedup();
        assert_eq!((names.len(), ids.len()), (IDS.len(), IDS.len()));
    }

    #[test]
    fn register_letters_have_ids_of_their_own() {
        assert_eq!(register_letter("A"), "register-a");
        assert_eq!(register_letter("Å"), "register-aa");
        assert_eq!(register_letter("Ä"), "register-ae");
        assert_eq!(register_letter("Ö"), "register-oe");
    }
}
