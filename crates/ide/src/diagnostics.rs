//! The diagnostics of the file being edited, each with its quick fixes.

use model::catalogue::{self, SectionKind};
use model::{FileId, Severity};
use syntax::{TextRange, TextSize};

use crate::{Analysis, TextEdit};

/// Another place that explains a diagnostic, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedInfo {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

/// A quick fix: a title and the edits to the focus file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// The fix to apply when several are offered.
    pub preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<RelatedInfo>,
    pub fixes: Vec<Fix>,
}

/// Diagnostics in the focus file, sorted by position; warnings only when the
/// options ask for them.
pub fn diagnostics(analysis: &Analysis) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = analysis
        .resolved
        .diagnostics
        .iter()
        .filter(|d| d.file == analysis.focus)
        .filter(|d| analysis.options.warnings || d.severity == Severity::Error)
        .map(|d| Diagnostic {
            code: d.code,
            severity: d.severity,
            range: d.range,
            message: d.message.clone(),
            related: d
                .related
                .iter()
                .map(|r| RelatedInfo { file: r.file, range: r.range, message: r.message.clone() })
                .collect(),
            fixes: fixes(analysis, d.code, d.range),
        })
        .collect();
    out.extend(include_problems_below(analysis));
    out.sort_by_key(|d| (d.range.start(), d.range.end()));
    out
}

/// Include cycles and runaway depth found in included files, shown on the focus
/// file's `include` line that leads to them (else nobody would see them).
fn include_problems_below(analysis: &Analysis) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &analysis.resolved.diagnostics {
        if d.file == analysis.focus || !matches!(d.code, model::codes::INCLUDE_CYCLE | model::codes::INCLUDE_DEPTH) {
            continue;
        }
        let below = analysis.path(d.file).display().to_string();
        let Some((line, _, _)) = analysis.includes.iter().find(|(_, _, targets)| {
            targets.iter().any(|t| t.display().to_string() == below || d.message.contains(&*t.display().to_string()))
        }) else {
            continue;
        };
        out.push(Diagnostic {
            code: d.code,
            severity: d.severity,
            range: *line,
            message: format!("in {below}: {}", d.message),
            related: vec![RelatedInfo { file: d.file, range: d.range, message: "found here".into() }],
            fixes: Vec::new(),
        });
    }
    out
}

/// Quick fixes for a diagnostic, derived from its code and the key at its range.
pub(crate) fn fixes(analysis: &Analysis, code: &str, range: TextRange) -> Vec<Fix> {
    let text = analysis.focus_text();
    let Some(written) = text.get(std::ops::Range::<usize>::from(range)) else { return Vec::new() };
    let section = section_kind_at(analysis, range.start());
    let replace = |title: String, new_text: String, preferred: bool| Fix {
        title,
        edits: vec![TextEdit { range, new_text }],
        preferred,
    };
    match code {
        model::codes::KEY_DUPLICATE => {
            vec![Fix {
                title: format!("Remove this duplicate `{written}` line"),
                edits: vec![TextEdit { range: line_range(text, range.start()), new_text: String::new() }],
                preferred: true,
            }]
        }
        model::codes::KEYWORD_UNKNOWN | model::codes::KEYWORD_SECTION => catalogue::suggest(written, section)
            .into_iter()
            .enumerate()
            .map(|(i, name)| replace(format!("Replace `{written}` with `{name}`"), name, i == 0))
            .collect(),
        model::codes::KEYWORD_OBSOLETE | model::codes::KEYWORD_ALIAS => {
            let Some(found) = catalogue::lookup_in(written, section) else { return Vec::new() };
            let keyword = found.keyword;
            let replacement = keyword.alias_of.or(keyword.obsolete.and_then(|o| o.replacement));
            match replacement {
                Some(name) => {
                    let target =
                        catalogue::lookup(name).map_or_else(|| name.to_string(), |t| t.keyword.spelled(found.side));
                    vec![replace(format!("Replace `{written}` with `{target}`"), target, true)]
                }
                None if keyword.obsolete.is_some() => vec![Fix {
                    title: format!("Remove the obsolete `{written}` line"),
                    edits: vec![TextEdit { range: line_range(text, range.start()), new_text: String::new() }],
                    preferred: true,
                }],
                None => Vec::new(),
            }
        }
        model::codes::KEYWORD_BARE_SIDE => {
            let new_text = format!("right{}", written.to_ascii_lowercase());
            vec![replace(format!("Write `{new_text}` (what a bare `{written}` means)"), new_text, true)]
        }
        _ => Vec::new(),
    }
}

fn section_kind_at(analysis: &Analysis, offset: TextSize) -> Option<SectionKind> {
    let index = analysis.focus_index();
    let section = &index.sections[index.section_at(offset)?];
    match section.section_type {
        syntax::ast::SectionType::Config => Some(SectionKind::Config),
        syntax::ast::SectionType::Conn => Some(SectionKind::Conn),
        syntax::ast::SectionType::Unknown => None,
    }
}

/// The whole line holding `offset`, with its line break.
pub(crate) fn line_range(text: &str, offset: TextSize) -> TextRange {
    let offset = usize::from(offset).min(text.len());
    let bytes = text.as_bytes();
    let start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = bytes[offset..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| offset + i + 1);
    TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32))
}
