//! The session driver in headless Chromium on a manual clock, against the
//! cognito-local started by `make test-browser`: timers at the machine's
//! deadlines, page events, two drivers sharing one session (one refresh,
//! sign-out reaching both), corrupt storage, leak-free cycles, drafts (kept
//! for their owner, expired after `drafts.max_age`, deleted on request).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use session_guard::browser::{Draft, SessionContext, StoredSignOut, use_unsaved_work};
use session_guard::cognito::Secret;
use session_guard::config::{AppConfig, TokenStorage};
use session_guard::json;
use session_guard::session::{DraftRetention, Millis, SessionState, SignOutReason, TabMessage};
use session_guard::testing::{
    Clock, DraftStore, DriverOptions, SCHEMA_VERSION, SessionDriver, SessionStore, TabEvent,
    live_resources, provide_session_with,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

fn config(preset: &str) -> AppConfig {
    let json = option_env!("SG_COGNITO_LOCAL_CONFIG")
        .expect("SG_COGNITO_LOCAL_CONFIG is not set: run with `make test-browser`, which starts cognito-local");
    config_with(json, preset)
}

/// A seeded pool's config with `preset` and session storage.
fn config_with(json: &str, preset: &str) -> AppConfig {
    emulator_config(Some(json), "config", |value| {
        value["session"]["preset"] = preset.into();
        value["storage"] = "session".into();
    })
}

/// The pool with 10-second tokens, for refreshes in real time.
fn short_config(preset: &str) -> AppConfig {
    let json = option_env!("SG_COGNITO_LOCAL_SHORT_CONFIG")
        .expect("SG_COGNITO_LOCAL_SHORT_CONFIG is not set: run with `make test-browser`");
    config_with(json, preset)
}

fn manual_options(clock: &Clock, listen_to_page: bool) -> DriverOptions {
    DriverOptions {
        clock: clock.clone(),
        channel_name: unique_channel(),
        listen_to_page,
    }
}

async fn signed_in_driver(preset: &str, clock: &Clock, options: DriverOptions) -> SessionDriver {
    let driver = SessionDriver::start(config(preset), options);
    eventually("restore finished", || !driver.view().restoring).await;
    driver
        .sign_in(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    let _ = clock;
    driver
}

#[wasm_bindgen_test]
async fn the_timer_is_armed_at_the_machines_deadline_and_fires_there() {
    clear_session_storage();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let driver = signed_in_driver("protective", &clock, manual_options(&clock, false)).await;
    let view = driver.view();
    let refresh_at = view.next_refresh_at.expect("a refresh is planned");
    assert_eq!(
        driver.armed_at(),
        Some(refresh_at.min(view.session_end.unwrap())),
        "one timer at the next wake-up"
    );
    // Just before the deadline nothing happens...
    driver.advance(Duration::from_millis(
        (refresh_at.0 - clock.now().0 - 1) as u64,
    ));
    sleep(50).await;
    assert_eq!(driver.stats().provider_refreshes, 0);
    // ...at it, the refresh starts and new tokens arrive.
    let before = view.tokens.unwrap().issued_at;
    driver.advance(Duration::from_millis(1));
    eventually("refreshed", || {
        driver.stats().provider_refreshes == 1 && driver.view().state == SessionState::Active
    })
    .await;
    assert!(driver.view().tokens.unwrap().issued_at >= before);
    assert!(
        driver.armed_at().unwrap() > clock.now(),
        "re-armed for the next deadline"
    );
    driver.dispose();
}

#[wasm_bindgen_test]
async fn a_page_that_becomes_visible_rechecks_deadlines_at_once() {
    clear_session_storage();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let driver = signed_in_driver("protective", &clock, manual_options(&clock, true)).await;
    let refresh_at = driver.view().next_refresh_at.unwrap();
    // A throttled background tab: time passes, the timer does not fire.
    clock.advance(Duration::from_millis(
        (refresh_at.0 - clock.now().0 + 1_000) as u64,
    ));
    sleep(50).await;
    assert_eq!(driver.stats().provider_refreshes, 0, "no timer fired");
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    eventually("the overdue refresh ran on visibilitychange", || {
        driver.stats().provider_refreshes == 1
    })
    .await;
    driver.dispose();
}

/// Two drivers in one page stand in for two tabs: separate BroadcastChannel
/// instances, one storage, one lock name. Real clock, 10-second tokens: both
/// timers fire at the same deadline, and the Web Lock lets one refresh.
#[wasm_bindgen_test]
async fn two_drivers_share_one_session_refresh_once_and_sign_out_together() {
    clear_session_storage();
    let options = DriverOptions {
        clock: Clock::System,
        channel_name: unique_channel(),
        listen_to_page: false,
    };
    let first = SessionDriver::start(short_config("protective"), options.clone());
    let second = SessionDriver::start(short_config("protective"), options);
    eventually("both restored", || {
        !first.view().restoring && !second.view().restoring
    })
    .await;
    first.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    eventually("the second tab learned of the sign-in", || {
        second.view().state == SessionState::Active
    })
    .await;
    eventually("the second tab knows the user", || {
        second.view().user.is_some()
    })
    .await;
    let refresh_at = first.view().next_refresh_at.unwrap();
    assert_eq!(
        second.view().next_refresh_at,
        Some(refresh_at),
        "both planned the same refresh"
    );
    let original = first.view().tokens.unwrap().id_token;

    for _ in 0..600 {
        let (a, b) = (first.view(), second.view());
        let renewed = |v: &session_guard::browser::SessionView| {
            v.tokens.as_ref().is_some_and(|t| t.id_token != original)
        };
        if renewed(&a)
            && renewed(&b)
            && a.state == SessionState::Active
            && b.state == SessionState::Active
        {
            break;
        }
        sleep(25).await;
    }
    let (a, b) = (first.stats(), second.stats());
    assert_eq!(
        a.provider_refreshes + b.provider_refreshes,
        1,
        "one refresh at the provider, not two: {a:?} {b:?}"
    );
    assert_eq!(
        first.view().tokens,
        second.view().tokens,
        "both tabs hold the same renewed tokens"
    );
    assert_ne!(first.view().tokens.unwrap().id_token, original);

    first.sign_out();
    eventually("the sign-out reached the other tab", || {
        second.view().state == SessionState::SignedOut
    })
    .await;
    assert_eq!(
        second.view().last_sign_out,
        Some(SignOutReason::SignedOutInAnotherTab)
    );
    assert!(
        first
            .store()
            .tokens_area()
            .get(&first.store().session_key())
            .unwrap()
            .is_none(),
        "tokens cleared"
    );
    first.dispose();
    second.dispose();
}

/// A session as an earlier build of the app stored it (and offered it to
/// other tabs).
const EARLIER_SNAPSHOT: &str = r#"{"tokens":{"id_token":"id-1700000000000","access_token":"access-1700000000000","refresh_token":"refresh-1699999000000","issued_at":1700000000000,"expires_at":1700003600000,"auth_time":1699999000000,"user":{"sub":"alice","username":"user-alice","email":"alice@example.com","groups":[]}},"session_started_at":1699999000000,"clock_offset":-1234,"last_activity":1700000100000}"#;

#[wasm_bindgen_test]
fn storage_and_messages_between_tabs_keep_the_format_of_earlier_builds() {
    let store = SessionStore::new(TokenStorage::Memory, "earlier-build");
    let stored = format!(r#"{{"v":{SCHEMA_VERSION},"snapshot":{EARLIER_SNAPSHOT}}}"#);
    store
        .tokens_area()
        .set(&store.session_key(), &stored)
        .unwrap();
    let snapshot = store
        .load()
        .expect("a session stored by an earlier build is read");
    store.save(&snapshot).unwrap();
    assert_eq!(
        store.tokens_area().get(&store.session_key()).unwrap(),
        Some(stored),
        "and written back byte for byte"
    );

    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let key = "session-guard.earlier-build.signed-out";
    for note in [
        r#"{"reason":"idle","at":1700000000000,"sub":"alice"}"#,
        r#"{"reason":"user","at":1700000000000,"sub":null}"#,
    ] {
        local.set_item(key, note).unwrap();
        let sign_out = store
            .last_sign_out()
            .expect("a sign-out note of an earlier build is read");
        local.remove_item(key).unwrap();
        store.save_sign_out(&sign_out);
        assert_eq!(local.get_item(key).unwrap().as_deref(), Some(note));
    }
    assert_eq!(
        store.last_sign_out(),
        Some(StoredSignOut {
            reason: "user".into(),
            at: 1_700_000_000_000,
            sub: None
        })
    );
    store.clear_sign_out();

    for (text, event) in [
        (r#""SessionWanted""#.to_owned(), TabEvent::SessionWanted),
        (
            format!(r#"{{"SessionOffered":{EARLIER_SNAPSHOT}}}"#),
            TabEvent::SessionOffered(snapshot),
        ),
        (
            r#"{"Session":{"Activity":{"at":42}}}"#.to_owned(),
            TabEvent::Session(TabMessage::Activity { at: Millis(42) }),
        ),
    ] {
        assert_eq!(json::to_string(&event), text);
        assert_eq!(json::from_str::<TabEvent>(&text), Ok(event));
    }
}

#[wasm_bindgen_test]
async fn corrupt_or_foreign_storage_is_cleared_and_the_user_signs_in_again() {
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    for planted in [
        "{not json".to_owned(),
        format!(
            r#"{{"v":{},"snapshot":{{"tokens":"truncated"}}}}"#,
            SCHEMA_VERSION
        ),
        r#"{"v":99,"snapshot":{}}"#.to_owned(),
    ] {
        clear_session_storage();
        let probe = SessionDriver::start(config("protective"), manual_options(&clock, false));
        let key = probe.store().session_key();
        probe.dispose();
        probe.store().tokens_area().set(&key, &planted).unwrap();
        let driver = SessionDriver::start(config("protective"), manual_options(&clock, false));
        eventually("restore finished", || !driver.view().restoring).await;
        assert_eq!(driver.view().state, SessionState::SignedOut);
        assert!(
            driver.store().tokens_area().get(&key).unwrap().is_none(),
            "the unreadable entry was removed"
        );
        driver
            .sign_in(EMAIL, &Secret::new(PASSWORD))
            .await
            .expect("signing in again works");
        assert_eq!(driver.view().state, SessionState::Active);
        driver.dispose();
    }
}

#[wasm_bindgen_test]
async fn a_stored_session_is_verified_and_restored_after_a_reload() {
    clear_session_storage();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let first = signed_in_driver("protective", &clock, manual_options(&clock, false)).await;
    let tokens = first.view().tokens;
    first.dispose();
    let reloaded = SessionDriver::start(config("protective"), manual_options(&clock, false));
    eventually("restored", || reloaded.view().state == SessionState::Active).await;
    assert_eq!(reloaded.view().tokens, tokens);
    assert_eq!(reloaded.view().user.unwrap().email.as_deref(), Some(EMAIL));
    reloaded.dispose();
}

#[wasm_bindgen_test]
async fn fifty_sign_in_sign_out_cycles_leave_no_listener_timer_or_channel() {
    clear_session_storage();
    any_spawner::Executor::init_wasm_bindgen().ok();
    let baseline = live_resources();
    for cycle in 0..50 {
        let owner = Owner::new();
        let session = owner.with(|| {
            provide_session_with(
                config("protective"),
                DriverOptions {
                    clock: Clock::System,
                    channel_name: unique_channel(),
                    listen_to_page: true,
                },
            )
        });
        let during = live_resources();
        assert!(
            during.listeners > baseline.listeners
                && during.timers > baseline.timers
                && during.channels > baseline.channels
        );
        let driver = session_guard::testing::driver(&session);
        eventually("restore finished", || !driver.view().restoring).await;
        driver
            .sign_in(EMAIL, &Secret::new(PASSWORD))
            .await
            .unwrap_or_else(|e| panic!("cycle {cycle}: {e}"));
        driver.sign_out();
        owner.cleanup();
        drop(owner);
        assert_eq!(live_resources(), baseline, "after cycle {cycle}");
    }
}

/// The ID token's claims as the app's own type: a claims struct an app
/// would write, read from the session the emulator signed in.
#[derive(Debug, serde::Deserialize)]
struct AppClaims {
    sub: String,
    #[serde(rename = "cognito:username")]
    username: String,
    email: String,
}

/// A type that needs a claim the pool never issues.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct TenantClaims {
    #[serde(rename = "custom:tenant")]
    tenant: String,
}

#[wasm_bindgen_test]
async fn the_signed_in_users_claims_read_into_the_apps_own_type() {
    any_spawner::Executor::init_wasm_bindgen().ok();
    clear_session_storage();
    let owner = Owner::new();
    let session = owner.with(|| {
        provide_session_with(
            config("protective"),
            DriverOptions {
                clock: Clock::System,
                channel_name: unique_channel(),
                listen_to_page: false,
            },
        )
    });
    let driver = session_guard::testing::driver(&session);
    eventually("restore finished", || !driver.view().restoring).await;
    // Read as a view would, but outside one: untracked.
    let app_claims = || untrack(|| session.claims::<AppClaims>());
    assert!(app_claims().is_none(), "nobody is signed in yet");
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    let user = session.user.get_untracked().expect("signed in");
    let claims = app_claims().expect("signed in").unwrap();
    assert_eq!(claims.sub, user.sub);
    assert_eq!(claims.username, user.username);
    assert_eq!(Some(claims.email), user.email);
    let missing = untrack(|| session.claims::<TenantClaims>())
        .expect("signed in")
        .unwrap_err();
    assert!(missing.to_string().contains("custom:tenant"), "{missing}");
    driver.sign_out();
    assert!(app_claims().is_none(), "signed out");
    owner.cleanup();
}

/// A session under `owner` with one editor of a new note titled `label`:
/// the returned signal is what the user types (nothing is saved yet).
fn editing_new_note(
    owner: &Owner,
    config: &AppConfig,
    clock: &Clock,
    label: &'static str,
) -> (SessionContext, RwSignal<String>) {
    owner.with(|| {
        let session = provide_session_with(config.clone(), manual_options(clock, false));
        let value = RwSignal::new(String::new());
        let saved = RwSignal::new(String::new());
        let _work = use_unsaved_work(
            "note:new".into(),
            Signal::stored(label.to_owned()),
            value.into(),
            saved.into(),
        );
        (session, value)
    })
}

#[wasm_bindgen_test]
async fn drafts_survive_a_forced_sign_out_and_come_back_only_for_the_same_user() {
    clear_session_storage();
    any_spawner::Executor::init_wasm_bindgen().ok();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let config = config("strict");
    let store = DraftStore::for_config(&config);
    let owner = Owner::new();
    let (session, value) = editing_new_note(&owner, &config, &clock, "Quarterly plan");
    let driver = session_guard::testing::driver(&session);
    let ended = Rc::new(RefCell::new(Vec::new()));
    let subscription = owner.with(|| {
        let ended = ended.clone();
        session.on_session_end(move |event| ended.borrow_mut().push(event.clone()))
    });
    eventually("restore finished", || !driver.view().restoring).await;
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    let sub = driver.view().user.unwrap().sub;
    value.set("Q3: hire two engineers".into());
    eventually("the work counts as unsaved", || {
        session
            .unsaved
            .with_untracked(|keys| keys.iter().any(|key| key == "note:new"))
    })
    .await;

    // Strict: 15 minutes without activity sign the user out; the draft is flushed first.
    driver.advance(Duration::from_secs(16 * 60));
    eventually("signed out for idleness", || {
        driver.view().state == SessionState::SignedOut
    })
    .await;
    assert_eq!(driver.view().last_sign_out, Some(SignOutReason::Idle));
    let drafts = store.load(&sub, clock.now());
    assert_eq!(drafts.len(), 1, "the draft was flushed before the sign-out");
    assert_eq!(drafts[0].value, "Q3: hire two engineers");
    assert_eq!(drafts[0].label, "Quarterly plan");
    assert_eq!(
        session.stored_sign_out().and_then(|s| s.reason()),
        Some(SignOutReason::Idle)
    );

    // One "session ended" event, with its reason and what was kept.
    {
        let ended = ended.borrow();
        assert_eq!(ended.len(), 1, "{ended:?}");
        assert_eq!(ended[0].reason, SignOutReason::Idle);
        assert_eq!(
            ended[0].user.as_ref().map(|user| user.sub.as_str()),
            Some(sub.as_str())
        );
        assert_eq!(ended[0].kept_drafts, vec!["Quarterly plan".to_owned()]);
    }

    // Another user signing in on this browser does not get it...
    driver.sign_in(OTHER, &Secret::new(PASSWORD)).await.unwrap();
    assert!(session.drafts().is_empty(), "drafts never cross users");
    driver.sign_out();
    {
        let ended = ended.borrow();
        assert_eq!(ended.len(), 2, "{ended:?}");
        assert_eq!(ended[1].reason, SignOutReason::User);
        let other = ended[1].user.as_ref().expect("who signed out");
        assert_ne!(other.sub, sub);
        // What this device keeps for the other user (the editor still on
        // the page was flushed for whoever was signed in), as the event says.
        let kept: Vec<String> = store
            .load(&other.sub, clock.now())
            .into_iter()
            .map(|draft| draft.label)
            .collect();
        assert_eq!(ended[1].kept_drafts, kept);
    }
    // Unsubscribed, the callback hears no more.
    subscription.unsubscribe();
    // ...the same user does.
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    let back = session.drafts();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].value, "Q3: hire two engineers");
    driver.sign_out();
    assert_eq!(ended.borrow().len(), 2, "no event after unsubscribing");
    owner.cleanup();
}

/// A burst of activity events costs a clock read and a comparison each: the
/// whole burst is one input to the machine. The per-event time is printed
/// for the record (budgets live in the benchmark, not in tests).
#[wasm_bindgen_test]
async fn a_burst_of_activity_events_is_one_input() {
    clear_session_storage();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let driver = signed_in_driver("protective", &clock, manual_options(&clock, true)).await;
    clock.advance(Duration::from_secs(2));
    let before = driver.stats().inputs;
    let window = web_sys::window().unwrap();
    let event = web_sys::Event::new("pointermove").unwrap();
    let performance = window.performance().unwrap();
    let started = performance.now();
    const EVENTS: u32 = 100_000;
    for _ in 0..EVENTS {
        window.dispatch_event(&event).unwrap();
    }
    let elapsed_ms = performance.now() - started;
    assert_eq!(
        driver.stats().inputs - before,
        1,
        "100,000 events within a second are one activity"
    );
    console_log!(
        "activity listener: {EVENTS} events in {elapsed_ms:.1} ms, {:.3} us per event (dispatch included)",
        elapsed_ms * 1000.0 / f64::from(EVENTS)
    );
    clock.advance(Duration::from_secs(2));
    window.dispatch_event(&event).unwrap();
    assert_eq!(
        driver.stats().inputs - before,
        2,
        "a later event counts again"
    );
    driver.dispose();
}

/// With tokens kept in memory only, a tab opened later asks the open tabs
/// for the session instead of showing the sign-in page.
#[wasm_bindgen_test]
async fn with_memory_storage_a_new_tab_gets_the_session_from_an_open_one() {
    clear_session_storage();
    let mut value: serde_json::Value =
        serde_json::from_str(option_env!("SG_COGNITO_LOCAL_CONFIG").unwrap()).unwrap();
    value["storage"] = "memory".into();
    let config = AppConfig::from_json(&value.to_string()).unwrap();
    let options = DriverOptions {
        clock: Clock::System,
        channel_name: unique_channel(),
        listen_to_page: false,
    };
    let open = SessionDriver::start(config.clone(), options.clone());
    eventually("restore finished", || !open.view().restoring).await;
    open.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    assert!(
        web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap()
            .length()
            .unwrap()
            == 0,
        "nothing written to Web Storage"
    );
    let later = SessionDriver::start(config, options);
    eventually("the new tab got the session", || {
        later.view().state == SessionState::Active
    })
    .await;
    assert_eq!(later.view().tokens, open.view().tokens);
    assert_eq!(later.view().user.unwrap().email.as_deref(), Some(EMAIL));
    open.dispose();
    later.dispose();
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The raw localStorage entry holding `sub`'s drafts (the store's key).
fn drafts_entry(config: &AppConfig, sub: &str) -> String {
    format!("session-guard.{}.drafts.{sub}", config.cognito.client_id)
}

/// A draft as an older version or another user's tab left it in storage.
fn stored_draft(key: &str, label: &str, saved_at: Option<Millis>) -> serde_json::Value {
    let mut draft =
        serde_json::json!({ "key": key, "label": label, "value": format!("text of {label}") });
    if let Some(at) = saved_at {
        draft["saved_at"] = at.0.into();
    }
    draft
}

fn keys_of(drafts: &[Draft]) -> Vec<&str> {
    let mut keys: Vec<&str> = drafts.iter().map(|d| d.key.as_str()).collect();
    keys.sort();
    keys
}

#[wasm_bindgen_test]
async fn expired_drafts_are_not_offered_and_are_removed_for_every_user() {
    clear_session_storage();
    any_spawner::Executor::init_wasm_bindgen().ok();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let json = option_env!("SG_COGNITO_LOCAL_CONFIG")
        .expect("SG_COGNITO_LOCAL_CONFIG is not set: run with `make test-browser`");
    let config = emulator_config(Some(json), "config", |value| {
        value["session"]["preset"] = "protective".into();
        value["storage"] = "session".into();
        value["drafts"] = serde_json::json!({ "max_age": "1h" });
    });
    let owner = Owner::new();
    let session =
        owner.with(|| provide_session_with(config.clone(), manual_options(&clock, false)));
    let driver = session_guard::testing::driver(&session);
    eventually("restore finished", || !driver.view().restoring).await;
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    let sub = driver.view().user.unwrap().sub;

    let now = clock.now();
    let minutes_ago = |m: i64| Some(Millis(now.0 - m * 60_000));
    let storage = local_storage();
    let mine = drafts_entry(&config, &sub);
    let gone = drafts_entry(&config, "someone-who-never-came-back");
    let other = drafts_entry(&config, "someone-else");
    storage
        .set_item(
            &mine,
            &serde_json::json!([
                stored_draft("note:1", "Old plan", minutes_ago(61)),
                stored_draft("note:2", "Recent plan", minutes_ago(59)),
                stored_draft("note:3", "Unstamped plan", None),
            ])
            .to_string(),
        )
        .unwrap();
    storage
        .set_item(
            &gone,
            &serde_json::json!([stored_draft("note:9", "Left behind", minutes_ago(120))])
                .to_string(),
        )
        .unwrap();
    storage
        .set_item(
            &other,
            &serde_json::json!([stored_draft("note:5", "Their plan", minutes_ago(30))]).to_string(),
        )
        .unwrap();

    // Offered back after sign-in: only what is younger than drafts.max_age;
    // a draft from before drafts were stamped counts from this first read.
    let offered = session.drafts();
    assert_eq!(keys_of(&offered), vec!["note:2", "note:3"]);
    let unstamped = offered.iter().find(|d| d.key == "note:3").unwrap();
    assert_eq!(unstamped.saved_at, now.0);
    // The expired ones are gone from the device, whoever they belonged to.
    let raw_mine = storage.get_item(&mine).unwrap().unwrap();
    assert!(!raw_mine.contains("Old plan"), "{raw_mine}");
    assert!(raw_mine.contains("Unstamped plan"));
    assert_eq!(
        storage.get_item(&gone).unwrap(),
        None,
        "nobody's expired draft is removed"
    );
    assert!(
        storage
            .get_item(&other)
            .unwrap()
            .unwrap()
            .contains("Their plan")
    );

    // Two minutes later the 59-minute-old draft has expired too; the one
    // stamped at the first read has not.
    driver.advance(Duration::from_secs(2 * 60));
    assert_eq!(keys_of(&session.drafts()), vec!["note:3"]);
    // Half an hour on, another user's draft expires when the store is written.
    driver.advance(Duration::from_secs(30 * 60));
    let store = DraftStore::for_config(&config);
    store
        .save(
            &sub,
            Draft {
                key: "note:4".into(),
                label: "Fresh".into(),
                value: "fresh text".into(),
                saved_at: clock.now().0,
            },
            clock.now(),
        )
        .unwrap();
    assert_eq!(
        storage.get_item(&other).unwrap(),
        None,
        "expired on a write"
    );
    driver.advance(Duration::from_secs(60 * 60));
    assert!(session.drafts().is_empty(), "every draft expired");
    assert_eq!(storage.get_item(&mine).unwrap(), None);
    driver.sign_out();
    owner.cleanup();
}

#[wasm_bindgen_test]
async fn signing_out_and_deleting_drafts_removes_this_users_drafts_and_keeps_anothers() {
    clear_session_storage();
    any_spawner::Executor::init_wasm_bindgen().ok();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let config = config("protective");
    let store = DraftStore::for_config(&config);
    let owner = Owner::new();
    let (session, value) = editing_new_note(&owner, &config, &clock, "Medical letter");
    let driver = session_guard::testing::driver(&session);
    eventually("restore finished", || !driver.view().restoring).await;
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    let sub = driver.view().user.unwrap().sub;
    store.delete_all_of(&sub).unwrap();
    let theirs = Draft {
        key: "note:12".into(),
        label: "Their letter".into(),
        value: "their text".into(),
        saved_at: clock.now().0,
    };
    store
        .save("another-user-of-this-computer", theirs.clone(), clock.now())
        .unwrap();

    // A plain sign-out keeps the work as a draft...
    value.set("Dear Dr. Lee".into());
    eventually("autosaved", || {
        store
            .load(&sub, clock.now())
            .iter()
            .any(|d| d.value == "Dear Dr. Lee")
    })
    .await;
    session.sign_out();
    eventually("signed out", || {
        driver.view().state == SessionState::SignedOut
    })
    .await;
    assert_eq!(
        store.load(&sub, clock.now()).len(),
        1,
        "kept by a plain sign-out"
    );

    // ...signing out and deleting drafts leaves none of this user's, even
    // with more typing not yet autosaved, and the other user's stays.
    driver.sign_in(EMAIL, &Secret::new(PASSWORD)).await.unwrap();
    value.set("Dear Dr. Lee, about my results".into());
    session.sign_out_deleting_drafts();
    eventually("signed out", || {
        driver.view().state == SessionState::SignedOut
    })
    .await;
    // Past the autosave debounce: nothing writes the work back.
    sleep(1_200).await;
    assert!(
        store.load(&sub, clock.now()).is_empty(),
        "this user's drafts are gone"
    );
    assert_eq!(
        local_storage()
            .get_item(&drafts_entry(&config, &sub))
            .unwrap(),
        None
    );
    assert_eq!(
        store.load("another-user-of-this-computer", clock.now()),
        vec![theirs],
        "another user's draft is not touched"
    );
    let stored = session.stored_sign_out().expect("the sign-out is recorded");
    assert_eq!(stored.reason(), Some(SignOutReason::UserDeletedDrafts));
    assert_eq!(stored.sub.as_deref(), Some(sub.as_str()));
    store
        .delete_all_of("another-user-of-this-computer")
        .unwrap();
    owner.cleanup();
}

/// Drafts kept on a device by earlier versions of the app read the same,
/// and are written back in that form.
#[wasm_bindgen_test]
fn drafts_are_stored_in_the_form_earlier_versions_wrote() {
    let store = DraftStore::new("draftformclient", DraftRetention::default());
    let entry = "session-guard.draftformclient.drafts.someone";
    let storage = local_storage();
    let now = Millis(js_sys::Date::now() as i64);
    let earlier = now.0 - 60_000;
    storage
        .set_item(
            entry,
            &format!(
                r#"[{{"value":"{{\"id\":7}}","key":"note:7","label":"Plan","saved_at":{earlier},"colour":"red"}}]"#
            ),
        )
        .unwrap();
    let kept = Draft {
        key: "note:7".into(),
        label: "Plan".into(),
        value: r#"{"id":7}"#.into(),
        saved_at: earlier,
    };
    assert_eq!(store.load("someone", now), vec![kept]);
    let new = Draft {
        key: "note:new".into(),
        label: "New \"one\"".into(),
        value: "text\n".into(),
        saved_at: now.0,
    };
    store.save("someone", new, now).unwrap();
    assert_eq!(
        storage.get_item(entry).unwrap().unwrap(),
        format!(
            r#"[{{"key":"note:7","label":"Plan","value":"{{\"id\":7}}","saved_at":{earlier}}},{{"key":"note:new","label":"New \"one\"","value":"text\n","saved_at":{}}}]"#,
            now.0
        )
    );
    store.delete_all_of("someone").unwrap();
}
