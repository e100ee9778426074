//! "On this page": the contents list of a page with three or more sections, made from the
//! page as rendered, so that it lists every second-level heading the page shows (the
//! method's sections, a checklist's heading, a supplement's section, Markdown headings)
//! whatever template shows them.
//!
//! A template marks where the list goes with [`START`] and the layout marks where the
//! sections end with [`END`]; the headings between them (`h2` with an `id`) are read with
//! html5ever's tokenizer and the list is rendered with `partials/toc.html`.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use serde::Serialize;

/// Where the contents list goes.
pub(super) const START: &str = "<!--mb-toc-->";
/// Where the page's sections end.
pub(super) const END: &str = "<!--mb-toc-end-->";
/// A page lists its sections from this many on.
const AT_LEAST: usize = 3;

/// A section of the page: its heading's id and text.
#[derive(Debug, Serialize, PartialEq)]
pub(super) struct Heading {
    pub id: String,
    pub text: String,
}

#[derive(Default)]
struct Headings {
    open: RefCell<Option<(Option<String>, String)>>,
    found: RefCell<Vec<Heading>>,
}

impl TokenSink for Headings {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if &*tag.name == "h2" => match tag.kind {
                TagKind::StartTag => {
                    let id = tag.attrs.iter().find(|a| &*a.name.local == "id").map(|a| a.value.to_string());
                    *self.open.borrow_mut() = Some((id, String::new()));
                }
                TagKind::EndTag => {
                    if let Some((Some(id), text)) = self.open.borrow_mut().take() {
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        self.found.borrow_mut().push(Heading { id, text });
                    }
                }
            },
            Token::CharacterTokens(t) => {
                if let Some((_, text)) = self.open.borrow_mut().as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The `h2` headings with an id in `html`, in order.
pub(super) fn headings(html: &str) -> Vec<Heading> {
    let tokenizer = Tokenizer::new(Headings::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.take()
}

/// `body` with its contents list in place (rendered by `render` from the headings) when
/// the page has enough sections, and without the markers.
pub(super) fn insert<E>(body: String, render: impl FnOnce(&[Heading]) -> Result<String, E>) -> Result<String, E> {
    let Some(start) = body.find(START) else { return Ok(body.replacen(END, "", 1)) };
    let end = body[start..].find(END).map_or(body.len(), |e| start + e);
    let found = headings(&body[start..end]);
    let list = if found.len() >= AT_LEAST { render(&found)? } else { String::new() };
    let mut out = String::with_capacity(body.len() + list.len());
    out.push_str(&body[..start]);
    out.push_str(&list);
    out.push_str(&body[start + START.len()..end]);
    out.push_str(body[end..].strip_prefix(END).unwrap_or(&body[end..]));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_second_level_headings_between_the_markers_with_their_text() {
        let body = format!(
            "<h2 id=a>Före</h2>{START}<h2 id=\"b\">Syfte</h2><p>x</p><h2 class=k id=c><span>Tillägg:</span>\n  Mina</h2>\
             <h3 id=d>Under</h3><h2>Utan id</h2><h2 id=e>Sist</h2>{END}<h2 id=f>Efter</h2>"
        );
        let out = insert(body, |hs: &[Heading]| {
            Ok::<_, ()>(hs.iter().map(|h| format!("[{}:{}]", h.id, h.text)).collect::<String>())
        })
        .unwrap();
        assert_eq!(
            out,
            "<h2 id=a>Före</h2>[b:Syfte][c:Tillägg: Mina][e:Sist]<h2 id=\"b\">Syfte</h2><p>x</p>\
             <h2 class=k id=c><span>Tillägg:</span>\n  Mina</h2><h3 id=d>Under</h3><h2>Utan id</h2>\
             <h2 id=e>Sist</h2><h2 id=f>Efter</h2>"
        );
    }

    #[test]
    fn a_page_with_fewer_than_three_sections_has_no_list_and_no_markers() {
        let body = format!("{START}<h2 id=a>A</h2><h2 id=b>B</h2>{END}");
        let out = insert(body, |_: &[Heading]| Ok::<_, ()>("LIST".to_string())).unwrap();
        assert_eq!(out, "<h2 id=a>A</h2><h2 id=b>B</h2>");
    }
}
