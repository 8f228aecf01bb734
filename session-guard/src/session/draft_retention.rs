//! How long unsaved work is kept on a device.
//!
//! Drafts protect work from a session that ends, but on a shared computer a
//! draft nobody comes back for is someone's text left lying around. So a
//! draft expires a configured time (`drafts.max_age`) after it was last
//! saved, and an expired draft is deleted instead of being offered back.
//! The rule is pure: the browser store asks it about every draft it reads
//! or writes, with the instant it reads at.

use std::time::Duration;

use super::time::Millis;

/// A draft not saved again for this long is deleted (30 days).
pub const DEFAULT_DRAFT_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// How long drafts are kept after their last save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraftRetention {
    /// How long after its last save a draft is deleted.
    pub max_age: Duration,
}

impl Default for DraftRetention {
    fn default() -> Self {
        Self {
            max_age: DEFAULT_DRAFT_MAX_AGE,
        }
    }
}

/// What becomes of one stored draft at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftFate {
    /// Keep it, recorded as saved at `saved_at`. This differs from the stored
    /// stamp when there was none (a draft written before drafts carried one)
    /// or when it lies in the future (the clock was set back); in both
    /// cases the draft counts from `now`, so nobody loses work to the rule.
    Keep {
        /// The save time the draft counts from (ms since the epoch).
        saved_at: Millis,
    },
    /// Saved `max_age` or longer ago: delete it, never offer it back.
    Expired,
}

impl DraftRetention {
    /// Drafts kept `max_age` after their last save.
    pub const fn new(max_age: Duration) -> Self {
        Self { max_age }
    }

    /// The fate at `now` of a draft last saved at `saved_at` (`None`: the
    /// draft does not say).
    pub fn fate(&self, saved_at: Option<Millis>, now: Millis) -> DraftFate {
        match saved_at {
            None => DraftFate::Keep { saved_at: now },
            Some(saved_at) if saved_at > now => DraftFate::Keep { saved_at: now },
            Some(saved_at) if now >= saved_at.plus(self.max_age) => DraftFate::Expired,
            Some(saved_at) => DraftFate::Keep { saved_at },
        }
    }

    /// Whether a draft last saved at `saved_at` has expired at `now`.
    pub fn is_expired(&self, saved_at: Option<Millis>, now: Millis) -> bool {
        self.fate(saved_at, now) == DraftFate::Expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    const NOW: Millis = Millis(1_750_000_000_000);

    fn days_ago(days: i64) -> Option<Millis> {
        Some(Millis(NOW.0 - days * DAY_MS))
    }

    #[test]
    fn the_default_keeps_drafts_for_thirty_days() {
        assert_eq!(
            DraftRetention::default().max_age,
            Duration::from_secs(30 * 86_400)
        );
    }

    #[test]
    fn a_draft_expires_exactly_at_the_maximum_age_not_a_millisecond_before() {
        let retention = DraftRetention::default();
        let thirty_days_ago = days_ago(30);
        assert!(retention.is_expired(thirty_days_ago, NOW));
        let just_younger = Some(Millis(NOW.0 - 30 * DAY_MS + 1));
        assert_eq!(
            retention.fate(just_younger, NOW),
            DraftFate::Keep {
                saved_at: Millis(NOW.0 - 30 * DAY_MS + 1)
            }
        );
        assert!(retention.is_expired(days_ago(400), NOW));
    }

    #[test]
    fn a_young_draft_keeps_its_stamp() {
        let retention = DraftRetention::new(Duration::from_secs(7 * 86_400));
        assert_eq!(
            retention.fate(days_ago(6), NOW),
            DraftFate::Keep {
                saved_at: days_ago(6).unwrap_or(NOW)
            }
        );
        assert!(retention.is_expired(days_ago(7), NOW));
    }

    #[test]
    fn a_draft_without_a_stamp_counts_from_its_first_read() {
        let retention = DraftRetention::new(Duration::from_secs(60));
        assert_eq!(
            retention.fate(None, NOW),
            DraftFate::Keep { saved_at: NOW },
            "an upgrade never deletes work"
        );
    }

    #[test]
    fn a_draft_stamped_in_the_future_counts_from_now_so_it_still_expires() {
        let retention = DraftRetention::new(Duration::from_secs(60));
        let future = Some(NOW.plus(Duration::from_secs(10 * 365 * 86_400)));
        assert_eq!(
            retention.fate(future, NOW),
            DraftFate::Keep { saved_at: NOW }
        );
        assert!(retention.is_expired(Some(NOW), NOW.plus(Duration::from_secs(60))));
    }

    #[test]
    fn a_huge_maximum_age_never_overflows() {
        let retention = DraftRetention::new(Duration::from_secs(u64::MAX));
        assert!(!retention.is_expired(Some(Millis(i64::MIN / 2)), NOW));
    }
}
