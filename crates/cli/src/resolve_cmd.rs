//! `ipsecconf resolve FILE`: the conns libreswan will load, as JSON or ipsec.conf.

use std::path::PathBuf;

use model::{Resolved, ValueMap};
use serde_json::{Map, Value, json};

use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, check_cmd, diag_json};

pub fn run(file: &str, root_dir: Option<PathBuf>, version: model::LibreswanVersion, conf: bool) -> u8 {
    let resolved = match check_cmd::load(file, root_dir, version) {
        Ok(resolved) => resolved,
        Err(error) => {
            eprintln!("ipsecconf: {error}");
            return EXIT_UNREADABLE;
        }
    };
    if conf {
        print!("{}", to_conf(&resolved));
    } else {
        println!("{}", to_json(&resolved));
    }
    if resolved.has_errors() { EXIT_PROBLEMS } else { EXIT_OK }
}

fn values(map: &ValueMap) -> Value {
    Value::Object(map.iter().map(|v| (v.key.to_string(), Value::String(v.value.to_string()))).collect())
}

/// Where each value was written: file, line and the path that brought it.
fn origins(resolved: &Resolved, map: &ValueMap) -> Value {
    let origin: Map<String, Value> = map
        .iter()
        .map(|v| {
            let source = resolved.source(v.file());
            let (line, _) = source.line_col(v.range().start());
            let origin = json!({"file": source.path.display().to_string(), "line": line, "via": v.via().to_string()});
            (v.key.to_string(), origin)
        })
        .collect();
    Value::Object(origin)
}

/// The conns the files define, then the policy group instances (with `instance_of`).
pub fn to_json(resolved: &Resolved) -> Value {
    let mut conns: Vec<Value> = resolved
        .conns
        .iter()
        .map(|conn| json!({"name": conn.name.as_str(), "values": values(&conn.values), "origin": origins(resolved, &conn.values)}))
        .collect();
    conns.extend(resolved.instances.iter().map(|instance| {
        json!({
            "name": instance.name,
            "instance_of": instance.instance_of,
            "values": values(&instance.values),
            "origin": origins(resolved, &instance.values),
        })
    }));
    let diagnostics: Vec<Value> = resolved.diagnostics.iter().map(|d| diag_json::diagnostic(resolved, d)).collect();
    json!({"setup": values(&resolved.setup), "conns": conns, "diagnostics": diagnostics})
}

/// A value as ipsec.conf text: quoted when it holds white space, `#` or is empty.
fn quote(value: &str) -> String {
    if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == '#' || c == '"') {
        format!("\"{}\"", value.replace('"', "'"))
    } else {
        value.to_string()
    }
}

pub fn to_conf(resolved: &Resolved) -> String {
    let mut out =
        String::from("# resolved by ipsecconf: %default, also= and alsoflip= applied, policy groups instantiated\n");
    if !resolved.setup.is_empty() {
        out.push_str("\nconfig setup\n");
        for v in resolved.setup.iter() {
            out.push_str(&format!("\t{}={}\n", v.key, quote(v.value)));
        }
    }
    for conn in &resolved.conns {
        out.push_str(&format!("\nconn {}\n", quote(&conn.name)));
        for v in conn.values.iter() {
            out.push_str(&format!("\t{}={}\n", v.key, quote(v.value)));
        }
    }
    for instance in &resolved.instances {
        let source = resolved.source(instance.file);
        let (line, _) = source.line_col(instance.range.start());
        out.push_str(&format!(
            "\n# instance of policy group `{}` from {}:{line}\nconn {}\n",
            instance.instance_of,
            source.path.display(),
            quote(&instance.name)
        ));
        for v in instance.values.iter() {
            out.push_str(&format!("\t{}={}\n", v.key, quote(v.value)));
        }
    }
    out
}
