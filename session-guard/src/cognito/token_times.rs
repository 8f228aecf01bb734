//! The time rules of a token (`exp`, `nbf`, `iat`), separate from signature
//! and claim checks because the session core runs them again with its
//! skew-corrected clock.
//!
//! The boundaries, the same for the app and the notes API (RFC 7519 §4.1.4
//! and §4.1.5), each widened by the same leeway:
//! - expired when `now >= exp + leeway`: a token is valid only *before* its
//!   `exp`, so at exactly `exp + leeway` it is already refused;
//! - not yet valid when `now + leeway < nbf`: valid from `nbf` on (the claim
//!   is optional; Cognito does not set it);
//! - issued in the future when `now + leeway < iat`.
//!
//! All times are whole seconds since the Unix epoch.

use super::claims::{AccessClaims, IdClaims, TokenUse};
use super::token_error::TokenError;

/// The time claims of one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenTimes {
    /// When the token was issued (`iat`), in seconds since the epoch.
    pub iat: u64,
    /// When the token expires (`exp`), in seconds since the epoch.
    pub exp: u64,
    /// `nbf`, when the token has one.
    pub nbf: Option<u64>,
}

/// Fails if the token is expired at `now_secs`, not valid yet, or issued
/// after `now_secs`, each with `leeway_secs` of tolerance (the boundaries are
/// in the module documentation).
pub fn check_token_times(
    kind: TokenUse,
    times: TokenTimes,
    now_secs: u64,
    leeway_secs: u64,
) -> Result<(), TokenError> {
    let TokenTimes { iat, exp, nbf } = times;
    if now_secs >= exp.saturating_add(leeway_secs) {
        return Err(TokenError::Expired {
            kind,
            exp,
            now: now_secs,
            leeway_secs,
        });
    }
    if let Some(nbf) = nbf
        && now_secs.saturating_add(leeway_secs) < nbf
    {
        return Err(TokenError::NotYetValid {
            kind,
            nbf,
            now: now_secs,
            leeway_secs,
        });
    }
    if now_secs.saturating_add(leeway_secs) < iat {
        return Err(TokenError::IssuedInFuture {
            kind,
            iat,
            now: now_secs,
            leeway_secs,
        });
    }
    Ok(())
}

impl IdClaims {
    /// [`check_token_times`] for this ID token, e.g. with a server-corrected `now`.
    pub fn check_times(&self, now_secs: u64, leeway_secs: u64) -> Result<(), TokenError> {
        let times = TokenTimes {
            iat: self.iat,
            exp: self.exp,
            nbf: self.nbf,
        };
        check_token_times(TokenUse::Id, times, now_secs, leeway_secs)
    }
}

impl AccessClaims {
    /// [`check_token_times`] for this access token, e.g. with a server-corrected `now`.
    pub fn check_times(&self, now_secs: u64, leeway_secs: u64) -> Result<(), TokenError> {
        let times = TokenTimes {
            iat: self.iat,
            exp: self.exp,
            nbf: self.nbf,
        };
        check_token_times(TokenUse::Access, times, now_secs, leeway_secs)
    }
}
