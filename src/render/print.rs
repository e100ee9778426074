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

use ego_tree::NodeRef;
use scraper::{Html, Node, Selector};
use serde::Serialize;

use super::{Job, job_path};
use crate::content::Content;
use crate::paths;

/// One page of the handbook as a part of the print page.
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
        let (title, html) = rewrite(doc, path, anchor, *number, &self.anchors);
        Some(Part { number: *number, anchor: anchor.clone(), title, kind, html })
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
}

/// The content of the page at `path` rewritten as part `number` with id `anchor`; returns
/// its title and HTML.
fn rewrite(
    doc: &Html,
    path: &str,
    anchor: &str,
    number: usize,
    anchors: &BTreeMap<String, String>,
) -> (String, String) {
    let content = Selector::parse(".mb-content").expect("a valid selector");
    let mut w = Rewriter { path, anchor, number, anchors, out: String::new(), title: String::new() };
    if let Some(root) = doc.select(&content).next() {
        for child in root.children() {
            w.node(child);
        }
    }
    (w.title, w.out)
}

impl Rewriter<'_> {
    fn node(&mut self, node: NodeRef<Node>) {
        match node.value() {
            Node::Text(t) => escape(&mut self.out, t),
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
                for (k, v) in el.attrs() {
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
                }
                if is_title && !attrs.iter().any(|(k, _)| *k == "id") {
                    attrs.push(("id", self.anchor.to_string()));
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
                if is_title {
                    self.out.push_str(&format!("<span class=\"mb-part-number\">{} </span>", self.number));
                    self.title = text_of(node);
                }
                if VOID.contains(&name) {
                    return;
                }
                for child in node.children() {
                    self.node(child);
                }
                self.out.push_str("</");
                self.out.push_str(&tag);
                self.out.push('>');
            }
            _ => {}
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
