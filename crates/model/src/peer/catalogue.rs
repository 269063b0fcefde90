//! Which conn parameters the two ends of a tunnel must agree on.
//!
//! ipsec.conf(5) states the general rule ("Unless otherwise noted, for a connection
//! to work, in general it is necessary for the two ends to agree exactly on the values
//! of these parameters") and marks the exceptions in each parameter's paragraph
//! ("Relevant only locally, other end need not agree on it", "The two ends need not
//! exactly agree"). Parameters added after that page was written do not repeat the
//! rule; for them the table records a judgement and says why ([`Basis::Judgement`]).
//! A test checks every entry against the paragraph text of the catalogue.

/// What the two ends' values of one parameter must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both ends must hold the same value (after defaults and spelling).
    Exact,
    /// Algorithm proposal lists: the two ends must share at least one proposal.
    Proposals,
    /// A `left*`/`right*` parameter: each end's value must equal the other
    /// config's value for the same host.
    Mirror,
    /// Names the hosts; used to tell the orientation, not compared (NAT makes the
    /// two ends' views of an address differ, as the man page warns).
    Endpoint,
    /// The ends need not agree exactly (lifetimes, `rekey`).
    Lenient,
    /// Relevant only locally: no check.
    Local,
    /// Not a parameter: `also=`/`alsoflip=` are resolved away before comparing.
    Structure,
}

/// Where a classification comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The general rule of the man page (no exception in the paragraph).
    GeneralRule,
    /// The paragraph says "relevant only locally" / "the other end need not agree".
    ManPageLocal,
    /// The paragraph says the ends "need not (exactly) agree", or compares to one that does.
    ManPageNeedNotAgree,
    /// The paragraph says both ends must agree or "have to agree".
    ManPageMustAgree,
    /// The man page is silent or newer than the rule; the reason is given.
    Judgement(&'static str),
}

/// One conn parameter's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The catalogue name (pairs without `left`/`right`; `""` is `left=`/`right=`).
    pub name: &'static str,
    /// The parameter this name is compared as (aliases share one).
    pub canonical: &'static str,
    pub agreement: Agreement,
    pub basis: Basis,
}

use Agreement::*;
use Basis::*;

const LOCAL_POLICY: Basis = Judgement("a local policy or kernel setting that is not sent to the peer");
const DPD: Basis = Judgement("each end runs its own liveness probes and decides what to do when they fail");
const NEGOTIATED: Basis = Judgement("announced in the exchange; the ends settle on what both support");
const SERVER_SIDE: Basis = Judgement("set on the server only; the client receives the result");
const LOCAL_STORE: Basis = Judgement("names an item in this host's own certificate/key store or secrets");
const LIFETIME: Basis = Judgement("an SA limit; as for salifetime the end with the smaller limit rekeys first");
const SHUNT: Basis = Judgement("what this end does with its own packets");
const DERIVED: Basis = Judgement("an address family; compared only when both ends set it");

const fn rule(name: &'static str, agreement: Agreement, basis: Basis) -> Rule {
    Rule { name, canonical: name, agreement, basis }
}

const fn alias(name: &'static str, canonical: &'static str, agreement: Agreement, basis: Basis) -> Rule {
    Rule { name, canonical, agreement, basis }
}

/// Every conn keyword of the catalogue, sorted by name.
pub static RULES: &[Rule] = &[
    rule("", Endpoint, Judgement("the hosts; NAT makes each end's view of an address differ")),
    rule("accept-redirect", Local, LOCAL_POLICY),
    rule("accept-redirect-to", Local, LOCAL_POLICY),
    rule("addresspool", Local, SERVER_SIDE),
    alias("aggressive", "aggressive", Exact, GeneralRule),
    alias("aggrmode", "aggressive", Exact, GeneralRule),
    alias("ah", "phase2alg", Proposals, GeneralRule),
    rule("also", Structure, Judgement("resolved before comparing")),
    rule("alsoflip", Structure, Judgement("resolved before comparing")),
    rule("auth", Mirror, GeneralRule),
    rule("authby", Exact, GeneralRule),
    rule("autheap", Mirror, GeneralRule),
    rule("auto", Local, ManPageLocal),
    rule("ca", Local, LOCAL_STORE),
    rule("cat", Local, LOCAL_POLICY),
    rule("cert", Local, LOCAL_STORE),
    rule("cisco-split", Local, SERVER_SIDE),
    alias("cisco-unity", "cisco-unity", Local, Judgement("a vendor ID this end sends; the peer may ignore it")),
    alias("cisco_unity", "cisco-unity", Local, Judgement("a vendor ID this end sends; the peer may ignore it")),
    rule("ckaid", Local, LOCAL_STORE),
    rule("clientaddrfamily", Exact, DERIVED),
    rule("clones", Local, LOCAL_POLICY),
    rule("compress", Exact, ManPageMustAgree),
    rule("connaddrfamily", Exact, DERIVED),
    rule("connalias", Local, Judgement("a local name")),
    rule("debug", Local, LOCAL_POLICY),
    rule("decap-dscp", Local, LOCAL_POLICY),
    rule("disablearrivalcheck", Local, ManPageLocal),
    rule("dns-match-id", Local, LOCAL_POLICY),
    rule("dpdaction", Local, DPD),
    rule("dpddelay", Local, DPD),
    rule("dpdtimeout", Local, DPD),
    alias("ecdsakey", "pubkey", Mirror, GeneralRule),
    alias("eddsakey", "pubkey", Mirror, GeneralRule),
    rule("enable-tcp", Exact, GeneralRule),
    rule("encap-dscp", Local, LOCAL_POLICY),
    rule(
        "encapsulation",
        Local,
        Judgement("forcing encapsulation is announced through NAT detection; the peer follows"),
    ),
    rule("esn", Exact, GeneralRule),
    alias("esp", "phase2alg", Proposals, GeneralRule),
    rule("failureshunt", Local, SHUNT),
    rule("fake-strongswan", Local, Judgement("a vendor ID this end sends; the peer may ignore it")),
    rule("forceencaps", Local, Judgement("obsolete and ignored")),
    rule("fragmentation", Local, NEGOTIATED),
    rule("groundhog", Local, LOCAL_POLICY),
    rule("hostaddrfamily", Exact, DERIVED),
    rule("id", Mirror, GeneralRule),
    rule("ignore-peer-dns", Local, LOCAL_POLICY),
    rule("ike", Proposals, GeneralRule),
    alias("ike-frag", "fragmentation", Local, NEGOTIATED),
    alias("ike_frag", "fragmentation", Local, NEGOTIATED),
    rule("ikelifetime", Lenient, ManPageNeedNotAgree),
    rule("ikepad", Local, Judgement("IKEv1 receivers accept padded and unpadded messages")),
    rule("ikeport", Mirror, GeneralRule),
    alias("ikev1-dpdtimeout", "dpdtimeout", Local, DPD),
    rule("ikev2", Exact, GeneralRule),
    alias("initial-contact", "initial-contact", Local, Judgement("a notification this end sends")),
    alias("initial_contact", "initial-contact", Local, Judgement("a notification this end sends")),
    rule("interface-ip", Local, LOCAL_POLICY),
    rule("intermediate", Local, NEGOTIATED),
    rule("ipsec-interface", Local, LOCAL_POLICY),
    alias("ipsec-lifetime", "salifetime", Lenient, ManPageNeedNotAgree),
    rule("ipsec-max-bytes", Lenient, LIFETIME),
    rule("ipsec-max-packets", Lenient, LIFETIME),
    rule("iptfs", Exact, GeneralRule),
    rule("iptfs-drop-time", Local, LOCAL_POLICY),
    rule("iptfs-fragmentation", Local, LOCAL_POLICY),
    rule("iptfs-init-delay", Local, LOCAL_POLICY),
    rule("iptfs-max-queue-size", Local, LOCAL_POLICY),
    rule("iptfs-packet-size", Local, LOCAL_POLICY),
    rule("iptfs-reorder-window", Local, LOCAL_POLICY),
    rule("keyexchange", Exact, GeneralRule),
    rule("keyingtries", Local, ManPageLocal),
    alias("keylife", "salifetime", Lenient, ManPageNeedNotAgree),
    alias("labeled-ipsec", "labeled-ipsec", Exact, GeneralRule),
    alias("labeled_ipsec", "labeled-ipsec", Exact, GeneralRule),
    alias("lifetime", "salifetime", Lenient, ManPageNeedNotAgree),
    rule("mark", Local, LOCAL_POLICY),
    rule("mark-in", Local, LOCAL_POLICY),
    rule("mark-out", Local, LOCAL_POLICY),
    rule("metric", Local, LOCAL_POLICY),
    rule("mobike", Local, NEGOTIATED),
    rule("modecfgbanner", Local, SERVER_SIDE),
    rule("modecfgclient", Mirror, GeneralRule),
    rule("modecfgdns", Local, SERVER_SIDE),
    rule("modecfgdns1", Local, SERVER_SIDE),
    rule("modecfgdns2", Local, SERVER_SIDE),
    rule("modecfgdomain", Local, SERVER_SIDE),
    rule("modecfgdomains", Local, SERVER_SIDE),
    rule("modecfgpull", Exact, GeneralRule),
    rule("modecfgserver", Mirror, GeneralRule),
    rule("modecfgwins1", Local, Judgement("obsolete and ignored")),
    rule("modecfgwins2", Local, Judgement("obsolete and ignored")),
    rule("ms-dh-downgrade", Local, LOCAL_POLICY),
    rule("mtu", Local, LOCAL_POLICY),
    rule("narrowing", Local, Judgement("lets this end accept narrower selectors; selectors are compared as subnets")),
    rule("nat-ikev1-method", Local, Judgement("which NAT-T vendor IDs this end sends and accepts")),
    alias("nat-keepalive", "nat-keepalive", Local, LOCAL_POLICY),
    alias("nat_keepalive", "nat-keepalive", Local, LOCAL_POLICY),
    rule("negotiationshunt", Local, SHUNT),
    rule("nexthop", Local, ManPageLocal),
    alias("nflog", "nflog-group", Local, LOCAL_POLICY),
    rule("nflog-group", Local, LOCAL_POLICY),
    rule("nic-offload", Local, LOCAL_POLICY),
    alias("nm-configured", "nm-configured", Local, LOCAL_POLICY),
    alias("nm_configured", "nm-configured", Local, LOCAL_POLICY),
    rule("nopmtudisc", Local, LOCAL_POLICY),
    rule("overlapip", Local, LOCAL_POLICY),
    rule("pam-authorize", Local, SERVER_SIDE),
    rule("pfs", Exact, GeneralRule),
    rule("pfs-rekey-workaround", Local, LOCAL_POLICY),
    rule("phase2", Exact, GeneralRule),
    rule("phase2alg", Proposals, GeneralRule),
    alias("policy-label", "sec-label", Exact, GeneralRule),
    alias("policy_label", "sec-label", Exact, GeneralRule),
    rule("ppk", Exact, GeneralRule),
    rule("ppk-ids", Local, LOCAL_STORE),
    rule("priority", Local, LOCAL_POLICY),
    rule("protoport", Mirror, ManPageMustAgree),
    rule("pubkey", Mirror, GeneralRule),
    rule("reauth", Local, LOCAL_POLICY),
    rule("redirect-to", Local, SERVER_SIDE),
    rule("reject-simultaneous-ike-auth", Local, LOCAL_POLICY),
    rule("rekey", Lenient, ManPageNeedNotAgree),
    rule("rekeyfuzz", Local, ManPageLocal),
    rule("rekeymargin", Local, ManPageLocal),
    alias("remote-peer-type", "remote-peer-type", Local, LOCAL_POLICY),
    alias("remote_peer_type", "remote-peer-type", Local, LOCAL_POLICY),
    rule("replay-window", Local, LOCAL_POLICY),
    rule("reqid", Local, LOCAL_POLICY),
    rule("require-id-on-certificate", Local, LOCAL_POLICY),
    rule("retransmit-interval", Local, LOCAL_POLICY),
    rule("retransmit-timeout", Local, LOCAL_POLICY),
    alias("rsasigkey", "pubkey", Mirror, GeneralRule),
    rule("rsasigkey2", Mirror, GeneralRule),
    alias("salifetime", "salifetime", Lenient, ManPageNeedNotAgree),
    rule("sareftrack", Local, LOCAL_POLICY),
    alias("sec-label", "sec-label", Exact, GeneralRule),
    alias(
        "send-esp-tfc-padding-not-supported",
        "send-esp-tfc-padding-not-supported",
        Local,
        Judgement("a notification this end sends"),
    ),
    alias("send-no-esp-tfc", "send-esp-tfc-padding-not-supported", Local, Judgement("a notification this end sends")),
    rule("send-redirect", Local, SERVER_SIDE),
    rule("send-supported-auth-methods", Local, Judgement("a notification this end sends")),
    alias("send-vendorid", "send-vendorid", Local, Judgement("a vendor ID this end sends")),
    alias("send_vendorid", "send-vendorid", Local, Judgement("a vendor ID this end sends")),
    rule("sendca", Local, Judgement("how much of its own chain this end sends")),
    rule("sendcert", Local, Judgement("when this end sends its own certificate")),
    rule("session-resumption", Local, NEGOTIATED),
    alias("sha2-truncbug", "sha2-truncbug", Exact, ManPageMustAgree),
    alias("sha2_truncbug", "sha2-truncbug", Exact, ManPageMustAgree),
    rule("share-lease", Local, SERVER_SIDE),
    rule("sourceip", Local, ManPageLocal),
    rule("subnet", Mirror, GeneralRule),
    rule("subnets", Mirror, GeneralRule),
    rule("tcp-remoteport", Local, Judgement("the port this end connects to; the peer listens as its own setup says")),
    rule("tfc", Local, Judgement("padding of this end's outgoing packets")),
    rule("type", Exact, GeneralRule),
    rule("updown", Local, ManPageLocal),
    rule("updown-config", Local, LOCAL_POLICY),
    alias("username", "username", Local, Judgement("the client's login; the server checks it against its own store")),
    rule("vti", Local, LOCAL_POLICY),
    rule("vti-interface", Local, LOCAL_POLICY),
    rule("vti-routing", Local, LOCAL_POLICY),
    rule("vti-shared", Local, LOCAL_POLICY),
    rule("xauthby", Local, SERVER_SIDE),
    rule("xauthclient", Mirror, GeneralRule),
    rule("xauthfail", Local, SERVER_SIDE),
    alias("xauthname", "username", Local, Judgement("the client's login; the server checks it against its own store")),
    rule("xauthserver", Mirror, GeneralRule),
    alias(
        "xauthusername",
        "username",
        Local,
        Judgement("the client's login; the server checks it against its own store"),
    ),
];

/// The rule for a catalogue name (pairs without `left`/`right`).
pub fn rule_for(name: &str) -> Option<&'static Rule> {
    RULES.binary_search_by(|r| r.name.cmp(name)).ok().map(|i| &RULES[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{SectionKind, keywords};

    fn docs(name: &str) -> String {
        let keyword = keywords().iter().find(|k| k.section == SectionKind::Conn && k.name == name).expect("keyword");
        // Markdown emphasis (`must`, *must*) is not part of the wording.
        let plain: String = keyword.docs.chars().filter(|c| !matches!(c, '`' | '*')).collect();
        plain.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn rules_are_sorted_and_cover_every_conn_keyword() {
        assert!(RULES.windows(2).all(|w| w[0].name < w[1].name), "RULES must be sorted by name");
        let conn: Vec<&str> = keywords().iter().filter(|k| k.section == SectionKind::Conn).map(|k| k.name).collect();
        let missing: Vec<&&str> = conn.iter().filter(|n| rule_for(n).is_none()).collect();
        assert!(missing.is_empty(), "conn keywords without a peer rule: {missing:?}");
        let extra: Vec<&str> = RULES.iter().map(|r| r.name).filter(|n| !conn.contains(n)).collect();
        assert!(extra.is_empty(), "peer rules for unknown keywords: {extra:?}");
        for rule in RULES {
            assert!(rule_for(rule.canonical).is_some(), "{}: canonical {} has no rule", rule.name, rule.canonical);
        }
    }

    #[test]
    fn local_phrases_in_the_man_page_are_honoured() {
        for rule in RULES {
            let text = docs(rule.name);
            let local = text.contains("relevant only locally");
            let need_not = text.contains("need not exactly agree")
                || text.contains("two ends need not agree")
                || text.contains("two-ends-disagree case is similar to that of salifetime");
            if local {
                assert_eq!(rule.basis, ManPageLocal, "{}: the man page says relevant only locally", rule.name);
                assert_eq!(rule.agreement, Local, "{}", rule.name);
            } else if need_not {
                assert_eq!(rule.basis, ManPageNeedNotAgree, "{}: the man page says need not agree", rule.name);
                assert_eq!(rule.agreement, Lenient, "{}", rule.name);
            }
            match rule.basis {
                ManPageLocal => assert!(local, "{}: no `relevant only locally` in its paragraph", rule.name),
                ManPageNeedNotAgree => assert!(need_not, "{}: no need-not-agree phrase in its paragraph", rule.name),
                ManPageMustAgree => assert!(
                    ["both ends must agree", "have to agree", "both ends will reject"].iter().any(|p| text.contains(p)),
                    "{}: no must-agree phrase in its paragraph",
                    rule.name
                ),
                GeneralRule | Judgement(_) => {}
            }
        }
    }

    #[test]
    fn aliases_share_the_agreement_of_their_canonical_parameter() {
        for rule in RULES {
            let canonical = rule_for(rule.canonical).expect("canonical");
            assert_eq!(rule.agreement, canonical.agreement, "{} vs {}", rule.name, rule.canonical);
        }
    }
}
