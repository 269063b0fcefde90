//! What a file means, as the syntax tree reads it, to check that formatting changes
//! nothing. This is stricter than comparing resolved conns: it compares every
//! top-level item in order (version, include patterns, each section's keyword,
//! name and ordered `key=value` pairs with values as written, quotes included),
//! every syntax error's message and the text of every error node.

use syntax::SyntaxKind;
use syntax::ast::{AstNode, Item};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeaningItem {
    Version(String),
    Include(String),
    Section {
        keyword: String,
        name: String,
        parameters: Vec<(String, String)>,
    },
    /// A `key=value` line outside any section.
    Stray(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meaning {
    pub items: Vec<MeaningItem>,
    /// `severity: message`, in order.
    pub errors: Vec<String>,
    /// The text of every ERROR node, in order.
    pub error_texts: Vec<String>,
}

pub fn meaning(text: &str) -> Meaning {
    let parse = syntax::parse(text);
    let root = parse.syntax_node();
    let items = parse
        .source_file()
        .items()
        .map(|item| match item {
            Item::Version(v) => {
                MeaningItem::Version(v.value().map(|v| v.syntax().text().to_string()).unwrap_or_default())
            }
            Item::Include(i) => {
                MeaningItem::Include(i.pattern().map(|v| v.syntax().text().to_string()).unwrap_or_default())
            }
            Item::Section(s) => {
                let header = s.header();
                MeaningItem::Section {
                    keyword: header
                        .as_ref()
                        .and_then(|h| h.keyword())
                        .map(|k| k.text().to_string())
                        .unwrap_or_default(),
                    name: header.and_then(|h| h.name()).map(|n| n.syntax().text().to_string()).unwrap_or_default(),
                    parameters: s.key_values().map(|kv| parameter(text, &kv)).collect(),
                }
            }
            Item::KeyValue(kv) => {
                let (key, value) = parameter(text, &kv);
                MeaningItem::Stray(key, value)
            }
        })
        .collect();
    let errors = parse.errors.iter().map(|e| format!("{:?}: {}", e.severity, e.message)).collect();
    let error_texts =
        root.descendants().filter(|n| n.kind() == SyntaxKind::ERROR).map(|n| n.text().to_string()).collect();
    Meaning { items, errors, error_texts }
}

/// The key and the value as written. For `x-`/`x_` keys libreswan takes the whole
/// rest of the line after `=` (white space and `#` included), so that is the value.
fn parameter(text: &str, kv: &syntax::ast::KeyValue) -> (String, String) {
    let key = kv.key_text().unwrap_or_default();
    let value = match kv.eq_token() {
        Some(eq) if syntax::is_user_extension(&key) => {
            let start = usize::from(eq.text_range().end());
            let rest = &text[start..];
            let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            line.strip_suffix('\r').unwrap_or(line).to_string()
        }
        _ => kv.value().map(|v| v.syntax().text().to_string()).unwrap_or_default(),
    };
    let has_eq = if kv.eq_token().is_some() { "=" } else { "" };
    (format!("{key}{has_eq}"), value)
}

/// Every comment's text in order, without trailing white space.
pub fn comments(text: &str) -> Vec<String> {
    syntax::tokenize(text)
        .into_iter()
        .filter(|t| t.kind == SyntaxKind::COMMENT)
        .map(|t| t.text.trim_end_matches([' ', '\t']).to_string())
        .collect()
}

/// Checks that `formatted` is a fixed point and means what `original` means;
/// returns what differs.
pub fn check_formatting(original: &str, formatted: &str, reformatted: &str) -> Result<(), String> {
    if reformatted != formatted {
        return Err(format!("not idempotent:\n--- once\n{formatted}\n--- twice\n{reformatted}"));
    }
    let (before, after) = (meaning(original), meaning(formatted));
    if before != after {
        return Err(format!("meaning changed:\nbefore: {before:?}\nafter:  {after:?}"));
    }
    let (before, after) = (comments(original), comments(formatted));
    if before != after {
        return Err(format!("comments changed:\nbefore: {before:?}\nafter:  {after:?}"));
    }
    Ok(())
}
