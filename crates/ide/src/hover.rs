//! Hover: a keyword's man page text, the resolved conn behind a name, and where a
//! value goes (the conns that inherit it) or what it overrides.

use std::fmt::Write;

use model::catalogue::{self, SectionKind};
use model::{ResolvedConn, Via};
use syntax::ast::{self, AstNode, SectionType};
use syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};

use crate::Analysis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
}

/// At most this many conns are listed as users of a value.
const MAX_LISTED: usize = 20;

pub fn hover(analysis: &Analysis, offset: TextSize) -> Option<HoverResult> {
    let token = token_at(&analysis.focus_index().root(), offset)?;
    let range = token.text_range();
    let markdown = match token.kind() {
        SyntaxKind::CONN_KW | SyntaxKind::CONFIG_KW | SyntaxKind::INCLUDE_KW | SyntaxKind::VERSION_KW => {
            catalogue::non_parameter_docs(token.text())?.to_string()
        }
        _ => {
            let parent = token.parent()?;
            match parent.kind() {
                SyntaxKind::KEY => key_docs(analysis, &parent)?,
                SyntaxKind::NAME => name_docs(analysis, &parent)?,
                SyntaxKind::VALUE => return value_docs(analysis, &parent, offset),
                _ => return None,
            }
        }
    };
    Some(HoverResult { range, markdown })
}

/// The non-trivia token at `offset`, preferring the one that starts there.
pub(crate) fn token_at(root: &SyntaxNode, offset: TextSize) -> Option<SyntaxToken> {
    if offset > root.text_range().end() {
        return None;
    }
    let tokens = root.token_at_offset(offset);
    let is_trivia = |t: &SyntaxToken| matches!(t.kind(), SyntaxKind::WHITESPACE | SyntaxKind::NEWLINE);
    let (left, right) = match tokens {
        rowan::TokenAtOffset::None => return None,
        rowan::TokenAtOffset::Single(t) => (None, Some(t)),
        rowan::TokenAtOffset::Between(l, r) => (Some(l), Some(r)),
    };
    right.filter(|t| !is_trivia(t)).or(left.filter(|t| !is_trivia(t)))
}

pub(crate) fn section_kind_of(node: &SyntaxNode) -> Option<(SectionKind, ast::Section)> {
    let section = node.ancestors().find_map(ast::Section::cast)?;
    let kind = match section.section_type()? {
        SectionType::Config => SectionKind::Config,
        SectionType::Conn => SectionKind::Conn,
        SectionType::Unknown => return None,
    };
    Some((kind, section))
}

fn key_docs(analysis: &Analysis, key: &SyntaxNode) -> Option<String> {
    let name = key.text().to_string();
    if let Some(docs) = catalogue::non_parameter_docs(&name.to_ascii_lowercase()) {
        return Some(format!("**{name}**\n\n{docs}"));
    }
    if catalogue::is_user_extension(&name) {
        return Some(format!("**{name}** — user extension\n\n{}", catalogue::USER_EXTENSION_DOCS));
    }
    let section = section_kind_of(key).map(|(kind, _)| kind);
    let found = catalogue::lookup_in(&name, section).or_else(|| catalogue::lookup(&name))?;
    Some(keyword_markdown(analysis, found.keyword, &name))
}

pub(crate) fn keyword_markdown(analysis: &Analysis, keyword: &catalogue::Keyword, written: &str) -> String {
    let mut out = format!("**{}** — {}\n\n", keyword.display_name(), keyword.kind.describe());
    let _ = writeln!(out, "Known in libreswan {}.", keyword.versions.describe());
    if !analysis.options.version.knows(keyword.versions) {
        let _ = writeln!(out, "\n**Not known in the version checked against.**");
    }
    if let Some(alias) = keyword.alias_of {
        let _ = writeln!(out, "\n`{written}` is another name for `{alias}`.");
    }
    if let Some(obsolete) = keyword.obsolete {
        let _ = write!(out, "\nObsolete in {}", obsolete.in_versions.describe());
        match obsolete.replacement {
            Some(replacement) => {
                let _ = writeln!(out, "; use `{replacement}`.");
            }
            None => out.push_str("; ignored.\n"),
        }
    }
    if !keyword.values.is_empty() {
        let _ = writeln!(
            out,
            "\nValues: {}",
            keyword.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        );
    }
    if !keyword.magic.is_empty() {
        let _ = writeln!(
            out,
            "\nMagic values: {}",
            keyword.magic.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        );
    }
    if !keyword.docs.is_empty() {
        let _ = write!(out, "\n---\n\n{}", keyword.docs);
    }
    out
}

fn name_docs(analysis: &Analysis, name: &SyntaxNode) -> Option<String> {
    let (kind, section) = section_kind_of(name)?;
    let name = section.name()?;
    if kind == SectionKind::Config {
        return catalogue::non_parameter_docs("config").map(str::to_string);
    }
    if name == "%default" {
        return catalogue::non_parameter_docs("%default").map(str::to_string);
    }
    let mut out = describe_conn(analysis.conn(&name)?);
    out.push_str(&describe_instances(analysis, &name));
    Some(out)
}

/// The instances of a policy group conn, each with the policy file line it comes from.
fn describe_instances(analysis: &Analysis, group: &str) -> String {
    let instances: Vec<_> = analysis.resolved.instances.iter().filter(|i| i.instance_of == group).collect();
    if instances.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{} instance(s) from policy group files:\n\n", instances.len());
    for instance in instances.iter().take(MAX_LISTED) {
        let source = analysis.resolved.source(instance.file);
        let (line, _) = source.line_col(instance.range.start());
        let _ = writeln!(out, "- `{}` ({}:{line})", instance.name, source.path.display());
    }
    if instances.len() > MAX_LISTED {
        let _ = writeln!(out, "- …");
    }
    out
}

/// A conn as libreswan loads it, each value with where it came from.
pub fn describe_conn(conn: &ResolvedConn) -> String {
    let mut out = format!("```ipsec.conf\nconn {}\n", conn.name);
    let width = conn.values.iter().map(|v| v.key.len() + v.value.len()).max().unwrap_or(0) + 2;
    for value in conn.values.iter() {
        let line = format!("{}={}", value.key, quote_if_needed(value.value));
        match &value.via() {
            Via::Own => {
                let _ = writeln!(out, "\t{line}");
            }
            via => {
                let _ = writeln!(out, "\t{line:width$}# {via}");
            }
        }
    }
    out.push_str("```\n");
    if !conn.also.is_empty() {
        let _ = writeln!(out, "\nappends: {}", conn.also.join(", "));
    }
    if conn.overrides_implicit {
        out.push_str("\noverrides the implicit conn of the same name\n");
    }
    out
}

fn quote_if_needed(value: &str) -> String {
    if value.is_empty() || value.contains(char::is_whitespace) { format!("\"{value}\"") } else { value.to_string() }
}

fn value_docs(analysis: &Analysis, value: &SyntaxNode, offset: TextSize) -> Option<HoverResult> {
    let kv = value.ancestors().find_map(ast::KeyValue::cast)?;
    let key = kv.key_text()?.to_ascii_lowercase();
    if key == "also" || key == "alsoflip" {
        let value = ast::Value::cast(value.clone())?;
        let (word, range) =
            crate::analysis::value_words(&value).into_iter().find(|(_, r)| r.contains_inclusive(offset))?;
        let conn = analysis.conn(&word)?;
        return Some(HoverResult { range, markdown: describe_conn(conn) });
    }
    let (_, section) = section_kind_of(value)?;
    let section_name = section.name().unwrap_or_default();
    let line = kv.range();
    let users: Vec<(&str, Via)> = analysis
        .resolved
        .conns
        .iter()
        .filter_map(|conn| {
            let v = conn.values.iter().find(|v| v.file() == analysis.focus && v.range() == line)?;
            Some((conn.name.as_str(), v.via()))
        })
        .collect();
    let mut out = format!("`{key}={}`\n\n", kv.value_text());
    let foreign: Vec<_> = users.iter().filter(|(name, _)| *name != section_name).collect();
    if !foreign.is_empty() {
        let _ = writeln!(out, "Inherited by {} conn(s):\n", foreign.len());
        for (name, via) in foreign.iter().take(MAX_LISTED) {
            let _ = writeln!(out, "- `{name}` ({via})");
        }
        if foreign.len() > MAX_LISTED {
            let _ = writeln!(out, "- …");
        }
    } else if let Some(conn) = analysis.conn(&section_name) {
        match conn.values.get(&key) {
            Some(v) if v.range() == line && v.file() == analysis.focus => {
                if let Some(default) = default_value(analysis, &key) {
                    let _ = writeln!(out, "Overrides `%default` value `{default}`.");
                } else {
                    out.push_str("Set in this conn.\n");
                }
            }
            Some(v) => {
                let _ = writeln!(out, "Not in effect: conn `{}` uses `{}` ({}).", conn.name, v.value, v.via());
            }
            None => {}
        }
    } else if section_name == "%default" {
        out.push_str("No conn inherits this value.\n");
    }
    Some(HoverResult { range: value.text_range(), markdown: out })
}

fn default_value(analysis: &Analysis, key: &str) -> Option<String> {
    analysis
        .resolved
        .conns
        .iter()
        .flat_map(|c| c.values.iter())
        .find(|v| v.key == key && v.via() == Via::Default)
        .map(|v| v.value.to_string())
}
