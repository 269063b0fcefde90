//! Byte offsets to LSP positions and back, in UTF-16 or UTF-8 code units.

use syntax::{TextRange, TextSize};
use tower_lsp_server::ls_types::{Position, Range};

/// The unit of `Position::character` agreed with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

/// Where each line starts in a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text));
        LineIndex { line_starts, len: text.len() as u32 }
    }

    /// The byte offset of `position`, or `None` when its line is past the end. A
    /// character past the end of its line means the line's end (as the protocol says).
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> Option<TextSize> {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return (line == self.line_starts.len() && position.character == 0 && text.ends_with('\n'))
                .then_some(TextSize::from(self.len));
        }
        let start = self.line_starts[line] as usize;
        let end = self.line_starts.get(line + 1).map_or(text.len(), |&e| e as usize);
        let line_text = text[start..end].trim_end_matches(['\n', '\r']);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= wanted {
                return Some(TextSize::from((start + i) as u32));
            }
            units += match encoding {
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf8 => c.len_utf8(),
            };
        }
        Some(TextSize::from((start + line_text.len()) as u32))
    }

    pub fn position(&self, text: &str, offset: TextSize, encoding: Encoding) -> Position {
        let offset = u32::from(offset).min(self.len);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[start..end.max(start)];
        let character = match encoding {
            Encoding::Utf16 => before.encode_utf16().count(),
            Encoding::Utf8 => before.len(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, range: TextRange, encoding: Encoding) -> Range {
        Range::new(self.position(text, range.start(), encoding), self.position(text, range.end(), encoding))
    }

    pub fn text_range(&self, text: &str, range: Range, encoding: Encoding) -> Option<TextRange> {
        let start = self.offset(text, range.start, encoding)?;
        let end = self.offset(text, range.end, encoding)?;
        (start <= end).then(|| TextRange::new(start, end))
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = u32> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns_round_trip() {
        let text = "a=é𝄞x\nb\n";
        let index = LineIndex::new(text);
        let x = TextSize::from(text.find('x').unwrap() as u32);
        assert_eq!(index.position(text, x, Encoding::Utf16), Position::new(0, 5));
        assert_eq!(index.position(text, x, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(index.offset(text, Position::new(0, 5), Encoding::Utf16), Some(x));
        assert_eq!(index.offset(text, Position::new(0, 8), Encoding::Utf8), Some(x));
        assert_eq!(
            index.offset(text, Position::new(1, 99), Encoding::Utf16),
            Some(TextSize::from(text.len() as u32 - 1))
        );
        assert_eq!(index.offset(text, Position::new(2, 0), Encoding::Utf16), Some(TextSize::from(text.len() as u32)));
        assert_eq!(index.offset(text, Position::new(7, 0), Encoding::Utf16), None);
    }
}
