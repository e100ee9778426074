//! How deeply a Markdown text nests lists, quotes and inline formatting, so that a text
//! nested beyond [`MAX_NESTING`] is reported where it goes too deep instead of overflowing
//! the stack of whatever reads the HTML later.

use super::*;

/// Which nesting limit was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Depth {
    Block,
    Inline,
}

/// How deeply the Markdown structure read so far is nested.
#[derive(Debug, Default)]
pub(super) struct Nesting {
    block: usize,
    inline: usize,
}

impl Nesting {
    /// Follows `event`; says which limit it passes, if any.
    pub(super) fn enter(&mut self, event: &Event) -> Option<Depth> {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                self.block += 1;
                (self.block > MAX_NESTING).then_some(Depth::Block)
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                self.block = self.block.saturating_sub(1);
                None
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => {
                self.inline += 1;
                (self.inline > MAX_NESTING).then_some(Depth::Inline)
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {
                self.inline = self.inline.saturating_sub(1);
                None
            }
            _ => None,
        }
    }
}
