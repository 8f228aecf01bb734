//! Things that happened, fed to [`crate::session::machine::SessionMachine::handle`].

use serde::{Deserialize, Serialize};

use super::backoff::Jitter;
use super::refresh::{Generation, RefreshError};
use super::snapshot::SessionSnapshot;
use super::tab_message::TabMessage;
use super::time::Millis;
use super::tokens::TokenSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// The user signed in on the sign-in page: a new session.
    SignedIn {
        tokens: TokenSet,
    },
    /// Page load found a persisted session in storage.
    Restored {
        snapshot: SessionSnapshot,
    },
    /// The refresh tagged `generation` returned fresh tokens.
    RefreshSucceeded {
        generation: Generation,
        tokens: TokenSet,
    },
    /// The refresh tagged `generation` failed. `jitter` is a random fraction
    /// from the caller, used to spread the retry if there is one.
    RefreshFailed {
        generation: Generation,
        error: RefreshError,
        jitter: Jitter,
    },
    /// The user did something at `at` (key, pointer, scroll). The driver may
    /// batch events and report only the latest instant.
    Activity {
        at: Millis,
    },
    /// Whether the page has unsaved work.
    DraftsChanged {
        dirty: bool,
    },
    PageVisible,
    PageHidden,
    /// The driver's heartbeat noticed a jump in the clock (the device slept).
    WakeDetected,
    Online,
    Offline,
    /// The user pressed "Stay signed in" on the idle warning.
    StaySignedIn,
    /// The user signed in again in place (from a warning or the re-auth
    /// dialog): a new session, and the page keeps its work.
    ReauthSucceeded {
        tokens: TokenSet,
    },
    /// The app needs fresher tokens now: its API refused the current ones
    /// (HTTP 401: revoked, or the clock estimate was off), or they expire
    /// before a call could finish. Refresh now (once; a refresh already
    /// under way or waiting to retry is enough).
    RefreshRequested,
    /// The user pressed "Sign out".
    SignOutRequested,
    /// A message from another tab.
    FromTab(TabMessage),
    /// The timer armed at [`crate::session::machine::SessionMachine::poll_timeout`] fired
    /// (possibly late).
    TimerFired,
}
