//! The `exp` / `iat` check, separate from signature and claim checks because
//! the session core runs it again with its skew-corrected clock.

use super::claims::{AccessClaims, IdClaims, TokenUse};
use super::token_error::TokenError;

/// Fails if the token is expired at `now_secs` or issued after it, each with
/// `leeway_secs` of tolerance. All times are seconds since the Unix epoch.
pub fn check_token_times(
    kind: TokenUse,
    iat: u64,
    exp: u64,
    now_secs: u64,
    leeway_secs: u64,
) -> Result<(), TokenError> {
    if now_secs >= exp.saturating_add(leeway_secs) {
        return Err(TokenError::Expired {
            kind,
            exp,
            now: now_secs,
            leeway_secs,
        });
    }
    if iat > now_secs.saturating_add(leeway_secs) {
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
        check_token_times(TokenUse::Id, self.iat, self.exp, now_secs, leeway_secs)
    }
}

impl AccessClaims {
    /// [`check_token_times`] for this access token, e.g. with a server-corrected `now`.
    pub fn check_times(&self, now_secs: u64, leeway_secs: u64) -> Result<(), TokenError> {
        check_token_times(TokenUse::Access, self.iat, self.exp, now_secs, leeway_secs)
    }
}
