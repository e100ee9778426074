//! Document skeletons: every heading template of the method as a document to start writing
//! in, in Word (`.docx`, Office Open XML), OpenDocument (`.odt`) and Markdown (`.md`).
//!
//! Each holds the document's title, the publishing organisation, the phase and the purpose
//! from the method, and every numbered heading of the template as a real heading (Heading 1–4
//! in Word, "Rubrik 1–4" in a Swedish Word; `text:h` with an outline level in ODF), numbered
//! as the method numbers it, with an empty paragraph to write in under each. The packages
//! are written here with the `zip` crate, with styles of our own; entries, their order and
//! their timestamps are fixed, so the same input gives the same bytes.
//!
//! A heading's level is its depth under the closest existing parent (as on the template's
//! page): the method goes from 3 straight to 3.1.1, which as level 3 under level 1 would
//! leave a gap in the document's heading structure.

use std::io::{Cursor, Write};

use zip::CompressionMethod;

use crate::content::model::outline_parents;
use zip::write::{SimpleFileOptions, ZipWriter};

/// The language every skeleton is marked with.
pub const LANGUAGE: &str = "sv-SE";

/// What a skeleton holds.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// The document's name: "Förstudierapport".
    pub title: String,
    /// Who publishes it (the site's organisation); also the document's creator.
    pub organisation: String,
    /// Lines under the title: the phase, the purpose, where the headings come from.
    pub intro: Vec<String>,
    /// (number, text, level 1–4), in the method's order.
    pub headings: Vec<(String, String, usize)>,
}

impl Skeleton {
    fn numbered(&self) -> impl Iterator<Item = (String, usize)> + '_ {
        self.headings.iter().map(|(n, t, l)| (format!("{n} {t}"), *l))
    }
}

/// The levels of `numbers` (method numbering) in the word processor: one deeper than the
/// heading's parent by [`outline_parents`] (the rule the handbook's page follows), 1 for a
/// heading with none, at most 4.
pub fn levels(numbers: &[&str]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for parent in outline_parents(numbers) {
        out.push(parent.map_or(1, |j| out[j] + 1).min(4));
    }
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A zip package of `entries` in the order given, deflated except where `stored` says.
fn package(entries: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, stored) in entries {
        let options = SimpleFileOptions::default()
            .compression_method(if *stored { CompressionMethod::Stored } else { CompressionMethod::Deflated })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        zip.start_file(*name, options).expect("a zip entry starts in memory");
        zip.write_all(bytes).expect("writing to memory");
    }
    zip.finish().expect("a zip finishes in memory").into_inner()
}

/// A zip of ready files (name, bytes), for a phase's skeletons.
pub fn zip_of(files: &[NamedFile]) -> Vec<u8> {
    let entries: Vec<(&str, Vec<u8>, bool)> = files.iter().map(|(n, b)| (n.as_str(), b.clone(), false)).collect();
    package(&entries)
}

/* ---- The site's skeletons --------------------------------------------------------------- */

/// The formats of a template's skeleton, as file extensions, in the order offered.
pub const FORMATS: [&str; 3] = ["docx", "odt", "md"];

/// A file to write: output path (or name inside a zip) and bytes.
pub type NamedFile = (String, Vec<u8>);

/// The skeleton of every heading template, in every format, and per phase a zip of the
/// skeletons of the documents the phase produces: (output path, bytes).
pub fn site_files(
    content: &crate::content::Content,
    config: &crate::config::Config,
    strings: &std::collections::BTreeMap<String, String>,
) -> Vec<NamedFile> {
    let t = |k: &str| strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let organisation = config.organisation.as_ref().map(|o| o.name.clone());
    let mut out = Vec::new();
    // Per template: the document it is for and its three files.
    let mut made: Vec<(&str, Vec<NamedFile>)> = Vec::new();
    for tpl in &content.heading_templates {
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
        let numbers: Vec<&str> = tpl.headings.iter().map(|h| h.number.value.as_str()).collect();
        let skeleton = Skeleton {
            title: document.map_or_else(|| tpl.title.clone(), |d| d.name.clone()),
            organisation: organisation.clone().unwrap_or_else(|| config.title.clone()),
            intro,
            headings: tpl
                .headings
                .iter()
                .zip(levels(&numbers))
                .map(|(h, level)| (h.number.value.clone(), h.text.clone(), level))
                .collect(),
        };
        let files = vec![
            (format!("{}.docx", tpl.document.value), docx(&skeleton)),
            (format!("{}.odt", tpl.document.value), odt(&skeleton)),
            (format!("{}.md", tpl.document.value), markdown(&skeleton).into_bytes()),
        ];
        for (ext, (_, bytes)) in FORMATS.iter().zip(&files) {
            out.push((crate::paths::skeleton(&tpl.id.value, ext), bytes.clone()));
        }
        made.push((document.map_or("", |d| d.phase.value.as_str()), files));
    }
    for ph in &content.phases {
        let files: Vec<NamedFile> =
            made.iter().filter(|(phase, _)| *phase == ph.id.value).flat_map(|(_, f)| f.iter().cloned()).collect();
        if !files.is_empty() {
            out.push((crate::paths::phase_skeletons(&ph.id.value), zip_of(&files)));
        }
    }
    out
}

/* ---- Office Open XML (.docx) ----------------------------------------------------------- */

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn w_paragraph(style: Option<&str>, text: &str) -> String {
    let ppr = style.map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")).unwrap_or_default();
    if text.is_empty() {
        format!("<w:p>{ppr}</w:p>")
    } else {
        format!("<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml(text))
    }
}

fn w_heading_style(level: usize, size_half_points: u32) -> String {
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"80\"/><w:outlineLvl w:val=\"{lvl}\"/></w:pPr>\
         <w:rPr><w:b/><w:bCs/><w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/></w:rPr></w:style>",
        before = if level == 1 { 360 } else { 240 },
        lvl = level - 1
    )
}

/// The skeleton as a Word document (Office Open XML).
pub fn docx(s: &Skeleton) -> Vec<u8> {
    let mut body = String::new();
    body.push_str(&w_paragraph(Some("Title"), &s.title));
    for line in &s.intro {
        body.push_str(&w_paragraph(None, line));
    }
    for (text, level) in s.numbered() {
        body.push_str(&w_paragraph(Some(&format!("Heading{level}")), &text));
        body.push_str(&w_paragraph(None, ""));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{W}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" \
         w:left=\"1417\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let headings: String =
        [(1, 32), (2, 28), (3, 26), (4, 24)].iter().map(|(l, size)| w_heading_style(*l, *size)).collect();
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{LANGUAGE}\" w:eastAsia=\"{LANGUAGE}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"160\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
         <w:uiPriority w:val=\"10\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/></w:rPr></w:style>\
         {headings}</w:styles>"
    );
    let settings = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"1304\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"{LANGUAGE}\"/></w:settings>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
        <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
        <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
        <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
        <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
        </Relationships>";
    let document_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
        </Relationships>";
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator>\
         <dc:language>{LANGUAGE}</dc:language></cp:coreProperties>",
        xml(&s.title),
        xml(&s.organisation)
    );
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>metodbok</Application></Properties>";
    package(&[
        ("[Content_Types].xml", content_types.into(), false),
        ("_rels/.rels", rels.into(), false),
        ("docProps/core.xml", core.into_bytes(), false),
        ("docProps/app.xml", app.into(), false),
        ("word/_rels/document.xml.rels", document_rels.into(), false),
        ("word/document.xml", document.into_bytes(), false),
        ("word/styles.xml", styles.into_bytes(), false),
        ("word/settings.xml", settings.into_bytes(), false),
    ])
}

/* ---- OpenDocument Text (.odt) ---------------------------------------------------------- */

/// The media type of an OpenDocument text, which is also its `mimetype` entry.
pub const ODT_MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

const ODF_NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
    xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
    xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
    xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
    xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" \
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\"";

/// The skeleton as an OpenDocument text.
pub fn odt(s: &Skeleton) -> Vec<u8> {
    let mut body = format!("<text:p text:style-name=\"Title\">{}</text:p>", xml(&s.title));
    for line in &s.intro {
        body.push_str(&format!("<text:p text:style-name=\"Text_20_body\">{}</text:p>", xml(line)));
    }
    for (text, level) in s.numbered() {
        body.push_str(&format!(
            "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\">{}</text:h>\
             <text:p text:style-name=\"Text_20_body\"/>",
            xml(&text)
        ));
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {ODF_NS}><office:body><office:text>{body}\
         </office:text></office:body></office:document-content>"
    );
    let heading = |level: usize, size: &str| {
        format!(
            "<style:style style:name=\"Heading_20_{level}\" style:display-name=\"Heading {level}\" style:family=\"paragraph\" \
             style:parent-style-name=\"Heading\" style:next-style-name=\"Text_20_body\" style:default-outline-level=\"{level}\" \
             style:class=\"text\"><style:text-properties fo:font-size=\"{size}\" fo:font-weight=\"bold\"/></style:style>"
        )
    };
    let outline: String =
        (1..=10).map(|l| format!("<text:outline-level-style text:level=\"{l}\" style:num-format=\"\"/>")).collect();
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {ODF_NS}><office:styles>\
         <style:default-style style:family=\"paragraph\"><style:text-properties fo:font-size=\"11pt\" fo:language=\"sv\" fo:country=\"SE\"/></style:default-style>\
         <style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>\
         <style:style style:name=\"Text_20_body\" style:display-name=\"Text body\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"text\">\
         <style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.25cm\"/></style:style>\
         <style:style style:name=\"Title\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:next-style-name=\"Text_20_body\" style:class=\"chapter\">\
         <style:paragraph-properties fo:margin-bottom=\"0.4cm\"/><style:text-properties fo:font-size=\"24pt\" fo:font-weight=\"bold\"/></style:style>\
         <style:style style:name=\"Heading\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:next-style-name=\"Text_20_body\" style:class=\"text\">\
         <style:paragraph-properties fo:margin-top=\"0.42cm\" fo:margin-bottom=\"0.14cm\" fo:keep-with-next=\"always\"/></style:style>\
         {}{}{}{}<text:outline-style style:name=\"Outline\">{outline}</text:outline-style></office:styles>\
         <office:automatic-styles><style:page-layout style:name=\"pm1\"><style:page-layout-properties fo:page-width=\"21cm\" \
         fo:page-height=\"29.7cm\" fo:margin-top=\"2.5cm\" fo:margin-bottom=\"2.5cm\" fo:margin-left=\"2.5cm\" fo:margin-right=\"2.5cm\"/>\
         </style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name=\"Standard\" \
         style:page-layout-name=\"pm1\"/></office:master-styles></office:document-styles>",
        heading(1, "16pt"),
        heading(2, "14pt"),
        heading(3, "13pt"),
        heading(4, "12pt"),
    );
    let meta = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {ODF_NS}><office:meta><meta:generator>metodbok</meta:generator>\
         <dc:title>{title}</dc:title><dc:language>{LANGUAGE}</dc:language><meta:initial-creator>{org}</meta:initial-creator>\
         <dc:creator>{org}</dc:creator></office:meta></office:document-meta>",
        title = xml(&s.title),
        org = xml(&s.organisation)
    );
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"{ODT_MIMETYPE}\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\
         </manifest:manifest>"
    );
    package(&[
        ("mimetype", ODT_MIMETYPE.into(), true),
        ("META-INF/manifest.xml", manifest.into_bytes(), false),
        ("content.xml", content.into_bytes(), false),
        ("styles.xml", styles.into_bytes(), false),
        ("meta.xml", meta.into_bytes(), false),
    ])
}

/* ---- Markdown (.md) --------------------------------------------------------------------- */

/// The skeleton as Markdown: the title as `#`, each heading one level below.
pub fn markdown(s: &Skeleton) -> String {
    let mut out = format!("# {}\n\n", s.title);
    for line in &s.intro {
        out.push_str(line);
        out.push_str("\n\n");
    }
    for (text, level) in s.numbered() {
        out.push_str(&format!("{} {text}\n\n\n", "#".repeat(level + 1)));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_closest_existing_parent() {
        assert_eq!(levels(&["1", "1.1", "3", "3.1.1", "3.1.3", "3.1.3.1", "4"]), [1, 2, 1, 2, 2, 3, 1]);
    }

    fn sample() -> Skeleton {
        Skeleton {
            title: "Förstudierapport".into(),
            organisation: "Exempel & kommun".into(),
            intro: vec!["Fas 2: Ta fram lösningsalternativ".into()],
            headings: vec![("1".into(), "Syfte".into(), 1), ("1.1".into(), "Bakgrund <kort>".into(), 2)],
        }
    }

    #[test]
    fn the_same_skeleton_gives_the_same_bytes() {
        assert_eq!(docx(&sample()), docx(&sample()));
        assert_eq!(odt(&sample()), odt(&sample()));
    }

    #[test]
    fn markdown_has_the_title_and_every_heading_one_level_down() {
        assert_eq!(
            markdown(&sample()),
            "# Förstudierapport\n\nFas 2: Ta fram lösningsalternativ\n\n## 1 Syfte\n\n\n### 1.1 Bakgrund <kort>\n"
        );
    }
}
