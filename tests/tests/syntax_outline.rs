//! The green-tree outline agrees with the typed AST on every corpus file and on
//! the syntax fixtures, broken ones included; the outline read without a tree
//! agrees with both.

use ipsecconf_tests::{corpus_dir, files_below};
use syntax::ast::{AstNode, Item};
use syntax::outline::{OutlineEntry, OutlineItem};

fn entry_from_ast(
    kv: &syntax::ast::KeyValue,
) -> (String, syntax::TextRange, String, Option<syntax::TextRange>, syntax::TextRange) {
    let key = kv.key().map(|k| k.syntax().text().to_string()).unwrap_or_default();
    let key_range = kv.key().map_or(syntax::TextRange::empty(kv.range().start()), |k| k.range());
    (key, key_range, kv.value_text(), kv.value().map(|v| v.range()), kv.range())
}

fn entry_from_outline(
    e: &OutlineEntry<'_>,
) -> (String, syntax::TextRange, String, Option<syntax::TextRange>, syntax::TextRange) {
    (e.key.to_string(), e.key_range, e.value.to_string(), e.value_range, e.range)
}

fn check(path: &std::path::Path, text: &str) {
    let parse = syntax::parse(text);
    let outline = parse.outline();
    // Read from the parser's events, without a tree: the same items and errors.
    let (direct, errors) = syntax::outline::outline_text(text);
    assert_eq!(direct, outline, "{}: outline without a tree", path.display());
    assert_eq!(errors, parse.errors, "{}: errors without a tree", path.display());
    let items: Vec<Item> = parse.source_file().items().collect();
    assert_eq!(outline.len(), items.len(), "{}: item count", path.display());
    for (o, a) in outline.iter().zip(&items) {
        match (o, a) {
            (OutlineItem::Section(o), Item::Section(a)) => {
                assert_eq!(o.section_type, a.section_type(), "{}", path.display());
                assert_eq!(o.name.as_deref().map(str::to_string), a.name(), "{}", path.display());
                assert_eq!(o.name_range, a.header().and_then(|h| h.name()).map(|n| n.range()));
                assert_eq!(o.range, a.range());
                let ours: Vec<_> = o.entries.iter().map(entry_from_outline).collect();
                let theirs: Vec<_> = a.key_values().map(|kv| entry_from_ast(&kv)).collect();
                assert_eq!(ours, theirs, "{}", path.display());
            }
            (OutlineItem::Include(o), Item::Include(a)) => {
                assert_eq!(o.pattern.as_deref().map(str::to_string), a.pattern().map(|p| p.text()));
                assert_eq!(o.range, a.range());
            }
            (OutlineItem::Version { range }, Item::Version(a)) => assert_eq!(*range, a.range()),
            (OutlineItem::StrayEntry(o), Item::KeyValue(a)) => assert_eq!(entry_from_outline(o), entry_from_ast(a)),
            _ => panic!("{}: outline {o:?} vs AST {a:?}", path.display()),
        }
    }
}

#[test]
fn outline_agrees_with_the_typed_ast() {
    let mut dirs = vec![corpus_dir().join("libreswan"), corpus_dir().join("semantics")];
    dirs.push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/syntax/test_data"));
    let mut count = 0;
    for dir in dirs {
        for path in files_below(&dir) {
            if path.extension().is_some_and(|e| e == "conf") || dir.ends_with("libreswan") {
                check(&path, &std::fs::read_to_string(&path).expect("read"));
                count += 1;
            }
        }
    }
    assert!(count > 2500, "only {count} files");
}
