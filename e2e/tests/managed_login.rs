//! End to end: signing in through managed login (the Hosted UI) that
//! cognito-local 5.3.0 serves at `/oauth2/authorize`, behind the fault proxy.
//! The app goes to the pool's page with PKCE, state and nonce, comes back
//! with the code, removes it from the address bar, exchanges it and is
//! signed in; a tampered state and a code the tab did not ask for are
//! refused with a message; sign-out goes through `/logout`.

use std::time::Duration;

use serde_json::{Value, json};
use session_guard_e2e::{Browser, EMAIL, PASSWORD, Seed, Stack, bounded, cognito_call};

/// A stack whose app signs in through managed login at the proxy.
async fn hosted_stack() -> Stack {
    // 10-second tokens, so the session refreshes within the test.
    let seed = Seed {
        id_validity: "10s",
        ..Seed::default()
    };
    let mut stack = Stack::start(seed, json!({})).await;
    let page = format!("{}/", stack.site.url.trim_end_matches('/'));
    let (status, body) = cognito_call(
        &stack.cognito.endpoint,
        "UpdateUserPoolClient",
        json!({
            "UserPoolId": stack.config["cognito"]["user_pool_id"],
            "ClientId": stack.config["cognito"]["client_id"],
            "CallbackURLs": [page],
            "LogoutURLs": [page],
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "SupportedIdentityProviders": ["COGNITO"],
        }),
    )
    .await;
    assert_eq!(status, 200, "UpdateUserPoolClient: {body}");
    stack.config["cognito"]["sign_in_flow"] = "hosted".into();
    stack.config["cognito"]["managed_login"] = json!({ "domain": stack.proxy.url });
    std::fs::write(
        stack.site.config_path(),
        serde_json::to_string_pretty(&stack.config).unwrap(),
    )
    .unwrap();
    stack
}

/// Opens the app, presses "Sign in" and waits for cognito-local's form.
async fn go_to_managed_login(browser: &Browser, stack: &Stack) {
    browser.client.goto(&stack.site.url).await.unwrap();
    browser
        .wait_for(".managed-login .managed-sign-in", Duration::from_secs(20))
        .await;
    browser.click(".managed-sign-in").await;
    browser
        .wait_for(
            "form[action='/oauth2/authorize'] input[name=username]",
            Duration::from_secs(20),
        )
        .await;
}

async fn submit_credentials(browser: &Browser) {
    browser.type_into("input[name=username]", EMAIL).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser
        .click("form[action='/oauth2/authorize'] button[type=submit]")
        .await;
}

/// "Session ends 10:20" (without the countdown that follows it).
async fn session_end(browser: &Browser) -> String {
    let text = browser.text_of(".status-bar .session-end").await;
    text.split(" (in").next().unwrap_or_default().to_owned()
}

fn query_of(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_through_managed_login_comes_back_signed_in_with_a_clean_address_bar() {
    bounded(Duration::from_secs(150), async {
        let stack = hosted_stack().await;
        let browser = Browser::start().await;
        go_to_managed_login(&browser, &stack).await;

        // The authorization request, as it reached the pool's domain.
        let authorize = stack
            .proxy
            .pages()
            .into_iter()
            .find(|page| page.starts_with("/oauth2/authorize"))
            .expect("the app went to /oauth2/authorize");
        let params = query_of(&authorize);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("code_challenge").len(), 43, "{authorize}");
        assert!(get("state").len() >= 22, "{authorize}");
        assert!(get("nonce").len() >= 22, "{authorize}");
        assert_eq!(get("scope"), "openid%20email%20profile");
        assert!(
            !authorize.contains("code_verifier"),
            "the verifier stays in the tab"
        );

        submit_credentials(&browser).await;
        browser.wait_signed_in_as(EMAIL).await;
        let location = browser
            .run("return location.href", vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !location.contains("code=") && !location.contains("state="),
            "the answer left the address bar: {location}"
        );
        // The code was exchanged once, with the verifier.
        let exchanges: Vec<String> = stack
            .proxy
            .pages()
            .into_iter()
            .filter(|page| page.starts_with("/oauth2/token"))
            .collect();
        assert_eq!(exchanges.len(), 1, "{exchanges:?}");
        browser.screenshot("managed-login-signed-in").await;

        // Refreshed like any session (REFRESH_TOKEN_AUTH with the refresh
        // token managed login issued), and the hard end stays where it was.
        let end_before = session_end(&browser).await;
        session_guard_e2e::wait_until("a refresh", Duration::from_secs(30), async || {
            (stack.proxy.count(session_guard_e2e::REFRESH) >= 1).then_some(())
        })
        .await;
        browser
            .wait_for_text(
                ".status-bar .session-state",
                "Active",
                Duration::from_secs(10),
            )
            .await;
        assert_eq!(session_end(&browser).await, end_before);

        // A reload keeps the session (stored like any other) and does not
        // exchange anything again.
        browser.client.refresh().await.unwrap();
        browser.wait_signed_in_as(EMAIL).await;
        assert_eq!(
            stack
                .proxy
                .pages()
                .iter()
                .filter(|page| page.starts_with("/oauth2/token"))
                .count(),
            1
        );

        // Sign-out revokes the refresh token, then ends the managed-login
        // session at /logout, which sends the browser back to the app.
        let revocations = stack.proxy.count("RevokeToken");
        browser.click(".status-bar .sign-out").await;
        // The sign-in page shows at once; the way through /logout follows.
        let logout = session_guard_e2e::wait_until(
            "the app goes through /logout",
            Duration::from_secs(20),
            async || {
                stack
                    .proxy
                    .pages()
                    .into_iter()
                    .find(|page| page.starts_with("/logout"))
            },
        )
        .await;
        browser
            .wait_for(".managed-login .managed-sign-in", Duration::from_secs(20))
            .await;
        assert_eq!(stack.proxy.count("RevokeToken"), revocations + 1);
        let client_id = stack.config["cognito"]["client_id"].as_str().unwrap();
        let page = format!("{}/", stack.site.url.trim_end_matches('/'));
        assert_eq!(
            logout,
            format!(
                "/logout?client_id={client_id}&logout_uri={}",
                page.replace(':', "%3A").replace('/', "%2F")
            )
        );
        // The emulator's login page has no favicon; only the app counts.
        let severe: Vec<String> = browser
            .severe_console_messages()
            .await
            .into_iter()
            .filter(|message| !message.starts_with(&stack.proxy.url))
            .collect();
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_state_and_a_code_this_tab_did_not_ask_for_are_refused() {
    bounded(Duration::from_secs(150), async {
        let stack = hosted_stack().await;
        let browser = Browser::start().await;

        // The state is changed on its way back: refused, nothing exchanged.
        go_to_managed_login(&browser, &stack).await;
        browser
            .run(
                "document.querySelector('input[name=state]').value = 'tampered-state'",
                vec![],
            )
            .await;
        submit_credentials(&browser).await;
        let message = browser
            .wait_for_text(
                ".managed-login .sign-in-error",
                "does not belong to this tab",
                Duration::from_secs(20),
            )
            .await;
        assert!(message.contains("Nothing was signed in"), "{message}");
        assert!(!browser.is_present(".status-bar").await);
        assert!(
            !stack
                .proxy
                .pages()
                .iter()
                .any(|p| p.starts_with("/oauth2/token")),
            "a tampered answer is not exchanged"
        );

        // An answer replayed into a tab that has no pending sign-in (a
        // stolen or reused link): refused, nothing exchanged.
        let replayed: Value = browser
            .run("return location.origin + location.pathname", vec![])
            .await;
        let replayed = format!(
            "{}?code=replayed-code&state=some-state",
            replayed.as_str().unwrap()
        );
        browser.client.goto(&replayed).await.unwrap();
        let message = browser
            .wait_for_text(
                ".managed-login .sign-in-error",
                "already used or was not asked for",
                Duration::from_secs(20),
            )
            .await;
        assert!(message.contains("start the sign-in again"), "{message}");
        assert!(
            !stack
                .proxy
                .pages()
                .iter()
                .any(|p| p.starts_with("/oauth2/token")),
            "a replayed answer is not exchanged"
        );

        // An error answer from the pool's page is named, and signing in
        // still works afterwards.
        let error_answer = format!(
            "{}/?error=access_denied&error_description=The+user+cancelled",
            stack.site.url.trim_end_matches('/')
        );
        browser.client.goto(&error_answer).await.unwrap();
        browser
            .wait_for_text(
                ".managed-login .sign-in-error",
                "The user cancelled",
                Duration::from_secs(20),
            )
            .await;
        go_to_managed_login(&browser, &stack).await;
        submit_credentials(&browser).await;
        browser.wait_signed_in_as(EMAIL).await;
        browser.close().await;
    })
    .await;
}

/// Finds the window that is not `main` (the sign-in window the app opened).
async fn other_window(
    browser: &Browser,
    main: &fantoccini::wd::WindowHandle,
) -> fantoccini::wd::WindowHandle {
    session_guard_e2e::wait_until("the sign-in window", Duration::from_secs(10), async || {
        let windows = browser.client.windows().await.ok()?;
        windows.into_iter().find(|window| window != main)
    })
    .await
}

/// Signed in through managed login with a note typed and not saved; then
/// the refresh token is refused, so the session must be renewed in place.
/// Returns this tab's handle once the re-authentication dialog is up.
async fn typing_when_the_session_must_be_renewed(
    browser: &Browser,
    stack: &Stack,
) -> fantoccini::wd::WindowHandle {
    signed_in_through_managed_login(browser, stack).await;
    let main = browser.client.window().await.unwrap();
    browser.click(".new-note").await;
    browser.type_into("#note-title", "Board minutes").await;
    browser
        .type_into("#note-body", "Typed before the session ended")
        .await;
    stack.proxy.set_fault(session_guard_e2e::Fault::Revoked);
    browser
        .wait_for(".reauth-dialog .reauth-managed", Duration::from_secs(30))
        .await;
    stack.proxy.set_fault(session_guard_e2e::Fault::None);
    main
}

/// Back in the page that asked: the session is renewed, the dialog gone,
/// and the typed text still there (the page never unloaded).
async fn renewed_with_the_typed_text(browser: &Browser, main: fantoccini::wd::WindowHandle) {
    browser.client.switch_to_window(main).await.unwrap();
    browser
        .wait_for_text(
            ".status-bar .session-state",
            "Active",
            Duration::from_secs(30),
        )
        .await;
    assert!(!browser.is_present(".reauth-dialog").await);
    assert_eq!(
        browser.value_of("#note-body").await,
        "Typed before the session ended"
    );
    assert_eq!(browser.value_of("#note-title").await, "Board minutes");
}

#[tokio::test(flavor = "multi_thread")]
async fn re_authentication_opens_managed_login_in_a_window_and_keeps_the_typed_text() {
    bounded(Duration::from_secs(150), async {
        let stack = hosted_stack().await;
        let browser = Browser::start().await;
        let main = typing_when_the_session_must_be_renewed(&browser, &stack).await;

        // Closing the window without signing in is said, and offered again.
        browser.click(".reauth-dialog button[type=submit]").await;
        let window = other_window(&browser, &main).await;
        browser.client.switch_to_window(window).await.unwrap();
        browser
            .wait_for(
                "form[action='/oauth2/authorize'] input[name=username]",
                Duration::from_secs(20),
            )
            .await;
        browser.client.close_window().await.unwrap();
        browser.client.switch_to_window(main.clone()).await.unwrap();
        browser
            .wait_for_text(
                ".reauth-dialog .form-error",
                "window was closed before you signed in",
                Duration::from_secs(10),
            )
            .await;

        // Signing in in the window renews the session in this page, which
        // never unloaded: the typed text is still there.
        browser.click(".reauth-dialog button[type=submit]").await;
        let window = other_window(&browser, &main).await;
        browser.client.switch_to_window(window).await.unwrap();
        browser
            .wait_for(
                "form[action='/oauth2/authorize'] input[name=username]",
                Duration::from_secs(20),
            )
            .await;
        submit_credentials(&browser).await;
        // The window closes itself once it has signed in.
        session_guard_e2e::wait_until(
            "the sign-in window closed",
            Duration::from_secs(20),
            async || {
                let windows = browser.client.windows().await.ok()?;
                (windows.len() == 1).then_some(())
            },
        )
        .await;
        renewed_with_the_typed_text(&browser, main).await;
        browser.close().await;
    })
    .await;
}

/// Where the browser blocks pop-ups, re-authentication offers a link that
/// opens the managed login page in a new tab; signing in there renews the
/// session in the page that asked, which never unloaded.
#[tokio::test(flavor = "multi_thread")]
async fn where_pop_ups_are_blocked_re_authentication_finishes_in_a_new_tab_and_keeps_the_typed_text()
 {
    bounded(Duration::from_secs(150), async {
        let stack = hosted_stack().await;
        let browser = Browser::start().await;
        let main = typing_when_the_session_must_be_renewed(&browser, &stack).await;
        // A pop-up blocker: window.open opens nothing and returns null.
        browser
            .run("window.open = () => null; return true;", vec![])
            .await;
        browser.click(".reauth-dialog button[type=submit]").await;
        browser
            .wait_for(".reauth-dialog .reauth-new-tab", Duration::from_secs(10))
            .await;
        assert_eq!(
            browser.client.windows().await.unwrap().len(),
            1,
            "the blocked window did not open"
        );
        let href = browser
            .run(
                "return document.querySelector('.reauth-dialog .reauth-new-tab').href;",
                vec![],
            )
            .await;
        let href = href.as_str().expect("the link has an address");
        assert!(
            href.contains("/oauth2/authorize") && href.contains("code_challenge_method=S256"),
            "the link opens the managed login page with PKCE"
        );

        browser.click(".reauth-dialog .reauth-new-tab").await;
        let tab = other_window(&browser, &main).await;
        browser.client.switch_to_window(tab).await.unwrap();
        browser
            .wait_for(
                "form[action='/oauth2/authorize'] input[name=username]",
                Duration::from_secs(20),
            )
            .await;
        submit_credentials(&browser).await;
        // The new tab comes back to the app, finishes the sign-in and tells
        // every tab; the page that asked takes the new session.
        renewed_with_the_typed_text(&browser, main).await;
        browser.close().await;
    })
    .await;
}

/// The access token this tab keeps in its sessionStorage.
async fn stored_access_token(browser: &Browser) -> String {
    browser
        .run(
            "for (const key of Object.keys(sessionStorage)) { if (key.endsWith('.session')) \
             return JSON.parse(sessionStorage.getItem(key)).snapshot.tokens.access_token; } return null;",
            vec![],
        )
        .await
        .as_str()
        .expect("the session is in sessionStorage")
        .to_owned()
}

async fn signed_in_through_managed_login(browser: &Browser, stack: &Stack) {
    go_to_managed_login(browser, stack).await;
    submit_credentials(browser).await;
    browser.wait_signed_in_as(EMAIL).await;
}

/// "Sign out everywhere" sends GlobalSignOut with the session's access
/// token, then signs this tab out as any sign-out does (the refresh token
/// revoked, the managed-login session ended). cognito-local 5.3.0 has no
/// GlobalSignOut: the proxy answers it as Cognito does and keeps the request.
#[tokio::test(flavor = "multi_thread")]
async fn signing_out_everywhere_sends_global_sign_out_with_the_access_token_then_signs_out_here() {
    bounded(Duration::from_secs(120), async {
        let stack = hosted_stack().await;
        let browser = Browser::start().await;
        signed_in_through_managed_login(&browser, &stack).await;
        let access_token = stored_access_token(&browser).await;
        browser.click(".status-bar .sign-out-everywhere").await;
        session_guard_e2e::wait_until(
            "the app goes through /logout",
            Duration::from_secs(20),
            async || {
                let pages = stack.proxy.pages();
                pages
                    .iter()
                    .any(|page| page.starts_with("/logout?"))
                    .then_some(())
            },
        )
        .await;
        browser
            .wait_for(".managed-login .managed-sign-in", Duration::from_secs(20))
            .await;
        let requests = stack.proxy.global_sign_outs();
        assert_eq!(requests.len(), 1, "one GlobalSignOut");
        assert!(
            requests[0] == json!({ "AccessToken": access_token }),
            "GlobalSignOut carries exactly the session's access token"
        );
        assert_eq!(
            stack.proxy.count("RevokeToken"),
            1,
            "the refresh token is revoked"
        );
        assert!(
            stack
                .proxy
                .pages()
                .iter()
                .any(|page| page.starts_with("/logout?")),
            "the managed-login session is ended"
        );
        browser.close().await;
    })
    .await;
}

/// An app client that does not grant `aws.cognito.signin.user.admin` gets
/// access tokens GlobalSignOut refuses. The page says so and changes
/// nothing: no request, still signed in here (and everywhere else).
#[tokio::test(flavor = "multi_thread")]
async fn without_the_admin_scope_signing_out_everywhere_is_refused_with_the_reason_and_nothing_changes()
 {
    bounded(Duration::from_secs(120), async {
        let stack = hosted_stack().await;
        stack.proxy.withhold_admin_scope();
        let browser = Browser::start().await;
        signed_in_through_managed_login(&browser, &stack).await;
        browser.click(".status-bar .sign-out-everywhere").await;
        browser
            .wait_for_text(
                ".session-notice",
                "aws.cognito.signin.user.admin",
                Duration::from_secs(10),
            )
            .await;
        assert!(
            stack.proxy.global_sign_outs().is_empty(),
            "no GlobalSignOut"
        );
        assert_eq!(stack.proxy.count("RevokeToken"), 0, "nothing revoked");
        assert_eq!(
            browser.text_of(".status-bar .signed-in-user").await,
            EMAIL,
            "still signed in"
        );
        // The tokens without the scope are the app's real tokens: it keeps
        // refreshing them (10 s tokens) and stays signed in.
        let refreshes = stack.proxy.count(session_guard_e2e::REFRESH);
        session_guard_e2e::wait_until(
            "a refresh of the scope-less tokens",
            Duration::from_secs(15),
            async || (stack.proxy.count(session_guard_e2e::REFRESH) > refreshes).then_some(()),
        )
        .await;
        browser
            .wait_for_text(
                ".status-bar .session-state",
                "Active",
                Duration::from_secs(10),
            )
            .await;
        // (The emulator's login page has no favicon; that 404 is not the app's.)
        let severe: Vec<String> = browser
            .severe_console_messages()
            .await
            .into_iter()
            .filter(|message| !message.contains("/favicon.ico"))
            .collect();
        assert!(severe.is_empty(), "the page logged errors: {severe:#?}");
        browser.close().await;
    })
    .await;
}
