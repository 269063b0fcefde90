//! `cargo xtask <task>`: the project's build automation.

mod codegen;
mod editors;
mod playground;
mod test;
mod vsix;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run_all(&args[1..]),
        Some("codegen") => codegen::run(&args[1..]),
        Some("vsix") => vsix::run_vsix(&args[1..]),
        Some("playground") => playground::run_playground(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>

tasks:
  test     install what the tests need, then run every test suite (`test editors`: only the editors', `test playground`: only the playground's)
  codegen  regenerate crates/model/src/catalogue/generated.rs from ../shared/reference
  vsix     build the VS Code extension into editors/vscode/ipsecconf.vsix
  playground [--build-only] [--port N]  build the browser playground into web/dist and serve it on 127.0.0.1"
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
