//! metodbok: turns a site folder (configuration plus structured content) into an
//! accessible static handbook of *Metod för utveckling i samverkan*.
//!
//! The stages, each a plain function over plain data:
//! load (config, theme, content) → validate (ids, references) → render (tera, in parallel)
//! → check links → write (atomically). [`build`] runs them all; [`check`] stops before
//! writing. Every problem found on the way is collected and returned together.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod edition;
pub mod heap;
pub mod inspect;
pub mod limits;
pub mod links;
pub mod markdown;
pub mod minify;
pub mod output;
pub mod paths;
pub mod pdf;
pub mod policy;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod skeleton;
pub mod slug;
pub mod starter;
pub mod statement;
pub mod theme;
pub mod timings;
pub mod validate;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use diagnostic::Diagnostic;

/// Why a run did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Mistakes in the site: each with file, line and column.
    #[error("{} problem(s) in the site", .0.len())]
    Content(Vec<Diagnostic>),
    /// The site renders, but cannot be published: its accessibility statement is incomplete.
    /// The warnings found on the way are kept, to be shown too.
    #[error("{} problem(s) keep the site from being published", .problems.len())]
    Unpublishable { problems: Vec<Diagnostic>, warnings: Vec<Diagnostic> },
    /// The folder given is not a site.
    #[error("{0} is not a metodbok site: it has no {file}", file = config::FILE_NAME)]
    NotASite(PathBuf),
    /// Writing the output failed; the previous output is untouched.
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    /// The output folder is not one a build may replace (see [`output::check_destination`]).
    #[error(transparent)]
    Refused(#[from] output::Refusal),
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Summary {
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output (pages, static files, sitemap).
    pub files: usize,
    /// What the author should look at, though it does not stop the run: national texts
    /// changed since the copy was last reviewed (see [`review`]).
    pub warnings: Vec<Diagnostic>,
    /// A line about what the run recorded (`check --accept-base`).
    pub note: Option<String>,
}

/// A site rendered into memory.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file, by path.
    pub files: Vec<output::File>,
    /// What keeps the site from being published, though it previews: an incomplete
    /// accessibility statement (see [`statement`]). `build` and `check` fail on them.
    pub unpublishable: Vec<Diagnostic>,
    /// What the author should review (see [`review`]).
    pub warnings: Vec<Diagnostic>,
    /// The site's language, for what a run writes for the author.
    pub language: config::Language,
}

/// When the whole handbook's PDF is typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfWhen {
    /// With the rest of the output (`build`).
    Now,
    /// When it is asked for (the preview), or never (`check`): the output holds an empty
    /// file in its place, and pages link to it without a size.
    Asked,
}

/// Loads, validates and renders the site in `site`; returns the output files in memory.
/// `minify` is on for `build` and off where readable output helps; `out_name` names the
/// output folder in diagnostics about its links.
pub fn render_site(site: &Path, minify: bool, out_name: &str, pdf: PdfWhen) -> Result<Rendered, Error> {
    render_content(site, minify, out_name, pdf, None).map(|(rendered, _)| rendered)
}

/// What a process that builds the same site again and again (the preview's worker) keeps
/// from one build for the next: the pages (see [`render::Memo`]) and the search index with
/// the sections and search help it was made from. A build with a memo gives exactly the
/// output of one without.
#[derive(Default)]
pub struct Memo {
    pub pages: render::Memo,
    index: Option<KeptIndex>,
    sections: search::IndexMemo,
    templates: Option<(TemplateKey, Arc<(tera::Tera, render::TemplateFiles)>)>,
    skeletons: Option<(SkeletonKey, Arc<Vec<skeleton::NamedFile>>)>,
}

/// What compiling the templates depends on: each template's name, file and text.
type TemplateKey = Vec<(String, PathBuf, Vec<u8>)>;

/// What the document skeletons depend on: the content's files, the configuration, the
/// interface strings and the logo's file.
type SkeletonKey = (Vec<Arc<str>>, Arc<str>, String, Option<Vec<u8>>);

/// The search index with the sections and search help (word, words searched) it was made from.
type KeptIndex = (Vec<search::Section>, Vec<(String, Vec<String>)>, String);

/// [`render_site`], taking from `memo` what did not change since the last build with it, and
/// keeping this build's results there for the next.
pub fn render_site_again(
    site: &Path,
    minify: bool,
    out_name: &str,
    pdf: PdfWhen,
    memo: &mut Memo,
) -> Result<Rendered, Error> {
    render_content(site, minify, out_name, pdf, Some(memo)).map(|(rendered, _)| rendered)
}

/// [`render_site`], also giving the content it rendered.
fn render_content(
    site: &Path,
    minify: bool,
    out_name: &str,
    pdf: PdfWhen,
    mut memo: Option<&mut Memo>,
) -> Result<(Rendered, content::Content), Error> {
    if !site.join(config::FILE_NAME).is_file() {
        return Err(Error::NotASite(site.to_path_buf()));
    }
    // A base that cannot be one would make everything read from it wrong: one error says it.
    let base = config::base_of(site).map_err(|d| Error::Content(vec![d]))?;
    // The content is read while the theme, the interface strings and the configuration are
    // read and the templates compiled (or taken from the last build with the memo, where they
    // are the same); its problems are reported after theirs.
    let mut diagnostics = Vec::new();
    let mut content_diagnostics = Vec::new();
    let content_base = base.clone();
    let (content, (theme, loaded, strings, template_key, compiled)) = rayon::join(
        || content::load(site, content_base, &mut content_diagnostics),
        || {
            let theme = theme::Theme::load(site, base.as_ref(), &mut diagnostics);
            let sv = theme::Theme::embedded_strings("sv");
            let ui_keys: Vec<&str> = sv.keys().map(String::as_str).collect();
            let loaded = match config::load(site, &ui_keys) {
                Ok(c) => Some(c),
                Err(d) => {
                    diagnostics.extend(d);
                    None
                }
            };
            // The interface strings: the theme's for the site's language, with the site's own.
            let mut strings = match &loaded {
                Some(l) if l.config.language.code() != "sv" => theme::Theme::embedded_strings(l.config.language.code()),
                _ => sv,
            };
            for (k, v) in loaded.iter().flat_map(|l| &l.config.strings) {
                strings.insert(k.clone(), v.value.clone());
            }
            let template_key: TemplateKey = theme
                .templates()
                .map(|(name, f)| (name.to_string(), f.display_path(&format!("templates/{name}")), f.bytes.clone()))
                .collect();
            let known_templates = memo
                .as_deref_mut()
                .and_then(|m| m.templates.take())
                .filter(|(key, _)| *key == template_key)
                .map(|(_, compiled)| compiled);
            let compiled = known_templates.map_or_else(|| render::compile(&theme).map(Arc::new), Ok);
            (theme, loaded, strings, template_key, compiled)
        },
    );
    diagnostics.append(&mut content_diagnostics);
    timings::stage("load, compile templates");
    let index = links::Index::new(&content, &strings);
    diagnostics.extend(validate::validate(&content, &index));
    timings::stage("validate");
    // The document skeletons (pages state their sizes), or as the last build with the memo
    // made them from the same inputs.
    let strings_json = serde_json::to_string(&strings).unwrap_or_default();
    // The organisation's logo for the skeletons' header: (path in static/, file, what it shows).
    let logo_file = loaded.as_ref().and_then(|l| l.config.logo.as_ref()).and_then(|logo| {
        let rel = logo.src.value.trim_start_matches('/');
        theme.statics().find(|(p, _)| *p == rel).map(|(p, f)| (p, f, logo.alt.as_str()))
    });
    let skeleton_key: Option<SkeletonKey> = loaded.as_ref().map(|l| {
        (
            content.files.iter().map(|f| f.text.clone()).collect(),
            l.file.text.clone(),
            strings_json.clone(),
            logo_file.map(|(_, f, _)| f.bytes.clone()),
        )
    });
    let known_skeletons = memo
        .as_deref_mut()
        .and_then(|m| m.skeletons.take())
        .filter(|(k, _)| Some(k) == skeleton_key.as_ref())
        .map(|(_, known)| known);
    let logo = match logo_file.filter(|_| known_skeletons.is_none()) {
        Some((path, file, alt)) => {
            let ext = path.rsplit('.').next().unwrap_or_default();
            skeleton::Logo::from_file(&file.bytes, ext, alt)
                .map_err(|e| {
                    diagnostics.push(Diagnostic::file(
                        file.display_path(&format!("static/{path}")),
                        format!("the logo cannot be drawn for the document skeletons: {e}"),
                    ))
                })
                .ok()
        }
        None => None,
    };
    let downloads = match (known_skeletons, &loaded) {
        (Some(known), _) => Some(known),
        (None, Some(l)) if diagnostics.is_empty() && compiled.is_ok() => {
            Some(Arc::new(skeleton::site_files(&content, &l.config, &strings, logo.as_ref())))
        }
        (None, _) => None,
    };
    let compiled = match compiled {
        Ok(t) => Some(t),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    let (Some(loaded), Some(compiled), Some(downloads), Some(skeleton_key), true) =
        (loaded, compiled, downloads, skeleton_key, diagnostics.is_empty())
    else {
        return Err(Error::Content(diagnostics));
    };
    let (tera, template_files) = (&compiled.0, &compiled.1);
    let cfg = &loaded.config;
    timings::stage("skeletons");

    let stylesheets: Vec<String> = theme
        .statics()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("css/") && p.ends_with(".css"))
        .map(String::from)
        .collect();
    let logo = cfg.logo.as_ref().map(|l| l.src.value.trim_start_matches('/').to_string());
    let download_sizes: BTreeMap<String, usize> = downloads.iter().map(|(p, b)| (p.clone(), b.len())).collect();
    // Every file the output will hold, known before rendering, so that a path written in
    // Markdown is checked where it was written.
    let mut known: BTreeSet<String> = render::jobs(&content).iter().map(|j| render::job_path(&content, j)).collect();
    known.extend(download_sizes.keys().cloned());
    known.extend(theme.statics().map(|(p, _)| p.to_string()));
    known.extend([paths::SITEMAP.to_string(), paths::SEARCH_INDEX.to_string()]);
    if cfg.pdf {
        known.insert(paths::PRINT_PDF.to_string());
    }
    // Scripts and stylesheets are linked with their fingerprint, so an upgraded copy is never
    // run with a cached older script.
    let statics = theme.statics_with_strings(&strings);
    let versions: BTreeMap<String, String> = statics
        .iter()
        .filter(|(p, _)| p.ends_with(".css") || p.ends_with(".js"))
        .map(|(p, bytes)| (p.to_string(), output::fingerprint([bytes.as_ref()])))
        .collect();
    let format_pdf = strings.get("format_pdf").map_or("PDF", String::as_str);
    let inputs_version = output::fingerprint(
        content
            .files
            .iter()
            .map(|f| f.text.as_bytes())
            .chain(template_files.texts().map(str::as_bytes))
            .chain([loaded.file.text.as_bytes(), strings_json.as_bytes()]),
    );
    let rsite = render::Site {
        config: cfg,
        config_file: &loaded.file,
        content: &content,
        index: &index,
        strings: &strings,
        templates: template_files,
        stylesheets,
        logo,
        downloads: &download_sizes,
        files: &known,
        versions: &versions,
        pdf_label: cfg.pdf.then(|| match pdf {
            PdfWhen::Now => render::PDF_SIZE.to_string(),
            PdfWhen::Asked => format_pdf.to_string(),
        }),
        shared: render::Shared::new(&strings),
        index_version: &inputs_version,
    };
    // The site's search help, with where each entry is written for a problem with it.
    let help: Vec<_> = content.synonyms().collect();
    let synonyms: Vec<search::Synonym> = help
        .iter()
        .map(|(_, s)| search::Synonym {
            word: &s.word.value,
            search: s.search.iter().map(|w| w.value.as_str()).collect(),
        })
        .collect();
    let help_key: Vec<(String, Vec<String>)> =
        synonyms.iter().map(|s| (s.word.to_string(), s.search.iter().map(|w| w.to_string()).collect())).collect();
    let known_index = memo.as_deref_mut().and_then(|m| m.index.take());
    let mut analysed = memo.as_deref_mut().map(|m| std::mem::take(&mut m.sections));
    // The search index is made from the pages' sections (in output path order): they are
    // analysed while the print page is made, and the index is made of the analyses while the
    // links are checked; they are analysed again in the rare case that the print page has
    // sections of its own (a theme that does not leave it out of search). None where the
    // memo's index is this one.
    let analyse = |sections: &[search::Section], analysed: Option<&mut search::IndexMemo>| match &known_index {
        Some((s, h, _)) if s == sections && *h == help_key => None,
        _ => Some(search::analyse_sections(sections, analysed)),
    };
    let (mut pages, diagnostics, indexed) = render::render_all(
        &rsite,
        tera,
        minify,
        memo.as_deref_mut().map(|m| &mut m.pages),
        |pages: &mut [render::Output]| {
            let mut order: Vec<usize> = (0..pages.len()).collect();
            order.sort_by(|&a, &b| pages[a].path.cmp(&pages[b].path));
            let mut sections: Vec<search::Section> = Vec::new();
            for i in order {
                sections.append(&mut pages[i].facts.sections);
            }
            let analyses = analyse(&sections, analysed.as_mut());
            (sections, analyses)
        },
    );
    timings::stage("render");
    if !diagnostics.is_empty() {
        return Err(Error::Content(diagnostics));
    }
    let (mut sections, mut analyses) = indexed.expect("every page rendered, so the sections were analysed beside them");
    if let Some(print) = pages.iter_mut().find(|p| p.path == paths::PRINT && !p.facts.sections.is_empty()) {
        let at = sections.partition_point(|s| s.url.split('#').next().unwrap_or_default() < paths::PRINT);
        sections.splice(at..at, std::mem::take(&mut print.facts.sections));
        analyses = analyse(&sections, analysed.as_mut());
    }
    let index = || match analyses {
        Some(analyses) => search::index_from(&sections, analyses, &synonyms),
        None => {
            Ok(known_index.as_ref().map(|(_, _, index)| index.clone()).expect("no analyses only for the memo's index"))
        }
    };
    // Every page was read once as it was rendered; links, anchors, depth and resources are
    // checked on what was read, and the search index is made from it: what a reader can
    // find is what the pages show. Mistakes in Markdown are reported where they were
    // written, before anything else.
    let read: Vec<output::Read> = pages.iter().map(|p| (p, &p.facts)).collect();
    // The whole handbook as a PDF is typeset from the print page as rendered (pages then
    // state its size): it is looked up in the cache beside the checks, and typeset only once
    // they pass.
    let print_body =
        pages.iter().find(|p| p.path == paths::PRINT).map_or("", |p| p.source.as_deref().unwrap_or(&p.body));
    let ((problems, cached), search_index) = rayon::join(
        || {
            rayon::join(
                || {
                    let ids = output::Ids::of(&read);
                    let problems = output::check_anchors(&read, &ids);
                    if !problems.is_empty() {
                        return problems;
                    }
                    let mut paths: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
                    paths.extend(downloads.iter().map(|(p, _)| p.as_str()));
                    paths.extend(theme.statics().map(|(p, _)| p));
                    if cfg.pdf {
                        paths.insert(paths::PRINT_PDF);
                    }
                    // With `url:` set, the 404 page links to the handbook by its address.
                    let own_url = cfg.url.as_ref().map(|u| format!("{}/", u.value.trim_end_matches('/')));
                    output::check_pages(&read, &ids, &paths, template_files, own_url.as_deref(), out_name)
                },
                || (cfg.pdf && pdf == PdfWhen::Now).then(|| pdf::lookup(print_body)),
            )
        },
        index,
    );
    timings::stage("check links, search index");
    // Only a memo has a use for the sections now.
    if memo.is_none() {
        sections = Vec::new();
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    drop(read);
    let pdf_file = match (cached, pdf) {
        (None, PdfWhen::Asked) if cfg.pdf => Ok(Some(Vec::new())),
        (None, _) => Ok(None),
        (Some(pdf::Lookup::Found(bytes)), _) => Ok(Some(bytes)),
        (Some(pdf::Lookup::Missing(place)), _) => pdf::typeset_into(print_body, place).map(Some),
    };
    timings::stage("pdf");
    let pdf_file = pdf_file.map_err(|message| {
        Error::Content(vec![Diagnostic::file(template_files.display_path("print.html"), message)])
    })?;
    let search_index = search_index.map_err(|problems| {
        Error::Content(
            problems
                .into_iter()
                .map(|p| {
                    let (file, s) = help[p.entry];
                    let at = p.search.map_or(&s.word, |k| &s.search[k]);
                    diagnostic::Diagnostic::at(
                        &content.files[file],
                        at.referenced.line() as usize,
                        at.referenced.column() as usize,
                        format!("search help: {}", p.message),
                    )
                    .with_length(at.value.chars().count())
                    .with_help("every word in `search:` must be a word the handbook's pages use; `word:` is one word a reader types")
                })
                .collect(),
        )
    })?;
    // Pages have the index's version already unless a memo keeps them (see below).
    let versioned = memo.is_none();
    if let Some(m) = memo {
        m.index = Some((sections, help_key, search_index.clone()));
        m.sections = analysed.unwrap_or_default();
        m.templates = Some((template_key, compiled.clone()));
        m.skeletons = Some((skeleton_key, downloads.clone()));
    }
    // What pages could not know when they were rendered: the PDF's size; and where a memo
    // keeps the pages, the search index's version (see `render::Site::index_version`).
    let pdf_label = pdf_file
        .as_ref()
        .filter(|_| pdf == PdfWhen::Now)
        .map(|bytes| format!("{format_pdf}, {}", render::size_label(bytes.len(), cfg.language)));
    {
        use rayon::prelude::*;
        pages.par_iter_mut().filter(|p| p.path.ends_with(".html")).for_each(|p| {
            if !versioned {
                render::put_in(&mut p.body, render::INDEX_VERSION, &inputs_version);
            }
            if let Some(label) = &pdf_label {
                render::put_in(&mut p.body, render::PDF_SIZE, label);
            }
        });
    }
    let mut files: Vec<output::File> =
        pages.into_iter().map(|p| output::File { path: p.path, bytes: p.body.into_bytes() }).collect();
    files.extend(downloads.iter().map(|(path, bytes)| output::File { path: path.clone(), bytes: bytes.clone() }));
    files.extend(pdf_file.map(|bytes| output::File { path: paths::PRINT_PDF.to_string(), bytes }));
    for (path, bytes) in statics {
        files.push(output::File { path: path.to_string(), bytes: bytes.into_owned() });
    }
    // Rendered pages come first: where a static file has a page's path, the page wins.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files.push(output::File { path: paths::SEARCH_INDEX.to_string(), bytes: search_index.into_bytes() });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let unpublishable = statement::problems(&loaded, &strings);
    let warnings = review::warnings(site, &content, &strings);
    timings::stage("statement + review");
    Ok((Rendered { files, unpublishable, warnings, language: cfg.language }, content))
}

/// How the search index analysed the site's pages (see [`search::token_report`]); for the
/// test that the search client analyses text exactly as the index did.
pub fn search_tokens(site: &Path) -> Result<String, Error> {
    let files = render_site(site, false, "public", PdfWhen::Asked)?.files;
    let pages: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), std::str::from_utf8(&f.bytes).unwrap_or_default()))
        .collect();
    Ok(search::token_report(&pages))
}

/// What a run made, once nothing keeps it from being published.
fn summary(rendered: &mut Rendered) -> Result<Summary, Error> {
    if !rendered.unpublishable.is_empty() {
        return Err(Error::Unpublishable {
            problems: std::mem::take(&mut rendered.unpublishable),
            warnings: std::mem::take(&mut rendered.warnings),
        });
    }
    let files = &rendered.files;
    Ok(Summary {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        warnings: std::mem::take(&mut rendered.warnings),
        note: None,
    })
}

/// Builds the site in `site` into `out`. On any problem nothing is written and the
/// previous contents of `out` stay as they were; that includes an accessibility statement
/// that cannot be published.
pub fn build(site: &Path, out: &Path) -> Result<Summary, Error> {
    if !site.join(config::FILE_NAME).is_file() {
        return Err(Error::NotASite(site.to_path_buf()));
    }
    let mut protected = vec![output::Protected { dir: site.to_path_buf(), name: "the site" }];
    let base = config::base_of(site).ok().flatten();
    let base_dir = base.as_ref().and_then(|b| b.folder()).map(Path::to_path_buf);
    protected.extend(base_dir.map(|dir| output::Protected { dir, name: "the site's base" }));
    let destination = output::check_destination(out, &protected)?;
    // A build that was killed left its staging folders; whatever this build does, they go.
    output::remove_stale_staging(&destination);
    let mut rendered = render_site(site, true, &output::display_name(out).display().to_string(), PdfWhen::Now)?;
    let summary = summary(&mut rendered)?;
    output::write_atomically(&destination, &rendered.files)
        .map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    timings::stage("write");
    // The output's memory is let go on a thread of its own: the command that built it ends
    // without waiting for that (the process's end returns it all at once).
    std::thread::spawn(move || drop(rendered));
    Ok(summary)
}

/// Everything [`build`] checks, writing nothing. The PDF is not typeset: it is made from the
/// print page, which is checked, and everything in it reaches the typesetter as plain text.
/// With `accept_base`, the national texts the copy depends on are recorded as reviewed
/// (see [`review::accept`]) once the site renders.
pub fn check(site: &Path, accept_base: bool) -> Result<Summary, Error> {
    let (mut rendered, content) = render_content(site, false, "public", PdfWhen::Asked, None)?;
    let mut note = None;
    if accept_base {
        if content.base.is_none() {
            note = Some("this site has no base: there is nothing to accept".to_string());
        } else {
            let n = review::accept(site, &content, rendered.language)
                .map_err(|source| Error::Write { path: site.join(review::FILE_NAME), source })?;
            rendered.warnings.clear();
            note = Some(format!(
                "recorded the {n} national text(s) this copy depends on in {} as reviewed",
                site.join(review::FILE_NAME).display()
            ));
        }
    }
    let mut summary = summary(&mut rendered)?;
    summary.note = note;
    Ok(summary)
}
