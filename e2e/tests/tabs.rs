//! End to end: several tabs of one browser profile that disagree for a
//! moment (two refreshes answered in the same second, another person
//! signing in) end up agreeing, and nobody's work crosses to another user.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use session_guard_e2e::{
    Browser, EMAIL, Fault, PASSWORD, REFRESH, Seed, Stack, bounded, wait_until,
};

const OTHER_USER: &str = "other@example.com";

/// Removes the Web Locks API before the app's code runs, as in a browser
/// without it: the refresh then runs unguarded in every tab, so two tabs
/// can ask the provider at once.
const WITHOUT_WEB_LOCKS: &str = "Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });";

async fn session_state(browser: &Browser) -> String {
    browser
        .run("const s = document.querySelector('.session-state'); return s ? s.dataset.state : 'none';", vec![])
        .await
        .as_str()
        .unwrap_or("none")
        .to_owned()
}

/// A fingerprint (FNV-1a, 32 bits) of the ID token this tab keeps in its
/// sessionStorage, so tests compare tokens without ever printing one.
async fn id_token_fingerprint(browser: &Browser) -> Option<String> {
    let script = "for (const key of Object.keys(sessionStorage)) {\
          if (!key.endsWith('.session')) continue;\
          const token = JSON.parse(sessionStorage.getItem(key)).snapshot.tokens.id_token;\
          let hash = 0x811c9dc5;\
          for (let i = 0; i < token.length; i++) { hash ^= token.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }\
          return hash.toString(16);\
        } return null;";
    browser
        .run(script, vec![])
        .await
        .as_str()
        .map(str::to_owned)
}

/// Opens a tab without Web Locks on `url`, switches to it and loads the app.
async fn open_tab_without_web_locks(browser: &Browser, url: &str) -> fantoccini::wd::WindowHandle {
    let window = browser.client.new_window(true).await.expect("new tab");
    browser.switch_to(&window.handle).await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": WITHOUT_WEB_LOCKS }),
        )
        .await;
    browser.client.goto(url).await.expect("open the app");
    window.handle
}

/// Two tabs holding the same tokens refresh at the same instant, and
/// without Web Locks nothing stops both from asking the provider: both
/// refreshes are held at the proxy and released together, so both answers
/// carry tokens issued in the same second (same `iat` and `exp`). Each tab
/// adopts its own answer and then sees the other's; the tie-break on the ID
/// token makes both keep the same set, and neither stays "Refreshing".
#[tokio::test(flavor = "multi_thread")]
async fn two_tabs_refreshing_in_the_same_second_settle_on_one_token_set() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed {
            id_validity: "10s",
            storage: "session",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::start().await;
        let first = open_tab_without_web_locks(&browser, &stack.site.url).await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(20))
            .await;
        browser.sign_in(EMAIL, PASSWORD).await;
        // The second tab's own sessionStorage is empty; it asks the open tab
        // for the session, so both hold one set and one schedule.
        let second = open_tab_without_web_locks(&browser, &stack.site.url).await;
        browser.wait_signed_in_as(EMAIL).await;
        let tabs = [first, second];
        assert_eq!(
            browser
                .run("return navigator.locks === undefined;", vec![])
                .await,
            json!(true),
            "the tab has no Web Locks"
        );
        let before = wait_until(
            "both tabs hold the same tokens",
            Duration::from_secs(5),
            async || {
                let mut prints = Vec::new();
                for tab in &tabs {
                    browser.switch_to(tab).await;
                    prints.push(id_token_fingerprint(&browser).await);
                }
                (prints[0].is_some() && prints[0] == prints[1]).then(|| prints[0].clone().unwrap())
            },
        )
        .await;
        stack.proxy.set_fault(Fault::Hold);
        let refreshes_before = stack.proxy.count(REFRESH);

        // Both tabs ask the provider (the tokens are due about 8 s after sign-in).
        wait_until(
            "both tabs sent a refresh",
            Duration::from_secs(15),
            async || (stack.proxy.held() == 2).then_some(()),
        )
        .await;
        for tab in &tabs {
            browser.switch_to(tab).await;
            assert_eq!(
                session_state(&browser).await,
                "refreshing",
                "a tab waits for its refresh"
            );
        }
        // Release early in a wall-clock second, so both answers are issued in it.
        loop {
            let millis = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .subsec_millis();
            if millis < 100 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stack.proxy.release();
        let answers = wait_until(
            "both refreshes answered",
            Duration::from_secs(5),
            async || {
                let answers = stack.proxy.answers(REFRESH);
                (answers.len() >= 2).then_some(answers)
            },
        )
        .await;
        let spread = answers[answers.len() - 1] - answers[answers.len() - 2];
        assert!(
            spread < Duration::from_millis(500),
            "both answers within one second: {spread:?} apart"
        );
        assert_eq!(
            stack.proxy.count(REFRESH) - refreshes_before,
            2,
            "two provider refreshes"
        );

        let settled = wait_until(
            "both tabs settle on one token set",
            Duration::from_secs(5),
            async || {
                let mut seen = Vec::new();
                for tab in &tabs {
                    browser.switch_to(tab).await;
                    seen.push((
                        id_token_fingerprint(&browser).await,
                        session_state(&browser).await,
                    ));
                }
                let same = seen[0].0.is_some() && seen[0].0 == seen[1].0;
                (same && seen.iter().all(|(_, state)| state == "active"))
                    .then(|| seen[0].0.clone().unwrap())
            },
        )
        .await;
        assert_ne!(settled, before, "the tabs hold the refreshed tokens");
        // And they stay settled: no tab flips to the other set or starts
        // another refresh before the next one is due.
        tokio::time::sleep(Duration::from_secs(2)).await;
        for tab in &tabs {
            browser.switch_to(tab).await;
            assert_eq!(
                id_token_fingerprint(&browser).await.as_deref(),
                Some(settled.as_str())
            );
            assert_eq!(session_state(&browser).await, "active");
        }
        assert_eq!(
            stack.proxy.count(REFRESH) - refreshes_before,
            2,
            "no refresh after settling"
        );
        let stats = stack.notes.stats().await;
        assert_eq!(
            stats["rejected"]["expired"], 0,
            "no expired token was sent: {stats}"
        );
        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}

/// Tab A is signed in as the demo user with unsaved text in a note; in tab
/// B of the same profile (shared localStorage) the demo user signs out and
/// another person signs in. Tab A ends on the sign-in page saying why, the
/// typed text is offered back when the demo user signs in again in tab A,
/// and the other person never sees it.
#[tokio::test(flavor = "multi_thread")]
async fn another_person_signing_in_in_another_tab_keeps_the_typed_text_for_its_owner() {
    bounded(Duration::from_secs(120), async {
        let seed = Seed {
            storage: "local",
            other_user: Some(OTHER_USER),
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::signed_in(&stack.site.url).await;
        let tab_a = browser.client.window().await.unwrap();
        let tab_b = browser.open_signed_in_tab(&stack.site.url).await;

        browser.switch_to(&tab_a).await;
        browser.click(".new-note").await;
        browser
            .wait_for("#note-title", Duration::from_secs(5))
            .await;
        browser.type_into("#note-title", "Salary review").await;
        browser
            .type_into("#note-body", "Raise for the whole team")
            .await;
        browser
            .wait_for(".unsaved-marker", Duration::from_secs(5))
            .await;

        browser.switch_to(&tab_b).await;
        browser.click(".status-bar .sign-out").await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(5))
            .await;
        browser.sign_in(OTHER_USER, PASSWORD).await;
        let switched = Instant::now();

        browser.switch_to(&tab_a).await;
        browser
            .wait_for(
                ".sign-out-banner[data-reason=other_user_signed_in]",
                Duration::from_secs(5),
            )
            .await;
        browser
            .wait_for(".sign-in-form #email", Duration::from_secs(2))
            .await;
        let banner = browser.text_of(".sign-out-banner").await;
        assert!(
            banner.contains("Someone else signed in"),
            "the page says why: {banner:?}"
        );
        println!(
            "tab A showed why it was signed out {:?} after the other sign-in",
            switched.elapsed()
        );

        // The other person, in tab B: their notes and drafts never show A's text.
        browser.switch_to(&tab_b).await;
        browser
            .wait_for_text(
                ".status-bar .signed-in-user",
                OTHER_USER,
                Duration::from_secs(5),
            )
            .await;
        let page = browser.client.source().await.expect("page source");
        assert!(
            !page.contains("Salary review") && !page.contains("Raise for the whole team"),
            "the other user sees none of A's text"
        );

        // The demo user signs in again in tab A: the typed text is offered back.
        browser.switch_to(&tab_a).await;
        browser.sign_in(EMAIL, PASSWORD).await;
        browser
            .wait_for_text(
                ".restore-drafts .draft-label",
                "Salary review",
                Duration::from_secs(10),
            )
            .await;
        browser.click(".restore-drafts .restore-draft").await;
        browser.wait_for("#note-body", Duration::from_secs(5)).await;
        assert_eq!(
            browser.value_of("#note-body").await,
            "Raise for the whole team",
            "the typed text came back"
        );
        browser.close().await;
    })
    .await;
}

/// A tab opened from a signed-in page gets a copy of the opener's
/// sessionStorage made at that moment. Here the copy is made, the opener
/// then renews the tokens, and only afterwards does the new tab load the
/// app: its copy holds the old tokens, near expiry, and it never heard the
/// opener's broadcast. It asks the open tabs for the session at load and
/// takes the renewed one instead of renewing the same lifetime again.
#[tokio::test(flavor = "multi_thread")]
async fn a_tab_opened_with_an_old_copy_of_storage_takes_the_renewed_session_without_a_refresh() {
    bounded(Duration::from_secs(90), async {
        let seed = Seed {
            id_validity: "10s",
            storage: "session",
            ..Seed::default()
        };
        let stack = Stack::start(seed, json!({})).await;
        let browser = Browser::start().await;
        browser.open_sign_in(&stack.site.url).await;
        browser.sign_in(EMAIL, PASSWORD).await;
        let opener = browser.client.window().await.expect("this tab");
        let old = wait_until(
            "the signed-in tab stores its tokens",
            Duration::from_secs(5),
            async || id_token_fingerprint(&browser).await,
        )
        .await;

        // The copy of sessionStorage is made now, by window.open; the app
        // itself loads in that tab later.
        let before = browser.client.windows().await.expect("window handles");
        browser
            .run("window.open('about:blank', '_blank');", vec![])
            .await;
        let opened = wait_until(
            "window.open opens a tab",
            Duration::from_secs(5),
            async || {
                let now = browser.client.windows().await.expect("window handles");
                now.into_iter().find(|handle| !before.contains(handle))
            },
        )
        .await;
        browser.switch_to(&opened).await;
        assert_eq!(
            id_token_fingerprint(&browser).await.as_deref(),
            Some(old.as_str()),
            "the new tab holds a copy of the opener's tokens"
        );

        browser.switch_to(&opener).await;
        let refreshes_before = stack.proxy.count(REFRESH);
        let renewed = wait_until(
            "the opener renews its tokens",
            Duration::from_secs(15),
            async || {
                let print = id_token_fingerprint(&browser).await?;
                (stack.proxy.count(REFRESH) > refreshes_before && print != old).then_some(print)
            },
        )
        .await;
        let renewals = stack.proxy.count(REFRESH);

        browser.switch_to(&opened).await;
        browser
            .client
            .goto(&stack.site.url)
            .await
            .expect("load the app in the new tab");
        browser.wait_signed_in_as(EMAIL).await;
        wait_until(
            "the new tab holds tokens newer than its copy",
            Duration::from_secs(5),
            async || {
                id_token_fingerprint(&browser)
                    .await
                    .filter(|print| *print != old)
            },
        )
        .await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        // No refresh came within half a lifetime (5 s) of another: the new
        // tab did not renew the lifetime the opener had renewed. (The
        // opener's own next refresh, due 8 s after the last, may come
        // meanwhile on a slow machine; that one is on schedule.)
        let arrivals = stack.proxy.arrivals(REFRESH);
        for pair in arrivals.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_secs(5),
                "the new tab renewed a lifetime the opener had already renewed: refreshes {:?} apart ({} before the new tab loaded, {} now)",
                pair[1] - pair[0],
                renewals,
                arrivals.len()
            );
        }
        // Both tabs hold one token set: the new tab took the opener's
        // (the renewed one, unless the opener's next refresh came since).
        let held = wait_until("both tabs hold one token set", Duration::from_secs(3), async || {
            browser.switch_to(&opened).await;
            let new_tab = id_token_fingerprint(&browser).await;
            browser.switch_to(&opener).await;
            let opener_tab = id_token_fingerprint(&browser).await;
            (new_tab.is_some() && new_tab == opener_tab).then_some(new_tab)
        })
        .await;
        if stack.proxy.count(REFRESH) == renewals {
            assert_eq!(held.as_deref(), Some(renewed.as_str()));
        }
        browser.switch_to(&opened).await;
        assert_eq!(session_state(&browser).await, "active");
        let severe = browser.severe_console_messages().await;
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}
