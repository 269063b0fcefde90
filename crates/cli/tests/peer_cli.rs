//! `ipsecconf peer` run as a user would, on the fixture pairs in test_data/peer/.

use std::path::PathBuf;
use std::process::Command;

use expect_test::expect;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/peer")
}

/// Runs `ipsecconf peer west.conf east.conf ARGS…` inside the fixture folder `dir`.
fn peer(dir: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .current_dir(fixtures().join(dir))
        .args(["peer", "west.conf", "east.conf"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn json(dir: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = peer(dir, &all);
    (code, serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}")))
}

#[test]
fn identical_configs_agree() {
    let (code, report) = json("identical", &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["agree"], true);
    let pairs = report["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 2, "{report}");
    assert!(pairs.iter().all(|p| p["orientation"] == "same"), "{report}");
}

#[test]
fn mirrored_configs_agree() {
    let (code, report) = json("mirrored", &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["pairs"][0]["orientation"], "mirrored", "{report}");
    assert!(report["unpaired"].as_array().expect("unpaired").is_empty());
}

#[test]
fn ike_lists_without_a_common_proposal() {
    let (code, report) = json("ike-no-common", &[]);
    assert_eq!(code, 1);
    let findings = report["pairs"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["kind"], "no-common-proposal");
    assert_eq!(findings[0]["west"]["line"], 7);
    assert_eq!(findings[0]["west"]["value"], "aes256-sha2_512;dh20");
    assert_eq!(findings[0]["east"]["file"], "east.conf");
    assert_eq!(findings[0]["east"]["value"], "aes128-sha1;modp2048,3des-sha1;modp1536");
}

#[test]
fn mismatched_subnets_name_both_files() {
    let (code, out, _) = peer("subnets", &[]);
    assert_eq!(code, 1);
    expect![[r#"
        conn tunnel / tunnel: DISAGREE (orientation same: 5 host/ID/subnet value(s) match that way, 1 differ)
          not-mirrored: `rightsubnet` here and `rightsubnet` there name the same host but the subnets differ
            west: west.conf:8  rightsubnet=192.0.2.0/24
            east: east.conf:8  rightsubnet=192.0.3.0/24
        1 conn pair(s) compared, 1 finding(s)
    "#]]
    .assert_eq(&out);
}

#[test]
fn parameters_relevant_only_locally_may_differ() {
    let (code, out, _) = peer("local-only", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("conn tunnel / tunnel: agree"), "{out}");
}

#[test]
fn explicit_pairs_and_missing_conns() {
    // Pairing `tunnel` with `base` compares conns of different shape: the subnets differ.
    let (code, report) = json("identical", &["--conn", "tunnel=base"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["pairs"].as_array().expect("pairs").len(), 1);
    assert_eq!(report["pairs"][0]["east_conn"], "base");
    let (code, report) = json("identical", &["--conn", "tunnel=nosuch"]);
    assert_eq!(code, 1);
    assert_eq!(report["unpaired"][0]["kind"], "no-counterpart", "{report}");
    assert!(report["unpaired"][0]["message"].as_str().expect("message").contains("nosuch"));
}

#[test]
fn a_conn_without_counterpart_is_reported() {
    let dir = tempdir("counterpart");
    std::fs::write(
        dir.join("west.conf"),
        "conn a\n\tleft=1.2.3.4\n\tright=5.6.7.8\nconn b\n\tleft=1.2.3.4\n\tright=5.6.7.9\n",
    )
    .expect("write");
    std::fs::write(dir.join("east.conf"), "conn a\n\tleft=1.2.3.4\n\tright=5.6.7.8\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .current_dir(&dir)
        .args(["peer", "west.conf", "east.conf"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("no-counterpart: conn `b` has no counterpart in east.conf"), "{text}");
    assert!(text.contains("west: west.conf:4  conn b"), "{text}");
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, err) = peer("identical", &[]);
    assert_eq!(code, 0);
    assert!(err.is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .current_dir(fixtures().join("identical"))
        .args(["peer", "west.conf", "does-not-exist.conf"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read does-not-exist.conf"));
    let dir = tempdir("binary");
    std::fs::write(dir.join("bad.conf"), [0xff, 0xfe, b'\n']).expect("write");
    let west = fixtures().join("identical/west.conf");
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .current_dir(&dir)
        .args(["peer".as_ref(), west.as_os_str(), "bad.conf".as_ref()])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipsecconf-peer-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}
