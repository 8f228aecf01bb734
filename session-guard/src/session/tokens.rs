//! The token set the driver hands to the core.
//!
//! The driver parses and verifies the JWTs (it has the JWKS and a JWT
//! library); the core only needs the times, so they arrive already extracted
//! and the token values stay opaque [`Secret`]s.

use std::time::Duration;

use super::secret::Secret;
use super::skew::ClockOffset;
use super::time::Millis;
use super::user::SessionUser;
use crate::json::{FromJson, Json, JsonError, ToJson};

/// Upper bound of the safety margin before expiry within which tokens are no
/// longer handed out. It covers the two ways the clock-offset measurement can
/// be late: `iat` truncated to whole seconds and the network latency of the
/// response that carried it.
pub const MAX_EXPIRY_MARGIN: Duration = Duration::from_secs(2);

/// ID, access and refresh tokens from one answer of the identity provider.
///
/// All instants here are on the **provider's** clock, exactly as in the JWT
/// claims (convert with [`Millis::from_unix_secs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSet {
    /// The ID token: who the user is.
    pub id_token: Secret,
    /// The access token: what the bearer may do.
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
    /// Whose tokens these are, from the verified ID token.
    pub user: SessionUser,
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

    /// Whether `self` should replace `other`: the one rule for "newer
    /// tokens", used for answers, other tabs' messages and storage alike.
    ///
    /// Later issue (then later expiry) wins. Two refreshes in the same
    /// second give equal times (`iat` has whole seconds), so the tie is
    /// broken by the ID token's bytes: every tab then settles on the same
    /// set, and a set never supersedes itself.
    pub fn supersedes(&self, other: &TokenSet) -> bool {
        let key = |t: &TokenSet| (t.issued_at, t.expires_at);
        match key(self).cmp(&key(other)) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                self.id_token.expose().as_bytes() > other.id_token.expose().as_bytes()
            }
        }
    }

    /// Whether `self` holds the same ID and access tokens as `other`
    /// (compared by value; the times may differ if one was edited).
    pub fn same_tokens_as(&self, other: &TokenSet) -> bool {
        self.id_token == other.id_token && self.access_token == other.access_token
    }
}

/// Stored and sent inside [`crate::session::SessionSnapshot`]; a missing
/// `refresh_token` is `None`, every other field is required.
impl FromJson for TokenSet {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let tokens = value.object_or_err()?;
        Ok(TokenSet {
            id_token: tokens.field("id_token")?,
            access_token: tokens.field("access_token")?,
            refresh_token: tokens.field("refresh_token")?,
            issued_at: tokens.field("issued_at")?,
            expires_at: tokens.field("expires_at")?,
            auth_time: tokens.field("auth_time")?,
            user: tokens.field("user")?,
        })
    }
}

impl ToJson for TokenSet {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("id_token", self.id_token.to_json()),
            ("access_token", self.access_token.to_json()),
            ("refresh_token", self.refresh_token.to_json()),
            ("issued_at", self.issued_at.to_json()),
            ("expires_at", self.expires_at.to_json()),
            ("auth_time", self.auth_time.to_json()),
            ("user", self.user.to_json()),
        ])
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::session::user::fixtures::user;

    /// A token set issued at provider instant `iat` for `lifetime`.
    pub fn tokens(iat: Millis, lifetime: Duration, auth_time: Millis) -> TokenSet {
        TokenSet {
            id_token: Secret::new(format!("id-{}", iat.0)),
            access_token: Secret::new(format!("access-{}", iat.0)),
            refresh_token: Some(Secret::new(format!("refresh-{}", auth_time.0))),
            issued_at: iat,
            expires_at: iat.plus(lifetime),
            auth_time,
            user: user("alice"),
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
    fn newer_tokens_supersede_by_issue_then_expiry() {
        let a = tokens(Millis(0), 60 * MIN, Millis(0));
        let b = tokens(Millis(1000), 60 * MIN, Millis(0));
        assert!(b.supersedes(&a));
        assert!(!a.supersedes(&b));
        // Same issue time, later expiry: the expiry decides, not the bytes.
        let mut longer = a.clone();
        longer.expires_at = a.expires_at.plus(MIN);
        longer.id_token = Secret::new("");
        assert!(longer.supersedes(&a));
        assert!(!a.supersedes(&longer));
    }

    #[test]
    fn a_token_set_never_supersedes_itself() {
        let a = tokens(Millis(0), 60 * MIN, Millis(0));
        assert!(!a.supersedes(&a));
        assert!(!a.clone().supersedes(&a));
    }

    #[test]
    fn two_refreshes_in_the_same_second_settle_on_one_set() {
        // Same iat and exp, different tokens: exactly one supersedes the
        // other, so two tabs that each got one converge on the same set.
        let a = tokens(Millis(5_000), 60 * MIN, Millis(0));
        let mut b = a.clone();
        b.id_token = Secret::new("id-5000-second-answer");
        b.access_token = Secret::new("access-5000-second-answer");
        assert!(a.supersedes(&b) != b.supersedes(&a));
        let winner = if a.supersedes(&b) { &a } else { &b };
        let loser = if a.supersedes(&b) { &b } else { &a };
        assert!(!loser.supersedes(winner));
    }
}
