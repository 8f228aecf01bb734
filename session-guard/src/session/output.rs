//! What the machine asks for, in two kinds drained by two polls, as
//! quinn-proto keeps `poll_transmit` apart from `poll`:
//! - [`Command`]s for the driver (I/O: refresh, storage, other tabs,
//!   revocation, drafts), drained with
//!   [`crate::session::SessionMachine::poll_command`] and performed in order;
//! - [`SessionEvent`]s for the views (a warning to show, re-authentication
//!   to ask for, a sign-out to explain), drained with
//!   [`crate::session::SessionMachine::poll_event`].
//!
//! The driver performs an input's commands before it hands on its events,
//! so drafts are flushed before the view learns of a sign-out.

use super::reason::SignOutReason;
use super::refresh::Generation;
use super::secret::Secret;
use super::snapshot::SessionSnapshot;
use super::tab_message::TabMessage;
use super::time::Millis;
use super::warning::Warning;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Take the refresh lock shared by every tab (a Web Lock), read the
    /// session in storage, verify its tokens and answer
    /// `RefreshLockAcquired` with `generation`: another tab may have
    /// refreshed while this one waited, and the core decides whether to
    /// adopt that or to go to the provider ([`Command::SendRefresh`]).
    /// Keep the lock until the answer to that is fed (or none is asked for).
    StartRefresh { generation: Generation },
    /// Holding the refresh lock: send the refresh to the provider now and
    /// answer `RefreshSucceeded` / `RefreshFailed` carrying `generation`.
    /// The driver owns the request timeout and reports it as
    /// `RefreshError::Network`.
    SendRefresh {
        generation: Generation,
        refresh_token: Secret,
    },
    /// Write the session to storage (replacing what is there).
    PersistState(SessionSnapshot),
    /// Remove the session from storage.
    ClearTokens,
    /// Send to the other tabs.
    Broadcast(TabMessage),
    /// Save unsaved work now (locally), then report `DraftsChanged`.
    FlushDrafts,
    /// Delete every draft of the user `sub` from this device (the user
    /// signed out and asked for it). Never preceded by a flush.
    DeleteDrafts { sub: String },
    /// Store the sign-out reason for the sign-in page.
    PersistSignOutReason(SignOutReason),
    /// This tab decided a sign-out: end the identity provider's own session
    /// too where there is one (managed login keeps a session on its domain
    /// that would sign the next person straight back in). Comes last.
    EndProviderSession,
    /// Revoke the refresh token at the provider (best effort).
    RevokeRefreshToken(Secret),
}

/// What the views learn: the machine's state is always readable through its
/// accessors; these say what changed, for views that animate, announce or
/// move focus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionEvent {
    /// A warning (idle or session ending) appeared.
    WarningShown(Warning),
    /// The shown warning changed (a reminder, or a new deadline).
    WarningChanged(Warning),
    WarningHidden,
    /// Ask the user to sign in again in place; the page and its work stay.
    /// `deadline` is when the tokens in hand stop working (local clock);
    /// it may already have passed.
    ReauthRequested {
        deadline: Millis,
    },
    /// The session is over in this tab: show the sign-in page.
    SignedOut(SignOutReason),
}
