//! Shell globs for `include`: `*`, `?` and `[...]` (with `!`/`^` negation and ranges),
//! matched one path component at a time through the [`Loader`].

use std::path::{Component, Path, PathBuf};

use crate::loader::{LoadError, Loader};

/// Whether `component` contains glob characters.
pub fn has_glob(component: &str) -> bool {
    component.contains(['*', '?', '['])
}

/// Whether `name` matches the one-component `pattern`. Iterative, with one backtrack
/// point for the last `*`, so it is linear in practice and never recurses.
pub fn matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // A leading dot must be matched explicitly, as in the shell.
    if name.first() == Some(&'.') && pattern.first() != Some(&'.') {
        return false;
    }
    let (mut p, mut n) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p, n));
                p += 1;
                continue;
            }
            Some('?') => Some(p + 1),
            Some('[') => match class(&pattern, p, name[n]) {
                Some((true, next)) => Some(next),
                Some((false, _)) => None,
                // An unclosed `[` is a literal character.
                None => (name[n] == '[').then_some(p + 1),
            },
            Some(&c) => (c == name[n]).then_some(p + 1),
            None => None,
        };
        match step {
            Some(next) => {
                p = next;
                n += 1;
            }
            None => match backtrack {
                Some((star, at)) => {
                    p = star + 1;
                    n = at + 1;
                    backtrack = Some((star, at + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class starting at `pattern[start] == '['`.
/// Returns whether it matched and the index after `]`, or `None` if unclosed.
fn class(pattern: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(pattern.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let &low = pattern.get(i)?;
        if low == ']' && !first {
            return Some((found != negated, i + 1));
        }
        first = false;
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|&h| h != ']') {
            let high = pattern[i + 2];
            found |= low <= c && c <= high;
            i += 3;
        } else {
            found |= low == c;
            i += 1;
        }
    }
}

/// The files `pattern` names, sorted per component as the shell does. A pattern
/// without glob characters yields itself (the read will tell whether it exists).
pub fn expand(loader: &dyn Loader, pattern: &Path) -> Vec<PathBuf> {
    let mut current = vec![PathBuf::new()];
    let components: Vec<Component<'_>> = pattern.components().collect();
    for (index, component) in components.iter().enumerate() {
        let last = index + 1 == components.len();
        let text = component.as_os_str().to_string_lossy();
        if !matches!(component, Component::Normal(_)) || !has_glob(&text) {
            for path in &mut current {
                path.push(component.as_os_str());
            }
            continue;
        }
        let mut next = Vec::new();
        for dir in &current {
            let listing = match loader.list_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
                Ok(listing) => listing,
                Err(LoadError::NotFound | LoadError::NotUtf8 { .. } | LoadError::Other(_)) => continue,
            };
            let mut names: Vec<String> = listing
                .into_iter()
                .filter(|entry| (last || entry.is_dir) && matches(&text, &entry.name))
                .map(|entry| entry.name)
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|name| dir.join(name)));
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::MemoryLoader;

    #[test]
    fn star_question_and_classes() {
        assert!(matches("*.conf", "a.conf"));
        assert!(!matches("*.conf", "a.conf.bak"));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(matches("?.c", "x.c"));
        assert!(!matches("?.c", "xy.c"));
        assert!(matches("[a-c]x", "bx"));
        assert!(!matches("[!a-c]x", "bx"));
        assert!(matches("[^a-c]x", "dx"));
        assert!(matches("[]]", "]"));
        assert!(matches("[x", "[x"));
        assert!(!matches("*", ".hidden"));
        assert!(matches(".*", ".hidden"));
        assert!(matches("*", ""));
    }

    #[test]
    fn expands_sorted_through_folders() {
        let loader = MemoryLoader::new()
            .with("/etc/d/b.conf", "")
            .with("/etc/d/a.conf", "")
            .with("/etc/d/c.txt", "")
            .with("/etc/e/x.conf", "");
        let found = expand(&loader, Path::new("/etc/*/*.conf"));
        assert_eq!(found, ["/etc/d/a.conf", "/etc/d/b.conf", "/etc/e/x.conf"].map(PathBuf::from));
        assert!(expand(&loader, Path::new("/nowhere/*.conf")).is_empty());
        assert_eq!(expand(&loader, Path::new("/etc/plain.conf")), [PathBuf::from("/etc/plain.conf")]);
    }

    #[test]
    fn pathological_star_pattern_is_fast() {
        let name = "a".repeat(200);
        assert!(!matches(&"*a".repeat(50).replace("a*", "a*b"), &name));
    }
}
