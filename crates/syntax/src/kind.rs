//! The one kind enum shared by the lexer (tokens) and the parser (nodes).

use logos::Logos;

/// Every token and node kind of an ipsec.conf tree.
///
/// The lexer produces the token kinds through `logos`; the parser renames a few
/// words by their position (`conn` at column 0 becomes [`SyntaxKind::CONN_KW`]) and
/// wraps tokens in the node kinds. Nothing is ever skipped: white space, newlines,
/// comments and unlexable bytes are tokens too.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
#[allow(non_camel_case_types)]
pub enum SyntaxKind {
    /// Spaces and tabs.
    #[regex(r"[ \t]+")]
    WHITESPACE = 0,
    /// `\n` or `\r\n`.
    #[regex(r"\r?\n")]
    NEWLINE,
    /// `#` to the end of the line. The lexer wrapper turns a `#` that does not
    /// follow white space into part of a word, as the man page asks.
    ///
    /// This token, `STRING`, `BRACED` and `WORD` match only their first character
    /// here; `lexer::tokenize` scans the rest. Logos compiles a repetition over
    /// non-ASCII characters into nested calls, so a long non-ASCII word overflowed
    /// the stack (1 MB in WebAssembly: a trap on a 20,000-character line).
    #[token("#")]
    COMMENT,
    #[token("=")]
    EQ,
    /// `"…"` on one line; an unterminated one runs to the end of the line.
    #[token("\"")]
    STRING,
    /// `{…}` on one line: libreswan's brace quoting (`leftsubnets={a b}`).
    #[token("{")]
    BRACED,
    /// Any other run of characters that are not white space, `=` or `"`.
    #[regex(r##"[^ \t\r\n="#{]"##)]
    WORD,
    /// A character no other token takes (a lone carriage return).
    ERROR_TOKEN,

    // Words renamed by the parser from their position.
    CONN_KW,
    CONFIG_KW,
    INCLUDE_KW,
    VERSION_KW,

    // Nodes.
    SOURCE_FILE,
    /// A `config`/`conn` header and the body lines that follow it.
    SECTION,
    /// `conn NAME` or `config NAME`.
    SECTION_HEADER,
    /// The name of a section.
    NAME,
    /// `key=value`.
    KEY_VALUE,
    KEY,
    /// The value of a `key=value` line, an `include` path or a `version` number.
    VALUE,
    /// `include PATTERN`.
    INCLUDE,
    /// `version 2`.
    VERSION,
    /// Tokens the parser could not place.
    ERROR,
}

use SyntaxKind::*;

impl SyntaxKind {
    /// White space, newlines and comments.
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | NEWLINE | COMMENT)
    }

    /// Keywords renamed by the parser.
    pub fn is_keyword(self) -> bool {
        matches!(self, CONN_KW | CONFIG_KW | INCLUDE_KW | VERSION_KW)
    }

    fn from_raw(raw: u16) -> SyntaxKind {
        assert!(raw <= ERROR as u16, "invalid SyntaxKind {raw}");
        // Kinds are listed without gaps from 0 to ERROR, so every value up to ERROR
        // names one variant; the table keeps this free of `unsafe`.
        const ALL: [SyntaxKind; ERROR as usize + 1] = [
            WHITESPACE,
            NEWLINE,
            COMMENT,
            EQ,
            STRING,
            BRACED,
            WORD,
            ERROR_TOKEN,
            CONN_KW,
            CONFIG_KW,
            INCLUDE_KW,
            VERSION_KW,
            SOURCE_FILE,
            SECTION,
            SECTION_HEADER,
            NAME,
            KEY_VALUE,
            KEY,
            VALUE,
            INCLUDE,
            VERSION,
            ERROR,
        ];
        ALL[raw as usize]
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag of ipsec.conf trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpsecConf {}

impl rowan::Language for IpsecConf {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        SyntaxKind::from_raw(raw.0)
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

pub type SyntaxNode = rowan::SyntaxNode<IpsecConf>;
pub type SyntaxToken = rowan::SyntaxToken<IpsecConf>;
pub type SyntaxElement = rowan::SyntaxElement<IpsecConf>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip() {
        for raw in 0..=ERROR as u16 {
            assert_eq!(SyntaxKind::from_raw(raw) as u16, raw);
        }
    }
}
