//! A flat view of a file's items: each section's header and `key=value` lines.
//!
//! Two ways to get it, checked equal over the corpus and random input:
//! - [`outline`] reads a parsed file's green tree (the typed AST walks rowan's red
//!   tree, which allocates a cursor for every node and token it visits);
//! - [`outline_text`] reads the parser's events as it goes and builds no tree at all:
//!   what resolving a large file needs, for a fraction of the cost of parsing.
//!
//! Texts are borrowed from the tree or the input where they can be.

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
    let mut items = Vec::new();
    for (child, range) in children(root, TextSize::from(0)) {
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

/// The outline of `text` read while parsing it, without building a tree: what
/// `parse(text).outline()` gives, and the syntax errors, for a fraction of the cost.
pub fn outline_text(text: &str) -> (Vec<OutlineItem<'_>>, Vec<crate::SyntaxError>) {
    outline_text_at(text, TextSize::from(0))
}

/// [`outline_text`] of a piece of a larger text that starts at `start` there (see
/// [`crate::piece_starts`]): ranges, the errors' too, are in the larger text.
pub fn outline_text_at(text: &str, start: TextSize) -> (Vec<OutlineItem<'_>>, Vec<crate::SyntaxError>) {
    let builder = OutlineBuilder { offset: start, ..OutlineBuilder::default() };
    let (builder, mut errors) = crate::parser::parse_into(text, builder);
    for error in &mut errors {
        error.range += start;
    }
    (builder.items, errors)
}

/// Builds the outline from the parser's events (see [`crate::parser::Sink`]),
/// following the same rules as [`outline`] does on a tree.
#[derive(Default)]
struct OutlineBuilder<'a> {
    items: Vec<OutlineItem<'a>>,
    offset: TextSize,
    /// The open nodes, innermost last, with where each starts.
    open: Vec<(SyntaxKind, TextSize)>,
    section: Option<OutlineSection<'a>>,
    entry: Option<OutlineEntry<'a>>,
    include: Option<OutlineInclude<'a>>,
    /// The tokens of the open NAME or VALUE node.
    texts: Vec<(SyntaxKind, &'a str)>,
}

impl OutlineBuilder<'_> {
    fn parent(&self) -> Option<SyntaxKind> {
        self.open.last().map(|(kind, _)| *kind)
    }

    /// The text of the NAME or VALUE node just closed, as [`text_of`] reads it.
    fn node_text<'a>(texts: &[(SyntaxKind, &'a str)]) -> Cow<'a, str> {
        match texts {
            [] => Cow::Borrowed(""),
            [(kind, text)] => Cow::Borrowed(unquote(*kind, text)),
            _ => Cow::Owned(texts.iter().map(|(_, text)| *text).collect()),
        }
    }
}

impl<'a> crate::parser::Sink<'a> for OutlineBuilder<'a> {
    fn start_node(&mut self, kind: SyntaxKind) {
        let in_file = self.parent() == Some(SOURCE_FILE);
        let in_section = self.parent() == Some(SECTION);
        match kind {
            SECTION if in_file => {
                self.section = Some(OutlineSection {
                    section_type: None,
                    name: None,
                    name_range: None,
                    header_range: TextRange::empty(self.offset),
                    range: TextRange::empty(self.offset),
                    entries: Vec::new(),
                })
            }
            KEY_VALUE if in_file || in_section => {
                self.entry = Some(OutlineEntry {
                    key: "",
                    key_range: TextRange::empty(self.offset),
                    value: Cow::Borrowed(""),
                    value_range: None,
                    eq_range: None,
                    range: TextRange::empty(self.offset),
                })
            }
            INCLUDE if in_file => {
                self.include =
                    Some(OutlineInclude { pattern: None, pattern_range: None, range: TextRange::empty(self.offset) })
            }
            NAME | VALUE => self.texts.clear(),
            _ => {}
        }
        self.open.push((kind, self.offset));
    }

    fn token(&mut self, kind: SyntaxKind, text: &'a str) {
        let range = TextRange::at(self.offset, TextSize::of(text));
        self.offset += TextSize::of(text);
        match (self.parent(), kind) {
            (Some(NAME | VALUE), _) => self.texts.push((kind, text)),
            (Some(KEY), _) => {
                if let Some(entry) = &mut self.entry
                    && entry.key.is_empty()
                {
                    entry.key = text;
                }
            }
            (Some(KEY_VALUE), EQ) => {
                if let Some(entry) = &mut self.entry {
                    entry.eq_range = Some(range);
                }
            }
            (Some(SECTION_HEADER), CONN_KW | CONFIG_KW | WORD) => {
                if let Some(section) = &mut self.section
                    && section.section_type.is_none()
                {
                    section.section_type = Some(match kind {
                        CONN_KW => SectionType::Conn,
                        CONFIG_KW => SectionType::Config,
                        _ => SectionType::Unknown,
                    });
                }
            }
            _ => {}
        }
    }

    fn finish_node(&mut self) {
        let Some((kind, start)) = self.open.pop() else { return };
        let range = TextRange::new(start, self.offset);
        let parent = self.parent();
        match kind {
            NAME if parent == Some(SECTION_HEADER) => {
                if let Some(section) = &mut self.section {
                    section.name = Some(Self::node_text(&self.texts));
                    section.name_range = Some(range);
                }
            }
            SECTION_HEADER => {
                if let Some(section) = &mut self.section {
                    section.header_range = range;
                }
            }
            KEY if parent == Some(KEY_VALUE) => {
                if let Some(entry) = &mut self.entry {
                    entry.key_range = range;
                }
            }
            VALUE if parent == Some(KEY_VALUE) => {
                if let Some(entry) = &mut self.entry {
                    entry.value = Self::node_text(&self.texts);
                    entry.value_range = Some(range);
                }
            }
            VALUE if parent == Some(INCLUDE) => {
                if let Some(include) = &mut self.include
                    && include.pattern.is_none()
                {
                    include.pattern = Some(Self::node_text(&self.texts));
                    include.pattern_range = Some(range);
                }
            }
            KEY_VALUE if parent == Some(SECTION) => {
                if let (Some(mut entry), Some(section)) = (self.entry.take(), &mut self.section) {
                    entry.range = range;
                    section.entries.push(entry);
                }
            }
            KEY_VALUE if parent == Some(SOURCE_FILE) => {
                if let Some(mut entry) = self.entry.take() {
                    entry.range = range;
                    self.items.push(OutlineItem::StrayEntry(entry));
                }
            }
            SECTION if parent == Some(SOURCE_FILE) => {
                if let Some(mut section) = self.section.take() {
                    section.range = range;
                    self.items.push(OutlineItem::Section(section));
                }
            }
            INCLUDE if parent == Some(SOURCE_FILE) => {
                if let Some(mut include) = self.include.take() {
                    include.range = range;
                    self.items.push(OutlineItem::Include(include));
                }
            }
            VERSION if parent == Some(SOURCE_FILE) => self.items.push(OutlineItem::Version { range }),
            _ => {}
        }
    }
}
