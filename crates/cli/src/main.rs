//! `ipsecconf`: the command-line face of the project.

mod check_cmd;
mod diag_json;
mod explain_cmd;
mod fmt_cmd;
mod fs_loader;
mod input;
mod lsp_cmd;
mod peer_cmd;
mod resolve_cmd;

use std::process::ExitCode;

// The checker and the language server build and drop large trees; mimalloc
// handles that churn far better than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "ipsecconf", version, about = "Checker, formatter and language server for Libreswan's ipsec.conf")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the lossless syntax tree of FILE (`-` for standard input), then its syntax errors.
    Syntax {
        /// The file to read, or `-` for standard input.
        file: String,
    },
    /// Describe a keyword from the ipsec.conf(5) man page: docs, kind, values, aliases, versions.
    Explain {
        /// The keyword (any case; leftX/rightX resolve to their pair).
        #[arg(required_unless_present = "list")]
        keyword: Option<String>,
        /// Print every keyword, one a line.
        #[arg(long, conflicts_with = "keyword")]
        list: bool,
    },
    /// Check FILEs: keywords, values, includes, also=, %default and sections, shown like a compiler's.
    Check {
        #[arg(required = true)]
        files: Vec<String>,
        /// Take absolute include paths below DIR (libreswan's --rootdir).
        #[arg(long, value_name = "DIR")]
        rootdir: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// The libreswan release to check keywords against.
        #[arg(long, value_enum, default_value = "4")]
        libreswan: Libreswan,
    },
    /// Print the conns libreswan will load from FILE, with where each value came from.
    Resolve {
        file: String,
        /// Take absolute include paths below DIR (libreswan's --rootdir).
        #[arg(long, value_name = "DIR")]
        rootdir: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: ResolveFormat,
        /// The libreswan release to check keywords against.
        #[arg(long, value_enum, default_value = "4")]
        libreswan: Libreswan,
    },
    /// Format files in place (atomically), or standard input to standard output.
    /// Exit 1 with --check when a file would change, 2 when one cannot be read or written.
    Fmt(fmt_cmd::FmtArgs),
    /// Compare two gateways' configs: will both ends of each tunnel agree?
    Peer {
        /// The first gateway's ipsec.conf (`-` for standard input).
        west: String,
        /// The second gateway's ipsec.conf.
        east: String,
        /// Pair conn WEST_CONN of the first file with EAST_CONN of the second (repeatable);
        /// without it, conns pair by name.
        #[arg(long = "conn", value_name = "WEST_CONN=EAST_CONN", value_parser = peer_cmd::parse_pair)]
        conns: Vec<(String, String)>,
        /// Take absolute include paths below DIR (libreswan's --rootdir).
        #[arg(long, value_name = "DIR")]
        rootdir: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
    },
    /// Run the language server, speaking LSP over standard input and output.
    Lsp,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Libreswan {
    #[value(name = "3.20")]
    V3_20,
    #[value(name = "4")]
    V4,
    #[value(name = "current")]
    Current,
}

impl From<Libreswan> for model::LibreswanVersion {
    fn from(version: Libreswan) -> Self {
        match version {
            Libreswan::V3_20 => model::LibreswanVersion::V3_20,
            Libreswan::V4 => model::LibreswanVersion::V4,
            Libreswan::Current => model::LibreswanVersion::Current,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ResolveFormat {
    Json,
    Conf,
}

/// Exit codes shared by every subcommand.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Syntax { file } => syntax_command(&file),
        Command::Explain { keyword, list } => explain_cmd::run(keyword.as_deref(), list),
        Command::Check { files, rootdir, format, libreswan } => {
            check_cmd::run(&files, rootdir, libreswan.into(), matches!(format, CheckFormat::Json))
        }
        Command::Resolve { file, rootdir, format, libreswan } => {
            resolve_cmd::run(&file, rootdir, libreswan.into(), matches!(format, ResolveFormat::Conf))
        }
        Command::Fmt(args) => fmt_cmd::run(&args),
        Command::Peer { west, east, conns, rootdir, format } => {
            peer_cmd::run(&west, &east, conns, rootdir, matches!(format, CheckFormat::Json))
        }
        Command::Lsp => lsp_cmd::run(),
    };
    ExitCode::from(code)
}

fn syntax_command(file: &str) -> u8 {
    let text = match input::read_text(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("ipsecconf: {error}");
            return EXIT_UNREADABLE;
        }
    };
    let parse = syntax::parse(&text);
    print!("{}", parse.debug_dump());
    if parse.has_errors() { EXIT_PROBLEMS } else { EXIT_OK }
}
