//! Why a token was not accepted.

use super::claims::TokenUse;
use super::jwks::JwksError;

/// A token that failed verification, naming the check that failed.
///
/// Values quoted from the token (issuer, audience, `kid`, `alg`) are short
/// excerpts; the token itself and its signature never appear.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Refused before any parsing: Cognito's tokens are a few KB.
    #[error("The {kind} is larger than {limit_bytes} bytes, far more than any Cognito token.")]
    TooLarge { kind: TokenUse, limit_bytes: usize },
    /// Not three base64url parts, not JSON objects, a member named twice, a
    /// claim of the wrong type. `problem` never quotes the token.
    #[error("The {kind} is not a well-formed JWT ({problem}).")]
    Malformed { kind: TokenUse, problem: String },
    /// Rejected before any crypto: `none`, `HS256` (signed with the public key
    /// as HMAC secret) and every other algorithm Cognito does not use.
    #[error("The {kind} is signed with {alg:?}; only RS256 is accepted.")]
    UnsupportedAlgorithm { kind: TokenUse, alg: String },
    /// The header lists extensions (`crit`) that must be understood to
    /// verify the token; this verifier implements none.
    #[error("The {kind} requires header extensions (crit) that are not supported.")]
    CriticalHeader { kind: TokenUse },
    #[error("The {kind} does not name its signing key (no kid in its header).")]
    MissingKeyId { kind: TokenUse },
    #[error("The {kind} was signed with key {kid:?}, which the user pool does not publish.")]
    UnknownKeyId { kind: TokenUse, kid: String },
    /// The key named by the token has a modulus shorter than
    /// [`crate::cognito::jwks::MIN_RSA_MODULUS_BITS`]; refused before any crypto.
    #[error(
        "The {kind} is signed with a {bits}-bit RSA key; at least {minimum} bits are required."
    )]
    WeakKey {
        kind: TokenUse,
        bits: u64,
        minimum: u64,
    },
    #[error("The {kind} could not be checked: {source}.")]
    KeySetUnavailable { kind: TokenUse, source: JwksError },
    #[error(
        "The {kind} signature is not valid: it was not issued by this user pool or was altered."
    )]
    BadSignature { kind: TokenUse },
    #[error("The {kind} signature could not be checked ({reason}).")]
    SignatureCheckUnavailable { kind: TokenUse, reason: String },
    #[error("The {kind} has no {claim} claim.")]
    MissingClaim { kind: TokenUse, claim: &'static str },
    #[error("The {kind} issuer is {found} but this app expects {expected}.")]
    WrongIssuer {
        kind: TokenUse,
        found: String,
        expected: String,
    },
    #[error("Expected an {expected} but got a token with token_use {found:?}.")]
    WrongTokenUse { expected: TokenUse, found: String },
    #[error("The ID token is for app client {found} but this app is client {expected}.")]
    WrongAudience { found: String, expected: String },
    #[error("The access token is for app client {found} but this app is client {expected}.")]
    WrongClientId { found: String, expected: String },
    #[error(
        "The {kind} expired at {exp} (now {now}, leeway {leeway_secs} s); if the device clock is wrong, correct it."
    )]
    Expired {
        kind: TokenUse,
        exp: u64,
        now: u64,
        leeway_secs: u64,
    },
    #[error(
        "The {kind} is not valid before {nbf} (now {now}, leeway {leeway_secs} s); check the device clock."
    )]
    NotYetValid {
        kind: TokenUse,
        nbf: u64,
        now: u64,
        leeway_secs: u64,
    },
    #[error(
        "The {kind} was issued at {iat}, later than now ({now}, leeway {leeway_secs} s); check the device clock."
    )]
    IssuedInFuture {
        kind: TokenUse,
        iat: u64,
        now: u64,
        leeway_secs: u64,
    },
    #[error("The ID token and the access token belong to different users.")]
    SubjectMismatch,
}

impl TokenError {
    /// The check could not be made (keys or crypto unavailable), so nothing is
    /// known against the token: worth retrying rather than signing out.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::KeySetUnavailable { .. } | Self::SignatureCheckUnavailable { .. }
        )
    }
}
