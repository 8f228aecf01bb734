//! The token set the driver hands to the core.
//!
//! The driver parses and verifies the JWTs (it has the JWKS and a JWT
//! library); the core only needs the times, so they arrive already extracted
//! and the token values stay opaque [`Secret`]s.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::secret::Secret;
use super::skew::ClockOffset;
use super::time::Millis;

/// Upper bound of the safety margin before expiry within which tokens are no
/// longer handed out. It covers the two ways the clock-offset measurement can
/// be late: `iat` truncated to whole seconds and the network latency of the
/// response that carried it.
pub const MAX_EXPIRY_MARGIN: Duration = Duration::from_secs(2);

/// ID, access and refresh tokens from one answer of the identity provider.
///
/// All instants here are on the **provider's** clock, exactly as in the JWT
/// claims (convert with [`Millis::from_unix_secs`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub id_token: Secret,
    pub access_token: Secret,
    /// Cognito's refresh answer omits the refresh token unless rotation is
    /// on; `None` then means "keep the one we have".
    pub refresh_token: Option<Secret>,
    /// `iat` of the ID token (provider clock).
    pub issued_at: Millis,
    /// The earlier `exp` of the ID and access tokens (provider clock).
    pub expires_at: Millis,
    /// `auth_time`: when the user signed in (provider clock). Cognito keeps
    /// it across refreshes; emulators reset it, so the core keeps the
    /// earliest one it saw for the session.
    pub auth_time: Millis,
}

impl TokenSet {
    /// How long these tokens were issued for.
    pub fn lifetime(&self) -> Duration {
        self.issued_at.until(self.expires_at)
    }

    /// How long before expiry the tokens stop being handed out: at most
    /// [`MAX_EXPIRY_MARGIN`], and a tenth of the lifetime for the very short
    /// tokens of emulator tests.
    pub fn expiry_margin(&self) -> Duration {
        MAX_EXPIRY_MARGIN.min(self.lifetime() / 10)
    }

    /// The instant on the local clock at which these tokens expire.
    pub fn expires_at_local(&self, offset: ClockOffset) -> Millis {
        offset.to_local(self.expires_at)
    }

    /// Whether the tokens can still be sent at local instant `now`.
    pub fn usable_at(&self, now: Millis, offset: ClockOffset) -> bool {
        now.plus(self.expiry_margin()) < self.expires_at_local(offset)
    }

    /// This answer completed by what the previous set had: a refresh answer
    /// without a refresh token keeps the old refresh token.
    pub fn completed_from(mut self, previous: &TokenSet) -> TokenSet {
        if self.refresh_token.is_none() {
            self.refresh_token = previous.refresh_token.clone();
        }
        self
    }

    /// Whether `self` was issued after `other` (a fresher answer).
    pub fn is_newer_than(&self, other: &TokenSet) -> bool {
        (self.issued_at, self.expires_at) > (other.issued_at, other.expires_at)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A token set issued at provider instant `iat` for `lifetime`.
    pub fn tokens(iat: Millis, lifetime: Duration, auth_time: Millis) -> TokenSet {
        TokenSet {
            id_token: Secret::new(format!("id-{}", iat.0)),
            access_token: Secret::new(format!("access-{}", iat.0)),
            refresh_token: Some(Secret::new(format!("refresh-{}", auth_time.0))),
            issued_at: iat,
            expires_at: iat.plus(lifetime),
            auth_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::tokens;
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn debug_output_redacts_every_token() {
        let t = tokens(Millis(1_000), 60 * MIN, Millis(1_000));
        let printed = format!("{t:?}");
        assert!(!printed.contains("id-1000"), "{printed}");
        assert!(!printed.contains("access-1000"), "{printed}");
        assert!(!printed.contains("refresh-1000"), "{printed}");
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn usable_until_the_margin_before_expiry() {
        let t = tokens(Millis(0), 60 * MIN, Millis(0));
        let exp = 3_600_000;
        let offset = ClockOffset(0);
        assert!(t.usable_at(Millis(exp - 2_001), offset));
        assert!(!t.usable_at(Millis(exp - 2_000), offset));
        assert!(!t.usable_at(Millis(exp), offset));
    }

    #[test]
    fn usable_follows_the_provider_clock() {
        let t = tokens(Millis(0), 60 * MIN, Millis(0));
        // Local clock is an hour ahead: offset = -1h, expiry is at local 2h.
        let offset = ClockOffset(-3_600_000);
        assert!(t.usable_at(Millis(3_600_000 + 60_000), offset));
        assert!(!t.usable_at(Millis(7_200_000), offset));
    }

    #[test]
    fn short_test_tokens_get_a_proportional_margin() {
        let t = tokens(Millis(0), Duration::from_secs(10), Millis(0));
        assert_eq!(t.expiry_margin(), Duration::from_secs(1));
        let t = tokens(Millis(0), 60 * MIN, Millis(0));
        assert_eq!(t.expiry_margin(), MAX_EXPIRY_MARGIN);
    }

    #[test]
    fn refresh_answer_without_refresh_token_keeps_the_old_one() {
        let old = tokens(Millis(0), 60 * MIN, Millis(0));
        let mut new = tokens(Millis(10), 60 * MIN, Millis(10));
        new.refresh_token = None;
        let merged = new.completed_from(&old);
        assert_eq!(merged.refresh_token, old.refresh_token);
        let rotated = tokens(Millis(10), 60 * MIN, Millis(10)).completed_from(&old);
        assert_ne!(rotated.refresh_token, old.refresh_token);
    }

    #[test]
    fn newer_is_by_issue_time() {
        let a = tokens(Millis(0), 60 * MIN, Millis(0));
        let b = tokens(Millis(1), 60 * MIN, Millis(0));
        assert!(b.is_newer_than(&a));
        assert!(!a.is_newer_than(&b));
        assert!(!a.is_newer_than(&a));
    }
}
