//! A flat view of a file's items, read straight from the green tree.
//!
//! The typed AST walks rowan's red tree, which allocates a cursor for every node
//! and token it visits. Resolving a 10,000-conn file only needs each section's
//! header and `key=value` lines, so this walks the green tree instead: no
//! allocation but the result, texts borrowed from the tree. It agrees with the
//! typed AST on every field (a test checks that over the corpus).

use std::borrow::Cow;

use rowan::{GreenNodeData, GreenTokenData, NodeOrToken, TextRange, TextSize};

use crate::SyntaxKind::{self, *};
use crate::ast::{SectionType, unquote};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutlineItem<'a> {
    Section(OutlineSection<'a>),
    Include(OutlineInclude<'a>),
    Version {
        range: TextRange,
    },
    /// A `key=value` line outside any section (a syntax error).
    StrayEntry(OutlineEntry<'a>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineSection<'a> {
    pub section_type: Option<SectionType>,
    /// Quotes removed, as [`crate::ast::Name::text`].
    pub name: Option<Cow<'a, str>>,
    pub name_range: Option<TextRange>,
    pub header_range: TextRange,
    pub range: TextRange,
    pub entries: Vec<OutlineEntry<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry<'a> {
    /// As written.
    pub key: &'a str,
    pub key_range: TextRange,
    /// Quotes or braces removed, as [`crate::ast::Value::text`]; `""` when empty.
    pub value: Cow<'a, str>,
    /// `None` when the line has no value.
    pub value_range: Option<TextRange>,
    /// The `=` sign, when there is one.
    pub eq_range: Option<TextRange>,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineInclude<'a> {
    pub pattern: Option<Cow<'a, str>>,
    pub pattern_range: Option<TextRange>,
    pub range: TextRange,
}

type Child<'a> = NodeOrToken<&'a GreenNodeData, &'a GreenTokenData>;

/// The children of `node` with their absolute ranges.
fn children(node: &GreenNodeData, start: TextSize) -> impl Iterator<Item = (Child<'_>, TextRange)> {
    let mut offset = start;
    node.children().map(move |child| {
        let len = match child {
            NodeOrToken::Node(n) => n.text_len(),
            NodeOrToken::Token(t) => t.text_len(),
        };
        let range = TextRange::at(offset, len);
        offset += len;
        (child, range)
    })
}

fn kind_of(child: &Child<'_>) -> SyntaxKind {
    use rowan::Language;
    let raw = match child {
        NodeOrToken::Node(n) => n.kind(),
        NodeOrToken::Token(t) => t.kind(),
    };
    crate::IpsecConf::kind_from_raw(raw)
}

/// The outline of a parsed file; `root` is [`crate::Parse::green`].
pub fn outline(root: &GreenNodeData) -> Vec<OutlineItem<'_>> {
    outline_at(root, TextSize::from(0))
}

/// [`outline`] of a tree whose text starts at `start` in a larger text (a piece of a
/// file parsed on its own, see [`crate::piece_starts`]): ranges are in the larger text.
pub fn outline_at(root: &GreenNodeData, start: TextSize) -> Vec<OutlineItem<'_>> {
    let mut items = Vec::new();
    for (child, range) in children(root, start) {
        let NodeOrToken::Node(node) = child else { continue };
        match kind_of(&child) {
            SECTION => items.push(OutlineItem::Section(section(node, range))),
            INCLUDE => {
                let value = children(node, range.start()).find(|(c, _)| kind_of(c) == VALUE);
                items.push(OutlineItem::Include(OutlineInclude {
                    pattern: value.as_ref().map(|(v, _)| text_of(v)),
                    pattern_range: value.map(|(_, r)| r),
                    range,
                }))
            }
            VERSION => items.push(OutlineItem::Version { range }),
            KEY_VALUE => items.push(OutlineItem::StrayEntry(entry(node, range))),
            _ => {}
        }
    }
    items
}

fn section(node: &GreenNodeData, range: TextRange) -> OutlineSection<'_> {
    let mut section = OutlineSection {
        section_type: None,
        name: None,
        name_range: None,
        header_range: TextRange::empty(range.start()),
        range,
        // A body line is at least indent, `key=value` and newline.
        entries: Vec::with_capacity(node.children().len() / 3),
    };
    for (child, child_range) in children(node, range.start()) {
        let NodeOrToken::Node(child_node) = child else { continue };
        match kind_of(&child) {
            SECTION_HEADER if section.section_type.is_none() => {
                section.header_range = child_range;
                for (part, part_range) in children(child_node, child_range.start()) {
                    match kind_of(&part) {
                        CONN_KW => section.section_type = Some(SectionType::Conn),
                        CONFIG_KW => section.section_type = Some(SectionType::Config),
                        WORD if section.section_type.is_none() => section.section_type = Some(SectionType::Unknown),
                        NAME => {
                            section.name = Some(text_of(&part));
                            section.name_range = Some(part_range);
                        }
                        _ => {}
                    }
                }
            }
            KEY_VALUE => section.entries.push(entry(child_node, child_range)),
            _ => {}
        }
    }
    section
}

fn entry(node: &GreenNodeData, range: TextRange) -> OutlineEntry<'_> {
    let mut entry = OutlineEntry {
        key: "",
        key_range: TextRange::empty(range.start()),
        value: Cow::Borrowed(""),
        value_range: None,
        eq_range: None,
        range,
    };
    for (child, child_range) in children(node, range.start()) {
        match kind_of(&child) {
            KEY => {
                if let NodeOrToken::Node(key) = child
                    && let Some(NodeOrToken::Token(word)) = key.children().next()
                {
                    entry.key = word.text();
                }
                entry.key_range = child_range;
            }
            EQ => entry.eq_range = Some(child_range),
            VALUE => {
                entry.value = text_of(&child);
                entry.value_range = Some(child_range);
            }
            _ => {}
        }
    }
    entry
}

/// A NAME or VALUE node's text: one quoted token loses its quotes, several
/// tokens are taken as written.
fn text_of<'a>(child: &Child<'a>) -> Cow<'a, str> {
    let NodeOrToken::Node(node) = child else { return Cow::Borrowed("") };
    let mut tokens = node.children().filter_map(NodeOrToken::into_token);
    match (tokens.next(), tokens.next()) {
        (None, _) => Cow::Borrowed(""),
        (Some(only), None) => {
            use rowan::Language;
            Cow::Borrowed(unquote(crate::IpsecConf::kind_from_raw(only.kind()), only.text()))
        }
        _ => Cow::Owned(node.children().filter_map(NodeOrToken::into_token).map(|t| t.text()).collect()),
    }
}
