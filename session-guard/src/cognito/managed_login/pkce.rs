//! Proof Key for Code Exchange (RFC 7636), S256 only.
//!
//! The verifier never leaves this tab until the code is exchanged; the
//! authorization request carries only its SHA-256. Someone who intercepts
//! the code on its way back cannot exchange it without the verifier.

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use crate::cognito::Secret;

/// Random bytes behind one verifier: 32 give the 43-character verifier
/// RFC 7636 recommends (256 bits of entropy).
pub const VERIFIER_BYTES: usize = 32;

/// A code verifier and its S256 challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    /// From `random` bytes of a CSPRNG (a fresh set for every sign-in).
    pub fn from_random(random: &[u8; VERIFIER_BYTES]) -> Self {
        Self::from_verifier(Base64UrlUnpadded::encode_string(random))
    }

    /// `challenge = BASE64URL(SHA256(ASCII(verifier)))`.
    pub fn from_verifier(verifier: String) -> Self {
        let digest = Sha256::digest(verifier.as_bytes());
        Pkce {
            challenge: Base64UrlUnpadded::encode_string(&digest),
            verifier: Secret::new(verifier),
        }
    }

    /// The method the challenge is made with, as sent.
    pub const METHOD: &'static str = "S256";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636, Appendix B.
    #[test]
    fn the_rfc_7636_appendix_b_example() {
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let pkce = Pkce::from_random(&octets);
        assert_eq!(
            pkce.verifier.expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_verifier_has_the_recommended_length_and_alphabet() {
        let pkce = Pkce::from_random(&[0xAB; VERIFIER_BYTES]);
        let verifier = pkce.verifier.expose();
        assert_eq!(verifier.len(), 43);
        assert!(
            verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn the_verifier_stays_out_of_debug_output() {
        let pkce = Pkce::from_random(&[7; VERIFIER_BYTES]);
        assert!(!format!("{pkce:?}").contains(pkce.verifier.expose()));
    }
}
