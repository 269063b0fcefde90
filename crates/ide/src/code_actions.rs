//! Quick fixes for the diagnostics that touch a range.

use syntax::TextRange;

use crate::diagnostics::fixes;
use crate::{Analysis, TextEdit};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The code and range of the diagnostic it fixes.
    pub code: &'static str,
    pub diagnostic_range: TextRange,
    pub edits: Vec<TextEdit>,
    pub preferred: bool,
}

/// The quick fixes of every focus-file diagnostic that overlaps `range`.
pub fn code_actions(analysis: &Analysis, range: TextRange) -> Vec<CodeAction> {
    analysis
        .resolved
        .diagnostics
        .iter()
        .filter(|d| d.file == analysis.focus && touches(d.range, range))
        .filter(|d| analysis.options.warnings || d.severity == model::Severity::Error)
        .flat_map(|d| {
            fixes(analysis, d.code, d.range).into_iter().map(move |fix| CodeAction {
                title: fix.title,
                code: d.code,
                diagnostic_range: d.range,
                edits: fix.edits,
                preferred: fix.preferred,
            })
        })
        .collect()
}

/// Overlap that also counts touching ends, so a cursor at a word's edge gets its fixes.
fn touches(a: TextRange, b: TextRange) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}
