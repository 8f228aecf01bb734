//! The session in the browser (wasm32 only): [`provide_session`] near the
//! root (or `<SessionGuard>`, which calls it), [`use_session`] anywhere for
//! the [`SessionContext`] (signals and actions), [`use_unsaved_work`] for
//! editors, the configuration loader ([`load_config`]), the drafts kept on
//! the device ([`Draft`]), and local-time formatting for countdowns.
//!
//! Everything that touches the browser (fetching, storage, timers,
//! listeners, tab sync) lives here; nothing outside this module calls
//! web-sys directly.

pub(crate) mod clock;
mod config_source;
pub(crate) mod context;
pub(crate) mod csp;
pub(crate) mod drafts;
pub(crate) mod driver;
#[cfg(feature = "components")]
pub(crate) mod focus;
pub(crate) mod http;
mod local_time;
mod performance;
pub(crate) mod resources;
pub(crate) mod storage;
pub(crate) mod tab_channel;
mod waiters;
mod web_lock;
pub(crate) mod webcrypto;

// What apps use.
pub use config_source::{CONFIG_URL, load_config, load_config_from};
pub use context::{
    SessionContext, SessionEnded, Subscription, UnsavedWork, provide_session, try_use_session,
    use_session, use_unsaved_work,
};
pub use csp::narrow_connect_src;
pub use drafts::{Draft, DraftSaveError};
pub use driver::{
    SessionUnavailable, SessionView, SignInError, SignInOutcome, SignInPurpose,
    SignOutEverywhereError,
};
pub use local_time::{
    clock_time, clock_time_seconds, clock_time_with_day, countdown, distance, parse_instant,
    wall_clock_now,
};
pub use storage::{StorageError, StoredSignOut};

// The library's own (components, the authorized client) and, through
// `crate::testing`, tests'.
#[allow(unused_imports)]
pub(crate) use clock::Clock;
#[allow(unused_imports)]
pub(crate) use context::provide_session_with;
#[allow(unused_imports)]
pub(crate) use csp::connect_sources;
#[allow(unused_imports)]
pub(crate) use drafts::DraftStore;
#[allow(unused_imports)]
pub(crate) use driver::{DriverOptions, DriverStats, SessionDriver};
#[cfg(feature = "components")]
#[allow(unused_imports)]
pub(crate) use focus::{capture_focus, focusable_elements, restore_focus, trap_tab, unique_id};
#[allow(unused_imports)]
pub(crate) use http::{FetchTransport, get, request};
#[cfg(feature = "components")]
pub(crate) use performance::mark_ready;
#[allow(unused_imports)]
pub(crate) use storage::{SCHEMA_VERSION, SessionStore};
#[allow(unused_imports)]
pub(crate) use tab_channel::{PROTOCOL_VERSION, TabEvent};
#[allow(unused_imports)]
pub(crate) use webcrypto::WebCryptoVerifier;
