//! Lines to text: the layout rules, the blank lines between things, and a map from
//! each source line to its output (for range formatting).

use syntax::TextRange;

use crate::FormatOptions;
use crate::directive::untouched_lines;
use crate::lines::{AfterEq, Line, Shape, lines};

pub(crate) struct Rendered {
    pub text: String,
    pub lines: Vec<RenderedLine>,
}

/// Where one source line went.
pub(crate) struct RenderedLine {
    pub source: TextRange,
    pub section: Option<u32>,
    pub is_blank: bool,
    /// The output of this line, after any blank line put before it.
    pub output_start: usize,
    pub output_end: usize,
}

/// What the previous written line belonged to, for the blank-line rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// Nothing written yet: no blank line at the start of the file.
    Start,
    /// A section, or a comment that trails one.
    Section,
    /// Anything else at the top level.
    TopLevel,
}

pub(crate) fn render(text: &str, options: &FormatOptions) -> Rendered {
    let parse = syntax::parse(text);
    let lines = lines(text, &parse);
    let untouched = untouched_lines(&lines);
    let trails_section = trailing_comments(&lines);
    let starts_block = section_block_starts(&lines, &trails_section);
    let key_widths = key_widths(&lines, &untouched, options);
    let added_newline = file_newline(&lines);
    let indent = options.indent_text();

    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rendered = Vec::with_capacity(lines.len());
    // The newline of the first blank line of a run not yet written.
    let mut pending_blank: Option<&str> = None;
    let mut previous = Group::Start;
    for (i, line) in lines.iter().enumerate() {
        let is_blank = matches!(line.shape, Shape::Blank);
        let inside_untouched = untouched[i] && i > 0 && untouched[i - 1];
        if is_blank && !inside_untouched {
            if previous != Group::Start && pending_blank.is_none() {
                pending_blank = Some(if line.newline.is_empty() { added_newline } else { line.newline });
            }
            rendered.push(RenderedLine {
                source: line.range,
                section: line.section,
                is_blank,
                output_start: out.len(),
                output_end: out.len(),
            });
            continue;
        }
        let group = if line.section.is_some() || trails_section[i] { Group::Section } else { Group::TopLevel };
        if !inside_untouched {
            // Right after an untouched region nothing is added: the region ends
            // exactly where its author left it.
            let after_untouched = i > 0 && untouched[i - 1];
            let needs_blank = previous != Group::Start
                && !after_untouched
                && (pending_blank.is_some()
                    || starts_block[i]
                    || (previous == Group::Section && group == Group::TopLevel));
            if needs_blank {
                out.push_str(pending_blank.unwrap_or(added_newline));
            }
            pending_blank = None;
        }
        let output_start = out.len();
        if untouched[i] {
            out.push_str(line.full_text(text));
        } else {
            write_line(&mut out, line, &indent, line.section.and_then(|s| key_widths[s as usize]), trails_section[i]);
            // A last line ending in a lone `\r` stays without a newline: `\r\n` would
            // turn that `\r` into part of a line ending.
            if !line.newline.is_empty() {
                out.push_str(line.newline);
            } else if !line.content.ends_with('\r') {
                out.push_str(added_newline);
            }
        }
        rendered.push(RenderedLine {
            source: line.range,
            section: line.section,
            is_blank,
            output_start,
            output_end: out.len(),
        });
        previous = group;
    }
    Rendered { text: out, lines: rendered }
}

/// Writes one formatted line, without its newline.
fn write_line(out: &mut String, line: &Line<'_>, indent: &str, key_width: Option<usize>, trails: bool) {
    let comment = |out: &mut String, comment: Option<&str>| {
        if let Some(comment) = comment {
            out.push(' ');
            out.push_str(comment);
        }
    };
    match &line.shape {
        Shape::Blank => {}
        Shape::Comment { text, indented } => {
            if line.section.is_some() || (trails && *indented) {
                out.push_str(indent);
            }
            out.push_str(text);
        }
        Shape::Header { keyword, name, comment: trailing } => {
            out.push_str(keyword);
            out.push(' ');
            out.push_str(name);
            comment(out, *trailing);
        }
        Shape::Keyword { keyword, value, comment: trailing } => {
            out.push_str(keyword);
            out.push(' ');
            out.push_str(value);
            comment(out, *trailing);
        }
        Shape::Parameter { key, after_eq } => {
            out.push_str(indent);
            out.push_str(key);
            if let Some(width) = key_width {
                let padding = width.saturating_sub(key.chars().count());
                out.extend(std::iter::repeat_n(' ', padding));
            }
            out.push('=');
            match after_eq {
                AfterEq::Value { value, comment: trailing } => {
                    out.push_str(value);
                    comment(out, *trailing);
                }
                AfterEq::Raw(raw) => out.push_str(raw),
            }
        }
        Shape::Verbatim => out.push_str(line.content),
    }
}

/// File-level comment lines that stay with the section above them: indented ones
/// right under its last line (a commented-out parameter, say).
fn trailing_comments(lines: &[Line<'_>]) -> Vec<bool> {
    let mut trails = vec![false; lines.len()];
    for i in 1..lines.len() {
        let follows_section = lines[i - 1].section.is_some() || trails[i - 1];
        trails[i] = follows_section
            && lines[i].section.is_none()
            && matches!(lines[i].shape, Shape::Comment { indented: true, .. });
    }
    trails
}

/// The first line of each section's block: its header, or the comment lines right
/// above it, which describe it.
fn section_block_starts(lines: &[Line<'_>], trails_section: &[bool]) -> Vec<bool> {
    let mut starts = vec![false; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let is_header = line.section.is_some() && (i == 0 || lines[i - 1].section != line.section);
        if !is_header {
            continue;
        }
        let mut first = i;
        while first > 0
            && lines[first - 1].section.is_none()
            && !trails_section[first - 1]
            && matches!(lines[first - 1].shape, Shape::Comment { .. })
        {
            first -= 1;
        }
        starts[first] = true;
    }
    starts
}

/// With `align_equals`, the widest key of each section's formatted parameters.
fn key_widths(lines: &[Line<'_>], untouched: &[bool], options: &FormatOptions) -> Vec<Option<usize>> {
    let sections = lines.iter().filter_map(|l| l.section).max().map_or(0, |s| s as usize + 1);
    let mut widths = vec![None; sections];
    if !options.align_equals {
        return widths;
    }
    for (line, untouched) in lines.iter().zip(untouched) {
        if let (Some(section), Shape::Parameter { key, .. }, false) = (line.section, &line.shape, untouched) {
            let width = &mut widths[section as usize];
            *width = Some(width.unwrap_or(0).max(key.chars().count()));
        }
    }
    widths
}

/// The newline for added lines: CRLF when every line of the file ends so.
fn file_newline(lines: &[Line<'_>]) -> &'static str {
    let mut newlines = lines.iter().map(|l| l.newline).filter(|n| !n.is_empty()).peekable();
    if newlines.peek().is_some() && newlines.all(|n| n == "\r\n") { "\r\n" } else { "\n" }
}
