//! Diagnostics as JSON objects, shared by `check` and `resolve`.

use model::{Diagnostic, Resolved};
use serde_json::{Value, json};

pub fn diagnostic(resolved: &Resolved, d: &Diagnostic) -> Value {
    let source = resolved.source(d.file);
    let (line, column) = source.line_col(d.range.start());
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let source = resolved.source(r.file);
            let (line, column) = source.line_col(r.range.start());
            json!({"message": r.message, "file": source.path.display().to_string(), "line": line, "column": column})
        })
        .collect();
    json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "file": source.path.display().to_string(),
        "line": line,
        "column": column,
        "related": related,
    })
}
