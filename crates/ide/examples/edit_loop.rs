//! Profiling aid: analyses a 16,000-conn file, then edits the shared `base` conn again
//! and again through the caches, as the language server does; prints the median.
//! `ITER=N` sets the number of edits; `cached_edit` is the function to profile
//! (`valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*cached_edit*'`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;

#[path = "../benches/support/workload.rs"]
mod workload;

#[inline(never)]
fn cached_edit(text: String, cache: &mut model::ResolveCache) -> ide::Analysis {
    analyse(text, cache)
}

#[inline(never)]
fn analyse(text: String, cache: &mut model::ResolveCache) -> ide::Analysis {
    let loader = model::MemoryLoader::new();
    let options = ide::AnalysisOptions { warnings: true, ..Default::default() };
    let analysis = ide::Analysis::new_cached(&loader, Path::new("/b.conf"), text, None, options, Some(cache));
    assert!(ide::diagnostics(&analysis).is_empty());
    analysis
}

fn main() {
    let text = workload::generate(16_000);
    let mut cache = model::ResolveCache::default();
    let last_left = text.rfind("leftid=@gw").expect("generated");
    // EDIT=line: a line added to and removed from `base` in turn (its keys change).
    let lines = std::env::var("EDIT").is_ok_and(|e| e == "line");
    let edited = |version: usize| {
        if lines {
            let line = if version % 2 == 0 { format!("\tdpddelay={version}\n") } else { String::new() };
            return format!("{text}{line}");
        }
        format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..])
    };
    let mut last = Some(analyse(text.clone(), &mut cache));
    let n: usize = std::env::var("ITER").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let mut times = Vec::new();
    for version in 0..n {
        let changed = edited(version);
        let start = std::time::Instant::now();
        let analysis = cached_edit(changed, &mut cache);
        times.push(start.elapsed());
        last = Some(analysis);
    }
    drop(last);
    println!("cached edit median {:.2} ms", workload::median(times));
}
