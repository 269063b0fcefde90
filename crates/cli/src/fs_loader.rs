//! Includes read from the real file system.

use std::io::ErrorKind;
use std::path::Path;

use model::{DirEntry, LoadError, Loader};

pub struct FsLoader;

fn load_error(error: std::io::Error) -> LoadError {
    match error.kind() {
        ErrorKind::NotFound => LoadError::NotFound,
        _ => LoadError::Other(error.to_string()),
    }
}

impl Loader for FsLoader {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        let bytes = std::fs::read(path).map_err(load_error)?;
        String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, LoadError> {
        let entries = std::fs::read_dir(dir).map_err(load_error)?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| DirEntry { name: e.file_name().to_string_lossy().into_owned(), is_dir: e.path().is_dir() })
            .collect())
    }
}
