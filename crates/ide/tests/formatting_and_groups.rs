//! Formatting edits and policy group instances, on fixtures in `test_data/`.

use std::path::{Path, PathBuf};

use expect_test::expect;
use ide::{Analysis, AnalysisOptions, FormatOptions, Indent, TextRange, TextSize};

fn test_data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(path)
}

fn read(path: &str) -> String {
    let full = test_data(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", full.display()))
}

#[test]
fn formatting_edits_give_the_formatter_output() {
    let text = read("format/messy.conf");
    for indent in [Indent::Tab, Indent::Spaces(4)] {
        let options = FormatOptions { indent, ..FormatOptions::default() };
        let edits = ide::format(&text, &options);
        assert_eq!(edits.len(), 1);
        let formatted = ide::apply_edits(&text, &edits);
        assert_eq!(formatted, formatter::format(&text, &options));
        assert!(ide::format(&formatted, &options).is_empty(), "formatted text needs no edit");
    }
    // The first line is already formatted: the edit starts after it.
    let edits = ide::format(&text, &FormatOptions::default());
    assert_eq!(edits[0].range.start(), TextSize::of("# gateway\n"));
}

#[test]
fn range_formatting_touches_only_the_selected_section() {
    let text = read("format/messy.conf");
    let at = TextSize::from(text.find("leftid").expect("fixture has leftid") as u32);
    let edits = ide::format_range(&text, TextRange::empty(at), &FormatOptions::default());
    expect![[r#"
        # gateway
        config   setup
           logfile = /var/log/pluto.log


        conn base
        	authby=secret # shared
        	leftid=@gw
        conn office
            also = base
        	right=%any
    "#]]
    .assert_eq(&ide::apply_edits(&text, &edits));
    let formatted = formatter::format(&text, &FormatOptions::default());
    let whole = TextRange::up_to(TextSize::of(&formatted));
    assert!(ide::format_range(&formatted, whole, &FormatOptions::default()).is_empty());
}

fn policy_group_analysis() -> (Analysis, String) {
    let conf = read("policy-group/etc/ipsec.conf");
    let loader = model::MemoryLoader::new()
        .with("/etc/ipsec.conf", &conf)
        .with("/etc/ipsec.d/policies/partners", read("policy-group/etc/ipsec.d/policies/partners"));
    let options = AnalysisOptions { warnings: true, ..AnalysisOptions::default() };
    (Analysis::new(&loader, Path::new("/etc/ipsec.conf"), conf.clone(), None, options), conf)
}

#[test]
fn hover_on_a_group_conn_lists_its_instances() {
    let (analysis, text) = policy_group_analysis();
    let at = TextSize::from(text.find("partners").expect("fixture names the group") as u32 + 2);
    let hover = ide::hover(&analysis, at).expect("hover on the conn name");
    let listed: Vec<&str> = hover.markdown.lines().filter(|l| l.starts_with("- `partners#")).collect();
    expect![[r#"
        [
            "- `partners#198.51.100.0/24` (/etc/ipsec.d/policies/partners:2)",
            "- `partners#203.0.113.7/32` (/etc/ipsec.d/policies/partners:3)",
            "- `partners#2001:db8::/32` (/etc/ipsec.d/policies/partners:4)",
        ]
    "#]]
    .assert_debug_eq(&listed);
    assert!(hover.markdown.contains("3 instance(s)"), "{}", hover.markdown);
    assert_eq!(analysis.resolved.instances.len(), 3, "the model found the same instances");
}
