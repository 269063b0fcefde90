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
pub use lexer::{Token, Tokens, tokenize};
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
