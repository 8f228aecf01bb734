//! Retry delays after a failed refresh.
//!
//! A network or server failure is not a revocation: the tokens are kept and
//! the refresh is retried, waiting twice as long after each failure up to a
//! cap, so a struggling endpoint is not hammered. Many tabs and many users
//! fail at the same moment when the network drops, so the delay is spread
//! with jitter; the jitter comes from the caller because the core is pure
//! and deterministic (tests pass fixed values).

use std::time::Duration;

/// A random fraction in `[0, 1]` supplied by the caller (e.g. from
/// `Math.random()`), stored in thousandths so inputs stay `Eq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Jitter(u16);

impl Jitter {
    /// No jitter: the shortest delay (the tests pin it).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub const MIN: Jitter = Jitter(0);
    /// The middle, taken when the random source gives no finite number.
    pub const MID: Jitter = Jitter(500);
    /// Full jitter: the longest delay (the tests pin it).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub const MAX: Jitter = Jitter(1000);

    /// From a fraction; clamped into `[0, 1]`, and a non-finite value is
    /// taken as the middle so a bad random source cannot stall retries.
    pub fn from_fraction(fraction: f64) -> Self {
        if !fraction.is_finite() {
            return Self::MID;
        }
        Jitter((fraction.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    /// The fraction in thousandths (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn permille(self) -> u16 {
        self.0
    }
}

/// The delay before retry number `attempt` (0 for the first retry).
///
/// "Equal jitter": half the capped exponential delay is fixed and the other
/// half is scaled by `jitter`, so the delay is never zero (no hot loop) and
/// never above the cap.
pub fn retry_delay(base: Duration, cap: Duration, attempt: u32, jitter: Jitter) -> Duration {
    let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
    let exponential = base.saturating_mul(factor).min(cap);
    let half = exponential / 2;
    half + (exponential - half).mul_f64(f64::from(jitter.0) / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(2);
    const CAP: Duration = Duration::from_secs(120);

    #[test]
    fn doubles_until_the_cap() {
        let d: Vec<_> = (0..8)
            .map(|a| retry_delay(BASE, CAP, a, Jitter::MAX))
            .collect();
        let secs: Vec<_> = d.iter().map(|d| d.as_secs()).collect();
        assert_eq!(secs, vec![2, 4, 8, 16, 32, 64, 120, 120]);
        assert_eq!(retry_delay(BASE, CAP, 1_000, Jitter::MAX), CAP);
    }

    #[test]
    fn jitter_spreads_between_half_and_full() {
        assert_eq!(
            retry_delay(BASE, CAP, 2, Jitter::MIN),
            Duration::from_secs(4)
        );
        assert_eq!(
            retry_delay(BASE, CAP, 2, Jitter::MID),
            Duration::from_secs(6)
        );
        assert_eq!(
            retry_delay(BASE, CAP, 2, Jitter::MAX),
            Duration::from_secs(8)
        );
    }

    #[test]
    fn jitter_from_fraction_is_clamped_and_nan_safe() {
        assert_eq!(Jitter::from_fraction(-3.0), Jitter::MIN);
        assert_eq!(Jitter::from_fraction(7.0), Jitter::MAX);
        assert_eq!(Jitter::from_fraction(f64::NAN), Jitter::MID);
        assert_eq!(Jitter::from_fraction(0.25).permille(), 250);
    }
}
