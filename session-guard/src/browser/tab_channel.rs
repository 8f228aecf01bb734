//! Tabs of one origin are one session: messages over a BroadcastChannel,
//! versioned, each handled as an event (never collapsed into a "latest value").

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

use super::resources::count_channel;
use crate::session::wire_format::{read_tab_message, tab_message_text};

pub use crate::session::wire_format::{PROTOCOL_VERSION, TabEvent};

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
            match read_tab_message(&text) {
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
        // A closed channel drops the message; the others read storage.
        let _ = self.channel.post_message(&tab_message_text(&event).into());
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
        count_channel(-1);
    }
}
