//! `cargo bench -p ipsecconf-fmt`: formats a generated 1.5 MB file (7,000 messy conns)
//! and prints the best and median time of several runs, beside parsing alone.

use std::hint::black_box;
use std::time::{Duration, Instant};

use formatter::{FormatOptions, format};

/// A messy but valid file: mixed indentation, spaces around `=`, comments,
/// runs of blank lines.
fn generated_config(conns: usize) -> String {
    let mut text = String::from("# generated\nconfig setup\n    logfile = /var/log/pluto.log\n\n\n");
    for i in 0..conns {
        text.push_str(&format!(
            "conn tunnel-{i}   # site {i}\n  left = 192.0.2.{a}\n\tright=198.51.100.{a}   \n# peer subnet\n    rightsubnet={{10.{b}.{a}.0/24 10.{b}.{c}.0/24}}\n      leftid=\"@gw-{i}.example.org\"\n\n\n\tx-note = kept as written  \n    auto=start\n",
            a = i % 250,
            b = i % 200,
            c = (i + 1) % 250,
        ));
    }
    text
}

fn main() {
    let text = generated_config(7_000);
    let options = FormatOptions::default();
    let aligned = FormatOptions { align_equals: true, ..FormatOptions::default() };
    let mut parse_times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            black_box(syntax::parse(black_box(&text)));
            start.elapsed()
        })
        .collect();
    parse_times.sort();
    println!("parse only: best {:?}, median {:?}", parse_times[0], parse_times[parse_times.len() / 2]);
    for (label, options) in [("default", &options), ("align_equals", &aligned)] {
        let mut times: Vec<Duration> = (0..15)
            .map(|_| {
                let start = Instant::now();
                black_box(format(black_box(&text), options));
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "format {label}: {:.2} MB, best {:?}, median {:?}",
            text.len() as f64 / 1e6,
            times[0],
            times[times.len() / 2]
        );
    }
}
