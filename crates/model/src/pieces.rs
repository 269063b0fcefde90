//! Reading a text again after a small change, piece by piece.
//!
//! A text is cut before every section header (see [`syntax::section_starts`]); each
//! piece parses the same on its own as within the text. What a piece gave (read with
//! ranges from the piece's start) is kept by the piece's text, so a text read again
//! after an edit reads only the pieces whose text is new, in parts on all cores.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};
use syntax::TextSize;

/// What each piece of the texts read by one run gave, for the next run.
#[derive(Debug)]
pub struct PieceCache<T> {
    /// The pieces by the hash of their text, each with the last run that used it.
    kept: FxHashMap<u64, (Arc<Piece<T>>, u64)>,
    /// The run going on.
    run: u64,
}

/// One piece's text and what it gave.
#[derive(Debug)]
pub struct Piece<T> {
    text: Box<str>,
    pub value: T,
}

impl<T> Default for PieceCache<T> {
    fn default() -> Self {
        PieceCache { kept: FxHashMap::default(), run: 0 }
    }
}

impl<T: Send + Sync> PieceCache<T> {
    /// Starts a run, which may read several texts.
    pub fn start(&mut self) {
        self.run += 1;
    }

    /// Ends a run: what it used is what the next one may reuse.
    pub fn finish(&mut self) {
        let run = self.run;
        self.kept.retain(|_, (_, used)| *used == run);
    }

    /// Forgets every piece (what they gave no longer holds).
    pub fn clear(&mut self) {
        self.kept.clear();
    }

    /// `text`'s pieces in order, each with where it starts in `text` and what `make`
    /// gave for its text, now or in an earlier run.
    pub fn pieces(&mut self, text: &str, make: impl Fn(&str) -> T + Sync) -> Vec<(TextSize, Arc<Piece<T>>)> {
        let starts = syntax::section_starts(text);
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        let ranges: Vec<(usize, usize)> = starts.iter().copied().zip(ends).collect();
        let keys: Vec<u64> = ranges.iter().map(|&(start, end)| hash(&text[start..end])).collect();
        let mut found: Vec<Option<Arc<Piece<T>>>> = ranges
            .iter()
            .zip(&keys)
            .map(|(&(start, end), key)| {
                let (piece, used) = self.kept.get_mut(key)?;
                (*piece.text == text[start..end]).then(|| {
                    *used = self.run;
                    piece.clone()
                })
            })
            .collect();
        let missing: Vec<usize> = (0..ranges.len()).filter(|&i| found[i].is_none()).collect();
        let made = crate::parallel::map_parts(&missing, |part| {
            let piece = |i: usize| {
                let piece_text = &text[ranges[i].0..ranges[i].1];
                Arc::new(Piece { text: piece_text.into(), value: make(piece_text) })
            };
            part.iter().map(|&i| piece(i)).collect::<Vec<_>>()
        });
        for (i, piece) in missing.into_iter().zip(made.into_iter().flatten()) {
            self.kept.insert(keys[i], (piece.clone(), self.run));
            found[i] = Some(piece);
        }
        ranges
            .iter()
            .zip(found)
            .map(|(&(start, _), piece)| (TextSize::from(start as u32), piece.expect("every piece was read")))
            .collect()
    }
}

fn hash(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}
