//! "On this page": the contents list of a page with three or more sections, made from the
//! page as rendered, so that it lists every second-level heading the page shows (the
//! method's sections, a checklist's heading, a supplement's section, Markdown headings)
//! whatever template shows them.
//!
//! A template marks where the list goes with [`START`] and the layout marks where the
//! sections end with [`END`]; the headings between them (`h2` with an `id`) are read from the
//! parse of the page that everything else is read from (see `render::read`), the list is
//! rendered with `partials/toc.html`, and it is put in place both in the page's text and in
//! that parse, so the page is not parsed again.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};
use serde::Serialize;

/// Where the contents list goes.
pub(super) const START: &str = "<!--mb-toc-->";
/// Where the page's sections end.
pub(super) const END: &str = "<!--mb-toc-end-->";
/// A page lists its sections from this many on.
const AT_LEAST: usize = 3;

/// A section of the page: its heading's id and text.
#[derive(Debug, Serialize, PartialEq)]
pub(super) struct Heading {
    pub id: String,
    pub text: String,
}

/// The markers' text inside the comments.
fn marker(m: &str) -> &str {
    m.trim_start_matches("<!--").trim_end_matches("-->")
}

/// The start marker in `doc`, and the `h2` headings with an id between it and the end marker
/// (or the end of the page), in order.
fn read(doc: &Html) -> (Option<NodeId>, Vec<Heading>) {
    let mut start = None;
    let mut found = Vec::new();
    for edge in doc.tree.root().traverse() {
        let Edge::Open(node) = edge else { continue };
        match node.value() {
            Node::Comment(c) if start.is_none() && &**c == marker(START) => start = Some(node.id()),
            Node::Comment(c) if start.is_some() && &**c == marker(END) => break,
            Node::Element(e) if start.is_some() && e.name() == "h2" => {
                if let Some(id) = e.id() {
                    let text: String = node.descendants().filter_map(|n| n.value().as_text().map(|t| &**t)).collect();
                    found.push(Heading {
                        id: id.to_string(),
                        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                    });
                }
            }
            _ => {}
        }
    }
    (start, found)
}

/// `body`, parsed as `doc`, with its contents list in place (rendered by `render` from the
/// headings) when the page has enough sections, and without the markers; `doc` gets the
/// list's nodes where the start marker is.
pub(super) fn insert<E>(
    body: String,
    doc: &mut Html,
    render: impl FnOnce(&[Heading]) -> Result<String, E>,
) -> Result<String, E> {
    let Some(at) = body.find(START) else { return Ok(body.replacen(END, "", 1)) };
    let (node, found) = read(doc);
    let list = if found.len() >= AT_LEAST { render(&found)? } else { String::new() };
    if let Some(node) = node
        && !list.is_empty()
    {
        place(doc, node, &Html::parse_fragment(&list));
    }
    let end = body[at..].find(END).map_or(body.len(), |e| at + e);
    let mut out = String::with_capacity(body.len() + list.len());
    out.push_str(&body[..at]);
    out.push_str(&list);
    out.push_str(&body[at + START.len()..end]);
    out.push_str(body[end..].strip_prefix(END).unwrap_or(&body[end..]));
    Ok(out)
}

/// Copies the nodes of the parsed fragment `list` into `doc` before the node `at`, without
/// recursion.
fn place(doc: &mut Html, at: NodeId, list: &Html) {
    // A fragment's nodes are the children of the `html` element the parser puts them in.
    let Some(top) = list.tree.root().first_child() else { return };
    let mut stack = Vec::new();
    for child in top.children() {
        let Some(mut marker) = doc.tree.get_mut(at) else { return };
        stack.push((child, marker.insert_before(child.value().clone()).id()));
    }
    while let Some((from, to)) = stack.pop() {
        for child in from.children() {
            let Some(mut parent) = doc.tree.get_mut(to) else { continue };
            stack.push((child, parent.append(child.value().clone()).id()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(hs: &[Heading]) -> Result<String, ()> {
        Ok(format!("<ul>{}</ul>", hs.iter().map(|h| format!("<li>{}:{}</li>", h.id, h.text)).collect::<String>()))
    }

    #[test]
    fn lists_the_second_level_headings_between_the_markers_with_their_text() {
        let body = format!(
            "<h2 id=a>Före</h2>{START}<h2 id=\"b\">Syfte</h2><p>x</p><h2 class=k id=c><span>Tillägg:</span>\n  Mina</h2>\
             <h3 id=d>Under</h3><h2>Utan id</h2><h2 id=e>Sist &amp; slut</h2>{END}<h2 id=f>Efter</h2>"
        );
        let mut doc = Html::parse_document(&body);
        let out = insert(body, &mut doc, list).unwrap();
        assert_eq!(
            out,
            "<h2 id=a>Före</h2><ul><li>b:Syfte</li><li>c:Tillägg: Mina</li><li>e:Sist & slut</li></ul><h2 id=\"b\">Syfte</h2><p>x</p>\
             <h2 class=k id=c><span>Tillägg:</span>\n  Mina</h2><h3 id=d>Under</h3><h2>Utan id</h2>\
             <h2 id=e>Sist &amp; slut</h2><h2 id=f>Efter</h2>"
        );
        // The parse has the list where the text has it.
        let again = Html::parse_document(&out);
        let names = |d: &Html| {
            d.tree
                .root()
                .descendants()
                .filter_map(|n| n.value().as_element().map(|e| e.name().to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&doc), names(&again));
        assert_eq!(doc.root_element().text().collect::<String>(), again.root_element().text().collect::<String>());
    }

    #[test]
    fn a_page_with_fewer_than_three_sections_has_no_list_and_no_markers() {
        let body = format!("{START}<h2 id=a>A</h2><h2 id=b>B</h2>{END}");
        let mut doc = Html::parse_document(&body);
        let out = insert(body, &mut doc, |_: &[Heading]| Ok::<_, ()>("LIST".to_string())).unwrap();
        assert_eq!(out, "<h2 id=a>A</h2><h2 id=b>B</h2>");
        assert!(!doc.root_element().text().any(|t| t.contains("LIST")));
    }
}
