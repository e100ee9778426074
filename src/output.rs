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

/// The file every output folder holds, so a later build knows the folder is its own to
/// replace. A folder without it is never deleted.
pub const MARKER: &str = ".metodbok-output";

const MARKER_TEXT: &str = "This folder was written by `metodbok build`. The next build replaces all of it:\n\
keep no files of your own here.\n";

/// Why the output folder may not be written.
#[derive(Debug, thiserror::Error)]
#[error("will not write the handbook into {}: {reason}", .path.display())]
pub struct Refusal {
    /// The output folder as given.
    pub path: PathBuf,
    /// What the folder is or holds.
    pub reason: String,
    /// What to do instead.
    pub help: String,
}

/// A folder that the output must neither be, nor contain, nor lie in certain parts of: a
/// site, or the base it builds on.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The site's folder.
    pub dir: PathBuf,
    /// How it is named in messages: "the site", "the base".
    pub name: &'static str,
}

/// The folders of a site that hold its sources: the output may not lie inside them.
const SOURCE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// Decides whether `out` may receive the handbook and returns it resolved (absolute, every
/// symbolic link followed), where the build then writes. The output may be created where
/// nothing is, or replace an empty folder or one that a previous build wrote (it holds
/// [`MARKER`]). Refused: a file; a folder holding anything else; the site or its base, or
/// any folder containing them; any folder inside their `content/`, `templates/` or `static/`.
pub fn check_destination(out: &Path, protected: &[Protected]) -> Result<PathBuf, Refusal> {
    let refuse = |reason: String, help: &str| Refusal { path: out.to_path_buf(), reason, help: help.to_string() };
    let resolved = resolve(out).map_err(|e| refuse(format!("its path cannot be resolved ({e})"), "give another --out"))?;
    if resolved.parent().is_none() {
        return Err(refuse("it is the root of the file system".into(), "give a folder of its own, e.g. --out public"));
    }
    for p in protected {
        let Ok(dir) = resolve(&p.dir) else { continue };
        if dir == resolved {
            return Err(refuse(
                format!("it is {} itself", p.name),
                "the output goes into a folder of its own; leave out --out to use the site's public/",
            ));
        }
        if dir.starts_with(&resolved) {
            return Err(refuse(
                format!("it contains {} ({})", p.name, p.dir.display()),
                "the output goes into a folder of its own; leave out --out to use the site's public/",
            ));
        }
        for folder in SOURCE_FOLDERS {
            if resolved.starts_with(dir.join(folder)) {
                return Err(refuse(
                    format!("it is inside {}'s {folder}/ folder, which holds the handbook's sources", p.name),
                    "the output goes outside content/, templates/ and static/, e.g. the site's public/",
                ));
            }
        }
    }
    match std::fs::symlink_metadata(&resolved) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(resolved),
        Err(e) => Err(refuse(format!("it cannot be read ({e})"), "give another --out")),
        Ok(m) if !m.is_dir() => Err(refuse(
            "it is a file, not a folder".into(),
            "give the path of a folder (new, empty, or written by an earlier build)",
        )),
        Ok(_) => {
            let entries: Vec<String> = std::fs::read_dir(&resolved)
                .map_err(|e| refuse(format!("it cannot be read ({e})"), "give another --out"))?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if entries.is_empty() || entries.iter().any(|n| n == MARKER) {
                return Ok(resolved);
            }
            let mut shown: Vec<&str> = entries.iter().map(String::as_str).collect();
            shown.sort_unstable();
            let more = if shown.len() > 5 { format!(" and {} more", shown.len() - 5) } else { String::new() };
            shown.truncate(5);
            Err(refuse(
                format!(
                    "it is a folder that metodbok did not write: it holds {} {} ({}{more}), and a build \
                     replaces the whole folder",
                    entries.len(),
                    if entries.len() == 1 { "entry" } else { "entries" },
                    shown.join(", "),
                ),
                "give a new or empty folder; if this is the output of an earlier metodbok version, delete it yourself once",
            ))
        }
    }
}

/// `path` made absolute, `.` and `..` taken away, and every symbolic link along the part
/// that exists followed; the part that does not exist yet is kept as written.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => resolved.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists {
                    match std::fs::canonicalize(&resolved) {
                        Ok(real) => resolved = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(resolved)
}

/// The staging folders of `out`: `.NAME.new-PID` (being written) and `.NAME.old-PID` (the
/// previous output on its way out).
fn staging_names(out: &Path) -> (String, String, String) {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    (format!(".{name}.new-{pid}"), format!(".{name}.old-{pid}"), name)
}

/// Removes staging folders that a build which no longer runs left beside `out` (it was
/// killed): only folders named as staging folders of `out` that hold [`MARKER`] or nothing.
pub fn remove_stale_staging(out: &Path) {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (_, _, name) = staging_names(out);
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for e in entries.filter_map(Result::ok) {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else { continue };
        let Some(pid) = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || process_is_running(pid, &e.path()) {
            continue;
        }
        let path = e.path();
        let ours = path.join(MARKER).is_file() || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if ours && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether the build with process id `pid` may still be writing `staging`.
fn process_is_running(pid: u32, staging: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    // Elsewhere: a staging folder untouched for ten minutes belongs to no running build.
    let age = std::fs::metadata(staging).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a < std::time::Duration::from_secs(600))
}

/// Writes `files` into `out` atomically: everything goes to a fresh folder beside `out`,
/// which then takes `out`'s place. If anything fails, `out` is untouched. `out` must have
/// passed [`check_destination`]. No staging folder is left beside `out` afterwards, and
/// those of an earlier build that was killed are removed.
pub fn write_atomically(out: &Path, files: &[File]) -> std::io::Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let (staging, old, _) = staging_names(out);
    let (staging, old) = (parent.join(staging), parent.join(old));
    remove_stale_staging(out);
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        // The marker first: a folder cut short by a killed build is still recognisably ours.
        std::fs::create_dir(&staging)?;
        std::fs::write(staging.join(MARKER), MARKER_TEXT)?;
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
