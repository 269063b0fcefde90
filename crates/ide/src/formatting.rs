//! Formatting as edits: the formatter's output compared with the text, reduced to
//! one edit of whole lines around what changed (editors keep cursors and folds
//! outside it), or none when the text is already formatted.

use formatter::FormatOptions;
use syntax::{TextRange, TextSize};

use crate::TextEdit;

/// Edits that format the whole of `text`.
pub fn format(text: &str, options: &FormatOptions) -> Vec<TextEdit> {
    let formatted = formatter::format(text, options);
    minimal_edit(text, TextRange::up_to(TextSize::of(text)), &formatted).into_iter().collect()
}

/// Edits that format the sections touching `range`.
pub fn format_range(text: &str, range: TextRange, options: &FormatOptions) -> Vec<TextEdit> {
    let Some((replaced, replacement)) = formatter::format_range(text, range, options) else { return Vec::new() };
    minimal_edit(text, replaced, &replacement).into_iter().collect()
}

/// The edit turning `text[range]` into `new`, trimmed of the whole lines both share
/// at the start and at the end; `None` when they are equal.
fn minimal_edit(text: &str, range: TextRange, new: &str) -> Option<TextEdit> {
    let old = &text[range];
    if old == new {
        return None;
    }
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let same_start = old_bytes.iter().zip(new_bytes).take_while(|(a, b)| a == b).count();
    // Back to the start of a line, so the edit never splits a line (nor a `\r\n`).
    let prefix = old_bytes[..same_start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let longest_suffix = (old.len() - prefix).min(new.len() - prefix);
    let same_end =
        old_bytes.iter().rev().zip(new_bytes.iter().rev()).take(longest_suffix).take_while(|(a, b)| a == b).count();
    // Forward to the end of a line: the kept tail starts right after a newline.
    let tail = &old_bytes[old.len() - same_end..];
    let suffix = match tail.iter().position(|&b| b == b'\n') {
        Some(i) => same_end - i - 1,
        None => 0,
    };
    let start = range.start() + TextSize::from(prefix as u32);
    let end = range.end() - TextSize::from(suffix as u32);
    Some(TextEdit { range: TextRange::new(start, end), new_text: new[prefix..new.len() - suffix].to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_covers_whole_changed_lines_only() {
        let text = "conn a\n\tleft=1\n\nconn b\n   right = 2\n\tauto=add\n\nconn c\n\tleft=3\n";
        let edits = format(text, &FormatOptions::default());
        assert_eq!(edits.len(), 1);
        assert_eq!(&text[edits[0].range], "   right = 2\n");
        assert_eq!(edits[0].new_text, "\tright=2\n");
        assert_eq!(crate::apply_edits(text, &edits), formatter::format(text, &FormatOptions::default()));
        assert!(format(&crate::apply_edits(text, &edits), &FormatOptions::default()).is_empty());
    }

    #[test]
    fn edits_never_split_a_line_or_a_character() {
        for (old, new) in [("a\r\nb\r\n", "a\nb\r\n"), ("é=1\n", "è=1\n"), ("x", "xy\n"), ("ab\n", "b\n"), ("", "\n")]
        {
            let edit = minimal_edit(old, TextRange::up_to(TextSize::of(old)), new).unwrap();
            let start = usize::from(edit.range.start());
            assert!(start == 0 || old.as_bytes()[start - 1] == b'\n', "{old:?} -> {new:?}: {edit:?}");
            assert_eq!(crate::apply_edits(old, &[edit]), new);
        }
    }
}
