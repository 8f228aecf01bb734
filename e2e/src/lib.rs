//! The end-to-end harness: starts a real Cognito emulator, serves the release
//! build, and drives headless Chromium through chromedriver. Every process it
//! starts is a [`ChildProcess`] that is killed when dropped, so a failing
//! (panicking) test still cleans up.

mod app;
mod browser;
mod cognito_local;
mod process;
mod proxy;
pub mod scope;
mod site;
mod stack;

pub use app::{EMAIL, PASSWORD};
pub use browser::Browser;
pub use cognito_local::{CognitoLocal, Seed};
pub use process::{ChildProcess, free_port, repo_root, wait_for_port};
pub use proxy::{Fault, FaultProxy, REFRESH};
pub use site::StaticSite;
pub use stack::{NotesApi, Stack, cognito_call, wait_until};

use std::future::Future;
use std::time::Duration;

/// Runs one scenario with a hard time limit, so a hang fails the test instead
/// of stalling CI.
pub async fn bounded<T>(limit: Duration, scenario: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, scenario).await {
        Ok(value) => value,
        Err(_) => panic!("scenario did not finish within {limit:?}"),
    }
}
