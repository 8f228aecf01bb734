//! The text the browser keeps in storage and sends to other tabs: the
//! stored session entry, the stored drafts and the envelope of a message
//! between tabs, written and read back.
//!
//! The browser driver (`src/browser/`) only moves this text in and out of
//! Web Storage and the BroadcastChannel; reading it is pure, so it is
//! tested (and fuzzed) natively. Everything read here is a claim: anything
//! running on the origin, or an older build of the app, may have written it.

use super::snapshot::SessionSnapshot;
use super::tab_message::TabMessage;
use crate::json::{self, FromJson, Json, JsonError, ToJson};

/// Bumped whenever the stored session's shape changes; older entries are
/// cleared. An entry is `{"v": SCHEMA_VERSION, "snapshot": {...}}`.
pub const SCHEMA_VERSION: u32 = 2;

/// The stored session entry for `snapshot`.
pub(crate) fn stored_session_text(snapshot: &SessionSnapshot) -> String {
    let stored = Json::object(vec![
        ("v", SCHEMA_VERSION.to_json()),
        ("snapshot", snapshot.to_json()),
    ]);
    json::to_string(&stored)
}

/// Parses a stored session entry, naming what is wrong without quoting it.
/// The version is checked before the rest; anything but a whole number from
/// 0 up is not a version.
pub(crate) fn read_stored_session(raw: &str) -> Result<SessionSnapshot, &'static str> {
    let stored = json::parse(raw).map_err(|_| "corrupt (not JSON)")?;
    let stored = stored.as_object().ok_or("not in a format this app knows")?;
    match stored.get("v").and_then(Json::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(_) => return Err("written by another version of the app"),
        None => return Err("not in a format this app knows"),
    }
    stored
        .field("snapshot")
        .map_err(|_| "incomplete or corrupt")
}

/// One piece of unsaved work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Which editor it belongs to (e.g. `note:42` or `note:new`).
    pub key: String,
    /// What the user calls it ("Quarterly plan"), for the restore prompt.
    pub label: String,
    /// The text itself.
    pub value: String,
    /// When it was last saved (the driver's clock, milliseconds since the epoch).
    pub saved_at: i64,
}

/// A draft as read from storage, where the stamp may be missing (written
/// before drafts were stamped, or edited by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredDraft {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) value: String,
    pub(crate) saved_at: Option<i64>,
}

/// As stored: `{"key":…,"label":…,"value":…,"saved_at":1718000000000}`.
impl ToJson for Draft {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("key", self.key.to_json()),
            ("label", self.label.to_json()),
            ("value", self.value.to_json()),
            ("saved_at", self.saved_at.to_json()),
        ])
    }
}

impl FromJson for StoredDraft {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        Ok(Self {
            key: o.field("key")?,
            label: o.field("label")?,
            value: o.field("value")?,
            saved_at: o.field("saved_at")?,
        })
    }
}

/// One user's stored drafts: a JSON array of drafts.
pub(crate) fn stored_drafts_text(drafts: &[Draft]) -> String {
    json::to_string(&Json::Array(drafts.iter().map(ToJson::to_json).collect()))
}

/// Reads one user's stored drafts; `None` when the entry is unreadable as a
/// whole (it is then removed).
pub(crate) fn read_stored_drafts(raw: &str) -> Option<Vec<StoredDraft>> {
    json::from_str::<Vec<StoredDraft>>(raw).ok()
}

/// Bumped when the message shape changes; other versions are ignored.
/// A message is `{"v": PROTOCOL_VERSION, "event": ...}`.
pub const PROTOCOL_VERSION: u32 = 2;

/// What travels between tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabEvent {
    /// A session core message (tokens refreshed, activity, sign-in/out, extended).
    Session(TabMessage),
    /// A tab with in-memory storage just opened and asks the others for the session.
    SessionWanted,
    /// An answer to `SessionWanted`.
    SessionOffered(SessionSnapshot),
}

/// Written as `{"Session": {...}}`, `"SessionWanted"` and
/// `{"SessionOffered": {...}}`, which tabs running an earlier build of the
/// app read and write too.
impl FromJson for TabEvent {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value.as_tagged() {
            Some(("Session", Some(message))) => TabMessage::from_json(message)
                .map(TabEvent::Session)
                .map_err(|error| error.within("Session")),
            Some(("SessionWanted", None | Some(Json::Null))) => Ok(TabEvent::SessionWanted),
            Some(("SessionOffered", Some(snapshot))) => SessionSnapshot::from_json(snapshot)
                .map(TabEvent::SessionOffered)
                .map_err(|error| error.within("SessionOffered")),
            _ => Err(JsonError::invalid("not a message this app knows")),
        }
    }
}

impl ToJson for TabEvent {
    fn to_json(&self) -> Json {
        match self {
            TabEvent::Session(message) => Json::tagged("Session", message.to_json()),
            TabEvent::SessionWanted => "SessionWanted".to_json(),
            TabEvent::SessionOffered(snapshot) => {
                Json::tagged("SessionOffered", snapshot.to_json())
            }
        }
    }
}

/// The text posted to the other tabs for `event`.
pub(crate) fn tab_message_text(event: &TabEvent) -> String {
    let envelope = Json::object(vec![
        ("v", PROTOCOL_VERSION.to_json()),
        ("event", event.to_json()),
    ]);
    json::to_string(&envelope)
}

/// The event of a message from a tab of this app version; `None` for
/// anything else (another version, or not a message at all).
pub(crate) fn read_tab_message(text: &str) -> Option<TabEvent> {
    let envelope = json::parse(text).ok()?;
    let envelope = envelope.as_object()?;
    if envelope.get("v")?.as_u64()? != u64::from(PROTOCOL_VERSION) {
        return None;
    }
    envelope.field("event").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::skew::ClockOffset;
    use crate::session::time::Millis;
    use crate::session::tokens::fixtures::tokens;
    use std::time::Duration;

    fn snapshot() -> SessionSnapshot {
        SessionSnapshot {
            tokens: tokens(Millis(1_000), Duration::from_secs(3600), Millis(500)),
            session_started_at: Millis(500),
            clock_offset: ClockOffset(-20),
            last_activity: Millis(900),
        }
    }

    #[test]
    fn a_stored_session_reads_back_as_written() {
        let text = stored_session_text(&snapshot());
        assert!(text.starts_with(r#"{"v":2,"snapshot":"#), "{text}");
        assert_eq!(read_stored_session(&text), Ok(snapshot()));
    }

    #[test]
    fn a_stored_session_of_another_version_or_shape_is_refused_with_its_reason() {
        let other_version = stored_session_text(&snapshot()).replace(r#""v":2"#, r#""v":3"#);
        assert_eq!(
            read_stored_session(&other_version),
            Err("written by another version of the app")
        );
        assert_eq!(read_stored_session("{"), Err("corrupt (not JSON)"));
        assert_eq!(
            read_stored_session(r#"{"v":"2"}"#),
            Err("not in a format this app knows")
        );
        assert_eq!(
            read_stored_session(r#"{"v":2,"snapshot":{}}"#),
            Err("incomplete or corrupt")
        );
    }

    #[test]
    fn stored_drafts_read_back_as_written_and_a_missing_stamp_is_absent() {
        let drafts = vec![Draft {
            key: "note:42".into(),
            label: "Quarterly plan".into(),
            value: "text".into(),
            saved_at: 1_750_000_000_000,
        }];
        let read = read_stored_drafts(&stored_drafts_text(&drafts)).unwrap();
        assert_eq!(read[0].saved_at, Some(1_750_000_000_000));
        assert_eq!(read[0].label, "Quarterly plan");
        let unstamped = read_stored_drafts(r#"[{"key":"k","label":"l","value":"v"}]"#).unwrap();
        assert_eq!(unstamped[0].saved_at, None);
        assert!(read_stored_drafts(r#"[{"key":"k"}]"#).is_none());
    }

    #[test]
    fn a_tab_message_reads_back_as_written_and_other_versions_are_ignored() {
        for event in [
            TabEvent::SessionWanted,
            TabEvent::SessionOffered(snapshot()),
            TabEvent::Session(TabMessage::Activity { at: Millis(7) }),
        ] {
            assert_eq!(read_tab_message(&tab_message_text(&event)), Some(event));
        }
        assert_eq!(read_tab_message(r#"{"v":1,"event":"SessionWanted"}"#), None);
        assert_eq!(read_tab_message(r#"{"event":"SessionWanted"}"#), None);
    }
}
