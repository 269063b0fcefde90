//! Random edits of real corpus files never make resolution, the checks or the peer
//! comparison panic or hang, and every diagnostic points inside its file.

use std::path::Path;

use ipsecconf_tests::{corpus_dir, files_below};
use model::{MemoryLoader, ResolveOptions};
use proptest::prelude::*;

fn corpus_texts() -> Vec<String> {
    let files = files_below(&corpus_dir().join("libreswan"));
    files.iter().step_by(11).map(|p| std::fs::read_to_string(p).expect("read corpus file")).collect()
}

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
        thread_local!(static TEXTS: Vec<String> = corpus_texts());
        let mut text = TEXTS.with(|texts| file.get(texts).clone());
        for (at, delete, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(start..end, &insert);
        }
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
