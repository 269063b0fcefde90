//! The lossless syntax tree of Libreswan's `ipsec.conf`.
//!
//! [`parse`] turns any text into a rowan tree whose text is the input byte for byte,
//! plus the syntax errors found; [`ast`] gives typed, zero-cost views over it.

pub mod ast;
mod green;
mod kind;
mod lexer;
pub mod outline;
mod parser;

pub use kind::{IpsecConf, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use lexer::{Token, tokenize};
pub use parser::{Parse, Severity, SyntaxError, is_user_extension, is_valid_name, parse};
pub use rowan::{GreenNode, TextRange, TextSize};

impl Parse {
    pub fn syntax_node(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn source_file(&self) -> ast::SourceFile {
        use ast::AstNode;
        ast::SourceFile::cast(self.syntax_node()).expect("the root is always a SOURCE_FILE")
    }

    /// Only the errors, not the warnings.
    pub fn has_errors(&self) -> bool {
        self.errors.iter().any(|e| e.severity == Severity::Error)
    }

    /// The tree as rowan's alternate debug dump, then one error a line.
    pub fn debug_dump(&self) -> String {
        let mut out = format!("{:#?}", self.syntax_node());
        for error in &self.errors {
            out.push_str(&error.to_string());
            out.push('\n');
        }
        out
    }
}

impl Parse {
    /// The file's items read straight from the green tree (see [`outline`]).
    pub fn outline(&self) -> Vec<outline::OutlineItem<'_>> {
        outline::outline(&self.green)
    }
}

/// Offsets that cut `text` into up to `count` pieces of similar size which parse on
/// their own exactly as they do within the whole text: 0, then starts of `conn` and
/// `config` lines (a section header at column 0 ends whatever came before it).
pub fn piece_starts(text: &str, count: usize) -> Vec<usize> {
    let mut starts = vec![0];
    for i in 1..count {
        let from = (text.len() * i / count).max(starts[starts.len() - 1] + 1);
        match section_start_after(text, from) {
            Some(start) => starts.push(start),
            None => break,
        }
    }
    starts
}

/// 0 and the start of every `conn` and `config` line: cut there, each piece (one
/// section, the first with what comes before it) parses on its own exactly as it
/// does within the whole text.
pub fn section_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(header_starts(text, 0));
    starts
}

/// The start of the first line at or after `from` that begins a section.
fn section_start_after(text: &str, from: usize) -> Option<usize> {
    header_starts(text, from).next()
}

/// The starts of the lines after `from` that begin a section. Header lines are the
/// only ones that start with `c` but comments' and stray text's: look for those
/// (`\nc`, SIMD-fast) rather than at every line.
fn header_starts(text: &str, from: usize) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(&bytes[from.min(bytes.len())..], b"\nc").map(move |at| from + at + 1).filter(
        move |&start| {
            let line = &bytes[start..];
            ["conn", "config"].iter().any(|keyword| {
                line.starts_with(keyword.as_bytes()) && matches!(line.get(keyword.len()), Some(b' ' | b'\t'))
            })
        },
    )
}
