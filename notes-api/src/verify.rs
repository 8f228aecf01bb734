//! Cognito ID token verification: RS256 against the user pool's JWKS, then
//! the claims (`token_use`, `iss`, `aud`, `exp`, `iat`, `sub`).
//!
//! The order matters: the header's `alg` is checked before any key is looked
//! up or any signature computed, so `none`/HS256 tokens never reach the crypto
//! or cause a JWKS download; the claims are only trusted after the signature.
//! Messages name the check that failed and never contain the token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::sha2::Sha256;
use rsa::signature::Verifier as _;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Clock skew tolerated on `exp` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 5;
/// After a JWKS refetch that still lacked a token's `kid`, further unknown
/// kids are refused without downloading again for this long (so a stream of
/// made-up kids cannot turn the API into a JWKS download loop).
pub const DEFAULT_REFETCH_COOLDOWN: Duration = Duration::from_secs(10);
/// Cognito tokens are a few KB; anything far larger is refused unparsed.
const MAX_TOKEN_BYTES: usize = 16 * 1024;
const MAX_JWKS_BYTES: usize = 256 * 1024;
const JWKS_TIMEOUT: Duration = Duration::from_secs(5);
/// Cognito signs with 2048-bit keys; weaker published keys are ignored.
const MIN_RSA_BITS: usize = 2048;

/// Why a token was refused (answered 401 `invalid_token`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed: {0}")]
    Malformed(&'static str),
    #[error("the token's algorithm {0} is not accepted; only RS256 is")]
    UnsupportedAlg(String),
    #[error("no key in the user pool's JWKS matches the token's kid")]
    UnknownKid,
    #[error("the token's signature does not verify (altered, or signed by another key)")]
    BadSignature,
    #[error("this is an access token; the notes API accepts only ID tokens (token_use \"id\")")]
    AccessToken,
    #[error("the token's token_use is not \"id\"; the notes API accepts only ID tokens")]
    NotIdToken,
    #[error("the token was not issued by the configured user pool ({expected})")]
    WrongIssuer { expected: String },
    #[error("the token's audience is not this app client ({expected})")]
    WrongAudience { expected: String },
    #[error("the token has expired")]
    Expired,
    #[error("the token's iat is in the future")]
    IssuedInFuture,
    #[error("the token has no valid {0} claim")]
    MissingClaim(&'static str),
}

impl TokenError {
    /// The `/stats` counter this rejection is counted under.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::UnsupportedAlg(_) => "unsupported_alg",
            Self::UnknownKid => "unknown_kid",
            Self::BadSignature => "bad_signature",
            Self::AccessToken | Self::NotIdToken => "not_id_token",
            Self::WrongIssuer { .. } => "wrong_issuer",
            Self::WrongAudience { .. } => "wrong_audience",
            Self::Expired => "expired",
            Self::IssuedInFuture => "issued_in_future",
            Self::MissingClaim(_) => "missing_claim",
        }
    }

    /// Every kind, so `/stats` can show zeros too.
    pub const KINDS: &'static [&'static str] = &[
        "malformed",
        "unsupported_alg",
        "unknown_kid",
        "bad_signature",
        "not_id_token",
        "wrong_issuer",
        "wrong_audience",
        "expired",
        "issued_in_future",
        "missing_claim",
    ];
}

/// The user pool's keys could not be loaded: not the token's fault (503).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwksError {
    #[error("the JWKS at {url} could not be fetched: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the JWKS at {url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("the JWKS at {url} is not a JWKS document: {reason}")]
    Malformed { url: String, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Jwks(#[from] JwksError),
}

/// What a verified ID token says about its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
}

enum KeySource {
    Http {
        client: reqwest::Client,
        url: String,
    },
    /// A fixed JWKS document (tests and offline use).
    Fixed(String),
}

/// Verifies Cognito ID tokens; shared by all requests.
pub struct Verifier {
    issuer: String,
    client_id: String,
    source: KeySource,
    keys: RwLock<HashMap<String, RsaPublicKey>>,
    /// Serialises downloads; holds when the last refetch missed a kid.
    refresh: tokio::sync::Mutex<Option<Instant>>,
    refetch_cooldown: Duration,
    fetches: AtomicU64,
}

impl Verifier {
    /// Keys are downloaded from `jwks_url` on first use (plain HTTP).
    pub fn new(issuer: &str, client_id: &str, jwks_url: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(JWKS_TIMEOUT)
            // The JWKS is on loopback in the demo: never route it via a proxy
            // taken from the environment.
            .no_proxy()
            .build()
            .expect("a reqwest client without TLS or proxies always builds");
        Self::with_source(
            issuer,
            client_id,
            KeySource::Http {
                client,
                url: jwks_url.to_owned(),
            },
        )
    }

    /// Keys come from this JWKS document instead of a download.
    pub fn with_jwks(issuer: &str, client_id: &str, jwks_json: &str) -> Self {
        Self::with_source(issuer, client_id, KeySource::Fixed(jwks_json.to_owned()))
    }

    fn with_source(issuer: &str, client_id: &str, source: KeySource) -> Self {
        Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            source,
            keys: RwLock::new(HashMap::new()),
            refresh: tokio::sync::Mutex::new(None),
            refetch_cooldown: DEFAULT_REFETCH_COOLDOWN,
            fetches: AtomicU64::new(0),
        }
    }

    pub fn with_refetch_cooldown(mut self, cooldown: Duration) -> Self {
        self.refetch_cooldown = cooldown;
        self
    }

    /// How many times the JWKS has been loaded.
    pub fn jwks_fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// Verifies `token` at `now` (seconds since the epoch).
    pub async fn verify(&self, token: &str, now: u64) -> Result<Identity, VerifyError> {
        let parts = split(token)?;
        let header: Header = decode_json(parts.header, "its header is not base64url JSON")?;
        if header.alg != "RS256" {
            return Err(TokenError::UnsupportedAlg(printable_alg(&header.alg)).into());
        }
        if header.crit.is_some() {
            return Err(TokenError::Malformed("it has critical header extensions").into());
        }
        let kid = header
            .kid
            .ok_or(TokenError::Malformed("its header has no kid"))?;
        let signature = URL_SAFE_NO_PAD
            .decode(parts.signature)
            .map_err(|_| TokenError::Malformed("its signature is not base64url"))?;
        let key = self.key(&kid).await?;
        let signature =
            Signature::try_from(signature.as_slice()).map_err(|_| TokenError::BadSignature)?;
        VerifyingKey::<Sha256>::new(key)
            .verify(parts.signing_input.as_bytes(), &signature)
            .map_err(|_| TokenError::BadSignature)?;
        let claims: Map<String, Value> =
            decode_json(parts.payload, "its payload is not base64url JSON")?;
        Ok(self.check_claims(&claims, now)?)
    }

    fn check_claims(&self, claims: &Map<String, Value>, now: u64) -> Result<Identity, TokenError> {
        match claims.get("token_use").and_then(Value::as_str) {
            Some("id") => {}
            Some("access") => return Err(TokenError::AccessToken),
            _ => return Err(TokenError::NotIdToken),
        }
        if claims.get("iss").and_then(Value::as_str) != Some(self.issuer.as_str()) {
            return Err(TokenError::WrongIssuer {
                expected: self.issuer.clone(),
            });
        }
        let audience_matches = match claims.get("aud") {
            Some(Value::String(aud)) => *aud == self.client_id,
            Some(Value::Array(auds)) => {
                auds.iter().any(|aud| aud.as_str() == Some(&self.client_id))
            }
            _ => false,
        };
        if !audience_matches {
            return Err(TokenError::WrongAudience {
                expected: self.client_id.clone(),
            });
        }
        let exp = numeric_date(claims, "exp")?;
        if now > exp.saturating_add(LEEWAY_SECS) {
            return Err(TokenError::Expired);
        }
        let iat = numeric_date(claims, "iat")?;
        if iat > now.saturating_add(LEEWAY_SECS) {
            return Err(TokenError::IssuedInFuture);
        }
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|sub| !sub.is_empty())
            .ok_or(TokenError::MissingClaim("sub"))?;
        Ok(Identity {
            sub: sub.to_owned(),
            iat,
            exp,
        })
    }

    /// The key for `kid`: from the cache, else after one (re)download.
    async fn key(&self, kid: &str) -> Result<RsaPublicKey, VerifyError> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let mut last_miss = self.refresh.lock().await;
        // Another request may have downloaded the keys while this one waited.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        if last_miss.is_some_and(|at| at.elapsed() < self.refetch_cooldown) {
            return Err(TokenError::UnknownKid.into());
        }
        let keys = self.load().await?;
        *self.keys.write().expect("key cache lock") = keys;
        match self.cached(kid) {
            Some(key) => Ok(key),
            None => {
                *last_miss = Some(Instant::now());
                Err(TokenError::UnknownKid.into())
            }
        }
    }

    fn cached(&self, kid: &str) -> Option<RsaPublicKey> {
        self.keys.read().expect("key cache lock").get(kid).cloned()
    }

    async fn load(&self) -> Result<HashMap<String, RsaPublicKey>, JwksError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let (url, body) = match &self.source {
            KeySource::Fixed(json) => ("(fixed JWKS)", json.clone().into_bytes()),
            KeySource::Http { client, url } => (url.as_str(), download(client, url).await?),
        };
        parse_jwks(&body).map_err(|reason| JwksError::Malformed {
            url: url.to_owned(),
            reason,
        })
    }
}

async fn download(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, JwksError> {
    let unreachable = |error: reqwest::Error| JwksError::Unreachable {
        url: url.to_owned(),
        reason: error.without_url().to_string(),
    };
    let response = client.get(url).send().await.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(JwksError::Status {
            url: url.to_owned(),
            status: response.status().as_u16(),
        });
    }
    let body = response.bytes().await.map_err(unreachable)?;
    if body.len() > MAX_JWKS_BYTES {
        return Err(JwksError::Malformed {
            url: url.to_owned(),
            reason: format!("it is larger than {MAX_JWKS_BYTES} bytes"),
        });
    }
    Ok(body.to_vec())
}

#[derive(Deserialize)]
struct PublishedKey {
    kid: Option<String>,
    kty: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    key_use: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
struct PublishedKeys {
    keys: Vec<PublishedKey>,
}

/// The RS256 signing keys of a JWKS document, by kid. Keys for another
/// algorithm or for encryption are skipped: they must not vouch for a token.
pub fn parse_jwks(body: &[u8]) -> Result<HashMap<String, RsaPublicKey>, String> {
    let published: PublishedKeys =
        serde_json::from_slice(body).map_err(|error| format!("{error}"))?;
    let mut keys = HashMap::new();
    for key in published.keys {
        let usable = key.kty.as_deref() == Some("RSA")
            && key.alg.as_deref().is_none_or(|alg| alg == "RS256")
            && key
                .key_use
                .as_deref()
                .is_none_or(|key_use| key_use == "sig");
        let (Some(kid), Some(n), Some(e), true) = (key.kid, key.n, key.e, usable) else {
            continue;
        };
        let number = |text: &str| {
            URL_SAFE_NO_PAD
                .decode(text)
                .ok()
                .map(|b| BigUint::from_bytes_be(&b))
        };
        let (Some(n), Some(e)) = (number(&n), number(&e)) else {
            continue;
        };
        if let Ok(public) = RsaPublicKey::new(n, e)
            && public.size() * 8 >= MIN_RSA_BITS
        {
            keys.insert(kid, public);
        }
    }
    Ok(keys)
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    crit: Option<Value>,
}

struct Parts<'a> {
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
    signing_input: &'a str,
}

fn split(token: &str) -> Result<Parts<'_>, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::Malformed(
            "it is far larger than a Cognito token",
        ));
    }
    let mut pieces = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (pieces.next(), pieces.next(), pieces.next(), pieces.next())
    else {
        return Err(TokenError::Malformed(
            "a JWT has three base64url parts separated by dots",
        ));
    };
    Ok(Parts {
        header,
        payload,
        signature,
        signing_input: &token[..header.len() + 1 + payload.len()],
    })
}

fn decode_json<T: serde::de::DeserializeOwned>(
    part: &str,
    problem: &'static str,
) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed(problem))?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed(problem))
}

/// A NumericDate claim as whole seconds (fractions are dropped).
fn numeric_date(claims: &Map<String, Value>, name: &'static str) -> Result<u64, TokenError> {
    let value = claims.get(name).ok_or(TokenError::MissingClaim(name))?;
    value
        .as_u64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v as u64)
        })
        .ok_or(TokenError::MissingClaim(name))
}

/// The header's `alg` quoted for a message, or a placeholder when it is long
/// or odd (it is attacker-chosen text).
fn printable_alg(alg: &str) -> String {
    if !alg.is_empty() && alg.len() <= 16 && alg.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("\"{alg}\"")
    } else {
        "(unrecognised)".to_owned()
    }
}
