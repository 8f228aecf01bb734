//! The pure session core of Session Guard.
//!
//! Sans-IO and clock-injected: the browser driver feeds [`input::Input`]s
//! with the current instant, performs the [`output::Command`]s, hands the
//! [`output::SessionEvent`]s to the views and arms one
//! timer at [`machine::SessionMachine::poll_timeout`]. Nothing in here reads
//! a clock, touches the network or storage, or draws a random number, so all
//! of it is tested natively with a fake clock.
//!
//! Driver checklist (one [`SessionMachine`] per tab):
//! - build the policy with [`SessionPolicy::from_preset`] and
//!   [`SessionPolicy::with_overrides`], check it with
//!   [`SessionSettings::validate`] (log the returned note, if any);
//! - at page load feed [`Input::PageLoaded`], then [`Input::Restored`] with
//!   the stored [`SessionSnapshot`] and its verified tokens
//!   ([`CheckedClaim`]) or [`Input::RestoreFailed`]; after the sign-in page,
//!   [`Input::SignedIn`];
//! - after every `handle`, perform every `poll_command` in order, then hand
//!   every `poll_event` to the views, re-arm a single timer at
//!   `poll_timeout` (feed [`Input::TimerFired`]) and re-render from the
//!   accessors (`state`, `current_warning`, `session_end`, ...);
//! - send API calls only with `usable_tokens(now)`;
//! - feed `BroadcastChannel` messages as [`Input::FromTab`], verifying the
//!   tokens of those that carry some first ([`Input::FromTabVerified`]), and
//!   answer each [`Command::StartRefresh`] under a Web Lock (see its docs).

pub mod backoff;
pub mod draft_retention;
pub mod input;
pub mod machine;
pub mod output;
pub mod policy;
pub mod reason;
pub mod refresh;
pub mod secret;
pub mod settings;
pub mod skew;
pub mod snapshot;
pub mod state;
pub mod tab_message;
pub mod time;
pub mod tokens;
pub mod user;
pub mod warning;
// The text kept in storage and sent between tabs; the browser driver moves it,
// native tests and the fuzz targets read it.
#[cfg_attr(
    not(any(target_arch = "wasm32", feature = "fuzzing")),
    allow(dead_code)
)]
pub(crate) mod wire_format;

pub use backoff::Jitter;
pub use draft_retention::{DEFAULT_DRAFT_MAX_AGE, DraftFate, DraftRetention};
pub use input::{CheckedClaim, Input};
pub use machine::SessionMachine;
pub use output::{Command, SessionEvent};
pub use policy::{PolicyError, PolicyOverrides, PolicyPreset, SessionPolicy};
pub use reason::SignOutReason;
pub use refresh::{Generation, RefreshError};
pub use secret::Secret;
pub use settings::{IdentityEndpoint, SessionSettings, SettingsNote};
pub use skew::ClockOffset;
pub use snapshot::SessionSnapshot;
pub use state::SessionState;
pub use tab_message::TabMessage;
pub use time::Millis;
pub use tokens::TokenSet;
pub use user::SessionUser;
pub use warning::{Warning, WarningKind};

// The simulator and property tests use proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
