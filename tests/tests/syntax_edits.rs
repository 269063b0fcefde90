//! Random edits of real corpus files: the parser never panics and stays lossless.

use ipsecconf_tests::{apply_random_edits, corpus_sample};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn edited_corpus_files_round_trip(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, "[ \t\r\n=#\"{}a-z%]{0,6}"), 1..6),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_sample(7));
        let mut text = TEXTS.with(|texts| file.get(texts).clone());
        apply_random_edits(&mut text, edits);
        let parse = syntax::parse(&text);
        prop_assert_eq!(parse.syntax_node().to_string(), text);
    }
}
