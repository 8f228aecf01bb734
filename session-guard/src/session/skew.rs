//! Clock skew between the identity provider and this device.
//!
//! A laptop whose clock is an hour off would otherwise refresh an hour late
//! (sending expired tokens) or an hour early, and would place the session end
//! an hour wrong. Each token carries `iat`, the provider's clock when it was
//! issued; comparing it with the local clock at receipt measures the offset,
//! and every token-derived deadline is moved onto the local clock with it.

use std::fmt;

use crate::json::{FromJson, Json, JsonError, ToJson};

use super::time::Millis;

/// JWT numeric dates drop the milliseconds: `iat` is up to this much before
/// the real issue instant.
const JWT_SECOND_TRUNCATION_MS: i64 = 999;

/// `provider clock - local clock`, in milliseconds.
///
/// Positive when the local clock is behind the provider's.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ClockOffset(pub i64);

impl ClockOffset {
    /// Estimates the offset from a token's `iat` (provider clock) and the
    /// local instants at which the request that brought it was sent and its
    /// answer received, starting from the `previous` estimate if any.
    ///
    /// The token was issued somewhere between send and receipt, and `iat` is
    /// truncated to whole seconds, so the true offset lies in
    /// `[iat - received, iat + 1 s - sent]`. That interval is narrow for a
    /// normal answer and wide for a slow one (the request waited on another
    /// tab's lock, or the laptop slept while it was in flight). The previous
    /// estimate is kept if it lies in the interval, else moved to its
    /// nearest end: a slow answer cannot drag the estimate by hours, and a
    /// real change of the local clock is followed. Without a previous
    /// estimate (a sign-in) it is `iat - received`, the receipt rule, late by
    /// at most the truncation plus the latency, which
    /// [`MAX_EXPIRY_MARGIN`](crate::session::MAX_EXPIRY_MARGIN) absorbs.
    pub fn estimate(
        previous: Option<Self>,
        issued_at_provider: Millis,
        sent_at_local: Millis,
        received_at_local: Millis,
    ) -> Self {
        let low = issued_at_provider.signed_since(received_at_local);
        let high = issued_at_provider
            .signed_since(sent_at_local.min(received_at_local))
            .saturating_add(JWT_SECOND_TRUNCATION_MS);
        match previous {
            Some(ClockOffset(p)) => ClockOffset(p.clamp(low, high)),
            None => ClockOffset(low),
        }
    }

    /// The least offset consistent with a token issued at `iat` existing at
    /// local instant `now`: it cannot have been issued in the provider's future.
    pub fn at_least(issued_at_provider: Millis, now_local: Millis) -> Self {
        ClockOffset(issued_at_provider.signed_since(now_local))
    }

    /// A provider instant expressed on the local clock.
    pub fn to_local(self, provider: Millis) -> Millis {
        Millis(provider.0.saturating_sub(self.0))
    }

    /// A local instant expressed on the provider clock.
    pub fn to_provider(self, local: Millis) -> Millis {
        Millis(local.0.saturating_add(self.0))
    }

    /// Provider minus local clock, in milliseconds.
    pub const fn as_millis(self) -> i64 {
        self.0
    }
}

/// Stored and sent as the bare number.
impl FromJson for ClockOffset {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        i64::from_json(value).map(ClockOffset)
    }
}

impl ToJson for ClockOffset {
    fn to_json(&self) -> Json {
        self.0.to_json()
    }
}

impl fmt::Debug for ClockOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClockOffset({:+}ms)", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn local_clock_behind_by_an_hour() {
        // Provider says 10:00, local says 9:00.
        let offset = ClockOffset::at_least(Millis(10 * HOUR), Millis(9 * HOUR));
        assert_eq!(offset, ClockOffset(HOUR));
        // A token expiring at provider 11:00 expires at local 10:00.
        assert_eq!(offset.to_local(Millis(11 * HOUR)), Millis(10 * HOUR));
        assert_eq!(offset.to_provider(Millis(10 * HOUR)), Millis(11 * HOUR));
    }

    #[test]
    fn local_clock_ahead_by_an_hour() {
        let offset = ClockOffset::at_least(Millis(10 * HOUR), Millis(11 * HOUR));
        assert_eq!(offset, ClockOffset(-HOUR));
        assert_eq!(offset.to_local(Millis(11 * HOUR)), Millis(12 * HOUR));
    }

    #[test]
    fn first_estimate_is_iat_minus_receipt() {
        let offset = ClockOffset::estimate(None, Millis(100_000), Millis(100_300), Millis(100_300));
        assert_eq!(offset, ClockOffset(-300));
    }

    #[test]
    fn a_slow_answer_does_not_drag_the_estimate() {
        // True offset 0. The request was asked for at 100 s but waited three
        // hours on the lock; issued at 10 900.1 s, received at 10 900.2 s.
        let offset = ClockOffset::estimate(
            Some(ClockOffset(0)),
            Millis(10_900_000),
            Millis(100_000),
            Millis(10_900_200),
        );
        assert_eq!(offset, ClockOffset(0));
        // Issued at 100.1 s, received after a minute of sleep.
        let offset = ClockOffset::estimate(
            Some(ClockOffset(0)),
            Millis(100_000),
            Millis(100_000),
            Millis(160_000),
        );
        assert_eq!(offset, ClockOffset(0));
        // Measured at receipt alone, both would be badly off.
        assert_eq!(
            ClockOffset::estimate(None, Millis(100_000), Millis(160_000), Millis(160_000)),
            ClockOffset(-60_000)
        );
    }

    #[test]
    fn a_changed_local_clock_is_followed() {
        // The user set the local clock an hour back: the previous estimate
        // (0) is outside the new interval and moves to its nearest end.
        let offset = ClockOffset::estimate(
            Some(ClockOffset(0)),
            Millis(3_700_000),
            Millis(99_800),
            Millis(100_000),
        );
        assert!(
            (3_600_000..=3_601_200).contains(&offset.as_millis()),
            "{offset:?}"
        );
    }

    #[test]
    fn round_trip() {
        let offset = ClockOffset(-1234);
        let local = Millis(987_654);
        assert_eq!(offset.to_local(offset.to_provider(local)), local);
    }
}
