//! `ipsecconf check` and `ipsecconf resolve` as a user runs them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipsecconf")).args(args).output().expect("run ipsecconf")
}

/// A fresh folder for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipsecconf-check-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path.display().to_string()
}

const BAD: &str = "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\trightsubnett=10.0.0.0/8\n";
const GOOD: &str = "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\trightsubnet=10.0.0.0/8\n";

#[test]
fn human_output_shows_place_source_line_caret_and_code() {
    let dir = scratch("human");
    let file = write(&dir, "bad.conf", BAD.as_bytes());
    let out = run(&["check", &file]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("error[keyword-unknown]"), "{stdout}");
    assert!(stdout.contains(&format!("{file}:4:2")), "{stdout}");
    assert!(stdout.contains("rightsubnett=10.0.0.0/8"), "{stdout}");
    assert!(stdout.contains(&"^".repeat("rightsubnett".len())), "{stdout}");
    assert!(stdout.contains("did you mean `rightsubnet`"), "{stdout}");
}

#[test]
fn json_output_has_the_documented_fields() {
    let dir = scratch("json");
    let file = write(&dir, "bad.conf", BAD.as_bytes());
    let out = run(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check --format json prints JSON");
    let list = value.as_array().expect("a JSON array");
    assert_eq!(list.len(), 1, "{value}");
    let d = &list[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "keyword-unknown");
    assert_eq!(d["file"], file.as_str());
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 2);
    assert!(d["message"].as_str().unwrap().contains("rightsubnett"), "{d}");
}

#[test]
fn exit_codes() {
    let dir = scratch("exit");
    let good = write(&dir, "good.conf", GOOD.as_bytes());
    let out = run(&["check", &good]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));

    // Warnings alone do not fail the check.
    let warned = write(&dir, "warned.conf", format!("{GOOD}\tike=aes-sha1;dh14\n").as_bytes());
    let out = run(&["check", "--format", "json", &warned]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("advice-weak-integrity"));

    let missing = dir.join("missing.conf").display().to_string();
    let out = run(&["check", &missing]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"), "{out:?}");

    let binary = write(&dir, "binary.conf", b"conn a\n\tleft=\xff\xfe\n");
    let out = run(&["check", &binary]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"), "{out:?}");

    // An unreadable file among good ones still gives 2, after checking the others.
    let out = run(&["check", "--format", "json", &good, &missing]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([]));
}

#[test]
fn libreswan_version_option() {
    let dir = scratch("version");
    let file = write(&dir, "iptfs.conf", format!("{GOOD}\tiptfs=yes\n").as_bytes());
    let out = run(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("keyword-version"), "{out:?}");
    let out = run(&["check", "--libreswan", "current", &file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn resolve_prints_json_and_conf() {
    let dir = scratch("resolve");
    let file = write(
        &dir,
        "ipsec.conf",
        b"conn %default\n\tikelifetime=2h\n\nconn base\n\tleft=192.0.2.1\n\nconn a\n\talso=base\n\tright=192.0.2.2\n",
    );
    let out = run(&["resolve", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("resolve prints JSON");
    let conn = value["conns"].as_array().unwrap().iter().find(|c| c["name"] == "a").expect("conn a");
    assert_eq!(conn["values"]["left"], "192.0.2.1");
    assert_eq!(conn["values"]["right"], "192.0.2.2");
    assert_eq!(conn["values"]["ikelifetime"], "2h");
    assert_eq!(conn["origin"]["left"]["line"], 5);

    let out = run(&["resolve", "--format", "conf", &file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let conn_a = text.split("conn a\n").nth(1).expect("conn a printed");
    for line in ["\tleft=192.0.2.1", "\tright=192.0.2.2", "\tikelifetime=2h"] {
        assert!(conn_a.lines().any(|l| l == line), "{line:?} missing in:\n{text}");
    }
    // The printed file is itself a valid configuration.
    let again = write(&dir, "printed.conf", text.as_bytes());
    let out = run(&["check", &again]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
