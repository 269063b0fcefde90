//! The language server's budget on a 1.5 MB file, measured on the `ide` calls it makes:
//! an edit re-analyses (parse + includes + resolve + index) and computes diagnostics;
//! hover and completion run on the stored analysis. Prints medians.

// The same allocator as the `ipsecconf` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::Instant;

use ide::{Analysis, AnalysisOptions, TextSize};

mod support {
    pub mod workload;
}
use support::workload::{generate, median};

fn main() {
    let text = generate(16_000);
    let loader = model::MemoryLoader::new();
    let options = AnalysisOptions { warnings: true, ..AnalysisOptions::default() };
    let (mut edit, mut resolve_only) = (Vec::new(), Vec::new());
    let mut analysis = None;
    for _ in 0..7 {
        let start = Instant::now();
        let resolved = model::resolve_text(&loader, Path::new("/bench.conf"), text.clone(), &Default::default());
        resolve_only.push(start.elapsed());
        // Freeing is not resolving: outside the timed part.
        drop(resolved);
        let start = Instant::now();
        let a = Analysis::new(&loader, Path::new("/bench.conf"), text.clone(), None, options.clone());
        let diagnostics = ide::diagnostics(&a);
        edit.push(start.elapsed());
        assert!(diagnostics.is_empty(), "{:?}", &diagnostics[..1]);
        analysis = Some(a);
    }
    let analysis = analysis.expect("ran");
    // As the language server does: each edit analysed through the cache of the last.
    let mut cache = model::ResolveCache::default();
    let _ =
        Analysis::new_cached(&loader, Path::new("/bench.conf"), text.clone(), None, options.clone(), Some(&mut cache));
    let last_left = text.rfind("leftid=@gw").expect("generated");
    let mut cached_edit = Vec::new();
    for version in 0..7 {
        let changed = format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
        let start = Instant::now();
        let a =
            Analysis::new_cached(&loader, Path::new("/bench.conf"), changed, None, options.clone(), Some(&mut cache));
        let diagnostics = ide::diagnostics(&a);
        cached_edit.push(start.elapsed());
        assert!(diagnostics.is_empty());
    }
    let mut index = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        std::hint::black_box(ide::FileIndex::new(&text));
        index.push(start.elapsed());
    }
    // After an edit, through the index cache of the text before it (as the server does).
    let mut index_cache = ide::IndexCache::default();
    ide::FileIndex::new_cached(&text, &mut index_cache);
    let mut cached_index = Vec::new();
    for version in 0..7 {
        let changed = format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
        let start = Instant::now();
        std::hint::black_box(ide::FileIndex::new_cached(&changed, &mut index_cache));
        cached_index.push(start.elapsed());
    }
    let key = TextSize::from(text.rfind("leftsubnet").unwrap() as u32 + 2);
    let value = TextSize::from(text.rfind("auto=").unwrap() as u32 + 5);
    let (mut hover, mut completion) = (Vec::new(), Vec::new());
    for _ in 0..51 {
        let start = Instant::now();
        assert!(ide::hover(&analysis, key).is_some());
        hover.push(start.elapsed());
        let start = Instant::now();
        assert!(!ide::completion(&analysis, value, &loader).is_empty());
        completion.push(start.elapsed());
    }
    println!("file: {} bytes, {} conns", text.len(), analysis.resolved.conns.len());
    println!("edit -> diagnostics (analysis + diagnostics): median {:.1} ms", median(edit));
    println!("  of which model::resolve_text: median {:.1} ms", median(resolve_only));
    println!(
        "edit of the shared base conn, through the cache of the last analysis: median {:.1} ms",
        median(cached_edit)
    );
    println!("syntax index of the file: median {:.1} ms", median(index));
    println!("syntax index after an edit, through the cache: median {:.1} ms", median(cached_index));
    println!("hover: median {:.3} ms", median(hover));
    println!("completion (value): median {:.3} ms", median(completion));
}
