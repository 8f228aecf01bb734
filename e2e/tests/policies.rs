//! End to end, one scenario per policy of the article (and ours), in real
//! time with short lifetimes set through config.json.

use std::time::{Duration, Instant};

use serde_json::json;
use session_guard_e2e::{Browser, EMAIL, Fault, PASSWORD, REFRESH, Seed, Stack, bounded};

/// Types a new note without saving it: the unsaved work at risk.
async fn start_unsaved_note(browser: &Browser, title: &str, body: &str) {
    browser.click(".new-note").await;
    browser
        .wait_for("#note-title", Duration::from_secs(5))
        .await;
    browser.type_into("#note-title", title).await;
    browser.type_into("#note-body", body).await;
    browser
        .wait_for(".unsaved-marker", Duration::from_secs(5))
        .await;
}

async fn wait_gone(browser: &Browser, css: &str, limit: Duration) {
    let start = Instant::now();
    while browser.is_present(css).await {
        assert!(
            start.elapsed() < limit,
            "`{css}` still shown after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Scenario 5, `strict`: no activity: the warning appears at the configured
/// lead in every tab; "Stay signed in" in one tab extends every tab; ignored,
/// every tab signs out for idleness; signing in again brings the draft back.
#[tokio::test(flavor = "multi_thread")]
async fn strict_warns_extends_everywhere_signs_out_idle_tabs_and_keeps_the_draft() {
    bounded(Duration::from_secs(150), async {
        let seed = Seed { preset: "strict", storage: "local", ..Seed::default() };
        let overrides = json!({ "idle_timeout": "30s", "idle_warning_lead": "20s", "min_remaining_at_load": "off" });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let first = browser.client.window().await.unwrap();
        let second = browser.open_tab(&stack.site.url).await;
        browser.wait_signed_in_as(EMAIL).await;
        browser.switch_to(&first).await;
        start_unsaved_note(&browser, "Quarterly plan", "Q3: hire two engineers").await;
        let last_activity = Instant::now();

        // The warning appears 10 s after the last activity (30 s idle, 20 s lead), in both tabs.
        browser.wait_for("[role=alertdialog] .stay-signed-in", Duration::from_secs(20)).await;
        let shown_after = last_activity.elapsed();
        assert!(shown_after >= Duration::from_secs(9) && shown_after < Duration::from_secs(14), "warning after {shown_after:?}");
        browser.screenshot("warning-dialog").await;
        browser.switch_to(&second).await;
        browser.wait_for("[role=alertdialog] .stay-signed-in", Duration::from_secs(5)).await;
        browser.click("[role=alertdialog] .stay-signed-in").await;
        let extended = Instant::now();
        wait_gone(&browser, "[role=alertdialog]", Duration::from_secs(3)).await;
        browser.switch_to(&first).await;
        wait_gone(&browser, "[role=alertdialog]", Duration::from_secs(3)).await;

        // Ignored now: both tabs sign out 30 s after "Stay signed in".
        browser.wait_for(".sign-in-form", Duration::from_secs(40)).await;
        let signed_out_after = extended.elapsed();
        assert!(signed_out_after >= Duration::from_secs(29), "signed out after only {signed_out_after:?}");
        browser.wait_for(".sign-out-banner[data-reason=idle]", Duration::from_secs(2)).await;
        browser.switch_to(&second).await;
        browser.wait_for(".sign-out-banner[data-reason=idle]", Duration::from_secs(5)).await;

        browser.switch_to(&first).await;
        browser.sign_in(EMAIL, PASSWORD).await;
        browser.wait_for_text(".restore-drafts .draft-label", "Quarterly plan", Duration::from_secs(10)).await;
        browser.click(".restore-drafts .restore-draft").await;
        browser.wait_for("#note-body", Duration::from_secs(5)).await;
        assert_eq!(browser.value_of("#note-body").await, "Q3: hire two engineers", "the draft came back");
        browser.close().await;
    })
    .await;
}

/// Scenario 6, `solution_one`: reloading with the hard end closer than the
/// threshold signs out at load, with the reason shown.
#[tokio::test(flavor = "multi_thread")]
async fn solution_one_signs_out_at_load_when_the_session_ends_soon() {
    bounded(Duration::from_secs(60), async {
        let seed = Seed {
            preset: "solution_one",
            ..Seed::default()
        };
        // A 20-minute session always ends "within 20 minutes" after sign-in.
        let overrides = json!({ "min_remaining_at_load": "20m", "min_remaining_on_return": "5m" });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        browser.client.refresh().await.expect("reload");
        browser
            .wait_for(".sign-in-form", Duration::from_secs(20))
            .await;
        browser
            .wait_for(
                ".sign-out-banner[data-reason=session_ending_soon]",
                Duration::from_secs(5),
            )
            .await;
        browser.close().await;
    })
    .await;
}

/// Scenario 7, `protective`: keep typing through the hard end: the re-auth
/// dialog appears over the editor, the text is still there, signing in again
/// continues the session, and the note saves.
#[tokio::test(flavor = "multi_thread")]
async fn protective_reauthenticates_in_place_at_the_hard_end_and_nothing_is_lost() {
    bounded(Duration::from_secs(150), async {
        let seed = Seed {
            id_validity: "10s",
            refresh_validity: "60s",
            ..Seed::default()
        };
        let overrides = json!({ "session_end_warning_leads": ["20s"] });
        let stack = Stack::start(seed, overrides).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let signed_in = Instant::now();
        start_unsaved_note(&browser, "Board memo", "Typed before the end").await;
        // Keep typing (every few seconds) until the session-end warning.
        let mut typed = String::from("Typed before the end");
        while !browser.is_present("[role=alertdialog]").await {
            assert!(
                signed_in.elapsed() < Duration::from_secs(55),
                "no session-end warning"
            );
            // The warning may open (making the page inert) at any moment.
            if browser.try_type_into("#note-body", ".").await {
                typed.push('.');
            }
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        browser
            .wait_for("[role=alertdialog] .sign-in-again", Duration::from_secs(2))
            .await;
        // The hard end: the re-auth dialog blocks the page, the editor stays.
        browser
            .wait_for(".reauth-dialog #reauth-password", Duration::from_secs(40))
            .await;
        let at = signed_in.elapsed();
        assert!(
            at >= Duration::from_secs(55),
            "re-auth asked after {at:?}, before the hard end"
        );
        browser.screenshot("reauth-dialog").await;
        assert_eq!(
            browser.value_of("#note-body").await,
            typed,
            "the typed text is still there"
        );
        browser.type_into("#reauth-password", PASSWORD).await;
        browser.click(".reauth-form button[type=submit]").await;
        wait_gone(&browser, ".reauth-dialog", Duration::from_secs(10)).await;
        assert_eq!(browser.value_of("#note-body").await, typed);
        browser.click(".save-note").await;
        browser
            .wait_for(".saved-marker", Duration::from_secs(10))
            .await;
        let stats = stack.notes.stats().await;
        assert_eq!(stats["rejected"]["expired"], 0, "{stats}");
        browser.close().await;
    })
    .await;
}

/// Scenario 8, `standard` (the blind baseline): the same timeline loses the
/// work. Real Cognito refuses refreshes after the hard end (the emulator
/// does not enforce it, so the proxy answers as Cognito would).
#[tokio::test(flavor = "multi_thread")]
async fn standard_loses_the_unsaved_work_at_the_hard_end() {
    bounded(Duration::from_secs(150), async {
        let seed = Seed {
            preset: "standard",
            id_validity: "10s",
            refresh_validity: "60s",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let signed_in = Instant::now();
        start_unsaved_note(&browser, "Board memo", "Typed before the end").await;
        tokio::time::sleep(Duration::from_secs(60).saturating_sub(signed_in.elapsed())).await;
        stack.proxy.set_fault(Fault::Revoked);
        let refreshes_before_end = stack.proxy.count(REFRESH);
        // Within one token lifetime the refused refresh drops the user out.
        browser
            .wait_for(".sign-in-form", Duration::from_secs(20))
            .await;
        let lost_at = signed_in.elapsed();
        browser
            .wait_for(
                ".sign-out-banner[data-reason=refresh_rejected]",
                Duration::from_secs(2),
            )
            .await;
        assert!(
            refreshes_before_end >= 5,
            "the baseline refreshed blindly until the end ({refreshes_before_end})"
        );
        browser.sign_in(EMAIL, PASSWORD).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(
            !browser.is_present(".restore-drafts").await,
            "the baseline kept no draft: the work is lost"
        );
        println!(
            "standard: signed out mid-work {lost_at:?} after sign-in (hard end at 60 s); draft lost"
        );
        browser.close().await;
    })
    .await;
}
