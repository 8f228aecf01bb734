//! The user pool's public signing keys (JWKS) and the cache that avoids
//! fetching them for every token.

use super::transport::{HttpResponse, TransportError};
use super::untrusted_text::excerpt;
use crate::json::{FromJson, Json, JsonError};
use base64ct::{Base64UrlUnpadded, Encoding};

/// The shortest RSA modulus a token may be signed with. Cognito signs with
/// 2048-bit keys; a shorter modulus is refused whatever the key set says,
/// in the browser (before WebCrypto is asked) and in the notes API alike.
pub const MIN_RSA_MODULUS_BITS: u64 = 2048;

/// One RSA public key from the pool's JWKS. In the browser it is imported into
/// WebCrypto as `{kty, n, e, alg}`; `n` and `e` stay base64url as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// The key's id, matched against a token header's `kid`.
    pub kid: String,
    /// The key type; always `RSA` once parsed (other keys are left out).
    pub kty: String,
    /// The algorithm the key is for (`RS256`), when published.
    pub alg: Option<String>,
    /// `use`.
    pub key_use: Option<String>,
    /// Modulus, base64url without padding.
    pub n: String,
    /// Public exponent, base64url without padding.
    pub e: String,
}

impl Jwk {
    /// The length of the modulus `n` in bits: leading zero bytes, and the
    /// leading zero bits of the first non-zero byte, do not count (a JWK may
    /// pad `n`, and a 2041-bit modulus still takes 256 bytes). `None` when `n`
    /// is not base64url.
    pub fn modulus_bits(&self) -> Option<u64> {
        let modulus = Base64UrlUnpadded::decode_vec(&self.n).ok()?;
        let significant = modulus.iter().position(|byte| *byte != 0);
        Some(significant.map_or(0, |first| {
            let whole_bytes = (modulus.len() - first - 1) as u64;
            whole_bytes * 8 + u64::from(8 - modulus[first].leading_zeros())
        }))
    }
}

/// The keys of one JWKS document that can check an RS256 signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JwkSet {
    keys: Vec<Jwk>,
}

/// A key entry as published, before deciding whether it is usable.
struct PublishedKey {
    kid: Option<String>,
    kty: Option<String>,
    alg: Option<String>,
    key_use: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl FromJson for PublishedKey {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            kid: object.field("kid")?,
            kty: object.field("kty")?,
            alg: object.field("alg")?,
            key_use: object.field("use")?,
            n: object.field("n")?,
            e: object.field("e")?,
        })
    }
}

impl JwkSet {
    /// Parses a JWKS document, keeping only RSA keys meant for RS256
    /// signatures: a key published for encryption or another algorithm must
    /// not vouch for a token, whatever the token's header claims. A key whose
    /// `n` or `e` is not base64url is not usable either. Short moduli are kept
    /// and refused at verification ([`MIN_RSA_MODULUS_BITS`]), so a token
    /// signed with one is told apart from one naming an unknown key.
    pub fn parse(json: &str) -> Result<Self, JwksError> {
        let published: Vec<PublishedKey> = crate::json::parse(json)
            .and_then(|document| document.object_or_err()?.field("keys"))
            .map_err(|error| JwksError::Malformed {
                problem: error.to_string(),
            })?;
        let keys = published
            .into_iter()
            .filter_map(|key| {
                let usable = key.kty.as_deref() == Some("RSA")
                    && key.alg.as_deref().is_none_or(|alg| alg == "RS256")
                    && key
                        .key_use
                        .as_deref()
                        .is_none_or(|key_use| key_use == "sig")
                    && [&key.n, &key.e].into_iter().all(|number| {
                        number.as_deref().is_some_and(|number| {
                            !number.is_empty() && Base64UrlUnpadded::decode_vec(number).is_ok()
                        })
                    });
                if !usable {
                    return None;
                }
                Some(Jwk {
                    kid: key.kid?,
                    kty: "RSA".to_owned(),
                    alg: key.alg,
                    key_use: key.key_use,
                    n: key.n?,
                    e: key.e?,
                })
            })
            .collect();
        Ok(Self { keys })
    }

    /// A set of these keys, as they are (tests, or keys kept elsewhere).
    pub fn from_keys(keys: Vec<Jwk>) -> Self {
        Self { keys }
    }

    /// The usable keys, in document order.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// The key with this `kid`, if the set has it.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|key| key.kid == kid)
    }
}

/// Why the key set could not be had. Says nothing about the token, so a
/// verification failing for this reason is worth retrying later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwksError {
    /// The download failed (offline, timeout): retry later.
    #[error("the user pool's signing keys could not be downloaded: {0}")]
    Transport(#[from] TransportError),
    /// The JWKS URL answered with an error status (check `cognito.region` and
    /// `cognito.user_pool_id`, which make the URL).
    #[error("the user pool's signing keys could not be downloaded (HTTP {status})")]
    HttpStatus {
        /// The HTTP status.
        status: u16,
    },
    /// The answer is not a JWKS document this verifier can read.
    #[error("the user pool's signing keys could not be read ({problem})")]
    Malformed {
        /// What is wrong with it.
        problem: String,
    },
}

/// The outcome of looking a `kid` up in a [`JwksCache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLookup {
    /// The key, from the cache or from the reload.
    Found(Jwk),
    /// Not in the key set, even after reloading it.
    Unknown {
        /// The token's `kid`, shortened.
        kid: String,
    },
}

/// The pool's signing keys, kept between verifications.
///
/// Rule: a `kid` not in the cache triggers one reload (Cognito rotates keys
/// rarely, and a new `kid` usually means a new key), and if it is still
/// unknown the token is rejected. An empty cache is just a cache in which every
/// `kid` is unknown, so the first lookup loads the keys.
#[derive(Debug, Clone, Default)]
pub struct JwksCache {
    keys: JwkSet,
    loads: u32,
}

impl JwksCache {
    /// An empty cache: the first lookup loads the keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache pre-filled with keys (e.g. from storage or a test).
    pub fn with_keys(keys: JwkSet) -> Self {
        Self { keys, loads: 0 }
    }

    /// The cached key with this `kid`, without loading anything.
    pub fn get(&self, kid: &str) -> Option<&Jwk> {
        self.keys.find(kid)
    }

    /// The cached keys.
    pub fn keys(&self) -> &JwkSet {
        &self.keys
    }

    /// How many times the keys were (re)loaded through [`Self::key_for`].
    pub fn loads(&self) -> u32 {
        self.loads
    }

    /// Replaces the cached keys with a freshly fetched set.
    pub fn replace(&mut self, keys: JwkSet) {
        self.keys = keys;
    }

    /// The key for `kid`, reloading the set once through `fetch` if `kid` is
    /// not cached. `fetch` GETs [`crate::cognito::CognitoConfig::jwks_url`];
    /// it is a caller-supplied closure so this stays transport independent.
    ///
    /// A failed reload keeps the old keys.
    pub async fn key_for<F>(&mut self, kid: &str, fetch: F) -> Result<KeyLookup, JwksError>
    where
        F: AsyncFnOnce() -> Result<HttpResponse, TransportError>,
    {
        if let Some(key) = self.get(kid) {
            return Ok(KeyLookup::Found(key.clone()));
        }
        let response = fetch().await?;
        if !response.is_success() {
            return Err(JwksError::HttpStatus {
                status: response.status,
            });
        }
        let keys = JwkSet::parse(&response.body)?;
        self.loads += 1;
        self.replace(keys);
        Ok(match self.get(kid) {
            Some(key) => KeyLookup::Found(key.clone()),
            None => KeyLookup::Unknown { kid: excerpt(kid) },
        })
    }
}
