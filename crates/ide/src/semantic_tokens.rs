//! Semantic tokens: what each word of the focus file is, for highlighting.

use model::catalogue::{self, ValueKind};
use syntax::ast::{self, AstNode};
use syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    /// `conn`, `config`, `include`, `version`.
    Keyword,
    /// A conn name: in a header or an `also=` value.
    Conn,
    /// `%default`, `setup` and magic `%…` values.
    Macro,
    /// A known parameter name.
    Property,
    /// A key the catalogue does not know (user extensions included).
    UnknownProperty,
    String,
    Number,
    /// A word from the keyword's fixed set (enum, boolean).
    EnumMember,
    Comment,
    Operator,
}

impl TokenType {
    pub const ALL: &[TokenType] = &[
        TokenType::Keyword,
        TokenType::Conn,
        TokenType::Macro,
        TokenType::Property,
        TokenType::UnknownProperty,
        TokenType::String,
        TokenType::Number,
        TokenType::EnumMember,
        TokenType::Comment,
        TokenType::Operator,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub token_type: TokenType,
    /// A section name where it is defined.
    pub declaration: bool,
    /// An obsolete keyword.
    pub deprecated: bool,
}

/// Tokens of the focus file inside `range` (the whole file when `None`), in order.
pub fn semantic_tokens(analysis: &Analysis, range: Option<TextRange>) -> Vec<SemanticToken> {
    let root = analysis.focus_index().root();
    let range = range.unwrap_or(root.text_range());
    let mut out = Vec::new();
    let start = match root.covering_element(range) {
        rowan::NodeOrToken::Node(node) => node,
        rowan::NodeOrToken::Token(token) => token.parent().unwrap_or(root),
    };
    for token in start.descendants_with_tokens().filter_map(|e| e.into_token()) {
        if token.text_range().intersect(range).is_none_or(|r| r.is_empty() && !token.text_range().is_empty()) {
            continue;
        }
        classify(&token, &mut out);
    }
    out
}

fn push(out: &mut Vec<SemanticToken>, range: TextRange, token_type: TokenType) {
    out.push(SemanticToken { range, token_type, declaration: false, deprecated: false });
}

fn classify(token: &SyntaxToken, out: &mut Vec<SemanticToken>) {
    let range = token.text_range();
    let parent = token.parent();
    match token.kind() {
        SyntaxKind::CONN_KW | SyntaxKind::CONFIG_KW | SyntaxKind::INCLUDE_KW | SyntaxKind::VERSION_KW => {
            push(out, range, TokenType::Keyword)
        }
        SyntaxKind::COMMENT => push(out, range, TokenType::Comment),
        SyntaxKind::EQ => push(out, range, TokenType::Operator),
        SyntaxKind::WORD | SyntaxKind::STRING | SyntaxKind::BRACED => match parent.as_ref().map(SyntaxNode::kind) {
            Some(SyntaxKind::NAME) => {
                let token_type = if token.text().starts_with('%') || is_config_name(token) {
                    TokenType::Macro
                } else {
                    TokenType::Conn
                };
                out.push(SemanticToken { range, token_type, declaration: true, deprecated: false });
            }
            Some(SyntaxKind::KEY) => {
                let key = token.text();
                let found = catalogue::lookup(key);
                let known = found.is_some() || catalogue::is_non_parameter_word(&key.to_ascii_lowercase());
                let deprecated = found.is_some_and(|f| f.keyword.obsolete.is_some() || f.keyword.alias_of.is_some());
                let token_type = if known { TokenType::Property } else { TokenType::UnknownProperty };
                out.push(SemanticToken { range, token_type, declaration: false, deprecated });
            }
            Some(SyntaxKind::VALUE) => classify_value(token, parent.as_ref().expect("matched"), out),
            _ => {}
        },
        _ => {}
    }
}

fn is_config_name(token: &SyntaxToken) -> bool {
    token.parent_ancestors().find_map(ast::SectionHeader::cast).and_then(|h| h.section_type())
        == Some(ast::SectionType::Config)
}

fn classify_value(token: &SyntaxToken, value: &SyntaxNode, out: &mut Vec<SemanticToken>) {
    let range = token.text_range();
    let Some(kv) = value.parent().and_then(ast::KeyValue::cast) else {
        // `include` patterns and `version` numbers.
        let token_type = if token.text().parse::<f64>().is_ok() { TokenType::Number } else { TokenType::String };
        return push(out, range, token_type);
    };
    let key = kv.key_text().unwrap_or_default().to_ascii_lowercase();
    if key == "also" || key == "alsoflip" {
        if let Some(value) = ast::Value::cast(value.clone()) {
            for (_, word) in crate::analysis::value_words(&value) {
                push(out, word, TokenType::Conn);
            }
        }
        return;
    }
    let text = syntax::ast::unquote(token.kind(), token.text());
    let keyword = catalogue::lookup(&key).map(|f| f.keyword);
    let token_type = if text.starts_with('%') {
        TokenType::Macro
    } else if keyword.is_some_and(|k| {
        matches!(k.kind, ValueKind::Bool | ValueKind::Enum | ValueKind::LooseEnum)
            && k.values.iter().any(|v| v.eq_ignore_ascii_case(text))
    }) {
        TokenType::EnumMember
    } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        TokenType::Number
    } else {
        TokenType::String
    };
    push(out, range, token_type);
}
