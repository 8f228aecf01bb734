//! Warnings the UI shows before the app acts on the user's behalf.

use super::time::Millis;

/// What a [`Warning`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// Idle sign-out at the deadline; offer "Stay signed in".
    Idle,
    /// The session's hard end at the deadline; offer "Sign in again now".
    SessionEnding,
}

/// A warning to show now: the session will act on the user's behalf at
/// `deadline` unless they do something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    /// What happens at the deadline.
    pub kind: WarningKind,
    /// When it happens, in ms since the epoch on the local clock, for a
    /// countdown.
    pub deadline: Millis,
    /// 0 for the first warning, 1 for the first reminder (the next, shorter
    /// configured lead), and so on: the UI may grow more insistent.
    pub reminder: u8,
}
