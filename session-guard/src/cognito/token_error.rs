//! Why a token was not accepted: [`TokenError`], one variant per check of
//! the verifier, each naming what failed and what can be done about it.

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
    TooLarge {
        /// Which token it was.
        kind: TokenUse,
        /// The limit, [`MAX_TOKEN_BYTES`](crate::cognito::MAX_TOKEN_BYTES).
        limit_bytes: usize,
    },
    /// Not three base64url parts, not JSON objects, a member named twice, a
    /// claim of the wrong type. `problem` never quotes the token.
    #[error("The {kind} is not a well-formed JWT ({problem}).")]
    Malformed {
        /// Which token it was.
        kind: TokenUse,
        /// What is wrong with its structure, for the log.
        problem: String,
    },
    /// Rejected before any crypto: `none`, `HS256` (signed with the public key
    /// as HMAC secret) and every other algorithm Cognito does not use.
    #[error("The {kind} is signed with {alg:?}; only RS256 is accepted.")]
    UnsupportedAlgorithm {
        /// Which token it was.
        kind: TokenUse,
        /// The header's `alg`, shortened.
        alg: String,
    },
    /// The header lists extensions (`crit`) that must be understood to
    /// verify the token; this verifier implements none.
    #[error("The {kind} requires header extensions (crit) that are not supported.")]
    CriticalHeader {
        /// Which token it was.
        kind: TokenUse,
    },
    /// The header has no `kid`, so there is no key to check the signature
    /// with. Cognito always sets one: the token is not from a user pool.
    #[error("The {kind} does not name its signing key (no kid in its header).")]
    MissingKeyId {
        /// Which token it was.
        kind: TokenUse,
    },
    /// The `kid` is not in the user pool's key set, even after one fresh
    /// download of it (keys are rotated rarely): the token comes from
    /// another pool or was forged. Signing in again gets a good one.
    #[error("The {kind} was signed with key {kid:?}, which the user pool does not publish.")]
    UnknownKeyId {
        /// Which token it was.
        kind: TokenUse,
        /// The header's `kid`, shortened.
        kid: String,
    },
    /// The key named by the token has a modulus shorter than
    /// [`MIN_RSA_MODULUS_BITS`](crate::cognito::MIN_RSA_MODULUS_BITS); refused before any crypto.
    #[error(
        "The {kind} is signed with a {bits}-bit RSA key; at least {minimum} bits are required."
    )]
    WeakKey {
        /// Which token it was.
        kind: TokenUse,
        /// The key's modulus length.
        bits: u64,
        /// The shortest accepted modulus.
        minimum: u64,
    },
    /// The user pool's key set could not be downloaded or read, so the
    /// signature was not checked. Nothing is known against the token
    /// ([`is_transient`](Self::is_transient)): keep the session and retry.
    #[error("The {kind} could not be checked: {source}.")]
    KeySetUnavailable {
        /// Which token it was.
        kind: TokenUse,
        /// Why the key set is unavailable.
        source: JwksError,
    },
    /// The RS256 signature does not match the key: the token was altered or
    /// signed by someone else. Never trust it; signing in again is the fix.
    #[error(
        "The {kind} signature is not valid: it was not issued by this user pool or was altered."
    )]
    BadSignature {
        /// Which token it was.
        kind: TokenUse,
    },
    /// The signature backend failed (WebCrypto refused the key or is
    /// missing). Nothing is known against the token
    /// ([`is_transient`](Self::is_transient)): retry later.
    #[error("The {kind} signature could not be checked ({reason}).")]
    SignatureCheckUnavailable {
        /// Which token it was.
        kind: TokenUse,
        /// The backend's description of the failure.
        reason: String,
    },
    /// A claim every Cognito token of this kind carries is absent: the
    /// token is not from a user pool, or the app client is misconfigured.
    #[error("The {kind} has no {claim} claim.")]
    MissingClaim {
        /// Which token it was.
        kind: TokenUse,
        /// The claim's name (`sub`, `exp`, `iss`, ...).
        claim: &'static str,
    },
    /// The `iss` is not this user pool's URL: a token of another pool or
    /// region. Check `cognito.region` and `cognito.user_pool_id`.
    #[error("The {kind} issuer is {found} but this app expects {expected}.")]
    WrongIssuer {
        /// Which token it was.
        kind: TokenUse,
        /// The token's `iss`, shortened.
        found: String,
        /// The configured pool's issuer URL.
        expected: String,
    },
    /// An access token where an ID token belongs, or the reverse (e.g. an
    /// API sent the wrong one of the pair).
    #[error("Expected an {expected} but got a token with token_use {found:?}.")]
    WrongTokenUse {
        /// The kind that was expected.
        expected: TokenUse,
        /// The token's `token_use`, shortened.
        found: String,
    },
    /// The ID token's `aud` is another app client of the pool. Check
    /// `cognito.client_id`.
    #[error("The ID token is for app client {found} but this app is client {expected}.")]
    WrongAudience {
        /// The token's `aud`, shortened.
        found: String,
        /// The configured app client id.
        expected: String,
    },
    /// The access token's `client_id` is another app client of the pool.
    /// Check `cognito.client_id`.
    #[error("The access token is for app client {found} but this app is client {expected}.")]
    WrongClientId {
        /// The token's `client_id`, shortened.
        found: String,
        /// The configured app client id.
        expected: String,
    },
    /// Past its `exp` by more than the leeway. The session refreshes it; if
    /// this keeps happening right after a refresh, the device clock is fast.
    #[error(
        "The {kind} expired at {exp} (now {now}, leeway {leeway_secs} s); if the device clock is wrong, correct it."
    )]
    Expired {
        /// Which token it was.
        kind: TokenUse,
        /// The token's `exp`, in seconds since the Unix epoch.
        exp: u64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: u64,
        /// The tolerance allowed for clock differences, in seconds.
        leeway_secs: u64,
    },
    /// Before its `nbf` by more than the leeway: the device clock is slow.
    #[error(
        "The {kind} is not valid before {nbf} (now {now}, leeway {leeway_secs} s); check the device clock."
    )]
    NotYetValid {
        /// Which token it was.
        kind: TokenUse,
        /// The token's `nbf`, in seconds since the Unix epoch.
        nbf: u64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: u64,
        /// The tolerance allowed for clock differences, in seconds.
        leeway_secs: u64,
    },
    /// Its `iat` is later than now by more than the leeway: the device clock
    /// is slow.
    #[error(
        "The {kind} was issued at {iat}, later than now ({now}, leeway {leeway_secs} s); check the device clock."
    )]
    IssuedInFuture {
        /// Which token it was.
        kind: TokenUse,
        /// The token's `iat`, in seconds since the Unix epoch.
        iat: u64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: u64,
        /// The tolerance allowed for clock differences, in seconds.
        leeway_secs: u64,
    },
    /// The pair does not belong together: their `sub` claims differ.
    /// Never trust either; sign in again.
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
