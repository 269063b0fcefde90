//! Peer check: will both ends of a tunnel agree?
//!
//! Given the resolved configs of two gateways, pairs their conns (by name, or as
//! the caller says), tells each pair's orientation and reports the parameters the
//! two ends must agree on but do not ([`catalogue`] says which those are).

pub mod algorithms;
pub mod catalogue;
mod checks;
pub mod orientation;

use std::collections::HashMap;

use crate::catalogue::{SectionKind, Side, lookup_in};
use crate::resolve::{Resolved, ResolvedConn, ValueRef};

pub use catalogue::{Agreement, Basis, RULES, Rule, rule_for};
pub use orientation::Orientation;

/// How to pair the conns.
#[derive(Debug, Clone, Default)]
pub struct PeerOptions {
    /// Explicit pairs (`west conn`, `east conn`). When empty, conns pair by name;
    /// when given, only these pairs are compared.
    pub pairs: Vec<(String, String)>,
}

/// Where one end's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// 1-based line of the `key=value` line, or of the `conn` header when not set.
    pub line: u32,
    /// The key as written (or as it would be written when not set).
    pub key: String,
    /// The value written, or the default in effect when not set.
    pub value: String,
    /// Whether the value is written (directly, via `%default` or `also=`).
    pub set: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A parameter both ends must agree on differs.
    Mismatch,
    /// Two proposal lists share no proposal.
    NoCommonProposal,
    /// A `left*`/`right*` value does not match the other end's value for that host.
    NotMirrored,
    /// A conn has no counterpart in the other config.
    NoCounterpart,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Mismatch => "mismatch",
            FindingKind::NoCommonProposal => "no-common-proposal",
            FindingKind::NotMirrored => "not-mirrored",
            FindingKind::NoCounterpart => "no-counterpart",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The parameter as the first config spells it (`ike`, `leftsubnet`), or `conn`.
    pub parameter: String,
    pub message: String,
    pub west: Option<Place>,
    pub east: Option<Place>,
}

/// One pair of conns and what was found about it.
#[derive(Debug, Clone)]
pub struct PairReport {
    pub west_conn: String,
    pub east_conn: String,
    pub orientation: Orientation,
    /// Why that orientation (or why it cannot be told).
    pub orientation_reason: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default)]
pub struct PeerReport {
    pub pairs: Vec<PairReport>,
    /// Conns with no counterpart (and explicit pairs naming a missing conn).
    pub unpaired: Vec<Finding>,
}

impl PeerReport {
    /// Every finding: the pairs' in order, then the unpaired conns.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.pairs.iter().flat_map(|p| p.findings.iter()).chain(self.unpaired.iter())
    }

    /// Whether the two ends agree: no finding at all.
    pub fn agrees(&self) -> bool {
        self.findings().next().is_none()
    }
}

/// One conn with its values looked up by (canonical parameter, side).
pub struct ConnView<'a> {
    pub resolved: &'a Resolved,
    pub conn: &'a ResolvedConn,
    values: HashMap<(&'static str, Option<Side>), ValueRef<'a>>,
}

impl<'a> ConnView<'a> {
    pub fn new(resolved: &'a Resolved, conn: &'a ResolvedConn) -> Self {
        let mut values = HashMap::new();
        for value in conn.values.iter() {
            let Some(found) = lookup_in(value.key, Some(SectionKind::Conn)) else { continue };
            let Some(rule) = rule_for(found.keyword.name) else { continue };
            // A bare pair name (`subnet=`) is read as the right end by 3.20 and 4.10.
            let side = if found.keyword.left_right { Some(found.side.unwrap_or(Side::Right)) } else { None };
            values.entry((rule.canonical, side)).or_insert(value);
        }
        ConnView { resolved, conn, values }
    }

    pub fn value(&self, canonical: &str) -> Option<ValueRef<'a>> {
        self.values.iter().find(|((c, s), _)| *c == canonical && s.is_none()).map(|(_, v)| *v)
    }

    pub fn side_value(&self, canonical: &str, side: Side) -> Option<ValueRef<'a>> {
        self.values.iter().find(|((c, s), _)| *c == canonical && *s == Some(side)).map(|(_, v)| *v)
    }

    /// Where a value is (or, when `None`, where the conn is), for a finding.
    pub fn place(&self, value: Option<ValueRef<'_>>, key: &str, default: &str) -> Place {
        match value {
            Some(v) => {
                let source = self.resolved.source(v.file());
                let (line, _) = source.line_col(v.range().start());
                Place {
                    file: source.path.display().to_string(),
                    line,
                    key: v.key.to_string(),
                    value: v.value.to_string(),
                    set: true,
                }
            }
            None => {
                let source = self.resolved.source(self.conn.file);
                let (line, _) = source.line_col(self.conn.name_range.start());
                Place {
                    file: source.path.display().to_string(),
                    line,
                    key: key.to_string(),
                    value: default.to_string(),
                    set: false,
                }
            }
        }
    }

    /// Libreswan can load it: both ends are named.
    fn loadable(&self) -> bool {
        self.side_value("", Side::Left).is_some() && self.side_value("", Side::Right).is_some()
    }
}

/// Compares the conns of two gateways' configs.
pub fn compare(west: &Resolved, east: &Resolved, options: &PeerOptions) -> PeerReport {
    let west_views: Vec<ConnView<'_>> = west.conns.iter().map(|c| ConnView::new(west, c)).collect();
    let east_views: Vec<ConnView<'_>> = east.conns.iter().map(|c| ConnView::new(east, c)).collect();
    let find = |views: &[ConnView<'_>], name: &str| views.iter().position(|v| v.conn.name == name);
    let mut report = PeerReport::default();
    if options.pairs.is_empty() {
        let loadable = |views: &[ConnView<'_>]| -> Vec<usize> {
            views.iter().enumerate().filter(|(_, v)| v.loadable()).map(|(i, _)| i).collect()
        };
        let east_loadable = loadable(&east_views);
        let mut east_used = vec![false; east_views.len()];
        for w in loadable(&west_views) {
            let name = &west_views[w].conn.name;
            // Conns defined twice under one name pair in order, the first with the first.
            match east_loadable.iter().find(|&&e| !east_used[e] && east_views[e].conn.name == *name) {
                Some(&e) => {
                    east_used[e] = true;
                    report.pairs.push(checks::compare_pair(&west_views[w], &east_views[e]));
                }
                None => report.unpaired.push(checks::no_counterpart(&west_views[w], true, east)),
            }
        }
        for e in east_loadable.into_iter().filter(|&e| !east_used[e]) {
            report.unpaired.push(checks::no_counterpart(&east_views[e], false, west));
        }
    } else {
        for (w_name, e_name) in &options.pairs {
            match (find(&west_views, w_name), find(&east_views, e_name)) {
                (Some(w), Some(e)) => report.pairs.push(checks::compare_pair(&west_views[w], &east_views[e])),
                (w, e) => {
                    if w.is_none() {
                        report.unpaired.push(checks::missing_conn(w_name, west, true));
                    }
                    if e.is_none() {
                        report.unpaired.push(checks::missing_conn(e_name, east, false));
                    }
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> Resolved {
        let loader = crate::MemoryLoader::new();
        crate::resolve_text(&loader, std::path::Path::new("/etc/ipsec.conf"), text.into(), &Default::default())
    }

    /// Found by the random-edit property test: two conns of one name on both ends were
    /// both paired with the first one there.
    #[test]
    fn conns_of_one_name_pair_in_order() {
        let config = resolve(
            "conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tleftid=@one\n\n\
conn a\n\tleft=192.0.2.3\n\tright=192.0.2.4\n\tleftid=@two\n",
        );
        let report = compare(&config, &config, &PeerOptions::default());
        let findings: Vec<_> = report.findings().map(|f| format!("{f:?}")).collect();
        assert!(report.agrees(), "{findings:?}");
        assert_eq!(report.pairs.len(), 2);
    }

    /// Found by the random-edit property test: an empty `rightauth=` on both ends was
    /// reported as "the authentication methods differ".
    #[test]
    fn empty_auth_values_are_not_a_disagreement() {
        let config = resolve("conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tleftauth=\n\trightauth=\n");
        assert!(compare(&config, &config, &PeerOptions::default()).agrees());
        let west = resolve("conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tleftauth=secret\n\trightauth=secret\n");
        let east = resolve("conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tleftauth=rsasig\n\trightauth=rsasig\n");
        let report = compare(&west, &east, &PeerOptions::default());
        let findings: Vec<_> = report.findings().map(|f| format!("{f:?}")).collect();
        assert!(report.findings().any(|f| f.parameter.ends_with("auth")), "disjoint methods are found: {findings:?}");
    }
}
