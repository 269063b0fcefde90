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
///
/// The man page makes `#` a comment only at the start of a line or after white
/// space; a `#` anywhere else (`right=#foo`, `a#b`) is part of a word. Logos
/// cannot look behind, so such a comment is cut back to a word here and lexing
/// resumes after it.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let mut start = 0;
    'restart: while start < text.len() {
        let mut lexer = SyntaxKind::lexer(&text[start..]);
        while let Some(result) = lexer.next() {
            let span = lexer.span();
            let token_text = &text[start + span.start..start + span.end];
            let kind = result.unwrap_or(ERROR_TOKEN);
            if kind == COMMENT && !comment_may_start_after(tokens.last()) {
                let word_len = token_text[1..].find([' ', '\t', '=', '"']).map_or(token_text.len(), |i| i + 1);
                tokens.push(Token { kind: WORD, text: &token_text[..word_len] });
                start += span.start + word_len;
                continue 'restart;
            }
            tokens.push(Token { kind, text: token_text });
        }
        break;
    }
    tokens
}

fn comment_may_start_after(previous: Option<&Token<'_>>) -> bool {
    previous.is_none_or(|t| matches!(t.kind, WHITESPACE | NEWLINE))
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
    fn strings_braces_and_errors() {
        assert_eq!(kinds("\"a # b\""), [(STRING, "\"a # b\"")]);
        assert_eq!(kinds("\"open\n"), [(STRING, "\"open"), (NEWLINE, "\n")]);
        assert_eq!(kinds("{a b}"), [(BRACED, "{a b}")]);
        assert_eq!(kinds("a\rb\r\n"), [(WORD, "a"), (ERROR_TOKEN, "\r"), (WORD, "b"), (NEWLINE, "\r\n")]);
    }
}
