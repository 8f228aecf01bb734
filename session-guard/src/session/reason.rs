//! Why the user was signed out.
//!
//! A sign-in page that says nothing leaves the user guessing whether they
//! did something wrong or lost their work. Every sign-out carries a reason,
//! which the driver persists so the sign-in page can explain it.

use std::fmt;
use std::str::FromStr;

use crate::json::{FromJson, Json, JsonError, ToJson};

/// Why a session ended in this tab. Its [`message`](Self::message) is what
/// the sign-in page tells the user; its key (`Display`, [`FromStr`]) is
/// what is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignOutReason {
    /// The user pressed "Sign out".
    User,
    /// The user pressed "Sign out and delete my drafts" (a shared
    /// computer): every draft of theirs on this device was deleted.
    UserDeletedDrafts,
    /// No activity in any tab for the idle timeout.
    Idle,
    /// The session's hard end was too close to start new work
    /// (at page load or on return from idle).
    SessionEndingSoon,
    /// The session's hard end passed.
    SessionEnded,
    /// The identity provider definitely refused the refresh (revoked,
    /// expired or reused refresh token).
    RefreshRejected,
    /// The user signed out in another tab of the app.
    SignedOutInAnotherTab,
    /// A different user signed in in another tab of this browser; this
    /// tab's work was kept for the user who was signed in here.
    OtherUserSignedIn,
    /// The stored session failed verification at page load (altered,
    /// signed by an unknown key, or for another app) and was cleared.
    StoredSessionRefused,
    /// The stored session could not be checked at page load (the pool's
    /// signing keys could not be downloaded); it is kept for a later try.
    StoredSessionUnchecked,
}

impl SignOutReason {
    /// Every reason.
    pub const ALL: [SignOutReason; 10] = [
        SignOutReason::User,
        SignOutReason::UserDeletedDrafts,
        SignOutReason::Idle,
        SignOutReason::SessionEndingSoon,
        SignOutReason::SessionEnded,
        SignOutReason::RefreshRejected,
        SignOutReason::SignedOutInAnotherTab,
        SignOutReason::OtherUserSignedIn,
        SignOutReason::StoredSessionRefused,
        SignOutReason::StoredSessionUnchecked,
    ];

    /// Stable key for storage and URLs. Never change one: a stored key must
    /// still parse after an upgrade.
    pub fn key(self) -> &'static str {
        match self {
            SignOutReason::User => "user",
            SignOutReason::UserDeletedDrafts => "user_deleted_drafts",
            SignOutReason::Idle => "idle",
            SignOutReason::SessionEndingSoon => "session_ending_soon",
            SignOutReason::SessionEnded => "session_ended",
            SignOutReason::RefreshRejected => "refresh_rejected",
            SignOutReason::SignedOutInAnotherTab => "signed_out_in_another_tab",
            SignOutReason::OtherUserSignedIn => "other_user_signed_in",
            SignOutReason::StoredSessionRefused => "stored_session_refused",
            SignOutReason::StoredSessionUnchecked => "stored_session_unchecked",
        }
    }

    /// The sentence for the sign-in page. `idle_timeout` is the configured
    /// idle timeout, named in the idle message when known.
    pub fn message(self, idle_timeout: Option<std::time::Duration>) -> String {
        match self {
            SignOutReason::User => "You signed out.".to_owned(),
            SignOutReason::UserDeletedDrafts => {
                "You signed out, and your unsaved drafts were deleted from this device.".to_owned()
            }
            SignOutReason::Idle => match idle_timeout {
                Some(t) => format!(
                    "You were signed out after {} without activity.",
                    human_minutes(t)
                ),
                None => "You were signed out after a period without activity.".to_owned(),
            },
            SignOutReason::SessionEndingSoon => {
                "Your session was about to end, so you were signed out before starting new work. \
                 Sign in again to start a fresh session."
                    .to_owned()
            }
            SignOutReason::SessionEnded => {
                "Your session reached its maximum length. Please sign in again.".to_owned()
            }
            SignOutReason::RefreshRejected => {
                "Your session is no longer valid. Please sign in again.".to_owned()
            }
            SignOutReason::SignedOutInAnotherTab => "You signed out in another tab.".to_owned(),
            SignOutReason::OtherUserSignedIn => {
                "Someone else signed in in another tab of this browser, so you were signed out \
                 here. Your unsaved work was kept for you: sign in again to get it back."
                    .to_owned()
            }
            SignOutReason::StoredSessionRefused => {
                "Your saved session could not be verified (it was altered or is not from this \
                 app's user pool) and was removed. Please sign in again."
                    .to_owned()
            }
            SignOutReason::StoredSessionUnchecked => {
                "Your saved session could not be checked because the sign-in service is not \
                 reachable. Reload the page when you are back online, or sign in again."
                    .to_owned()
            }
        }
    }

    /// The reason this tab records when another tab broadcasts a sign-out
    /// for `self`: a user sign-out elsewhere is "signed out in another tab",
    /// while idle, session end and rejection describe the shared session and
    /// keep their reason. So does a sign-out that deleted the user's drafts:
    /// they are gone from every tab, and the sign-in page must say so.
    pub fn as_seen_from_another_tab(self) -> SignOutReason {
        match self {
            SignOutReason::User => SignOutReason::SignedOutInAnotherTab,
            other => other,
        }
    }
}

impl SignOutReason {
    /// Whether this sign-out deletes the user's drafts from the device
    /// instead of keeping (and first flushing) them.
    pub fn deletes_drafts(self) -> bool {
        self == SignOutReason::UserDeletedDrafts
    }
}

fn human_minutes(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs.is_multiple_of(60) && secs > 0 {
        let m = secs / 60;
        if m == 1 {
            "1 minute".to_owned()
        } else {
            format!("{m} minutes")
        }
    } else if secs == 1 {
        "1 second".to_owned()
    } else {
        format!("{secs} seconds")
    }
}

impl fmt::Display for SignOutReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A stored reason key that this version does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign-out reason {0:?}")]
pub struct UnknownSignOutReason(
    /// The key as stored.
    pub String,
);

impl FromStr for SignOutReason {
    type Err = UnknownSignOutReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SignOutReason::ALL
            .into_iter()
            .find(|r| r.key() == s)
            .ok_or_else(|| UnknownSignOutReason(s.to_owned()))
    }
}

/// Sent to other tabs as its [`SignOutReason::key`].
impl FromJson for SignOutReason {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let key = value.as_str().ok_or(JsonError::not_a("a string"))?;
        key.parse()
            .map_err(|_| JsonError::invalid("not a sign-out reason this app knows"))
    }
}

impl ToJson for SignOutReason {
    fn to_json(&self) -> Json {
        self.key().to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn keys_round_trip_and_are_unique() {
        for r in SignOutReason::ALL {
            assert_eq!(r.key().parse::<SignOutReason>(), Ok(r));
        }
        let mut keys: Vec<_> = SignOutReason::ALL.iter().map(|r| r.key()).collect();
        keys.dedup();
        assert_eq!(keys.len(), SignOutReason::ALL.len());
        assert!("nope".parse::<SignOutReason>().is_err());
    }

    #[test]
    fn idle_message_names_the_timeout() {
        assert_eq!(
            SignOutReason::Idle.message(Some(Duration::from_secs(15 * 60))),
            "You were signed out after 15 minutes without activity."
        );
        assert_eq!(
            SignOutReason::Idle.message(Some(Duration::from_secs(30))),
            "You were signed out after 30 seconds without activity."
        );
    }

    #[test]
    fn every_reason_has_a_distinct_message() {
        let msgs: std::collections::HashSet<_> =
            SignOutReason::ALL.iter().map(|r| r.message(None)).collect();
        assert_eq!(msgs.len(), SignOutReason::ALL.len());
    }

    #[test]
    fn only_the_delete_my_drafts_sign_out_deletes_drafts_and_it_says_so_everywhere() {
        let deleting: Vec<_> = SignOutReason::ALL
            .into_iter()
            .filter(|r| r.deletes_drafts())
            .collect();
        assert_eq!(deleting, vec![SignOutReason::UserDeletedDrafts]);
        let message = SignOutReason::UserDeletedDrafts.message(None);
        assert!(message.contains("deleted from this device"), "{message}");
        assert!(!message.contains("kept"), "{message}");
        assert_eq!(
            SignOutReason::UserDeletedDrafts.as_seen_from_another_tab(),
            SignOutReason::UserDeletedDrafts
        );
    }

    #[test]
    fn a_user_sign_out_elsewhere_is_named_as_such() {
        assert_eq!(
            SignOutReason::User.as_seen_from_another_tab(),
            SignOutReason::SignedOutInAnotherTab
        );
        assert_eq!(
            SignOutReason::Idle.as_seen_from_another_tab(),
            SignOutReason::Idle
        );
    }

    #[test]
    fn written_as_its_stable_key_and_read_back() {
        for r in SignOutReason::ALL {
            let text = crate::json::to_string(&r);
            assert_eq!(text, format!("\"{}\"", r.key()));
            assert_eq!(crate::json::from_str::<SignOutReason>(&text), Ok(r));
        }
        let unknown = crate::json::from_str::<SignOutReason>(r#""SessionEnded""#).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "the value: not a sign-out reason this app knows"
        );
        assert!(crate::json::from_str::<SignOutReason>("3").is_err());
    }
}
