//! Messages between tabs of the same browser profile.
//!
//! Several tabs are one session: each runs its own machine, and what one
//! learns the others must too. The driver sends [`TabMessage`]s over a
//! `BroadcastChannel` and feeds received ones to its own machine.

use super::reason::SignOutReason;
use super::snapshot::SessionSnapshot;
use super::time::Millis;
use crate::json::{FromJson, Json, JsonError, ToJson};

/// One message over the app's `BroadcastChannel`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TabMessage {
    /// A tab refreshed the tokens; the others adopt them instead of
    /// refreshing themselves.
    TokensRefreshed {
        /// The session with the new tokens.
        snapshot: SessionSnapshot,
    },
    /// User activity at `at` (local clock); throttled by the sender.
    Activity {
        /// When (ms since the epoch, local clock).
        at: Millis,
    },
    /// A new session started (sign-in or re-authentication in place).
    SignedIn {
        /// The new session.
        snapshot: SessionSnapshot,
    },
    /// The session that started at `session_started_at` (provider clock)
    /// ended in the sending tab. A tab that has signed in anew since then
    /// keeps its newer session: the message is about an older one.
    SignedOut {
        /// Why it ended.
        reason: SignOutReason,
        /// The ended session's `auth_time` (ms, provider clock).
        session_started_at: Millis,
    },
    /// "Stay signed in" was pressed at `at`: counts as activity everywhere
    /// and dismisses the idle warning everywhere.
    SessionExtended {
        /// When (ms since the epoch, local clock).
        at: Millis,
    },
}

/// Written as `{"Variant": {fields}}`, which tabs running an earlier build
/// of the app read and write too.
impl FromJson for TabMessage {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let Some((name, Some(Json::Object(fields)))) = value.as_tagged() else {
            return Err(JsonError::not_a("a message between tabs"));
        };
        let message = match name {
            "TokensRefreshed" => fields
                .field("snapshot")
                .map(|snapshot| TabMessage::TokensRefreshed { snapshot }),
            "Activity" => fields.field("at").map(|at| TabMessage::Activity { at }),
            "SignedIn" => fields
                .field("snapshot")
                .map(|snapshot| TabMessage::SignedIn { snapshot }),
            "SignedOut" => fields.field("reason").and_then(|reason| {
                Ok(TabMessage::SignedOut {
                    reason,
                    session_started_at: fields.field("session_started_at")?,
                })
            }),
            "SessionExtended" => fields
                .field("at")
                .map(|at| TabMessage::SessionExtended { at }),
            _ => return Err(JsonError::invalid("not a message this app knows")),
        };
        message.map_err(|error| error.within(name))
    }
}

impl ToJson for TabMessage {
    fn to_json(&self) -> Json {
        let (name, fields) = match self {
            TabMessage::TokensRefreshed { snapshot } => {
                ("TokensRefreshed", vec![("snapshot", snapshot.to_json())])
            }
            TabMessage::Activity { at } => ("Activity", vec![("at", at.to_json())]),
            TabMessage::SignedIn { snapshot } => {
                ("SignedIn", vec![("snapshot", snapshot.to_json())])
            }
            TabMessage::SignedOut {
                reason,
                session_started_at,
            } => (
                "SignedOut",
                vec![
                    ("reason", reason.to_json()),
                    ("session_started_at", session_started_at.to_json()),
                ],
            ),
            TabMessage::SessionExtended { at } => ("SessionExtended", vec![("at", at.to_json())]),
        };
        Json::tagged(name, Json::object(fields))
    }
}
