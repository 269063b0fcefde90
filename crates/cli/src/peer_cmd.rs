//! `ipsecconf peer WEST EAST`: will both ends of each tunnel agree?

use std::path::PathBuf;

use model::peer::{Finding, PeerOptions, PeerReport, Place, compare};
use serde_json::{Value, json};

use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, check_cmd};

/// Parses `--conn A=B` values.
pub fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => Ok((a.trim().into(), b.trim().into())),
        _ => Err(format!("`{text}` is not WEST_CONN=EAST_CONN")),
    }
}

pub fn run(west: &str, east: &str, pairs: Vec<(String, String)>, root_dir: Option<PathBuf>, json: bool) -> u8 {
    if west == "-" && east == "-" {
        eprintln!("ipsecconf: only one of WEST and EAST can be standard input");
        return EXIT_UNREADABLE;
    }
    let (west, east) = match (
        check_cmd::load(west, root_dir.clone(), model::LibreswanVersion::default()),
        check_cmd::load(east, root_dir, model::LibreswanVersion::default()),
    ) {
        (Ok(w), Ok(e)) => (w, e),
        (w, e) => {
            for error in [w.err(), e.err()].into_iter().flatten() {
                eprintln!("ipsecconf: {error}");
            }
            return EXIT_UNREADABLE;
        }
    };
    let report = compare(&west, &east, &PeerOptions { pairs });
    if json {
        println!("{}", to_json(&report));
    } else {
        print!("{}", to_human(&report));
    }
    if report.agrees() { EXIT_OK } else { EXIT_PROBLEMS }
}

fn place_json(place: &Option<Place>) -> Value {
    match place {
        None => Value::Null,
        Some(p) => json!({"file": p.file, "line": p.line, "key": p.key, "value": p.value, "set": p.set}),
    }
}

fn finding_json(finding: &Finding) -> Value {
    json!({
        "kind": finding.kind.as_str(),
        "parameter": finding.parameter,
        "message": finding.message,
        "west": place_json(&finding.west),
        "east": place_json(&finding.east),
    })
}

pub fn to_json(report: &PeerReport) -> Value {
    let pairs: Vec<Value> = report
        .pairs
        .iter()
        .map(|p| {
            json!({
                "west_conn": p.west_conn,
                "east_conn": p.east_conn,
                "orientation": p.orientation.as_str(),
                "orientation_reason": p.orientation_reason,
                "findings": p.findings.iter().map(finding_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unpaired: Vec<Value> = report.unpaired.iter().map(finding_json).collect();
    json!({"agree": report.agrees(), "pairs": pairs, "unpaired": unpaired})
}

fn place_line(label: &str, place: &Option<Place>) -> String {
    match place {
        None => String::new(),
        Some(p) if p.set => format!("    {label}: {}:{}  {}={}\n", p.file, p.line, p.key, p.value),
        Some(p) if p.key == "conn" => format!("    {label}: {}:{}  conn {}\n", p.file, p.line, p.value),
        Some(p) => {
            let default = if p.value.is_empty() { String::new() } else { format!(", so {}", p.value) };
            format!("    {label}: {}:{}  {} not set{default}\n", p.file, p.line, p.key)
        }
    }
}

fn finding_text(finding: &Finding) -> String {
    format!(
        "  {}: {}\n{}{}",
        finding.kind.as_str(),
        finding.message,
        place_line("west", &finding.west),
        place_line("east", &finding.east)
    )
}

pub fn to_human(report: &PeerReport) -> String {
    let mut out = String::new();
    for pair in &report.pairs {
        let status = if pair.findings.is_empty() { "agree" } else { "DISAGREE" };
        out.push_str(&format!(
            "conn {} / {}: {status} (orientation {}: {})\n",
            pair.west_conn,
            pair.east_conn,
            pair.orientation.as_str(),
            pair.orientation_reason
        ));
        for finding in &pair.findings {
            out.push_str(&finding_text(finding));
        }
    }
    for finding in &report.unpaired {
        out.push_str(&finding_text(finding));
    }
    let count = report.findings().count();
    out.push_str(&format!("{} conn pair(s) compared, {count} finding(s)\n", report.pairs.len()));
    out
}
