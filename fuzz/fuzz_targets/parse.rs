//! The parser must take any bytes (read as UTF-8, lossily), never panic, and
//! give back a tree whose text is its input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parse = syntax::parse(&text);
    assert_eq!(parse.syntax_node().to_string(), text);
    for error in &parse.errors {
        assert!(usize::from(error.range.end()) <= text.len());
    }
});
