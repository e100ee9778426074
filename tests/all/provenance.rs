//! Every sentence traceable. Each text segment of the content (every paragraph, list item,
//! heading and table cell of every text field, in every YAML file and Markdown page of the
//! bundled handbook and of the example site's supplements) is classified as one of:
//!
//! - **verbatim**: found in the source it belongs to, at a position in that source;
//! - **editorial**: marked so in the content (`source: derived` on the entry or page, a field
//!   that is always the editors' and always shown marked, `name_source: derived`, or a raw
//!   HTML block carrying the `mb-derived` mark), and then every quotation inside it („…”, or a
//!   Markdown block quote) must itself be verbatim in a source;
//! - **citation**: the identification of a source (name, publisher, date, authors, where);
//! - **unsourced**: anything else, which fails the test.
//!
//! Verbatim segments must also keep the source's order: the items of every list, the blocks
//! of every text, and the flow of an entry whose text continues in items and further parts
//! (`intro`/`text`, `items`, `then`) appear in the source in the order the content has them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

/// A source text, whitespace collapsed.
struct Source {
    name: &'static str,
    text: String,
}

fn source(name: &'static str, file: &str) -> Source {
    let raw = crate::common::read(&crate::common::fixture("source").join(file));
    Source { name, text: normalise(&raw) }
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keys whose values are not text a reader reads as the method's: ids, references, numbers,
/// flags and the mark fields themselves.
const STRUCTURE: &[&str] = &[
    "id",
    "to",
    "number",
    "order",
    "kind",
    "phase",
    "document",
    "template",
    "link",
    "role",
    "concerns",
    "after_phase",
    "before_phase",
    "source",
    "name_source",
    "title_source",
    "placement",
    "lead",
    "attached_to",
    "supplement",
    "related",
    "links",
    "documents",
    "decision",
    "section",
    "version",
];

/// Keys that identify a source rather than quote it.
const CITATION: &[&str] =
    &["source_ref", "cites", "summary_source", "documents_intro_source", "publisher", "date", "authors"];

/// Fields that are always the editors' words and that every page shows marked as such
/// (`the_editors_words_are_shown_marked_where_readers_meet_them` checks the marks): an area's
/// or supplement's note ("Redaktionell anmärkning"), a page's description on the start page
/// (in italics under "Beskrivningarna i kursiv stil är redaktionens"), the edition note.
const EDITORIAL_FIELDS: &[&str] = &["note", "description", "edition_note"];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Verbatim(&'static str),
    Editorial(&'static str),
    Citation,
}

/// One classified segment.
struct Segment {
    kind: String,
    class: Class,
}

/// What the walk found.
#[derive(Default)]
struct Report {
    segments: Vec<Segment>,
    /// Unmarked text not found in its source.
    unsourced: Vec<String>,
    /// Verbatim text out of the source's order.
    misordered: Vec<String>,
    /// Quotations in editorial text that are not in any source.
    misquoted: Vec<String>,
}

/// The sources one file's text may come from, and all sources (for quotations).
struct Context<'a> {
    file: String,
    kind: String,
    /// Where verbatim text of this file must be found; the first that has it.
    sources: Vec<&'a Source>,
    /// Top-level fields of this file whose text comes from another source: method.yaml's
    /// `summary` is the 1.1 web page's.
    fields_from: Vec<(&'static str, &'a Source)>,
    all: &'a [Source],
    /// The fields that are the editors' in this site ([`EDITORIAL_FIELDS`] in the bundled
    /// handbook; in a municipal site a page's description is its own text, checked).
    editorial_fields: &'a [&'a str],
}

/// A piece of text, with whether it is inside a Markdown block quote.
struct Block {
    text: String,
    quoted: bool,
    html: bool,
}

/// The blocks of a Markdown text as a reader sees them: paragraphs, list items, headings,
/// table cells, footnotes. Link texts stay, footnote references and `@list` lines go.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote = 0usize;
    let flush = |current: &mut String, out: &mut Vec<Block>, quoted: bool| {
        let t = normalise(current);
        current.clear();
        if !t.is_empty() && !t.starts_with("@list ") {
            out.push(Block { text: t, quoted, html: false });
        }
    };
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Html(h) => {
                flush(&mut current, &mut out, quote > 0);
                out.push(Block { text: h.to_string(), quoted: false, html: true });
            }
            Event::InlineHtml(h) => current.push_str(&h),
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut current, &mut out, quote > 0);
                quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut out, quote > 0);
                quote -= 1;
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::List(_)
                | Tag::TableCell
                | Tag::FootnoteDefinition(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition,
            ) => flush(&mut current, &mut out, quote > 0),
            _ => {}
        }
    }
    flush(&mut current, &mut out, quote > 0);
    // Consecutive raw HTML events belong to one block.
    let mut merged: Vec<Block> = Vec::new();
    for b in out {
        match merged.last_mut() {
            Some(last) if last.html && b.html => last.text.push_str(&b.text),
            _ => merged.push(b),
        }
    }
    merged
}

/// The quotations inside an editorial text: what stands between ” and ” (Swedish quotes
/// open and close with the same mark), split at an ellipsis.
fn quotations(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text.split('”').collect();
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 && i + 1 < parts.len() {
            for piece in p.split('…') {
                let piece = normalise(piece);
                if piece.split(' ').count() >= 2 {
                    out.push(piece);
                }
            }
        }
    }
    out
}

/// An ordered flow of verbatim segments: each must be found at or after the previous one.
struct Flow {
    at: BTreeMap<&'static str, usize>,
}

impl Flow {
    fn new() -> Self {
        Flow { at: BTreeMap::new() }
    }
}

impl Context<'_> {
    /// Classifies one text (a Markdown or plain string field), in `flow`.
    fn text(&self, r: &mut Report, path: &str, value: &str, editorial: Option<&'static str>, flow: &mut Flow) {
        for b in blocks(value) {
            let what = format!("{} {path}: {}", self.file, short(&b.text));
            if b.html {
                if b.text.contains("mb-derived") {
                    r.segments.push(Segment { kind: self.kind.clone(), class: Class::Editorial("marked HTML block") });
                } else {
                    r.unsourced.push(format!("{what} (raw HTML without the editorial mark)"));
                }
                continue;
            }
            if let Some(reason) = editorial {
                r.segments.push(Segment { kind: self.kind.clone(), class: Class::Editorial(reason) });
                let quotes = if b.quoted { vec![b.text.clone()] } else { quotations(&b.text) };
                for q in quotes {
                    if !self.all.iter().any(|s| s.text.contains(&q)) {
                        r.misquoted.push(format!("{} {path}: ”{q}”", self.file));
                    }
                }
                continue;
            }
            let field = path.trim_start_matches('.').split(['.', '[']).next().unwrap_or_default();
            let sources = match self.fields_from.iter().find(|(f, _)| *f == field) {
                Some((_, s)) => vec![*s],
                None => self.sources.clone(),
            };
            match sources.iter().find(|s| s.text.contains(&b.text)) {
                Some(s) => {
                    r.segments.push(Segment { kind: self.kind.clone(), class: Class::Verbatim(s.name) });
                    let from = flow.at.get(s.name).copied().unwrap_or(0);
                    match s.text[from..].find(&b.text) {
                        Some(i) => {
                            flow.at.insert(s.name, from + i);
                        }
                        None => {
                            r.misordered.push(format!("{what} (stands earlier in {})", s.name));
                            flow.at.insert(s.name, s.text.find(&b.text).unwrap_or(0));
                        }
                    }
                }
                None => r.unsourced.push(what),
            }
        }
    }

    /// Walks a YAML value. `editorial` is the reason when an enclosing entry is marked;
    /// `flow` is the ordered flow the value belongs to. A list starts a flow of its own unless
    /// it continues an entry's flow (`continues`).
    fn walk(&self, r: &mut Report, path: &str, value: &Value, editorial: Option<&'static str>, flow: &mut Flow) {
        self.value(r, path, value, editorial, flow, false);
    }

    fn value<'v>(
        &self,
        r: &mut Report,
        path: &str,
        value: &'v Value,
        editorial: Option<&'static str>,
        flow: &mut Flow,
        continues: bool,
    ) {
        match value {
            Value::String(s) => self.text(r, path, s, editorial, flow),
            Value::Array(items) => {
                let mut own = Flow::new();
                let list = if continues { flow } else { &mut own };
                for (i, v) in items.iter().enumerate() {
                    self.value(r, &format!("{path}[{i}]"), v, editorial, list, false);
                }
            }
            Value::Object(map) => {
                let derived = map.get("source").and_then(Value::as_str) == Some("derived");
                let editorial = editorial.or(derived.then_some("source: derived"));
                let name_derived = map.get("name_source").and_then(Value::as_str) == Some("derived");
                // A numbered heading or addition stands in its source with its number:
                // "3.1.3.2. Externt- privatpersoner och företag", "4. Genomför en analys …".
                let number = map.get("number").and_then(Value::as_str);
                let numbered = if map.contains_key("title") { "title" } else { "text" };
                let with_number = |key: &str, v: &'v Value| match (number, v) {
                    (Some(n), Value::String(s)) if key == numbered => Cow::Owned(Value::String(format!("{n}. {s}"))),
                    _ => Cow::Borrowed(v),
                };
                // An entry's text and what continues it (items, parts, a table, a figure) are
                // one flow, which goes on in the next entry of a list; its other fields are
                // each a flow of their own.
                for key in FLOW {
                    if let Some(v) = map.get(*key) {
                        self.value(r, &format!("{path}.{key}"), &with_number(key, v), editorial, flow, true);
                    }
                }
                for (key, v) in map {
                    let key = key.as_str();
                    if STRUCTURE.contains(&key) || FLOW.contains(&key) {
                        continue;
                    }
                    // A supplement's name identifies it ("… – vägledning (SKL 2014)") unless the
                    // name is the editors' own.
                    let supplement_name = key == "name" && self.file.contains("/supplements/") && !name_derived;
                    if CITATION.contains(&key) || supplement_name {
                        count_citation(r, &self.kind, v);
                        continue;
                    }
                    let field = if self.editorial_fields.contains(&key) {
                        Some("editorial field, shown marked")
                    } else if key == "name" && name_derived {
                        Some("name_source: derived")
                    } else if key == "title" && map.get("title_source").and_then(Value::as_str) == Some("derived") {
                        Some("title_source: derived")
                    } else {
                        None
                    };
                    self.walk(r, &format!("{path}.{key}"), &with_number(key, v), editorial.or(field), &mut Flow::new());
                }
            }
            _ => {}
        }
    }
}

/// The keys of an entry that read as one text in the source's order.
const FLOW: &[&str] = &["intro", "text", "items", "then", "table", "columns", "rows", "figure", "fragments"];

fn count_citation(r: &mut Report, kind: &str, v: &Value) {
    let n = match v {
        Value::Array(a) => a.len(),
        Value::Null => 0,
        _ => 1,
    };
    for _ in 0..n {
        r.segments.push(Segment { kind: kind.to_string(), class: Class::Citation });
    }
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(90).collect();
    if t.len() < text.len() { format!("{t}…") } else { t }
}

/// The kind of content a file holds, for the report: its folder or file name.
fn kind_of(rel: &Path) -> String {
    let first = rel.components().nth(1).map(|c| c.as_os_str().to_string_lossy().to_string()).unwrap_or_default();
    first.trim_end_matches(".yaml").to_string()
}

/// The YAML files and Markdown pages under `dir`, in order of their paths.
fn content_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "md"))
        .collect()
}

/// Classifies every file of `content` (a site's `content/` folder, relative to `root`);
/// `sources_for` gives the sources a file's verbatim text must come from, and the fields of
/// it that come from another source.
fn classify<'a>(
    site: &str,
    root: &Path,
    all: &'a [Source],
    editorial_fields: &'a [&'a str],
    sources_for: impl Fn(&str, &Value) -> (Vec<&'a Source>, Vec<(&'static str, &'a Source)>),
    report: &mut Report,
) {
    for path in content_files(&root.join("content")) {
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        let file = rel.to_string_lossy().to_string();
        let kind = kind_of(&rel);
        if kind == "search" {
            // The site's search help: words for the search, shown on the search page as the
            // site's own; not text of the method.
            continue;
        }
        let text = crate::common::read(&path);
        let (front, body) = match text.strip_prefix("---\n") {
            Some(rest) if file.ends_with(".md") => {
                let (f, b) = rest.split_once("\n---\n").expect("front matter closes");
                (f.to_string(), Some(b.to_string()))
            }
            _ => (text.clone(), None),
        };
        let value: Value = serde_saphyr::from_str(&front).unwrap_or_else(|e| panic!("{file}: {e}"));
        let (sources, fields_from) = sources_for(&file, &value);
        let kind = match (site, sources.first()) {
            ("", _) => kind,
            (site, Some(s)) => format!("{site} {kind} ({})", s.name),
            (site, None) => format!("{site} {kind}"),
        };
        let cx = Context { file: file.clone(), kind, sources, fields_from, all, editorial_fields };
        cx.walk(report, "", &value, None, &mut Flow::new());
        if let Some(body) = body {
            let derived = value.get("source").and_then(Value::as_str) == Some("derived");
            cx.text(report, "body", &body, derived.then_some("source: derived"), &mut Flow::new());
        }
    }
}

fn bundled_sources() -> Vec<Source> {
    vec![
        source("000 Metod 1.0", "metod-1.0.txt"),
        source("002 webbsidan om 1.1", "version-1.1-webbsida.txt"),
        source("004 Mina meddelanden", "mina-meddelanden-2014.txt"),
        source("001 e-nämndens process", "e-namnd-process.txt"),
    ]
}

/// The whole classification: the bundled handbook (version 1.0's text; the start page's
/// summary from the 1.1 web page) and the example site's supplements (each its own source).
fn classify_all(example_supplement_override: Option<(&str, &str)>) -> Report {
    let all = bundled_sources();
    let mut report = Report::default();
    let root = crate::common::repo_root();
    classify(
        "",
        &root,
        &all,
        EDITORIAL_FIELDS,
        |file, _| {
            // Version 1.0's text, but the start page's summary is the 1.1 web page's (and says so).
            let summary = if file == "content/method.yaml" { vec![("summary", &all[1])] } else { Vec::new() };
            (vec![&all[0]], summary)
        },
        &mut report,
    );
    let example = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root.join("examples/exempel-kommun"), example.path());
    if let Some((name, replacement)) = example_supplement_override {
        std::fs::copy(crate::common::fixture(replacement), example.path().join("content/supplements").join(name))
            .unwrap();
    }
    classify(
        "example",
        example.path(),
        &all,
        &["note"],
        |file, value| {
            let supplement = value
                .get("supplement")
                .or_else(|| file.contains("/supplements/").then(|| value.get("id")).flatten())
                .and_then(Value::as_str)
                .unwrap_or_default();
            let source = match supplement {
                "mina-meddelanden" => vec![&all[2]],
                "e-namnd" => vec![&all[3]],
                _ => Vec::new(),
            };
            (source, Vec::new())
        },
        &mut report,
    );
    report
}

#[test]
fn every_text_segment_is_verbatim_in_its_source_or_marked_editorial_and_in_the_sources_order() {
    let r = classify_all(None);
    // The counts per kind, as the README reports them (`cargo test provenance -- --nocapture`).
    let mut counts: BTreeMap<(String, Class), usize> = BTreeMap::new();
    for s in &r.segments {
        *counts.entry((s.kind.clone(), s.class.clone())).or_default() += 1;
    }
    let mut totals: BTreeMap<Class, usize> = BTreeMap::new();
    for ((kind, class), n) in &counts {
        println!("{kind:44} {class:?}: {n}");
        *totals.entry(class.clone()).or_default() += n;
    }
    println!("totals: {totals:?}");
    let verbatim: usize = totals.iter().filter(|(c, _)| matches!(c, Class::Verbatim(_))).map(|(_, n)| n).sum();
    assert!(verbatim > 700, "the walk reached the content ({verbatim} verbatim segments)");
    assert!(totals.keys().any(|c| matches!(c, Class::Verbatim("001 e-nämndens process"))), "the e-nämnd supplement");
    let problems: Vec<String> = r
        .unsourced
        .iter()
        .map(|s| format!("unmarked, not in its source: {s}"))
        .chain(r.misordered.iter().map(|s| format!("out of the source's order: {s}")))
        .chain(r.misquoted.iter().map(|s| format!("quotation not in any source: {s}")))
        .collect();
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_order_check_catches_the_mina_meddelanden_activities_placed_after_later_prose() {
    // The supplement as it was before the audit: the six activities that follow "Följande
    // aktiviteter ingår:" stood after three later paragraphs.
    let r = classify_all(Some(("mina-meddelanden.yaml", "before-audit/mina-meddelanden.yaml")));
    let about_it: Vec<&String> = r.misordered.iter().filter(|m| m.contains("mina-meddelanden.yaml")).collect();
    assert!(
        about_it.iter().any(|m| m.contains("analys av målgrupp") || m.contains("Genomför fördjupad")),
        "the misplaced activities are reported: {:?}",
        r.misordered
    );
}

#[test]
fn the_classification_catches_a_changed_word_or_number_an_unmarked_editorial_sentence_a_misquote_and_a_swap() {
    let all = bundled_sources();
    let cx = Context {
        file: "x.yaml".into(),
        kind: "x".into(),
        sources: vec![&all[0]],
        fields_from: Vec::new(),
        all: &all,
        editorial_fields: EDITORIAL_FIELDS,
    };
    let mut r = Report::default();
    let faithful = "Syfte med fasen är att förtydliga och fördjupa det förslag till förändring/utveckling";
    cx.text(&mut r, "a", faithful, None, &mut Flow::new());
    assert!(r.unsourced.is_empty(), "{:?}", r.unsourced);
    cx.text(&mut r, "b", &faithful.replace("fördjupa", "förbättra"), None, &mut Flow::new());
    cx.text(&mut r, "c", "Metodens åtta grundsatser för samverkan.", None, &mut Flow::new());
    assert_eq!(r.unsourced.len(), 2, "{:?}", r.unsourced);
    // Marked editorial, the same sentence passes; a quotation in it must be exact.
    cx.text(&mut r, "d", "Metodens åtta grundsatser för samverkan.", Some("test"), &mut Flow::new());
    cx.text(&mut r, "e", "Metoden säger: ”Metoden beskriver VAD som bör genomföras”.", Some("test"), &mut Flow::new());
    assert_eq!(r.unsourced.len(), 2);
    assert_eq!(r.misquoted.len(), 1, "{:?}", r.misquoted);
    // A template heading is found with its number, so a wrong number is caught.
    let heading = |n: &str| serde_json::json!({ "number": n, "text": "Externt- privatpersoner och företag" });
    cx.walk(&mut r, "h", &heading("3.1.3.2"), None, &mut Flow::new());
    assert_eq!(r.unsourced.len(), 2, "{:?}", r.unsourced);
    cx.walk(&mut r, "h", &heading("3.1.3.3"), None, &mut Flow::new());
    assert_eq!(r.unsourced.len(), 3, "{:?}", r.unsourced);
    // Two items of a list in the opposite order of the source.
    let mut flow = Flow::new();
    cx.text(
        &mut r,
        "f",
        "Genomför nyttoutvärdering baserat på tidigare framtagen nyttorealiseringsplan.",
        None,
        &mut flow,
    );
    cx.text(&mut r, "g", "Genomför planerade aktiviteter för att realisera prioriterade nyttor.", None, &mut flow);
    assert_eq!(r.misordered.len(), 1, "{:?}", r.misordered);
}

/// The text of the elements `selector` selects in the built page `path`.
fn shown(out: &Path, path: &str, selector: &str) -> Vec<String> {
    let doc = crate::common::page(out, path);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| normalise(&e.text().collect::<Vec<_>>().join(" "))).collect()
}

#[test]
fn the_editors_words_are_shown_marked_where_readers_meet_them() {
    // What the classification counts as editorial by its field is marked on the page.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let example = crate::common::repo_root().join("examples/exempel-kommun");
    let (code, _, err) = crate::common::run(&["build", example.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // Start page: the descriptions in italics under a line saying whose they are; the edition
    // note labelled; the summary's source is the 1.1 web page, not the method's text.
    let key = shown(&out, "index.html", ".mb-editorial-key");
    assert_eq!(key, ["Beskrivningarna i kursiv stil är redaktionens, inte metodens text."]);
    let described = shown(&out, "index.html", ".mb-editorial-text");
    assert!(described.iter().any(|d| d.contains("påståenden")), "{described:?}");
    let notes = shown(&out, "index.html", ".mb-notice");
    assert!(notes.iter().any(|n| n.starts_with("Redaktionell anmärkning. Handboken återger version 1.0")), "{notes:?}");
    let sources = shown(&out, "index.html", ".mb-source");
    assert!(sources.iter().any(|s| s.starts_with("Källa: webbsidan som presenterade version 1.1")), "{sources:?}");
    assert!(!sources.iter().any(|s| s.contains("metodens text, E-delegationens webbsida")), "{sources:?}");

    // An area's note, labelled.
    let note = shown(&out, "samordningsomraden/arkitektur.html", ".mb-notice");
    assert!(note[0].starts_with("Redaktionell anmärkning. Metoden hänvisar också"), "{note:?}");

    // The deciding roles: the group and each entry marked; Styrgrupp quotes the method.
    let group = shown(&out, "begrepp.html", "section:has(#beslutande) > .mb-derived");
    assert!(group[0].contains("Metoden har ingen egen grupp"), "{group:?}");
    let styrgrupp = shown(&out, "begrepp.html", "#styrgrupp + dd");
    assert!(styrgrupp[0].starts_with("Redaktionell sammanställning."), "{styrgrupp:?}");
    assert!(styrgrupp[0].contains("Metoden definierar inte styrgruppen"), "{styrgrupp:?}");

    // Bilaga 2's introduction, the lost colour marking said.
    let matrix = shown(&out, "dokument.html", "section.mb-matrix-section");
    assert!(matrix[0].contains("Nedan visualiseras i vilken fas olika dokument utarbetas."));
    assert!(matrix[0].contains("Källa: Bilaga 2, s. 29"));
    assert!(matrix[0].contains("Färgmarkeringen i metodens figur"));

    // Förstudierapport's "Fas:" in the template's own words beside the phase.
    let facts = shown(&out, "mallar/forstudierapport.html", ".mb-facts dd");
    assert!(facts.iter().any(|f| f.contains("Ta fram lösningsalternativ") && f.contains("”Ta fram lösningsförslag”")));

    // Version 1.1: its source cited, its text said to be missing.
    let v11 = shown(&out, "version-1-1.html", "main")[0].clone();
    assert!(v11.contains("E-delegationens egen webbsida om vägledningen"));
    assert!(v11.contains("daterad 2015-04-10"));
    assert!(v11.contains("dess text finns inte i underlaget"));
    assert!(!v11.contains("texterna anpassades"), "the unsourced wording is gone");
    let faq = shown(&out, "fragor-och-svar.html", "main")[0].clone();
    assert!(faq.contains("Bygger på E-delegationens webbsida om vägledningen, 2015-04-10"));
    assert!(faq.contains("Bygger på avsnitt 1.3"), "a section cite reads as one");

    // The e-nämnd process: its placement, its figure's words and decision points, its name
    // and its page's title, each said to be the editors'.
    let section = shown(&out, "faser/utveckla.html", "section.mb-supplement:has(#realisering)")[0].clone();
    assert!(section.contains("Det är redaktionen som har placerat tilläggets delar vid metodens faser."));
    assert!(section.contains("Texterna nedan står i processbilden."));
    let decisions = shown(&out, "faser/utveckla.html", ".mb-figure-text__decision");
    assert_eq!(
        decisions,
        [
            "Beslutspunkt: Beslut e-nämnden om upphandling",
            "Beslutspunkt: Beslut e-nämnden om tilldelning och eventuella gemensamma resurser"
        ]
    );
    let columns = shown(&out, "faser/utveckla.html", "#realisering .mb-columns__title");
    assert_eq!(columns, ["Innehåll", "Resurser", "Stödjande/styrande dokument"]);
    let supplement = shown(&out, "tillagg/e-namnd.html", "main")[0].clone();
    assert!(supplement.contains("Underlaget har ingen titel. Namnet är redaktionens."));
    let page = shown(&out, "om-e-namndens-process.html", "main")[0].clone();
    assert!(page.contains("Sidans rubrik är redaktionens; texten under den är källans."));
    assert!(page.contains("Den är inte listan i version 1.1 av metoden"));
}
