//! Each diagnostic code: a fixture that triggers it and a near-identical one that does not.

use std::path::Path;

use model::{MemoryLoader, ResolveOptions, codes};

fn codes_for(text: &str) -> Vec<&'static str> {
    let loader = MemoryLoader::new()
        .with("/etc/inc/one.conf", "conn inc\n\tleft=1\n\tright=2\n")
        .with("/etc/loop.conf", "include /etc/ipsec.conf\n");
    let resolved =
        model::resolve_text(&loader, Path::new("/etc/ipsec.conf"), text.to_string(), &ResolveOptions::default());
    resolved.diagnostics.iter().map(|d| d.code).collect()
}

#[track_caller]
fn check(code: &str, triggers: &str, clean: &str) {
    let found = codes_for(triggers);
    assert!(found.contains(&code), "{code} not reported for:\n{triggers}\ngot {found:?}");
    let found = codes_for(clean);
    assert!(!found.contains(&code), "{code} reported for:\n{clean}\ngot {found:?}");
}

const AB: &str = "\tleft=1\n\tright=2\n";

#[test]
fn every_code_triggers_and_stays_quiet() {
    check(codes::SYNTAX, "conn a\nleft=1\n", &format!("conn a\n{AB}"));
    check(codes::INCLUDE_NO_MATCH, "include inc/none*.conf\n", "include inc/*.conf\n");
    check(codes::INCLUDE_CYCLE, "include loop.conf\n", "include inc/one.conf\n");
    check(codes::INCLUDE_PATTERN, "include\n", "include inc/one.conf\n");
    check(codes::FILE_CRLF, "conn a\r\n\tleft=1\r\n\tright=2\r\n", &format!("conn a\n{AB}"));
    check(codes::SECTION_DUPLICATE, &format!("conn a\n{AB}\nconn a\n{AB}"), &format!("conn a\n{AB}\nconn b\n{AB}"));
    check(
        codes::SECTION_SECOND_SETUP,
        "config setup\n\tdumpdir=/a\n\nconfig setup\n\tdumpdir=/b\n",
        "config setup\n\tdumpdir=/a\n",
    );
    check(codes::SECTION_CONFIG_NAME, "config other\n\tdumpdir=/a\n", "config setup\n\tdumpdir=/a\n");
    check(
        codes::KEY_DUPLICATE,
        &format!("conn a\n{AB}\tauto=add\n\tauto=start\n"),
        &format!("conn a\n{AB}\tauto=add\n"),
    );
    check(
        codes::ALSO_CONFLICT,
        &format!("conn a\n{AB}\talso=b\n\tauto=add\n\nconn b\n\tauto=start\n"),
        &format!("conn a\n{AB}\talso=b\n\nconn b\n\tauto=start\n"),
    );
    check(codes::ALSO_MISSING, &format!("conn a\n{AB}\talso=nope\n"), &format!("conn a\n{AB}\talso=private\n"));
    check(codes::ALSO_WRONG_TYPE, &format!("conn a\n{AB}\talso=setup\n"), &format!("conn a\n{AB}"));
    check(
        codes::ALSO_CYCLE,
        &format!("conn a\n{AB}\talso=b\n\nconn b\n\talso=a\n"),
        &format!("conn a\n{AB}\talso=b\n\nconn b\n\tauto=add\n"),
    );
    check(
        codes::ALSO_DUPLICATE,
        &format!("conn a\n{AB}\talso=b\n\talso=b\n\nconn b\n\tauto=add\n"),
        &format!("conn a\n{AB}\talso=b\n\nconn b\n\tauto=add\n"),
    );
    check(
        codes::ALSO_IN_DEFAULT,
        &format!("conn %default\n\talso=b\n\nconn b\n{AB}"),
        &format!("conn b\n{AB}\talso=%default\n\nconn %default\n\tauto=add\n"),
    );
    let chain = |n: usize| {
        let mut text = format!("conn c0\n{AB}\talso=c1\n");
        for i in 1..n {
            text.push_str(&format!("\nconn c{i}\n\talso=c{}\n", i + 1));
        }
        text.push_str(&format!("\nconn c{n}\n\tauto=add\n"));
        text
    };
    check(codes::ALSO_LIMIT, &chain(40), &chain(30));
    check(
        codes::CONN_EXCLUSIVE,
        &format!("conn a\n{AB}\tleftsubnet=10.0.0.0/8\n\tleftsubnets=10.1.0.0/16\n"),
        &format!("conn a\n{AB}\tleftsubnet=10.0.0.0/8\n"),
    );
    check(codes::CONN_MISSING_ENDPOINT, "conn a\n\tleft=1\n", &format!("conn a\n{AB}"));
    // Policy group files: `conn g` is a group; its file is /etc/ipsec.d/policies/g.
    let group = |policy: &str| {
        let loader = MemoryLoader::new().with("/etc/ipsec.d/policies/g", policy);
        let text = "conn g\n\tleft=1\n\tright=%group\n".to_string();
        let resolved = model::resolve_text(&loader, Path::new("/etc/ipsec.conf"), text, &ResolveOptions::default());
        resolved.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    for (code, triggers, clean) in [
        (codes::POLICY_BAD_LINE, "10.0.0.0/33\n", "10.0.0.0/8\n"),
        (codes::POLICY_HOST_BITS, "10.0.0.1/8\n", "10.0.0.0/8\n"),
        (codes::POLICY_DUPLICATE_BLOCK, "10.0.0.0/8\n10.0.0.0/8\n", "10.0.0.0/8\n10.0.0.0/9\n"),
    ] {
        assert!(group(triggers).contains(&code), "{code} not reported for {triggers:?}");
        assert!(!group(clean).contains(&code), "{code} reported for {clean:?}");
    }
    struct Unreadable;
    impl model::Loader for Unreadable {
        fn read(&self, path: &Path) -> Result<String, model::LoadError> {
            if path.starts_with("/etc/ipsec.d") {
                Err(model::LoadError::NotUtf8 { offset: 3 })
            } else {
                Err(model::LoadError::NotFound)
            }
        }
        fn list_dir(&self, _: &Path) -> Result<Vec<model::DirEntry>, model::LoadError> {
            Err(model::LoadError::NotFound)
        }
    }
    let text = "conn g\n\tleft=1\n\tright=%group\n".to_string();
    let resolved = model::resolve_text(&Unreadable, Path::new("/etc/ipsec.conf"), text, &ResolveOptions::default());
    assert!(resolved.diagnostics.iter().any(|d| d.code == codes::POLICY_UNREADABLE), "{:?}", resolved.diagnostics);
    assert!(group("10.0.0.0/8\n").iter().all(|c| *c != codes::POLICY_UNREADABLE));
}

#[test]
fn alsoflip_matches_the_legacy_freeswan_test() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/legacy-alsoflip-test/ipsec.conf"),
    )
    .expect("the shared reference folder is missing beside the repository");
    let resolved =
        model::resolve_text(&MemoryLoader::new(), Path::new("/ipsec.conf"), text, &ResolveOptions::default());
    let conn = |name: &str| resolved.conns.iter().find(|c| c.name == name).unwrap();
    let get = |name: &str, key: &str| conn(name).values.get(key).map(|v| v.value.clone());
    // From east-console.txt: "flip-base-net": 192.1.2.23[@east]...192.1.2.45[@west]===192.0.1.0/24
    assert_eq!(get("flip-base-net", "left").as_deref(), Some("192.1.2.23"));
    assert_eq!(get("flip-base-net", "leftid").as_deref(), Some("@east"));
    assert_eq!(get("flip-base-net", "right").as_deref(), Some("192.1.2.45"));
    assert_eq!(get("flip-base-net", "rightsubnet").as_deref(), Some("192.0.1.0/24"));
    // "flip-flip-net-base": 192.0.2.0/24===192.1.2.23[@east]...192.1.2.45[@west] (east on the right after two flips)
    assert_eq!(get("flip-flip-net-base", "right").as_deref(), Some("192.1.2.23"));
    assert_eq!(get("flip-flip-net-base", "rightsubnet").as_deref(), Some("192.0.2.0/24"));
    assert_eq!(get("flip-flip-net-base", "left").as_deref(), Some("192.1.2.45"));
    // "noflip-base-base": east on the right, west on the left
    assert_eq!(get("noflip-base-base", "right").as_deref(), Some("192.1.2.23"));
    assert_eq!(get("noflip-base-base", "left").as_deref(), Some("192.1.2.45"));
    assert!(!resolved.has_errors(), "{:?}", resolved.diagnostics);
}

/// One fixture of `test_data/diagnostics/`: `# expect: CODE at TEXT` lines name each
/// diagnostic it must give (TEXT is exactly the text its range covers); `# version: V`
/// picks the libreswan version. `NAME.ok.conf` beside it must give no diagnostic at all.
struct Fixture {
    text: String,
    expected: Vec<(String, String)>,
    version: model::LibreswanVersion,
}

fn fixture(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut expected = Vec::new();
    let mut version = model::LibreswanVersion::default();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# expect: ") {
            let (code, at) = rest.split_once(" at ").unwrap_or_else(|| panic!("bad expect line `{line}`"));
            expected.push((code.to_string(), at.to_string()));
        } else if let Some(rest) = line.strip_prefix("# version: ") {
            version = model::LibreswanVersion::parse(rest).unwrap_or_else(|| panic!("bad version `{rest}`"));
        }
    }
    Fixture { text, expected, version }
}

fn resolve_fixture(fixture: &Fixture) -> model::Resolved {
    let options = ResolveOptions { version: fixture.version, ..ResolveOptions::default() };
    model::resolve_text(&MemoryLoader::new(), Path::new("/etc/ipsec.conf"), fixture.text.clone(), &options)
}

fn describe(resolved: &model::Resolved) -> Vec<String> {
    resolved
        .diagnostics
        .iter()
        .map(|d| format!("{} at `{}`: {}", d.code, &resolved.source(d.file).text[d.range], d.message))
        .collect()
}

#[test]
fn catalogue_codes_trigger_on_their_fixture_and_not_on_the_clean_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/diagnostics");
    let catalogue_codes: Vec<&str> = codes::ALL
        .iter()
        .copied()
        .filter(|c| ["keyword-", "value-", "advice-"].iter().any(|p| c.starts_with(p)))
        .collect();
    assert!(catalogue_codes.len() >= 13, "{catalogue_codes:?}");
    for code in catalogue_codes {
        let triggers = fixture(&dir.join(format!("{code}.conf")));
        assert!(!triggers.expected.is_empty(), "{code}.conf has no `# expect:` line");
        let resolved = resolve_fixture(&triggers);
        let found = describe(&resolved);
        for (expected_code, at) in &triggers.expected {
            let hit = resolved
                .diagnostics
                .iter()
                .any(|d| d.code == expected_code && resolved.source(d.file).text[d.range] == **at);
            assert!(hit, "{code}.conf: no {expected_code} at `{at}`; got {found:#?}");
        }
        let clean = fixture(&dir.join(format!("{code}.ok.conf")));
        let resolved = resolve_fixture(&clean);
        assert!(resolved.diagnostics.is_empty(), "{code}.ok.conf: {:#?}", describe(&resolved));
    }
}

#[test]
fn aliases_and_bare_names_are_one_parameter() {
    for (text, first, second) in [
        (format!("conn a\n{AB}\tsubnet=10.0.0.0/8\n\trightsubnet=10.1.0.0/16\n"), "subnet", "rightsubnet"),
        (format!("conn a\n{AB}\tkeylife=1h\n\tipsec-lifetime=2h\n"), "keylife", "ipsec-lifetime"),
        (format!("conn a\n{AB}\taggrmode=no\n\taggressive=no\n"), "aggrmode", "aggressive"),
    ] {
        let resolved =
            model::resolve_text(&MemoryLoader::new(), Path::new("/etc/ipsec.conf"), text, &ResolveOptions::default());
        let duplicate = resolved.diagnostics.iter().find(|d| d.code == codes::KEY_DUPLICATE);
        let duplicate = duplicate.unwrap_or_else(|| panic!("`{first}` + `{second}`: {:?}", describe(&resolved)));
        assert_eq!(&resolved.source(duplicate.file).text[duplicate.range], second);
        assert_eq!(&resolved.source(duplicate.related[0].file).text[duplicate.related[0].range], first);
        // The first one stays, and it can be found under either name.
        let conn = &resolved.conns[0];
        assert_eq!(conn.values.get(first).map(|v| v.key.as_str()), Some(first));
    }
}

#[test]
fn canonical_keys_follow_the_catalogue() {
    use model::checks::canonical_key;
    assert_eq!(canonical_key("subnet"), Some("rightsubnet"));
    assert_eq!(canonical_key("left-updown"), Some("leftupdown"));
    assert_eq!(canonical_key("keylife"), Some("ipsec-lifetime"));
    assert_eq!(canonical_key("leftsubnet"), None);
    assert_eq!(canonical_key("no-such-key"), None);
    // Names listed as aliases of each other meet at one of them.
    assert_eq!(canonical_key("aggrmode").or(Some("aggrmode")), canonical_key("aggressive").or(Some("aggressive")));
}

#[test]
fn every_code_is_documented() {
    let table = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("DIAGNOSTICS.md")).unwrap();
    for code in codes::ALL {
        assert!(table.contains(&format!("| `{code}` |")), "{code} is missing from DIAGNOSTICS.md");
    }
}
