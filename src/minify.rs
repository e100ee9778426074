//! Minified HTML, written from the parse of a page that its facts were read from.
//!
//! Every page is parsed once as it is rendered (see `render::read`): its links, ids and
//! search sections are read from that tree, and the text readers get is written from the same
//! tree here, rather than handed to a minifier that parses it a second time. Comments go,
//! and white space goes where it cannot show; every element keeps its start and end tag and
//! every attribute its value, unquoted where HTML allows. So the page is the same document:
//! a test parses the minified page of every page of the handbook and compares it with the
//! page as rendered.
//!
//! Which white space can go follows the groups of elements of minify-html, which minified the
//! pages before (block containers lose white space between their children, headings and
//! paragraphs at their ends, inline elements keep a single space), so pages look as they did;
//! the same test compares the text with minify-html's.
//!
//! The tree is walked without recursion, so no page, however deep, can exhaust a stack here.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use html5ever::{local_name, ns};
use scraper::node::Element;
use scraper::{Html, Node};

/// What happens to the white space of an element's text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Space {
    /// Kept as written (`pre` and everything in it, `code`, `textarea`).
    Kept,
    /// Each run becomes one space (inline elements, and any element not named below).
    Collapsed,
    /// Collapsed, and none at the start of the first child or the end of the last
    /// (headings, paragraphs, list items, cells, …).
    Trimmed,
    /// Trimmed, and text that is only white space goes (containers of blocks: `body`, `div`,
    /// `ul`, `table`, …).
    Dropped,
}

/// The white space rule for the text in `el`.
fn space(el: &Element) -> Space {
    if is_html(el) {
        return match el.name.local {
            local_name!("pre") | local_name!("code") | local_name!("textarea") => Space::Kept,
            local_name!("address")
            | local_name!("audio")
            | local_name!("button")
            | local_name!("canvas")
            | local_name!("caption")
            | local_name!("figcaption")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("legend")
            | local_name!("meter")
            | local_name!("object")
            | local_name!("option")
            | local_name!("p")
            | local_name!("summary")
            | local_name!("video")
            | local_name!("dd")
            | local_name!("details")
            | local_name!("dt")
            | local_name!("iframe")
            | local_name!("label")
            | local_name!("li")
            | local_name!("noscript")
            | local_name!("output")
            | local_name!("progress")
            | local_name!("slot")
            | local_name!("td")
            | local_name!("template")
            | local_name!("th") => Space::Trimmed,
            local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("body")
            | local_name!("colgroup")
            | local_name!("datalist")
            | local_name!("dialog")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("fieldset")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("head")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("html")
            | local_name!("main")
            | local_name!("map")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("optgroup")
            | local_name!("picture")
            | local_name!("section")
            | local_name!("select")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("thead")
            | local_name!("tr")
            | local_name!("ul") => Space::Dropped,
            _ => Space::Collapsed,
        };
    }
    match &*el.name.ns {
        "http://www.w3.org/2000/svg" => match el.name() {
            "desc" | "text" | "title" => Space::Trimmed,
            "a" | "altGlyph" | "tspan" | "textPath" | "tref" => Space::Collapsed,
            // An element SVG does not know is drawn as a group: its text does not show.
            _ => Space::Dropped,
        },
        _ => Space::Collapsed,
    }
}

/// Elements whose text the parser keeps as written, markup included: written back as it is.
pub(crate) fn is_raw_text(el: &Element) -> bool {
    is_html(el)
        && matches!(
            el.name.local,
            local_name!("script")
                | local_name!("style")
                | local_name!("xmp")
                | local_name!("iframe")
                | local_name!("noembed")
                | local_name!("noframes")
                | local_name!("noscript")
                | local_name!("plaintext")
        )
}

/// Elements without an end tag.
fn is_void(el: &Element) -> bool {
    is_html(el)
        && matches!(
            el.name.local,
            local_name!("area")
                | local_name!("base")
                | local_name!("basefont")
                | local_name!("bgsound")
                | local_name!("br")
                | local_name!("col")
                | local_name!("embed")
                | local_name!("frame")
                | local_name!("hr")
                | local_name!("img")
                | local_name!("input")
                | local_name!("keygen")
                | local_name!("link")
                | local_name!("meta")
                | local_name!("param")
                | local_name!("source")
                | local_name!("track")
                | local_name!("wbr")
        )
}

fn is_html(el: &Element) -> bool {
    el.name.ns == ns!(html)
}

fn is_pre(el: &Element) -> bool {
    is_html(el) && el.name.local == local_name!("pre")
}

/// The page parsed as `doc`, minified.
pub fn document(doc: &Html) -> String {
    let mut out = String::new();
    write(&mut out, doc.tree.root(), &mut |_, _| false);
    out
}

/// The page parsed as `doc`, minified, where `splice`, asked of each element, may write the
/// element's place itself and say so (for an element without children, which the page as
/// written does not have: the print page's parts, minified on their own by [`children`],
/// stand where such an element marks their place).
/// `capacity` is what the text is expected to take at most.
pub(crate) fn document_spliced(
    doc: &Html,
    capacity: usize,
    mut splice: impl FnMut(NodeRef<Node>, &mut String) -> bool,
) -> String {
    let mut out = String::with_capacity(capacity);
    write(&mut out, doc.tree.root(), &mut splice);
    out
}

/// The children of `parent`, minified, as they are written where they are in its tree.
pub(crate) fn children(parent: NodeRef<Node>) -> String {
    let mut out = String::new();
    for child in parent.children() {
        write(&mut out, child, &mut |_, _| false);
    }
    out
}

/// Writes `root` and what is in it, minified, to `out` (see [`document_spliced`]).
fn write(out: &mut String, root: NodeRef<Node>, splice: &mut dyn FnMut(NodeRef<Node>, &mut String) -> bool) {
    // How many `pre` elements the walk is in: all white space in them is kept.
    let mut in_pre = 0usize;
    // The element whose place `splice` filled, until it closes.
    let mut spliced = None;
    for edge in root.traverse() {
        if let Some(id) = spliced {
            if let Edge::Close(node) = edge
                && node.id() == id
            {
                spliced = None;
            }
            continue;
        }
        if let Edge::Open(node) = edge
            && node.value().is_element()
            && splice(node, out)
        {
            spliced = Some(node.id());
            continue;
        }
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Doctype(d) => {
                    out.push_str("<!doctype ");
                    out.push_str(d.name());
                    if !d.public_id().is_empty() || !d.system_id().is_empty() {
                        out.push_str(&format!(" PUBLIC \"{}\" \"{}\"", d.public_id(), d.system_id()));
                    }
                    out.push('>');
                }
                Node::Element(el) => {
                    start_tag(out, el);
                    if is_pre(el) {
                        in_pre += 1;
                    }
                    // The parser drops a newline right after these start tags; one that
                    // follows it must be written twice to stay.
                    if is_html(el)
                        && matches!(
                            el.name.local,
                            local_name!("pre") | local_name!("textarea") | local_name!("listing")
                        )
                        && node.first_child().and_then(|c| c.value().as_text()).is_some_and(|t| t.starts_with('\n'))
                    {
                        out.push('\n');
                    }
                }
                Node::Text(_) => text(out, node, in_pre > 0),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if is_pre(el) {
                        in_pre -= 1;
                    }
                    if !is_void(el) {
                        out.push_str("</");
                        qualified(out, el.name.prefix.as_deref(), el.name());
                        out.push('>');
                    }
                }
            }
        }
    }
}

/// A name as written: `xlink:href` in SVG, `href` elsewhere.
fn qualified(out: &mut String, prefix: Option<&str>, local: &str) {
    if let Some(p) = prefix {
        out.push_str(p);
        out.push(':');
    }
    out.push_str(local);
}

fn start_tag(out: &mut String, el: &Element) {
    out.push('<');
    qualified(out, el.name.prefix.as_deref(), el.name());
    for (name, value) in el.attrs.iter() {
        out.push(' ');
        qualified(out, name.prefix.as_deref(), &name.local);
        attribute_value(out, value);
    }
    out.push('>');
}

/// `="value"`, or `=value` where HTML reads it the same unquoted, or nothing for an empty
/// value (`<img alt>` is `alt=""`).
fn attribute_value(out: &mut String, value: &str) {
    if value.is_empty() {
        return;
    }
    out.push('=');
    let unquoted = !value
        .bytes()
        .any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'"' | b'\'' | b'=' | b'<' | b'>' | b'`'));
    if unquoted {
        escape(out, value, None);
        return;
    }
    let quote = if value.contains('"') && !value.contains('\'') { '\'' } else { '"' };
    out.push(quote);
    escape(out, value, Some(quote));
    out.push(quote);
}

/// `text` with `&` and `<` written as character references, and `quote`, in an attribute
/// value quoted with it.
fn escape(out: &mut String, text: &str, quote: Option<char>) {
    let quote = quote.map(|q| q as u8);
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let reference = match b {
            b'&' => "&amp;",
            b'<' if quote.is_none() => "&lt;",
            b'"' if quote == Some(b'"') => "&#34;",
            b'\'' if quote == Some(b'\'') => "&#39;",
            _ => continue,
        };
        // Every byte that is replaced is ASCII, so `i` is a character boundary.
        out.push_str(&text[from..i]);
        out.push_str(reference);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

/// Whether `node` is an element or text: comments and the like do not count as neighbours.
fn counts(node: &NodeRef<Node>) -> bool {
    matches!(node.value(), Node::Element(_) | Node::Text(_))
}

/// Writes the text that starts at `node`: with the text nodes that follow it, comments
/// between them aside, as one text.
fn text(out: &mut String, node: NodeRef<Node>, in_pre: bool) {
    let parent = node.parent().and_then(|p| p.value().as_element());
    if let Some(p) = parent
        && is_raw_text(p)
    {
        if let Node::Text(t) = node.value() {
            out.push_str(t);
        }
        return;
    }
    // A text after a comment that follows a text was written with that text.
    let previous = node.prev_siblings().find(counts);
    if previous.is_some_and(|n| n.value().is_text()) {
        return;
    }
    // Most texts stand alone: only a text that a comment splits is joined into a new string.
    let mut run = std::borrow::Cow::Borrowed("");
    let mut after = None;
    for n in std::iter::once(node).chain(node.next_siblings()) {
        match n.value() {
            Node::Text(t) if run.is_empty() => run = std::borrow::Cow::Borrowed(&**t),
            Node::Text(t) => run.to_mut().push_str(t),
            Node::Element(_) => {
                after = Some(n);
                break;
            }
            _ => {}
        }
    }
    let rule = match parent {
        _ if in_pre => Space::Kept,
        Some(p) => space(p),
        None => Space::Dropped,
    };
    let first = previous.is_none();
    let last = after.is_none();
    let mut t: &str = &run;
    if rule != Space::Kept {
        let trims = matches!(rule, Space::Trimmed | Space::Dropped);
        if trims && first {
            t = t.trim_start_matches(is_space);
        }
        if trims && last {
            t = t.trim_end_matches(is_space);
        }
        if rule == Space::Dropped && t.chars().all(is_space) {
            return;
        }
        collapse(out, t);
        return;
    }
    escape(out, t, None);
}

/// `text` escaped as [`escape`] does, each run of white space written as one space.
fn collapse(out: &mut String, text: &str) {
    let mut from = 0;
    let mut bytes = text.bytes().enumerate().peekable();
    while let Some((i, b)) = bytes.next() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            // A single space stays as it is.
            b' ' if !bytes.peek().is_some_and(|(_, n)| is_space(*n as char)) => continue,
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                while bytes.next_if(|(_, n)| is_space(*n as char)).is_some() {}
                " "
            }
            _ => continue,
        };
        // Every byte that is replaced is ASCII, so `i` is a character boundary.
        out.push_str(&text[from..i]);
        out.push_str(replacement);
        from = bytes.peek().map_or(text.len(), |(j, _)| *j);
    }
    out.push_str(&text[from..]);
}

/// HTML's white space.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(html: &str) -> String {
        document(&Html::parse_document(html))
    }

    #[test]
    fn white_space_goes_where_it_cannot_show() {
        assert_eq!(
            min(
                "<!DOCTYPE html>\n<html lang=\"sv\">\n <head>\n  <title> Rubrik  här </title>\n </head>\n <body>\n  <ul>\n   <li> a <b>fet</b>  text </li>\n   <li>b</li>\n  </ul>\n  <p>\n   Ett <a href=\"x.html\">ord</a> och\n   ett till.\n  </p>\n </body>\n</html>\n"
            ),
            "<!doctype html><html lang=sv><head><title> Rubrik här </title></head><body><ul><li>a <b>fet</b> text</li><li>b</li></ul><p>Ett <a href=x.html>ord</a> och ett till.</p></body></html>"
        );
    }

    #[test]
    fn preformatted_text_and_scripts_are_kept_as_written() {
        let page = "<body><pre>\n\n  two\n   <b> x  y </b></pre><p>a <code>x  = 1</code></p><script>if (a < b && c) {}</script><style>a > b { }</style>";
        assert_eq!(
            min(page),
            "<html><head></head><body><pre>\n\n  two\n   <b> x  y </b></pre><p>a <code>x  = 1</code></p><script>if (a < b && c) {}</script><style>a > b { }</style></body></html>"
        );
    }

    #[test]
    fn attributes_are_quoted_only_where_they_must_be_and_escaped() {
        assert_eq!(
            min(
                r#"<p><a href="a.html?x=1&amp;y=2" class="mb-a  mb-b" title='say "hi"' data-x="it's &quot;q&quot;" hidden="">&lt;x&gt; &amp; y</a><img alt="" src="i.png"></p>"#
            ),
            r#"<html><head></head><body><p><a class="mb-a  mb-b" data-x="it's &#34;q&#34;" hidden href="a.html?x=1&amp;y=2" title='say "hi"'>&lt;x> &amp; y</a><img alt src=i.png></p></body></html>"#
        );
    }

    #[test]
    fn text_around_a_comment_is_one_text() {
        assert_eq!(
            min("<p>a <!-- c -->  b</p><div> <!-- c --> </div>"),
            "<html><head></head><body><p>a b</p><div></div></body></html>"
        );
    }

    #[test]
    fn a_page_deeper_than_any_stack_is_written() {
        let n = 100_000;
        let page = format!("<div>{}x{}</div>", "<span>".repeat(n), "</span>".repeat(n));
        let out = std::thread::Builder::new().stack_size(256 << 10).spawn(move || min(&page)).unwrap().join().unwrap();
        assert!(out.contains("<span>x</span>"));
    }
}
