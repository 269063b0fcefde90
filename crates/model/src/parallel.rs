//! Work split over the machine's cores for large configs.
//!
//! Resolving one conn needs only shared, read-only data (the sections, the name
//! index, the `%default` values), so a large file's conns are resolved in parts at
//! once and the parts' results joined in order: the output is the same as one pass.
//! WebAssembly has no threads here, and small inputs are not worth a thread.

/// Parts smaller than this are done on the calling thread.
const MIN_PART: usize = 512;

/// Runs `work` on consecutive parts of `items`, at once where that pays, and returns
/// the results in the order of the parts.
pub(crate) fn map_parts<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let size = items.len().div_ceil(part_count(items.len())).max(1);
    let parts: Vec<&[T]> = if items.is_empty() { vec![items] } else { items.chunks(size).collect() };
    map_each(&parts, |part| work(part))
}

/// Runs `read` on a file's text, a large file cut into pieces read at once (see
/// [`syntax::piece_starts`]); `read` gets a piece and where it starts in the file.
/// Returns what it gave for each piece, in file order.
pub(crate) fn map_pieces<T: Send>(text: &str, read: impl Fn(&str, syntax::TextSize) -> T + Sync) -> Vec<T> {
    const MIN_PIECE_BYTES: usize = 256 * 1024;
    let pieces = (text.len() / MIN_PIECE_BYTES).clamp(1, threads());
    let starts = syntax::piece_starts(text, pieces);
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let ranges: Vec<(usize, usize)> = starts.iter().copied().zip(ends).collect();
    map_each(&ranges, |&(start, end)| read(&text[start..end], syntax::TextSize::from(start as u32)))
}

/// Runs `work` on every item, each on its own thread but the first, and returns the
/// results in order.
fn map_each<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let Some((first, others)) = items.split_first() else { return Vec::new() };
    if others.is_empty() {
        return vec![work(first)];
    }
    std::thread::scope(|scope| {
        let work = &work;
        let others: Vec<_> = others.iter().map(|item| scope.spawn(move || work(item))).collect();
        let mut results = vec![work(first)];
        // A panic in a part is the caller's panic, as it would be without threads.
        results.extend(others.into_iter().map(|handle| handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
        results
    })
}

fn part_count(len: usize) -> usize {
    (len / MIN_PART).clamp(1, threads())
}

#[cfg(not(target_family = "wasm"))]
fn threads() -> usize {
    use std::sync::OnceLock;
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

#[cfg(target_family = "wasm")]
fn threads() -> usize {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_files_read_in_pieces_as_a_whole() {
        let mut text = String::from("# head\nconfig setup\n\tlogfile=/x\n\n");
        for i in 0..20_000 {
            text.push_str(&format!("# c{i}\nconn c{i}\n\tleft=1.2.3.{}\n bad line\n\n", i % 250));
        }
        let debug = |items: Vec<syntax::outline::OutlineItem<'_>>| -> Vec<String> {
            items.iter().map(|item| format!("{item:?}")).collect()
        };
        let pieces = map_pieces(&text, |piece, start| {
            let (outline, errors) = syntax::outline::outline_text_at(piece, start);
            (debug(outline), errors)
        });
        assert!(threads() < 2 || pieces.len() > 1, "the file is read in pieces");
        let (outlines, errors): (Vec<_>, Vec<_>) = pieces.into_iter().unzip();
        let whole = syntax::parse(&text);
        assert_eq!(errors.concat(), whole.errors);
        assert_eq!(errors.concat().len(), 20_000);
        assert_eq!(outlines.concat(), debug(whole.outline()));
    }

    #[test]
    fn parts_come_back_in_order_and_cover_everything() {
        for len in [0, 1, MIN_PART - 1, MIN_PART * 3 + 7, 20_000] {
            let items: Vec<usize> = (0..len).collect();
            let parts = map_parts(&items, |part| part.to_vec());
            assert_eq!(parts.concat(), items, "{len} items");
        }
    }
}
