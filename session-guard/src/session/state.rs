//! [`SessionState`], the one-word summary the UI renders.

use super::warning::WarningKind;

/// Where the session stands, for the status bar and for what the page
/// shows. Highest-priority condition first: a tab that needs re-authentication
/// says so even while a refresh answer is outstanding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// Nobody is signed in.
    #[default]
    SignedOut,
    /// The session has ended (or was refused) and the user is asked to sign
    /// in again in place; tokens in hand may still work until they expire.
    ReauthRequired,
    /// Signed in, renewing the tokens now.
    Refreshing,
    /// A refresh failed for a transient reason: waiting for the backoff to
    /// elapse or for the network to come back.
    OfflineRetrying,
    /// Signed in, and a warning is up (idle, or the session ending soon).
    Warning(WarningKind),
    /// Signed in, nothing to report.
    Active,
}
