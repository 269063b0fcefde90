//! Random edits of real corpus files: the parser never panics and stays lossless.

use ipsecconf_tests::{corpus_dir, files_below};
use proptest::prelude::*;

fn corpus_texts() -> Vec<String> {
    let files = files_below(&corpus_dir().join("libreswan"));
    files.iter().step_by(7).map(|p| std::fs::read_to_string(p).expect("read corpus file")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn edited_corpus_files_round_trip(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, "[ \t\r\n=#\"{}a-z%]{0,6}"), 1..6),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_texts());
        let mut text = TEXTS.with(|texts| file.get(texts).clone());
        for (at, delete, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(start..end, &insert);
        }
        let parse = syntax::parse(&text);
        prop_assert_eq!(parse.syntax_node().to_string(), text);
    }
}
