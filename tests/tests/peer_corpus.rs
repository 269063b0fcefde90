//! The peer check over libreswan's test pairs: `testing/pluto/T/west.conf` and
//! `east.conf` that libreswan 4.10 both accepted are the two ends of test T.
//! Every finding is either in a test designed to fail (its name says so) or a bug.

use std::collections::BTreeMap;
use std::path::Path;

use ipsecconf_tests::{FsLoader, corpus_dir, manifest};
use model::peer::{FindingKind, PeerOptions, compare};
use model::{ResolveOptions, Resolved};

/// Tests whose name says the two ends are meant not to agree.
fn named_to_fail(test: &str) -> bool {
    ["bad", "mismatch", "wrong", "fail", "missing", "invalid", "reject", "unmatched", "no-"]
        .iter()
        .any(|word| test.contains(word))
}

/// Tests whose names do not say so but whose west.conf and east.conf differ on
/// purpose; each was read by hand (the diff of the two files is the test's point).
const DELIBERATE: &[(&str, &str)] = &[
    ("ikev2-algo-esn-02", "esn=no against esn=yes: the ESN negotiation failure"),
    ("ikev2-algo-sha2-05", "esp=aes-sha2_512 against aes-sha2_256: no common ESP proposal"),
    ("ikev2-allow-narrow-01", "protoport 0/0 against udp/1234 with narrowing=no on both: must fail"),
    ("ikev2-child-00-dh-hang", "pfs=no against pfs=yes: the CREATE_CHILD_SA DH hang"),
    ("ikev2-child-02-pfs-yes-downgrade-yes", "pfs=yes on east against pfs=no/yes variants on west"),
    ("ikev2-child-03-dh-none-pfs-no", "pfs=no variants against pfs=yes"),
    ("ikev2-child-rekey-00", "the selectors sit on different conns (rekey vs rekey1/rekey2)"),
    ("ikev2-leak-01-db_v2_prop_conj", "esp=aes-sha1 against 3des-md5: no common ESP proposal"),
];

fn designed_to_fail(test: &str) -> bool {
    named_to_fail(test) || DELIBERATE.iter().any(|(t, _)| *t == test)
}

fn load(path: &Path) -> Resolved {
    let root = corpus_dir().join("libreswan");
    let options =
        ResolveOptions { root_dir: Some(root), aliases: model::Aliases::AsWritten, ..ResolveOptions::default() };
    model::resolve(&FsLoader, path, &options).unwrap_or_else(|e| panic!("read {}: {e:?}", path.display()))
}

#[test]
fn libreswan_test_pairs() {
    let accepted: BTreeMap<String, bool> = manifest().into_iter().map(|e| (e.path.clone(), e.accepted())).collect();
    let pluto = corpus_dir().join("libreswan/testing/pluto");
    let mut tests: Vec<String> = std::fs::read_dir(&pluto)
        .expect("read testing/pluto")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    tests.sort();
    let (mut pairs, mut conn_pairs, mut agreeing) = (0, 0, 0);
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut false_alarms = Vec::new();
    let mut expected = Vec::new();
    for test in &tests {
        let ok = |end: &str| accepted.get(&format!("testing/pluto/{test}/{end}.conf")).copied().unwrap_or(false);
        if !(ok("west") && ok("east")) {
            continue;
        }
        pairs += 1;
        let west = load(&pluto.join(test).join("west.conf"));
        let east = load(&pluto.join(test).join("east.conf"));
        let report = compare(&west, &east, &PeerOptions::default());
        conn_pairs += report.pairs.len();
        let disagreeing: Vec<_> = report.pairs.iter().flat_map(|p| p.findings.iter()).collect();
        if disagreeing.is_empty() {
            agreeing += 1;
        }
        for finding in disagreeing {
            *by_kind.entry(finding.kind.as_str()).or_default() += 1;
            let line = format!("{test}: {} ({})", finding.message, finding.parameter);
            if designed_to_fail(test) { expected.push(line) } else { false_alarms.push(line) }
        }
        for finding in &report.unpaired {
            assert_eq!(finding.kind, FindingKind::NoCounterpart);
            *by_kind.entry(finding.kind.as_str()).or_default() += 1;
        }
    }
    println!("{pairs} test pairs, {conn_pairs} conn pairs, {agreeing} tests with every conn pair agreeing");
    println!("findings by kind: {by_kind:?}");
    println!("in tests designed to fail ({}):", expected.len());
    for line in &expected {
        println!("  {line}");
    }
    assert!(pairs >= 300, "only {pairs} test pairs");
    // Every hand-reviewed test still disagrees (else the list is stale).
    for (test, why) in DELIBERATE {
        assert!(expected.iter().any(|l| l.starts_with(&format!("{test}: "))), "{test} ({why}) no longer disagrees");
    }
    assert!(false_alarms.is_empty(), "{} false alarms:\n{}", false_alarms.len(), false_alarms.join("\n"));
}
