//! The checks run on one pair of conns.

use std::collections::BTreeSet;

use ipnet::IpNet;

use super::algorithms;
use super::catalogue::{Agreement, RULES};
use super::orientation::{Orientation, orient};
use super::{ConnView, Finding, FindingKind, PairReport};
use crate::catalogue::Side;
use crate::resolve::{Resolved, ValueRef};
use crate::value_check::{ProposalKind, parse_subnet};

/// Defaults of the must-agree parameters that the man page states. Parameters
/// without a stated default are compared only when both ends set them.
const DEFAULTS: &[(&str, &str)] = &[
    ("aggressive", "no"),
    ("compress", "no"),
    ("iptfs", "no"),
    ("keyexchange", "ike"),
    ("labeled-ipsec", "no"),
    ("modecfgpull", "no"),
    ("pfs", "yes"),
    ("phase2", "esp"),
    ("sec-label", ""),
    ("sha2-truncbug", "no"),
    ("type", "tunnel"),
];

/// Must-agree parameters whose values are sets of what an end accepts; the ends
/// agree when the sets meet. (value, accepted) pairs, then the default's set.
struct Choice {
    name: &'static str,
    values: &'static [(&'static str, &'static [&'static str])],
    default: &'static [&'static str],
}

const CHOICES: &[Choice] = &[
    Choice {
        // libreswan 4.10: `yes` (the default) is IKEv2 only, `no` IKEv1 only; the old
        // words map as its man page says (permit → no, propose/insist → yes).
        name: "ikev2",
        values: &[
            ("yes", &["ikev2"]),
            ("insist", &["ikev2"]),
            ("propose", &["ikev2"]),
            ("no", &["ikev1"]),
            ("never", &["ikev1"]),
            ("permit", &["ikev1"]),
        ],
        default: &["ikev2"],
    },
    Choice {
        name: "esn",
        values: &[("yes", &["esn"]), ("no", &["no-esn"]), ("either", &["esn", "no-esn"])],
        default: &["esn", "no-esn"],
    },
    Choice {
        name: "ppk",
        values: &[
            ("propose", &["ppk", "no-ppk"]),
            ("permit", &["ppk", "no-ppk"]),
            ("yes", &["ppk", "no-ppk"]),
            ("insist", &["ppk"]),
            ("never", &["no-ppk"]),
            ("no", &["no-ppk"]),
        ],
        default: &["ppk", "no-ppk"],
    },
    Choice {
        name: "enable-tcp",
        values: &[("no", &["udp"]), ("yes", &["tcp"]), ("fallback", &["udp", "tcp"])],
        default: &["udp"],
    },
];

fn normalize_bool(value: &str) -> String {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" | "1" => "yes".into(),
        "no" | "n" | "false" | "off" | "0" => "no".into(),
        other => other.to_string(),
    }
}

/// Types that negotiate nothing.
fn is_shunt(view: &ConnView<'_>) -> bool {
    let type_is_shunt = view
        .value("type")
        .is_some_and(|v| matches!(v.value.to_ascii_lowercase().as_str(), "passthrough" | "pass" | "drop" | "reject"));
    let never = view.value("authby").is_some_and(|v| v.value.eq_ignore_ascii_case("never"));
    type_is_shunt || never
}

struct Pair<'a, 'b> {
    west: &'b ConnView<'a>,
    east: &'b ConnView<'a>,
    orientation: Orientation,
    findings: Vec<Finding>,
}

pub(super) fn compare_pair(west: &ConnView<'_>, east: &ConnView<'_>) -> PairReport {
    let (orientation, orientation_reason) = orient(west, east);
    let mut pair = Pair { west, east, orientation, findings: Vec::new() };
    pair.exact("type");
    if !(is_shunt(west) && is_shunt(east)) {
        pair.must_agree();
        pair.proposals();
        if orientation != Orientation::Unknown {
            pair.mirrors();
        }
    }
    PairReport {
        west_conn: west.conn.name.to_string(),
        east_conn: east.conn.name.to_string(),
        orientation,
        orientation_reason,
        findings: pair.findings,
    }
}

fn set_of(choice: &Choice, value: Option<ValueRef<'_>>) -> Option<BTreeSet<&'static str>> {
    let Some(value) = value.filter(|v| !v.value.trim().is_empty()) else {
        return Some(choice.default.iter().copied().collect());
    };
    let lower = value.value.trim().to_ascii_lowercase();
    let (_, accepted) = choice.values.iter().find(|(word, _)| *word == lower)?;
    Some(accepted.iter().copied().collect())
}

/// The methods `authby=` allows, by family (`rsa-sha2` is an RSA signature).
fn auth_methods(value: &str) -> BTreeSet<String> {
    value
        .split([',', '|', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_ascii_lowercase();
            if w.starts_with("rsa") {
                "rsasig".to_string()
            } else if w.starts_with("ecdsa") {
                "ecdsa".to_string()
            } else if w == "psk" {
                "secret".to_string()
            } else {
                w
            }
        })
        .collect()
}

impl Pair<'_, '_> {
    fn push(
        &mut self,
        kind: FindingKind,
        key: (&str, &str),
        values: (Option<ValueRef<'_>>, Option<ValueRef<'_>>),
        defaults: (&str, &str),
        message: String,
    ) {
        self.findings.push(Finding {
            kind,
            parameter: values.0.map_or_else(|| key.0.to_string(), |v| v.key.to_string()),
            message,
            west: Some(self.west.place(values.0, key.0, defaults.0)),
            east: Some(self.east.place(values.1, key.1, defaults.1)),
        });
    }

    fn must_agree(&mut self) {
        let mut done: Vec<&str> = vec!["type"];
        for rule in RULES.iter().filter(|r| r.agreement == Agreement::Exact) {
            if done.contains(&rule.canonical) {
                continue;
            }
            done.push(rule.canonical);
            match rule.canonical {
                "keyexchange" => self.ike_version(),
                "authby" => self.authby(),
                name if CHOICES.iter().any(|c| c.name == name) => {
                    if name != "ikev2" {
                        self.choice(CHOICES.iter().find(|c| c.name == name).expect("listed"));
                    }
                }
                name => self.exact(name),
            }
        }
    }

    fn exact(&mut self, name: &str) {
        let (w, e) = (self.west.value(name), self.east.value(name));
        let default = DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
        let normal = |v: Option<ValueRef<'_>>| match (v, default) {
            (Some(v), _) if !v.value.trim().is_empty() => Some(normalize_bool(v.value.trim())),
            (_, Some(d)) => Some(d.to_string()),
            (_, None) => None,
        };
        let (Some(wn), Some(en)) = (normal(w), normal(e)) else { return };
        if wn != en {
            let d = default.unwrap_or("");
            let message = format!("`{name}` must be the same on both ends: `{wn}` here, `{en}` there");
            self.push(FindingKind::Mismatch, (name, name), (w, e), (d, d), message);
        }
    }

    fn choice(&mut self, choice: &Choice) {
        let (w, e) = (self.west.value(choice.name), self.east.value(choice.name));
        let (Some(ws), Some(es)) = (set_of(choice, w), set_of(choice, e)) else { return };
        if ws.is_disjoint(&es) {
            let show = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join("/");
            let message =
                format!("`{}` does not meet: one end allows {}, the other {}", choice.name, show(&ws), show(&es));
            let d = choice.values.iter().find(|(_, s)| *s == choice.default).map_or("", |(w, _)| *w);
            self.push(FindingKind::Mismatch, (choice.name, choice.name), (w, e), (d, d), message);
        }
    }

    /// `keyexchange=ikev1|ikev2` (newer libreswan) or `ikev2=` decide the IKE version.
    fn ike_version(&mut self) {
        fn version<'a>(view: &ConnView<'a>) -> Option<ValueRef<'a>> {
            let keyexchange = view.value("keyexchange").filter(|v| {
                let lower = v.value.to_ascii_lowercase();
                lower == "ikev1" || lower == "ikev2"
            });
            keyexchange.or_else(|| view.value("ikev2"))
        }
        let (w, e) = (version(self.west), version(self.east));
        let set = |v: Option<ValueRef<'_>>| -> Option<BTreeSet<&'static str>> {
            match v.map(|v| v.value.to_ascii_lowercase()) {
                Some(word) if word == "ikev1" => Some(BTreeSet::from(["ikev1"])),
                Some(word) if word == "ikev2" && v.is_some_and(|v| v.key == "keyexchange") => {
                    Some(BTreeSet::from(["ikev2"]))
                }
                _ => set_of(&CHOICES[0], v),
            }
        };
        let (Some(ws), Some(es)) = (set(w), set(e)) else { return };
        if ws.is_disjoint(&es) {
            let show = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join("/");
            let message = format!("the IKE versions do not meet: {} here, {} there", show(&ws), show(&es));
            self.push(FindingKind::Mismatch, ("ikev2", "ikev2"), (w, e), ("yes", "yes"), message);
        }
    }

    fn authby(&mut self) {
        let asymmetric = |view: &ConnView<'_>| {
            view.side_value("auth", Side::Left).is_some() || view.side_value("auth", Side::Right).is_some()
        };
        if asymmetric(self.west) || asymmetric(self.east) {
            return; // leftauth/rightauth decide; compared as side parameters
        }
        const DEFAULT: &str = "rsasig,ecdsa";
        let (w, e) = (self.west.value("authby"), self.east.value("authby"));
        let methods = |v: Option<ValueRef<'_>>| {
            auth_methods(v.map(|v| v.value.as_str()).filter(|v| !v.trim().is_empty()).unwrap_or(DEFAULT))
        };
        let (wm, em) = (methods(w), methods(e));
        if wm.is_disjoint(&em) {
            let show = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(",");
            let message = format!("`authby` allows no common method: {} here, {} there", show(&wm), show(&em));
            self.push(FindingKind::Mismatch, ("authby", "authby"), (w, e), (DEFAULT, DEFAULT), message);
        }
    }

    fn proposals(&mut self) {
        for (name, kind) in [("ike", ProposalKind::Ike), ("phase2alg", ProposalKind::Esp)] {
            let (w, e) = (self.west.value(name), self.east.value(name));
            if w.is_none() && e.is_none() {
                continue; // both ends use the same built-in defaults
            }
            let kind = if kind == ProposalKind::Esp && self.west.value("phase2").is_some_and(|v| v.value == "ah") {
                ProposalKind::Ah
            } else {
                kind
            };
            let (Ok(wl), Ok(el)) = (
                algorithms::list(kind, w.map(|v| v.value.as_str())),
                algorithms::list(kind, e.map(|v| v.value.as_str())),
            ) else {
                continue; // an invalid list is the value checker's finding, not a disagreement
            };
            if !algorithms::lists_meet(&wl, &el) {
                let shown =
                    |v: Option<ValueRef<'_>>| v.map_or("the defaults".to_string(), |v| format!("`{}`", v.value));
                let message = format!("`{name}` lists share no proposal: {} here, {} there", shown(w), shown(e));
                self.push(FindingKind::NoCommonProposal, (name, name), (w, e), ("(defaults)", "(defaults)"), message);
            }
        }
    }

    fn mirrors(&mut self) {
        for side in [Side::Left, Side::Right] {
            let other = self.orientation.map(side);
            self.selectors(side, other);
            self.protoports(side, other);
            self.ids(side, other);
            for name in ["pubkey", "rsasigkey2"] {
                self.keys(name, side, other);
            }
            self.auth(side, other);
            for (name, default) in [
                ("autheap", "none"),
                ("ikeport", "500"),
                ("modecfgclient", "no"),
                ("modecfgserver", "no"),
                ("xauthclient", "no"),
                ("xauthserver", "no"),
            ] {
                self.mirror_plain(name, default, side, other);
            }
        }
    }

    fn spelled(name: &str, side: Side) -> String {
        let prefix = if side == Side::Left { "left" } else { "right" };
        format!("{prefix}{name}")
    }

    fn not_mirrored(
        &mut self,
        name: &str,
        sides: (Side, Side),
        values: (Option<ValueRef<'_>>, Option<ValueRef<'_>>),
        defaults: (&str, &str),
        what: &str,
    ) {
        let (wk, ek) = (Self::spelled(name, sides.0), Self::spelled(name, sides.1));
        let message = format!("`{wk}` here and `{ek}` there name the same host but {what}");
        self.push(FindingKind::NotMirrored, (&wk, &ek), values, defaults, message);
    }

    /// The literal address of a side's host, if it is one.
    fn host_address(view: &ConnView<'_>, side: Side) -> Option<std::net::IpAddr> {
        view.side_value("", side)?.value.trim().parse().ok()
    }

    fn selectors(&mut self, side: Side, other: Side) {
        fn nets<'a>(view: &ConnView<'a>, side: Side) -> Option<(BTreeSet<IpNet>, Option<ValueRef<'a>>, String)> {
            let values: Vec<ValueRef<'_>> =
                ["subnet", "subnets"].iter().filter_map(|n| view.side_value(n, side)).collect();
            if values.is_empty() {
                let host = Pair::host_address(view, side)?;
                let net = IpNet::from(host);
                return Some((BTreeSet::from([net]), None, net.to_string()));
            }
            let mut set = BTreeSet::new();
            for value in &values {
                let text = value.value.trim().trim_start_matches('{').trim_end_matches('}');
                for part in text.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
                    set.insert(parse_subnet(part).ok()?.trunc());
                }
            }
            Some((set, values.first().copied(), String::new()))
        }
        let (Some((ws, wv, wd)), Some((es, ev, ed))) = (nets(self.west, side), nets(self.east, other)) else {
            return;
        };
        let agree = if self.narrowing() {
            ws.iter().any(|a| es.iter().any(|b| a.contains(b) || b.contains(a)))
        } else {
            ws == es
        };
        if !agree {
            self.not_mirrored("subnet", (side, other), (wv, ev), (&wd, &ed), "the subnets differ");
        }
    }

    /// Either end accepts narrowed traffic selectors (IKEv2 `narrowing=yes`).
    fn narrowing(&self) -> bool {
        let on = |view: &ConnView<'_>| view.value("narrowing").is_some_and(|v| normalize_bool(v.value) == "yes");
        on(self.west) || on(self.east)
    }

    fn protoports(&mut self, side: Side, other: Side) {
        fn parse(value: Option<ValueRef<'_>>) -> (String, String) {
            let text = value.map_or("0/0", |v| v.value.trim()).to_ascii_lowercase();
            let (proto, port) = text.split_once('/').unwrap_or((&text, "0"));
            let proto = match proto {
                "icmp" => "1",
                "tcp" => "6",
                "udp" => "17",
                "gre" => "47",
                "icmpv6" | "ipv6-icmp" => "58",
                "" => "0",
                other => other,
            };
            (proto.to_string(), if port.is_empty() { "0".into() } else { port.to_string() })
        }
        let (w, e) = (self.west.side_value("protoport", side), self.east.side_value("protoport", other));
        if w.is_none() && e.is_none() {
            return;
        }
        let ((wp, wport), (ep, eport)) = (parse(w), parse(e));
        // With narrowing an end accepts a narrower selector: 0 (all) then fits any value.
        let narrowing = self.narrowing();
        let fits = |a: &str, b: &str| a == b || a == "%any" || b == "%any" || (narrowing && (a == "0" || b == "0"));
        if !fits(&wp, &ep) || !fits(&wport, &eport) {
            self.not_mirrored("protoport", (side, other), (w, e), ("0/0", "0/0"), "the protocol/port selectors differ");
        }
    }

    fn ids(&mut self, side: Side, other: Side) {
        fn normal<'a>(view: &ConnView<'a>, side: Side) -> Option<(String, Option<ValueRef<'a>>)> {
            match view.side_value("id", side).filter(|v| !v.value.trim().is_empty()) {
                Some(v) => {
                    let text = v.value.trim();
                    if text.starts_with('%') {
                        return None; // %fromcert, %any, %none …: not a fixed identity
                    }
                    let text = text.strip_prefix("@#").map_or(text.to_string(), |hex| format!("@#{hex}"));
                    let normal = match text.parse::<std::net::IpAddr>() {
                        Ok(address) => address.to_string(),
                        Err(_) if text.contains('=') => {
                            text.split(',').map(str::trim).collect::<Vec<_>>().join(",").to_ascii_lowercase()
                        }
                        Err(_) => text.to_ascii_lowercase(),
                    };
                    Some((normal, Some(v)))
                }
                // Without an ID an end is identified by its address.
                None => Pair::host_address(view, side).map(|a| (a.to_string(), None)),
            }
        }
        let (Some((wn, wv)), Some((en, ev))) = (normal(self.west, side), normal(self.east, other)) else { return };
        if wn != en {
            let (wd, ed) = (
                if wv.is_none() { wn.clone() } else { String::new() },
                if ev.is_none() { en.clone() } else { String::new() },
            );
            self.not_mirrored("id", (side, other), (wv, ev), (&wd, &ed), "the identities differ");
        }
    }

    fn keys(&mut self, name: &str, side: Side, other: Side) {
        fn key<'a>(view: &ConnView<'a>, name: &str, side: Side) -> Option<ValueRef<'a>> {
            view.side_value(name, side).filter(|v| {
                let t = v.value.trim();
                t.starts_with("0s") || t.starts_with("0x")
            })
        }
        let (Some(w), Some(e)) = (key(self.west, name, side), key(self.east, name, other)) else { return };
        let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if strip(w.value) != strip(e.value) {
            self.not_mirrored(name, (side, other), (Some(w), Some(e)), ("", ""), "the public keys differ");
        }
    }

    fn auth(&mut self, side: Side, other: Side) {
        let (Some(w), Some(e)) = (self.west.side_value("auth", side), self.east.side_value("auth", other)) else {
            return;
        };
        // An empty or unreadable value is reported by the value checks, not here.
        let (west_methods, east_methods) = (auth_methods(w.value), auth_methods(e.value));
        if !west_methods.is_empty() && !east_methods.is_empty() && west_methods.is_disjoint(&east_methods) {
            self.not_mirrored("auth", (side, other), (Some(w), Some(e)), ("", ""), "the authentication methods differ");
        }
    }

    fn mirror_plain(&mut self, name: &str, default: &str, side: Side, other: Side) {
        let (w, e) = (self.west.side_value(name, side), self.east.side_value(name, other));
        if w.is_none() && e.is_none() {
            return;
        }
        let normal = |v: Option<ValueRef<'_>>| normalize_bool(v.map_or(default, |v| v.value.trim()));
        if normal(w) != normal(e) {
            self.not_mirrored(name, (side, other), (w, e), (default, default), "the values differ");
        }
    }
}

pub(super) fn no_counterpart(view: &ConnView<'_>, is_west: bool, other: &Resolved) -> Finding {
    let other_file = other.files.first().map_or(String::new(), |f| f.path.display().to_string());
    let place = view.place(None, "conn", &view.conn.name);
    Finding {
        kind: FindingKind::NoCounterpart,
        parameter: "conn".into(),
        message: format!("conn `{}` has no counterpart in {other_file}", view.conn.name),
        west: is_west.then(|| place.clone()),
        east: (!is_west).then_some(place),
    }
}

pub(super) fn missing_conn(name: &str, resolved: &Resolved, is_west: bool) -> Finding {
    let file = resolved.files.first().map_or(String::new(), |f| f.path.display().to_string());
    let place = super::Place { file: file.clone(), line: 1, key: "conn".into(), value: name.into(), set: false };
    Finding {
        kind: FindingKind::NoCounterpart,
        parameter: "conn".into(),
        message: format!("there is no conn `{name}` in {file}"),
        west: is_west.then(|| place.clone()),
        east: (!is_west).then_some(place),
    }
}
