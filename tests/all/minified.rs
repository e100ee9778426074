//! The minified pages are the pages as rendered: every page of the bundled handbook, the
//! example municipal copy and the fixture site (which has a code block) is parsed as
//! rendered and as minified, and the two documents have the same elements with the same
//! attributes in the same order, and the same scripts and styles. Their text is the text
//! minify-html gave them (the minifier the pages had before), so what white space was left
//! out shows as it did: the same text nodes, white space included, in the same places.

use std::path::Path;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::common::{fixture, repo_root};

/// What a parsed page holds, in document order: its elements (name and attributes), its
/// text (and whether it is in a `pre`), the text of its scripts and styles, and its comments.
#[derive(Default)]
struct Walk {
    elements: Vec<String>,
    text: Vec<(bool, String)>,
    code: Vec<String>,
    comments: usize,
}

fn walk(html: &str) -> Walk {
    let doc = Html::parse_document(html);
    let mut w = Walk::default();
    for edge in doc.tree.root().traverse() {
        let Edge::Open(node) = edge else { continue };
        match node.value() {
            Node::Element(e) => {
                let attrs: Vec<String> = e.attrs().map(|(k, v)| format!("{k}={v:?}")).collect();
                w.elements.push(format!("<{} {}>", e.name(), attrs.join(" ")));
            }
            Node::Text(t) => {
                let parent = node.parent().and_then(|p| p.value().as_element().map(|e| e.name().to_string()));
                let parent = parent.unwrap_or_default();
                if parent == "script" || parent == "style" {
                    w.code.push(t.to_string());
                } else {
                    let in_pre = node.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "pre"));
                    w.text.push((in_pre, t.to_string()));
                }
            }
            Node::Comment(_) => w.comments += 1,
            _ => {}
        }
    }
    w
}

/// minify-html as the build configured it before.
fn minify_html(html: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.keep_comments = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).unwrap()
}

fn pages(site: &Path, minify: bool) -> Vec<(String, String)> {
    let rendered = metodbok::render_site(site, minify, "public", metodbok::PdfWhen::Asked).expect("the site renders");
    rendered
        .files
        .into_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

#[test]
fn every_minified_page_is_the_page_as_rendered_with_the_white_space_minify_html_left() {
    let sites = [repo_root(), repo_root().join("examples/exempel-kommun"), fixture("site")];
    for site in sites {
        let (rendered, minified) = (pages(&site, false), pages(&site, true));
        assert_eq!(rendered.len(), minified.len());
        let mut pre = 0;
        for ((path, raw), (min_path, min)) in rendered.iter().zip(&minified) {
            assert_eq!(path, min_path);
            let (before, ours, theirs) = (walk(raw), walk(min), walk(&minify_html(raw)));
            let at = format!("{} {path}", site.display());
            assert!(min.len() < raw.len(), "{at}: {} bytes minified, {} as rendered", min.len(), raw.len());
            assert_eq!(ours.elements, before.elements, "{at}: the elements differ");
            assert_eq!(ours.code, before.code, "{at}: a script or style differs");
            assert_eq!(ours.comments, 0, "{at}: comments are left out");
            for (i, (a, b)) in ours.text.iter().zip(&theirs.text).enumerate() {
                assert_eq!(a, b, "{at}: text node {i} differs from minify-html's");
            }
            assert_eq!(ours.text.len(), theirs.text.len(), "{at}: minify-html left another number of text nodes");
            pre += ours.text.iter().filter(|(in_pre, t)| *in_pre && t.contains('\n')).count();
        }
        if site == fixture("site") {
            assert!(pre > 0, "the fixture's code block keeps its lines");
        }
    }
}
