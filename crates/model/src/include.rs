//! Include expansion: reads the root file, follows `include` lines through the
//! [`Loader`] and flattens every section, in file order, into plain data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use syntax::ast::SectionType;
use syntax::outline::{OutlineEntry, OutlineItem, OutlineSection};
use syntax::{TextRange, TextSize};

use crate::cache::{FileRead, ResolveCache};
use crate::diagnostics::{Diagnostic, Severity, codes};
use crate::glob;
use crate::loader::{LoadError, Loader, normalize};
use crate::shared_str::SharedStr;
use crate::source::{FileId, Source};

/// More nested files than this (the root counts as one) is an error, as libreswan
/// stops there too.
pub const MAX_INCLUDE_DEPTH: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// `config setup`.
    Setup,
    /// `conn NAME`, including `conn %default`.
    Conn,
}

/// One `key=value` line, key lower-cased, value unquoted. Its ranges are from its
/// section's `base`: see [`RawSection::at`].
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: SharedStr,
    /// The name of the setting `key` sets, by the catalogue's aliases (see
    /// [`crate::checks::canonical_key`]); resolution finds duplicates by it.
    pub canonical: SharedStr,
    /// [`crate::resolve::name_hash`] of `canonical`, to compare names quickly.
    pub(crate) canonical_hash: u32,
    pub value: SharedStr,
    pub key_range: TextRange,
    /// The value's range, or the end of `=` for an empty value.
    pub value_range: TextRange,
    /// The whole line's `key=value` range.
    pub range: TextRange,
}

/// A section with its lines, in the order written.
#[derive(Debug, Clone)]
pub struct RawSection {
    pub kind: SectionKind,
    pub name: SharedStr,
    pub file: FileId,
    pub name_range: TextRange,
    pub header_range: TextRange,
    /// Shared with the cache that read them, whose piece may now be elsewhere.
    pub entries: Arc<[Entry]>,
    /// Where the entries' ranges count from.
    pub(crate) base: TextSize,
}

impl RawSection {
    /// `range` of one of its entries, in its file.
    pub fn at(&self, range: TextRange) -> TextRange {
        range + self.base
    }
}

#[derive(Debug, Default)]
pub struct Expanded {
    pub files: Vec<Source>,
    pub sections: Vec<RawSection>,
    pub includes: Vec<IncludeLine>,
    pub diagnostics: Vec<Diagnostic>,
    /// The line checks of every section, when the files were read through a
    /// [`ResolveCache`] (which keeps them); `None` when they are still to be made.
    pub checks: Option<Vec<Diagnostic>>,
}

/// An `include` line with a pattern, and the files the pattern matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeLine {
    pub file: FileId,
    /// The whole line.
    pub range: TextRange,
    pub pattern_range: TextRange,
    /// Every file the pattern matched, sorted (read or not: a cycle is not followed).
    pub targets: Vec<PathBuf>,
}

/// How include patterns are turned into paths.
#[derive(Debug, Clone, Default)]
pub struct IncludeOptions {
    /// Absolute patterns are taken below this folder (libreswan's `--rootdir`).
    pub root_dir: Option<PathBuf>,
}

/// The path an include `pattern` written in the file `including` stands for: relative
/// to that file's folder, as ipsec.conf(5) says; absolute ones below `root_dir`.
pub fn pattern_path(root_dir: Option<&Path>, including: &Path, pattern: &str) -> PathBuf {
    let pattern_path = Path::new(pattern);
    let full = if pattern_path.is_absolute() {
        match root_dir {
            Some(root) => root.join(pattern_path.strip_prefix("/").unwrap_or(pattern_path)),
            None => pattern_path.to_path_buf(),
        }
    } else {
        including.parent().unwrap_or(Path::new("")).join(pattern_path)
    };
    normalize(&full)
}

/// Expands `text` (read from `path`) and everything it includes.
pub fn expand(loader: &dyn Loader, path: &Path, text: String, options: &IncludeOptions) -> Expanded {
    let mut reader = Reader { loader, options, cache: None, chain: Vec::new() };
    let mut expanded = Expanded::default();
    reader.add_file(normalize(path), text, &mut expanded);
    expanded
}

/// [`expand`], reading files through `cache` (started for this resolution), which
/// also checks every line.
pub(crate) fn expand_cached(
    loader: &dyn Loader,
    path: &Path,
    text: String,
    options: &IncludeOptions,
    cache: &mut ResolveCache,
) -> Expanded {
    let mut reader = Reader { loader, options, cache: Some(cache), chain: Vec::new() };
    let mut expanded = Expanded { checks: Some(Vec::new()), ..Expanded::default() };
    reader.add_file(normalize(path), text, &mut expanded);
    expanded
}

/// What include expansion reads with.
struct Reader<'a> {
    loader: &'a dyn Loader,
    options: &'a IncludeOptions,
    cache: Option<&'a mut ResolveCache>,
    /// The files being read, the root first.
    chain: Vec<PathBuf>,
}

impl Reader<'_> {
    /// Parses one file, records its sections and recurses into its includes. The
    /// recursion depth is bounded by [`MAX_INCLUDE_DEPTH`].
    fn add_file(&mut self, path: PathBuf, text: String, out: &mut Expanded) -> FileId {
        let file = FileId(out.files.len() as u32);
        let FileRead { items, errors, checks } = match &mut self.cache {
            Some(cache) => cache.read(&text, file),
            None => read(&text, file),
        };
        out.files.push(Source::new(path.clone(), text));
        for error in errors {
            let severity = match error.severity {
                syntax::Severity::Error => Severity::Error,
                syntax::Severity::Warning => Severity::Warning,
            };
            out.diagnostics.push(Diagnostic::new(codes::SYNTAX, severity, file, error.range, error.message));
        }
        if let Some(all_checks) = &mut out.checks {
            all_checks.extend(checks);
        }
        if let Some(at) = memchr::memmem::find(out.files[file.index()].text.as_bytes(), b"\r\n") {
            out.diagnostics.push(Diagnostic::error(
                codes::FILE_CRLF,
                file,
                TextRange::at(TextSize::from(at as u32), TextSize::from(2)),
                "this file has Windows (CRLF) line endings: libreswan reads the carriage return into every value \
(4.10 rejects `auto=add\\r`); save it with LF line endings"
                    .into(),
            ));
        }
        self.chain.push(path.clone());
        out.sections.reserve(items.len());
        for item in items {
            match item {
                FileItem::Section(section) => out.sections.push(section),
                FileItem::Problem(diagnostic) => out.diagnostics.push(diagnostic),
                FileItem::Include { pattern, pattern_range, range } => {
                    let line = (range, pattern_range.unwrap_or(range));
                    self.include_pattern(pattern.as_deref(), line, file, &path, out)
                }
            }
        }
        self.chain.pop();
        file
    }
    /// The files being read, then `path`, as a message shows them.
    fn chain_to(&self, path: &Path) -> String {
        let names: Vec<String> =
            self.chain.iter().map(PathBuf::as_path).chain([path]).map(|p| p.display().to_string()).collect();
        names.join(" → ")
    }

    /// Follows one `include` line (its range and its pattern's) of `file`, written in `including`.
    fn include_pattern(
        &mut self,
        pattern: Option<&str>,
        (range, pattern_range): (TextRange, TextRange),
        file: FileId,
        including: &Path,
        out: &mut Expanded,
    ) {
        let Some(pattern) = pattern.filter(|p| !p.trim().is_empty()) else {
            out.diagnostics.push(Diagnostic::error(
                codes::INCLUDE_PATTERN,
                file,
                range,
                "include needs a file name or pattern".into(),
            ));
            return;
        };
        let full = pattern_path(self.options.root_dir.as_deref(), including, pattern.trim());
        let matches: Vec<PathBuf> = glob::expand(self.loader, &full).iter().map(|path| normalize(path)).collect();
        out.includes.push(IncludeLine { file, range, pattern_range, targets: matches.clone() });
        let mut found = 0;
        for path in matches {
            if self.chain.contains(&path) {
                out.diagnostics.push(Diagnostic::error(
                    codes::INCLUDE_CYCLE,
                    file,
                    range,
                    format!("include cycle: {}", self.chain_to(&path)),
                ));
                found += 1;
                continue;
            }
            let text = match self.loader.read(&path) {
                Ok(text) => text,
                Err(LoadError::NotFound) => continue,
                Err(error) => {
                    out.diagnostics.push(Diagnostic::error(
                        codes::INCLUDE_UNREADABLE,
                        file,
                        range,
                        format!("cannot read included file {}: {error}", path.display()),
                    ));
                    found += 1;
                    continue;
                }
            };
            found += 1;
            if self.chain.len() >= MAX_INCLUDE_DEPTH {
                out.diagnostics.push(Diagnostic::error(
                    codes::INCLUDE_DEPTH,
                    file,
                    range,
                    format!("includes nested more than {MAX_INCLUDE_DEPTH} files deep: {}", self.chain_to(&path)),
                ));
                continue;
            }
            self.add_file(path, text, out);
        }
        if found == 0 {
            out.diagnostics.push(Diagnostic::warning(
                codes::INCLUDE_NO_MATCH,
                file,
                range,
                format!("include {pattern} matches no file (looked for {})", full.display()),
            ));
        }
    }
}

/// What resolution needs of one item of a file.
#[derive(Debug, Clone)]
pub(crate) enum FileItem {
    Section(RawSection),
    Include { pattern: Option<String>, pattern_range: Option<TextRange>, range: TextRange },
    Problem(Diagnostic),
}

impl FileItem {
    /// This item of a piece of a file, moved to where the piece starts in `file`.
    pub(crate) fn moved(&self, by: TextSize, file: FileId) -> FileItem {
        match self {
            // The entries stay where they are: only where they count from moves.
            FileItem::Section(section) => FileItem::Section(RawSection {
                kind: section.kind,
                name: section.name.clone(),
                file,
                name_range: section.name_range + by,
                header_range: section.header_range + by,
                entries: section.entries.clone(),
                base: section.base + by,
            }),
            FileItem::Include { pattern, pattern_range, range } => FileItem::Include {
                pattern: pattern.clone(),
                pattern_range: pattern_range.map(|r| r + by),
                range: *range + by,
            },
            FileItem::Problem(diagnostic) => FileItem::Problem(crate::cache::moved(diagnostic, by, file)),
        }
    }
}

/// Reads `text` (the file `file`): a large file in pieces at once. Line checks are
/// left to resolution.
fn read(text: &str, file: FileId) -> FileRead {
    let pieces = crate::parallel::map_pieces(text, |piece, start| {
        let (outline, errors) = syntax::outline::outline_text_at(piece, start);
        let items: Vec<FileItem> = outline.iter().filter_map(|item| file_item(item, file)).collect();
        (errors, items)
    });
    let (errors, items): (Vec<_>, Vec<_>) = pieces.into_iter().unzip();
    FileRead { items: items.concat(), errors: errors.concat(), checks: Vec::new() }
}

pub(crate) fn file_item(item: &OutlineItem<'_>, file: FileId) -> Option<FileItem> {
    match item {
        OutlineItem::Section(section) => raw_section(section, file),
        OutlineItem::Include(include) => Some(FileItem::Include {
            pattern: include.pattern.as_deref().map(str::to_string),
            pattern_range: include.pattern_range,
            range: include.range,
        }),
        OutlineItem::Version { .. } | OutlineItem::StrayEntry(_) => None,
    }
}

fn raw_section(section: &OutlineSection<'_>, file: FileId) -> Option<FileItem> {
    let name = section.name.as_deref()?;
    let name_range = section.name_range?;
    let kind = match section.section_type? {
        SectionType::Conn => SectionKind::Conn,
        SectionType::Config if name == "setup" => SectionKind::Setup,
        SectionType::Config => {
            return Some(FileItem::Problem(Diagnostic::error(
                codes::SECTION_CONFIG_NAME,
                file,
                name_range,
                format!("`config {name}` is not a section libreswan knows; the only config section is `config setup`"),
            )));
        }
        // The parser already reported the unknown section keyword.
        SectionType::Unknown => return None,
    };
    let entries = section.entries.iter().filter(|e| !e.key.is_empty()).map(entry).collect();
    Some(FileItem::Section(RawSection {
        kind,
        name: name.into(),
        file,
        name_range,
        header_range: section.header_range,
        entries,
        base: TextSize::from(0),
    }))
}

/// `key` in lower case, shared with the catalogue when it is a known spelling.
fn lower_case_key(key: &str) -> SharedStr {
    let static_key = if key.bytes().any(|b| b.is_ascii_uppercase()) {
        crate::catalogue::static_spelling(&key.to_ascii_lowercase())
    } else {
        crate::catalogue::static_spelling(key)
    };
    static_key.map_or_else(|| key.to_ascii_lowercase().into(), SharedStr::from_static)
}

fn entry(line: &OutlineEntry<'_>) -> Entry {
    let value_range = line.value_range.unwrap_or_else(|| {
        let end = line.eq_range.map_or(line.range.end(), |eq| eq.end());
        TextRange::empty(TextSize::from(u32::from(end)))
    });
    let key = lower_case_key(line.key);
    let canonical = crate::resolve::canonical_name(crate::resolve::Aliases::Catalogue, &key);
    Entry {
        canonical_hash: crate::resolve::name_hash(&canonical),
        canonical,
        key,
        value: line.value.as_ref().into(),
        key_range: line.key_range,
        value_range,
        range: line.range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::MemoryLoader;

    fn codes_of(expanded: &Expanded) -> Vec<&'static str> {
        expanded.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn relative_includes_follow_the_including_file() {
        let loader = MemoryLoader::new()
            .with("/etc/ipsec.d/a.conf", "conn a\n\tleft=1\n")
            .with("/etc/ipsec.d/sub/b.conf", "include ../a.conf\nconn b\n\tleft=2\n");
        let expanded =
            expand(&loader, Path::new("/etc/ipsec.conf"), "include ipsec.d/sub/*.conf\n".into(), &Default::default());
        let names: Vec<&str> = expanded.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(expanded.diagnostics.is_empty(), "{:?}", expanded.diagnostics);
    }

    #[test]
    fn absolute_includes_go_below_the_root() {
        let loader = MemoryLoader::new().with("/root/etc/x.conf", "conn x\n\tleft=1\n");
        let options = IncludeOptions { root_dir: Some("/root".into()) };
        let expanded = expand(&loader, Path::new("/root/main.conf"), "include /etc/x.conf\n".into(), &options);
        assert_eq!(expanded.sections.len(), 1);
        assert_eq!(expanded.files[1].path, Path::new("/root/etc/x.conf"));
    }

    #[test]
    fn cycles_and_depth_are_errors_never_hangs() {
        let loader = MemoryLoader::new().with("/a.conf", "include b.conf\n").with("/b.conf", "include a.conf\n");
        let expanded = expand(&loader, Path::new("/a.conf"), "include b.conf\n".into(), &Default::default());
        assert_eq!(codes_of(&expanded), [codes::INCLUDE_CYCLE]);
        assert!(expanded.diagnostics[0].message.contains("/a.conf → /b.conf → /a.conf"));

        let mut loader = MemoryLoader::new();
        for i in 0..20 {
            loader.insert(format!("/d{i}.conf"), format!("include d{}.conf\nconn c{i}\n\tleft=1\n", i + 1));
        }
        let expanded =
            expand(&loader, Path::new("/d0.conf"), loader.read(Path::new("/d0.conf")).unwrap(), &Default::default());
        assert_eq!(codes_of(&expanded), [codes::INCLUDE_DEPTH]);
        assert_eq!(expanded.files.len(), MAX_INCLUDE_DEPTH);
    }

    #[test]
    fn no_match_is_a_warning() {
        let loader = MemoryLoader::new();
        let expanded =
            expand(&loader, Path::new("/a.conf"), "include /none/*.conf\ninclude x.conf\n".into(), &Default::default());
        assert_eq!(codes_of(&expanded), [codes::INCLUDE_NO_MATCH, codes::INCLUDE_NO_MATCH]);
        assert!(expanded.diagnostics.iter().all(|d| d.severity == Severity::Warning));
    }
}
