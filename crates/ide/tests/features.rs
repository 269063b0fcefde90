//! Each feature on a fixture where `$0` marks the cursor.

use ide::{Analysis, TextSize};

fn fixture(text: &str) -> (Analysis, TextSize) {
    let offset = text.find("$0").expect("fixture needs $0");
    (Analysis::from_text(&text.replace("$0", "")), TextSize::from(offset as u32))
}

fn labels(analysis: &Analysis, offset: TextSize) -> Vec<String> {
    ide::completion(analysis, offset, &model::MemoryLoader::new()).into_iter().map(|i| i.label).collect()
}

const BASE: &str =
    "conn %default\n\tikev2=yes\n\nconn base\n\tleft=192.0.2.1\n\nconn office\n\talso=base\n\tright=%any\n";

#[test]
fn completes_section_types_keywords_values_and_conn_names() {
    let (a, at) = fixture("co$0");
    assert_eq!(labels(&a, at), ["conn", "conn %default", "config setup", "include", "version"]);
    let (a, at) = fixture("conn x\n\tleft=1\n\tsub$0\n");
    let found = labels(&a, at);
    assert!(found.contains(&"leftsubnet".into()) && found.contains(&"rightsubnet".into()));
    assert!(!found.contains(&"left".into()), "already set keys are not offered");
    let (a, at) = fixture("config setup\n\t$0\n");
    assert!(labels(&a, at).contains(&"logfile".into()));
    let (a, at) = fixture("conn x\n\tauto=$0\n");
    assert!(labels(&a, at).contains(&"ondemand".into()));
    let (a, at) = fixture(&format!("{BASE}conn y\n\talso=$0\n"));
    let found = labels(&a, at);
    assert!(found.contains(&"base".into()) && found.contains(&"office".into()) && !found.contains(&"y".into()));
}

#[test]
fn hover_shows_docs_resolved_conns_and_inherited_values() {
    let (a, at) = fixture("conn x\n\tike$0v2=yes\n");
    assert!(ide::hover(&a, at).unwrap().markdown.contains("ikev2"));
    let (a, at) = fixture(&BASE.replace("conn office", "conn off$0ice"));
    let text = ide::hover(&a, at).unwrap().markdown;
    assert!(text.contains("left=192.0.2.1") && text.contains("also=base") && text.contains("%default"), "{text}");
    let (a, at) = fixture(&BASE.replace("ikev2=yes", "ikev2=y$0es"));
    let text = ide::hover(&a, at).unwrap().markdown;
    assert!(text.contains("Inherited by 2 conn(s)") && text.contains("`office`"), "{text}");
}

#[test]
fn goes_to_definition_finds_references_and_renames() {
    let (a, at) = fixture(&BASE.replace("also=base", "also=ba$0se"));
    let target = ide::goto_definition(&a, at);
    assert_eq!(target.len(), 1);
    assert_eq!(&a.focus_text()[target[0].range], "base");
    let (a, at) = fixture(&BASE.replace("conn base", "conn b$0ase"));
    let refs = ide::references(&a, at, true);
    assert_eq!(refs.len(), 2);
    let edits = ide::rename(&a, at, "common").unwrap();
    assert_eq!(edits[0].edits.len(), 2);
    assert!(ide::rename(&a, at, "office").is_err(), "renaming onto an existing conn");
    let (a, at) = fixture("conn x\n\talso=cle$0ar\n");
    assert!(ide::prepare_rename(&a, at).is_err(), "implicit conns are not renamed");
}

#[test]
fn symbols_folding_selection_tokens_and_hints() {
    let (a, at) = fixture(&BASE.replace("right=%any", "right=%a$0ny"));
    let symbols = ide::document_symbols(&a);
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["conn %default", "conn base", "conn office"]);
    assert_eq!(symbols[2].children.len(), 2);
    assert_eq!(ide::folding_ranges(&a).len(), 3);
    let chain = &ide::selection_ranges(&a, &[at])[0];
    assert_eq!(&a.focus_text()[chain[0]], "%any");
    assert!(chain.windows(2).all(|w| w[1].contains_range(w[0])));
    let tokens = ide::semantic_tokens(&a, None);
    assert!(tokens.iter().any(|t| t.token_type == ide::TokenType::Conn && &a.focus_text()[t.range] == "base"));
    let hints = ide::inlay_hints(&a, ide::TextRange::up_to(TextSize::of(a.focus_text())));
    let labels: Vec<&str> = hints.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(labels, ["ikev2=yes", "left=192.0.2.1", "ikev2=yes"]);
    let workspace = ide::workspace_symbols(&[&a], "OFF");
    assert_eq!(workspace.len(), 1);
}

#[test]
fn quick_fixes_follow_diagnostic_codes() {
    let (a, at) = fixture("conn x\n\tleft=1.2.3.4\n\tright=%any\n\tle$0ft=5.6.7.8\n");
    let diagnostics = ide::diagnostics(&a);
    assert_eq!(diagnostics[0].code, "key-duplicate");
    let actions = ide::code_actions(&a, ide::TextRange::empty(at));
    assert_eq!(actions.len(), 1);
    assert_eq!(&a.focus_text()[actions[0].edits[0].range], "\tleft=5.6.7.8\n");
}

/// The first fix offered at the cursor, applied to the focus text.
fn apply_first_fix(fixture_text: &str, code: &str) -> String {
    let (a, at) = fixture(fixture_text);
    let diagnostics = ide::diagnostics(&a);
    assert!(diagnostics.iter().any(|d| d.code == code), "no {code} in {diagnostics:?}");
    let actions = ide::code_actions(&a, ide::TextRange::empty(at));
    let action = actions.first().unwrap_or_else(|| panic!("no fix for {code}"));
    ide::apply_edits(a.focus_text(), &action.edits)
}

#[test]
fn catalogue_quick_fixes_rewrite_the_key() {
    let base = "conn x\n\tleft=192.0.2.1\n\tright=192.0.2.2\n";
    assert_eq!(
        apply_first_fix(&format!("{base}\tleftsubnett$0=10.0.0.0/8\n"), "keyword-unknown"),
        format!("{base}\tleftsubnet=10.0.0.0/8\n")
    );
    assert_eq!(
        apply_first_fix(&format!("{base}\tsub$0net=10.0.0.0/8\n"), "keyword-bare-side"),
        format!("{base}\trightsubnet=10.0.0.0/8\n")
    );
    let alias = apply_first_fix(&format!("{base}\tkeyli$0fe=1h\n"), "keyword-alias");
    let obsolete = apply_first_fix(&format!("{base}\tforceen$0caps=yes\n"), "keyword-obsolete");
    assert!(!obsolete.contains("forceencaps"), "obsolete key kept: {obsolete}");
    assert!(!alias.contains("keylife") && alias.contains("=1h"), "alias not replaced: {alias}");
}
