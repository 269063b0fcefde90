//! The formatter over every ipsec.conf file of the corpus: idempotent, every
//! comment kept, the same meaning by the syntax tree (see `meaning`), and the same
//! output from libreswan's own parser before and after.

use std::path::{Path, PathBuf};
use std::process::Command;

use formatter::{FormatOptions, Indent, format};
use ipsecconf_tests::meaning::check_formatting;
use ipsecconf_tests::{corpus_dir, files_below};

const READWRITECONF: &str = "/usr/libexec/ipsec/readwriteconf";

/// Every file of `libreswan/` and `semantics/` (all of them ipsec.conf syntax).
fn corpus_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for folder in ["libreswan", "semantics"] {
        for path in files_below(&corpus_dir().join(folder)) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files.push((path, text));
        }
    }
    assert!(files.len() > 2500, "only {} corpus files", files.len());
    files
}

fn option_sets() -> [FormatOptions; 3] {
    [
        FormatOptions::default(),
        FormatOptions { indent: Indent::Spaces(4), align_equals: false },
        FormatOptions { indent: Indent::Spaces(2), align_equals: true },
    ]
}

#[test]
fn idempotent_and_meaning_preserving_over_the_corpus() {
    let mut failures = Vec::new();
    let mut changed = 0;
    for (path, text) in corpus_files() {
        for options in option_sets() {
            let formatted = format(&text, &options);
            changed += usize::from(formatted != text);
            if let Err(problem) = check_formatting(&text, &formatted, &format(&formatted, &options)) {
                failures.push(format!("{} with {options:?}: {problem}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n\n")
    );
    // The corpus is written by hand: formatting must have had work to do.
    assert!(changed > 1000, "only {changed} formatted files differ from their source");
}

/// libreswan's stdout and exit status for `config` run in `dir`, with its stderr
/// (file name replaced so that two copies compare equal).
fn readwriteconf(dir: &Path, config: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(READWRITECONF)
        .current_dir(dir)
        .args(["--rootdir", "."])
        .arg("--config")
        .arg(config)
        .output()
        .unwrap_or_else(|e| panic!("{READWRITECONF} cannot run ({e}): install libreswan (see TOOLCHAIN.md)"));
    let name = config.to_string_lossy();
    let stderr = String::from_utf8_lossy(&output.stderr).replace(name.as_ref(), "CONFIG");
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), without_line_numbers(&stderr))
}

/// `CONFIG: 6:` and `CONFIG:6:` become `CONFIG:N:`: formatting moves lines (blank
/// lines come and go), so messages about the same problem name other lines.
fn without_line_numbers(stderr: &str) -> String {
    let mut out = String::with_capacity(stderr.len());
    let mut rest = stderr;
    while let Some(at) = rest.find("CONFIG:") {
        out.push_str(&rest[..at + "CONFIG:".len()]);
        rest = &rest[at + "CONFIG:".len()..];
        let digits = rest.trim_start_matches(' ');
        let number_len = digits.len() - digits.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if number_len > 0 {
            out.push('N');
            rest = &digits[number_len..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn libreswan_reads_the_same_before_and_after() {
    let scratch = std::env::temp_dir().join(format!("ipsecconf-fmt-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("create scratch folder");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (path, text) in corpus_files() {
        // Relative includes resolve against the working directory: run both
        // copies from the folder of the corpus part the file belongs to.
        let libreswan = corpus_dir().join("libreswan");
        let dir = if path.starts_with(&libreswan) { libreswan } else { corpus_dir().join("semantics") };
        let original = path.strip_prefix(&dir).expect("below its folder").to_path_buf();
        let mut before = None;
        // The default layout, and the one that moves the most (spaces before `=`).
        for options in [option_sets()[0], option_sets()[2]] {
            let formatted = format(&text, &options);
            if formatted == text {
                continue;
            }
            let copy = scratch.join("formatted.conf");
            std::fs::write(&copy, &formatted).expect("write formatted copy");
            let before = before.get_or_insert_with(|| readwriteconf(&dir, &original)).clone();
            let after = readwriteconf(&dir, &copy);
            compared += 1;
            if before != after {
                failures.push(format!("{} with {options:?}:\nbefore: {before:?}\nafter:  {after:?}", path.display()));
            }
        }
    }
    std::fs::remove_dir_all(&scratch).expect("remove scratch folder");
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n\n")
    );
    assert!(compared > 2000, "only {compared} formatted copies compared");
}
