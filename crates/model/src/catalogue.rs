//! The keyword catalogue: every `ipsec.conf` parameter libreswan 3.20, 4.10 and
//! current know, with its value kind, accepted spellings, aliases, versions and
//! its ipsec.conf(5) description as Markdown.
//!
//! The data lives in `catalogue/generated.rs`, written by `cargo xtask codegen`
//! from `../shared/reference/`; never edit it by hand.
//!
//! Naming: a `left*`/`right*` pair is one entry named without the prefix
//! (`subnet` stands for `leftsubnet` and `rightsubnet`). The bare `left=` /
//! `right=` pair is the entry with the empty name `""`.

#[rustfmt::skip]
mod generated;

/// Which section type a keyword belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// `config setup`
    Config,
    /// `conn NAME`
    Conn,
}

/// What kind of value a keyword takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// `yes`/`no` and their spellings (see [`Keyword::values`]).
    Bool,
    /// One of [`Keyword::values`].
    Enum,
    /// One of [`Keyword::values`] or any other non-empty string.
    LooseEnum,
    /// Comma/space separated words from [`Keyword::values`] (e.g. `plutodebug`).
    EnumList,
    /// A non-negative decimal integer.
    Integer,
    /// An integer with an optional binary (`KiB`, `Mi`, …) or byte suffix.
    Size,
    /// A non-negative decimal number such as `0.5`.
    Decimal,
    /// A duration: a number with an optional unit (`ms`, `s`, `m`, `h`, `d`, `w`);
    /// see [`Keyword::time_unit`] for what a bare number means.
    Time,
    /// An integer followed by `%`.
    Percent,
    /// An IPv4 or IPv6 address.
    Address,
    /// The `left=`/`right=` host: an address, a DNS name or a magic value.
    Host,
    /// `network/prefix` (an address alone means a single host), or magic values.
    Subnet,
    /// Several subnets, comma or space separated, optionally in braces.
    SubnetList,
    /// `address-address`, or a subnet, giving a pool of addresses.
    AddressRange,
    /// `protocol/port`, e.g. `17/1701` or `tcp/%any`.
    ProtoPort,
    /// Comma separated free words (e.g. DNS server lists).
    List,
    /// An IKE identity: address, `@fqdn`, `@#hex`, `@[...]`, DN or magic.
    Id,
    /// An algorithm proposal list (`ike=`, `esp=`, `phase2alg=`, `ah=`).
    Proposals,
    /// A public key (`0s…`, `0x…`) or a magic value such as `%cert`.
    PublicKey,
    /// A file or directory name.
    Path,
    /// The name of another section (`also=`).
    SectionName,
    /// Free text.
    String,
    /// Accepted and ignored: the keyword no longer does anything.
    Ignored,
}

impl ValueKind {
    /// A short human name for the kind, used in messages and `ipsecconf explain`.
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::Bool => "boolean",
            ValueKind::Enum => "one of a fixed set of words",
            ValueKind::LooseEnum => "a keyword or free text",
            ValueKind::EnumList => "a list of words",
            ValueKind::Integer => "integer",
            ValueKind::Size => "size (integer with optional binary suffix)",
            ValueKind::Decimal => "decimal number",
            ValueKind::Time => "time (number with optional ms/s/m/h/d/w unit)",
            ValueKind::Percent => "percentage (integer followed by %)",
            ValueKind::Address => "IP address",
            ValueKind::Host => "host (IP address, DNS name or magic value)",
            ValueKind::Subnet => "subnet (network/prefix)",
            ValueKind::SubnetList => "list of subnets",
            ValueKind::AddressRange => "address range (start-end or subnet)",
            ValueKind::ProtoPort => "protocol/port",
            ValueKind::List => "comma separated list",
            ValueKind::Id => "IKE identity",
            ValueKind::Proposals => "algorithm proposals",
            ValueKind::PublicKey => "public key",
            ValueKind::Path => "file or directory name",
            ValueKind::SectionName => "section name",
            ValueKind::String => "string",
            ValueKind::Ignored => "obsolete, ignored",
        }
    }
}

/// Which libreswan versions know a keyword (or a fact about it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Versions {
    pub v3_20: bool,
    pub v4_10: bool,
    pub current: bool,
}

impl Versions {
    /// The versions as text, e.g. `3.20, 4.10, current`.
    pub fn describe(self) -> String {
        let names: Vec<&str> = [(self.v3_20, "3.20"), (self.v4_10, "4.10"), (self.current, "current")]
            .into_iter()
            .filter_map(|(known, name)| known.then_some(name))
            .collect();
        names.join(", ")
    }
}

/// Why and where a keyword is obsolete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Obsolete {
    /// The versions that accept the keyword only to warn about it and ignore it.
    pub in_versions: Versions,
    /// What to write instead, when there is a replacement.
    pub replacement: Option<&'static str>,
}

/// What a bare number (no unit) means for a [`ValueKind::Time`] keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Seconds,
    Milliseconds,
}

/// One keyword of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Keyword {
    /// The name; for pairs without the `left`/`right` prefix; `""` is the bare `left=`/`right=`.
    pub name: &'static str,
    pub section: SectionKind,
    /// Whether the keyword comes as `left<name>`/`right<name>`.
    pub left_right: bool,
    pub kind: ValueKind,
    /// Enum or bool spellings the parser accepts (case-insensitive).
    pub values: &'static [&'static str],
    /// Magic values: `%…` words, and prefixes ending in `:` such as `vhost:`.
    pub magic: &'static [&'static str],
    /// The keyword this one is another name for.
    pub alias_of: Option<&'static str>,
    pub obsolete: Option<Obsolete>,
    pub versions: Versions,
    /// For time keywords: what a bare number means.
    pub time_unit: TimeUnit,
    /// The ipsec.conf(5) description as Markdown (empty when the man page has none).
    pub docs: &'static str,
    /// Which man page the docs come from (`ipsec.conf.5-v3.20.xml`, …), or `""`.
    pub docs_source: &'static str,
}

impl Keyword {
    /// The spelling as written for `side` (`leftsubnet`), or the plain name.
    pub fn spelled(&self, side: Option<Side>) -> String {
        match (self.left_right, side) {
            (true, Some(Side::Right)) => format!("right{}", self.name),
            (true, _) => format!("left{}", self.name),
            (false, _) => self.name.to_string(),
        }
    }

    /// How the keyword is listed: `left/rightsubnet` for pairs, else the name.
    pub fn display_name(&self) -> String {
        if self.left_right { format!("left/right{}", self.name) } else { self.name.to_string() }
    }
}

/// The side a `left*`/`right*` keyword was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Left,
    Right,
}

/// What a key written in a file refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup {
    pub keyword: &'static Keyword,
    /// The side for pair keywords written with a prefix.
    pub side: Option<Side>,
    /// A pair keyword written without prefix (`subnet=`): 3.20/4.10 read it as
    /// `right<name>=`, current rejects it.
    pub bare_side: bool,
}

/// Every keyword, sorted by name then section.
pub fn keywords() -> &'static [Keyword] {
    generated::KEYWORDS
}

/// Finds the keyword a key refers to: case-insensitive, `leftX`/`rightX`,
/// `left-X`/`right-X` (current) and bare pair names.
pub fn lookup(name: &str) -> Option<Lookup> {
    lookup_in(name, None)
}

/// Like [`lookup`], restricted to one section type (some names exist in both).
pub fn lookup_in(name: &str, section: Option<SectionKind>) -> Option<Lookup> {
    let filter = LOOKUP_FILTERS.iter().position(|f| *f == section).unwrap_or(0);
    let found = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lookup_index().get(name.to_ascii_lowercase().as_str())
    } else {
        lookup_index().get(name)
    };
    found.and_then(|found| found[filter])
}

/// The catalogue's own copy of `lower` (a lower-case key) when it is a spelling of a
/// keyword, to share instead of a copy of the file's text.
pub fn static_spelling(lower: &str) -> Option<&'static str> {
    lookup_index().get_key_value(lower).map(|(spelling, _)| spelling.as_str())
}

const LOOKUP_FILTERS: [Option<SectionKind>; 3] = [None, Some(SectionKind::Config), Some(SectionKind::Conn)];

type LookupIndex = rustc_hash::FxHashMap<String, [Option<Lookup>; 3]>;

fn lookup_index() -> &'static LookupIndex {
    // Checking a large file looks a key up for every line: every spelling that finds
    // something is answered from a map built once, one answer per section filter.
    static INDEX: std::sync::OnceLock<LookupIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = LookupIndex::default();
        for keyword in keywords() {
            let mut spellings = vec![keyword.name.to_string()];
            if keyword.left_right {
                spellings
                    .extend(["left", "right", "left-", "right-"].map(|prefix| format!("{prefix}{}", keyword.name)));
            }
            for spelling in spellings {
                let found = LOOKUP_FILTERS.map(|filter| find(&spelling, filter));
                index.insert(spelling, found);
            }
        }
        index
    })
}

/// [`lookup_in`] the slow way, for names already lower-case.
fn find(lower: &str, section: Option<SectionKind>) -> Option<Lookup> {
    let fits = |k: &&&Keyword| section.is_none_or(|s| k.section == s);
    if let Some(keyword) = by_name(lower).iter().filter(fits).find(|k| !k.left_right) {
        return Some(Lookup { keyword, side: None, bare_side: false });
    }
    for (prefix, side) in [("left", Side::Left), ("right", Side::Right)] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = rest.strip_prefix('-').filter(|r| !r.is_empty()).unwrap_or(rest);
            if let Some(keyword) = by_name(rest).iter().filter(fits).find(|k| k.left_right) {
                return Some(Lookup { keyword, side: Some(side), bare_side: false });
            }
        }
    }
    let keyword = by_name(lower).iter().filter(fits).find(|k| k.left_right && !k.name.is_empty())?;
    Some(Lookup { keyword, side: None, bare_side: true })
}

/// The catalogue entries named `name`, in catalogue order. Checking a large file
/// looks keywords up several times a line: a map, built once, keeps that cheap.
fn by_name(name: &str) -> &'static [&'static Keyword] {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Vec<&'static Keyword>>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: rustc_hash::FxHashMap<&'static str, Vec<&'static Keyword>> = Default::default();
        for keyword in keywords() {
            index.entry(keyword.name).or_default().push(keyword);
        }
        index
    });
    index.get(name).map_or(&[], Vec::as_slice)
}

/// Every spelling a user may write, with `left`/`right` expanded; sorted.
pub fn spellings(section: Option<SectionKind>) -> Vec<String> {
    let mut names: Vec<String> = keywords()
        .iter()
        .filter(|k| section.is_none_or(|s| k.section == s))
        .flat_map(|k| {
            if k.left_right {
                vec![k.spelled(Some(Side::Left)), k.spelled(Some(Side::Right))]
            } else {
                vec![k.name.to_string()]
            }
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Up to three known spellings close to `name`, best first ("did you mean").
pub fn suggest(name: &str, section: Option<SectionKind>) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let mut scored: Vec<(f64, String)> = spellings(section)
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&lower, &candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// A word of the file format that is not a parameter: section keywords,
/// directives, `%default` and the section-linking keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonParameter {
    pub word: &'static str,
    pub docs: &'static str,
}

/// The words that are not parameters, with their ipsec.conf(5) description.
pub fn non_parameter_words() -> &'static [NonParameter] {
    generated::NON_PARAMETERS
}

/// Whether `word` is a non-parameter word (`include`, `version`, `config`,
/// `conn`, `%default`, `also`, `alsoflip`); case-sensitive, as libreswan is.
pub fn is_non_parameter_word(word: &str) -> bool {
    non_parameter_docs(word).is_some()
}

/// The description of a non-parameter word.
pub fn non_parameter_docs(word: &str) -> Option<&'static str> {
    non_parameter_words().iter().find(|n| n.word == word).map(|n| n.docs)
}

/// User extension keys (`x-foo`, `x_foo`) are accepted and passed on untouched.
pub fn is_user_extension(key: &str) -> bool {
    syntax::is_user_extension(key)
}

/// The man page's words on user extensions.
pub const USER_EXTENSION_DOCS: &str = generated::USER_EXTENSION_DOCS;
