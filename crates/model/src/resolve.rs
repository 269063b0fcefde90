//! Resolution: what libreswan loads for each conn after `%default`, `also=` and
//! `alsoflip=`, every value with the place it was written and the path that brought it.
//!
//! The rules follow ipsec.conf(5) and, where it is silent, libreswan 4.10:
//! - a conn's own lines and the sections appended by `also=` are "set" values; setting
//!   one twice is an error (`key-duplicate` within a section, `also-conflict` across),
//!   and the first value stays;
//! - `conn %default` values only fill what is still unset afterwards (later `%default`
//!   lines win over earlier ones, in any `%default` section, wherever it is);
//! - the `also=` list is walked in order; each appended section's own `also=` targets
//!   go to the end of the list (breadth first), each section is appended at most once,
//!   and at most 31 entries are followed (libreswan's limit of 32);
//! - `alsoflip=` appends like `also=` with every `left*`/`right*` key swapped; a flip
//!   inside a flipped section flips back.

use rustc_hash::FxHashMap as HashMap;

use std::sync::Arc;

use syntax::TextRange;

use crate::diagnostics::{Diagnostic, Severity, codes};
use crate::implicit;
use crate::include::{Entry, Expanded, RawSection, SectionKind};
use crate::shared_str::SharedStr;
use crate::source::{FileId, Source};

/// libreswan stops after this many `also=` list entries and rejects the conn.
pub const ALSO_LIMIT: usize = 32;

/// How a value reached a conn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Written in the conn's own section (or in `config setup`).
    Own,
    /// Filled in from `conn %default`.
    Default,
    /// Appended through `also=`/`alsoflip=`: the chain of sections, outermost first.
    Also(Arc<[AlsoStep]>),
    /// Set by a policy group file line (the right client of a policy group instance).
    PolicyFile,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlsoStep {
    pub name: SharedStr,
    /// Reached through `alsoflip=` (left/right swapped at this step).
    pub flipped: bool,
}

impl std::fmt::Display for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Via::Own => f.write_str("own"),
            Via::Default => f.write_str("%default"),
            Via::PolicyFile => f.write_str("policy file"),
            Via::Also(steps) => {
                for (i, step) in steps.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" > ")?;
                    }
                    let key = if step.flipped { "alsoflip" } else { "also" };
                    write!(f, "{key}={}", step.name)?;
                }
                Ok(())
            }
        }
    }
}

/// Where a value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    /// The whole `key=value` line.
    pub range: TextRange,
    pub key_range: TextRange,
    pub value_range: TextRange,
    /// The section it was written in (`%default`, `setup` or a conn name).
    pub section: SharedStr,
    pub via: Via,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedValue {
    /// The key, lower-case, after any `alsoflip=` swap.
    pub key: SharedStr,
    /// The identity used to find duplicates (the key, or its canonical name).
    pub canonical: SharedStr,
    /// Unquoted.
    pub value: SharedStr,
    pub origin: Origin,
}

/// The name `key` is stored under: its canonical name, or the key itself.
pub(crate) fn canonical_name(aliases: Aliases, key: &SharedStr) -> SharedStr {
    let canonical = match aliases {
        Aliases::Catalogue => crate::checks::canonical_key(key),
        Aliases::AsWritten => None,
        Aliases::Custom(f) => f(key),
    };
    match canonical {
        Some(name) if name != key.as_str() => SharedStr::from_static(name),
        _ => key.clone(),
    }
}

impl ResolvedValue {
    /// The value of `entry` (written in `section`) stored under `key`.
    pub(crate) fn written(
        section: &RawSection,
        entry: &Entry,
        key: SharedStr,
        via: Via,
        aliases: Aliases,
    ) -> ResolvedValue {
        ResolvedValue {
            canonical: canonical_name(aliases, &key),
            key,
            value: entry.value.clone(),
            origin: origin(section, entry, via),
        }
    }
}

fn origin(section: &RawSection, entry: &Entry, via: Via) -> Origin {
    Origin {
        file: section.file,
        range: section.at(entry.range),
        key_range: section.at(entry.key_range),
        value_range: section.at(entry.value_range),
        section: section.name.clone(),
        via,
    }
}

/// A hash of a parameter name: maps compare these before the names.
pub(crate) fn name_hash(name: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    name.hash(&mut hasher);
    hasher.finish() as u32
}

/// One value of a [`ValueMap`]: most are a line of a section read, and cost a few
/// integers (a conn pulling in a shared `base` does not copy its strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Line `entry` of `sections[section]`; `via`: [`VIA_OWN`], [`VIA_DEFAULT`], or
    /// `chains[via - VIA_CHAINS]`.
    Line { section: u32, entry: u32, via: u32 },
    /// `owned[n]`: a value not written as is on a line (keys swapped by `alsoflip=`,
    /// the policy file's lines).
    Owned(u32),
}

const VIA_OWN: u32 = 0;
const VIA_DEFAULT: u32 = 1;
const VIA_CHAINS: u32 = 2;

/// Keys in the order they were set: own lines, then `also=` sections, then `%default`.
#[derive(Clone, Default)]
pub struct ValueMap {
    /// The sections of the resolution the lines are from.
    sections: Option<Arc<[RawSection]>>,
    /// Which lines, shared: a conn whose sections have the same shape as in the last
    /// resolution (an edit changed values only) has the same layout.
    pub(crate) layout: Arc<Layout>,
}

/// Which values a [`ValueMap`] holds, by line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    slots: Vec<Slot>,
    /// [`name_hash`] of each slot's canonical name.
    hashes: Vec<u32>,
    /// The `also=` chains values came through.
    chains: Vec<Arc<[AlsoStep]>>,
    pub(crate) owned: Vec<ResolvedValue>,
}

/// A value of a [`ValueMap`], borrowed from it.
#[derive(Clone, Copy)]
pub struct ValueRef<'a> {
    /// The key, lower-case, after any `alsoflip=` swap.
    pub key: &'a SharedStr,
    /// The identity used to find duplicates (the key, or its canonical name).
    pub canonical: &'a SharedStr,
    /// Unquoted.
    pub value: &'a SharedStr,
    map: &'a ValueMap,
    slot: Slot,
}

impl<'a> ValueRef<'a> {
    /// The line it was written on, without the strings [`ValueRef::origin`] copies.
    fn line(&self) -> Result<(&'a RawSection, &'a Entry), &'a Origin> {
        match self.slot {
            Slot::Line { section, entry, .. } => {
                let section = &self.map.sections()[section as usize];
                Ok((section, &section.entries[entry as usize]))
            }
            Slot::Owned(n) => Err(&self.map.layout.owned[n as usize].origin),
        }
    }

    pub fn file(&self) -> FileId {
        self.line().map_or_else(|origin| origin.file, |(section, _)| section.file)
    }

    /// The whole `key=value` line's range.
    pub fn range(&self) -> TextRange {
        self.line().map_or_else(|origin| origin.range, |(section, entry)| section.at(entry.range))
    }

    /// The key's range.
    pub fn key_range(&self) -> TextRange {
        self.line().map_or_else(|origin| origin.key_range, |(section, entry)| section.at(entry.key_range))
    }

    pub fn value_range(&self) -> TextRange {
        self.line().map_or_else(|origin| origin.value_range, |(section, entry)| section.at(entry.value_range))
    }

    /// The name of the section it was written in.
    pub fn section(&self) -> &'a SharedStr {
        self.line().map_or_else(|origin| &origin.section, |(section, _)| &section.name)
    }

    pub fn via(&self) -> Via {
        match self.slot {
            Slot::Line { via, .. } => self.map.via(via),
            Slot::Owned(n) => self.map.layout.owned[n as usize].origin.via.clone(),
        }
    }

    /// Where it was written and how it got here.
    pub fn origin(&self) -> Origin {
        match self.line() {
            Ok((section, entry)) => origin(section, entry, self.via()),
            Err(origin) => origin.clone(),
        }
    }

    pub fn to_resolved(&self) -> ResolvedValue {
        ResolvedValue {
            key: self.key.clone(),
            canonical: self.canonical.clone(),
            value: self.value.clone(),
            origin: self.origin(),
        }
    }
}

impl ValueMap {
    fn new(sections: &Arc<[RawSection]>, capacity: usize) -> ValueMap {
        let layout =
            Layout { slots: Vec::with_capacity(capacity), hashes: Vec::with_capacity(capacity), ..Layout::default() };
        ValueMap { sections: Some(sections.clone()), layout: Arc::new(layout) }
    }

    fn sections(&self) -> &[RawSection] {
        self.sections.as_deref().unwrap_or_default()
    }

    fn via(&self, via: u32) -> Via {
        match via {
            VIA_OWN => Via::Own,
            VIA_DEFAULT => Via::Default,
            chain => Via::Also(self.layout.chains[(chain - VIA_CHAINS) as usize].clone()),
        }
    }

    fn value(&self, slot: Slot) -> ValueRef<'_> {
        match slot {
            Slot::Line { section, entry, .. } => {
                let entry = &self.sections()[section as usize].entries[entry as usize];
                ValueRef { key: &entry.key, canonical: &entry.canonical, value: &entry.value, map: self, slot }
            }
            Slot::Owned(n) => {
                let owned = &self.layout.owned[n as usize];
                ValueRef { key: &owned.key, canonical: &owned.canonical, value: &owned.value, map: self, slot }
            }
        }
    }

    /// The canonical name of the value in `slot`, without building its [`ValueRef`].
    fn canonical_of(&self, slot: Slot) -> &SharedStr {
        match slot {
            Slot::Line { section, entry, .. } => &self.sections()[section as usize].entries[entry as usize].canonical,
            Slot::Owned(n) => &self.layout.owned[n as usize].canonical,
        }
    }

    /// The value set for `key` (or for another key with the same canonical name).
    pub fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        let hash = name_hash(key);
        // Nearly always the key is the canonical name: compare hashes first.
        let by_canonical = self.position_canonical(key, hash).map(|i| self.value(self.layout.slots[i]));
        by_canonical.or_else(|| self.iter().find(|v| v.key == key))
    }

    /// Where the value with this canonical name (of hash `hash`) is.
    fn position_canonical(&self, canonical: &str, hash: u32) -> Option<usize> {
        let mut from = 0;
        while let Some(i) = self.layout.hashes[from..].iter().position(|&h| h == hash) {
            let i = from + i;
            if self.canonical_of(self.layout.slots[i]) == canonical {
                return Some(i);
            }
            from = i + 1;
        }
        None
    }

    /// Where the value with the same canonical name as `slot`'s is.
    fn position_like(&self, slot: Slot, hash: u32) -> Option<usize> {
        self.position_canonical(self.canonical_of(slot), hash)
    }

    fn hash_of(&self, slot: Slot) -> u32 {
        match slot {
            Slot::Line { section, entry, .. } => {
                self.sections()[section as usize].entries[entry as usize].canonical_hash
            }
            Slot::Owned(n) => name_hash(&self.layout.owned[n as usize].canonical),
        }
    }

    /// Sets `slot` at `index`, or adds it.
    fn put(&mut self, index: Option<usize>, slot: Slot, hash: u32) {
        let layout = Arc::make_mut(&mut self.layout);
        match index {
            Some(index) => (layout.slots[index], layout.hashes[index]) = (slot, hash),
            None => {
                layout.slots.push(slot);
                layout.hashes.push(hash);
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = ValueRef<'_>> {
        self.layout.slots.iter().map(|&slot| self.value(slot))
    }

    pub fn len(&self) -> usize {
        self.layout.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layout.slots.is_empty()
    }

    fn push_owned(&mut self, value: ResolvedValue) {
        let hash = name_hash(&value.canonical);
        self.put(None, Slot::Owned(self.layout.owned.len() as u32), hash);
        Arc::make_mut(&mut self.layout).owned.push(value);
    }

    /// Adds the value in `slot` of `from`, a map on the same sections.
    fn push_from(&mut self, slot: Slot, hash: u32, from: &ValueMap) {
        match slot {
            Slot::Owned(n) => self.push_owned(from.layout.owned[n as usize].clone()),
            line => self.put(None, line, hash),
        }
    }
}

impl FromIterator<ResolvedValue> for ValueMap {
    fn from_iter<I: IntoIterator<Item = ResolvedValue>>(values: I) -> Self {
        let mut map = ValueMap::default();
        for value in values {
            map.push_owned(value);
        }
        map
    }
}

impl PartialEq for ValueMap {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a.to_resolved() == b.to_resolved())
    }
}

impl Eq for ValueMap {}

impl std::fmt::Debug for ValueMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(|v| v.to_resolved())).finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedConn {
    pub name: SharedStr,
    pub file: FileId,
    pub name_range: TextRange,
    pub values: ValueMap,
    /// The sections appended through `also=`/`alsoflip=`, in the order processed.
    pub also: Arc<[SharedStr]>,
    /// The name is one of the implicit conns, so this conn overrides it.
    pub overrides_implicit: bool,
}

/// Maps a lower-case key to the name that identifies its setting, so that aliases
/// count as the same parameter. Return `None` to use the key itself.
pub type CanonicalKey = fn(&str) -> Option<&'static str>;

/// How keys that set the same parameter are recognised.
#[derive(Debug, Clone, Copy, Default)]
pub enum Aliases {
    /// By the catalogue: [`crate::checks::canonical_key`].
    #[default]
    Catalogue,
    /// Not at all: keys compare as written (lower-cased).
    AsWritten,
    /// By this function.
    Custom(CanonicalKey),
}

#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Absolute include patterns are taken below this folder (libreswan's `--rootdir`).
    pub root_dir: Option<std::path::PathBuf>,
    /// How aliases are recognised; by the catalogue unless asked otherwise.
    pub aliases: Aliases,
    /// The libreswan release keywords and spellings are checked against.
    pub version: crate::checks::LibreswanVersion,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            root_dir: None,
            aliases: Aliases::Catalogue,
            version: crate::checks::LibreswanVersion::default(),
        }
    }
}

/// Everything a resolution found: the files read, `config setup`, the conns in file
/// order (without `%default`; implicit conns only when a file defines them) and the
/// diagnostics.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub files: Vec<Source>,
    /// Every `include` line of the files read, in reading order.
    pub includes: Vec<crate::include::IncludeLine>,
    pub setup: ValueMap,
    pub conns: Vec<ResolvedConn>,
    /// The policy group instances (`NAME#CIDR`), after the conns; see [`crate::policy`].
    pub instances: Vec<crate::policy::PolicyInstance>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Resolved {
    pub fn source(&self, file: FileId) -> &Source {
        &self.files[file.index()]
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == crate::Severity::Error)
    }
}

/// Swaps a `left…` key for `right…` and back; other keys stay.
pub fn flip_key(key: &str) -> SharedStr {
    if let Some(rest) = key.strip_prefix("left") {
        format!("right{rest}").into()
    } else if let Some(rest) = key.strip_prefix("right") {
        format!("left{rest}").into()
    } else {
        key.into()
    }
}

pub(crate) fn is_also(key: &str) -> Option<bool> {
    match key {
        "also" => Some(false),
        "alsoflip" => Some(true),
        _ => None,
    }
}

struct Resolver<'a> {
    /// Every section read, then the implicit conns.
    store: &'a Arc<[RawSection]>,
    /// Conn name (including `%default`) to its first section; implicit conns last.
    by_name: &'a Names<'a>,
    defaults: &'a ValueMap,
    aliases: Aliases,
    diagnostics: Vec<Diagnostic>,
    /// The empty `also=` chain of a conn's own lines, and the empty `also=` list, made once.
    no_chain: Arc<[AlsoStep]>,
    no_names: Arc<[SharedStr]>,
    /// This thread's copies of the names of sections appended through `also=` (see
    /// [`SharedStr::detached`]): one `base` may be appended to thousands of conns.
    appended_names: HashMap<usize, SharedStr>,
    /// This thread's one-step `also=` chains (`also=base` in thousands of conns).
    first_steps: HashMap<(usize, bool), Arc<[AlsoStep]>>,
    /// Room reused from conn to conn: the `also=` targets to append, the sections
    /// appended, the names listed in one section's `also=` lines.
    pending: Vec<Pending>,
    visited: Vec<usize>,
    listed: Vec<&'a str>,
    /// What each list of `also=` targets brings (see [`Tail`]), found once per thread:
    /// thousands of conns list just `also=base`. `None` when it depends on the conn.
    tails: HashMap<Box<[Target]>, Option<Arc<Tail>>>,
    tail_key: Vec<Target>,
}

/// An `also=` target: its name, and whether it comes flipped (`alsoflip=`).
type Target = (SharedStr, bool);

/// The values a conn's list of `also=` targets brings, and the sections appended, when
/// that does not depend on the conn: no problem found on the way (no missing target, no
/// cycle, no conflict between appended sections, no `alsoflip=` swap).
struct Tail {
    slots: Vec<(Slot, u32)>,
    chains: Vec<Arc<[AlsoStep]>>,
    also: Arc<[SharedStr]>,
    /// Every name the list led to, appended or not: a conn with one of these names
    /// would have stopped there.
    names: Vec<SharedStr>,
}

/// One pending `also=` target.
#[derive(Clone)]
struct Pending {
    name: SharedStr,
    flipped: bool,
    chain: Arc<[AlsoStep]>,
    file: FileId,
    range: TextRange,
}

/// What a resolution keeps for the next one (through [`crate::ResolveCache`]): the
/// sections it read and, for each conn, its layout and `also=` list, unless the conn
/// had problems of its own (whose ranges and texts must be found again) or values not
/// read from a line.
#[derive(Debug)]
pub(crate) struct ConnLayouts {
    sections: Arc<[RawSection]>,
    conns: Vec<Option<KeptConn>>,
    /// [`referenced_sections`] of `sections`, if it was needed.
    referenced: Option<Arc<Vec<bool>>>,
    /// Whether a conn name was defined twice in `sections`.
    duplicate_names: bool,
}

/// A conn's layout and `also=` list, kept for the next resolution.
#[derive(Debug)]
struct KeptConn {
    layout: Arc<Layout>,
    also: Arc<[SharedStr]>,
    /// It sets aggressive mode: the checks of values must run on it again.
    aggressive: bool,
}

/// Conn names (including `%default`) to their first section, indexed when first needed.
struct Names<'a> {
    sections: &'a [RawSection],
    in_files: usize,
    map: std::sync::OnceLock<HashMap<&'a str, usize>>,
}

impl<'a> Names<'a> {
    fn map(&self) -> &HashMap<&'a str, usize> {
        // Names defined twice were reported when they were first indexed.
        self.map.get_or_init(|| index_names(self.sections, self.in_files, &mut Vec::new()))
    }
}

/// Which of `new` have lines of another shape (keys, or the `also=` lines) than in
/// `old`; `None` when the layouts made on `old` cannot hold for `new` at all: sections
/// added, removed or renamed, a `%default` or an `also=` line changed.
fn changed_sections(old: &[RawSection], new: &[RawSection]) -> Option<Vec<bool>> {
    if old.len() != new.len() {
        return None;
    }
    let also_lines = |s: &RawSection| -> Vec<(SharedStr, SharedStr)> {
        s.entries.iter().filter(|e| is_also(&e.key).is_some()).map(|e| (e.key.clone(), e.value.clone())).collect()
    };
    old.iter()
        .zip(new)
        .map(|(old, new)| {
            if old.kind != new.kind || old.name != new.name {
                return None;
            }
            // Sections whose text did not change share their lines with the cache.
            if Arc::ptr_eq(&old.entries, &new.entries) {
                return Some(false);
            }
            let same_keys = old.entries.len() == new.entries.len()
                && old.entries.iter().zip(new.entries.iter()).all(|(o, n)| {
                    o.key == n.key && o.canonical == n.canonical && (is_also(&o.key).is_none() || o.value == n.value)
                });
            if same_keys {
                return Some(false);
            }
            let is_default = new.kind == SectionKind::Conn && new.name == "%default";
            (!is_default && also_lines(old) == also_lines(new)).then_some(true)
        })
        .collect()
}

pub(crate) fn resolve_expanded(expanded: Expanded, options: &ResolveOptions) -> Resolved {
    resolve_expanded_reusing(expanded, options, None).0
}

/// Resolves `expanded`; with `previous` (the layouts of a resolution of sections of
/// the same shape), a conn that had no problem of its own keeps its layout: which
/// lines it takes depends on the shape only. Value checks run on every conn.
pub(crate) fn resolve_expanded_reusing(
    mut expanded: Expanded,
    options: &ResolveOptions,
    previous: Option<&ConnLayouts>,
) -> (Resolved, ConnLayouts) {
    let implicit_file = FileId(expanded.files.len() as u32);
    let implicit_sections = implicit::sections(implicit_file);
    expanded.files.push(Source::new(implicit::PATH.into(), implicit::TEXT.to_string()));
    let file_section_count = expanded.sections.len();
    expanded.sections.extend(implicit_sections);
    if !matches!(options.aliases, Aliases::Catalogue) {
        // Lines were read with the catalogue's aliases.
        for section in &mut expanded.sections {
            section.entries = section
                .entries
                .iter()
                .map(|entry| {
                    let canonical = canonical_name(options.aliases, &entry.key);
                    Entry { canonical_hash: name_hash(&canonical), canonical, ..entry.clone() }
                })
                .collect();
        }
    }

    let store: Arc<[RawSection]> = std::mem::take(&mut expanded.sections).into();
    let sections = &store[..];
    let mut diagnostics = std::mem::take(&mut expanded.diagnostics);
    // Layouts hold for conns whose sections (their own and those they append) kept
    // their keys; after most edits, every section did.
    let changed = previous.and_then(|p| changed_sections(&p.sections, &store));
    let by_name = Names { sections, in_files: file_section_count, map: std::sync::OnceLock::new() };
    // With the names as they were, and none defined twice then, none is now: they are
    // indexed only if a conn must be resolved again.
    let names_kept = changed.is_some() && previous.is_some_and(|p| !p.duplicate_names);
    let mut duplicate_names = false;
    if !names_kept {
        let before = diagnostics.len();
        let _ = by_name.map.set(index_names(sections, file_section_count, &mut diagnostics));
        duplicate_names = diagnostics.len() > before;
    }
    let file_sections = &sections[..file_section_count];
    match expanded.checks.take() {
        Some(checks) => diagnostics.extend(checks),
        None => {
            let checked = crate::parallel::map_parts(file_sections, |part| {
                let mut out = Vec::new();
                crate::checks::check_sections(part, &expanded.files, options.version, &mut out);
                out
            });
            diagnostics.extend(checked.into_iter().flatten());
        }
    }
    let no_defaults = ValueMap::default();
    let mut resolver = Resolver::new(&store, &by_name, &no_defaults, options, diagnostics);
    let setup = resolver.setup();
    let defaults = resolver.collect_defaults();
    let mut diagnostics = resolver.diagnostics;

    // Needed only by conns resolved again: after most edits, none.
    let referenced: std::sync::OnceLock<Arc<Vec<bool>>> = std::sync::OnceLock::new();
    let conn_sections: Vec<usize> = (0..file_section_count)
        .filter(|&i| sections[i].kind == SectionKind::Conn && sections[i].name != "%default")
        .collect();
    let previous = previous.filter(|p| changed.is_some() && p.conns.len() == conn_sections.len());
    if let Some(kept) = previous.and_then(|p| p.referenced.clone()) {
        // Names and also= lines are as they were (or `changed` would be `None`).
        let _ = referenced.set(kept);
    }
    let changed = changed.filter(|c| c.contains(&true));
    let fits = |section: usize, also: &[SharedStr]| match &changed {
        None => true,
        Some(changed) => {
            let by_name = by_name.map();
            !changed[section] && also.iter().all(|name| by_name.get(name.as_str()).is_some_and(|&i| !changed[i]))
        }
    };
    let jobs: Vec<(usize, usize)> = conn_sections.iter().copied().enumerate().collect();
    let parts = crate::parallel::map_parts(&jobs, |part| {
        let mut resolver = Resolver::new(&store, &by_name, &defaults, options, Vec::new());
        let mut kept = Vec::with_capacity(part.len());
        let conns: Vec<ResolvedConn> = part
            .iter()
            .map(|&(n, section)| {
                if let Some(Some(previous)) = previous.map(|p| &p.conns[n])
                    && fits(section, &previous.also)
                {
                    let conn = resolver.conn_with(section, previous.layout.clone(), previous.also.clone());
                    if previous.aggressive {
                        crate::checks::check_conn(&conn, &mut resolver.diagnostics);
                    }
                    kept.push(Some(KeptConn {
                        layout: previous.layout.clone(),
                        also: conn.also.clone(),
                        aggressive: previous.aggressive,
                    }));
                    return conn;
                }
                let problems = resolver.diagnostics.len();
                let conn = resolver.resolve_conn(section);
                let referenced = referenced
                    .get_or_init(|| Arc::new(referenced_sections(sections, file_section_count, by_name.map())));
                resolver.check_conn(&conn, by_name.map().get(conn.name.as_str()).is_some_and(|&i| referenced[i]));
                let clean = resolver.diagnostics.len() == problems && conn.values.layout.owned.is_empty();
                kept.push(clean.then(|| KeptConn {
                    layout: conn.values.layout.clone(),
                    also: conn.also.clone(),
                    aggressive: crate::checks::sets_aggressive_mode(&conn),
                }));
                crate::checks::check_conn(&conn, &mut resolver.diagnostics);
                conn
            })
            .collect();
        (conns, resolver.diagnostics, kept)
    });
    let mut conns = Vec::with_capacity(conn_sections.len());
    let mut layouts = ConnLayouts {
        sections: store.clone(),
        conns: Vec::with_capacity(conn_sections.len()),
        referenced: referenced.get().cloned(),
        duplicate_names,
    };
    for (part_conns, part_diagnostics, part_kept) in parts {
        conns.extend(part_conns);
        diagnostics.extend(part_diagnostics);
        layouts.conns.extend(part_kept);
    }
    dedup(&mut diagnostics);
    let resolved = Resolved {
        files: expanded.files,
        includes: expanded.includes,
        setup,
        conns,
        instances: Vec::new(),
        diagnostics,
    };
    (resolved, layouts)
}

/// Conn names (including `%default`) to their first section, warning about names
/// defined twice in the files (the implicit conns, last, may be overridden).
fn index_names<'a>(
    sections: &'a [RawSection],
    file_section_count: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, usize> {
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(sections.len(), Default::default());
    for (index, section) in sections.iter().enumerate() {
        if section.kind != SectionKind::Conn {
            continue;
        }
        match by_name.get(section.name.as_str()) {
            None => {
                by_name.insert(&section.name, index);
            }
            Some(&first) if index < file_section_count && section.name != "%default" => {
                let first = &sections[first];
                diagnostics.push(
                    Diagnostic::warning(
                        codes::SECTION_DUPLICATE,
                        section.file,
                        section.name_range,
                        format!(
                            "a conn named `{}` is already defined; `also={}` uses the first one",
                            section.name, section.name
                        ),
                    )
                    .with_related(first.file, first.name_range, "first defined here"),
                );
            }
            Some(_) => {}
        }
    }
    by_name
}

/// For each section, whether an `also=` or `alsoflip=` line of the first `in_files`
/// sections names it (marked on the first section of each name, the one `by_name` gives).
fn referenced_sections(sections: &[RawSection], in_files: usize, by_name: &HashMap<&str, usize>) -> Vec<bool> {
    let mut referenced = vec![false; sections.len()];
    let lines = sections[..in_files].iter().flat_map(|s| s.entries.iter());
    let names = lines.filter(|e| is_also(&e.key).is_some());
    for name in names.flat_map(|e| e.value.split_whitespace()) {
        if let Some(&i) = by_name.get(name) {
            referenced[i] = true;
        }
    }
    referenced
}

/// The same problem found while resolving several conns is reported once.
fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = rustc_hash::FxHashSet::default();
    diagnostics.retain(|d| seen.insert((d.code, d.file, d.range, d.message.clone())));
}

impl<'a> Resolver<'a> {
    fn new(
        store: &'a Arc<[RawSection]>,
        by_name: &'a Names<'a>,
        defaults: &'a ValueMap,
        options: &ResolveOptions,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        Resolver {
            store,
            by_name,
            defaults,
            aliases: options.aliases,
            diagnostics,
            no_chain: Arc::from([]),
            no_names: Arc::from([]),
            appended_names: HashMap::default(),
            first_steps: HashMap::default(),
            pending: Vec::new(),
            visited: Vec::new(),
            listed: Vec::new(),
            tails: HashMap::default(),
            tail_key: Vec::new(),
        }
    }

    /// This thread's copy of the name of section `index`.
    fn appended_name(&mut self, index: usize) -> SharedStr {
        let sections = &self.store[..];
        self.appended_names.entry(index).or_insert_with(|| sections[index].name.detached()).clone()
    }

    /// The first `config setup`; later duplicate keys win, as in libreswan.
    fn setup(&mut self) -> ValueMap {
        let mut setup = ValueMap::new(self.store, 0);
        let mut first: Option<&RawSection> = None;
        let store = self.store;
        for (index, section) in store.iter().enumerate().filter(|(_, s)| s.kind == SectionKind::Setup) {
            if let Some(first) = first {
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::SECTION_SECOND_SETUP,
                        section.file,
                        section.header_range,
                        "a second `config setup` is ignored by libreswan; merge it into the first".into(),
                    )
                    .with_related(first.file, first.header_range, "the `config setup` in effect"),
                );
                continue;
            }
            first = Some(section);
            for (entry_index, entry) in section.entries.iter().enumerate() {
                if is_also(&entry.key).is_some() {
                    self.diagnostics.push(Diagnostic::error(
                        codes::ALSO_WRONG_TYPE,
                        section.file,
                        section.at(entry.range),
                        format!("`{}=` is only valid in a conn, not in `config setup`", entry.key),
                    ));
                    continue;
                }
                let slot = Slot::Line { section: index as u32, entry: entry_index as u32, via: VIA_OWN };
                self.replace_duplicate(&mut setup, slot, "`config setup`");
            }
        }
        setup
    }

    /// Sets the line in `slot`, replacing (with a warning) an earlier value in the same map.
    fn replace_duplicate(&mut self, map: &mut ValueMap, slot: Slot, place: &str) {
        let hash = map.hash_of(slot);
        let old = map.position_like(slot, hash);
        let value = map.value(slot);
        if let Some(old) = old {
            let old = map.value(map.layout.slots[old]);
            self.diagnostics.push(
                Diagnostic::warning(
                    codes::KEY_DUPLICATE,
                    value.file(),
                    value.key_range(),
                    format!("`{}` is set twice in {place}; this later value wins", value.key),
                )
                .with_related(old.file(), old.key_range(), "earlier value"),
            );
        }
        map.put(old, slot, hash);
    }

    fn collect_defaults(&mut self) -> ValueMap {
        let mut defaults = ValueMap::new(self.store, 0);
        let store = self.store;
        for (index, section) in
            store.iter().enumerate().filter(|(_, s)| s.kind == SectionKind::Conn && s.name == "%default")
        {
            let mut in_this_section: Vec<&SharedStr> = Vec::new();
            for (entry_index, entry) in section.entries.iter().enumerate() {
                if is_also(&entry.key).is_some() {
                    self.diagnostics.push(Diagnostic::error(
                        codes::ALSO_IN_DEFAULT,
                        section.file,
                        section.at(entry.range),
                        format!("`{}=` is not valid in `conn %default` (libreswan rejects it)", entry.key),
                    ));
                    continue;
                }
                let slot = Slot::Line { section: index as u32, entry: entry_index as u32, via: VIA_DEFAULT };
                if in_this_section.contains(&&entry.canonical) {
                    self.replace_duplicate(&mut defaults, slot, "this `conn %default`");
                } else {
                    // A later `%default` section overrides earlier ones silently.
                    in_this_section.push(&entry.canonical);
                    let old = defaults.position_canonical(&entry.canonical, entry.canonical_hash);
                    defaults.put(old, slot, entry.canonical_hash);
                }
            }
        }
        defaults
    }

    /// The conn of section `index` with a layout kept from the last resolution.
    fn conn_with(&self, index: usize, layout: Arc<Layout>, also: Arc<[SharedStr]>) -> ResolvedConn {
        self.conn_of(index, ValueMap { sections: Some(self.store.clone()), layout }, also)
    }

    /// The conn of section `index` with these values and `also=` list.
    fn conn_of(&self, index: usize, values: ValueMap, also: Arc<[SharedStr]>) -> ResolvedConn {
        let section = &self.store[index];
        ResolvedConn {
            name: section.name.clone(),
            file: section.file,
            name_range: section.name_range,
            values,
            also,
            overrides_implicit: implicit::NAMES.contains(&section.name.as_str()),
        }
    }

    fn resolve_conn(&mut self, index: usize) -> ResolvedConn {
        let store = self.store;
        let section = &store[index];
        // Room for the own lines, a few appended ones and the defaults, grown once at most.
        let mut values = ValueMap::new(self.store, 2 * section.entries.len() + self.defaults.len());
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        let own_chain = self.no_chain.clone();
        self.load_section(&section.name, index, &mut values, &mut pending, false, &own_chain);

        let tail = if pending.is_empty() { None } else { self.tail_for(section, &pending) };
        // The shared tail holds unless this conn's own lines or name meet it.
        let also = match tail.filter(|tail| {
            !tail.names.contains(&section.name)
                && tail.slots.iter().all(|&(slot, hash)| values.position_like(slot, hash).is_none())
        }) {
            Some(tail) => {
                // The own lines brought no chain: the tail's chain numbers hold as they are.
                Arc::make_mut(&mut values.layout).chains.extend(tail.chains.iter().cloned());
                for &(slot, hash) in &tail.slots {
                    values.put(None, slot, hash);
                }
                tail.also.clone()
            }
            None if pending.is_empty() => self.no_names.clone(),
            None => {
                let mut visited = std::mem::take(&mut self.visited);
                visited.clear();
                visited.push(index);
                let mut also = Vec::new();
                self.append_targets(section, &mut values, &mut pending, &mut visited, &mut also);
                self.visited = visited;
                also.into()
            }
        };

        for (&default, &hash) in self.defaults.layout.slots.iter().zip(&self.defaults.layout.hashes) {
            if values.position_canonical(self.defaults.canonical_of(default), hash).is_none() {
                values.push_from(default, hash, self.defaults);
            }
        }
        self.pending = pending;
        self.conn_of(index, values, also)
    }

    /// Appends the sections `pending` lists, breadth first, as libreswan does, for the
    /// conn of `section` (messages name it); `visited` holds the sections appended.
    fn append_targets(
        &mut self,
        section: &RawSection,
        values: &mut ValueMap,
        pending: &mut Vec<Pending>,
        visited: &mut Vec<usize>,
        also: &mut Vec<SharedStr>,
    ) {
        let store = self.store;
        let mut next = 0;
        while next < pending.len() && next < ALSO_LIMIT {
            let item = &pending[next];
            next += 1;
            let Some(&target_index) = self.by_name.map().get(item.name.as_str()) else {
                let (code, message) = if item.name == "setup" {
                    (
                        codes::ALSO_WRONG_TYPE,
                        format!("`also={}` names `config setup`; also= can only name a conn", item.name),
                    )
                } else {
                    (codes::ALSO_MISSING, format!("cannot find conn `{}` needed by conn `{}`", item.name, section.name))
                };
                self.diagnostics.push(Diagnostic::error(code, item.file, item.range, message));
                continue;
            };
            let target = &store[target_index];
            if visited.iter().any(|&v| store[v].name == target.name) {
                let on_chain = target.name == section.name
                    || item.chain[..item.chain.len() - 1].iter().any(|s| s.name == target.name);
                if on_chain {
                    let mut names = vec![section.name.clone()];
                    names.extend(item.chain.iter().map(|s| s.name.clone()));
                    self.diagnostics.push(Diagnostic::warning(
                        codes::ALSO_CYCLE,
                        item.file,
                        item.range,
                        format!("also= cycle: {} (libreswan appends each section once)", names.join(" → ")),
                    ));
                }
                continue;
            }
            visited.push(target_index);
            also.push(self.appended_name(target_index));
            let (flipped, chain) = (item.flipped, item.chain.clone());
            self.load_section(&section.name, target_index, values, pending, flipped, &chain);
        }
        if pending.len() >= ALSO_LIMIT {
            let item = &pending[ALSO_LIMIT - 1];
            self.diagnostics.push(
                Diagnostic::error(
                    codes::ALSO_LIMIT,
                    section.file,
                    section.name_range,
                    format!(
                        "conn `{}` needs {} also= sections; libreswan rejects more than {}",
                        section.name,
                        pending.len(),
                        ALSO_LIMIT - 1
                    ),
                )
                .with_related(item.file, item.range, "the limit is reached here"),
            );
        }
    }

    /// What the `also=` targets in `pending` (listed by the own lines of `section`) bring.
    fn tail_for(&mut self, section: &RawSection, pending: &[Pending]) -> Option<Arc<Tail>> {
        self.tail_key.clear();
        self.tail_key.extend(pending.iter().map(|p| (p.name.clone(), p.flipped)));
        if let Some(found) = self.tails.get(&self.tail_key[..]) {
            return found.clone();
        }
        let key: Box<[Target]> = self.tail_key.as_slice().into();
        // Appended to a conn with no lines of its own; any problem met makes it the
        // conn's own business.
        let outside = std::mem::take(&mut self.diagnostics);
        let mut values = ValueMap::new(self.store, 8);
        let (mut pending, mut visited, mut also) = (pending.to_vec(), Vec::new(), Vec::new());
        self.append_targets(section, &mut values, &mut pending, &mut visited, &mut also);
        let clean = self.diagnostics.is_empty() && values.layout.owned.is_empty();
        self.diagnostics = outside;
        let tail = clean.then(|| {
            let layout = &values.layout;
            Arc::new(Tail {
                slots: layout.slots.iter().copied().zip(layout.hashes.iter().copied()).collect(),
                chains: layout.chains.clone(),
                also: also.into(),
                names: pending.iter().map(|p| p.name.clone()).collect(),
            })
        });
        self.tails.insert(key, tail.clone());
        tail
    }

    /// Adds the lines of `sections[index]` as set values (flipped if asked) and queues
    /// its `also=` targets. `chain` is empty for the conn's own section.
    fn load_section(
        &mut self,
        conn: &str,
        index: usize,
        values: &mut ValueMap,
        pending: &mut Vec<Pending>,
        flipped: bool,
        chain: &Arc<[AlsoStep]>,
    ) {
        let store = self.store;
        let section = &store[index];
        let own = chain.is_empty();
        let via = if own {
            VIA_OWN
        } else {
            let layout = Arc::make_mut(&mut values.layout);
            layout.chains.push(chain.clone());
            VIA_CHAINS + layout.chains.len() as u32 - 1
        };
        let mut listed = std::mem::take(&mut self.listed);
        listed.clear();
        for (entry_index, entry) in section.entries.iter().enumerate() {
            if let Some(flips) = is_also(&entry.key) {
                for name in entry.value.split_whitespace() {
                    if listed.contains(&name) {
                        if own {
                            self.diagnostics.push(Diagnostic::warning(
                                codes::ALSO_DUPLICATE,
                                section.file,
                                section.at(entry.value_range),
                                format!("`{name}` is already listed in also= of this section; it is appended once"),
                            ));
                        }
                        continue;
                    }
                    listed.push(name);
                    // The target's own name when it exists: shared, not copied.
                    let target = self.by_name.map().get(name).copied();
                    let name = match target {
                        Some(target) => self.appended_name(target),
                        None => SharedStr::from(name),
                    };
                    let step = AlsoStep { name: name.clone(), flipped: flips };
                    let next_chain = match target {
                        Some(target) if own => {
                            self.first_steps.entry((target, flips)).or_insert_with(|| Arc::from([step])).clone()
                        }
                        _ => chain.iter().cloned().chain([step]).collect(),
                    };
                    pending.push(Pending {
                        name,
                        flipped: flipped ^ flips,
                        chain: next_chain,
                        file: section.file,
                        range: section.at(entry.value_range),
                    });
                }
                continue;
            }
            let slot = if flipped {
                let key = flip_key(&entry.key);
                let value = ResolvedValue::written(section, entry, key, values.via(via), self.aliases);
                let layout = Arc::make_mut(&mut values.layout);
                layout.owned.push(value);
                Slot::Owned(layout.owned.len() as u32 - 1)
            } else {
                Slot::Line { section: index as u32, entry: entry_index as u32, via }
            };
            let hash = values.hash_of(slot);
            let Some(first) = values.position_like(slot, hash) else {
                values.put(None, slot, hash);
                continue;
            };
            let (first, value) = (values.value(values.layout.slots[first]), values.value(slot));
            if first.section() == &section.name && first.file() == section.file {
                // Within one section: reported when that section itself is resolved.
                if own {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::KEY_DUPLICATE,
                            section.file,
                            section.at(entry.key_range),
                            format!(
                                "`{}` is set twice in conn `{}`; libreswan rejects the conn",
                                value.key, section.name
                            ),
                        )
                        .with_related(first.file(), first.key_range(), "first set here"),
                    );
                }
            } else {
                let message = format!(
                    "`{}` for conn `{}` is already set (at {}), and {} sets it again; libreswan rejects the conn",
                    value.key,
                    conn,
                    first.via(),
                    value.via()
                );
                self.diagnostics.push(
                    Diagnostic::error(codes::ALSO_CONFLICT, section.file, section.at(entry.key_range), message)
                        .with_related(first.file(), first.key_range(), "first set here"),
                );
            }
        }
        self.listed = listed;
    }

    /// Parameters that exclude each other, and conns without both ends.
    fn check_conn(&mut self, conn: &ResolvedConn, referenced: bool) {
        // An error where libreswan 4.10 rejects the conn; a warning where only
        // ipsec.conf(5) forbids the pair and 4.10 loads it anyway.
        // The pairs, by their place in NAMES.
        const EXCLUSIVE: &[(usize, usize, Severity)] = &[
            (0, 1, Severity::Warning), // leftsubnet, leftsubnets
            (2, 3, Severity::Warning), // rightsubnet, rightsubnets
            (4, 0, Severity::Error),   // leftaddresspool, leftsubnet
            (5, 2, Severity::Error),   // rightaddresspool, rightsubnet
            (6, 7, Severity::Warning), // authby, leftauth
            (6, 8, Severity::Warning), // authby, rightauth
        ];
        const LEFT_RIGHT: [usize; 2] = [9, 10];
        // What `conn.values.get(name)` gives for each name used here, in one pass;
        // names are compared by hash first.
        const NAMES: [&str; 11] = [
            "leftsubnet",
            "leftsubnets",
            "rightsubnet",
            "rightsubnets",
            "leftaddresspool",
            "rightaddresspool",
            "authby",
            "leftauth",
            "rightauth",
            "left",
            "right",
        ];
        // Their hashes, and a 64-bit mask of them that rules out most keys in one test.
        static HASHES: std::sync::OnceLock<([u32; 11], u64)> = std::sync::OnceLock::new();
        let (hashes, mask) = HASHES.get_or_init(|| {
            let hashes = NAMES.map(name_hash);
            (hashes, hashes.iter().fold(0, |mask, h| mask | 1 << (h % 64)))
        });
        let slot = |name: &str, hash: u32| {
            (mask & 1 << (hash % 64) != 0)
                .then(|| (0..NAMES.len()).find(|&i| hashes[i] == hash && NAMES[i] == name))
                .flatten()
        };
        let mut found: [Option<ValueRef<'_>>; 11] = [None; 11];
        for (&value_slot, &hash) in conn.values.layout.slots.iter().zip(&conn.values.layout.hashes) {
            let value = conn.values.value(value_slot);
            if let Some(i) = slot(value.canonical, hash) {
                found[i].get_or_insert(value);
            }
            // The key is most often the canonical name itself.
            if !std::ptr::eq(value.key.as_str(), value.canonical.as_str())
                && let Some(i) = slot(value.key, name_hash(value.key))
            {
                found[i].get_or_insert(value);
            }
        }
        let get = |i: usize| found[i];
        for &(a, b, severity) in EXCLUSIVE {
            let (Some(first), Some(second)) = (get(a), get(b)) else { continue };
            let consequence = match severity {
                Severity::Error => "libreswan rejects the conn",
                _ => "ipsec.conf(5) forbids it, though libreswan 4.10 loads the conn",
            };
            self.diagnostics.push(
                Diagnostic::new(
                    codes::CONN_EXCLUSIVE,
                    severity,
                    second.file(),
                    second.key_range(),
                    format!(
                        "conn `{}` sets both `{}` and `{}`, which exclude each other; {consequence}",
                        conn.name, first.key, second.key
                    ),
                )
                .with_related(first.file(), first.key_range(), format!("`{}` set here", first.key)),
            );
        }
        if referenced {
            return;
        }
        let missing: Vec<&str> = LEFT_RIGHT.into_iter().filter(|&i| get(i).is_none()).map(|i| NAMES[i]).collect();
        if !missing.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                codes::CONN_MISSING_ENDPOINT,
                conn.file,
                conn.name_range,
                format!("conn `{}` has no `{}=`; libreswan cannot load it", conn.name, missing.join("=` or `")),
            ));
        }
    }
}
