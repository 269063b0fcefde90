//! `cargo xtask vsix`: builds the VS Code extension into `editors/vscode/ipsecconf.vsix`
//! (type check, esbuild bundle, `vsce package`), installing its npm packages first.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;

pub fn run_vsix(_args: &[String]) -> Result<(), String> {
    let vsix = build()?;
    eprintln!("xtask: wrote {}", vsix.display());
    Ok(())
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository holds crates/xtask")
}

pub fn vscode_dir() -> PathBuf {
    repo_root().join("editors/vscode")
}

/// Builds the extension and returns the path of the `.vsix`.
pub fn build() -> Result<PathBuf, String> {
    let dir = vscode_dir();
    npm_ci(&dir)?;
    let vsix = dir.join("ipsecconf.vsix");
    let _ = std::fs::remove_file(&vsix);
    run(Command::new("npm").args(["run", "--silent", "package"]).current_dir(&dir))?;
    if !vsix.is_file() {
        return Err(format!("`npm run package` did not write {}", vsix.display()));
    }
    check_contents(&vsix)?;
    Ok(vsix)
}

/// What the extension cannot work without; a `.vsix` is a zip file.
const REQUIRED_FILES: &[&str] = &[
    "extension/package.json",
    "extension/dist/extension.js",
    "extension/syntaxes/ipsec-conf.tmLanguage.json",
    "extension/language-configuration.json",
];

fn check_contents(vsix: &Path) -> Result<(), String> {
    let output = Command::new("python3")
        .args(["-m", "zipfile", "-l"])
        .arg(vsix)
        .output()
        .map_err(|e| format!("cannot run python3 to list {}: {e}", vsix.display()))?;
    if !output.status.success() {
        return Err(format!("{} is not a readable zip file", vsix.display()));
    }
    let listing = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = listing.lines().filter_map(|line| line.split_whitespace().next()).collect();
    let missing: Vec<&str> = REQUIRED_FILES.iter().copied().filter(|file| !names.contains(file)).collect();
    if missing.is_empty() { Ok(()) } else { Err(format!("{} lacks {}", vsix.display(), missing.join(", "))) }
}

/// `npm ci` in `dir` unless its node_modules already matches package-lock.json.
pub fn npm_ci(dir: &Path) -> Result<(), String> {
    require_node()?;
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) if installed >= lock => Ok(()),
        (_, None) => Err(format!("{} is missing", lock.display())),
        _ => run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir)),
    }
}

fn require_node() -> Result<(), String> {
    let output = Command::new("node").arg("--version").output().map_err(|e| {
        format!("cannot run `node` ({e}): the editor packages need Node.js 20 or later and npm on PATH")
    })?;
    let version = String::from_utf8_lossy(&output.stdout);
    let major: u32 = version.trim().trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if major >= 20 {
        Ok(())
    } else {
        Err(format!("Node.js {} is too old: the editor packages need 20 or later", version.trim()))
    }
}
