//! `metodbok new`: a municipality's starter site. It builds on a base (usually a checkout of
//! the national handbook) and holds only what is the municipality's own: configuration with
//! every key explained, one example page, a commented `overrides.yaml`, an empty
//! `templates/` folder with a note on overriding, and a README for the people who run it.
//!
//! The starter writes no guidance: its one page says what the copy is and is marked as
//! local content on every build.

use std::path::{Path, PathBuf};

/// Why a starter site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{0} already exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    #[error("the base {0} is not a metodbok site (it has no metodbok.yaml and no content/ folder)")]
    BadBase(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the organisation's name is empty; give it with --org, e.g. --org \"Exempel kommun\"")]
    NoName,
}

/// What to make.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    /// The organisation's name, e.g. "Exempel kommun".
    pub org: String,
    /// The site to build on.
    pub base: PathBuf,
    /// Today's date (YYYY-MM-DD), for the accessibility statement's assessment date.
    pub today: String,
}

/// Writes the starter site; returns the files written, relative to `dir`.
pub fn create(o: &Options) -> Result<Vec<PathBuf>, NewError> {
    if one_line(&o.org).is_empty() {
        return Err(NewError::NoName);
    }
    if !(o.base.join(crate::config::FILE_NAME).is_file() || o.base.join("content").is_dir()) {
        return Err(NewError::BadBase(o.base.clone()));
    }
    if o.dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(NewError::NotEmpty(o.dir.clone()));
    }
    let write = |rel: &str, text: &str| -> Result<(), NewError> {
        let path = o.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| NewError::Write { path: parent.into(), source })?;
        }
        std::fs::write(&path, text).map_err(|source| NewError::Write { path, source })
    };
    std::fs::create_dir_all(&o.dir).map_err(|source| NewError::Write { path: o.dir.clone(), source })?;
    let base = relative_path(&o.dir, &o.base);
    let slug = crate::slug::slugify(&o.org);
    let page = format!("content/pages/om-{slug}s-utgava.md");
    let files: Vec<(String, String)> = vec![
        ("metodbok.yaml".into(), config(o, &base)),
        (page, example_page(o, &slug)),
        ("content/overrides.yaml".into(), OVERRIDES.into()),
        ("templates/README.md".into(), TEMPLATES_NOTE.into()),
        ("README.md".into(), readme(o, &base)),
        (".gitignore".into(), "/public/\n".into()),
    ];
    for (rel, text) in &files {
        write(rel, text)?;
    }
    Ok(files.into_iter().map(|(r, _)| PathBuf::from(r)).collect())
}

/// The path from folder `from` to `to`, relative when both can be resolved (so the two
/// folders can move together), with `/` separators as YAML files are shared across systems.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let abs =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p));
    let (from, to) = (abs(from), abs(to));
    match pathdiff::diff_paths(&to, &from) {
        Some(rel) if rel.as_os_str().is_empty() => ".".into(),
        Some(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        None => to.display().to_string(),
    }
}

/// Today's date as YYYY-MM-DD (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A YAML double-quoted string holding exactly `s`, whatever it holds: quotation marks,
/// backslashes, line breaks and other control characters are escaped.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` on one line, for comments and Markdown: line breaks and other control characters
/// become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` as Markdown text that shows exactly `s`: every ASCII punctuation mark escaped.
fn md_text(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn config(o: &Options, base: &str) -> String {
    let org = &one_line(&o.org);
    format!(
        r##"# The configuration of {org}'s copy of the handbook. Lines starting with # are
# comments: remove the # in front of a key to use it. README.md explains the rest.

# The handbook's name, in the header and in every page title.
title: {title}

# The site this copy builds on: a folder, relative to this file (for example a checkout of
# the national handbook). Its content comes first; content/ here adds to it. To take a newer
# national edition, update that folder and run `metodbok check`.
base: {base_q}

# The language of the interface: sv (Swedish, default) or en (English).
language: sv

# One sentence about this copy, for the start page and search engines.
# description: {description}

# The address where the copy is published. Only sitemap.xml and the 404 page use it; all
# other links are relative, so the copy works under any sub-path and opened from disk.
# url: https://www.example.se/metod/

# Who publishes this copy: shown in the header, the footer and on local pages.
organisation:
  name: {org_q}
  # url: https://www.example.se/

# The logo in the header: an SVG or PNG file in static/, and what it says.
# logo:
#   src: img/logo.svg
#   alt: {org_q}

# Brand colours as #rrggbb. White header text and links are drawn with the primary colour
# (at least 4.5:1 contrast is required); the accent draws focus outlines and borders (at
# least 3:1). A colour with too little contrast stops the build and says the ratio.
# colours:
#   primary: "#1d4e89"
#   accent: "#b35900"

# Whom readers contact about this copy (shown in the footer).
# contact:
#   name: Digitaliseringsenheten
#   email: digitalisering@example.se
#   phone: 010-000 00 00
#   url: https://www.example.se/kontakt

# Extra text in the footer, Markdown.
# footer: |
#   {org_md}s utgåva av E-delegationens vägledning *Metod för Utveckling i Samverkan*.

# Interface strings: any key of the theme's i18n/sv.yaml (or en.yaml), replaced.
# strings:
#   start_intro: {intro}

# The accessibility statement (tillgänglighetsredogörelse), required by law for public
# sector sites. Fill it in before publishing.
accessibility:
  organisation: {org_q}
  # The service the statement is about; defaults to the title.
  # service: Metodhandboken
  # helt, delvis or inte (förenlig med lagkraven).
  status: delvis
  known_problems:
    - problem: Webbplatsen har ännu inte granskats fullständigt mot WCAG 2.1 nivå AA.
      reason: Granskningen har inte genomförts än.
  # When the site was assessed, and when this statement was last updated (YYYY-MM-DD).
  assessed: "{today}"
  # updated: "{today}"
  method: Egen bedömning.
  feedback:
    # email: tillganglighet@example.se
    # phone: 010-000 00 00
    # url: https://www.example.se/kontakt
    response_time: Ange hur man når er och hur snart man får svar.
"##,
        title = q(&format!("Metod för utveckling i samverkan – {}", o.org)),
        org_q = q(&o.org),
        base_q = q(base),
        description = q(&format!("{org}s utgåva av handboken Metod för utveckling i samverkan.")),
        org_md = md_text(&o.org),
        intro = q(&format!("Här finns metoden med {org}s tillägg.")),
        today = o.today,
    )
}

fn example_page(o: &Options, slug: &str) -> String {
    format!(
        r#"---
id: om-{slug}s-utgava
title: {title}
order: 100
description: {description}
related: ["@phases"]
---
Det här är {org_md}s utgåva av handboken [Metod för utveckling i samverkan](@home). Metodens
text är den nationella; det {org_md} lägger till är märkt som lokalt innehåll på varje sida.

Skriv här vad er utgåva innehåller utöver metoden, vem som ansvarar för den och vart man
vänder sig med frågor. Sidan finns i `content/pages/` och är skriven i Markdown.
"#,
        title = q(&format!("Om {}s utgåva", o.org)),
        description = q(&format!("Vad {} har lagt till i handboken.", one_line(&o.org))),
        org_md = md_text(&o.org),
    )
}

const OVERRIDES: &str = r#"# Local changes to the content this copy builds on. Everything here is optional; an entry
# names an id of the base and the fields to replace, and the rest stays as the base has it.
# Pages show readers which fields were changed locally. An id the base no longer has (after
# a new national edition) stops the build with this file's line, never silently.
#
# phases:
#   - id: identifiera-behov
#     summary: |
#       Er egen sammanfattning av fasen.
# milestones:
#   - id: milstolpe-1
#     prepared_by: Digitaliseringsrådet
# areas, documents, roles, concepts, templates and faq work the same way; the error for an
# unknown field lists the fields that can be replaced.
#
# What this copy does not publish: whole items (`@faq/id`, `@page/id`, `@document/id`,
# `@area/id`, ...) or single checklist items (`@phase/id#activity`). Hidden items disappear
# from every page, the search and the sitemap.
# hide:
#   - "@page/version-1-1"
"#;

const TEMPLATES_NOTE: &str = r#"# Templates

This folder is empty on purpose: the handbook's pages come from the default theme built
into metodbok, and from the base's `templates/` if it has one.

To change one template, copy it from the theme (`themes/default/templates/` in the metodbok
repository) into this folder under the same name, for example `partials/footer.html`, and
edit the copy. A file here replaces the theme's file of the same path; everything else keeps
coming from new versions of metodbok. Copy as little as you can: every copied file is one
you must compare with the theme's when you update metodbok.

Images, stylesheets and other files go in `static/` the same way (`static/img/logo.svg` is
published as `img/logo.svg`). This README is not part of the theme.
"#;

fn readme(o: &Options, base: &str) -> String {
    let org = &one_line(&o.org);
    format!(
        r#"# {org}s utgåva av Metod för utveckling i samverkan

This folder is {org}'s copy of the handbook *Metod för utveckling i samverkan*, built with
metodbok. It builds on the handbook in `{base}` (the
`base:` of `metodbok.yaml`) and holds only what is {org}'s own.

| path | what it is |
|---|---|
| `metodbok.yaml` | name, base, logo, colours, contact, footer, interface strings, accessibility statement |
| `content/pages/` | your own pages (Markdown with front matter) |
| `content/supplements/` | supplements: text and checklist items added to phases, milestones, areas and documents |
| `content/checklists/` | checklists of your own, attached to a phase, milestone, area or document |
| `content/overrides.yaml` | fields you replace, items you hide |
| `templates/`, `static/` | your changes to the theme (see `templates/README.md`) |

## Preview, check, build

    metodbok serve .      # preview at http://127.0.0.1:1111, reloads on every save
    metodbok check .      # every mistake, with file, line and column
    metodbok build .      # the site, into public/

`public/` is a folder of static files: copy it to any web server, under any path. It also
works opened straight from disk.

## A supplement

A supplement adds another publisher's text to the method's pages, marked with its name.
Create `content/supplements/<id>.yaml`:

```yaml
id: var-vagledning
name: Vår vägledning (2026)
publisher: {org_q}
additions:
  - id: forankra-i-ledningen          # stable: it is the checklist's id in readers' browsers
    to: "@phase/identifiera-behov"    # a phase, milestone, area or document
    title: Förankra i ledningen
    text: |
      Text in Markdown.
    items:
      - id: boka-mote
        text: Boka ett möte med kommunledningen.
```

Pages can belong to a supplement with `supplement: var-vagledning` in their front matter.

## A new national edition

1. Update the base folder (`git pull` in it, or unpack the new edition there).
2. Run `metodbok check .`. Anything of yours that refers to an id the new edition no longer
   has (an addition's `to:`, an override, a hidden item, a link) is reported with your file
   and line and the base's folder; nothing is dropped silently.
3. Fix what it reports, preview with `metodbok serve .`, build and publish.
"#,
        org_q = q(&o.org),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        let tmp = std::env::temp_dir().join(format!("metodbok-rel-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("a/b")).unwrap();
        std::fs::create_dir_all(tmp.join("c")).unwrap();
        assert_eq!(relative_path(&tmp.join("a/b"), &tmp.join("c")), "../../c");
        assert_eq!(relative_path(&tmp.join("a"), &tmp.join("a/b")), "b");
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn today_is_a_date() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.starts_with("20"));
    }
}
