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
pub(crate) fn canonical_name(canonical: Option<CanonicalKey>, key: &SharedStr) -> SharedStr {
    match canonical.and_then(|f| f(key)) {
        Some(name) if name != key.as_str() => SharedStr::from_static(name),
        _ => key.clone(),
    }
}

impl ResolvedValue {
    /// A copy whose strings have their own counts (see [`SharedStr::detached`]).
    fn detached(&self) -> ResolvedValue {
        let mut copy = self.clone();
        copy.value = self.value.detached();
        copy.origin.section = self.origin.section.detached();
        copy
    }

    /// The value of `entry` (written in `section`) stored under `key`.
    pub(crate) fn written(
        section: &RawSection,
        entry: &Entry,
        key: SharedStr,
        via: Via,
        canonical: Option<CanonicalKey>,
    ) -> ResolvedValue {
        ResolvedValue {
            canonical: canonical_name(canonical, &key),
            key,
            value: entry.value.clone(),
            origin: Origin {
                file: section.file,
                range: entry.range,
                key_range: entry.key_range,
                value_range: entry.value_range,
                section: section.name.clone(),
                via,
            },
        }
    }
}

/// Keys in the order they were set: own lines, then `also=` sections, then `%default`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueMap {
    values: Vec<ResolvedValue>,
}

impl ValueMap {
    /// The value set for `key` (or for another key with the same canonical name).
    pub fn get(&self, key: &str) -> Option<&ResolvedValue> {
        self.values.iter().find(|v| v.canonical == key || v.key == key)
    }

    fn get_canonical(&self, canonical: &str) -> Option<&ResolvedValue> {
        self.values.iter().find(|v| v.canonical == canonical)
    }

    fn get_canonical_mut(&mut self, canonical: &str) -> Option<&mut ResolvedValue> {
        self.values.iter_mut().find(|v| v.canonical == canonical)
    }

    pub fn iter(&self) -> impl Iterator<Item = &ResolvedValue> {
        self.values.iter()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl FromIterator<ResolvedValue> for ValueMap {
    fn from_iter<I: IntoIterator<Item = ResolvedValue>>(values: I) -> Self {
        ValueMap { values: values.into_iter().collect() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedConn {
    pub name: String,
    pub file: FileId,
    pub name_range: TextRange,
    pub values: ValueMap,
    /// The sections appended through `also=`/`alsoflip=`, in the order processed.
    pub also: Vec<SharedStr>,
    /// The name is one of the implicit conns, so this conn overrides it.
    pub overrides_implicit: bool,
}

/// Maps a lower-case key to the name that identifies its setting, so that aliases
/// count as the same parameter. Return `None` to use the key itself.
pub type CanonicalKey = fn(&str) -> Option<&'static str>;

#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Absolute include patterns are taken below this folder (libreswan's `--rootdir`).
    pub root_dir: Option<std::path::PathBuf>,
    /// Alias resolution; `None` compares keys as written (lower-cased). The default
    /// is the catalogue's [`crate::checks::canonical_key`].
    pub canonical_key: Option<CanonicalKey>,
    /// The libreswan release keywords and spellings are checked against.
    pub version: crate::checks::LibreswanVersion,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            root_dir: None,
            canonical_key: Some(crate::checks::canonical_key),
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

fn is_also(key: &str) -> Option<bool> {
    match key {
        "also" => Some(false),
        "alsoflip" => Some(true),
        _ => None,
    }
}

struct Resolver<'a> {
    sections: &'a [RawSection],
    /// Conn name (including `%default`) to its first section; implicit conns last.
    by_name: &'a HashMap<&'a str, usize>,
    defaults: &'a ValueMap,
    canonical: Option<CanonicalKey>,
    diagnostics: Vec<Diagnostic>,
    /// The empty `also=` chain of a conn's own lines, made once.
    no_chain: Arc<[AlsoStep]>,
    /// This thread's copies of the sections appended through `also=` (see
    /// [`SharedStr::detached`]): one `base` may be appended to thousands of conns.
    appended: HashMap<usize, Arc<RawSection>>,
}

/// One pending `also=` target.
struct Pending {
    name: SharedStr,
    flipped: bool,
    chain: Arc<[AlsoStep]>,
    file: FileId,
    range: TextRange,
}

pub(crate) fn resolve_expanded(mut expanded: Expanded, options: &ResolveOptions) -> Resolved {
    let implicit_file = FileId(expanded.files.len() as u32);
    let implicit_sections = implicit::sections(implicit_file);
    expanded.files.push(Source::new(implicit::PATH.into(), implicit::TEXT.to_string()));
    let file_section_count = expanded.sections.len();
    expanded.sections.extend(implicit_sections);

    let sections = &expanded.sections;
    let mut diagnostics = std::mem::take(&mut expanded.diagnostics);
    let by_name = index_names(sections, file_section_count, &mut diagnostics);
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
    let mut resolver = Resolver::new(sections, &by_name, &no_defaults, options, diagnostics);
    let setup = resolver.setup();
    let defaults = resolver.collect_defaults();
    let mut diagnostics = resolver.diagnostics;

    let referenced = referenced_names(file_sections);
    let conn_sections: Vec<&RawSection> =
        file_sections.iter().filter(|s| s.kind == SectionKind::Conn && s.name != "%default").collect();
    let parts = crate::parallel::map_parts(&conn_sections, |part| {
        // Every conn copies the defaults: this thread counts its own copies.
        let defaults: ValueMap = defaults.iter().map(ResolvedValue::detached).collect();
        let mut resolver = Resolver::new(sections, &by_name, &defaults, options, Vec::new());
        let conns: Vec<ResolvedConn> = part
            .iter()
            .map(|section| {
                let conn = resolver.resolve_conn(section);
                resolver.check_conn(&conn, referenced.contains(conn.name.as_str()));
                crate::checks::check_conn(&conn, &mut resolver.diagnostics);
                conn
            })
            .collect();
        (conns, resolver.diagnostics)
    });
    let mut conns = Vec::with_capacity(conn_sections.len());
    for (part_conns, part_diagnostics) in parts {
        conns.extend(part_conns);
        diagnostics.extend(part_diagnostics);
    }
    dedup(&mut diagnostics);
    Resolved { files: expanded.files, includes: expanded.includes, setup, conns, instances: Vec::new(), diagnostics }
}

/// Conn names (including `%default`) to their first section, warning about names
/// defined twice in the files (the implicit conns, last, may be overridden).
fn index_names<'a>(
    sections: &'a [RawSection],
    file_section_count: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, usize> {
    let mut by_name: HashMap<&str, usize> = HashMap::default();
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

fn referenced_names(sections: &[RawSection]) -> std::collections::HashSet<&str> {
    sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .filter(|e| is_also(&e.key).is_some())
        .flat_map(|e| e.value.split_whitespace())
        .collect()
}

/// The same problem found while resolving several conns is reported once.
fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.code, d.file, d.range, d.message.clone())));
}

impl<'a> Resolver<'a> {
    fn new(
        sections: &'a [RawSection],
        by_name: &'a HashMap<&'a str, usize>,
        defaults: &'a ValueMap,
        options: &ResolveOptions,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        Resolver {
            sections,
            by_name,
            defaults,
            canonical: options.canonical_key,
            diagnostics,
            no_chain: Arc::from([]),
            appended: HashMap::default(),
        }
    }

    /// This thread's copy of section `index`, to append through `also=`.
    fn appended_section(&mut self, index: usize) -> Arc<RawSection> {
        let sections = self.sections;
        self.appended.entry(index).or_insert_with(|| Arc::new(sections[index].detached())).clone()
    }

    fn value(&self, section: &RawSection, entry: &Entry, key: SharedStr, via: Via) -> ResolvedValue {
        ResolvedValue::written(section, entry, key, via, self.canonical)
    }

    /// The first `config setup`; later duplicate keys win, as in libreswan.
    fn setup(&mut self) -> ValueMap {
        let mut setup = ValueMap::default();
        let mut first: Option<&RawSection> = None;
        for section in self.sections.iter().filter(|s| s.kind == SectionKind::Setup) {
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
            for entry in &section.entries {
                if is_also(&entry.key).is_some() {
                    self.diagnostics.push(Diagnostic::error(
                        codes::ALSO_WRONG_TYPE,
                        section.file,
                        entry.range,
                        format!("`{}=` is only valid in a conn, not in `config setup`", entry.key),
                    ));
                    continue;
                }
                let value = self.value(section, entry, entry.key.clone(), Via::Own);
                self.replace_duplicate(&mut setup, value, "`config setup`");
            }
        }
        setup
    }

    /// Sets `value`, replacing (with a warning) an earlier one in the same map.
    fn replace_duplicate(&mut self, map: &mut ValueMap, value: ResolvedValue, place: &str) {
        if let Some(old) = map.get_canonical_mut(&value.canonical) {
            self.diagnostics.push(
                Diagnostic::warning(
                    codes::KEY_DUPLICATE,
                    value.origin.file,
                    value.origin.key_range,
                    format!("`{}` is set twice in {place}; this later value wins", value.key),
                )
                .with_related(old.origin.file, old.origin.key_range, "earlier value"),
            );
            *old = value;
        } else {
            map.values.push(value);
        }
    }

    fn collect_defaults(&mut self) -> ValueMap {
        let mut defaults = ValueMap::default();
        let sections = self.sections;
        for section in sections.iter().filter(|s| s.kind == SectionKind::Conn && s.name == "%default") {
            let mut in_this_section: Vec<SharedStr> = Vec::new();
            for entry in &section.entries {
                if is_also(&entry.key).is_some() {
                    self.diagnostics.push(Diagnostic::error(
                        codes::ALSO_IN_DEFAULT,
                        section.file,
                        entry.range,
                        format!("`{}=` is not valid in `conn %default` (libreswan rejects it)", entry.key),
                    ));
                    continue;
                }
                let value = self.value(section, entry, entry.key.clone(), Via::Default);
                if in_this_section.contains(&value.canonical) {
                    self.replace_duplicate(&mut defaults, value, "this `conn %default`");
                } else {
                    // A later `%default` section overrides earlier ones silently.
                    in_this_section.push(value.canonical.clone());
                    match defaults.get_canonical_mut(&value.canonical) {
                        Some(old) => *old = value,
                        None => defaults.values.push(value),
                    }
                }
            }
        }
        defaults
    }

    fn resolve_conn(&mut self, section: &'a RawSection) -> ResolvedConn {
        // Room for the own lines, a few appended ones and the defaults, grown once at most.
        let mut values = ValueMap { values: Vec::with_capacity(2 * section.entries.len() + self.defaults.len()) };
        let mut pending: Vec<Pending> = Vec::new();
        let own_chain = self.no_chain.clone();
        self.load_section(&section.name, section, &mut values, &mut pending, false, &own_chain);

        let mut visited: Vec<SharedStr> = vec![section.name.clone()];
        let mut also = Vec::new();
        let mut index = 0;
        while index < pending.len() && index < ALSO_LIMIT {
            let item = &pending[index];
            index += 1;
            let Some(&target_index) = self.by_name.get(item.name.as_str()) else {
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
            let target = self.appended_section(target_index);
            if visited.contains(&target.name) {
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
            visited.push(target.name.clone());
            also.push(target.name.clone());
            let (flipped, chain) = (item.flipped, item.chain.clone());
            self.load_section(&section.name, &target, &mut values, &mut pending, flipped, &chain);
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

        for default in self.defaults.iter() {
            if values.get_canonical(&default.canonical).is_none() {
                values.values.push(default.clone());
            }
        }
        ResolvedConn {
            name: section.name.to_string(),
            file: section.file,
            name_range: section.name_range,
            values,
            also,
            overrides_implicit: implicit::NAMES.contains(&section.name.as_str()),
        }
    }

    /// Adds one section's lines as set values (flipped if asked) and queues its
    /// `also=` targets. `chain` is empty for the conn's own section.
    fn load_section(
        &mut self,
        conn: &str,
        section: &RawSection,
        values: &mut ValueMap,
        pending: &mut Vec<Pending>,
        flipped: bool,
        chain: &Arc<[AlsoStep]>,
    ) {
        let own = chain.is_empty();
        let mut listed: Vec<&str> = Vec::new();
        for entry in &section.entries {
            if let Some(flips) = is_also(&entry.key) {
                for name in entry.value.split_whitespace() {
                    if listed.contains(&name) {
                        if own {
                            self.diagnostics.push(Diagnostic::warning(
                                codes::ALSO_DUPLICATE,
                                section.file,
                                entry.value_range,
                                format!("`{name}` is already listed in also= of this section; it is appended once"),
                            ));
                        }
                        continue;
                    }
                    listed.push(name);
                    // The target's own copy of its name when it exists: shared, not copied.
                    let name = match self.by_name.get(name) {
                        Some(&target) => self.appended_section(target).name.clone(),
                        None => SharedStr::from(name),
                    };
                    let step = AlsoStep { name: name.clone(), flipped: flips };
                    let next_chain = chain.iter().cloned().chain([step]).collect();
                    pending.push(Pending {
                        name,
                        flipped: flipped ^ flips,
                        chain: next_chain,
                        file: section.file,
                        range: entry.value_range,
                    });
                }
                continue;
            }
            let key = if flipped { flip_key(&entry.key) } else { entry.key.clone() };
            let via = if own { Via::Own } else { Via::Also(chain.clone()) };
            let value = self.value(section, entry, key, via);
            match values.get_canonical(&value.canonical) {
                None => values.values.push(value),
                Some(first) if first.origin.section == section.name && first.origin.file == section.file => {
                    // Within one section: reported when that section itself is resolved.
                    if own {
                        self.diagnostics.push(
                            Diagnostic::error(
                                codes::KEY_DUPLICATE,
                                section.file,
                                entry.key_range,
                                format!(
                                    "`{}` is set twice in conn `{}`; libreswan rejects the conn",
                                    value.key, section.name
                                ),
                            )
                            .with_related(
                                first.origin.file,
                                first.origin.key_range,
                                "first set here",
                            ),
                        );
                    }
                }
                Some(first) => {
                    let message = format!(
                        "`{}` for conn `{}` is already set (at {}), and {} sets it again; libreswan rejects the conn",
                        value.key, conn, first.origin.via, value.origin.via
                    );
                    self.diagnostics.push(
                        Diagnostic::error(codes::ALSO_CONFLICT, section.file, entry.key_range, message).with_related(
                            first.origin.file,
                            first.origin.key_range,
                            "first set here",
                        ),
                    );
                }
            }
        }
    }

    /// Parameters that exclude each other, and conns without both ends.
    fn check_conn(&mut self, conn: &ResolvedConn, referenced: bool) {
        // An error where libreswan 4.10 rejects the conn; a warning where only
        // ipsec.conf(5) forbids the pair and 4.10 loads it anyway.
        const EXCLUSIVE: &[(&str, &str, Severity)] = &[
            ("leftsubnet", "leftsubnets", Severity::Warning),
            ("rightsubnet", "rightsubnets", Severity::Warning),
            ("leftaddresspool", "leftsubnet", Severity::Error),
            ("rightaddresspool", "rightsubnet", Severity::Error),
            ("authby", "leftauth", Severity::Warning),
            ("authby", "rightauth", Severity::Warning),
        ];
        // What `conn.values.get(name)` gives for each name used here, in one pass.
        fn slot(name: &str) -> Option<usize> {
            Some(match name {
                "leftsubnet" => 0,
                "leftsubnets" => 1,
                "rightsubnet" => 2,
                "rightsubnets" => 3,
                "leftaddresspool" => 4,
                "rightaddresspool" => 5,
                "authby" => 6,
                "leftauth" => 7,
                "rightauth" => 8,
                "left" => 9,
                "right" => 10,
                _ => return None,
            })
        }
        let mut found: [Option<&ResolvedValue>; 11] = [None; 11];
        for value in conn.values.iter() {
            for name in [value.canonical.as_str(), value.key.as_str()] {
                if let Some(slot) = slot(name) {
                    found[slot].get_or_insert(value);
                }
            }
        }
        let get = |name: &str| slot(name).and_then(|slot| found[slot]);
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
                    second.origin.file,
                    second.origin.key_range,
                    format!(
                        "conn `{}` sets both `{}` and `{}`, which exclude each other; {consequence}",
                        conn.name, first.key, second.key
                    ),
                )
                .with_related(
                    first.origin.file,
                    first.origin.key_range,
                    format!("`{}` set here", first.key),
                ),
            );
        }
        if referenced {
            return;
        }
        let missing: Vec<&str> = ["left", "right"].into_iter().filter(|k| get(k).is_none()).collect();
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
