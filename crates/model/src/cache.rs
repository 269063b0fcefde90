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
use crate::resolve::ConnLayouts;
use crate::source::FileId;

/// What earlier resolutions read, for [`crate::resolve_text_cached`].
#[derive(Debug, Default)]
pub struct ResolveCache {
    /// Line checks depend on the release checked against: another one starts afresh.
    version: Option<LibreswanVersion>,
    pieces: PieceCache<PieceRead>,
    /// The conn layouts of the last resolution (see [`ConnLayouts`]).
    layouts: Option<ConnLayouts>,
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
            self.layouts = None;
            self.version = Some(version);
        }
        self.pieces.start();
    }

    /// Ends the reading of a resolution: what it read is what the next one may reuse.
    pub(crate) fn finish(&mut self) {
        self.pieces.finish();
    }

    /// The conn layouts of the last resolution.
    pub(crate) fn take_layouts(&mut self) -> Option<ConnLayouts> {
        self.layouts.take()
    }

    /// Keeps the layouts of the resolution just made, for the next one.
    pub(crate) fn keep_layouts(&mut self, layouts: ConnLayouts) {
        self.layouts = Some(layouts);
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

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use crate::{MemoryLoader, ResolveCache, ResolveOptions, resolve_text, resolve_text_cached};

    const TEXT: &str = "conn base\n\tleftid=@a\n\tright=%any\n\nconn one\n\talso=base\n\tleft=192.0.2.1\n\n\
conn two\n\talso=base\n\tleft=192.0.2.2\n\tleftsubnet=10.0.0.0/8\n\tleftsubnets=10.1.0.0/16\n";

    fn resolve(text: &str, cache: &mut ResolveCache) -> crate::Resolved {
        resolve_text_cached(&MemoryLoader::new(), Path::new("/a.conf"), text.into(), &ResolveOptions::default(), cache)
    }

    #[test]
    fn value_edits_through_kept_layouts_still_find_value_and_name_problems() {
        let text = "conn a\n\tleft=1.2.3.4\n\tright=%any\n\taggrmode=yes\n\tauthby=secret\n\n\
conn a\n\tleft=1.2.3.5\n\tright=%any\n";
        let mut cache = ResolveCache::default();
        let codes = |r: &crate::Resolved| r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
        let first = resolve(text, &mut cache);
        assert!(codes(&first).contains(&crate::codes::ADVICE_PSK_AGGRESSIVE), "{:?}", codes(&first));
        assert!(codes(&first).contains(&crate::codes::SECTION_DUPLICATE));
        // The value the advice depends on changes; the names stay, defined twice.
        for (edited, advised) in [("authby=rsasig", false), ("authby=secret", true)] {
            let edited_text = text.replace("authby=secret", edited).replace("1.2.3.5", "1.2.3.66");
            let cached = resolve(&edited_text, &mut cache);
            let fresh =
                resolve_text(&MemoryLoader::new(), Path::new("/a.conf"), edited_text, &ResolveOptions::default());
            assert_eq!(format!("{:?}", cached.diagnostics), format!("{:?}", fresh.diagnostics));
            assert_eq!(codes(&cached).contains(&crate::codes::ADVICE_PSK_AGGRESSIVE), advised);
            assert!(codes(&cached).contains(&crate::codes::SECTION_DUPLICATE));
        }
    }

    #[test]
    fn edits_keep_the_layouts_of_conns_whose_sections_kept_their_keys() {
        let mut cache = ResolveCache::default();
        let before = resolve(TEXT, &mut cache);
        let edited = TEXT.replace("@a", "@a-longer-id");
        let after = resolve(&edited, &mut cache);
        let layout =
            |r: &crate::Resolved, name: &str| r.conns.iter().find(|c| c.name == name).unwrap().values.layout.clone();
        // `one` is clean: its layout is the one made before. `two` sets two exclusive keys: made again.
        assert!(Arc::ptr_eq(&layout(&before, "one"), &layout(&after, "one")));
        assert!(!Arc::ptr_eq(&layout(&before, "two"), &layout(&after, "two")));
        let fresh =
            resolve_text(&MemoryLoader::new(), Path::new("/a.conf"), edited.clone(), &ResolveOptions::default());
        assert_eq!(
            format!("{:?}{:?}", after.conns, after.diagnostics),
            format!("{:?}{:?}", fresh.conns, fresh.diagnostics)
        );
        assert_eq!(after.conns[0].values.get("leftid").unwrap().value, "@a-longer-id");
        // The exclusive pair is reported where it now is.
        assert!(after.diagnostics.iter().any(|d| d.code == crate::codes::CONN_EXCLUSIVE));

        // A new key in `one`: its layout is made again; a clean conn that does not
        // append `one`, `three`, keeps its own.
        let three = format!("{edited}\nconn three\n\tleft=192.0.2.3\n\tright=192.0.2.4\n");
        let with_three = resolve(&three, &mut cache);
        let added = three.replace("\tleft=192.0.2.1\n", "\tleft=192.0.2.1\n\tauto=add\n");
        let after_add = resolve(&added, &mut cache);
        assert!(!Arc::ptr_eq(&layout(&with_three, "one"), &layout(&after_add, "one")));
        assert!(Arc::ptr_eq(&layout(&with_three, "three"), &layout(&after_add, "three")));
        assert_eq!(after_add.conns[1].values.get("auto").unwrap().value, "add");

        // A new key in `base`: every conn that appends it is made again, not `three`.
        let base_key = added.replace("\tright=%any\n", "\tright=%any\n\tikev2=yes\n");
        let after_base = resolve(&base_key, &mut cache);
        assert!(!Arc::ptr_eq(&layout(&after_add, "one"), &layout(&after_base, "one")));
        assert!(Arc::ptr_eq(&layout(&after_add, "three"), &layout(&after_base, "three")));
        assert_eq!(after_base.conns[1].values.get("ikev2").unwrap().value, "yes");

        // A changed also= line changes who appends what: nothing is kept.
        let also = base_key.replace("conn three\n", "conn three\n\talso=base\n");
        let after_also = resolve(&also, &mut cache);
        assert!(!Arc::ptr_eq(&layout(&after_base, "three"), &layout(&after_also, "three")));
        assert_eq!(after_also.conns[3].values.get("leftid").unwrap().value, "@a-longer-id");
        for text in [&three, &added, &base_key, &also] {
            let fresh =
                resolve_text(&MemoryLoader::new(), Path::new("/a.conf"), text.to_string(), &ResolveOptions::default());
            let cached = resolve(text, &mut ResolveCache::default());
            assert_eq!(format!("{:?}", cached.conns), format!("{:?}", fresh.conns));
        }
        assert_eq!(format!("{:?}{:?}", after_also.conns, after_also.diagnostics), {
            let fresh =
                resolve_text(&MemoryLoader::new(), Path::new("/a.conf"), also.clone(), &ResolveOptions::default());
            format!("{:?}{:?}", fresh.conns, fresh.diagnostics)
        });
    }
}
