//! Tabs of one origin are one session: messages over a BroadcastChannel,
//! versioned, each handled as an event (never collapsed into a "latest value").

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

use super::resources::count_channel;
use crate::json::{self, FromJson, Json, JsonError, ToJson};
use crate::session::{SessionSnapshot, TabMessage};

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

/// The event of a message from a tab of this app version; `None` for
/// anything else (another version, or not a message at all).
fn read_message(text: &str) -> Option<TabEvent> {
    let envelope = json::parse(text).ok()?;
    let envelope = envelope.as_object()?;
    if envelope.get("v")?.as_u64()? != u64::from(PROTOCOL_VERSION) {
        return None;
    }
    envelope.field("event").ok()
}

/// This tab's end of the channel. Closed when dropped.
pub struct TabChannel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl TabChannel {
    /// Opens `name`; `on_event` is called for every message from another tab.
    pub fn open(name: &str, mut on_event: impl FnMut(TabEvent) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let Some(text) = message.data().as_string() else {
                return;
            };
            match read_message(&text) {
                Some(event) => on_event(event),
                // A tab of another app version: its messages are not ours to read.
                None => web_sys::console::debug_1(
                    &"Session Guard: ignored a message from another app version".into(),
                ),
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        count_channel(1);
        Some(Self {
            channel,
            _on_message: on_message,
        })
    }

    pub fn post(&self, event: TabEvent) {
        let envelope = Json::object(vec![
            ("v", PROTOCOL_VERSION.to_json()),
            ("event", event.to_json()),
        ]);
        // A closed channel drops the message; the others read storage.
        let _ = self
            .channel
            .post_message(&json::to_string(&envelope).into());
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
        count_channel(-1);
    }
}
