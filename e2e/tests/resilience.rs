//! End to end: what real browsers and networks do. Faults are injected by
//! the proxy between the app and cognito-local; sleep by freezing the page
//! through the Chrome DevTools Protocol.

use std::time::{Duration, Instant};

use serde_json::json;
use session_guard_e2e::{
    Browser, EMAIL, Fault, PASSWORD, REFRESH, Seed, Stack, bounded, wait_until,
};

async fn session_state(browser: &Browser) -> String {
    browser
        .run("const s = document.querySelector('.session-state'); return s ? s.dataset.state : 'none';", vec![])
        .await
        .as_str()
        .unwrap_or("none")
        .to_owned()
}

async fn wait_for_state(browser: &Browser, state: &str, limit: Duration) {
    let start = Instant::now();
    loop {
        let now = session_state(browser).await;
        if now == state {
            return;
        }
        assert!(
            start.elapsed() < limit,
            "state stayed {now:?}, expected {state:?} within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Scenario 9a/b: refused connections, then repeated 500s, during refresh:
/// no sign-out, retries with backoff, recovery once traffic flows again.
#[tokio::test(flavor = "multi_thread")]
async fn refused_connections_and_server_errors_are_retried_without_signing_out() {
    bounded(Duration::from_secs(120), async {
        let seed = Seed {
            id_validity: "10s",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        for fault in [Fault::RefuseConnections, Fault::ServerError] {
            let before = stack.proxy.count(REFRESH);
            stack.proxy.set_fault(fault.clone());
            wait_for_state(&browser, "offline-retrying", Duration::from_secs(15)).await;
            wait_until(
                "a retry after the first failure",
                Duration::from_secs(15),
                async || (stack.proxy.count(REFRESH) >= before + 2).then_some(()),
            )
            .await;
            assert!(
                !browser.is_present(".sign-in-form").await,
                "{fault:?}: signed out on a transient failure"
            );
            stack.proxy.set_fault(Fault::None);
            wait_for_state(&browser, "active", Duration::from_secs(30)).await;
            let retries = stack.proxy.count(REFRESH) - before;
            println!("{fault:?}: recovered after {retries} refresh attempts");
        }
        assert!(browser.is_present(".status-bar .signed-in-user").await);
        browser.close().await;
    })
    .await;
}

/// Scenario 9c: a slow (3 s) refresh answer with two tabs: still one refresh.
#[tokio::test(flavor = "multi_thread")]
async fn a_slow_refresh_with_two_tabs_is_still_one_refresh() {
    bounded(Duration::from_secs(90), async {
        let stack = Stack::start(Seed::short_tokens_shared_by_tabs(), json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let signed_in = Instant::now();
        browser.open_signed_in_tab(&stack.site.url).await;
        stack.proxy.set_fault(Fault::Delay(Duration::from_secs(3)));
        // The first refresh starts at about 8 s and answers at about 11 s.
        tokio::time::sleep(Duration::from_secs(14).saturating_sub(signed_in.elapsed())).await;
        assert_eq!(
            stack.proxy.count(REFRESH),
            1,
            "two tabs, one slow refresh: {:?}",
            stack.proxy.counts()
        );
        wait_for_state(&browser, "active", Duration::from_secs(5)).await;
        browser.close().await;
    })
    .await;
}

/// Scenario 9d: a definite rejection signs out with the reason, and the
/// draft is kept (a policy that saves drafts before sign-out).
#[tokio::test(flavor = "multi_thread")]
async fn a_definite_rejection_signs_out_with_the_reason_and_keeps_the_draft() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed {
            id_validity: "10s",
            preset: "solution_one",
            ..Seed::default()
        };
        let overrides = json!({ "min_remaining_at_load": "off", "min_remaining_on_return": "off" });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.click(".new-note").await;
        browser.type_into("#note-title", "Offer letter").await;
        browser.type_into("#note-body", "Dear candidate").await;
        stack.proxy.set_fault(Fault::Revoked);
        browser
            .wait_for(
                ".sign-out-banner[data-reason=refresh_rejected]",
                Duration::from_secs(20),
            )
            .await;
        stack.proxy.set_fault(Fault::None);
        browser.sign_in(EMAIL, PASSWORD).await;
        browser
            .wait_for_text(
                ".restore-drafts .draft-label",
                "Offer letter",
                Duration::from_secs(10),
            )
            .await;
        browser.close().await;
    })
    .await;
}

/// Scenario 10: a frozen page (a sleeping laptop, a discarded background
/// tab) past the idle deadline acts within a second of resuming, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_page_frozen_past_a_deadline_acts_on_it_once_within_a_second_of_resuming() {
    bounded(Duration::from_secs(120), async {
        let seed = Seed { preset: "strict", ..Seed::default() };
        let overrides = json!({ "idle_timeout": "30s", "idle_warning_lead": "20s", "min_remaining_at_load": "off" });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.cdp("Page.enable", json!({})).await;
        browser.cdp("Page.setWebLifecycleState", json!({ "state": "frozen" })).await;
        tokio::time::sleep(Duration::from_secs(35)).await;
        assert_eq!(stack.proxy.count("RevokeToken"), 0, "nothing ran while frozen");
        browser.cdp("Page.setWebLifecycleState", json!({ "state": "active" })).await;
        let resumed = Instant::now();
        browser.wait_for(".sign-out-banner[data-reason=idle]", Duration::from_secs(5)).await;
        let reacted = resumed.elapsed();
        assert!(reacted < Duration::from_millis(1_500), "acted {reacted:?} after resuming (WebDriver polling included)");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(stack.proxy.count("RevokeToken"), 1, "signed out once: {:?}", stack.proxy.counts());
        println!("frozen 35 s past a 30 s idle deadline: signed out {reacted:?} after resume");
        browser.close().await;
    })
    .await;
}
