//! Policy group instances through `ipsecconf resolve` and `check`, on the model's
//! fixtures (`crates/model/test_data/policy/*`, each a root folder for `--rootdir`).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../model/test_data/policy").join(name)
}

fn run(args: &[&str], case: &str) -> (i32, String) {
    let root = fixture(case);
    let conf = root.join("etc/ipsec.conf");
    let out = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .args(args)
        .arg("--rootdir")
        .arg(&root)
        .arg(&conf)
        .output()
        .expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into())
}

fn resolve_json(case: &str) -> (i32, Value) {
    let (code, out) = run(&["resolve", "--format", "json"], case);
    (code, serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}")))
}

#[test]
fn json_lists_instances_after_the_defined_conns() {
    let (code, json) = resolve_json("user-group");
    assert_eq!(code, 0, "{json}");
    let conns = json["conns"].as_array().unwrap();
    let names: Vec<&str> = conns.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["partners", "plain", "partners#198.51.100.0/24", "partners#203.0.113.0/24"]);
    assert!(conns[0].get("instance_of").is_none());
    let instance = &conns[2];
    assert_eq!(instance["instance_of"], "partners");
    assert_eq!(instance["values"]["rightsubnet"], "198.51.100.0/24");
    assert_eq!(instance["values"]["leftsubnet"], "10.0.0.0/24");
    assert_eq!(instance["origin"]["rightsubnet"]["via"], "policy file");
    assert_eq!(instance["origin"]["rightsubnet"]["line"], 1);
    assert!(instance["origin"]["rightsubnet"]["file"].as_str().unwrap().ends_with("etc/ipsec.d/policies/partners"));
}

#[test]
fn the_man_page_example_through_the_cli() {
    let (code, json) = resolve_json("man-page-example");
    assert_eq!(code, 0, "{json}");
    let conns = json["conns"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{json}");
    assert_eq!(conns[0]["name"], "private#192.0.2.0/24");
    assert_eq!(conns[0]["values"]["rightsubnet"], "192.0.2.0/24");
}

#[test]
fn conf_output_prints_instances_as_conns() {
    let (code, out) = run(&["resolve", "--format", "conf"], "override-private");
    assert_eq!(code, 0, "{out}");
    let instance = out.split("# instance of policy group `private` from ").nth(1).unwrap_or_else(|| panic!("{out}"));
    assert!(instance.contains("conn \"private#192.0.2.0/24\"\n"), "{out}");
    assert!(instance.contains("\trightsubnet=192.0.2.0/24\n"), "{out}");
    assert!(instance.contains("\tauto=ondemand\n"), "{out}");
}

#[test]
fn check_reports_policy_file_lines() {
    let (code, out) = run(&["check", "--format", "json"], "mixed-lines");
    assert_eq!(code, 1, "{out}");
    let diagnostics: Value = serde_json::from_str(&out).unwrap();
    let policy: Vec<&Value> =
        diagnostics.as_array().unwrap().iter().filter(|d| d["code"].as_str().unwrap().starts_with("policy-")).collect();
    assert_eq!(policy.len(), 4, "{out}");
    assert!(policy.iter().all(|d| d.to_string().contains("private-or-clear")), "{out}");
    let (code, human) = run(&["check"], "mixed-lines");
    assert_eq!(code, 1);
    assert!(human.contains("policy-bad-line") && human.contains("not-a-block"), "{human}");
}

#[test]
fn a_missing_policies_folder_is_no_problem() {
    let (code, json) = resolve_json("missing-folder");
    assert_eq!(code, 0);
    assert_eq!(json["conns"].as_array().unwrap().len(), 1);
    assert!(json["diagnostics"].as_array().unwrap().is_empty(), "{json}");
}
