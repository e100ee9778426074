//! The whole handbook as a PDF, typeset by `metodbok` itself with the typst crates used
//! as a library: no browser or office suite is needed where the handbook is built.
//!
//! The PDF is typeset from the print page ([`crate::paths::PRINT`]), which holds every page
//! of the handbook in reading order with its links pointing inside it: the HTML is read with
//! html5ever and each element becomes the Typst element of the same meaning (headings,
//! paragraphs, lists, tables, quotes, links), so the PDF and the print page cannot differ in
//! what they say, and the PDF is tagged with that structure (PDF/UA-1, checked by typst when
//! it writes the file). Text is passed to Typst only as string literals, so nothing an
//! author writes is read as Typst markup.
//!
//! The bytes depend only on the print page: fonts are the ones typst-assets embeds in the
//! program, there is no creation date, and the document's identifier is its title.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node, Selector};
use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The whole handbook's PDF for `print_page`, from the cache when this program has typeset
/// the same print page before (see [`cache_dir`]); otherwise typeset, and kept there.
/// The bytes are the same either way: a PDF depends only on its print page and this program.
pub fn typeset_cached(print_page: &str) -> Result<Vec<u8>, String> {
    match lookup(print_page) {
        Lookup::Found(bytes) => Ok(bytes),
        Lookup::Missing(place) => typeset_into(print_page, place),
    }
}

/// What the cache holds for a print page.
pub enum Lookup {
    /// The PDF, typeset before.
    Found(Vec<u8>),
    /// Not there: where it would be kept (the cache's folder and file), if there is a cache.
    Missing(Option<(std::path::PathBuf, std::path::PathBuf)>),
}

/// Looks `print_page`'s PDF up in the cache, without typesetting it: a build does this beside
/// its link check, and typesets only once the pages pass it.
pub fn lookup(print_page: &str) -> Lookup {
    let Some(dir) = cache_dir() else { return Lookup::Missing(None) };
    let key = crate::output::fingerprint([
        env!("CARGO_PKG_VERSION").as_bytes(),
        TYPESETTER.as_bytes(),
        print_page.len().to_string().as_bytes(),
        print_page.as_bytes(),
    ]);
    let file = dir.join(format!("hela-handboken-{key}-{}.pdf", print_page.len()));
    // A file cut short (a full disk, a killed process) is not a PDF: it is typeset anew.
    if let Ok(bytes) = std::fs::read(&file)
        && bytes.starts_with(b"%PDF-")
        && bytes.trim_ascii_end().ends_with(b"%%EOF")
    {
        return Lookup::Found(bytes);
    }
    Lookup::Missing(Some((dir, file)))
}

/// Typesets `print_page` and keeps the PDF at `place` (see [`Lookup::Missing`]).
pub fn typeset_into(
    print_page: &str,
    place: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Result<Vec<u8>, String> {
    let bytes = typeset(print_page)?;
    // The cache is only a saving: a folder that cannot be written costs the next build time.
    if let Some((dir, file)) = place {
        let _ = store(&dir, &file, &bytes);
    }
    Ok(bytes)
}

/// What typesets the PDF, for the cache key: the typst crates' version.
const TYPESETTER: &str = "typst 0.15.1";

/// How many PDFs the cache keeps (the newest): a few sites or editions side by side.
const CACHE_KEEPS: usize = 8;

/// Where typeset PDFs are kept between builds: `$METODBOK_CACHE` (`off` turns the cache
/// off), else `$XDG_CACHE_HOME/metodbok`, else `$HOME/.cache/metodbok`.
pub fn cache_dir() -> Option<std::path::PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    match var("METODBOK_CACHE") {
        Some(dir) if dir.as_os_str() == "off" => None,
        Some(dir) => Some(dir),
        None => {
            var("XDG_CACHE_HOME").map(|d| d.join("metodbok")).or_else(|| var("HOME").map(|h| h.join(".cache/metodbok")))
        }
    }
}

/// Keeps `bytes` as `file` in `dir` (written beside it and renamed, so no reader sees half a
/// file), and lets go of all but the newest [`CACHE_KEEPS`] PDFs.
fn store(dir: &std::path::Path, file: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = file.with_extension(format!("pdf.{}.part", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, file)?;
    let mut kept: Vec<(std::time::SystemTime, std::path::PathBuf)> = std::fs::read_dir(dir)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("hela-handboken-"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    kept.sort_by_key(|k| std::cmp::Reverse(k.0));
    for (_, old) in kept.into_iter().skip(CACHE_KEEPS) {
        let _ = std::fs::remove_file(old);
    }
    Ok(())
}

/// Typesets the print page's HTML as a tagged PDF.
pub fn typeset(print_page: &str) -> Result<Vec<u8>, String> {
    let markup = markup(print_page);
    let world = HandbookWorld::new(markup);
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|e| describe(&world, &e))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        ident: Smart::Custom("metodbok/hela-handboken".into()),
        creator: Smart::Custom(Some("metodbok".into())),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(&document, &options).map_err(|e| describe(&world, &e))
}

/// The handbook's PDF could not be made: what typst said, which is a fault of metodbok, not
/// of the site, since every text reaches typst as a string.
fn describe(world: &HandbookWorld, errors: &[SourceDiagnostic]) -> String {
    let mut text = String::from("the whole handbook's PDF could not be typeset:");
    for e in errors.iter().take(5) {
        let at = world.range(e.span).map(|r| {
            let start = r.start.saturating_sub(60);
            let end = (r.end + 60).min(world.source.text().len());
            let start = (0..=start).rev().find(|&i| world.source.text().is_char_boundary(i)).unwrap_or(0);
            let end =
                (end..=world.source.text().len()).find(|&i| world.source.text().is_char_boundary(i)).unwrap_or(end);
            world.source.text()[start..end].to_string()
        });
        let _ = write!(text, " {}", e.message);
        if let Some(at) = at {
            let _ = write!(text, " (near `{at}`)");
        }
        text.push(';');
    }
    text.push_str(" please report this as a bug in metodbok; `pdf: false` in metodbok.yaml builds without the PDF");
    text
}

/// The one Typst source, with the fonts built into the program.
struct HandbookWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    source: Source,
}

/// The fonts built into the program (typst-assets: Libertinus Serif, New Computer Modern,
/// DejaVu Sans Mono), read once.
static FONTS: LazyLock<Vec<Font>> =
    LazyLock::new(|| typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect());

/// Whether a font of the program has a glyph for `c`.
fn has_glyph(c: char) -> bool {
    FONTS.iter().any(|f| f.info().coverage.contains(c as u32))
}

impl HandbookWorld {
    fn new(text: String) -> Self {
        let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new("/hela-handboken.typ").expect("a valid path"))
            .intern();
        HandbookWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(FONTS.iter())),
            fonts: FONTS.clone(),
            source: Source::new(id, text),
        }
    }
}

impl World for HandbookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// `text` as a Typst string literal, on one line.
fn lit(text: &str) -> String {
    literal(text, false)
}

/// Code as a Typst string literal, its line breaks kept.
fn lit_raw(text: &str) -> String {
    literal(text, true)
}

fn literal(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' if keep_lines => out.push_str("\\n"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the program's fonts can show of `text`: a character none of them has (an emoji, a
/// script other than Latin, Greek or Cyrillic) is shown as U+FFFD, since a tagged PDF may
/// not hold a character it cannot show; invisible format characters go.
fn printable(text: &str, known: &mut BTreeMap<char, bool>) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}'))
        .map(|c| {
            if c.is_ascii() || c.is_whitespace() || *known.entry(c).or_insert_with(|| has_glyph(c)) {
                c
            } else if has_glyph('\u{fffd}') {
                '\u{fffd}'
            } else {
                '?'
            }
        })
        .collect()
}

/// A page's id as a Typst label: the characters a label may hold, the rest as their code.
fn label(id: &str) -> String {
    let mut out = String::from("<");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, ".{:x}.", c as u32);
        }
    }
    out.push('>');
    out
}

/// Classes of boxed text: what is not the method's own (supplements, a site's own text,
/// editorial notes) and notices, marked as on the web pages.
const BOXED: &[&str] = &["mb-mark", "mb-derived", "mb-notice", "mb-supplement", "mb-supplements-notice"];
/// Text in italics, as on the web pages (the editors' descriptions).
const ITALIC: &[&str] = &["mb-editorial-text"];
/// What the PDF leaves out: the print page's own contents list (the PDF has its own, with
/// page numbers), what only says how to print, the narrow copy of the matrix.
/// The downloads too: their links lead to files beside the print page, which a PDF
/// cannot open.
const LEFT_OUT: &[&str] =
    &["mb-print-site", "mb-print-intro", "mb-print-toc", "mb-matrix-narrow", "mb-print-cover", "mb-downloads"];

/// Lists shown without markers on the web pages (`list-style: none`): a heading template's
/// numbered headings, the steps of the method, lists of entries with their titles.
const UNMARKED: &[&str] = &[
    "mb-outline",
    "mb-steps",
    "mb-entity-list",
    "mb-summary-list",
    "mb-register__list",
    "mb-inline-list",
    "mb-cards",
    "mb-downloads__list",
];

/// Kinds of parts that start on a new page (`mb-part--…`).
const NEW_PAGE: &[&str] = &["home", "list", "phase", "page", "supplement"];

/// The facts of the title page, read from the print page's cover.
struct Cover {
    lang: String,
    caption: String,
    title: String,
    edition: Option<String>,
    organisation: Option<String>,
    /// Who publishes it: the organisation of a copy, or the method's publisher.
    publisher: Option<String>,
    brand: String,
}

/// The Typst source of the print page.
fn markup(print_page: &str) -> String {
    let doc = Html::parse_document(print_page);
    let sel = |s: &str| Selector::parse(s).expect("a valid selector");
    let text_at = |s: &str| doc.select(&sel(s)).next().map(|e| collapse(&e.text().collect::<String>()));
    let lang = doc.root_element().attr("lang").unwrap_or("sv").to_string();
    let cover = Cover {
        caption: text_at(".mb-print-cover .mb-caption").unwrap_or_default(),
        title: text_at(".mb-print-cover h1").unwrap_or_default(),
        edition: text_at(".mb-print-edition"),
        organisation: text_at(".mb-print-organisation"),
        publisher: doc.select(&sel(".mb-print-cover")).next().and_then(|e| e.attr("data-publisher")).map(String::from),
        brand: doc
            .select(&sel(".mb-print-cover"))
            .next()
            .and_then(|e| e.attr("data-brand"))
            .filter(|c| is_hex_colour(c))
            .unwrap_or("#1d4e89")
            .to_string(),
        lang,
    };
    // Only ids that a link points to become labels (besides headings'), and only links to
    // what the PDF shows stay links.
    let left_out = |e: &ElementRef| {
        std::iter::once(*e).chain(e.ancestors().filter_map(ElementRef::wrap)).any(|a| {
            a.value().classes().any(|c| LEFT_OUT.contains(&c)) || a.value().attr("aria-hidden") == Some("true")
        })
    };
    let shown: BTreeSet<&str> =
        doc.select(&sel("main .mb-content [id]")).filter(|e| !left_out(e)).filter_map(|e| e.attr("id")).collect();
    let targets: BTreeSet<String> = doc
        .select(&sel("main .mb-content a[href^='#']"))
        .filter_map(|a| a.attr("href"))
        .map(|h| &h[1..])
        .filter(|id| shown.contains(id))
        .map(String::from)
        .collect();
    let mut w = Writer {
        out: String::new(),
        targets,
        labelled: BTreeSet::new(),
        in_header: false,
        level: 0,
        known: BTreeMap::new(),
    };
    w.preamble(&cover);
    if let Some(content) = doc.select(&sel("main .mb-content")).next() {
        w.children(content);
    }
    w.out
}

fn is_hex_colour(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Writer {
    out: String,
    /// Ids that links point to.
    targets: BTreeSet<String>,
    /// Labels already written: a label names one element.
    labelled: BTreeSet<String>,
    /// The level of the last heading written.
    level: usize,
    /// Characters the fonts have (`true`) or lack.
    known: BTreeMap<char, bool>,
    /// Inside a table's header, which typst repeats on every page the table runs to: a
    /// repeated header is an artifact, and PDF/UA-1 allows no link in one.
    in_header: bool,
}

impl Writer {
    /// `text` as a Typst string literal of what the fonts can show.
    fn lit(&mut self, text: &str) -> String {
        lit(&printable(text, &mut self.known))
    }

    fn preamble(&mut self, c: &Cover) {
        let region = if c.lang == "sv" { ", region: \"se\"" } else { "" };
        // What the cover says, as literals of what the fonts can show.
        let title = self.lit(&c.title);
        let author = self.lit(c.publisher.as_deref().unwrap_or(&c.title));
        let caption = self.lit(&c.caption);
        let lines: Vec<String> = [&c.edition, &c.organisation].into_iter().flatten().map(|l| self.lit(l)).collect();
        let _ = write!(
            self.out,
            r#"#set document(title: {title}, author: {author})
#set text(lang: {lang}{region}, font: "Libertinus Serif", size: 10.5pt)
#set par(leading: 0.6em, spacing: 0.9em)
#let brand = rgb({brand})
#show heading: set text(fill: brand)
#show heading: set block(above: 1.3em, below: 0.6em, sticky: true)
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 2): set text(size: 13.5pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show heading.where(level: 4): set text(size: 10.5pt)
#show heading.where(level: 5): set text(size: 10.5pt, style: "italic")
#show link: set text(fill: brand)
#set table(stroke: 0.5pt + luma(140), inset: 4pt)
#set quote(block: true)
#set page(paper: "a4", margin: (x: 22mm, top: 24mm, bottom: 22mm))
#let boxed(body) = block(width: 100%, stroke: (left: 2pt + brand), inset: (left: 8pt, y: 3pt), body)
// An empty box as a character, so that a screen reader says it (a drawn box is an artifact).
#let checkbox = text(font: "DejaVu Sans Mono", "☐")

#align(center + horizon)[
  #text(size: 13pt, {caption})
  #v(0.6em)
  #title()
  #v(1.2em)
"#,
            lang = lit(&c.lang),
            brand = lit(&c.brand),
        );
        for line in lines {
            let _ = writeln!(self.out, "  #text(size: 11pt, {line})\n");
        }
        let _ = write!(
            self.out,
            r#"]

#set page(
  header: context {{
    set text(size: 8pt, fill: luma(80))
    {title}
    h(1fr)
    // The part that starts on this page, else the one this page continues.
    let next = query(heading.where(level: 1, outlined: true).after(here()))
    if next.len() > 0 and next.first().location().page() == here().page() {{
      next.first().body
    }} else {{
      let before = query(heading.where(level: 1, outlined: true).before(here()))
      if before.len() > 0 {{ before.last().body }}
    }}
  }},
  footer: context align(center, text(size: 8pt)[#counter(page).display() (#counter(page).final().first())]),
)
#counter(page).update(1)
#outline(title: {contents}, depth: 1)
"#,
            contents = lit(if c.lang == "sv" { "Innehåll" } else { "Contents" }),
        );
    }

    /// The element's children: text with the white space between words and elements kept
    /// as one space, inline elements in the text's paragraph, blocks as blocks.
    fn children(&mut self, el: ElementRef) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    let words = collapse(t);
                    if t.starts_with(char::is_whitespace) || words.is_empty() && !t.is_empty() {
                        self.out.push(' ');
                    }
                    if !words.is_empty() {
                        self.text(&words);
                        if t.ends_with(char::is_whitespace) {
                            self.out.push(' ');
                        }
                    }
                }
                _ => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e);
                    }
                }
            }
        }
    }

    /// The children in a content block: `[...]`.
    fn content(&mut self, el: ElementRef) {
        self.out.push('[');
        self.children(el);
        self.out.push(']');
    }

    fn text(&mut self, text: &str) {
        self.out.push('#');
        let l = self.lit(text);
        self.out.push_str(&l);
        self.out.push(';');
    }

    /// A label for the element's id, when a link points to it.
    fn anchor(&mut self, el: ElementRef, always: bool) -> Option<String> {
        let id = el.attr("id")?;
        if (always || self.targets.contains(id)) && self.labelled.insert(id.to_string()) {
            Some(label(id))
        } else {
            None
        }
    }

    fn element(&mut self, el: ElementRef) {
        let v = el.value();
        if v.classes().any(|c| LEFT_OUT.contains(&c)) || v.attr("aria-hidden") == Some("true") {
            return;
        }
        let name = v.name();
        match name {
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = collapse(&el.text().collect::<String>());
                if text.is_empty() {
                    // PDF/UA has no empty headings; an empty one says nothing on the page either.
                    return;
                }
                // A part's title is level 1; below it no level is skipped (PDF/UA forbids it,
                // and a page's Markdown may go from `##` to `####`).
                let level = (name[1..].parse::<usize>().unwrap_or(6) - 1).min(self.level + 1);
                self.level = level;
                let outlined = if level == 1 { "true" } else { "false" };
                let _ = write!(self.out, "\n#heading(level: {level}, outlined: {outlined}, bookmarked: true)[");
                self.text(&text);
                self.out.push(']');
                if let Some(l) = self.anchor(el, true) {
                    self.out.push(' ');
                    self.out.push_str(&l);
                }
                self.out.push('\n');
            }
            "p" => {
                self.out.push_str("\n\n");
                self.mark_target(el);
                if v.classes().any(|c| BOXED.contains(&c)) {
                    self.out.push_str("#boxed");
                    self.content(el);
                } else if v.classes().any(|c| c == "mb-caption") {
                    // A page's caption ("Fas 4") stays with its title.
                    self.out.push_str("#block(sticky: true)");
                    self.content(el);
                } else {
                    self.children(el);
                }
                self.out.push_str("\n\n");
            }
            "ul" | "ol" => self.list(el),
            "dl" => self.terms(el),
            "table" => self.table(el),
            "blockquote" => {
                self.mark_target(el);
                self.out.push_str("\n#quote");
                self.content(el);
                self.out.push('\n');
            }
            "pre" => {
                self.mark_target(el);
                let _ = write!(
                    self.out,
                    "\n#raw(block: true, {})\n",
                    lit_raw(&printable(&el.text().collect::<String>(), &mut self.known))
                );
            }
            "hr" => self.out.push_str("\n#line(length: 100%, stroke: 0.5pt)\n"),
            "img" => {
                if let Some(alt) = v.attr("alt").filter(|a| !a.is_empty()) {
                    self.text(alt);
                }
            }
            "br" => self.out.push_str("#linebreak()"),
            _ if is_inline(name) => self.inline(el),
            _ => {
                // As on the printed print page, a phase, a chapter, a list page and a
                // supplement start on a new page.
                if v.classes().filter_map(|c| c.strip_prefix("mb-part--")).any(|k| NEW_PAGE.contains(&k)) {
                    self.out.push_str("\n#pagebreak(weak: true)\n");
                }
                self.mark_target(el);
                if v.classes().any(|c| BOXED.contains(&c)) {
                    self.out.push_str("\n#boxed");
                    self.content(el);
                    self.out.push('\n');
                } else {
                    self.out.push('\n');
                    self.children(el);
                    self.out.push('\n');
                }
            }
        }
    }

    /// An element that a link points to, without a heading of its own: an empty, located
    /// element that carries the label.
    fn mark_target(&mut self, el: ElementRef) {
        if let Some(l) = self.anchor(el, false) {
            let _ = write!(self.out, "#metadata(none) {l}");
        }
    }

    fn inline(&mut self, el: ElementRef) {
        let v = el.value();
        let name = v.name();
        self.mark_target(el);
        match name {
            "strong" | "b" => self.out.push_str("#strong"),
            "em" | "i" => self.out.push_str("#emph"),
            "sup" => self.out.push_str("#super"),
            "sub" => self.out.push_str("#sub"),
            "code" => {
                let code = self.lit(&el.text().collect::<String>());
                let _ = write!(self.out, "#raw({code})");
                return;
            }
            "a" if self.in_header => {
                self.children(el);
                return;
            }
            "a" => {
                let href = v.attr("href").unwrap_or_default();
                if let Some(id) = href.strip_prefix('#') {
                    if !self.targets.contains(id) {
                        self.children(el);
                        return;
                    }
                    let _ = write!(self.out, "#link({})", label(id));
                } else if !(href.contains("://") || href.starts_with("mailto:")) {
                    // A file beside the print page (a download) has no address a PDF can
                    // open: its text stays.
                    self.children(el);
                    return;
                } else {
                    // A PDF link's address is ASCII.
                    let address = percent_encoding::utf8_percent_encode(href, percent_encoding::CONTROLS).to_string();
                    let _ = write!(self.out, "#link({})", lit(&address));
                    self.out.push('[');
                    self.children(el);
                    self.out.push(']');
                    // On paper a link shows where it goes, as the print page does.
                    let shown = href.trim_start_matches("mailto:");
                    if collapse(&el.text().collect::<String>()) != shown {
                        self.text(&format!(" ({shown})"));
                    }
                    return;
                }
            }
            _ if v.classes().any(|c| ITALIC.contains(&c)) => self.out.push_str("#emph"),
            _ => {
                self.children(el);
                return;
            }
        }
        self.out.push('[');
        self.children(el);
        self.out.push(']');
    }

    fn list(&mut self, el: ElementRef) {
        let checklist = el.value().classes().any(|c| c == "mb-checklist__items");
        let ordered = el.value().name() == "ol";
        self.out.push('\n');
        self.mark_target(el);
        if el.value().classes().any(|c| UNMARKED.contains(&c)) {
            // Its items carry their own numbers, or none, as on the web page.
            let nested = el.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "li");
            let indent = if nested { "1em" } else { "0pt" };
            let _ = write!(self.out, "#list(marker: [], indent: {indent}, body-indent: 0pt");
        } else if ordered {
            let start = el.value().attr("start").and_then(|s| s.parse::<usize>().ok()).unwrap_or(1);
            let _ = write!(self.out, "#enum(start: {start}");
        } else if checklist {
            self.out.push_str("#list(marker: checkbox");
        } else {
            self.out.push_str("#list(");
        }
        let mut first = self.out.ends_with('(');
        for li in el.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
            if !first {
                self.out.push_str(", ");
            }
            first = false;
            self.out.push('[');
            self.mark_target(li);
            self.children(li);
            self.out.push(']');
        }
        self.out.push_str(")\n");
    }

    fn terms(&mut self, el: ElementRef) {
        self.out.push('\n');
        self.mark_target(el);
        self.out.push_str("#terms(");
        let items: Vec<ElementRef> = el
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "dt" | "dd" | "div"))
            .collect();
        // `div` groups a term and its descriptions.
        let flat: Vec<ElementRef> = items
            .into_iter()
            .flat_map(|e| {
                if e.value().name() == "div" {
                    e.children().filter_map(ElementRef::wrap).collect::<Vec<_>>()
                } else {
                    vec![e]
                }
            })
            .collect();
        let mut i = 0;
        while i < flat.len() {
            if flat[i].value().name() != "dt" {
                i += 1;
                continue;
            }
            self.out.push_str("terms.item([");
            self.mark_target(flat[i]);
            self.children(flat[i]);
            self.out.push_str("], [");
            i += 1;
            while i < flat.len() && flat[i].value().name() == "dd" {
                self.mark_target(flat[i]);
                self.children(flat[i]);
                self.out.push_str("\n\n");
                i += 1;
            }
            self.out.push_str("]), ");
        }
        self.out.push_str(")\n");
    }

    fn table(&mut self, el: ElementRef) {
        let row_sel = Selector::parse("tr").expect("a valid selector");
        let rows: Vec<ElementRef> = el.select(&row_sel).collect();
        let span =
            |c: &ElementRef, a: &str| c.value().attr(a).and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).max(1);
        let columns = rows
            .iter()
            .map(|r| r.children().filter_map(ElementRef::wrap).map(|c| span(&c, "colspan")).sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        self.out.push('\n');
        self.mark_target(el);
        let _ = writeln!(self.out, "#table(columns: {columns},");
        let caption = el.children().filter_map(ElementRef::wrap).find(|c| c.value().name() == "caption");
        for row in &rows {
            let in_head = row.parent().and_then(ElementRef::wrap).is_some_and(|p| p.value().name() == "thead");
            if in_head {
                self.out.push_str("table.header(");
            }
            self.in_header = in_head;
            for cell in row.children().filter_map(ElementRef::wrap) {
                let header = cell.value().name() == "th";
                let _ = write!(
                    self.out,
                    "table.cell(colspan: {}, rowspan: {})[",
                    span(&cell, "colspan"),
                    span(&cell, "rowspan")
                );
                if header {
                    self.out.push_str("#strong[");
                }
                self.mark_target(cell);
                self.children(cell);
                if header {
                    self.out.push(']');
                }
                self.out.push_str("], ");
            }
            if in_head {
                self.out.push_str("),");
            }
            self.in_header = false;
            self.out.push('\n');
        }
        self.out.push_str(")\n");
        if let Some(c) = caption {
            self.out.push_str("\n\n#emph");
            self.content(c);
            self.out.push_str("\n\n");
        }
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "span"
            | "strong"
            | "b"
            | "em"
            | "i"
            | "code"
            | "sup"
            | "sub"
            | "abbr"
            | "small"
            | "mark"
            | "time"
            | "label"
            | "cite"
            | "q"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A print page as `render` makes it, around `part`.
    fn print_page(part: &str) -> String {
        format!(
            r###"<!DOCTYPE html><html lang="sv"><head><title>x</title></head><body><main><div class="mb-content">
<div class="mb-print-cover" data-brand="#123456"><p class="mb-caption">Hela handboken</p><h1>Handbok "#set" \ ]</h1></div>
<section class="mb-part mb-part--page"><h2 id="del"><span class="mb-part-number">1 </span>Del</h2>{part}</section>
</div></main></body></html>"###
        )
    }

    #[test]
    fn what_an_author_writes_reaches_typst_as_text_only() {
        let hostile = r#"#set page(width: 1cm) *fet* _x_ $x$ @ref = rubrik ] [ \ " // inte kommentar <b>"#;
        let html = print_page(&format!("<p>{}</p>", hostile.replace('<', "&lt;").replace('>', "&gt;")));
        let m = markup(&html);
        assert!(
            m.contains(r##"#"#set page(width: 1cm) *fet* _x_ $x$ @ref = rubrik ] [ \\ \" // inte kommentar <b>";"##),
            "{m}"
        );
        assert!(m.contains(r###"set document(title: "Handbok \"#set\" \\ ]""###), "the title as a string: {m}");
        assert!(typeset(&html).is_ok_and(|pdf| pdf.starts_with(b"%PDF-")));
    }

    // The names the starter-site test builds sites for.
    include!("../tests/all/organisation_names.rs");

    #[test]
    fn an_organisation_of_any_name_is_named_on_the_cover_as_text() {
        // They reach Typst as string literals on the cover and in the document's author, so
        // each typesets and none is read as code.
        for name in ORGANISATION_NAMES {
            let attr = name.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
            let text = name.replace('&', "&amp;").replace('<', "&lt;");
            let html = print_page("<p>Text</p>").replace(
                r##"data-brand="#123456">"##,
                &format!(
                    r##"data-brand="#123456" data-publisher="{attr}"><p class="mb-print-organisation">Utgiven av {text}</p>"##
                ),
            );
            let m = markup(&html);
            assert!(m.contains(", author: \""), "{name:?}: the publisher is the author, as a string: {m}");
            // Where a name holds what would end or escape a string, it is escaped.
            let exact = match name {
                "a\\b\\\\c {a: b}" => Some(r#"author: "a\\b\\\\c {a: b}")"#),
                "\") #set page(width: 1cm) // " => Some(r#"author: "\") #set page(width: 1cm) // ")"#),
                _ => None,
            };
            if let Some(literal) = exact {
                assert!(m.contains(literal), "{name:?} as {literal}: {m}");
            }
            let pdf = typeset(&html);
            assert!(pdf.as_ref().is_ok_and(|p| p.starts_with(b"%PDF-")), "{name:?}: {:?}", pdf.err());
        }
    }

    #[test]
    fn any_page_typesets_as_pdf_ua_whatever_its_headings_and_characters() {
        // Skipped levels, an empty heading, a character no font has, a link to an item and
        // one to nothing the PDF shows, a table with a linked header: each would stop a
        // PDF/UA-1 export if passed on as it is.
        let html = print_page(
            r##"<h5>Djupt</h5><h3></h3><p>Emoji 😀 och 中文 <a href="#del--b">till b</a> <a href="#borta">borta</a></p>
<ul class="mb-checklist__items"><li id="del--b">En punkt</li></ul>
<table><thead><tr><th><a href="#del">Del</a></th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"##,
        );
        let m = markup(&html);
        assert!(m.contains("#heading(level: 2"), "h5 under the part's title is level 2: {m}");
        assert!(!m.contains("#heading(level: 3") && !m.contains("#heading(level: 4"), "the empty h3 is left out: {m}");
        assert!(m.contains("#link(<del--b>)") && m.contains("#metadata(none) <del--b>"), "{m}");
        assert!(!m.contains("<borta>"), "a link to what the PDF does not show is text: {m}");
        assert!(m.contains("Emoji \u{fffd} och \u{fffd}\u{fffd}"), "{m}");
        let pdf = typeset(&html);
        assert!(pdf.as_ref().is_ok_and(|p| p.starts_with(b"%PDF-")), "{:?}", pdf.err());
    }
}
