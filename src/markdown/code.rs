//! Code blocks: highlighted with syntect's classed HTML (the theme styles the classes), and
//! HTML escaping of text.

use super::*;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A code block as HTML: highlighted with `hl-` classes when the language is known.
/// The block can scroll sideways, so it is focusable for keyboard users.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_attr = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(lang)) };
    let aliases = match lang {
        "yml" => "yaml",
        "sh" | "shell" | "console" => "bash",
        "md" => "markdown",
        other => other,
    };
    let ss = syntaxes();
    let syntax = if lang.is_empty() { None } else { ss.find_syntax_by_token(aliases) };
    let body = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, ss, ClassStyle::SpacedPrefixed { prefix: "hl-" });
            let mut ok = true;
            for line in syntect::util::LinesWithEndings::from(code) {
                if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                    ok = false;
                    break;
                }
            }
            if ok { generator.finalize() } else { escape(code) }
        }
        None => escape(code),
    };
    format!("<pre class=\"code\" tabindex=\"0\"><code{lang_attr}>{body}</code></pre>\n")
}

/// Escapes text for HTML content and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}
