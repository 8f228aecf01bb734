//! Verification of Cognito ID and access tokens before any is accepted
//! (after sign-in, after a refresh, when restoring from storage).
//!
//! Order matters: the algorithm is checked before any key lookup or crypto,
//! the signature before any claim is trusted, and time last, because the
//! session core may want to apply its own skew-corrected clock instead.

use super::claims::{AccessClaims, IdClaims, RawClaims, TokenUse};
use super::config::CognitoConfig;
use super::jwks::{Jwk, JwksCache, KeyLookup};
use super::token_error::TokenError;
use super::token_times::check_token_times;
use super::tokens::{IssuedTokens, VerifiedTokens};
use super::transport::{HttpResponse, TransportError};
use super::untrusted_text::{describe_json_error, excerpt};
use jwt_compact::{ParseError, UntrustedToken, ValidationError};
use std::future::Future;

/// The only signature algorithm Cognito uses, and so the only one accepted.
pub const ACCEPTED_ALGORITHM: &str = "RS256";

/// Checks an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature.
///
/// The browser implements it with WebCrypto: `crypto.subtle.importKey("jwk",
/// {kty: "RSA", n, e, alg: "RS256", ext: true}, {name: "RSASSA-PKCS1-v1_5",
/// hash: "SHA-256"}, false, ["verify"])`, then `crypto.subtle.verify(
/// "RSASSA-PKCS1-v1_5", key, signature, signing_input)`. Native tests use the
/// `rsa` crate. Keeping crypto behind this trait is what keeps native crypto
/// crates out of the wasm build.
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
    pub reason: String,
}

/// What a token must say to be accepted by this app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationSettings {
    /// Expected `iss`, exactly.
    pub issuer: String,
    /// Expected `aud` of ID tokens and `client_id` of access tokens.
    pub client_id: String,
    /// Tolerance of the `exp`/`iat` check against the caller's `now`.
    pub clock_leeway_secs: u64,
}

impl VerificationSettings {
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
    At { now_secs: u64 },
    /// Skip the time check and return the claims: for the session core, which
    /// estimates the offset between the device clock and Cognito's from `iat`
    /// and then calls [`IdClaims::check_times`] / [`AccessClaims::check_times`]
    /// with the corrected time. Everything else is still checked.
    Skip,
}

/// Verifies tokens of one app client, keeping the pool's keys between calls.
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
    iat: u64,
    exp: u64,
}

impl<S: SignatureVerifier> TokenVerifier<S> {
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

    pub fn settings(&self) -> &VerificationSettings {
        &self.settings
    }

    pub fn jwks(&self) -> &JwksCache {
        &self.jwks
    }

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
        let kind = TokenUse::Id;
        let token = self.authenticate(kind, token, time, fetch_jwks).await?;
        let aud = token
            .claims
            .aud
            .ok_or(TokenError::MissingClaim { kind, claim: "aud" })?;
        if !aud.contains(&self.settings.client_id) {
            return Err(TokenError::WrongAudience {
                found: excerpt(&aud.describe()),
                expected: self.settings.client_id.clone(),
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
            iat: token.iat,
            exp: token.exp,
            origin_jti: token.claims.origin_jti,
            token_use: kind,
            aud: self.settings.client_id.clone(),
        })
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
        let kind = TokenUse::Access;
        let token = self.authenticate(kind, token, time, fetch_jwks).await?;
        let client_id = token.claims.client_id.ok_or(TokenError::MissingClaim {
            kind,
            claim: "client_id",
        })?;
        if client_id != self.settings.client_id {
            return Err(TokenError::WrongClientId {
                found: excerpt(&client_id),
                expected: self.settings.client_id.clone(),
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
            iat: token.iat,
            exp: token.exp,
            origin_jti: token.claims.origin_jti,
        })
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

    /// The checks shared by both token kinds: structure, algorithm, key,
    /// signature, issuer, `token_use`, required claims, time.
    async fn authenticate<F>(
        &mut self,
        kind: TokenUse,
        token: &str,
        time: TimeCheck,
        fetch_jwks: F,
    ) -> Result<AuthenticToken, TokenError>
    where
        F: AsyncFnOnce() -> Result<HttpResponse, TransportError>,
    {
        let untrusted = UntrustedToken::new(token).map_err(|error| TokenError::Malformed {
            kind,
            problem: describe_parse_error(&error),
        })?;
        if untrusted.algorithm() != ACCEPTED_ALGORITHM {
            return Err(TokenError::UnsupportedAlgorithm {
                kind,
                alg: excerpt(untrusted.algorithm()),
            });
        }
        let kid = untrusted
            .header()
            .key_id
            .as_deref()
            .filter(|kid| !kid.is_empty())
            .ok_or(TokenError::MissingKeyId { kind })?;
        let jwk = match self.jwks.key_for(kid, fetch_jwks).await {
            Ok(KeyLookup::Found(jwk)) => jwk,
            Ok(KeyLookup::Unknown { kid }) => return Err(TokenError::UnknownKeyId { kind, kid }),
            Err(source) => return Err(TokenError::KeySetUnavailable { kind, source }),
        };
        // jwt-compact keeps the signed bytes private, so take them from the
        // original string: everything before the last '.' (parsing succeeded,
        // so there are exactly three parts).
        let signing_input = token
            .rsplit_once('.')
            .map(|(signed, _)| signed)
            .ok_or_else(|| TokenError::Malformed {
                kind,
                problem: "it does not have three dot-separated parts".to_owned(),
            })?;
        let valid = self
            .signatures
            .verify_rs256(&jwk, signing_input.as_bytes(), untrusted.signature_bytes())
            .await
            .map_err(|error| TokenError::SignatureCheckUnavailable {
                kind,
                reason: excerpt(&error.reason),
            })?;
        if !valid {
            return Err(TokenError::BadSignature { kind });
        }

        let claims = untrusted
            .deserialize_claims_unchecked::<RawClaims>()
            .map_err(|error| TokenError::Malformed {
                kind,
                problem: describe_validation_error(&error),
            })?;
        let iss = claims
            .custom
            .iss
            .as_deref()
            .ok_or(TokenError::MissingClaim { kind, claim: "iss" })?;
        if iss != self.settings.issuer {
            return Err(TokenError::WrongIssuer {
                kind,
                found: excerpt(iss),
                expected: self.settings.issuer.clone(),
            });
        }
        let token_use = claims
            .custom
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
        let timestamp = |seconds: Option<i64>, claim| {
            let seconds = seconds.ok_or(TokenError::MissingClaim { kind, claim })?;
            u64::try_from(seconds).map_err(|_| TokenError::Malformed {
                kind,
                problem: format!("its {claim} claim is before 1970"),
            })
        };
        let exp = timestamp(claims.expiration.map(|moment| moment.timestamp()), "exp")?;
        let iat = timestamp(claims.issued_at.map(|moment| moment.timestamp()), "iat")?;
        let mut custom = claims.custom;
        let sub = custom
            .sub
            .take()
            .ok_or(TokenError::MissingClaim { kind, claim: "sub" })?;
        let auth_time = custom.auth_time.ok_or(TokenError::MissingClaim {
            kind,
            claim: "auth_time",
        })?;
        if let TimeCheck::At { now_secs } = time {
            check_token_times(kind, iat, exp, now_secs, self.settings.clock_leeway_secs)?;
        }
        Ok(AuthenticToken {
            claims: custom,
            sub,
            auth_time,
            iat,
            exp,
        })
    }
}

/// Names a parse failure without quoting the token.
fn describe_parse_error(error: &ParseError) -> String {
    match error {
        ParseError::InvalidTokenStructure => {
            "it does not have three dot-separated parts".to_owned()
        }
        ParseError::InvalidBase64Encoding => "a part is not base64url".to_owned(),
        ParseError::MalformedHeader(json) => format!("its header: {}", describe_json_error(json)),
        ParseError::UnsupportedContentType(_) => "its content type is not JSON".to_owned(),
        _ => "it cannot be parsed".to_owned(),
    }
}

/// Names a claims decoding failure without quoting the claims.
fn describe_validation_error(error: &ValidationError) -> String {
    match error {
        ValidationError::MalformedClaims(json) => {
            format!("its claims: {}", describe_json_error(json))
        }
        _ => "its claims cannot be decoded".to_owned(),
    }
}
