//! Helpers shared by the browser test files (each includes this with `mod support;`).
#![allow(dead_code)]

pub mod dom;

use session_guard::config::AppConfig;

/// The users `make test-browser` seeds (scripts/with-emulators.sh).
pub const EMAIL: &str = "demo@example.com";
pub const OTHER: &str = "other@example.com";
pub const PASSWORD: &str = "Demo-Passw0rd!";

/// A seeded emulator's config.json (passed at compile time by
/// scripts/with-emulators.sh), with `edit` applied before validation.
pub fn emulator_config(
    json: Option<&str>,
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> AppConfig {
    let json = json.unwrap_or_else(|| {
        panic!("{name} is not set: run these tests with `make test-browser`, which starts and seeds the emulators")
    });
    let mut value: serde_json::Value = serde_json::from_str(json).expect("seeded config is JSON");
    edit(&mut value);
    AppConfig::from_json(&value.to_string()).expect("valid test config")
}

pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits (real time, up to 10 s) until `condition` holds, or fails naming `what`.
pub async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

pub fn clear_session_storage() {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

/// A BroadcastChannel / lock name no other test uses.
pub fn unique_channel() -> String {
    format!("sg-test-{}", (js_sys::Math::random() * 1e12) as u64)
}
