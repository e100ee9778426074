//! The theme: templates, static files and interface strings. The default theme is embedded
//! in the binary; a site's own `templates/` and `static/` folders override it file by file
//! (a file of the same path wins), so a municipality changes what it needs and keeps
//! getting the rest from new versions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, relative_to};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Where a theme file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeSource {
    /// The default theme in the binary.
    Embedded,
    /// The site's own file, at this path relative to the site.
    Site(PathBuf),
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub source: ThemeSource,
}

impl ThemeFile {
    /// The path shown in diagnostics.
    pub fn display_path(&self, theme_path: &str) -> PathBuf {
        match &self.source {
            ThemeSource::Embedded => PathBuf::from("themes/default").join(theme_path),
            ThemeSource::Site(p) => p.clone(),
        }
    }
}

/// Every file of the effective theme, by path inside the theme
/// (`templates/phase.html`, `static/css/metodbok.css`, `i18n/sv.yaml`).
#[derive(Debug, Clone)]
pub struct Theme {
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// The default theme with `site`'s `templates/` and `static/` laid over it (and, when the
    /// site builds on a base, the base's between the two).
    pub fn load(site: &Path, base: Option<&crate::content::Base>, diagnostics: &mut Vec<Diagnostic>) -> Theme {
        let mut files: BTreeMap<String, ThemeFile> = embedded::FILES
            .iter()
            .map(|(p, b)| (p.to_string(), ThemeFile { bytes: b.to_vec(), source: ThemeSource::Embedded }))
            .collect();
        // A base folder may bring templates and static files; an edition in the binary is
        // content only.
        if let Some((dir, b)) = base.and_then(|b| Some((b.folder()?, b))) {
            Self::overlay(&mut files, dir, &b.shown, diagnostics);
        }
        Self::overlay(&mut files, site, Path::new(""), diagnostics);
        Theme { files }
    }

    /// Lays the `templates/` and `static/` folders of `root` (shown as `shown`) over `files`.
    /// A folder's README.md is a note for people, not part of the theme.
    fn overlay(files: &mut BTreeMap<String, ThemeFile>, root: &Path, shown: &Path, diagnostics: &mut Vec<Diagnostic>) {
        for folder in ["templates", "static"] {
            let dir = root.join(folder);
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let rel = relative_to(e.path(), root);
                        let key = rel.to_string_lossy().replace('\\', "/");
                        let name = e.file_name().to_string_lossy();
                        if name.starts_with('.') || (name == "README.md" && e.depth() == 1) {
                            continue;
                        }
                        let rel = shown.join(rel);
                        match std::fs::read(e.path()) {
                            Ok(bytes) => {
                                files.insert(key, ThemeFile { bytes, source: ThemeSource::Site(rel) });
                            }
                            Err(err) => diagnostics.push(Diagnostic::file(rel, format!("cannot read: {err}"))),
                        }
                    }
                    Ok(_) => {}
                    Err(err) => diagnostics.push(Diagnostic::file(shown.join(folder), format!("cannot read: {err}"))),
                }
            }
        }
    }

    /// Templates, by name relative to `templates/`.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().filter_map(|(k, f)| k.strip_prefix("templates/").map(|name| (name, f)))
    }

    /// Static files, by output path (relative to `static/`).
    pub fn statics(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().filter_map(|(k, f)| k.strip_prefix("static/").map(|name| (name, f)))
    }

    /// Static files as written, by output path: each script's requests for interface strings
    /// filled in (see [`with_strings`]).
    pub fn statics_with_strings<'t>(
        &'t self,
        strings: &BTreeMap<String, String>,
    ) -> Vec<(&'t str, std::borrow::Cow<'t, [u8]>)> {
        self.statics().map(|(p, f)| (p, with_strings(p, &f.bytes, strings))).collect()
    }

    /// The interface strings of the default theme for `lang`.
    pub fn embedded_strings(lang: &str) -> BTreeMap<String, String> {
        let path = format!("i18n/{lang}.yaml");
        embedded::FILES
            .iter()
            .find(|(p, _)| *p == path)
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
            .and_then(|t| serde_saphyr::from_str(t).ok())
            .unwrap_or_default()
    }
}

/// How a script asks for the site's interface strings: `{ /* strings: PREFIX */ }` in its
/// text is written as an object of the strings whose keys start with PREFIX (`search_`,
/// `cl_`), as JSON. The scripts carry their strings themselves, so that no page repeats
/// them in an attribute: they were 1.1 KB of every page and 3 KB more of every page with a
/// checklist, and about 5 % of a build's instructions went to writing and reading them.
const STRINGS_ASKED: (&str, &str) = ("{ /* strings: ", " */ }");

/// The interface strings whose keys start with `prefix`, as a JSON object.
fn ui_strings(strings: &BTreeMap<String, String>, prefix: &str) -> String {
    let map: BTreeMap<&String, &String> = strings.iter().filter(|(k, _)| k.starts_with(prefix)).collect();
    serde_json::to_string(&map).expect("strings serialize")
}

/// The bytes of the static file at `path` as written: in a script, each request for
/// interface strings (see [`STRINGS_ASKED`]) filled in; any other file as it is.
fn with_strings<'b>(path: &str, bytes: &'b [u8], strings: &BTreeMap<String, String>) -> std::borrow::Cow<'b, [u8]> {
    let (open, close) = STRINGS_ASKED;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) if path.ends_with(".js") && text.contains(open) => text,
        _ => return std::borrow::Cow::Borrowed(bytes),
    };
    let mut out = String::with_capacity(text.len() + 4096);
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let after = &rest[at + open.len()..];
        let prefix = after.find(close).map(|end| &after[..end]);
        match prefix.filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')) {
            Some(prefix) => {
                out.push_str(&rest[..at]);
                out.push_str(&ui_strings(strings, prefix));
                rest = &after[prefix.len() + close.len()..];
            }
            None => {
                out.push_str(&rest[..at + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_gets_the_strings_it_asks_for_and_other_files_stay_as_they_are() {
        let strings: BTreeMap<String, String> =
            [("cl_done", "Klar"), ("cl_note", "Anteckning \"x\""), ("search_one", "1 träff")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let js =
            b"const t = f({ /* strings: cl_ */ }); const s = f({ /* strings: search_ */ }); g({ /* strings: 1 */ });";
        let out = with_strings("js/a.js", js, &strings);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            r#"const t = f({"cl_done":"Klar","cl_note":"Anteckning \"x\""}); const s = f({"search_one":"1 träff"}); g({ /* strings: 1 */ });"#
        );
        assert!(matches!(with_strings("css/a.css", js, &strings), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(with_strings("js/b.js", b"f({});", &strings), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn english_strings_cover_every_swedish_key() {
        let sv = Theme::embedded_strings("sv");
        let en = Theme::embedded_strings("en");
        assert!(sv.len() > 50, "the Swedish strings load");
        assert_eq!(sv.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
        assert_eq!(sv["skip_link"], "Till innehållet");
        assert_eq!(en["skip_link"], "Skip to content");
    }
}
