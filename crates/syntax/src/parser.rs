//! Tokens to a rowan green tree, line by line. Never fails: every problem becomes a
//! [`SyntaxError`] and the tree still holds every byte of the input.
//!
//! ipsec.conf is line oriented: what a line means depends on whether it starts at
//! column 0 (`conn`, `config`, `include`, `version`) or with white space (a body
//! line of the current section), so the parser works a line at a time and recovers
//! at the next line.

use rowan::{GreenNode, TextRange, TextSize};

use crate::SyntaxKind::{self, *};
use crate::green::TreeBuilder;
use crate::lexer::{Token, Tokens};

/// The result of [`parse`]: a lossless tree and the syntax problems found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    pub green: GreenNode,
    pub errors: Vec<SyntaxError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    /// Accepted by libreswan but outside what ipsec.conf(5) allows.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
    pub severity: Severity,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}@{}..{}: {}", u32::from(self.range.start()), u32::from(self.range.end()), self.message)
    }
}

/// Parses any text into a tree whose text is `text`, byte for byte.
pub fn parse(text: &str) -> Parse {
    let (builder, errors) = parse_into(text, TreeBuilder::default());
    Parse { green: builder.finish(), errors }
}

/// What the parser produces, as a flat list of events: nodes opened and closed and
/// the tokens between them. The tree builder makes a rowan tree of them; the outline
/// builder reads sections straight from them, without a tree.
pub(crate) trait Sink<'a> {
    fn start_node(&mut self, kind: SyntaxKind);
    fn token(&mut self, kind: SyntaxKind, text: &'a str);
    fn finish_node(&mut self);
    /// A token rarely repeated (a section name).
    fn unique_token(&mut self, kind: SyntaxKind, text: &'a str) {
        self.token(kind, text);
    }
    /// Adds the node of `kind` made earlier from the same `text`, if the sink kept
    /// one; false when the node is to be made again.
    fn reuse_node(&mut self, _kind: SyntaxKind, _text: &'a str) -> bool {
        false
    }
    /// Keeps the node just finished, for [`Sink::reuse_node`] with `text`.
    fn share_last_node(&mut self, _kind: SyntaxKind, _text: &'a str) {}
}

/// Parses `text` into `sink`; returns the sink and the syntax problems found.
pub(crate) fn parse_into<'a, S: Sink<'a>>(text: &'a str, sink: S) -> (S, Vec<SyntaxError>) {
    let mut parser = Parser { builder: sink, errors: Vec::new(), text, offset: TextSize::from(0), in_section: false };
    parser.builder.start_node(SOURCE_FILE);
    let mut tokens = Tokens::new(text);
    let mut line = Vec::new();
    // Trivia lines (blank or comment) stay inside a section only when another body
    // line of that section follows; otherwise they belong to what comes next. So
    // they wait here until the next line that is not trivia.
    let mut trivia = Vec::new();
    loop {
        line.clear();
        for token in tokens.by_ref() {
            line.push(token);
            if token.kind == NEWLINE {
                break;
            }
        }
        if line.is_empty() {
            break;
        }
        let kind = classify(&line);
        match kind {
            LineKind::Trivia => {
                trivia.extend_from_slice(&line);
                continue;
            }
            LineKind::Body | LineKind::UnindentedParameter => {}
            LineKind::Start => parser.close_section(),
        }
        parser.tokens(&trivia);
        trivia.clear();
        match kind {
            LineKind::Body => parser.body_line(&line),
            LineKind::UnindentedParameter => parser.unindented_parameter(&line),
            _ => parser.start_line(&line),
        }
    }
    parser.close_section();
    parser.tokens(&trivia);
    parser.builder.finish_node();
    (parser.builder, parser.errors)
}

enum LineKind {
    /// Blank, or only a comment.
    Trivia,
    /// Starts with white space: a line of the current section.
    Body,
    /// `key=value` at column 0: an error, but kept in its section.
    UnindentedParameter,
    /// Anything else at column 0: a section header, `include`, `version`, or junk.
    Start,
}

fn classify(line: &[Token<'_>]) -> LineKind {
    let Some(first_significant) = line.iter().find(|t| !t.kind.is_trivia()) else {
        return LineKind::Trivia;
    };
    if line[0].kind == WHITESPACE {
        return LineKind::Body;
    }
    let is_keyword = matches!(first_significant.text, "conn" | "config" | "include" | "version");
    if first_significant.kind == WORD && !is_keyword && line.iter().any(|t| t.kind == EQ) {
        return LineKind::UnindentedParameter;
    }
    LineKind::Start
}

/// A `key=value` line whose value is at most this long gets a shared node.
const SHARED_LINE_VALUE_LEN: usize = 8;

struct Parser<'a, S> {
    builder: S,
    errors: Vec<SyntaxError>,
    text: &'a str,
    offset: TextSize,
    in_section: bool,
}

/// A line's tokens split around its significant part:
/// `indent`, `significant`, then trailing white space, comment and newline.
struct LineParts<'t, 'a> {
    leading: &'t [Token<'a>],
    significant: &'t [Token<'a>],
    trailing: &'t [Token<'a>],
}

fn line_parts<'t, 'a>(line: &'t [Token<'a>]) -> LineParts<'t, 'a> {
    let start = line.iter().position(|t| !t.kind.is_trivia()).unwrap_or(line.len());
    let mut end = line.len();
    while end > start && line[end - 1].kind.is_trivia() {
        end -= 1;
    }
    LineParts { leading: &line[..start], significant: &line[start..end], trailing: &line[end..] }
}

impl<'a, S: Sink<'a>> Parser<'a, S> {
    fn token(&mut self, kind: SyntaxKind, text: &'a str) {
        self.builder.token(kind, text);
        self.offset += TextSize::of(text);
    }

    /// Emits the white space `rest` starts with, if any; returns what follows it.
    fn whitespace<'t>(&mut self, rest: &'t [Token<'a>]) -> &'t [Token<'a>] {
        match rest {
            [ws, after @ ..] if ws.kind == WHITESPACE => {
                self.token(WHITESPACE, ws.text);
                after
            }
            _ => rest,
        }
    }

    /// Tokens rarely repeated (a section name): created without interning.
    fn unique_tokens(&mut self, tokens: &[Token<'a>]) {
        for t in tokens {
            self.builder.unique_token(t.kind, t.text);
            self.offset += TextSize::of(t.text);
        }
    }

    fn tokens(&mut self, tokens: &[Token<'a>]) {
        for t in tokens {
            self.token(t.kind, t.text);
        }
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError { range, message: message.into(), severity: Severity::Error });
    }

    fn warning(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError { range, message: message.into(), severity: Severity::Warning });
    }

    /// The range `tokens` will occupy if emitted now.
    fn range_of(&self, tokens: &[Token<'a>]) -> TextRange {
        let len: TextSize = tokens.iter().map(|t| TextSize::of(t.text)).sum();
        TextRange::at(self.offset, len)
    }

    fn close_section(&mut self) {
        if self.in_section {
            self.builder.finish_node();
            self.in_section = false;
        }
    }

    fn open_section(&mut self) {
        self.close_section();
        self.builder.start_node(SECTION);
        self.in_section = true;
    }

    /// Emits `tokens` inside an ERROR node with one message for all of them.
    fn error_node(&mut self, tokens: &[Token<'a>], message: impl Into<String>) {
        if tokens.is_empty() {
            return;
        }
        let range = self.range_of(tokens);
        self.error(range, message);
        self.builder.start_node(ERROR);
        self.tokens(tokens);
        self.builder.finish_node();
    }

    fn start_line(&mut self, line: &[Token<'a>]) {
        let LineParts { leading, significant, trailing } = line_parts(line);
        // A comment cut short by a lone `\r` (`#a\rconn x`) comes before the rest.
        // Every branch below closes the current section, so close it first.
        if !leading.is_empty() {
            self.close_section();
            self.tokens(leading);
        }
        let first = significant[0];
        match (first.kind, first.text) {
            (WORD, "conn") => self.section_header(CONN_KW, significant),
            (WORD, "config") => self.section_header(CONFIG_KW, significant),
            (WORD, "include") => {
                self.close_section();
                self.keyword_line(INCLUDE, INCLUDE_KW, significant, "a file name or pattern");
            }
            (WORD, "version") => {
                self.close_section();
                self.keyword_line(VERSION, VERSION_KW, significant, "a version number such as `2`");
            }
            (WORD, _) if significant.len() > 1 => {
                let message = match first.text.to_ascii_lowercase().as_str() {
                    "conn" | "config" => format!(
                        "unknown section type `{}`: section types are lower case, `{}`",
                        first.text,
                        first.text.to_ascii_lowercase()
                    ),
                    _ => format!("unknown section type `{}`: expected `conn` or `config`", first.text),
                };
                let range = self.range_of(&significant[..1]);
                self.error(range, message);
                self.section_header(WORD, significant);
            }
            _ => {
                self.close_section();
                let message = format!(
                    "unexpected `{}` at the start of a line: expected `conn NAME`, `config NAME`, `include FILE` or `version 2`",
                    first.text
                );
                self.error_node(significant, message);
            }
        }
        self.tokens(trailing);
    }

    /// `conn NAME` / `config NAME`, opening a new section. `kind` is the keyword
    /// token's kind (`WORD` for an unknown section type, already reported).
    fn section_header(&mut self, kind: SyntaxKind, significant: &[Token<'a>]) {
        self.open_section();
        self.builder.start_node(SECTION_HEADER);
        let keyword_range = self.range_of(&significant[..1]);
        self.token(kind, significant[0].text);
        let mut rest = &significant[1..];
        rest = self.whitespace(rest);
        // libreswan takes every character up to white space (`conn a--pfs=no`).
        let name_len = rest.iter().position(|t| t.kind == WHITESPACE).unwrap_or(rest.len());
        if name_len == 0 {
            self.error(keyword_range, format!("`{}` needs a section name", significant[0].text));
        } else {
            let name = &rest[..name_len];
            let range = self.range_of(name);
            self.check_section_name(name, range);
            self.builder.start_node(NAME);
            self.unique_tokens(name);
            self.builder.finish_node();
            rest = &rest[name_len..];
        }
        self.builder.finish_node();
        rest = self.whitespace(rest);
        self.error_node(rest, "unexpected text after the section name: a section name cannot contain white space");
    }

    fn check_section_name(&mut self, name: &[Token<'a>], range: TextRange) {
        const RULE: &str = "ipsec.conf(5) names start with a letter and contain only letters, digits, `.`, `_` and `-`";
        match name {
            [string] if string.kind == STRING => {
                if string.text.len() < 2 || !string.text.ends_with('"') {
                    self.error(range, "unterminated quote: a quoted name must end on the same line");
                } else {
                    self.warning(range, format!("quoted section name: {RULE}"));
                }
            }
            [word] if word.kind == WORD && (word.text == "%default" || is_valid_name(word.text)) => {}
            _ => {
                let text: String = name.iter().map(|t| t.text).collect();
                self.warning(range, format!("section name `{text}`: {RULE}"));
            }
        }
    }

    /// `include PATTERN` or `version N`: a keyword, white space, one value.
    fn keyword_line(&mut self, node: SyntaxKind, keyword: SyntaxKind, significant: &[Token<'a>], what: &str) {
        self.builder.start_node(node);
        let keyword_range = self.range_of(&significant[..1]);
        self.token(keyword, significant[0].text);
        let mut rest = &significant[1..];
        rest = self.whitespace(rest);
        let value_len = rest.iter().position(|t| t.kind == WHITESPACE).unwrap_or(rest.len());
        if value_len == 0 {
            self.error(keyword_range, format!("`{}` needs {what}", significant[0].text));
        } else {
            self.value(&rest[..value_len]);
        }
        self.builder.finish_node();
        rest = &rest[value_len..];
        rest = self.whitespace(rest);
        self.error_node(rest, format!("unexpected text: `{}` takes {what} without white space", significant[0].text));
    }

    fn unindented_parameter(&mut self, line: &[Token<'a>]) {
        let LineParts { leading, significant, trailing } = line_parts(line);
        self.tokens(leading);
        let range = self.range_of(&significant[..1]);
        self.error(
            range,
            format!(
                "parameter `{}` must be indented: body lines of a section start with white space",
                significant[0].text
            ),
        );
        self.key_value_line(significant);
        self.tokens(trailing);
    }

    fn body_line(&mut self, line: &[Token<'a>]) {
        let LineParts { leading, significant, trailing } = line_parts(line);
        self.tokens(leading);
        let first = significant[0];
        if first.kind != WORD {
            self.error_node(
                significant,
                format!("unexpected `{}`: expected a parameter such as `key=value`", first.text),
            );
        } else if matches!(first.text, "conn" | "config" | "include" | "version")
            && !significant.iter().any(|t| t.kind == EQ)
        {
            self.error_node(
                significant,
                format!("`{}` lines must start at column 0, without white space before them", first.text),
            );
        } else {
            self.key_value_line(significant);
        }
        self.tokens(trailing);
    }

    /// `key = value`, then anything else on the line as an error.
    fn key_value_line(&mut self, significant: &[Token<'a>]) {
        if !self.in_section {
            let range = self.range_of(significant);
            self.error(range, "parameter outside any section: add a `conn NAME` or `config setup` line before it");
        }
        let key = significant[0];
        if !is_valid_name(key.text) {
            let range = self.range_of(&significant[..1]);
            self.error(
                range,
                format!(
                    "invalid parameter name `{}`: names start with a letter and contain only letters, digits, `.`, `_` and `-`",
                    key.text
                ),
            );
        }
        // Lines such as `auto=add` repeat all over a file: share their node.
        match significant {
            [_, eq, value] if eq.kind == EQ && value.kind == WORD && value.text.len() <= SHARED_LINE_VALUE_LEN => {
                let start = usize::from(self.offset);
                let len = key.text.len() + eq.text.len() + value.text.len();
                let line_text = &self.text[start..start + len];
                if self.builder.reuse_node(KEY_VALUE, line_text) {
                    self.offset += TextSize::of(line_text);
                } else {
                    self.key_value(significant);
                    self.builder.share_last_node(KEY_VALUE, line_text);
                }
            }
            _ => self.key_value(significant),
        }
    }

    /// The `KEY_VALUE` node of a line whose key was checked, then any stray text.
    fn key_value(&mut self, significant: &[Token<'a>]) {
        let key = significant[0];
        self.builder.start_node(KEY_VALUE);
        let key_range = self.range_of(&significant[..1]);
        if !self.builder.reuse_node(KEY, key.text) {
            self.builder.start_node(KEY);
            self.token(WORD, key.text);
            self.builder.finish_node();
            self.builder.share_last_node(KEY, key.text);
        } else {
            self.offset += TextSize::of(key.text);
        }
        let mut rest = &significant[1..];
        rest = self.whitespace(rest);
        if rest.first().map(|t| t.kind) != Some(EQ) {
            self.builder.finish_node();
            self.error(key_range, format!("missing `=` after `{}`", key.text));
            self.error_node_silent(rest);
            return;
        }
        self.token(EQ, rest[0].text);
        rest = &rest[1..];
        if is_user_extension(key.text) {
            // libreswan keeps the rest of an `x-` line as the value, spaces included.
            if !rest.is_empty() {
                self.value(rest);
            }
            self.builder.finish_node();
            return;
        }
        rest = self.whitespace(rest);
        let value_len = rest.iter().position(|t| t.kind == WHITESPACE).unwrap_or(rest.len());
        if value_len > 0 {
            self.value(&rest[..value_len]);
        }
        self.builder.finish_node();
        rest = &rest[value_len..];
        rest = self.whitespace(rest);
        self.error_node(
            rest,
            "unexpected text after the value: put a value that contains white space in double quotes",
        );
    }

    /// Tokens already reported elsewhere, kept in an ERROR node.
    fn error_node_silent(&mut self, tokens: &[Token<'a>]) {
        if tokens.is_empty() {
            return;
        }
        self.builder.start_node(ERROR);
        self.tokens(tokens);
        self.builder.finish_node();
    }

    fn value(&mut self, tokens: &[Token<'a>]) {
        self.builder.start_node(VALUE);
        for t in tokens {
            let range = TextRange::at(self.offset, TextSize::of(t.text));
            match t.kind {
                STRING if t.text.len() < 2 || !t.text.ends_with('"') => {
                    self.error(range, "unterminated quote: a quoted value must end on the same line")
                }
                ERROR_TOKEN => self.error(range, format!("unexpected character {:?}", t.text)),
                _ => {}
            }
            self.token(t.kind, t.text);
        }
        self.builder.finish_node();
    }
}

/// ipsec.conf(5): "Names must start with a letter and may contain only letters,
/// digits, periods, underscores, and hyphens."
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `x-…` and `x_…` parameters are the user's own; libreswan keeps them as written.
pub fn is_user_extension(key: &str) -> bool {
    let bytes = key.as_bytes();
    bytes.len() > 2 && bytes[0].eq_ignore_ascii_case(&b'x') && matches!(bytes[1], b'-' | b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A missing name or value is reported on the keyword itself, not on the
    /// text that follows it.
    #[test]
    fn missing_name_or_value_points_at_the_keyword() {
        let ranges = |text: &str| parse(text).errors.iter().map(|e| e.range).collect::<Vec<_>>();
        let at = |start: u32, end: u32| TextRange::new(start.into(), end.into());
        assert_eq!(ranges("conn a\n\nconn\n\nconn b\n"), [at(8, 12)]);
        assert_eq!(ranges("include\nversion\n"), [at(0, 7), at(8, 15)]);
    }

    /// Found by the formatter's property test: a line that starts with a comment
    /// ended by a lone `\r` lost the comment from the tree.
    #[test]
    fn comment_before_a_lone_carriage_return_is_kept() {
        for text in ["#a\rconn x\n", "conn a\n\tleft=1\n#c\rjunk\n"] {
            assert_eq!(parse(text).syntax_node().text().to_string(), text);
        }
    }
}
