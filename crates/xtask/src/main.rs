//! `cargo xtask <task>`: the project's build automation.

mod codegen;
mod playground;
mod test;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run_all(&args[1..]),
        Some("codegen") => codegen::run(&args[1..]),
        Some("playground") => playground::run_playground(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\ntasks:\n  test     install what the tests need, then run every test suite\n  codegen  regenerate crates/model/src/catalogue/generated.rs from ../shared/reference\n  playground [--build-only] [--port N]  build the browser playground into web/dist and serve it on 127.0.0.1"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command, echoing it, and fails when it fails.
fn run(command: &mut std::process::Command) -> Result<(), String> {
    eprintln!("xtask: running {command:?}");
    let status = command.status().map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed with {status}")) }
}
