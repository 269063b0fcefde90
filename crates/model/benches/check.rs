//! `cargo bench -p ipsecconf-model`: resolve a generated 10,000-conn file with
//! `%default` and `also=` chains, and run readwriteconf 4.10 on the same file.

use std::path::Path;
use std::time::{Duration, Instant};

use model::{MemoryLoader, ResolveOptions};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generate(conns: usize) -> String {
    let mut text = String::from(
        "config setup\n\tlogfile=/var/log/pluto.log\n\nconn %default\n\tikelifetime=8h\n\tkeyingtries=3\n\trekey=no\n\n",
    );
    for i in 0..conns {
        if i % 10 == 0 {
            text.push_str(&format!(
                "conn base{i}\n\tleftsubnet=10.{}.{}.0/24\n\tleftid=@base{i}.example.org\n\tike=aes256-sha2;modp2048\n\tesp=aes256-sha2\n\n",
                i / 256 % 256,
                i % 256
            ));
        } else {
            let base = i - i % 10;
            text.push_str(&format!(
                "conn tunnel-number-{i}\n\tleft=192.0.2.{}\n\tright=198.51.{}.{}\n\trightsubnet=172.16.{}.0/24\n\trightid=@peer{i}.example.org\n\tauto=add\n\tauthby=secret\n\talso=base{base}\n\n",
                i % 250 + 1,
                i / 250 % 250,
                i % 250 + 1,
                i % 256
            ));
        }
    }
    text
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let text = generate(10_000);
    let loader = MemoryLoader::new();
    let options = ResolveOptions::default();
    let mut times = Vec::new();
    let mut conns = 0;
    // IPSECCONF_BENCH_RUNS=1 gives one run, for profilers.
    let runs: usize = std::env::var("IPSECCONF_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(31);
    for _ in 0..runs {
        let start = Instant::now();
        let resolved = model::resolve_text(&loader, Path::new("/bench.conf"), text.clone(), &options);
        times.push(start.elapsed());
        conns = resolved.conns.len();
        assert!(!resolved.has_errors(), "{:?}", &resolved.diagnostics[..1]);
    }
    let best = times.iter().min().copied().unwrap_or_default();
    let ours = median(times);
    println!(
        "check (parse + includes + resolve) of {} bytes, {conns} conns, {runs} runs: median {:.1} ms, best {:.1} ms",
        text.len(),
        ours.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );

    if runs < 31 {
        return;
    }
    let path = std::env::temp_dir().join(format!("ipsecconf-bench-{}.conf", std::process::id()));
    std::fs::write(&path, &text).expect("write temporary file");
    let readwriteconf = "/usr/libexec/ipsec/readwriteconf";
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let status = std::process::Command::new(readwriteconf)
            .arg("--config")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(_) => times.push(start.elapsed()),
            Err(error) => {
                println!("readwriteconf not run ({readwriteconf}: {error}); install libreswan to compare");
                break;
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    if !times.is_empty() {
        let theirs = median(times);
        println!(
            "readwriteconf --config on the same file: median {:.1} ms ({:.1}x slower)",
            theirs.as_secs_f64() * 1e3,
            theirs.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
