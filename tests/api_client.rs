//! The authorized API client against the demo notes API and cognito-local
//! (both started by `make test-browser`): the ID token is sent and accepted,
//! an expired token is never sent, concurrent calls share one refresh, and a
//! 401 causes exactly one refresh and one retry.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use session_guard::api::ApiError;
use session_guard::cognito::Secret;
use session_guard::config::AppConfig;
use session_guard::session::SessionState;
use session_guard::testing::{Clock, DriverOptions, SessionDriver, get};
use session_guard_notes::notes_client::NotesClient;
use wasm_bindgen_futures::spawn_local;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../session-guard/tests/support/mod.rs"]
mod support;
use support::*;

fn config_from(json: Option<&str>, name: &str, api_override: Option<&str>) -> AppConfig {
    emulator_config(json, name, |value| {
        value["storage"] = "session".into();
        if let Some(url) = api_override {
            value["api"]["base_url"] = url.into();
        }
    })
}

/// 2-minute tokens.
fn config() -> AppConfig {
    config_from(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        None,
    )
}

/// 10-second tokens: expiry and refresh happen within a test.
fn short_config() -> AppConfig {
    config_from(
        option_env!("SG_COGNITO_LOCAL_SHORT_CONFIG"),
        "SG_COGNITO_LOCAL_SHORT_CONFIG",
        None,
    )
}

async fn signed_in(config: AppConfig) -> SessionDriver {
    clear_session_storage();
    let options = DriverOptions {
        clock: Clock::System,
        channel_name: unique_channel(),
        listen_to_page: false,
    };
    let driver = SessionDriver::start(config, options);
    eventually("restore finished", || !driver.view().restoring).await;
    driver
        .sign_in(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    driver
}

/// The notes API's counters (`GET /stats`, no token needed).
async fn stats(base_url: &str) -> serde_json::Value {
    let response = get(&format!("{base_url}/stats"), Duration::from_secs(5))
        .await
        .expect("stats answer");
    serde_json::from_str(&response.body).expect("stats JSON")
}

fn rejected_total(stats: &serde_json::Value) -> u64 {
    stats["rejected"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(serde_json::Value::as_u64)
        .sum()
}

#[wasm_bindgen_test]
async fn the_id_token_is_sent_and_accepted() {
    let driver = signed_in(config()).await;
    let base_url = driver.config().api.base_url.clone().unwrap();
    let before = stats(&base_url).await;
    let notes = NotesClient::from_client(session_guard::testing::authorized_client(driver.clone()))
        .unwrap();
    let created = notes
        .create("Quarterly plan", "Hire two engineers")
        .await
        .expect("create");
    let listed = notes.list().await.expect("list");
    assert!(
        listed
            .iter()
            .any(|note| note.id == created.id && note.title == "Quarterly plan")
    );
    assert_eq!(
        notes.get(created.id).await.unwrap().body,
        "Hire two engineers"
    );

    let after = stats(&base_url).await;
    let accepted = after["requests_with_valid_token"].as_u64().unwrap()
        - before["requests_with_valid_token"].as_u64().unwrap();
    assert_eq!(accepted, 3, "three calls, three accepted ID tokens");
    assert_eq!(
        rejected_total(&after),
        rejected_total(&before),
        "nothing refused"
    );
    let tokens = driver.view().tokens.unwrap();
    let iat_secs = tokens.issued_at.0 / 1000;
    let sub = driver.view().user.unwrap().sub;
    let seen = after["tokens_seen"].as_array().unwrap();
    assert!(
        seen.iter().any(|t| t["iat"].as_i64() == Some(iat_secs)
            && sub.starts_with(t["sub_prefix"].as_str().unwrap())),
        "the API saw this session's ID token: {seen:?}"
    );
    driver.dispose();
}

#[wasm_bindgen_test]
async fn an_expired_token_is_never_sent_across_token_lifetimes() {
    let driver = signed_in(short_config()).await;
    let base_url = driver.config().api.base_url.clone().unwrap();
    let before = stats(&base_url).await;
    let notes = NotesClient::from_client(session_guard::testing::authorized_client(driver.clone()))
        .unwrap();
    let started = js_sys::Date::now();
    let mut calls = 0;
    // 10-second tokens, 14 seconds of calls: at least one expiry is crossed.
    while js_sys::Date::now() - started < 14_000.0 {
        notes
            .list()
            .await
            .unwrap_or_else(|error| panic!("call {calls} failed: {error}"));
        calls += 1;
        sleep(200).await;
    }
    let after = stats(&base_url).await;
    assert_eq!(
        after["rejected"]["expired"], before["rejected"]["expired"],
        "no expired token was sent"
    );
    assert_eq!(rejected_total(&after), rejected_total(&before));
    assert!(
        driver.stats().provider_refreshes >= 1,
        "the tokens were renewed meanwhile"
    );
    assert!(calls >= 40, "{calls} calls");
    driver.dispose();
}

#[wasm_bindgen_test]
async fn ten_concurrent_calls_with_an_about_to_expire_token_cause_one_refresh() {
    let driver = signed_in(short_config()).await;
    let notes = NotesClient::from_client(session_guard::testing::authorized_client(driver.clone()))
        .unwrap();
    // 10-second tokens: wait until less than 5 s are left (the client's
    // minimum) but before the core's own refresh 2 s before expiry.
    eventually("tokens about to expire", || {
        let view = driver.view();
        view.tokens_expire_at.unwrap().0 - driver.now().0 < 4_500
    })
    .await;
    assert_eq!(
        driver.stats().provider_refreshes,
        0,
        "the core has not refreshed yet"
    );
    let results: Rc<RefCell<Vec<Result<usize, ApiError>>>> = Rc::default();
    for _ in 0..10 {
        let (notes, results) = (notes.clone(), results.clone());
        spawn_local(async move {
            let result = notes.list().await.map(|list| list.len());
            results.borrow_mut().push(result);
        });
    }
    eventually("all ten calls finished", || results.borrow().len() == 10).await;
    for result in results.borrow().iter() {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(
        driver.stats().provider_refreshes,
        1,
        "ten calls shared one refresh"
    );
    assert_eq!(driver.view().state, SessionState::Active);
    driver.dispose();
}

#[wasm_bindgen_test]
async fn a_401_causes_one_refresh_and_one_retry() {
    let wrong =
        option_env!("SG_NOTES_API_WRONG_AUDIENCE_URL").expect("run with `make test-browser`");
    let config = config_from(
        option_env!("SG_COGNITO_LOCAL_SHORT_CONFIG"),
        "SG_COGNITO_LOCAL_SHORT_CONFIG",
        Some(wrong),
    );
    let driver = signed_in(config).await;
    let before = stats(wrong).await;
    let notes = NotesClient::from_client(session_guard::testing::authorized_client(driver.clone()))
        .unwrap();
    let error = notes.list().await.unwrap_err();
    assert_eq!(error, ApiError::Unauthorized);
    assert_eq!(
        driver.stats().provider_refreshes,
        1,
        "one refresh after the 401"
    );
    let after = stats(wrong).await;
    let refused = after["rejected"]["wrong_audience"].as_u64().unwrap()
        - before["rejected"]["wrong_audience"].as_u64().unwrap();
    assert_eq!(refused, 2, "the call and its one retry");
    assert_eq!(
        driver.view().state,
        SessionState::Active,
        "a refused API call does not end the session"
    );
    driver.dispose();
}

#[wasm_bindgen_test]
async fn an_api_that_never_answers_times_out_with_a_message_and_loses_nothing() {
    let silent = option_env!("SG_SILENT_API_URL").expect("run with `make test-browser`");
    let config = emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |value| {
            value["storage"] = "session".into();
            value["api"] = serde_json::json!({ "base_url": silent, "request_timeout": "1s" });
        },
    );
    let driver = signed_in(config).await;
    let notes = NotesClient::from_client(session_guard::testing::authorized_client(driver.clone()))
        .unwrap();
    let started = js_sys::Date::now();
    let result = notes.list().await;
    let waited = js_sys::Date::now() - started;
    assert_eq!(result.err(), Some(ApiError::Timeout));
    assert!(
        (900.0..5_000.0).contains(&waited),
        "gave up after the configured second, not the browser's minutes: {waited} ms"
    );
    assert!(
        ApiError::Timeout.to_string().contains("your work is kept"),
        "the message says nothing was lost"
    );
    assert_eq!(
        driver.view().state,
        SessionState::Active,
        "the session is untouched"
    );
    driver.dispose();
}
