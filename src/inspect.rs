//! Reading the rendered pages: each page is parsed once, with a real HTML parser
//! (html5ever through scraper), and what later stages need is kept: its ids, its links, its
//! depth, whether it loads anything from another host, and its search sections.
//!
//! Every walk over a page is iterative, so no page, however deep, can exhaust a stack here
//! (nor in [`crate::minify`]); a page nested deeper than [`MAX_PAGE_DEPTH`] is refused before
//! anything else walks it.

use html5ever::{LocalName, local_name};
use scraper::{ElementRef, Html, Node};

use crate::policy;
use crate::search;

/// How deeply elements may nest in a rendered page. Markdown is limited to
/// [`policy::MAX_NESTING`] levels of each kind, so only a template can come near this.
pub const MAX_PAGE_DEPTH: usize = 256;

/// What a rendered page holds, as later stages need it.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id`, in order (a repeated one is a mistake).
    pub ids: Strings,
    /// Every `href` and `src`, entities decoded.
    pub links: Strings,
    /// The deepest nesting of elements.
    pub depth: usize,
    /// Addresses on other hosts that the page would load (images, media, frames, styles,
    /// scripts), and links with a scheme the handbook does not allow.
    pub foreign: Vec<String>,
    /// The page's search sections.
    pub sections: Vec<search::Section>,
}

/// Strings one after another in one text: a page's ids and links, which at 5,000 pages are
/// 220,000 short strings held until the link check (as a `String` each, 9 MB more).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(start, end)| &self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Adds every string of `other`, in order.
    pub fn extend_from(&mut self, other: &Strings) {
        for s in other.iter() {
            self.push(s);
        }
    }

    /// Without the room left for growth.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// The elements of `doc` in the order `Html::select` visits them (the order they were made
/// in), leaving out any taken out of the tree: what `select` would look through, for a
/// question too simple to need a selector and its matching caches.
pub fn elements(doc: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    doc.tree.nodes().filter_map(ElementRef::wrap).filter(|e| e.parent().is_some())
}

/// The classes of `el`, as `Element::classes` gives them (but perhaps repeated): without
/// making and interning a list of them for every element asked, as that does.
pub fn classes(el: &scraper::node::Element) -> impl Iterator<Item = &str> {
    el.attrs.iter().filter(|(name, _)| &*name.local == "class").flat_map(|(_, value)| value.split_ascii_whitespace())
}

/// Reads the page at output path `path`.
pub fn read(path: &str, html: &str) -> PageFacts {
    read_parsed(path, &Html::parse_document(html))
}

/// Reads the page at output path `path`, parsed.
pub fn read_parsed(path: &str, doc: &Html) -> PageFacts {
    let mut facts = PageFacts::default();
    walk(doc.tree.root(), 0, &mut facts, &mut |_, _, _| false);
    // Deeper than allowed, the page is refused; its sections are not needed.
    if facts.depth <= MAX_PAGE_DEPTH {
        facts.sections = search::sections_of(path, doc);
    }
    facts.ids.shrink_to_fit();
    facts.links.shrink_to_fit();
    facts
}

/// The ids, links, addresses on other hosts and depth (see [`PageFacts`]) of the page parsed
/// as `doc`, where `splice` is asked of each element whether it stands for nodes whose facts
/// it adds itself (given the facts so far and the number of elements the element is in); such
/// an element is not read. No sections: the caller knows the page has none.
pub(crate) fn read_spliced(
    doc: &Html,
    mut splice: impl FnMut(ego_tree::NodeRef<Node>, usize, &mut PageFacts) -> bool,
) -> PageFacts {
    let mut facts = PageFacts::default();
    walk(doc.tree.root(), 0, &mut facts, &mut splice);
    facts
}

/// The facts of the children of `parent` (no sections), with the depth counted from them.
pub(crate) fn read_children(parent: ego_tree::NodeRef<Node>) -> PageFacts {
    let mut facts = PageFacts::default();
    for child in parent.children() {
        walk(child, 0, &mut facts, &mut |_, _, _| false);
    }
    facts.ids.shrink_to_fit();
    facts.links.shrink_to_fit();
    facts
}

/// Adds the facts of `root` and what is in it to `facts`, `root` being in `depth` elements.
fn walk(
    root: ego_tree::NodeRef<Node>,
    mut depth: usize,
    facts: &mut PageFacts,
    splice: &mut dyn FnMut(ego_tree::NodeRef<Node>, usize, &mut PageFacts) -> bool,
) {
    // The element `splice` stood for, until it closes.
    let mut spliced = None;
    for edge in root.traverse() {
        let node = match edge {
            _ if spliced.is_some() => {
                if let ego_tree::iter::Edge::Close(n) = edge
                    && Some(n.id()) == spliced
                {
                    spliced = None;
                }
                continue;
            }
            ego_tree::iter::Edge::Open(n) => n,
            ego_tree::iter::Edge::Close(n) => {
                if n.value().is_element() {
                    depth -= 1;
                }
                continue;
            }
        };
        if node.value().is_element() && splice(node, depth, facts) {
            spliced = Some(node.id());
            continue;
        }
        let Node::Element(e) = node.value() else {
            if let Node::Text(t) = node.value()
                && node.parent().and_then(|p| p.value().as_element()).is_some_and(|p| p.name() == "style")
            {
                facts.foreign.extend(style_urls(t));
            }
            continue;
        };
        depth += 1;
        facts.depth = facts.depth.max(depth);
        // The first `id`, `href` and `src` (whatever their namespace, as `Element::attr`
        // finds them), compared as the parser's interned names.
        let first = |local: LocalName| e.attrs.iter().find(|(k, _)| k.local == local).map(|(_, v)| &**v);
        if let Some(id) = first(local_name!("id")) {
            facts.ids.push(id);
        }
        for link in [first(local_name!("href")), first(local_name!("src"))].into_iter().flatten() {
            facts.links.push(link);
        }
        for (qual, value) in e.attrs.iter() {
            let (name, value) = (&*qual.local, &**value);
            let loads = matches!(
                qual.local,
                local_name!("src")
                    | local_name!("srcset")
                    | local_name!("poster")
                    | local_name!("data")
                    | local_name!("background")
            ) || (qual.local == local_name!("href")
                && matches!(e.name(), "link" | "image" | "use" | "feimage"));
            if loads {
                let urls: Vec<&str> = if name == "srcset" {
                    value.split(',').filter_map(|c| c.split_whitespace().next()).collect()
                } else {
                    vec![value]
                };
                facts.foreign.extend(urls.into_iter().filter(|u| off_site(u)).map(str::to_string));
            } else if qual.local == local_name!("style") {
                facts.foreign.extend(style_urls(value));
            } else if qual.local == local_name!("href")
                && matches!(policy::classify(value), policy::Target::Forbidden(_))
            {
                facts.foreign.push(value.to_string());
            }
        }
    }
}

/// Whether a browser would fetch `url` from another host (or run it).
fn off_site(url: &str) -> bool {
    !matches!(policy::classify(url), policy::Target::Path | policy::Target::Anchor(_) | policy::Target::Reference)
}

/// Addresses on other hosts in CSS: `url(...)` and `@import "..."`.
fn style_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = css.to_ascii_lowercase();
    for (marker, close) in [("url(", ")"), ("@import", ";")] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            let start = from + i + marker.len();
            let end = lower[start..].find(close).map_or(css.len(), |j| start + j);
            let inner = css[start..end].trim().trim_start_matches("url(").trim_matches(|c| c == '"' || c == '\'');
            if off_site(inner.trim()) {
                out.push(inner.trim().to_string());
            }
            from = end.min(css.len());
            if from >= css.len() {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_read_once_for_ids_links_depth_and_foreign_resources() {
        let html = r#"<!DOCTYPE html><html lang="sv"><head><title>x</title>
            <link rel="stylesheet" href="https://cdn.example/x.css"><style>body{background:url('//evil.example/a.png')}</style></head>
            <body><main><h1>Rubrik</h1><h2 id="syfte">Syfte</h2><p>Text <a href="faser/a.html#x">a</a>
            <img src="img/a.png" srcset="img/a.png 1x, https://evil.example/b.png 2x"><a href="javascript:alert(1)">j</a></p></main></body></html>"#;
        let f = read("index.html", html);
        assert_eq!(f.ids.iter().collect::<Vec<_>>(), ["syfte"]);
        assert!(f.links.iter().any(|l| l == "faser/a.html#x"));
        assert_eq!(
            f.foreign,
            ["https://cdn.example/x.css", "//evil.example/a.png", "https://evil.example/b.png", "javascript:alert(1)"]
        );
        assert_eq!(f.sections.len(), 2);
    }

    #[test]
    fn a_page_of_any_depth_is_read_without_recursion() {
        let deep =
            format!("<html><body><main>{}x{}</main></body></html>", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let f = read("index.html", &deep);
        assert!(f.depth > MAX_PAGE_DEPTH);
        assert!(f.sections.is_empty());
    }
}
