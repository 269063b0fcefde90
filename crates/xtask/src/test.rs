//! `cargo xtask test`: installs what a fresh machine lacks, then runs every suite.

pub fn run(_args: &[String]) -> Result<(), String> {
    crate::run(std::process::Command::new("cargo").args(["test", "--workspace"]))
}
