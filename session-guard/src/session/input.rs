//! Things that happened, fed to [`crate::session::machine::SessionMachine::handle`].

use super::backoff::Jitter;
use super::refresh::{Generation, RefreshError};
use super::snapshot::SessionSnapshot;
use super::tab_message::TabMessage;
use super::time::Millis;
use super::tokens::TokenSet;

/// A snapshot read from storage or received from another tab, with the
/// token set the driver rebuilt from its tokens after verifying them
/// (signature, issuer, audience, `token_use`; times and user from the
/// verified claims). What the core believes of it is decided by
/// [`SessionSnapshot::believe`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedClaim {
    pub snapshot: SessionSnapshot,
    pub verified: TokenSet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The user signed in on the sign-in page: a new session.
    SignedIn {
        tokens: TokenSet,
    },
    /// The page loaded; `stored_session` says whether storage holds a
    /// session to check. Until it is restored or refused the machine is
    /// restoring (the page shows neither the sign-in form nor the app).
    PageLoaded {
        stored_session: bool,
    },
    /// The stored session's tokens were verified.
    Restored {
        claim: CheckedClaim,
    },
    /// An open tab answered this page's request for the session (its own
    /// storage is shared with no other tab, or holds only a copy made when
    /// the tab opened); the offer's tokens were verified.
    SessionOffered {
        claim: CheckedClaim,
    },
    /// The stored session could not be restored: `refused` when its tokens
    /// failed verification (the driver clears it), else it could not be
    /// checked now (keys unreachable) and stays stored.
    RestoreFailed {
        refused: bool,
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
    /// The page was resumed after being frozen (the `resume` event).
    WakeDetected,
    /// The driver's periodic heartbeat (every few seconds). A beat much
    /// later than the previous one means the device slept or the page was
    /// frozen; the core tells (see [`crate::session::time::WAKE_GAP`]).
    Heartbeat,
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
    /// The user pressed "Sign out and delete my drafts" (a shared computer):
    /// nothing is flushed, and every draft of theirs on this device goes.
    SignOutDeletingDrafts,
    /// A message from another tab. Messages that carry tokens
    /// (`SignedIn`, `TokensRefreshed`) change nothing this way: they must
    /// come verified, as [`Input::FromTabVerified`].
    FromTab(TabMessage),
    /// A token-carrying message from another tab, with the token set the
    /// driver rebuilt from its tokens after verifying them.
    FromTabVerified {
        message: TabMessage,
        verified: TokenSet,
    },
    /// This tab holds the refresh lock for `generation` (see
    /// [`crate::session::Command::StartRefresh`]); `stored` is the session in
    /// storage now, verified, if there is one.
    RefreshLockAcquired {
        generation: Generation,
        stored: Option<CheckedClaim>,
    },
    /// The timer armed at [`crate::session::machine::SessionMachine::poll_timeout`] fired
    /// (possibly late).
    TimerFired,
}
