//! Tree snapshots of the fixtures under `test_data/`: `ok/` files must parse
//! without errors, `err/` files with at least one. `UPDATE_EXPECT=1` refreshes.

use std::path::Path;

fn check_dir(dir: &str, expect_errors: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(dir);
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("read test_data")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 8, "only {} fixtures in {}", fixtures.len(), dir.display());
    for path in fixtures {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let parse = syntax::parse(&text);
        assert_eq!(parse.syntax_node().to_string(), text, "{} does not round-trip", path.display());
        assert_eq!(parse.has_errors(), expect_errors, "{}: errors {:?}", path.display(), parse.errors);
        expect_test::expect_file![path.with_extension("rast")].assert_eq(&parse.debug_dump());
    }
}

#[test]
fn ok_fixtures() {
    check_dir("ok", false);
}

#[test]
fn err_fixtures() {
    check_dir("err", true);
}
