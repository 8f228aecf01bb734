//! The driver's clock: the system clock in the app, a manual one in tests so
//! browser tests can jump to the machine's deadlines without waiting.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use crate::session::Millis;

/// Where "now" comes from.
#[derive(Clone, Debug)]
pub enum Clock {
    /// `Date.now()`: wall-clock time, which keeps running while a laptop sleeps.
    System,
    /// A clock only the test moves; the driver then arms no real timers and
    /// the test fires them with `SessionDriver::advance`.
    Manual(Rc<Cell<i64>>),
}

impl Clock {
    pub fn manual(start: Millis) -> Self {
        Clock::Manual(Rc::new(Cell::new(start.0)))
    }

    pub fn now(&self) -> Millis {
        match self {
            Clock::System => Millis(js_sys::Date::now() as i64),
            Clock::Manual(now) => Millis(now.get()),
        }
    }

    pub fn is_manual(&self) -> bool {
        matches!(self, Clock::Manual(_))
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(now) = self {
            now.set(now.get() + by.as_millis() as i64);
        }
    }
}
