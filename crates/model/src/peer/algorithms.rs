//! Do two proposal lists (`ike=`, `esp=`/`phase2alg=`) share a proposal?
//!
//! Algorithm names are compared by what they denote (`sha1` = `sha`, `dh14` =
//! `modp2048`, `aes_gcm` = `aes_gcm_c`). Following ipsec.conf(5), "any left out
//! option will be filled in with all allowed default options": a part a proposal
//! leaves out (key length, integrity, DH group) matches whatever the other end names.
//! An absent list means libreswan's defaults, which the man page describes as
//! AES (and 3DES for IKEv1), SHA2 (and SHA1) and MODP2048 and up (MODP1536 for IKEv1).

use crate::value_check::{Proposal, ProposalKind, parse_proposals};

/// One proposal with canonical names; an empty list means "left out".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    pub ciphers: Vec<(&'static str, Option<u16>)>,
    pub integ: Vec<&'static str>,
    pub dh: Vec<&'static str>,
}

fn cipher_name(name: &str) -> &'static str {
    match name {
        "aes" | "aes_cbc" => "aes_cbc",
        "aes_ctr" | "aesctr" => "aes_ctr",
        "aes_gcm" | "aes_gcm_c" | "aes_gcm_16" => "aes_gcm_16",
        "aes_gcm_b" | "aes_gcm_12" => "aes_gcm_12",
        "aes_gcm_a" | "aes_gcm_8" => "aes_gcm_8",
        "aes_ccm" | "aes_ccm_c" | "aes_ccm_16" => "aes_ccm_16",
        "aes_ccm_b" | "aes_ccm_12" => "aes_ccm_12",
        "aes_ccm_a" | "aes_ccm_8" => "aes_ccm_8",
        "3des" | "3des_cbc" => "3des",
        "camellia" | "camellia_cbc" => "camellia_cbc",
        "camellia_ctr" => "camellia_ctr",
        "twofish" | "twofish_cbc" => "twofish",
        "serpent" | "serpent_cbc" => "serpent",
        "cast" | "cast_cbc" => "cast",
        "chacha20_poly1305" => "chacha20_poly1305",
        "null_auth_aes_gmac" => "null_auth_aes_gmac",
        "blowfish" => "blowfish",
        "des" => "des",
        _ => "null",
    }
}

fn integ_name(name: &str) -> &'static str {
    match name {
        "md5" | "md5_96" | "hmac_md5" | "hmac_md5_96" => "md5",
        "sha" | "sha1" | "sha1_96" | "hmac_sha1" | "hmac_sha1_96" => "sha1",
        "sha2" | "sha256" | "sha2_256" | "sha2_256_128" | "hmac_sha2_256" | "hmac_sha2_256_128" => "sha2_256",
        "sha384" | "sha2_384" | "sha2_384_192" | "hmac_sha2_384" | "hmac_sha2_384_192" => "sha2_384",
        "sha512" | "sha2_512" | "sha2_512_256" | "hmac_sha2_512" | "hmac_sha2_512_256" => "sha2_512",
        "aes_xcbc" | "aes_xcbc_96" | "aes128_xcbc" => "aes_xcbc",
        "aes_cmac" | "aes_cmac_96" => "aes_cmac",
        "aes_gmac" => "aes_gmac",
        _ => "none",
    }
}

fn dh_name(name: &str) -> &'static str {
    match name {
        "modp768" | "dh1" => "modp768",
        "modp1024" | "dh2" => "modp1024",
        "modp1536" | "dh5" => "modp1536",
        "modp2048" | "dh14" => "modp2048",
        "modp3072" | "dh15" => "modp3072",
        "modp4096" | "dh16" => "modp4096",
        "modp6144" | "dh17" => "modp6144",
        "modp8192" | "dh18" => "modp8192",
        "ecp256" | "ecp_256" | "dh19" => "ecp256",
        "ecp384" | "ecp_384" | "dh20" => "ecp384",
        "ecp521" | "ecp_521" | "dh21" => "ecp521",
        "dh22" => "dh22",
        "dh23" => "dh23",
        "dh24" => "dh24",
        "curve25519" | "dh31" => "curve25519",
        _ => "none",
    }
}

fn canonical(proposal: &Proposal) -> Canonical {
    let mut integ: Vec<&'static str> = proposal.integ.iter().map(|i| integ_name(i)).collect();
    // `aes_gcm-null` for ESP names no integrity, the same as leaving it out.
    integ.retain(|i| *i != "none");
    Canonical {
        ciphers: proposal.ciphers.iter().map(|(c, bits)| (cipher_name(c), *bits)).collect(),
        integ,
        dh: proposal.dh_groups.iter().map(|d| dh_name(d)).collect(),
    }
}

/// The default proposal list as the man page describes it: each part lists the
/// algorithms allowed, and a proposal matches when each of its parts names one.
fn default_list(kind: ProposalKind) -> Vec<Canonical> {
    let ciphers = match kind {
        ProposalKind::Ike => vec![("aes_cbc", None), ("aes_gcm_16", None), ("3des", None)],
        _ => vec![("aes_cbc", None), ("aes_gcm_16", None)],
    };
    vec![Canonical {
        ciphers,
        integ: vec!["sha2_256", "sha2_384", "sha2_512", "sha1"],
        dh: vec![
            "modp1536",
            "modp2048",
            "modp3072",
            "modp4096",
            "modp8192",
            "ecp256",
            "ecp384",
            "ecp521",
            "curve25519",
        ],
    }]
}

fn parts_meet<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
}

fn ciphers_meet(a: &[(&str, Option<u16>)], b: &[(&str, Option<u16>)]) -> bool {
    if a.is_empty() || b.is_empty() {
        return true;
    }
    a.iter().any(|(name, bits)| {
        b.iter()
            .any(|(other, other_bits)| name == other && (bits.is_none() || other_bits.is_none() || bits == other_bits))
    })
}

/// Whether two single proposals can be agreed on.
pub fn proposals_meet(a: &Canonical, b: &Canonical) -> bool {
    ciphers_meet(&a.ciphers, &b.ciphers) && parts_meet(&a.integ, &b.integ) && parts_meet(&a.dh, &b.dh)
}

/// A list as written (`None`: absent or empty, the defaults), parsed and canonical.
pub fn list(kind: ProposalKind, value: Option<&str>) -> Result<Vec<Canonical>, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default_list(kind)),
        Some(value) => {
            let parsed = parse_proposals(kind, value).map_err(|p| p.message)?;
            Ok(parsed.iter().map(canonical).collect())
        }
    }
}

/// Whether the two lists share a proposal.
pub fn lists_meet(a: &[Canonical], b: &[Canonical]) -> bool {
    a.iter().any(|x| b.iter().any(|y| proposals_meet(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meet(kind: ProposalKind, a: Option<&str>, b: Option<&str>) -> bool {
        lists_meet(&list(kind, a).unwrap(), &list(kind, b).unwrap())
    }

    #[test]
    fn spellings_of_one_algorithm_meet() {
        assert!(meet(ProposalKind::Ike, Some("aes256-sha1;modp2048"), Some("aes_cbc256-sha-dh14")));
        assert!(meet(ProposalKind::Esp, Some("aes_gcm-null"), Some("aes_gcm_c256")));
        assert!(meet(ProposalKind::Ike, Some("aes-sha2"), Some("aes128-sha2_256;dh19")));
    }

    #[test]
    fn different_algorithms_do_not_meet() {
        assert!(!meet(ProposalKind::Ike, Some("3des-md5"), Some("aes-sha1")));
        assert!(!meet(ProposalKind::Ike, Some("aes128-sha1"), Some("aes256-sha1")));
        assert!(!meet(ProposalKind::Ike, Some("aes-sha1;modp1024"), Some("aes-sha1;modp2048")));
        assert!(meet(ProposalKind::Ike, Some("3des-md5,aes-sha1"), Some("aes-sha1;modp2048")));
    }

    #[test]
    fn absent_lists_are_the_defaults() {
        assert!(meet(ProposalKind::Ike, None, None));
        assert!(meet(ProposalKind::Ike, None, Some("aes256-sha2_512;dh19")));
        assert!(!meet(ProposalKind::Ike, None, Some("3des-md5;modp1024")));
        assert!(!meet(ProposalKind::Esp, None, Some("3des-sha1")));
        assert!(meet(ProposalKind::Esp, Some(""), Some("aes-sha1")));
    }
}
