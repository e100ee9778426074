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

use elasticlunr::Pipeline;
use elasticlunr::lang::{Language, Swedish};
use elasticlunr::pipeline::PipelineFn;
use scraper::{Html, Node};
use serde::Serialize;
use serde_json::{Value, json};

/// The format version of the index; the client refuses others.
pub const FORMAT: u32 = 2;

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

/// Elements whose edges are not word boundaries; every other element separates words. `sup`
/// is not among them: a footnote reference ("myndighet<sup>1</sup>") is not part of the word.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "time", "u", "var",
];

/// Where tokens are in `text`, as byte ranges.
pub fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut previous = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let joins = (c == '.' || c == ':')
            && start.is_some()
            && previous.is_some_and(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(|n| n.1.is_ascii_digit());
        if c.is_alphanumeric() || joins {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push((s, i));
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The tokens of `text`, lowercased, each numeral that numbers a phase or milestone followed
/// by its other form ("Milstolpe III" gives `milstolpe`, `iii`, `3`; "Fas 4" gives `fas`, `4`,
/// `iv`), so that readers who type digits find the method's Roman numerals and back.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Where the token before this one is in `out`.
    let mut previous = None;
    for (s, e) in token_spans(text) {
        let token = text[s..e].to_lowercase();
        let variant = previous.and_then(|p: usize| numeral_variant(&out[p], &token));
        previous = Some(out.len());
        out.push(token);
        out.extend(variant);
    }
    out
}

/// Words after which a numeral numbers a phase or a milestone.
pub const NUMBERING_WORDS: &[&str] = &["milstolpe", "milstolpen", "fas", "fasen"];

/// Roman numerals 1–20, lowercased, as tokens.
const ROMAN: [&str; 20] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii",
    "xviii", "xix", "xx",
];

/// The other form of `token` (1–20 as digits or Roman numerals) when `previous` is a
/// numbering word.
pub fn numeral_variant(previous: &str, token: &str) -> Option<String> {
    if !NUMBERING_WORDS.contains(&previous) {
        return None;
    }
    if let Some(k) = ROMAN.iter().position(|r| *r == token) {
        return Some((k + 1).to_string());
    }
    let n: usize = token.parse().ok()?;
    (n.to_string() == token && (1..=20).contains(&n)).then(|| ROMAN[n - 1].to_string())
}

/// Letters that join the parts of a compound: samverkan-s-avtal, tjänst-e-specifikation,
/// nytt-o-realisering.
const LINKING: &[char] = &['s', 'e', 'o', 'a', 'u'];

/// Endings that make a derived word rather than a compound's head (utveckl|ing,
/// genomför|bar, plan|ering): never taken as a head.
const NOT_HEADS: &[&str] = &[
    "ing", "ning", "ering", "ingen", "bar", "het", "heten", "lig", "isk", "ande", "ende", "else", "tion", "ation",
    "itet", "skap", "ner", "ser", "van", "are",
];

/// Particles and prefixes that make a derived word rather than a compound's first part
/// (för|slag, över|grip, till|gäng): never taken as a modifier.
const NOT_MODIFIERS: &[&str] =
    &["för", "före", "över", "till", "fram", "genom", "inför", "upp", "under", "mot", "efter", "vid", "bak", "sam"];

/// The fewest letters of a compound part.
pub const MIN_PART: usize = 3;

/// The compound parts of the indexed term `term` when it is a word ([`is_word`]), found against `words` (the index's own
/// terms made of letters, at least [`MIN_PART`] long), in the first of three readings that
/// applies:
/// 1. the longest beginning that is a word, followed (after a linking letter if there is one)
///    by a rest that is a word: `samverkan|s|avtal`, `förstudi|e|rapport`;
/// 2. the longest end of at least 4 letters that is a word, after at least 3 letters:
///    `ram|avtal`;
/// 3. the longest beginning of at least 4 letters that is a word, followed by a rest of at
///    least 6 letters that is not one; when the rest may begin with a linking letter both
///    readings are kept: `tjänst|e|specifikation` gives `especifikation` and `specifikation`.
///
/// Particles are never a first part and derivational endings never a head. Each part found
/// is split again, so a term of three parts yields all of them. The search client repeats
/// exactly this (`js/search.js`, `parts`); a browser test compares both on every term of the
/// index.
pub fn compound_parts<H: std::hash::BuildHasher>(
    term: &str,
    words: &std::collections::HashSet<String, H>,
) -> Vec<String> {
    let mut out = Vec::new();
    if is_word(term) {
        split_into(term, words, &mut out, 0);
    }
    out
}

fn split_into<H: std::hash::BuildHasher>(
    term: &str,
    words: &std::collections::HashSet<String, H>,
    out: &mut Vec<String>,
    depth: usize,
) {
    // Where each letter begins, and the end: letter `i` to letter `j` is `term[at[i]..at[j]]`.
    let at: Vec<usize> = term.char_indices().map(|(i, _)| i).chain([term.len()]).collect();
    let n = at.len() - 1;
    if depth > 4 || n < 2 * MIN_PART {
        return;
    }
    let (first, last) = (|i: usize| &term[..at[i]], |i: usize| &term[at[i]..]);
    let modifier = |x: &str| words.contains(x) && !NOT_MODIFIERS.contains(&x);
    // The letters from `i` on as a head.
    let head = |i: usize| n - i >= MIN_PART && words.contains(last(i)) && !NOT_HEADS.contains(&last(i));
    // Whether the letters from `i` on begin with a linking letter and go on past it.
    let linked = |i: usize| last(i).starts_with(LINKING) && n - i > MIN_PART;
    let found: Vec<&str> = 'found: {
        for i in (MIN_PART..=n - MIN_PART).rev() {
            if modifier(first(i)) {
                if head(i) {
                    break 'found vec![first(i), last(i)];
                }
                if linked(i) && head(i + 1) {
                    break 'found vec![first(i), last(i + 1)];
                }
            }
        }
        for i in MIN_PART..=n.saturating_sub(4) {
            if head(i) {
                break 'found vec![last(i)];
            }
        }
        for i in (4..=n.saturating_sub(6)).rev() {
            if modifier(first(i)) {
                let mut parts = vec![first(i), last(i)];
                if linked(i) && n - i > 6 {
                    parts.push(last(i + 1));
                }
                break 'found parts;
            }
        }
        Vec::new()
    };
    for part in found {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_string());
            split_into(part, words, out, depth + 1);
        }
    }
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
    /// Whose text this is when it is not the method's: "Tillägg: …", "Lokalt innehåll" (the
    /// nearest enclosing `data-search-label`).
    pub label: Option<String>,
}

/// The sections of one rendered page (`path` relative to the site root).
pub fn sections(path: &str, html: &str) -> Vec<Section> {
    sections_of(path, &Html::parse_document(html))
}

/// The sections of one rendered page, parsed.
pub fn sections_of(path: &str, doc: &Html) -> Vec<Section> {
    let elements = || crate::inspect::elements(doc);
    let Some(main) = elements().find(|e| e.value().name() == "main") else { return Vec::new() };
    if main.value().attr("data-search") == Some("exclude") {
        return Vec::new();
    }
    // The items of the breadcrumbs (`#breadcrumbs li`), without "Start", with the page
    // itself last.
    let trail = crate::paths::id("breadcrumbs");
    let in_trail =
        |li: &scraper::ElementRef| li.ancestors().any(|a| a.value().as_element().and_then(|e| e.id()) == Some(trail));
    let crumbs: Vec<String> = elements()
        .filter(|e| e.value().name() == "li" && in_trail(e))
        .skip(1)
        .map(|li| normalize(&text_of(*li)))
        .collect();
    let label = main.value().attr("data-search-label").map(normalize);
    let mut w = Walker {
        path: path.to_string(),
        page_crumbs: crumbs,
        stack: Vec::new(),
        done: Vec::new(),
        labels: label.iter().cloned().collect(),
        current: Section {
            url: path.to_string(),
            title: String::new(),
            crumbs: Vec::new(),
            text: String::new(),
            entity: true,
            label,
        },
    };
    // A page is found by its full name as the breadcrumbs give it ("Milstolpe III: Beslut
    // om …", where the heading says "Beslut om …").
    if let Some((own, above)) = w.page_crumbs.split_last() {
        w.current.crumbs = above.to_vec();
        w.current.title = own.clone();
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
    /// The labels of the elements being read, innermost last.
    labels: Vec<String>,
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
                Step::EndLabel => {
                    self.labels.pop();
                    continue;
                }
                Step::Node(n) => n,
            };
            match child.value() {
                Node::Text(t) => self.current.text.push_str(t),
                Node::Element(e) => {
                    let name = e.name();
                    if e.attr("data-search-skip").is_some()
                        || e.attr("aria-hidden") == Some("true")
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
                            if self.current.title.is_empty() {
                                self.current.title = title;
                            }
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
                    if let Some(label) = e.attr("data-search-label") {
                        self.labels.push(normalize(label));
                        stack.push(Step::EndLabel);
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
        self.current = Section {
            url: format!("{}#{id}", self.path),
            title,
            crumbs,
            text: String::new(),
            entity,
            label: self.labels.last().cloned(),
        };
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
                label: None,
            },
        );
        s.text = normalize(&s.text);
        if !s.title.is_empty() || !s.text.is_empty() {
            self.done.push(s);
        }
    }
}

/// What is left to read of a page: a node, the space that closes a block element, or the
/// end of a labelled element.
enum Step<'a> {
    Node(ego_tree::NodeRef<'a, Node>),
    Space,
    EndLabel,
}

/// All text below `node`, with a space at every block edge (iteratively, as [`Walker::walk`]).
fn text_of(node: ego_tree::NodeRef<Node>) -> String {
    let mut out = String::new();
    let mut stack: Vec<Step> = node.children().rev().map(Step::Node).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Space => out.push(' '),
            Step::EndLabel => {}
            Step::Node(child) => match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if e.attr("aria-hidden") == Some("true") {
                        continue;
                    }
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

/// A site's search help entry (`content/search.yaml`) as the index takes it: the word a
/// reader types and the handbook's words a search for it also finds.
pub struct Synonym<'a> {
    pub word: &'a str,
    pub search: Vec<&'a str>,
}

/// A search help entry that cannot work: entry `entry`, its `search` word `search` (or its
/// `word` when `None`), and why.
#[derive(Debug, PartialEq)]
pub struct SynonymProblem {
    pub entry: usize,
    pub search: Option<usize>,
    pub message: String,
}

/// The one term a search help word is analysed to, or why it is not one.
fn one_term(analyzer: &Analyzer, text: &str) -> Result<String, String> {
    let tokens = tokenize(text);
    match tokens.as_slice() {
        [one] => analyzer.term(one).ok_or_else(|| format!("`{text}` is a stop word, which search leaves out")),
        [] => Err("the word is empty".into()),
        _ => Err(format!("`{text}` is {} words; give one word per entry", tokens.len())),
    }
}

/// The search help as the index ships it: `[term typed, [terms searched], word, [words]]`
/// per entry, and the entries that cannot work (a word the handbook never uses would find
/// nothing).
fn synonym_table(
    synonyms: &[Synonym],
    vocabulary: &std::collections::BTreeSet<&str>,
) -> (Vec<Value>, Vec<SynonymProblem>) {
    let analyzer = Analyzer::default();
    let mut table = Vec::new();
    let mut problems = Vec::new();
    for (entry, syn) in synonyms.iter().enumerate() {
        let word = one_term(&analyzer, syn.word).map_err(|message| SynonymProblem { entry, search: None, message });
        let mut terms = Vec::new();
        for (k, w) in syn.search.iter().enumerate() {
            match one_term(&analyzer, w) {
                Ok(t) if vocabulary.contains(t.as_str()) => terms.push(t),
                Ok(_) => problems.push(SynonymProblem {
                    entry,
                    search: Some(k),
                    message: format!("no page of the handbook uses the word `{w}`, so searching for it finds nothing"),
                }),
                Err(message) => problems.push(SynonymProblem { entry, search: Some(k), message }),
            }
        }
        match word {
            Ok(t) if !terms.is_empty() => table.push(json!([t, terms, syn.word, syn.search])),
            Ok(_) => {}
            Err(p) => problems.push(p),
        }
    }
    (table, problems)
}

/// Every section's analysis, in order, the first of the two steps that make the search
/// index (then [`index_from`]): the step that takes most of the time, on every core, so that
/// a build can do other work beside the second, one thread's work.
///
/// Each section is analysed as elasticlunr-rs's `add_doc` analyses a document (our tokenizer,
/// then the Swedish pipeline token by token; a field's length counts every term, a term's
/// count how often it occurs), and the posting lists are made from that directly (see
/// [`index_from`]): elasticlunr's own index is a trie of one-letter maps that had to be turned
/// into JSON to be read back, which took most of a large build's time and memory. A test
/// proves the two give the same lists.
///
/// With a `memo` (see [`IndexMemo`]), sections analysed for the last index are not analysed
/// again.
pub fn analyse_sections(sections: &[Section], memo: Option<&mut IndexMemo>) -> Analysed {
    Analysed(analyses_of(sections, memo))
}

/// The sections' analyses as [`analyse_sections`] made them.
pub struct Analysed(Vec<std::sync::Arc<Analysis>>);

/// The index of the pages' `sections` (in output path order), from their analyses (see
/// [`analyse_sections`]), as the content of `search-index.js`, with the site's search help;
/// or the help entries that cannot work.
pub fn index_from(
    sections: &[Section],
    analysed: Analysed,
    synonyms: &[Synonym],
) -> Result<String, Vec<SynonymProblem>> {
    let analyses = analysed.0;
    let (lengths, postings) = postings(&analyses);
    // The lists own their terms: the analyses go before the index is written out (at 5,000
    // pages 8 MB, at the build's peak), unless a memo keeps them.
    drop(analyses);
    let docs: Vec<DocRow> = sections.iter().map(DocRow).collect();
    let vocabulary: std::collections::BTreeSet<&str> = postings.iter().flat_map(|p| p.keys().map(|t| &**t)).collect();
    let (syn, problems) = synonym_table(synonyms, &vocabulary);
    if !problems.is_empty() {
        return Err(problems);
    }
    let parts = parts_table(&vocabulary);
    // The fields in the order the client has always read them (alphabetical, as `json!`
    // wrote them).
    #[derive(Serialize)]
    struct IndexFile<'a> {
        docs: Vec<DocRow<'a>>,
        fields: [&'static str; 3],
        len: Vec<[u64; 3]>,
        num: &'static [&'static str],
        parts: BTreeMap<String, Vec<String>>,
        post: Postings,
        stop: &'static [&'static str],
        syn: Vec<Value>,
        v: u32,
    }
    let file = IndexFile {
        docs,
        fields: FIELDS,
        len: lengths,
        num: NUMBERING_WORDS,
        parts,
        post: postings,
        stop: STOP_WORDS,
        syn,
        v: FORMAT,
    };
    // Written after its prefix in place: at 5,000 pages the index is 17 MB, and a copy of it
    // would be made while the print page is.
    let mut out = b"window.metodbokSearchIndex=".to_vec();
    serde_json::to_writer(&mut out, &file).expect("the index serializes");
    out.extend_from_slice(b";\n");
    out.shrink_to_fit();
    Ok(String::from_utf8(out).expect("JSON is UTF-8"))
}

/// A section as the client lists it: `[url, title, crumbs, text, entity(, label)]`.
struct DocRow<'a>(&'a Section);

impl Serialize for DocRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let s = self.0;
        let mut seq = serializer.serialize_seq(Some(5 + usize::from(s.label.is_some())))?;
        seq.serialize_element(&s.url)?;
        seq.serialize_element(&s.title)?;
        seq.serialize_element(&s.crumbs.join(" › "))?;
        seq.serialize_element(&s.text)?;
        seq.serialize_element(&u8::from(s.entity))?;
        if let Some(label) = &s.label {
            seq.serialize_element(label)?;
        }
        seq.end()
    }
}

/// Posting lists per field: `term → [doc delta, count, doc delta, count, …]`.
type Postings = [BTreeMap<Box<str>, Vec<u32>>; 3];

/// One section's analysis: per field, its length in terms and each term with its count.
type Analysis = [Field; 3];

/// One field of a section, analysed: its length in terms, and each term in it once (in
/// order) with how often it occurs. The terms are kept in one string, each ended by a NUL
/// (a term is letters, digits and the `.` or `:` between digits), rather than a string
/// each, for the memory of a large site's index.
#[derive(Debug)]
struct Field {
    length: u64,
    terms: Box<str>,
    counts: Box<[u32]>,
}

impl Field {
    /// Each term with its count.
    fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms.split_terminator('\0').zip(self.counts.iter().copied())
    }
}

/// What a process that indexes the same site again (the preview's worker) keeps of each
/// section's analysis, which is a function of the section's text alone: after an edit, only
/// the sections that changed are analysed again. Holds the sections of the last index only.
#[derive(Default)]
pub struct IndexMemo(std::collections::HashMap<Section, std::sync::Arc<Analysis>>);

thread_local! {
    /// Each thread's analyser, and the term of every token it has analysed: the analysis is
    /// a function of the token alone. Threads live as long as the process, so the preview's
    /// rebuilds analyse only tokens they have not met before.
    static TERMS: (Analyzer, std::cell::RefCell<rustc_hash::FxHashMap<String, Option<String>>>) =
        (Analyzer::default(), Default::default());
}

/// The term `token` is indexed under (see [`Analyzer::term`]), remembered by this thread.
fn term_of(token: String) -> Option<String> {
    TERMS.with(|(analyzer, memo)| {
        if let Some(t) = memo.borrow().get(&token) {
            return t.clone();
        }
        let t = analyzer.term(&token);
        memo.borrow_mut().insert(token, t.clone());
        t
    })
}

/// A section analysed as elasticlunr's `add_doc` analyses a document's fields.
fn analyse(s: &Section) -> Analysis {
    let crumbs = s.crumbs.join(" › ");
    [s.title.as_str(), crumbs.as_str(), s.text.as_str()].map(|text| {
        let mut length = 0;
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for token in tokenize(text) {
            let Some(term) = term_of(token) else { continue };
            length += 1;
            // elasticlunr counts an empty term in the length but indexes nothing.
            if !term.is_empty() {
                *counts.entry(term).or_default() += 1;
            }
        }
        let mut terms = String::new();
        for term in counts.keys() {
            terms.push_str(term);
            terms.push('\0');
        }
        Field { length, terms: terms.into_boxed_str(), counts: counts.into_values().collect() }
    })
}

/// Each section's analysis, in order: from the `memo` of the last index or made here, in
/// parallel. With a `memo`, it then holds this index's.
fn analyses_of(sections: &[Section], memo: Option<&mut IndexMemo>) -> Vec<std::sync::Arc<Analysis>> {
    use rayon::prelude::*;
    let known = memo.as_deref();
    let analyses: Vec<std::sync::Arc<Analysis>> = sections
        .par_iter()
        .map(|s| known.and_then(|m| m.0.get(s).cloned()).unwrap_or_else(|| std::sync::Arc::new(analyse(s))))
        .collect();
    if let Some(memo) = memo {
        memo.0 = sections.iter().cloned().zip(analyses.iter().cloned()).collect();
    }
    analyses
}

/// Every section's field lengths, and per field the posting lists `term → [doc delta, count,
/// doc delta, count, …]`, documents numbered in the order of `analyses`. The lists are made
/// in one pass, in their final form, their terms borrowed from the analyses while they are
/// made (and copied once, at the end, so that the analyses can go): at 5,000 pages,
/// lists made per run of 256 sections in parallel and then joined peaked about 50 MB higher
/// (while the print page was made beside them), and no faster, since the other core is
/// making the print page.
fn postings(analyses: &[std::sync::Arc<Analysis>]) -> (Vec<[u64; 3]>, Postings) {
    let mut lists: [rustc_hash::FxHashMap<&str, (u32, Vec<u32>)>; 3] = Default::default();
    for (doc, analysis) in analyses.iter().enumerate() {
        let doc = doc as u32;
        for (f, field) in analysis.iter().enumerate() {
            for (term, count) in field.terms() {
                let (previous, flat) = lists[f].entry(term).or_default();
                flat.push(doc - *previous);
                flat.push(count);
                *previous = doc;
            }
        }
    }
    let lengths = analyses.iter().map(|a| [a[0].length, a[1].length, a[2].length]).collect();
    (lengths, lists.map(|l| l.into_iter().map(|(term, (_, flat))| (Box::from(term), flat)).collect()))
}

/// Whether `term` is a word that compounds are split against: letters only, at least
/// [`MIN_PART`] of them.
pub fn is_word(term: &str) -> bool {
    term.chars().count() >= MIN_PART && term.chars().all(char::is_alphabetic)
}

/// The compound parts of every term of `vocabulary` that has any: term → parts. Only words
/// ([`is_word`]) are split, and only against each other.
fn parts_table(vocabulary: &std::collections::BTreeSet<&str>) -> BTreeMap<String, Vec<String>> {
    use rayon::prelude::*;
    let words: std::collections::HashSet<String, rustc_hash::FxBuildHasher> =
        vocabulary.iter().filter(|t| is_word(t)).map(|t| t.to_string()).collect();
    // In parallel: it comes after the posting lists, at the end of the index, and a core
    // that has made the print page helps.
    words
        .par_iter()
        .filter_map(|t| {
            let parts = compound_parts(t, &words);
            (!parts.is_empty()).then(|| (t.clone(), parts))
        })
        .collect()
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

#[cfg(test)]
mod tests {

    type Terms = BTreeMap<String, Vec<u64>>;

    /// The index as elasticlunr-rs makes it, read back from its JSON: the reference that
    /// [`postings`] must equal.
    fn elasticlunr_postings(sections: &[Section]) -> (Vec<[u64; 3]>, Vec<Terms>) {
        let mut index = elasticlunr::IndexBuilder::with_language(Box::new(SwedishSections))
            .save_docs(false)
            .add_fields(&FIELDS)
            .build();
        for (i, s) in sections.iter().enumerate() {
            index.add_doc(&i.to_string(), [s.title.as_str(), &s.crumbs.join(" › "), &s.text]);
        }
        let full = serde_json::to_value(&index).expect("an index serializes");
        let mut postings = Vec::new();
        for field in FIELDS {
            let mut terms: Terms = BTreeMap::new();
            collect_terms(&full["index"][field]["root"], &mut String::new(), &mut terms);
            postings.push(terms);
        }
        let info = &full["documentStore"]["docInfo"];
        let lengths =
            (0..sections.len()).map(|i| FIELDS.map(|f| info[i.to_string()][f].as_u64().unwrap_or(0))).collect();
        (lengths, postings)
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

    #[test]
    fn posting_lists_are_exactly_elasticlunrs() {
        // The bundled handbook, and sections made to hit the corners: repeated terms, stop
        // words only, numbers, an empty field, the same term in several fields.
        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let files =
            crate::render_site(site, false, "public", crate::PdfWhen::Asked).expect("the handbook renders").files;
        let pages: Vec<(&str, &str)> = files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| (f.path.as_str(), std::str::from_utf8(&f.bytes).unwrap()))
            .collect();
        let mut sections = all_sections(&pages);
        let made = |title: &str, crumbs: &[&str], text: &str| Section {
            url: "x.html".into(),
            title: title.into(),
            crumbs: crumbs.iter().map(|c| c.to_string()).collect(),
            text: text.into(),
            entity: false,
            label: None,
        };
        sections.push(made("Och att för", &[], ""));
        sections.push(made("Fas 3.1.2 fas 3.1.2", &["Faser", "Fas"], "fas fas fasen 2015:66 och och"));
        let analyses = super::analyses_of(&sections, None);
        let (lengths, postings) = super::postings(&analyses);
        let (want_lengths, want_postings) = elasticlunr_postings(&sections);
        assert_eq!(lengths, want_lengths);
        let postings: Vec<Terms> = postings
            .iter()
            .map(|p| p.iter().map(|(t, l)| (t.to_string(), l.iter().map(|n| u64::from(*n)).collect())).collect())
            .collect();
        assert_eq!(postings, want_postings);
    }
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
        // A footnote reference is not glued to the word it follows.
        let s = sections(
            "s.html",
            r##"<main><h1>S</h1><p>färdledande myndighet<sup><a href="#1">1</a></sup> att</p></main>"##,
        );
        assert_eq!(tokenize(&s[0].text), ["färdledande", "myndighet", "1", "att"]);
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
    fn numerals_that_number_a_step_also_give_their_other_form() {
        assert_eq!(tokenize("Milstolpe III: beslut"), ["milstolpe", "iii", "3", "beslut"]);
        assert_eq!(tokenize("Fas 4 och milstolpen I"), ["fas", "4", "iv", "och", "milstolpen", "i", "1"]);
        // Only after a numbering word, and only 1–20 written as such.
        assert_eq!(tokenize("kapitel III, fas 03, fas 21"), ["kapitel", "iii", "fas", "03", "fas", "21"]);
        let a = Analyzer::default();
        // "i" is a stop word, so the index keeps "1" for "Milstolpe I".
        let terms: Vec<String> = tokenize("Milstolpe I").iter().filter_map(|t| a.term(t)).collect();
        assert_eq!(terms, ["milstolp", "1"]);
    }

    #[test]
    fn compounds_split_into_parts_against_the_vocabulary() {
        let words: std::collections::HashSet<String> = [
            "samverkan",
            "avtal",
            "beslut",
            "underlag",
            "tjänst",
            "krav",
            "förstudi",
            "rapport",
            "nytt",
            "realisering",
            "plan",
            "utveckl",
            "ing",
            "för",
            "lag",
            "drift",
            "nyttorealisering",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let parts = |t: &str| compound_parts(t, &words);
        assert_eq!(parts("samverkansavtal"), ["samverkan", "avtal"], "linking s");
        assert_eq!(parts("beslutsunderlag"), ["beslut", "underlag"]);
        assert_eq!(parts("förstudierapport"), ["förstudi", "rapport"], "linking e");
        assert_eq!(parts("ramavtal"), ["avtal"], "a head after a first part that is no word");
        assert_eq!(parts("driftavtal"), ["drift", "avtal"]);
        // A head that is no word: both readings of a possible linking letter are kept.
        assert_eq!(parts("tjänstespecifikation"), ["tjänst", "especifikation", "specifikation"]);
        assert_eq!(parts("kravspecifikation"), ["krav", "specifikation", "pecifikation"]);
        // Three parts: the first part is split again.
        assert_eq!(parts("nyttorealiseringsplan"), ["nyttorealisering", "nytt", "realisering", "plan"]);
        // Derivations are not compounds: utveckl|ing, för|slag.
        assert!(parts("utveckling").is_empty());
        assert!(parts("förslag").is_empty());
        assert!(parts("avtal").is_empty(), "a word of its own is not split");
    }

    #[test]
    fn pages_are_found_by_their_full_name_and_labelled_by_their_origin() {
        let html = r#"<html><body><nav id="mb-breadcrumbs"><ol><li><a>Start</a></li><li><a>Faser och milstolpar</a></li>
            <li><span>Milstolpe III: Beslut om lösning</span></li></ol></nav><main><p class="mb-caption">Milstolpe III</p>
            <h1>Beslut om lösning</h1><ol><li><span aria-hidden="true">III</span>Steg</li></ol>
            <section data-search-label="Tillägg: Mina meddelanden"><h2 id="t">Tillägg: Mina meddelanden</h2><p>Text</p>
            <h3 id="u">Under</h3></section><h2 id="efter">Efter</h2></main></body></html>"#;
        let s = sections("milstolpar/milstolpe-3.html", html);
        assert_eq!(s[0].title, "Milstolpe III: Beslut om lösning");
        assert_eq!(s[0].text, "Milstolpe III Steg", "aria-hidden markers are not indexed");
        let labels: Vec<(&str, Option<&str>)> = s.iter().map(|x| (x.url.as_str(), x.label.as_deref())).collect();
        assert_eq!(
            labels,
            [
                ("milstolpar/milstolpe-3.html", None),
                ("milstolpar/milstolpe-3.html#t", Some("Tillägg: Mina meddelanden")),
                ("milstolpar/milstolpe-3.html#u", Some("Tillägg: Mina meddelanden")),
                ("milstolpar/milstolpe-3.html#efter", None),
            ]
        );
        let labelled = r#"<main data-search-label="Lokalt innehåll"><h1>Vår sida</h1><h2 id="a">A</h2></main>"#;
        assert!(sections("egen.html", labelled).iter().all(|x| x.label.as_deref() == Some("Lokalt innehåll")));
    }

    #[test]
    fn excluded_pages_have_no_sections() {
        assert!(sections("404.html", r#"<main data-search="exclude"><h1>Hittades inte</h1></main>"#).is_empty());
    }
}
