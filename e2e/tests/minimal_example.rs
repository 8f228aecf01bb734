//! `examples/minimal` (the smallest app on Session Guard, built by
//! `make dist` into target/minimal-dist) against cognito-local: sign in on
//! the library's sign-in page, one refresh without the app asking, the
//! session-end warning, and sign-out from it.

use std::time::Duration;

use serde_json::json;
use session_guard_e2e::{
    Browser, EMAIL, PASSWORD, REFRESH, Seed, Stack, bounded, repo_root, wait_until,
};

#[tokio::test(flavor = "multi_thread")]
async fn the_minimal_example_signs_in_refreshes_warns_and_signs_out() {
    bounded(Duration::from_secs(120), async {
        let seed = Seed {
            id_validity: "10s",
            refresh_validity: "60s",
            ..Seed::default()
        };
        let overrides =
            json!({ "session_end_warning_leads": ["20s"], "min_remaining_at_load": "off" });
        let dist = repo_root().join("target/minimal-dist");
        let stack = Stack::serving(&dist, seed, overrides).await;

        let browser = Browser::start().await;
        browser.open_sign_in(&stack.site.url).await;
        browser.type_into("#email", EMAIL).await;
        browser.type_into("#password", PASSWORD).await;
        browser.click(".sign-in-form button[type=submit]").await;
        browser
            .wait_for_text(".home .user", EMAIL, Duration::from_secs(20))
            .await;

        // 10-second tokens: refreshed before they expire, the app never asked.
        wait_until("one refresh", Duration::from_secs(30), async || {
            (stack.proxy.count(REFRESH) >= 1).then_some(())
        })
        .await;
        assert!(
            browser.is_present(".home .user").await,
            "the refresh kept the app on screen"
        );

        // The hard end comes 60 s after sign-in; the warning 20 s before it.
        browser
            .wait_for(
                "[role=alertdialog] .save-and-sign-out",
                Duration::from_secs(50),
            )
            .await;
        browser.click("[role=alertdialog] .save-and-sign-out").await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(10))
            .await;
        assert!(!browser.is_present(".home").await, "signed out");

        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}
