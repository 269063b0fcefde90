//! Reading a file again after a small change: an editor resolves the whole file on
//! every keystroke, and most of its sections are as they were.
//!
//! A file is cut before every section header (see [`syntax::section_starts`]); each
//! piece reads the same on its own as within the file. What a piece gives (its
//! sections, syntax errors and line checks, ranges relative to the piece) is kept by
//! the piece's text, and moved to wherever the piece is now. Only pieces whose text
//! is new are read, in parts on all cores.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};
use syntax::{SyntaxError, TextSize};

use crate::checks::{LibreswanVersion, check_section};
use crate::diagnostics::Diagnostic;
use crate::include::{FileItem, file_item};
use crate::source::FileId;

/// What earlier resolutions read, for [`crate::resolve_text_cached`].
#[derive(Debug, Default)]
pub struct ResolveCache {
    /// Line checks depend on the release checked against: another one starts afresh.
    version: Option<LibreswanVersion>,
    /// Pieces read by the last resolution, by the hash of their text.
    pieces: FxHashMap<u64, Arc<Piece>>,
    /// Pieces used by the resolution running now; they replace `pieces` at its end.
    used: FxHashMap<u64, Arc<Piece>>,
}

/// What one piece of a file gives, its ranges relative to the piece's start and its
/// file `FileId(0)`.
#[derive(Debug)]
struct Piece {
    text: Box<str>,
    items: Vec<FileItem>,
    errors: Vec<SyntaxError>,
    checks: Vec<Diagnostic>,
}

/// What a file gives, its ranges in the file.
pub(crate) struct FileRead {
    pub items: Vec<FileItem>,
    pub errors: Vec<SyntaxError>,
    pub checks: Vec<Diagnostic>,
}

const PLACEHOLDER: FileId = FileId(0);

impl ResolveCache {
    /// Starts a resolution: the kept pieces are valid for `version` only.
    pub(crate) fn start(&mut self, version: LibreswanVersion) {
        if self.version != Some(version) {
            self.pieces.clear();
            self.version = Some(version);
        }
        self.used.clear();
    }

    /// Ends a resolution: what it used is what the next one may reuse.
    pub(crate) fn finish(&mut self) {
        self.pieces = std::mem::take(&mut self.used);
    }

    /// Reads `text` (the file `file`), reusing the pieces it already read.
    pub(crate) fn read(&mut self, text: &str, file: FileId) -> FileRead {
        let version = self.version.unwrap_or_default();
        let starts = syntax::section_starts(text);
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        let ranges: Vec<(usize, usize)> = starts.iter().copied().zip(ends).collect();
        let keys: Vec<u64> = ranges.iter().map(|&(start, end)| hash(&text[start..end])).collect();
        let mut found: Vec<Option<Arc<Piece>>> = ranges
            .iter()
            .zip(&keys)
            .map(|(&(start, end), key)| {
                let kept = self.used.get(key).or_else(|| self.pieces.get(key));
                kept.filter(|piece| *piece.text == text[start..end]).cloned()
            })
            .collect();
        let missing: Vec<usize> = (0..ranges.len()).filter(|&i| found[i].is_none()).collect();
        let read = crate::parallel::map_parts(&missing, |part| {
            part.iter().map(|&i| Arc::new(Piece::read(&text[ranges[i].0..ranges[i].1], version))).collect::<Vec<_>>()
        });
        for (i, piece) in missing.into_iter().zip(read.into_iter().flatten()) {
            found[i] = Some(piece);
        }
        let pieces: Vec<(TextSize, Arc<Piece>)> = ranges
            .iter()
            .zip(found)
            .map(|(&(start, _), piece)| (TextSize::from(start as u32), piece.expect("every piece was read")))
            .collect();
        self.used.reserve(pieces.len());
        for ((_, piece), key) in pieces.iter().zip(keys) {
            self.used.insert(key, piece.clone());
        }
        let parts = crate::parallel::map_parts(&pieces, |part| {
            let mut read = FileRead { items: Vec::new(), errors: Vec::new(), checks: Vec::new() };
            for (start, piece) in part {
                read.items.extend(piece.items.iter().map(|item| item.moved(*start, file)));
                read.errors.extend(piece.errors.iter().map(|e| SyntaxError { range: e.range + *start, ..e.clone() }));
                read.checks.extend(piece.checks.iter().map(|d| moved(d, *start, file)));
            }
            read
        });
        let mut whole = FileRead { items: Vec::new(), errors: Vec::new(), checks: Vec::new() };
        for part in parts {
            whole.items.extend(part.items);
            whole.errors.extend(part.errors);
            whole.checks.extend(part.checks);
        }
        whole
    }
}

impl Piece {
    fn read(text: &str, version: LibreswanVersion) -> Piece {
        let (outline, errors) = syntax::outline::outline_text(text);
        let items: Vec<FileItem> = outline.iter().filter_map(|item| file_item(item, PLACEHOLDER)).collect();
        let mut checks = Vec::new();
        for item in &items {
            if let FileItem::Section(section) = item {
                check_section(section, text, version, &mut checks);
            }
        }
        Piece { text: text.into(), items, errors, checks }
    }
}

/// `diagnostic` of a piece, moved to where the piece starts in `file`.
pub(crate) fn moved(diagnostic: &Diagnostic, by: TextSize, file: FileId) -> Diagnostic {
    let mut moved = diagnostic.clone();
    moved.file = file;
    moved.range += by;
    // Everything in a piece is about the piece.
    for related in &mut moved.related {
        related.file = file;
        related.range += by;
    }
    moved
}

fn hash(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}
