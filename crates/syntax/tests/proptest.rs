//! Any input parses, never panics, and gives its own text back.

use proptest::prelude::*;

fn check(text: &str) {
    let parse = syntax::parse(text);
    assert_eq!(parse.syntax_node().to_string(), text);
    for error in &parse.errors {
        assert!(u32::from(error.range.end()) as usize <= text.len(), "{error} is past the end");
        assert!(text.is_char_boundary(error.range.start().into()) && text.is_char_boundary(error.range.end().into()));
    }
    let (outline, errors) = syntax::outline::outline_text(text);
    assert_eq!(outline, parse.outline(), "the outline read without a tree differs");
    assert_eq!(errors, parse.errors);
    let (outline, errors) = outline_in_pieces(text, &syntax::piece_starts(text, 3));
    assert_eq!(outline, parse.outline(), "pieces read on their own differ from the whole");
    assert_eq!(errors, parse.errors);
    let (outline, errors) = outline_in_pieces(text, &syntax::section_starts(text));
    assert_eq!(outline, parse.outline(), "sections read on their own differ from the whole");
    assert_eq!(errors, parse.errors);
}

/// The outline and errors of `text` read in pieces cut at `starts`.
fn outline_in_pieces<'a>(
    text: &'a str,
    starts: &[usize],
) -> (Vec<syntax::outline::OutlineItem<'a>>, Vec<syntax::SyntaxError>) {
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let (mut outline, mut errors) = (Vec::new(), Vec::new());
    for (&start, end) in starts.iter().zip(ends) {
        let (piece_outline, piece_errors) = syntax::outline::outline_text_at(&text[start..end], (start as u32).into());
        outline.extend(piece_outline);
        errors.extend(piece_errors);
    }
    (outline, errors)
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
