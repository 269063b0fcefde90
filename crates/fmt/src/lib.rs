//! The ipsec.conf formatter: one tidy layout that never changes what a file means.
//!
//! [`format`] rewrites a whole file, [`format_range`] only the sections that touch a
//! byte range (for an editor's range formatting). Both work over the lossless syntax
//! tree, line by line:
//!
//! - section headers, `include` and `version` lines at column 0, one space after the
//!   keyword; body lines indented by [`FormatOptions::indent`]; `key=value` with no
//!   space around `=` (or `=` aligned within a section); values exactly as written;
//! - comments keep their text and place: own-line comments in a section take the
//!   body indentation, trailing comments get one space before `#`;
//! - one blank line between sections, runs of blank lines collapsed, none at the
//!   start, one newline at the end, no trailing white space;
//! - each line keeps its own line ending (libreswan reads a `\r` as part of the
//!   line, so changing it could change a value); added lines use the file's;
//! - a line that overlaps a syntax error, or that libreswan reads differently from
//!   a plain value plus comment, is copied byte for byte (see [`lines`]);
//! - `# ipsecconf: fmt off` leaves the text untouched up to `# ipsecconf: fmt on`, or
//!   to the end of the section when the directive is inside one, or else to the end
//!   of the file.

mod directive;
mod lines;
mod render;

use syntax::{TextRange, TextSize};

/// How body lines are indented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indent {
    Tab,
    /// This many spaces; at least one is always used, since a body line must
    /// start with white space.
    Spaces(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    pub indent: Indent,
    /// Pad keys so that the `=` of every `key=value` line of a section line up.
    pub align_equals: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions { indent: Indent::Tab, align_equals: false }
    }
}

impl FormatOptions {
    fn indent_text(&self) -> String {
        match self.indent {
            Indent::Tab => "\t".to_string(),
            Indent::Spaces(n) => " ".repeat(usize::from(n.max(1))),
        }
    }
}

/// Formats a whole file.
pub fn format(text: &str, options: &FormatOptions) -> String {
    render::render(text, options).text
}

/// Formats only the sections (and other lines) that touch `range`: returns the
/// source range to replace, whole lines, and its replacement; `None` when that
/// part is already formatted or the range touches no line.
pub fn format_range(text: &str, range: TextRange, options: &FormatOptions) -> Option<(TextRange, String)> {
    let rendered = render::render(text, options);
    let lines = &rendered.lines;
    let end_of_text = TextSize::of(text);
    let start = range.start().min(end_of_text);
    let end = range.end().min(end_of_text).max(start);
    // Lines that touch [start, end]; an empty range touches the line it is in.
    let first = lines.partition_point(|line| line.source.end() <= start && line.source.end() < end_of_text);
    let mut last = first;
    while last + 1 < lines.len() && lines[last + 1].source.start() < end {
        last += 1;
    }
    if first >= lines.len() {
        return None;
    }
    // Widen to whole sections, then drop blank lines at either end: the blank lines
    // between sections belong to the layout around the selection.
    let (mut first, mut last) = (first, last);
    if let Some(section) = lines[first].section {
        while first > 0 && lines[first - 1].section == Some(section) {
            first -= 1;
        }
    }
    if let Some(section) = lines[last].section {
        while last + 1 < lines.len() && lines[last + 1].section == Some(section) {
            last += 1;
        }
    }
    while first <= last && lines[first].is_blank {
        first += 1;
    }
    while last > first && lines[last].is_blank {
        last -= 1;
    }
    if first > last || lines[first].is_blank {
        return None;
    }
    let source = TextRange::new(lines[first].source.start(), lines[last].source.end());
    let replacement = &rendered.text[lines[first].output_start..lines[last].output_end];
    (replacement != &text[source]).then(|| (source, replacement.to_string()))
}
