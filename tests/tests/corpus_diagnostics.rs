//! Catalogue diagnostics over the corpus, judged by what libreswan 4.10 did with
//! each file (the manifest records its exit code and message).
//!
//! - A file 4.10 accepted must get no `keyword-unknown`, `keyword-section` or
//!   `keyword-version` error when checked against 4.x: 4.10 knew every keyword in it.
//! - A file 4.10 rejected with `syntax error [KEY]` for a key the catalogue knows from a
//!   newer release only must get a keyword diagnostic on that key.

use std::collections::BTreeMap;
use std::path::Path;

use ipsecconf_tests::{FsLoader, ManifestEntry, corpus_dir, manifest};
use model::{LibreswanVersion, ResolveOptions, Resolved, codes};

fn resolve(entry: &ManifestEntry, version: LibreswanVersion) -> Resolved {
    let options =
        ResolveOptions { root_dir: Some(corpus_dir().join("libreswan")), version, ..ResolveOptions::default() };
    model::resolve(&FsLoader, &entry.file(), &options)
        .unwrap_or_else(|e| panic!("cannot read corpus file {}: {e}", entry.path))
}

fn location(resolved: &Resolved, d: &model::Diagnostic) -> String {
    let source = resolved.source(d.file);
    let (line, column) = source.line_col(d.range.start());
    format!("{}:{line}:{column}", source.path.display())
}

const KEYWORD_ERRORS: &[&str] = &[codes::KEYWORD_UNKNOWN, codes::KEYWORD_SECTION, codes::KEYWORD_VERSION];

#[test]
fn files_libreswan_accepted_have_no_keyword_errors() {
    let entries: Vec<ManifestEntry> = manifest().into_iter().filter(ManifestEntry::accepted).collect();
    assert!(entries.len() > 1000, "only {} accepted files in the manifest", entries.len());
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for entry in &entries {
        let resolved = resolve(entry, LibreswanVersion::V4);
        let mut codes_in_file: Vec<&str> = Vec::new();
        for d in &resolved.diagnostics {
            if KEYWORD_ERRORS.contains(&d.code) {
                failures.push(format!("{} [{}] {}", location(&resolved, d), d.code, d.message));
            }
            let count = counts.entry(d.code).or_default();
            count.1 += 1;
            if !codes_in_file.contains(&d.code) {
                codes_in_file.push(d.code);
                count.0 += 1;
            }
        }
    }
    println!("{} accepted files; diagnostics as (files, occurrences):", entries.len());
    for (code, (files, total)) in &counts {
        println!("  {code}: {files} files, {total} times");
    }
    assert!(
        failures.is_empty(),
        "{} keyword errors in files libreswan 4.10 accepted:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The key in `syntax error [KEY]`, when 4.10 rejected a file for an unknown keyword.
fn rejected_key(stderr: &str) -> Option<&str> {
    let (_, rest) = stderr.split_once("syntax error [")?;
    let key = rest.split(']').next()?.trim();
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).then_some(key)
}

#[test]
fn keywords_newer_than_4_10_are_reported() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.exit_code == 3) {
        let Some(key) = rejected_key(&entry.stderr) else { continue };
        let Some(lookup) = model::catalogue::lookup(key) else { continue };
        let dashed = ["left-", "right-"].iter().any(|p| key.to_ascii_lowercase().starts_with(p));
        if lookup.keyword.versions.v4_10 && !dashed {
            continue; // 4.10 knows the keyword; the file failed for another reason
        }
        checked += 1;
        let resolved = resolve(&entry, LibreswanVersion::V4);
        let reported = resolved.diagnostics.iter().any(|d| {
            d.code.starts_with("keyword-")
                && d.severity == model::Severity::Error
                && resolved.source(d.file).text.get(d.range.start().into()..d.range.end().into()) == Some(key)
        });
        if !reported {
            let found: Vec<String> = resolved.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
            failures.push(format!("{}: `{key}` not reported; got {found:?}", entry.path));
        }
    }
    println!("{checked} files rejected by 4.10 for a newer keyword");
    assert!(checked >= 10, "only {checked} files rejected for a newer keyword; the manifest changed?");
    assert!(failures.is_empty(), "{} files:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn newer_keywords_are_fine_for_current() {
    // The same files checked against current: the keyword that 4.10 rejected is known there.
    let entry = manifest()
        .into_iter()
        .find(|e| e.exit_code == 3 && rejected_key(&e.stderr) == Some("iptfs"))
        .expect("the corpus has a file rejected for `iptfs`");
    let resolved = resolve(&entry, LibreswanVersion::Current);
    let text = |d: &model::Diagnostic| {
        resolved.source(d.file).text.get(d.range.start().into()..d.range.end().into()).map(str::to_string)
    };
    let on_key: Vec<&model::Diagnostic> = resolved
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("keyword-") && text(d).as_deref() == Some("iptfs"))
        .collect();
    assert!(on_key.is_empty(), "{}: {on_key:?}", Path::new(&entry.path).display());
}
