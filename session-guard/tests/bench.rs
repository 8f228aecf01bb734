//! The in-browser half of `make bench` (the rest is `e2e/src/bin/bench.rs`):
//! figures that need the app's own code in this page rather than a WebDriver
//! at arm's length. Ignored by the test tiers; `scripts/bench.sh` runs them in
//! the release profile with `--include-ignored --nocapture` and reads the
//! `BENCH {json}` lines. They assert only what must hold for the figure to
//! mean anything.
#![cfg(target_arch = "wasm32")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use js_sys::Function;
use serde_json::json;
use session_guard::cognito::srp::{PasswordVerifierChallenge, SrpClient};
use session_guard::cognito::{
    CognitoClient, Secret, TimeCheck, TokenVerifier, VerificationSettings,
};
use session_guard::testing;
use session_guard::testing::{Clock, DriverOptions, SessionDriver, WebCryptoVerifier};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

/// Counts every allocation (and reallocation) of this test binary.
struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn report(name: &str, value: serde_json::Value) {
    web_sys::console::log_1(&format!("BENCH {}", json!({ "name": name, "value": value })).into());
}

/// Median, min and max in the report's shape.
fn summary(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    json!({
        "median": samples[samples.len() / 2],
        "min": samples[0],
        "max": samples[samples.len() - 1],
        "runs": samples.len(),
    })
}

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Dispatches `count` pointermove events to the window from JavaScript and
/// returns the milliseconds it took.
fn dispatch_burst(count: u32) -> f64 {
    let burst = Function::new_with_args(
        "count",
        "const event = new Event('pointermove'); const start = performance.now();\
         for (let i = 0; i < count; i++) window.dispatchEvent(event);\
         return performance.now() - start;",
    );
    burst
        .call1(&JsValue::NULL, &JsValue::from(count))
        .unwrap()
        .as_f64()
        .unwrap()
}

/// 4. Activity cost: the driver's listener on a signed-in page with the
/// system clock, as in the app. The same burst with no listener is measured
/// too, so the listener's own share can be read off.
#[wasm_bindgen_test]
#[ignore = "benchmark: run by make bench"]
async fn bench_activity_cost() {
    const EVENTS: u32 = 100_000;
    const RUNS: usize = 7;
    clear_session_storage();
    let mut baseline = Vec::new();
    for _ in 0..RUNS {
        baseline.push(dispatch_burst(EVENTS) * 1000.0 / f64::from(EVENTS));
    }
    let config = emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |value| {
            value["storage"] = "session".into();
        },
    );
    let driver = SessionDriver::start(
        config,
        DriverOptions {
            clock: Clock::System,
            channel_name: unique_channel(),
            listen_to_page: true,
        },
    );
    eventually("restore finished", || !driver.view().restoring).await;
    driver
        .sign_in(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    // Warm up (JIT, first activity input), then measure.
    dispatch_burst(1_000);
    let (mut per_event, mut allocations) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let elapsed = dispatch_burst(EVENTS);
        let allocated = ALLOCATIONS.load(Ordering::Relaxed) - before;
        per_event.push(elapsed * 1000.0 / f64::from(EVENTS));
        allocations.push(allocated as f64 / f64::from(EVENTS));
    }
    driver.dispose();
    report(
        "activity",
        json!({
            "events": EVENTS,
            "us_per_event": summary(per_event),
            "us_per_event_without_listener": summary(baseline),
            "allocations_per_event": summary(allocations),
        }),
    );
}

/// 6. Token verification: one ID token of cognito-local against a cached
/// JWKS (key imported, WebCrypto verify), and the first verification of a
/// fresh verifier, which downloads the JWKS and imports the key.
#[wasm_bindgen_test]
#[ignore = "benchmark: run by make bench"]
async fn bench_token_verification() {
    const RUNS: usize = 21;
    let config = emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |_| {},
    );
    let tokens = CognitoClient::new(config.cognito.clone(), testing::FetchTransport)
        .initiate_auth_password(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    let settings = VerificationSettings::from_config(&config.cognito);
    let jwks_url = config.cognito.jwks_url();
    let now_secs = (js_sys::Date::now() / 1000.0) as u64;
    let fetch = async || testing::get(&jwks_url, Duration::from_secs(5)).await;

    let mut first = Vec::new();
    for _ in 0..RUNS {
        let mut verifier = TokenVerifier::new(settings.clone(), WebCryptoVerifier::default());
        let start = now_ms();
        verifier
            .verify_id_token(tokens.id_token.expose(), TimeCheck::At { now_secs }, fetch)
            .await
            .expect("verifies");
        first.push(now_ms() - start);
    }
    let mut verifier = TokenVerifier::new(settings.clone(), WebCryptoVerifier::default());
    verifier
        .verify_id_token(tokens.id_token.expose(), TimeCheck::At { now_secs }, fetch)
        .await
        .unwrap();
    let mut cached = Vec::new();
    for _ in 0..RUNS {
        let start = now_ms();
        verifier
            .verify_id_token(tokens.id_token.expose(), TimeCheck::At { now_secs }, fetch)
            .await
            .expect("verifies");
        cached.push(now_ms() - start);
    }
    report(
        "verification",
        json!({ "cached_ms": summary(cached), "first_with_jwks_fetch_ms": summary(first) }),
    );
}

/// SRP sign-in arithmetic: `A = g^a`, prepared while the user
/// types, and the proof computed after the PASSWORD_VERIFIER challenge.
#[wasm_bindgen_test]
#[ignore = "benchmark: run by make bench"]
fn bench_srp() {
    const RUNS: usize = 7;
    let challenge = PasswordVerifierChallenge {
        salt_hex: "f3a1b2c3d4e5f60718293a4b5c6d7e8f",
        b_hex: &"7e".repeat(384),
        secret_block: "c2VjcmV0IGJsb2Nr",
        user_id: "7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
    };
    let (mut prepare, mut prove) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let random = [run as u8 ^ 0xa5; 128];
        let start = now_ms();
        let srp = SrpClient::new(&random).unwrap();
        let prepared = now_ms();
        srp.password_claim(
            "us-east-1_Pool",
            &challenge,
            &Secret::new(PASSWORD),
            "Sun Nov 29 05:22:45 UTC 2026",
        )
        .unwrap();
        prove.push(now_ms() - prepared);
        prepare.push(prepared - start);
    }
    report(
        "srp",
        json!({ "prepare_a_ms": summary(prepare), "proof_ms": summary(prove) }),
    );
}
