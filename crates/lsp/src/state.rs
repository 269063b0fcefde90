//! The open documents and the analysis each one is seen through.
//!
//! Every open document has its own analysis (itself as the root file) and a view:
//! when another open document, or `<dir>/ipsec.conf` for a fragment in
//! `<dir>/ipsec.d/`, includes it, the view is that file's resolution focused on
//! it, so `also=` targets defined elsewhere are found.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Analysis with this document as the root; `None` when too large.
    pub own: Option<Arc<Analysis>>,
    /// The analysis features use: `own`, or a file that includes this one.
    pub view: Option<Arc<Analysis>>,
}

/// What a request needs about one document, taken out of the lock.
#[derive(Clone)]
pub struct Snapshot {
    pub text: Arc<str>,
    pub line_index: Arc<LineIndex>,
    pub analysis: Arc<Analysis>,
    pub encoding: Encoding,
}

#[derive(Debug, Default)]
pub struct State {
    pub docs: HashMap<Uri, Document>,
    pub settings: Settings,
    pub encoding: Encoding,
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
        Some(Snapshot {
            text: doc.text.clone(),
            line_index: doc.line_index.clone(),
            analysis: doc.view.clone()?,
            encoding: self.encoding,
        })
    }

    /// The URI of the open document at `path`, else a file URI.
    pub fn uri_for(&self, path: &Path) -> Option<Uri> {
        self.docs.iter().find(|(_, d)| d.path == path).map(|(u, _)| u.clone()).or_else(|| Uri::from_file_path(path))
    }

    /// Stores a new text; returns false (and keeps the old one) when `version` is older.
    pub fn set_text(&mut self, uri: &Uri, text: String, version: i32) -> bool {
        if let Some(doc) = self.docs.get(uri)
            && version < doc.version
        {
            return false;
        }
        let line_index = Arc::new(LineIndex::new(&text));
        let text: Arc<str> = text.into();
        let path = path_of(uri);
        let doc = Document { path, text, version, line_index, own: None, view: None };
        self.docs.insert(uri.clone(), doc);
        true
    }

    /// Re-analyses what depends on `changed` (a document's path); returns the documents
    /// whose diagnostics may have changed.
    pub fn reanalyse(&mut self, changed: &Path) -> Vec<Uri> {
        let loader = self.loader();
        let options = self.settings.analysis_options();
        let mut recomputed: Vec<Uri> = Vec::new();
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in &uris {
            let doc = &self.docs[uri];
            let depends = doc.path == changed
                || doc.own.is_none()
                || doc.own.as_ref().is_some_and(|a| a.file_paths().any(|p| p == changed));
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
            self.docs.get_mut(uri).expect("listed").view = view;
        }
        affected
    }

    /// Re-analyses every document (after a settings change).
    pub fn reanalyse_all(&mut self) -> Vec<Uri> {
        for doc in self.docs.values_mut() {
            doc.own = None;
        }
        let Some(path) = self.docs.values().next().map(|d| d.path.clone()) else { return Vec::new() };
        self.reanalyse(&path)
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
            if let Some(view) = including.with_focus(loader, &doc.path) {
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
    Some(Arc::new(Analysis::new(loader, &doc.path, doc.text.to_string(), None, options.clone())))
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
