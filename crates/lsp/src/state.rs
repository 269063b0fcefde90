//! The open documents and the analysis each one is seen through.
//!
//! Every open document has its own analysis (itself as the root file) and a view:
//! when another open document, or `<dir>/ipsec.conf` for a fragment in
//! `<dir>/ipsec.d/`, includes it, the view is that file's resolution focused on
//! it, so `also=` targets defined elsewhere are found.
//!
//! Analyses run off the lock on a copy of the state ([`State::take_job`], [`Job::run`])
//! and are installed only for documents whose text did not change meanwhile
//! ([`State::install`]); until then requests see the previous analysis, with the text
//! and line index it was made from, so offsets always match the tree they index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ide::Analysis;
use tower_lsp_server::ls_types::Uri;

use crate::line_index::{Encoding, LineIndex};
use crate::loader::OverlayLoader;
use crate::settings::Settings;

/// Documents larger than this are kept (edits, positions) but not analysed.
pub const MAX_ANALYSED_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub version: i32,
    pub line_index: Arc<LineIndex>,
    /// Analysis with this document as the root; `None` when too large or not yet analysed.
    pub own: Option<Arc<Analysis>>,
    /// The analysis features use: `own`, or a file that includes this one.
    pub view: Option<Arc<Analysis>>,
    /// The text (with its version and line index) `own` and `view` were made from.
    pub analysed: Option<Analysed>,
    /// A text whose analysis panicked: requests use the previous analysis instead of waiting.
    pub failed: Option<Arc<str>>,
    /// What the last analyses read, section by section: the next one after an edit
    /// reads only the sections that changed. Shared by the copies of the state.
    pub cache: Arc<Mutex<model::ResolveCache>>,
    /// The same for the syntax index requests use (see [`ide::FileIndex::new_cached`]).
    pub index_cache: Arc<Mutex<ide::IndexCache>>,
}

#[derive(Debug, Clone)]
pub struct Analysed {
    pub text: Arc<str>,
    pub version: i32,
    pub line_index: Arc<LineIndex>,
}

impl Document {
    /// Whether the analysis (or a failed attempt) is of the current text.
    pub fn is_settled(&self) -> bool {
        self.analysed.as_ref().is_some_and(|a| Arc::ptr_eq(&a.text, &self.text))
            || self.failed.as_ref().is_some_and(|f| Arc::ptr_eq(f, &self.text))
    }

    pub fn is_too_large(&self) -> bool {
        self.text.len() > MAX_ANALYSED_BYTES
    }
}

/// What a request needs about one document, taken out of the lock.
#[derive(Clone)]
pub struct Snapshot {
    pub text: Arc<str>,
    pub line_index: Arc<LineIndex>,
    pub analysis: Arc<Analysis>,
    pub encoding: Encoding,
}

#[derive(Debug, Default, Clone)]
pub struct State {
    pub docs: HashMap<Uri, Document>,
    pub settings: Settings,
    pub encoding: Encoding,
    /// Paths of documents changed, opened or closed since the last analysis started.
    pending: Vec<PathBuf>,
    /// The settings changed: every document is to be analysed again.
    pending_all: bool,
}

/// One round of analysis: a copy of the state and what changed in it.
pub struct Job {
    state: State,
    changed: Vec<PathBuf>,
    all: bool,
}

impl Job {
    /// Analyses what the changes affect; returns the finished state and the
    /// documents whose analysis (and diagnostics) may have changed.
    pub fn run(mut self) -> (State, Vec<Uri>) {
        if self.all {
            for doc in self.state.docs.values_mut() {
                doc.own = None;
            }
        }
        let affected = self.state.reanalyse(&self.changed);
        (self.state, affected)
    }

    /// The documents of this job and their texts, to mark when the analysis panics.
    pub fn texts(&self) -> Vec<(Uri, Arc<str>)> {
        self.state.docs.iter().map(|(u, d)| (u.clone(), d.text.clone())).collect()
    }
}

/// The file path a document stands for; documents that are not files get a
/// stable made-up path so includes relative to them resolve nowhere.
pub fn path_of(uri: &Uri) -> PathBuf {
    match uri.to_file_path() {
        Some(path) => model::loader::normalize(&path),
        None => PathBuf::from("/nonexistent-document").join(uri.as_str().replace(['/', ':'], "_")),
    }
}

impl State {
    pub fn loader(&self) -> OverlayLoader {
        OverlayLoader { open: self.docs.values().map(|d| (d.path.clone(), d.text.clone())).collect() }
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let doc = self.docs.get(uri)?;
        let analysed = doc.analysed.as_ref()?;
        Some(Snapshot {
            text: analysed.text.clone(),
            line_index: analysed.line_index.clone(),
            analysis: doc.view.clone()?,
            encoding: self.encoding,
        })
    }

    /// The URI of the open document at `path`, else a file URI.
    pub fn uri_for(&self, path: &Path) -> Option<Uri> {
        self.docs.iter().find(|(_, d)| d.path == path).map(|(u, _)| u.clone()).or_else(|| Uri::from_file_path(path))
    }

    /// Stores a new text, keeping the previous analysis until the next one is
    /// installed; returns false (and keeps the old text) when `version` is older.
    pub fn set_text(&mut self, uri: &Uri, text: String, version: i32) -> bool {
        let line_index = Arc::new(LineIndex::new(&text));
        let text: Arc<str> = text.into();
        let path = path_of(uri);
        match self.docs.get_mut(uri) {
            Some(doc) if version < doc.version => return false,
            Some(doc) => (doc.text, doc.version, doc.line_index) = (text, version, line_index),
            None => {
                let doc = Document {
                    path: path.clone(),
                    text,
                    version,
                    line_index,
                    own: None,
                    view: None,
                    analysed: None,
                    failed: None,
                    cache: Arc::default(),
                    index_cache: Arc::default(),
                };
                self.docs.insert(uri.clone(), doc);
            }
        }
        self.pending.push(path);
        true
    }

    /// Closes a document; what included it is analysed again.
    pub fn close(&mut self, uri: &Uri) -> bool {
        let Some(doc) = self.docs.remove(uri) else { return false };
        self.pending.push(doc.path);
        true
    }

    /// After a settings change, every document is analysed again.
    pub fn settings_changed(&mut self) {
        self.pending_all = true;
    }

    /// The analysis to run next, if anything changed since the last one started.
    pub fn take_job(&mut self) -> Option<Job> {
        if self.pending.is_empty() && !self.pending_all {
            return None;
        }
        let mut changed = std::mem::take(&mut self.pending);
        changed.sort();
        changed.dedup();
        let all = std::mem::take(&mut self.pending_all);
        Some(Job { state: self.clone(), changed, all })
    }

    /// Takes the analyses of a finished job for the documents whose text is still the
    /// one analysed; returns those documents.
    ///
    /// The replaced analyses come back too: freeing a large one takes longer than
    /// analysing it, so the caller drops them after publishing, off the protocol task.
    pub fn install(&mut self, finished: State, affected: Vec<Uri>) -> (Vec<Uri>, Vec<Arc<Analysis>>) {
        let mut installed = Vec::new();
        let mut replaced = Vec::new();
        for uri in affected {
            let (Some(doc), Some(done)) = (self.docs.get_mut(&uri), finished.docs.get(&uri)) else { continue };
            if !Arc::ptr_eq(&doc.text, &done.text) {
                continue;
            }
            replaced.extend(std::mem::replace(&mut doc.own, done.own.clone()));
            replaced.extend(std::mem::replace(&mut doc.view, done.view.clone()));
            doc.analysed = done.analysed.clone();
            installed.push(uri);
        }
        (installed, replaced)
    }

    /// Marks the texts of a job whose analysis panicked, so nobody waits for it.
    pub fn mark_failed(&mut self, texts: Vec<(Uri, Arc<str>)>) {
        for (uri, text) in texts {
            if let Some(doc) = self.docs.get_mut(&uri)
                && Arc::ptr_eq(&doc.text, &text)
            {
                doc.failed = Some(text);
            }
        }
    }

    /// Re-analyses what depends on `changed` (paths of documents); returns the documents
    /// whose diagnostics may have changed.
    fn reanalyse(&mut self, changed: &[PathBuf]) -> Vec<Uri> {
        let loader = self.loader();
        let options = self.settings.analysis_options();
        let mut recomputed: Vec<Uri> = Vec::new();
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in &uris {
            let doc = &self.docs[uri];
            let depends = changed.contains(&doc.path)
                || doc.own.is_none()
                || doc.own.as_ref().is_some_and(|a| a.file_paths().any(|p| changed.iter().any(|c| c == p)));
            if depends {
                let own = analyse(&loader, doc, &options);
                self.docs.get_mut(uri).expect("listed").own = own;
                recomputed.push(uri.clone());
            }
        }
        // Documents read by a recomputed analysis may be seen through it.
        let mut affected = recomputed.clone();
        for uri in &uris {
            let path = &self.docs[uri].path;
            let read = recomputed
                .iter()
                .any(|r| self.docs[r].own.as_ref().is_some_and(|a| a.file_paths().skip(1).any(|p| p == path)));
            if read && !affected.contains(uri) {
                affected.push(uri.clone());
            }
        }
        for uri in &affected {
            let view = self.context(&loader, uri);
            let doc = self.docs.get_mut(uri).expect("listed");
            doc.view = view;
            doc.analysed =
                Some(Analysed { text: doc.text.clone(), version: doc.version, line_index: doc.line_index.clone() });
        }
        affected
    }

    fn context(&self, loader: &OverlayLoader, uri: &Uri) -> Option<Arc<Analysis>> {
        let doc = &self.docs[uri];
        let own = doc.own.clone()?;
        let includes_other = |other: &Path| own.file_paths().skip(1).any(|p| p == other);
        for (other_uri, other) in &self.docs {
            if other_uri == uri || includes_other(&other.path) {
                continue;
            }
            let Some(including) = &other.own else { continue };
            if let Some(view) = including.with_focus(&doc.path) {
                return Some(Arc::new(view));
            }
        }
        disk_parent_view(loader, &doc.path, &self.settings).map(Arc::new).or(Some(own))
    }
}

fn analyse(loader: &OverlayLoader, doc: &Document, options: &ide::AnalysisOptions) -> Option<Arc<Analysis>> {
    if doc.text.len() > MAX_ANALYSED_BYTES {
        return None;
    }
    // Analyses run one round at a time, so the lock is never contended; after a panic
    // (a poisoned lock) the cache starts afresh.
    let mut cache = doc.cache.lock().unwrap_or_else(|poisoned| {
        doc.cache.clear_poison();
        let mut cache = poisoned.into_inner();
        *cache = model::ResolveCache::default();
        cache
    });
    let text = doc.text.to_string();
    Some(Arc::new(Analysis::new_cached(loader, &doc.path, text, None, options.clone(), Some(&mut cache))))
}

/// For `<dir>/ipsec.d/x.conf`, the analysis of `<dir>/ipsec.conf` seen from it, when
/// that file (read from disk) includes it.
fn disk_parent_view(loader: &OverlayLoader, path: &Path, settings: &Settings) -> Option<Analysis> {
    let folder = path.parent()?;
    if folder.file_name()? != "ipsec.d" {
        return None;
    }
    let main = folder.parent()?.join("ipsec.conf");
    if loader.open.contains_key(&main) {
        return None;
    }
    let text = model::Loader::read(loader, &main).ok()?;
    if text.len() > MAX_ANALYSED_BYTES {
        return None;
    }
    let analysis = Analysis::new(loader, &main, text, Some(path), settings.analysis_options());
    (analysis.focus.index() != 0).then_some(analysis)
}
