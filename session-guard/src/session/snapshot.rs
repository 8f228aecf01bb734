//! The session state that outlives a page: persisted by the driver and
//! shared with other tabs.
//!
//! It carries the last activity instant so that a reload cannot reset the
//! idle clock, the earliest `auth_time` so that a refresh (or an emulator
//! resetting `auth_time`) cannot move the session end, and the clock offset
//! measured when the tokens arrived, because restored tokens are old and
//! their `iat` no longer says anything about the clock.
//!
//! A snapshot read from storage or received from another tab is a *claim*:
//! anything on the origin (or an older version of the app) may have written
//! it. [`SessionSnapshot::believe`] is the one place that decides what of a
//! claim the core accepts.

use super::skew::ClockOffset;
use super::time::Millis;
use super::tokens::TokenSet;
use crate::json::{FromJson, Json, JsonError, ToJson};

/// A session as stored and as sent between tabs: its tokens and the
/// instants the core needs to go on with it after a reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSnapshot {
    /// The tokens in hand.
    pub tokens: TokenSet,
    /// `auth_time` of the original sign-in (provider clock): the earliest
    /// seen in this session.
    pub session_started_at: Millis,
    /// Provider minus local clock, measured at the last token receipt.
    pub clock_offset: ClockOffset,
    /// Last user activity in any tab (local clock).
    pub last_activity: Millis,
}

impl SessionSnapshot {
    /// What the core believes of this claimed snapshot, given `verified`:
    /// the token set the driver rebuilt from the claimed tokens after
    /// checking their signatures and claims (times and user taken from the
    /// verified claims, never from the claim's fields).
    ///
    /// `None` when `verified` is not the claimed ID and access token (the
    /// driver verified something else). Otherwise a stored value can only
    /// make the session shorter, never longer:
    /// - the tokens' times and user are the verified ones;
    /// - the start is the earlier of the claimed start and the verified
    ///   `auth_time` (Cognito keeps `auth_time` across refreshes, so a start
    ///   moved later changes nothing; emulators reset it on refresh, which is
    ///   why the claimed start may still be earlier);
    /// - the clock offset is at least the one that places the verified `iat`
    ///   at `now` (a token cannot come from the provider's future), which
    ///   bounds how far an edited offset can move local deadlines later;
    /// - the last activity is not after `now`.
    ///
    /// The refresh token is opaque and cannot be checked here: the provider
    /// checks it on the next refresh, and refuses a forged one.
    pub fn believe(self, verified: &TokenSet, now: Millis) -> Option<SessionSnapshot> {
        if !self.tokens.same_tokens_as(verified) {
            return None;
        }
        let tokens = TokenSet {
            refresh_token: self.tokens.refresh_token,
            ..verified.clone()
        };
        Some(SessionSnapshot {
            session_started_at: self.session_started_at.min(verified.auth_time),
            clock_offset: self
                .clock_offset
                .max(ClockOffset::at_least(verified.issued_at, now)),
            last_activity: self.last_activity.min(now),
            tokens,
        })
    }
}

/// The stored session and the session offered to other tabs. Every field
/// is required.
impl FromJson for SessionSnapshot {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let snapshot = value.object_or_err()?;
        Ok(SessionSnapshot {
            tokens: snapshot.field("tokens")?,
            session_started_at: snapshot.field("session_started_at")?,
            clock_offset: snapshot.field("clock_offset")?,
            last_activity: snapshot.field("last_activity")?,
        })
    }
}

impl ToJson for SessionSnapshot {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("tokens", self.tokens.to_json()),
            ("session_started_at", self.session_started_at.to_json()),
            ("clock_offset", self.clock_offset.to_json()),
            ("last_activity", self.last_activity.to_json()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::session::Secret;
    use crate::session::tokens::fixtures::tokens;
    use crate::session::user::fixtures::user;

    const MIN: Duration = Duration::from_secs(60);
    const HOUR_MS: i64 = 3_600_000;

    fn genuine() -> TokenSet {
        tokens(Millis(10 * HOUR_MS), 60 * MIN, Millis(9 * HOUR_MS))
    }

    fn claim_of(tokens: TokenSet) -> SessionSnapshot {
        SessionSnapshot {
            session_started_at: tokens.auth_time,
            clock_offset: ClockOffset(0),
            last_activity: tokens.issued_at,
            tokens,
        }
    }

    #[test]
    fn a_claimed_start_moved_later_does_not_move_the_session_end() {
        let mut claim = claim_of(genuine());
        claim.session_started_at = Millis(10 * HOUR_MS);
        claim.tokens.auth_time = Millis(10 * HOUR_MS);
        let believed = claim.believe(&genuine(), Millis(10 * HOUR_MS)).unwrap();
        assert_eq!(believed.session_started_at, Millis(9 * HOUR_MS));
        assert_eq!(believed.tokens.auth_time, Millis(9 * HOUR_MS));
    }

    #[test]
    fn a_claimed_start_earlier_than_auth_time_is_kept() {
        // Emulators reset auth_time on refresh: the earlier stored start wins.
        let mut claim = claim_of(genuine());
        claim.session_started_at = Millis(8 * HOUR_MS);
        let believed = claim.believe(&genuine(), Millis(10 * HOUR_MS)).unwrap();
        assert_eq!(believed.session_started_at, Millis(8 * HOUR_MS));
    }

    #[test]
    fn token_times_and_user_come_from_the_verified_claims() {
        let mut claim = claim_of(genuine());
        claim.tokens.expires_at = claim.tokens.expires_at.plus(24 * 60 * MIN);
        claim.tokens.issued_at = claim.tokens.issued_at.plus(60 * MIN);
        claim.tokens.user = user("mallory");
        let believed = claim.believe(&genuine(), Millis(10 * HOUR_MS)).unwrap();
        assert_eq!(believed.tokens.expires_at, genuine().expires_at);
        assert_eq!(believed.tokens.issued_at, genuine().issued_at);
        assert_eq!(believed.tokens.user, genuine().user);
    }

    #[test]
    fn the_refresh_token_is_carried_from_the_claim() {
        let mut claim = claim_of(genuine());
        claim.tokens.refresh_token = Some(Secret::new("stored-refresh"));
        let believed = claim.believe(&genuine(), Millis(10 * HOUR_MS)).unwrap();
        assert_eq!(
            believed.tokens.refresh_token,
            Some(Secret::new("stored-refresh"))
        );
    }

    #[test]
    fn a_claim_whose_tokens_were_not_the_verified_ones_is_not_believed() {
        let mut claim = claim_of(genuine());
        claim.tokens.id_token = Secret::new("another-id-token");
        assert!(claim.believe(&genuine(), Millis(10 * HOUR_MS)).is_none());
        let mut claim = claim_of(genuine());
        claim.tokens.access_token = Secret::new("another-access-token");
        assert!(claim.believe(&genuine(), Millis(10 * HOUR_MS)).is_none());
    }

    #[test]
    fn a_claimed_offset_cannot_place_the_tokens_in_the_providers_future() {
        // Issued at provider 10:00, now local 10:30 on a correct clock: the
        // offset is at least -30 min whatever the claim says.
        let mut claim = claim_of(genuine());
        claim.clock_offset = ClockOffset(-10 * HOUR_MS);
        let now = Millis(10 * HOUR_MS + HOUR_MS / 2);
        let believed = claim.believe(&genuine(), now).unwrap();
        assert_eq!(believed.clock_offset, ClockOffset(-HOUR_MS / 2));
        // A larger offset only makes deadlines earlier and is kept.
        let mut claim = claim_of(genuine());
        claim.clock_offset = ClockOffset(HOUR_MS);
        assert_eq!(
            claim.believe(&genuine(), now).unwrap().clock_offset,
            ClockOffset(HOUR_MS)
        );
    }

    #[test]
    fn a_claimed_last_activity_in_the_future_is_now() {
        let mut claim = claim_of(genuine());
        claim.last_activity = Millis(20 * HOUR_MS);
        let now = Millis(10 * HOUR_MS + 1);
        assert_eq!(claim.believe(&genuine(), now).unwrap().last_activity, now);
    }
}
