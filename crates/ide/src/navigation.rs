//! Go to definition, find references, rename of conns, and links for `include` lines.

use std::path::PathBuf;

use model::FileId;
use syntax::{TextRange, TextSize};

use crate::{Analysis, TextEdit};

/// A place in a file. `file` is set when the analysis read the file; include
/// targets outside it have only a path and an empty range at the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Option<FileId>,
    pub path: PathBuf,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: PathBuf,
    pub tooltip: String,
}

/// The edits of a rename in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub file: FileId,
    pub path: PathBuf,
    pub edits: Vec<TextEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The conn name at `offset`: a `conn NAME` header or a word of an `also=` value.
fn conn_name_at(analysis: &Analysis, offset: TextSize) -> Option<(String, TextRange)> {
    let index = analysis.focus_index();
    let at = index.also_refs.partition_point(|r| r.range.end() < offset);
    if let Some(found) = index.also_refs.get(at).filter(|r| r.range.contains_inclusive(offset)) {
        return Some((found.name.clone(), found.range));
    }
    let section = &index.sections[index.section_at(offset)?];
    let range = section.name_range?;
    (section.is_conn() && section.name != "%default" && range.contains_inclusive(offset))
        .then(|| (section.name.clone(), range))
}

fn location(analysis: &Analysis, file: FileId, range: TextRange) -> Location {
    Location { file: Some(file), path: analysis.path(file).to_path_buf(), range }
}

/// From an `also=` word to the conn section(s) it names; from `include` to the files.
pub fn goto_definition(analysis: &Analysis, offset: TextSize) -> Vec<Location> {
    if let Some((_, _, targets)) = analysis.includes.iter().find(|(line, _, _)| line.contains_inclusive(offset)) {
        return targets.iter().map(|path| include_location(analysis, path)).collect();
    }
    let Some((name, _)) = conn_name_at(analysis, offset) else { return Vec::new() };
    let sections = analysis.conn_sections(&name);
    let real: Vec<_> = sections.iter().filter(|(file, _)| !analysis.is_implicit(*file)).collect();
    // An implicit conn overridden in a file: go to the override only.
    let chosen = if real.is_empty() { sections.iter().collect() } else { real };
    chosen
        .into_iter()
        .filter_map(|&(file, i)| analysis.file_index(file).sections[i].name_range.map(|r| location(analysis, file, r)))
        .filter(|l| l.file.is_some_and(|f| !analysis.is_implicit(f)))
        .collect()
}

fn include_location(analysis: &Analysis, path: &std::path::Path) -> Location {
    let file = analysis.resolved.files.iter().position(|s| s.path == path).map(|i| FileId(i as u32));
    Location { file, path: path.to_path_buf(), range: TextRange::empty(0.into()) }
}

/// Every `also=`/`alsoflip=` use of the conn at `offset`, and its definitions when asked.
pub fn references(analysis: &Analysis, offset: TextSize, include_declaration: bool) -> Vec<Location> {
    let Some((name, _)) = conn_name_at(analysis, offset) else { return Vec::new() };
    let mut out = Vec::new();
    if include_declaration {
        for (file, i) in analysis.conn_sections(&name) {
            if let (false, Some(range)) = (analysis.is_implicit(file), analysis.file_index(file).sections[i].name_range)
            {
                out.push(location(analysis, file, range));
            }
        }
    }
    out.extend(analysis.also_refs_to(&name).into_iter().map(|(file, r)| location(analysis, file, r.range)));
    out
}

/// The range of the conn name a rename at `offset` would change.
pub fn prepare_rename(analysis: &Analysis, offset: TextSize) -> Result<TextRange, RenameError> {
    let (name, range) =
        conn_name_at(analysis, offset).ok_or_else(|| RenameError("only conn names can be renamed".into()))?;
    let defined = analysis.conn_sections(&name);
    if defined.iter().all(|(file, _)| analysis.is_implicit(*file)) {
        return Err(RenameError(if defined.is_empty() {
            format!("no conn named `{name}` is defined")
        } else {
            format!("`{name}` is a built-in implicit conn; define it to rename it")
        }));
    }
    Ok(range)
}

/// Renames the conn at `offset` in its headers and every `also=`/`alsoflip=` use.
pub fn rename(analysis: &Analysis, offset: TextSize, new_name: &str) -> Result<Vec<FileEdit>, RenameError> {
    prepare_rename(analysis, offset)?;
    let (name, _) = conn_name_at(analysis, offset).expect("checked by prepare_rename");
    if !syntax::is_valid_name(new_name) || new_name.starts_with('%') || new_name.contains(['=', ',', '"']) {
        return Err(RenameError(format!("`{new_name}` is not a valid conn name")));
    }
    if new_name != name && !analysis.conn_sections(new_name).is_empty() {
        return Err(RenameError(format!("a conn named `{new_name}` already exists")));
    }
    let mut edits: Vec<FileEdit> = Vec::new();
    for location in references(analysis, offset, true) {
        let Some(file) = location.file else { continue };
        let edit = TextEdit { range: location.range, new_text: new_name.to_string() };
        match edits.iter_mut().find(|e| e.file == file) {
            Some(existing) => existing.edits.push(edit),
            None => edits.push(FileEdit { file, path: location.path, edits: vec![edit] }),
        }
    }
    Ok(edits)
}

/// A link on each `include` pattern that names one file.
pub fn document_links(analysis: &Analysis) -> Vec<DocumentLink> {
    analysis
        .includes
        .iter()
        .filter_map(|(_, pattern, targets)| match targets.as_slice() {
            [target] => Some(DocumentLink {
                range: *pattern,
                target: target.clone(),
                tooltip: format!("open {}", target.display()),
            }),
            _ => None,
        })
        .collect()
}
