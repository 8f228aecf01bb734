//! End to end: a user who forgot the password asks for a code from the
//! sign-in page (ForgotPassword; cognito-local prints the code to its log
//! instead of emailing it), types a wrong code and is told so, then the
//! right one with a new password that follows the pool's rules, and is
//! signed in. The new password works from then on.

use std::time::Duration;

use serde_json::json;
use session_guard_e2e::{Browser, EMAIL, Seed, Stack, bounded, wait_until};

const NEW_PASSWORD: &str = "Remembered-Now-7!";

#[tokio::test(flavor = "multi_thread")]
async fn a_forgotten_password_is_reset_with_the_emailed_code_and_the_user_signed_in() {
    bounded(Duration::from_secs(120), async {
        let stack = Stack::start(Seed::default(), json!({})).await;
        let browser = Browser::start().await;
        browser.open_sign_in(&stack.site.url).await;
        browser.click(".sign-in-form .forgot-password").await;
        browser
            .wait_for_text("h1", "Reset your password", Duration::from_secs(5))
            .await;
        browser.type_into("#reset-email", EMAIL).await;
        browser.click(".forgot-password-form .send-code").await;
        browser
            .wait_for(".reset-password-form #reset-code", Duration::from_secs(20))
            .await;
        assert_eq!(stack.proxy.count("ForgotPassword"), 1);
        let code = wait_until(
            "the reset code in cognito-local's log",
            Duration::from_secs(10),
            async || stack.cognito.last_code_sent_to(EMAIL),
        )
        .await;

        // A wrong code: said plainly, the form stays.
        let wrong = if code == "000000" { "111111" } else { "000000" };
        browser.type_into("#reset-code", wrong).await;
        browser.type_into("#new-password", NEW_PASSWORD).await;
        browser.type_into("#confirm-password", NEW_PASSWORD).await;
        browser.click(".reset-password-form .reset-password").await;
        browser
            .wait_for_text("#reset-error", "code is not right", Duration::from_secs(20))
            .await;
        browser.screenshot("reset-wrong-code").await;

        // The right code: the password is set and the user is signed in.
        browser.clear("#reset-code").await;
        browser.type_into("#reset-code", &code).await;
        browser.click(".reset-password-form .reset-password").await;
        browser.wait_signed_in_as(EMAIL).await;
        assert_eq!(stack.proxy.count("ConfirmForgotPassword"), 2);
        let severe = browser.severe_console_messages().await;
        // The wrong code's 400 is the only console error expected.
        assert!(
            severe.iter().all(|message| message.contains("400")),
            "the page logged errors: {severe:#?}"
        );
        browser.close().await;

        // The new password is the account's password now.
        let again = Browser::start().await;
        again.open_sign_in(&stack.site.url).await;
        again.sign_in(EMAIL, NEW_PASSWORD).await;
        again.close().await;
    })
    .await;
}
