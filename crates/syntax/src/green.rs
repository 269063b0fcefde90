//! A green-tree builder tuned for ipsec.conf.
//!
//! rowan's `GreenNodeBuilder` hashes every token and every small node into a cache.
//! Configs repeat a small set of tokens (`\t`, `\n`, `=`, keys, common values) and
//! small nodes (`KEY` "left", `VALUE` "yes", whole `auto=add` lines), so this builder
//! shares those and creates the rest directly:
//! - newlines, `=`, keywords and the usual indents come from a short list, found by a
//!   `match` without hashing;
//! - `KEY` nodes and whole short `key=value` lines are interned by their text, one
//!   hash for the whole node;
//! - short words are interned by text; section names, rarely repeated, never are;
//! - a node of at most three children that are all shared is interned by the
//!   identity of its children, which costs one small hash instead of an allocation.

use rowan::{GreenNode, GreenToken, NodeOrToken};
use rustc_hash::FxHashMap;

use crate::SyntaxKind;
use crate::parser::Sink;

type Element = NodeOrToken<GreenNode, GreenToken>;

/// Words longer than this are rarely repeated: creating them is cheaper than
/// hashing them. Keys are always interned.
const MAX_INTERNED_LEN: usize = 8;

/// Tokens on nearly every line, found by a `match` rather than a hash.
const COMMON_TOKENS: [(SyntaxKind, &str); 12] = [
    (SyntaxKind::NEWLINE, "\n"),
    (SyntaxKind::WHITESPACE, "\t"),
    (SyntaxKind::EQ, "="),
    (SyntaxKind::WHITESPACE, " "),
    (SyntaxKind::NEWLINE, "\r\n"),
    (SyntaxKind::WHITESPACE, "  "),
    (SyntaxKind::WHITESPACE, "    "),
    (SyntaxKind::WHITESPACE, "        "),
    (SyntaxKind::CONN_KW, "conn"),
    (SyntaxKind::CONFIG_KW, "config"),
    (SyntaxKind::INCLUDE_KW, "include"),
    (SyntaxKind::VERSION_KW, "version"),
];

/// The index of `(kind, text)` in [`COMMON_TOKENS`].
fn common_index(kind: SyntaxKind, text: &str) -> Option<usize> {
    use SyntaxKind::*;
    Some(match (kind, text) {
        (NEWLINE, "\n") => 0,
        (WHITESPACE, "\t") => 1,
        (EQ, "=") => 2,
        (WHITESPACE, " ") => 3,
        (NEWLINE, "\r\n") => 4,
        (WHITESPACE, "  ") => 5,
        (WHITESPACE, "    ") => 6,
        (WHITESPACE, "        ") => 7,
        (CONN_KW, "conn") => 8,
        (CONFIG_KW, "config") => 9,
        (INCLUDE_KW, "include") => 10,
        (VERSION_KW, "version") => 11,
        _ => return None,
    })
}

/// A small node's identity: its kind and the addresses of its shared children.
type NodeKey = (SyntaxKind, [usize; 3]);

pub(crate) struct TreeBuilder<'a> {
    /// `(node kind, index in children where the node starts)` of each open node.
    open: Vec<(SyntaxKind, usize)>,
    /// Finished children of the open nodes, each with whether it is shared.
    children: Vec<(Element, bool)>,
    tokens: FxHashMap<(SyntaxKind, &'a str), GreenToken>,
    nodes: FxHashMap<NodeKey, GreenNode>,
    /// Nodes interned by their text: `KEY`s, and whole short `key=value` lines.
    nodes_by_text: FxHashMap<(SyntaxKind, &'a str), GreenNode>,
    common: Vec<GreenToken>,
}

impl Default for TreeBuilder<'_> {
    fn default() -> Self {
        TreeBuilder {
            open: Vec::new(),
            children: Vec::new(),
            tokens: FxHashMap::default(),
            nodes: FxHashMap::default(),
            nodes_by_text: FxHashMap::default(),
            common: COMMON_TOKENS.iter().map(|&(kind, text)| GreenToken::new(kind.into(), text)).collect(),
        }
    }
}

fn address(element: &Element) -> usize {
    match element {
        NodeOrToken::Node(node) => &**node as *const rowan::GreenNodeData as usize,
        NodeOrToken::Token(token) => &**token as *const rowan::GreenTokenData as usize,
    }
}

impl<'a> Sink<'a> for TreeBuilder<'a> {
    fn start_node(&mut self, kind: SyntaxKind) {
        self.open.push((kind, self.children.len()));
    }

    fn token(&mut self, kind: SyntaxKind, text: &'a str) {
        self.add_token(kind, text, text.len() <= MAX_INTERNED_LEN);
    }

    /// A token that is rarely repeated whatever its length (a section name).
    fn unique_token(&mut self, kind: SyntaxKind, text: &'a str) {
        self.add_token(kind, text, false);
    }

    fn finish_node(&mut self) {
        let (kind, first_child) = self.open.pop().expect("finish_node without start_node");
        let children = &self.children[first_child..];
        let (node, shared) = if children.len() <= 3 && children.iter().all(|(_, shared)| *shared) {
            let mut key = (kind, [0; 3]);
            for (slot, (child, _)) in key.1.iter_mut().zip(children) {
                *slot = address(child);
            }
            let node = self
                .nodes
                .entry(key)
                .or_insert_with(|| GreenNode::new(kind.into(), children.iter().map(|(c, _)| c.clone())))
                .clone();
            self.children.truncate(first_child);
            (node, true)
        } else {
            (GreenNode::new(kind.into(), self.children.drain(first_child..).map(|(c, _)| c)), false)
        };
        self.children.push((NodeOrToken::Node(node), shared));
    }

    /// Adds the node of `kind` made earlier from the same `text`, if any.
    fn reuse_node(&mut self, kind: SyntaxKind, text: &'a str) -> bool {
        let Some(node) = self.nodes_by_text.get(&(kind, text)) else { return false };
        self.children.push((NodeOrToken::Node(node.clone()), true));
        true
    }

    /// Makes the node just finished reusable by [`Self::reuse_node`] for `text`.
    fn share_last_node(&mut self, kind: SyntaxKind, text: &'a str) {
        let Some((NodeOrToken::Node(node), shared)) = self.children.last_mut() else { return };
        *shared = true;
        self.nodes_by_text.insert((kind, text), node.clone());
    }
}

impl<'a> TreeBuilder<'a> {
    fn add_token(&mut self, kind: SyntaxKind, text: &'a str, intern: bool) {
        let (token, shared) = if let Some(index) = common_index(kind, text) {
            (self.common[index].clone(), true)
        } else if intern {
            (self.tokens.entry((kind, text)).or_insert_with(|| GreenToken::new(kind.into(), text)).clone(), true)
        } else {
            (GreenToken::new(kind.into(), text), false)
        };
        self.children.push((NodeOrToken::Token(token), shared));
    }

    /// The root node; every started node must have been finished.
    pub(crate) fn finish(mut self) -> GreenNode {
        assert!(self.open.is_empty() && self.children.len() == 1, "unbalanced tree");
        match self.children.pop() {
            Some((NodeOrToken::Node(node), _)) => node,
            _ => unreachable!("the root is a node"),
        }
    }
}
