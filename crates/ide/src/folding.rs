//! Folding ranges: sections and runs of comment lines.

use syntax::{SyntaxKind, TextRange, TextSize};

use crate::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    /// From the first line's start to the last line's end (without its line break).
    pub range: TextRange,
    pub kind: FoldKind,
}

pub fn folding_ranges(analysis: &Analysis) -> Vec<Fold> {
    let index = analysis.focus_index();
    let text = analysis.focus_text();
    let mut folds: Vec<Fold> = index
        .sections
        .iter()
        .map(|s| Fold { range: trim_line_break(text, s.range), kind: FoldKind::Section })
        .filter(|f| text[f.range].contains('\n'))
        .collect();
    // Runs of two or more lines that hold only a comment.
    let mut run: Option<(TextSize, TextSize, usize)> = None;
    for token in index.root().descendants_with_tokens().filter_map(|e| e.into_token()) {
        if token.kind() != SyntaxKind::COMMENT {
            continue;
        }
        let start = usize::from(token.text_range().start());
        let line_start = text.as_bytes()[..start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if !text[line_start..start].trim().is_empty() {
            continue;
        }
        let line_start = TextSize::from(line_start as u32);
        run = match run {
            Some((first, last_end, count)) if is_next_line(text, last_end, line_start) => {
                Some((first, token.text_range().end(), count + 1))
            }
            previous => {
                push_comment_run(&mut folds, previous);
                Some((token.text_range().start(), token.text_range().end(), 1))
            }
        };
    }
    push_comment_run(&mut folds, run);
    folds.sort_by_key(|f| f.range.start());
    folds
}

fn push_comment_run(folds: &mut Vec<Fold>, run: Option<(TextSize, TextSize, usize)>) {
    if let Some((start, end, _)) = run.filter(|r| r.2 >= 2) {
        folds.push(Fold { range: TextRange::new(start, end), kind: FoldKind::Comment });
    }
}

/// Whether `next_line_start` begins the line right after the one ending at `end`.
fn is_next_line(text: &str, end: TextSize, next_line_start: TextSize) -> bool {
    let between = &text[usize::from(end)..usize::from(next_line_start)];
    between == "\n" || between == "\r\n"
}

fn trim_line_break(text: &str, range: TextRange) -> TextRange {
    let trimmed = text[range].trim_end_matches(['\n', '\r', ' ', '\t']);
    TextRange::at(range.start(), TextSize::of(trimmed))
}
