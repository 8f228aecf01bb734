//! Vocabulary of the token refresh exchange between core and driver.

use std::fmt;

/// Tags each refresh the core asks for. The driver echoes it in the answer,
/// so a late answer to a refresh the core has since given up on (another tab
/// refreshed, the user signed out, a newer attempt started) is recognised
/// and ignored.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Generation(pub u64);

impl fmt::Debug for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Generation({})", self.0)
    }
}

/// Why a refresh failed, as far as the driver can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefreshError {
    /// No answer: offline, DNS, timeout, CORS, connection reset.
    Network,
    /// The provider answered 5xx or throttled (429 / TooManyRequests).
    Server,
    /// `NotAuthorizedException`: refresh token expired or revoked.
    NotAuthorized,
    /// The refresh token was already used (rotation reuse detection).
    RefreshTokenReuse,
}

impl RefreshError {
    /// Whether the provider definitely refused: only then is the session
    /// over. Anything else is transient and retried with the tokens kept.
    pub fn is_definite_rejection(self) -> bool {
        matches!(
            self,
            RefreshError::NotAuthorized | RefreshError::RefreshTokenReuse
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_provider_refusals_are_definite() {
        assert!(!RefreshError::Network.is_definite_rejection());
        assert!(!RefreshError::Server.is_definite_rejection());
        assert!(RefreshError::NotAuthorized.is_definite_rejection());
        assert!(RefreshError::RefreshTokenReuse.is_definite_rejection());
    }
}
