//! The release build loads in headless Chromium and shows the sign-in form
//! for the pool that the seeded cognito-local serves, with the start-up
//! benchmark's readiness mark.

use std::time::Duration;

use fantoccini::Locator;
use session_guard_e2e::{Browser, CognitoLocal, Seed, StaticSite, bounded};

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_form_shows_the_configured_pool() {
    bounded(Duration::from_secs(90), async {
        let cognito = CognitoLocal::start();
        let site = StaticSite::start();
        cognito.seed(&Seed::default(), &site.config_path());
        let config: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(site.config_path()).expect("config written"),
        )
        .expect("json");
        let pool = config["cognito"]["user_pool_id"]
            .as_str()
            .expect("pool id")
            .to_owned();

        let browser = Browser::start().await;
        browser.client.goto(&site.url).await.expect("open the app");
        browser
            .wait_for_text(".sign-in h1", "Sign in", Duration::from_secs(20))
            .await;
        browser
            .wait_for_text(".pool-id", &pool, Duration::from_secs(5))
            .await;
        for field in ["#email", "#password"] {
            browser
                .client
                .find(Locator::Css(field))
                .await
                .unwrap_or_else(|_| panic!("{field} is on the page"));
        }
        // The start-up benchmark's readiness mark: set once, for the one
        // interactive screen this load showed.
        let marks = browser
            .run(
                "return performance.getEntriesByName('session-guard-ready').length;",
                vec![],
            )
            .await;
        assert_eq!(
            marks.as_u64(),
            Some(1),
            "one ready mark, for the sign-in form"
        );
        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_config_shows_the_field_and_the_fix() {
    bounded(Duration::from_secs(60), async {
        let site = StaticSite::start();
        std::fs::write(
            site.config_path(),
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1"}}"#,
        )
        .expect("write broken config");
        let browser = Browser::start().await;
        browser.client.goto(&site.url).await.expect("open the app");
        browser
            .wait_for_text(".config-error h1", "cannot start", Duration::from_secs(20))
            .await;
        browser
            .wait_for_text(
                ".config-error-field",
                "cognito.refresh_token_validity",
                Duration::from_secs(5),
            )
            .await;
        browser.close().await;
    })
    .await;
}
