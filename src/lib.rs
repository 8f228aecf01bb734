//! Session Guard: a client-side session manager for Amazon Cognito user pools
//! that keeps tokens fresh, knows when the session must end, and never loses
//! the user's work. See DESIGN.md in the shared folder for the architecture:
//! `config` and `session` are pure and tested natively; `browser` is the only
//! module that touches the browser; `ui` only renders state.

pub mod browser;
pub mod cognito;
pub mod config;
pub mod session;
pub mod ui;
