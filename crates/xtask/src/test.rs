//! `cargo xtask test`: installs what a fresh machine lacks, then runs every suite
//! (fmt, clippy, cargo test, the playground's Node and browser tests, then the editor
//! packages' tests; `cargo xtask test editors` or `test playground` runs one step).
//!
//! Each suite's needs are installed here, never skipped: a test that needs the
//! libreswan oracle fails loudly when it is missing, so this makes sure it is not.

use std::path::Path;
use std::process::Command;

use crate::editors;
use crate::run;

pub fn run_all(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "editors") {
        return editors::run_all();
    }
    if args.iter().any(|a| a == "playground") {
        return playground();
    }
    let quick = args.iter().any(|a| a == "--quick");
    install_oracle()?;
    if !quick {
        run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))?;
        run(Command::new("cargo").args(["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]))?;
    }
    run(Command::new("cargo").args(["test", "--workspace"]))?;
    playground()?;
    editors::run_all()?;
    Ok(())
}

/// The playground: a release build of the page, then the wasm exports in Node and
/// the page in headless Chromium (Debian's, driven by playwright-core).
fn playground() -> Result<(), String> {
    crate::playground::build()?;
    if !Path::new(CHROMIUM).exists() {
        apt_install(&["chromium"])?;
    }
    let web = crate::playground::web_dir();
    run(Command::new("npm").args(["run", "--silent", "test:node"]).current_dir(&web))?;
    run(Command::new("npm").args(["run", "--silent", "test:browser"]).current_dir(&web))
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// libreswan 4.10's own parser, the judge of the oracle tests.
const READWRITECONF: &str = "/usr/libexec/ipsec/readwriteconf";

fn install_oracle() -> Result<(), String> {
    if Path::new(READWRITECONF).exists() {
        return Ok(());
    }
    // Debian starts the daemon on install unless policy-rc.d says no (exit 101).
    let policy = Path::new("/usr/sbin/policy-rc.d");
    if !policy.exists() {
        std::fs::write(policy, "#!/bin/sh\nexit 101\n").map_err(|e| format!("write {}: {e}", policy.display()))?;
        run(Command::new("chmod").args(["+x", "/usr/sbin/policy-rc.d"]))?;
    }
    apt_install(&["libreswan"])?;
    if Path::new(READWRITECONF).exists() {
        Ok(())
    } else {
        Err(format!("libreswan is installed but {READWRITECONF} is missing"))
    }
}

pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages))
}
