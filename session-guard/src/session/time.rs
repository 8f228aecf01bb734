//! Instants on the wall clock.
//!
//! Every deadline in the core is an absolute instant, never an accumulated
//! interval: a browser tab can be throttled or put to sleep, and a deadline
//! computed as "now + 15 min" at some point in the past stays correct however
//! late the timer that checks it fires.

use std::fmt;
use std::time::Duration;

use crate::json::{FromJson, Json, JsonError, ToJson};

/// The longest delay a browser `setTimeout` honours (2^31-1 ms, about 24.8
/// days). Longer delays overflow and fire at once, so no single wake-up is
/// ever further ahead than this; the driver simply polls again.
pub const MAX_TIMER_DELAY: Duration = Duration::from_millis(i32::MAX as u64);

/// How often the driver's heartbeat ([`crate::session::Input::Heartbeat`])
/// beats: background tabs throttle timers and laptops sleep, and the beat
/// (with the page events) catches up.
pub const HEARTBEAT: Duration = Duration::from_secs(5);

/// A heartbeat this much later than the previous one means the page was
/// frozen or the device slept (two missed beats and more).
pub const WAKE_GAP: Duration = Duration::from_secs(15);

/// Milliseconds since the Unix epoch.
///
/// Used for local instants (what `Date.now()` says) and, where documented,
/// for instants on the identity provider's clock (the `iat`, `exp` and
/// `auth_time` of a token). [`crate::session::skew::ClockOffset`] converts
/// between the two.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub i64);

impl Millis {
    /// The instant from a JWT numeric date (whole seconds since the epoch).
    pub const fn from_unix_secs(secs: i64) -> Self {
        Millis(secs.saturating_mul(1000))
    }

    /// The milliseconds since the epoch.
    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// `self + d`, saturating instead of overflowing (durations from
    /// configuration can be years long).
    pub fn plus(self, d: Duration) -> Self {
        Millis(self.0.saturating_add(duration_ms(d)))
    }

    /// `self - d`, saturating.
    pub fn minus(self, d: Duration) -> Self {
        Millis(self.0.saturating_sub(duration_ms(d)))
    }

    /// How long from `self` until `later`; zero if `later` is not after `self`.
    pub fn until(self, later: Millis) -> Duration {
        Duration::from_millis(later.0.saturating_sub(self.0).max(0) as u64)
    }

    /// Signed difference `self - earlier` in milliseconds.
    pub fn signed_since(self, earlier: Millis) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// A duration as whole milliseconds, saturating at `i64::MAX`.
pub fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Stored and sent as the bare number.
impl FromJson for Millis {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        i64::from_json(value).map(Millis)
    }
}

impl ToJson for Millis {
    fn to_json(&self) -> Json {
        self.0.to_json()
    }
}

impl fmt::Debug for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Millis({})", self.0)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_overflowing() {
        assert_eq!(
            Millis(i64::MAX - 1).plus(Duration::from_secs(10)),
            Millis(i64::MAX)
        );
        assert_eq!(
            Millis(i64::MIN + 1).minus(Duration::from_secs(10)),
            Millis(i64::MIN)
        );
        assert_eq!(Millis(5).plus(Duration::MAX), Millis(i64::MAX));
    }

    #[test]
    fn until_is_never_negative() {
        assert_eq!(Millis(10).until(Millis(25)), Duration::from_millis(15));
        assert_eq!(Millis(25).until(Millis(10)), Duration::ZERO);
        assert_eq!(Millis(25).signed_since(Millis(10)), 15);
        assert_eq!(Millis(10).signed_since(Millis(25)), -15);
    }

    #[test]
    fn jwt_seconds_convert_to_millis() {
        assert_eq!(
            Millis::from_unix_secs(1_700_000_000),
            Millis(1_700_000_000_000)
        );
    }

    #[test]
    fn max_timer_delay_is_what_browsers_accept() {
        assert_eq!(duration_ms(MAX_TIMER_DELAY), 2_147_483_647);
    }
}
