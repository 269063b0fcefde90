//! The playground API, natively: the same calls the browser makes, on the page's
//! examples (`web/examples/`), the corpus and arbitrary text.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use expect_test::expect_file;
use ipsecconf_wasm::api::{FormatRequest, ResolveOut, ResolveRequest, TokenClass, TreeNode, Workspace};
use proptest::prelude::*;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples")
}

/// An example's files, keyed by their path below the example's folder.
fn example(name: &str) -> BTreeMap<String, String> {
    let dir = examples_dir().join(name);
    let mut files = BTreeMap::new();
    for path in ipsecconf_tests::files_below(&dir) {
        let relative = path.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        files.insert(relative, std::fs::read_to_string(&path).unwrap());
    }
    assert!(files.contains_key("ipsec.conf"), "{name} has no ipsec.conf");
    files
}

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let mut workspace = Workspace::new();
    workspace.set_files(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()).unwrap();
    workspace
}

/// The resolution as the page shows it: one block per conn, each value with its origin.
fn render(resolved: &ResolveOut) -> String {
    let mut out = format!("files: {}\n", resolved.files.join(", "));
    for conn in resolved.conns.iter().filter(|c| !c.implicit) {
        writeln!(out, "conn {} ({}:{}) also={:?}", conn.name, conn.span.file, conn.span.line, conn.also).unwrap();
        for v in &conn.values {
            writeln!(
                out,
                "  {}={}  <- {} in {} at {}:{}",
                v.key, v.value, v.via.label, v.section, v.span.file, v.span.line
            )
            .unwrap();
        }
    }
    for d in &resolved.check.diagnostics {
        writeln!(
            out,
            "{}[{}] {}:{} {}..{}: {}",
            d.severity, d.code, d.span.file, d.span.line, d.span.from, d.span.to, d.message
        )
        .unwrap();
    }
    out
}

#[test]
fn every_example_resolves_cleanly_and_is_formatted() {
    let names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("web/examples")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.len() >= 4, "examples: {names:?}");
    for name in names {
        let files = example(&name);
        let mut workspace = Workspace::new();
        workspace.set_files(files.clone()).unwrap();
        let resolved = workspace.resolve("ipsec.conf", &Default::default()).unwrap();
        assert_eq!(resolved.check.diagnostics, vec![], "{name}");
        assert!(resolved.conns.iter().any(|c| !c.implicit), "{name} has no conn");
        for (file, text) in &files {
            let formatted = workspace.format(text, &FormatRequest::default()).unwrap();
            assert!(!formatted.changed, "{name}/{file} is not formatted: {:?}", formatted.hunks);
        }
    }
}

#[test]
fn road_warrior_resolution_with_provenance() {
    let mut workspace = Workspace::new();
    workspace.set_files(example("road-warrior")).unwrap();
    let resolved = workspace.resolve("ipsec.conf", &Default::default()).unwrap();
    expect_file!["../test_data/road-warrior.resolve.txt"].assert_eq(&render(&resolved));
}

#[test]
fn includes_find_virtual_files_by_relative_and_absolute_patterns() {
    let main = "conn a\n\tleft=1.2.3.4\n\tright=%any\ninclude ipsec.d/*.conf\ninclude /etc/extra/b.conf\n";
    let ws = workspace(&[
        ("ipsec.conf", main),
        ("ipsec.d/x.conf", "conn x\n\talso=a\n"),
        ("extra/b.conf", "conn b\n\talso=a\n"),
    ]);
    let resolved = ws.resolve("ipsec.conf", &Default::default()).unwrap();
    let names: Vec<&str> = resolved.conns.iter().filter(|c| !c.implicit).map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "x", "b"]);
    assert_eq!(resolved.files[..3], ["ipsec.conf", "ipsec.d/x.conf", "extra/b.conf"]);
    let x = &resolved.conns[1];
    assert_eq!(x.span.file, "ipsec.d/x.conf");
    let left = x.values.iter().find(|v| v.key == "left").unwrap();
    assert_eq!((left.via.kind.as_str(), left.span.file.as_str(), left.span.line), ("also", "ipsec.conf", 2));
    assert_eq!(left.via.chain[0].name, "a");
}

#[test]
fn resolve_request_filters_and_limits_conns() {
    let text: String = (0..30).map(|i| format!("conn tunnel-{i}\n\tleft=1.2.3.4\n\tright=%any\n")).collect();
    let ws = workspace(&[("ipsec.conf", &text)]);
    let all = ws.resolve("ipsec.conf", &ResolveRequest::default()).unwrap();
    assert_eq!((all.conns.len(), all.matching, all.defined), (30, 30, 30));
    let request = ResolveRequest { filter: "TUNNEL-1".into(), limit: Some(4), implicit: false };
    let some = ws.resolve("ipsec.conf", &request).unwrap();
    let names: Vec<&str> = some.conns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!((names, some.matching, some.defined), (vec!["tunnel-1", "tunnel-10", "tunnel-11", "tunnel-12"], 11, 30));
    let implicit = ws.resolve("ipsec.conf", &ResolveRequest { implicit: true, ..Default::default() }).unwrap();
    assert_eq!(implicit.conns.iter().filter(|c| !c.implicit).count(), 30);
}

#[test]
fn missing_include_and_removed_file_are_diagnostics() {
    let mut ws = workspace(&[
        ("ipsec.conf", "include ipsec.d/*.conf\n"),
        ("ipsec.d/x.conf", "conn x\n\tleft=1.2.3.4\n\tright=%any\n"),
    ]);
    assert_eq!(ws.check("ipsec.conf").unwrap().errors, 0);
    ws.remove_file("ipsec.d/x.conf").unwrap();
    let check = ws.check("ipsec.conf").unwrap();
    assert_eq!(check.diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["include-no-match"]);
    assert_eq!((check.diagnostics[0].span.from, check.diagnostics[0].span.to), (0, 22), "the whole include line");
}

#[test]
fn offsets_are_utf16_code_units() {
    // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units.
    let text = "# é😀\nconn a\n\tleft=1.2.3.4\n\tright=%any\n\tbogus=1\n";
    let ws = workspace(&[("ipsec.conf", text)]);
    let check = ws.check("ipsec.conf").unwrap();
    let key_dup = ws.resolve("ipsec.conf", &Default::default()).unwrap().conns[0].span.clone();
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let slice = |from: u32, to: u32| String::from_utf16(&utf16[from as usize..to as usize]).unwrap();
    assert_eq!(slice(key_dup.from, key_dup.to), "a");
    for d in &check.diagnostics {
        assert!(d.span.to as usize <= utf16.len(), "{d:?}");
    }
    let tokens = ws.highlight("ipsec.conf", 0, utf16.len() as u32).unwrap();
    let bogus = tokens.iter().find(|t| t.class == TokenClass::UnknownKey).expect("bogus is unknown");
    assert_eq!(slice(bogus.from, bogus.to), "bogus");
    let comment = &tokens[0];
    assert_eq!((comment.class, slice(comment.from, comment.to)), (TokenClass::Comment, "# é😀".to_string()));
}

#[test]
fn highlight_classes_and_range() {
    let text = "conn %default\n\tkeyingtries=%forever\nconn a\n\tx-y=1\n\tleft=1.2.3.4\n";
    let ws = workspace(&[("ipsec.conf", text)]);
    let all = ws.highlight("ipsec.conf", 0, text.len() as u32).unwrap();
    let shown: Vec<String> =
        all.iter().map(|t| format!("{:?}:{}", t.class, &text[t.from as usize..t.to as usize])).collect();
    assert_eq!(
        shown,
        [
            "Keyword:conn",
            "SectionName:%default",
            "Key:keyingtries",
            "Operator:=",
            "Magic:%forever",
            "Keyword:conn",
            "SectionName:a",
            "Key:x-y",
            "Operator:=",
            "Value:1",
            "Key:left",
            "Operator:=",
            "Value:1.2.3.4"
        ]
    );
    // Only the tokens touching the second line.
    let second = ws.highlight("ipsec.conf", 15, 20).unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].class, TokenClass::Key);
}

#[test]
fn format_gives_text_and_hunks() {
    let ws = Workspace::new();
    let out = ws.format("conn a\n  left = 1.2.3.4\n\n\n\nconn b\n\tright=x\n", &FormatRequest::default()).unwrap();
    assert!(out.changed);
    assert_eq!(out.text, "conn a\n\tleft=1.2.3.4\n\nconn b\n\tright=x\n");
    let diff: Vec<String> = out.hunks[0].lines.iter().map(|l| format!("{} {}", l.tag, l.text)).collect();
    assert_eq!(
        diff,
        [
            "equal conn a",
            "delete   left = 1.2.3.4",
            "delete ",
            "delete ",
            "insert \tleft=1.2.3.4",
            "equal ",
            "equal conn b",
            "equal \tright=x"
        ]
    );
    let spaces = FormatRequest { indent: "4".into(), align_equals: true };
    assert_eq!(ws.format("conn a\n\tleft=1\n\tright=2\n", &spaces).unwrap().text, "conn a\n    left =1\n    right=2\n");
    let same = ws.format(&out.text, &FormatRequest::default()).unwrap();
    assert!(!same.changed && same.hunks.is_empty());
}

#[test]
fn errors_name_the_problem() {
    let mut ws = Workspace::new();
    assert_eq!(ws.check("ipsec.conf").unwrap_err().0, "no file named \"ipsec.conf\"");
    assert!(ws.set_file("dir/", "x".into()).unwrap_err().0.contains("invalid file name"));
    let bad = FormatRequest { indent: "99".into(), align_equals: false };
    assert!(ws.format("conn a\n", &bad).unwrap_err().0.contains("indent must be"));
    assert!(ws.syntax_tree("none").is_err());
}

/// `$0` marks the cursor; returns the text without it and the cursor's UTF-16 offset.
fn cursor(text: &str) -> (String, u32) {
    let at = text.find("$0").expect("a $0 cursor");
    (text.replace("$0", ""), text[..at].encode_utf16().count() as u32)
}

#[test]
fn hover_shows_the_man_page_docs_of_a_keyword() {
    let (text, offset) = cursor("# ü\nconn a\n\tkeying$0tries=%forever\n");
    let ws = workspace(&[("ipsec.conf", &text)]);
    let hover = ws.hover("ipsec.conf", offset).unwrap().expect("a hover");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(String::from_utf16(&utf16[hover.from as usize..hover.to as usize]).unwrap(), "keyingtries");
    let docs = model::catalogue::lookup("keyingtries").unwrap().keyword.docs;
    assert!(hover.markdown.contains(docs.lines().next().unwrap()), "{}", hover.markdown);
    assert_eq!(ws.hover("ipsec.conf", 0).unwrap(), None, "a comment has no hover");
}

#[test]
fn completion_offers_keywords_and_conn_names_across_files() {
    let (text, offset) = cursor("conn b\n\talso=$0\n");
    let ws =
        workspace(&[("ipsec.conf", "conn a\n\tleft=1.2.3.4\ninclude ipsec.d/*.conf\n"), ("ipsec.d/b.conf", &text)]);
    let items = ws.completion("ipsec.d/b.conf", offset).unwrap();
    assert!(items.iter().any(|i| i.label == "a" && i.kind == "conn"), "{items:?}");
    let (text, offset) = cursor("conn b\n\tkeyingt$0\n");
    let ws = workspace(&[("ipsec.conf", &text)]);
    let items = ws.completion("ipsec.conf", offset).unwrap();
    let item = items.iter().find(|i| i.label == "keyingtries").expect("keyingtries offered");
    assert_eq!((item.from, item.to), (8, 15));
    assert!(item.documentation.as_deref().is_some_and(|d| !d.is_empty()));
}

#[test]
fn definition_of_an_also_target_in_another_file() {
    let (text, offset) = cursor("conn b\n\talso=ba$0se\n");
    let ws =
        workspace(&[("ipsec.conf", "include ipsec.d/*.conf\nconn base\n\tleft=1.2.3.4\n"), ("ipsec.d/b.conf", &text)]);
    let spans = ws.definition("ipsec.d/b.conf", offset).unwrap();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!((spans[0].file.as_str(), spans[0].line, spans[0].from, spans[0].to), ("ipsec.conf", 2, 28, 32));
}

fn tree_text(node: &TreeNode, out: &mut String) {
    match &node.text {
        Some(text) => out.push_str(text),
        None => node.children.iter().for_each(|child| tree_text(child, out)),
    }
}

#[test]
fn syntax_tree_is_lossless_on_the_corpus() {
    let files = ipsecconf_tests::files_below(&ipsecconf_tests::corpus_dir().join("libreswan"));
    assert!(files.len() > 10, "corpus missing");
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let ws = workspace(&[("ipsec.conf", &text)]);
        let tree = ws.syntax_tree("ipsec.conf").unwrap();
        let mut rebuilt = String::new();
        tree_text(&tree, &mut rebuilt);
        assert_eq!(rebuilt, text, "{}", path.display());
        assert_eq!((tree.kind.as_str(), tree.to as usize), ("SOURCE_FILE", text.encode_utf16().count()));
        // The same conns as the model, in the same order.
        let resolved = ws.resolve("ipsec.conf", &Default::default()).unwrap();
        let model = model::resolve_text(
            &model::MemoryLoader::new(),
            Path::new("/etc/ipsec.conf"),
            text.clone(),
            &Default::default(),
        );
        let ours: Vec<&str> = resolved.conns.iter().map(|c| c.name.as_str()).collect();
        let theirs: Vec<&str> = model.conns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(ours, theirs, "{}", path.display());
        assert_eq!(resolved.check.diagnostics.len(), model.diagnostics.len(), "{}", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Any text and any offsets: every call answers, none panics (a panic is a trap in wasm).
    #[test]
    fn any_text_any_offsets(text in "(conn|config|include|also|=|%default|[ \t\r\n#\"{}a-z0-9é😀])*", from in 0u32..400, len in 0u32..400) {
        let mut ws = Workspace::new();
        ws.set_files([("ipsec.conf".to_string(), text.clone()), ("a.conf".to_string(), text.clone())].into()).unwrap();
        ws.check("ipsec.conf").unwrap();
        ws.resolve("a.conf", &Default::default()).unwrap();
        ws.syntax_tree("ipsec.conf").unwrap();
        ws.highlight("ipsec.conf", from, from.saturating_add(len)).unwrap();
        ws.highlight("ipsec.conf", from.saturating_add(len), from).unwrap();
        ws.hover("ipsec.conf", from).unwrap();
        ws.completion("a.conf", from).unwrap();
        ws.definition("ipsec.conf", from).unwrap();
        let formatted = ws.format(&text, &FormatRequest::default()).unwrap();
        prop_assert_eq!(formatted.changed, formatted.text != text);
    }
}
