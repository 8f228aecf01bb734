//! Token bundles: as issued by Cognito, and after verification.

use super::claims::{AccessClaims, IdClaims};
use super::secret::Secret;

/// The tokens of one successful sign-in or renewal, not yet verified.
///
/// `refresh_token` is always the one to store from now on: a fresh one after
/// sign-in or rotation, the one that was presented after a plain
/// REFRESH_TOKEN_AUTH (which issues none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// The ID token (a JWT).
    pub id_token: Secret,
    /// The access token (a JWT).
    pub access_token: Secret,
    /// The opaque refresh token to keep (see above).
    pub refresh_token: Secret,
    /// Lifetime of the access token in seconds, when Cognito says it
    /// (cognito-local does not); the token's own `exp` is authoritative.
    pub expires_in: Option<u64>,
    /// Usually `Bearer`; absent from cognito-local.
    pub token_type: Option<String>,
}

/// Tokens whose signatures and claims passed every check, with the decoded
/// claims the UI and the session core work from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTokens {
    /// The ID token's claims.
    pub id: IdClaims,
    /// The access token's claims.
    pub access: AccessClaims,
    /// The ID token as sent, for `Authorization` headers.
    pub id_token: Secret,
    /// The access token as sent.
    pub access_token: Secret,
    /// The refresh token that came with them (opaque; not verifiable).
    pub refresh_token: Secret,
}
