//! The differential test against libreswan 4.10: for every corpus file it loaded,
//! our resolved conns must be its conns, in its order (implicit conns only when the
//! file defines them), with its values for every key the file set, in `config setup`
//! too, after undoing what is only readwriteconf's printing (`readwriteconf.rs`).
//! Keys it printed that we lack must be its built-in defaults. A conn it could not
//! load must carry an error from us. For the `semantics/` cases the outcome (loaded, warning, error) must
//! match. Known, explained differences are listed in `tests/known-differences.tsv`;
//! a listed file that agrees fails the test too, so the list cannot go stale.

use std::collections::BTreeMap;
use std::path::Path;

use ipsecconf_tests::readwriteconf::{self, PrintedSection};
use ipsecconf_tests::{FsLoader, corpus_dir, manifest, semantics_cases};
use model::catalogue::SectionKind;
use model::{ResolveOptions, Severity};

/// Explains why readwriteconf printed nothing for a key the file set, when the
/// reason is only its printer (each rule oracle-checked on a one-conn file).
fn unprinted_reason(key: &str, value: &str, conn: &model::ResolvedConn) -> Option<&'static str> {
    let base = key.strip_prefix("left").or_else(|| key.strip_prefix("right")).unwrap_or(key);
    if readwriteconf::NOT_PRINTED.contains(&base) {
        return Some("printer skips processed keys");
    }
    // 4.10 silently drops some values it cannot read (`rekeymargin=10seconds`,
    // `rekeymargin=0xA`); our value check rejects them too.
    if readwriteconf::keyword(key, SectionKind::Conn)
        .is_some_and(|k| model::value_check::check_value(k, value).is_err())
    {
        return Some("invalid value");
    }
    // `left=%eth1` names an interface (not a magic word): 4.10 keeps it as the
    // interface and prints no `left=`.
    if base.is_empty() && value.starts_with('%') {
        let magic = readwriteconf::keyword(key, SectionKind::Conn).map_or(&[][..], |k| k.magic);
        if !magic.iter().any(|m| m.eq_ignore_ascii_case(value)) {
            return Some("interface name");
        }
    }
    // `%cert`, `%dns`, `%dnsondemand` select where the key comes from; only a
    // literal key is kept as text.
    if ["rsasigkey", "ecdsakey", "pubkey"].contains(&base) && value.starts_with('%') {
        return Some("key source, not text");
    }
    // A subnet that is the host itself (`leftsubnet=<left>/32`) means "no client".
    if base == "subnet" {
        let side = &key[..key.len() - base.len()];
        let host = conn.values.get(side).map(|v| v.value.as_str()).unwrap_or("");
        let keyword = readwriteconf::keyword(key, SectionKind::Conn);
        let as_host = readwriteconf::normalise(readwriteconf::keyword(side, SectionKind::Conn), host);
        let subnet = readwriteconf::normalise(keyword, value);
        if subnet == format!("{as_host}/32") || subnet == format!("{as_host}/128") {
            return Some("subnet is the host");
        }
    }
    // Shunt conns (type=passthrough|reject|drop) get no policy block.
    let shunt = conn
        .values
        .get("type")
        .is_some_and(|t| ["pass", "passthrough", "reject", "drop"].contains(&t.value.to_ascii_lowercase().as_str()));
    if shunt && ["compress", "pfs", "ikepad", "phase2", "ikev2", "ppk", "esn"].contains(&key) {
        return Some("shunt conn");
    }
    None
}

/// Whether readwriteconf showed no value for the key (an enum its keyword printer
/// cannot name prints `""`; a policy bit pair without a name prints `UNKNOWN`).
fn unnamed(printed: &[String]) -> bool {
    printed.iter().all(|v| v.is_empty() || v == "UNKNOWN")
}

/// Compares the values we set in one section with the printed ones; returns the differences.
fn compare_values(
    kind: SectionKind,
    values: &model::ValueMap,
    printed: &PrintedSection,
    conn: Option<&model::ResolvedConn>,
    stderr: &str,
) -> Vec<String> {
    let mut differences = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for value in values.iter() {
        let key = readwriteconf::canonical_key(value.key, kind);
        seen.insert(key.clone());
        let keyword = readwriteconf::keyword(value.key, kind);
        // Ignored by libreswan 4.10: obsolete keys, x- extensions; an empty value is the default.
        if keyword.and_then(|k| k.obsolete).is_some_and(|o| o.in_versions.v4_10)
            || syntax::is_user_extension(value.key)
            || value.value.is_empty()
        {
            continue;
        }
        let ours = readwriteconf::normalise(keyword, value.value);
        let place = format!("{} {}", if kind == SectionKind::Config { "config" } else { "conn" }, printed.name);
        match printed.values.get(&key) {
            None => {
                if conn.and_then(|c| unprinted_reason(&key, value.value, c)).is_some()
                    || (kind == SectionKind::Config && readwriteconf::NOT_PRINTED.contains(&key.as_str()))
                {
                    continue;
                }
                differences.push(format!("{place}: {}={:?} ({}) not printed", value.key, value.value, value.via()));
            }
            Some(list) if unnamed(list) => {}
            Some(list) => {
                // Every line printed for the field must show our value: an alias pair
                // prints it twice, a policy key once more in the default block. `authby=`
                // is printed as written and then as policy bits (`PSK`, `RSASIG`), so
                // only its first line is the value.
                let shown: Vec<&String> = match key.as_str() {
                    "authby" => list.iter().take(1).collect(),
                    _ => list.iter().filter(|p| !p.is_empty()).collect(),
                };
                if shown.iter().all(|p| readwriteconf::normalise_printed(keyword, p).eq_ignore_ascii_case(&ours)) {
                    continue;
                }
                // A value 4.10 rejects is printed as a placeholder and reported on stderr.
                if list.iter().all(|p| p.starts_with('<')) && stderr.contains(&format!("{}={}", value.key, value.value))
                {
                    continue;
                }
                differences.push(format!(
                    "{place}: {}={:?} ({}), libreswan printed {list:?}",
                    value.key,
                    value.value,
                    value.via()
                ));
            }
        }
    }
    // Printed keys we do not have: only the built-in default block may add keys,
    // and then with its single line.
    for (key, list) in &printed.values {
        if seen.contains(key) || list.iter().all(String::is_empty) {
            continue;
        }
        if kind == SectionKind::Conn && readwriteconf::DEFAULT_BLOCK.contains(&key.as_str()) && list.len() == 1 {
            continue;
        }
        // `left=%defaultroute` makes libreswan fill in `leftnexthop=%defaultroute`.
        if let (Some(side), Some(conn)) = (key.strip_suffix("nexthop"), conn)
            && list == &["%defaultroute"]
            && conn.values.get(side).is_some_and(|v| v.value.eq_ignore_ascii_case("%defaultroute"))
        {
            continue;
        }
        differences.push(format!(
            "{} {}: libreswan has {key}={list:?}, we have none",
            if kind == SectionKind::Config { "config" } else { "conn" },
            printed.name
        ));
    }
    differences
}

/// Compares one file; `Err` describes the differences.
fn compare(path: &Path, expected: &str, stderr: &str) -> Result<(), String> {
    let root = corpus_dir().join("libreswan");
    let options = ResolveOptions {
        root_dir: Some(root),
        aliases: model::Aliases::Custom(readwriteconf::conn_canonical),
        ..ResolveOptions::default()
    };
    let resolved = model::resolve(&FsLoader, path, &options).map_err(|e| format!("cannot read: {e}"))?;
    let printed = readwriteconf::parse(expected);
    let ours: Vec<&str> = resolved.conns.iter().map(|c| c.name.as_str()).collect();
    let theirs: Vec<&str> = printed.conns.iter().map(|c| c.name.as_str()).collect();
    if ours != theirs {
        return Err(format!("conns differ: ours {ours:?}, libreswan {theirs:?}"));
    }
    let mut differences = compare_values(SectionKind::Config, &resolved.setup, &printed.setup, None, stderr);
    let failed = failed_conns(stderr);
    for (conn, printed) in resolved.conns.iter().zip(&printed.conns) {
        if failed.contains(conn.name.as_str()) {
            // 4.10 printed it partly filled; what matters is that we reject it too.
            if !has_error_for(&resolved, conn) {
                differences.push(format!("conn {}: libreswan cannot load it, we report no error for it", conn.name));
            }
            continue;
        }
        differences.extend(compare_values(SectionKind::Conn, &conn.values, printed, Some(conn), stderr));
    }
    if differences.is_empty() { Ok(()) } else { Err(differences.join("; ")) }
}

/// The conns 4.10 could not load: stderr says `while loading 'NAME': why`.
fn failed_conns(stderr: &str) -> std::collections::HashSet<&str> {
    stderr.split("while loading '").skip(1).filter_map(|rest| rest.split_once("':").map(|(name, _)| name)).collect()
}

/// Whether we report an error inside a section `conn` is built from (its own,
/// the `also=` sections it appends, or `%default`).
fn has_error_for(resolved: &model::Resolved, conn: &model::ResolvedConn) -> bool {
    let names: Vec<&str> = std::iter::once(conn.name.as_str())
        .chain(conn.also.iter().map(model::SharedStr::as_str))
        .chain(["%default"])
        .collect();
    let mut ranges = Vec::new();
    for (index, source) in resolved.files.iter().enumerate() {
        for section in syntax::parse(&source.text).source_file().sections() {
            if section.name().is_some_and(|n| names.contains(&n.as_str())) {
                ranges.push((index, syntax::ast::AstNode::range(&section)));
            }
        }
    }
    resolved.diagnostics.iter().any(|d| {
        d.severity == Severity::Error
            && ranges.iter().any(|&(file, range)| file == d.file.index() && range.contains_range(d.range))
    })
}

fn known_differences() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("known-differences.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l.split_once('\t').unwrap_or_else(|| panic!("bad line in known-differences.tsv: {l}"));
            assert!(!reason.trim().is_empty(), "no reason given for {path}");
            (path.to_string(), reason.to_string())
        })
        .collect()
}

#[test]
fn resolved_conns_agree_with_libreswan_4_10() {
    let known = known_differences();
    let mut agree = 0;
    let mut compared = 0;
    let mut failures = Vec::new();
    let mut all_differences = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.accepted()) {
        let expected = std::fs::read_to_string(entry.expected_output())
            .unwrap_or_else(|e| panic!("read {}: {e}", entry.expected_output().display()));
        compared += 1;
        let outcome = compare(&entry.file(), &expected, &entry.stderr);
        match &outcome {
            Ok(()) => agree += 1,
            Err(why) => all_differences.push(format!("{}\t{why}", entry.path)),
        }
        match (outcome, known.get(&entry.path)) {
            (Ok(()), Some(_)) => failures.push(format!("{}: listed as a known difference but agrees", entry.path)),
            (Err(why), None) => failures.push(format!("{}: {why}", entry.path)),
            _ => {}
        }
    }
    println!("libreswan differential: {agree}/{compared} files agree");
    assert_eq!(compared, 1498, "expected 1,498 libreswan outputs");
    if let Some(out) = std::env::var_os("DIFFERENTIAL_REPORT") {
        std::fs::write(out, all_differences.join("\n")).expect("write report");
    }
    assert!(failures.is_empty(), "{} unexplained differences:\n{}", failures.len(), failures.join("\n"));
}

/// readwriteconf's outcome for a semantics case: loaded, warning or error.
fn libreswan_outcome(case: &Path) -> &'static str {
    let expected = corpus_dir().join("semantics-expected");
    let name = case.file_name().unwrap().to_string_lossy();
    let read = |ext: &str| std::fs::read_to_string(expected.join(format!("{name}.{ext}"))).expect("expected file");
    let rc: i32 = read("rc").trim().parse().expect("rc");
    let err = read("err");
    if rc != 0 || err.contains("ignoring:") || err.contains("cannot be loaded") {
        "error"
    } else if err.trim().is_empty() {
        "loaded"
    } else {
        "warning"
    }
}

#[test]
fn semantics_outcomes_agree_with_libreswan_4_10() {
    let known = known_differences();
    let mut agree = 0;
    let mut failures = Vec::new();
    let cases = semantics_cases();
    for case in &cases {
        let options = ResolveOptions {
            root_dir: None,
            aliases: model::Aliases::Custom(readwriteconf::conn_canonical),
            ..ResolveOptions::default()
        };
        let resolved = model::resolve(&FsLoader, case, &options).expect("read case");
        let worst = resolved.diagnostics.iter().map(|d| d.severity).min();
        let ours = match worst {
            Some(Severity::Error) => "error",
            Some(Severity::Warning) => "warning",
            _ => "loaded",
        };
        let theirs = libreswan_outcome(case);
        let key = format!("semantics/{}", case.file_name().unwrap().to_string_lossy());
        if ours == theirs {
            agree += 1;
        }
        match (ours == theirs, known.get(&key)) {
            (true, Some(_)) => failures.push(format!("{key}: listed as a known difference but agrees")),
            (false, None) => {
                let codes: Vec<&str> = resolved.diagnostics.iter().map(|d| d.code).collect();
                failures.push(format!("{key}: ours {ours} {codes:?}, libreswan {theirs}"))
            }
            _ => {}
        }
    }
    println!("semantics outcomes: {agree}/{} cases agree", cases.len());
    assert!(failures.is_empty(), "{} unexplained differences:\n{}", failures.len(), failures.join("\n"));
}

/// The comparison itself must see differences: a fixture and its oracle output
/// (`readwriteconf --config sample.conf`) agree, and every edit of that output disagrees.
#[test]
fn the_comparison_catches_each_kind_of_difference() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/differential");
    let conf = dir.join("sample.conf");
    let printed = std::fs::read_to_string(dir.join("sample.conf.out")).expect("read sample.conf.out");
    assert_eq!(compare(&conf, &printed, ""), Ok(()));
    let edits: &[(&str, &str, &str)] = &[
        (
            "a time",
            "\tipsec-lifetime=1800000\n\tsalifetime=1800000\n",
            "\tipsec-lifetime=1700000\n\tsalifetime=1700000\n",
        ),
        ("an enum name", "\tppk=permit\n", "\tppk=no\n"),
        ("a subnet", "\tleftsubnet=0.0.0.0/0\n", "\tleftsubnet=10.0.0.0/8\n"),
        ("a protoport", "\trightprotoport=UDP/0\n", "\trightprotoport=TCP/0\n"),
        ("config setup", "\tlogfile=/tmp/pluto.log\n", "\tlogfile=/tmp/other.log\n"),
        ("debug flags", "base,cpu-usage,refcnt", "base"),
        ("a key we lack", "conn two\n", "conn two\n\trightid=\"@x\"\n"),
        ("a key libreswan lacks", "\tright=192.0.2.3\n", ""),
        ("conn order", "conn one\n", "conn uno\n"),
    ];
    for (what, from, to) in edits {
        assert!(printed.contains(from), "fixture lacks {from:?}");
        let edited = printed.replacen(from, to, 1);
        assert!(compare(&conf, &edited, "").is_err(), "a changed {what} went unnoticed");
    }
    // A conn libreswan could not load must be an error for us too.
    let err = compare(&conf, &printed, "while loading 'one': bad thing").expect_err("failed conn");
    assert!(err.contains("we report no error"), "{err}");
}
