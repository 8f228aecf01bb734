//! The page's events and the heartbeat, each turned into an input.

use super::*;

/// Activity events closer together than this are one activity: a burst of
/// pointer moves costs a clock read and a comparison each.
const ACTIVITY_THROTTLE_MS: f64 = 1_000.0;

const ACTIVITY_EVENTS: &[&str] = &[
    "pointerdown",
    "pointermove",
    "keydown",
    "wheel",
    "touchstart",
    "scroll",
];

/// Where a page event is listened for.
#[derive(Clone, Copy)]
enum Target {
    Window,
    Document,
}

/// Every page event the session listens to and the input it becomes (the
/// `Option` lets a reader drop an event, as the activity throttle does).
type PageEvent = (
    Target,
    &'static [&'static str],
    fn(&SessionDriver) -> Option<Input>,
);

const PAGE_EVENTS: &[PageEvent] = &[
    (Target::Window, ACTIVITY_EVENTS, SessionDriver::activity),
    (Target::Document, &["visibilitychange"], |_| {
        let hidden = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| document.hidden());
        Some(if hidden {
            Input::PageHidden
        } else {
            Input::PageVisible
        })
    }),
    (Target::Window, &["focus", "pageshow"], |_| {
        Some(Input::PageVisible)
    }),
    // A page frozen by the browser (or a discarded tab) was resumed.
    (Target::Document, &["resume"], |_| Some(Input::WakeDetected)),
    (Target::Window, &["online"], |_| Some(Input::Online)),
    (Target::Window, &["offline"], |_| Some(Input::Offline)),
];

impl SessionDriver {
    pub(super) fn listen_to_page(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(document) = window.document() else {
            return;
        };
        let listeners = PAGE_EVENTS
            .iter()
            .map(|&(target, types, to_input)| {
                let target: &web_sys::EventTarget = match target {
                    Target::Window => window.unchecked_ref(),
                    Target::Document => document.unchecked_ref(),
                };
                let weak = self.weak();
                Listener::passive(target, types, move |_event| {
                    if let Some(driver) = upgrade(&weak)
                        && let Some(input) = to_input(&driver)
                    {
                        driver.handle(input);
                    }
                })
            })
            .collect();
        *self.inner.listeners.borrow_mut() = listeners;
    }

    /// User activity, at most one input per [`ACTIVITY_THROTTLE_MS`].
    fn activity(&self) -> Option<Input> {
        let now = self.now().0 as f64;
        if now - self.inner.last_activity_event.get() < ACTIVITY_THROTTLE_MS {
            return None;
        }
        self.inner.last_activity_event.set(now);
        Some(Input::Activity {
            at: Millis(now as i64),
        })
    }

    /// Re-checks deadlines every few seconds; the core tells from a late
    /// beat that the device slept or the page was frozen.
    pub(super) fn start_heartbeat(&self) {
        let weak = self.weak();
        let interval = OwnedInterval::new(HEARTBEAT.as_millis() as u32, move || {
            if let Some(driver) = upgrade(&weak) {
                driver.handle(Input::Heartbeat);
            }
        });
        *self.inner.heartbeat.borrow_mut() = Some(interval);
    }
}
