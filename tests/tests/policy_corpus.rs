//! Policy groups over the libreswan corpus: every file libreswan 4.10 loaded is resolved
//! with a policy file for each group conn the oracle printed (`right=%group` or
//! `right=%opportunisticgroup`, not `auto=ignore`). The corpus holds no policy files of
//! its own, so each group gets two blocks (IPv4 and IPv6) plus a comment; the instance
//! count must be two per oracle group conn, and each instance's right client its block.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ipsecconf_tests::{FsLoader, corpus_dir, manifest};
use model::{DirEntry, LoadError, Loader, ResolveOptions};

/// The corpus on disk, with policy files laid over it.
struct WithPolicies {
    policies: HashMap<String, String>,
}

impl Loader for WithPolicies {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        let in_policies = path.parent().and_then(Path::file_name).is_some_and(|n| n == "policies");
        match path.file_name().and_then(|n| n.to_str()).filter(|_| in_policies) {
            Some(name) => self.policies.get(name).cloned().ok_or(LoadError::NotFound),
            None => FsLoader.read(path),
        }
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, LoadError> {
        FsLoader.list_dir(dir)
    }
}

/// Group conns in readwriteconf's output: `conn NAME` blocks with a group `right=`.
fn oracle_groups(out: &str) -> Vec<String> {
    let mut groups = Vec::new();
    let mut current: Option<(String, bool, bool)> = None;
    let mut finish = |current: Option<(String, bool, bool)>| {
        if let Some((name, group, ignored)) = current
            && group
            && !ignored
        {
            groups.push(name);
        }
    };
    for line in out.lines() {
        if let Some(name) = line.strip_prefix("conn ") {
            finish(current.take());
            current = Some((name.trim().to_string(), false, false));
        } else if !line.starts_with(char::is_whitespace) {
            finish(current.take());
        } else if let Some((_, group, ignored)) = current.as_mut() {
            match line.trim().split_once('=') {
                Some(("right", value)) => *group = matches!(value, "%group" | "%opportunisticgroup"),
                Some(("auto", value)) if !value.is_empty() => *ignored = value == "ignore",
                _ => {}
            }
        }
    }
    finish(current);
    groups
}

#[test]
fn group_conns_get_one_instance_per_policy_line() {
    let root = corpus_dir().join("libreswan");
    let mut checked_files = 0;
    let mut checked_instances = 0;
    let mut failures = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.accepted() && e.status == "ok") {
        let out = std::fs::read_to_string(entry.expected_output()).expect("oracle output");
        let groups = oracle_groups(&out);
        if groups.is_empty() {
            continue;
        }
        let blocks: Vec<(String, String)> =
            (0..groups.len()).map(|i| (format!("10.{}.0.0/16", i + 1), format!("2001:db8:{:x}::/48", i + 1))).collect();
        let policies = groups
            .iter()
            .zip(&blocks)
            .map(|(name, (v4, v6))| (name.clone(), format!("# blocks for {name}\n{v4}\n\n  {v6}   # IPv6\n")))
            .collect();
        let options = ResolveOptions {
            root_dir: Some(root.clone()),
            aliases: model::Aliases::AsWritten,
            ..ResolveOptions::default()
        };
        let path: PathBuf = entry.file();
        let resolved = model::resolve(&WithPolicies { policies }, &path, &options).expect("read corpus file");
        checked_files += 1;
        let mut expected: Vec<(String, String)> = Vec::new();
        for (name, (v4, v6)) in groups.iter().zip(&blocks) {
            expected.push((format!("{name}#{v4}"), v4.clone()));
            expected.push((format!("{name}#{v6}"), v6.clone()));
        }
        expected.sort();
        let mut got: Vec<(String, String)> = resolved
            .instances
            .iter()
            .map(|i| (i.name.clone(), i.values.get("rightsubnet").map_or_else(String::new, |v| v.value.to_string())))
            .collect();
        got.sort();
        checked_instances += got.len();
        if got != expected {
            failures.push(format!("{}: expected {expected:?}, got {got:?}", entry.path));
        }
        let policy_problems: Vec<_> = resolved.diagnostics.iter().filter(|d| d.code.starts_with("policy-")).collect();
        if !policy_problems.is_empty() {
            failures.push(format!("{}: {policy_problems:?}", entry.path));
        }
    }
    assert!(checked_files >= 20, "only {checked_files} corpus files have group conns");
    assert!(failures.is_empty(), "{} of {checked_files} files differ:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{checked_files} corpus files, {checked_instances} policy group instances checked");
}
