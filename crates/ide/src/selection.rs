//! Selection ranges: from the word under the cursor out to the whole file.

use syntax::{TextRange, TextSize};

use crate::Analysis;

/// For each offset, the nested ranges around it, innermost first.
pub fn selection_ranges(analysis: &Analysis, offsets: &[TextSize]) -> Vec<Vec<TextRange>> {
    let index = analysis.focus_index();
    let root = index.root();
    offsets
        .iter()
        .map(|&offset| {
            let mut ranges: Vec<TextRange> = Vec::new();
            let Some(token) = crate::hover::token_at(&root, offset) else {
                return vec![root.text_range()];
            };
            let at = index.also_refs.partition_point(|r| r.range.end() < offset);
            if let Some(word) = index.also_refs.get(at).filter(|r| r.range.contains_inclusive(offset)) {
                ranges.push(word.range);
            }
            ranges.push(token.text_range());
            for node in token.parent_ancestors() {
                ranges.push(node.text_range());
            }
            ranges.dedup();
            ranges
        })
        .collect()
}
