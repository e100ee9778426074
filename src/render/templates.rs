//! Compiling the theme's templates with tera 2, turning tera's errors into diagnostics
//! that name the template file, line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile, at_text};
use crate::theme::Theme;

/// Compiles every template of `theme`. When that fails, each template is parsed alone so
/// that every syntax error is reported, not only the first.
pub fn compile(theme: &Theme) -> Result<(tera::Tera, TemplateFiles), Vec<Diagnostic>> {
    let mut files = TemplateFiles::default();
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut diagnostics = Vec::new();
    for (name, file) in theme.templates() {
        let path = file.display_path(&format!("templates/{name}"));
        match String::from_utf8(file.bytes.clone()) {
            Ok(text) => {
                files.0.insert(name.to_string(), SourceFile { display_path: path, text: Arc::from(text.as_str()) });
                sources.push((name.to_string(), text));
            }
            Err(e) => diagnostics.push(crate::diagnostic::not_utf8(&path, &e, "this template").0),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) else {
        return Ok((tera, files));
    };
    // Tera stops at the first mistake; each template parsed alone reports every syntax error.
    for (name, text) in &sources {
        let mut alone = tera::Tera::new();
        if let Err(e) = alone.add_raw_template(name, text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            diagnostics.push(files.diagnostic(&e, name));
        }
    }
    if diagnostics.is_empty() {
        diagnostics.push(files.diagnostic(&e, ""));
    }
    Err(diagnostics)
}

/// The five characters tera's own escaping escapes (`&`, `<`, `>`, `"` and `'`) as references,
/// written a run of plain text at a time rather than a byte at a time (escaping took more of
/// rendering than anything but the template's own instructions). `"` is written `&#34;`, not
/// tera's `&quot;`: every page is parsed as it is rendered, and a parser looks a named
/// reference up letter by letter, where a number is read as it comes; the scripts' interface
/// strings, JSON in an attribute, held about 8,000 of them. The parsed page, and so the
/// minified one, is the same.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let reference: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&#34;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(reference)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
}

/// The template sources, to point diagnostics into them.
#[derive(Debug, Default, Clone)]
pub struct TemplateFiles(BTreeMap<String, SourceFile>);

impl TemplateFiles {
    /// Every template's text, in name order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(|f| &*f.text)
    }

    /// Every template's name and text: what rendering depends on besides a page's context.
    pub(crate) fn sources(&self) -> Vec<(String, String)> {
        self.0.iter().map(|(name, f)| (name.clone(), f.text.to_string())).collect()
    }

    /// The file of template `name` as the author knows it.
    pub fn display_path(&self, name: &str) -> PathBuf {
        self.0.get(name).map(|f| f.display_path.clone()).unwrap_or_else(|| PathBuf::from("templates").join(name))
    }

    /// A problem in what template `name` rendered: at the first place a template has
    /// `needle` literally (the page's own template first), or else at `name` as a whole.
    pub fn spot(&self, name: &str, needle: &str, message: String) -> Diagnostic {
        let own = self.0.get(name).into_iter();
        let others = self.0.iter().filter(|(n, _)| n.as_str() != name).map(|(_, f)| f);
        if !needle.is_empty()
            && let Some(d) = own.chain(others).find_map(|file| at_text(file, needle, message.clone()))
        {
            return d;
        }
        match self.0.get(name) {
            Some(file) => Diagnostic::file(file.display_path.clone(), message),
            None => Diagnostic::file(PathBuf::from("templates").join(name), message),
        }
    }

    /// A template that includes or extends itself (directly or through others), or extends
    /// or includes one that does not exist: at the line of the `{% include %}` or
    /// `{% extends %}` that closes the cycle or names the missing template.
    fn chain_diagnostic(&self, e: &tera::Error) -> Option<Diagnostic> {
        let (from, to, message, help) = match e.kind() {
            tera::ErrorKind::CircularInclude { include_chain, .. }
            | tera::ErrorKind::CircularExtend { inheritance_chain: include_chain, .. } => {
                let n = include_chain.len();
                let (from, to) = (include_chain.get(n.checked_sub(2)?)?, include_chain.get(n - 1)?);
                let start = include_chain.iter().position(|t| t == to).unwrap_or(0);
                let cycle = include_chain[start..].join(" → ");
                let message = if from == to {
                    format!("the template `{from}` includes itself, so it would never finish")
                } else {
                    format!("templates include each other in a circle ({cycle}), so they would never finish")
                };
                (from.clone(), to.clone(), message, "remove the include (or extends) that closes the circle")
            }
            tera::ErrorKind::MissingParent { current, parent } => (
                current.clone(),
                parent.clone(),
                format!("the template `{current}` extends `{parent}`, which does not exist"),
                "correct the name in {% extends %}; theme templates are named as in themes/default/templates/",
            ),
            _ => return None,
        };
        let file = self.0.get(&from)?;
        let needle = format!("\"{to}\"");
        let d = at_text(file, &needle, message.clone())
            .unwrap_or_else(|| Diagnostic::file(file.display_path.clone(), message));
        Some(d.with_help(help))
    }

    /// A tera error as a diagnostic; `fallback` names the template when tera does not.
    pub fn diagnostic(&self, e: &tera::Error, fallback: &str) -> Diagnostic {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        match report {
            Some(r) => {
                let name = if r.filename().is_empty() { fallback } else { r.filename() };
                let span = r.span();
                let message = format!("template error: {}", r.message());
                match self.0.get(name) {
                    Some(file) => {
                        let len = if span.end_line == span.start_line {
                            span.end_col.saturating_sub(span.start_col)
                        } else {
                            1
                        };
                        if let Some(d) = missing_string(file, span.start_line, span.start_col, len, r.message()) {
                            return d;
                        }
                        Diagnostic::at(file, span.start_line, span.start_col + 1, message).with_length(len)
                    }
                    None => Diagnostic::file(PathBuf::from("templates").join(name), message),
                }
            }
            None => {
                if let Some(d) = self.chain_diagnostic(e) {
                    return d;
                }
                let path = self
                    .0
                    .get(fallback)
                    .map(|f| f.display_path.clone())
                    .unwrap_or_else(|| PathBuf::from("templates").join(fallback));
                Diagnostic::file(path, format!("template error: {e}"))
            }
        }
    }
}

/// A template that asks for an interface string that does not exist (`{{ t.outlines }}`):
/// tera says the field is not defined and lists every key; this names the one asked for and
/// the closest that exists.
fn missing_string(file: &SourceFile, line: usize, column: usize, len: usize, message: &str) -> Option<Diagnostic> {
    let key = message.strip_prefix("Field `")?.split('`').next()?;
    let line_text = file.text.lines().nth(line.checked_sub(1)?)?;
    let before: String = line_text.chars().take(column).collect();
    if !before.trim_end().ends_with("t.") {
        return None;
    }
    let keys = message.split("Available fields: ").nth(1)?.split(", ").map(str::trim);
    let help = match crate::diagnostic::closest(key, keys) {
        Some(best) => format!("did you mean `{best}`? "),
        None => String::new(),
    };
    Some(
        Diagnostic::at(file, line, column + 1, format!("there is no interface string `{key}`"))
            .with_length(len)
            .with_help(format!(
                "{help}the strings are in the theme's i18n/sv.yaml and i18n/en.yaml; a site changes one under `strings:` in metodbok.yaml"
            )),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_escapes_what_teras_own_escaping_escapes_and_parses_to_the_same_text() {
        for text in ["", "plain", "a & b < c > d \"e\" 'f'", "&&<<", "å/ä ö’ & end&", "<script>alert('x')</script>"]
        {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            let (ours, teras) = (String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap());
            assert_eq!(ours, teras.replace("&quot;", "&#34;"));
            // In text and in an attribute, a parser reads the original back.
            let doc = scraper::Html::parse_fragment(&format!("<p title=\"{ours}\">{ours}</p>"));
            let p = doc.select(&scraper::Selector::parse("p").unwrap()).next().unwrap();
            assert_eq!(p.attr("title"), Some(text), "{ours}");
            assert_eq!(p.text().collect::<String>(), text, "{ours}");
        }
    }
}
