//! Completion: section types at column 0, keywords of the current section, values
//! of enums, booleans and magic words, conn names after `also=`, paths after `include`.

use std::path::Path;

use model::Loader;
use model::catalogue::{self, Keyword, SectionKind, Side, ValueKind};
use syntax::ast::SectionType;
use syntax::{TextRange, TextSize};

use crate::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A section type or directive at column 0.
    Section,
    Keyword,
    Value,
    Conn,
    File,
    Folder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// A one-line summary (the value kind, `conn` …).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Replaces `range`; a snippet (`$0`, `${1:…}`) when `is_snippet`.
    pub insert_text: String,
    pub is_snippet: bool,
    pub range: TextRange,
    pub deprecated: bool,
}

impl CompletionItem {
    fn plain(label: impl Into<String>, kind: CompletionKind, range: TextRange) -> Self {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            is_snippet: false,
            range,
            deprecated: false,
        }
    }
}

/// Completions at `offset` in the focus file. `loader` lists folders for `include` paths.
pub fn completion(analysis: &Analysis, offset: TextSize, loader: &dyn Loader) -> Vec<CompletionItem> {
    let text = analysis.focus_text();
    let end = usize::from(offset);
    if end > text.len() || !text.is_char_boundary(end) {
        return Vec::new();
    }
    let start = text.as_bytes()[..end].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let prefix = &text[start..end];
    let line_start = TextSize::from(start as u32);
    if prefix.starts_with([' ', '\t']) {
        return match prefix.find('=') {
            None => keywords(analysis, offset, prefix.trim_start()),
            Some(eq) => values(analysis, offset, prefix[..eq].trim(), &prefix[eq + 1..]),
        };
    }
    if let Some(pattern) = prefix.strip_prefix("include").filter(|rest| rest.starts_with([' ', '\t'])) {
        return include_paths(analysis, offset, pattern.trim_start(), loader);
    }
    if prefix.contains([' ', '\t', '=', '#']) {
        return Vec::new();
    }
    section_types(TextRange::new(line_start, offset))
}

fn section_types(range: TextRange) -> Vec<CompletionItem> {
    let item = |label: &str, insert: &str, word: &str| CompletionItem {
        insert_text: insert.to_string(),
        is_snippet: insert.contains('$'),
        documentation: catalogue::non_parameter_docs(word).map(str::to_string),
        ..CompletionItem::plain(label, CompletionKind::Section, range)
    };
    vec![
        item("conn", "conn ${1:name}\n\t$0", "conn"),
        item("conn %default", "conn %default\n\t$0", "%default"),
        item("config setup", "config setup\n\t$0", "config"),
        item("include", "include ${1:/etc/ipsec.d/*.conf}", "include"),
        item("version", "version 2", "version"),
    ]
}

/// The word being typed: from the last separator before `offset`.
fn word_range(offset: TextSize, typed: &str, separators: &[char]) -> (TextRange, usize) {
    let word_start = typed.rfind(separators).map_or(0, |i| i + 1);
    let word_len = typed.len() - word_start;
    (TextRange::new(offset - TextSize::from(word_len as u32), offset), word_start)
}

fn current_section(analysis: &Analysis, offset: TextSize) -> Option<&crate::SectionInfo> {
    let index = analysis.focus_index();
    index.section_at(offset).map(|i| &index.sections[i])
}

fn section_kind(section: &crate::SectionInfo) -> Option<SectionKind> {
    match section.section_type {
        SectionType::Config => Some(SectionKind::Config),
        SectionType::Conn => Some(SectionKind::Conn),
        SectionType::Unknown => None,
    }
}

fn keywords(analysis: &Analysis, offset: TextSize, typed: &str) -> Vec<CompletionItem> {
    if typed.contains([' ', '\t', '#']) {
        return Vec::new();
    }
    let Some(section) = current_section(analysis, offset) else { return Vec::new() };
    let Some(kind) = section_kind(section) else { return Vec::new() };
    let range = TextRange::new(offset - TextSize::of(typed), offset);
    let present = keys_in_section(analysis, section, range);
    let version = analysis.options.version;
    let mut items = Vec::new();
    for keyword in catalogue::keywords().iter().filter(|k| k.section == kind && version.knows(k.versions)) {
        let obsolete = keyword.obsolete.is_some_and(|o| version.knows(o.in_versions));
        if obsolete || keyword.alias_of.is_some() {
            continue;
        }
        let sides: &[Option<Side>] = if keyword.left_right { &[Some(Side::Left), Some(Side::Right)] } else { &[None] };
        for &side in sides {
            let name = keyword.spelled(side);
            if present.iter().any(|p| p == &name) {
                continue;
            }
            items.push(keyword_item(keyword, name, range));
        }
    }
    if kind == SectionKind::Conn && section.name != "%default" {
        for word in ["also", "alsoflip"] {
            items.push(CompletionItem {
                insert_text: format!("{word}=$0"),
                is_snippet: true,
                detail: Some("conn name(s)".into()),
                documentation: catalogue::non_parameter_docs(word).map(str::to_string),
                ..CompletionItem::plain(word, CompletionKind::Keyword, range)
            });
        }
    }
    items
}

/// Keys already written in `section`, lower-case, ignoring the line being typed.
fn keys_in_section(analysis: &Analysis, section: &crate::SectionInfo, typing: TextRange) -> Vec<String> {
    let root = analysis.focus_index().root();
    let Some(node) = root.covering_element(section.range).into_node() else { return Vec::new() };
    let Some(section) = <syntax::ast::Section as syntax::ast::AstNode>::cast(node) else { return Vec::new() };
    section
        .key_values()
        .filter(|kv| !syntax::ast::AstNode::range(kv).contains_range(typing))
        .filter_map(|kv| kv.key_text())
        .map(|k| k.to_ascii_lowercase())
        .collect()
}

fn keyword_item(keyword: &Keyword, name: String, range: TextRange) -> CompletionItem {
    let choices: Vec<&str> = keyword.values.iter().copied().filter(|v| !v.contains([',', '|', '$', '}'])).collect();
    let insert_text = match keyword.kind {
        ValueKind::Bool | ValueKind::Enum if !choices.is_empty() && choices.len() <= 12 => {
            format!("{name}=${{1|{}|}}", choices.join(","))
        }
        _ => format!("{name}=$0"),
    };
    CompletionItem {
        detail: Some(keyword.kind.describe().to_string()),
        documentation: (!keyword.docs.is_empty()).then(|| keyword.docs.to_string()),
        insert_text,
        is_snippet: true,
        ..CompletionItem::plain(name, CompletionKind::Keyword, range)
    }
}

fn values(analysis: &Analysis, offset: TextSize, key: &str, typed: &str) -> Vec<CompletionItem> {
    let key = key.to_ascii_lowercase();
    let section = current_section(analysis, offset);
    let (range, _) = word_range(offset, typed, &[' ', '\t', ',', '"', '{']);
    if key == "also" || key == "alsoflip" {
        let own = section.map(|s| s.name.as_str()).unwrap_or("");
        return analysis
            .conn_names()
            .into_iter()
            .filter(|name| *name != own)
            .map(|name| CompletionItem {
                detail: Some("conn".into()),
                documentation: analysis.conn(name).map(crate::hover::describe_conn),
                ..CompletionItem::plain(name, CompletionKind::Conn, range)
            })
            .collect();
    }
    let Some(found) = catalogue::lookup_in(&key, section.and_then(section_kind)) else { return Vec::new() };
    let keyword = found.keyword;
    let values = match keyword.kind {
        ValueKind::Bool | ValueKind::Enum | ValueKind::LooseEnum | ValueKind::EnumList => keyword.values,
        _ => &[],
    };
    values
        .iter()
        .map(|v| (v, "value"))
        .chain(keyword.magic.iter().map(|m| (m, "magic value")))
        .map(|(value, detail)| CompletionItem {
            detail: Some(detail.to_string()),
            ..CompletionItem::plain(*value, CompletionKind::Value, range)
        })
        .collect()
}

fn include_paths(analysis: &Analysis, offset: TextSize, typed: &str, loader: &dyn Loader) -> Vec<CompletionItem> {
    let (range, file_start) = word_range(offset, typed, &['/']);
    let folder = &typed[..file_start];
    let including = analysis.path(analysis.focus);
    let dir = if folder.is_empty() {
        including.parent().unwrap_or(Path::new("/")).to_path_buf()
    } else {
        analysis.include_path(including, folder)
    };
    let Ok(mut entries) = loader.list_dir(&dir) else { return Vec::new() };
    entries.sort();
    entries
        .into_iter()
        .filter(|e| !e.name.starts_with('.'))
        .map(|e| {
            let (kind, insert) = if e.is_dir {
                (CompletionKind::Folder, format!("{}/", e.name))
            } else {
                (CompletionKind::File, e.name.clone())
            };
            CompletionItem { insert_text: insert, ..CompletionItem::plain(e.name, kind, range) }
        })
        .collect()
}
