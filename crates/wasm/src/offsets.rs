//! Byte offsets (Rust) to UTF-16 code units (JavaScript strings, CodeMirror) and back.

use syntax::{TextRange, TextSize};

/// Converts offsets in one text. All-ASCII texts (the usual case) convert for free.
pub struct Utf16Map {
    /// For every non-ASCII character: its byte offset, its UTF-16 offset, its byte length
    /// and its UTF-16 length. Empty for ASCII text.
    wide: Vec<WideChar>,
    len_bytes: u32,
    len_utf16: u32,
}

#[derive(Clone, Copy)]
struct WideChar {
    byte: u32,
    utf16: u32,
    byte_len: u8,
    utf16_len: u8,
}

impl Utf16Map {
    pub fn new(text: &str) -> Utf16Map {
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut utf16 = 0u32;
            for (byte, c) in text.char_indices() {
                let utf16_len = c.len_utf16() as u8;
                if !c.is_ascii() {
                    wide.push(WideChar { byte: byte as u32, utf16, byte_len: c.len_utf8() as u8, utf16_len });
                }
                utf16 += u32::from(utf16_len);
            }
        }
        let len_utf16 = match wide.last() {
            Some(last) => {
                last.utf16 + u32::from(last.utf16_len) + (text.len() as u32 - last.byte - u32::from(last.byte_len))
            }
            None => text.len() as u32,
        };
        Utf16Map { wide, len_bytes: text.len() as u32, len_utf16 }
    }

    /// The UTF-16 offset of a byte offset (clamped to the text; inside a character, its start).
    pub fn to_utf16(&self, byte: TextSize) -> u32 {
        let byte = u32::from(byte).min(self.len_bytes);
        let before = self.wide.partition_point(|w| w.byte <= byte);
        match before.checked_sub(1).map(|i| self.wide[i]) {
            None => byte,
            Some(w) if byte < w.byte + u32::from(w.byte_len) => w.utf16,
            Some(w) => w.utf16 + u32::from(w.utf16_len) + (byte - w.byte - u32::from(w.byte_len)),
        }
    }

    /// The byte offset of a UTF-16 offset (clamped; inside a surrogate pair, the character's start).
    pub fn to_byte(&self, utf16: u32) -> TextSize {
        let utf16 = utf16.min(self.len_utf16);
        let before = self.wide.partition_point(|w| w.utf16 <= utf16);
        let byte = match before.checked_sub(1).map(|i| self.wide[i]) {
            None => utf16,
            Some(w) if utf16 < w.utf16 + u32::from(w.utf16_len) => w.byte,
            Some(w) => w.byte + u32::from(w.byte_len) + (utf16 - w.utf16 - u32::from(w.utf16_len)),
        };
        TextSize::from(byte)
    }

    pub fn range(&self, range: TextRange) -> (u32, u32) {
        (self.to_utf16(range.start()), self.to_utf16(range.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_char_boundary() {
        let text = "a=é\n b=😀x\n\u{7ff}\u{800}z";
        let map = Utf16Map::new(text);
        let mut utf16 = 0;
        for (byte, c) in text.char_indices() {
            assert_eq!(map.to_utf16(TextSize::from(byte as u32)), utf16, "byte {byte}");
            assert_eq!(map.to_byte(utf16), TextSize::from(byte as u32), "utf16 {utf16}");
            utf16 += c.len_utf16() as u32;
        }
        let total: u32 = text.encode_utf16().count() as u32;
        assert_eq!(map.to_utf16(TextSize::of(text)), total);
        assert_eq!(map.to_byte(total + 10), TextSize::of(text));
        // Inside the emoji: its start.
        let emoji_byte = text.find('😀').unwrap() as u32;
        assert_eq!(map.to_byte(map.to_utf16(TextSize::from(emoji_byte)) + 1), TextSize::from(emoji_byte));
        assert_eq!(map.to_utf16(TextSize::from(emoji_byte + 2)), map.to_utf16(TextSize::from(emoji_byte)));
    }

    #[test]
    fn ascii_is_identity() {
        let map = Utf16Map::new("conn a\n\tleft=1\n");
        assert_eq!(map.to_utf16(5.into()), 5);
        assert_eq!(map.to_byte(7), TextSize::from(7));
        assert_eq!(map.to_byte(1000), TextSize::from(15));
    }
}
