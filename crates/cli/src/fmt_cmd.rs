//! `ipsecconf fmt`: formats files in place, or standard input to standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use formatter::{FormatOptions, Indent, format};

use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, input};

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Write nothing; list the files that would change and exit 1 if any would.
    #[arg(long)]
    check: bool,
    /// Write nothing; print a unified diff of the changes.
    #[arg(long)]
    diff: bool,
    /// Indent body lines with N spaces instead of a tab.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=16))]
    indent_spaces: Option<u8>,
    /// Line up the `=` of the parameters of each section.
    #[arg(long)]
    align_equals: bool,
    /// Files to format in place; none or `-`: standard input to standard output.
    files: Vec<String>,
}

pub fn run(args: &FmtArgs) -> u8 {
    let options = FormatOptions {
        indent: args.indent_spaces.map_or(Indent::Tab, Indent::Spaces),
        align_equals: args.align_equals,
    };
    let files: Vec<&str> =
        if args.files.is_empty() { vec!["-"] } else { args.files.iter().map(String::as_str).collect() };
    files.into_iter().map(|file| format_one(file, args, &options)).max().unwrap_or(EXIT_OK)
}

fn format_one(file: &str, args: &FmtArgs, options: &FormatOptions) -> u8 {
    let text = match input::read_text(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("ipsecconf: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let formatted = format(&text, options);
    let changed = formatted != text;
    let name = if file == "-" { "<stdin>" } else { file };
    if args.diff && changed {
        print!("{}", unified_diff(&text, &formatted, name));
    }
    if args.check && changed && !args.diff {
        println!("{name}");
    }
    if args.check || args.diff {
        return if args.check && changed { EXIT_PROBLEMS } else { EXIT_OK };
    }
    if file == "-" {
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = stdout.write_all(formatted.as_bytes()).and_then(|()| stdout.flush()) {
            eprintln!("ipsecconf: cannot write standard output: {error}");
            return EXIT_UNREADABLE;
        }
        return EXIT_OK;
    }
    if !changed {
        return EXIT_OK;
    }
    match write_atomically(Path::new(file), &formatted) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("ipsecconf: cannot write {file}: {error}; the file is unchanged");
            EXIT_UNREADABLE
        }
    }
}

fn unified_diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`:
/// a failure at any point leaves `path` as it was. A symbolic link is followed, so
/// the file it points to is replaced and the link stays.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let temporary = temporary_path(&target);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn temporary_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.ipsecconf-fmt-{}.tmp", std::process::id()))
}
