//! Reading YAML into typed values with diagnostics that point at the file, line and column,
//! and that suggest the closest valid key when a key is unknown.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceFile, closest};

/// An id or reference as written in a file, with where it was written.
pub type Spanned<T> = serde_saphyr::Spanned<T>;

/// Parses `text` (which starts at line `line_offset + 1` of `file`) as a `T`.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, text: &str, line_offset: usize) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::at(file, line_offset + 1, 1, "the file is empty; expected a YAML mapping"));
    }
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| to_diagnostic(file, &e, line_offset))
}

/// Converts a serde-saphyr error into our diagnostic, rewording the messages an author sees.
pub fn to_diagnostic(file: &SourceFile, err: &serde_saphyr::Error, line_offset: usize) -> Diagnostic {
    let (line, column) = err.location().map(|l| (l.line() as usize, l.column() as usize)).unwrap_or((1, 1));
    let raw = err.without_snippet().to_string();
    let message = strip_location_suffix(&raw).to_string();
    let (message, help) = reword(&message);
    let (line, column) = if message.starts_with("missing required key") {
        mapping_start(text_of(file), line + line_offset, column)
    } else {
        (line + line_offset, column)
    };
    let syntax = help.is_none() && !message.contains("invalid type") && !message.contains("invalid value");
    let help = help.or_else(|| if syntax { unclosed_before(text_of(file), line) } else { None });
    let mut d = Diagnostic::at(file, line, column, message);
    if let Some(word) = d.message.strip_prefix("unknown key `").and_then(|r| r.split('`').next()) {
        d.length = word.chars().count();
    }
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

fn text_of(file: &SourceFile) -> &str {
    &file.text
}

/// The first line of the mapping that has a key at `line:column`: a missing key belongs to
/// the whole mapping, so that is where it is reported.
fn mapping_start(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let indent = column.saturating_sub(1);
    let mut best = line;
    for l in (1..line.min(lines.len() + 1)).rev() {
        let s = lines[l - 1];
        let trimmed = s.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let ind = s.len() - trimmed.len();
        if ind < indent {
            if trimmed.starts_with("- ") && ind + 2 == indent {
                best = l;
            }
            break;
        }
        if ind == indent {
            best = l;
        }
    }
    (best, column)
}

/// For a syntax error: a `[` or `{` opened on one of the lines before and never closed is
/// the usual cause, and the parser only notices later.
fn unclosed_before(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let from = line.saturating_sub(6).max(1);
    for l in (from..line).rev() {
        let s = lines.get(l - 1)?;
        let (mut depth_sq, mut depth_br, mut quote) = (0i32, 0i32, None);
        for c in s.chars() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') => break,
                (None, '[') => depth_sq += 1,
                (None, ']') => depth_sq -= 1,
                (None, '{') => depth_br += 1,
                (None, '}') => depth_br -= 1,
                _ => {}
            }
        }
        if depth_sq > 0 {
            return Some(format!("line {l} opens a `[` that is not closed"));
        }
        if depth_br > 0 {
            return Some(format!("line {l} opens a `{{` that is not closed"));
        }
        if quote.is_some() {
            return Some(format!("line {l} opens a quotation mark that is not closed"));
        }
    }
    Some("check this line and the one before it for indentation, quotation marks and brackets".into())
}

fn strip_location_suffix(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(", column ") => &msg[..i],
        _ => msg,
    }
}

/// Turns serde's developer wording into an author's, with a suggestion where one exists.
fn reword(msg: &str) -> (String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (wrong, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let valid = expected_list(tail);
        return unknown("key", wrong, &valid);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (wrong, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let valid = expected_list(tail);
        return unknown("value", wrong, &valid);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (format!("missing required key `{field}`"), Some(format!("add `{field}: ...` to this mapping")));
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (format!("the key `{key}` appears twice in this mapping"), Some("keep only one of them".into()));
    }
    (msg.to_string(), None)
}

fn unknown(what: &str, wrong: &str, valid: &[String]) -> (String, Option<String>) {
    let message = format!("unknown {what} `{wrong}`");
    let help = match closest(wrong, valid.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? Valid {what}s here: {}", valid.join(", ")),
        None if valid.is_empty() => "no keys are allowed here".to_string(),
        None => format!("valid {what}s here: {}", valid.join(", ")),
    };
    (message, Some(help))
}

fn expected_list(tail: &str) -> Vec<String> {
    let Some(i) = tail.find("expected") else { return Vec::new() };
    let list = tail[i + "expected".len()..].trim().trim_start_matches("one of").trim();
    if list.starts_with("no") && list.contains("fields") {
        return Vec::new();
    }
    list.split([',', ' '])
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty() && *s != "or")
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_closest_key() {
        let (m, h) = reword("unknown field `titel`, expected one of title, language, logo");
        assert_eq!(m, "unknown key `titel`");
        assert!(h.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn serde_backtick_forms_are_understood() {
        assert_eq!(expected_list(", expected `a` or `b`"), vec!["a", "b"]);
        assert_eq!(expected_list(", expected one of `a`, `bb`, `c`"), vec!["a", "bb", "c"]);
    }
}
