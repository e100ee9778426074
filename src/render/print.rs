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
    /// The page's content, rewritten for the print page; empty where `html_dropped`.
    pub html: String,
    /// `html` was let go of, the part being read (see [`Plan::part`]).
    #[serde(skip)]
    pub html_dropped: bool,
    /// What the print page needs of `html` where it stands there, read as the page was, or
    /// `None` where that cannot be told without parsing the print page (see [`assemble`]).
    #[serde(skip)]
    pub read: Option<Arc<Read>>,
}

impl PartialEq for Part {
    fn eq(&self, other: &Self) -> bool {
        (self.number, &self.anchor, &self.title, self.kind, &self.html)
            == (other.number, &other.anchor, &other.title, other.kind, &other.html)
    }
}

/// A part as the print page holds it, read when its page was, so that the print page is
/// neither parsed nor built as one tree: its minified text and its facts (ids, links,
/// addresses on other hosts; its depth counted from its own top elements).
#[derive(Debug)]
pub(super) struct Read {
    minified: Option<String>,
    facts: crate::inspect::PageFacts,
}

/// The nodes a parser makes of a part where the print page holds it, in document order.
#[derive(Debug, Default)]
struct Nodes {
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

    /// The part made of the page at `path`, parsed as `doc`, if the page is in the order;
    /// read for a minified print page if `minify`. Without `keep_html`, a part that is read
    /// lets its HTML go: the print page is made from what was read, and where it cannot be
    /// after all, the page is rendered again for its HTML.
    pub(super) fn part(&self, path: &str, doc: &Html, minify: bool, keep_html: bool) -> Option<Part> {
        let (number, anchor, kind) = self.places.get(path)?;
        let (title, mut html, nodes) = rewrite(doc, path, anchor, *number, &self.anchors);
        let read = nodes.and_then(|n| read(&n, minify)).map(Arc::new);
        let html_dropped = !keep_html && read.is_some();
        if html_dropped {
            html = String::new();
        }
        html.shrink_to_fit();
        Some(Part { number: *number, anchor: anchor.clone(), title, kind, html, html_dropped, read })
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
    let content = crate::inspect::elements(doc).find(|e| crate::inspect::classes(e.value()).any(|c| c == "mb-content"));
    if let Some(root) = content {
        for child in root.children() {
            w.node(child);
        }
    }
    let nodes = w.nodes.filter(|n| u32::try_from(n.text.len()).is_ok());
    (w.title, w.out, nodes)
}

/// A part's nodes read as the print page holds them: in a `section` (every container of
/// [`CONTAINERS`] treats white space alike), with at least one element among them. `None` where the part's ends could join the text
/// around it on the print page: where its first or last node is text that is not all white
/// space (see [`assemble`]).
fn read(nodes: &Nodes, minify: bool) -> Option<Read> {
    let mut doc = Html::new_document();
    let section =
        doc.tree.root_mut().append(Node::Element(scraper::node::Element::new(html_name("section"), Vec::new()))).id();
    graft(&mut doc, section, nodes);
    let section = doc.tree.get(section)?;
    let kept_apart = |n: Option<NodeRef<Node>>| match n.map(|n| n.value()) {
        Some(Node::Element(_)) => true,
        Some(Node::Text(t)) => t.chars().all(crate::minify::is_space),
        _ => false,
    };
    let has_element = section.children().any(|c| c.value().is_element());
    if !has_element || !kept_apart(section.first_child()) || !kept_apart(section.last_child()) {
        return None;
    }
    let minified = minify.then(|| {
        let mut m = crate::minify::children(section);
        m.shrink_to_fit();
        m
    });
    Some(Read { minified, facts: crate::inspect::read_children(section) })
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
                if DROPPED.contains(&name) || crate::inspect::classes(el).any(|c| SCREEN_ONLY.contains(&c)) {
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
/// any flow content that close nothing a part opens, and whose white space between blocks
/// does not show (minifying drops it).
const CONTAINERS: &[&str] = &["html", "body", "main", "div", "section", "article", "aside", "nav", "header", "footer"];

/// The print page as made from `frame` (the page rendered with markers for the parts, see
/// [`views`]) and its parts as read with their pages, without parsing the parts' HTML, most
/// of the page, again or building one tree of it all.
pub(super) struct Assembled {
    /// The page's text as rendered, where it is asked for: each marker replaced by its part's
    /// HTML.
    pub text: Option<String>,
    /// The page minified, where asked for and the page is not too deep to be (see
    /// [`crate::inspect::MAX_PAGE_DEPTH`]).
    pub minified: Option<String>,
    pub facts: crate::inspect::PageFacts,
}

/// The print page made from `frame` and `parts` (see [`Assembled`]): the frame is parsed,
/// and where a marker's probe stands in that parse, its part's nodes would stand in the
/// parse of the whole text, so the part's facts and minified text are put there. That is
/// the page a parse of the whole text gives, read and minified, because each part stands in
/// a container of [`CONTAINERS`], where the parser reads its HTML as it read it on its own,
/// and what is next to it in the frame is an element, white space or nothing: so the texts
/// that meet at a part's edge (white space, or nothing, from the part, see [`read`]) are all
/// white space, which minifying drops in such a container, as it drops them on their own.
/// `None` where a part was not read, where the template does not place every marker once,
/// in order, in such a container with only white space or elements beside it, where the
/// page is to list its sections (see [`super::toc`]), or where its `main` is not left out of
/// the search: the caller renders the page with the parts and parses it whole.
/// Where the page is made, `parts` are let go of as they are put in (their memo keeps copies
/// of its own): the search index is made beside this, and a large site's parts take tens of
/// MB.
pub(super) fn assemble(frame: &str, parts: &mut [Part], minify: bool, keep_text: bool) -> Option<Assembled> {
    let unread = |p: &Part| p.read.as_ref().is_none_or(|r| minify && r.minified.is_none());
    if parts.iter().any(unread)
        || frame.matches(MARKER_START).count() != parts.len()
        || frame.contains(super::toc::START)
    {
        return None;
    }
    let doc = Html::parse_document(frame);
    let white = |n: Option<NodeRef<Node>>| match n.map(|n| n.value()) {
        None | Some(Node::Element(_)) => true,
        Some(Node::Text(t)) => t.chars().all(crate::minify::is_space),
        _ => false,
    };
    let mut probes: Vec<NodeId> = Vec::new();
    for edge in doc.tree.root().traverse() {
        let Edge::Open(node) = edge else { continue };
        let Node::Comment(c) = node.value() else { continue };
        let Some(number) = c.strip_prefix("mb-part-") else { continue };
        let part = parts.get(probes.len())?;
        let probe = node.next_sibling().filter(|n| n.value().as_element().is_some_and(|e| e.name() == PROBE))?;
        let contained = node.ancestors().all(|a| match a.value() {
            Node::Element(e) => e.name.ns == ns!(html) && CONTAINERS.contains(&e.name()),
            Node::Document => true,
            _ => false,
        });
        let apart = white(node.prev_sibling()) && white(probe.next_sibling());
        if number != part.number.to_string() || !contained || !apart || probe.has_children() {
            return None;
        }
        probes.push(probe.id());
    }
    if probes.len() != parts.len() {
        return None;
    }
    let main = crate::inspect::elements(&doc).find(|e| e.value().name() == "main")?;
    if main.value().attr("data-search") != Some("exclude") {
        return None;
    }

    // The page is made from here on.
    let reads: Vec<Arc<Read>> = parts.iter_mut().filter_map(|p| p.read.take()).collect();
    let mut next = 0;
    let facts = crate::inspect::read_spliced(&doc, |node, depth, facts| {
        if probes.get(next) != Some(&node.id()) {
            return false;
        }
        let part = &reads[next].facts;
        facts.ids.extend_from(&part.ids);
        facts.links.extend_from(&part.links);
        facts.foreign.extend(part.foreign.iter().cloned());
        facts.depth = facts.depth.max(depth + part.depth);
        next += 1;
        true
    });
    let minify = minify && facts.depth <= crate::inspect::MAX_PAGE_DEPTH;
    let keep_text = keep_text || !minify;
    if !keep_text {
        for part in parts.iter_mut() {
            part.html = String::new();
        }
    }
    let minified = minify.then(|| {
        // At most the frame as rendered and the parts: the page is not copied as it grows.
        let capacity = frame.len() + reads.iter().map(|r| r.minified.as_ref().map_or(0, String::len)).sum::<usize>();
        let mut reads = reads.into_iter();
        let mut next = 0;
        crate::minify::document_spliced(&doc, capacity, |node, out| {
            if probes.get(next) != Some(&node.id()) {
                return false;
            }
            next += 1;
            // Each part goes once it is in.
            if let Some(read) = reads.next() {
                out.push_str(read.minified.as_deref().unwrap_or_default());
            }
            true
        })
    });
    let text = keep_text.then(|| {
        let mut text = String::with_capacity(frame.len() + parts.iter().map(|p| p.html.len()).sum::<usize>());
        let mut rest = frame;
        for part in parts.iter_mut() {
            let m = marker(part.number);
            // Each marker is there, once, in order: the parse above found them so.
            let at = rest.find(&m).unwrap_or(rest.len());
            text.push_str(&rest[..at]);
            text.push_str(&std::mem::take(&mut part.html));
            rest = &rest[(at + m.len()).min(rest.len())..];
        }
        text.push_str(rest);
        text
    });
    Some(Assembled { text, minified, facts })
}

/// Appends `nodes` to the children of `parent` in `doc`.
fn graft(doc: &mut Html, parent: NodeId, nodes: &Nodes) {
    let mut open: Vec<NodeId> = vec![parent];
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
        let Some(mut at) = open.last().and_then(|p| doc.tree.get_mut(*p)) else { return };
        let id = at.append(node).id();
        if is_element {
            open.push(id);
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
        let read = nodes.and_then(|n| read(&n, true)).map(Arc::new);
        Part { number, anchor, title, kind: "page", html, html_dropped: false, read }
    }

    /// The print page's frame: each part's marker in a `section`, with `around` before and
    /// after it.
    fn frame(parts: &[Part], around: (&str, &str)) -> String {
        let views = views(parts, true);
        let sections: String =
            views.iter().map(|v| format!("<section>{}\n{}\n{}</section>", around.0, v.html, around.1)).collect();
        format!("<!doctype html><html><body><main data-search=exclude>{sections}</main></body></html>")
    }

    /// What is read of a page: its ids, links, addresses on other hosts and depth.
    fn facts(f: &crate::inspect::PageFacts) -> (Vec<String>, Vec<String>, Vec<String>, usize, usize) {
        let all = |s: &crate::inspect::Strings| s.iter().map(String::from).collect();
        (all(&f.ids), all(&f.links), f.foreign.clone(), f.depth, f.sections.len())
    }

    /// Parts whose pages' content starts and ends with white space or elements, as the
    /// layout's does.
    fn parts() -> [Part; 3] {
        [
            part(
                1,
                "\n<h1 id=\"mb-title\">Titel &amp; mer</h1>\n<p id=x>a &lt; b <a href=\"b.html#y\">länk</a>  </p> \
                 <pre>\n\nkod\n</pre><textarea>\nx</textarea><table><tbody><tr><td> c </td></tr></tbody></table>\
                 <form><input></form> mitt <b>i</b> texten <p style=\"background: url(https://x.example/b.png)\">\
                 <img src=\"https://x.example/i.png\" alt=\"\"></p>\n ",
            ),
            part(2, "<h1>Två</h1>början <a href=\"c.html\">utan länk</a> efter<br><img src=\"i.png\" alt=\"\">"),
            part(3, " <div><div><ul><li><p>djupt <code> x  y </code></p></li></ul></div></div>"),
        ]
    }

    #[test]
    fn the_print_page_made_from_its_parts_is_the_parse_of_its_text_read_and_minified() {
        let parts = parts();
        assert!(parts.iter().all(|p| p.read.is_some()), "every part is read");
        for around in [("", ""), ("\n  ", " \t"), ("<p>stycke</p>", "<div>block</div>"), ("<hr> ", " <hr>")] {
            let frame = frame(&parts, around);
            for (minify, keep_text) in [(true, false), (true, true), (false, false)] {
                let a = assemble(&frame, &mut parts.clone(), minify, keep_text)
                    .expect("the parts go where the markers are");
                let text = a
                    .text
                    .clone()
                    .unwrap_or_else(|| assemble(&frame, &mut parts.clone(), false, true).unwrap().text.unwrap());
                let parsed = Html::parse_document(&text);
                let whole = crate::inspect::read_parsed("hela.html", &parsed);
                assert_eq!(facts(&a.facts), facts(&whole), "around {around:?}");
                assert_eq!(a.minified, minify.then(|| crate::minify::document(&parsed)), "around {around:?}");
                assert_eq!(a.text.is_some(), keep_text || !minify);
                assert!(
                    text.contains("<h2 id=\"p1\"><span class=\"mb-part-number\">1 </span>Titel &amp; mer</h2>"),
                    "{text}"
                );
                assert!(text.contains("början utan länk efter"), "{text}");
            }
        }
        // What is read shows in the facts: the parts' ids, links and other hosts' addresses.
        let a = assemble(&frame(&parts, ("", "")), &mut parts.clone(), true, false).unwrap();
        assert!(a.facts.ids.iter().any(|i| i == "p1--x"), "{:?}", a.facts.ids);
        assert!(a.facts.links.iter().any(|l| l == "#b--y"), "{:?}", a.facts.links);
        assert_eq!(a.facts.foreign, ["https://x.example/b.png", "https://x.example/i.png"]);
        assert!(a.minified.unwrap().contains("<p>djupt <code> x  y </code></p>"));
    }

    #[test]
    fn where_the_parts_would_be_read_otherwise_the_page_is_parsed_whole() {
        let parts = parts();
        let good = frame(&parts, ("", ""));
        assert!(assemble(&good, &mut parts.clone(), true, false).is_some());
        // A marker in a paragraph (the part's blocks would close it), in a table, repeated,
        // missing, escaped, or beside text that would join the part's; a page with its
        // own contents list, or whose sections are searched.
        let m1 = marker(1);
        for bad in [
            good.replacen(&m1, &format!("<p>{m1}"), 1),
            good.replacen(&m1, &format!("<table>{m1}</table>"), 1),
            good.replacen(&m1, &format!("{m1}{m1}"), 1),
            good.replacen(&m1, "", 1),
            good.replacen(&m1, &m1.replace('<', "&lt;"), 1),
            good.replacen(&m1, &format!("<b>x</section><section>{m1}"), 1),
            good.replacen(&m1, &format!("text {m1}"), 1),
            good.replacen(&m1, &format!("{m1} text"), 1),
            good.replacen(&m1, &format!("<!-- c -->{m1}"), 1),
            good.replacen("<main ", &format!("{}<main ", super::super::toc::START), 1),
            good.replace(" data-search=exclude", ""),
        ] {
            assert!(assemble(&bad, &mut parts.clone(), true, false).is_none(), "{bad}");
        }
        // A part with SVG in it is not told from its nodes, nor one whose content starts or
        // ends with text that would join the text beside it.
        for body in ["<h1>Ett</h1><svg><title>t</title></svg>", "text<h1>Ett</h1>", "<h1>Ett</h1>text", "\n"] {
            let odd = part(1, body);
            assert!(odd.read.is_none(), "{body}");
            let parts = [odd, part(2, "<h1>Två</h1>")];
            assert!(assemble(&frame(&parts, ("", "")), &mut parts.clone(), true, false).is_none());
        }
    }
}
