//! DocBook (ipsec.conf(5) XML) to Markdown, keeping the man page's words.

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

/// The named character entities the man page sources use; roxmltree only knows XML's five.
const ENTITIES: &[(&str, &str)] = &[("&ldquo;", "\u{201c}"), ("&rdquo;", "\u{201d}"), ("&nbsp;", "\u{a0}")];

/// One parsed man page.
pub struct ManPage {
    /// Markdown docs per term name (`also`, `leftsubnet`, `ike`), in page order of first use.
    pub entries: BTreeMap<String, String>,
    /// Top-level paragraphs outside parameter entries, as (plain text, Markdown).
    pub paragraphs: Vec<(String, String)>,
}

/// Parses a DocBook page into per-parameter Markdown.
pub fn parse_man_page(xml: &str) -> Result<ManPage, String> {
    let mut text = xml.to_string();
    for (entity, replacement) in ENTITIES {
        text = text.replace(entity, replacement);
    }
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let document = Document::parse_with_options(&text, options).map_err(|e| format!("man page XML: {e}"))?;
    let mut entries = BTreeMap::new();
    let mut paragraphs = Vec::new();
    collect(document.root(), &mut entries, &mut paragraphs);
    Ok(ManPage { entries, paragraphs })
}

fn collect(node: Node<'_, '_>, entries: &mut BTreeMap<String, String>, paragraphs: &mut Vec<(String, String)>) {
    for child in node.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "varlistentry" => {
                let Some(body) = child.children().find(|c| c.has_tag_name("listitem")) else { continue };
                let markdown = blocks(body);
                for term in child.children().filter(|c| c.has_tag_name("term")) {
                    let name = term_name(term);
                    if !name.is_empty() {
                        entries.entry(name).or_insert_with(|| markdown.clone());
                    }
                }
            }
            "para" => paragraphs.push((plain_text(child), blocks_of(&[child]))),
            _ => collect(child, entries, paragraphs),
        }
    }
}

/// The parameter a `<term>` names: its text up to `=`, without markup.
fn term_name(term: Node<'_, '_>) -> String {
    let text: String = term.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
    let name = text.split('=').next().unwrap_or("").trim();
    if name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) {
        name.to_string()
    } else {
        String::new()
    }
}

/// Whitespace-folded text of a node, as the plain-text man page shows it.
pub fn plain_text(node: Node<'_, '_>) -> String {
    fold(&node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect::<String>())
}

/// Folds runs of white space (and no-break spaces) into single spaces, trimmed.
pub fn fold(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Markdown for the block children of a node.
fn blocks(node: Node<'_, '_>) -> String {
    let children: Vec<Node<'_, '_>> = node.children().collect();
    blocks_of(&children)
}

fn blocks_of(nodes: &[Node<'_, '_>]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut inline = String::new();
    let flush = |inline: &mut String, out: &mut Vec<String>| {
        let text = fold(inline);
        if !text.is_empty() {
            out.push(text);
        }
        inline.clear();
    };
    for node in nodes {
        if node.is_text() {
            inline.push_str(&escape(node.text().unwrap_or("")));
            continue;
        }
        if !node.is_element() {
            continue;
        }
        match node.tag_name().name() {
            "para" | "simpara" => {
                flush(&mut inline, &mut out);
                // A para may hold lists or examples of its own.
                let inner = blocks(*node);
                if !inner.is_empty() {
                    out.push(inner);
                }
            }
            "variablelist" => {
                flush(&mut inline, &mut out);
                out.push(variable_list(*node));
            }
            "itemizedlist" | "orderedlist" | "simplelist" => {
                flush(&mut inline, &mut out);
                out.push(item_list(*node));
            }
            "literallayout" | "programlisting" | "screen" => {
                flush(&mut inline, &mut out);
                out.push(code_block(*node));
            }
            "note" | "caution" | "important" | "warning" | "sidebar" => {
                flush(&mut inline, &mut out);
                let label = match node.tag_name().name() {
                    "note" => "Note",
                    "caution" => "Caution",
                    "important" => "Important",
                    "warning" => "Warning",
                    _ => "Aside",
                };
                let body = blocks(*node);
                out.push(format!("**{label}:** {body}"));
            }
            "title" => {}
            _ => inline.push_str(&inline_markdown(*node)),
        }
    }
    flush(&mut inline, &mut out);
    out.join("\n\n")
}

fn variable_list(node: Node<'_, '_>) -> String {
    let mut items = Vec::new();
    for entry in node.children().filter(|c| c.has_tag_name("varlistentry")) {
        let terms: Vec<String> =
            entry.children().filter(|c| c.has_tag_name("term")).map(|t| fold(&inline_children(t))).collect();
        let body = entry.children().find(|c| c.has_tag_name("listitem")).map(blocks).unwrap_or_default();
        items.push(format!("- {}: {}", terms.join(", "), indent_continuation(&body)));
    }
    items.join("\n")
}

fn item_list(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.has_tag_name("listitem") || c.has_tag_name("member"))
        .map(|item| {
            let body = if item.has_tag_name("member") { fold(&inline_children(item)) } else { blocks(item) };
            format!("- {}", indent_continuation(&body))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Indents every line after the first so it stays inside a list item.
fn indent_continuation(body: &str) -> String {
    body.lines()
        .enumerate()
        .map(|(i, line)| if i == 0 || line.is_empty() { line.to_string() } else { format!("  {line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

fn code_block(node: Node<'_, '_>) -> String {
    let text: String = node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
    let text = text.replace('\u{a0}', " ");
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |e| e + 1);
    let body: Vec<&str> = lines[start..end].iter().map(|l| l.trim_end()).collect();
    format!("```\n{}\n```", body.join("\n"))
}

fn inline_children(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for child in node.children() {
        if child.is_text() {
            out.push_str(&escape(child.text().unwrap_or("")));
        } else if child.is_element() {
            out.push_str(&inline_markdown(child));
        }
    }
    out
}

/// Markdown for an inline element: option names and literal values as code.
fn inline_markdown(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    let code_like = matches!(name, "option" | "literal" | "code" | "command" | "filename" | "envar" | "systemitem")
        || (name == "emphasis" && node.attribute("remap") == Some("B"));
    if code_like {
        // Nested markup inside code (e.g. <replaceable> in <option>) is flattened.
        let text: String = node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect();
        return code_span(&text);
    }
    match name {
        "emphasis" | "replaceable" => {
            let text = inline_children(node);
            let trimmed = fold(&text);
            if trimmed.is_empty() { text } else { wrap_keep_space(&text, &format!("*{trimmed}*")) }
        }
        "citerefentry" => {
            let title = node.descendants().find(|n| n.has_tag_name("refentrytitle")).map(plain_text);
            let volume = node.descendants().find(|n| n.has_tag_name("manvolnum")).map(plain_text);
            format!("{}({})", title.unwrap_or_default(), volume.unwrap_or_default())
        }
        "ulink" | "link" => {
            let text = fold(&inline_children(node));
            match node.attribute("url") {
                Some(url) if !text.is_empty() => format!("[{text}]({url})"),
                Some(url) => format!("<{url}>"),
                None => text,
            }
        }
        "quote" => format!("\u{201c}{}\u{201d}", inline_children(node)),
        _ => inline_children(node),
    }
}

/// Escapes the man page's stray backticks (as in `` `%' ``) so they stay text.
fn escape(text: &str) -> String {
    text.replace('`', "\\`")
}

/// Wraps text in backticks, choosing a fence longer than any backtick run inside.
fn code_span(text: &str) -> String {
    let folded_inner = fold(text);
    if folded_inner.is_empty() {
        return text.to_string();
    }
    let longest = folded_inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if folded_inner.starts_with('`') || folded_inner.ends_with('`') { " " } else { "" };
    wrap_keep_space(text, &format!("{fence}{pad}{folded_inner}{pad}{fence}"))
}

/// Keeps the leading/trailing white space of `original` around `replacement`,
/// so words on either side stay separated.
fn wrap_keep_space(original: &str, replacement: &str) -> String {
    let is_space = |c: char| c.is_whitespace() || c == '\u{a0}';
    let lead = if original.starts_with(is_space) { " " } else { "" };
    let trail = if original.ends_with(is_space) { " " } else { "" };
    format!("{lead}{replacement}{trail}")
}

/// Markdown reduced to the plain text a man page shows (used by tests that
/// compare docs with the plain-text page).
pub fn markdown_to_plain(markdown: &str) -> String {
    let mut paragraphs = Vec::new();
    for block in markdown.split("\n\n") {
        let mut text = String::new();
        for line in block.lines() {
            if line.starts_with("```") {
                continue;
            }
            let line = line.trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line);
            text.push_str(line);
            text.push(' ');
        }
        paragraphs.push(fold(&text.replace(['\\', '`', '*'], "")));
    }
    paragraphs.join("\n\n")
}
