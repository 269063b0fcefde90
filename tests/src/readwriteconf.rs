//! Reading libreswan 4.10's `readwriteconf` output and undoing what is only its
//! printing, so that the differential test compares meaning, not spelling.
//!
//! Every fact about the printer below was checked by running
//! `/usr/libexec/ipsec/readwriteconf --config FILE` (Debian's 4.10) on one-conn files
//! setting each keyword to each of its values; the printer itself is
//! `lib/libipsecconf/confwrite.c` in libreswan 4.10.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Mutex, OnceLock};

use ipnet::IpNet;
use model::catalogue::{self, Keyword, SectionKind, ValueKind};

/// One section as readwriteconf printed it: canonical key to every value printed for it.
#[derive(Debug, Default)]
pub struct PrintedSection {
    pub name: String,
    pub values: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default)]
pub struct Printed {
    pub setup: PrintedSection,
    pub conns: Vec<PrintedSection>,
}

/// Parses readwriteconf's stdout.
pub fn parse(text: &str) -> Printed {
    let mut printed = Printed::default();
    let mut current: Option<(SectionKind, usize)> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("conn ") {
            printed.conns.push(PrintedSection { name: name.to_string(), values: BTreeMap::new() });
            current = Some((SectionKind::Conn, printed.conns.len() - 1));
        } else if line == "config setup" {
            printed.setup.name = "setup".into();
            current = Some((SectionKind::Config, 0));
        } else if let (Some((kind, index)), Some(body)) = (current, line.strip_prefix('\t')) {
            // `#also = …` is a comment line.
            let Some((key, value)) = body.split_once('=').filter(|_| !body.starts_with('#')) else { continue };
            let section = match kind {
                SectionKind::Config => &mut printed.setup,
                SectionKind::Conn => &mut printed.conns[index],
            };
            let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
            section.values.entry(canonical_key(key, kind)).or_default().push(value.to_string());
        }
    }
    printed
}

/// The 4.10 keyword a key names, from the catalogue.
pub fn keyword(key: &str, section: SectionKind) -> Option<&'static Keyword> {
    catalogue::lookup_in(key, Some(section)).map(|l| l.keyword).filter(|k| k.versions.v4_10)
}

/// The field a key stores into: a bare pair name means `right<name>` (as in 4.10)
/// and every alias group maps to one name (the alphabetically first).
pub fn canonical_key(key: &str, section: SectionKind) -> String {
    let key = key.to_ascii_lowercase();
    let Some(lookup) = catalogue::lookup_in(&key, Some(section)) else { return key };
    let name = alias_group(lookup.keyword.name, section);
    match (lookup.keyword.left_right, lookup.side) {
        (true, Some(catalogue::Side::Left)) => format!("left{name}"),
        (true, _) => format!("right{name}"),
        (false, _) => name.to_string(),
    }
}

/// The representative of a keyword's alias group (`alias_of` links, in either direction).
fn alias_group(name: &'static str, section: SectionKind) -> &'static str {
    let mut group = vec![name];
    let mut index = 0;
    while index < group.len() {
        let current = group[index];
        for keyword in catalogue::keywords().iter().filter(|k| k.section == section) {
            let linked = keyword.name == current && keyword.alias_of.is_some() || keyword.alias_of == Some(current);
            for other in [keyword.name, keyword.alias_of.unwrap_or(keyword.name)] {
                if linked && !group.contains(&other) {
                    group.push(other);
                }
            }
        }
        index += 1;
    }
    group.into_iter().min().unwrap_or(name)
}

/// `canonical_key` for conn keys as a `model::CanonicalKey` (cached, so the
/// returned names can be `'static`).
pub fn conn_canonical(key: &str) -> Option<&'static str> {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(name) = cache.get(key) {
        return Some(name);
    }
    let name: &'static str = Box::leak(canonical_key(key, SectionKind::Conn).into_boxed_str());
    cache.insert(key.to_string(), name);
    Some(name)
}

/// Keys whose fields readwriteconf 4.10 never prints: its printer skips the
/// `kv_processed` table entries (checked: `fragmentation=`, `intermediate=`,
/// `decap-dscp=`, `nopmtudisc=`, `nat-ikev1-method=`, `ocsp-method=`, `ddos-mode=`
/// print nothing for any value). `ikev2`, `ppk` and `esn` are processed too but
/// appear in the policy block, so they are compared.
/// Its printer also has no case for percentages (`rekeyfuzz=`) and address
/// ranges (`addresspool=`).
pub const NOT_PRINTED: &[&str] = &[
    "fragmentation",
    "intermediate",
    "decap-dscp",
    "nopmtudisc",
    "nat-ikev1-method",
    "ocsp-method",
    "ddos-mode",
    "rekeyfuzz",
    "addresspool",
];

/// The block of built-in defaults readwriteconf appends to every conn that is not
/// a shunt (`type=passthrough|reject|drop`), from the conn's policy bits.
pub const DEFAULT_BLOCK: &[&str] =
    &["auto", "type", "compress", "pfs", "ikepad", "authby", "phase2", "ikev2", "ppk", "esn"];

/// Enum spellings that readwriteconf prints under another name: the policy bits
/// keep only the meaning, and the printer names it (oracle-checked for every value).
const ENUM_NAMES: &[(&str, &[(&str, &str)])] = &[
    ("auto", &[("route", "ondemand"), ("up", "start")]),
    ("type", &[("pass", "passthrough")]),
    ("phase2", &[("default", "esp")]),
    // ikev2=permit only allows IKEv2 when the peer asks, and the printer shows the
    // "propose" bit, so it prints `no`; never is `no` too.
    ("ikev2", &[("never", "no"), ("permit", "no"), ("propose", "yes"), ("insist", "yes"), ("always", "yes")]),
    // ppk=insist/always print `UNKNOWN` (the printer has no name for the bit pair).
    // The printer shows the `ike_frag` policy bits: `yes` is the default and is not
    // printed, `no` prints as `never`, `insist` as `force`.
    ("fragmentation", &[("no", "never"), ("insist", "force")]),
    ("ppk", &[("never", "no"), ("propose", "permit"), ("yes", "permit"), ("insist", "UNKNOWN"), ("always", "UNKNOWN")]),
];

/// `value`, as written in a file, spelled as readwriteconf 4.10 prints it.
pub fn normalise(keyword: Option<&Keyword>, value: &str) -> String {
    let value = value.trim();
    let Some(keyword) = keyword else { return value.to_string() };
    if keyword.name == "plutodebug" {
        return debug_flags(value);
    }
    let lower = value.to_ascii_lowercase();
    let normalised = match keyword.kind {
        ValueKind::Bool => match lower.as_str() {
            "yes" | "y" | "true" | "on" => Some("yes".to_string()),
            "no" | "n" | "false" | "off" => Some("no".to_string()),
            _ => None,
        },
        ValueKind::Enum => ENUM_NAMES
            .iter()
            .find(|(name, _)| *name == keyword.name)
            .and_then(|(_, names)| names.iter().find(|(from, _)| *from == lower))
            .map(|(_, to)| to.to_string())
            .or(Some(lower.clone())),
        ValueKind::Time => model::value_check::normalize_time(keyword, value).map(|ms| ms.to_string()),
        ValueKind::Size => size_bytes(value).map(|b| b.to_string()),
        ValueKind::Address | ValueKind::Host => address(value).map(|a| a.to_string()),
        ValueKind::Subnet if !value.contains(',') => subnet(value).map(|s| s.to_string()),
        ValueKind::Subnet | ValueKind::SubnetList => subnet_list(value),
        ValueKind::ProtoPort => protoport(value),
        _ => None,
    };
    normalised.unwrap_or(value.to_string())
}

/// A value as readwriteconf printed it, in the same form as [`normalise`]: times
/// and sizes are already numbers (ms, bytes).
pub fn normalise_printed(keyword: Option<&Keyword>, value: &str) -> String {
    match keyword.map(|k| k.kind) {
        Some(ValueKind::Time | ValueKind::Size) => value.trim().to_string(),
        _ => normalise(keyword, value),
    }
}

/// `plutodebug=` words: 4.10 prints `all` as the flags it stands for,
/// `base,cpu-usage,refcnt` (oracle-checked).
fn debug_flags(value: &str) -> String {
    let words: Vec<String> = value
        .split([',', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .flat_map(|w| if w.eq_ignore_ascii_case("all") { vec!["base", "cpu-usage", "refcnt"] } else { vec![w] })
        .map(str::to_ascii_lowercase)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Printed in flag order, so compare as a set.
    words.join(",")
}

/// A size with an optional binary suffix, in bytes.
fn size_bytes(value: &str) -> Option<u64> {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = value[..digits].parse().ok()?;
    let shift = match value[digits..].to_ascii_lowercase().trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        "p" => 50,
        "e" => 60,
        _ => return None,
    };
    number.checked_mul(1u64 << shift)
}

/// An address as libreswan's ttoaddr reads it: IPv6, or IPv4 with inet_aton's
/// short forms (`0`, `10.1`, `0.0.0`), where the last part fills the remaining bytes.
fn address(value: &str) -> Option<IpAddr> {
    if let Ok(address) = value.parse::<IpAddr>() {
        return Some(address);
    }
    let parts: Vec<u32> = value.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (last, head) = parts.split_last()?;
    if head.len() > 3 || head.iter().any(|&p| p > 255) {
        return None;
    }
    let mut bits: u32 = 0;
    for (i, part) in head.iter().enumerate() {
        bits |= part << (24 - 8 * i);
    }
    let room = 32 - 8 * head.len() as u32;
    if room < 32 && *last >= 1 << room {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(bits | last)))
}

fn subnet(value: &str) -> Option<IpNet> {
    let (address_text, prefix) = value.split_once('/')?;
    IpNet::new(address(address_text)?, prefix.parse().ok()?).ok()
}

/// A list of subnets, braces and separators dropped, each normalised.
fn subnet_list(value: &str) -> Option<String> {
    let inner = value.trim().trim_start_matches('{').trim_end_matches('}');
    let parts: Vec<String> = inner
        .split([',', ' ', '\t'])
        .filter(|p| !p.is_empty())
        .map(|p| subnet(p).map_or_else(|| p.to_string(), |s| s.to_string()))
        .collect();
    Some(parts.join(","))
}

/// `protocol/port` as `NUMBER/PORT` (readwriteconf prints `TCP/1234`, `UDP/0`,
/// and `%any` for `0/0`).
fn protoport(value: &str) -> Option<String> {
    const PROTOCOLS: &[(&str, u8)] = &[("icmp", 1), ("tcp", 6), ("udp", 17), ("gre", 47), ("ipv6-icmp", 58)];
    if value.eq_ignore_ascii_case("%any") {
        return Some("0/0".into());
    }
    let (protocol, port) = value.split_once('/').unwrap_or((value, "0"));
    let protocol = match protocol.parse::<u8>() {
        Ok(number) => number,
        Err(_) => PROTOCOLS.iter().find(|(name, _)| name.eq_ignore_ascii_case(protocol))?.1,
    };
    let port = if port.eq_ignore_ascii_case("%any") { "0" } else { port };
    Some(format!("{protocol}/{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_like_inet_aton() {
        assert_eq!(address("0").unwrap().to_string(), "0.0.0.0");
        assert_eq!(address("0.0.0").unwrap().to_string(), "0.0.0.0");
        assert_eq!(address("10.1").unwrap().to_string(), "10.0.0.1");
        assert_eq!(subnet("0/0").unwrap().to_string(), "0.0.0.0/0");
        assert_eq!(subnet("0::/0").unwrap().to_string(), "::/0");
        assert!(address("256.1.1.1").is_none());
    }

    #[test]
    fn aliases_share_one_key() {
        assert_eq!(canonical_key("salifetime", SectionKind::Conn), canonical_key("keylife", SectionKind::Conn));
        assert_eq!(canonical_key("plutostderrlog", SectionKind::Config), canonical_key("logfile", SectionKind::Config));
        assert_eq!(canonical_key("subnet", SectionKind::Conn), "rightsubnet");
        assert_eq!(canonical_key("leftsubnet", SectionKind::Conn), "leftsubnet");
    }

    #[test]
    fn printing_is_undone() {
        let conn = |k| keyword(k, SectionKind::Conn);
        assert_eq!(normalise(conn("auto"), "route"), "ondemand");
        assert_eq!(normalise(conn("ppk"), "propose"), "permit");
        assert_eq!(normalise(conn("ikelifetime"), "1h"), "3600000");
        assert_eq!(normalise(conn("ipsec-max-bytes"), "2KiB"), "2048");
        assert_eq!(normalise(conn("leftprotoport"), "udp"), normalise(conn("leftprotoport"), "UDP/0"));
        assert_eq!(normalise(conn("leftprotoport"), "0/0"), normalise(conn("leftprotoport"), "%any"));
        assert_eq!(normalise(conn("leftsubnets"), "{ 10.0.1.0/24, 10.0.2.0/24}"), "10.0.1.0/24,10.0.2.0/24");
    }
}
