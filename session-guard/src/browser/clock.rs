//! The driver's clock: the system clock in the app, a manual one in tests so
//! browser tests can jump to the machine's deadlines without waiting.

#[cfg(feature = "testing")]
use std::cell::Cell;
#[cfg(feature = "testing")]
use std::rc::Rc;
#[cfg(feature = "testing")]
use std::time::Duration;

use crate::session::Millis;

/// Where "now" comes from.
#[derive(Clone, Debug)]
pub enum Clock {
    /// `Date.now()`: wall-clock time, which keeps running while a laptop sleeps.
    System,
    /// A clock only the test moves; the driver then arms no real timers and
    /// the test fires them with `SessionDriver::advance`.
    #[cfg(feature = "testing")]
    Manual(Rc<Cell<i64>>),
}

impl Clock {
    /// A manual clock standing at `start` (ms since the epoch).
    #[cfg(feature = "testing")]
    pub fn manual(start: Millis) -> Self {
        Clock::Manual(Rc::new(Cell::new(start.0)))
    }

    /// The time now, in ms since the epoch.
    pub fn now(&self) -> Millis {
        match self {
            Clock::System => Millis(js_sys::Date::now() as i64),
            #[cfg(feature = "testing")]
            Clock::Manual(now) => Millis(now.get()),
        }
    }

    /// Whether this is a manual clock.
    #[cfg(feature = "testing")]
    pub fn is_manual(&self) -> bool {
        matches!(self, Clock::Manual(_))
    }

    /// Only tests have a manual clock.
    #[cfg(not(feature = "testing"))]
    pub fn is_manual(&self) -> bool {
        false
    }

    /// Moves a manual clock forward (no effect on the system clock).
    #[cfg(feature = "testing")]
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(now) = self {
            now.set(now.get() + by.as_millis() as i64);
        }
    }
}
