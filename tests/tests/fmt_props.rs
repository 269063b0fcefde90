//! Random edits of corpus files, formatted: no panic, a fixed point, the same
//! meaning and comments (see `meaning`), and range formatting that stays in bounds.

use std::sync::OnceLock;

use formatter::{FormatOptions, Indent, format, format_range};
use ipsecconf_tests::meaning::check_formatting;
use ipsecconf_tests::{corpus_dir, files_below};
use proptest::prelude::*;
use syntax::{TextRange, TextSize};

fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let files: Vec<String> = files_below(&corpus_dir().join("libreswan"))
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read corpus file"))
            .filter(|text| !text.is_empty())
            .collect();
        assert!(files.len() > 2000, "only {} corpus files", files.len());
        files
    })
}

/// Pieces that matter to ipsec.conf: white space of every kind, `#`, `=`, quotes,
/// braces, keywords, `x-` keys, directives, and a non-ASCII letter.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n\n\n".to_string()),
        Just("#".to_string()),
        Just(" # c".to_string()),
        Just("=".to_string()),
        Just(" = ".to_string()),
        Just("\"".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\nconn x\n".to_string()),
        Just("\n  left=1\n".to_string()),
        Just("\n\tx-k = a b # c  \n".to_string()),
        Just("include ".to_string()),
        Just("\n# ipsecconf: fmt off\n".to_string()),
        Just("\n# ipsecconf: fmt on\n".to_string()),
        Just("é".to_string()),
        "[a-z%_ \t=#\"{}-]{1,6}",
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), fragment()).prop_map(|(at, text)| Edit::Insert(at, text)),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete(at, len)),
    ]
}

fn char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    let len = text.len() + 1;
    match edit {
        Edit::Insert(at, fragment) => {
            let at = char_boundary(text, at % len);
            text.insert_str(at, fragment);
        }
        Edit::Delete(at, count) => {
            let start = char_boundary(text, at % len);
            let end = char_boundary(text, start + count);
            text.replace_range(start..end, "");
        }
    }
}

fn options() -> impl Strategy<Value = FormatOptions> {
    (prop_oneof![Just(Indent::Tab), (0u8..9).prop_map(Indent::Spaces)], any::<bool>())
        .prop_map(|(indent, align_equals)| FormatOptions { indent, align_equals })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn edited_corpus_files_format_safely(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
        options in options(),
        range in (any::<usize>(), 0usize..200),
    ) {
        let corpus = corpus();
        let mut text = corpus[file.index(corpus.len())].clone();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let formatted = format(&text, &options);
        let result = check_formatting(&text, &formatted, &format(&formatted, &options));
        prop_assert!(result.is_ok(), "{}\ninput: {:?}", result.unwrap_err(), text);

        let start = char_boundary(&text, range.0 % (text.len() + 1));
        let end = char_boundary(&text, start + range.1);
        let range = TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32));
        if let Some((edited, replacement)) = format_range(&text, range, &options) {
            prop_assert!(usize::from(edited.end()) <= text.len());
            let mut partly = text.clone();
            partly.replace_range(std::ops::Range::<usize>::from(edited), &replacement);
            let result = check_formatting(&text, &partly, &partly);
            prop_assert!(result.is_ok(), "range {range:?}: {}\ninput: {:?}", result.unwrap_err(), text);
            prop_assert_eq!(format(&partly, &options), formatted);
        }
    }
}
