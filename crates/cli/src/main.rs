//! `ipsecconf`: the command-line face of the project.

mod fmt_cmd;
mod input;

use std::process::ExitCode;

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
    /// Format files in place (atomically), or standard input to standard output.
    /// Exit 1 with --check when a file would change, 2 when one cannot be read or written.
    Fmt(fmt_cmd::FmtArgs),
}

/// Exit codes shared by every subcommand.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Syntax { file } => syntax_command(&file),
        Command::Fmt(args) => fmt_cmd::run(&args),
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
