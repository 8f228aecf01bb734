//! Scenario 11: an axe-core audit (the npm package, injected through
//! WebDriver) of the sign-in page, the editor, the warning dialog and the
//! re-auth dialog, the authenticator enrolment in the settings and the
//! second sign-in step: no serious or critical violations.

use std::time::Duration;

use serde_json::{Value, json};
use session_guard_e2e::{
    Browser, EMAIL, Fault, PASSWORD, Seed, Stack, bounded, cognito_call, repo_root,
};

/// Serious and critical violations on the current page.
async fn audit(browser: &Browser, page: &str) -> Vec<Value> {
    let axe = std::fs::read_to_string(repo_root().join("node_modules/axe-core/axe.min.js"))
        .expect("node_modules/axe-core/axe.min.js (make setup installs it)");
    browser.run(&axe, vec![]).await;
    let result = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))))
               .catch(e => done([{ id: 'axe-error', help: String(e) }]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("axe on {page}: {e}"));
    let violations = result.as_array().cloned().unwrap_or_default();
    println!(
        "axe, {page}: {} serious/critical violations",
        violations.len()
    );
    violations
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_editor_and_warning_dialog_pass_axe() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed { preset: "strict", ..Seed::default() };
        let overrides = json!({ "idle_timeout": "30s", "idle_warning_lead": "20s", "min_remaining_at_load": "off" });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::start().await;
        browser.open_sign_in(&stack.site.url).await;
        let mut found = audit(&browser, "sign-in page").await;
        browser.sign_in(EMAIL, PASSWORD).await;
        browser.click(".new-note").await;
        browser.type_into("#note-title", "Quarterly plan").await;
        found.extend(audit(&browser, "editor").await);
        browser.wait_for("[role=alertdialog] .stay-signed-in", Duration::from_secs(25)).await;
        found.extend(audit(&browser, "warning dialog").await);
        assert!(found.is_empty(), "serious or critical accessibility violations: {found:#?}");
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reauth_dialog_passes_axe() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed {
            id_validity: "10s",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        // Under `protective`, a refused refresh asks to sign in again in place.
        stack.proxy.set_fault(Fault::Revoked);
        browser
            .wait_for(".reauth-dialog #reauth-password", Duration::from_secs(20))
            .await;
        let found = audit(&browser, "re-auth dialog").await;
        assert!(
            found.is_empty(),
            "serious or critical accessibility violations: {found:#?}"
        );
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn authenticator_enrolment_and_the_second_sign_in_step_pass_axe() {
    bounded(Duration::from_secs(120), async {
        let mut stack = Stack::start(Seed::default(), json!({})).await;
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
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.click(".status-bar .settings-toggle").await;
        browser
            .click(".authenticator-settings .add-authenticator")
            .await;
        browser
            .wait_for(".authenticator-key svg.qr-code", Duration::from_secs(20))
            .await;
        let mut found = audit(&browser, "authenticator enrolment").await;
        browser.click(".status-bar .sign-out").await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(20))
            .await;

        // A code sent by text message (cognito-local needs the SMS entry stored).
        let (status, body) = cognito_call(
            &stack.cognito.endpoint,
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": EMAIL, "UserAttributes": [
                { "Name": "phone_number", "Value": "+15555550123" } ] }),
        )
        .await;
        assert_eq!(status, 200, "AdminUpdateUserAttributes: {body}");
        stack.cognito.restart_editing_user(&pool, EMAIL, |user| {
            user["MFAOptions"] =
                json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]);
        });
        browser.open_sign_in(&stack.site.url).await;
        browser.type_into("#email", EMAIL).await;
        browser.type_into("#password", PASSWORD).await;
        browser.click(".sign-in-form button[type=submit]").await;
        browser
            .wait_for(".mfa-code-form #mfa-code", Duration::from_secs(20))
            .await;
        browser.type_into("#mfa-code", "000000").await;
        browser.click(".mfa-code-form .verify-code").await;
        browser
            .wait_for_text("#mfa-error", "not right", Duration::from_secs(20))
            .await;
        found.extend(audit(&browser, "second sign-in step with an error").await);
        assert!(
            found.is_empty(),
            "serious or critical accessibility violations: {found:#?}"
        );
        browser.close().await;
    })
    .await;
}
