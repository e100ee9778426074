//! Taking a new national edition with eyes open. A copy depends on national texts: the fields
//! its `overrides.yaml` replaces, the items it hides, what its supplements and checklists are
//! attached to, and the pages its own pages link to. `base-review.yaml` (written by `new`
//! and by `check --accept-base`, and meant to be committed) records each of those texts as
//! they were when the copy was last reviewed; a build compares, and every text the base has
//! changed since is a warning at the copy's line that depends on it, with a word diff of the
//! national change. Ids that vanished are errors elsewhere ([`crate::validate`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::Content;
use crate::content::kind::{Kind, parse_entity_ref};
use crate::content::model::*;
use crate::diagnostic::Diagnostic;
use crate::yaml::double_quoted as quoted;

/// The review file, at the site's root.
pub const FILE_NAME: &str = "base-review.yaml";

/// How a copy depends on a national text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// It replaces this field (`overrides.yaml`).
    Replaces(&'static str),
    /// It attaches additions or a checklist to it.
    Supplements,
    /// It hides it (`hide:`).
    Hides,
    /// One of its pages links to it.
    LinksTo,
}

/// A national text the copy depends on, and where the copy depends on it.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// What the text is: `@phase/initiera`, `@phase/initiera#item` or
    /// `@phase/initiera:summary` (one field).
    pub key: String,
    /// The national text as the base has it now.
    pub text: String,
    pub how: How,
    /// Where the copy depends on it: its file, line and column, and the length there.
    pub file: FileId,
    pub line: usize,
    pub column: usize,
    pub length: usize,
}

impl Dependency {
    /// A dependency written as the reference or id `written` in file `file`.
    pub fn at(key: String, text: String, how: How, file: FileId, written: &Id) -> Self {
        Dependency {
            key,
            text,
            how,
            file,
            line: written.referenced.line() as usize,
            column: written.referenced.column() as usize,
            length: written.value.chars().count(),
        }
    }
}

/// The text of a field, for comparing editions.
pub trait NationalText {
    fn national_text(&self) -> String;
}

impl NationalText for String {
    fn national_text(&self) -> String {
        self.clone()
    }
}

impl NationalText for Markdown {
    fn national_text(&self) -> String {
        self.value.clone()
    }
}

impl<T: NationalText> NationalText for Option<T> {
    fn national_text(&self) -> String {
        self.as_ref().map(NationalText::national_text).unwrap_or_default()
    }
}

/// The national text of a whole entity: its source as the base writes it (the file of an
/// entity that has one, the entry of one in a list file), so any change to it shows.
/// `None` when the entity is not the base's.
pub fn entity_text(content: &Content, kind: Kind, id: &str) -> Option<String> {
    macro_rules! find {
        ($list:ident, |$e:ident| $id:expr) => {
            content.$list.iter().find(|$e| $id == id).map(|$e| ($e.file, None))
        };
        ($list:ident, |$e:ident| $id:expr, entry) => {
            content.$list.iter().find(|$e| $id == id).map(|$e| ($e.file, Some($e.id.referenced.line() as usize)))
        };
    }
    let (file, entry_line) = match kind {
        Kind::Phase => find!(phases, |e| e.id.value),
        Kind::Milestone => find!(milestones, |e| e.id.value),
        Kind::Area => find!(areas, |e| e.id.value),
        Kind::HeadingTemplate => find!(heading_templates, |e| e.id.value),
        Kind::Checklist => find!(checklists, |e| e.id.value),
        Kind::Supplement => find!(supplements, |e| e.id.value),
        Kind::Page => find!(pages, |e| e.meta.id.value),
        Kind::Role => find!(roles, |e| e.id.value, entry),
        Kind::Concept => find!(concepts, |e| e.id.value, entry),
        Kind::Document => find!(documents, |e| e.id.value, entry),
        Kind::Faq => find!(faq, |e| e.id.value, entry),
    }?;
    if content.base.is_none() || file >= content.first_site_file {
        return None;
    }
    let text = &content.files[file].text;
    Some(match entry_line {
        None => text.to_string(),
        Some(line) => list_entry(text, line),
    })
}

/// The lines of the list entry (`- id: …` and what is indented under it) that holds line
/// `line` (1-based) of `text`.
fn list_entry(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let at = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    // The entry starts at the nearest line at or above `line` that opens a list entry.
    let start = (0..=at).rev().find(|&i| lines[i].trim_start().starts_with("- ")).unwrap_or(at);
    let dash = indent(lines[start]);
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent(l) <= dash
        })
        .unwrap_or(lines.len());
    lines[start..end].join("\n")
}

/// The text of one checklist item of a phase, milestone or checklist, as the base has it.
pub fn item_text(content: &Content, kind: Kind, id: &str, item: &str) -> Option<String> {
    let file = |f: FileId| f < content.first_site_file && content.base.is_some();
    match kind {
        Kind::Phase => content.phases.iter().filter(|p| p.id.value == id && file(p.file)).find_map(|p| {
            let a = p.activities.iter().find(|a| a.id.value == item)?;
            Some(std::iter::once(a.text.clone()).chain(a.items.iter().cloned()).collect::<Vec<_>>().join("\n"))
        }),
        Kind::Milestone => content
            .milestones
            .iter()
            .filter(|m| m.id.value == id && file(m.file))
            .find_map(|m| m.decision_covers.iter().find(|i| i.id.value == item).map(|i| i.text.clone())),
        Kind::Checklist => content
            .checklists
            .iter()
            .filter(|c| c.id.value == id && file(c.file))
            .find_map(|c| c.items.iter().find(|i| i.id.value == item).map(|i| i.text.clone())),
        _ => None,
    }
}

/// Adds what the copy's supplements and checklists are attached to, and what its pages link
/// to, to `content.depends` (replaced fields and hidden items are added as they are applied,
/// see [`crate::content::overlay`]).
pub fn collect_attached(content: &mut Content) {
    if content.base.is_none() {
        return;
    }
    let first = content.first_site_file;
    let mut found = Vec::new();
    // A reference `value` written at `line`:`column` of `file`.
    let mut add = |content: &Content, file: FileId, value: &str, (line, column): (usize, usize), how: How| {
        let Some((kind, id)) = parse_entity_ref(value) else { return };
        if let Some(text) = entity_text(content, kind, &id) {
            found.push(Dependency {
                key: format!("@{}/{id}", kind.word()),
                text,
                how,
                file,
                line,
                column,
                length: value.chars().count(),
            });
        }
    };
    let place = |r: &Id, offset: usize| (r.referenced.line() as usize + offset, r.referenced.column() as usize);
    for s in content.supplements.iter().filter(|s| s.file >= first) {
        for a in &s.additions {
            add(content, s.file, &a.to.value, place(&a.to, 0), How::Supplements);
        }
    }
    for c in content.checklists.iter().filter(|c| c.file >= first) {
        if let Some(r) = &c.attached_to {
            add(content, c.file, &r.value, place(r, 0), How::Supplements);
        }
    }
    for p in content.pages.iter().filter(|p| p.file >= first) {
        for r in &p.meta.related {
            add(content, p.file, &r.value, place(r, crate::content::FRONT_MATTER_OFFSET), How::LinksTo);
        }
        for (dest, line, column) in markdown_links(&p.body) {
            add(content, p.file, &dest, (p.body_line + line - 1, column), How::LinksTo);
        }
    }
    content.depends.extend(found);
}

/// The `@…` link destinations of a Markdown text, with their line (1-based, in the text)
/// and column.
fn markdown_links(markdown: &str) -> Vec<(String, usize, usize)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                // Where the destination is written inside the link's source, else the link.
                let at = markdown[range.clone()].find(dest_url.as_ref()).map_or(range.start, |i| range.start + i);
                let before = &markdown[..at];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                Some((dest_url.split('#').next().unwrap_or("").to_string(), line, column))
            }
            _ => None,
        })
        .collect()
}

/// The review file as written: the base it was reviewed against, and each national text.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Recorded {
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    texts: Vec<RecordedText>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedText {
    key: String,
    fingerprint: String,
    text: String,
}

/// The fingerprint of a national text.
fn fingerprint(text: &str) -> String {
    crate::output::fingerprint([text.as_bytes()])
}

/// What a copy's review found: warnings for the author, in the site's language.
pub fn warnings(site: &Path, content: &Content, strings: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    if content.base.is_none() {
        return Vec::new();
    }
    let t = |key: &str| strings.get(key).cloned().unwrap_or_else(|| key.to_string());
    let path = site.join(FILE_NAME);
    let recorded: Recorded = match std::fs::read_to_string(&path) {
        Err(_) => Recorded::default(),
        Ok(text) => match serde_saphyr::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                return vec![
                    Diagnostic::file(FILE_NAME, format!("{}: {e}", t("review_unreadable")))
                        .with_help(t("review_unreadable_help")),
                ];
            }
        },
    };
    let by_key: BTreeMap<&str, &RecordedText> = recorded.texts.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut out = Vec::new();
    let mut unrecorded: Vec<&str> = Vec::new();
    for d in &content.depends {
        let Some(r) = by_key.get(d.key.as_str()) else {
            if !unrecorded.contains(&d.key.as_str()) {
                unrecorded.push(&d.key);
            }
            continue;
        };
        if r.fingerprint == fingerprint(&d.text) {
            continue;
        }
        let mut reference = d.key.split(':').next().unwrap_or(&d.key).to_string();
        // The base named then and now, when the copy has since named another.
        let now = content.base.as_ref().map(|b| b.shown.display().to_string()).unwrap_or_default();
        if let Some(then) = recorded.base.as_ref().filter(|then| **then != now) {
            reference.push_str(&format!(" ({then} → {now})"));
        }
        let what = match &d.how {
            How::Replaces(field) => t("review_replaces").replace("{field}", field),
            How::Supplements => t("review_supplements"),
            How::Hides => t("review_hides"),
            How::LinksTo => t("review_links"),
        }
        .replace("{ref}", &reference);
        let message = t("review_changed").replace("{what}", &what).replace("{diff}", &word_diff(&r.text, &d.text));
        out.push(
            Diagnostic::at(&content.files[d.file], d.line, d.column, message)
                .with_length(d.length)
                .with_help(t("review_changed_help")),
        );
    }
    if !unrecorded.is_empty() {
        let mut list: Vec<&str> = unrecorded.iter().take(5).copied().collect();
        if unrecorded.len() > 5 {
            list.push("…");
        }
        let message =
            t("review_unrecorded").replace("{n}", &unrecorded.len().to_string()).replace("{list}", &list.join(", "));
        out.push(Diagnostic::file(FILE_NAME, message).with_help(t("review_unrecorded_help")));
    }
    out
}

/// Writes `base-review.yaml` with every national text the copy depends on now; returns how
/// many were recorded.
pub fn accept(site: &Path, content: &Content, language: crate::config::Language) -> std::io::Result<usize> {
    let base = content.base.as_ref().map(|b| b.shown.display().to_string()).unwrap_or_default();
    let mut texts: BTreeMap<&str, &str> = BTreeMap::new();
    for d in &content.depends {
        texts.insert(&d.key, &d.text);
    }
    let mut out = header(&base, language);
    out.push_str("texts:\n");
    for (key, text) in &texts {
        out.push_str(&format!(
            "  - key: {}\n    fingerprint: {}\n    text: {}\n",
            quoted(key),
            quoted(&fingerprint(text)),
            quoted(text)
        ));
    }
    let path = site.join(FILE_NAME);
    let staging = site.join(format!(".{FILE_NAME}.new-{}", std::process::id()));
    std::fs::write(&staging, out)?;
    std::fs::rename(&staging, &path)?;
    Ok(texts.len())
}

/// The review file `metodbok new` writes: the base, and no texts yet.
pub fn starter_file(base: &str, language: crate::config::Language) -> String {
    let mut out = header(base, language);
    out.push_str("texts: []\n");
    out
}

fn header(base: &str, language: crate::config::Language) -> String {
    let comment = match language {
        crate::config::Language::Sv => {
            "# Den nationella text som den här utgåvan senast granskades mot. Filen skrivs av\n\
             # `metodbok check --accept-base`; ändra den inte för hand, men spara den med resten av\n\
             # utgåvan. När en ny nationell utgåva ändrar en text som ni ersätter, kompletterar,\n\
             # döljer eller länkar till varnar `metodbok check` med er fil och rad och ändringen.\n"
        }
        crate::config::Language::En => {
            "# The national text this copy was last reviewed against. Written by\n\
             # `metodbok check --accept-base`; do not edit it by hand, but keep it with the rest of\n\
             # the copy. When a new national edition changes a text the copy replaces,\n\
             # supplements, hides or links to, `metodbok check` warns with your file, line and the change.\n"
        }
    };
    format!("{comment}base: {}\n", quoted(base))
}

/// A short word diff of `old` → `new`: each change as `[-removed-] {+added+}` with a few
/// words around it, at most three changes shown.
pub fn word_diff(old: &str, new: &str) -> String {
    const CONTEXT: usize = 4;
    const SHOWN: usize = 3;
    const LONGEST: usize = 12;
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // Edits over the differing middle: a longest common subsequence when it is small enough
    // to compute, else the whole middle replaced.
    let mut ops: Vec<(char, &str)> = Vec::new();
    if am.len() * bm.len() <= 4_000_000 {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(('=', am[i]));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                ops.push(('+', bm[j]));
                j += 1;
            } else {
                ops.push(('-', am[i]));
                i += 1;
            }
        }
    } else {
        ops.extend(am.iter().map(|w| ('-', *w)));
        ops.extend(bm.iter().map(|w| ('+', *w)));
    }
    let all: Vec<(char, &str)> = a[..prefix]
        .iter()
        .map(|w| ('=', *w))
        .chain(ops)
        .chain(a[a.len() - suffix..].iter().map(|w| ('=', *w)))
        .collect();
    // Runs of changes, each shown with CONTEXT equal words on either side.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < all.len() {
        if all[k].0 == '=' {
            k += 1;
            continue;
        }
        let (start, mut end, mut i) = (k, k, k);
        // A change takes in the next one when fewer than 2 × CONTEXT equal words part them.
        while i < all.len() {
            if all[i].0 != '=' {
                i += 1;
                end = i;
                continue;
            }
            let next = (i..all.len()).find(|&x| all[x].0 != '=').unwrap_or(all.len());
            if next == all.len() || next - i > 2 * CONTEXT {
                break;
            }
            i = next;
        }
        hunks.push((start, end));
        k = end;
    }
    if hunks.is_empty() {
        return "(only spacing changed)".into();
    }
    let words = |kind: char, from: usize, to: usize| -> String {
        let w: Vec<&str> = all[from..to].iter().filter(|o| o.0 == kind).map(|o| o.1).collect();
        if w.len() > LONGEST {
            format!("{} … {}", w[..LONGEST / 2].join(" "), w[w.len() - LONGEST / 2..].join(" "))
        } else {
            w.join(" ")
        }
    };
    let mut shown = Vec::new();
    for &(start, end) in hunks.iter().take(SHOWN) {
        let before: Vec<&str> = all[start.saturating_sub(CONTEXT)..start].iter().map(|o| o.1).collect();
        let after: Vec<&str> = all[end..(end + CONTEXT).min(all.len())].iter().map(|o| o.1).collect();
        let mut s = String::new();
        if start > CONTEXT {
            s.push_str("… ");
        }
        s.push_str(&before.join(" "));
        // Within a hunk, equal words between changes are kept in their place; each change
        // shows what was removed, then what was added.
        let mut k = start;
        while k < end {
            let equal = all[k].0 == '=';
            let run_end = (k..end).find(|&i| (all[i].0 == '=') != equal).unwrap_or(end);
            let pieces = if equal {
                vec![words('=', k, run_end)]
            } else {
                let (removed, added) = (words('-', k, run_end), words('+', k, run_end));
                [(removed, "[-", "-]"), (added, "{+", "+}")]
                    .into_iter()
                    .filter(|(w, _, _)| !w.is_empty())
                    .map(|(w, open, close)| format!("{open}{w}{close}"))
                    .collect()
            };
            for piece in pieces {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&piece);
            }
            k = run_end;
        }
        if !after.is_empty() {
            s.push(' ');
            s.push_str(&after.join(" "));
        }
        if end + CONTEXT < all.len() {
            s.push_str(" …");
        }
        shown.push(s);
    }
    if hunks.len() > SHOWN {
        shown.push(format!("(+{})", hunks.len() - SHOWN));
    }
    shown.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_shows_the_change_with_context() {
        let d = word_diff("Fasen börjar med ett beslut om start.", "Fasen börjar med ett skriftligt beslut om start.");
        assert_eq!(d, "Fasen börjar med ett {+skriftligt+} beslut om start.");
        let d = word_diff("a b c d e f g h i j k l", "a b c d e X g h i j k l");
        assert_eq!(d, "… b c d e [-f-] {+X+} g h i j …");
        assert_eq!(word_diff("a  b", "a b"), "(only spacing changed)");
    }

    #[test]
    fn list_entries_are_cut_at_the_next_entry() {
        let text = "- id: a\n  name: A\n  text: |\n    line\n\n- id: b\n  name: B\n";
        assert_eq!(list_entry(text, 1), "- id: a\n  name: A\n  text: |\n    line\n");
        assert_eq!(list_entry(text, 6), "- id: b\n  name: B");
    }

    #[test]
    fn recorded_texts_read_back_exactly() {
        let hostile = "rad \"ett\"\n\ttvå \\ tre \u{2028} fyra: - [x]";
        let file = format!(
            "base: x\ntexts:\n  - key: {}\n    fingerprint: f\n    text: {}\n",
            quoted("@a/b"),
            quoted(hostile)
        );
        let r: Recorded = serde_saphyr::from_str(&file).unwrap();
        assert_eq!(r.texts[0].text, hostile);
    }
}
