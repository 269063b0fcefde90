//! Policy group fixtures: each folder of `test_data/policy/` is a root file system with
//! `etc/ipsec.conf`; `expected.txt` beside it is the snapshot (refresh with `UPDATE_EXPECT=1`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use model::{MemoryLoader, ResolveOptions, Resolved, Via};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/policy")
}

/// Every file below `dir`, as `/relative/path` with its text.
fn load_tree(dir: &Path) -> MemoryLoader {
    let mut loader = MemoryLoader::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("read {}: {e}", folder.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name() != Some("expected.txt".as_ref()) {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                loader.insert(Path::new("/").join(path.strip_prefix(dir).unwrap()), text);
            }
        }
    }
    loader
}

fn resolve_case(dir: &Path) -> Resolved {
    let loader = load_tree(dir);
    model::resolve(&loader, Path::new("/etc/ipsec.conf"), &ResolveOptions::default()).expect("read etc/ipsec.conf")
}

/// Instances with each value and where it came from, then the `policy-` diagnostics.
fn render(resolved: &Resolved) -> String {
    let mut out = String::new();
    for instance in &resolved.instances {
        let source = resolved.source(instance.file);
        let (line, _) = source.line_col(instance.range.start());
        writeln!(out, "{} (instance of {}) from {}:{line}", instance.name, instance.instance_of, source.path.display())
            .unwrap();
        for value in instance.values.iter() {
            let via = match &value.via() {
                Via::PolicyFile => "policy file".to_string(),
                via => format!("{} in {}", via, value.section()),
            };
            writeln!(out, "    {}={}    [{via}]", value.key, value.value).unwrap();
        }
    }
    for d in resolved.diagnostics.iter().filter(|d| d.code.starts_with("policy-")) {
        let source = resolved.source(d.file);
        let (line, column) = source.line_col(d.range.start());
        let text = &source.text[d.range];
        writeln!(
            out,
            "{} {}: {}:{line}:{column} `{text}`: {}",
            d.severity.as_str(),
            d.code,
            source.path.display(),
            d.message
        )
        .unwrap();
        for related in &d.related {
            let (line, _) = resolved.source(related.file).line_col(related.range.start());
            writeln!(out, "    {} at {}:{line}", related.message, resolved.source(related.file).path.display())
                .unwrap();
        }
    }
    out
}

#[test]
fn fixtures_match_their_snapshots() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("test_data/policy")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "only {} policy fixtures", cases.len());
    for case in cases {
        let resolved = resolve_case(&case);
        let others: Vec<_> = resolved
            .diagnostics
            .iter()
            .filter(|d| !d.code.starts_with("policy-") && d.code != model::codes::CONN_MISSING_ENDPOINT)
            .collect();
        assert!(others.is_empty(), "{}: unexpected diagnostics {others:?}", case.display());
        expect_test::expect_file![case.join("expected.txt")].assert_eq(&render(&resolved));
    }
}

fn instance_names(resolved: &Resolved) -> Vec<&str> {
    resolved.instances.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn the_man_page_example_gives_a_private_instance_for_the_block() {
    let resolved = resolve_case(&fixtures_dir().join("man-page-example"));
    assert_eq!(instance_names(&resolved), ["private#192.0.2.0/24"]);
    let instance = &resolved.instances[0];
    assert_eq!(instance.instance_of, "private");
    assert_eq!(instance.values.get("rightsubnet").unwrap().value, "192.0.2.0/24");
    // Everything else comes from the implicit `private` conn of the man page.
    assert_eq!(instance.values.get("right").unwrap().value, "%opportunisticgroup");
    assert_eq!(instance.values.get("failureshunt").unwrap().value, "drop");
}

#[test]
fn a_user_conn_overrides_the_implicit_group_and_auto_ignore_suppresses_it() {
    let overridden = resolve_case(&fixtures_dir().join("override-private"));
    assert_eq!(instance_names(&overridden), ["private#192.0.2.0/24"]);
    let values = &overridden.instances[0].values;
    assert_eq!(values.get("auto").unwrap().value, "ondemand");
    assert_eq!(values.get("authby").unwrap().value, "null");
    assert!(values.get("keyingtries").is_none(), "implicit values leaked into the override");

    let ignored = resolve_case(&fixtures_dir().join("auto-ignore"));
    assert_eq!(instance_names(&ignored), ["clear#198.51.100.0/24"]);
}

#[test]
fn no_policies_folder_means_no_instances_and_no_diagnostics() {
    let resolved = resolve_case(&fixtures_dir().join("missing-folder"));
    assert!(resolved.instances.is_empty());
    assert!(resolved.diagnostics.is_empty(), "{:?}", resolved.diagnostics);
}

#[test]
fn instance_count_follows_the_block_lines() {
    // Independently of the parser: every line whose first word has a digit, minus bad ones.
    let dir = fixtures_dir().join("user-group/etc/ipsec.d/policies");
    let text = std::fs::read_to_string(dir.join("partners")).unwrap();
    let blocks = text.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit())).count();
    let resolved = resolve_case(&fixtures_dir().join("user-group"));
    assert_eq!(resolved.instances.iter().filter(|i| i.instance_of == "partners").count(), blocks);
    assert!(
        resolved.instances.iter().all(|i| i.instance_of != "plain"),
        "a conn without right=%group was instantiated"
    );
}

#[test]
fn the_root_folder_holds_the_policies() {
    let loader = load_tree(&fixtures_dir().join("man-page-example"));
    let mut moved = MemoryLoader::new();
    for (path, text) in
        [("/etc/ipsec.conf", "config setup\n"), ("/root/etc/ipsec.d/policies/private", "198.51.100.0/24\n")]
    {
        moved.insert(path, text);
    }
    let options = ResolveOptions { root_dir: Some("/root".into()), ..Default::default() };
    let resolved = model::resolve(&moved, Path::new("/etc/ipsec.conf"), &options).unwrap();
    assert_eq!(instance_names(&resolved), ["private#198.51.100.0/24"]);
    // Without the root folder the same policies path is read from `/etc/ipsec.d`.
    let resolved = model::resolve(&loader, Path::new("/etc/ipsec.conf"), &options).unwrap();
    assert!(resolved.instances.is_empty());
}
