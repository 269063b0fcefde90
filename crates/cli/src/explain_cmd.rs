//! `ipsecconf explain KEYWORD` and `ipsecconf explain --list`.

use model::catalogue::{self, Keyword};

use crate::{EXIT_OK, EXIT_PROBLEMS};

pub fn run(keyword: Option<&str>, list: bool) -> u8 {
    if list {
        for name in catalogue::keywords().iter().map(Keyword::display_name).collect::<std::collections::BTreeSet<_>>() {
            println!("{}", if name == "left/right" { "left/right".to_string() } else { name });
        }
        return EXIT_OK;
    }
    let Some(name) = keyword else {
        eprintln!("ipsecconf: explain needs a KEYWORD or --list");
        return EXIT_PROBLEMS;
    };
    if let Some(found) = catalogue::lookup(name) {
        print!("{}", describe(found.keyword));
        return EXIT_OK;
    }
    if let Some(docs) = catalogue::non_parameter_docs(&name.to_ascii_lowercase()) {
        println!("# {name}\n\n{docs}");
        return EXIT_OK;
    }
    if catalogue::is_user_extension(name) {
        println!("# {name}\n\n{}", catalogue::USER_EXTENSION_DOCS);
        return EXIT_OK;
    }
    eprintln!("ipsecconf: unknown keyword `{name}`");
    let suggestions = catalogue::suggest(name, None);
    if !suggestions.is_empty() {
        eprintln!("did you mean: {}?", suggestions.join(", "));
    }
    EXIT_PROBLEMS
}

fn describe(k: &Keyword) -> String {
    let mut out = format!("# {}\n\n", k.display_name());
    let section = match k.section {
        catalogue::SectionKind::Config => "config setup",
        catalogue::SectionKind::Conn => "conn",
    };
    out.push_str(&format!("- section: `{section}`\n- kind: {}\n", k.kind.describe()));
    if !k.values.is_empty() {
        out.push_str(&format!("- values: {}\n", k.values.join(", ")));
    }
    if !k.magic.is_empty() {
        out.push_str(&format!("- magic values: {}\n", k.magic.join(", ")));
    }
    if let Some(target) = k.alias_of {
        out.push_str(&format!("- alias of: `{target}`\n"));
    }
    let aliases: Vec<String> =
        catalogue::keywords().iter().filter(|a| a.alias_of == Some(k.name)).map(Keyword::display_name).collect();
    if !aliases.is_empty() {
        out.push_str(&format!("- aliases: {}\n", aliases.join(", ")));
    }
    if let Some(obsolete) = k.obsolete {
        let instead = obsolete.replacement.map(|r| format!("; use `{r}` instead")).unwrap_or_default();
        out.push_str(&format!("- obsolete in: {}{instead}\n", obsolete.in_versions.describe()));
    }
    out.push_str(&format!("- versions: {}\n\n", k.versions.describe()));
    if k.docs.is_empty() {
        out.push_str("(ipsec.conf(5) does not describe this keyword.)\n");
    } else {
        out.push_str(&format!("{}\n", k.docs));
    }
    out
}
