//! Reading user files: standard input or a path, always valid UTF-8 or a clear error.

use std::io::Read;

/// Reads `path` (`-` for standard input) as UTF-8 text.
pub fn read_text(path: &str) -> Result<String, String> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?
    };
    let name = if path == "-" { "standard input" } else { path };
    String::from_utf8(bytes)
        .map_err(|e| format!("{name} is not valid UTF-8: invalid byte at offset {}", e.utf8_error().valid_up_to()))
}
