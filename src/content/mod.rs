//! The handbook's content: loading the `content/` folder into the typed model
//! ([`model`]), and checking it ([`crate::validate`]).
//!
//! Layout of `content/` (one kind per place, so a file's kind never needs guessing):
//!
//! | path | holds |
//! |---|---|
//! | `method.yaml` | the method: name, version, summary |
//! | `phases/*.yaml` | one phase per file |
//! | `milestones/*.yaml` | one milestone per file |
//! | `areas/*.yaml` | one coordination area per file |
//! | `roles.yaml`, `concepts.yaml`, `documents.yaml`, `faq.yaml` | a list each |
//! | `heading-templates/*.yaml` | one heading template per file |
//! | `checklists/*.yaml` | one checklist of its own per file |
//! | `reading-guide.yaml` | the reading guide |
//! | `pages/**/*.md` | free pages: YAML front matter between `---` lines, then Markdown |
//! | `supplements/*.yaml` | one supplement per file: additions attached to existing content |
//! | `overrides.yaml` | local changes: replaced fields, hidden items |
//! | `search.yaml` | search help: words readers type, and the handbook's words to find |
//!
//! A site may build on a base (`base:` in `metodbok.yaml`, e.g. a checkout of the national
//! handbook): the base's `content/` is read first, then the site's own, which adds pages,
//! checklists and supplements, and changes or hides what the base has through
//! `overrides.yaml`. Validation then runs over the combination, so a supplement that refers
//! to an id the base no longer has is an error, never silently dropped.

pub mod kind;
pub mod model;
pub mod overlay;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceFile, relative_to};
use crate::yaml::{self, Spanned};
use model::*;

thread_local! {
    /// The file being deserialized on this thread, so [`Markdown`] values remember it.
    static READING: std::cell::Cell<FileId> = const { std::cell::Cell::new(0) };
}

/// The file whose YAML is being read (see [`Markdown`]).
pub(crate) fn reading_file() -> FileId {
    READING.with(|r| r.get())
}

/// Reads with `file` as the current file of [`reading_file`].
fn reading<T>(file: FileId, f: impl FnOnce() -> T) -> T {
    READING.with(|r| r.set(file));
    f()
}

/// Everything in `content/`, loaded.
#[derive(Debug, Default)]
pub struct Content {
    /// Every file read, for diagnostics; entities refer to these by index.
    pub files: Vec<SourceFile>,
    pub method: Option<Method>,
    pub phases: Vec<Phase>,
    pub milestones: Vec<Milestone>,
    pub areas: Vec<Area>,
    pub roles: Vec<Role>,
    pub concepts: Vec<Concept>,
    pub documents: Vec<Document>,
    pub heading_templates: Vec<HeadingTemplate>,
    pub checklists: Vec<ChecklistFile>,
    pub reading_guide: Option<ReadingGuide>,
    pub faq: Vec<Faq>,
    pub pages: Vec<Page>,
    pub supplements: Vec<Supplement>,
    /// The search help files read (the base's, then the site's).
    pub search_help: Vec<SearchHelp>,
    /// The `overrides.yaml` files read (the base's, then the site's); applied, and emptied,
    /// once all content is loaded (see [`overlay`]).
    pub overrides: Vec<Overrides>,
    /// Ids written in files that failed to load, so validation does not also report
    /// references to them as dangling.
    pub unreadable_ids: Vec<String>,
    /// Files before this index come from the base; the site's own files follow.
    pub first_site_file: FileId,
    /// The base this content builds on, if any.
    pub base: Option<Base>,
    /// Fields replaced by `overrides.yaml`: (kind, id) → field names.
    pub changed: BTreeMap<(kind::Kind, String), Vec<&'static str>>,
    /// What `overrides.yaml` hides: `@kind/id` or `@kind/id#item` → where it is hidden
    /// (`file:line:column`).
    pub hidden: BTreeMap<String, String>,
    /// The national texts the site depends on (see [`crate::review`]).
    pub depends: Vec<crate::review::Dependency>,
}

/// The base a site builds on, as `metodbok.yaml` names it.
#[derive(Debug, Clone)]
pub struct Base {
    /// Where its files are.
    pub source: BaseSource,
    /// The base as written in `metodbok.yaml` (a folder relative to the site, or an
    /// edition's name), for messages.
    pub shown: PathBuf,
    /// Where `base:` is written: `metodbok.yaml:3:7`.
    pub named_at: String,
}

/// Where a base's files are.
#[derive(Debug, Clone)]
pub enum BaseSource {
    /// A folder: a checkout of the national handbook, or another site.
    Folder(PathBuf),
    /// A national edition built into the binary.
    Edition(&'static crate::edition::Edition),
}

impl Base {
    /// The base's folder, when it is one (an edition in the binary has none).
    pub fn folder(&self) -> Option<&Path> {
        match &self.source {
            BaseSource::Folder(dir) => Some(dir),
            BaseSource::Edition(_) => None,
        }
    }
}

impl Content {
    /// Every entry of the search help, in the order written (the base's first), with the file
    /// it is written in.
    pub fn synonyms(&self) -> impl Iterator<Item = (FileId, &Synonym)> {
        self.search_help.iter().flat_map(|h| h.synonyms.iter().map(move |s| (h.file, s)))
    }

    /// True when file `file` is the site's own (not the base's) in a site that has a base:
    /// what it holds is local and is marked so.
    pub fn is_local(&self, file: FileId) -> bool {
        self.base.is_some() && file >= self.first_site_file
    }
}

/// The kinds of file `content/` may hold, by place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Method,
    Phase,
    Milestone,
    Area,
    Roles,
    Concepts,
    Documents,
    Template,
    Checklist,
    ReadingGuide,
    Faq,
    Page,
    Supplement,
    Overrides,
    SearchHelp,
}

fn kind_of(rel: &Path) -> Option<FileKind> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    let yaml = ext == "yaml" || ext == "yml";
    match (parts.as_slice(), yaml, ext == "md") {
        (["method.yaml" | "method.yml"], true, _) => Some(FileKind::Method),
        (["roles.yaml" | "roles.yml"], true, _) => Some(FileKind::Roles),
        (["concepts.yaml" | "concepts.yml"], true, _) => Some(FileKind::Concepts),
        (["documents.yaml" | "documents.yml"], true, _) => Some(FileKind::Documents),
        (["faq.yaml" | "faq.yml"], true, _) => Some(FileKind::Faq),
        (["reading-guide.yaml" | "reading-guide.yml"], true, _) => Some(FileKind::ReadingGuide),
        (["overrides.yaml" | "overrides.yml"], true, _) => Some(FileKind::Overrides),
        (["search.yaml" | "search.yml"], true, _) => Some(FileKind::SearchHelp),
        (["supplements", _], true, _) => Some(FileKind::Supplement),
        (["phases", _], true, _) => Some(FileKind::Phase),
        (["milestones", _], true, _) => Some(FileKind::Milestone),
        (["areas", _], true, _) => Some(FileKind::Area),
        (["heading-templates", _], true, _) => Some(FileKind::Template),
        (["checklists", _], true, _) => Some(FileKind::Checklist),
        (["pages", ..], _, true) => Some(FileKind::Page),
        _ => None,
    }
}

const LAYOUT_HELP: &str = "content/ holds method.yaml, roles.yaml, concepts.yaml, documents.yaml, faq.yaml, \
reading-guide.yaml, overrides.yaml, search.yaml, and the folders phases/, milestones/, areas/, heading-templates/, \
checklists/, supplements/ (YAML) and pages/ (Markdown)";

/// Reads `site/content` (after the base's `content/`, when there is a base) into the model,
/// then applies `overrides.yaml`. Problems are collected in `diagnostics`; what could be read
/// is returned all the same, so validation can report further problems in one run.
pub fn load(site: &Path, base: Option<Base>, diagnostics: &mut Vec<Diagnostic>) -> Content {
    let mut content = Content::default();
    if let Some(b) = &base {
        let shown = b.shown.join("content");
        match &b.source {
            // A base without content/ is reported by the configuration, where `base:` is written.
            BaseSource::Folder(dir) if dir.join("content").is_dir() => {
                read_folder(&mut content, &dir.join("content"), &shown, diagnostics)
            }
            BaseSource::Folder(_) => {}
            BaseSource::Edition(e) => {
                // The edition is this repository's content/, which every test run builds
                // from the folder: it is UTF-8, and is read exactly as the folder is.
                let files = e
                    .files
                    .iter()
                    .map(|(rel, bytes)| {
                        let text = Ok(String::from_utf8_lossy(bytes).into_owned());
                        (PathBuf::from(rel), shown.join(rel), text)
                    })
                    .collect();
                read_files(&mut content, files, diagnostics);
            }
        }
    }
    content.first_site_file = content.files.len();
    let dir = site.join("content");
    if dir.is_dir() {
        read_folder(&mut content, &dir, Path::new("content"), diagnostics);
    } else if base.is_none() {
        diagnostics.push(Diagnostic::file("content", "the site has no content/ folder").with_help(LAYOUT_HELP));
        return content;
    }
    content.base = base;

    let base_missing = content.base.as_ref().and_then(Base::folder).is_some_and(|d| !d.join("content").is_dir());
    if content.method.is_none() && !base_missing && !diagnostics.iter().any(|d| d.file.ends_with("method.yaml")) {
        diagnostics.push(
            Diagnostic::file("content/method.yaml", "the method description is missing")
                .with_help("create content/method.yaml with at least `name:` and `version:`"),
        );
    }
    overlay::apply(&mut content, diagnostics);
    crate::review::collect_attached(&mut content);
    content.phases.sort_by_key(|p| p.number);
    content.milestones.sort_by_key(|m| m.number);
    content.areas.sort_by_key(|a| crate::slug::sv_sort_key(&a.name));
    content.pages.sort_by(|a, b| (a.meta.order, &a.meta.id.value).cmp(&(b.meta.order, &b.meta.id.value)));
    // Heading templates in the order the phases use them: by phase, then as the documents
    // are listed (the list page, the pages' previous/next links and the print page follow it).
    let (phases, documents) = (&content.phases, &content.documents);
    content.heading_templates.sort_by_key(|t| {
        let phase = phases.iter().find(|ph| ph.id.value == t.phase.value).map_or(u32::MAX, |ph| ph.number);
        (phase, documents.iter().position(|d| d.id.value == t.document.value).unwrap_or(usize::MAX))
    });
    content
}

/// Reads every content file under `dir`, shown to the author as under `shown`.
fn read_folder(content: &mut Content, dir: &Path, shown_dir: &Path, diagnostics: &mut Vec<Diagnostic>) {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| match e {
            Ok(e) if e.file_type().is_file() => Some(e.into_path()),
            Ok(_) => None,
            Err(err) => {
                let p = err.path().map(|p| shown_dir.join(relative_to(p, dir))).unwrap_or_else(|| shown_dir.into());
                diagnostics.push(Diagnostic::file(p, format!("cannot read: {err}")));
                None
            }
        })
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
        .collect();
    paths.sort();
    let files = paths
        .par_iter()
        .with_max_len(1)
        .map(|path| {
            let rel = relative_to(path, dir);
            let shown = shown_dir.join(&rel);
            let text =
                if kind_of(&rel).is_none() { Ok(String::new()) } else { crate::diagnostic::read_text(path, &shown) };
            (rel, shown, text)
        })
        .collect();
    read_files(content, files, diagnostics);
}

/// A content file: its path inside `content/`, as shown to the author, and its text or why
/// it could not be read.
type FileText = (PathBuf, PathBuf, Result<String, Box<(Diagnostic, Option<String>)>>);

/// What a content file holds, parsed.
enum Parsed {
    Method(Method),
    Phase(Phase),
    /// Boxed: a milestone is the largest of these by far.
    Milestone(Box<Milestone>),
    Area(Area),
    Template(HeadingTemplate),
    Checklist(ChecklistFile),
    ReadingGuide(ReadingGuide),
    Supplement(Supplement),
    Overrides(Overrides),
    SearchHelp(SearchHelp),
    Roles(Vec<Role>),
    Concepts(Vec<Concept>),
    Documents(Vec<Document>),
    Faq(Vec<Faq>),
    Page(Page),
}

/// Loads `files` (in the order given) into `content`: each readable file of a known kind is
/// numbered in that order, the files are parsed side by side, and what they hold is added
/// (and every problem reported) in that order, as if they were read one after the other.
fn read_files(content: &mut Content, files: Vec<FileText>, diagnostics: &mut Vec<Diagnostic>) {
    /// A file, before its text is parsed: what is done with it, in order.
    enum Step {
        Misplaced(PathBuf),
        Unreadable(Box<(Diagnostic, Option<String>)>),
        Parse(FileId, FileKind),
    }
    let steps: Vec<Step> = files
        .into_iter()
        .filter_map(|(rel, shown, text)| {
            let Some(kind) = kind_of(&rel) else {
                let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
                return matches!(ext, "yaml" | "yml" | "md").then_some(Step::Misplaced(shown));
            };
            Some(match text {
                Err(e) => Step::Unreadable(e),
                Ok(text) => {
                    let file_id = content.files.len();
                    content.files.push(SourceFile { display_path: shown, text: Arc::from(text) });
                    Step::Parse(file_id, kind)
                }
            })
        })
        .collect();
    let files = &content.files;
    let parsed: Vec<Option<Result<Parsed, Diagnostic>>> = steps
        .par_iter()
        .with_max_len(1)
        .map(|step| match step {
            Step::Parse(id, kind) => Some(reading(*id, || parse_file(*kind, &files[*id], *id))),
            _ => None,
        })
        .collect();
    for (step, parsed) in steps.into_iter().zip(parsed) {
        match (step, parsed) {
            (Step::Misplaced(shown), _) => diagnostics.push(
                Diagnostic::file(shown, "this file is not in a place where content is read").with_help(LAYOUT_HELP),
            ),
            (Step::Unreadable(e), _) => {
                let (d, lossy) = *e;
                // What the file names is still known, so references to it are not reported too.
                content.unreadable_ids.extend(lossy.as_deref().map(harvest_ids).unwrap_or_default());
                diagnostics.push(d);
            }
            (Step::Parse(id, kind), parsed) => {
                let parsed = parsed.expect("every file to parse was parsed");
                if let Err(d) = add_file(content, kind, id, parsed) {
                    let ids = harvest_ids(&content.files[id].text);
                    content.unreadable_ids.extend(ids);
                    diagnostics.push(d);
                }
            }
        }
    }
}

/// Parses the content file `file` (number `id`) of kind `kind`.
fn parse_file(kind: FileKind, file: &SourceFile, id: FileId) -> Result<Parsed, Diagnostic> {
    let text = &*file.text;
    fn one<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<T, Diagnostic> {
        yaml::parse(file, text, 0)
    }
    fn list<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<Vec<T>, Diagnostic> {
        yaml::parse(file, text, 0)
    }
    Ok(match kind {
        FileKind::Method => Parsed::Method(Method { file: id, ..one(file, text)? }),
        FileKind::Phase => Parsed::Phase(Phase { file: id, ..one(file, text)? }),
        FileKind::Milestone => Parsed::Milestone(Box::new(Milestone { file: id, ..one(file, text)? })),
        FileKind::Area => Parsed::Area(Area { file: id, ..one(file, text)? }),
        FileKind::Template => Parsed::Template(HeadingTemplate { file: id, ..one(file, text)? }),
        FileKind::Checklist => Parsed::Checklist(ChecklistFile { file: id, ..one(file, text)? }),
        FileKind::ReadingGuide => Parsed::ReadingGuide(ReadingGuide { file: id, ..one(file, text)? }),
        FileKind::Supplement => Parsed::Supplement(Supplement { file: id, ..one(file, text)? }),
        FileKind::Overrides => Parsed::Overrides(Overrides { file: id, ..one(file, text)? }),
        FileKind::SearchHelp => Parsed::SearchHelp(SearchHelp { file: id, ..one(file, text)? }),
        FileKind::Roles => {
            Parsed::Roles(list::<Role>(file, text)?.into_iter().map(|r| Role { file: id, ..r }).collect())
        }
        FileKind::Concepts => {
            Parsed::Concepts(list::<Concept>(file, text)?.into_iter().map(|c| Concept { file: id, ..c }).collect())
        }
        FileKind::Documents => {
            Parsed::Documents(list::<Document>(file, text)?.into_iter().map(|d| Document { file: id, ..d }).collect())
        }
        FileKind::Faq => Parsed::Faq(list::<Faq>(file, text)?.into_iter().map(|f| Faq { file: id, ..f }).collect()),
        FileKind::Page => Parsed::Page(parse_page(file, id, text)?),
    })
}

/// Adds what the content file number `id` of kind `kind` holds (`parsed`) to `content`.
fn add_file(
    content: &mut Content,
    kind: FileKind,
    id: FileId,
    parsed: Result<Parsed, Diagnostic>,
) -> Result<(), Diagnostic> {
    // One method and one reading guide: a site with a base takes the base's.
    let single = |taken: bool, what: &str| -> Result<(), Diagnostic> {
        if taken {
            return Err(Diagnostic::at(&content.files[id], 1, 1, format!("the base already has {what}")).with_help(
                "a site builds on its base's; remove this file, or change fields in content/overrides.yaml",
            ));
        }
        Ok(())
    };
    match kind {
        FileKind::Method => single(content.method.is_some(), "a method description (method.yaml)")?,
        FileKind::ReadingGuide => single(content.reading_guide.is_some(), "a reading guide (reading-guide.yaml)")?,
        _ => {}
    }
    match parsed? {
        Parsed::Method(m) => content.method = Some(m),
        Parsed::Phase(p) => content.phases.push(p),
        Parsed::Milestone(m) => content.milestones.push(*m),
        Parsed::Area(a) => content.areas.push(a),
        Parsed::Template(t) => content.heading_templates.push(t),
        Parsed::Checklist(c) => content.checklists.push(c),
        Parsed::ReadingGuide(r) => content.reading_guide = Some(r),
        Parsed::Supplement(s) => content.supplements.push(s),
        Parsed::Overrides(o) => content.overrides.push(o),
        Parsed::SearchHelp(h) => content.search_help.push(h),
        Parsed::Roles(r) => content.roles.extend(r),
        Parsed::Concepts(c) => content.concepts.extend(c),
        Parsed::Documents(d) => content.documents.extend(d),
        Parsed::Faq(f) => content.faq.extend(f),
        Parsed::Page(p) => content.pages.push(p),
    }
    Ok(())
}

/// Splits a Markdown page into its YAML front matter and body.
fn parse_page(file: &SourceFile, id: FileId, text: &str) -> Result<Page, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::at(file, 1, 1, "a page must start with YAML front matter between `---` lines")
            .with_help("start the file with `---`, then `id:` and `title:`, then `---`"));
    }
    let mut fm = String::new();
    let mut line_no = 1;
    let mut closed = false;
    let mut consumed = first.len();
    for line in lines.by_ref() {
        line_no += 1;
        consumed += line.len();
        if line.trim_end() == "---" {
            closed = true;
            break;
        }
        fm.push_str(line);
    }
    if !closed {
        return Err(Diagnostic::at(file, 1, 1, "the front matter is not closed by a `---` line"));
    }
    let meta: PageMeta = yaml::parse(file, &fm, 1)?;
    Ok(Page { meta, body: text[consumed..].to_string(), body_line: line_no + 1, file: id })
}

/// Best-effort ids from a file that failed to load (so references to it are not also
/// reported): the `id:` values at the top level or in a top-level list.
fn harvest_ids(text: &str) -> Vec<String> {
    let body =
        if text.starts_with("---") { text.split("\n---").next().unwrap_or("").trim_start_matches("---") } else { text };
    body.lines()
        .filter_map(|l| l.strip_prefix("id:").or_else(|| l.strip_prefix("- id:")))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A page's front matter starts on line 2 of its file.
pub const FRONT_MATTER_OFFSET: usize = 1;

/// A diagnostic at the place `value` was written in file `file` (whose YAML started
/// `offset` lines into the file).
pub fn at<T>(
    content: &Content,
    file: FileId,
    value: &Spanned<T>,
    offset: usize,
    message: impl Into<String>,
) -> Diagnostic {
    let loc = value.referenced;
    Diagnostic::at(&content.files[file], loc.line() as usize + offset, loc.column() as usize, message)
}
