//! `ipsecconf fmt` as a user runs it: the real binary on real files.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const MESSY: &str = "conn  west\n  left = 192.0.2.1\n\n\n  auto=add   \nconn east\n\tauto=add\n";
const TIDY: &str = "conn west\n\tleft=192.0.2.1\n\n\tauto=add\n\nconn east\n\tauto=add\n";

/// A fresh folder for one test, removed first if a previous run left it.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipsecconf-fmt-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

fn ipsecconf(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ipsecconf");
    child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
    child.wait_with_output().expect("wait for ipsecconf")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn rewrites_files_in_place_and_leaves_tidy_ones() {
    let dir = scratch("in-place");
    let messy = dir.join("messy.conf");
    let tidy = dir.join("tidy.conf");
    std::fs::write(&messy, MESSY).unwrap();
    std::fs::write(&tidy, TIDY).unwrap();
    let output = ipsecconf(&["fmt", messy.to_str().unwrap(), tidy.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    assert_eq!(std::fs::read_to_string(&tidy).unwrap(), TIDY);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "temporary files left behind: {leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_names_files_that_would_change_and_writes_nothing() {
    let dir = scratch("check");
    let messy = dir.join("messy.conf");
    let tidy = dir.join("tidy.conf");
    std::fs::write(&messy, MESSY).unwrap();
    std::fs::write(&tidy, TIDY).unwrap();
    let output = ipsecconf(&["fmt", "--check", messy.to_str().unwrap(), tidy.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), format!("{}\n", messy.display()));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), MESSY);

    let output = ipsecconf(&["fmt", "--check", tidy.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = scratch("diff");
    let messy = dir.join("messy.conf");
    std::fs::write(&messy, "conn a\n  left = 1\n  auto=add\n").unwrap();
    let name = messy.to_str().unwrap();
    let output = ipsecconf(&["fmt", "--diff", name], b"");
    assert_eq!(output.status.code(), Some(0));
    let expected = format!(
        "--- {name}\n+++ {name} (formatted)\n@@ -1,3 +1,3 @@\n conn a\n-  left = 1\n-  auto=add\n+\tleft=1\n+\tauto=add\n"
    );
    assert_eq!(text(&output.stdout), expected);
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), "conn a\n  left = 1\n  auto=add\n");

    let output = ipsecconf(&["fmt", "--diff", "--check", name], b"");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn standard_input_to_standard_output() {
    for args in [&["fmt"][..], &["fmt", "-"][..]] {
        let output = ipsecconf(args, MESSY.as_bytes());
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(text(&output.stdout), TIDY);
    }
    let output = ipsecconf(&["fmt", "--check", "-"], MESSY.as_bytes());
    assert_eq!((output.status.code(), text(&output.stdout)), (Some(1), "<stdin>\n".to_string()));
    let output = ipsecconf(&["fmt", "--indent-spaces", "2", "--align-equals"], b"conn a\n left=1\n leftid=@a\n");
    assert_eq!(text(&output.stdout), "conn a\n  left  =1\n  leftid=@a\n");
}

#[test]
fn non_utf8_and_missing_files_are_errors_and_stay_untouched() {
    let dir = scratch("unreadable");
    let binary = dir.join("binary.conf");
    let bytes = b"conn  a\n  left = \xff\xfe\n".to_vec();
    std::fs::write(&binary, &bytes).unwrap();
    let missing = dir.join("missing.conf");
    let messy = dir.join("messy.conf");
    std::fs::write(&messy, MESSY).unwrap();
    let output = ipsecconf(&["fmt", binary.to_str().unwrap(), missing.to_str().unwrap(), messy.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("binary.conf is not valid UTF-8: invalid byte at offset 17"), "stderr: {stderr}");
    assert!(stderr.contains("cannot read") && stderr.contains("missing.conf"), "stderr: {stderr}");
    assert_eq!(std::fs::read(&binary).unwrap(), bytes);
    assert!(!missing.exists());
    // The readable file among them is still formatted.
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);

    let output = ipsecconf(&["fmt"], b"conn a\n\xff\n");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn keeps_permissions_and_symbolic_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("links");
    let real = dir.join("real.conf");
    std::fs::write(&real, MESSY).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.conf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = ipsecconf(&["fmt", link.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), TIDY);
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    std::fs::remove_dir_all(&dir).unwrap();
}
