//! ide results to protocol types. Only this crate knows positions and URIs.

use std::collections::HashMap;

use ide::{Analysis, FileId, TextRange};
use tower_lsp_server::ls_types as lsp;

use crate::line_index::{Encoding, LineIndex};
use crate::state::{Snapshot, State};

/// Converts ranges in any file an analysis read, building line indexes on demand.
pub struct Ranges<'a> {
    pub snapshot: &'a Snapshot,
    others: HashMap<FileId, LineIndex>,
}

impl<'a> Ranges<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        Ranges { snapshot, others: HashMap::new() }
    }

    pub fn focus(&self, range: TextRange) -> lsp::Range {
        let s = self.snapshot;
        s.line_index.range(&s.text, range, s.encoding)
    }

    pub fn in_file(&mut self, file: FileId, range: TextRange) -> lsp::Range {
        let analysis: &Analysis = &self.snapshot.analysis;
        if file == analysis.focus {
            return self.focus(range);
        }
        let text = analysis.text(file);
        let index = self.others.entry(file).or_insert_with(|| LineIndex::new(text));
        index.range(text, range, self.snapshot.encoding)
    }

    pub fn location(&mut self, state: &State, location: &ide::Location) -> Option<lsp::Location> {
        let range = match location.file {
            Some(file) => self.in_file(file, location.range),
            None => lsp::Range::default(),
        };
        Some(lsp::Location::new(state.uri_for(&location.path)?, range))
    }
}

pub fn severity(severity: ide::Severity) -> lsp::DiagnosticSeverity {
    match severity {
        ide::Severity::Error => lsp::DiagnosticSeverity::ERROR,
        ide::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        ide::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostics(state: &State, snapshot: &Snapshot) -> Vec<lsp::Diagnostic> {
    let mut ranges = Ranges::new(snapshot);
    ide::diagnostics(&snapshot.analysis)
        .into_iter()
        .map(|d| {
            let related = d
                .related
                .iter()
                .filter_map(|r| {
                    let path = snapshot.analysis.path(r.file);
                    Some(lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(state.uri_for(path)?, ranges.in_file(r.file, r.range)),
                        message: r.message.clone(),
                    })
                })
                .collect::<Vec<_>>();
            lsp::Diagnostic {
                range: ranges.focus(d.range),
                severity: Some(severity(d.severity)),
                code: Some(lsp::NumberOrString::String(d.code.to_string())),
                source: Some("ipsecconf".into()),
                message: d.message,
                related_information: (!related.is_empty()).then_some(related),
                ..lsp::Diagnostic::default()
            }
        })
        .collect()
}

pub fn completion_item(ranges: &Ranges<'_>, item: ide::CompletionItem) -> lsp::CompletionItem {
    use ide::CompletionKind as K;
    let kind = match item.kind {
        K::Section => lsp::CompletionItemKind::MODULE,
        K::Keyword => lsp::CompletionItemKind::PROPERTY,
        K::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        K::Conn => lsp::CompletionItemKind::CLASS,
        K::File => lsp::CompletionItemKind::FILE,
        K::Folder => lsp::CompletionItemKind::FOLDER,
    };
    lsp::CompletionItem {
        label: item.label,
        kind: Some(kind),
        detail: item.detail,
        documentation: item.documentation.map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value })
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(ranges.focus(item.range), item.insert_text))),
        insert_text_format: Some(if item.is_snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        tags: item.deprecated.then(|| vec![lsp::CompletionItemTag::DEPRECATED]),
        ..lsp::CompletionItem::default()
    }
}

pub fn symbol_kind(kind: ide::SymbolKind) -> lsp::SymbolKind {
    match kind {
        ide::SymbolKind::Conn => lsp::SymbolKind::CLASS,
        ide::SymbolKind::Default => lsp::SymbolKind::INTERFACE,
        ide::SymbolKind::Config => lsp::SymbolKind::NAMESPACE,
        ide::SymbolKind::Parameter => lsp::SymbolKind::PROPERTY,
        ide::SymbolKind::Include => lsp::SymbolKind::FILE,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn document_symbol(ranges: &Ranges<'_>, symbol: ide::Symbol) -> lsp::DocumentSymbol {
    let children: Vec<lsp::DocumentSymbol> = symbol.children.into_iter().map(|c| document_symbol(ranges, c)).collect();
    lsp::DocumentSymbol {
        name: if symbol.name.is_empty() { "(empty)".into() } else { symbol.name },
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: ranges.focus(symbol.range),
        selection_range: ranges.focus(symbol.selection_range),
        children: (!children.is_empty()).then_some(children),
    }
}

pub const TOKEN_TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::MACRO,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::OPERATOR,
];

pub const TOKEN_MODIFIERS: &[lsp::SemanticTokenModifier] =
    &[lsp::SemanticTokenModifier::DECLARATION, lsp::SemanticTokenModifier::DEPRECATED];

fn token_type_index(token_type: ide::TokenType) -> u32 {
    ide::TokenType::ALL.iter().position(|t| *t == token_type).expect("every type is listed") as u32
}

/// Encodes tokens relative to each other, as the protocol wants; tokens that span
/// lines are dropped (clients need single-line tokens unless they say otherwise).
pub fn semantic_tokens(ranges: &Ranges<'_>, tokens: &[ide::SemanticToken]) -> Vec<lsp::SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0, 0);
    for token in tokens {
        let range = ranges.focus(token.range);
        if range.start.line != range.end.line || range.end.character == range.start.character {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 { range.start.character - start } else { range.start.character };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: token_type_index(token.token_type),
            token_modifiers_bitset: u32::from(token.declaration) | (u32::from(token.deprecated) << 1),
        });
        line = range.start.line;
        start = range.start.character;
    }
    out
}

pub fn encoding_of(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
    }
}
