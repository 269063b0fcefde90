//! Value checks: the man page's examples pass, near misses fail with a message
//! naming what is wrong.

use model::catalogue;
use model::value_check::{ProposalKind, check_value, normalize_time, parse_proposals};

fn check(key: &str, value: &str) -> Result<(), String> {
    let found = catalogue::lookup(key).unwrap_or_else(|| panic!("{key} not in catalogue"));
    check_value(found.keyword, value).map_err(|p| p.message)
}

#[test]
fn man_page_examples_are_accepted() {
    let cases = [
        ("ike", "aes256-sha2;dh19"),
        ("ike", "3des-sha1,aes-sha1"),
        ("ike", "aes_gcm256-sha2"),
        ("ike", "3des-md5;modp1024,aes-sha1;modp1536"),
        ("phase2alg", "aes_gcm-null"),
        ("esp", "aes128-sha2_256+sha1"),
        ("leftprotoport", "17/1701"),
        ("rightprotoport", "17/%any"),
        ("leftprotoport", "udp/l2tp"),
        ("salifetime", "8h"),
        ("ikelifetime", "1h"),
        ("salifetime", "100ms"),
        ("rekeyfuzz", "100%"),
        ("leftsubnet", "vhost:%no,%priv"),
        // libreswan's inet_aton shorthand (checked with readwriteconf 4.10).
        ("leftsubnet", "0/0"),
        ("rightsubnet", "10/8"),
        // "The value can also contain the interface name … For example %ppp0".
        ("left", "%ppp0"),
        ("left", "%eth1"),
        ("esp", "chacha20poly1305-null"),
        ("leftsubnet", "10.0.0.0/8"),
        ("rightsubnet", "2001:db8::/32"),
        ("leftsubnets", "{10.0.0.0/24 10.1.0.0/24}"),
        ("left", "%defaultroute"),
        ("right", "vpn.example.com"),
        ("left", "192.0.2.1"),
        ("leftnexthop", "%direct"),
        ("leftid", "@moon.strongswan.org"),
        ("leftid", "%fromcert"),
        ("leftrsasigkey", "%cert"),
        ("leftaddresspool", "192.168.1.100-192.168.1.200"),
        ("auto", "START"),
        ("pfs", "yes"),
        ("also", "base-conn"),
        ("mtu", "1400"),
    ];
    for (key, value) in cases {
        assert_eq!(check(key, value), Ok(()), "{key}={value}");
    }
}

#[test]
fn near_misses_are_rejected_with_a_precise_message() {
    let cases = [
        ("ike", "aes256-sha2;dh99", "unknown DH group `dh99`"),
        ("ike", "aes257-sha2", "key length 257 is not valid for aes"),
        ("ike", "foo-sha1", "unknown encryption algorithm `foo`"),
        ("ike", "aes-sha3", "`sha3`"),
        ("phase2alg", "aes_gcm-sha1", "AEAD"),
        ("ike", "aes,,3des", "empty proposal"),
        ("leftprotoport", "17/70000", "larger than 65535"),
        ("leftprotoport", "bogus/1701", "`bogus` is not a protocol"),
        ("salifetime", "8x", "unknown time unit `x`"),
        ("salifetime", "h", "must start with a number"),
        ("rekeyfuzz", "100", "lacks the `%`"),
        ("left", "%defaultroot", "not a known magic value"),
        ("leftsubnet", "10.1.2.3.4/8", "not an IPv4 or IPv6 address"),
        ("rekeyfuzz", "abc%", "not a whole number"),
        ("leftsubnet", "vhost:%nope", "`%nope` after `vhost:`"),
        ("leftsubnet", "10.0.0.0/33", "larger than 32"),
        ("left", "%bogus", "not a known magic value"),
        ("left", "300.1.1.1", "not an IPv4 or IPv6 address"),
        ("leftaddresspool", "10.0.0.9-10.0.0.1", "starts after it ends"),
        ("auto", "bogus", "`bogus` is not an accepted value"),
        ("pfs", "maybe", "not a boolean"),
        ("mtu", "14OO", "not a whole number"),
        ("leftid", "@#xyz", "hex digits"),
        ("leftrsasigkey", "%bogus", "not a magic value"),
        ("also", "1bad", "not a section name"),
    ];
    for (key, value, expected) in cases {
        let message = check(key, value).expect_err(&format!("{key}={value} should be rejected"));
        assert!(message.contains(expected), "{key}={value}: {message:?} lacks {expected:?}");
    }
}

#[test]
fn proposals_split_into_parts() {
    let proposals = parse_proposals(ProposalKind::Ike, "aes256-sha2;dh19,aes_gcm128-sha2_512-dh20+dh21").unwrap();
    assert_eq!(proposals.len(), 2);
    assert_eq!(proposals[0].ciphers, vec![("aes".to_string(), Some(256))]);
    assert_eq!(proposals[0].integ, vec!["sha2"]);
    assert_eq!(proposals[0].dh_groups, vec!["dh19"]);
    assert_eq!(proposals[1].dh_groups, vec!["dh20", "dh21"]);
    let ah = parse_proposals(ProposalKind::Ah, "sha1").unwrap();
    assert!(ah[0].ciphers.is_empty() && ah[0].integ == vec!["sha1"]);
}

/// The oracle (libreswan 4.10's readwriteconf) prints times in milliseconds.
#[test]
fn time_normalisation_matches_libreswan_output() {
    let ike = catalogue::lookup("ikelifetime").unwrap().keyword;
    assert_eq!(normalize_time(ike, "1h"), Some(3_600_000));
    assert_eq!(normalize_time(ike, "90"), Some(90_000));
    assert_eq!(normalize_time(ike, "1w"), Some(604_800_000));
    assert_eq!(normalize_time(ike, "100ms"), Some(100));
    assert_eq!(normalize_time(ike, "1.5h"), Some(5_400_000));
    let interval = catalogue::lookup("retransmit-interval").unwrap().keyword;
    assert_eq!(normalize_time(interval, "500"), Some(500), "retransmit-interval counts bare numbers in ms");
    assert_eq!(normalize_time(catalogue::lookup("mtu").unwrap().keyword, "5"), None);
}
