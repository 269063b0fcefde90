//! Inlay hints: after a conn's header, the values it inherits from `%default` and `also=`.

use model::Via;
use syntax::TextRange;

use crate::Analysis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint goes: the end of the conn's header line.
    pub offset: syntax::TextSize,
    pub label: String,
    /// Where the value came from (`%default`, `also=base`).
    pub tooltip: String,
}

/// Hints for the conn headers inside `range`.
pub fn inlay_hints(analysis: &Analysis, range: TextRange) -> Vec<InlayHint> {
    let index = analysis.focus_index();
    let first = index.sections.partition_point(|s| s.range.end() < range.start());
    let mut hints = Vec::new();
    for section in index.sections[first..].iter().take_while(|s| s.range.start() <= range.end()) {
        let Some(name_range) = section.name_range else { continue };
        if !section.is_conn() || section.name == "%default" {
            continue;
        }
        let Some(conn) = analysis.conn(&section.name) else { continue };
        if conn.file != analysis.focus || conn.name_range != name_range {
            continue;
        }
        for value in conn.values.iter() {
            let from = match &value.via() {
                Via::Own => continue,
                Via::Default => "%default".to_string(),
                via => via.to_string(),
            };
            hints.push(InlayHint {
                offset: section.header_range.end(),
                label: format!("{}={}", value.key, value.value),
                tooltip: format!("inherited from {from} (conn {})", value.section()),
            });
        }
    }
    hints
}
