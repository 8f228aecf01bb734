//! Session Guard: a client-side session manager for Amazon Cognito user pools
//! that keeps tokens fresh, knows when the session must end, and never loses
//! the user's work. The architecture (the README's "Layout" has more):
//! `config`, `session` and `cognito` are pure and tested natively; `browser`
//! is the only module that touches the browser; `api` sends the app's own
//! API calls with the right token.

pub mod cognito;
pub mod config;
pub mod json;
pub mod qr;
pub mod session;

// Browser-only: compiled for wasm32 (web-sys's Web Locks binding needs the
// target's `web_sys_unstable_apis` cfg). Native builds check the pure core only.
#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(all(target_arch = "wasm32", feature = "components"))]
pub mod components;
#[cfg(all(target_arch = "wasm32", feature = "testing"))]
pub mod testing;
