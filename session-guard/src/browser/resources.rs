//! Event listeners, timers and channels as owned values: each one is released
//! when dropped, and a live count is kept so tests and benchmarks can prove
//! that sign-in/sign-out cycles leak nothing.

use std::cell::Cell;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AddEventListenerOptions, Event, EventTarget};

thread_local! {
    static LIVE_LISTENERS: Cell<i64> = const { Cell::new(0) };
    static LIVE_TIMERS: Cell<i64> = const { Cell::new(0) };
    static LIVE_CHANNELS: Cell<i64> = const { Cell::new(0) };
}

/// How many listeners, timers and BroadcastChannels the session runtime holds now.
#[cfg(feature = "testing")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LiveResources {
    /// Event listeners attached.
    pub listeners: i64,
    /// Timers and intervals armed.
    pub timers: i64,
    /// BroadcastChannels open.
    pub channels: i64,
}

/// The live count now: after a sign-in/sign-out cycle and a dispose it
/// should be back where it started.
#[cfg(feature = "testing")]
pub fn live_resources() -> LiveResources {
    LiveResources {
        listeners: LIVE_LISTENERS.with(Cell::get),
        timers: LIVE_TIMERS.with(Cell::get),
        channels: LIVE_CHANNELS.with(Cell::get),
    }
}

pub(crate) fn count_timer(delta: i64) {
    LIVE_TIMERS.with(|count| count.set(count.get() + delta));
}

pub(crate) fn count_channel(delta: i64) {
    LIVE_CHANNELS.with(|count| count.set(count.get() + delta));
}

/// One callback registered for several event types on one target; removed
/// from all of them when dropped.
pub struct Listener {
    target: EventTarget,
    types: &'static [&'static str],
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Listens passively (never calls `preventDefault`, so scrolling stays smooth).
    pub fn passive(
        target: &EventTarget,
        types: &'static [&'static str],
        handler: impl FnMut(Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(handler);
        let options = AddEventListenerOptions::new();
        options.set_passive(true);
        for event_type in types {
            // Adding a listener to a live target does not fail.
            let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
                event_type,
                callback.as_ref().unchecked_ref(),
                &options,
            );
        }
        LIVE_LISTENERS.with(|count| count.set(count.get() + types.len() as i64));
        Self {
            target: target.clone(),
            types,
            callback,
        }
    }
}

impl Listener {
    /// A listener that may call `preventDefault` (the `beforeunload` prompt).
    pub fn active(
        target: &EventTarget,
        types: &'static [&'static str],
        handler: impl FnMut(Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(handler);
        for event_type in types {
            let _ = target
                .add_event_listener_with_callback(event_type, callback.as_ref().unchecked_ref());
        }
        LIVE_LISTENERS.with(|count| count.set(count.get() + types.len() as i64));
        Self {
            target: target.clone(),
            types,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        for event_type in self.types {
            let _ = self.target.remove_event_listener_with_callback(
                event_type,
                self.callback.as_ref().unchecked_ref(),
            );
        }
        LIVE_LISTENERS.with(|count| count.set(count.get() - self.types.len() as i64));
    }
}

/// A one-shot timer that is cancelled when dropped.
pub struct OwnedTimeout(Option<gloo_timers::callback::Timeout>);

impl OwnedTimeout {
    pub fn new(millis: u32, callback: impl FnOnce() + 'static) -> Self {
        count_timer(1);
        Self(Some(gloo_timers::callback::Timeout::new(millis, callback)))
    }
}

impl Drop for OwnedTimeout {
    fn drop(&mut self) {
        if let Some(timeout) = self.0.take() {
            timeout.cancel();
        }
        count_timer(-1);
    }
}

/// A repeating timer that is cancelled when dropped.
pub struct OwnedInterval(Option<gloo_timers::callback::Interval>);

impl OwnedInterval {
    pub fn new(millis: u32, callback: impl FnMut() + 'static) -> Self {
        count_timer(1);
        Self(Some(gloo_timers::callback::Interval::new(millis, callback)))
    }
}

impl Drop for OwnedInterval {
    fn drop(&mut self) {
        if let Some(interval) = self.0.take() {
            interval.cancel();
        }
        count_timer(-1);
    }
}
