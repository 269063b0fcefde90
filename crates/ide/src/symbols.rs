//! Document symbols (sections with their parameters) and workspace symbols.

use syntax::TextRange;
use syntax::ast::{AstNode, SectionType};

use crate::navigation::Location;
use crate::{Analysis, SectionInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// `conn NAME`.
    Conn,
    /// `conn %default`.
    Default,
    /// `config setup`.
    Config,
    /// A `key=value` line.
    Parameter,
    /// An `include` line.
    Include,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The part to select: a section name or a key.
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub location: Location,
}

fn section_symbol_kind(section: &SectionInfo) -> SymbolKind {
    match section.section_type {
        SectionType::Conn if section.name == "%default" => SymbolKind::Default,
        SectionType::Conn => SymbolKind::Conn,
        _ => SymbolKind::Config,
    }
}

fn section_label(section: &SectionInfo) -> String {
    match section.section_type {
        SectionType::Config => format!("config {}", section.name),
        _ => format!("conn {}", section.name),
    }
}

/// The sections of the focus file with their parameters, and its `include` lines.
pub fn document_symbols(analysis: &Analysis) -> Vec<Symbol> {
    let index = analysis.focus_index();
    let file = index.parse.source_file();
    let mut symbols: Vec<Symbol> = file
        .includes()
        .map(|include| Symbol {
            name: format!("include {}", include.pattern().map(|p| p.text()).unwrap_or_default()),
            detail: None,
            kind: SymbolKind::Include,
            range: include.range(),
            selection_range: include.range(),
            children: Vec::new(),
        })
        .collect();
    for (section, info) in file.sections().zip(index.sections.iter()) {
        let children = section
            .key_values()
            .filter_map(|kv| {
                let key = kv.key()?;
                Some(Symbol {
                    name: key.syntax().text().to_string(),
                    detail: Some(kv.value_text()),
                    kind: SymbolKind::Parameter,
                    range: kv.range(),
                    selection_range: key.range(),
                    children: Vec::new(),
                })
            })
            .collect();
        symbols.push(Symbol {
            name: section_label(info),
            detail: None,
            kind: section_symbol_kind(info),
            range: info.range,
            selection_range: info.name_range.unwrap_or(info.header_range),
            children,
        });
    }
    symbols.sort_by_key(|s| s.range.start());
    symbols
}

/// Sections whose name contains `query` (case-insensitive) in the files of every analysis.
pub fn workspace_symbols(analyses: &[&Analysis], query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let mut out: Vec<WorkspaceSymbol> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for analysis in analyses {
        for (file, index) in analysis.file_indexes(false) {
            for section in &index.sections {
                if section.section_type == SectionType::Unknown || !section.name.to_lowercase().contains(&query) {
                    continue;
                }
                let path = analysis.path(file).to_path_buf();
                let range = section.name_range.unwrap_or(section.header_range);
                if seen.insert((path.clone(), range)) {
                    out.push(WorkspaceSymbol {
                        name: section_label(section),
                        kind: section_symbol_kind(section),
                        location: Location { file: Some(file), path, range },
                    });
                }
            }
        }
    }
    out
}
