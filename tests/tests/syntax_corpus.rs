//! Every corpus file parses into a tree whose text is the file, byte for byte, and
//! every file libreswan 4.10 accepted parses without syntax errors.

use ipsecconf_tests::{corpus_dir, files_below, manifest};

#[test]
fn every_corpus_file_round_trips() {
    let (mut count, mut pieces_total) = (0, 0);
    for dir in ["libreswan", "semantics"] {
        for path in files_below(&corpus_dir().join(dir)) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let parse = syntax::parse(&text);
            assert_eq!(parse.syntax_node().to_string(), text, "{} does not round-trip", path.display());
            // Cut before every section header it can, the pieces read the same.
            let starts = syntax::section_starts(&text);
            let ends = starts.iter().skip(1).copied().chain([text.len()]);
            let (mut outline, mut errors) = (Vec::new(), Vec::new());
            for (&start, end) in starts.iter().zip(ends) {
                let (items, piece_errors) = syntax::outline::outline_text_at(&text[start..end], (start as u32).into());
                outline.extend(items);
                errors.extend(piece_errors);
            }
            assert_eq!(outline, parse.outline(), "{} reads differently in {} pieces", path.display(), starts.len());
            assert_eq!(errors, parse.errors, "{}: errors differ in pieces", path.display());
            pieces_total += starts.len();
            count += 1;
        }
    }
    assert!(count > 2500, "only {count} corpus files");
    assert!(pieces_total > 4 * count, "only {pieces_total} pieces in {count} files: the cut points are not tried");
}

#[test]
fn files_libreswan_accepts_have_no_syntax_errors() {
    let mut failures = Vec::new();
    let mut accepted = 0;
    for entry in manifest().into_iter().filter(|e| e.accepted()) {
        accepted += 1;
        let text = std::fs::read_to_string(entry.file()).expect("read corpus file");
        let parse = syntax::parse(&text);
        if parse.has_errors() {
            let errors: Vec<String> = parse.errors.iter().map(ToString::to_string).collect();
            failures.push(format!("{}: {}", entry.path, errors.join("; ")));
        }
    }
    assert_eq!(accepted, 1498);
    assert!(failures.is_empty(), "{} accepted files have syntax errors:\n{}", failures.len(), failures.join("\n"));
}

/// libreswan's own syntax errors (exit 3 "syntax error") should be ours too, unless
/// the file uses a keyword newer than 4.10 (that is not a syntax error for us).
#[test]
fn files_libreswan_rejects_as_syntax_errors_have_syntax_errors() {
    let mut missed = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.exit_code == 3 && e.stderr.contains("syntax error")) {
        let text = std::fs::read_to_string(entry.file()).expect("read corpus file");
        let parse = syntax::parse(&text);
        // libreswan names the offending token in brackets: `syntax error [left-id]`.
        let token = entry.stderr.split("syntax error [").nth(1).and_then(|s| s.split(']').next()).unwrap_or("");
        let is_keyword_problem = token.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !parse.has_errors() && !is_keyword_problem {
            missed.push(format!("{}: {}", entry.path, entry.stderr));
        }
    }
    assert!(missed.is_empty(), "syntax errors libreswan finds and we do not:\n{}", missed.join("\n"));
}
