//! Reading a file again after a small change: an editor resolves the whole file on
//! every keystroke, and most of its sections are as they were.
//!
//! What each piece of a file gives (its sections, syntax errors and line checks,
//! ranges relative to the piece) is kept in a [`PieceCache`] and moved to wherever the
//! piece is now: only pieces whose text is new are read.

use syntax::{SyntaxError, TextSize};

use crate::checks::{LibreswanVersion, check_section};
use crate::diagnostics::Diagnostic;
use crate::include::{FileItem, file_item};
use crate::pieces::PieceCache;
use crate::source::FileId;

/// What earlier resolutions read, for [`crate::resolve_text_cached`].
#[derive(Debug, Default)]
pub struct ResolveCache {
    /// Line checks depend on the release checked against: another one starts afresh.
    version: Option<LibreswanVersion>,
    pieces: PieceCache<PieceRead>,
}

/// What one piece of a file gives, its ranges relative to the piece's start and its
/// file `FileId(0)`.
#[derive(Debug)]
struct PieceRead {
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
        self.pieces.start();
    }

    /// Ends a resolution: what it used is what the next one may reuse.
    pub(crate) fn finish(&mut self) {
        self.pieces.finish();
    }

    /// Reads `text` (the file `file`), reusing the pieces it already read.
    pub(crate) fn read(&mut self, text: &str, file: FileId) -> FileRead {
        let version = self.version.unwrap_or_default();
        let pieces = self.pieces.pieces(text, |piece| PieceRead::read(piece, version));
        let parts = crate::parallel::map_parts(&pieces, |part| {
            let mut read = FileRead { items: Vec::new(), errors: Vec::new(), checks: Vec::new() };
            for (start, piece) in part {
                let piece = &piece.value;
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

impl PieceRead {
    fn read(text: &str, version: LibreswanVersion) -> PieceRead {
        let (outline, errors) = syntax::outline::outline_text(text);
        let items: Vec<FileItem> = outline.iter().filter_map(|item| file_item(item, PLACEHOLDER)).collect();
        let mut checks = Vec::new();
        for item in &items {
            if let FileItem::Section(section) = item {
                check_section(section, text, version, &mut checks);
            }
        }
        PieceRead { items, errors, checks }
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
