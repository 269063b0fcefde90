//! `# ipsecconf: fmt off` / `# ipsecconf: fmt on`: regions left exactly as written.

use crate::lines::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    Off,
    On,
}

/// Reads a directive from a comment: `ipsecconf:` then `fmt off` or `fmt on`, with
/// any white space around the words.
fn directive(comment: &str) -> Option<Directive> {
    let rest = comment.strip_prefix('#')?.trim_start().strip_prefix("ipsecconf:")?;
    let mut words = rest.split_whitespace();
    let directive = match (words.next(), words.next()) {
        (Some("fmt"), Some("off")) => Directive::Off,
        (Some("fmt"), Some("on")) => Directive::On,
        _ => return None,
    };
    words.next().is_none().then_some(directive)
}

/// Which lines formatting leaves untouched. `fmt off` starts a region on its own
/// line; the region ends before the next `fmt on` line, or with the section that
/// holds the directive, or at the end of the file.
pub(crate) fn untouched_lines(lines: &[Line<'_>]) -> Vec<bool> {
    let mut untouched = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].comment.and_then(directive) != Some(Directive::Off) {
            i += 1;
            continue;
        }
        let section = lines[i].section;
        let mut j = i;
        while j < lines.len()
            && (section.is_none() || lines[j].section == section)
            && (j == i || lines[j].comment.and_then(directive) != Some(Directive::On))
        {
            untouched[j] = true;
            j += 1;
        }
        i = j.max(i + 1);
    }
    untouched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives() {
        assert_eq!(directive("# ipsecconf: fmt off"), Some(Directive::Off));
        assert_eq!(directive("#ipsecconf:fmt   on"), Some(Directive::On));
        assert_eq!(directive("#  ipsecconf:  fmt\ton"), Some(Directive::On));
        assert_eq!(directive("# ipsecconf: fmt off please"), None);
        assert_eq!(directive("# fmt off"), None);
    }
}
