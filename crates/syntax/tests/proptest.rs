//! Any input parses, never panics, and gives its own text back.

use proptest::prelude::*;

fn check(text: &str) {
    let parse = syntax::parse(text);
    assert_eq!(parse.syntax_node().to_string(), text);
    for error in &parse.errors {
        assert!(u32::from(error.range.end()) as usize <= text.len(), "{error} is past the end");
        assert!(text.is_char_boundary(error.range.start().into()) && text.is_char_boundary(error.range.end().into()));
    }
    assert_eq!(parse_in_pieces(text, 3), parse, "pieces joined differ from the whole");
}

/// Parses `text` cut into up to `count` pieces at [`syntax::piece_starts`].
fn parse_in_pieces(text: &str, count: usize) -> syntax::Parse {
    let starts = syntax::piece_starts(text, count);
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let pieces = starts.iter().zip(ends).map(|(&start, end)| (start, syntax::parse(&text[start..end]))).collect();
    syntax::join_pieces(pieces)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    /// Text made of the characters that matter to the grammar hits far more paths
    /// than uniform bytes.
    #[test]
    fn grammar_characters_round_trip(text in r#"([ \t\r\n=#"{}%a-z0-9]|conn |config |include |version ){0,200}"#) {
        check(&text);
    }
}
