//! Text to tokens. Every byte of the input lands in exactly one token.

use logos::Logos;

use crate::SyntaxKind::{self, *};

/// One token: its kind and its text, a slice of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: SyntaxKind,
    pub text: &'a str,
}

/// Splits `text` into tokens whose texts, joined, give `text` back.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    Tokens::new(text).collect()
}

/// The tokens of a text, one at a time (the parser reads a line at a time and
/// never holds every token of a large file).
///
/// The man page makes `#` a comment only at the start of a line or after white
/// space; a `#` anywhere else (`right=#foo`, `a#b`) is part of a word. Logos
/// cannot look behind, so such a comment is cut back to a word here and lexing
/// resumes after it.
pub struct Tokens<'a> {
    text: &'a str,
    /// Where `lexer`'s input starts in `text`.
    start: usize,
    lexer: logos::Lexer<'a, SyntaxKind>,
    /// Whether a comment may start here: at the start or after white space.
    comment_may_start: bool,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, start: 0, lexer: SyntaxKind::lexer(text), comment_may_start: true }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let result = self.lexer.next()?;
        let (kind, rest) = token_rest(result.unwrap_or(ERROR_TOKEN), self.lexer.remainder());
        self.lexer.bump(rest);
        let token_text = self.lexer.slice();
        if kind == COMMENT && !self.comment_may_start {
            let word_len = token_text[1..].find([' ', '\t', '=', '"']).map_or(token_text.len(), |i| i + 1);
            self.start += self.lexer.span().start + word_len;
            self.lexer = SyntaxKind::lexer(&self.text[self.start..]);
            self.comment_may_start = false;
            return Some(Token { kind: WORD, text: &token_text[..word_len] });
        }
        self.comment_may_start = matches!(kind, WHITESPACE | NEWLINE);
        Some(Token { kind, text: token_text })
    }
}

/// The kind and the length of the rest of a token whose first character logos
/// matched (see `SyntaxKind::COMMENT`): a plain scan, whatever the line's length.
fn token_rest(kind: SyntaxKind, rest: &str) -> (SyntaxKind, usize) {
    // Every stop is ASCII, so a byte scan finds it at a character boundary; it is
    // several times faster than `str::find` with a set of chars.
    let until = |stops: &[u8]| rest.bytes().position(|b| stops.contains(&b)).unwrap_or(rest.len());
    let word = || until(b" \t\r\n=\"");
    match kind {
        COMMENT => (COMMENT, until(b"\r\n")),
        // `"…"`; an unterminated one runs to the end of the line.
        STRING => {
            let end = until(b"\"\r\n");
            (STRING, if rest[end..].starts_with('"') { end + 1 } else { end })
        }
        // `{…}` closed on the same line, unless a longer word starts here
        // (`{a}b` is one word); an unclosed `{` starts a word.
        BRACED => {
            let close = until(b"}\r\n");
            let word = word();
            if rest[close..].starts_with('}') && close + 1 >= word { (BRACED, close + 1) } else { (WORD, word) }
        }
        WORD => (WORD, word()),
        other => (other, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SyntaxKind, &str)> {
        tokenize(text).into_iter().map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn comment_needs_white_space_before_it() {
        assert_eq!(kinds("a#b=#c #d"), [(WORD, "a#b"), (EQ, "="), (WORD, "#c"), (WHITESPACE, " "), (COMMENT, "#d")]);
        assert_eq!(kinds("#x y\n"), [(COMMENT, "#x y"), (NEWLINE, "\n")]);
        assert_eq!(kinds("\"a\"#b c"), [(STRING, "\"a\""), (WORD, "#b"), (WHITESPACE, " "), (WORD, "c")]);
    }

    #[test]
    fn long_non_ascii_tokens_need_no_stack() {
        // Each kind of growing token, 1 MB long, lexed on a 64 KB stack.
        let long = "é".repeat(1 << 19);
        let text = format!("{long} #{long}\n\"{long}\"{{{long}}}\n{{{long}");
        let lens = std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(move || tokenize(&text).iter().map(|t| (t.kind, t.text.len())).collect::<Vec<_>>())
            .unwrap()
            .join()
            .expect("no stack overflow");
        let n = long.len();
        assert_eq!(
            lens,
            [
                (WORD, n),
                (WHITESPACE, 1),
                (COMMENT, n + 1),
                (NEWLINE, 1),
                (STRING, n + 2),
                (BRACED, n + 2),
                (NEWLINE, 1),
                (WORD, n + 1)
            ]
        );
    }

    #[test]
    fn braces_follow_the_longest_match() {
        assert_eq!(
            kinds("{a}b {c} {d"),
            [(WORD, "{a}b"), (WHITESPACE, " "), (BRACED, "{c}"), (WHITESPACE, " "), (WORD, "{d")]
        );
        assert_eq!(kinds("x{a b}"), [(WORD, "x{a"), (WHITESPACE, " "), (WORD, "b}")]);
    }

    #[test]
    fn strings_braces_and_errors() {
        assert_eq!(kinds("\"a # b\""), [(STRING, "\"a # b\"")]);
        assert_eq!(kinds("\"open\n"), [(STRING, "\"open"), (NEWLINE, "\n")]);
        assert_eq!(kinds("{a b}"), [(BRACED, "{a b}")]);
        assert_eq!(kinds("a\rb\r\n"), [(WORD, "a"), (ERROR_TOKEN, "\r"), (WORD, "b"), (NEWLINE, "\r\n")]);
    }
}
