//! Where included files come from: the caller's [`Loader`]. The model itself does no I/O.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Why a file or folder could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    NotFound,
    /// The file is not UTF-8; `offset` is the first invalid byte.
    NotUtf8 {
        offset: usize,
    },
    /// Any other failure, described for the user.
    Other(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound => f.write_str("no such file or directory"),
            LoadError::NotUtf8 { offset } => write!(f, "not valid UTF-8: invalid byte at offset {offset}"),
            LoadError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for LoadError {}

/// One entry of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// Reads files and lists folders for include expansion.
pub trait Loader {
    fn read(&self, path: &Path) -> Result<String, LoadError>;
    /// The entries of `dir`, in any order.
    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, LoadError>;
}

/// Files held in memory, for tests, the playground and the language server.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryLoader {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> &mut Self {
        self.files.insert(normalize(&path.into()), text.into());
        self
    }

    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.insert(path, text);
        self
    }
}

impl Loader for MemoryLoader {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        self.files.get(&normalize(path)).cloned().ok_or(LoadError::NotFound)
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, LoadError> {
        let dir = normalize(dir);
        let mut entries: Vec<DirEntry> = Vec::new();
        for path in self.files.keys() {
            let Ok(rest) = path.strip_prefix(&dir) else { continue };
            let mut components = rest.components();
            let Some(Component::Normal(first)) = components.next() else { continue };
            let entry = DirEntry { name: first.to_string_lossy().into_owned(), is_dir: components.next().is_some() };
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
        if entries.is_empty() { Err(LoadError::NotFound) } else { Ok(entries) }
    }
}

/// Removes `.` and resolves `..` lexically (as a shell does for a plain path).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_loader_reads_and_lists() {
        let loader = MemoryLoader::new().with("/etc/a.conf", "x").with("/etc/d/b.conf", "y");
        assert_eq!(loader.read(Path::new("/etc/./d/../a.conf")).unwrap(), "x");
        assert_eq!(loader.read(Path::new("/etc/none")), Err(LoadError::NotFound));
        let mut entries = loader.list_dir(Path::new("/etc")).unwrap();
        entries.sort();
        assert_eq!(
            entries,
            vec![DirEntry { name: "a.conf".into(), is_dir: false }, DirEntry { name: "d".into(), is_dir: true }]
        );
    }
}
