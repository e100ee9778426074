//! Document skeletons: every heading template of the method as a document to start writing
//! in, in Word (`.docx`, Office Open XML), OpenDocument (`.odt`) and Markdown (`.md`).
//!
//! A Word or OpenDocument skeleton is laid out as a report: on the first page the title, the
//! phase, the purpose from the method and where the headings come from, then a document
//! information table and a change log to fill in; on the second a table of contents the word
//! processor updates; from the third, each chapter of the method's headings on a page of its
//! own. Every page has the document's name (and the organisation with its logo, for an
//! organisation's copy) in the header and "Sida X av Y" in the footer. The information table,
//! change log, contents, header and footer are the handbook's additions, not the method's; the
//! documents' description property says so.
//!
//! **Numbering.** The headings are numbered by the word processor, not typed: Heading 1–4 are
//! bound to one multilevel numbering (`numbering.xml` in Word, the outline numbering in ODF),
//! so a heading the writer adds or moves is renumbered. A heading's level is the depth of its
//! number (3.1.1 is Heading 3), and a level the method skips (3 → 3.1.1) is counted as 1, as
//! the word processor counts a level with no heading yet, which gives the method's numbers
//! exactly. [`maintained_numbers`] computes what the word processor will show; a template
//! whose numbers it cannot reproduce (none in the bundled method) gets its numbers typed and
//! no numbering instead, so a skeleton never shows a number the method does not give.
//!
//! **Contents.** The table of contents is delivered filled in, with each heading's page: the
//! front matter takes two pages and every chapter starts a page, so a heading's page is known
//! without laying the document out (the tests update the table in LibreOffice and compare).
//! Updating the table after writing brings it up to date.
//!
//! The packages are written here with the `zip` crate, with styles of our own in one
//! typeface (Arial, which LibreOffice shows as the metrically identical Liberation Sans);
//! entries, their order and their timestamps (the method's edition date) are fixed, so the
//! same input gives the same bytes.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use rayon::prelude::*;
use zip::CompressionMethod;

use crate::content::model::outline_parents;
use zip::write::{SimpleFileOptions, ZipWriter};

/// The language every skeleton is marked with.
pub const LANGUAGE: &str = "sv-SE";

/// The typeface of every skeleton, in both formats.
pub const FONT: &str = "Arial";

/// The date the packages' entries carry when the method has none: version 1.0's.
const FALLBACK_DATE: (u16, u8, u8) = (2013, 6, 19);

/// The deepest heading level the numbering and the contents cover.
const MAX_LEVEL: usize = 4;

/// The words of a skeleton that are the handbook's, not the method's: labels of the
/// information table and the change log, the contents' title, the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub info: String,
    pub name: String,
    pub effort: String,
    pub version: String,
    pub date: String,
    pub status: String,
    pub draft: String,
    pub author: String,
    pub owner: String,
    pub decided_by: String,
    pub decided_on: String,
    pub changes: String,
    pub change: String,
    pub changed_by: String,
    pub first_draft: String,
    pub contents: String,
    /// "Sida {page} av {pages}".
    pub page: String,
    /// The description property: which parts are the handbook's additions.
    pub additions: String,
}

impl Labels {
    /// The labels in the site's interface strings.
    pub fn from_strings(strings: &BTreeMap<String, String>) -> Self {
        let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
        Labels {
            info: t("skeleton_info"),
            name: t("skeleton_info_name"),
            effort: t("skeleton_info_effort"),
            version: t("skeleton_info_version"),
            date: t("skeleton_info_date"),
            status: t("skeleton_info_status"),
            draft: t("skeleton_info_draft"),
            author: t("skeleton_info_author"),
            owner: t("skeleton_info_owner"),
            decided_by: t("skeleton_info_decided_by"),
            decided_on: t("skeleton_info_decided_on"),
            changes: t("skeleton_changes"),
            change: t("skeleton_changes_change"),
            changed_by: t("skeleton_changes_by"),
            first_draft: t("skeleton_changes_first"),
            contents: t("skeleton_contents"),
            page: t("skeleton_page"),
            additions: t("skeleton_additions"),
        }
    }

    /// The information table's rows: (label, value as delivered).
    fn info_rows<'a>(&'a self, title: &'a str) -> [(&'a str, &'a str); 9] {
        [
            (&self.name, title),
            (&self.effort, ""),
            (&self.version, "0.1"),
            (&self.date, ""),
            (&self.status, &self.draft),
            (&self.author, ""),
            (&self.owner, ""),
            (&self.decided_by, ""),
            (&self.decided_on, ""),
        ]
    }

    /// The change log's columns and its first row.
    fn change_log(&self) -> ([&str; 4], [&str; 4]) {
        ([&self.version, &self.date, &self.change, &self.changed_by], ["0.1", "", &self.first_draft, ""])
    }
}

/// An organisation's logo for the skeletons' header, as PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub png: Vec<u8>,
    /// Pixels.
    pub width: u32,
    pub height: u32,
    /// What it shows.
    pub alt: String,
}

/// The logo's height in the header, in hundredths of a millimetre.
const LOGO_HEIGHT_HMM: u32 = 800;

impl Logo {
    /// A logo from the site's image file (`svg` or `png`); `None` with the reason when it
    /// cannot be read. An SVG is drawn with resvg at 4× the size it is shown at.
    pub fn from_file(bytes: &[u8], ext: &str, alt: &str) -> Result<Logo, String> {
        let (png, width, height) = if ext.eq_ignore_ascii_case("svg") {
            let mut options = resvg::usvg::Options::default();
            // Text in a logo needs fonts; those of the machine are loaded only then.
            if bytes.windows(5).any(|w| w == b"<text") {
                options.fontdb_mut().load_system_fonts();
            }
            let tree = resvg::usvg::Tree::from_data(bytes, &options).map_err(|e| e.to_string())?;
            let size = tree.size();
            // 0.8 cm at 4 × 300 dpi is about 380 pixels high.
            let scale = 378.0 / size.height().max(1.0);
            let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
            let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1)).ok_or("the logo has no size")?;
            resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
            (pixmap.encode_png().map_err(|e| e.to_string())?, w.max(1), h.max(1))
        } else {
            let (w, h) = png_size(bytes).ok_or("not a PNG image")?;
            (bytes.to_vec(), w, h)
        };
        Ok(Logo { png, width, height, alt: alt.to_string() })
    }

    /// Its width in the header, in hundredths of a millimetre, at [`LOGO_HEIGHT_HMM`] high.
    fn width_hmm(&self) -> u32 {
        (u64::from(LOGO_HEIGHT_HMM) * u64::from(self.width) / u64::from(self.height.max(1))) as u32
    }
}

/// Width and height of a PNG image, from its header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((n(16), n(20))).filter(|(w, h)| *w > 0 && *h > 0)
}

/// What a skeleton holds.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// The document's name: "Förstudierapport".
    pub title: String,
    /// The organisation whose copy this is, for the header; `None` for the national handbook.
    pub organisation: Option<String>,
    /// Who publishes it (the organisation or the site): the document's creator.
    pub creator: String,
    /// Lines under the title: the phase, the purpose, where the headings come from.
    pub intro: Vec<String>,
    /// (number, text), in the method's order.
    pub headings: Vec<(String, String)>,
    pub labels: Labels,
    pub logo: Option<Logo>,
    /// The date every package entry carries: (year, month, day).
    pub date: (u16, u8, u8),
}

/// A heading as the word processor gets it.
struct Placed<'a> {
    number: &'a str,
    text: &'a str,
    /// 1–4: the depth of its number.
    level: usize,
    /// The page it is on as delivered.
    page: usize,
}

impl Skeleton {
    /// Whether the word processor's numbering gives the method's numbers.
    fn numbered_by_processor(&self) -> bool {
        let numbers: Vec<&str> = self.headings.iter().map(|(n, _)| n.as_str()).collect();
        maintained_numbers(&depths(&numbers)) == numbers
    }

    fn placed(&self) -> Vec<Placed<'_>> {
        let numbers: Vec<&str> = self.headings.iter().map(|(n, _)| n.as_str()).collect();
        let mut chapter = 0;
        self.headings
            .iter()
            .zip(depths(&numbers))
            .map(|((number, text), level)| {
                if level == 1 {
                    chapter += 1;
                }
                // Page 1 title and information, page 2 contents, then a page per chapter.
                Placed { number, text, level, page: 2 + chapter.max(1) }
            })
            .collect()
    }
}

/// The level of each heading in the word processor: the depth of its number, at most 4.
pub fn depths(numbers: &[&str]) -> Vec<usize> {
    numbers.iter().map(|n| (n.matches('.').count() + 1).min(MAX_LEVEL)).collect()
}

/// The numbers a word processor shows for headings at `levels`, numbered with one multilevel
/// numbering ("1", "1.1", "1.1.1", …): each level counts up and restarts under a new parent,
/// and a level with no heading yet is shown as 1 (LibreOffice's rendering of 3 → 3.1.1).
pub fn maintained_numbers(levels: &[usize]) -> Vec<String> {
    let mut counters = [0usize; MAX_LEVEL];
    levels
        .iter()
        .map(|&level| {
            counters[level - 1] += 1;
            counters[level..].iter_mut().for_each(|c| *c = 0);
            counters[..level].iter().map(|c| (*c).max(1).to_string()).collect::<Vec<_>>().join(".")
        })
        .collect()
}

/// The levels of `numbers` (method numbering) in the Markdown skeleton: one deeper than the
/// heading's parent by [`outline_parents`] (the rule the handbook's page follows), 1 for a
/// heading with none, at most 4.
pub fn levels(numbers: &[&str]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for parent in outline_parents(numbers) {
        out.push(parent.map_or(1, |j| out[j] + 1).min(MAX_LEVEL));
    }
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// How hard the skeletons' zip entries are deflated: zlib's fastest level. Against the default
/// (6) it halves the time the skeletons take (5.1 ms to 2.7 ms of the handbook's build, the
/// median of 7 builds each, 2026-12-02) for files about 30 % larger (the handbook's 21
/// skeletons and 4 phase zips: 229,843 bytes instead of 177,469; a Word skeleton about 2 KB
/// more); see README, "Document skeletons".
const DEFLATE_LEVEL: i64 = 1;

/// A zip package of `entries` in the order given, deflated (at [`DEFLATE_LEVEL`]) except
/// where `stored` says, each dated `date` at midnight.
fn package(entries: &[(&str, Vec<u8>, bool)], date: (u16, u8, u8)) -> Vec<u8> {
    let when = zip::DateTime::from_date_and_time(date.0, date.1, date.2, 0, 0, 0).unwrap_or_default();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, stored) in entries {
        let options = SimpleFileOptions::default()
            .compression_method(if *stored { CompressionMethod::Stored } else { CompressionMethod::Deflated })
            .compression_level((!*stored).then_some(DEFLATE_LEVEL))
            .last_modified_time(when)
            .unix_permissions(0o644);
        zip.start_file(*name, options).expect("a zip entry starts in memory");
        zip.write_all(bytes).expect("writing to memory");
    }
    zip.finish().expect("a zip finishes in memory").into_inner()
}

/// A zip of ready files (name, bytes), for a phase's skeletons. Word and OpenDocument
/// packages are zips already, so they are stored as they are rather than deflated again.
pub fn zip_of(files: &[NamedFile], date: (u16, u8, u8)) -> Vec<u8> {
    let packaged = |n: &str| n.ends_with(".docx") || n.ends_with(".odt");
    let entries: Vec<(&str, Vec<u8>, bool)> = files.iter().map(|(n, b)| (n.as_str(), b.clone(), packaged(n))).collect();
    package(&entries, date)
}

/// The method's edition date ("2013-06-19") as (year, month, day), or version 1.0's.
pub fn edition_date(date: Option<&str>) -> (u16, u8, u8) {
    let parse = |d: &str| {
        let mut parts = d.trim().splitn(3, '-');
        let y = parts.next()?.parse::<u16>().ok().filter(|y| (1980..=2107).contains(y))?;
        let m = parts.next()?.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?;
        let d = parts.next()?.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?;
        Some((y, m, d))
    };
    date.and_then(parse).unwrap_or(FALLBACK_DATE)
}

/* ---- The site's skeletons --------------------------------------------------------------- */

/// The formats of a template's skeleton, as file extensions, in the order offered.
pub const FORMATS: [&str; 3] = ["docx", "odt", "md"];

/// A file to write: output path (or name inside a zip) and bytes.
pub type NamedFile = (String, Vec<u8>);

/// The skeleton of every heading template, in every format, and per phase a zip of the
/// skeletons of the documents the phase produces: (output path, bytes). `logo` is the
/// organisation's, for the header of an organisation's copy.
pub fn site_files(
    content: &crate::content::Content,
    config: &crate::config::Config,
    strings: &BTreeMap<String, String>,
    logo: Option<&Logo>,
) -> Vec<NamedFile> {
    let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let organisation = config.organisation.as_ref().map(|o| o.name.clone());
    let labels = Labels::from_strings(strings);
    let date = edition_date(content.method.as_ref().and_then(|m| m.date.as_deref()));
    // Per template: the document's phase and what its files are made from.
    let skeletons: Vec<(&str, Skeleton)> = content
        .heading_templates
        .iter()
        .map(|tpl| {
            let document = content.documents.iter().find(|d| d.id.value == tpl.document.value);
            let mut intro: Vec<String> = organisation.iter().cloned().collect();
            if let Some(ph) = content.phases.iter().find(|p| p.id.value == tpl.phase.value) {
                intro.push(format!("{} {}: {}", t("phase"), ph.number, ph.name));
            }
            intro.push(crate::markdown::plain_text(&tpl.purpose.value));
            if let Some(m) = &content.method {
                let place = tpl.source_ref.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                intro.push(t("skeleton_source").replace("{method}", &m.name).replace("{version}", &m.version) + &place);
            }
            let skeleton = Skeleton {
                title: document.map_or_else(|| tpl.title.clone(), |d| d.name.clone()),
                organisation: organisation.clone(),
                creator: organisation.clone().unwrap_or_else(|| config.title.clone()),
                intro,
                headings: tpl.headings.iter().map(|h| (h.number.value.clone(), h.text.clone())).collect(),
                labels: labels.clone(),
                logo: logo.filter(|_| organisation.is_some()).cloned(),
                date,
            };
            (document.map_or("", |d| d.phase.value.as_str()), skeleton)
        })
        .collect();
    // Every file of every template side by side (a .docx or .odt takes longer than a .md, so
    // files balance the cores better than templates), in template then format order: each
    // with its template's index and its format.
    let jobs: Vec<(usize, &str)> = (0..skeletons.len()).flat_map(|t| FORMATS.map(|ext| (t, ext))).collect();
    let made: Vec<(usize, &str, NamedFile)> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|(t, ext)| {
            let skeleton = &skeletons[t].1;
            let bytes = match ext {
                "docx" => docx(skeleton),
                "odt" => odt(skeleton),
                _ => markdown(skeleton).into_bytes(),
            };
            (t, ext, (format!("{}.{ext}", content.heading_templates[t].document.value), bytes))
        })
        .collect();
    let mut out: Vec<NamedFile> = made
        .iter()
        .map(|(t, ext, (_, bytes))| {
            (crate::paths::skeleton(&content.heading_templates[*t].id.value, ext), bytes.clone())
        })
        .collect();
    // Each phase's files in one zip, the phases side by side.
    let zips: Vec<NamedFile> = content
        .phases
        .par_iter()
        .with_max_len(1)
        .filter_map(|ph| {
            let files: Vec<NamedFile> =
                made.iter().filter(|(t, ..)| skeletons[*t].0 == ph.id.value).map(|(.., f)| f.clone()).collect();
            (!files.is_empty()).then(|| (crate::paths::phase_skeletons(&ph.id.value), zip_of(&files, date)))
        })
        .collect();
    out.extend(zips);
    out
}

/// A field of the footer's label.
enum PageField {
    /// `{page}`: the current page's number.
    Page,
    /// `{pages}`: how many pages there are.
    Pages,
}

/// The footer's label ("Sida {page} av {pages}") in a format: its words through `text`, its
/// placeholders through `field`.
fn page_label(label: &str, text: impl Fn(&str) -> String, field: impl Fn(PageField) -> String) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(at) = rest.find('{') {
        out.push_str(&text(&rest[..at]));
        let after = &rest[at..];
        if let Some(r) = after.strip_prefix("{pages}") {
            out.push_str(&field(PageField::Pages));
            rest = r;
        } else if let Some(r) = after.strip_prefix("{page}") {
            out.push_str(&field(PageField::Page));
            rest = r;
        } else {
            out.push_str(&text("{"));
            rest = &after[1..];
        }
    }
    out.push_str(&text(rest));
    out
}

/* ---- Office Open XML (.docx) ----------------------------------------------------------- */

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The text width of an A4 page with 2.5 cm margins, in twentieths of a point.
const TEXT_WIDTH_TWIPS: u32 = 9072;

/// A run of text.
fn w_run(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml(text)) }
}

fn w_paragraph(style: Option<&str>, text: &str) -> String {
    let ppr = style.map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")).unwrap_or_default();
    format!("<w:p>{ppr}{}</w:p>", w_run(text))
}

/// Whether cell (`row`, `column`) of a skeleton's table is a label: the header row's cells
/// in a table with one, else the first column's.
fn is_label(header_row: bool, row: usize, column: usize) -> bool {
    if header_row { row == 0 } else { column == 0 }
}

/// A table of `rows` with column `widths` (twips), its first row a header row when
/// `header_row`, its first column shaded labels when not; `caption` is its accessible title.
fn w_table(caption: &str, widths: &[u32], rows: &[Vec<&str>], header_row: bool) -> String {
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{TEXT_WIDTH_TWIPS}\" w:type=\"dxa\"/>\
         <w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"{fr}\" w:lastRow=\"0\" w:firstColumn=\"{fc}\" \
         w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/><w:tblCaption w:val=\"{}\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
        xml(caption),
        fr = u8::from(header_row),
        fc = u8::from(!header_row),
    );
    for (r, row) in rows.iter().enumerate() {
        let head = header_row && r == 0;
        out.push_str(if head { "<w:tr><w:trPr><w:tblHeader/></w:trPr>" } else { "<w:tr>" });
        for (c, (cell, width)) in row.iter().zip(widths).enumerate() {
            let label = is_label(header_row, r, c);
            let shading = if label { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>" } else { "" };
            let style = if label { "TableHeading" } else { "TableContents" };
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shading}</w:tcPr>{}</w:tc>",
                w_paragraph(Some(style), cell)
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A paragraph style: `ppr` and `rpr` are the insides of its `w:pPr` and `w:rPr`.
fn w_style(id: &str, name: &str, next: Option<&str>, ppr: &str, rpr: &str) -> String {
    let next = next.map(|n| format!("<w:next w:val=\"{n}\"/>")).unwrap_or_default();
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/>{next}\
         <w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

/// Font size in half points for `w:sz`.
fn w_size(points: u32) -> String {
    format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", points * 2)
}

/// The heading sizes in points, Heading 1–4, the same in both formats.
const HEADING_POINTS: [u32; MAX_LEVEL] = [16, 14, 12, 11];

fn w_styles() -> String {
    let right_tab = format!("<w:tabs><w:tab w:val=\"right\" w:pos=\"{TEXT_WIDTH_TWIPS}\"/></w:tabs>");
    let mut styles = String::new();
    styles.push_str(&w_style(
        "Title",
        "Title",
        Some("Normal"),
        "<w:spacing w:after=\"240\"/>",
        &format!("<w:b/><w:bCs/>{}", w_size(24)),
    ));
    for (i, points) in HEADING_POINTS.iter().enumerate() {
        let level = i + 1;
        let (brk, before) = if level == 1 { ("<w:pageBreakBefore/>", 0) } else { ("", 240) };
        styles.push_str(&w_style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            Some("Normal"),
            &format!(
                "<w:keepNext/><w:keepLines/>{brk}<w:numPr><w:ilvl w:val=\"{i}\"/><w:numId w:val=\"1\"/></w:numPr>\
                 <w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{i}\"/>"
            ),
            &format!("<w:b/><w:bCs/>{}", w_size(*points)),
        ));
    }
    styles.push_str(&w_style(
        "TOCHeading",
        "TOC Heading",
        Some("Normal"),
        "<w:keepNext/><w:pageBreakBefore/><w:spacing w:after=\"240\"/>",
        &format!("<w:b/><w:bCs/>{}", w_size(HEADING_POINTS[0])),
    ));
    for level in 1..=MAX_LEVEL {
        styles.push_str(&w_style(
            &format!("TOC{level}"),
            &format!("toc {level}"),
            Some("Normal"),
            &format!(
                "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{TEXT_WIDTH_TWIPS}\"/></w:tabs>\
                 <w:spacing w:after=\"60\"/><w:ind w:left=\"{}\"/>",
                (level - 1) * 220
            ),
            "",
        ));
    }
    styles.push_str(&w_style(
        "Caption",
        "caption",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/>",
        "<w:b/><w:bCs/>",
    ));
    styles.push_str(&w_style("Header", "header", None, &format!("{right_tab}<w:spacing w:after=\"0\"/>"), ""));
    styles.push_str(&w_style(
        "Footer",
        "footer",
        None,
        &format!("{right_tab}<w:spacing w:after=\"0\"/><w:jc w:val=\"right\"/>"),
        "",
    ));
    styles.push_str(&w_style("TableHeading", "Table Heading", None, "<w:spacing w:after=\"0\"/>", "<w:b/><w:bCs/>"));
    styles.push_str(&w_style("TableContents", "Table Contents", None, "<w:spacing w:after=\"0\"/>", ""));
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    format!(
        "{XML_HEAD}<w:styles xmlns:w=\"{W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>\
         {size}<w:lang w:val=\"{LANGUAGE}\" w:eastAsia=\"{LANGUAGE}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/>\
         <w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/>\
         <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"39\"/>\
         <w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style>\
         {styles}</w:styles>",
        size = w_size(11),
    )
}

/// The multilevel numbering Heading 1–4 are bound to: "1", "1.1", "1.1.1", "1.1.1.1", each
/// followed by a space; deeper levels continue the pattern for headings the writer adds.
fn w_numbering() -> String {
    let levels: String = (0..9)
        .map(|i| {
            let text: Vec<String> = (1..=i + 1).map(|l| format!("%{l}")).collect();
            let style = if i < MAX_LEVEL { format!("<w:pStyle w:val=\"Heading{}\"/>", i + 1) } else { String::new() };
            format!(
                "<w:lvl w:ilvl=\"{i}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>{style}<w:suff w:val=\"space\"/>\
                 <w:lvlText w:val=\"{}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"0\" w:firstLine=\"0\"/></w:pPr></w:lvl>",
                text.join(".")
            )
        })
        .collect();
    format!(
        "{XML_HEAD}<w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"multilevel\"/>\
         {levels}</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

/// The footer: "Sida {page} av {pages}" as runs and page fields.
fn w_page_footer(label: &str) -> String {
    page_label(label, w_run, |field| {
        let instr = match field {
            PageField::Page => "PAGE",
            PageField::Pages => "NUMPAGES",
        };
        format!("<w:fldSimple w:instr=\" {instr} \"><w:r><w:t>1</w:t></w:r></w:fldSimple>")
    })
}

/// The header: the document's name; for an organisation's copy, its logo and name at the
/// right margin.
fn w_header(s: &Skeleton) -> String {
    let mut p = format!("<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>{}", w_run(&s.title));
    if let Some(org) = &s.organisation {
        p.push_str("<w:r><w:tab/></w:r>");
        if let Some(logo) = &s.logo {
            let (cx, cy) = (u64::from(logo.width_hmm()) * 360, u64::from(LOGO_HEIGHT_HMM) * 360);
            let alt = xml(&logo.alt);
            p.push_str(&format!(
                "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
                 <wp:docPr id=\"1\" name=\"Logo\" descr=\"{alt}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>\
                 </wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
                 <pic:pic><pic:nvPicPr><pic:cNvPr id=\"1\" name=\"logo.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
                 <pic:blipFill><a:blip r:embed=\"rId1\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>\
                 <a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>\
                 </pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>{}",
                w_run(" ")
            ));
        }
        p.push_str(&w_run(org));
    }
    format!(
        "{XML_HEAD}<w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">{p}</w:p></w:hdr>"
    )
}

/// The skeleton as a Word document (Office Open XML).
pub fn docx(s: &Skeleton) -> Vec<u8> {
    let numbered = s.numbered_by_processor();
    let placed = s.placed();
    let l = &s.labels;
    let mut body = w_paragraph(Some("Title"), &s.title);
    for line in &s.intro {
        body.push_str(&w_paragraph(None, line));
    }
    body.push_str(&w_paragraph(Some("Caption"), &l.info));
    let info: Vec<Vec<&str>> = l.info_rows(&s.title).iter().map(|(k, v)| vec![*k, *v]).collect();
    body.push_str(&w_table(&l.info, &[3402, 5670], &info, false));
    body.push_str(&w_paragraph(Some("Caption"), &l.changes));
    let (columns, first) = l.change_log();
    body.push_str(&w_table(&l.changes, &[1134, 1701, 4253, 1984], &[columns.to_vec(), first.to_vec()], true));
    // The contents: a TOC field whose result is delivered filled in.
    body.push_str(
        "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>",
    );
    body.push_str(&w_paragraph(Some("TOCHeading"), &l.contents));
    for (i, h) in placed.iter().enumerate() {
        let field = if i == 0 {
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-4\" \\h \\z \\u </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        } else {
            ""
        };
        body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC{level}\"/></w:pPr>{field}<w:hyperlink w:anchor=\"_Toc{i}\" w:history=\"1\">{}<w:r><w:tab/></w:r>{}</w:hyperlink></w:p>",
            w_run(&format!("{} {}", h.number, h.text)),
            w_run(&h.page.to_string()),
            level = h.level,
        ));
    }
    body.push_str("<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:sdtContent></w:sdt>");
    for (i, h) in placed.iter().enumerate() {
        let (unnumbered, text) = if numbered {
            (String::new(), h.text.to_string())
        } else {
            (
                "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"0\"/></w:numPr>".to_string(),
                format!("{} {}", h.number, h.text),
            )
        };
        body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/>{unnumbered}</w:pPr><w:bookmarkStart w:id=\"{i}\" w:name=\"_Toc{i}\"/>{}<w:bookmarkEnd w:id=\"{i}\"/></w:p>",
            w_run(&text),
            level = h.level
        ));
        body.push_str(&w_paragraph(None, ""));
    }
    let document = format!(
        "{XML_HEAD}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"default\" r:id=\"rId5\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" \
         w:left=\"1417\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let footer = format!(
        "{XML_HEAD}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}</w:p></w:ftr>",
        w_page_footer(&l.page)
    );
    let settings = format!(
        "{XML_HEAD}<w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"1304\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"{LANGUAGE}\"/></w:settings>"
    );
    let png_type = if s.logo.is_some() { "<Default Extension=\"png\" ContentType=\"image/png\"/>" } else { "" };
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let content_types = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>{png_type}\
        <Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/>\
        <Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/>\
        <Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/>\
        <Override PartName=\"/word/numbering.xml\" ContentType=\"{wml}.numbering+xml\"/>\
        <Override PartName=\"/word/header1.xml\" ContentType=\"{wml}.header+xml\"/>\
        <Override PartName=\"/word/footer1.xml\" ContentType=\"{wml}.footer+xml\"/>\
        <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
        <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
        </Types>"
    );
    let relationships = |rels: &[(&str, &str, &str)]| {
        let items: String = rels
            .iter()
            .map(|(id, kind, target)| format!("<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>"))
            .collect();
        format!(
            "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{items}</Relationships>"
        )
    };
    let rels = relationships(&[
        ("rId1", &format!("{R}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        ("rId3", &format!("{R}/extended-properties"), "docProps/app.xml"),
    ]);
    let document_rels = relationships(&[
        ("rId1", &format!("{R}/styles"), "styles.xml"),
        ("rId2", &format!("{R}/settings"), "settings.xml"),
        ("rId3", &format!("{R}/numbering"), "numbering.xml"),
        ("rId4", &format!("{R}/header"), "header1.xml"),
        ("rId5", &format!("{R}/footer"), "footer1.xml"),
    ]);
    let core = format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator>\
         <dc:description>{}</dc:description><dc:language>{LANGUAGE}</dc:language></cp:coreProperties>",
        xml(&s.title),
        xml(&s.creator),
        xml(&l.additions)
    );
    let app = format!(
        "{XML_HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>metodbok</Application></Properties>"
    );
    let mut entries = vec![
        ("[Content_Types].xml", content_types.into_bytes(), false),
        ("_rels/.rels", rels.into_bytes(), false),
        ("docProps/core.xml", core.into_bytes(), false),
        ("docProps/app.xml", app.into_bytes(), false),
        ("word/_rels/document.xml.rels", document_rels.into_bytes(), false),
        ("word/document.xml", document.into_bytes(), false),
        ("word/styles.xml", w_styles().into_bytes(), false),
        ("word/numbering.xml", w_numbering().into_bytes(), false),
        ("word/settings.xml", settings.into_bytes(), false),
        ("word/header1.xml", w_header(s).into_bytes(), false),
        ("word/footer1.xml", footer.into_bytes(), false),
    ];
    if let Some(logo) = &s.logo {
        let header_rels = relationships(&[("rId1", &format!("{R}/image"), "media/logo.png")]);
        entries.push(("word/_rels/header1.xml.rels", header_rels.into_bytes(), false));
        entries.push(("word/media/logo.png", logo.png.clone(), true));
    }
    package(&entries, s.date)
}

/* ---- OpenDocument Text (.odt) ---------------------------------------------------------- */

/// The media type of an OpenDocument text, which is also its `mimetype` entry.
pub const ODT_MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

const ODF_NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
    xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
    xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
    xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
    xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" \
    xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
    xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" \
    xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
    xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" \
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\"";

/// The font every style uses.
fn o_font_faces() -> String {
    format!(
        "<office:font-face-decls><style:font-face style:name=\"{FONT}\" svg:font-family=\"{FONT}\" \
         style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/></office:font-face-decls>"
    )
}

fn o_paragraph(style: &str, text: &str) -> String {
    if text.is_empty() {
        format!("<text:p text:style-name=\"{style}\"/>")
    } else {
        format!("<text:p text:style-name=\"{style}\">{}</text:p>", xml(text))
    }
}

/// A table like [`w_table`]'s: `name` is its title, `widths` in centimetres.
fn o_table(name: &str, style: &str, widths: &[&str], rows: &[Vec<&str>], header_row: bool) -> String {
    let mut out = format!("<table:table table:name=\"{}\" table:style-name=\"{style}\">", xml(name));
    for (i, _) in widths.iter().enumerate() {
        out.push_str(&format!("<table:table-column table:style-name=\"{style}.{}\"/>", (b'A' + i as u8) as char));
    }
    for (r, row) in rows.iter().enumerate() {
        let head = header_row && r == 0;
        out.push_str(if head { "<table:table-header-rows><table:table-row>" } else { "<table:table-row>" });
        for (c, cell) in row.iter().enumerate() {
            let label = is_label(header_row, r, c);
            let (cell_style, p_style) =
                if label { ("Label", "Table_20_Heading") } else { ("Value", "Table_20_Contents") };
            // Each line drawn once: the top only on the first row, the right only on the last column.
            let top = if r == 0 { "T" } else { "" };
            let right = if c + 1 == row.len() { "R" } else { "" };
            out.push_str(&format!(
                "<table:table-cell table:style-name=\"{cell_style}{top}{right}\" office:value-type=\"string\">{}</table:table-cell>",
                o_paragraph(p_style, cell)
            ));
        }
        out.push_str(if head { "</table:table-row></table:table-header-rows>" } else { "</table:table-row>" });
    }
    out.push_str("</table:table>");
    out
}

/// The automatic styles of a table of columns `widths` (cm) named `style`.
fn o_table_styles(style: &str, widths: &[&str]) -> String {
    let mut out = format!(
        "<style:style style:name=\"{style}\" style:family=\"table\"><style:table-properties style:width=\"16cm\" \
         table:align=\"left\" fo:margin-top=\"0cm\" fo:margin-bottom=\"0cm\"/></style:style>"
    );
    for (i, w) in widths.iter().enumerate() {
        out.push_str(&format!(
            "<style:style style:name=\"{style}.{}\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"{w}\"/></style:style>",
            (b'A' + i as u8) as char
        ));
    }
    out
}

/// A paragraph style of `styles.xml`: `paragraph` is its paragraph properties element (see
/// [`o_pp`]), `text` the attributes of its text properties.
fn o_style(name: &str, display: &str, parent: &str, extra: &str, paragraph: &str, text: &str) -> String {
    let parent = if parent.is_empty() { String::new() } else { format!(" style:parent-style-name=\"{parent}\"") };
    format!(
        "<style:style style:name=\"{name}\" style:display-name=\"{display}\" style:family=\"paragraph\"{parent}{extra}>\
         {paragraph}<style:text-properties{text}/></style:style>"
    )
}

/// Paragraph properties with `attrs`, and one tab stop at `tab` (position, then the stop's
/// other attributes) when given.
fn o_pp(attrs: &str, tab: Option<(String, &str)>) -> String {
    match tab {
        None => format!("<style:paragraph-properties{attrs}/>"),
        Some((position, more)) => format!(
            "<style:paragraph-properties{attrs}><style:tab-stops><style:tab-stop style:position=\"{position}\" \
             style:type=\"right\"{more}/></style:tab-stops></style:paragraph-properties>"
        ),
    }
}

fn o_styles(s: &Skeleton) -> String {
    const BOLD: &str = " fo:font-weight=\"bold\" style:font-weight-complex=\"bold\"";
    let right_tab = || Some(("16cm".to_string(), ""));
    let next_body = " style:next-style-name=\"Text_20_body\"";
    let mut styles = String::new();
    styles.push_str(&o_style("Standard", "Standard", "", " style:class=\"text\"", "", ""));
    styles.push_str(&o_style("Text_20_body", "Text body", "Standard", " style:class=\"text\"", "", ""));
    styles.push_str(&o_style(
        "Title",
        "Title",
        "Standard",
        &format!("{next_body} style:class=\"chapter\""),
        &o_pp(" fo:margin-bottom=\"0.423cm\"", None),
        &format!(" fo:font-size=\"24pt\" style:font-size-complex=\"24pt\"{BOLD}"),
    ));
    styles.push_str(&o_style(
        "Heading",
        "Heading",
        "Standard",
        next_body,
        &o_pp(" fo:margin-top=\"0.423cm\" fo:margin-bottom=\"0.212cm\" fo:keep-with-next=\"always\"", None),
        BOLD,
    ));
    for (i, points) in HEADING_POINTS.iter().enumerate() {
        let level = i + 1;
        let paragraph =
            if level == 1 { o_pp(" fo:margin-top=\"0cm\" fo:break-before=\"page\"", None) } else { String::new() };
        styles.push_str(&o_style(
            &format!("Heading_20_{level}"),
            &format!("Heading {level}"),
            "Heading",
            &format!("{next_body} style:default-outline-level=\"{level}\" style:class=\"text\""),
            &paragraph,
            &format!(" fo:font-size=\"{points}pt\" style:font-size-complex=\"{points}pt\""),
        ));
    }
    styles.push_str(&o_style(
        "Contents_20_Heading",
        "Contents Heading",
        "Standard",
        " style:class=\"index\"",
        &o_pp(" fo:margin-bottom=\"0.423cm\" fo:break-before=\"page\" fo:keep-with-next=\"always\"", None),
        &format!(" fo:font-size=\"{0}pt\" style:font-size-complex=\"{0}pt\"{BOLD}", HEADING_POINTS[0]),
    ));
    for level in 1..=MAX_LEVEL {
        // Indented 220 twips a level, as in Word; the tab stop is measured from the indent.
        let indent = (level - 1) as f64 * 0.388;
        styles.push_str(&o_style(
            &format!("Contents_20_{level}"),
            &format!("Contents {level}"),
            "Standard",
            " style:class=\"index\"",
            &o_pp(
                &format!(" fo:margin-left=\"{indent:.3}cm\" fo:margin-bottom=\"0.106cm\""),
                Some((format!("{:.3}cm", 16.0 - indent), " style:leader-style=\"dotted\" style:leader-text=\".\"")),
            ),
            "",
        ));
    }
    styles.push_str(&o_style(
        "Caption",
        "Caption",
        "Standard",
        " style:class=\"extra\"",
        &o_pp(" fo:margin-top=\"0.423cm\" fo:margin-bottom=\"0.106cm\" fo:keep-with-next=\"always\"", None),
        BOLD,
    ));
    styles.push_str(&o_style(
        "Header",
        "Header",
        "Standard",
        " style:class=\"extra\"",
        &o_pp(" fo:margin-bottom=\"0cm\"", right_tab()),
        "",
    ));
    styles.push_str(&o_style(
        "Footer",
        "Footer",
        "Standard",
        " style:class=\"extra\"",
        &o_pp(" fo:margin-bottom=\"0cm\" fo:text-align=\"end\"", right_tab()),
        "",
    ));
    styles.push_str(&o_style(
        "Table_20_Contents",
        "Table Contents",
        "Standard",
        " style:class=\"extra\"",
        &o_pp(" fo:margin-bottom=\"0cm\" fo:line-height=\"100%\"", None),
        "",
    ));
    styles.push_str(&o_style(
        "Table_20_Heading",
        "Table Heading",
        "Table_20_Contents",
        " style:class=\"extra\"",
        "",
        BOLD,
    ));
    // The contents' links look like the rest of the entry, as in Word.
    styles.push_str(
        "<style:style style:name=\"Index_20_Link\" style:display-name=\"Index Link\" style:family=\"text\"/>",
    );
    let outline: String = (1..=10)
        .map(|l| {
            let format = if l <= 9 { format!("style:num-format=\"1\" text:display-levels=\"{l}\"") } else { "style:num-format=\"\"".into() };
            format!(
                "<text:outline-level-style text:level=\"{l}\" {format}><style:list-level-properties \
                 text:list-level-position-and-space-mode=\"label-alignment\"><style:list-level-label-alignment \
                 text:label-followed-by=\"space\" fo:text-indent=\"0cm\" fo:margin-left=\"0cm\"/></style:list-level-properties>\
                 </text:outline-level-style>"
            )
        })
        .collect();
    let mut header = xml(&s.title);
    if let Some(org) = &s.organisation {
        header.push_str("<text:tab/>");
        if let Some(logo) = &s.logo {
            header.push_str(&format!(
                "<draw:frame draw:style-name=\"Logo\" draw:name=\"Logo\" text:anchor-type=\"as-char\" svg:width=\"{:.2}cm\" \
                 svg:height=\"{:.2}cm\" draw:z-index=\"0\"><draw:image xlink:href=\"Pictures/logo.png\" xlink:type=\"simple\" \
                 xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"image/png\"/><svg:title>{}</svg:title></draw:frame> ",
                f64::from(logo.width_hmm()) / 1000.0,
                f64::from(LOGO_HEIGHT_HMM) / 1000.0,
                xml(&logo.alt)
            ));
        }
        header.push_str(&xml(org));
    }
    let footer = page_label(&s.labels.page, xml, |field| match field {
        PageField::Page => "<text:page-number text:select-page=\"current\">1</text:page-number>".to_string(),
        PageField::Pages => "<text:page-count>1</text:page-count>".to_string(),
    });
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {ODF_NS}>{fonts}<office:styles>\
         <style:default-style style:family=\"paragraph\"><style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.212cm\" \
         fo:line-height=\"108%\"/><style:text-properties style:font-name=\"{FONT}\" style:font-name-complex=\"{FONT}\" fo:font-size=\"11pt\" \
         style:font-size-complex=\"11pt\" fo:language=\"sv\" fo:country=\"SE\"/></style:default-style>\
         {styles}<text:outline-style style:name=\"Outline\">{outline}</text:outline-style></office:styles>\
         <office:automatic-styles><style:page-layout style:name=\"pm1\"><style:page-layout-properties fo:page-width=\"21cm\" \
         fo:page-height=\"29.7cm\" fo:margin-top=\"1.25cm\" fo:margin-bottom=\"1.25cm\" fo:margin-left=\"2.5cm\" fo:margin-right=\"2.5cm\"/>\
         <style:header-style><style:header-footer-properties fo:min-height=\"0.75cm\" fo:margin-bottom=\"0.5cm\"/></style:header-style>\
         <style:footer-style><style:header-footer-properties fo:min-height=\"0.75cm\" fo:margin-top=\"0.5cm\"/></style:footer-style>\
         </style:page-layout><style:style style:name=\"Logo\" style:family=\"graphic\"><style:graphic-properties \
         style:vertical-pos=\"middle\" style:vertical-rel=\"text\"/></style:style></office:automatic-styles>\
         <office:master-styles><style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">\
         <style:header><text:p text:style-name=\"Header\">{header}</text:p></style:header>\
         <style:footer><text:p text:style-name=\"Footer\">{footer}</text:p></style:footer>\
         </style:master-page></office:master-styles></office:document-styles>",
        fonts = o_font_faces(),
    )
}

/// The skeleton as an OpenDocument text.
pub fn odt(s: &Skeleton) -> Vec<u8> {
    let numbered = s.numbered_by_processor();
    let placed = s.placed();
    let l = &s.labels;
    let mut body = o_paragraph("Title", &s.title);
    for line in &s.intro {
        body.push_str(&o_paragraph("Text_20_body", line));
    }
    body.push_str(&o_paragraph("Caption", &l.info));
    let info: Vec<Vec<&str>> = l.info_rows(&s.title).iter().map(|(k, v)| vec![*k, *v]).collect();
    let (info_widths, log_widths) = (["6cm", "10cm"], ["2cm", "3cm", "7.5cm", "3.5cm"]);
    body.push_str(&o_table(&l.info, "Info", &info_widths, &info, false));
    body.push_str(&o_paragraph("Caption", &l.changes));
    let (columns, first) = l.change_log();
    body.push_str(&o_table(&l.changes, "Changes", &log_widths, &[columns.to_vec(), first.to_vec()], true));
    // The contents, delivered filled in.
    let entry = "<text:index-entry-link-start text:style-name=\"Index_20_Link\"/><text:index-entry-chapter/><text:index-entry-text/>\
        <text:index-entry-tab-stop style:type=\"right\" style:leader-char=\".\"/><text:index-entry-page-number/><text:index-entry-link-end/>";
    let templates: String = (1..=MAX_LEVEL)
        .map(|level| {
            format!(
                "<text:table-of-content-entry-template text:outline-level=\"{level}\" text:style-name=\"Contents_20_{level}\">{entry}</text:table-of-content-entry-template>"
            )
        })
        .collect();
    let contents = xml(&l.contents);
    body.push_str(&format!(
        "<text:table-of-content text:style-name=\"Contents\" text:protected=\"true\" text:name=\"{contents}\">\
         <text:table-of-content-source text:outline-level=\"{MAX_LEVEL}\"><text:index-title-template text:style-name=\"Contents_20_Heading\">{contents}</text:index-title-template>\
         {templates}</text:table-of-content-source><text:index-body><text:index-title text:style-name=\"Contents\" text:name=\"{contents}_Head\">\
         <text:p text:style-name=\"Contents_20_Heading\">{contents}</text:p></text:index-title>"
    ));
    for (i, h) in placed.iter().enumerate() {
        body.push_str(&format!(
            "<text:p text:style-name=\"Contents_20_{level}\"><text:a xlink:type=\"simple\" xlink:href=\"#__RefHeading___Toc{i}\" text:style-name=\"Index_20_Link\" text:visited-style-name=\"Index_20_Link\">{}<text:tab/>{}</text:a></text:p>",
            xml(&format!("{} {}", h.number, h.text)),
            h.page,
            level = h.level
        ));
    }
    body.push_str("</text:index-body></text:table-of-content>");
    for (i, h) in placed.iter().enumerate() {
        let (header, text) = if numbered {
            ("", h.text.to_string())
        } else {
            (" text:is-list-header=\"true\"", format!("{} {}", h.number, h.text))
        };
        body.push_str(&format!(
            "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\"{header}><text:bookmark-start text:name=\"__RefHeading___Toc{i}\"/>\
             {}<text:bookmark-end text:name=\"__RefHeading___Toc{i}\"/></text:h>{}",
            xml(&text),
            o_paragraph("Text_20_body", ""),
            level = h.level
        ));
    }
    let line = "0.5pt solid #000000";
    let mut cells = String::new();
    for (kind, background) in [("Label", " fo:background-color=\"#f2f2f2\""), ("Value", "")] {
        for (top, right) in [("", ""), ("T", ""), ("", "R"), ("T", "R")] {
            cells.push_str(&format!(
                "<style:style style:name=\"{kind}{top}{right}\" style:family=\"table-cell\"><style:table-cell-properties{background} \
                 fo:padding-left=\"0.19cm\" fo:padding-right=\"0.19cm\" fo:padding-top=\"0.1cm\" fo:padding-bottom=\"0.1cm\" \
                 fo:border-left=\"{line}\" fo:border-bottom=\"{line}\" fo:border-top=\"{}\" fo:border-right=\"{}\"/></style:style>",
                if top.is_empty() { "none" } else { line },
                if right.is_empty() { "none" } else { line },
            ));
        }
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {ODF_NS}>{fonts}<office:automatic-styles>\
         {info}{log}{cells}<style:style style:name=\"Contents\" style:family=\"section\"/></office:automatic-styles>\
         <office:body><office:text>{body}</office:text></office:body></office:document-content>",
        fonts = o_font_faces(),
        info = o_table_styles("Info", &info_widths),
        log = o_table_styles("Changes", &log_widths),
    );
    let meta = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {ODF_NS}><office:meta><meta:generator>metodbok</meta:generator>\
         <dc:title>{title}</dc:title><dc:description>{description}</dc:description><dc:language>{LANGUAGE}</dc:language>\
         <meta:initial-creator>{org}</meta:initial-creator><dc:creator>{org}</dc:creator></office:meta></office:document-meta>",
        title = xml(&s.title),
        description = xml(&l.additions),
        org = xml(&s.creator)
    );
    let picture = if s.logo.is_some() {
        "<manifest:file-entry manifest:full-path=\"Pictures/logo.png\" manifest:media-type=\"image/png\"/>"
    } else {
        ""
    };
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"{ODT_MIMETYPE}\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>{picture}\
         </manifest:manifest>"
    );
    let mut entries = vec![
        ("mimetype", ODT_MIMETYPE.as_bytes().to_vec(), true),
        ("META-INF/manifest.xml", manifest.into_bytes(), false),
        ("content.xml", content.into_bytes(), false),
        ("styles.xml", o_styles(s).into_bytes(), false),
        ("meta.xml", meta.into_bytes(), false),
    ];
    if let Some(logo) = &s.logo {
        entries.push(("Pictures/logo.png", logo.png.clone(), true));
    }
    package(&entries, s.date)
}

/* ---- Markdown (.md) --------------------------------------------------------------------- */

/// A Markdown table cell: pipes escaped.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The skeleton as Markdown: the title as `#`, the information table and change log, each
/// heading with its number one level below its parent.
pub fn markdown(s: &Skeleton) -> String {
    let mut out = format!("# {}\n\n", s.title);
    for line in &s.intro {
        out.push_str(line);
        out.push_str("\n\n");
    }
    let l = &s.labels;
    out.push_str(&format!("**{}**\n\n", l.info));
    for (i, (k, v)) in l.info_rows(&s.title).iter().enumerate() {
        out.push_str(&format!("| {} | {} |\n", md_cell(k), md_cell(v)).replace("|  |", "| |"));
        if i == 0 {
            out.push_str("|---|---|\n");
        }
    }
    let (columns, first) = l.change_log();
    out.push_str(&format!("\n**{}**\n\n", l.changes));
    for (i, row) in [columns, first].iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")).replace("|  |", "| |"));
        if i == 0 {
            out.push_str("|---|---|---|---|\n");
        }
    }
    out.push('\n');
    let numbers: Vec<&str> = s.headings.iter().map(|(n, _)| n.as_str()).collect();
    for ((number, text), level) in s.headings.iter().zip(levels(&numbers)) {
        out.push_str(&format!("{} {number} {text}\n\n\n", "#".repeat(level + 1)));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_levels_follow_the_closest_existing_parent() {
        assert_eq!(levels(&["1", "1.1", "3", "3.1.1", "3.1.3", "3.1.3.1", "4"]), [1, 2, 1, 2, 2, 3, 1]);
    }

    #[test]
    fn the_word_processor_numbers_a_skipped_level_as_one_and_restarts_under_a_new_parent() {
        let numbers = ["1", "1.1", "1.2", "2", "3", "3.1.1", "3.1.2", "3.1.2.1", "4", "4.1", "4.1.1"];
        assert_eq!(maintained_numbers(&depths(&numbers)), numbers);
        // Where counting cannot give the method's numbers: a level that goes on after a
        // skipped one, and a chapter that does not start at 1.
        assert_eq!(maintained_numbers(&depths(&["1", "1.1.1", "1.2"])), ["1", "1.1.1", "1.1"]);
        assert_eq!(maintained_numbers(&depths(&["2"])), ["1"]);
    }

    fn labels() -> Labels {
        let strings = crate::theme::Theme::embedded_strings("sv");
        Labels::from_strings(&strings)
    }

    fn sample(numbers: &[&str]) -> Skeleton {
        Skeleton {
            title: "Förstudierapport".into(),
            organisation: Some("Exempel & kommun".into()),
            creator: "Exempel & kommun".into(),
            intro: vec!["Fas 2: Ta fram lösningsalternativ".into()],
            headings: numbers.iter().map(|n| (n.to_string(), format!("Rubrik <{n}>"))).collect(),
            labels: labels(),
            logo: None,
            date: edition_date(Some("2013-06-19")),
        }
    }

    #[test]
    fn the_same_skeleton_gives_the_same_bytes() {
        let s = sample(&["1", "1.1"]);
        assert_eq!(docx(&s), docx(&s));
        assert_eq!(odt(&s), odt(&s));
    }

    #[test]
    fn every_heading_of_a_chapter_is_on_the_chapters_page_after_two_pages_of_front_matter() {
        let s = sample(&["1", "1.1", "2", "2.1.1", "3"]);
        let pages: Vec<usize> = s.placed().iter().map(|p| p.page).collect();
        assert_eq!(pages, [3, 3, 4, 4, 5]);
    }

    #[test]
    fn numbers_counting_cannot_give_are_typed_and_the_heading_left_out_of_the_numbering() {
        let s = sample(&["2", "2.1"]);
        assert!(!s.numbered_by_processor());
        let mut zip = zip::ZipArchive::new(Cursor::new(docx(&s))).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut document).unwrap();
        assert!(document.contains("<w:numId w:val=\"0\"/></w:numPr></w:pPr><w:bookmarkStart w:id=\"0\" w:name=\"_Toc0\"/><w:r><w:t xml:space=\"preserve\">2 Rubrik &lt;2&gt;</w:t>"), "{document}");
        let mut zip = zip::ZipArchive::new(Cursor::new(super::odt(&s))).unwrap();
        let mut content = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut content).unwrap();
        assert!(content.contains("text:is-list-header=\"true\"><text:bookmark-start text:name=\"__RefHeading___Toc0\"/>2 Rubrik &lt;2&gt;"), "{content}");
    }

    #[test]
    fn the_edition_date_dates_the_entries_and_a_missing_one_falls_back_to_version_1_0s() {
        assert_eq!(edition_date(Some("2014-03-01")), (2014, 3, 1));
        assert_eq!(edition_date(None), (2013, 6, 19));
        assert_eq!(edition_date(Some("i går")), (2013, 6, 19));
        let zip = zip::ZipArchive::new(Cursor::new(docx(&sample(&["1"])))).unwrap();
        let when = zip.clone().by_index(0).unwrap().last_modified().unwrap();
        assert_eq!((when.year(), when.month(), when.day()), (2013, 6, 19));
    }

    #[test]
    fn markdown_has_the_title_the_information_tables_and_every_heading_one_level_down() {
        let md = markdown(&sample(&["1", "1.1"]));
        assert!(md.starts_with("# Förstudierapport\n\nFas 2: Ta fram lösningsalternativ\n\n**Dokumentinformation**\n\n| Dokumentnamn | Förstudierapport |\n|---|---|\n| Utvecklingsinsats | |\n"), "{md}");
        assert!(md.ends_with("\n## 1 Rubrik <1>\n\n\n### 1.1 Rubrik <1.1>\n"), "{md}");
    }

    #[test]
    fn a_png_logo_keeps_its_size_and_an_svg_logo_is_drawn() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="#1f5c3a"/></svg>"##;
        let logo = Logo::from_file(svg, "svg", "Kommun").unwrap();
        assert_eq!((logo.width, logo.height), (756, 378));
        assert_eq!(png_size(&logo.png), Some((756, 378)));
        assert_eq!(logo.width_hmm(), 1600);
        let again = Logo::from_file(&logo.png, "png", "Kommun").unwrap();
        assert_eq!((again.width, again.height), (756, 378));
        assert!(Logo::from_file(b"GIF89a", "png", "Kommun").is_err());
    }
}
