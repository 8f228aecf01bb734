//! For tests only (feature `testing`; never enable it in a build you ship):
//! a manual clock, the session driver behind [`SessionContext`] with its
//! raw inputs and counters, the stores and wire formats. These bypass the
//! session's rules (a test can feed tokens nobody verified), which is why
//! an app's own code cannot reach them without the feature.

pub use crate::api::AuthorizedClient;
use crate::browser::SessionContext;
pub use crate::browser::clock::Clock;
pub use crate::browser::context::provide_session_with;
pub use crate::browser::drafts::DraftStore;
pub use crate::browser::driver::{DriverOptions, DriverStats, SessionDriver};
pub use crate::browser::http::{FetchTransport, get, post_form, request};
pub use crate::browser::resources::{LiveResources, live_resources};
pub use crate::browser::storage::{KeyValueArea, SCHEMA_VERSION, SessionStore};
pub use crate::browser::tab_channel::{PROTOCOL_VERSION, TabEvent};
pub use crate::browser::webcrypto::WebCryptoVerifier;

/// The driver behind a provided session.
pub fn driver(session: &SessionContext) -> SessionDriver {
    session.driver()
}

/// An authorized client on a driver started without Leptos (`None` when
/// the configuration names no API).
pub fn authorized_client(driver: SessionDriver) -> Option<AuthorizedClient> {
    AuthorizedClient::for_driver(driver)
}
