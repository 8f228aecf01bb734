//! The summary the UI renders.

use super::warning::WarningKind;

/// Highest-priority condition first: a tab that needs re-authentication
/// says so even while a refresh answer is outstanding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    #[default]
    SignedOut,
    /// The session has ended (or was refused) and the user is asked to sign
    /// in again in place; tokens in hand may still work until they expire.
    ReauthRequired,
    Refreshing,
    /// A refresh failed for a transient reason: waiting for the backoff to
    /// elapse or for the network to come back.
    OfflineRetrying,
    Warning(WarningKind),
    Active,
}
