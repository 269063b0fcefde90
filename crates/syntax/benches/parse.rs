//! `cargo bench -p ipsecconf-syntax`: parse a generated 10,000-conn config and
//! print the throughput in MB/s (the goal is at least 100 MB/s on one core).

// The same allocator as the `ipsecconf` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A config shaped like real ones: `config setup`, a `%default`, shared bases
/// pulled in with `also=`, comments, quoted ids.
fn generate(conns: usize) -> String {
    let mut out = String::from("version 2\n\nconfig setup\n\tlogfile=/var/log/pluto.log\n\tplutodebug=none\n\n");
    out.push_str("conn %default\n\tikelifetime=8h\n\tkeyingtries=3\n\tauthby=rsasig\n\n");
    out.push_str("conn base\n\tleft=192.0.2.1\n\tleftsubnet=10.0.0.0/16\n\tleftid=@gw.example.com\n\n");
    for i in 0..conns {
        let (a, b) = (i / 250, i % 250);
        writeln!(out, "# tunnel {i}").unwrap();
        writeln!(out, "conn site-{i}").unwrap();
        writeln!(out, "\talso=base").unwrap();
        writeln!(out, "\tright=198.51.{a}.{b}").unwrap();
        writeln!(out, "\trightsubnet=10.{a}.{b}.0/24").unwrap();
        writeln!(out, "\trightid=\"@site-{i}.example.net\"").unwrap();
        writeln!(out, "\tauto=start # bring it up\n").unwrap();
    }
    out
}

fn main() {
    let text = generate(10_000);
    let megabytes = text.len() as f64 / 1e6;
    // Warm up, then run for about three seconds and keep the best time.
    let parse = syntax::parse(&text);
    assert!(!parse.has_errors(), "the generated config must be valid");
    let mut best = Duration::MAX;
    let started = Instant::now();
    let mut runs = 0;
    // IPSECCONF_BENCH_RUNS=1 gives one timed run, for profilers.
    let min_runs: usize = std::env::var("IPSECCONF_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(0);
    let duration = Duration::from_secs(if min_runs > 0 { 0 } else { 3 });
    while started.elapsed() < duration || runs < min_runs.max(1) {
        let t = Instant::now();
        let parse = syntax::parse(black_box(&text));
        best = best.min(t.elapsed());
        // Freeing the tree is not parsing: drop it outside the timed part.
        drop(black_box(parse));
        runs += 1;
    }
    let mut lex_best = Duration::MAX;
    for _ in 0..if min_runs > 0 { 1 } else { 20 } {
        let t = Instant::now();
        black_box(syntax::tokenize(black_box(&text)));
        lex_best = lex_best.min(t.elapsed());
    }
    println!("lex only: best {:.2} ms = {:.0} MB/s", lex_best.as_secs_f64() * 1e3, megabytes / lex_best.as_secs_f64());
    println!(
        "parse: 10,000 conns, {megabytes:.2} MB: best {:.2} ms of {runs} runs = {:.0} MB/s",
        best.as_secs_f64() * 1e3,
        megabytes / best.as_secs_f64()
    );
}
