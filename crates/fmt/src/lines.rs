//! The file as a list of lines, each given a shape read from the syntax tree.
//!
//! ipsec.conf is line oriented and so is the parser: every node starts and ends on
//! line boundaries, so the formatter can decide line by line. A line gets a shape
//! only when its tokens match that shape exactly; anything else is `Verbatim`.

use syntax::{
    Parse, Severity,
    SyntaxKind::{self, *},
    TextRange, TextSize, is_user_extension,
};

use rowan::{NodeOrToken, WalkEvent};

pub(crate) struct Line<'a> {
    /// The whole line, its newline included.
    pub range: TextRange,
    /// The line without its newline.
    pub content: &'a str,
    /// `"\n"`, `"\r\n"`, or `""` for a last line without one.
    pub newline: &'a str,
    /// The section (counted from 0) whose header or body this line is.
    pub section: Option<u32>,
    pub shape: Shape<'a>,
    /// The comment on this line, own-line or trailing.
    pub comment: Option<&'a str>,
}

impl Line<'_> {
    /// The source text of the line, newline included.
    pub fn full_text<'s>(&self, source: &'s str) -> &'s str {
        &source[self.range]
    }
}

pub(crate) enum Shape<'a> {
    /// Only white space.
    Blank,
    /// Only a comment; `indented` when white space comes before it.
    Comment { text: &'a str, indented: bool },
    /// `conn NAME` / `config NAME` at column 0.
    Header { keyword: &'a str, name: &'a str, comment: Option<&'a str> },
    /// An indented `key=value` line of a section.
    Parameter { key: &'a str, after_eq: AfterEq<'a> },
    /// `include PATTERN` / `version N` at column 0.
    Keyword { keyword: &'a str, value: &'a str, comment: Option<&'a str> },
    /// A line copied byte for byte: it overlaps a syntax error, or its shape is
    /// not one the formatter can prove it rewrites safely.
    Verbatim,
}

pub(crate) enum AfterEq<'a> {
    /// A value (possibly empty) and a trailing comment.
    Value { value: &'a str, comment: Option<&'a str> },
    /// Everything after `=`, kept exactly. Used where libreswan reads the rest of
    /// the line differently from a value plus comment: `x-`/`x_` keys take the
    /// whole rest of the line (spaces and `#` included), and after `key=` plus white
    /// space libreswan takes a `#…` as the value, not as a comment.
    Raw(&'a str),
}

/// One token of the tree with what the formatter needs to know about its place.
struct Token<'a> {
    kind: SyntaxKind,
    text: &'a str,
    start: usize,
    parent: SyntaxKind,
    in_error: bool,
}

/// Splits `text` (whose parse is `parse`) into shaped lines.
pub(crate) fn lines<'a>(text: &'a str, parse: &Parse) -> Vec<Line<'a>> {
    let root = parse.syntax_node();
    let mut lines = Vec::new();
    let mut line_tokens: Vec<Token<'a>> = Vec::new();
    let mut line_section = None;
    let mut parents: Vec<SyntaxKind> = Vec::new();
    let mut sections_seen = 0u32;
    let mut current_section = None;
    let mut error_depth = 0usize;
    for event in root.preorder_with_tokens() {
        match event {
            WalkEvent::Enter(NodeOrToken::Node(node)) => {
                match node.kind() {
                    SECTION => {
                        current_section = Some(sections_seen);
                        sections_seen += 1;
                    }
                    ERROR => error_depth += 1,
                    _ => {}
                }
                parents.push(node.kind());
            }
            WalkEvent::Leave(NodeOrToken::Node(node)) => {
                parents.pop();
                match node.kind() {
                    SECTION => current_section = None,
                    ERROR => error_depth -= 1,
                    _ => {}
                }
            }
            WalkEvent::Enter(NodeOrToken::Token(token)) => {
                let range = token.text_range();
                let start = usize::from(range.start());
                if line_tokens.is_empty() {
                    line_section = current_section;
                }
                line_tokens.push(Token {
                    kind: token.kind(),
                    text: &text[start..usize::from(range.end())],
                    start,
                    parent: parents.last().copied().unwrap_or(SOURCE_FILE),
                    in_error: error_depth > 0,
                });
                if token.kind() == NEWLINE {
                    lines.push(make_line(text, &line_tokens, line_section));
                    line_tokens.clear();
                }
            }
            WalkEvent::Leave(NodeOrToken::Token(_)) => {}
        }
    }
    if !line_tokens.is_empty() {
        lines.push(make_line(text, &line_tokens, line_section));
    }
    mark_errors(&mut lines, parse);
    lines
}

fn make_line<'a>(text: &'a str, tokens: &[Token<'a>], section: Option<u32>) -> Line<'a> {
    let start = tokens[0].start;
    let last = &tokens[tokens.len() - 1];
    let end = last.start + last.text.len();
    let (body, newline) = match last.kind {
        NEWLINE => (&tokens[..tokens.len() - 1], last.text),
        _ => (tokens, ""),
    };
    let range = TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32));
    let content = &text[start..end - newline.len()];
    let comment = body.iter().find(|t| t.kind == COMMENT).map(|t| trim_comment(t.text));
    let shape = shape(text, body).unwrap_or(Shape::Verbatim);
    Line { range, content, newline, section, shape, comment }
}

/// A comment without trailing white space (which is not part of what it says).
fn trim_comment(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

/// Walks a line's tokens, failing (`None`) on anything unexpected.
struct Cursor<'t, 'a> {
    tokens: &'t [Token<'a>],
}

impl<'t, 'a> Cursor<'t, 'a> {
    fn peek(&self) -> Option<&'t Token<'a>> {
        self.tokens.first()
    }

    fn bump(&mut self) -> Option<&'t Token<'a>> {
        let (first, rest) = self.tokens.split_first()?;
        self.tokens = rest;
        Some(first)
    }

    fn eat(&mut self, kind: SyntaxKind) -> Option<&'t Token<'a>> {
        if self.peek()?.kind == kind { self.bump() } else { None }
    }

    /// The tokens whose parent is `parent`, as one slice of the source.
    fn eat_node(&mut self, text: &'a str, parent: SyntaxKind) -> &'a str {
        let count = self.tokens.iter().take_while(|t| t.parent == parent).count();
        let (taken, rest) = self.tokens.split_at(count);
        self.tokens = rest;
        match (taken.first(), taken.last()) {
            (Some(first), Some(last)) => &text[first.start..last.start + last.text.len()],
            _ => "",
        }
    }

    /// Optional white space, an optional comment, then the end of the line.
    fn trailer(&mut self) -> Option<Option<&'a str>> {
        self.eat(WHITESPACE);
        let comment = self.eat(COMMENT).map(|t| trim_comment(t.text));
        self.tokens.is_empty().then_some(comment)
    }
}

fn shape<'a>(text: &'a str, body: &[Token<'a>]) -> Option<Shape<'a>> {
    if body.iter().any(|t| t.in_error || t.kind == ERROR_TOKEN) {
        return None;
    }
    let mut cursor = Cursor { tokens: body };
    let indented = cursor.eat(WHITESPACE).is_some();
    let Some(first) = cursor.peek() else {
        return Some(Shape::Blank);
    };
    match (first.kind, first.parent) {
        (COMMENT, _) => {
            cursor.bump();
            cursor.tokens.is_empty().then_some(Shape::Comment { text: trim_comment(first.text), indented })
        }
        (CONN_KW | CONFIG_KW, SECTION_HEADER) if !indented => {
            cursor.bump();
            cursor.eat(WHITESPACE)?;
            let name = cursor.eat_node(text, NAME);
            if name.is_empty() {
                return None;
            }
            let comment = cursor.trailer()?;
            Some(Shape::Header { keyword: first.text, name, comment })
        }
        (INCLUDE_KW | VERSION_KW, INCLUDE | VERSION) if !indented => {
            cursor.bump();
            cursor.eat(WHITESPACE)?;
            let value = cursor.eat_node(text, VALUE);
            if value.is_empty() {
                return None;
            }
            let comment = cursor.trailer()?;
            Some(Shape::Keyword { keyword: first.text, value, comment })
        }
        (WORD, KEY) if indented => {
            let key = cursor.bump()?.text;
            cursor.eat(WHITESPACE);
            let eq = cursor.eat(EQ)?;
            let line_end = body.last().map_or(0, |t| t.start + t.text.len());
            let raw = &text[eq.start + 1..line_end];
            if is_user_extension(key) {
                return Some(Shape::Parameter { key, after_eq: AfterEq::Raw(raw) });
            }
            cursor.eat(WHITESPACE);
            let value = cursor.eat_node(text, VALUE);
            let comment = cursor.trailer()?;
            let after_eq = match comment {
                Some(_) if value.is_empty() => AfterEq::Raw(raw),
                _ => AfterEq::Value { value, comment },
            };
            Some(Shape::Parameter { key, after_eq })
        }
        _ => None,
    }
}

/// Makes every line that overlaps a syntax error verbatim.
fn mark_errors(lines: &mut [Line<'_>], parse: &Parse) {
    for error in parse.errors.iter().filter(|e| e.severity == Severity::Error) {
        let start = error.range.start();
        // An empty range still points at a place: treat it as one byte wide.
        let end = error.range.end().max(start + TextSize::new(1));
        let mut first = lines.partition_point(|line| line.range.end() <= start);
        if first == lines.len() {
            // Past the last newline: the error belongs to the last line.
            first = first.saturating_sub(1);
        }
        for line in lines[first..].iter_mut().take_while(|line| line.range.start() < end) {
            // A line of white space holds no error, whatever a range says.
            if !matches!(line.shape, Shape::Blank) {
                line.shape = Shape::Verbatim;
            }
        }
    }
}
