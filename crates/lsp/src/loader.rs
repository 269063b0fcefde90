//! Includes for the server: open documents first (their unsaved text), then the disk.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use model::{DirEntry, LoadError, Loader};

/// Files that do not fit this are reported as unreadable instead of read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct OverlayLoader {
    pub open: HashMap<PathBuf, Arc<str>>,
}

fn load_error(error: std::io::Error) -> LoadError {
    match error.kind() {
        ErrorKind::NotFound => LoadError::NotFound,
        _ => LoadError::Other(error.to_string()),
    }
}

impl Loader for OverlayLoader {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        if let Some(text) = self.open.get(path) {
            return Ok(text.to_string());
        }
        let size = std::fs::metadata(path).map_err(load_error)?.len();
        if size > MAX_FILE_BYTES {
            return Err(LoadError::Other(format!("file is {size} bytes, more than the {MAX_FILE_BYTES} read")));
        }
        let bytes = std::fs::read(path).map_err(load_error)?;
        String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, LoadError> {
        let mut entries: Vec<DirEntry> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| DirEntry { name: e.file_name().to_string_lossy().into_owned(), is_dir: e.path().is_dir() })
                .collect(),
            Err(error) if error.kind() == ErrorKind::NotFound => Vec::new(),
            Err(error) => return Err(load_error(error)),
        };
        // Unsaved new files in the folder count too.
        for path in self.open.keys() {
            if path.parent() == Some(dir)
                && let Some(name) = path.file_name()
            {
                let entry = DirEntry { name: name.to_string_lossy().into_owned(), is_dir: false };
                if !entries.contains(&entry) {
                    entries.push(entry);
                }
            }
        }
        if entries.is_empty() && !dir.is_dir() { Err(LoadError::NotFound) } else { Ok(entries) }
    }
}
