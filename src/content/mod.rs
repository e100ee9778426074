//! The handbook's content: loading the `content/` folder into the typed model
//! ([`model`]), and checking it ([`validate`]).
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

pub mod model;
pub mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceFile, relative_to};
use crate::yaml;
use model::*;

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
    pub templates: Vec<HeadingTemplate>,
    pub checklists: Vec<ChecklistFile>,
    pub reading_guide: Option<ReadingGuide>,
    pub faq: Vec<Faq>,
    pub pages: Vec<Page>,
    /// Ids written in files that failed to load, so validation does not also report
    /// references to them as dangling.
    pub unreadable_ids: Vec<String>,
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
reading-guide.yaml, and the folders phases/, milestones/, areas/, heading-templates/, checklists/ (YAML) \
and pages/ (Markdown)";

/// Reads `site/content` into the model. Problems are collected in `diagnostics`; what could
/// be read is returned all the same, so validation can report further problems in one run.
pub fn load(site: &Path, diagnostics: &mut Vec<Diagnostic>) -> Content {
    let dir = site.join("content");
    let mut content = Content::default();
    if !dir.is_dir() {
        diagnostics.push(Diagnostic::file("content", "the site has no content/ folder").with_help(LAYOUT_HELP));
        return content;
    }
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| match e {
            Ok(e) if e.file_type().is_file() => Some(e.into_path()),
            Ok(_) => None,
            Err(err) => {
                let p = err.path().map(Path::to_path_buf).unwrap_or_else(|| dir.clone());
                diagnostics.push(Diagnostic::file(relative_to(&p, site), format!("cannot read: {err}")));
                None
            }
        })
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
        .collect();
    paths.sort();

    for path in paths {
        let rel = relative_to(&path, &dir);
        let shown = relative_to(&path, site);
        let Some(kind) = kind_of(&rel) else {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "yaml" | "yml" | "md") {
                diagnostics.push(
                    Diagnostic::file(&shown, "this file is not in a place where content is read")
                        .with_help(LAYOUT_HELP),
                );
            }
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diagnostics.push(Diagnostic::file(&shown, format!("cannot read: {e}")));
                continue;
            }
        };
        let file_id = content.files.len();
        content.files.push(SourceFile { display_path: shown, text: Arc::from(text.as_str()) });
        let file = content.files[file_id].clone();
        if let Err(d) = load_file(&mut content, kind, &file, file_id, &text) {
            content.unreadable_ids.extend(harvest_ids(&text));
            diagnostics.push(d);
        }
    }

    if content.method.is_none() && !diagnostics.iter().any(|d| d.file.ends_with("method.yaml")) {
        diagnostics.push(
            Diagnostic::file("content/method.yaml", "the method description is missing")
                .with_help("create content/method.yaml with at least `name:` and `version:`"),
        );
    }
    content.phases.sort_by_key(|p| p.number);
    content.milestones.sort_by_key(|m| m.number);
    content.areas.sort_by_key(|a| crate::slug::sv_sort_key(&a.name));
    content.pages.sort_by(|a, b| (a.meta.order, &a.meta.id.value).cmp(&(b.meta.order, &b.meta.id.value)));
    content
}

fn load_file(
    content: &mut Content,
    kind: FileKind,
    file: &SourceFile,
    id: FileId,
    text: &str,
) -> Result<(), Diagnostic> {
    fn one<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<T, Diagnostic> {
        yaml::parse(file, text, 0)
    }
    fn list<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<Vec<T>, Diagnostic> {
        yaml::parse(file, text, 0)
    }
    match kind {
        FileKind::Method => content.method = Some(Method { file: id, ..one(file, text)? }),
        FileKind::Phase => content.phases.push(Phase { file: id, ..one(file, text)? }),
        FileKind::Milestone => content.milestones.push(Milestone { file: id, ..one(file, text)? }),
        FileKind::Area => content.areas.push(Area { file: id, ..one(file, text)? }),
        FileKind::Template => content.templates.push(HeadingTemplate { file: id, ..one(file, text)? }),
        FileKind::Checklist => content.checklists.push(ChecklistFile { file: id, ..one(file, text)? }),
        FileKind::ReadingGuide => content.reading_guide = Some(ReadingGuide { file: id, ..one(file, text)? }),
        FileKind::Roles => content.roles.extend(list::<Role>(file, text)?.into_iter().map(|r| Role { file: id, ..r })),
        FileKind::Concepts => {
            content.concepts.extend(list::<Concept>(file, text)?.into_iter().map(|c| Concept { file: id, ..c }))
        }
        FileKind::Documents => {
            content.documents.extend(list::<Document>(file, text)?.into_iter().map(|d| Document { file: id, ..d }))
        }
        FileKind::Faq => content.faq.extend(list::<Faq>(file, text)?.into_iter().map(|f| Faq { file: id, ..f })),
        FileKind::Page => content.pages.push(parse_page(file, id, text)?),
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
