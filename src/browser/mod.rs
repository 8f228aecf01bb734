//! Everything that touches the browser: fetching, storage, timers, listeners.
//! Nothing outside this module calls web-sys directly.

mod config_source;
mod http;
mod performance;
mod webcrypto;

pub use config_source::{CONFIG_URL, load_config, load_config_from};
pub use http::{FetchTransport, get};
pub use performance::mark_ready;
pub use webcrypto::WebCryptoVerifier;
