//! Leptos components. They render state and send inputs; no timing logic.

mod app;
mod config_error;
mod sign_in;

pub use app::App;
pub use config_error::ConfigErrorPage;
pub use sign_in::SignInPage;
