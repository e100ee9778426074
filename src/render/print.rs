//! The whole handbook on one page (`hela-handboken.html`), for printing and for the PDF.
//!
//! Made from the pages as rendered, in the reading order of [`super::order`]: each page's
//! content (what its template puts between the layout's header and its pager) becomes a
//! numbered part. The page's `h1` becomes the part's `h2` and every heading below it moves
//! one level down; every id gets the part's anchor as prefix, so ids stay unique; a link to
//! another page of the handbook points to that page's part (and a link to an anchor on it
//! to the anchor's new id); a link to a page outside the reading order (search, the
//! accessibility statement) keeps its text and loses the link; files and other sites stay
//! links. What only works on screen goes: the page's own contents list, the step
//! navigation, the pager, search forms and buttons.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use html5ever::{LocalName, QualName, ns};
use scraper::{Html, Node};
use serde::Serialize;

use super::{Job, job_path};
use crate::content::Content;
use crate::paths;

/// One page of the handbook as a part of the print page. Two parts are equal when all but
/// their nodes are, which are made from the same page as the HTML and say the same.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Part {
    /// 1-based, in reading order.
    pub number: usize,
    /// The id of the part's heading on the print page.
    pub anchor: String,
    /// The page's `h1`, as text.
    pub title: String,
    /// What kind of page it was, for page breaks: `list`, `phase`, `milestone`, `item`,
    /// `page`, `supplement` or `home`.
    pub kind: &'static str,
    /// The page's content, rewritten for the print page.
    pub html: String,
    /// The nodes a parser makes of `html` where the print page holds it, or `None` where
    /// that cannot be told without parsing it (see [`assemble`]).
    #[serde(skip)]
    pub nodes: Option<Arc<Nodes>>,
}

impl PartialEq for Part {
    fn eq(&self, other: &Self) -> bool {
        (self.number, &self.anchor, &self.title, self.kind, &self.html)
            == (other.number, &other.anchor, &other.title, other.kind, &other.html)
    }
}

/// The nodes of a part, in document order, compactly: a print page of 5,000 pages holds
/// them all until it is made.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Nodes {
    events: Vec<Event>,
    /// Every text and attribute value, one after the other; events hold their place here.
    text: String,
}

/// An element opens (its attributes follow it), an attribute (its name and value), text, or
/// the element last opened closes.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Open(QualName),
    Attribute(QualName, u32, u32),
    Text(u32, u32),
    Close,
}

impl Nodes {
    /// Where `t` is once it is added to the text.
    fn add(&mut self, t: &str) -> (u32, u32) {
        let start = self.text.len();
        self.text.push_str(t);
        // Past 4 GB the places wrap; `rewrite` then gives no nodes and the page is parsed.
        (start as u32, self.text.len() as u32)
    }

    fn open(&mut self, name: QualName, attrs: impl IntoIterator<Item = (QualName, String)>) {
        self.events.push(Event::Open(name));
        for (k, v) in attrs {
            let (start, end) = self.add(&v);
            self.events.push(Event::Attribute(k, start, end));
        }
    }

    /// Text, joined to the text before it as the parser joins it.
    fn text(&mut self, t: &str) {
        let (start, end) = self.add(t);
        match self.events.last_mut() {
            Some(Event::Text(_, before_end)) if *before_end == start => *before_end = end,
            _ => self.events.push(Event::Text(start, end)),
        }
    }
}

/// Classes of what only works on screen, left out of the print page.
const SCREEN_ONLY: &[&str] = &[
    "mb-print-site",
    "mb-stepnav-jump",
    "mb-toc",
    "mb-pager",
    "mb-stepnav",
    "mb-search",
    "mb-progress",
    "mb-initiatives",
];
/// Elements left out with their content.
const DROPPED: &[&str] = &["form", "button", "input", "script", "noscript", "template", "style"];
/// Attributes that hold one id or a list of ids.
const ID_REFS: &[&str] = &["aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"];
/// Elements without an end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Where each page of the reading order goes on the print page, decided before any page is
/// rendered, so that each page's part is made from the same parse of it that the link check
/// and the search index read.
#[derive(PartialEq)]
pub(super) struct Plan {
    /// Part number, anchor and kind, by the page's output path.
    places: BTreeMap<String, (usize, String, &'static str)>,
    /// Every part's anchor by the output path of its page.
    anchors: BTreeMap<String, String>,
}

impl Plan {
    /// The plan for the pages of `order`.
    pub(super) fn new(c: &Content, order: &[Job]) -> Self {
        let mut used: BTreeSet<String> = paths::layout_ids().map(String::from).collect();
        let mut places = BTreeMap::new();
        let mut anchors = BTreeMap::new();
        for (i, job) in order.iter().enumerate() {
            let path = job_path(c, job);
            let wanted = path.trim_end_matches(".html").replace('/', "-");
            let anchor = crate::markdown::unique_id(&wanted, &mut used);
            anchors.insert(path.clone(), anchor.clone());
            places.insert(path, (i + 1, anchor, kind(job)));
        }
        Plan { places, anchors }
    }

    /// The part made of the page at `path`, parsed as `doc`, if the page is in the order.
    pub(super) fn part(&self, path: &str, doc: &Html) -> Option<Part> {
        let (number, anchor, kind) = self.places.get(path)?;
        let (title, html, nodes) = rewrite(doc, path, anchor, *number, &self.anchors);
        Some(Part { number: *number, anchor: anchor.clone(), title, kind, html, nodes: nodes.map(Arc::new) })
    }
}

fn kind(job: &Job) -> &'static str {
    match job {
        Job::Home => "home",
        Job::Phase(_) => "phase",
        Job::Milestone(_) => "milestone",
        Job::Area(_) | Job::Document(_) | Job::HeadingTemplate(_) => "item",
        Job::Page(_) => "page",
        Job::Supplement(_) => "supplement",
        _ => "list",
    }
}

/// What rewriting one page needs to know.
struct Rewriter<'a> {
    /// The page's output path.
    path: &'a str,
    anchor: &'a str,
    number: usize,
    /// Every part's anchor by the output path of its page.
    anchors: &'a BTreeMap<String, String>,
    out: String,
    title: String,
    /// What a parser makes of `out`, while that can be told without parsing it.
    nodes: Option<Nodes>,
    /// The last event opened a `pre`, `textarea` or `listing`: the parser drops a newline
    /// that starts the text right after their start tag.
    fresh_pre: bool,
}

/// The content of the page at `path` rewritten as part `number` with id `anchor`; returns
/// its title, HTML and nodes (see [`Part::nodes`]).
fn rewrite(
    doc: &Html,
    path: &str,
    anchor: &str,
    number: usize,
    anchors: &BTreeMap<String, String>,
) -> (String, String, Option<Nodes>) {
    let mut w = Rewriter {
        path,
        anchor,
        number,
        anchors,
        out: String::new(),
        title: String::new(),
        nodes: Some(Nodes::default()),
        fresh_pre: false,
    };
    // The first `.mb-content`, as a selector finds it (the pages are parsed in no-quirks
    // mode, where classes match case-sensitively).
    let content = crate::inspect::elements(doc)
        .find(|e| e.value().has_class("mb-content", scraper::CaseSensitivity::CaseSensitive));
    if let Some(root) = content {
        for child in root.children() {
            w.node(child);
        }
    }
    // Held until the print page is made: without the room left for growth.
    let nodes = w.nodes.filter(|n| u32::try_from(n.text.len()).is_ok()).map(|mut n| {
        n.events.shrink_to_fit();
        n.text.shrink_to_fit();
        n
    });
    (w.title, w.out, nodes)
}

/// Elements whose content a parser reads other than as it is written here: raw text (as
/// minifying knows it), and elements that are only known by the names of another namespace
/// (SVG, MathML).
fn parses_otherwise(el: &scraper::node::Element) -> bool {
    el.name.ns != ns!(html) || crate::minify::is_raw_text(el)
}

fn html_name(local: &str) -> QualName {
    QualName::new(None, ns!(html), LocalName::from(local))
}

impl Rewriter<'_> {
    fn node(&mut self, node: NodeRef<Node>) {
        match node.value() {
            Node::Text(t) => {
                escape(&mut self.out, t);
                self.text(t);
            }
            Node::Element(el) => {
                let name = el.name();
                if DROPPED.contains(&name) || el.classes().any(|c| SCREEN_ONLY.contains(&c)) {
                    return;
                }
                let heading = heading_level(name);
                let tag = match heading {
                    Some(n) => format!("h{}", (n + 1).min(6)),
                    None => name.to_string(),
                };
                let is_title = heading == Some(1);
                let mut attrs: Vec<(&str, String)> = Vec::new();
                let mut names: Vec<QualName> = Vec::new();
                for (qual, v) in el.attrs.iter() {
                    let (k, v) = (&*qual.local, &**v);
                    let value = match k {
                        "id" if is_title => self.anchor.to_string(),
                        "id" => self.id(v),
                        "href" => match self.href(v) {
                            Some(h) => h,
                            None => continue,
                        },
                        k if ID_REFS.contains(&k) => {
                            v.split_whitespace().map(|i| self.id(i)).collect::<Vec<_>>().join(" ")
                        }
                        // The checklist script does not run here; the items print as a list.
                        k if k.starts_with("data-") && k != "data-search-skip" => continue,
                        _ => v.to_string(),
                    };
                    attrs.push((k, value));
                    names.push(qual.clone());
                }
                if is_title && !attrs.iter().any(|(k, _)| *k == "id") {
                    attrs.push(("id", self.anchor.to_string()));
                    names.push(QualName::new(None, ns!(), LocalName::from("id")));
                }
                // A link to a page outside the print page keeps its text only.
                let unlinked = name == "a" && el.attr("href").is_some() && !attrs.iter().any(|(k, _)| *k == "href");
                if unlinked {
                    for child in node.children() {
                        self.node(child);
                    }
                    return;
                }
                self.out.push('<');
                self.out.push_str(&tag);
                for (k, v) in &attrs {
                    self.out.push(' ');
                    self.out.push_str(k);
                    self.out.push_str("=\"");
                    escape(&mut self.out, v);
                    self.out.push('"');
                }
                self.out.push('>');
                if parses_otherwise(el) {
                    self.nodes = None;
                }
                let qual = if heading.is_some() { html_name(&tag) } else { el.name.clone() };
                let pre = matches!(&*qual.local, "pre" | "textarea" | "listing");
                self.open(qual, names.into_iter().zip(attrs.into_iter().map(|(_, v)| v)));
                self.fresh_pre = pre;
                if is_title {
                    let number = format!("{} ", self.number);
                    self.out.push_str(&format!("<span class=\"mb-part-number\">{number}</span>"));
                    let class = QualName::new(None, ns!(), LocalName::from("class"));
                    self.open(html_name("span"), [(class, "mb-part-number".to_string())]);
                    self.text(&number);
                    self.push(Event::Close);
                    self.title = text_of(node);
                }
                if VOID.contains(&name) {
                    self.push(Event::Close);
                    return;
                }
                for child in node.children() {
                    self.node(child);
                }
                self.out.push_str("</");
                self.out.push_str(&tag);
                self.out.push('>');
                self.push(Event::Close);
            }
            _ => {}
        }
    }

    fn push(&mut self, event: Event) {
        self.fresh_pre = false;
        if let Some(nodes) = &mut self.nodes {
            nodes.events.push(event);
        }
    }

    /// An element opens, with its attributes.
    fn open(&mut self, name: QualName, attrs: impl IntoIterator<Item = (QualName, String)>) {
        self.fresh_pre = false;
        if let Some(nodes) = &mut self.nodes {
            nodes.open(name, attrs);
        }
    }

    /// Text as the parser keeps it: joined to the text before it, without the newline that
    /// starts a `pre`.
    fn text(&mut self, t: &str) {
        let t = if std::mem::take(&mut self.fresh_pre) { t.strip_prefix('\n').unwrap_or(t) } else { t };
        let Some(nodes) = &mut self.nodes else { return };
        if !t.is_empty() {
            nodes.text(t);
        }
    }

    /// An id of the page as an id of the print page.
    fn id(&self, id: &str) -> String {
        if id == paths::id("title") || id == paths::id("main") {
            self.anchor.to_string()
        } else {
            format!("{}--{id}", self.anchor)
        }
    }

    /// A link of the page as a link of the print page; `None` where it loses its link.
    fn href(&self, href: &str) -> Option<String> {
        let Some((target, fragment)) = crate::output::resolve_relative(self.path, href) else {
            return Some(href.to_string());
        };
        let decoded = percent_encoding::percent_decode_str(&target).decode_utf8_lossy().into_owned();
        if let Some(anchor) = self.anchors.get(decoded.as_str()) {
            let id = match fragment.as_deref() {
                None | Some("") => anchor.to_string(),
                Some(f) if f == paths::id("title") || f == paths::id("main") => anchor.to_string(),
                Some(f) => format!("{anchor}--{f}"),
            };
            return Some(format!("#{id}"));
        }
        if decoded.ends_with(".html") {
            return None;
        }
        // A file (a download): the print page is at the root, so its path is its address.
        Some(match fragment {
            Some(f) => format!("{target}#{f}"),
            None => target,
        })
    }
}

fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The text of an element, with its white space collapsed.
fn text_of(node: NodeRef<Node>) -> String {
    let text: String = node.descendants().filter_map(|n| n.value().as_text().map(|t| t.to_string())).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).expect("writing to a String cannot fail");
}

/// The handbook's name as a CSS string, for the running header of printed pages.
pub(super) fn css_string(text: &str) -> String {
    let mut s = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' | '\\' => {
                s.push('\\');
                s.push(ch);
            }
            '<' => s.push_str("\\3c "),
            '\n' | '\r' => s.push_str("\\a "),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// What the print page's template is given for a part.
#[derive(Serialize)]
pub(super) struct PartView<'a> {
    number: usize,
    anchor: &'a str,
    title: &'a str,
    kind: &'static str,
    html: std::borrow::Cow<'a, str>,
}

/// The parts as the print page's template is given them: with their HTML, or (`marked`)
/// with a marker in its place, which [`assemble`] replaces.
pub(super) fn views(parts: &[Part], marked: bool) -> Vec<PartView<'_>> {
    parts
        .iter()
        .map(|p| PartView {
            number: p.number,
            anchor: &p.anchor,
            title: &p.title,
            kind: p.kind,
            html: if marked { marker(p.number).into() } else { p.html.as_str().into() },
        })
        .collect()
}

/// What marks where a part goes: a comment, and an element right after it that shows, once
/// parsed, that nothing before it (an element a template left open, a table) would change
/// how the part's HTML is read there.
const MARKER_START: &str = "<!--mb-part-";
const PROBE: &str = "mb-part-probe";

fn marker(number: usize) -> String {
    format!("{MARKER_START}{number}--><{PROBE}></{PROBE}>")
}

/// Elements a part may stand in and be parsed there exactly as its nodes say: containers of
/// any flow content that close nothing a part opens.
const CONTAINERS: &[&str] = &["html", "body", "main", "div", "section", "article", "aside", "nav", "header", "footer"];

/// The print page's text as rendered and its parse, made from `frame` (the page rendered
/// with markers for the parts, see [`views`]) and the parts' nodes, so that the parts' HTML,
/// most of the page, is not parsed a second time: each marker's place in the text gets the
/// part's HTML, and its place in the parse the part's nodes, joined to the text around them
/// as the parser would join them. `None` where a part has no nodes, or where the template
/// does not place every marker once, in order, in a container of [`CONTAINERS`] only: the
/// caller renders the page with the parts and parses it whole.
pub(super) fn assemble(frame: &str, parts: &mut [Part]) -> Option<(String, Html)> {
    if parts.iter().any(|p| p.nodes.is_none()) || frame.matches(MARKER_START).count() != parts.len() {
        return None;
    }
    let mut text = String::with_capacity(frame.len() + parts.iter().map(|p| p.html.len()).sum::<usize>());
    let mut rest = frame;
    for part in parts.iter() {
        let m = marker(part.number);
        let at = rest.find(&m)?;
        text.push_str(&rest[..at]);
        text.push_str(&part.html);
        rest = &rest[at + m.len()..];
    }
    text.push_str(rest);

    let mut doc = Html::parse_document(frame);
    let mut places: Vec<(NodeId, NodeId)> = Vec::new();
    for edge in doc.tree.root().traverse() {
        let Edge::Open(node) = edge else { continue };
        let Node::Comment(c) = node.value() else { continue };
        let Some(number) = c.strip_prefix("mb-part-") else { continue };
        let part = parts.get(places.len())?;
        let probe = node.next_sibling().filter(|n| n.value().as_element().is_some_and(|e| e.name() == PROBE))?;
        let contained = node.ancestors().all(|a| match a.value() {
            Node::Element(e) => e.name.ns == ns!(html) && CONTAINERS.contains(&e.name()),
            Node::Document => true,
            _ => false,
        });
        if number != part.number.to_string() || !contained || probe.has_children() {
            return None;
        }
        places.push((node.id(), probe.id()));
    }
    if places.len() != parts.len() {
        return None;
    }
    let mut containers: Vec<NodeId> =
        places.iter().filter_map(|(at, _)| doc.tree.get(*at)?.parent()).map(|p| p.id()).collect();
    containers.dedup();
    for ((at, probe), part) in places.into_iter().zip(parts) {
        // Each part's nodes go once they are in, so the page's tree grows as they shrink.
        let nodes = part.nodes.take();
        if let Some(nodes) = &nodes {
            graft(&mut doc, at, nodes);
        }
        drop(nodes);
        for id in [at, probe] {
            if let Some(mut n) = doc.tree.get_mut(id) {
                n.detach();
            }
        }
    }
    join_texts(&mut doc, &containers);
    Some((text, doc))
}

/// Puts `nodes` into `doc` before the node `at`.
fn graft(doc: &mut Html, at: NodeId, nodes: &Nodes) {
    let mut open: Vec<NodeId> = Vec::new();
    let text = |start: u32, end: u32| &nodes.text[start as usize..end as usize];
    let mut events = nodes.events.iter().peekable();
    while let Some(event) = events.next() {
        let node = match event {
            Event::Close => {
                open.pop();
                continue;
            }
            Event::Attribute(..) => continue,
            Event::Text(start, end) => Node::Text(scraper::node::Text { text: text(*start, *end).into() }),
            Event::Open(name) => {
                let mut attrs = Vec::new();
                while let Some(Event::Attribute(k, start, end)) = events.peek() {
                    attrs.push(html5ever::Attribute { name: k.clone(), value: text(*start, *end).into() });
                    events.next();
                }
                Node::Element(scraper::node::Element::new(name.clone(), attrs))
            }
        };
        let is_element = matches!(node, Node::Element(_));
        let id = match open.last() {
            Some(parent) => doc.tree.get_mut(*parent).map(|mut p| p.append(node).id()),
            None => doc.tree.get_mut(at).map(|mut m| m.insert_before(node).id()),
        };
        if let (Some(id), true) = (id, is_element) {
            open.push(id);
        }
    }
}

/// Joins text nodes that follow each other among the children of `containers`, where parts
/// met the text around their markers, as the parser would have made them one.
fn join_texts(doc: &mut Html, containers: &[NodeId]) {
    let ids: Vec<NodeId> = containers
        .iter()
        .filter_map(|c| doc.tree.get(*c))
        .flat_map(|c| c.children())
        .filter(|n| n.value().is_text() && n.next_sibling().is_some_and(|s| s.value().is_text()))
        .map(|n| n.id())
        .collect();
    // Backwards, so each text takes in the (already joined) text after it.
    for id in ids.into_iter().rev() {
        let Some(next) = doc.tree.get(id).and_then(|n| n.next_sibling()).map(|n| n.id()) else { continue };
        let Some(Node::Text(after)) = doc.tree.get(next).map(|n| n.value().clone()) else { continue };
        if let Some(mut node) = doc.tree.get_mut(id)
            && let Node::Text(t) = node.value()
        {
            t.text.push_tendril(&after.text);
        }
        if let Some(mut n) = doc.tree.get_mut(next) {
            n.detach();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page `body` (its `.mb-content`) as part `number`.
    fn part(number: usize, body: &str) -> Part {
        let doc = Html::parse_document(&format!("<!doctype html><main><div class=mb-content>{body}</div></main>"));
        let anchors = BTreeMap::from([("b.html".to_string(), "b".to_string())]);
        let anchor = format!("p{number}");
        let (title, html, nodes) = rewrite(&doc, "a.html", &anchor, number, &anchors);
        Part { number, anchor, title, kind: "page", html, nodes: nodes.map(Arc::new) }
    }

    /// Every node of `doc` in order, with its depth: what two parses must agree on.
    fn nodes(doc: &Html) -> Vec<String> {
        let mut out = Vec::new();
        let mut depth = 0;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    depth += 1;
                    out.push(match n.value() {
                        Node::Element(e) => {
                            let attrs: Vec<(String, &str)> =
                                e.attrs.iter().map(|(k, v)| (format!("{k:?}"), &**v)).collect();
                            format!("{depth} <{:?} {attrs:?}>", e.name)
                        }
                        Node::Text(t) => format!("{depth} {:?}", &**t),
                        other => format!("{depth} {other:?}"),
                    });
                }
                Edge::Close(_) => depth -= 1,
            }
        }
        out
    }

    fn frame(parts: &[Part], around: (&str, &str)) -> String {
        let views = views(parts, true);
        let sections: String =
            views.iter().map(|v| format!("<section>{}\n{}\n{}</section>", around.0, v.html, around.1)).collect();
        format!("<!doctype html><html><body><main>{sections}</main></body></html>")
    }

    #[test]
    fn the_print_page_made_from_its_parts_is_the_parse_of_its_text() {
        let parts = [
            part(
                1,
                "\n<h1 id=\"mb-title\">Titel &amp; mer</h1>\n<p id=x>a &lt; b <a href=\"b.html#y\">länk</a></p>\
                 <pre>\n\nkod\n</pre><textarea>\nx</textarea><table><tbody><tr><td>c</td></tr></tbody></table>\
                 <form><input></form>slut ",
            ),
            part(2, "början <a href=\"c.html\">utan länk</a> efter<br><img src=\"i.png\" alt=\"\">"),
        ];
        for around in [("", ""), ("Text före", "text efter"), ("<p>stycke</p>", "<div>block</div>")] {
            let frame = frame(&parts, around);
            let (text, doc) = assemble(&frame, &mut parts.clone()).expect("the parts go where the markers are");
            let parsed = Html::parse_document(&text);
            assert_eq!(nodes(&doc), nodes(&parsed), "around {around:?}");
            assert_eq!(crate::minify::document(&doc), crate::minify::document(&parsed));
            let (ours, theirs) =
                (crate::inspect::read_parsed("hela.html", &doc), crate::inspect::read_parsed("hela.html", &parsed));
            assert_eq!((ours.ids, ours.links), (theirs.ids, theirs.links));
            assert!(
                text.contains("<h2 id=\"p1\"><span class=\"mb-part-number\">1 </span>Titel &amp; mer</h2>"),
                "{text}"
            );
            assert!(text.contains("början utan länk efter"), "{text}");
        }
    }

    #[test]
    fn where_the_parts_would_be_read_otherwise_the_page_is_parsed_whole() {
        let parts = [part(1, "<h1>Ett</h1><p>x</p>"), part(2, "<h1>Två</h1>")];
        let good = frame(&parts, ("", ""));
        assert!(assemble(&good, &mut parts.clone()).is_some());
        // A marker in a paragraph (the part's blocks would close it), in a table, repeated,
        // missing, or escaped.
        let m1 = marker(1);
        for bad in [
            good.replacen(&m1, &format!("<p>{m1}"), 1),
            good.replacen(&m1, &format!("<table>{m1}</table>"), 1),
            good.replacen(&m1, &format!("{m1}{m1}"), 1),
            good.replacen(&m1, "", 1),
            good.replacen(&m1, &m1.replace('<', "&lt;"), 1),
            good.replacen(&m1, &format!("<b>x</section><section>{m1}"), 1),
        ] {
            assert!(assemble(&bad, &mut parts.clone()).is_none(), "{bad}");
        }
        // A part with SVG in it is not told from its nodes.
        let svg = [part(1, "<h1>Ett</h1><svg><title>t</title></svg>"), part(2, "<h1>Två</h1>")];
        assert!(svg[0].nodes.is_none());
        assert!(assemble(&frame(&svg, ("", "")), &mut svg.clone()).is_none());
    }
}
