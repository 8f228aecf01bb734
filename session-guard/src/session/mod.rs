//! The session's rules and the values they work with, pure and clock free.
//!
//! What an app reads here: where the session stands ([`SessionState`]), who
//! is signed in ([`SessionUser`]), the warnings to show ([`Warning`]), why a
//! session ended ([`SignOutReason`]), the tokens in hand ([`TokenSet`]), and
//! every instant as [`Millis`] (milliseconds since the Unix epoch). What it
//! configures: the policy ([`SessionPolicy`], from a [`PolicyPreset`]), the
//! app client's limits ([`SessionSettings`]) and how long drafts are kept
//! ([`DraftRetention`]); `config.json` sets all three through
//! [`AppConfig`](crate::config::AppConfig).
//!
//! Inside, one state machine per tab decides every deadline: the browser
//! driver feeds it inputs with the current instant and performs what it
//! asks. Nothing in here reads a clock, touches the network or storage, or
//! draws a random number, so all of it is tested natively with a fake clock.

// The state machine and what it works with run in the browser driver
// (wasm only); native builds compile them for the tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod backoff;
pub(crate) mod draft_retention;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod input;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod machine;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod output;
pub(crate) mod policy;
pub(crate) mod reason;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod refresh;
pub(crate) mod secret;
pub(crate) mod settings;
pub(crate) mod skew;
pub(crate) mod snapshot;
pub(crate) mod state;
pub(crate) mod tab_message;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod time;
pub(crate) mod tokens;
pub(crate) mod user;
pub(crate) mod warning;
// The text kept in storage and sent between tabs; the browser driver moves it,
// native tests and the fuzz targets read it.
#[cfg_attr(
    not(any(target_arch = "wasm32", feature = "fuzzing")),
    allow(dead_code)
)]
pub(crate) mod wire_format;

// The browser driver's (wasm only) and the tests'.
#[allow(unused_imports)]
pub(crate) use backoff::Jitter;
pub use draft_retention::{DEFAULT_DRAFT_MAX_AGE, DraftFate, DraftRetention};
// The browser driver's (wasm only) and the tests'.
#[allow(unused_imports)]
pub(crate) use input::{CheckedClaim, Input};
// The browser driver's (wasm only) and the tests'.
#[allow(unused_imports)]
pub(crate) use machine::SessionMachine;
// The browser driver's (wasm only) and the tests'.
#[allow(unused_imports)]
pub(crate) use output::{Command, SessionEvent};
pub(crate) use policy::PolicyOverrides;
pub use policy::{PolicyError, PolicyPreset, SessionPolicy};
pub use reason::{SignOutReason, UnknownSignOutReason};
// The browser driver's (wasm only) and the tests'.
#[allow(unused_imports)]
pub(crate) use refresh::{Generation, RefreshError};
pub use secret::Secret;
pub use settings::{IdentityEndpoint, SessionSettings, SettingsNote};
pub use skew::ClockOffset;
pub use snapshot::SessionSnapshot;
pub use state::SessionState;
pub use tab_message::TabMessage;
pub use time::Millis;
pub use tokens::{MAX_EXPIRY_MARGIN, TokenSet};
pub use user::SessionUser;
pub use warning::{Warning, WarningKind};

// The simulator and property tests use proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
