//! RS256 signature checks with the pure-Rust `rsa` crate, for native builds:
//! the notes API and the native tests. The browser uses WebCrypto instead
//! (`crate::browser::WebCryptoVerifier`), which is why this module and its
//! crate are compiled only off wasm and never reach the app's bundle.

use super::jwks::Jwk;
use super::verify::{SignatureCheckError, SignatureVerifier};
use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::sha2::Sha256;
use rsa::signature::Verifier as _;
use rsa::{BigUint, RsaPublicKey};

/// RSASSA-PKCS1-v1_5 with SHA-256, as WebCrypto's `verify` does it. Holds
/// nothing, so one value can serve any number of threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeRsaVerifier;

impl SignatureVerifier for NativeRsaVerifier {
    async fn verify_rs256(
        &self,
        jwk: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<bool, SignatureCheckError> {
        let public = public_key(jwk)?;
        // A signature that is not even the key's length is simply not valid.
        let Ok(signature) = Signature::try_from(signature) else {
            return Ok(false);
        };
        Ok(VerifyingKey::<Sha256>::new(public)
            .verify(signing_input, &signature)
            .is_ok())
    }
}

/// The JWK as an `rsa` public key. The crate refuses some keys the JWKS may
/// still publish (e.g. a modulus over 4096 bits): the check then cannot be
/// made, which says nothing against the token.
fn public_key(jwk: &Jwk) -> Result<RsaPublicKey, SignatureCheckError> {
    let number = |base64url: &str| {
        Base64UrlUnpadded::decode_vec(base64url)
            .map(|bytes| BigUint::from_bytes_be(&bytes))
            .map_err(|_| SignatureCheckError {
                reason: "the key is not base64url".to_owned(),
            })
    };
    RsaPublicKey::new(number(&jwk.n)?, number(&jwk.e)?).map_err(|error| SignatureCheckError {
        reason: format!("the key could not be imported ({error})"),
    })
}
