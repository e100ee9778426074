//! What content may put into a page: the handbook's promise that only its own code runs in
//! its pages and that nothing is fetched from other hosts, whatever a site's Markdown and
//! `metodbok.yaml` say. Authors get an error at the place they wrote something outside the
//! policy; nothing is stripped silently.
//!
//! - **Raw HTML** in Markdown (pages, Markdown fields of YAML files, `footer:`) may use only
//!   the elements of [`ALLOWED_ELEMENTS`], with only the attributes of [`allowed_attribute`]
//!   (no event handlers, no styles, no ids or classes), complete and well formed.
//! - **Link targets** ([`classify`]) are `http:`, `https:`, `mailto:` and `tel:` addresses,
//!   references (`@kind/id`), paths inside the handbook, and `#anchors`; any other scheme,
//!   however it is cased, encoded or spaced, is an error.
//! - **Resources** (images) come from the handbook itself; an address on another host is an
//!   error.
//! - **Nesting**: lists and block quotes at most [`MAX_NESTING`] levels inside each other,
//!   and the same for inline formatting and raw HTML elements, so no page is deep enough to
//!   exhaust a stack anywhere later (search indexing, browsers' accessibility trees).
//!
//! Not for: the theme's templates. They are the site's code (a municipality's own templates
//! are trusted like the default theme); the output check still refuses resources from other
//! hosts in them.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

/// How deeply lists and block quotes, inline formatting, or raw HTML elements may nest
/// inside each other in a Markdown text.
pub const MAX_NESTING: usize = 32;

/// The HTML elements a Markdown text may write itself: inline markup the Markdown syntax
/// has no form for, and disclosure widgets. None of them loads anything or runs anything.
pub const ALLOWED_ELEMENTS: &[&str] = &[
    "abbr", "b", "bdi", "br", "cite", "code", "dd", "del", "details", "dfn", "dl", "dt", "em", "i", "ins", "kbd",
    "mark", "p", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "time", "u", "var", "wbr",
];

/// The theme's classes that content may use: the marking of editorial text.
pub const ALLOWED_CLASSES: &[&str] = &["mb-derived", "mb-derived__label"];

/// Elements without content or end tag.
const VOID: &[&str] = &["br", "wbr"];

/// Whether raw HTML may give `element` the attribute `name` with `value`: the language and
/// title on anything, a class of [`ALLOWED_CLASSES`], plus the few attributes that carry
/// meaning on their element.
pub fn allowed_attribute(element: &str, name: &str, value: &str) -> bool {
    matches!(name, "title" | "lang" | "dir" | "translate")
        || (name == "class" && value.split_whitespace().all(|c| ALLOWED_CLASSES.contains(&c)))
        || matches!((element, name), ("details", "open") | ("time" | "del" | "ins", "datetime"))
}

/// The attributes allowed on `element`, for messages.
fn allowed_attributes_of(element: &str) -> String {
    let class = format!("class (only {})", ALLOWED_CLASSES.join(", "));
    let mut names = vec!["title", "lang", "dir", "translate", &class];
    match element {
        "details" => names.push("open"),
        "time" | "del" | "ins" => names.push("datetime"),
        _ => {}
    }
    names.join(", ")
}

/// A problem in raw HTML: where in the fragment (byte offset), what, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlProblem {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
}

/// Raw HTML of one Markdown text, checked piece by piece as the Markdown parser hands it
/// over; keeps the depth of the allowed elements open across pieces.
#[derive(Debug, Default)]
pub struct RawHtml {
    depth: usize,
    /// The nesting limit was passed (reported once per text).
    too_deep: bool,
    /// Elements already reported as not allowed: their end tags say nothing new.
    reported: std::collections::BTreeSet<String>,
}

#[derive(Default)]
struct Collect {
    tokens: RefCell<Vec<(Token, u64)>>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        self.tokens.borrow_mut().push((token, line));
        TokenSinkResult::Continue
    }
}

impl RawHtml {
    /// Checks one piece of raw HTML (an HTML block, or one inline tag or comment) with the
    /// HTML tokenizer of html5ever. The piece must be complete on its own (no tag or comment
    /// left open at its end), so what the browser parses is exactly what was checked.
    pub fn check(&mut self, fragment: &str) -> Vec<HtmlProblem> {
        let sink = Collect::default();
        let tokenizer = Tokenizer::new(sink, TokenizerOpts { exact_errors: true, ..Default::default() });
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(fragment));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let tokens = tokenizer.sink.tokens.take();

        let line_starts: Vec<usize> =
            std::iter::once(0).chain(fragment.match_indices('\n').map(|(i, _)| i + 1)).collect();
        // Tags are found in the text in order, to point at each one.
        let mut cursor = 0;
        let mut problems = Vec::new();
        for (token, line) in tokens {
            let line_start = line_starts.get((line as usize).saturating_sub(1)).copied().unwrap_or(0);
            match token {
                Token::TagToken(tag) => {
                    let name = tag.name.to_string();
                    let end = tag.kind == TagKind::EndTag;
                    let needle = if end { format!("</{name}") } else { format!("<{name}") };
                    let from = cursor.max(line_start);
                    let at = find_ci(fragment, &needle, from).unwrap_or(from);
                    cursor = at + needle.len();
                    let spot = |message: String, help: String| HtmlProblem {
                        offset: at,
                        len: needle.len() + 1,
                        message,
                        help,
                    };
                    if !ALLOWED_ELEMENTS.contains(&name.as_str()) {
                        // The end tag of an element already reported says nothing new.
                        if !self.reported.insert(name.clone()) && end {
                            continue;
                        }
                        problems.push(spot(
                            format!("the HTML element `<{name}>` is not allowed in the handbook's text"),
                            format!(
                                "write it in Markdown; raw HTML may use only {} (see README: raw HTML)",
                                ALLOWED_ELEMENTS.join(", ")
                            ),
                        ));
                        continue;
                    }
                    if end {
                        self.depth = self.depth.saturating_sub(1);
                        continue;
                    }
                    for a in &tag.attrs {
                        let attr = a.name.local.to_string();
                        if !allowed_attribute(&name, &attr, &a.value) {
                            let what = if attr.starts_with("on") {
                                "an event handler, which would run code in the page".to_string()
                            } else if attr == "class" {
                                format!("not allowed with the value `{}`", a.value)
                            } else {
                                "not allowed".to_string()
                            };
                            problems.push(spot(
                                format!("the attribute `{attr}` on `<{name}>` is {what}"),
                                format!("attributes allowed on <{name}>: {}", allowed_attributes_of(&name)),
                            ));
                        }
                    }
                    if !VOID.contains(&name.as_str()) && !tag.self_closing {
                        self.depth += 1;
                        if self.depth > MAX_NESTING && !self.too_deep {
                            // Once is enough for one text.
                            self.too_deep = true;
                            problems.push(spot(
                                format!("HTML elements are nested more than {MAX_NESTING} levels deep here"),
                                format!("the handbook allows at most {MAX_NESTING} levels; close elements sooner"),
                            ));
                        }
                    }
                }
                Token::DoctypeToken(_) => problems.push(HtmlProblem {
                    offset: line_start,
                    len: 1,
                    message: "a document type declaration (`<!DOCTYPE>`) is not allowed in the handbook's text".into(),
                    help: "remove it; the page already has one".into(),
                }),
                Token::ParseError(error) => problems.push(HtmlProblem {
                    offset: cursor.max(line_start).min(fragment.len()),
                    len: 1,
                    message: format!("this HTML is not well formed: {}", author_wording(&error)),
                    help: "close every tag, comment and quotation mark, e.g. <abbr title=\"…\">…</abbr>; \
                           write a literal < as &lt;"
                        .into(),
                }),
                Token::CommentToken(_) | Token::CharacterTokens(_) | Token::NullCharacterToken | Token::EOFToken => {}
            }
        }
        // One parse error usually causes more; the first says it.
        let mut seen_parse_error = false;
        problems.retain(|p| {
            let parse = p.message.starts_with("this HTML is not well formed");
            let keep = !(parse && seen_parse_error);
            seen_parse_error |= parse;
            keep
        });
        problems
    }
}

/// html5ever's parse error names, in an author's words.
fn author_wording(error: &str) -> String {
    let e = error.to_ascii_lowercase();
    if e.contains("eof") {
        "it ends inside a tag, a comment or a quoted attribute value".into()
    } else if e.contains("duplicate attribute") {
        "an attribute is given twice".into()
    } else if e.contains("bad character") {
        "a character that cannot stand there in a tag (a lone < is written &lt;)".into()
    } else if e.contains("character reference") || e.contains("char ref") {
        "an & that does not start a character reference such as &amp;".into()
    } else {
        error.trim().to_string()
    }
}

fn find_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (from..=h.len().saturating_sub(n.len())).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// What a link target written by an author is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// `#anchor` on the same page (the anchor without `#`).
    Anchor(&'a str),
    /// `@kind/id` or `@section`.
    Reference,
    /// `http:`, `https:`, `mailto:` or `tel:`.
    External,
    /// A path inside the handbook (relative to its root), with any `?query` or `#anchor`.
    Path,
    /// `//host/…`: another host without a scheme.
    OtherHost,
    /// Any other scheme (`javascript:`, `data:`, `file:`, …), lower-cased.
    Forbidden(String),
}

/// The link schemes the handbook allows.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Classifies `url` as a browser would read it: leading and trailing spaces and control
/// characters do not count, tabs and line breaks anywhere are dropped, a backslash is a
/// slash, and a scheme is letters, digits, `+`, `-` and `.` before the first `:` (in any case).
pub fn classify(url: &str) -> Target<'_> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if let Some(anchor) = trimmed.strip_prefix('#') {
        return Target::Anchor(anchor);
    }
    if trimmed.starts_with('@') {
        return Target::Reference;
    }
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.replace('\\', "/");
    if cleaned.starts_with("//") {
        return Target::OtherHost;
    }
    let end = cleaned.find([':', '/', '?', '#']);
    if let Some(i) = end
        && cleaned[i..].starts_with(':')
    {
        let scheme = &cleaned[..i];
        let valid = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if valid {
            let scheme = scheme.to_ascii_lowercase();
            return if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                Target::External
            } else {
                Target::Forbidden(scheme)
            };
        }
    }
    Target::Path
}

/// The message and help for a link target outside the policy, or `None` when it is fine.
pub fn link_problem(url: &str) -> Option<(String, String)> {
    match classify(url) {
        Target::Forbidden(scheme) => Some((
            format!("the link `{url}` uses the scheme `{scheme}:`, which the handbook does not allow"),
            "links may be http(s):, mailto: or tel: addresses, references such as @phase/initiera, \
             paths inside the handbook, or #anchors"
                .into(),
        )),
        Target::OtherHost => Some((
            format!("the link `{url}` names another host without a scheme"),
            format!("write the whole address, e.g. https:{}", url.trim()),
        )),
        _ => None,
    }
}

/// For a URL field of `metodbok.yaml` (`url:`, `organisation.url`, …): `None` when `url` is
/// an absolute `http:` or `https:` address, otherwise what is wrong.
pub fn web_address_problem(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let has_host = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    if has_host && !url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some(match classify(url) {
        Target::Forbidden(scheme) => format!("`{url}` uses the scheme `{scheme}:`; a web address starts with https://"),
        _ => format!("`{url}` is not a web address; write it whole, starting with https://"),
    })
}

/// For an e-mail field of `metodbok.yaml`: `None` when `address` looks like one
/// (`name@domain`, no spaces, no scheme), otherwise what is wrong.
pub fn email_problem(address: &str) -> Option<String> {
    let (local, domain) = address.split_once('@').unwrap_or(("", ""));
    let bad = local.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\' | ':' | '/'));
    bad.then(|| format!("`{address}` is not an e-mail address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_however_they_are_written() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "javascript://%0aalert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(matches!(classify(bad), Target::Forbidden(_)), "{bad:?}");
        }
        assert_eq!(classify("//evil.example/x"), Target::OtherHost);
        assert_eq!(classify("\\\\evil.example/x"), Target::OtherHost);
        assert_eq!(classify("/\\evil.example/x"), Target::OtherHost);
        assert_eq!(classify("HTTPS://www.digg.se/"), Target::External);
        assert_eq!(classify("mailto:a@b.se"), Target::External);
        assert_eq!(classify("#syfte"), Target::Anchor("syfte"));
        assert_eq!(classify("@phase/initiera"), Target::Reference);
        assert_eq!(classify("faser/initiera.html#syfte"), Target::Path);
        // A colon after a slash is not a scheme: the browser reads a path.
        assert_eq!(classify("bilder/a:b.png"), Target::Path);
        // Percent-encoded, the colon is not a scheme's either.
        assert_eq!(classify("javascript%3Aalert(1)"), Target::Path);
    }

    #[test]
    fn raw_html_outside_the_allowlist_is_found_with_its_place() {
        let mut raw = RawHtml::default();
        assert!(raw.check("<abbr title=\"Statens servicecenter\">SSC</abbr>").is_empty());
        assert!(raw.check("<details open>\n<summary>Mer</summary>\n\nText\n</details>").is_empty());
        let p = raw.check("Text <script>alert(1)</script>");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].offset, 5);
        assert!(p[0].message.contains("<script>"));
        let p = raw.check("<span\n  onclick=\"alert(1)\">x</span>");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("event handler"), "{p:?}");
        assert!(!raw.check("<img src=x onerror=alert(1)>").is_empty());
        assert!(!raw.check("<IMG SRC=\"https://evil.example/x.png\">").is_empty());
        assert!(!raw.check("<span style=\"background:url(https://evil.example/)\">").is_empty());
        // A tag left open would swallow the page's own markup that follows.
        let p = raw.check("<abbr title=\"open");
        assert!(p.iter().any(|p| p.message.contains("not well formed")), "{p:?}");
        assert!(!raw.check("<!-- a comment never closed").is_empty());
    }

    #[test]
    fn raw_html_nesting_is_bounded() {
        let mut raw = RawHtml::default();
        let deep = "<span>".repeat(MAX_NESTING + 1);
        let p = raw.check(&deep);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("nested"));
        let mut raw = RawHtml::default();
        assert!(raw.check(&"<span>x</span>".repeat(100)).is_empty());
    }

    #[test]
    fn configuration_addresses_must_be_web_addresses() {
        assert_eq!(web_address_problem("https://www.exempel.se/"), None);
        assert!(web_address_problem("javascript://%0aalert(1)").is_some());
        assert!(web_address_problem("www.exempel.se").is_some());
        assert!(web_address_problem("https://").is_some());
        assert!(web_address_problem("https://exempel.se/a b").is_some());
        assert_eq!(email_problem("tillganglighet@exempel.se"), None);
        assert!(email_problem("javascript:alert(1)//@x.se").is_some());
        assert!(email_problem("ingen-snabel-a").is_some());
    }
}
