//! Everything that touches the browser: fetching, storage, timers, listeners,
//! tab sync. Nothing outside this module calls web-sys directly.

mod clock;
mod config_source;
mod context;
mod csp;
mod drafts;
mod driver;
mod focus;
mod http;
mod local_time;
mod performance;
mod resources;
mod storage;
mod tab_channel;
mod waiters;
mod web_lock;
mod webcrypto;

pub use clock::Clock;
pub use config_source::{CONFIG_URL, load_config, load_config_from};
pub use context::{
    SessionContext, UnsavedWork, provide_session, provide_session_with, try_use_session,
    use_session, use_unsaved_work,
};
pub use csp::{connect_sources, narrow_connect_src};
pub use drafts::{Draft, DraftSaveError, DraftStore};
pub use driver::{
    DriverOptions, DriverStats, SessionDriver, SessionUnavailable, SessionView, SignInError,
    SignInOutcome, SignInPurpose, SignOutEverywhereError,
};
pub use focus::{capture_focus, focusable_elements, restore_focus, trap_tab, unique_id};
pub use http::{FetchTransport, get, post_form, request};
pub use local_time::{
    clock_time, clock_time_seconds, clock_time_with_day, countdown, distance, parse_instant,
    wall_clock_now,
};
pub use performance::mark_ready;
pub use resources::{LiveResources, live_resources};
pub use storage::{SCHEMA_VERSION, SessionStore, StorageError, StoredSignOut};
pub use tab_channel::{PROTOCOL_VERSION, TabEvent};
pub use webcrypto::WebCryptoVerifier;
