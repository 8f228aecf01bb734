//! Session Guard's demo notes API: per-user notes behind a Cognito ID token.
//!
//! Every `/notes` request needs `Authorization: Bearer <ID token>`; the token
//! is checked by the app's own verifier (`session_guard::cognito`), so the
//! browser and the API accept exactly the same tokens: RS256 against the user
//! pool's JWKS, then `iss`, `token_use`, `aud` and the times. `/health` and
//! `/stats` need no token. Notes live in SQLite (default) or PostgreSQL
//! ([`Store`]), one user's apart from another's by the token's `sub`.
//! [`router`] builds the whole API so tests can serve it on 127.0.0.1:0.

pub mod api;
pub mod config;
pub mod rejection;
pub mod stats;
pub mod store;
pub mod time;
pub mod verify;

pub use api::{AllowedOrigins, LogSink, router};
pub use config::{ConfigError, Settings};
pub use store::{Backend, ImportOutcome, Store, StoreOptions};
pub use verify::{JwksOptions, Verifier};
