//! Writing the handbook: link checking of the rendered pages, minifying, and an atomic
//! swap of the output folder, so a failed build leaves the previous output as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// A file of the output, relative to its root.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Minifies an HTML page with minify-html, keeping it valid HTML: closing tags, the
/// `html`/`head` opening tags (they carry `lang`) and quoted attribute values stay; the
/// JavaScript minifier stays off.
pub fn minify(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    cfg.keep_comments = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    minify_html::minify(html.as_bytes(), &cfg)
}

/// Values of `attr="..."` in an HTML text (our templates and pulldown-cmark always quote
/// with double quotes).
fn attribute_values<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        match after.find('"') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// Resolves `href` relative to the page at `from`; `None` for links that leave the site.
fn resolve_relative(from: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("//")
        || href.starts_with("data:")
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some((from.to_string(), fragment));
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some((format!("../{path}"), fragment));
                }
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), fragment))
}

/// Checks every relative link and anchor of every HTML page against the output, and that
/// no page repeats an id. Reports against the output path of the page with the link.
pub fn check_links(files: &[File], out_name: &str) -> Vec<Diagnostic> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| std::str::from_utf8(&f.bytes).ok().map(|t| (f.path.as_str(), t)))
        .collect();
    for (path, text) in &html {
        let set = ids.entry(path).or_default();
        for id in attribute_values(text, "id") {
            if !set.insert(unescape(id)) {
                problems.push(Diagnostic::file(
                    format!("{out_name}/{path}"),
                    format!("the id `{id}` is used twice on this page; anchors to it are ambiguous"),
                ));
            }
        }
    }
    for (path, text) in &html {
        for attr in ["href", "src"] {
            for value in attribute_values(text, attr) {
                let value = unescape(value);
                let Some((target, fragment)) = resolve_relative(path, &value) else { continue };
                // A link from the 404 page may be served at any depth; it is checked as if at the root.
                if !paths.contains(target.as_str()) {
                    problems.push(Diagnostic::file(
                        format!("{out_name}/{path}"),
                        format!("the link `{value}` leads to `{target}`, which the handbook does not have"),
                    ));
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && target.ends_with(".html")
                    && !ids.get(target.as_str()).is_some_and(|s| s.contains(&f))
                {
                    problems.push(Diagnostic::file(
                        format!("{out_name}/{path}"),
                        format!("the link `{value}` points to `#{f}`, which `{target}` does not have"),
                    ));
                }
            }
        }
    }
    problems
}

/// Writes `files` into `out` atomically: everything goes to a fresh folder beside `out`,
/// which then takes `out`'s place. If anything fails, `out` is untouched.
pub fn write_atomically(out: &Path, files: &[File]) -> std::io::Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        for f in files {
            let path = staging.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, &f.bytes)?;
        }
        Ok::<(), std::io::Error>(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staging);
        })?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// The output folder's name as shown in diagnostics.
pub fn display_name(out: &Path) -> PathBuf {
    out.file_name().map(PathBuf::from).unwrap_or_else(|| out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_from_the_page() {
        assert_eq!(
            resolve_relative("faser/a.html", "../dokument/b.html#x"),
            Some(("dokument/b.html".into(), Some("x".into())))
        );
        assert_eq!(resolve_relative("index.html", "#mb-main"), Some(("index.html".into(), Some("mb-main".into()))));
        assert_eq!(resolve_relative("index.html", "https://www.digg.se/"), None);
    }

    #[test]
    fn a_missing_anchor_is_reported() {
        let files = vec![
            File { path: "index.html".into(), bytes: br#"<a href="faser/a.html#nej">x</a>"#.to_vec() },
            File { path: "faser/a.html".into(), bytes: br#"<h2 id="ja">x</h2>"#.to_vec() },
        ];
        let problems = check_links(&files, "public");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("#nej"));
    }
}
