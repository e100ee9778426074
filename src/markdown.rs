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
use crate::slug::slugify;

/// Where a Markdown text sits in its file, for diagnostics.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a SourceFile,
    /// Line of the file where the text starts.
    pub line: usize,
    /// Column of the first line where the text starts (1 for a Markdown file's body).
    pub column: usize,
    /// When the text is a YAML value, offsets inside it do not map to the file
    /// one-to-one; every problem is then reported at the value's start.
    pub exact: bool,
}

/// A heading of a Markdown text, for a page's table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeadingInfo {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<HeadingInfo>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders Markdown for a page whose relative root is `root`.
/// `used_ids` holds the ids already taken on the page and receives the new ones.
pub fn render(text: &str, origin: Origin, index: &Index, root: &str, used_ids: &mut BTreeSet<String>) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut out = Rendered::default();
    let report = |out: &mut Rendered, offset: usize, len: usize, message: String, help: Option<String>| {
        let (line, column) = if origin.exact { line_col(text, offset, origin) } else { (origin.line, origin.column) };
        let mut d = Diagnostic::at(origin.file, line, column, message).with_length(len);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        out.diagnostics.push(d);
    };

    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(text, opts).into_offset_iter().collect();
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut skip_link_end = false;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
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
                out.headings.push(HeadingInfo {
                    level: heading_number(*level),
                    id: unique.clone(),
                    text: plain.trim().to_string(),
                });
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            // A link to something this copy hides keeps its text and loses the link.
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') && index.is_hidden(dest_url) => {
                skip_link_end = true;
            }
            Event::End(TagEnd::Link) if skip_link_end => skip_link_end = false,
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = match resolve(dest_url, index, root) {
                    Ok(d) => d,
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
                let dest = if dest_url.contains("://") || dest_url.starts_with("//") {
                    report(
                        &mut out,
                        range.start,
                        range.len(),
                        format!(
                            "the image `{dest_url}` is on another host; the handbook makes no requests to other hosts"
                        ),
                        Some(
                            "put the image in the site's static/ folder and write its path, e.g. img/figur.png".into(),
                        ),
                    );
                    dest_url.to_string()
                } else {
                    format!("{root}{}", dest_url.trim_start_matches('/'))
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
pub fn render_inline(
    text: &str,
    origin: Origin,
    index: &Index,
    root: &str,
    used_ids: &mut BTreeSet<String>,
) -> Rendered {
    let mut r = render(text, origin, index, root, used_ids);
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

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
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

/// The href of a Markdown link on a page with relative root `root`.
fn resolve(dest: &str, index: &Index, root: &str) -> Result<String, Problem> {
    if dest.starts_with('@') {
        return index.resolve(dest).map(|t| format!("{root}{}", t.url)).map_err(|u| (u.message, u.help));
    }
    let is_absolute =
        dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with("tel:") || dest.starts_with("//");
    if is_absolute || dest.starts_with('#') || dest.is_empty() {
        return Ok(dest.to_string());
    }
    Ok(format!("{root}{}", dest.trim_start_matches('/')))
}

fn line_col(text: &str, offset: usize, origin: Origin) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    if line == 0 { (origin.line, origin.column + col - 1) } else { (origin.line + line, col) }
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A code block as HTML: highlighted with `hl-` classes when the language is known.
/// The block can scroll sideways, so it is focusable for keyboard users.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_attr = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(lang)) };
    let aliases = match lang {
        "yml" => "yaml",
        "sh" | "shell" | "console" => "bash",
        "md" => "markdown",
        other => other,
    };
    let ss = syntaxes();
    let syntax = if lang.is_empty() { None } else { ss.find_syntax_by_token(aliases) };
    let body = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, ss, ClassStyle::SpacedPrefixed { prefix: "hl-" });
            let mut ok = true;
            for line in syntect::util::LinesWithEndings::from(code) {
                if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                    ok = false;
                    break;
                }
            }
            if ok { generator.finalize() } else { escape(code) }
        }
        None => escape(code),
    };
    format!("<pre class=\"code\" tabindex=\"0\"><code{lang_attr}>{body}</code></pre>\n")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(text: &str) -> SourceFile {
        SourceFile { display_path: "content/pages/x.md".into(), text: Arc::from(text) }
    }

    #[test]
    fn headings_get_unique_slugs_and_explicit_ids_win() {
        let text = "## Syfte\n\n## Syfte\n\n## Annat {#eget-id}\n";
        let f = file(text);
        let origin = Origin { file: &f, line: 1, column: 1, exact: true };
        let r = render(text, origin, &Index::default(), "", &mut BTreeSet::new());
        assert!(r.html.contains(r#"<h2 id="syfte">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="syfte-2">"#));
        assert!(r.html.contains(r#"<h2 id="eget-id">"#));
    }

    #[test]
    fn an_unknown_reference_is_reported_at_its_line_and_column() {
        let text = "Första raden.\n\nSe [fasen](@phase/saknas) här.\n";
        let f = file(text);
        let origin = Origin { file: &f, line: 5, column: 1, exact: true };
        let r = render(text, origin, &Index::default(), "../", &mut BTreeSet::new());
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
}
