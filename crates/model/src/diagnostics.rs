//! Diagnostics: what is wrong, where, and how badly.
//!
//! Every diagnostic carries a stable, kebab-case `code` from [`codes`]; the table in
//! `crates/model/DIAGNOSTICS.md` documents each one. Codes never change meaning, so
//! tools (editors, CI filters) can rely on them.

use syntax::TextRange;

use crate::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Another place that explains a diagnostic (the first definition, the other value…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identifier, one of [`codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, file: FileId, range: TextRange, message: String) -> Self {
        Diagnostic { code, severity, file, range, message, related: Vec::new() }
    }

    pub fn error(code: &'static str, file: FileId, range: TextRange, message: String) -> Self {
        Self::new(code, Severity::Error, file, range, message)
    }

    pub fn warning(code: &'static str, file: FileId, range: TextRange, message: String) -> Self {
        Self::new(code, Severity::Warning, file, range, message)
    }

    pub fn with_related(mut self, file: FileId, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related { file, range, message: message.into() });
        self
    }
}

/// The stable diagnostic codes. Grouped by prefix: `syntax-`, `include-`, `section-`,
/// `key-`, `also-`, `conn-`, `policy-` (policy group files); checks that need the
/// keyword catalogue use `keyword-`, `value-` and `advice-` (security advice from
/// ipsec.conf(5)).
pub mod codes {
    /// A syntax error or warning reported by `syntax::parse`.
    pub const SYNTAX: &str = "syntax";
    /// `include` pattern that matches no file.
    pub const INCLUDE_NO_MATCH: &str = "include-no-match";
    /// An included file that exists but cannot be read (not UTF-8, permission…).
    pub const INCLUDE_UNREADABLE: &str = "include-unreadable";
    /// A file that includes itself, directly or through others.
    pub const INCLUDE_CYCLE: &str = "include-cycle";
    /// Includes nested more than ten files deep.
    pub const INCLUDE_DEPTH: &str = "include-depth";
    /// An `include` line without a pattern, or a pattern that is not a valid glob.
    pub const INCLUDE_PATTERN: &str = "include-pattern";
    /// A file with CRLF line endings: libreswan reads the `\r` into every value.
    pub const FILE_CRLF: &str = "file-crlf";
    /// Two `conn` sections with the same name.
    pub const SECTION_DUPLICATE: &str = "section-duplicate";
    /// A second `config setup` section (libreswan ignores it).
    pub const SECTION_SECOND_SETUP: &str = "section-second-setup";
    /// A `config` section not named `setup`.
    pub const SECTION_CONFIG_NAME: &str = "section-config-name";
    /// The same parameter twice in one section.
    pub const KEY_DUPLICATE: &str = "key-duplicate";
    /// A parameter brought in by `also=`/`alsoflip=` that is already set.
    pub const ALSO_CONFLICT: &str = "also-conflict";
    /// `also=` names no conn.
    pub const ALSO_MISSING: &str = "also-missing";
    /// `also=` names a section of another type, or appears in `config setup`.
    pub const ALSO_WRONG_TYPE: &str = "also-wrong-type";
    /// `also=` leads back to a section already on the chain.
    pub const ALSO_CYCLE: &str = "also-cycle";
    /// One section lists the same `also=` target twice.
    pub const ALSO_DUPLICATE: &str = "also-duplicate";
    /// `also=` inside `conn %default`.
    pub const ALSO_IN_DEFAULT: &str = "also-in-default";
    /// More than 32 sections appended through `also=` (libreswan's limit).
    pub const ALSO_LIMIT: &str = "also-limit";
    /// Two parameters that exclude each other are both set.
    pub const CONN_EXCLUSIVE: &str = "conn-exclusive";
    /// A conn (not used as an `also=` target) without `left=` or `right=`.
    pub const CONN_MISSING_ENDPOINT: &str = "conn-missing-endpoint";

    /// A policy group file line that is not `CIDR [protocol source-port dest-port]`.
    pub const POLICY_BAD_LINE: &str = "policy-bad-line";
    /// A policy group block with host bits set (the network is used).
    pub const POLICY_HOST_BITS: &str = "policy-host-bits";
    /// A block already listed for the same source, in this file or another group's.
    pub const POLICY_DUPLICATE_BLOCK: &str = "policy-duplicate-block";
    /// A policy group file that exists but cannot be read.
    pub const POLICY_UNREADABLE: &str = "policy-unreadable";
    /// A keyword the catalogue does not know (with did-you-mean suggestions).
    pub const KEYWORD_UNKNOWN: &str = "keyword-unknown";
    /// A `config setup` keyword in a conn, or a conn keyword in `config setup`.
    pub const KEYWORD_SECTION: &str = "keyword-section";
    /// A keyword (or spelling) the chosen libreswan version does not accept.
    pub const KEYWORD_VERSION: &str = "keyword-version";
    /// A keyword the chosen version accepts only to ignore it.
    pub const KEYWORD_OBSOLETE: &str = "keyword-obsolete";
    /// An old or alternative name of a keyword.
    pub const KEYWORD_ALIAS: &str = "keyword-alias";
    /// A bare pair name (`subnet=`) that 3.20/4.x silently read as `right*`.
    pub const KEYWORD_BARE_SIDE: &str = "keyword-bare-side";
    /// A value the keyword does not accept.
    pub const VALUE_INVALID: &str = "value-invalid";
    /// `aggressive=yes`/`aggrmode=yes`.
    pub const ADVICE_AGGRESSIVE_MODE: &str = "advice-aggressive-mode";
    /// `authby=secret` in a conn that uses aggressive mode.
    pub const ADVICE_PSK_AGGRESSIVE: &str = "advice-psk-aggressive";
    /// MD5 or SHA1 in a proposal list.
    pub const ADVICE_WEAK_INTEGRITY: &str = "advice-weak-integrity";
    /// 3DES in a proposal list.
    pub const ADVICE_WEAK_CIPHER: &str = "advice-weak-cipher";
    /// `modp1024` (DH2) or weaker in a proposal list.
    pub const ADVICE_WEAK_DH: &str = "advice-weak-dh";
    /// The RFC 5114 groups `dh22`, `dh23`, `dh24`.
    pub const ADVICE_RFC5114_DH: &str = "advice-rfc5114-dh";

    /// Every code defined here, for documentation tests.
    pub const ALL: &[&str] = &[
        SYNTAX,
        INCLUDE_NO_MATCH,
        INCLUDE_UNREADABLE,
        INCLUDE_CYCLE,
        INCLUDE_DEPTH,
        INCLUDE_PATTERN,
        FILE_CRLF,
        SECTION_DUPLICATE,
        SECTION_SECOND_SETUP,
        SECTION_CONFIG_NAME,
        KEY_DUPLICATE,
        ALSO_CONFLICT,
        ALSO_MISSING,
        ALSO_WRONG_TYPE,
        ALSO_CYCLE,
        ALSO_DUPLICATE,
        ALSO_IN_DEFAULT,
        ALSO_LIMIT,
        CONN_EXCLUSIVE,
        CONN_MISSING_ENDPOINT,
        POLICY_BAD_LINE,
        POLICY_HOST_BITS,
        POLICY_DUPLICATE_BLOCK,
        POLICY_UNREADABLE,
        KEYWORD_UNKNOWN,
        KEYWORD_SECTION,
        KEYWORD_VERSION,
        KEYWORD_OBSOLETE,
        KEYWORD_ALIAS,
        KEYWORD_BARE_SIDE,
        VALUE_INVALID,
        ADVICE_AGGRESSIVE_MODE,
        ADVICE_PSK_AGGRESSIVE,
        ADVICE_WEAK_INTEGRITY,
        ADVICE_WEAK_CIPHER,
        ADVICE_WEAK_DH,
        ADVICE_RFC5114_DH,
    ];
}
