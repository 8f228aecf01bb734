//! End to end: an account an administrator created with a temporary password
//! (status FORCE_CHANGE_PASSWORD) signs in for the first time. Cognito answers
//! NEW_PASSWORD_REQUIRED; the page asks for a new password with the pool's
//! rules, refuses a weak one before sending it, and signs in with a good one.

use std::time::Duration;

use serde_json::json;
use session_guard_e2e::{Browser, Seed, Stack, bounded, cognito_call};

const NEW_USER: &str = "new.hire@example.com";
const TEMPORARY: &str = "Temp-Passw0rd-1!";
const CHOSEN: &str = "Fresh-Start-2026!";

#[tokio::test(flavor = "multi_thread")]
async fn a_new_user_chooses_a_password_at_first_sign_in_and_is_signed_in() {
    bounded(Duration::from_secs(120), async {
        let stack = Stack::start(Seed::default(), json!({})).await;
        let pool = stack.config["cognito"]["user_pool_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, body) = cognito_call(
            &stack.cognito.endpoint,
            "AdminCreateUser",
            json!({
                "UserPoolId": pool,
                "Username": NEW_USER,
                "TemporaryPassword": TEMPORARY,
                "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "email", "Value": NEW_USER},
                    {"Name": "email_verified", "Value": "true"}
                ],
            }),
        )
        .await;
        assert_eq!(status, 200, "AdminCreateUser: {body}");
        assert_eq!(
            body["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD",
            "{body}"
        );

        let browser = Browser::start().await;
        browser.open_sign_in(&stack.site.url).await;
        browser.type_into("#email", NEW_USER).await;
        browser.type_into("#password", TEMPORARY).await;
        browser.click(".sign-in-form button[type=submit]").await;
        browser
            .wait_for(".new-password-form #new-password", Duration::from_secs(20))
            .await;
        browser
            .wait_for_text("h1", "Choose your password", Duration::from_secs(2))
            .await;
        let rules = browser.text_of(".password-rules").await;
        for rule in [
            "At least 8 characters",
            "upper-case",
            "lower-case",
            "number",
            "symbol",
        ] {
            assert!(rules.contains(rule), "rule {rule:?} is explained: {rules}");
        }

        // A weak password: the unmet rules show, and nothing is sent.
        browser.type_into("#new-password", "weak").await;
        browser.type_into("#confirm-password", "weak").await;
        assert_eq!(
            browser.count(".password-rules li.met").await,
            1,
            "only the lower-case rule is met"
        );
        let answers_before = stack.proxy.count("RespondToAuthChallenge");
        browser
            .click(".new-password-form button[type=submit]")
            .await;
        browser
            .wait_for_text(
                "#new-password-error",
                "does not follow all of the rules",
                Duration::from_secs(5),
            )
            .await;
        assert_eq!(
            stack.proxy.count("RespondToAuthChallenge"),
            answers_before,
            "a weak password is not sent"
        );
        browser.screenshot("new-password-rules").await;

        // Two different passwords are caught too.
        browser.clear("#new-password").await;
        browser.clear("#confirm-password").await;
        browser.type_into("#new-password", CHOSEN).await;
        browser
            .type_into("#confirm-password", "Fresh-Start-2027!")
            .await;
        assert_eq!(
            browser.count(".password-rules li.met").await,
            5,
            "every rule is met"
        );
        browser
            .click(".new-password-form button[type=submit]")
            .await;
        browser
            .wait_for_text("#new-password-error", "differ", Duration::from_secs(5))
            .await;

        browser.clear("#confirm-password").await;
        browser.type_into("#confirm-password", CHOSEN).await;
        browser
            .click(".new-password-form button[type=submit]")
            .await;
        browser.wait_signed_in_as(NEW_USER).await;
        assert_eq!(
            stack.proxy.count("RespondToAuthChallenge"),
            answers_before + 1
        );

        let (_, user) = cognito_call(
            &stack.cognito.endpoint,
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": NEW_USER}),
        )
        .await;
        assert_eq!(user["UserStatus"], "CONFIRMED", "{user}");

        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;

        // The chosen password is now the account's password. (A fresh browser
        // instead of signing out: cognito-local does not record refresh tokens
        // issued by RespondToAuthChallenge, so its RevokeToken refuses them
        // with a 400 the page would log; real Cognito has no such gap.)
        let again = Browser::start().await;
        again.open_sign_in(&stack.site.url).await;
        again.sign_in(NEW_USER, CHOSEN).await;
        assert!(!again.is_present(".new-password-form").await);
        again.close().await;
    })
    .await;
}
