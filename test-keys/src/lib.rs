//! The one RSA key the test suites sign tokens with: the library's verifier
//! tests, the notes API's tests and the notes API's fuzz target. Fixed rather
//! than generated, because RSA key generation in an unoptimised build takes
//! tens of seconds. Test-only numbers with no use anywhere else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::SigningKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use std::sync::OnceLock;

const TEST_KEY_P: &[&str] = &[
    "c9ba050a169fec2155cac6be9542bd1a8b5706a89e8cd7924b82d2e5a502769d",
    "08bfc5e5c43c437cf08cbb6a1b7b210b9d3168d5a87466352dc2c92693c9bb3f",
    "71af0069f5ed61f63d6ad75a2420e2d8401f717deea6c80f844f39ad49a6f8a8",
    "368044a829d65afbf93ebb352e6a2c1975905219dbbce44f0e5f353dd9505485",
];
const TEST_KEY_Q: &[&str] = &[
    "f35859408a77ef47376110bf231fec971af3a12c9c6c639c32666d47172ecfdd",
    "f442004060d129dfd4f65ec5f61c7cf36c85340226f7bc0595d4e21fc03663ae",
    "cdcfd319924ee7b8c60694d4953d0bd07b68906ffab0c317ca5c5fdfc3b118f4",
    "0d843bd6c69d0fa8c62f76066e73c450755e6ae4781f3421a04fcef506d34d3d",
];

/// The 2048-bit test key, built once per process from its primes.
pub fn private_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let prime =
            |hex: &[&str]| BigUint::parse_bytes(hex.concat().as_bytes(), 16).expect("hex prime");
        RsaPrivateKey::from_p_q(
            prime(TEST_KEY_P),
            prime(TEST_KEY_Q),
            BigUint::from(65_537u32),
        )
        .expect("test RSA key")
    })
}

/// Unpadded base64url, as JWTs and JWKs write binary.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The public key's modulus `n` and exponent `e` as a JWK writes them.
pub fn public_n_e() -> (String, String) {
    let key = private_key();
    (b64(key.n().to_bytes_be()), b64(key.e().to_bytes_be()))
}

/// The public key as a JWKS member under `kid` (RS256, `use: sig`), as JSON text.
pub fn jwk_json(kid: &str) -> String {
    let (n, e) = public_n_e();
    format!(r#"{{"kid":"{kid}","kty":"RSA","alg":"RS256","use":"sig","n":"{n}","e":"{e}"}}"#)
}

/// A compact JWS of exactly these header and claims texts, signed RS256
/// with the test key, whatever the header says.
pub fn sign_json(header: &str, claims: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let signature = SigningKey::<Sha256>::new(private_key().clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;

    #[test]
    fn a_signed_token_verifies_with_the_published_key_and_not_after_tampering() {
        let token = sign_json(r#"{"alg":"RS256","kid":"k"}"#, r#"{"sub":"a"}"#);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature = Signature::try_from(
            URL_SAFE_NO_PAD.decode(signature).unwrap().as_slice(),
        )
        .unwrap();
        let public = VerifyingKey::<Sha256>::new(private_key().to_public_key());
        assert!(public.verify(input.as_bytes(), &signature).is_ok());
        let tampered = input.replacen('e', "f", 1);
        assert!(public.verify(tampered.as_bytes(), &signature).is_err());
        assert!(jwk_json("k").contains(&public_n_e().0));
    }
}
