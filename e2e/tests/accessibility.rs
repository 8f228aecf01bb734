//! Scenario 11: an axe-core audit (the npm package, injected through
//! WebDriver) of the sign-in page, the editor, the warning dialog and the
//! re-auth dialog: no serious or critical violations.

use std::time::Duration;

use serde_json::{Value, json};
use session_guard_e2e::{Browser, EMAIL, Fault, PASSWORD, Seed, Stack, bounded, repo_root};

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
