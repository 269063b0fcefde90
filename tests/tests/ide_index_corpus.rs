//! The editor's syntax index (sections and `also=` references, read from the green
//! outline) agrees with the typed AST on every corpus file.

use ipsecconf_tests::{apply_random_edits, config_edits, corpus_dir, corpus_sample, files_below};
use proptest::prelude::*;
use syntax::ast::{AstNode, SectionType};

#[test]
fn file_index_agrees_with_the_typed_ast() {
    let mut refs = 0;
    for dir in ["libreswan", "semantics"] {
        for path in files_below(&corpus_dir().join(dir)) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let index = ide::FileIndex::new(&text);
            // Built piece by piece, as the language server does after an edit: the same.
            let mut cache = ide::IndexCache::default();
            assert_eq!(ide::FileIndex::new_cached(&text, &mut cache), index, "{}: cached", path.display());
            assert_eq!(ide::FileIndex::new_cached(&text, &mut cache), index, "{}: from the cache", path.display());
            let mut sections = Vec::new();
            let mut also = Vec::new();
            for section in index.parse.source_file().sections() {
                let Some(header) = section.header() else { continue };
                let name = header.name();
                sections.push((
                    header.section_type().unwrap_or(SectionType::Unknown),
                    name.as_ref().map(|n| n.text()).unwrap_or_default(),
                    name.map(|n| n.range()),
                    header.range(),
                    section.range(),
                ));
                for kv in section.key_values() {
                    let flipped = match kv.key_text().map(|k| k.to_ascii_lowercase()).as_deref() {
                        Some("also") => false,
                        Some("alsoflip") => true,
                        _ => continue,
                    };
                    let Some(value) = kv.value() else { continue };
                    for (name, range) in ide::value_words(&value) {
                        also.push((name, range, flipped, sections.len() - 1));
                    }
                }
            }
            let ours: Vec<_> = index
                .sections
                .iter()
                .map(|s| (s.section_type, s.name.clone(), s.name_range, s.header_range, s.range))
                .collect();
            assert_eq!(ours, sections, "{}: sections", path.display());
            let ours: Vec<_> =
                index.also_refs.iter().map(|r| (r.name.clone(), r.range, r.flipped, r.section)).collect();
            assert_eq!(ours, also, "{}: also= references", path.display());
            refs += also.len();
        }
    }
    assert!(refs > 1000, "only {refs} also= references in the corpus");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// After random edits, the index built through the cache of the text before them
    /// equals one built afresh.
    #[test]
    fn index_of_an_edited_file_through_the_cache_is_the_same(
        file in any::<prop::sample::Index>(),
        edits in config_edits(),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_sample(7));
        let original = TEXTS.with(|texts| file.get(texts).clone());
        let mut edited = original.clone();
        apply_random_edits(&mut edited, edits);
        let mut cache = ide::IndexCache::default();
        for text in [&original, &edited, &original] {
            prop_assert_eq!(ide::FileIndex::new_cached(text, &mut cache), ide::FileIndex::new(text));
        }
    }
}
