//! Everything that touches the browser: fetching, storage, timers, listeners,
//! tab sync. Nothing outside this module calls web-sys directly.

mod clock;
mod config_source;
mod context;
mod drafts;
mod driver;
mod http;
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
    SessionContext, UnsavedWork, provide_session, provide_session_with, use_session,
    use_unsaved_work,
};
pub use drafts::{Draft, DraftStore};
pub use driver::{
    DriverOptions, DriverStats, SessionDriver, SessionUnavailable, SessionView, SignInError,
};
pub use http::{FetchTransport, get};
pub use performance::mark_ready;
pub use resources::{LiveResources, live_resources};
pub use storage::{SCHEMA_VERSION, SessionStore, StorageError, StoredSignOut};
pub use tab_channel::{PROTOCOL_VERSION, TabEvent};
pub use webcrypto::WebCryptoVerifier;
