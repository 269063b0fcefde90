//! `ipsecconf explain` run as a user would.

use std::process::Command;

fn explain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf")).arg("explain").args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn explains_a_pair_keyword_in_any_case() {
    let (code, out, _) = explain(&["RIGHTSUBNET"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# left/rightsubnet\n"), "{out}");
    assert!(out.contains("private subnet behind the left participant"), "{out}");
    assert!(out.contains("vhost:") && out.contains("versions: 3.20, 4.10, current"), "{out}");
}

#[test]
fn unknown_keyword_exits_1_with_suggestions() {
    let (code, out, err) = explain(&["ikelifetme"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("did you mean: ikelifetime"), "{err}");
}

#[test]
fn list_prints_every_keyword() {
    let (code, out, _) = explain(&["--list"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 250, "{} lines", lines.len());
    assert!(lines.contains(&"left/rightsubnet") && lines.contains(&"ikelifetime") && lines.contains(&"left/right"));
}
