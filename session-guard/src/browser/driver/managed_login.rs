//! Managed login (the Hosted UI) in the page: starting it sends the browser
//! to Cognito's page; the page that loads with the answer in its address
//! bar removes it before anything renders and finishes the sign-in. The
//! rules (PKCE, state, nonce, URLs) are the pure `cognito::managed_login`.

use super::*;
use crate::browser::http::post_form;
use crate::cognito::managed_login::{
    CallbackAnswer, ManagedLogin, ManagedLoginError, PendingLogin, STATE_BYTES, VERIFIER_BYTES,
    check_nonce, parse_token_answer,
};
use wasm_bindgen::JsValue;

impl SessionDriver {
    /// The configured managed login for this page, if any.
    pub(crate) fn managed_login(&self) -> Option<ManagedLogin> {
        self.inner.config.cognito.managed_login_at(&page_url()?)
    }

    /// Sends the browser to managed login. Unsaved work is flushed to
    /// drafts first; after the sign-in they are offered back like after any
    /// sign-in (the drafts prompt reopens the note).
    pub fn start_managed_login(&self) -> Result<(), SignInError> {
        let login = self.managed_login().ok_or(SignInError::UsesManagedLogin)?;
        let random = random_bytes::<{ VERIFIER_BYTES + 2 * STATE_BYTES }>()?;
        let pending = PendingLogin::new(&random, js_sys::Date::now() as i64);
        pending_area()
            .set(&self.pending_key(), &crate::json::to_string(&pending))
            .map_err(|e| SignInError::Storage(e.to_string()))?;
        self.flush_drafts_now();
        let url = login.authorize_url(&self.inner.config.cognito.client_id, &pending);
        web_sys::window()
            .ok_or_else(|| SignInError::Storage("no browser window".into()))?
            .location()
            .assign(&url)
            .map_err(|_| {
                SignInError::Storage("the browser refused to open the sign-in page".into())
            })
    }

    /// Re-authentication in place with managed login: the pool's page opens
    /// in a window of its own (this page never unloads, so its work stays);
    /// the window signs in, tells every tab, and closes itself. The pending
    /// login is kept in `localStorage` under its `state`, so a new tab (where
    /// pop-ups are blocked) can finish it too. A window closed before the
    /// sign-in is reported as [`SessionView::reauth_window_closed`].
    pub fn reauthenticate_in_window(&self) -> Result<(), SignInError> {
        let login = self.managed_login().ok_or(SignInError::UsesManagedLogin)?;
        let random = random_bytes::<{ VERIFIER_BYTES + 2 * STATE_BYTES }>()?;
        let pending = PendingLogin::new(&random, js_sys::Date::now() as i64).for_reauth();
        KeyValueArea::new(crate::config::TokenStorage::Local)
            .set(
                &self.reauth_key(&pending.state),
                &crate::json::to_string(&pending),
            )
            .map_err(|e| SignInError::Storage(e.to_string()))?;
        let url = login.authorize_url(&self.inner.config.cognito.client_id, &pending);
        self.inner.reauth_window_closed.set(false);
        let opened = web_sys::window()
            .and_then(|window| {
                window
                    .open_with_url_and_target_and_features(
                        &url,
                        "session-guard-sign-in",
                        "popup=yes,width=520,height=700",
                    )
                    .ok()
            })
            .flatten();
        let Some(popup) = opened else {
            return Err(SignInError::WindowBlocked { url });
        };
        let driver = self.clone();
        let end_before = self.view().session_end;
        spawn_local(async move {
            // Watches the window: closed with the session not renewed means
            // the user gave up (or closed it by mistake); the dialog says so.
            while !driver.inner.disposed.get() {
                gloo_timers::future::TimeoutFuture::new(500).await;
                if popup.closed().unwrap_or(true) {
                    if driver.view().session_end == end_before {
                        driver.inner.reauth_window_closed.set(true);
                        driver.publish();
                    }
                    return;
                }
            }
        });
        Ok(())
    }

    /// At page load: a managed-login answer in the address bar is removed
    /// from it at once (the code is a credential; a reload must not reuse
    /// it) and returned for [`Self::finish_managed_login`].
    pub(super) fn take_managed_login_answer(&self) -> Option<CallbackAnswer> {
        self.inner.config.cognito.managed_login.as_ref()?;
        let window = web_sys::window()?;
        let location = window.location();
        let answer = CallbackAnswer::parse(&location.search().ok()?)?;
        let url = web_sys::Url::new(&location.href().ok()?).ok()?;
        let params = url.search_params();
        for name in CallbackAnswer::PARAMETERS {
            params.delete(name);
        }
        if let Ok(history) = window.history() {
            let clean = format!("{}{}{}", url.pathname(), url.search(), url.hash());
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
        }
        Some(answer)
    }

    /// Checks the answer against this tab's pending login, exchanges the
    /// code and starts the session; a failure is kept for the sign-in page.
    pub(super) async fn finish_managed_login(&self, answer: CallbackAnswer) {
        self.inner.completing_sign_in.set(true);
        self.publish();
        let result = self.exchange_code(answer).await;
        self.inner.completing_sign_in.set(false);
        if let Err(error) = result {
            notice(&format!("managed login did not sign in: {error}"));
            *self.inner.sign_in_error.borrow_mut() = Some(error.to_string());
        }
        self.publish();
    }

    async fn exchange_code(&self, answer: CallbackAnswer) -> Result<(), SignInError> {
        let login = self.managed_login().ok_or(SignInError::UsesManagedLogin)?;
        // Taken out before anything else: the same answer used twice (a
        // replayed code, a reload) finds no pending login the second time.
        let key = self.pending_key();
        let area = pending_area();
        let mut pending = area.get(&key).ok().flatten();
        area.remove(&key);
        // Re-authentication keeps its pending login under its state, so the
        // window (or tab) it opened can finish it.
        if let Some(state) = answer.state() {
            let shared = KeyValueArea::new(crate::config::TokenStorage::Local);
            let reauth_key = self.reauth_key(state);
            if pending.is_none() {
                pending = shared.get(&reauth_key).ok().flatten();
            }
            shared.remove(&reauth_key);
        }
        // An error answer is named whether or not this tab asked.
        if let CallbackAnswer::Error {
            error, description, ..
        } = answer
        {
            return Err(ManagedLoginError::Refused { error, description }.into());
        }
        let pending: PendingLogin = pending
            .and_then(|json| crate::json::from_str(&json).ok())
            .ok_or(ManagedLoginError::NotPending)?;
        let accepted = pending.accept(answer, js_sys::Date::now() as i64)?;
        let client_id = &self.inner.config.cognito.client_id;
        let response = post_form(
            &login.token_url(),
            login.token_request_body(client_id, &accepted.code, &accepted.verifier),
            self.inner.config.cognito.request_timeout,
        )
        .await
        .map_err(CognitoError::from)?;
        let issued = parse_token_answer(response.status, &response.body)?;
        let verified = self.verify(issued).await?;
        check_nonce(
            login.nonce_rule,
            &accepted.nonce,
            verified.id.nonce.as_deref(),
        )?;
        self.inner.store.clear_sign_out();
        self.handle(Input::SignedIn {
            tokens: token_set(&verified),
        });
        // A re-authentication window has told every tab (the page that asked
        // included) and closes itself; a tab opened by hand stays.
        if accepted.reauth
            && let Some(window) = web_sys::window()
            && window.opener().is_ok_and(|opener| !opener.is_null())
        {
            let _ = window.close();
        }
        Ok(())
    }

    /// Where a re-authentication keeps its pending login (by its state).
    fn reauth_key(&self, state: &str) -> String {
        format!("{}.{state}", self.pending_key())
    }

    /// Where this tab keeps its pending login.
    fn pending_key(&self) -> String {
        format!(
            "session-guard.{}.managed-login",
            self.inner.config.cognito.client_id
        )
    }
}

/// This tab's own storage: the answer must come back to the tab that asked.
fn pending_area() -> KeyValueArea {
    KeyValueArea::new(crate::config::TokenStorage::Session)
}

/// The page's URL without query or fragment: the default redirect and
/// sign-out URL.
fn page_url() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}",
        location.origin().ok()?,
        location.pathname().ok()?
    ))
}
