//! The site configuration, `metodbok.yaml` at the site root: what the handbook is called,
//! who publishes it, its branding and the facts of its accessibility statement.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::yaml::{self, Spanned};

pub const FILE_NAME: &str = "metodbok.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's name, shown in the header and in every page title.
    pub title: String,
    /// What this site builds on: a national edition built into metodbok by name
    /// (`metod-1.0`), or another site's folder relative to this file (a checkout of the
    /// national handbook). Its content comes first; this site's content adds to it.
    #[serde(default)]
    pub base: Option<Spanned<String>>,
    /// Language of the interface and content: `sv` (default) or `en`.
    #[serde(default)]
    pub language: Language,
    /// A sentence about the handbook, for the start page and search engines.
    #[serde(default)]
    pub description: Option<String>,
    /// The absolute address where the handbook is published, if known; only
    /// `sitemap.xml` uses it (links in pages are always relative).
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    /// Who publishes this copy.
    #[serde(default)]
    pub organisation: Option<Organisation>,
    #[serde(default)]
    pub logo: Option<Logo>,
    #[serde(default)]
    pub colours: Colours,
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Extra text in the footer, Markdown.
    #[serde(default)]
    pub footer: Option<Spanned<String>>,
    /// Facts of the accessibility statement (tillgänglighetsredogörelse).
    #[serde(default)]
    pub accessibility: Accessibility,
    /// Overrides of interface strings, by key (see the theme's `i18n/sv.yaml`).
    #[serde(default)]
    pub strings: BTreeMap<String, Spanned<String>>,
    /// Whether the build writes the whole handbook as a PDF (`hela-handboken.pdf`) beside
    /// the print page; on unless a site turns it off.
    #[serde(default = "yes")]
    pub pdf: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Sv,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// Path of the image inside the site's `static/` folder, e.g. `img/logo.svg`.
    pub src: Spanned<String>,
    /// Alternative text: what the logo says (usually the organisation's name).
    pub alt: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Header background and link colour; white text is drawn on it.
    #[serde(default)]
    pub primary: Option<Spanned<String>>,
    /// Focus outlines and highlights.
    #[serde(default)]
    pub accent: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
}

/// The facts of an accessibility statement that lag (2018:1937) om tillgänglighet till
/// digital offentlig service and Digg's föreskrifter (MDFFS 2019:2) ask for. Every field is
/// optional to read, so a preview works while they are being written; [`crate::statement`]
/// says what is missing or still a placeholder, and `build` refuses to publish until then.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// The organisation responsible; defaults to `organisation.name`.
    #[serde(default)]
    pub organisation: Option<Spanned<String>>,
    /// The service the statement is about; defaults to the title.
    #[serde(default)]
    pub service: Option<Spanned<String>>,
    /// Compliance with the accessibility requirements: `helt`, `delvis` or `inte`.
    #[serde(default)]
    pub status: Option<Spanned<String>>,
    /// Known problems, each with its reason.
    #[serde(default)]
    pub known_problems: Vec<KnownProblem>,
    /// When the site was assessed (YYYY-MM-DD).
    #[serde(default)]
    pub assessed: Option<Spanned<String>>,
    /// When the statement was last updated (YYYY-MM-DD); defaults to `assessed`.
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    /// How it was assessed.
    #[serde(default)]
    pub method: Option<Spanned<String>>,
    /// How to give feedback or report a problem; each route defaults to `contact:`'s. A
    /// `feedback:` with every line under it commented out is empty, not a mistake.
    #[serde(default, deserialize_with = "null_as_default")]
    pub feedback: Feedback,
    /// The statement describes an example edition that is not to be published as it is: the
    /// page says so, and a feedback route is not required.
    #[serde(default)]
    pub example: bool,
}

/// A value that may be written as nothing (`key:` with only comments under it): the default.
fn null_as_default<'de, D: serde::Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl Accessibility {
    /// The compliance the statement gives, when it gives one of the three.
    pub fn compliance(&self) -> Option<Compliance> {
        match self.status.as_ref()?.value.trim() {
            "helt" => Some(Compliance::Helt),
            "delvis" => Some(Compliance::Delvis),
            "inte" => Some(Compliance::Inte),
            _ => None,
        }
    }
}

/// The start of a value `metodbok new` writes where the organisation must fill in a fact.
pub const PLACEHOLDERS: [&str; 2] = ["FYLL I", "FILL IN"];

/// Whether `value` is still a placeholder written by `metodbok new`.
pub fn is_placeholder(value: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| value.trim_start().starts_with(p))
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Helt förenlig.
    Helt,
    /// Delvis förenlig.
    Delvis,
    /// Inte förenlig.
    Inte,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct KnownProblem {
    pub problem: Spanned<String>,
    pub reason: Spanned<String>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<Spanned<String>>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    /// How soon the reader can expect an answer, as a sentence.
    #[serde(default)]
    pub response_time: Option<Spanned<String>>,
}

/// The configuration and the file it was read from.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub file: SourceFile,
}

/// The base named in `site/metodbok.yaml`, read leniently so the content can be loaded even
/// when the rest of the configuration has mistakes. `Ok(None)` when no base is named (or the
/// file cannot be read: that is reported by [`load`]); an error at the `base:` line when the
/// folder named cannot be a base: it is missing or not a site, it is this site or inside it,
/// or it builds on a base of its own (this site, in a cycle, or another one: one level of
/// base is read).
pub fn base_of(site: &Path) -> Result<Option<crate::content::Base>, Diagnostic> {
    #[derive(Deserialize)]
    struct JustBase {
        #[serde(default)]
        base: Option<Spanned<String>>,
    }
    let read = |dir: &Path| -> Option<(String, Spanned<String>)> {
        let text = std::fs::read_to_string(dir.join(FILE_NAME)).ok()?;
        let b = serde_saphyr::from_str::<JustBase>(&text).ok()?.base?;
        Some((text, b))
    };
    let Some((text, b)) = read(site) else { return Ok(None) };
    let file = SourceFile { display_path: FILE_NAME.into(), text: Arc::from(text.as_str()) };
    let named_at = format!("{FILE_NAME}:{}:{}", b.referenced.line(), b.referenced.column());
    // A national edition in the binary, by name; a folder of that name beside the site
    // would be ambiguous, so an edition's name always means the edition.
    if let Some(edition) = crate::edition::find(&b.value) {
        return Ok(Some(crate::content::Base {
            source: crate::content::BaseSource::Edition(edition),
            shown: b.value.clone().into(),
            named_at,
        }));
    }
    let dir = site.join(&b.value);
    let fail = |message: String, help: String| Err(spot(&file, &b, message).with_help(help));
    let resolved = format!(
        "`base:` is a national edition built into metodbok ({}; `metodbok editions` lists them) or a folder \
         relative to this file; as a folder it resolved to {}",
        crate::edition::names(),
        dir.display()
    );
    let (Ok(real), Ok(own)) = (std::fs::canonicalize(&dir), std::fs::canonicalize(site)) else {
        return fail(format!("the base `{}` is neither a built-in edition nor a folder", b.value), resolved);
    };
    if real == own {
        return fail(
            format!("`base:` names this site itself (`{}`)", b.value),
            "a base is another site, e.g. a checkout of the national handbook: `base: ../metodbok`".into(),
        );
    }
    if real.starts_with(&own) {
        return fail(
            format!("the base `{}` is a folder inside this site", b.value),
            "a base is another site beside this one, e.g. `base: ../metodbok`".into(),
        );
    }
    if !real.join("content").is_dir() {
        return fail(format!("the base `{}` is not a metodbok site (no content/ folder there)", b.value), resolved);
    }
    if let Some((_, theirs)) = read(&real) {
        let cycle = std::fs::canonicalize(real.join(&theirs.value)).is_ok_and(|t| t == own);
        return if cycle {
            fail(
                format!("the base `{}` builds on this site: two sites cannot build on each other", b.value),
                format!("remove `base:` from one of them ({} names this site)", real.join(FILE_NAME).display()),
            )
        } else {
            fail(
                format!(
                    "the base `{}` builds on a base of its own (`{}`); one level of base is read",
                    b.value, theirs.value
                ),
                format!("build on the site that has no base (`{}` as seen from the base)", theirs.value),
            )
        };
    }
    Ok(Some(crate::content::Base {
        source: crate::content::BaseSource::Folder(dir),
        shown: b.value.clone().into(),
        named_at,
    }))
}

/// Reads and checks `site/metodbok.yaml`.
pub fn load(site: &Path, ui_keys: &[&str]) -> Result<Loaded, Vec<Diagnostic>> {
    let path = site.join(FILE_NAME);
    let text = crate::diagnostic::read_text(&path, Path::new(FILE_NAME)).map_err(|e| vec![e.0])?;
    let file = SourceFile { display_path: FILE_NAME.into(), text: Arc::from(text.as_str()) };
    let config: Config = yaml::parse(&file, &text, 0).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    check_colours(&config, &file, &mut problems);
    check_addresses(&config, &file, &mut problems);
    if let Some(logo) = &config.logo {
        let rel = logo.src.value.trim_start_matches('/');
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let inside = matches!(crate::policy::classify(rel), crate::policy::Target::Path)
            && !rel.split(['/', '\\']).any(|seg| seg == ".." || seg.is_empty() || seg.contains(':'));
        // The logo is a file of the site's static/ folder, or of its base's.
        let folders: Vec<std::path::PathBuf> = std::iter::once(site.join("static"))
            .chain(config.base.as_ref().map(|b| site.join(&b.value).join("static")))
            .collect();
        if !inside {
            problems.push(
                spot(
                    &file,
                    &logo.src,
                    format!("the logo `{}` is not a path inside the static/ folder", logo.src.value),
                )
                .with_help("put the image in the site's static/ folder and write its path there, e.g. img/logo.svg"),
            );
        } else if !matches!(ext.as_str(), "svg" | "png") {
            problems.push(
                spot(&file, &logo.src, format!("the logo `{rel}` is not an SVG or PNG image"))
                    .with_help("use an .svg (best: sharp at every size) or a .png"),
            );
        } else if !folders.iter().any(|f| f.join(rel).is_file()) {
            problems.push(
                spot(&file, &logo.src, format!("the logo `{rel}` is not in the site's static/ folder"))
                    .with_help(format!("put the image at static/{rel}, or correct `logo.src`")),
            );
        }
    }
    for (key, value) in &config.strings {
        if !ui_keys.contains(&key.as_str()) {
            let mut d = spot(&file, value, format!("unknown interface string `{key}`"));
            if let Some(best) = crate::diagnostic::closest(key, ui_keys.iter().copied()) {
                d = d.with_help(format!("did you mean `{best}`?"));
            }
            problems.push(d);
        }
    }
    if problems.is_empty() { Ok(Loaded { config, file }) } else { Err(problems) }
}

/// Every address in the configuration is an absolute web address or an e-mail address: they
/// are shown as links on every page, so any other scheme (`javascript:`) would run there.
fn check_addresses(config: &Config, file: &SourceFile, problems: &mut Vec<Diagnostic>) {
    let web = [
        ("url", config.url.as_ref()),
        ("organisation.url", config.organisation.as_ref().and_then(|o| o.url.as_ref())),
        ("contact.url", config.contact.as_ref().and_then(|c| c.url.as_ref())),
        ("accessibility.feedback.url", config.accessibility.feedback.url.as_ref()),
    ];
    for (key, value) in web {
        let Some(v) = value.filter(|v| !is_placeholder(&v.value)) else { continue };
        if let Some(problem) = crate::policy::web_address_problem(&v.value) {
            problems.push(spot(file, v, format!("{key}: {problem}")).with_help("e.g. https://www.kommun.se/"));
        }
    }
    let mail = [
        ("contact.email", config.contact.as_ref().and_then(|c| c.email.as_ref())),
        ("accessibility.feedback.email", config.accessibility.feedback.email.as_ref()),
    ];
    for (key, value) in mail {
        let Some(v) = value.filter(|v| !is_placeholder(&v.value)) else { continue };
        if let Some(problem) = crate::policy::email_problem(&v.value) {
            problems.push(spot(file, v, format!("{key}: {problem}")).with_help("e.g. tillganglighet@kommun.se"));
        }
    }
}

fn spot(file: &SourceFile, v: &Spanned<String>, message: String) -> Diagnostic {
    Diagnostic::at(file, v.referenced.line() as usize, v.referenced.column() as usize, message)
        .with_length(v.value.chars().count())
}

/// Brand colours must be `#rrggbb`, and text drawn with them must stay readable:
/// white on the primary colour at least 4.5:1 (WCAG 1.4.3), the accent against white at
/// least 3:1 (WCAG 1.4.11, focus outlines).
fn check_colours(config: &Config, file: &SourceFile, problems: &mut Vec<Diagnostic>) {
    // Where the theme draws each colour: the primary colour under white header text and as
    // link text on the page and on panels (footer, contents); the accent as focus outlines
    // and borders, which need 3:1 as non-text (WCAG 1.4.11).
    /// A background a colour is drawn against: its name in messages, and its value.
    type Background = (&'static str, (u8, u8, u8));
    const WHITE: Background = ("white #ffffff", (255, 255, 255));
    const PANEL: Background = ("the panel background #f3f5f8", (0xf3, 0xf5, 0xf8));
    let primary: &[Background] = &[WHITE, PANEL];
    let accent: &[Background] = &[WHITE];
    let checks = [(&config.colours.primary, "primary", primary, 4.5), (&config.colours.accent, "accent", accent, 3.0)];
    for (colour, name, against, needed) in checks {
        let Some(c) = colour else { continue };
        let Some(rgb) = parse_hex(&c.value) else {
            problems.push(
                spot(file, c, format!("`{}` is not a colour", c.value))
                    .with_help("write colours as #rrggbb, e.g. #1d4e89"),
            );
            continue;
        };
        // The worst pair is reported: fixing it fixes the others.
        let (other, ratio) = against
            .iter()
            .map(|(label, bg)| (*label, contrast(rgb, *bg)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("at least one pair");
        if ratio < needed {
            problems.push(
                spot(
                    file,
                    c,
                    format!(
                        "colours.{name} {} against {other} has contrast {:.2}:1; at least {needed}:1 is needed",
                        c.value,
                        (ratio * 100.0).floor() / 100.0
                    ),
                )
                .with_help("choose a darker colour"),
            );
        }
    }
}

pub fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((v(0)?, v(2)?, v(4)?))
}

/// WCAG 2.1 contrast ratio of two sRGB colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn lum((r, g, b): (u8, u8, u8)) -> f64 {
        let ch = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    }
    let (la, lb) = (lum(a), lum(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((contrast((0x76, 0x76, 0x76), (255, 255, 255)) - 4.54).abs() < 0.01);
    }
}
