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
    let (line, column) = (line + line_offset, column);
    let text = text_of(file);
    let (message, help, kind) = match author_message(err.without_snippet()) {
        Some(m) => m,
        None => {
            let raw = err.without_snippet().to_string();
            let (message, help) = reword(strip_location_suffix(&raw));
            let kind = if help.is_some() { Kind::Field } else { Kind::Syntax };
            (message, help, kind)
        }
    };
    let (line, column) = match kind {
        _ if message.starts_with("missing required key") => mapping_start(text, line, column),
        Kind::Documents => separator_before(text, line).map_or((line, column), |l| (l, 1)),
        _ => (line, column),
    };
    // A quotation mark left open runs on until the next one; the parser notices only there.
    if kind == Kind::Syntax
        && let Some((open_line, open_col, until)) = quote_open_at(text, line, column)
    {
        return Diagnostic::at(file, open_line, open_col, "this quotation mark is not closed on its line").with_help(
            format!(
                "the value runs on to the next quotation mark, on line {until}, where the file stops making sense \
                 ({message}); close the quotation mark on line {open_line}"
            ),
        );
    }
    // A bracket or quotation mark left open on a line before is the likelier cause.
    let help = match (kind, unclosed_before(text, line)) {
        (Kind::Syntax, Some(open)) => Some(open),
        (Kind::Syntax, None) => help.or_else(|| {
            Some("check this line and the one before it for indentation, quotation marks and brackets".into())
        }),
        _ => help,
    };
    let mut d = Diagnostic::at(file, line, column, message);
    if let Some(word) = d.message.strip_prefix("unknown key `").and_then(|r| r.split('`').next()) {
        d.length = word.chars().count();
    }
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// What kind of mistake a YAML error is, for where to report it and what to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The text is not YAML.
    Syntax,
    /// A value of the wrong type.
    Type,
    /// An unknown, missing or repeated key or value.
    Field,
    /// More than one document.
    Documents,
}

/// An author's wording of serde-saphyr's errors, by kind (`None`: reword its message).
fn author_message(err: &serde_saphyr::Error) -> Option<(String, Option<String>, Kind)> {
    use serde_saphyr::Error as E;
    let typed = |message: String, help: Option<&str>| Some((message, help.map(str::to_string), Kind::Type));
    match err {
        E::MultipleDocuments { .. } => Some((
            "a `---` line here starts a second YAML document; a content file holds one".into(),
            Some("remove the `---` line (in a page, `---` only opens and closes the front matter)".into()),
            Kind::Documents,
        )),
        E::InvalidScalar { ty, .. } => typed(format!("expected {} here", expected_words(ty)), None),
        E::SerdeInvalidType { unexpected, expected, .. } | E::SerdeInvalidValue { unexpected, expected, .. } => {
            typed(format!("expected {}, found {}", expected_words(expected), found_words(unexpected)), None)
        }
        E::SerdeInvalidLength { len, expected, .. } => {
            typed(format!("expected {}, found {len} values", expected_words(expected)), None)
        }
        E::Unexpected { expected, .. } => typed(format!("expected {} here", expected_words(expected)), None),
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => {
            typed("a value is missing here".into(), Some("write the value after the colon, or remove the key"))
        }
        E::InvalidBooleanStrict { .. } => typed("expected true or false here".into(), None),
        E::UnknownAnchor { .. } => Some((
            "an alias (`*name`) here refers to an anchor (`&name`) that is not defined before it".into(),
            Some("define the anchor first, or write the value out".into()),
            Kind::Syntax,
        )),
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => Some((
            "this file is too large or too deeply nested to read: lists and mappings nest more than 64 levels, or \
             its aliases (`*name`) expand too much"
                .into(),
            Some("write the values out without anchors and aliases, and flatten the structure".into()),
            Kind::Type,
        )),
        E::Eof { .. } => Some(("the file ends before what was opened here is complete".into(), None, Kind::Syntax)),
        E::Message { msg, .. } | E::ExternalMessage { msg, .. } => {
            let (message, help) = syntax_words(msg);
            Some((message, help, Kind::Syntax))
        }
        _ => None,
    }
}

/// What serde expected, in an author's words.
fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    let unsigned = ["u8", "u16", "u32", "u64", "usize"];
    let signed = ["i8", "i16", "i32", "i64", "isize"];
    if unsigned.iter().any(|t| e == *t || e == format!("a {t}")) {
        "a whole number (0 or more)".into()
    } else if signed.contains(&e) {
        "a whole number".into()
    } else if e == "f32" || e == "f64" {
        "a number".into()
    } else if e.starts_with("struct ") || e == "a map" || e.contains("mapping") {
        "a mapping (lines of `key: value`)".into()
    } else if e == "a sequence" || e.contains("sequence") {
        "a list (lines starting with `- `)".into()
    } else if e == "a string" || e.contains("string") {
        "text".into()
    } else if e == "a boolean" || e == "bool" {
        "true or false".into()
    } else if e.starts_with("enum ") || e.contains("variant") {
        "one of the allowed values".into()
    } else {
        e.to_string()
    }
}

/// What serde found, in an author's words.
fn found_words(unexpected: &str) -> String {
    let u = unexpected.trim();
    let value = u.split_once(' ').map(|(_, v)| v.trim_matches(['`', '"'])).unwrap_or("");
    if u == "sequence" {
        "a list".into()
    } else if u == "map" {
        "a mapping".into()
    } else if u == "unit value" || u == "null" {
        "an empty value".into()
    } else if u.starts_with("string") {
        format!("the text \"{value}\"")
    } else if u.starts_with("integer") || u.starts_with("floating point") {
        format!("the number {value}")
    } else if u.starts_with("boolean") {
        format!("`{value}`")
    } else {
        u.to_string()
    }
}

/// The YAML parser's syntax messages, in an author's words, with what usually causes them.
fn syntax_words(msg: &str) -> (String, Option<String>) {
    let m = msg.to_ascii_lowercase();
    let said = |message: &str, help: &str| (message.to_string(), Some(help.to_string()));
    if m.contains("mapping values are not allowed") || m.contains("illegal placement of ':'") {
        said(
            "a `: ` here would start a mapping where none can start",
            "a value that holds `: ` must be in quotation marks, e.g. text: \"Syfte: att …\"",
        )
    } else if m.contains("simple key expected") || m.contains("did not find expected key") {
        said(
            "this line is not a `key: value` of the mapping it belongs to",
            "check its indentation against the lines above, and that a key is followed by `: `",
        )
    } else if m.contains("bom must not appear") {
        said(
            "an invisible byte order mark (U+FEFF) stands here, inside the file",
            "delete it (editors often show nothing there); it may only stand at the very start of a file",
        )
    } else if m.contains("comments must be separated") {
        said(
            "a `#` here starts a comment, which needs a space before it",
            "write a space before the #, or put the value in quotation marks if the # belongs to it",
        )
    } else if m.contains("unknown escape character") {
        said(
            "a backslash in double quotation marks starts an escape such as \\n, and this one is unknown",
            "write \\\\ for a backslash, or put the value in single quotation marks",
        )
    } else if m.contains("scanning a tag") || m.contains("scanning a directive") || m.contains("unsupported tag") {
        said(
            "a `!` or `%` here has a meaning of its own in YAML",
            "put a value that starts with ! or % in quotation marks",
        )
    } else if m.contains("only valid inside a block") || m.contains("block sequence entries are not allowed") {
        said("a list item (`- `) cannot start here", "start the list on a line of its own, under its key")
    } else if m.contains("did not find expected '-'") {
        said(
            "this line is not an item of the list it is indented under",
            "list items start with `- ` at the same indentation",
        )
    } else if m.contains("cannot start any token") || m.starts_with("unexpected character") {
        said(
            "this character cannot start a value",
            "indent with spaces, not tabs; put a value that starts with @, `, %, ! or | in quotation marks",
        )
    } else if m.contains("trailing content after") {
        said("text follows a closing quotation mark", "put the whole value inside the quotation marks")
    } else if m.contains("unclosed quote") {
        said("this quotation mark is never closed", "close it at the end of the value")
    } else if m.contains("unclosed bracket")
        || m.contains("misplaced bracket")
        || m.contains("flow mapping")
        || m.contains("flow sequence")
    {
        said(
            "the brackets here do not match",
            "every [ needs a ] and every { a }; put text that holds brackets in quotation marks",
        )
    } else if m.contains("block scalar") {
        said(
            "a `|` or `>` here must end its line (it starts a block of text on the lines below)",
            "write the text on the following lines, indented, or put the value in quotation marks",
        )
    } else if m.contains("mapping keys are not allowed") {
        said("a key cannot start here", "check the indentation of this line and the one above it")
    } else if m.contains("recursion limit") || m.contains("nesting limit") || m.contains("too deep") {
        said(
            "lists and mappings are too deeply nested here to read",
            "flatten the structure; no content file needs more than a few levels",
        )
    } else if m.contains("end of stream") || m.contains("unexpected end") || m.contains("unexpected eof") {
        said(
            "the file ends before what was opened here is complete",
            "close the quotation mark or bracket that is open",
        )
    } else {
        (msg.to_string(), None)
    }
}

/// The `---` line at or before `line` (1-based), for a second document.
fn separator_before(text: &str, line: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    (1..=line.min(lines.len())).rev().find(|l| lines[l - 1].trim_end() == "---")
}

/// A quoted value (`"…"` or `'…'`) that spans lines and is still open at, or closes just
/// before, `line:column`: where it opened (line, column) and the line it closes on. The YAML
/// parser reports a quotation mark left open where the next one makes the text invalid, often
/// many lines later; the author needs the line where it opened.
fn quote_open_at(text: &str, line: usize, column: usize) -> Option<(usize, usize, usize)> {
    let mut found = None;
    let mut quote: Option<(char, usize, usize)> = None;
    let mut block_indent: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        if n > line {
            break;
        }
        let indent = raw.len() - raw.trim_start().len();
        if quote.is_none() {
            // Inside a block scalar (`key: |`), text is text until the indentation drops back.
            match block_indent {
                Some(b) if raw.trim().is_empty() || indent > b => continue,
                _ => block_indent = None,
            }
        }
        let chars: Vec<char> = raw.chars().collect();
        let mut prev: Option<char> = None;
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            match quote {
                Some((q, ql, qc)) => {
                    if q == '"' && c == '\\' {
                        k += 2;
                        continue;
                    }
                    if c == q {
                        if q == '\'' && chars.get(k + 1) == Some(&'\'') {
                            k += 2;
                            continue;
                        }
                        quote = None;
                        // Closed on another line, at or just before the error: it was left open.
                        let at_error = n == line && k < column;
                        if ql < n && at_error {
                            found = Some((ql, qc, n));
                        }
                        prev = Some(c);
                    }
                }
                None => {
                    if c == '#' && (k == 0 || chars[k - 1].is_whitespace()) {
                        break;
                    }
                    let starts_value = match prev {
                        None => true,
                        Some(p) => {
                            matches!(p, ':' | '-' | '[' | '{' | ',' | '?')
                                && k > 0
                                && (chars[k - 1].is_whitespace() || matches!(p, '[' | '{' | ','))
                        }
                    };
                    if (c == '"' || c == '\'') && starts_value {
                        quote = Some((c, n, k + 1));
                    } else if (c == '|' || c == '>') && starts_value {
                        let rest: String = chars[k + 1..].iter().collect();
                        let rest = rest.split('#').next().unwrap_or("").trim();
                        if rest.chars().all(|r| matches!(r, '-' | '+' | '0'..='9')) {
                            block_indent = Some(indent);
                            break;
                        }
                    }
                    if !c.is_whitespace() {
                        prev = Some(c);
                    }
                }
            }
            k += 1;
        }
    }
    // Still open where the parser stopped.
    if let Some((_, ql, qc)) = quote
        && ql < line
    {
        return Some((ql, qc, line));
    }
    found
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
    None
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

/// A YAML double-quoted string holding exactly `s`, whatever it holds: quotation marks,
/// backslashes, line breaks and other control characters are escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

    #[test]
    fn a_quotation_mark_left_open_is_found_where_it_opened() {
        let text = "id: fas-ett\nname: \"Fas ett\npurpose: Syfte.\nactivities:\n  - id: a\n    text: \"Aktivitet\"\n";
        assert_eq!(quote_open_at(text, 6, 12), Some((2, 7, 6)));
        // Quotation marks inside a block of text, or after a key's value started, are text.
        let text = "a: |\n  \"Citat\n  mer\nb: Fas \"ett\nc: [x\n";
        assert_eq!(quote_open_at(text, 5, 4), None);
        // A quoted value that is still open where the parser stopped.
        assert_eq!(quote_open_at("a: 'x\nb: c\n", 2, 4), Some((1, 4, 2)));
    }

    #[test]
    fn type_errors_are_worded_for_authors() {
        assert_eq!(expected_words("u32"), "a whole number (0 or more)");
        assert_eq!(expected_words("struct Phase"), "a mapping (lines of `key: value`)");
        assert_eq!(found_words("integer `-1`"), "the number -1");
        assert_eq!(found_words("string \"x\""), "the text \"x\"");
    }
}
