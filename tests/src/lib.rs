//! Helpers for the whole-product tests: where `../shared/` is and what it holds.
//!
//! The corpus is required: a missing `shared/` folder fails the tests loudly
//! instead of skipping them.

pub mod readwriteconf;

use std::path::{Path, PathBuf};

pub mod meaning;

/// `../shared` beside the repository (or `$IPSECCONF_SHARED`).
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("IPSECCONF_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    assert!(
        dir.join("corpus/libreswan-manifest.tsv").is_file(),
        "the shared corpus is missing at {}: clone the repository beside `shared/` or set IPSECCONF_SHARED",
        dir.display()
    );
    dir
}

pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// One row of `libreswan-manifest.tsv`.
#[derive(Debug, Clone)]
pub struct ManifestEntry {
    /// Path below `corpus/libreswan/`.
    pub path: String,
    /// `ok`, `ok-with-warnings` or `fail`.
    pub status: String,
    pub exit_code: i32,
    pub stderr: String,
}

impl ManifestEntry {
    pub fn file(&self) -> PathBuf {
        corpus_dir().join("libreswan").join(&self.path)
    }

    /// libreswan 4.10 loaded it (exit 0), so an expected `.out` exists.
    pub fn accepted(&self) -> bool {
        self.exit_code == 0
    }

    pub fn expected_output(&self) -> PathBuf {
        corpus_dir().join("libreswan-expected").join(format!("{}.out", self.path))
    }
}

pub fn manifest() -> Vec<ManifestEntry> {
    let text = std::fs::read_to_string(corpus_dir().join("libreswan-manifest.tsv")).expect("read manifest");
    let entries: Vec<ManifestEntry> = text
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            ManifestEntry {
                path: cols[0].to_string(),
                exit_code: cols[6].parse().expect("exit code"),
                status: cols[7].to_string(),
                stderr: cols.get(8).unwrap_or(&"").to_string(),
            }
        })
        .collect();
    assert!(entries.len() > 2400, "manifest has only {} rows", entries.len());
    entries
}

/// Every file below `dir`, sorted, recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `.conf` files of `semantics/` (and their include folder `inc/`).
pub fn semantics_cases() -> Vec<PathBuf> {
    let dir = corpus_dir().join("semantics");
    let cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read semantics/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(cases.len() >= 50, "only {} semantics cases", cases.len());
    cases
}

/// Reads includes from disk for whole-product tests.
pub struct FsLoader;

impl model::Loader for FsLoader {
    fn read(&self, path: &Path) -> Result<String, model::LoadError> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => model::LoadError::NotFound,
            _ => model::LoadError::Other(e.to_string()),
        })?;
        String::from_utf8(bytes).map_err(|e| model::LoadError::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<model::DirEntry>, model::LoadError> {
        let entries = std::fs::read_dir(dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => model::LoadError::NotFound,
            _ => model::LoadError::Other(e.to_string()),
        })?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| model::DirEntry { name: e.file_name().to_string_lossy().into_owned(), is_dir: e.path().is_dir() })
            .collect())
    }
}

/// Every `step`-th file of `corpus/libreswan/`, read, for tests that edit real files.
pub fn corpus_sample(step: usize) -> Vec<String> {
    let files = files_below(&corpus_dir().join("libreswan"));
    files.iter().step_by(step).map(|p| std::fs::read_to_string(p).expect("read corpus file")).collect()
}

/// Applies random edits `(where, how many bytes to delete, what to insert)` to `text`,
/// each position moved to a character boundary.
pub fn apply_random_edits(text: &mut String, edits: Vec<(proptest::sample::Index, usize, String)>) {
    for (at, delete, insert) in edits {
        let mut start = at.index(text.len() + 1);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + delete).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(start..end, &insert);
    }
}

/// Up to five random edits for [`apply_random_edits`], inserting the characters and
/// words that matter to a config (section keywords, `also=`, sides).
pub fn config_edits() -> impl proptest::strategy::Strategy<Value = Vec<(proptest::sample::Index, usize, String)>> {
    use proptest::prelude::*;
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0usize..12,
            "([ \t\r\n=#\"{}%,;/:.a-z0-9-]|also=|conn |config |include |left|right){0,4}",
        ),
        1..6,
    )
}
