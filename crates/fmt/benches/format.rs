//! `cargo bench -p ipsecconf-fmt`: formats a generated 1.5 MB, 10,000-conn file and
//! prints the best and median time of several runs.

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
    let text = generated_config(10_000);
    let options = FormatOptions::default();
    let aligned = FormatOptions { align_equals: true, ..FormatOptions::default() };
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
