//! Cognito's SRP-6a (`USER_SRP_AUTH`): the password never leaves the browser.
//!
//! The numbers follow RFC 5054's 3072-bit group with `g = 2`, hashed the way
//! Cognito's own SDKs do it (amazon-cognito-identity-js `AuthenticationHelper`,
//! which the known-answer tests run): every integer that goes into a hash is
//! written as its shortest big-endian form, with a `00` byte in front when the
//! top bit is set, not padded to the length of `N`.
//!
//! Pure and clock free: the caller supplies the random secret `a` (the
//! browser's CSPRNG) and the time. An app rarely needs this module: the
//! session signs in by SRP itself, and a headless caller hands an
//! [`SrpClient`] to [`CognitoClient::sign_in_srp`](crate::cognito::CognitoClient::sign_in_srp).

pub(crate) mod modular;

use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

use super::secret::Secret;
use modular::{BYTES, Modulus, Residue, Wide, wide_add, wide_from_be, wide_mul};

/// RFC 5054's 3072-bit prime, as Cognito uses it.
const N_HEX: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1\
29024E088A67CC74020BBEA63B139B22514A08798E3404DD\
EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245\
E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D\
C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
83655D23DCA3AD961C62F356208552BB9ED529077096966D\
670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9\
DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64\
ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7\
ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B\
F12FFA06D98A0864D87602733EC86A64521F2B18177B200C\
BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31\
43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
/// The generator.
const G: u8 = 2;
/// HKDF `info` of Cognito's password key.
const KEY_INFO: &[u8] = b"Caldera Derived Key";
/// Bytes of the random secret `a` (as the AWS SDKs: 1024 bits).
pub const SECRET_BYTES: usize = 128;

type HmacSha256 = Hmac<Sha256>;

/// Why an SRP step could not be computed. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    /// `B mod N = 0` would let anyone forge the server's side.
    #[error(
        "The sign-in service sent an invalid SRP value (B mod N is 0); sign-in was stopped for safety."
    )]
    ZeroB,
    /// `u = 0` makes the password irrelevant to the key.
    #[error(
        "The sign-in service sent an SRP value that makes the proof independent of the password (u = 0); sign-in was stopped for safety."
    )]
    ZeroU,
    /// `A mod N = 0`: the random secret was unusable (practically impossible).
    #[error("The browser's random number for SRP was unusable; please try again.")]
    ZeroA,
    /// A challenge parameter is missing or not in the expected encoding.
    #[error("The sign-in service sent an unexpected PASSWORD_VERIFIER challenge: {0}.")]
    MalformedChallenge(&'static str),
}

/// The client's half of one SRP exchange: the secret `a` and `A = g^a mod N`.
pub struct SrpClient {
    modulus: Modulus,
    small_a: Wide,
    large_a: Residue,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SrpClient { .. }")
    }
}

/// What `PASSWORD_VERIFIER` asks about, as Cognito sends it.
pub struct PasswordVerifierChallenge<'a> {
    /// `SALT`, hex.
    pub salt_hex: &'a str,
    /// `SRP_B`, hex.
    pub b_hex: &'a str,
    /// `SECRET_BLOCK`, base64, echoed back and signed.
    pub secret_block: &'a str,
    /// `USER_ID_FOR_SRP`: the user's internal name, which is hashed with the password.
    pub user_id: &'a str,
}

/// The `ChallengeResponses` of `PASSWORD_VERIFIER` (besides `USERNAME`, the user id).
pub struct PasswordClaim {
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub signature: String,
    /// `TIMESTAMP`, echoed exactly as signed.
    pub timestamp: String,
}

/// Every intermediate value of one exchange, big-endian in Cognito's hashing
/// form (`signed_bytes`), for the known-answer tests.
pub(crate) struct SrpTranscript {
    // The intermediate values are read by the known-answer tests only.
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub(crate) u: Vec<u8>,
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub(crate) x: Vec<u8>,
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub(crate) s: Vec<u8>,
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub(crate) key: [u8; 16],
    pub(crate) claim: PasswordClaim,
}

impl SrpClient {
    /// Starts an exchange with `random` from a CSPRNG as the secret `a`.
    pub fn new(random: &[u8; SECRET_BYTES]) -> Result<Self, SrpError> {
        let modulus = Modulus::from_be_bytes(&n_bytes());
        let small_a = wide_from_be(random);
        let large_a = modulus.pow_of_two(&small_a);
        if large_a.is_zero() {
            return Err(SrpError::ZeroA);
        }
        Ok(SrpClient {
            modulus,
            small_a,
            large_a,
        })
    }

    /// `SRP_A` for InitiateAuth: lower-case hex without leading zeros.
    pub fn large_a_hex(&self) -> String {
        hex(&self.large_a.to_be_bytes())
            .trim_start_matches('0')
            .to_owned()
    }

    /// Answers `PASSWORD_VERIFIER` for `pool_id` (the part after `_` is the pool name).
    pub fn password_claim(
        &self,
        pool_id: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        password: &Secret,
        timestamp: &str,
    ) -> Result<PasswordClaim, SrpError> {
        self.transcript(pool_id, challenge, password, timestamp)
            .map(|transcript| transcript.claim)
    }

    /// [`Self::password_claim`] with every intermediate value.
    pub(crate) fn transcript(
        &self,
        pool_id: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        password: &Secret,
        timestamp: &str,
    ) -> Result<SrpTranscript, SrpError> {
        let modulus = &self.modulus;
        let pool_name = pool_name(pool_id);
        let b_bytes = parse_hex(challenge.b_hex).ok_or(SrpError::MalformedChallenge(
            "SRP_B is not a hexadecimal number",
        ))?;
        let salt = parse_hex(challenge.salt_hex).ok_or(SrpError::MalformedChallenge(
            "SALT is not a hexadecimal number",
        ))?;
        let secret_block = decode_base64_lenient(challenge.secret_block)
            .ok_or(SrpError::MalformedChallenge("SECRET_BLOCK is not base64"))?;
        if challenge.user_id.is_empty() {
            return Err(SrpError::MalformedChallenge("USER_ID_FOR_SRP is empty"));
        }

        let b = modulus.reduce_be(&b_bytes);
        if b.is_zero() {
            return Err(SrpError::ZeroB);
        }
        // u = H(A | B), both as sent/received (B unreduced, as the SDK hashes it).
        let u = sha256(&[
            &signed_bytes(&self.large_a.to_be_bytes()),
            &signed_bytes(&b_bytes),
        ]);
        if u.iter().all(|&byte| byte == 0) {
            return Err(SrpError::ZeroU);
        }
        // x = H(salt | H(poolName | userId | ":" | password)).
        let identity = sha256(&[
            pool_name.as_bytes(),
            challenge.user_id.as_bytes(),
            b":",
            password.expose().as_bytes(),
        ]);
        let x = sha256(&[&signed_bytes(&salt), &identity]);

        // S = (B − k·g^x)^(a + u·x) mod N.
        let k = modulus.reduce_be(&sha256(&[&signed_bytes(&n_bytes()), &signed_bytes(&[G])]));
        let x_wide = wide_from_be(&x);
        let g_x = modulus.pow_of_two(&x_wide);
        let base = modulus.sub(&b, &modulus.mul(&k, &g_x));
        let exponent = wide_add(&self.small_a, &wide_mul(&wide_from_be(&u), &x_wide));
        let s = modulus.pow(&base, &exponent);

        let s_bytes = signed_bytes(&s.to_be_bytes());
        let u_bytes = signed_bytes(&u);
        let key = derive_key(&s_bytes, &u_bytes);

        let mut mac = hmac(&key);
        mac.update(pool_name.as_bytes());
        mac.update(challenge.user_id.as_bytes());
        mac.update(&secret_block);
        mac.update(timestamp.as_bytes());
        let signature = Base64::encode_string(&mac.finalize().into_bytes());

        Ok(SrpTranscript {
            u: u_bytes,
            x: signed_bytes(&x),
            s: s_bytes,
            key,
            claim: PasswordClaim {
                signature,
                timestamp: timestamp.to_owned(),
            },
        })
    }
}

/// The pool name SRP hashes: the user pool id after its `_` (`eu-west-1_AbC` → `AbC`).
pub(crate) fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// Cognito's SRP timestamp, `EEE MMM d HH:mm:ss UTC yyyy` in UTC with the day
/// of month unpadded (`Sun Nov 1 05:02:03 UTC 2026`).
pub(crate) fn cognito_timestamp(unix_seconds: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds / 86_400;
    let second_of_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        year
    )
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// The integer `bytes` (big-endian) the way Cognito's SDK hashes it: no
/// leading zero bytes, then one `00` if the top bit is set (zero is `00`).
pub(crate) fn signed_bytes(bytes: &[u8]) -> Vec<u8> {
    let trimmed = trim_zeros(bytes);
    let mut out = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&top| top & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[(byte >> 4) as usize] as char);
        out.push(DIGITS[(byte & 0xf) as usize] as char);
    }
    out
}

/// A hex number of any length (odd allowed) as big-endian bytes; `None` if
/// empty or not hex.
pub(crate) fn parse_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    let digits = text
        .bytes()
        .map(|digit| (digit as char).to_digit(16).map(|value| value as u8))
        .collect::<Option<Vec<u8>>>()?;
    let mut bytes = Vec::with_capacity(digits.len() / 2 + 1);
    let (head, tail) = digits.split_at(digits.len() % 2);
    bytes.extend_from_slice(head);
    bytes.extend(tail.chunks(2).map(|pair| pair[0] << 4 | pair[1]));
    Some(bytes)
}

/// Base64 decoded the way the AWS SDK's `Buffer.from(text, "base64")` does:
/// both the standard and the URL-safe alphabet, padding optional, trailing
/// bits dropped. Real Cognito sends standard base64; moto sends a UUID, which
/// this reads as the SDK does so the signatures agree. Other characters are
/// refused.
pub(crate) fn decode_base64_lenient(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for character in text.trim_end_matches('=').bytes() {
        let value = match character {
            b'A'..=b'Z' => character - b'A',
            b'a'..=b'z' => character - b'a' + 26,
            b'0'..=b'9' => character - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn trim_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(bytes.len());
    &bytes[start..]
}

pub(crate) fn n_bytes() -> [u8; BYTES] {
    let mut bytes = [0u8; BYTES];
    // N_HEX is a constant of exactly BYTES bytes.
    if let Some(parsed) = parse_hex(N_HEX) {
        bytes.copy_from_slice(&parsed);
    }
    bytes
}

/// `g` as a residue, for the tests' simulated server (the client raises 2 to
/// a power with [`Modulus::pow_of_two`]).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn generator() -> Residue {
    Residue::small(G as u32)
}

pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

pub(crate) fn hmac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

/// HKDF-SHA256 with salt `u` and one output block, cut to 16 bytes.
pub(crate) fn derive_key(ikm: &[u8], salt: &[u8]) -> [u8; 16] {
    let mut extract = hmac(salt);
    extract.update(ikm);
    let prk = extract.finalize().into_bytes();
    let mut expand = hmac(&prk);
    expand.update(KEY_INFO);
    expand.update(&[1]);
    let block = expand.finalize().into_bytes();
    let mut key = [0u8; 16];
    key.copy_from_slice(&block[..16]);
    key
}
