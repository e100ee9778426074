//! Search: one index entry per heading section of every rendered page, built with
//! elasticlunr-rs and its Swedish pipeline, written as `search-index.js` for the theme's
//! search client (`js/search.js`), which loads it on demand.
//!
//! The sections come from the rendered HTML, so what a reader can find is exactly what the
//! pages show, whichever templates a site uses. A section starts at an `h2`–`h4` with an
//! `id`, or at any element marked `data-search-section` (a template's numbered heading, a
//! glossary term; its value is the depth below `h4`); `data-search-skip` leaves an element out; a `main` marked
//! `data-search="exclude"` leaves the page out.
//!
//! Tokens are runs of letters and digits, so text in separate cells, list items and
//! headings never merges into one word. A `.` or `:` between two digits joins (`3.1.3.2`,
//! `2015:66`). Tokens with a digit are indexed as they are; words go through elasticlunr's
//! Swedish pipeline (trimmer, Snowball stop words, Snowball stemmer). The client repeats
//! exactly these steps; a browser test proves both agree on every indexed token.

use std::collections::BTreeMap;

use elasticlunr::lang::{Language, Swedish};
use elasticlunr::pipeline::PipelineFn;
use elasticlunr::{IndexBuilder, Pipeline};
use scraper::{Html, Node, Selector};
use serde::Serialize;
use serde_json::{Value, json};

/// The format version of the index; the client refuses others.
pub const FORMAT: u32 = 1;

/// Snowball's Swedish stop word list, as elasticlunr-rs's Swedish pipeline removes it
/// (elasticlunr keeps its list private; a test proves the pipeline drops every word here,
/// the agreement test that it drops no other indexed word). Shipped in the index so the
/// client removes the same words from queries.
pub const STOP_WORDS: &[&str] = &[
    "alla", "allt", "att", "av", "blev", "bli", "blir", "blivit", "de", "dem", "den", "denna", "deras", "dess",
    "dessa", "det", "detta", "dig", "din", "dina", "ditt", "du", "där", "då", "efter", "ej", "eller", "en", "er",
    "era", "ert", "ett", "från", "för", "ha", "hade", "han", "hans", "har", "henne", "hennes", "hon", "honom", "hur",
    "här", "i", "icke", "ingen", "inom", "inte", "jag", "ju", "kan", "kunde", "man", "med", "mellan", "men", "mig",
    "min", "mina", "mitt", "mot", "mycket", "ni", "nu", "när", "någon", "något", "några", "och", "om", "oss", "på",
    "samma", "sedan", "sig", "sin", "sina", "sitta", "själv", "skulle", "som", "så", "sådan", "sådana", "sådant",
    "till", "under", "upp", "ut", "utan", "vad", "var", "vara", "varför", "varit", "varje", "vars", "vart", "vem",
    "vi", "vid", "vilka", "vilkas", "vilken", "vilket", "vår", "våra", "vårt", "än", "är", "åt", "över",
];

/// Tokens longer than this are not indexed (no word of the method comes near it); the client
/// drops them too. It also bounds the depth of elasticlunr's term trie.
pub const MAX_TERM_CHARS: usize = 64;

/// Elements whose edges are not word boundaries; every other element separates words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "u", "var",
];

/// Where tokens are in `text`, as byte ranges.
pub fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut start = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joins = (c == '.' || c == ':')
            && start.is_some()
            && chars[k - 1].1.is_ascii_digit()
            && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit());
        if c.is_alphanumeric() || joins {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push((s, i));
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The tokens of `text`, lowercased.
pub fn tokenize(text: &str) -> Vec<String> {
    token_spans(text).into_iter().map(|(s, e)| text[s..e].to_lowercase()).collect()
}

/// Tokens with a digit pass as they are (the Swedish trimmer would delete "2013"); words go
/// through elasticlunr's Swedish pipeline.
struct NumbersKept(Pipeline);

impl PipelineFn for NumbersKept {
    fn name(&self) -> String {
        "metodbok-sv".into()
    }

    fn filter(&self, token: String) -> Option<String> {
        if token.chars().count() > MAX_TERM_CHARS {
            return None;
        }
        if token.chars().any(char::is_numeric) { Some(token) } else { self.0.run(vec![token]).pop() }
    }
}

/// elasticlunr's Swedish language with our tokenizer and numbers kept.
struct SwedishSections;

impl Language for SwedishSections {
    fn name(&self) -> String {
        "Swedish".into()
    }

    fn code(&self) -> String {
        "sv".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline { queue: vec![Box::new(NumbersKept(Swedish::new().make_pipeline()))] }
    }
}

/// The index's analysis, for tests and the agreement check: token → term.
pub struct Analyzer(Pipeline);

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer(SwedishSections.make_pipeline())
    }
}

impl Analyzer {
    /// The term `token` is indexed under, or `None` for a stop word.
    pub fn term(&self, token: &str) -> Option<String> {
        self.0.run(vec![token.to_string()]).pop()
    }
}

/// One entry of the index: a heading section of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Relative to the site root, with the section's anchor: `faser/initiera.html#syfte`.
    pub url: String,
    pub title: String,
    /// Where the section is: `["Faser", "Initiera"]`.
    pub crumbs: Vec<String>,
    pub text: String,
    /// Names a thing of its own (a page's top, a glossary term marked `data-search-entity`);
    /// ranked above sections that only mention it.
    pub entity: bool,
}

/// The sections of one rendered page (`path` relative to the site root).
pub fn sections(path: &str, html: &str) -> Vec<Section> {
    sections_of(path, &Html::parse_document(html))
}

/// The sections of one rendered page, parsed.
pub fn sections_of(path: &str, doc: &Html) -> Vec<Section> {
    let main_sel = Selector::parse("main").expect("valid selector");
    let Some(main) = doc.select(&main_sel).next() else { return Vec::new() };
    if main.value().attr("data-search") == Some("exclude") {
        return Vec::new();
    }
    let crumb_sel = Selector::parse(&format!("#{} li", crate::paths::id("breadcrumbs"))).expect("valid selector");
    // Without "Start", with the page itself last.
    let crumbs: Vec<String> = doc.select(&crumb_sel).skip(1).map(|li| normalize(&text_of(*li))).collect();
    let mut w = Walker {
        path: path.to_string(),
        page_crumbs: crumbs,
        stack: Vec::new(),
        done: Vec::new(),
        current: Section {
            url: path.to_string(),
            title: String::new(),
            crumbs: Vec::new(),
            text: String::new(),
            entity: true,
        },
    };
    if let Some((_, above)) = w.page_crumbs.split_last() {
        w.current.crumbs = above.to_vec();
    }
    w.walk(*main);
    w.finish();
    w.done
}

struct Walker {
    path: String,
    page_crumbs: Vec<String>,
    stack: Vec<(u8, String)>,
    done: Vec<Section>,
    current: Section,
}

impl Walker {
    /// Reads everything below `root` in document order, with an explicit stack rather than
    /// recursion, so no depth of nesting can exhaust the thread's stack.
    fn walk(&mut self, root: ego_tree::NodeRef<Node>) {
        let mut stack: Vec<Step> = root.children().rev().map(Step::Node).collect();
        while let Some(step) = stack.pop() {
            let child = match step {
                Step::Space => {
                    self.current.text.push(' ');
                    continue;
                }
                Step::Node(n) => n,
            };
            match child.value() {
                Node::Text(t) => self.current.text.push_str(t),
                Node::Element(e) => {
                    let name = e.name();
                    if e.attr("data-search-skip").is_some()
                        || matches!(name, "script" | "style" | "template" | "noscript")
                    {
                        continue;
                    }
                    let level = match name {
                        "h1" => Some(1),
                        "h2" => Some(2),
                        "h3" => Some(3),
                        "h4" => Some(4),
                        // A numbered heading that is not an HTML heading: its depth follows h4.
                        _ => e.attr("data-search-section").map(|d| 4 + d.parse::<u8>().unwrap_or(1).clamp(1, 9)),
                    };
                    if let Some(level) = level {
                        let title = normalize(&text_of(child));
                        if level == 1 {
                            self.current.title = title;
                            continue;
                        }
                        if let Some(id) = e.attr("id") {
                            self.start(level, id, title, e.attr("data-search-entity").is_some());
                            continue;
                        }
                    }
                    if !INLINE.contains(&name) {
                        self.current.text.push(' ');
                        stack.push(Step::Space);
                    }
                    stack.extend(child.children().rev().map(Step::Node));
                }
                _ => {}
            }
        }
    }

    fn start(&mut self, level: u8, id: &str, title: String, entity: bool) {
        self.finish();
        while self.stack.last().is_some_and(|(l, _)| *l >= level) {
            self.stack.pop();
        }
        let mut crumbs = if self.page_crumbs.is_empty() && !self.done.is_empty() {
            // The start page has no breadcrumbs: its sections sit under its title.
            vec![self.done[0].title.clone()]
        } else {
            self.page_crumbs.clone()
        };
        // The nearest enclosing section says enough; the whole chain is too long to show.
        crumbs.extend(self.stack.last().map(|(_, t)| t.clone()));
        self.stack.push((level, title.clone()));
        self.current = Section { url: format!("{}#{id}", self.path), title, crumbs, text: String::new(), entity };
    }

    fn finish(&mut self) {
        let mut s = std::mem::replace(
            &mut self.current,
            Section {
                url: String::new(),
                title: String::new(),
                crumbs: Vec::new(),
                text: String::new(),
                entity: false,
            },
        );
        s.text = normalize(&s.text);
        if !s.title.is_empty() || !s.text.is_empty() {
            self.done.push(s);
        }
    }
}

/// What is left to read of a page: a node, or the space that closes a block element.
enum Step<'a> {
    Node(ego_tree::NodeRef<'a, Node>),
    Space,
}

/// All text below `node`, with a space at every block edge (iteratively, as [`Walker::walk`]).
fn text_of(node: ego_tree::NodeRef<Node>) -> String {
    let mut out = String::new();
    let mut stack: Vec<Step> = node.children().rev().map(Step::Node).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Space => out.push(' '),
            Step::Node(child) => match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if !INLINE.contains(&e.name()) {
                        out.push(' ');
                        stack.push(Step::Space);
                    }
                    stack.extend(child.children().rev().map(Step::Node));
                }
                _ => {}
            },
        }
    }
    out
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const FIELDS: [&str; 3] = ["title", "crumbs", "body"];

fn all_sections(pages: &[(&str, &str)]) -> Vec<Section> {
    use rayon::prelude::*;
    pages.par_iter().flat_map_iter(|(path, html)| sections(path, html)).collect()
}

/// The index of the pages' `sections` (in output path order) as the content of
/// `search-index.js`.
pub fn build_index(sections: &[Section]) -> String {
    let mut index = IndexBuilder::with_language(Box::new(SwedishSections)).save_docs(false).add_fields(&FIELDS).build();
    for (i, s) in sections.iter().enumerate() {
        index.add_doc(&i.to_string(), [s.title.as_str(), &s.crumbs.join(" › "), &s.text]);
    }
    // elasticlunr's own JSON spells every term as a trie of one-letter objects, several
    // times the size of the text; the client gets the same index as flat posting lists.
    let full = serde_json::to_value(&index).expect("an index serializes");
    let mut postings = Vec::new();
    for field in FIELDS {
        let mut terms: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        collect_terms(&full["index"][field]["root"], &mut String::new(), &mut terms);
        postings.push(terms);
    }
    let info = &full["documentStore"]["docInfo"];
    let lengths: Vec<Vec<u64>> = (0..sections.len())
        .map(|i| FIELDS.iter().map(|f| info[i.to_string()][f].as_u64().unwrap_or(0)).collect())
        .collect();
    let docs: Vec<Value> =
        sections.iter().map(|s| json!([s.url, s.title, s.crumbs.join(" › "), s.text, u8::from(s.entity)])).collect();
    let data = json!({
        "v": FORMAT,
        "stop": STOP_WORDS,
        "fields": FIELDS,
        "docs": docs,
        "len": lengths,
        "post": postings,
    });
    format!("window.metodbokSearchIndex={data};\n")
}

/// How the index analysed `pages`, as JSON, for the test that the search client agrees:
/// `docs` holds each entry's tokens per field (title, crumbs, body) in index order, `terms`
/// the term of every token (`null` for a stop word).
pub fn token_report(pages: &[(&str, &str)]) -> String {
    let analyzer = Analyzer::default();
    let mut terms: BTreeMap<String, Option<String>> = BTreeMap::new();
    let docs: Vec<Vec<Vec<String>>> = all_sections(pages)
        .iter()
        .map(|s| {
            let fields = [tokenize(&s.title), tokenize(&s.crumbs.join(" › ")), tokenize(&s.text)];
            for t in fields.iter().flatten() {
                if !terms.contains_key(t) {
                    terms.insert(t.clone(), analyzer.term(t));
                }
            }
            fields.to_vec()
        })
        .collect();
    json!({ "docs": docs, "terms": terms }).to_string()
}

/// Walks elasticlunr's term trie: every node with documents is a term. Posting lists are
/// `[doc delta, count, doc delta, count, …]` (elasticlunr stores √count as `tf`).
fn collect_terms(node: &Value, prefix: &mut String, out: &mut BTreeMap<String, Vec<u64>>) {
    let Some(map) = node.as_object() else { return };
    if let Some(docs) = map.get("docs").and_then(Value::as_object)
        && !docs.is_empty()
    {
        let mut list: Vec<(u64, u64)> = docs
            .iter()
            .map(|(r, tf)| {
                let tf = tf["tf"].as_f64().unwrap_or(1.0);
                (r.parse().unwrap_or(0), (tf * tf).round() as u64)
            })
            .collect();
        list.sort();
        let mut previous = 0;
        let flat = out.entry(prefix.clone()).or_default();
        for (doc, count) in list {
            flat.push(doc - previous);
            flat.push(count);
            previous = doc;
        }
    }
    for (key, child) in map {
        if key == "docs" || key == "df" {
            continue;
        }
        prefix.push_str(key);
        collect_terms(child, prefix, out);
        prefix.truncate(prefix.len() - key.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_section_numbers_are_tokens() {
        assert_eq!(tokenize("SOU 2015:66 från 2013"), ["sou", "2015:66", "från", "2013"]);
        assert_eq!(tokenize("3.1.3.2 Externt- privatpersoner"), ["3.1.3.2", "externt", "privatpersoner"]);
        // A full stop after a number ends the sentence, not the token.
        assert_eq!(tokenize("år 2013. Sedan"), ["år", "2013", "sedan"]);
        assert_eq!(tokenize("Version 1.1: ändringar"), ["version", "1.1", "ändringar"]);
    }

    #[test]
    fn numbers_keep_their_form_and_words_are_stemmed() {
        let a = Analyzer::default();
        assert_eq!(a.term("2013").as_deref(), Some("2013"));
        assert_eq!(a.term("3.1.3.2").as_deref(), Some("3.1.3.2"));
        assert_eq!(a.term("förstudierapporten").as_deref(), Some("förstudierapport"));
        assert_eq!(a.term("samverkan").as_deref(), Some("samverkan"));
        assert_eq!(a.term("och"), None);
    }

    #[test]
    fn the_pipeline_drops_every_listed_stop_word() {
        let a = Analyzer::default();
        for w in STOP_WORDS {
            assert_eq!(a.term(w), None, "{w} is not a stop word of elasticlunr's Swedish pipeline");
        }
        assert!(a.term("styrgrupp").is_some());
    }

    #[test]
    fn cells_items_and_headings_never_merge() {
        let html = r#"<html><body><main><h1>Sida</h1><table><tr><td>Styrgrupp</td><td>Beslut</td></tr></table>
            <ul><li>ett</li><li>två</li></ul><h2 id="a">Rubrik</h2><p>Text<br>rad</p></main></body></html>"#;
        let s = sections("sida.html", html);
        assert_eq!(s.len(), 2);
        assert!(tokenize(&s[0].text).contains(&"styrgrupp".to_string()), "{:?}", s[0].text);
        assert!(tokenize(&s[0].text).contains(&"beslut".to_string()));
        assert!(tokenize(&s[0].text).contains(&"två".to_string()));
        assert_eq!(s[1].url, "sida.html#a");
        assert_eq!(tokenize(&s[1].text), ["text", "rad"]);
    }

    #[test]
    fn sections_nest_under_their_headings_and_skip_marked_parts() {
        let html = r#"<html><body><nav id="mb-breadcrumbs"><ol><li><a>Start</a></li><li><a>Mallar</a></li>
            <li><span>Rapport</span></li></ol></nav><main><h1>Rapport</h1><p>Inledning</p>
            <h2 id="rubriker">Rubriker</h2><ol><li><span id="r-1" data-search-section="1">1 Bakgrund</span>
            <ol><li><span id="r-1-1" data-search-section="2">1.1 Syfte</span></li></ol></li></ol>
            <nav data-search-skip>Föregående</nav></main></body></html>"#;
        let s = sections("mallar/rapport.html", html);
        let brief: Vec<(&str, &str, String)> =
            s.iter().map(|s| (s.url.as_str(), s.title.as_str(), s.crumbs.join(" › "))).collect();
        assert_eq!(
            brief,
            [
                ("mallar/rapport.html", "Rapport", "Mallar".to_string()),
                ("mallar/rapport.html#rubriker", "Rubriker", "Mallar › Rapport".to_string()),
                ("mallar/rapport.html#r-1", "1 Bakgrund", "Mallar › Rapport › Rubriker".to_string()),
                ("mallar/rapport.html#r-1-1", "1.1 Syfte", "Mallar › Rapport › 1 Bakgrund".to_string()),
            ]
        );
        assert_eq!(s[0].text, "Inledning");
        assert!(s.iter().all(|s| !s.text.contains("Föregående")));
    }

    #[test]
    fn excluded_pages_have_no_sections() {
        assert!(sections("404.html", r#"<main data-search="exclude"><h1>Hittades inte</h1></main>"#).is_empty());
    }
}
