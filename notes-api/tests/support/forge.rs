//! Forged and unusual tokens for the rulebook tests: keys too short to be
//! trusted, algorithms other than RS256 (really signed, so only the `alg`
//! rule can refuse them), raw JSON a `Value` cannot hold (a member named
//! twice), and tokens of an exact length.

use super::{b64, private_key};
use rsa::pkcs1v15;
use rsa::pss;
use rsa::rand_core::{CryptoRng, Error, RngCore};
use rsa::sha2::{Digest, Sha256, Sha512};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use serde_json::{Value, json};
use std::sync::OnceLock;

// Test-only keys from fixed primes (generating RSA keys in a debug build is
// slow). The 2041-bit modulus still takes 256 bytes: only a count in bits
// tells it from a 2048-bit one.
const WEAK_1024_P: &[&str] = &[
    "e130b6e660ae6b6fcd1ffbd9d09fe4847d007d1d746ea929392612c9e218f0d4",
    "3e64c18eadf60806eafb41135dbcf55d644be6ad84db7d3def92d165d264d9e9",
];
const WEAK_1024_Q: &[&str] = &[
    "cee17f807a623c5f697cd240bd77563f9833eeb79b24b04d8faa2eb92d357d57",
    "2efcc25a423b97e0072a4e99d0212c3886c3451be85647716d58c2d12e69cfc3",
];
const WEAK_2041_P: &[&str] = &[
    "1b6f805319398b12c120907f82e7a098e161016096061943cda4aeaf3b9cd443",
    "ef641ce1636b8c8160c7635a6f3e48616b62702ad1cd28b7e55aa0063a334a2e",
    "4796a59f93b70653463bce357382d3337429433463b454fa8385d1db1fcb73ef",
    "5342274bfd43fa2fdb75b9ce2342e4b516cd2c412f1090ac21440a9c0ce5a63d",
];
const WEAK_2041_Q: &[&str] = &[
    "c906c3c5282a84b2b1ee68daafbd2a7c791ad25bc22abfd44ee4b9fe25c5c60",
    "513d3a27e6ca8377e222e19fc71727e6f1c4610a11cb961b9c4ad63ca2a172e8",
    "c3a90c844103db893f3eed8f80825983c6baa3580c4ea62ef67e1c61414776a2",
    "998da3a29704e9f56fbf9260cc9a85e3a8a3571d92e161e7476c192c3a14da0f",
];
fn key_from(p: &[&str], q: &[&str]) -> RsaPrivateKey {
    let prime = |hex: &[&str]| BigUint::parse_bytes(hex.concat().as_bytes(), 16).expect("hex");
    RsaPrivateKey::from_p_q(prime(p), prime(q), BigUint::from(65_537u32)).expect("test RSA key")
}

/// A 1024-bit RSA key.
pub fn weak_key_1024() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key_from(WEAK_1024_P, WEAK_1024_Q))
}

/// A 2041-bit RSA key.
pub fn weak_key_2041() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key_from(WEAK_2041_P, WEAK_2041_Q))
}

/// A JWK publishing `key`'s public half under `kid` for RS256 signatures.
pub fn rsa_jwk(kid: &str, key: &RsaPrivateKey) -> Value {
    json!({ "kid": kid, "kty": "RSA", "alg": "RS256", "use": "sig",
            "n": b64(key.n().to_bytes_be()), "e": b64(key.e().to_bytes_be()) })
}

/// `header.payload` of exactly these JSON texts.
pub fn signing_input(header: &str, claims: &str) -> String {
    format!("{}.{}", b64(header), b64(claims))
}

/// RS256 over exactly these JSON texts with `key`.
pub fn sign_json_with(key: &RsaPrivateKey, header: &str, claims: &str) -> String {
    let input = signing_input(header, claims);
    let signature = pkcs1v15::SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// RS256 over exactly these JSON texts with the test key.
pub use session_guard_test_keys::sign_json;

/// A genuine RS512 signature (RSASSA-PKCS1-v1_5 with SHA-512) by the test key.
pub fn sign_rs512(header: &Value, claims: &Value) -> String {
    let input = signing_input(&header.to_string(), &claims.to_string());
    let signature =
        pkcs1v15::SigningKey::<Sha512>::new(private_key().clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// A genuine PS256 signature (RSASSA-PSS, SHA-256) with the test key.
pub fn sign_ps256(header: &Value, claims: &Value) -> String {
    let input = signing_input(&header.to_string(), &claims.to_string());
    let signature = pss::SigningKey::<Sha256>::new(private_key().clone())
        .sign_with_rng(&mut CountingRng(1), input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// HS256 keyed with `secret`: the key-confusion attack when the secret is
/// the published public key.
pub fn sign_hs256(header: &Value, claims: &Value, secret: &[u8]) -> String {
    let input = signing_input(&header.to_string(), &claims.to_string());
    format!("{input}.{}", b64(hmac_sha256(secret, input.as_bytes())))
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// A genuinely signed RS256 token of exactly `length` bytes: `claims` with a
/// `filler` claim, and a header member, sized to fit.
pub fn token_of_length(header: &Value, claims: &Value, length: usize) -> String {
    let base64_len = |bytes: usize| (bytes * 4).div_ceil(3);
    let signature_chars = base64_len(private_key().size());
    let with = |mut object: Value, key: &str, value: String| {
        object[key] = json!(value);
        object
    };
    for header_pad in 0..3 {
        let header = with(header.clone(), "x", "h".repeat(header_pad));
        let fixed = base64_len(header.to_string().len()) + 2 + signature_chars;
        let empty_filler = with(claims.clone(), "filler", String::new())
            .to_string()
            .len();
        for filler in 0..length {
            let total = fixed + base64_len(empty_filler + filler);
            if total == length {
                let claims = with(claims.clone(), "filler", "f".repeat(filler));
                let token = sign_json(&header.to_string(), &claims.to_string());
                assert_eq!(token.len(), length);
                return token;
            }
            if total > length {
                break;
            }
        }
    }
    panic!("no token of exactly {length} bytes");
}

/// A predictable byte stream for the PSS salt: a test needs a real PS256
/// signature, not an unpredictable one.
struct CountingRng(u8);

impl RngCore for CountingRng {
    fn next_u32(&mut self) -> u32 {
        u32::from_le_bytes([
            self.next_byte(),
            self.next_byte(),
            self.next_byte(),
            self.next_byte(),
        ])
    }

    fn next_u64(&mut self) -> u64 {
        u64::from(self.next_u32()) << 32 | u64::from(self.next_u32())
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.iter_mut().for_each(|byte| *byte = self.next_byte());
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CountingRng {
    fn next_byte(&mut self) -> u8 {
        self.0 = self.0.wrapping_mul(31).wrapping_add(7);
        self.0
    }
}

impl CryptoRng for CountingRng {}
