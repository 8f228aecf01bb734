//! Messages between tabs of the same browser profile.
//!
//! Several tabs are one session: each runs its own machine, and what one
//! learns the others must too. The driver sends [`TabMessage`]s over a
//! `BroadcastChannel` and feeds received ones back as
//! [`crate::session::input::Input::FromTab`].

use serde::{Deserialize, Serialize};

use super::reason::SignOutReason;
use super::snapshot::SessionSnapshot;
use super::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TabMessage {
    /// A tab refreshed the tokens; the others adopt them instead of
    /// refreshing themselves.
    TokensRefreshed { snapshot: SessionSnapshot },
    /// User activity at `at` (local clock); throttled by the sender.
    Activity { at: Millis },
    /// A new session started (sign-in or re-authentication in place).
    SignedIn { snapshot: SessionSnapshot },
    /// The session that started at `session_started_at` (provider clock)
    /// ended in the sending tab. A tab that has signed in anew since then
    /// keeps its newer session: the message is about an older one.
    SignedOut {
        reason: SignOutReason,
        session_started_at: Millis,
    },
    /// "Stay signed in" was pressed at `at`: counts as activity everywhere
    /// and dismisses the idle warning everywhere.
    SessionExtended { at: Millis },
}
