//! Typed views over the tree. Each is a `SyntaxNode` behind a kind check, so they
//! cost nothing; every accessor returns `Option` because any part may be missing
//! in broken input.

use rowan::TextRange;

use crate::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};

pub trait AstNode: Sized {
    fn can_cast(kind: SyntaxKind) -> bool;
    fn cast(node: SyntaxNode) -> Option<Self>;
    fn syntax(&self) -> &SyntaxNode;
    fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
}

macro_rules! ast_node {
    ($(#[$meta:meta])* $name:ident, $kind:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(SyntaxNode);

        impl AstNode for $name {
            fn can_cast(kind: SyntaxKind) -> bool {
                kind == $kind
            }
            fn cast(node: SyntaxNode) -> Option<Self> {
                Self::can_cast(node.kind()).then(|| Self(node))
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.0
            }
        }
    };
}

ast_node!(
    /// The whole file.
    SourceFile, SOURCE_FILE
);
ast_node!(
    /// A `conn`/`config` section: its header and body lines.
    Section, SECTION
);
ast_node!(SectionHeader, SECTION_HEADER);
ast_node!(Name, NAME);
ast_node!(
    /// One `key=value` line.
    KeyValue, KEY_VALUE
);
ast_node!(Key, KEY);
ast_node!(Value, VALUE);
ast_node!(
    /// `include PATTERN`.
    Include, INCLUDE
);
ast_node!(
    /// `version 2`.
    Version, VERSION
);

/// What comes at the top level of a file, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    Section(Section),
    Include(Include),
    Version(Version),
    /// A `key=value` line outside any section (a syntax error).
    KeyValue(KeyValue),
}

/// The two section types of ipsec.conf, or another word (a syntax error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionType {
    Config,
    Conn,
    Unknown,
}

fn children<N: AstNode>(node: &SyntaxNode) -> impl Iterator<Item = N> + use<N> {
    node.children().filter_map(N::cast)
}

fn child<N: AstNode>(node: &SyntaxNode) -> Option<N> {
    children(node).next()
}

fn first_token(node: &SyntaxNode, pred: impl Fn(SyntaxKind) -> bool) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| pred(t.kind()))
}

impl SourceFile {
    pub fn items(&self) -> impl Iterator<Item = Item> + use<> {
        self.0.children().filter_map(|node| match node.kind() {
            SECTION => Some(Item::Section(Section(node))),
            INCLUDE => Some(Item::Include(Include(node))),
            VERSION => Some(Item::Version(Version(node))),
            KEY_VALUE => Some(Item::KeyValue(KeyValue(node))),
            _ => None,
        })
    }

    pub fn sections(&self) -> impl Iterator<Item = Section> + use<> {
        children(&self.0)
    }

    pub fn includes(&self) -> impl Iterator<Item = Include> + use<> {
        children(&self.0)
    }
}

impl Section {
    pub fn header(&self) -> Option<SectionHeader> {
        child(&self.0)
    }

    pub fn section_type(&self) -> Option<SectionType> {
        self.header()?.section_type()
    }

    /// The section's name as libreswan sees it (quotes removed).
    pub fn name(&self) -> Option<String> {
        Some(self.header()?.name()?.text())
    }

    pub fn key_values(&self) -> impl Iterator<Item = KeyValue> + use<> {
        children(&self.0)
    }
}

impl SectionHeader {
    /// The `conn`/`config` keyword token (a plain word for an unknown type).
    pub fn keyword(&self) -> Option<SyntaxToken> {
        self.0.first_token().filter(|t| !t.kind().is_trivia())
    }

    pub fn section_type(&self) -> Option<SectionType> {
        Some(match self.keyword()?.kind() {
            CONN_KW => SectionType::Conn,
            CONFIG_KW => SectionType::Config,
            _ => SectionType::Unknown,
        })
    }

    pub fn name(&self) -> Option<Name> {
        child(&self.0)
    }
}

impl Name {
    /// The name with surrounding double quotes removed.
    pub fn text(&self) -> String {
        unquote_node(&self.0)
    }
}

impl KeyValue {
    pub fn key(&self) -> Option<Key> {
        child(&self.0)
    }

    /// The key as written.
    pub fn key_text(&self) -> Option<String> {
        Some(self.key()?.syntax().text().to_string())
    }

    pub fn value(&self) -> Option<Value> {
        child(&self.0)
    }

    /// The value without quotes or braces; `""` when the value is empty.
    pub fn value_text(&self) -> String {
        self.value().map(|v| v.text()).unwrap_or_default()
    }

    pub fn eq_token(&self) -> Option<SyntaxToken> {
        first_token(&self.0, |k| k == EQ)
    }
}

impl Key {
    pub fn token(&self) -> Option<SyntaxToken> {
        first_token(&self.0, |k| k == WORD)
    }
}

impl Value {
    /// The value as libreswan reads it: a lone `"…"` or `{…}` loses its
    /// delimiters; anything else is taken as written.
    pub fn text(&self) -> String {
        unquote_node(&self.0)
    }

    /// Whether the value was written in double quotes or braces.
    pub fn is_quoted(&self) -> bool {
        let mut tokens = self.0.children_with_tokens();
        matches!((tokens.next().map(|t| t.kind()), tokens.next()), (Some(STRING | BRACED), None))
    }
}

impl Include {
    pub fn keyword(&self) -> Option<SyntaxToken> {
        first_token(&self.0, |k| k == INCLUDE_KW)
    }

    pub fn pattern(&self) -> Option<Value> {
        child(&self.0)
    }
}

impl Version {
    pub fn keyword(&self) -> Option<SyntaxToken> {
        first_token(&self.0, |k| k == VERSION_KW)
    }

    pub fn value(&self) -> Option<Value> {
        child(&self.0)
    }
}

fn unquote_node(node: &SyntaxNode) -> String {
    let mut tokens = node.children_with_tokens().filter_map(|e| e.into_token());
    match (tokens.next(), tokens.next()) {
        (Some(only), None) => unquote(only.kind(), only.text()).to_string(),
        (None, _) => String::new(),
        _ => node.text().to_string(),
    }
}

/// Removes the delimiters of a `STRING` or `BRACED` token; other tokens as they are.
pub fn unquote(kind: SyntaxKind, text: &str) -> &str {
    match kind {
        STRING => {
            let inner = text.strip_prefix('"').unwrap_or(text);
            inner.strip_suffix('"').unwrap_or(inner)
        }
        BRACED => text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text),
        _ => text,
    }
}
