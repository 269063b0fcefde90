//! Editor features over an analysed `ipsec.conf`: diagnostics, completion, hover,
//! navigation, rename, symbols, folding, selection, semantic tokens, document links,
//! quick fixes, inlay hints and formatting.
//!
//! Every feature is a function of an [`Analysis`] and a byte offset (or range) in the
//! file being edited, returning plain data with byte offsets. Nothing here knows the
//! language server protocol, UTF-16 or the file system: includes come through the
//! caller's [`model::Loader`].

mod analysis;
mod code_actions;
mod completion;
mod diagnostics;
mod folding;
mod formatting;
mod hover;
mod inlay_hints;
mod navigation;
mod selection;
mod semantic_tokens;
mod symbols;

pub use analysis::{AlsoRef, Analysis, AnalysisOptions, FileIndex, IndexCache, SectionInfo, Version, value_words};
pub use code_actions::{CodeAction, code_actions};
pub use completion::{CompletionItem, CompletionKind, completion};
pub use diagnostics::{Diagnostic, Fix, RelatedInfo, diagnostics};
pub use folding::{Fold, FoldKind, folding_ranges};
pub use formatter::{FormatOptions, Indent};
pub use formatting::{format, format_range};
pub use hover::{HoverResult, hover};
pub use inlay_hints::{InlayHint, inlay_hints};
pub use navigation::{
    DocumentLink, FileEdit, Location, RenameError, document_links, goto_definition, prepare_rename, references, rename,
};
pub use selection::selection_ranges;
pub use semantic_tokens::{SemanticToken, TokenType, semantic_tokens};
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};

pub use model::{FileId, Severity};
pub use syntax::{TextRange, TextSize};

/// A replacement of `range` (byte offsets in one file) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// `text` with `edits` made, as an editor makes them: the edits do not overlap, and
/// texts inserted at one place keep the order of the list.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    // From the end backwards, so that earlier ranges stay valid.
    let mut order: Vec<&TextEdit> = edits.iter().rev().collect();
    order.sort_by_key(|edit| std::cmp::Reverse(edit.range.start()));
    let mut out = text.to_string();
    for edit in order {
        out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
    }
    out
}
