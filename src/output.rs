//! Writing the handbook: link checking of the rendered pages and an atomic
//! swap of the output folder, so a failed build leaves the previous output as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::inspect::{MAX_PAGE_DEPTH, PageFacts};
use crate::render::TemplateFiles;

/// A file of the output, relative to its root.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Resolves `href` relative to the page at `from`; `None` for links that leave the site.
pub(crate) fn resolve_relative(from: &str, href: &str) -> Option<(String, Option<String>)> {
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

/// A rendered page and what reading it found.
pub type Read<'a> = (&'a crate::render::Output, &'a PageFacts);

/// The ids of every rendered page, by output path: made once for both checks.
pub struct Ids<'a>(BTreeMap<&'a str, BTreeSet<&'a str>>);

impl<'a> Ids<'a> {
    pub fn of(pages: &[Read<'a>]) -> Self {
        Ids(pages.iter().map(|(p, f)| (p.path.as_str(), f.ids.iter().collect())).collect())
    }

    fn get(&self, page: &str) -> Option<&BTreeSet<&'a str>> {
        self.0.get(page)
    }
}

/// Checks the links to anchors that Markdown wrote (`@kind/id#anchor`, `path#anchor`,
/// `#anchor`) against the ids of the rendered pages; a missing anchor is reported where the
/// link was written, once however many pages show that text.
pub fn check_anchors(pages: &[Read], ids: &Ids) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    for link in pages.iter().flat_map(|(p, _)| &p.anchors) {
        let Some(on_page) = ids.get(link.page.as_str()) else { continue };
        if on_page.contains(link.anchor.as_str()) {
            continue;
        }
        let mut d = link.at.clone();
        d.message =
            format!("the link `{}` points to `#{}`, which `{}` does not have", link.written, link.anchor, link.page);
        d.help = Some(match crate::diagnostic::closest(&link.anchor, on_page.iter().copied()) {
            Some(best) => format!("did you mean `#{best}`?"),
            None => "anchors are the ids of headings and items on that page".into(),
        });
        if !problems.iter().any(|p| p.location() == d.location() && p.message == d.message) {
            problems.push(d);
        }
    }
    problems
}

/// Checks what the templates made of every page: each relative link and anchor leads to
/// something the output has, no page repeats an id, nests deeper than
/// [`MAX_PAGE_DEPTH`](crate::inspect::MAX_PAGE_DEPTH) or loads anything from another host.
/// Problems are reported at the template (at the offending text when it is written there
/// literally), naming the page. Addresses under `own_url` (the site's `url:`, which the 404
/// page uses) are the handbook's own. The pages are checked in parallel, their problems kept
/// in page order.
pub fn check_pages(
    pages: &[Read],
    ids: &Ids,
    paths: &BTreeSet<&str>,
    templates: &TemplateFiles,
    own_url: Option<&str>,
    out_name: &str,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let problems: Vec<(Diagnostic, String)> = pages
        .par_iter()
        .with_max_len(1)
        .filter(|(p, _)| p.path.ends_with(".html"))
        .flat_map_iter(|(page, facts)| check_page(page, facts, ids, paths, templates, own_url, out_name))
        .collect();
    // A template shared by many pages makes the same mistake on each: one report says it.
    let mut seen = BTreeSet::new();
    problems
        .into_iter()
        .filter(|(d, page)| seen.insert((d.location(), d.message.replace(page, ""))))
        .map(|(d, _)| d)
        .collect()
}

/// The problems of one page (see [`check_pages`]), each with the page as its message names it.
fn check_page(
    page: &crate::render::Output,
    facts: &PageFacts,
    ids: &Ids,
    paths: &BTreeSet<&str>,
    templates: &TemplateFiles,
    own_url: Option<&str>,
    out_name: &str,
) -> Vec<(Diagnostic, String)> {
    let mut problems = Vec::new();
    let path = page.path.as_str();
    let shown = format!("{out_name}/{path}");
    let at = |needle: &str, message: String| (templates.spot(&page.template, needle, message), shown.clone());
    if facts.depth > MAX_PAGE_DEPTH {
        problems.push(at(
            "",
            format!("{shown} nests elements {} levels deep; at most {MAX_PAGE_DEPTH} are allowed", facts.depth),
        ));
        return problems;
    }
    let own = |url: &str| own_url.is_some_and(|o| !o.is_empty() && url.starts_with(o));
    for url in facts.foreign.iter().filter(|u| !own(u)) {
        let (d, page) = at(url, format!("{shown} would load `{url}`, which is not a file of the handbook"));
        problems
            .push((d.with_help("the handbook makes no requests to other hosts and runs no code but its own"), page));
    }
    let mut seen = BTreeSet::new();
    for id in facts.ids.iter() {
        if !seen.insert(id) {
            problems.push(at(
                &format!("id=\"{id}\""),
                format!("the id `{id}` is used twice on {shown}; anchors to it are ambiguous"),
            ));
        }
    }
    for value in facts.links.iter() {
        let Some((target, fragment)) = resolve_relative(path, value) else { continue };
        if !paths.contains(target.as_str()) {
            problems.push(at(
                value,
                format!("the link `{value}` on {shown} leads to `{target}`, which the handbook does not have"),
            ));
            continue;
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty())
            && target.ends_with(".html")
            && !ids.get(target.as_str()).is_some_and(|s| s.contains(f.as_str()))
        {
            problems.push(at(
                value,
                format!("the link `{value}` on {shown} points to `#{f}`, which `{target}` does not have"),
            ));
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
    let resolved =
        resolve(out).map_err(|e| refuse(format!("its path cannot be resolved ({e})"), "give another --out"))?;
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
        // Folders first, then the files on every core: a disk takes many small files faster
        // side by side than one after another.
        let dirs: BTreeSet<&Path> = files.iter().filter_map(|f| Path::new(&f.path).parent()).collect();
        for dir in dirs.into_iter().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(staging.join(dir))?;
        }
        // A file that the previous output holds with the same bytes is linked from there
        // rather than written again (see [`link_unchanged`]).
        let fresh = std::fs::symlink_metadata(staging.join(MARKER))?;
        use rayon::prelude::*;
        files.par_iter().with_max_len(1).try_for_each(|f| {
            let to = staging.join(&f.path);
            if link_unchanged(&out.join(&f.path), &to, &f.bytes, &fresh) {
                return Ok(());
            }
            std::fs::write(to, &f.bytes)
        })
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

/// Links `to` to the previous output's file `old` if that holds exactly `bytes` and is a file
/// as this build would write it: a regular file, not linked anywhere else, with the owner and
/// permissions of `fresh` (a file this build just wrote). The new output is then the same,
/// byte for byte, as if the file had been written, but the file system neither allocates a
/// file for it nor frees the old one when the previous output goes: on a disk that keeps
/// recently freed files apart for a minute (ext4 without a journal), creating a file costs
/// more for every file deleted shortly before, and a rebuild replaces every file. An
/// unchanged file keeps its modification time, so a copy to a server (rsync) skips it.
/// Returns whether it linked; anything unexpected (no such file, another file system, no
/// links on this one) means the file is written instead.
fn link_unchanged(old: &Path, to: &Path, bytes: &[u8], fresh: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::io::Read;
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::symlink_metadata(old) else { return false };
        let same_kind = meta.is_file()
            && meta.nlink() == 1
            && meta.len() == bytes.len() as u64
            && meta.uid() == fresh.uid()
            && meta.gid() == fresh.gid()
            && meta.mode() == fresh.mode();
        if !same_kind {
            return false;
        }
        let Ok(mut file) = std::fs::File::open(old) else { return false };
        let mut held = Vec::with_capacity(bytes.len() + 1);
        // One byte more than expected shows a file that grew since it was looked at.
        if file.by_ref().take(bytes.len() as u64 + 1).read_to_end(&mut held).is_err() || held != bytes {
            return false;
        }
        std::fs::hard_link(old, to).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = (old, to, bytes, fresh);
        false
    }
}

/// The output folder's name as shown in diagnostics.
pub fn display_name(out: &Path) -> PathBuf {
    out.file_name().map(PathBuf::from).unwrap_or_else(|| out.to_path_buf())
}

/// A short fingerprint of some bytes (FNV-1a, 64 bits), for the `?v=` of a script's or
/// stylesheet's address: a browser that cached an older file fetches the new one after an
/// upgrade, while an unchanged file keeps its address (and two builds stay byte-identical).
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part {
            h = (h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
        // Parts are kept apart: ("ab", "c") and ("a", "bc") differ.
        h = (h ^ 0xff).wrapping_mul(PRIME);
    }
    format!("{:010x}", h >> 24)
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
}
