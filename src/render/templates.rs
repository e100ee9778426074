//! Compiling the theme's templates with tera 2, turning tera's errors into diagnostics
//! that name the template file, line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::theme::Theme;

/// Compiles every template of `theme`. Each template is first parsed alone so that every
/// syntax error is reported, not only the first.
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
            Err(_) => diagnostics.push(Diagnostic::file(path, "a template must be UTF-8 text")),
        }
    }
    for (name, text) in &sources {
        let mut alone = tera::Tera::new();
        if let Err(e) = alone.add_raw_template(name, text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            diagnostics.push(files.diagnostic(&e, name));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        return Err(vec![files.diagnostic(&e, "")]);
    }
    Ok((tera, files))
}

/// The template sources, to point diagnostics into them.
#[derive(Debug, Default, Clone)]
pub struct TemplateFiles(BTreeMap<String, SourceFile>);

impl TemplateFiles {
    /// A problem in what template `name` rendered: at the first place a template has
    /// `needle` literally (the page's own template first), or else at `name` as a whole.
    pub fn spot(&self, name: &str, needle: &str, message: String) -> Diagnostic {
        let own = self.0.get(name).into_iter();
        let others = self.0.iter().filter(|(n, _)| n.as_str() != name).map(|(_, f)| f);
        if !needle.is_empty() {
            for file in own.chain(others) {
                if let Some(at) = file.text.find(needle) {
                    let before = &file.text[..at];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                    return Diagnostic::at(file, line, column, message).with_length(needle.chars().count());
                }
            }
        }
        match self.0.get(name) {
            Some(file) => Diagnostic::file(file.display_path.clone(), message),
            None => Diagnostic::file(PathBuf::from("templates").join(name), message),
        }
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
                        Diagnostic::at(file, span.start_line, span.start_col + 1, message).with_length(len)
                    }
                    None => Diagnostic::file(PathBuf::from("templates").join(name), message),
                }
            }
            None => {
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
