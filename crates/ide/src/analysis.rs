//! The analysed state of one file: the resolution of the file it belongs to (itself,
//! or another file that includes it) and a parsed index of every file read.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use model::{FileId, Loader, ResolveOptions, Resolved, ResolvedConn};
use syntax::ast::{self, AstNode, SectionType};
use syntax::outline::OutlineItem;
use syntax::{Parse, SyntaxError, SyntaxNode, TextRange, TextSize};

/// The libreswan version to check against (the model's, so every layer agrees).
pub use model::LibreswanVersion as Version;

#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Absolute include patterns are taken below this folder (libreswan's `--rootdir`).
    pub root_dir: Option<PathBuf>,
    pub version: Version,
    /// Report warnings as well as errors.
    pub warnings: bool,
}

/// A section as written: its type, name and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInfo {
    pub section_type: SectionType,
    /// The name as libreswan reads it (unquoted); empty when missing.
    pub name: String,
    pub name_range: Option<TextRange>,
    pub header_range: TextRange,
    /// The header and every body line.
    pub range: TextRange,
}

impl SectionInfo {
    pub fn is_conn(&self) -> bool {
        self.section_type == SectionType::Conn
    }
}

/// One conn name in the value of an `also=`/`alsoflip=` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlsoRef {
    pub name: String,
    pub range: TextRange,
    pub flipped: bool,
    /// Index of the section (in [`FileIndex::sections`]) the line is in.
    pub section: usize,
}

/// One file's syntax tree, sections and `also=` references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIndex {
    pub parse: Parse,
    pub sections: Vec<SectionInfo>,
    pub also_refs: Vec<AlsoRef>,
}

impl FileIndex {
    pub fn new(text: &str) -> FileIndex {
        let parse = syntax::parse(text);
        let mut sections = Vec::new();
        let mut also_refs = Vec::new();
        // The green-tree outline: walking the typed AST here cost three times the parse.
        for item in parse.outline() {
            let OutlineItem::Section(section) = item else { continue };
            let Some(section_type) = section.section_type else { continue };
            let index = sections.len();
            sections.push(SectionInfo {
                section_type,
                name: section.name.as_deref().unwrap_or_default().to_string(),
                name_range: section.name_range,
                header_range: section.header_range,
                range: section.range,
            });
            for entry in &section.entries {
                let flipped = if entry.key.eq_ignore_ascii_case("also") {
                    false
                } else if entry.key.eq_ignore_ascii_case("alsoflip") {
                    true
                } else {
                    continue;
                };
                let Some(range) = entry.value_range else { continue };
                let raw = &text[range];
                // One quoted token loses its quotes in the outline's value.
                let quoted = entry.value.len() < raw.len();
                for (name, range) in words_of(raw, quoted, range.start()) {
                    also_refs.push(AlsoRef { name, range, flipped, section: index });
                }
            }
        }
        FileIndex { parse, sections, also_refs }
    }

    /// [`FileIndex::new`] for a text indexed again after an edit: the file is cut
    /// before every section header (each piece parses the same on its own), and the
    /// pieces whose text `cache` has seen are taken from it, moved to where they now
    /// are. The result equals [`FileIndex::new`]'s.
    pub fn new_cached(text: &str, cache: &mut IndexCache) -> FileIndex {
        cache.start();
        let pieces = cache.pieces(text, FileIndex::new);
        cache.finish();
        let (mut children, mut errors, mut sections, mut also_refs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (by, piece) in pieces {
            let piece = &piece.value;
            let first_section = sections.len();
            children.extend(piece.parse.green.children().map(|child| child.to_owned()));
            errors.extend(piece.parse.errors.iter().map(|e| SyntaxError { range: e.range + by, ..e.clone() }));
            sections.extend(piece.sections.iter().map(|s| SectionInfo {
                name_range: s.name_range.map(|r| r + by),
                header_range: s.header_range + by,
                range: s.range + by,
                ..s.clone()
            }));
            also_refs.extend(piece.also_refs.iter().map(|r| AlsoRef {
                range: r.range + by,
                section: r.section + first_section,
                ..r.clone()
            }));
        }
        let green = syntax::GreenNode::new(syntax::SyntaxKind::SOURCE_FILE.into(), children);
        FileIndex { parse: Parse { green, errors }, sections, also_refs }
    }

    pub fn root(&self) -> SyntaxNode {
        self.parse.syntax_node()
    }

    /// The section whose header or body holds `offset`, or the last section that
    /// starts before it when `offset` is on a trailing blank line.
    pub fn section_at(&self, offset: TextSize) -> Option<usize> {
        let after = self.sections.partition_point(|s| s.range.start() <= offset);
        after.checked_sub(1)
    }
}

/// The syntax indexes of the pieces of earlier texts, for [`FileIndex::new_cached`].
pub type IndexCache = model::pieces::PieceCache<FileIndex>;

/// The white-space separated words of a value, unquoted, with their ranges.
pub fn value_words(value: &ast::Value) -> Vec<(String, TextRange)> {
    words_of(&value.syntax().text().to_string(), value.is_quoted(), value.range().start())
}

/// The words of a value written as `raw` at `start` (`quoted`: one quoted token).
fn words_of(raw: &str, quoted: bool, start: TextSize) -> Vec<(String, TextRange)> {
    let (inner_offset, inner) = match raw.get(1..) {
        Some(rest) if quoted => (1, rest.strip_suffix(['"', '}']).unwrap_or(rest)),
        _ => (0, raw),
    };
    let mut words = Vec::new();
    let mut position = 0;
    for word in inner.split(|c: char| c.is_ascii_whitespace() || c == ',') {
        if !word.is_empty() {
            let word_start = start + TextSize::from((inner_offset + position) as u32);
            words.push((word.to_string(), TextRange::at(word_start, TextSize::of(word))));
        }
        position += word.len() + 1;
    }
    words
}

/// A resolution and the parsed index of every file it read; shared by the
/// analyses of each of those files.
#[derive(Debug)]
pub struct World {
    pub resolved: Resolved,
    /// Parsed index of each file in `resolved.files`, same order, built when first
    /// asked for: diagnostics need none, so an edit is published without them.
    files: Vec<OnceLock<FileIndex>>,
    /// Index of the built-in file of implicit conns in `resolved.files`.
    implicit: Option<usize>,
    /// Conn name to its first index in `resolved.conns`, built when first asked for
    /// (diagnostics need none).
    conn_index: OnceLock<HashMap<model::SharedStr, usize>>,
}

/// A resolved configuration seen from one of its files (the focus).
#[derive(Debug, Clone)]
pub struct Analysis {
    world: Arc<World>,
    /// The file being edited.
    pub focus: FileId,
    pub options: AnalysisOptions,
    /// For each `include` line of the focus file: its range, its pattern's range and the files it matches.
    pub includes: Vec<(TextRange, TextRange, Vec<PathBuf>)>,
}

impl std::ops::Deref for Analysis {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

impl Analysis {
    /// Resolves `text` (the file at `path`) with its includes and looks at it from
    /// `focus` (one of the files read; the root when `None` or not found).
    pub fn new(
        loader: &dyn Loader,
        path: &Path,
        text: String,
        focus: Option<&Path>,
        options: AnalysisOptions,
    ) -> Analysis {
        Analysis::new_cached(loader, path, text, focus, options, None)
    }

    /// [`Analysis::new`] for a buffer analysed again after each edit: `cache` keeps
    /// what each section gave, so only changed sections are read again.
    pub fn new_cached(
        loader: &dyn Loader,
        path: &Path,
        text: String,
        focus: Option<&Path>,
        options: AnalysisOptions,
        cache: Option<&mut model::ResolveCache>,
    ) -> Analysis {
        let resolve_options = ResolveOptions {
            root_dir: options.root_dir.clone(),
            version: options.version,
            ..ResolveOptions::default()
        };
        let resolved = match cache {
            Some(cache) => model::resolve_text_cached(loader, path, text, &resolve_options, cache),
            None => model::resolve_text(loader, path, text, &resolve_options),
        };
        let files = resolved.files.iter().map(|_| OnceLock::new()).collect();
        let implicit = resolved.files.iter().position(|s| s.path == Path::new(model::implicit::PATH));
        let world = Arc::new(World { resolved, files, implicit, conn_index: OnceLock::new() });
        let root = Analysis { world, focus: FileId(0), options, includes: Vec::new() };
        focus.and_then(|f| root.with_focus(f)).unwrap_or_else(|| root.refocused(FileId(0)))
    }

    /// The same resolution seen from another file it read, if it read `path`.
    pub fn with_focus(&self, path: &Path) -> Option<Analysis> {
        let path = model::loader::normalize(path);
        let index = self.resolved.files.iter().position(|s| s.path == path)?;
        Some(self.refocused(FileId(index as u32)))
    }

    fn refocused(&self, focus: FileId) -> Analysis {
        // The resolution recorded every include line and what it matched: no need to
        // parse the focus file for them.
        let includes = self
            .resolved
            .includes
            .iter()
            .filter(|line| line.file == focus)
            .map(|line| (line.range, line.pattern_range, line.targets.clone()))
            .collect();
        Analysis { world: self.world.clone(), focus, options: self.options.clone(), includes }
    }

    /// Analyses a lone in-memory file, as `/etc/ipsec.conf` with no other files.
    pub fn from_text(text: &str) -> Analysis {
        let options = AnalysisOptions { warnings: true, ..AnalysisOptions::default() };
        Analysis::new(&model::MemoryLoader::new(), Path::new("/etc/ipsec.conf"), text.to_string(), None, options)
    }

    /// The path of a file read.
    pub fn path(&self, file: FileId) -> &Path {
        &self.resolved.source(file).path
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.resolved.source(file).text
    }

    pub fn focus_text(&self) -> &str {
        self.text(self.focus)
    }

    pub fn file_index(&self, file: FileId) -> &FileIndex {
        self.files[file.index()].get_or_init(|| FileIndex::new(&self.resolved.source(file).text))
    }

    /// Every file read (policy group files too) with its index; the implicit conns last
    /// when `with_implicit`.
    pub fn file_indexes(&self, with_implicit: bool) -> impl Iterator<Item = (FileId, &FileIndex)> {
        let implicit = self.implicit;
        let mut order: Vec<usize> = (0..self.files.len()).filter(|&i| Some(i) != implicit).collect();
        order.extend(implicit.filter(|_| with_implicit));
        order.into_iter().map(|i| (FileId(i as u32), self.file_index(FileId(i as u32))))
    }

    /// Builds what requests need now: the focus file's index through `cache` (see
    /// [`FileIndex::new_cached`]) and the conn names' index.
    pub fn index_focus_with(&self, cache: &mut IndexCache) {
        self.files[self.focus.index()].get_or_init(|| FileIndex::new_cached(self.focus_text(), cache));
        self.conn_index();
    }

    pub fn focus_index(&self) -> &FileIndex {
        self.file_index(self.focus)
    }

    /// Whether `file` is the built-in file of implicit conns (it has no real path).
    pub fn is_implicit(&self, file: FileId) -> bool {
        self.implicit == Some(file.index())
    }

    /// The files an analysis depends on (for re-checking when one of them changes),
    /// the root first.
    pub fn file_paths(&self) -> impl Iterator<Item = &Path> {
        let implicit = self.implicit;
        self.resolved.files.iter().enumerate().filter(move |(i, _)| Some(*i) != implicit).map(|(_, s)| s.path.as_path())
    }

    /// The resolved conn named `name`, the first one when several share it.
    pub fn conn(&self, name: &str) -> Option<&ResolvedConn> {
        self.conn_index().get(name).map(|&i| &self.resolved.conns[i])
    }

    fn conn_index(&self) -> &HashMap<model::SharedStr, usize> {
        self.conn_index.get_or_init(|| {
            let mut index = HashMap::with_capacity_and_hasher(self.resolved.conns.len(), Default::default());
            for (i, conn) in self.resolved.conns.iter().enumerate() {
                index.entry(conn.name.clone()).or_insert(i);
            }
            index
        })
    }

    /// Every conn section named `name` (any file, implicit conns last) as (file, section index).
    pub fn conn_sections(&self, name: &str) -> Vec<(FileId, usize)> {
        let mut found = Vec::new();
        for (file, index) in self.file_indexes(true) {
            for (i, section) in index.sections.iter().enumerate() {
                if section.is_conn() && section.name == name {
                    found.push((file, i));
                }
            }
        }
        found
    }

    /// Every `also=`/`alsoflip=` reference to `name` in the files read (not the implicit ones).
    pub fn also_refs_to(&self, name: &str) -> Vec<(FileId, &AlsoRef)> {
        let mut found = Vec::new();
        for (file, index) in self.file_indexes(false) {
            found.extend(index.also_refs.iter().filter(|r| r.name == name).map(|r| (file, r)));
        }
        found
    }

    /// Every conn name a file defines (including the implicit conns), sorted.
    pub fn conn_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .file_indexes(true)
            .flat_map(|(_, f)| f.sections.iter())
            .filter(|s| s.is_conn() && !s.name.is_empty() && s.name != "%default")
            .map(|s| s.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Where an include pattern written in `including` points.
    pub fn include_path(&self, including: &Path, pattern: &str) -> PathBuf {
        model::include::pattern_path(self.options.root_dir.as_deref(), including, pattern)
    }
}
