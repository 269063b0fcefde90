//! `cargo xtask playground [--build-only] [--port N]`: builds the browser playground
//! into `web/dist/` and serves it on 127.0.0.1.
//!
//! Steps: the wasm32 target and the wasm-bindgen CLI of the crate's exact version
//! (installed when missing), `npm ci` in `web/` when its packages are stale, a release
//! build of `crates/wasm`, `wasm-bindgen --target web`, npm binaryen's `wasm-opt -Oz`
//! (never Debian's binaryen: its output crashes on what rustc emits), then esbuild.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";

pub fn run_playground(args: &[String]) -> Result<(), String> {
    let build_only = args.iter().any(|a| a == "--build-only");
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).ok_or("--port needs a number")?.clone(),
        None => "8000".to_string(),
    };
    if let Some(unknown) = args.iter().find(|a| a.starts_with("--") && *a != "--build-only" && *a != "--port") {
        return Err(format!("unknown option {unknown}; usage: cargo xtask playground [--build-only] [--port N]"));
    }
    build()?;
    if build_only {
        return Ok(());
    }
    run(Command::new("node").arg("serve.mjs").arg("dist").arg(&port).current_dir(web_dir()))
}

/// Builds `web/dist/`, installing what the build needs first.
pub fn build() -> Result<(), String> {
    let root = repo_root();
    let web = web_dir();
    install_wasm_target()?;
    install_wasm_bindgen(&wasm_bindgen_version(&root)?)?;
    npm_ci(&web)?;
    run(Command::new("cargo").current_dir(&root).args([
        "build",
        "--package",
        "ipsecconf-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let wasm = target_dir.join(WASM_TARGET).join(WASM_PROFILE).join("ipsecconf_wasm.wasm");
    let pkg = web.join("build").join("pkg");
    run(Command::new("wasm-bindgen").arg("--target").arg("web").arg("--out-dir").arg(&pkg).arg(&wasm))?;
    let bindgen_wasm = pkg.join("ipsecconf_wasm_bg.wasm");
    // npm's binaryen (node_modules/.bin), never a wasm-opt found on PATH.
    let wasm_opt = web.join("node_modules").join(".bin").join("wasm-opt");
    run(Command::new(&wasm_opt)
        .args([
            "-Oz",
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-reference-types",
            "--enable-nontrapping-float-to-int",
        ])
        .args(["--enable-sign-ext", "--enable-mutable-globals", "--enable-multivalue"])
        .arg(&bindgen_wasm)
        .arg("-o")
        .arg(&bindgen_wasm))?;
    run(Command::new("node").arg("build.mjs").current_dir(&web))?;
    let size = std::fs::metadata(&bindgen_wasm).map_err(|e| e.to_string())?.len();
    eprintln!("xtask: {} is {} KB", bindgen_wasm.display(), size / 1024);
    Ok(())
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root exists")
}

pub fn web_dir() -> PathBuf {
    repo_root().join("web")
}

fn install_wasm_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The exact version the workspace pins (`wasm-bindgen = "=X.Y.Z"`): the CLI must match it.
fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("read Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
        .ok_or_else(|| "Cargo.toml pins no wasm-bindgen version (expected `wasm-bindgen = \"=X.Y.Z\"`)".to_string())
}

fn install_wasm_bindgen(version: &str) -> Result<(), String> {
    let current = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    // Not --locked: its lockfile pins a crate version this registry lacks.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", version]))
}

/// `npm ci` unless node_modules already matches package-lock.json.
fn npm_ci(web: &Path) -> Result<(), String> {
    let lock = std::fs::read(web.join("package-lock.json")).map_err(|e| format!("read web/package-lock.json: {e}"))?;
    let stamp = web.join("node_modules").join(".ipsecconf-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(web))?;
    std::fs::write(&stamp, lock).map_err(|e| format!("write {}: {e}", stamp.display()))
}

fn output(command: &mut Command) -> Result<String, String> {
    let out = command.output().map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&out.stderr)))
    }
}
