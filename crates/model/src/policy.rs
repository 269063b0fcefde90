//! Policy groups (ipsec.conf(5), "POLICY GROUP FILES"): a conn with `right=%group` or
//! `right=%opportunisticgroup` is instantiated once per line of the file of the same
//! name under `<ipsecdir>/policies/`, as `NAME#CIDR`, with that block as its right client.
//!
//! A line is `CIDR` or, as libreswan 4.x accepts, `CIDR PROTOCOL SOURCE-PORT DEST-PORT`.
//! A bare address is a host block (`/32`, `/128`). White space then `#` starts a comment.
//! Only files named after a group conn are read, as libreswan does; a missing folder or
//! file means no instances and no diagnostic.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use syntax::{TextRange, TextSize};

use crate::diagnostics::{Diagnostic, codes};
use crate::implicit;
use crate::loader::{LoadError, Loader, normalize};
use crate::resolve::{Origin, ResolveOptions, Resolved, ResolvedValue, ValueMap, Via};
use crate::shared_str::SharedStr;
use crate::source::{FileId, Source};

/// libreswan's default `ipsecdir`.
pub const DEFAULT_IPSECDIR: &str = "/etc/ipsec.d";

/// The `right=` values that make a conn a policy group.
pub const GROUP_VALUES: &[&str] = &["%group", "%opportunisticgroup"];

/// A line's optional narrowing: IP protocol number and ports (0 means any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtoPorts {
    pub protocol: u8,
    pub source_port: u16,
    pub dest_port: u16,
}

/// One instance of a policy group conn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInstance {
    /// `NAME#CIDR`, or `NAME#CIDR-(SPORT--PROTO--DPORT)` as libreswan names it.
    pub name: String,
    /// The group conn.
    pub instance_of: String,
    /// The right client (a network: host bits cleared).
    pub block: IpNet,
    pub proto_ports: Option<ProtoPorts>,
    /// The policy file and the line's text range in it.
    pub file: FileId,
    pub range: TextRange,
    /// The group conn's values with `rightsubnet` (and protoports) from the line.
    pub values: ValueMap,
}

/// One usable line of a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLine {
    pub block: IpNet,
    pub proto_ports: Option<ProtoPorts>,
    /// The line without its comment and surrounding white space.
    pub range: TextRange,
    pub block_range: TextRange,
}

/// A problem on one line of a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub code: &'static str,
    pub range: TextRange,
    pub message: String,
}

/// Parses a policy group file: its usable lines and the problems found.
pub fn parse_policy_file(text: &str) -> (Vec<PolicyLine>, Vec<LineProblem>) {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    let mut start = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_start = start;
        start += raw.len();
        let content = strip_comment(raw.trim_end_matches(['\n', '\r']));
        let tokens = tokens(content, line_start);
        let Some(&(first, block_range)) = tokens.first() else { continue };
        let range = TextRange::new(block_range.start(), tokens.last().map_or(block_range, |t| t.1).end());
        let block = match parse_block(first) {
            Ok(block) => block,
            Err(message) => {
                problems.push(LineProblem { code: codes::POLICY_BAD_LINE, range: block_range, message });
                continue;
            }
        };
        if block.trunc() != block {
            problems.push(LineProblem {
                code: codes::POLICY_HOST_BITS,
                range: block_range,
                message: format!("`{first}` has host bits set; the block is {}", block.trunc()),
            });
        }
        let proto_ports = match &tokens[1..] {
            [] => None,
            [(protocol, protocol_range), (source, source_range), (dest, dest_range)] => {
                let parsed = parse_protocol(protocol)
                    .map_err(|m| (m, *protocol_range))
                    .and_then(|protocol| Ok((protocol, parse_port(source).map_err(|m| (m, *source_range))?)))
                    .and_then(|(protocol, source)| {
                        Ok((protocol, source, parse_port(dest).map_err(|m| (m, *dest_range))?))
                    });
                match parsed {
                    Ok((protocol, source_port, dest_port)) => Some(ProtoPorts { protocol, source_port, dest_port }),
                    Err((message, range)) => {
                        problems.push(LineProblem { code: codes::POLICY_BAD_LINE, range, message });
                        continue;
                    }
                }
            }
            _ => {
                problems.push(LineProblem {
                    code: codes::POLICY_BAD_LINE,
                    range,
                    message: "expected a CIDR block, optionally followed by protocol, source port and destination port"
                        .into(),
                });
                continue;
            }
        };
        lines.push(PolicyLine { block: block.trunc(), proto_ports, range, block_range });
    }
    (lines, problems)
}

/// Cuts a `#` comment that starts the line or follows white space.
fn strip_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && previous_is_space {
            return &line[..i];
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

/// White-space separated words with their ranges in the file.
fn tokens(content: &str, line_start: usize) -> Vec<(&str, TextRange)> {
    let mut out = Vec::new();
    let mut word_start = None;
    for (i, c) in content.char_indices().chain([(content.len(), ' ')]) {
        match (c.is_whitespace(), word_start) {
            (true, Some(s)) => {
                let range = TextRange::new(offset(line_start + s), offset(line_start + i));
                out.push((&content[s..i], range));
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
    }
    out
}

fn offset(n: usize) -> TextSize {
    TextSize::new(u32::try_from(n).unwrap_or(u32::MAX))
}

fn parse_block(text: &str) -> Result<IpNet, String> {
    if text.contains('/') {
        text.parse::<IpNet>().map_err(|_| format!("`{text}` is not a CIDR block (like 192.0.2.0/24 or 2001:db8::/32)"))
    } else {
        text.parse::<IpAddr>().map(IpNet::from).map_err(|_| format!("`{text}` is not a CIDR block or an IP address"))
    }
}

/// Protocol names libreswan resolves through the system's protocol table, and numbers.
fn parse_protocol(text: &str) -> Result<u8, String> {
    const NAMES: &[(&str, u8)] = &[
        ("icmp", 1),
        ("igmp", 2),
        ("ipip", 4),
        ("tcp", 6),
        ("udp", 17),
        ("gre", 47),
        ("esp", 50),
        ("ah", 51),
        ("ipv6-icmp", 58),
        ("icmpv6", 58),
        ("sctp", 132),
        ("udplite", 136),
    ];
    let number = match text.parse::<u8>() {
        Ok(number) => number,
        Err(_) => match NAMES.iter().find(|(name, _)| name.eq_ignore_ascii_case(text)) {
            Some(&(_, number)) => number,
            None => return Err(format!("`{text}` is not a protocol name or number (0-255)")),
        },
    };
    if matches!(number, 0 | 50 | 51) {
        return Err(format!("protocol `{text}` cannot be used: 0, esp (50) and ah (51) are not allowed"));
    }
    Ok(number)
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>().map_err(|_| format!("`{text}` is not a port number (0-65535)"))
}

/// `<ipsecdir>/policies`, below `root_dir` when one is given.
pub fn policies_dir(setup: &ValueMap, root_dir: Option<&Path>) -> PathBuf {
    let ipsecdir = setup.get("ipsecdir").map(|v| v.value.trim()).filter(|v| !v.is_empty()).unwrap_or(DEFAULT_IPSECDIR);
    let ipsecdir = Path::new(ipsecdir);
    let dir = match root_dir {
        Some(root) => root.join(ipsecdir.strip_prefix("/").unwrap_or(ipsecdir)),
        None => ipsecdir.to_path_buf(),
    };
    normalize(&dir.join("policies"))
}

/// A conn that can be instantiated: its name, values and where its name is written.
struct Group {
    name: SharedStr,
    values: ValueMap,
    file: FileId,
    name_range: TextRange,
}

fn is_group(values: &ValueMap) -> bool {
    values.get("right").is_some_and(|v| GROUP_VALUES.iter().any(|g| g.eq_ignore_ascii_case(v.value.trim())))
}

fn is_ignored(values: &ValueMap) -> bool {
    values.get("auto").is_some_and(|v| v.value.trim().eq_ignore_ascii_case("ignore"))
}

/// The group conns libreswan would load: the file's own (first of each name), then the
/// implicit ones no conn overrides. `auto=ignore` suppresses a group.
fn groups(resolved: &Resolved, options: &ResolveOptions) -> Vec<Group> {
    let mut out = Vec::new();
    // Group conns are few, and files with thousands of conns common: find the groups
    // first, then whether an earlier conn has the same name.
    let indexes: Vec<usize> = (0..resolved.conns.len()).collect();
    let candidates: Vec<usize> = crate::parallel::map_parts(&indexes, |part| {
        part.iter().copied().filter(|&i| is_group(&resolved.conns[i].values)).collect::<Vec<_>>()
    })
    .concat();
    if !candidates.is_empty() {
        let mut first: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        for (i, conn) in resolved.conns.iter().enumerate() {
            first.entry(&conn.name).or_insert(i);
        }
        for i in candidates {
            let conn = &resolved.conns[i];
            if first[conn.name.as_str()] == i && !is_ignored(&conn.values) {
                out.push(Group {
                    name: conn.name.as_str().into(),
                    values: conn.values.clone(),
                    file: conn.file,
                    name_range: conn.name_range,
                });
            }
        }
    }
    let Some(implicit_file) = resolved.files.iter().position(|s| s.path == Path::new(implicit::PATH)) else {
        return out;
    };
    // Implicit conns are not affected by `conn %default`: their own lines are all they have.
    for section in implicit::sections(FileId(implicit_file as u32)) {
        if resolved.conns.iter().any(|c| c.overrides_implicit && c.name == section.name.as_str()) {
            continue;
        }
        let values: ValueMap = section
            .entries
            .iter()
            .map(|entry| ResolvedValue::written(&section, entry, entry.key.clone(), Via::Own, options.aliases))
            .collect();
        if is_group(&values) {
            out.push(Group { name: section.name.clone(), values, file: section.file, name_range: section.name_range });
        }
    }
    out
}

/// What libreswan keys instances on: source client (`leftsubnet`), block and narrowing.
type Target = (String, IpNet, Option<ProtoPorts>);
/// The first line that listed a target: policy file, line and group name.
type FirstListed = (FileId, TextRange, String);

/// Reads the policy file of every group conn and adds the instances and the file
/// problems to `resolved`.
pub fn instantiate(loader: &dyn Loader, resolved: &mut Resolved, options: &ResolveOptions) {
    let dir = policies_dir(&resolved.setup, options.root_dir.as_deref());
    let mut listed: HashMap<Target, FirstListed> = HashMap::new();
    for group in groups(resolved, options) {
        // A conn name is a file name here; never let it leave the folder.
        if group.name.contains('/') || group.name.starts_with('.') {
            continue;
        }
        let path = dir.join(group.name.as_str());
        let text = match loader.read(&path) {
            Ok(text) => text,
            Err(LoadError::NotFound) => continue,
            Err(error) => {
                resolved.diagnostics.push(Diagnostic::warning(
                    codes::POLICY_UNREADABLE,
                    group.file,
                    group.name_range,
                    format!("cannot read policy group file {}: {error}", path.display()),
                ));
                continue;
            }
        };
        let (lines, problems) = parse_policy_file(&text);
        if lines.is_empty() && problems.is_empty() {
            continue;
        }
        let file = FileId(resolved.files.len() as u32);
        resolved.files.push(Source::new(path, text));
        for problem in problems {
            let severity =
                if problem.code == codes::POLICY_HOST_BITS { Diagnostic::warning } else { Diagnostic::error };
            resolved.diagnostics.push(severity(problem.code, file, problem.range, problem.message));
        }
        let source_client = group.values.get("leftsubnet").map_or_else(String::new, |v| v.value.to_string());
        for line in lines {
            let key = (source_client.clone(), line.block, line.proto_ports);
            if let Some((first_file, first_range, first_group)) = listed.get(&key) {
                resolved.diagnostics.push(
                    Diagnostic::warning(
                        codes::POLICY_DUPLICATE_BLOCK,
                        file,
                        line.range,
                        format!(
                            "`{}` is already listed for policy group `{first_group}`; libreswan ignores this line",
                            line.block
                        ),
                    )
                    .with_related(*first_file, *first_range, "first listed here"),
                );
                continue;
            }
            listed.insert(key, (file, line.range, group.name.to_string()));
            resolved.instances.push(instance(&group, file, &line, options));
        }
    }
}

fn instance(group: &Group, file: FileId, line: &PolicyLine, options: &ResolveOptions) -> PolicyInstance {
    let mut replaced = vec!["rightsubnet", "rightsubnets"];
    if line.proto_ports.is_some() {
        replaced.extend(["leftprotoport", "rightprotoport"]);
    }
    let from_line = |key: &str, value: String| ResolvedValue {
        canonical: crate::resolve::canonical_name(options.aliases, &key.into()),
        key: key.into(),
        value: value.into(),
        origin: Origin {
            file,
            range: line.range,
            key_range: line.block_range,
            value_range: line.range,
            section: group.name.clone(),
            via: Via::PolicyFile,
        },
    };
    let mut values: Vec<ResolvedValue> = group
        .values
        .iter()
        .filter(|v| !replaced.iter().any(|r| v.key == r || v.canonical == r))
        .map(|v| v.to_resolved())
        .collect();
    values.push(from_line("rightsubnet", line.block.to_string()));
    let name = match line.proto_ports {
        None => format!("{}#{}", group.name, line.block),
        Some(p) => {
            values.push(from_line("leftprotoport", format!("{}/{}", p.protocol, p.source_port)));
            values.push(from_line("rightprotoport", format!("{}/{}", p.protocol, p.dest_port)));
            format!("{}#{}-({}--{}--{})", group.name, line.block, p.source_port, p.protocol, p.dest_port)
        }
    };
    PolicyInstance {
        name,
        instance_of: group.name.to_string(),
        block: line.block,
        proto_ports: line.proto_ports,
        file,
        range: line.range,
        values: values.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<String> {
        parse_policy_file(text).0.iter().map(|l| l.block.to_string()).collect()
    }

    #[test]
    fn comments_need_white_space_or_line_start() {
        assert_eq!(
            blocks("# all comment\n10.0.0.0/8 # net\n\n  \t\n2001:db8::/32\r\n"),
            ["10.0.0.0/8", "2001:db8::/32"]
        );
        let (lines, problems) = parse_policy_file("10.0.0.0/8#glued\n");
        assert!(lines.is_empty());
        assert_eq!(problems[0].code, codes::POLICY_BAD_LINE);
    }

    #[test]
    fn bare_addresses_are_host_blocks_and_host_bits_are_cleared() {
        assert_eq!(blocks("192.0.2.3\n2001:db8::1\n"), ["192.0.2.3/32", "2001:db8::1/128"]);
        let (lines, problems) = parse_policy_file("192.0.2.1/24\n");
        assert_eq!(lines[0].block.to_string(), "192.0.2.0/24");
        assert_eq!(problems[0].code, codes::POLICY_HOST_BITS);
    }

    #[test]
    fn protocol_and_ports_narrow_a_line() {
        let (lines, problems) = parse_policy_file("10.0.1.0/24  tcp  0  22\n0.0.0.0/0 17 53 0\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines[0].proto_ports, Some(ProtoPorts { protocol: 6, source_port: 0, dest_port: 22 }));
        assert_eq!(lines[1].proto_ports, Some(ProtoPorts { protocol: 17, source_port: 53, dest_port: 0 }));
        for bad in ["10.0.0.0/8 tcp\n", "10.0.0.0/8 tcp 1 2 3\n", "10.0.0.0/8 esp 0 0\n", "10.0.0.0/8 tcp x 1\n"] {
            let (lines, problems) = parse_policy_file(bad);
            assert!(lines.is_empty(), "{bad}");
            assert_eq!(problems.len(), 1, "{bad}");
        }
    }

    #[test]
    fn any_bytes_give_lines_or_problems_without_panicking() {
        let text = "\u{feff}10.0.0.0/8\n\u{0}\n/\n1.2.3.4/33\n::/0\n\u{e9}#\n";
        let (lines, problems) = parse_policy_file(text);
        // The byte-order mark and `é` are not white space: those lines are bad too.
        assert_eq!(lines.iter().map(|l| l.block.to_string()).collect::<Vec<_>>(), ["::/0"]);
        assert_eq!(problems.len(), 5, "{problems:?}");
        for p in &problems {
            assert!(text.get(p.range.start().into()..p.range.end().into()).is_some());
        }
    }
}
