//! Diagnostics: what went wrong in a site, where (file, line, column) and what would be
//! right. Every stage reports problems as [`Diagnostic`] values and collects them, so one run
//! shows every mistake. Rendering to a terminal goes through miette; the preview server
//! (later) will send the same values to the browser.
//!
//! Not for: internal bugs or I/O failures of the output folder; those are [`crate::Error`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A text file of the site that a diagnostic can point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the author: relative to the site folder where possible.
    pub display_path: PathBuf,
    pub text: Arc<str>,
}

/// One problem in the site, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site folder (or as given).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What would be right, when we can tell (for example the closest valid id).
    pub help: Option<String>,
    /// The text of the file, for a snippet.
    pub source: Option<Arc<str>>,
    /// Length of the offending text in characters (at least 1 when shown).
    pub length: usize,
}

impl Diagnostic {
    /// A problem at `line:column` of `file`.
    pub fn at(file: &SourceFile, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.display_path.clone(),
            line,
            column,
            message: message.into(),
            help: None,
            source: Some(file.text.clone()),
            length: 1,
        }
    }

    /// A problem with a whole file (it is missing, unreadable, ...).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source: None,
            length: 0,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_length(mut self, length: usize) -> Self {
        self.length = length.max(1);
        self
    }

    /// `file:line:column`, the form editors and terminals turn into a link.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.display().to_string(),
            (l, 0) => format!("{}:{}", self.file.display(), l),
            (l, c) => format!("{}:{}:{}", self.file.display(), l, c),
        }
    }

    /// Byte offset of `line:column` in the source, for the snippet label.
    fn byte_offset(&self) -> Option<usize> {
        let src = self.source.as_deref()?;
        if self.line == 0 {
            return None;
        }
        let mut offset = 0;
        for (i, line) in src.split_inclusive('\n').enumerate() {
            if i + 1 == self.line {
                let col = self.column.max(1) - 1;
                let within = line.char_indices().nth(col).map(|(b, _)| b).unwrap_or(line.trim_end_matches('\n').len());
                return Some(offset + within);
            }
            offset += line.len();
        }
        Some(src.len())
    }

    fn byte_length(&self, start: usize) -> usize {
        let src = self.source.as_deref().unwrap_or("");
        let rest = &src[start.min(src.len())..];
        let line_rest = rest.split('\n').next().unwrap_or("");
        line_rest
            .char_indices()
            .nth(self.length.max(1))
            .map(|(b, _)| b)
            .unwrap_or(line_rest.len())
            .max(if line_rest.is_empty() { 0 } else { 1 })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// A diagnostic as miette renders it: the message, then the file's name with the line and
/// column and the offending line marked.
#[derive(Debug)]
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<CharColumns>,
    /// Shown as a warning rather than an error.
    warning: bool,
}

/// The file's text for miette, with columns counted in characters as editors count them
/// (miette counts bytes, which is off by one for every å, ä and ö before the spot).
#[derive(Debug)]
struct CharColumns {
    name: String,
    text: String,
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_some() { write!(f, "{}", self.diagnostic.message) } else { write!(f, "{}", self.diagnostic) }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning { miette::Severity::Warning } else { miette::Severity::Error })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let start = self.diagnostic.byte_offset()?;
        let len = self.diagnostic.byte_length(start);
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            (start, len),
        ))))
    }
}

/// How diagnostics are written to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

impl ColorChoice {
    /// Colour only when `stream_is_terminal` (or `CLICOLOR_FORCE` is set, for tools that
    /// capture output), and never when `NO_COLOR` is set (https://no-color.org).
    pub fn detect(stream_is_terminal: bool) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        if set("NO_COLOR") {
            ColorChoice::Never
        } else if stream_is_terminal || set("CLICOLOR_FORCE") {
            ColorChoice::Always
        } else {
            ColorChoice::Never
        }
    }
}

/// Writes every diagnostic, then a count, in the form an author reads in a terminal.
pub fn render_all(diagnostics: &[Diagnostic], color: ColorChoice) -> String {
    let mut out = render(diagnostics, color, false);
    let n = diagnostics.len();
    out.push_str(&format!("{} {} found; nothing was written.\n", n, if n == 1 { "problem" } else { "problems" }));
    out
}

/// Writes warnings (what does not stop the run), then a count; nothing when there are none.
pub fn render_warnings(diagnostics: &[Diagnostic], color: ColorChoice) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let mut out = render(diagnostics, color, true);
    let n = diagnostics.len();
    out.push_str(&format!("{n} {} to review.\n", if n == 1 { "warning" } else { "warnings" }));
    out
}

fn render(diagnostics: &[Diagnostic], color: ColorChoice, warning: bool) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let theme = match color {
        ColorChoice::Always => GraphicalTheme::unicode(),
        ColorChoice::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics {
        let source = match (&d.source, d.line) {
            (Some(text), 1..) if snippet_fits(text, d.line) => {
                Some(CharColumns { name: d.file.display().to_string(), text: text.to_string() })
            }
            _ => None,
        };
        let report = Report { diagnostic: d, source, warning };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {d}\n", if warning { "warning" } else { "error" }));
        }
        out.push('\n');
    }
    out
}

/// Whether the lines around `line` are short enough to show: a snippet of a line of
/// thousands of characters helps nobody (and miette cannot pad past 65,535 columns).
fn snippet_fits(text: &str, line: usize) -> bool {
    const LONGEST: usize = 1_000;
    text.lines().skip(line.saturating_sub(2)).take(3).all(|l| l.len() <= LONGEST)
}

/// The valid name closest to `wrong`, if one is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wrong.to_lowercase(), &c.to_lowercase());
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.filter(|(_, s)| *s >= 0.7).map(|(c, _)| c)
}

/// Reads a text file of the site. A file that is not UTF-8 is an error at the line and
/// column of its first byte that is not (the text is then returned as far as it can be
/// read, with the error, so the caller can still tell what the file names).
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Box<(Diagnostic, Option<String>)>> {
    let bytes =
        std::fs::read(path).map_err(|e| Box::new((Diagnostic::file(shown, format!("cannot read: {e}")), None)))?;
    String::from_utf8(bytes).map_err(|e| {
        let (d, lossy) = not_utf8(shown, &e, "this file");
        Box::new((d, Some(lossy)))
    })
}

/// `what` (a file, a template) is not UTF-8: the error at its first byte that is not, and
/// its text as far as it can be read.
pub fn not_utf8(shown: &Path, e: &std::string::FromUtf8Error, what: &str) -> (Diagnostic, String) {
    let bytes = e.as_bytes();
    let good = e.utf8_error().valid_up_to();
    let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
    let (line, column) = line_column(prefix, prefix.len());
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    let file = SourceFile { display_path: shown.to_path_buf(), text: Arc::from(lossy.as_str()) };
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    let help = if utf16 {
        "it looks like UTF-16; save it as UTF-8 (in most editors: Save as, encoding UTF-8)"
    } else {
        "save it as UTF-8 (in most editors: Save as, encoding UTF-8); ISO-8859-1 and Windows-1252 write å, ä \
         and ö differently"
    };
    let message = format!("{what} is not UTF-8 text: the byte 0x{:02X} here cannot be read", bytes[good]);
    (Diagnostic::at(&file, line, column, message).with_help(help), lossy)
}

/// The 1-based line and column (in characters) of byte `at` of `text`.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

/// A problem at the first place `needle` stands in `file`, if it stands there.
pub fn at_text(file: &SourceFile, needle: &str, message: impl Into<String>) -> Option<Diagnostic> {
    let at = file.text.find(needle)?;
    let (line, column) = line_column(&file.text, at);
    Some(Diagnostic::at(file, line, column, message).with_length(needle.chars().count()))
}

/// A path shown relative to `base` when it lies inside it.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}
