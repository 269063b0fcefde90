//! Which end of one config is which end of the other.
//!
//! Libreswan lets both gateways load the same file (each finds itself among
//! `left`/`right`), or each write itself as `left` (the configs are mirrored).
//! The hosts, IDs and subnets of each end tell the two apart: each concrete value
//! seen the same way on both sides counts for an orientation, each that differs
//! counts against it. Wildcards (`%any`, `%defaultroute`, absent values) say nothing.

use crate::catalogue::Side;

use super::ConnView;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// `left` is the same host in both configs.
    Same,
    /// One config's `left` is the other's `right`.
    Mirrored,
    /// The values give no answer (or an equal one for both).
    Unknown,
}

impl Orientation {
    /// The side of the second config that corresponds to `side` of the first.
    pub fn map(self, side: Side) -> Side {
        match (self, side) {
            (Orientation::Mirrored, Side::Left) => Side::Right,
            (Orientation::Mirrored, Side::Right) => Side::Left,
            (_, side) => side,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::Same => "same",
            Orientation::Mirrored => "mirrored",
            Orientation::Unknown => "unknown",
        }
    }
}

/// A value that names one thing (not a wildcard or magic word), normalised.
fn concrete(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value.starts_with('%') {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    Some(match lower.parse::<std::net::IpAddr>() {
        Ok(address) => address.to_string(),
        Err(_) => lower.split(',').map(str::trim).collect::<Vec<_>>().join(","),
    })
}

/// (matches, conflicts) between `side_a` of `a` and `side_b` of `b`.
fn evidence(a: &ConnView<'_>, side_a: Side, b: &ConnView<'_>, side_b: Side) -> (u32, u32) {
    let mut score = (0, 0);
    for name in ["", "id", "subnet", "subnets"] {
        let (Some(x), Some(y)) = (a.side_value(name, side_a), b.side_value(name, side_b)) else { continue };
        if let (Some(x), Some(y)) = (concrete(x.value), concrete(y.value)) {
            if x == y {
                score.0 += 1;
            } else {
                score.1 += 1;
            }
        }
    }
    score
}

/// The orientation, and a sentence saying what decided it.
pub fn orient(a: &ConnView<'_>, b: &ConnView<'_>) -> (Orientation, String) {
    let score = |other_left: Side, other_right: Side| {
        let (m1, c1) = evidence(a, Side::Left, b, other_left);
        let (m2, c2) = evidence(a, Side::Right, b, other_right);
        (m1 + m2, c1 + c2)
    };
    let (same_match, same_conflict) = score(Side::Left, Side::Right);
    let (mirror_match, mirror_conflict) = score(Side::Right, Side::Left);
    let same = i64::from(same_match) - i64::from(same_conflict);
    let mirrored = i64::from(mirror_match) - i64::from(mirror_conflict);
    let why = |m: u32, c: u32| format!("{m} host/ID/subnet value(s) match that way, {c} differ");
    if same > mirrored && same_match > 0 {
        (Orientation::Same, why(same_match, same_conflict))
    } else if mirrored > same && mirror_match > 0 {
        (Orientation::Mirrored, why(mirror_match, mirror_conflict))
    } else {
        let reason = if same_match + mirror_match == 0 {
            "no host, ID or subnet is written concretely on both ends".to_string()
        } else {
            format!(
                "the values fit both ways equally ({same_match} match / {same_conflict} differ as the same, \
                 {mirror_match} / {mirror_conflict} mirrored)"
            )
        };
        (Orientation::Unknown, reason)
    }
}
