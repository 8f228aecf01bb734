//! End to end: the release build in headless Chromium against cognito-local
//! (behind the fault proxy) and the notes API, in real time with short token
//! lifetimes. Each scenario is bounded in time so a failure cannot hang CI.

use std::time::{Duration, Instant};

use serde_json::json;
use session_guard_e2e::{
    Browser, EMAIL, PASSWORD, REFRESH, Seed, Stack, bounded, cognito_call, wait_until,
};

/// Scenario 1: sign in, write and save a note, reload: it is there, and the
/// notes API saw (and accepted) the ID token.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_write_save_reload_and_the_api_accepted_the_id_token() {
    bounded(Duration::from_secs(90), async {
        let stack = Stack::start(Seed::default(), json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.click(".new-note").await;
        browser
            .wait_for("#note-title", Duration::from_secs(5))
            .await;
        browser.type_into("#note-title", "Quarterly plan").await;
        browser.type_into("#note-body", "Hire two engineers.").await;
        browser
            .wait_for(".unsaved-marker", Duration::from_secs(5))
            .await;
        browser.screenshot("signed-in-editor").await;
        browser.click(".save-note").await;
        browser
            .wait_for(".saved-marker", Duration::from_secs(10))
            .await;

        browser.client.refresh().await.expect("reload");
        browser.wait_signed_in_as(EMAIL).await;
        browser
            .wait_for_text(".notes-list", "Quarterly plan", Duration::from_secs(10))
            .await;

        let stats = stack.notes.stats().await;
        assert!(
            stats["requests_with_valid_token"].as_u64().unwrap() >= 2,
            "{stats}"
        );
        let refused: u64 = stats["rejected"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|v| v.as_u64())
            .sum();
        assert_eq!(refused, 0, "the API refused nothing: {stats}");
        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}

/// Scenario 4: sign out in one tab: the other tabs show the sign-in page
/// within a second, and the refresh token is revoked at the emulator.
#[tokio::test(flavor = "multi_thread")]
async fn signing_out_in_one_tab_signs_out_every_tab_and_revokes_the_refresh_token() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed { storage: "local", ..Seed::default() };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let first = browser.client.window().await.unwrap();
        let mut others = Vec::new();
        for _ in 0..2 {
            others.push(browser.open_tab(&stack.site.url).await);
            browser.wait_signed_in_as(EMAIL).await;
        }
        browser.switch_to(&first).await;
        let refresh_token = browser
            .run(
                "for (const key of Object.keys(localStorage)) { if (key.endsWith('.session')) \
                 return JSON.parse(localStorage.getItem(key)).snapshot.tokens.refresh_token; } return null;",
                vec![],
            )
            .await;
        let refresh_token = refresh_token.as_str().expect("the session is in localStorage").to_owned();
        browser.click(".status-bar .sign-out").await;
        let signed_out_at = Instant::now();
        for tab in &others {
            browser.switch_to(tab).await;
            browser.wait_for(".sign-in-form", Duration::from_secs(5)).await;
        }
        let elapsed = signed_out_at.elapsed();
        assert!(elapsed < Duration::from_millis(1_500), "other tabs took {elapsed:?} to sign out (WebDriver round trips included)");

        wait_until("the refresh token was revoked", Duration::from_secs(5), async || {
            (stack.proxy.count("RevokeToken") >= 1).then_some(())
        })
        .await;
        let client_id = stack.config["cognito"]["client_id"].as_str().unwrap();
        let (status, body) = cognito_call(
            &stack.cognito.endpoint,
            "InitiateAuth",
            json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id, "AuthParameters": { "REFRESH_TOKEN": refresh_token } }),
        )
        .await;
        assert_eq!(status, 400, "a refresh with the revoked token is refused: {body}");
        assert_eq!(body["__type"].as_str().map(|t| t.rsplit('#').next().unwrap()), Some("NotAuthorizedException"), "{body}");
        browser.close().await;
    })
    .await;
}

/// Scenarios 2 and 3: with no user action for three 10-second token
/// lifetimes, the app refreshes once per lifetime, before expiry, however
/// many tabs are open.
async fn refreshes_over_three_lifetimes(tabs: usize) -> Vec<Duration> {
    let stack = Stack::start(Seed::short_tokens_shared_by_tabs(), json!({})).await;
    let browser = Browser::signed_in(&stack.site.url).await;
    let signed_in = Instant::now();
    for _ in 1..tabs {
        browser.open_signed_in_tab(&stack.site.url).await;
    }
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(signed_in.elapsed())).await;
    let arrivals = stack.proxy.arrivals(REFRESH);
    let refreshes: Vec<Duration> = arrivals
        .iter()
        .map(|at| at.duration_since(signed_in))
        .collect();
    // Every tab is still signed in, with tokens that never lapsed.
    for handle in browser.client.windows().await.unwrap() {
        browser.switch_to(&handle).await;
        assert!(
            browser.is_present(".status-bar .signed-in-user").await,
            "a tab lost its session"
        );
    }
    let stats = stack.notes.stats().await;
    assert_eq!(
        stats["rejected"]["expired"], 0,
        "no expired token was sent: {stats}"
    );
    browser.close().await;
    refreshes
}

/// One refresh per lifetime: `iat` is whole seconds, so a 10-second token
/// refreshed 2 s before expiry is renewed every 7 to 8 s (3 or 4 times in
/// 30 s). A duplicate from another tab would arrive within milliseconds of
/// the first; naive tabs would each refresh (9 to 12 with three tabs).
fn assert_one_refresh_per_lifetime(refreshes: &[Duration], tabs: usize) {
    let gaps: Vec<Duration> = refreshes.windows(2).map(|pair| pair[1] - pair[0]).collect();
    println!(
        "{tabs} tab(s): {} refreshes at {refreshes:.1?}, gaps {gaps:.1?}",
        refreshes.len()
    );
    assert!(
        (3..=4).contains(&refreshes.len()),
        "{tabs} tab(s): {} refreshes in 30 s",
        refreshes.len()
    );
    assert!(
        gaps.iter().all(|gap| *gap >= Duration::from_secs(6)),
        "{tabs} tab(s): two refreshes in one lifetime: {gaps:?}"
    );
    assert!(
        refreshes[0] <= Duration::from_secs(9),
        "the first refresh came before expiry: {:?}",
        refreshes[0]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_tab_refreshes_once_per_token_lifetime() {
    let refreshes = bounded(Duration::from_secs(90), refreshes_over_three_lifetimes(1)).await;
    assert_one_refresh_per_lifetime(&refreshes, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn three_tabs_refresh_once_per_token_lifetime_in_total() {
    let refreshes = bounded(Duration::from_secs(120), refreshes_over_three_lifetimes(3)).await;
    assert_one_refresh_per_lifetime(&refreshes, 3);
}

/// "Save and sign out" on the session-end warning saves the open note on
/// the server before signing out (the warning lives in the shell, the
/// editor deep in the notes workspace: both must reach the same note).
#[tokio::test(flavor = "multi_thread")]
async fn save_and_sign_out_leaves_the_note_saved_on_the_server() {
    bounded(Duration::from_secs(90), async {
        // The session-end warning shows five seconds after signing in.
        let overrides = json!({
            "session_end_warning_leads": ["1195s"],
            "min_remaining_at_load": "off",
            "min_remaining_on_return": "off",
        });
        let stack = Stack::start(Seed::default(), overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.click(".new-note").await;
        browser.type_into("#note-title", "Handover").await;
        browser
            .type_into("#note-body", "Keys are with reception")
            .await;
        browser
            .wait_for(".save-and-sign-out", Duration::from_secs(20))
            .await;
        browser.click(".save-and-sign-out").await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(20))
            .await;
        // Saved on the server: it is in the list after signing in again,
        // with nothing left to restore.
        browser.sign_in(EMAIL, PASSWORD).await;
        browser
            .wait_for_text(".notes-list", "Handover", Duration::from_secs(10))
            .await;
        assert!(
            !browser.is_present(".restore-drafts").await,
            "nothing was left unsaved"
        );
        browser.close().await;
    })
    .await;
}
