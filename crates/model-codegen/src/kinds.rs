//! Merges the three keyword tables into one fact sheet per keyword and decides
//! each keyword's value kind, spellings and magic values.

use std::collections::BTreeMap;

/// A libreswan version with a keyword table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V3_20,
    V4_10,
    Current,
}

/// Everything the generated catalogue says about one keyword.
#[derive(Debug, Clone, Default)]
pub struct KeywordFacts {
    pub name: String,
    pub section: &'static str,
    pub left_right: bool,
    pub kind: &'static str,
    pub values: Vec<String>,
    pub magic: Vec<String>,
    pub alias_of: Option<String>,
    pub obsolete: Option<(BTreeMap<Version, bool>, Option<String>)>,
    pub versions: BTreeMap<Version, bool>,
    pub milliseconds: bool,
    pub docs: String,
    pub docs_source: &'static str,
}

/// One row of a keyword table, by column name.
struct Row {
    version: Version,
    cells: BTreeMap<String, String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

fn parse_table(version: Version, text: &str) -> Result<Vec<Row>, String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty keyword table")?.split('\t').collect();
    if header.first() != Some(&"name") {
        return Err(format!("keyword table header starts with {:?}, not name", header.first()));
    }
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells = header.iter().zip(line.split('\t')).map(|(h, c)| (h.to_string(), c.to_string())).collect();
            Row { version, cells }
        })
        .collect())
}

/// The catalogue name of a table name: `(left/right)` is `""`; the stray
/// trailing comma of `dns-match-id,` (a typo in libreswan's table) is dropped.
pub fn catalogue_name(table_name: &str) -> String {
    if table_name == "(left/right)" { String::new() } else { table_name.trim_end_matches(',').to_string() }
}

/// Which version's typing wins: the oracle (4.10) first, then 3.20, then
/// current (whose conn values are mostly untyped strings parsed by pluto).
fn precedence(version: Version) -> u8 {
    match version {
        Version::V4_10 => 0,
        Version::V3_20 => 1,
        Version::Current => 2,
    }
}

/// What to write instead of an obsolete keyword, from the man pages and table comments.
fn replacement(name: &str) -> Option<&'static str> {
    Some(match name {
        "forceencaps" => "encapsulation=yes",
        "force-busy" => "ddos-mode=busy",
        "plutostderrlog" => "logfile",
        "virtual_private" => "virtual-private",
        "secctx-attr-type" | "ikev1-secctx-attr-type" => "sec-label",
        "keyingtries" => "(none: current libreswan retries forever)",
        _ => return None,
    })
}

pub fn merge_tables(tables: &[(Version, String)]) -> Result<Vec<KeywordFacts>, String> {
    let mut rows: BTreeMap<(String, &'static str, bool), Vec<Row>> = BTreeMap::new();
    for (version, text) in tables {
        for row in parse_table(*version, text)? {
            let section = match row.get("section") {
                "config" => "Config",
                "conn" => "Conn",
                other => return Err(format!("unknown section {other:?} for {}", row.get("name"))),
            };
            let key = (catalogue_name(row.get("name")), section, row.get("leftright") == "yes");
            rows.entry(key).or_default().push(row);
        }
    }
    Ok(rows
        .into_iter()
        .map(|((name, section, left_right), mut rows)| {
            rows.sort_by_key(|r| precedence(r.version));
            facts(name, section, left_right, &rows)
        })
        .collect())
}

fn facts(name: String, section: &'static str, left_right: bool, rows: &[Row]) -> KeywordFacts {
    let mut facts = KeywordFacts { name, section, left_right, ..Default::default() };
    let kinds: Vec<&'static str> = rows.iter().map(|r| kind_of(&facts.name, section, r)).collect();
    facts.kind = kinds.iter().copied().find(|k| *k != "Ignored").unwrap_or("Ignored");
    for row in rows {
        facts.versions.insert(row.version, true);
        if facts.alias_of.is_none() && !row.get("alias_of").is_empty() {
            facts.alias_of = Some(catalogue_name(row.get("alias_of")));
        }
        if row.get("obsolete") == "yes" || row.get("value_kind") == "obsolete" {
            let entry =
                facts.obsolete.get_or_insert_with(|| (BTreeMap::new(), replacement(&facts.name).map(String::from)));
            entry.0.insert(row.version, true);
        }
        let values_text = format!("{} {}", row.get("values"), row.get("pluto_values"));
        facts.milliseconds |= row.get("flags").contains("milliseconds")
            || values_text.contains("bare N = milliseconds")
            || row.get("pluto_extract") == "extract_deltatimescale";
        if matches!(facts.kind, "Bool" | "Enum" | "LooseEnum" | "EnumList" | "Host" | "PublicKey") {
            for value in split_values(row.get("values")).chain(split_values(row.get("pluto_values"))) {
                let list = if value.starts_with('%') { &mut facts.magic } else { &mut facts.values };
                if !list.contains(&value) {
                    list.push(value);
                }
            }
        }
    }
    for magic in curated_magic(&facts.name, section) {
        if !facts.magic.iter().any(|m| m == magic) {
            facts.magic.push((*magic).to_string());
        }
    }
    facts
}

/// The spellings in a `values` cell, without build conditions and notes.
fn split_values(cell: &str) -> impl Iterator<Item = String> + '_ {
    let cell = cell.split(" (").next().unwrap_or("");
    cell.split(',')
        .map(|v| v.split('[').next().unwrap_or("").trim().to_string())
        .filter(|v| !v.is_empty() && !v.starts_with('<') && !v.starts_with('(') && !v.contains(' '))
}

/// Magic values the man pages name that the tables do not list.
fn curated_magic(name: &str, section: &str) -> &'static [&'static str] {
    if section != "Conn" {
        return &[];
    }
    match name {
        "nexthop" => &["%defaultroute", "%direct"],
        "subnet" => &["vhost:", "vnet:", "%no", "%priv", "%all"],
        "id" => &["%fromcert", "%any", "%none", "%null"],
        "ca" => &["%same", "%any"],
        "updown" => &["%disabled"],
        "sourceip" | "interface-ip" | "vti" | "addresspool" => &[],
        "protoport" => &["%any"],
        "rsasigkey" | "ecdsakey" | "eddsakey" | "pubkey" => &["%cert", "%dns", "%dnsondemand"],
        "cert" => &["%none"],
        _ => &[],
    }
}

fn kind_of(name: &str, section: &str, row: &Row) -> &'static str {
    if section == "Conn" {
        let by_name = match name {
            "" => Some("Host"),
            "ike" | "esp" | "ah" | "phase2alg" => Some("Proposals"),
            "protoport" => Some("ProtoPort"),
            "addresspool" => Some("AddressRange"),
            "subnet" | "vti" | "interface-ip" => Some("Subnet"),
            "subnets" => Some("SubnetList"),
            "id" => Some("Id"),
            "sourceip" | "nexthop" => Some("Address"),
            "rsasigkey" | "ecdsakey" | "eddsakey" | "pubkey" => Some("PublicKey"),
            "also" | "alsoflip" => Some("SectionName"),
            "modecfgdns" | "modecfgdns1" | "modecfgdns2" => Some("List"),
            _ => None,
        };
        if let Some(kind) = by_name {
            return if row.get("value_kind") == "obsolete" { "Ignored" } else { kind };
        }
    }
    let values = row.get("values");
    match row.get("value_kind") {
        "bool" | "bool(inverted)" => "Bool",
        "enum" if is_bool_set(values) => "Bool",
        "enum" => "Enum",
        kind if kind.starts_with("loose_enum") => "LooseEnum",
        "list(debug flags)" | "list(enum,comma/space separated)" => "EnumList",
        "list(repeatable, appended)" => "List",
        "number" => "Integer",
        "number(binary suffix)" | "number(byte suffix)" => "Size",
        "time" => "Time",
        "percent" => "Percent",
        "ipaddr" => "Address",
        "subnet" => "Subnet",
        "range" => "AddressRange",
        "id" => "Id",
        "filename" | "dirname" => "Path",
        "section-name(also)" => "SectionName",
        "obsolete" => "Ignored",
        _ => kind_from_pluto(row),
    }
}

fn is_bool_set(values: &str) -> bool {
    let mut words: Vec<&str> = values.split(',').collect();
    words.sort_unstable();
    words == ["0", "1", "false", "n", "no", "off", "on", "true", "y", "yes"]
}

/// Current libreswan keeps conn values as strings; pluto's parser tells the kind.
fn kind_from_pluto(row: &Row) -> &'static str {
    let extract = row.get("pluto_extract");
    let function = extract.split('(').next().unwrap_or("");
    match function {
        "extract_bool" => "Bool",
        "extract_sparse_name" | "lookup_sparse_name" | "extract_enum_name" | "extract_yna" => {
            if row.get("pluto_values").starts_with("(see") {
                "LooseEnum"
            } else if is_bool_set(row.get("pluto_values")) {
                "Bool"
            } else {
                "Enum"
            }
        }
        "extract_flags" => "List",
        "extract_deltatime" | "extract_lifetime" | "extract_deltatimescale" => "Time",
        "extract_port" => "Integer",
        "extract_cidr_num" => "Subnet",
        "extract_host_addr" => "Host",
        "extract_addresses" => "List",
        _ => "String",
    }
}
