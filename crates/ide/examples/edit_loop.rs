#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::Path;
#[path = "../benches/support/workload.rs"]
mod workload;
fn main() {
    let text = workload::generate(16_000);
    let loader = model::MemoryLoader::new();
    let options = ide::AnalysisOptions { warnings: true, ..Default::default() };
    let mut cache = model::ResolveCache::default();
    let last_left = text.rfind("leftid=@gw").unwrap();
    let mut keep = None;
    let mut times = Vec::new();
    let n: usize = std::env::var("ITER").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    for version in 0..n {
        let changed = format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
        let t = std::time::Instant::now();
        let a = ide::Analysis::new_cached(&loader, Path::new("/b.conf"), changed, None, options.clone(), Some(&mut cache));
        let d = ide::diagnostics(&a);
        assert!(d.is_empty());
        times.push(t.elapsed());
        keep = Some(a);
    }
    drop(keep);
    println!("cached edit median {:.2} ms", workload::median(times));
}
