//! Checks a parameter's value against its keyword's kind, with messages that
//! name what is wrong.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::catalogue::{Keyword, TimeUnit, ValueKind};

pub use crate::proposals::{Proposal, ProposalKind, parse_proposals};

/// Why a value is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueProblem {
    pub message: String,
}

impl ValueProblem {
    pub fn new(message: impl Into<String>) -> Self {
        ValueProblem { message: message.into() }
    }
}

impl std::fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

type Check = Result<(), ValueProblem>;

fn problem<T>(message: impl Into<String>) -> Result<T, ValueProblem> {
    Err(ValueProblem::new(message))
}

/// Checks `value` (already unquoted) for `keyword`. An empty value means
/// "the default" and is always accepted.
pub fn check_value(keyword: &Keyword, value: &str) -> Check {
    if value.is_empty() {
        return Ok(());
    }
    if is_magic(keyword, value) {
        return Ok(());
    }
    match keyword.kind {
        ValueKind::Bool | ValueKind::Enum => check_word(keyword, value),
        ValueKind::EnumList => check_word_list(keyword, value),
        ValueKind::LooseEnum | ValueKind::String | ValueKind::Path | ValueKind::Ignored => Ok(()),
        ValueKind::Integer => parse_integer(value).map(drop),
        ValueKind::Size => check_size(value),
        ValueKind::Decimal => check_decimal(value),
        ValueKind::Time => parse_time(value, keyword.time_unit).map(drop),
        ValueKind::Percent => check_percent(value),
        ValueKind::Address => check_address(value),
        ValueKind::Host => check_host(keyword, value),
        ValueKind::Subnet => check_subnet_value(keyword, value),
        ValueKind::SubnetList => check_subnet_list(value),
        ValueKind::AddressRange => check_range(value),
        ValueKind::ProtoPort => check_protoport(value),
        ValueKind::List => check_list(value),
        ValueKind::Id => check_id(value),
        ValueKind::Proposals => parse_proposals(ProposalKind::for_keyword(keyword.name), value).map(drop),
        ValueKind::PublicKey => check_public_key(keyword, value),
        ValueKind::SectionName => check_section_name(value),
    }
}

fn is_magic(keyword: &Keyword, value: &str) -> bool {
    keyword.magic.iter().any(|m| !m.ends_with(':') && m.eq_ignore_ascii_case(value))
}

fn one_of(words: &[&str]) -> String {
    words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

fn check_word(keyword: &Keyword, value: &str) -> Check {
    if keyword.values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
        return Ok(());
    }
    let what = if keyword.kind == ValueKind::Bool { "a boolean" } else { "an accepted value" };
    problem(format!("`{value}` is not {what}; expected one of {}", one_of(keyword.values)))
}

fn check_word_list(keyword: &Keyword, value: &str) -> Check {
    for word in value.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        // plutodebug words may be negated (`no-`) or spelled with a `debug-` prefix.
        let bare = word.strip_prefix("no-").or_else(|| word.strip_prefix("debug-")).unwrap_or(word);
        if !keyword.values.iter().any(|v| v.eq_ignore_ascii_case(word) || v.eq_ignore_ascii_case(bare)) {
            return problem(format!(
                "`{word}` is not an accepted word; expected words from {}",
                one_of(keyword.values)
            ));
        }
    }
    Ok(())
}

/// A non-negative decimal integer.
pub fn parse_integer(value: &str) -> Result<u64, ValueProblem> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return problem(format!("`{value}` is not a whole number (digits only)"));
    }
    value.parse().or_else(|_| problem(format!("`{value}` is too large")))
}

fn check_size(value: &str) -> Check {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return problem(format!("`{value}` does not start with a number"));
    }
    let suffix = &value[digits..];
    const SUFFIXES: &[&str] = &[
        "", "b", "k", "m", "g", "t", "p", "e", "ki", "mi", "gi", "ti", "pi", "ei", "kib", "mib", "gib", "tib", "pib",
        "eib",
    ];
    if SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(suffix)) {
        Ok(())
    } else {
        problem(format!("unknown size suffix `{suffix}` in `{value}`; use KiB, MiB, GiB, TiB, PiB or EiB"))
    }
}

fn check_decimal(value: &str) -> Check {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && digits(fraction) { Ok(()) } else { problem(format!("`{value}` is not a decimal number")) }
}

/// A duration in milliseconds. A bare number is in `unit`; `ms`, `s`, `m`,
/// `h`, `d`, `w` suffixes are accepted (with a decimal number before them).
pub fn parse_time(value: &str, unit: TimeUnit) -> Result<u64, ValueProblem> {
    let number_len = value.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    let (number, suffix) = value.split_at(number_len);
    if number.is_empty() {
        return problem(format!("`{value}` is not a time: it must start with a number"));
    }
    let factor: u64 = match suffix.to_ascii_lowercase().as_str() {
        "" => match unit {
            TimeUnit::Seconds => 1000,
            TimeUnit::Milliseconds => 1,
        },
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return problem(format!("unknown time unit `{suffix}` in `{value}`; use ms, s, m, h, d or w")),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || fraction.contains('.') || (number.contains('.') && fraction.is_empty()) {
        return problem(format!("`{number}` in `{value}` is not a number"));
    }
    let whole: u64 = whole.parse().or_else(|_| problem(format!("`{value}` is too large")))?;
    let mut total = whole.checked_mul(factor).ok_or_else(|| ValueProblem::new(format!("`{value}` is too large")))?;
    // Fractional digits beyond the unit's resolution are dropped.
    let mut scale = factor;
    for digit in fraction.bytes().map(|b| u64::from(b - b'0')) {
        scale /= 10;
        total = total.saturating_add(digit * scale);
    }
    Ok(total)
}

/// A time keyword's value in milliseconds, or `None` when the keyword is not
/// a time or the value does not parse. Lets `ikelifetime=1h` compare equal to
/// libreswan's printed `3600000`.
pub fn normalize_time(keyword: &Keyword, value: &str) -> Option<u64> {
    if keyword.kind != ValueKind::Time {
        return None;
    }
    parse_time(value, keyword.time_unit).ok()
}

fn check_percent(value: &str) -> Check {
    let Some(number) = value.strip_suffix('%') else {
        return problem(format!("`{value}` lacks the `%` sign: write `{value}%`"));
    };
    parse_integer(number).map(drop).or_else(|_| problem(format!("`{number}` before `%` is not a whole number")))
}

fn parse_address(value: &str) -> Result<IpAddr, ValueProblem> {
    value.parse().or_else(|_| problem(format!("`{value}` is not an IPv4 or IPv6 address")))
}

fn check_address(value: &str) -> Check {
    parse_address(value).map(drop)
}

fn looks_numeric_v4(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_digit() || b == b'.') && value.contains('.')
}

fn check_host(keyword: &Keyword, value: &str) -> Check {
    if let Some(name) = value.strip_prefix('%') {
        // ipsec.conf(5): "The value can also contain the interface name … For
        // example %ppp0". A word close to a magic value is more likely a typo.
        let close_to_magic = keyword
            .magic
            .iter()
            .any(|m| strsim::jaro_winkler(&m.to_ascii_lowercase(), &value.to_ascii_lowercase()) > 0.85);
        if !close_to_magic && looks_like_interface(name) {
            return Ok(());
        }
        return problem(format!(
            "`{value}` is not a known magic value; expected an address, a name or {}",
            one_of(keyword.magic)
        ));
    }
    if value.contains(':') || looks_numeric_v4(value) {
        return check_address(value);
    }
    check_dns_name(value)
}

/// `eth0`, `ppp0`, `enp0s3`, `wlan1`, `br-lan`: letters, then letters, digits,
/// `-`, `.` or `_`, with at least one digit (Linux names are at most 15 bytes).
fn looks_like_interface(name: &str) -> bool {
    name.len() <= 15
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && name.chars().any(|c| c.is_ascii_digit())
}

fn check_dns_name(value: &str) -> Check {
    let name = value.strip_suffix('.').unwrap_or(value);
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return problem(format!("`{value}` is not a valid host name (empty or over-long label)"));
        }
        if let Some(bad) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
            return problem(format!("`{value}` is not a valid host name: `{bad}` is not allowed"));
        }
    }
    Ok(())
}

/// One subnet: `network/prefix` or a single address.
pub fn parse_subnet(value: &str) -> Result<IpNet, ValueProblem> {
    if value.contains('/') {
        let (address, prefix) = value.split_once('/').unwrap_or((value, ""));
        let address = parse_address(address).or_else(|error| shorthand_ipv4(address).ok_or(error))?;
        let prefix: u8 =
            prefix.parse().or_else(|_| problem(format!("prefix length `{prefix}` in `{value}` is not a number")))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        return IpNet::new(address, prefix)
            .or_else(|_| problem(format!("prefix length /{prefix} in `{value}` is larger than {max}")));
    }
    Ok(IpNet::from(parse_address(value)?))
}

/// libreswan reads a subnet's address like inet_aton: `0/0`, `10/8` and `10.1/16`
/// are `0.0.0.0/0`, `10.0.0.0/8` and `10.0.0.1/16` (masked to `10.0.0.0/16`).
fn shorthand_ipv4(address: &str) -> Option<IpAddr> {
    let parts: Vec<u32> = address.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let value = match parts[..] {
        [a] => a,
        [a, b] if a < 256 && b < (1 << 24) => a << 24 | b,
        [a, b, c] if a < 256 && b < 256 && c < (1 << 16) => a << 24 | b << 16 | c,
        _ => return None,
    };
    Some(IpAddr::from(std::net::Ipv4Addr::from(value)))
}

fn check_subnet_value(keyword: &Keyword, value: &str) -> Check {
    let lower = value.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("vhost:").or_else(|| lower.strip_prefix("vnet:")) {
        for part in rest.split(',') {
            if !(["%no", "%priv", "%all"].contains(&part) || parse_subnet(part).is_ok()) {
                return problem(format!(
                    "`{part}` after `{}` is not %no, %priv, %all or a subnet",
                    &value[..value.len() - rest.len()]
                ));
            }
        }
        return Ok(());
    }
    if value.starts_with('%') {
        return problem(format!("`{value}` is not a magic value this keyword accepts ({})", one_of(keyword.magic)));
    }
    // 4.x accepts several comma separated subnets in one leftsubnet=.
    for part in value.split(',').map(str::trim) {
        parse_subnet(part)?;
    }
    Ok(())
}

fn check_subnet_list(value: &str) -> Check {
    let inner = value.trim();
    let inner = inner.strip_prefix('{').map_or(Ok(inner), |rest| {
        rest.strip_suffix('}').ok_or_else(|| ValueProblem::new(format!("`{value}` opens `{{` without closing `}}`")))
    })?;
    let mut any = false;
    for part in inner.split([',', ' ', '\t']).filter(|p| !p.is_empty()) {
        parse_subnet(part)?;
        any = true;
    }
    if any { Ok(()) } else { problem("the subnet list is empty") }
}

fn check_range(value: &str) -> Check {
    if let Some((start, end)) = value.split_once('-') {
        let start = parse_address(start.trim())?;
        let end = parse_address(end.trim())?;
        if start.is_ipv4() != end.is_ipv4() {
            return problem(format!("`{value}` mixes IPv4 and IPv6 addresses"));
        }
        if start > end {
            return problem(format!("`{value}`: the range starts after it ends"));
        }
        return Ok(());
    }
    parse_subnet(value).map(drop).map_err(|p| ValueProblem::new(format!("{p}; expected `start-end` or a subnet")))
}

/// IP protocol names libreswan resolves (from /etc/protocols).
const PROTOCOLS: &[&str] = &[
    "ip",
    "icmp",
    "igmp",
    "ggp",
    "ipencap",
    "st",
    "tcp",
    "egp",
    "igp",
    "pup",
    "udp",
    "hmp",
    "xns-idp",
    "rdp",
    "iso-tp4",
    "dccp",
    "xtp",
    "ddp",
    "idpr-cmtp",
    "ipv6",
    "ipv6-route",
    "ipv6-frag",
    "idrp",
    "rsvp",
    "gre",
    "esp",
    "ah",
    "skip",
    "ipv6-icmp",
    "icmpv6",
    "ipv6-nonxt",
    "ipv6-opts",
    "rspf",
    "vmtp",
    "eigrp",
    "ospf",
    "ax.25",
    "ipip",
    "etherip",
    "encap",
    "pim",
    "ipcomp",
    "vrrp",
    "l2tp",
    "isis",
    "sctp",
    "fc",
    "mobility-header",
    "udplite",
    "mpls-in-ip",
    "manet",
    "hip",
    "shim6",
    "wesp",
    "rohc",
    "ethernet",
];

fn check_protoport(value: &str) -> Check {
    let (protocol, port) = value.split_once('/').map_or((value, None), |(a, b)| (a, Some(b)));
    let protocol_ok = protocol.eq_ignore_ascii_case("%any")
        || protocol.parse::<u8>().is_ok()
        || PROTOCOLS.iter().any(|p| p.eq_ignore_ascii_case(protocol));
    if !protocol_ok {
        return problem(format!("`{protocol}` is not a protocol number (0-255) or name such as tcp, udp, icmp"));
    }
    let Some(port) = port else { return Ok(()) };
    if port.eq_ignore_ascii_case("%any") || port.parse::<u16>().is_ok() {
        return Ok(());
    }
    if port.bytes().all(|b| b.is_ascii_digit()) {
        return problem(format!("port `{port}` is larger than 65535"));
    }
    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(()); // a service name such as `l2tp`
    }
    problem(format!("`{port}` is not a port number (0-65535), a service name or %any"))
}

fn check_list(value: &str) -> Check {
    if value.split(',').any(|item| item.trim().is_empty()) {
        return problem(format!("`{value}` has an empty list item"));
    }
    Ok(())
}

fn check_id(value: &str) -> Check {
    if let Some(rest) = value.strip_prefix("@#").or_else(|| value.strip_prefix("@~")) {
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return problem(format!("`{value}`: a hexadecimal ID needs hex digits after `{}`", &value[..2]));
        }
        return Ok(());
    }
    if let Some(rest) = value.strip_prefix("@[") {
        return if rest.ends_with(']') && rest.len() > 1 {
            Ok(())
        } else {
            problem(format!("`{value}`: `@[` must be closed by `]`"))
        };
    }
    if value == "@" {
        return problem("`@` must be followed by a name");
    }
    if value.starts_with('%') {
        return problem(format!("`{value}` is not a magic ID; expected %fromcert, %any, %none or %null"));
    }
    if value.contains(':') && value.parse::<IpAddr>().is_err() && !value.contains('=') {
        return problem(format!("`{value}` is not an IPv6 address, a name or a distinguished name"));
    }
    Ok(())
}

fn check_public_key(keyword: &Keyword, value: &str) -> Check {
    if value.starts_with('%') {
        return problem(format!("`{value}` is not a magic value this keyword accepts ({})", one_of(keyword.magic)));
    }
    if let Some(base64) = value.strip_prefix("0s") {
        if base64.is_empty() || !base64.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
            return problem("a `0s` key must be followed by base64 text");
        }
        return Ok(());
    }
    if let Some(hex) = value.strip_prefix("0x") {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_') {
            return problem("a `0x` key must be followed by hexadecimal digits");
        }
        return Ok(());
    }
    problem(format!("`{value}` is not a key: expected `0s…` (base64), `0x…` (hex) or {}", one_of(keyword.magic)))
}

fn check_section_name(value: &str) -> Check {
    if syntax::is_valid_name(value) {
        Ok(())
    } else {
        problem(format!("`{value}` is not a section name (a letter, then letters, digits, `.`, `_` or `-`)"))
    }
}
