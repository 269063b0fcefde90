//! `ipsecconf check FILE…`: diagnostics like a compiler's, or JSON.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{
    self,
    termcolor::{ColorChoice, StandardStream},
};
use model::{LibreswanVersion, ResolveOptions, Resolved, Severity};

use crate::fs_loader::FsLoader;
use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, diag_json, input};

/// Reads `file` (or standard input for `-`) and resolves it.
pub fn load(file: &str, root_dir: Option<PathBuf>, version: LibreswanVersion) -> Result<Resolved, String> {
    let text = input::read_text(file)?;
    let path = if file == "-" { Path::new("<stdin>") } else { Path::new(file) };
    let options = ResolveOptions { root_dir, version, ..ResolveOptions::default() };
    Ok(model::resolve_text(&FsLoader, path, text, &options))
}

pub fn run(files: &[String], root_dir: Option<PathBuf>, version: LibreswanVersion, json: bool) -> u8 {
    let mut code = EXIT_OK;
    let mut all = Vec::new();
    for file in files {
        let resolved = match load(file, root_dir.clone(), version) {
            Ok(resolved) => resolved,
            Err(error) => {
                eprintln!("ipsecconf: {error}");
                code = EXIT_UNREADABLE;
                continue;
            }
        };
        if resolved.has_errors() && code == EXIT_OK {
            code = EXIT_PROBLEMS;
        }
        if json {
            all.extend(resolved.diagnostics.iter().map(|d| diag_json::diagnostic(&resolved, d)));
        } else {
            print_human(&resolved);
            eprintln!("{}", summary(file, &resolved));
        }
    }
    if json {
        println!("{}", serde_json::Value::Array(all));
    }
    code
}

/// `ipsec.conf: 2 files, 3 conns: 0 errors, 1 warning` (on standard error, so
/// that standard output holds only the diagnostics).
fn summary(file: &str, resolved: &Resolved) -> String {
    let count = |severity: Severity| resolved.diagnostics.iter().filter(|d| d.severity == severity).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    // The implicit conns' built-in text counts as a file internally; users did not write it.
    let files = resolved.files.iter().filter(|s| s.path != Path::new(model::implicit::PATH)).count();
    format!(
        "{file}: {}, {}: {}, {}",
        plural(files, "file"),
        plural(resolved.conns.len() + resolved.instances.len(), "conn"),
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
    )
}

fn print_human(resolved: &Resolved) {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> =
        resolved.files.iter().map(|s| files.add(s.path.display().to_string(), s.text.as_str())).collect();
    // termcolor's Auto looks only at TERM/NO_COLOR; pipes and files get plain text.
    let color = if std::io::stdout().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let writer = StandardStream::stdout(color);
    let config = term::Config::default();
    for d in &resolved.diagnostics {
        let severity = match d.severity {
            Severity::Error => ReportSeverity::Error,
            Severity::Warning => ReportSeverity::Warning,
            Severity::Info => ReportSeverity::Note,
        };
        let mut labels = vec![Label::primary(ids[d.file.index()], d.range)];
        labels
            .extend(d.related.iter().map(|r| Label::secondary(ids[r.file.index()], r.range).with_message(&r.message)));
        let report = Report::new(severity).with_code(d.code).with_message(&d.message).with_labels(labels);
        if let Err(error) = term::emit(&mut writer.lock(), &config, &files, &report) {
            eprintln!("ipsecconf: cannot print diagnostics: {error}");
        }
    }
}
