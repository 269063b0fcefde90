//! The differential test against libreswan 4.10: for every corpus file it loaded,
//! our resolved conns must be its conns, in its order, with its values for every key
//! the file set. For the `semantics/` cases the outcome (loaded, warning, error) must
//! match. Known, explained differences are listed in `tests/known-differences.tsv`;
//! a listed file that agrees fails the test too, so the list cannot go stale.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use ipsecconf_tests::{FsLoader, corpus_dir, manifest, semantics_cases, shared_dir};
use model::{ResolveOptions, Severity};

/// Facts from the 4.10 keyword table this comparison needs (test code only).
struct Keywords {
    alias_of: HashMap<String, String>,
    /// Time keys, and whether a bare number is milliseconds.
    time: HashMap<String, bool>,
    /// Names that exist only as left*/right*: a bare one means right*.
    leftright: Vec<String>,
    obsolete: Vec<String>,
}

fn keywords() -> &'static Keywords {
    static KEYWORDS: OnceLock<Keywords> = OnceLock::new();
    KEYWORDS.get_or_init(|| {
        let path = shared_dir().join("reference/keywords-v4.10.tsv");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let mut keywords =
            Keywords { alias_of: HashMap::new(), time: HashMap::new(), leftright: Vec::new(), obsolete: Vec::new() };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let name = cols[0].to_string();
            if !cols[5].is_empty() {
                keywords.alias_of.insert(name.clone(), cols[5].to_string());
            }
            if cols[3] == "time" {
                keywords.time.insert(name.clone(), cols[7].contains("milliseconds"));
            }
            if cols[2] == "yes" {
                keywords.leftright.push(name.clone());
            }
            if cols[6] == "yes" {
                keywords.obsolete.push(name);
            }
        }
        keywords
    })
}

/// The field a key stores into: bare left/right names mean right*, aliases map to one name.
fn canonical(key: &str) -> Option<&'static str> {
    let keywords = keywords();
    let mut key = key.to_string();
    if keywords.leftright.contains(&key) {
        key = format!("right{key}");
    }
    let (side, base) = match key.strip_prefix("left").or_else(|| key.strip_prefix("right")) {
        Some(base) if !base.is_empty() => (&key[..key.len() - base.len()], base.to_string()),
        _ => ("", key.clone()),
    };
    let base = keywords.alias_of.get(&base).cloned().unwrap_or(base);
    Some(Box::leak(format!("{side}{base}").into_boxed_str()))
}

/// A time value in milliseconds, as readwriteconf prints it.
fn time_ms(value: &str, bare_ms: bool) -> Option<u64> {
    let value = value.trim();
    let split = value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: u64 = number.parse().ok()?;
    let factor = match unit {
        "" if bare_ms => 1,
        "" | "s" => 1000,
        "ms" => 1,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return None,
    };
    Some(number * factor)
}

/// One conn as readwriteconf printed it: every key=value line (keys canonicalised).
struct PrintedConn {
    name: String,
    values: BTreeMap<String, Vec<String>>,
}

fn parse_output(text: &str) -> Vec<PrintedConn> {
    let mut conns: Vec<PrintedConn> = Vec::new();
    let mut in_conn = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("conn ") {
            conns.push(PrintedConn { name: name.to_string(), values: BTreeMap::new() });
            in_conn = true;
        } else if line.starts_with("config ") {
            in_conn = false;
        } else if let (true, Some(body)) = (in_conn, line.strip_prefix('\t')) {
            if body.starts_with('#') {
                continue;
            }
            if let Some((key, value)) = body.split_once('=') {
                let key = canonical(key).unwrap_or(key).to_string();
                let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
                conns.last_mut().expect("conn").values.entry(key).or_default().push(value.to_string());
            }
        }
    }
    conns
}

/// Whether our value for `key` is one readwriteconf printed, after normalising.
fn same_value(key: &str, ours: &str, printed: &[String]) -> bool {
    let keywords = keywords();
    let base = key.strip_prefix("left").or_else(|| key.strip_prefix("right")).filter(|b| !b.is_empty()).unwrap_or(key);
    let time = keywords.time.get(key).or_else(|| keywords.time.get(base));
    printed.iter().any(|p| {
        if p.eq_ignore_ascii_case(ours.trim()) {
            return true;
        }
        if let Some(&bare_ms) = time {
            return time_ms(ours, bare_ms).is_some_and(|ms| p.parse::<u64>() == Ok(ms));
        }
        false
    })
}

/// Compares one file; `Err` describes the first difference.
fn compare(path: &Path, expected: &str) -> Result<(), String> {
    let root = corpus_dir().join("libreswan");
    let options = ResolveOptions { root_dir: Some(root), canonical_key: Some(canonical) };
    let resolved = model::resolve(&FsLoader, path, &options).map_err(|e| format!("cannot read: {e}"))?;
    let printed = parse_output(expected);
    let ours: Vec<&str> = resolved.conns.iter().map(|c| c.name.as_str()).collect();
    let theirs: Vec<&str> = printed.iter().map(|c| c.name.as_str()).collect();
    if ours != theirs {
        return Err(format!("conns differ: ours {ours:?}, libreswan {theirs:?}"));
    }
    for (conn, printed) in resolved.conns.iter().zip(&printed) {
        for value in conn.values.iter() {
            // Ignored by libreswan: obsolete keys, x- extensions, empty values (the
            // default) and keys readwriteconf never prints for any corpus file.
            if keywords().obsolete.contains(&value.key)
                || syntax::is_user_extension(&value.key)
                || value.value.is_empty()
                || !printed_keys().contains(&value.canonical)
            {
                continue;
            }
            match printed.values.get(&value.canonical) {
                // readwriteconf prints some enum fields as "" or "UNKNOWN" (its printer
                // lacks their names): the value is not shown, so there is nothing to compare.
                Some(values) if values.iter().all(|v| v.is_empty() || v == "UNKNOWN") => {}
                Some(values) if same_value(&value.canonical, &value.value, values) => {}
                other => {
                    return Err(format!(
                        "conn {}: {}={:?} ({}), libreswan printed {:?}",
                        conn.name, value.key, value.value, value.origin.via, other
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Every key readwriteconf printed in any expected output.
fn printed_keys() -> &'static std::collections::HashSet<String> {
    static KEYS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = std::collections::HashSet::new();
        for entry in manifest().into_iter().filter(|e| e.accepted()) {
            let text = std::fs::read_to_string(entry.expected_output()).expect("read expected output");
            for conn in parse_output(&text) {
                keys.extend(conn.values.into_keys());
            }
        }
        keys
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
    for entry in manifest().into_iter().filter(|e| e.accepted()) {
        let expected = std::fs::read_to_string(entry.expected_output())
            .unwrap_or_else(|e| panic!("read {}: {e}", entry.expected_output().display()));
        compared += 1;
        let outcome = compare(&entry.file(), &expected);
        if outcome.is_ok() {
            agree += 1;
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
        std::fs::write(out, failures.join("\n")).expect("write report");
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
        let options = ResolveOptions { root_dir: None, canonical_key: Some(canonical) };
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
