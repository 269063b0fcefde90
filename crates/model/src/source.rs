//! The files a resolution read, with a line index for positions.

use std::path::PathBuf;
use std::sync::OnceLock;

use syntax::TextSize;

/// Index into [`crate::Resolved::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One file's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path the loader read it from (`<implicit conns>` for the built-in conns).
    pub path: PathBuf,
    pub text: String,
    /// Built when a position is first asked for: a clean file never needs it.
    line_starts: OnceLock<Vec<u32>>,
}

impl Source {
    pub fn new(path: PathBuf, text: String) -> Self {
        Source { path, text, line_starts: OnceLock::new() }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut line_starts = vec![0];
            line_starts.extend(self.text.match_indices('\n').map(|(i, _)| i as u32 + 1));
            line_starts
        })
    }

    /// 1-based line and 1-based column (in characters) of `offset`.
    pub fn line_col(&self, offset: TextSize) -> (u32, u32) {
        let offset = u32::from(offset).min(self.text.len() as u32);
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let start = line_starts[line] as usize;
        let end = (offset as usize).max(start);
        let column = self.text.get(start..end).map_or(end - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let line_starts = self.line_starts();
        let index = (line as usize).saturating_sub(1).min(line_starts.len() - 1);
        let start = line_starts[index] as usize;
        let end = line_starts.get(index + 1).map_or(self.text.len(), |&e| e as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let source = Source::new("f".into(), "ab\néx=1\n".into());
        assert_eq!(source.line_col(0.into()), (1, 1));
        assert_eq!(source.line_col(3.into()), (2, 1));
        assert_eq!(source.line_col(5.into()), (2, 2));
        assert_eq!(source.line_text(2), "éx=1");
        assert_eq!(source.line_col(100.into()), (3, 1));
    }
}
