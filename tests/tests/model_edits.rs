//! Random edits of real corpus files never make resolution, the checks or the peer
//! comparison panic or hang, and every diagnostic points inside its file.

use std::path::Path;

use ipsecconf_tests::{apply_random_edits, config_edits, corpus_sample};
use model::{MemoryLoader, ResolveOptions};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn edited_corpus_files_resolve_without_panics(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..12, "([ \t\r\n=#\"{}%,;/:.a-z0-9-]|also=|conn |include |left|right){0,4}"),
            1..8,
        ),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_sample(11));
        let mut text = TEXTS.with(|texts| file.get(texts).clone());
        apply_random_edits(&mut text, edits);
        // Includes point at a small set of files, one of which includes the root back.
        let loader = MemoryLoader::new()
            .with("/etc/ipsec.d/a.conf", "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n")
            .with("/etc/ipsec.d/loop.conf", "include /etc/ipsec.conf\n");
        let resolved = model::resolve_text(&loader, Path::new("/etc/ipsec.conf"), text.clone(), &ResolveOptions::default());
        for d in &resolved.diagnostics {
            let source = resolved.source(d.file);
            prop_assert!(usize::from(d.range.end()) <= source.text.len(), "{d:?} is past the end of {}", source.path.display());
        }
        // Both ends with the same config always agree.
        let report = model::peer::compare(&resolved, &resolved, &Default::default());
        let findings: Vec<String> = report.findings().map(|f| format!("{f:?}")).collect();
        prop_assert!(report.agrees(), "a config disagrees with itself: {findings:?}");
    }
}

/// Everything a resolution gives but the file texts, for comparing two of them.
fn outcome(resolved: &model::Resolved) -> String {
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
        resolved.setup, resolved.conns, resolved.instances, resolved.includes, resolved.diagnostics
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An editor resolves a buffer through a cache after every edit: the result is
    /// the same as resolving the text afresh, before and after the edits.
    #[test]
    fn cached_resolution_of_an_edited_file_is_the_same(
        file in any::<prop::sample::Index>(),
        edits in config_edits(),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_sample(7));
        let original = TEXTS.with(|texts| file.get(texts).clone());
        let mut edited = original.clone();
        apply_random_edits(&mut edited, edits);
        let loader = MemoryLoader::new()
            .with("/etc/ipsec.d/a.conf", "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauto=bogus\n")
            .with("/etc/ipsec.d/loop.conf", "include /etc/ipsec.conf\n");
        let path = Path::new("/etc/ipsec.conf");
        let options = ResolveOptions::default();
        let mut cache = model::ResolveCache::default();
        for text in [&original, &edited, &original] {
            let cached = model::resolve_text_cached(&loader, path, text.clone(), &options, &mut cache);
            let fresh = model::resolve_text(&loader, path, text.clone(), &options);
            prop_assert_eq!(outcome(&cached), outcome(&fresh));
        }
    }
}
