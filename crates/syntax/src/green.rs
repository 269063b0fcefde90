//! A green-tree builder tuned for ipsec.conf.
//!
//! rowan's `GreenNodeBuilder` hashes every token and every small node into a cache;
//! on a 1.5 MB file that costs more than everything else together. Configs repeat
//! a small set of tokens (`\t`, `\n`, `=`, keys, common values), so this builder
//! interns short tokens only and creates nodes directly.

use rowan::{GreenNode, GreenToken, NodeOrToken};

use rustc_hash::FxHashMap;

use crate::SyntaxKind;

type Element = NodeOrToken<GreenNode, GreenToken>;

/// Tokens longer than this are rarely repeated: creating them is cheaper than
/// hashing them.
const MAX_INTERNED_LEN: usize = 8;

pub(crate) struct TreeBuilder<'a> {
    /// `(node kind, index in children where the node starts)` of each open node.
    open: Vec<(SyntaxKind, usize)>,
    children: Vec<Element>,
    tokens: FxHashMap<(SyntaxKind, &'a str), GreenToken>,
    /// Newlines, `=` and the usual indents: half of all tokens, found without hashing.
    common: Vec<(SyntaxKind, &'static str, GreenToken)>,
}

const COMMON_TOKENS: [(SyntaxKind, &str); 8] = [
    (SyntaxKind::NEWLINE, "\n"),
    (SyntaxKind::WHITESPACE, "\t"),
    (SyntaxKind::EQ, "="),
    (SyntaxKind::WHITESPACE, " "),
    (SyntaxKind::NEWLINE, "\r\n"),
    (SyntaxKind::WHITESPACE, "  "),
    (SyntaxKind::WHITESPACE, "    "),
    (SyntaxKind::WHITESPACE, "        "),
];

impl Default for TreeBuilder<'_> {
    fn default() -> Self {
        TreeBuilder {
            open: Vec::new(),
            children: Vec::new(),
            tokens: FxHashMap::default(),
            common: COMMON_TOKENS
                .iter()
                .map(|&(kind, text)| (kind, text, GreenToken::new(kind.into(), text)))
                .collect(),
        }
    }
}

impl<'a> TreeBuilder<'a> {
    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        self.open.push((kind, self.children.len()));
    }

    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &'a str) {
        let common = self.common.iter().find(|(k, t, _)| *k == kind && *t == text);
        let token = if let Some((_, _, token)) = common {
            token.clone()
        } else if text.len() <= MAX_INTERNED_LEN {
            self.tokens.entry((kind, text)).or_insert_with(|| GreenToken::new(kind.into(), text)).clone()
        } else {
            GreenToken::new(kind.into(), text)
        };
        self.children.push(NodeOrToken::Token(token));
    }

    pub(crate) fn finish_node(&mut self) {
        let (kind, first_child) = self.open.pop().expect("finish_node without start_node");
        let node = GreenNode::new(kind.into(), self.children.drain(first_child..));
        self.children.push(NodeOrToken::Node(node));
    }

    /// The root node; every started node must have been finished.
    pub(crate) fn finish(mut self) -> GreenNode {
        assert!(self.open.is_empty() && self.children.len() == 1, "unbalanced tree");
        match self.children.pop() {
            Some(NodeOrToken::Node(node)) => node,
            _ => unreachable!("the root is a node"),
        }
    }
}
