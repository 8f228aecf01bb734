//! The session state that outlives a page: persisted by the driver and
//! shared with other tabs.
//!
//! It carries the last activity instant so that a reload cannot reset the
//! idle clock, the earliest `auth_time` so that a refresh (or an emulator
//! resetting `auth_time`) cannot move the session end, and the clock offset
//! measured when the tokens arrived, because restored tokens are old and
//! their `iat` no longer says anything about the clock.

use serde::{Deserialize, Serialize};

use super::skew::ClockOffset;
use super::time::Millis;
use super::tokens::TokenSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSnapshot {
    pub tokens: TokenSet,
    /// `auth_time` of the original sign-in (provider clock): the earliest
    /// seen in this session.
    pub session_started_at: Millis,
    /// Provider minus local clock, measured at the last token receipt.
    pub clock_offset: ClockOffset,
    /// Last user activity in any tab (local clock).
    pub last_activity: Millis,
}
