//! Verification of Cognito ID and access tokens before any is accepted: by
//! the app (after sign-in, after a refresh, when restoring from storage) and
//! by the notes API (every request). Both run this one rulebook, in order:
//!
//! 1. structure and header (`jws.rs`): size cap before parsing, three
//!    strict base64url parts, no member named twice, `alg` exactly RS256,
//!    no `crit`, a `kid` — all before any key lookup or crypto;
//! 2. the key: published for RS256 signatures ([`JwkSet::parse`]) and with
//!    a modulus of at least [`MIN_RSA_MODULUS_BITS`] bits, checked here so
//!    WebCrypto and the native backend alike never see a weak key;
//! 3. the signature, before any claim is trusted;
//! 4. claims: `iss`, `token_use`, the times' types, `sub`, `auth_time`, then
//!    `aud` (ID token) or `client_id` (access token);
//! 5. time last ([`check_token_times`]), because the session core may want to
//!    apply its own skew-corrected clock instead.
//!
//! [`JwkSet::parse`]: super::jwks::JwkSet::parse

use super::claims::{AccessClaims, IdClaims, RawClaims, TokenUse, numeric_date};
use super::config::CognitoConfig;
use super::jwks::{Jwk, JwksCache, JwksError, KeyLookup, MIN_RSA_MODULUS_BITS};
use super::jws::{self, UntrustedJws};
use super::token_error::TokenError;
use super::token_times::{TokenTimes, check_token_times};
use super::tokens::{IssuedTokens, VerifiedTokens};
use super::transport::{HttpResponse, TransportError};
use super::untrusted_text::excerpt;
use crate::json::Number;
use std::future::Future;

/// The only signature algorithm Cognito uses, and so the only one accepted.
pub const ACCEPTED_ALGORITHM: &str = "RS256";

/// Checks an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature.
///
/// The browser implements it with WebCrypto: `crypto.subtle.importKey("jwk",
/// {kty: "RSA", n, e, alg: "RS256", ext: true}, {name: "RSASSA-PKCS1-v1_5",
/// hash: "SHA-256"}, false, ["verify"])`, then `crypto.subtle.verify(
/// "RSASSA-PKCS1-v1_5", key, signature, signing_input)`. Native builds (the
/// notes API, native tests) use `NativeRsaVerifier` (native builds only). Keeping crypto
/// behind this trait is what keeps native crypto crates out of the wasm build.
///
/// The verifier has already checked the key's kind, use and modulus length
/// before calling; an implementation only checks the signature.
pub trait SignatureVerifier {
    /// `Ok(true)` if `signature` is a valid RS256 signature of
    /// `signing_input` (the ASCII `header.payload` of the JWT) under `jwk`,
    /// `Ok(false)` if it is not, `Err` if the check could not be made (key
    /// import failed, WebCrypto unavailable).
    fn verify_rs256(
        &self,
        jwk: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> impl Future<Output = Result<bool, SignatureCheckError>>;
}

/// The signature check could not be carried out. `reason` is the
/// implementation's own short description; it must not contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct SignatureCheckError {
    /// What went wrong, for the log.
    pub reason: String,
}

/// What a token must say to be accepted by this app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationSettings {
    /// Expected `iss`, exactly.
    pub issuer: String,
    /// Expected `aud` of ID tokens and `client_id` of access tokens.
    pub client_id: String,
    /// Tolerance of the `exp`/`nbf`/`iat` check against the caller's `now`.
    pub clock_leeway_secs: u64,
}

impl VerificationSettings {
    /// The issuer, client id and leeway of a user pool's configuration.
    pub fn from_config(config: &CognitoConfig) -> Self {
        Self {
            issuer: config.issuer(),
            client_id: config.client_id.clone(),
            clock_leeway_secs: config.clock_leeway_secs,
        }
    }
}

/// Whether verification compares `exp` and `iat` with a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeCheck {
    /// Check against `now_secs` (seconds since the Unix epoch, read by the
    /// caller) with [`VerificationSettings::clock_leeway_secs`].
    At {
        /// The time to check against, in seconds since the Unix epoch.
        now_secs: u64,
    },
    /// Skip the time check and return the claims: for the session core, which
    /// estimates the offset between the device clock and Cognito's from `iat`
    /// and then calls [`IdClaims::check_times`] / [`AccessClaims::check_times`]
    /// with the corrected time. Everything else is still checked.
    Skip,
}

/// Verifies tokens of one app client, keeping the pool's keys between calls.
///
/// Two ways to supply keys: the `verify_*` methods look them up in the
/// verifier's own [`JwksCache`], downloading through a caller's closure (the
/// browser); [`Self::verify_id_token_with_keys`] takes `&self` and asks the
/// caller's key lookup instead, leaving the cache untouched (the notes API,
/// which shares one verifier between concurrent requests and keeps its own
/// cache).
#[derive(Debug)]
pub struct TokenVerifier<S> {
    settings: VerificationSettings,
    signatures: S,
    jwks: JwksCache,
}

/// A token whose signature, issuer and `token_use` were checked, with the
/// claims every Cognito token must have.
struct AuthenticToken {
    claims: RawClaims,
    sub: String,
    auth_time: u64,
    times: TokenTimes,
}

impl<S: SignatureVerifier> TokenVerifier<S> {
    /// A verifier checking signatures with `signatures` (WebCrypto in the
    /// browser, `NativeRsaVerifier` natively), starting
    /// with no keys: the first token downloads them.
    pub fn new(settings: VerificationSettings, signatures: S) -> Self {
        Self::with_cache(settings, signatures, JwksCache::new())
    }

    /// A verifier starting from already known keys.
    pub fn with_cache(settings: VerificationSettings, signatures: S, jwks: JwksCache) -> Self {
        Self {
            settings,
            signatures,
            jwks,
        }
    }

    /// What tokens must say to be accepted.
    pub fn settings(&self) -> &VerificationSettings {
        &self.settings
    }

    /// The keys cached so far.
    pub fn jwks(&self) -> &JwksCache {
        &self.jwks
    }

    /// The signature backend.
    pub fn signature_verifier(&self) -> &S {
        &self.signatures
    }

    /// Verifies an ID token. `fetch_jwks` GETs the JWKS URL and is called at
    /// most once, only if the token's `kid` is not cached.
    pub async fn verify_id_token<F>(
        &mut self,
        token: &str,
        time: TimeCheck,
        fetch_jwks: F,
    ) -> Result<IdClaims, TokenError>
    where
        F: AsyncFnOnce() -> Result<HttpResponse, TransportError>,
    {
        let Self {
            settings,
            signatures,
            jwks,
        } = self;
        let lookup = async move |kid: &str| jwks.key_for(kid, fetch_jwks).await;
        let token = authenticate(settings, signatures, TokenUse::Id, token, time, lookup).await?;
        id_claims(settings, token)
    }

    /// Verifies an ID token with keys from `keys`, which answers the key
    /// published under a `kid` (called at most once, after every check that
    /// needs no key passed). The verifier's own cache is not used.
    pub async fn verify_id_token_with_keys<K>(
        &self,
        token: &str,
        time: TimeCheck,
        keys: K,
    ) -> Result<IdClaims, TokenError>
    where
        K: AsyncFnOnce(&str) -> Result<KeyLookup, JwksError>,
    {
        let settings = &self.settings;
        let token =
            authenticate(settings, &self.signatures, TokenUse::Id, token, time, keys).await?;
        id_claims(settings, token)
    }

    /// Verifies an access token; `fetch_jwks` as for [`Self::verify_id_token`].
    pub async fn verify_access_token<F>(
        &mut self,
        token: &str,
        time: TimeCheck,
        fetch_jwks: F,
    ) -> Result<AccessClaims, TokenError>
    where
        F: AsyncFnOnce() -> Result<HttpResponse, TransportError>,
    {
        let Self {
            settings,
            signatures,
            jwks,
        } = self;
        let lookup = async move |kid: &str| jwks.key_for(kid, fetch_jwks).await;
        let token =
            authenticate(settings, signatures, TokenUse::Access, token, time, lookup).await?;
        access_claims(settings, token)
    }

    /// Verifies the ID and access token of a sign-in, refresh or restore and
    /// checks they belong to the same user. The refresh token is opaque and
    /// is only carried along. `fetch_jwks` may be called once per token (ID
    /// and access tokens may be signed with different keys).
    pub async fn verify_tokens<F>(
        &mut self,
        tokens: IssuedTokens,
        time: TimeCheck,
        mut fetch_jwks: F,
    ) -> Result<VerifiedTokens, TokenError>
    where
        F: AsyncFnMut() -> Result<HttpResponse, TransportError>,
    {
        let id = self
            .verify_id_token(tokens.id_token.expose(), time, &mut fetch_jwks)
            .await?;
        let access = self
            .verify_access_token(tokens.access_token.expose(), time, &mut fetch_jwks)
            .await?;
        if id.sub != access.sub {
            return Err(TokenError::SubjectMismatch);
        }
        Ok(VerifiedTokens {
            id,
            access,
            id_token: tokens.id_token,
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        })
    }
}

/// The ID token's own checks (`aud`, `cognito:username`) after [`authenticate`].
fn id_claims(
    settings: &VerificationSettings,
    token: AuthenticToken,
) -> Result<IdClaims, TokenError> {
    let kind = TokenUse::Id;
    let aud = token
        .claims
        .aud
        .ok_or(TokenError::MissingClaim { kind, claim: "aud" })?;
    if !aud.contains(&settings.client_id) {
        return Err(TokenError::WrongAudience {
            found: excerpt(&aud.describe()),
            expected: settings.client_id.clone(),
        });
    }
    let username = token
        .claims
        .cognito_username
        .ok_or(TokenError::MissingClaim {
            kind,
            claim: "cognito:username",
        })?;
    Ok(IdClaims {
        sub: token.sub,
        username,
        email: token.claims.email,
        groups: token.claims.groups.unwrap_or_default(),
        auth_time: token.auth_time,
        iat: token.times.iat,
        exp: token.times.exp,
        nbf: token.times.nbf,
        origin_jti: token.claims.origin_jti,
        nonce: token.claims.nonce,
        token_use: kind,
        aud: settings.client_id.clone(),
    })
}

/// The access token's own checks (`client_id`, `username`) after [`authenticate`].
fn access_claims(
    settings: &VerificationSettings,
    token: AuthenticToken,
) -> Result<AccessClaims, TokenError> {
    let kind = TokenUse::Access;
    let client_id = token.claims.client_id.ok_or(TokenError::MissingClaim {
        kind,
        claim: "client_id",
    })?;
    if client_id != settings.client_id {
        return Err(TokenError::WrongClientId {
            found: excerpt(&client_id),
            expected: settings.client_id.clone(),
        });
    }
    let username = token.claims.username.ok_or(TokenError::MissingClaim {
        kind,
        claim: "username",
    })?;
    Ok(AccessClaims {
        sub: token.sub,
        username,
        client_id,
        scope: token.claims.scope,
        auth_time: token.auth_time,
        iat: token.times.iat,
        exp: token.times.exp,
        nbf: token.times.nbf,
        origin_jti: token.claims.origin_jti,
    })
}

/// The checks shared by both token kinds, steps 1 to 5 of the module
/// documentation except the kind's own claims.
async fn authenticate<S, K>(
    settings: &VerificationSettings,
    signatures: &S,
    kind: TokenUse,
    token: &str,
    time: TimeCheck,
    keys: K,
) -> Result<AuthenticToken, TokenError>
where
    S: SignatureVerifier,
    K: AsyncFnOnce(&str) -> Result<KeyLookup, JwksError>,
{
    let UntrustedJws {
        kid,
        signing_input,
        payload,
        signature,
    } = jws::parse(kind, token)?;
    let jwk = match keys(&kid).await {
        Ok(KeyLookup::Found(jwk)) => jwk,
        Ok(KeyLookup::Unknown { .. }) => {
            return Err(TokenError::UnknownKeyId {
                kind,
                kid: excerpt(&kid),
            });
        }
        Err(source) => return Err(TokenError::KeySetUnavailable { kind, source }),
    };
    check_key_strength(kind, &jwk)?;
    let valid = signatures
        .verify_rs256(&jwk, signing_input.as_bytes(), &signature)
        .await
        .map_err(|error| TokenError::SignatureCheckUnavailable {
            kind,
            reason: excerpt(&error.reason),
        })?;
    if !valid {
        return Err(TokenError::BadSignature { kind });
    }

    let claims: RawClaims = jws::decode_object(kind, "claims", &payload)?;
    let iss = claims
        .iss
        .as_deref()
        .ok_or(TokenError::MissingClaim { kind, claim: "iss" })?;
    if iss != settings.issuer {
        return Err(TokenError::WrongIssuer {
            kind,
            found: excerpt(iss),
            expected: settings.issuer.clone(),
        });
    }
    let token_use = claims
        .token_use
        .as_deref()
        .ok_or(TokenError::MissingClaim {
            kind,
            claim: "token_use",
        })?;
    if token_use != kind.claim_value() {
        return Err(TokenError::WrongTokenUse {
            expected: kind,
            found: excerpt(token_use),
        });
    }
    let time_claim = |number: &Option<Number>, claim| match number {
        None => Ok(None),
        Some(number) => numeric_date(number)
            .map(Some)
            .ok_or_else(|| TokenError::Malformed {
                kind,
                problem: format!("its {claim} claim is not a time between 1970 and 9999"),
            }),
    };
    let required =
        |seconds: Option<u64>, claim| seconds.ok_or(TokenError::MissingClaim { kind, claim });
    let exp = required(time_claim(&claims.exp, "exp")?, "exp")?;
    let iat = required(time_claim(&claims.iat, "iat")?, "iat")?;
    let nbf = time_claim(&claims.nbf, "nbf")?;
    let mut claims = claims;
    let sub = claims
        .sub
        .take()
        .filter(|sub| !sub.is_empty())
        .ok_or(TokenError::MissingClaim { kind, claim: "sub" })?;
    let auth_time = required(time_claim(&claims.auth_time, "auth_time")?, "auth_time")?;
    let times = TokenTimes { iat, exp, nbf };
    if let TimeCheck::At { now_secs } = time {
        check_token_times(kind, times, now_secs, settings.clock_leeway_secs)?;
    }
    Ok(AuthenticToken {
        claims,
        sub,
        auth_time,
        times,
    })
}

/// Refuses a key whose modulus is shorter than [`MIN_RSA_MODULUS_BITS`],
/// counted in bits (leading zeros of `n` do not count).
fn check_key_strength(kind: TokenUse, jwk: &Jwk) -> Result<(), TokenError> {
    let bits = jwk
        .modulus_bits()
        .ok_or_else(|| TokenError::KeySetUnavailable {
            kind,
            source: JwksError::Malformed {
                problem: format!(
                    "the modulus of key {:?} is not base64url",
                    excerpt(&jwk.kid)
                ),
            },
        })?;
    if bits < MIN_RSA_MODULUS_BITS {
        return Err(TokenError::WeakKey {
            kind,
            bits,
            minimum: MIN_RSA_MODULUS_BITS,
        });
    }
    Ok(())
}
