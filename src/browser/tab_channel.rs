//! Tabs of one origin are one session: messages over a BroadcastChannel,
//! versioned, each handled as an event (never collapsed into a "latest value").

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

use super::resources::count_channel;
use crate::session::{SessionSnapshot, TabMessage};

/// Bumped when the message shape changes; other versions are ignored.
pub const PROTOCOL_VERSION: u32 = 2;

/// What travels between tabs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TabEvent {
    /// A session core message (tokens refreshed, activity, sign-in/out, extended).
    Session(TabMessage),
    /// A tab with in-memory storage just opened and asks the others for the session.
    SessionWanted,
    /// An answer to `SessionWanted`.
    SessionOffered(SessionSnapshot),
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    v: u32,
    event: TabEvent,
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
            match serde_json::from_str::<Envelope>(&text) {
                Ok(envelope) if envelope.v == PROTOCOL_VERSION => on_event(envelope.event),
                // A tab of another app version: its messages are not ours to read.
                _ => web_sys::console::debug_1(
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
        let envelope = Envelope {
            v: PROTOCOL_VERSION,
            event,
        };
        if let Ok(text) = serde_json::to_string(&envelope) {
            // A closed channel drops the message; the others read storage.
            let _ = self.channel.post_message(&text.into());
        }
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
        count_channel(-1);
    }
}
