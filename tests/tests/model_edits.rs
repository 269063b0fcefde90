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

/// Replaces the value after the `=` picked by `at` (up to white space, a quote or a
/// comment) with `value`: an edit that keeps the file's shape, as typing a value does.
fn replace_value(text: &mut String, at: prop::sample::Index, value: &str) {
    let equals: Vec<usize> = text.match_indices('=').map(|(i, _)| i + 1).collect();
    if equals.is_empty() {
        return;
    }
    let start = equals[at.index(equals.len())];
    let end = text[start..].find(|c: char| c.is_whitespace() || c == '"' || c == '#').map_or(text.len(), |n| start + n);
    text.replace_range(start..end, value);
}

/// Inserts `line` at the start of the body line picked by `at` (a line that begins
/// with white space), if there is one.
fn insert_line(text: &mut String, at: prop::sample::Index, line: &str) {
    let starts: Vec<usize> =
        text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| text[i..].starts_with([' ', '\t'])).collect();
    if !starts.is_empty() {
        text.insert_str(starts[at.index(starts.len())], line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Typing in values keeps every section's keys, and a new line changes one section's:
    /// the cache then keeps the layouts of the conns whose sections kept their keys. The
    /// result is still the same as afresh, diagnostics (and where they are) included.
    #[test]
    fn cached_resolution_after_value_and_line_edits_is_the_same(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), "[a-z0-9%.:/@,-]{0,12}", prop::option::of("(auto|leftid|rightsubnet|ikev2|authby|leftauth|bogus)")),
            1..4,
        ),
    ) {
        thread_local!(static TEXTS: Vec<String> = corpus_sample(5));
        let original = TEXTS.with(|texts| file.get(texts).clone());
        let loader = MemoryLoader::new().with("/etc/ipsec.d/a.conf", "conn a\n\tleft=192.0.2.1\n\tright=%any\n");
        let path = Path::new("/etc/ipsec.conf");
        let options = ResolveOptions::default();
        let mut cache = model::ResolveCache::default();
        let mut text = original.clone();
        let first = model::resolve_text_cached(&loader, path, text.clone(), &options, &mut cache);
        prop_assert_eq!(outcome(&first), outcome(&model::resolve_text(&loader, path, text.clone(), &options)));
        for (at, value, new_key) in edits {
            match new_key {
                // A new line in a section body: that section's keys change, the others' do not.
                Some(key) => insert_line(&mut text, at, &format!("\t{key}={value}\n")),
                None => replace_value(&mut text, at, &value),
            }
            let cached = model::resolve_text_cached(&loader, path, text.clone(), &options, &mut cache);
            let fresh = model::resolve_text(&loader, path, text.clone(), &options);
            prop_assert_eq!(outcome(&cached), outcome(&fresh));
        }
    }
}
