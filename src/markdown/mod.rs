//! Markdown to HTML: pulldown-cmark plus what the handbook needs on top of it:
//! stable heading ids, `@kind/id` references resolved (or reported), paths made relative to
//! the page, and fenced code highlighted at build time with CSS classes (so the theme's
//! light and dark colours apply).
//!
//! Paths in Markdown (links and images that are not `@` references, `#anchors` or
//! absolute URLs) are relative to the handbook's root, whatever page the text lands on.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::links::Index;
use crate::policy::{self, MAX_NESTING, RawHtml};
use crate::slug::slugify;

mod code;
mod nesting;
mod targets;

pub use code::{escape, highlight};
use nesting::*;
use targets::*;

/// Where a Markdown text sits in its file, for diagnostics.
#[derive(Clone, Copy)]
pub struct WrittenAt<'a> {
    pub file: &'a SourceFile,
    /// Line of the file where the text starts.
    pub line: usize,
    /// Column of the first line where the text starts (1 for a Markdown file's body).
    pub column: usize,
    /// When the text is a YAML value, offsets inside it do not map to the file
    /// one-to-one (indentation, folding, escapes); a problem is then reported where the
    /// offending text is found in the file after the value's start, or at the value's start.
    pub exact: bool,
}

/// The page a Markdown text is rendered for.
#[derive(Clone, Copy)]
pub struct ForPage<'a> {
    pub index: &'a Index,
    /// The page's output path, e.g. `faser/initiera.html`.
    pub path: &'a str,
    /// The relative path from the page to the output root: `../` for `faser/initiera.html`.
    pub root: &'a str,
    /// Every file the output will hold, to check the paths that links and images name.
    pub files: &'a BTreeSet<String>,
}

/// A link to an anchor, which can only be checked once every page is rendered: the page it
/// leads to (an output path), the anchor, and where it was written.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    pub page: String,
    pub anchor: String,
    /// The link as written.
    pub written: String,
    /// Where it was written; the message is filled in if the anchor is missing.
    pub at: Diagnostic,
}

/// The result of rendering one Markdown text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Links to anchors, to check against the rendered pages.
    pub anchors: Vec<AnchorLink>,
}

/// Renders Markdown for the page `page`.
/// `used_ids` holds the ids already taken on the page and receives the new ones.
pub fn render(text: &str, origin: WrittenAt, page: ForPage, used_ids: &mut BTreeSet<String>) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut out = Rendered::default();
    let at = |offset: usize, len: usize| -> Diagnostic {
        let (line, column) = locate(text, offset, len, origin);
        Diagnostic::at(origin.file, line, column, String::new()).with_length(len)
    };
    let report = |out: &mut Rendered, offset: usize, len: usize, message: String, help: Option<String>| {
        let mut d = at(offset, len);
        d.message = message;
        d.help = help;
        out.diagnostics.push(d);
    };

    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(text, opts).into_offset_iter().collect();
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut skip_link_end = false;
    let mut nesting = Nesting::default();
    let mut raw_html = RawHtml::default();
    // The pieces of the HTML block being read: its text so far, and where each piece starts
    // in the block's text and in the Markdown text.
    let mut html_block: Option<(String, Vec<(usize, usize)>)> = None;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        if let Some(kind) = nesting.enter(event) {
            let (what, help) = match kind {
                Depth::Block => ("lists and block quotes", "flatten the structure: at most"),
                Depth::Inline => ("emphasis, links and other inline formatting", "simplify the formatting: at most"),
            };
            report(
                &mut out,
                range.start,
                1,
                format!("{what} are nested more than {MAX_NESTING} levels deep here"),
                Some(format!("{help} {MAX_NESTING} levels are allowed")),
            );
            // The rest of the text is not rendered: one problem, reported once.
            return out;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some((String::new(), Vec::new())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((block, pieces)) = html_block.take() {
                    for p in raw_html.check(&block) {
                        let piece = pieces.iter().rev().find(|(in_block, _)| *in_block <= p.offset).copied();
                        let offset = piece.map_or(range.start, |(in_block, at)| at + p.offset - in_block);
                        report(&mut out, offset, p.len, p.message, Some(p.help));
                    }
                }
            }
            Event::Html(t) => match &mut html_block {
                Some((block, pieces)) => {
                    pieces.push((block.len(), range.start));
                    block.push_str(t);
                }
                None => {
                    for p in raw_html.check(t) {
                        report(&mut out, range.start + p.offset, p.len, p.message, Some(p.help));
                    }
                }
            },
            Event::InlineHtml(t) => {
                for p in raw_html.check(t) {
                    report(&mut out, range.start + p.offset, p.len, p.message, Some(p.help));
                }
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                if *level == HeadingLevel::H1 {
                    report(
                        &mut out,
                        range.start,
                        1,
                        "a level-1 heading (`#`) in the text; the page title is the page's only h1".into(),
                        Some("start headings in the text at `##`".into()),
                    );
                }
                // Gather the heading's text to make its id.
                let mut plain = String::new();
                let mut j = i + 1;
                while j < events.len() {
                    match &events[j].0 {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => plain.push_str(t),
                        _ => {}
                    }
                    j += 1;
                }
                let wanted = id.as_ref().map(|s| s.to_string()).unwrap_or_else(|| slugify(&plain));
                let unique = unique_id(&wanted, used_ids);
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            // A link to something this copy hides keeps its text and loses the link.
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') && page.index.is_hidden(dest_url) => {
                skip_link_end = true;
            }
            Event::End(TagEnd::Link) if skip_link_end => skip_link_end = false,
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = match resolve(dest_url, page) {
                    Ok((href, anchor)) => {
                        if let Some((target, anchor)) = anchor {
                            out.anchors.push(AnchorLink {
                                page: target,
                                anchor,
                                written: dest_url.to_string(),
                                at: at(range.start, range.len()),
                            });
                        }
                        href
                    }
                    Err((message, help)) => {
                        report(&mut out, range.start, range.len(), message, help);
                        dest_url.to_string()
                    }
                };
                html_events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(dest),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = match image(dest_url, page) {
                    Ok(d) => d,
                    Err((message, help)) => {
                        report(&mut out, range.start, range.len(), message, Some(help));
                        dest_url.to_string()
                    }
                };
                html_events.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: CowStr::from(dest),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split([' ', ',']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                let mut j = i + 1;
                while j < events.len() {
                    match &events[j].0 {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(t),
                        _ => {}
                    }
                    j += 1;
                }
                html_events.push(Event::Html(CowStr::from(highlight(&code, &lang))));
                i = j + 1;
                continue;
            }
            other => html_events.push(other.clone()),
        }
        i += 1;
    }
    pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
    out
}

/// Renders a short Markdown text that should not be wrapped in a paragraph (a list item,
/// a table cell): the same as [`render`], with a single outer `<p>` removed.
pub fn render_inline(text: &str, origin: WrittenAt, page: ForPage, used_ids: &mut BTreeSet<String>) -> Rendered {
    let mut r = render(text, origin, page, used_ids);
    let trimmed = r.html.trim();
    if let Some(inner) = trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        r.html = inner.to_string();
    }
    r
}

/// A Markdown text as plain text, for places that cannot show markup (document skeletons):
/// the words of every paragraph and item, links as their text, paragraphs joined by a space.
pub fn plain_text(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `wanted`, or `wanted-2`, `wanted-3`, … if taken; records the result as taken.
pub fn unique_id(wanted: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

type Problem = (String, Option<String>);

/// The line and column in the file of `len` characters at byte `offset` of the text.
fn locate(text: &str, offset: usize, len: usize, origin: WrittenAt) -> (usize, usize) {
    if origin.exact {
        return line_col(text, offset, origin);
    }
    let file = &origin.file.text;
    // A literal block (`key: |`): each line of the value is a line of the file, indented as
    // its first line (where the value is said to start) is.
    let lines: Vec<&str> = file.lines().collect();
    let key_line = (1..origin.line).rev().find(|l| !lines.get(l - 1).is_none_or(|t| t.trim().is_empty()));
    let indicator = key_line
        .and_then(|l| lines.get(l - 1))
        .and_then(|t| t.split(" #").next())
        .map_or("", |t| t.trim_end().rsplit(' ').next().unwrap_or(""));
    let literal = indicator.starts_with('|') && indicator[1..].chars().all(|c| matches!(c, '-' | '+' | '0'..='9'));
    if let (true, Some(key_line)) = (literal, key_line) {
        let indent = origin.column.saturating_sub(1);
        let (line, column) = crate::diagnostic::line_column(text, offset);
        let value_line = text.lines().nth(line - 1).unwrap_or("");
        if let Some(file_line) = lines.get(key_line + line - 1)
            && file_line.get(indent..) == Some(value_line)
        {
            return (key_line + line, indent + column);
        }
    }
    // Otherwise: find the offending text (the rest of its line) in the file after the
    // value's start.
    let snippet: String = text.get(offset..).unwrap_or("").chars().take(len.max(40)).collect();
    let snippet = snippet.lines().next().unwrap_or("").trim_end();
    let start = file.split_inclusive('\n').take(origin.line.saturating_sub(1)).map(str::len).sum::<usize>();
    if !snippet.is_empty()
        && let Some(found) = file.get(start..).and_then(|rest| rest.find(snippet))
    {
        return crate::diagnostic::line_column(file, start + found);
    }
    (origin.line, origin.column)
}

fn line_col(text: &str, offset: usize, origin: WrittenAt) -> (usize, usize) {
    match crate::diagnostic::line_column(text, offset) {
        (1, col) => (origin.line, origin.column + col - 1),
        (line, col) => (origin.line + line - 1, col),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(text: &str) -> SourceFile {
        SourceFile { display_path: "content/pages/x.md".into(), text: Arc::from(text) }
    }

    /// Renders `text` as the body of a page `sida.html` in a handbook that has `files`.
    fn page_render(text: &str, files: &[&str]) -> Rendered {
        let f = file(text);
        let origin = WrittenAt { file: &f, line: 1, column: 1, exact: true };
        let files: BTreeSet<String> = files.iter().map(|s| s.to_string()).collect();
        let index = Index::default();
        let page = ForPage { index: &index, path: "sida.html", root: "", files: &files };
        render(text, origin, page, &mut BTreeSet::new())
    }

    #[test]
    fn headings_get_unique_slugs_and_explicit_ids_win() {
        let text = "## Syfte\n\n## Syfte\n\n## Annat {#eget-id}\n";
        let r = page_render(text, &[]);
        assert!(r.html.contains(r#"<h2 id="syfte">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="syfte-2">"#));
        assert!(r.html.contains(r#"<h2 id="eget-id">"#));
    }

    #[test]
    fn an_unknown_reference_is_reported_at_its_line_and_column() {
        let text = "Första raden.\n\nSe [fasen](@phase/saknas) här.\n";
        let f = file(text);
        let origin = WrittenAt { file: &f, line: 5, column: 1, exact: true };
        let (index, files) = (Index::default(), BTreeSet::new());
        let page = ForPage { index: &index, path: "faser/a.html", root: "../", files: &files };
        let r = render(text, origin, page, &mut BTreeSet::new());
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (7, 4));
        assert!(d.message.contains("`saknas`"));
    }

    #[test]
    fn yaml_code_is_highlighted_with_classes_not_styles() {
        let html = highlight("title: Exempel\n", "yaml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_one_problem_at_its_place() {
        let deep = format!("Inledning.\n\n{} djupt\n", ">".repeat(MAX_NESTING + 1));
        let r = page_render(&deep, &[]);
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].line, 3);
        assert!(r.diagnostics[0].message.contains("nested more than 32 levels"));
        let list: String = (0..40).map(|i| format!("{}- punkt\n", "  ".repeat(i))).collect();
        let r = page_render(&list, &[]);
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        let emphasis = format!("{}x{}", "*a ".repeat(100), " a*".repeat(100));
        assert_eq!(page_render(&emphasis, &[]).diagnostics.len(), 1);
        let fine = format!("{} lagom\n", ">".repeat(MAX_NESTING));
        assert!(page_render(&fine, &[]).diagnostics.is_empty());
    }

    #[test]
    fn raw_html_and_links_outside_the_policy_are_reported_where_written() {
        let r = page_render("Rad ett.\n\nText <script>alert(1)</script> mer.\n", &[]);
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (3, 6));
        let r =
            page_render("Rad.\n\n<div>\n<img src=\"https://evil.example/x.png\" onerror=\"alert(1)\">\n</div>\n", &[]);
        assert!(r.diagnostics.iter().any(|d| d.line == 3 && d.message.contains("<div>")), "{:?}", r.diagnostics);
        assert!(r.diagnostics.iter().any(|d| d.line == 4 && d.message.contains("<img>")), "{:?}", r.diagnostics);
        let r = page_render("[klicka](javascript://%0aalert(1))\n", &[]);
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("`javascript:`"));
        let r = page_render("<JavaScript:alert(1)>\n", &[]);
        assert_eq!(r.diagnostics.len(), 1, "an autolink is a link too");
        let r = page_render("![bild](https://evil.example/x.png)\n", &[]);
        assert!(r.diagnostics[0].message.contains("another host"));
        let ok =
            page_render("<abbr title=\"Statens servicecenter\">SSC</abbr> och [Digg](https://www.digg.se/).\n", &[]);
        assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    }

    #[test]
    fn paths_must_name_files_of_the_handbook() {
        let r = page_render("[a](faser/a.html) ![b](img/b.png)\n", &["faser/a.html", "img/b.png"]);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let r = page_render("Se [a](faser/saknas.html).\n", &["faser/a.html"]);
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (1, 4));
        assert!(r.diagnostics[0].message.contains("does not have"));
        let r = page_render("![b](../../etc/passwd)\n", &[]);
        assert!(r.diagnostics[0].message.contains("outside the handbook"));
        let r = page_render("[a](faser/a.html#syfte) och [b](#har)\n", &["faser/a.html"]);
        let anchors: Vec<(&str, &str)> = r.anchors.iter().map(|a| (a.page.as_str(), a.anchor.as_str())).collect();
        assert_eq!(anchors, [("faser/a.html", "syfte"), ("sida.html", "har")]);
    }
}
