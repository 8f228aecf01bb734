//! End to end against cognito-local 5.3.0: multi-factor sign-in in the
//! app's own form.
//!
//! - A signed-in user adds an authenticator app in the settings (QR code
//!   and key shown; the test reads the key from the page and computes the
//!   RFC 6238 code itself), signs out, and signs in again: a wrong code is
//!   named, the right one signs in.
//! - SMS_MFA: the code cognito-local prints instead of texting it.
//! - SELECT_MFA_TYPE: with both factors on, the user picks SMS and answers it.
//! - Re-authentication in place asks for the authenticator code too, and
//!   the page stays as it was.
//!
//! cognito-local answers MFA_SETUP's session form of AssociateSoftwareToken
//! with an error, and has no EMAIL_OTP: those run against a simulated
//! Cognito in the native tests. It has no API for an SMS `MFAOptions`
//! entry either, so that one is written into its stored user between runs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::json;
use session_guard_e2e::{
    Browser, EMAIL, Fault, PASSWORD, Seed, Stack, bounded, cognito_call, wait_until,
};
use sha1::Sha1;

const PHONE: &str = "+15555550123";

/// RFC 4648 base32 (what Cognito's `SecretCode` is), spaces and padding ignored.
fn base32_decode(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            other => panic!("not base32: {other:?}"),
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
        }
    }
    bytes
}

/// RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits.
fn totp(key: &[u8], unix_seconds: u64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("any key length");
    mac.update(&(unix_seconds / 30).to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let word = u32::from_be_bytes([
        hash[offset],
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    format!("{:06}", (word & 0x7fff_ffff) % 1_000_000)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// A code no window around now accepts (cognito-local allows ±30 s).
fn wrong_code(key: &[u8]) -> String {
    let valid: Vec<String> = [now() - 30, now(), now() + 30]
        .iter()
        .map(|&t| totp(key, t))
        .collect();
    (0..1_000_000u32)
        .map(|n| format!("{:06}", (n * 7919 + 123_457) % 1_000_000))
        .find(|code| !valid.contains(code))
        .expect("a wrong code")
}

#[test]
fn the_test_totp_matches_rfc_6238s_published_vector() {
    // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082.
    assert_eq!(totp(b"12345678901234567890", 59), "287082");
    assert_eq!(totp(b"12345678901234567890", 1_111_111_109), "081804");
    assert_eq!(base32_decode("GEZD GNBV GY3T QOJQ"), b"1234567890");
}

async fn pool_allows_mfa(stack: &Stack) -> String {
    let pool = stack.config["cognito"]["user_pool_id"]
        .as_str()
        .expect("pool")
        .to_owned();
    let (status, body) = cognito_call(
        &stack.cognito.endpoint,
        "SetUserPoolMfaConfig",
        json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    )
    .await;
    assert_eq!(status, 200, "SetUserPoolMfaConfig: {body}");
    pool
}

/// In the settings: add an authenticator app and prove it with its first
/// code. Returns the key read from the page.
async fn enrol_authenticator(browser: &Browser) -> Vec<u8> {
    browser.click(".status-bar .settings-toggle").await;
    browser
        .wait_for_text(
            ".authenticator-status",
            "password only",
            Duration::from_secs(20),
        )
        .await;
    assert!(
        !browser
            .element(".authenticator-settings .remove-authenticator")
            .await
            .is_displayed()
            .await
            .expect("displayed"),
        "nothing to remove before an app is added"
    );
    browser
        .click(".authenticator-settings .add-authenticator")
        .await;
    browser
        .wait_for(".authenticator-key .totp-secret", Duration::from_secs(20))
        .await;
    assert_eq!(
        browser.count(".authenticator-key svg.qr-code path").await,
        1,
        "a QR code is drawn"
    );
    let key = base32_decode(&browser.text_of(".authenticator-key .totp-secret").await);
    assert!(key.len() >= 10, "a TOTP key of at least 80 bits");
    browser.screenshot("mfa-enrol-authenticator").await;
    browser
        .type_into("#authenticator-code", &totp(&key, now()))
        .await;
    browser
        .click(".authenticator-enrol .confirm-authenticator")
        .await;
    browser
        .wait_for_text(
            ".authenticator-status",
            "from now on",
            Duration::from_secs(20),
        )
        .await;
    key
}

/// Password first; the page then asks for the second step.
async fn sign_in_until_second_step(browser: &Browser, url: &str) {
    browser.open_sign_in(url).await;
    browser.type_into("#email", EMAIL).await;
    browser.type_into("#password", PASSWORD).await;
    browser.click(".sign-in-form button[type=submit]").await;
    browser
        .wait_for_text("h1", "Confirm it is you", Duration::from_secs(20))
        .await;
}

async fn answer_code(browser: &Browser, code: &str) {
    browser.clear("#mfa-code").await;
    browser.type_into("#mfa-code", code).await;
    browser.click(".mfa-code-form .verify-code").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_authenticator_app_added_in_the_settings_is_asked_for_at_the_next_sign_in() {
    bounded(Duration::from_secs(180), async {
        let stack = Stack::start(Seed::default(), json!({})).await;
        pool_allows_mfa(&stack).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let key = enrol_authenticator(&browser).await;
        assert_eq!(stack.proxy.count("AssociateSoftwareToken"), 1);
        assert_eq!(stack.proxy.count("VerifySoftwareToken"), 1);
        assert_eq!(stack.proxy.count("SetUserMFAPreference"), 1);

        browser.click(".status-bar .sign-out").await;
        sign_in_until_second_step(&browser, &stack.site.url).await;
        browser
            .wait_for_text(".mfa-intro", "authenticator app", Duration::from_secs(5))
            .await;

        answer_code(&browser, &wrong_code(&key)).await;
        browser
            .wait_for_text("#mfa-error", "not right", Duration::from_secs(20))
            .await;
        browser.screenshot("mfa-wrong-code").await;

        answer_code(&browser, &totp(&key, now())).await;
        browser.wait_signed_in_as(EMAIL).await;
        assert_eq!(stack.proxy.count("RespondToAuthChallenge"), 2);

        // Removed again: the next sign-in needs only the password.
        remove_authenticator(&browser).await;
        browser.click(".status-bar .sign-out").await;
        browser.open_sign_in(&stack.site.url).await;
        browser.sign_in(EMAIL, PASSWORD).await;
        let severe = browser.severe_console_messages().await;
        assert!(
            severe.iter().all(|message| message.contains("400")),
            "only the wrong code's 400 may be logged: {severe:#?}"
        );
        browser.close().await;
    })
    .await;
}

async fn remove_authenticator(browser: &Browser) {
    if !browser.is_present(".authenticator-settings").await {
        browser.click(".status-bar .settings-toggle").await;
    }
    // Read from the account (GetUser) when the settings open.
    browser
        .wait_for_text(
            ".authenticator-status",
            "On: signing in asks for a code",
            Duration::from_secs(20),
        )
        .await;
    browser
        .click(".authenticator-settings .remove-authenticator")
        .await;
    browser
        .wait_for_text(
            ".authenticator-status",
            "no longer asks",
            Duration::from_secs(20),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sms_code_printed_by_cognito_local_signs_the_user_in() {
    bounded(Duration::from_secs(180), async {
        let mut stack = Stack::start(Seed::default(), json!({})).await;
        let pool = pool_allows_mfa(&stack).await;
        let (status, body) = cognito_call(
            &stack.cognito.endpoint,
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": EMAIL, "UserAttributes": [
                { "Name": "phone_number", "Value": PHONE },
                { "Name": "phone_number_verified", "Value": "true" } ] }),
        )
        .await;
        assert_eq!(status, 200, "AdminUpdateUserAttributes: {body}");
        stack.cognito.restart_editing_user(&pool, EMAIL, |user| {
            user["MFAOptions"] =
                json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]);
        });

        let browser = Browser::start().await;
        sign_in_until_second_step(&browser, &stack.site.url).await;
        browser
            .wait_for_text(".mfa-intro", "text message", Duration::from_secs(5))
            .await;
        let code = wait_until(
            "the SMS code in cognito-local's log",
            Duration::from_secs(10),
            async || stack.cognito.last_code_sent_to(PHONE),
        )
        .await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        answer_code(&browser, wrong).await;
        browser
            .wait_for_text("#mfa-error", "not right", Duration::from_secs(20))
            .await;
        answer_code(&browser, &code).await;
        browser.wait_signed_in_as(EMAIL).await;
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_app_and_sms_on_the_user_chooses_sms_and_answers_it() {
    bounded(Duration::from_secs(180), async {
        let mut stack = Stack::start(Seed::default(), json!({})).await;
        let pool = pool_allows_mfa(&stack).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        enrol_authenticator(&browser).await;
        browser.click(".status-bar .sign-out").await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(20))
            .await;

        let (status, body) = cognito_call(
            &stack.cognito.endpoint,
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": EMAIL, "UserAttributes": [
                { "Name": "phone_number", "Value": PHONE } ] }),
        )
        .await;
        assert_eq!(status, 200, "AdminUpdateUserAttributes: {body}");
        stack.cognito.restart_editing_user(&pool, EMAIL, |user| {
            user["MFAOptions"] =
                json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]);
            user["UserMFASettingList"] = json!(["SOFTWARE_TOKEN_MFA", "SMS_MFA"]);
        });

        sign_in_until_second_step(&browser, &stack.site.url).await;
        browser
            .wait_for(
                ".mfa-choice .mfa-option[data-factor=SMS_MFA]",
                Duration::from_secs(5),
            )
            .await;
        assert_eq!(browser.count(".mfa-choice .mfa-option").await, 2);
        browser
            .click(".mfa-choice .mfa-option[data-factor=SMS_MFA]")
            .await;
        browser
            .wait_for_text(".mfa-intro", "text message", Duration::from_secs(20))
            .await;
        let code = wait_until(
            "the SMS code in cognito-local's log",
            Duration::from_secs(10),
            async || stack.cognito.last_code_sent_to(PHONE),
        )
        .await;
        answer_code(&browser, &code).await;
        browser.wait_signed_in_as(EMAIL).await;
        assert_eq!(
            stack.proxy.count("RespondToAuthChallenge"),
            2,
            "the choice, then the code"
        );
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_again_in_place_asks_for_the_authenticator_code_and_the_page_stays() {
    bounded(Duration::from_secs(180), async {
        let seed = Seed {
            id_validity: "10s",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        pool_allows_mfa(&stack).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let key = enrol_authenticator(&browser).await;

        // Under `protective`, a refused refresh asks to sign in again in place.
        stack.proxy.set_fault(Fault::Revoked);
        browser
            .wait_for(".reauth-dialog #reauth-password", Duration::from_secs(30))
            .await;
        stack.proxy.set_fault(Fault::None);
        browser.type_into("#reauth-password", PASSWORD).await;
        browser.click(".reauth-form button[type=submit]").await;
        browser.wait_for(".reauth-dialog #mfa-code", Duration::from_secs(20)).await;
        let password_form_shown = browser
            .run(
                "return getComputedStyle(document.querySelector('.reauth-form')).display !== 'none';",
                vec![],
            )
            .await;
        assert_eq!(password_form_shown, json!(false), "the code step replaces the password");
        let focused = browser.run("return document.activeElement.id;", vec![]).await;
        assert_eq!(focused, json!("mfa-code"), "the code field takes the focus");

        answer_code(&browser, &wrong_code(&key)).await;
        browser
            .wait_for_text(".reauth-dialog #mfa-error", "not right", Duration::from_secs(20))
            .await;
        browser.screenshot("mfa-reauth-wrong-code").await;
        answer_code(&browser, &totp(&key, now())).await;
        let start = std::time::Instant::now();
        while browser.is_present(".reauth-dialog").await {
            assert!(start.elapsed() < Duration::from_secs(20), "the dialog stays open");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The same page: the settings still say what was done before.
        assert!(
            browser.text_of(".authenticator-status").await.contains("from now on"),
            "the page was kept"
        );
        assert_eq!(stack.proxy.count("RespondToAuthChallenge"), 2);
        browser.close().await;
    })
    .await;
}
