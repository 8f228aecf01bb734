//! Warnings the UI shows before the app acts on the user's behalf.

use super::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// Idle sign-out at the deadline; offer "Stay signed in".
    Idle,
    /// The session's hard end at the deadline; offer "Sign in again now".
    SessionEnding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    pub kind: WarningKind,
    /// When the warned-about thing happens (local clock), for a countdown.
    pub deadline: Millis,
    /// 0 for the first warning, 1 for the first reminder (the next, shorter
    /// configured lead), and so on: the UI may grow more insistent.
    pub reminder: u8,
}
