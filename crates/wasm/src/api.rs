//! The playground's API in plain Rust: serde types in, serde types out.
//!
//! Everything the browser calls is here, testable natively; `lib.rs` only converts
//! these types to and from JavaScript values. Offsets in and out are UTF-16 code
//! units (what JavaScript strings and CodeMirror count), converted at this edge.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use formatter::{FormatOptions, Indent};
use ide::{Analysis, AnalysisOptions};
use model::{MemoryLoader, Resolved, ValueMap, ValueRef, Via};
use rowan::NodeOrToken;
use serde::{Deserialize, Serialize};
use syntax::{Parse, SyntaxKind, SyntaxNode};

use crate::offsets::Utf16Map;

/// Files named without a leading `/` live in this folder, so that both
/// `include ipsec.d/*.conf` and `include /etc/ipsec.d/*.conf` find `ipsec.d/x.conf`.
const VIRTUAL_ROOT: &str = "/etc";

/// The file whose includes give the context of hover, completion and definition.
pub const ROOT: &str = "ipsec.conf";

/// A failed request, shown to JavaScript as an exception with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError(pub String);

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ApiError {}

struct File {
    text: String,
    parse: OnceCell<Parse>,
    offsets: OnceCell<Utf16Map>,
}

impl File {
    fn new(text: String) -> File {
        File { text, parse: OnceCell::new(), offsets: OnceCell::new() }
    }

    fn parse(&self) -> &Parse {
        self.parse.get_or_init(|| syntax::parse(&self.text))
    }

    fn offsets(&self) -> &Utf16Map {
        self.offsets.get_or_init(|| Utf16Map::new(&self.text))
    }
}

/// The virtual files of one playground session.
#[derive(Default)]
pub struct Workspace {
    /// Keyed by the name the page uses (`ipsec.conf`, `ipsec.d/vpn.conf`, `/etc/x.conf`).
    files: BTreeMap<String, File>,
    loader: MemoryLoader,
    /// The last analysis (root name, analysis), reused until a file changes.
    cache: RefCell<Option<(String, Analysis)>>,
}

// ---------------------------------------------------------------- output types

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// The file's name as the page gave it (or `<implicit conns>`).
    pub file: String,
    pub from: u32,
    pub to: u32,
    /// 1-based line of `from`.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticOut {
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    pub span: Span,
    pub related: Vec<RelatedOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedOut {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOut {
    pub diagnostics: Vec<DiagnosticOut>,
    pub errors: u32,
    pub warnings: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlsoStepOut {
    pub name: String,
    pub flipped: bool,
}

/// How a value reached its conn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViaOut {
    /// `own`, `default`, `also` or `policy-file`.
    pub kind: String,
    /// For `also`: the chain of sections, outermost first.
    pub chain: Vec<AlsoStepOut>,
    /// `own`, `%default`, `also=a > alsoflip=b`.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueOut {
    pub key: String,
    pub value: String,
    /// The section the line was written in (`%default`, `setup`, a conn name).
    pub section: String,
    pub via: ViaOut,
    /// The whole `key=value` line.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnOut {
    pub name: String,
    pub span: Span,
    pub values: Vec<ValueOut>,
    pub also: Vec<String>,
    pub overrides_implicit: bool,
    /// One of the built-in conns (`clear`, `private`…), defined by libreswan itself.
    pub implicit: bool,
}

/// Which conns to return: converting thousands of conns to JavaScript objects on
/// every keystroke costs more than the resolution itself, and a page shows a few.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResolveRequest {
    /// Only conns whose name contains this (case-insensitive).
    pub filter: String,
    /// At most this many conns (all when `None`).
    pub limit: Option<u32>,
    /// Include the implicit conns (`clear`, `private`…) libreswan defines itself.
    pub implicit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveOut {
    pub setup: Vec<ValueOut>,
    /// The conns the request selects, in file order.
    pub conns: Vec<ConnOut>,
    /// How many conns the request matches (`conns` may hold fewer: the limit).
    pub matching: u32,
    /// How many conns the configuration defines (implicit ones not counted).
    pub defined: u32,
    /// The files read, the root first, in the order they were included.
    pub files: Vec<String>,
    pub check: CheckOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormatRequest {
    /// `tab`, or a number of spaces as text (`"2"`, `"4"`).
    #[serde(default = "default_indent")]
    pub indent: String,
    #[serde(default)]
    pub align_equals: bool,
}

fn default_indent() -> String {
    "tab".to_string()
}

impl Default for FormatRequest {
    fn default() -> Self {
        FormatRequest { indent: default_indent(), align_equals: false }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormatOut {
    pub text: String,
    pub changed: bool,
    /// Changed lines with three lines of context, like `diff -u`.
    pub hunks: Vec<Hunk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hunk {
    /// 1-based first line in the old and the new text.
    pub old_start: u32,
    pub new_start: u32,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    /// `equal`, `delete` or `insert`.
    pub tag: String,
    /// The line without its line ending; a `\r` kept in a line shows as `␍`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    pub kind: String,
    pub from: u32,
    pub to: u32,
    /// The text of a token; `None` for a node.
    pub text: Option<String>,
    pub children: Vec<TreeNode>,
}

/// The highlighting class of a token, for the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenClass {
    /// `conn`, `config`, `include`, `version`.
    Keyword,
    SectionName,
    /// A parameter the catalogue knows (or an `x-` extension).
    Key,
    UnknownKey,
    Value,
    /// A `%default`, `%any`… value.
    Magic,
    Comment,
    Operator,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HighlightToken {
    pub from: u32,
    pub to: u32,
    pub class: TokenClass,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoverOut {
    pub from: u32,
    pub to: u32,
    pub markdown: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionOut {
    pub label: String,
    /// `section`, `keyword`, `value`, `conn`, `file` or `folder`.
    pub kind: String,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Replaces `from..to`; an LSP-style snippet (`$0`, `${1:x}`) when `is_snippet`.
    pub insert_text: String,
    pub is_snippet: bool,
    pub from: u32,
    pub to: u32,
    pub deprecated: bool,
}

// ---------------------------------------------------------------- the API

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Replaces every file. Names must be non-empty and must not end with `/`.
    pub fn set_files(&mut self, files: BTreeMap<String, String>) -> Result<(), ApiError> {
        for name in files.keys() {
            check_name(name)?;
        }
        self.files = files.into_iter().map(|(name, text)| (name, File::new(text))).collect();
        self.rebuild_loader();
        self.cache.take();
        Ok(())
    }

    /// Adds or replaces one file.
    pub fn set_file(&mut self, name: &str, text: String) -> Result<(), ApiError> {
        check_name(name)?;
        self.loader.insert(full_path(name), text.clone());
        self.files.insert(name.to_string(), File::new(text));
        self.cache.take();
        Ok(())
    }

    pub fn remove_file(&mut self, name: &str) -> Result<(), ApiError> {
        self.files.remove(name).ok_or_else(|| no_file(name))?;
        self.rebuild_loader();
        self.cache.take();
        Ok(())
    }

    pub fn file_names(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Every diagnostic of `name` resolved as the root file (its includes too).
    pub fn check(&self, name: &str) -> Result<CheckOut, ApiError> {
        let analysis = self.analysis(name)?;
        Ok(self.check_out(&analysis))
    }

    /// The conns libreswan loads from `name`, each value with where it came from.
    pub fn resolve(&self, name: &str, request: &ResolveRequest) -> Result<ResolveOut, ApiError> {
        let analysis = self.analysis(name)?;
        let resolved = &analysis.resolved;
        let mut spans = SpanMaker::new(self, resolved);
        let setup = values_out(&resolved.setup, &mut spans);
        let filter = request.filter.trim().to_lowercase();
        let defined = resolved.conns.iter().filter(|conn| !spans.is_implicit(conn.file)).count() as u32;
        let selected: Vec<_> = resolved
            .conns
            .iter()
            .filter(|conn| request.implicit || !spans.is_implicit(conn.file))
            .filter(|conn| filter.is_empty() || conn.name.to_lowercase().contains(&filter))
            .collect();
        let matching = selected.len() as u32;
        let limit = request.limit.map_or(usize::MAX, |n| n as usize);
        let conns = selected
            .into_iter()
            .take(limit)
            .map(|conn| ConnOut {
                name: conn.name.to_string(),
                span: spans.span(conn.file, conn.name_range),
                values: values_out(&conn.values, &mut spans),
                also: conn.also.iter().map(ToString::to_string).collect(),
                overrides_implicit: conn.overrides_implicit,
                implicit: spans.is_implicit(conn.file),
            })
            .collect();
        let files = resolved.files.iter().map(|source| self.display_name(&source.path)).collect();
        let check = self.check_out(&analysis);
        Ok(ResolveOut { setup, conns, matching, defined, files, check })
    }

    /// Formats `text` (not necessarily a stored file).
    pub fn format(&self, text: &str, request: &FormatRequest) -> Result<FormatOut, ApiError> {
        let options = format_options(request)?;
        let formatted = formatter::format(text, &options);
        let changed = formatted != text;
        let hunks = if changed { diff_hunks(text, &formatted) } else { Vec::new() };
        Ok(FormatOut { text: formatted, changed, hunks })
    }

    /// The lossless syntax tree of a stored file.
    pub fn syntax_tree(&self, name: &str) -> Result<TreeNode, ApiError> {
        let file = self.file(name)?;
        Ok(tree_node(&file.parse().syntax_node(), file.offsets()))
    }

    /// Highlighting classes of the tokens of `name` that touch `[from, to]` (UTF-16).
    pub fn highlight(&self, name: &str, from: u32, to: u32) -> Result<Vec<HighlightToken>, ApiError> {
        let file = self.file(name)?;
        let offsets = file.offsets();
        let (from, to) = (offsets.to_byte(from), offsets.to_byte(to));
        let root = file.parse().syntax_node();
        let mut out = Vec::new();
        let mut token = root.token_at_offset(from).left_biased();
        while let Some(current) = token {
            if current.text_range().start() > to {
                break;
            }
            if let Some(class) = token_class(&current) {
                let (start, end) = offsets.range(current.text_range());
                out.push(HighlightToken { from: start, to: end, class });
            }
            token = current.next_token();
        }
        Ok(out)
    }

    /// The docs or resolved values behind the token at a UTF-16 offset of `name`.
    pub fn hover(&self, name: &str, offset: u32) -> Result<Option<HoverOut>, ApiError> {
        let (analysis, offsets) = self.focused(name)?;
        let hover = ide::hover(&analysis, offsets.to_byte(offset));
        Ok(hover.map(|h| {
            let (from, to) = offsets.range(h.range);
            HoverOut { from, to, markdown: h.markdown }
        }))
    }

    /// Completions at a UTF-16 offset of `name`.
    pub fn completion(&self, name: &str, offset: u32) -> Result<Vec<CompletionOut>, ApiError> {
        let (analysis, offsets) = self.focused(name)?;
        let items = ide::completion(&analysis, offsets.to_byte(offset), &self.loader);
        Ok(items
            .into_iter()
            .map(|item| {
                let (from, to) = offsets.range(item.range);
                CompletionOut {
                    label: item.label,
                    kind: format!("{:?}", item.kind).to_ascii_lowercase(),
                    detail: item.detail,
                    documentation: item.documentation,
                    insert_text: item.insert_text,
                    is_snippet: item.is_snippet,
                    from,
                    to,
                    deprecated: item.deprecated,
                }
            })
            .collect())
    }

    /// Where the conn, `also=` target or include at a UTF-16 offset of `name` is defined.
    pub fn definition(&self, name: &str, offset: u32) -> Result<Vec<Span>, ApiError> {
        let (analysis, offsets) = self.focused(name)?;
        let locations = ide::goto_definition(&analysis, offsets.to_byte(offset));
        let mut spans = SpanMaker::new(self, &analysis.resolved);
        Ok(locations
            .into_iter()
            .map(|location| match location.file {
                Some(file) => spans.span(file, location.range),
                // A file the resolution did not read (an include target): its start.
                None => Span { file: self.display_name(&location.path), from: 0, to: 0, line: 1 },
            })
            .collect())
    }

    // ------------------------------------------------------------ helpers

    /// `root` resolved with its includes (cached until a file changes).
    fn analysis(&self, root: &str) -> Result<Analysis, ApiError> {
        let file = self.file(root)?;
        if let Some((cached_root, analysis)) = &*self.cache.borrow() {
            if cached_root == root {
                return Ok(analysis.clone());
            }
        }
        let options = AnalysisOptions { warnings: true, ..AnalysisOptions::default() };
        let analysis = Analysis::new(&self.loader, &full_path(root), file.text.clone(), None, options);
        *self.cache.borrow_mut() = Some((root.to_string(), analysis.clone()));
        Ok(analysis)
    }

    /// The analysis of `name` seen from `ipsec.conf` when that includes it, else on its own.
    fn focused(&self, name: &str) -> Result<(Analysis, &Utf16Map), ApiError> {
        let offsets = self.file(name)?.offsets();
        let path = full_path(name);
        if self.files.contains_key(ROOT) {
            if let Some(analysis) = self.analysis(ROOT)?.with_focus(&path) {
                return Ok((analysis, offsets));
            }
        }
        Ok((self.analysis(name)?, offsets))
    }

    fn file(&self, name: &str) -> Result<&File, ApiError> {
        self.files.get(name).ok_or_else(|| no_file(name))
    }

    fn rebuild_loader(&mut self) {
        let mut loader = MemoryLoader::new();
        for (name, file) in &self.files {
            loader.insert(full_path(name), file.text.clone());
        }
        self.loader = loader;
    }

    /// The diagnostics of every file the analysis read (keyword and value checks too).
    fn check_out(&self, analysis: &Analysis) -> CheckOut {
        let resolved = &analysis.resolved;
        let mut spans = SpanMaker::new(self, resolved);
        let (mut errors, mut warnings) = (0, 0);
        let mut diagnostics = Vec::new();
        for index in 0..resolved.files.len() {
            let file = model::FileId(index as u32);
            if spans.is_implicit(file) {
                continue;
            }
            let Some(focused) = analysis.with_focus(&resolved.source(file).path) else { continue };
            for d in ide::diagnostics(&focused) {
                match d.severity {
                    model::Severity::Error => errors += 1,
                    model::Severity::Warning => warnings += 1,
                    model::Severity::Info => {}
                }
                diagnostics.push(DiagnosticOut {
                    code: d.code.to_string(),
                    severity: d.severity.as_str().to_string(),
                    message: d.message,
                    span: spans.span(file, d.range),
                    related: d
                        .related
                        .iter()
                        .map(|r| RelatedOut { message: r.message.clone(), span: spans.span(r.file, r.range) })
                        .collect(),
                });
            }
        }
        CheckOut { diagnostics, errors, warnings }
    }

    /// The page's name for a path the model read.
    fn display_name(&self, path: &Path) -> String {
        self.files
            .keys()
            .find(|name| full_path(name) == model::loader::normalize(path))
            .cloned()
            .unwrap_or_else(|| path.display().to_string())
    }
}

fn check_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() || name.ends_with('/') {
        return Err(ApiError(format!("invalid file name {name:?}: give a file name such as ipsec.conf")));
    }
    Ok(())
}

fn no_file(name: &str) -> ApiError {
    ApiError(format!("no file named {name:?}"))
}

fn full_path(name: &str) -> PathBuf {
    let path = Path::new(name);
    model::loader::normalize(&if path.is_absolute() { path.to_path_buf() } else { Path::new(VIRTUAL_ROOT).join(path) })
}

/// Spans in page terms (file name, UTF-16 offsets, line), with one offset map per file.
struct SpanMaker<'a> {
    workspace: &'a Workspace,
    resolved: &'a Resolved,
    names: Vec<Option<String>>,
    maps: Vec<Option<Utf16Map>>,
}

impl<'a> SpanMaker<'a> {
    fn new(workspace: &'a Workspace, resolved: &'a Resolved) -> Self {
        let count = resolved.files.len();
        SpanMaker { workspace, resolved, names: vec![None; count], maps: (0..count).map(|_| None).collect() }
    }

    fn is_implicit(&self, file: model::FileId) -> bool {
        let path = &self.resolved.source(file).path;
        path.is_relative() && path.to_string_lossy().starts_with('<')
    }

    fn span(&mut self, file: model::FileId, range: syntax::TextRange) -> Span {
        let source = self.resolved.source(file);
        let index = file.index();
        let name = self.names[index].get_or_insert_with(|| self.workspace.display_name(&source.path)).clone();
        let map = self.maps[index].get_or_insert_with(|| Utf16Map::new(&source.text));
        let (from, to) = map.range(range);
        Span { file: name, from, to, line: source.line_col(range.start()).0 }
    }
}

fn values_out(values: &ValueMap, spans: &mut SpanMaker<'_>) -> Vec<ValueOut> {
    values.iter().map(|value| value_out(value, spans)).collect()
}

fn value_out(value: ValueRef<'_>, spans: &mut SpanMaker<'_>) -> ValueOut {
    let origin = value.origin();
    let (kind, chain) = match &origin.via {
        Via::Own => ("own", Vec::new()),
        Via::Default => ("default", Vec::new()),
        Via::PolicyFile => ("policy-file", Vec::new()),
        Via::Also(steps) => {
            ("also", steps.iter().map(|s| AlsoStepOut { name: s.name.to_string(), flipped: s.flipped }).collect())
        }
    };
    ValueOut {
        key: value.key.to_string(),
        value: value.value.to_string(),
        section: origin.section.to_string(),
        via: ViaOut { kind: kind.to_string(), chain, label: origin.via.to_string() },
        span: spans.span(origin.file, origin.range),
    }
}

fn format_options(request: &FormatRequest) -> Result<FormatOptions, ApiError> {
    let indent = match request.indent.trim() {
        "tab" | "" => Indent::Tab,
        spaces => match spaces.parse::<u8>() {
            Ok(n @ 1..=16) => Indent::Spaces(n),
            _ => return Err(ApiError(format!("indent must be \"tab\" or 1 to 16 spaces, not {spaces:?}"))),
        },
    };
    Ok(FormatOptions { indent, align_equals: request.align_equals })
}

fn diff_hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut hunks = Vec::new();
    for group in diff.grouped_ops(3) {
        let Some(first) = group.first() else { continue };
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Equal => "equal",
                    similar::ChangeTag::Delete => "delete",
                    similar::ChangeTag::Insert => "insert",
                };
                let text = change.value().trim_end_matches('\n').replace('\r', "␍");
                lines.push(DiffLine { tag: tag.to_string(), text });
            }
        }
        hunks.push(Hunk {
            old_start: first.old_range().start as u32 + 1,
            new_start: first.new_range().start as u32 + 1,
            lines,
        });
    }
    hunks
}

fn tree_node(node: &SyntaxNode, offsets: &Utf16Map) -> TreeNode {
    let (from, to) = offsets.range(node.text_range());
    let children = node
        .children_with_tokens()
        .map(|child| match child {
            NodeOrToken::Node(node) => tree_node(&node, offsets),
            NodeOrToken::Token(token) => {
                let (from, to) = offsets.range(token.text_range());
                TreeNode {
                    kind: format!("{:?}", token.kind()),
                    from,
                    to,
                    text: Some(token.text().to_string()),
                    children: Vec::new(),
                }
            }
        })
        .collect();
    TreeNode { kind: format!("{:?}", node.kind()), from, to, text: None, children }
}

fn token_class(token: &syntax::SyntaxToken) -> Option<TokenClass> {
    let parent = token.parent().map(|p| p.kind());
    Some(match token.kind() {
        SyntaxKind::CONN_KW | SyntaxKind::CONFIG_KW | SyntaxKind::INCLUDE_KW | SyntaxKind::VERSION_KW => {
            TokenClass::Keyword
        }
        SyntaxKind::COMMENT => TokenClass::Comment,
        SyntaxKind::EQ => TokenClass::Operator,
        SyntaxKind::ERROR_TOKEN => TokenClass::Error,
        SyntaxKind::WHITESPACE | SyntaxKind::NEWLINE => return None,
        _ => match parent {
            Some(SyntaxKind::NAME) => TokenClass::SectionName,
            // A header word other than `conn`/`config`: an unknown section type.
            Some(SyntaxKind::SECTION_HEADER) => TokenClass::Error,
            Some(SyntaxKind::KEY) => {
                let key = token.text().to_ascii_lowercase();
                if model::catalogue::lookup(&key).is_some() || syntax::is_user_extension(&key) {
                    TokenClass::Key
                } else {
                    TokenClass::UnknownKey
                }
            }
            Some(SyntaxKind::VALUE) if token.text().starts_with('%') => TokenClass::Magic,
            Some(SyntaxKind::VALUE) => TokenClass::Value,
            Some(SyntaxKind::ERROR) => TokenClass::Error,
            _ => return None,
        },
    })
}
