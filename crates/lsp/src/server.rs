//! The language server: protocol handlers, each one converting positions, calling
//! one `ide` function and converting the result back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ide::TextSize;
use tokio::sync::{Notify, watch};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert::{self, Ranges};
use crate::line_index::{Encoding, LineIndex};
use crate::settings::Settings;
use crate::state::{Document, MAX_ANALYSED_BYTES, Snapshot, State};

pub struct Server {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Wakes the analysis task after a change.
    wake: Arc<Notify>,
    /// Counts finished analyses, for requests waiting for one.
    analysed: watch::Sender<u64>,
    started: AtomicBool,
}

/// How long a request waits for the analysis of the current text before it
/// answers from the previous one.
const FRESH_WAIT: Duration = Duration::from_secs(5);

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid_params(message.into())
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic elsewhere must not take every later request down with it.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Server {
    pub fn new(client: Client) -> Server {
        Server {
            client,
            state: Arc::default(),
            wake: Arc::default(),
            analysed: watch::Sender::new(0),
            started: AtomicBool::new(false),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Starts the task that analyses changed documents, one round at a time, off the
    /// protocol task: edits that arrive during a round are analysed together in the
    /// next one, with their latest text only.
    fn start_analysis(&self) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let (state, wake, analysed, client) =
            (self.state.clone(), self.wake.clone(), self.analysed.clone(), self.client.clone());
        tokio::spawn(async move {
            loop {
                wake.notified().await;
                loop {
                    let Some(job) = lock(&state).take_job() else { break };
                    let texts = job.texts();
                    let (published, views, replaced): (Vec<Published>, Vec<_>, _) =
                        match tokio::task::spawn_blocking(move || job.run()).await {
                            Ok((finished, affected)) => {
                                let mut state = lock(&state);
                                let (installed, replaced) = state.install(finished, affected);
                                let views = installed
                                    .iter()
                                    .filter_map(|u| {
                                        Some((state.docs[u].view.clone()?, state.docs[u].index_cache.clone()))
                                    })
                                    .collect();
                                (installed.iter().map(|u| publishable(&state, u)).collect(), views, replaced)
                            }
                            Err(error) => {
                                lock(&state).mark_failed(texts);
                                client.log_message(MessageType::ERROR, format!("analysis failed: {error}")).await;
                                (Vec::new(), Vec::new(), Vec::new())
                            }
                        };
                    analysed.send_modify(|rounds| *rounds += 1);
                    for (uri, diagnostics, version) in published {
                        client.publish_diagnostics(uri, diagnostics, Some(version)).await;
                    }
                    // After publishing, in the background: the syntax index every other
                    // request needs is built (diagnostics do not wait for it), and the
                    // replaced analyses are freed (see State::install).
                    crate::background::run(move || {
                        for (view, cache) in &views {
                            // A cache poisoned by a panic while indexing is not trusted.
                            match cache.lock() {
                                Ok(mut cache) => view.index_focus_with(&mut cache),
                                Err(_) => {
                                    view.focus_index();
                                }
                            }
                        }
                        drop(replaced);
                    });
                }
            }
        });
    }

    /// The analysis of the document's current text, waiting for it when a newer
    /// text is being analysed (for results that edit or describe the whole text).
    async fn snapshot(&self, uri: &Uri) -> Result<Snapshot> {
        let mut rounds = self.analysed.subscribe();
        let deadline = tokio::time::Instant::now() + FRESH_WAIT;
        loop {
            {
                let state = self.state();
                let doc = Self::document(&state, uri)?;
                if doc.is_settled() {
                    break;
                }
            }
            match tokio::time::timeout_at(deadline, rounds.changed()).await {
                Ok(Ok(())) => continue,
                _ => break,
            }
        }
        self.last_snapshot(uri).await
    }

    /// The last analysis of the document, possibly of an older text (for hover and
    /// navigation while a long analysis runs); waits only when there is none yet.
    async fn last_snapshot(&self, uri: &Uri) -> Result<Snapshot> {
        let mut rounds = self.analysed.subscribe();
        let deadline = tokio::time::Instant::now() + FRESH_WAIT;
        loop {
            {
                let state = self.state();
                let doc = Self::document(&state, uri)?;
                if let Some(snapshot) = state.snapshot(uri) {
                    return Ok(snapshot);
                }
                if doc.is_settled() {
                    return Err(invalid(format!("{} could not be analysed", uri.as_str())));
                }
            }
            match tokio::time::timeout_at(deadline, rounds.changed()).await {
                Ok(Ok(())) => continue,
                _ => return Err(invalid(format!("{} is not analysed yet", uri.as_str()))),
            }
        }
    }

    fn document<'a>(state: &'a State, uri: &Uri) -> Result<&'a Document> {
        let doc = state.docs.get(uri).ok_or_else(|| invalid(format!("document not open: {}", uri.as_str())))?;
        if doc.is_too_large() {
            return Err(invalid(format!("document is larger than {MAX_ANALYSED_BYTES} bytes and is not analysed")));
        }
        Ok(doc)
    }

    fn offset(snapshot: &Snapshot, position: Position) -> Result<TextSize> {
        snapshot.line_index.offset(&snapshot.text, position, snapshot.encoding).ok_or_else(|| {
            invalid(format!("position {}:{} is outside the document", position.line, position.character))
        })
    }

    /// A range from the client; ends past the document are taken as its end, as
    /// clients ask for "the visible lines" without knowing how many there are.
    fn text_range(snapshot: &Snapshot, range: Range) -> Result<ide::TextRange> {
        let end_of_text = TextSize::from(snapshot.text.len() as u32);
        let offset = |p| snapshot.line_index.offset(&snapshot.text, p, snapshot.encoding).unwrap_or(end_of_text);
        let (start, end) = (offset(range.start), offset(range.end));
        if start > end {
            return Err(invalid("the range ends before it starts"));
        }
        Ok(ide::TextRange::new(start, end))
    }

    /// The current text of a document (analysed or not), for formatting.
    fn current_text(&self, uri: &Uri) -> Result<(Arc<str>, Arc<LineIndex>, Encoding, Settings)> {
        let state = self.state();
        let doc = state.docs.get(uri).ok_or_else(|| invalid(format!("document not open: {}", uri.as_str())))?;
        Ok((doc.text.clone(), doc.line_index.clone(), state.encoding, state.settings.clone()))
    }

    /// Converts formatting edits on `text` to the protocol's.
    fn text_edits(text: &str, line_index: &LineIndex, encoding: Encoding, edits: Vec<ide::TextEdit>) -> Vec<TextEdit> {
        edits.into_iter().map(|e| TextEdit::new(line_index.range(text, e.range, encoding), e.new_text)).collect()
    }

    async fn log(&self, message: String) {
        self.client.log_message(MessageType::WARNING, message).await;
    }
}

/// A document's diagnostics and the version they are of.
type Published = (Uri, Vec<Diagnostic>, i32);

fn publishable(state: &State, uri: &Uri) -> Published {
    let doc = &state.docs[uri];
    let diagnostics = match state.snapshot(uri) {
        Some(snapshot) => convert::diagnostics(state, &snapshot),
        None => vec![Diagnostic {
            severity: Some(DiagnosticSeverity::INFORMATION),
            message: format!("not checked: the document is larger than {MAX_ANALYSED_BYTES} bytes"),
            source: Some("ipsecconf".into()),
            ..Diagnostic::default()
        }],
    };
    (uri.clone(), diagnostics, doc.analysed.as_ref().map_or(doc.version, |a| a.version))
}

fn full_sync_text(mut changes: Vec<TextDocumentContentChangeEvent>) -> Option<String> {
    // Full sync: the last change without a range is the whole text.
    changes.pop().filter(|c| c.range.is_none()).map(|c| c.text)
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        let problems = {
            let mut state = self.state();
            state.encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            params.initialization_options.as_ref().map(|o| state.settings.update(o)).unwrap_or_default()
        };
        for problem in problems {
            self.log(problem).await;
        }
        let encoding = self.state().encoding;
        self.start_analysis();
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "ipsecconf".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_of(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["=".into(), "/".into(), " ".into()]),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        legend: SemanticTokensLegend {
                            token_types: convert::TOKEN_TYPES.to_vec(),
                            token_modifiers: convert::TOKEN_MODIFIERS.to_vec(),
                        },
                        full: Some(SemanticTokensFullOptions::Bool(true)),
                        range: Some(true),
                        ..SemanticTokensOptions::default()
                    },
                )),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.state().set_text(&doc.uri, doc.text, doc.version);
        self.wake.notify_one();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let Some(text) = full_sync_text(params.content_changes) else {
            return self.log(format!("ignored a change to {} that is not a full text", uri.as_str())).await;
        };
        let stored = {
            let mut state = self.state();
            if !state.docs.contains_key(&uri) { None } else { Some(state.set_text(&uri, text, version)) }
        };
        match stored {
            None => self.log(format!("ignored a change to {}, which is not open", uri.as_str())).await,
            Some(false) => {
                self.log(format!("ignored version {version} of {}: older than the text held", uri.as_str())).await
            }
            Some(true) => self.wake.notify_one(),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.state().close(&uri) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
            self.wake.notify_one();
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let problems = {
            let mut state = self.state();
            let problems = state.settings.update(&params.settings);
            state.settings_changed();
            problems
        };
        self.wake.notify_one();
        for problem in problems {
            self.log(problem).await;
        }
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let (text, line_index, encoding, settings) = self.current_text(&params.text_document.uri)?;
        let edits = ide::format(&text, &settings.format_options(&params.options));
        Ok(Some(Self::text_edits(&text, &line_index, encoding, edits)))
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let (text, line_index, encoding, settings) = self.current_text(&params.text_document.uri)?;
        let range = line_index
            .text_range(&text, params.range, encoding)
            .ok_or_else(|| invalid("the range is outside the document or ends before it starts"))?;
        let edits = ide::format_range(&text, range, &settings.format_options(&params.options));
        Ok(Some(Self::text_edits(&text, &line_index, encoding, edits)))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let s = self.snapshot(&params.text_document_position.text_document.uri).await?;
        let offset = Self::offset(&s, params.text_document_position.position)?;
        let loader = self.state().loader();
        let ranges = Ranges::new(&s);
        let items = ide::completion(&s.analysis, offset, &loader);
        Ok(Some(CompletionResponse::Array(items.into_iter().map(|i| convert::completion_item(&ranges, i)).collect())))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let s = self.last_snapshot(&params.text_document_position_params.text_document.uri).await?;
        let offset = Self::offset(&s, params.text_document_position_params.position)?;
        Ok(ide::hover(&s.analysis, offset).map(|h| Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: h.markdown }),
            range: Some(Ranges::new(&s).focus(h.range)),
        }))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let s = self.last_snapshot(&params.text_document_position_params.text_document.uri).await?;
        let offset = Self::offset(&s, params.text_document_position_params.position)?;
        let locations = self.locations(&s, ide::goto_definition(&s.analysis, offset));
        Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let s = self.last_snapshot(&params.text_document_position.text_document.uri).await?;
        let offset = Self::offset(&s, params.text_document_position.position)?;
        let found = ide::references(&s.analysis, offset, params.context.include_declaration);
        Ok(Some(self.locations(&s, found)))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let offset = Self::offset(&s, params.position)?;
        let range = ide::prepare_rename(&s.analysis, offset).map_err(|e| invalid(e.0))?;
        Ok(Some(PrepareRenameResponse::Range(Ranges::new(&s).focus(range))))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let s = self.snapshot(&params.text_document_position.text_document.uri).await?;
        let offset = Self::offset(&s, params.text_document_position.position)?;
        let edits = ide::rename(&s.analysis, offset, &params.new_name).map_err(|e| invalid(e.0))?;
        let state = self.state();
        let mut ranges = Ranges::new(&s);
        let mut changes = std::collections::HashMap::new();
        for file_edit in edits {
            let Some(uri) = state.uri_for(&file_edit.path) else { continue };
            let edits = file_edit
                .edits
                .into_iter()
                .map(|e| TextEdit::new(ranges.in_file(file_edit.file, e.range), e.new_text))
                .collect();
            changes.insert(uri, edits);
        }
        Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let ranges = Ranges::new(&s);
        let symbols = ide::document_symbols(&s.analysis).into_iter().map(|x| convert::document_symbol(&ranges, x));
        Ok(Some(DocumentSymbolResponse::Nested(symbols.collect())))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let snapshots: Vec<Snapshot> = {
            let state = self.state();
            state.docs.keys().filter_map(|u| state.snapshot(u)).collect()
        };
        let analyses: Vec<&ide::Analysis> = snapshots.iter().map(|s| &*s.analysis).collect();
        let found = ide::workspace_symbols(&analyses, &params.query);
        let state = self.state();
        let mut out = Vec::new();
        for symbol in found {
            let Some(snapshot) = snapshots
                .iter()
                .find(|s| symbol.location.path == s.analysis.path(s.analysis.focus))
                .or_else(|| snapshots.iter().find(|s| s.analysis.file_paths().any(|p| p == symbol.location.path)))
            else {
                continue;
            };
            let Some(location) = Ranges::new(snapshot).location(&state, &symbol.location) else { continue };
            out.push(WorkspaceSymbol {
                name: symbol.name,
                kind: convert::symbol_kind(symbol.kind),
                tags: None,
                container_name: None,
                location: OneOf::Left(location),
                data: None,
            });
        }
        Ok(Some(WorkspaceSymbolResponse::Nested(out)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let ranges = Ranges::new(&s);
        let folds = ide::folding_ranges(&s.analysis).into_iter().map(|f| {
            let range = ranges.focus(f.range);
            FoldingRange {
                start_line: range.start.line,
                end_line: range.end.line,
                kind: Some(match f.kind {
                    ide::FoldKind::Section => FoldingRangeKind::Region,
                    ide::FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                ..FoldingRange::default()
            }
        });
        Ok(Some(folds.collect()))
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let offsets = params.positions.iter().map(|p| Self::offset(&s, *p)).collect::<Result<Vec<_>>>()?;
        let ranges = Ranges::new(&s);
        let nested = ide::selection_ranges(&s.analysis, &offsets).into_iter().map(|chain| {
            let outermost_first = chain.into_iter().rev();
            let mut parent: Option<SelectionRange> = None;
            for range in outermost_first {
                parent = Some(SelectionRange { range: ranges.focus(range), parent: parent.map(Box::new) });
            }
            parent.expect("at least the file")
        });
        Ok(Some(nested.collect()))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let data = convert::semantic_tokens(&Ranges::new(&s), &ide::semantic_tokens(&s.analysis, None));
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let range = Self::text_range(&s, params.range)?;
        let data = convert::semantic_tokens(&Ranges::new(&s), &ide::semantic_tokens(&s.analysis, Some(range)));
        Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let ranges = Ranges::new(&s);
        let links = ide::document_links(&s.analysis).into_iter().map(|l| DocumentLink {
            range: ranges.focus(l.range),
            target: Uri::from_file_path(&l.target),
            tooltip: Some(l.tooltip),
            data: None,
        });
        Ok(Some(links.collect()))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let range = Self::text_range(&s, params.range)?;
        let ranges = Ranges::new(&s);
        let actions = ide::code_actions(&s.analysis, range).into_iter().map(|action| {
            let diagnostic_range = ranges.focus(action.diagnostic_range);
            let fixed: Vec<Diagnostic> = params
                .context
                .diagnostics
                .iter()
                .filter(|d| d.range == diagnostic_range && d.code == Some(NumberOrString::String(action.code.into())))
                .cloned()
                .collect();
            let edits = action.edits.into_iter().map(|e| TextEdit::new(ranges.focus(e.range), e.new_text)).collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!fixed.is_empty()).then_some(fixed),
                edit: Some(WorkspaceEdit {
                    changes: Some([(params.text_document.uri.clone(), edits)].into_iter().collect()),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(action.preferred),
                ..CodeAction::default()
            })
        });
        Ok(Some(actions.collect()))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let s = self.snapshot(&params.text_document.uri).await?;
        let range = Self::text_range(&s, params.range)?;
        let ranges = Ranges::new(&s);
        let hints = ide::inlay_hints(&s.analysis, range).into_iter().map(|h| InlayHint {
            position: ranges.focus(ide::TextRange::empty(h.offset)).start,
            label: InlayHintLabel::String(h.label),
            kind: Some(InlayHintKind::PARAMETER),
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(h.tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
        Ok(Some(hints.collect()))
    }
}

impl Server {
    /// A message that was not JSON-RPC, reported by the transport.
    pub async fn malformed_message(&self, params: serde_json::Value) {
        let reason = params.get("error").and_then(|e| e.as_str()).unwrap_or("unknown problem");
        self.client.log_message(MessageType::ERROR, format!("ignored a malformed message: {reason}")).await;
    }

    fn locations(&self, snapshot: &Snapshot, found: Vec<ide::Location>) -> Vec<Location> {
        let state = self.state();
        let mut ranges = Ranges::new(snapshot);
        found.iter().filter_map(|l| ranges.location(&state, l)).collect()
    }
}
