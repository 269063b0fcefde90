//! The playground API natively, on a 1,000-conn config: what one keystroke costs
//! before the JavaScript conversion (the browser figures: `npm run bench` in web/).

use std::time::Instant;

use ipsecconf_wasm::api::{FormatRequest, Workspace};

fn big_config(count: usize) -> String {
    let mut text = String::from(
        "config setup\n\tlogfile=/var/log/pluto.log\n\nconn %default\n\tikelifetime=8h\n\tkeyingtries=0\n\tike=aes256-sha2;dh19\n\n",
    );
    text.push_str("conn base\n\tleft=192.0.2.1\n\tleftid=@gw.example.com\n\tleftcert=gw\n\n");
    for i in 0..count {
        text.push_str(&format!(
            "conn tunnel-{i}\n\talso=base\n\tleftsubnet=10.{}.{}.0/24\n\tright=198.51.{}.{}\n\trightsubnet=172.16.{}.0/24\n\trightid=@peer-{i}.example.com\n\tauto=start\n\n",
            i >> 8, i & 255, i >> 8, i & 255, i & 255
        ));
    }
    text
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) {
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    println!("{label:<40} {:>8.2} ms", start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs));
}

fn main() {
    let text = big_config(1000);
    println!("1,000 conns, {} KB", text.len() / 1024);
    let mut ws = Workspace::new();
    time("set_file + resolve (with diagnostics)", 10, || {
        ws.set_file("ipsec.conf", text.clone()).unwrap();
        ws.resolve("ipsec.conf", &Default::default()).unwrap()
    });
    time("set_file + check", 10, || {
        ws.set_file("ipsec.conf", text.clone()).unwrap();
        ws.check("ipsec.conf").unwrap()
    });
    time("set_file + model::resolve only", 10, || {
        model::resolve_text(
            &model::MemoryLoader::new(),
            std::path::Path::new("/etc/ipsec.conf"),
            text.clone(),
            &Default::default(),
        )
    });
    time("highlight of 60 lines (cached parse)", 100, || ws.highlight("ipsec.conf", 60_000, 61_500).unwrap());
    time("format", 10, || ws.format(&text, &FormatRequest::default()).unwrap());
    time("syntax tree", 10, || ws.syntax_tree("ipsec.conf").unwrap());
    time("hover (cached analysis)", 100, || ws.hover("ipsec.conf", 60_010).unwrap());
    time("completion (cached analysis)", 100, || ws.completion("ipsec.conf", 60_010).unwrap());
}
