//! Before/after snapshots: every `test_data/<options>/NAME.conf` is formatted with
//! the options its folder names and compared with `NAME.conf.formatted` beside it
//! (a `\r` shown as `␍`; `UPDATE_EXPECT=1 cargo test -p ipsecconf-fmt` rewrites them). Each output must
//! also be a fixed point, and range formatting of every line must agree with it.

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use formatter::{FormatOptions, Indent, format, format_range};
use syntax::{TextRange, TextSize};

fn options_for(folder: &str) -> FormatOptions {
    match folder {
        "default" => FormatOptions::default(),
        "spaces4" => FormatOptions { indent: Indent::Spaces(4), ..FormatOptions::default() },
        "align" => FormatOptions { align_equals: true, ..FormatOptions::default() },
        other => panic!("test_data/{other}: unknown options folder (default, spaces4, align)"),
    }
}

fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut out = Vec::new();
    for folder in std::fs::read_dir(&root).expect("read test_data") {
        let folder = folder.expect("entry").path();
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&folder).expect("read fixture folder") {
            let file = file.expect("entry").path();
            if file.extension().is_some_and(|e| e == "conf") {
                out.push((name.clone(), file));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 20, "only {} fixtures", out.len());
    out
}

#[test]
fn snapshots() {
    for (folder, input_path) in fixtures() {
        let options = options_for(&folder);
        let input = std::fs::read_to_string(&input_path).expect("read fixture");
        let output = format(&input, &options);
        // expect-test reads snapshots with `\r\n` turned into `\n`; show each `\r` as `␍`
        // so the line endings the formatter keeps are visible and compared.
        expect_file![input_path.with_extension("conf.formatted")].assert_eq(&output.replace('\r', "␍"));
        assert_eq!(format(&output, &options), output, "{}: formatting twice changes the text", input_path.display());
    }
}

/// Formatting the range of each line in turn, applying each edit, ends in the
/// same text as formatting the whole file (blank lines between sections aside,
/// which belong to no section).
#[test]
fn range_formatting_agrees_with_whole_file() {
    for (folder, input_path) in fixtures() {
        let options = options_for(&folder);
        let input = std::fs::read_to_string(&input_path).expect("read fixture");
        let whole = format(&input, &options);
        let mut text = input.clone();
        let mut offset = 0;
        while offset < text.len() {
            let point = TextRange::empty(TextSize::new(offset as u32));
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
            offset = match format_range(&text, point, &options) {
                Some((range, replacement)) => {
                    assert!(range.start() <= point.start() && point.start() <= range.end(), "edit misses the point");
                    text.replace_range(std::ops::Range::<usize>::from(range), &replacement);
                    (usize::from(range.start()) + replacement.len()).max(offset + 1)
                }
                None => line_end,
            };
        }
        assert_eq!(format(&text, &options), whole, "{}: range edits diverge", input_path.display());
        let strip = |s: &str| s.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(strip(&text), strip(&whole), "{}: range formatting differs from whole-file", input_path.display());
    }
}

#[test]
fn range_outside_any_line_is_none() {
    assert_eq!(format_range("", TextRange::empty(TextSize::new(0)), &FormatOptions::default()), None);
    let text = "conn a\n\tleft=1\n";
    assert_eq!(format_range(text, TextRange::empty(TextSize::new(3)), &FormatOptions::default()), None);
    let messy = "conn a\n  left = 1\n\nconn  b\n right=2\n";
    let (range, replacement) =
        format_range(messy, TextRange::empty(TextSize::new(22)), &FormatOptions::default()).expect("edit");
    assert_eq!((&messy[range], replacement.as_str()), ("conn  b\n right=2\n", "conn b\n\tright=2\n"));
}
