//! Checks that need the keyword catalogue: unknown keywords, keywords in the wrong
//! section or unknown to the chosen libreswan version, obsolete and aliased names,
//! invalid values, bare pair names, and the security advice of ipsec.conf(5).
//!
//! Resolution runs [`check_sections`] over every section of every file (so a line is
//! reported once, wherever it is used) and [`check_conn`] over each resolved conn.

// Fx hashing: these maps are read for every line of large files.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use syntax::{TextRange, TextSize};

use crate::catalogue::{self, Keyword, Lookup, SectionKind, Side, Versions};
use crate::diagnostics::{Diagnostic, Severity, codes};
use crate::include::{self, Entry, RawSection};
use crate::resolve::ResolvedConn;
use crate::source::Source;
use crate::value_check;

/// The libreswan release a file is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LibreswanVersion {
    /// 3.20 and the 3.x releases close to it.
    V3_20,
    /// 4.x (the catalogue's facts come from 4.10).
    #[default]
    V4,
    /// The current development version (5.x).
    Current,
}

impl LibreswanVersion {
    /// Whether a keyword (or fact) marked with `versions` applies to this release.
    pub fn knows(self, versions: Versions) -> bool {
        match self {
            LibreswanVersion::V3_20 => versions.v3_20,
            LibreswanVersion::V4 => versions.v4_10,
            LibreswanVersion::Current => versions.current,
        }
    }

    /// How the release is named in messages: `3.20`, `4.x`, `current`.
    pub fn name(self) -> &'static str {
        match self {
            LibreswanVersion::V3_20 => "3.20",
            LibreswanVersion::V4 => "4.x",
            LibreswanVersion::Current => "current",
        }
    }

    /// Reads `3`, `3.20`, `4`, `4.x`, `4.10` or `current`.
    pub fn parse(text: &str) -> Option<LibreswanVersion> {
        match text.trim().to_ascii_lowercase().as_str() {
            "3" | "3.20" | "3.x" => Some(LibreswanVersion::V3_20),
            "4" | "4.x" | "4.10" => Some(LibreswanVersion::V4),
            "current" | "5" | "5.x" | "main" => Some(LibreswanVersion::Current),
            _ => None,
        }
    }
}

/// The name that identifies a key's setting: aliases map to one name (the end of the
/// alias chain; for names that alias each other, the alphabetically first), bare pair
/// names to `right*` (as 3.20/4.x read them) and `left-X` to `leftX`. `None` when the
/// key is unknown or already canonical. Meant for `ResolveOptions::canonical_key`.
pub fn canonical_key(key: &str) -> Option<&'static str> {
    // Resolution asks once per value: a map built once keeps that off the catalogue scan.
    static CANONICAL: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let map = CANONICAL.get_or_init(|| {
        let mut map = HashMap::default();
        for keyword in catalogue::keywords() {
            let mut spellings = vec![keyword.name.to_string()];
            if keyword.left_right {
                for side in ["left", "right"] {
                    spellings.push(format!("{side}{}", keyword.name));
                    spellings.push(format!("{side}-{}", keyword.name));
                }
            }
            for spelling in spellings {
                let Some(lookup) = catalogue::lookup(&spelling) else { continue };
                let canonical = canonical_spelling(&lookup);
                if canonical != spelling
                    && let Some(name) = canonical_names().get(canonical.as_str())
                {
                    map.insert(spelling, name.as_str());
                }
            }
        }
        map
    });
    map.get(key).copied()
}

fn canonical_spelling(lookup: &Lookup) -> String {
    let base = alias_root(lookup.keyword);
    if !lookup.keyword.left_right {
        return base.to_string();
    }
    let side = if lookup.side == Some(Side::Left) { "left" } else { "right" };
    format!("{side}{base}")
}

/// Follows `alias_of` to the name it ends at; a cycle ends at its smallest name.
fn alias_root(keyword: &Keyword) -> &'static str {
    let mut seen: Vec<&'static str> = vec![keyword.name];
    let mut current = keyword;
    while let Some(target) = current.alias_of {
        if seen.contains(&target) {
            let start = seen.iter().position(|n| *n == target).unwrap_or(0);
            return seen[start..].iter().copied().min().unwrap_or(target);
        }
        let Some(next) = catalogue::keywords().iter().find(|k| k.name == target && k.section == keyword.section) else {
            return target;
        };
        seen.push(target);
        current = next;
    }
    current.name
}

/// Every canonical spelling, so [`canonical_key`] can hand out `&'static str`.
fn canonical_names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashSet::default();
        for keyword in catalogue::keywords() {
            let base = alias_root(keyword);
            if keyword.left_right {
                names.insert(format!("left{base}"));
                names.insert(format!("right{base}"));
            } else {
                names.insert(base.to_string());
            }
        }
        names
    })
}

/// Checks every line of `sections` (the files' own sections, not the implicit conns).
pub(crate) fn check_sections(
    sections: &[RawSection],
    files: &[Source],
    version: LibreswanVersion,
    out: &mut Vec<Diagnostic>,
) {
    for section in sections {
        check_section(section, &files[section.file.index()].text, version, out);
    }
}

/// Checks every line of `section`, written in `text`.
pub(crate) fn check_section(section: &RawSection, text: &str, version: LibreswanVersion, out: &mut Vec<Diagnostic>) {
    let kind = match section.kind {
        include::SectionKind::Setup => SectionKind::Config,
        include::SectionKind::Conn => SectionKind::Conn,
    };
    for entry in section.entries.iter() {
        if matches!(entry.key.as_str(), "also" | "alsoflip") || catalogue::is_user_extension(&entry.key) {
            continue;
        }
        let mut checker = EntryChecker { section, entry, text, version, out };
        checker.check(kind);
    }
}

struct EntryChecker<'a> {
    section: &'a RawSection,
    entry: &'a Entry,
    /// The text of the entry's file.
    text: &'a str,
    version: LibreswanVersion,
    out: &'a mut Vec<Diagnostic>,
}

impl EntryChecker<'_> {
    fn push(&mut self, code: &'static str, severity: Severity, range: TextRange, message: String) {
        self.out.push(Diagnostic::new(code, severity, self.section.file, range, message));
    }

    fn check(&mut self, kind: SectionKind) {
        let key = self.entry.key.as_str();
        let Some(lookup) = catalogue::lookup_in(key, Some(kind)) else {
            self.unknown_or_misplaced(kind);
            return;
        };
        if !self.check_spelling(&lookup) {
            return;
        }
        let keyword = lookup.keyword;
        if !self.version.knows(keyword.versions) {
            let message = format!(
                "libreswan {} does not know `{key}` (known to: {})",
                self.version.name(),
                keyword.versions.describe()
            );
            self.push(codes::KEYWORD_VERSION, Severity::Error, self.section.at(self.entry.key_range), message);
        }
        self.check_name(keyword);
        self.check_value(keyword);
    }

    fn unknown_or_misplaced(&mut self, kind: SectionKind) {
        let key = self.entry.key.as_str();
        let (here, there) = match kind {
            SectionKind::Config => ("`config setup`", "a conn"),
            SectionKind::Conn => ("a conn", "`config setup`"),
        };
        if catalogue::lookup(key).is_some() {
            let message = format!("`{key}` belongs in {there}, not in {here}");
            self.push(codes::KEYWORD_SECTION, Severity::Error, self.section.at(self.entry.key_range), message);
            return;
        }
        let suggestions = catalogue::suggest(key, Some(kind));
        let mut message = format!("unknown keyword `{key}` in {here}");
        if !suggestions.is_empty() {
            let names: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
            message.push_str(&format!("; did you mean {}?", names.join(" or ")));
        }
        self.push(codes::KEYWORD_UNKNOWN, Severity::Error, self.section.at(self.entry.key_range), message);
    }

    /// `left-X` (current only) and bare pair names; false when nothing more is worth saying.
    fn check_spelling(&mut self, lookup: &Lookup) -> bool {
        let key = self.entry.key.as_str();
        let keyword = lookup.keyword;
        if lookup.bare_side {
            let right = keyword.spelled(Some(Side::Right));
            let left = keyword.spelled(Some(Side::Left));
            if self.version == LibreswanVersion::Current {
                let message =
                    format!("current libreswan does not accept the bare `{key}=`; write `{left}=` or `{right}=`");
                self.push(codes::KEYWORD_VERSION, Severity::Error, self.section.at(self.entry.key_range), message);
                return false;
            }
            let message = format!(
                "libreswan {} silently reads `{key}=` as `{right}=`; write `{right}=` (or `{left}=` if that was meant)",
                self.version.name()
            );
            self.push(codes::KEYWORD_BARE_SIDE, Severity::Warning, self.section.at(self.entry.key_range), message);
        }
        let dashed = lookup.side.is_some() && ["left-", "right-"].iter().any(|p| key.starts_with(p));
        if dashed && self.version != LibreswanVersion::Current {
            let message = format!(
                "libreswan {} does not accept `{key}` (a current-only spelling); write `{}`",
                self.version.name(),
                keyword.spelled(lookup.side)
            );
            self.push(codes::KEYWORD_VERSION, Severity::Error, self.section.at(self.entry.key_range), message);
            return false;
        }
        true
    }

    /// Obsolete and aliased names.
    fn check_name(&mut self, keyword: &Keyword) {
        let key = self.entry.key.clone();
        if let Some(obsolete) = keyword.obsolete.filter(|o| self.version.knows(o.in_versions)) {
            let mut message = format!("`{key}` is obsolete in libreswan {} and ignored", self.version.name());
            match obsolete.replacement {
                Some(replacement) if replacement.starts_with('(') => message.push_str(&format!(" {replacement}")),
                Some(replacement) => message.push_str(&format!("; use `{replacement}` instead")),
                None => message.push_str("; remove it"),
            }
            self.push(codes::KEYWORD_OBSOLETE, Severity::Warning, self.section.at(self.entry.key_range), message);
            return;
        }
        let Some(target) = keyword.alias_of else { return };
        // Two names listed as aliases of each other are both current in some release.
        let mutual = catalogue::keywords()
            .iter()
            .any(|k| k.name == target && k.section == keyword.section && k.alias_of == Some(keyword.name));
        if mutual {
            return;
        }
        let current = if keyword.left_right {
            let side = if key.starts_with("left") { Side::Left } else { Side::Right };
            format!("{}{target}", if side == Side::Left { "left" } else { "right" })
        } else {
            target.to_string()
        };
        let message = format!("`{key}` is another name for `{current}`; prefer the current name `{current}`");
        self.push(codes::KEYWORD_ALIAS, Severity::Info, self.section.at(self.entry.key_range), message);
    }

    fn check_value(&mut self, keyword: &Keyword) {
        let value = self.entry.value.as_str();
        if let Err(problem) = value_check::check_value(keyword, value) {
            let range = narrow(self.text, self.section.at(self.entry.value_range), &problem.message);
            self.push(
                codes::VALUE_INVALID,
                Severity::Error,
                range,
                format!("invalid `{}=`: {problem}", self.entry.key),
            );
            return;
        }
        if let Some(message) = release_limit(keyword, value, self.version) {
            let message = format!("invalid `{}=` for libreswan {}: {message}", self.entry.key, self.version.name());
            self.push(codes::VALUE_INVALID, Severity::Error, self.section.at(self.entry.value_range), message);
            return;
        }
        if is_aggressive(keyword) && is_yes(value) {
            self.push(
                codes::ADVICE_AGGRESSIVE_MODE,
                Severity::Warning,
                self.section.at(self.entry.value_range),
                format!(
                    "`{}={value}` enables IKEv1 Aggressive Mode. ipsec.conf(5): \"{AGGRESSIVE_REASON}\"",
                    self.entry.key
                ),
            );
        }
        if keyword.kind == catalogue::ValueKind::Proposals {
            self.check_algorithms();
        }
    }

    /// Weak algorithms in a proposal list that parsed.
    fn check_algorithms(&mut self) {
        let range = self.section.at(self.entry.value_range);
        let Some(raw) = self.text.get(usize::from(range.start())..usize::from(range.end())) else { return };
        for (offset, token) in tokens(raw) {
            let lower = token.to_ascii_lowercase();
            let Some((code, message)) = weakness(&lower) else { continue };
            let start = range.start() + TextSize::from(offset as u32);
            let token_range = TextRange::at(start, TextSize::of(token));
            self.push(code, Severity::Warning, token_range, format!("`{token}` in `{}=`: {message}", self.entry.key));
        }
    }
}

/// Values the catalogue's merged spellings allow but one release refuses. Each was
/// checked with libreswan 4.10's readwriteconf, which then cannot load the conn.
fn release_limit(keyword: &Keyword, value: &str, version: LibreswanVersion) -> Option<String> {
    use catalogue::ValueKind;
    if keyword.name == "ckaid" && !value.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(format!("`{value}` is not a CKA_ID in hexadecimal"));
    }
    if version == LibreswanVersion::Current {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    let magic = value.starts_with('%') || lower.starts_with("vhost:") || lower.starts_with("vnet:");
    match keyword.kind {
        // "bad subnet … [no / in subnet specification]"
        ValueKind::Subnet if !magic => {
            value.split(',').map(str::trim).find(|part| !part.is_empty() && !part.contains('/')).map(|part| {
                format!("`{part}` needs a prefix length, as in `{part}/32` (later releases take a bare address)")
            })
        }
        // "bad leftaddresspool=… [non-decimal digit in number]"
        // (4.10 ignores one trailing comma.)
        ValueKind::AddressRange if value.trim_end_matches(',').contains(',') => {
            Some("one range or subnet only; lists of pools came in a later release".to_string())
        }
        // "bad IPv6 leftaddresspool=::-::ffff not subnet"
        ValueKind::AddressRange if value.contains('-') && value.contains(':') => {
            Some("an IPv6 pool must be written as a subnet, such as `2001:db8::/120`".to_string())
        }
        // "connection authby= value is unknown"
        _ if keyword.name == "authby" => value
            .split(',')
            .map(str::trim)
            .find(|method| ["eddsa", "gssapi"].iter().any(|m| method.eq_ignore_ascii_case(m)))
            .map(|method| format!("`{method}` is not an authentication method this release knows")),
        _ => None,
    }
}

const AGGRESSIVE_REASON: &str = "Aggressive Mode is less secure, and more vulnerable to Denial Of Service attacks. \
It is also vulnerable to brute force attacks with software such as ikecrack. It should not be used, and it should \
especially not be used with XAUTH and group secrets (PSK).";

/// The two names of IKEv1 Aggressive Mode (each an alias of the other in some release).
const AGGRESSIVE_KEYS: [&str; 2] = ["aggrmode", "aggressive"];

fn is_aggressive(keyword: &Keyword) -> bool {
    AGGRESSIVE_KEYS.contains(&keyword.name)
}

fn is_yes(value: &str) -> bool {
    ["yes", "y", "true", "on", "1"].iter().any(|w| w.eq_ignore_ascii_case(value))
}

/// Words of a proposal list with their byte offsets.
fn tokens(raw: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    raw.split([',', '-', ';', '+', '!', '"', ' ', '\t']).filter_map(move |token| {
        let offset = start;
        start += token.len() + 1;
        (!token.is_empty()).then_some((offset, token))
    })
}

/// The man page's verdict on one algorithm word, if it has one.
fn weakness(word: &str) -> Option<(&'static str, &'static str)> {
    const MD5: &[&str] = &["md5", "md5_96", "hmac_md5", "hmac_md5_96"];
    const SHA1: &[&str] = &["sha", "sha1", "sha1_96", "hmac_sha1", "hmac_sha1_96"];
    const WEAK_DH: &[&str] = &["modp768", "modp1024", "dh1", "dh2"];
    const RFC5114: &[&str] = &["dh22", "dh23", "dh24"];
    let weak = "ipsec.conf(5): \"Weak algorithms are regularly removed from libreswan. [...] MD5 and SHA1 will be \
removed within the next few years.\"";
    if MD5.contains(&word) || SHA1.contains(&word) {
        return Some((codes::ADVICE_WEAK_INTEGRITY, weak));
    }
    if matches!(word, "3des" | "3des_cbc") {
        return Some((
            codes::ADVICE_WEAK_CIPHER,
            "3DES is a weak cipher; ipsec.conf(5): \"3DES and MODP1024(dh2) are not allowed per default\"",
        ));
    }
    if WEAK_DH.contains(&word) {
        return Some((
            codes::ADVICE_WEAK_DH,
            "ipsec.conf(5): \"modp768(DH1) have been removed and modp1024(DH2) has been disabled at compile time\"",
        ));
    }
    if RFC5114.contains(&word) {
        return Some((
            codes::ADVICE_RFC5114_DH,
            "ipsec.conf(5): \"These DH groups are extremely controversial and MUST NOT be used unless forced \
(administratively) by the other party\" (RFC 5114 groups; it cannot be proven they contain no trapdoor)",
        ));
    }
    None
}

/// The part of the value a problem message quotes (`` `word` ``, the first quoted text
/// that is a whole word of the value), else the whole value without its quotes.
fn narrow(text: &str, range: TextRange, message: &str) -> TextRange {
    let Some(raw) = text.get(usize::from(range.start())..usize::from(range.end())) else { return range };
    let quote = usize::from(raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"'));
    let inner = &raw[quote..raw.len() - quote];
    let lower = inner.to_ascii_lowercase();
    let at = |offset: usize, len: usize| {
        TextRange::at(range.start() + TextSize::from((quote + offset) as u32), TextSize::from(len as u32))
    };
    let boundary = |i: usize| {
        i == 0
            || i == lower.len()
            || !lower.as_bytes()[i - 1].is_ascii_alphanumeric()
            || !lower.as_bytes()[i].is_ascii_alphanumeric()
    };
    for fragment in message.split('`').skip(1).step_by(2).map(str::to_ascii_lowercase) {
        if fragment.is_empty() {
            continue;
        }
        let found = lower
            .match_indices(fragment.as_str())
            .map(|(i, _)| i)
            .find(|&i| boundary(i) && boundary(i + fragment.len()));
        if let Some(offset) = found {
            return at(offset, fragment.len());
        }
    }
    at(0, inner.len())
}

/// `conn`'s value for aggressive mode, the one [`check_conn`] starts from. Keys are
/// stored lower-case, so the two spellings can be compared directly.
fn aggressive_mode(conn: &ResolvedConn) -> Option<crate::ValueRef<'_>> {
    conn.values.iter().find(|v| AGGRESSIVE_KEYS.contains(&v.key.as_str()))
}

/// Whether `conn` has a key for aggressive mode.
pub(crate) fn sets_aggressive_mode(conn: &ResolvedConn) -> bool {
    aggressive_mode(conn).is_some()
}

/// Checks on a resolved conn, where values from `%default` and `also=` meet.
pub(crate) fn check_conn(conn: &ResolvedConn, out: &mut Vec<Diagnostic>) {
    let Some(aggressive) = aggressive_mode(conn).filter(|v| is_yes(v.value)) else { return };
    let Some(authby) = conn.values.get("authby") else { return };
    let uses_psk = authby.value.split([',', '|', ' ']).any(|w| w.eq_ignore_ascii_case("secret"));
    if !uses_psk {
        return;
    }
    out.push(
        Diagnostic::warning(
            codes::ADVICE_PSK_AGGRESSIVE,
            authby.file(),
            authby.value_range(),
            format!(
                "`authby={}` together with aggressive mode; ipsec.conf(5): aggressive mode \"should especially not \
be used with XAUTH and group secrets (PSK)\"",
                authby.value
            ),
        )
        .with_related(aggressive.file(), aggressive.value_range(), "aggressive mode enabled here"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(key: &str, value: &str, version: LibreswanVersion) -> Option<String> {
        let keyword = catalogue::lookup(key).expect("known keyword").keyword;
        release_limit(keyword, value, version)
    }

    /// Each refusal was seen in readwriteconf 4.10; current libreswan takes them.
    #[test]
    fn release_limits_of_4_x() {
        use LibreswanVersion::{Current, V4};
        let refused = [
            ("leftsubnet", "192.0.2.1", "needs a prefix length"),
            ("rightsubnet", "10.0.0.0/8,192.0.2.1", "`192.0.2.1` needs a prefix length"),
            ("leftaddresspool", "10.0.0.1-10.0.0.9,10.1.0.1-10.1.0.9", "one range or subnet only"),
            ("leftaddresspool", "::-::ffff", "IPv6 pool must be written as a subnet"),
            ("authby", "rsasig,eddsa", "`eddsa` is not an authentication method"),
            ("authby", "gssapi", "`gssapi`"),
        ];
        for (key, value, expected) in refused {
            let message = limit(key, value, V4).unwrap_or_else(|| panic!("{key}={value} should be refused by 4.x"));
            assert!(message.contains(expected), "{key}={value}: {message}");
            assert_eq!(limit(key, value, Current), None, "{key}={value} is fine for current");
        }
        let accepted = [
            ("leftsubnet", "192.0.2.1/32"),
            ("leftsubnet", "vhost:%priv"),
            ("leftaddresspool", "192.168.1.0/24,"),
            ("leftaddresspool", "::/120"),
            ("leftaddresspool", "10.0.0.1-10.0.0.9"),
            ("authby", "rsasig,ecdsa"),
        ];
        for (key, value) in accepted {
            assert_eq!(limit(key, value, V4), None, "{key}={value}");
        }
        // A CKA_ID is hexadecimal in every release.
        assert!(limit("leftckaid", "@@EAST_CKAID@@", Current).is_some());
        assert_eq!(limit("leftckaid", "a1b2c3", V4), None);
    }
}
