//! `ike=`, `esp=`, `phase2alg=` and `ah=` proposal lists: each proposal is
//! `CIPHER[KEYLEN][-INTEG…][-DH…]` (or `…;DH`), `+` joins alternatives.

use crate::value_check::ValueProblem;

/// Which proposal grammar applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalKind {
    /// IKE SA: cipher, PRF/integrity, DH group.
    Ike,
    /// ESP (`esp=`, `phase2alg=`): cipher, integrity, optional PFS group.
    Esp,
    /// AH (`ah=`): integrity, optional PFS group.
    Ah,
}

impl ProposalKind {
    /// The grammar a keyword's value follows (`ike` → IKE, `ah` → AH, else ESP).
    pub fn for_keyword(name: &str) -> ProposalKind {
        match name {
            "ike" => ProposalKind::Ike,
            "ah" => ProposalKind::Ah,
            _ => ProposalKind::Esp,
        }
    }
}

/// One parsed proposal; every list holds the `+` alternatives in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Proposal {
    /// Ciphers with an optional key length in bits (`aes256` → `("aes", Some(256))`).
    pub ciphers: Vec<(String, Option<u16>)>,
    /// Integrity (or, for AEAD IKE ciphers, PRF) algorithms.
    pub integ: Vec<String>,
    /// Diffie-Hellman groups.
    pub dh_groups: Vec<String>,
}

/// Cipher names and the key lengths they allow (empty: fixed size).
const CIPHERS: &[(&str, &[u16])] = &[
    ("aes", &[128, 192, 256]),
    ("aes_cbc", &[128, 192, 256]),
    ("aes_ctr", &[128, 192, 256]),
    ("aesctr", &[128, 192, 256]),
    ("aes_gcm", &[128, 192, 256]),
    ("aes_gcm_a", &[128, 192, 256]),
    ("aes_gcm_b", &[128, 192, 256]),
    ("aes_gcm_c", &[128, 192, 256]),
    ("aes_gcm_8", &[128, 192, 256]),
    ("aes_gcm_12", &[128, 192, 256]),
    ("aes_gcm_16", &[128, 192, 256]),
    ("aes_ccm", &[128, 192, 256]),
    ("aes_ccm_a", &[128, 192, 256]),
    ("aes_ccm_b", &[128, 192, 256]),
    ("aes_ccm_c", &[128, 192, 256]),
    ("aes_ccm_8", &[128, 192, 256]),
    ("aes_ccm_12", &[128, 192, 256]),
    ("aes_ccm_16", &[128, 192, 256]),
    ("null_auth_aes_gmac", &[128, 192, 256]),
    ("camellia", &[128, 192, 256]),
    ("camellia_cbc", &[128, 192, 256]),
    ("camellia_ctr", &[128, 192, 256]),
    ("chacha20_poly1305", &[256]),
    ("chacha20poly1305", &[256]),
    ("3des", &[]),
    ("3des_cbc", &[]),
    ("des", &[]),
    ("twofish", &[128, 192, 256]),
    ("twofish_cbc", &[128, 192, 256]),
    ("serpent", &[128, 192, 256]),
    ("serpent_cbc", &[128, 192, 256]),
    ("blowfish", &[128, 192, 256, 448]),
    ("cast", &[128]),
    ("cast_cbc", &[128]),
    ("null", &[]),
];

const INTEG: &[&str] = &[
    "md5",
    "md5_96",
    "hmac_md5",
    "hmac_md5_96",
    "sha",
    "sha1",
    "sha1_96",
    "hmac_sha1",
    "hmac_sha1_96",
    "sha2",
    "sha256",
    "sha384",
    "sha512",
    "sha2_256",
    "sha2_384",
    "sha2_512",
    "sha2_256_128",
    "sha2_384_192",
    "sha2_512_256",
    "hmac_sha2_256",
    "hmac_sha2_384",
    "hmac_sha2_512",
    "hmac_sha2_256_128",
    "hmac_sha2_384_192",
    "hmac_sha2_512_256",
    "aes_xcbc",
    "aes_xcbc_96",
    "aes_cmac",
    "aes_cmac_96",
    "aes128_xcbc",
    "aes_gmac",
    "none",
    "null",
];

const DH: &[&str] = &[
    "modp768",
    "modp1024",
    "modp1536",
    "modp2048",
    "modp3072",
    "modp4096",
    "modp6144",
    "modp8192",
    "dh1",
    "dh2",
    "dh5",
    "dh14",
    "dh15",
    "dh16",
    "dh17",
    "dh18",
    "dh19",
    "dh20",
    "dh21",
    "dh22",
    "dh23",
    "dh24",
    "dh31",
    "ecp256",
    "ecp384",
    "ecp521",
    "ecp_256",
    "ecp_384",
    "ecp_521",
    "curve25519",
    "none",
    "dh0",
];

fn is_aead(cipher: &str) -> bool {
    cipher.starts_with("aes_gcm") || cipher.starts_with("aes_ccm") || cipher.starts_with("chacha20")
}

/// Splits `aes256` into `aes` + 256 when `aes` is a known cipher.
fn split_cipher(token: &str) -> Option<(&'static str, Option<u16>)> {
    if let Some((name, _)) = CIPHERS.iter().find(|(name, _)| *name == token) {
        return Some((name, None));
    }
    let digits = token.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (name, bits) = token.split_at(token.len() - digits);
    let name = name.strip_suffix('_').unwrap_or(name);
    let (name, _) = CIPHERS.iter().find(|(known, _)| *known == name)?;
    Some((name, bits.parse().ok()))
}

fn check_key_length(cipher: &str, bits: u16, proposal: &str) -> Result<(), ValueProblem> {
    let allowed = CIPHERS.iter().find(|(name, _)| *name == cipher).map_or(&[][..], |(_, lengths)| *lengths);
    if allowed.contains(&bits) {
        return Ok(());
    }
    let expected = if allowed.is_empty() {
        "it has a fixed key size".to_string()
    } else {
        format!("use {}", allowed.iter().map(u16::to_string).collect::<Vec<_>>().join(", "))
    };
    Err(ValueProblem::new(format!("key length {bits} is not valid for {cipher} in `{proposal}`: {expected}")))
}

/// Parses a comma separated proposal list, checking every algorithm name.
pub fn parse_proposals(kind: ProposalKind, value: &str) -> Result<Vec<Proposal>, ValueProblem> {
    let value = value.strip_suffix('!').unwrap_or(value); // the obsolete "strict" marker
    let mut proposals = Vec::new();
    for text in value.split(',').map(str::trim) {
        if text.is_empty() {
            return Err(ValueProblem::new(format!("`{value}` has an empty proposal between commas")));
        }
        proposals.push(parse_one(kind, text)?);
    }
    Ok(proposals)
}

fn parse_one(kind: ProposalKind, text: &str) -> Result<Proposal, ValueProblem> {
    let lower = text.to_ascii_lowercase();
    let (main, dh_part) = match lower.split_once(';') {
        Some((main, dh)) => (main, Some(dh)),
        None => (lower.as_str(), None),
    };
    let mut parts: Vec<&str> = main.split('-').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(ValueProblem::new(format!("`{text}` has an empty part between `-`")));
    }
    let mut proposal = Proposal::default();
    if kind != ProposalKind::Ah {
        let first = parts.remove(0);
        for alternative in first.split('+') {
            let (cipher, mut bits) = split_cipher(alternative).ok_or_else(|| {
                ValueProblem::new(format!("unknown encryption algorithm `{alternative}` in `{text}`"))
            })?;
            // An old spelling puts the key length in its own part: `aes-128-sha1`.
            if bits.is_none() && parts.first().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())) {
                bits = parts.remove(0).parse().ok();
            }
            if let Some(bits) = bits {
                check_key_length(cipher, bits, text)?;
            }
            proposal.ciphers.push((cipher.to_string(), bits));
        }
    }
    for part in parts {
        for alternative in part.split('+') {
            if INTEG.contains(&alternative) && proposal.dh_groups.is_empty() {
                proposal.integ.push(alternative.to_string());
            } else if DH.contains(&alternative) {
                proposal.dh_groups.push(alternative.to_string());
            } else {
                let what = if proposal.dh_groups.is_empty() { "integrity algorithm or DH group" } else { "DH group" };
                return Err(ValueProblem::new(format!("unknown {what} `{alternative}` in `{text}`")));
            }
        }
    }
    if let Some(dh_part) = dh_part {
        for group in dh_part.split(['+', '-']) {
            if !DH.contains(&group) {
                return Err(ValueProblem::new(format!("unknown DH group `{group}` after `;` in `{text}`")));
            }
            proposal.dh_groups.push(group.to_string());
        }
    }
    if kind == ProposalKind::Ah && proposal.integ.is_empty() {
        return Err(ValueProblem::new(format!("`{text}` names no integrity algorithm, which AH needs")));
    }
    if kind == ProposalKind::Esp {
        let aead = proposal.ciphers.iter().any(|(c, _)| is_aead(c));
        if let Some(integ) = proposal.integ.iter().find(|i| aead && !matches!(i.as_str(), "null" | "none")) {
            return Err(ValueProblem::new(format!(
                "`{text}`: an AEAD cipher authenticates by itself; use `null` instead of `{integ}`"
            )));
        }
    }
    Ok(proposal)
}
