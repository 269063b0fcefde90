//! What an ipsec.conf means: the keyword catalogue, value checks, include
//! expansion, `%default`/`also=`/`alsoflip=` resolution, policy group instances and
//! diagnostics.
//! No file I/O: includes come through a loader the caller provides.

mod cache;
pub mod catalogue;
pub mod checks;
pub mod diagnostics;
pub mod glob;
pub mod implicit;
pub mod include;
pub mod loader;
mod parallel;
pub mod peer;
pub mod pieces;
pub mod policy;
mod proposals;
pub mod resolve;
mod shared_str;
pub mod source;
pub mod value_check;

use std::path::Path;

pub use cache::ResolveCache;
pub use checks::LibreswanVersion;
pub use diagnostics::{Diagnostic, Related, Severity, codes};
pub use loader::{DirEntry, LoadError, Loader, MemoryLoader};
pub use policy::{PolicyInstance, ProtoPorts};
pub use resolve::{
    Aliases, AlsoStep, Origin, ResolveOptions, Resolved, ResolvedConn, ResolvedValue, ValueMap, ValueRef, Via,
};
pub use shared_str::SharedStr;
pub use source::{FileId, Source};

/// Reads `path` through `loader` and resolves it. Only the root file being
/// unreadable is an `Err`; every other problem is a diagnostic.
pub fn resolve(loader: &dyn Loader, path: &Path, options: &ResolveOptions) -> Result<Resolved, LoadError> {
    let text = loader.read(path)?;
    Ok(resolve_text(loader, path, text, options))
}

/// Resolves `text` as if read from `path` (an editor buffer, standard input).
pub fn resolve_text(loader: &dyn Loader, path: &Path, text: String, options: &ResolveOptions) -> Resolved {
    let include_options = include::IncludeOptions { root_dir: options.root_dir.clone() };
    let expanded = include::expand(loader, path, text, &include_options);
    finish(loader, expanded, options)
}

/// [`resolve_text`] for a text resolved again and again with small changes (an
/// editor buffer): `cache` keeps what each section gave, so the next resolution reads
/// and checks only the sections whose text changed. The result is the same.
pub fn resolve_text_cached(
    loader: &dyn Loader,
    path: &Path,
    text: String,
    options: &ResolveOptions,
    cache: &mut ResolveCache,
) -> Resolved {
    let include_options = include::IncludeOptions { root_dir: options.root_dir.clone() };
    cache.start(options.version);
    let expanded = include::expand_cached(loader, path, text, &include_options, cache);
    cache.finish();
    // Layouts found with other aliases would not hold.
    let reusable = matches!(options.aliases, resolve::Aliases::Catalogue);
    let previous = cache.take_layouts().filter(|_| reusable);
    let (resolved, layouts) = resolve::resolve_expanded_reusing(expanded, options, previous.as_ref());
    if reusable {
        cache.keep_layouts(layouts);
    }
    finish_resolved(loader, resolved, options)
}

fn finish(loader: &dyn Loader, expanded: include::Expanded, options: &ResolveOptions) -> Resolved {
    finish_resolved(loader, resolve::resolve_expanded(expanded, options), options)
}

fn finish_resolved(loader: &dyn Loader, mut resolved: Resolved, options: &ResolveOptions) -> Resolved {
    policy::instantiate(loader, &mut resolved, options);
    // Reported in reading order, whichever check found them.
    resolved.diagnostics.sort_by_key(|d| (d.file, d.range.start(), d.range.end()));
    resolved
}
