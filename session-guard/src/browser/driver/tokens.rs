//! Tokens: verification against the pool's keys, restoring the stored
//! session at page load, and tokens for the app's API calls.

use super::*;

/// two keys, about 1 KB).
const MAX_STORED_JWKS_BYTES: usize = 64 * 1024;

/// Why no token can be handed to an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionUnavailable {
    /// Nobody is signed in: show the sign-in page.
    #[error("you are signed out; sign in again to continue")]
    SignedOut,
    /// The session reached its end (or was refused) and waits for the user to
    /// sign in again in place; the page and its work stay.
    #[error("your session has ended; sign in again in place to continue")]
    ReauthRequired,
    /// No refresh succeeded in time (offline, or the service is unreachable):
    /// the session is kept, so try the call again later.
    #[error(
        "the session could not be renewed in time (the sign-in service is unreachable); your work is kept, try again"
    )]
    Timeout,
}

impl SessionDriver {
    /// Verifies tokens against the pool's keys, downloaded from the JWKS URL
    /// once per page and cached in memory. Time claims are left to the
    /// session core, which corrects for clock skew.
    ///
    /// The copy of the keys kept in storage is a fallback only: it serves
    /// while the JWKS URL cannot be reached (a reload while offline), is
    /// never kept in memory (the next verification asks the URL again), and
    /// is replaced by every successful download, so a planted key set is
    /// never used once the real one can be had.
    pub(super) async fn verify(&self, tokens: IssuedTokens) -> Result<VerifiedTokens, TokenError> {
        let settings = VerificationSettings::from_config(&self.inner.config.cognito);
        let cache = self.inner.jwks.borrow().clone();
        let mut verifier = TokenVerifier::with_cache(settings, self.inner.crypto.clone(), cache);
        let url = self.inner.config.cognito.jwks_url();
        let timeout = self.inner.config.cognito.request_timeout;
        let store = &self.inner.store;
        let used_fallback = Cell::new(false);
        let result = verifier
            .verify_tokens(tokens, TimeCheck::Skip, async || {
                let response = get(&url, timeout).await;
                match &response {
                    Ok(response) if response.is_success() => {
                        store.save_jwks(&response.body);
                    }
                    _ => {
                        if let Some(stored) = store
                            .jwks()
                            .filter(|json| json.len() <= MAX_STORED_JWKS_BYTES)
                        {
                            used_fallback.set(true);
                            return Ok(HttpResponse::new(200, stored));
                        }
                    }
                }
                response
            })
            .await;
        *self.inner.jwks.borrow_mut() = if used_fallback.get() {
            JwksCache::default()
        } else {
            verifier.jwks().clone()
        };
        result
    }

    /// Verifies a claimed snapshot's tokens and pairs it with what the
    /// verification established, for the core to decide what to believe.
    pub(super) async fn check(
        &self,
        snapshot: SessionSnapshot,
    ) -> Result<CheckedClaim, TokenError> {
        let verified = self.verify(issued(&snapshot.tokens)).await?;
        Ok(CheckedClaim {
            verified: token_set(&verified),
            snapshot,
        })
    }

    pub(super) async fn restore(&self, stored: Option<SessionSnapshot>) {
        if self.inner.config.storage != crate::config::TokenStorage::Local {
            // This tab's storage is its own: empty (memory, or a tab opened
            // afresh) or a copy made when the tab was opened, which other
            // tabs may have renewed since. The open tabs offer what they
            // hold; the core adopts only what supersedes.
            self.post(TabEvent::SessionWanted);
        }
        let Some(snapshot) = stored else { return };
        match self.check(snapshot).await {
            Ok(claim) => self.handle(Input::Restored { claim }),
            Err(error) => {
                let refused = !error.is_transient();
                notice(&if refused {
                    format!("the stored session was refused ({error}) and has been cleared")
                } else {
                    format!(
                        "the stored session could not be checked now ({error}); sign in again or reload later"
                    )
                });
                self.handle(Input::RestoreFailed { refused });
            }
        }
    }

    /// Tokens valid for at least `min_validity` more, never expired ones.
    /// Closer to expiry than that, a refresh is started now (one for all
    /// concurrent callers) and awaited, up to `limit`.
    pub async fn fresh_tokens(
        &self,
        min_validity: Duration,
        limit: Duration,
    ) -> Result<TokenSet, SessionUnavailable> {
        let deadline = self.now().plus(limit);
        loop {
            let settled = {
                let machine = self.inner.machine.borrow();
                if let Some(tokens) = machine.tokens_usable_for(self.now(), min_validity) {
                    return Ok(tokens.clone());
                }
                match machine.state() {
                    SessionState::SignedOut => return Err(SessionUnavailable::SignedOut),
                    SessionState::ReauthRequired => return Err(SessionUnavailable::ReauthRequired),
                    SessionState::Refreshing | SessionState::OfflineRetrying => false,
                    SessionState::Active | SessionState::Warning(_) => true,
                }
            };
            // Ask only when nothing is under way or waiting to retry: every
            // input wakes the waiting callers, and ten of them asking again
            // on each wake would keep each other busy.
            if settled {
                self.handle(Input::RefreshRequested);
            }
            if self.inner.disposed.get() || self.now() >= deadline {
                return Err(SessionUnavailable::Timeout);
            }
            let wait = self.now().until(deadline).min(Duration::from_secs(1));
            self.inner.changes.changed_or_after(wait).await;
        }
    }

    /// The app's API refused `rejected` (401): refresh now, and wait for
    /// tokens other than those.
    pub async fn tokens_after_rejection(
        &self,
        rejected: &TokenSet,
        limit: Duration,
    ) -> Result<TokenSet, SessionUnavailable> {
        let newer_known = self
            .inner
            .machine
            .borrow()
            .snapshot()
            .is_some_and(|snapshot| snapshot.tokens.id_token != rejected.id_token);
        if !newer_known {
            self.handle(Input::RefreshRequested);
        }
        let deadline = self.now().plus(limit);
        loop {
            let tokens = self
                .fresh_tokens(Duration::ZERO, self.now().until(deadline))
                .await?;
            // Compared by value: `iat` has one-second resolution.
            if tokens.id_token != rejected.id_token {
                return Ok(tokens);
            }
            if self.now() >= deadline {
                return Err(SessionUnavailable::Timeout);
            }
            self.inner
                .changes
                .changed_or_after(Duration::from_secs(1))
                .await;
        }
    }
}

/// The core's view of verified tokens (the rule is the core's).
pub(super) fn token_set(verified: &VerifiedTokens) -> TokenSet {
    verified.session_tokens()
}

pub(super) fn issued(tokens: &TokenSet) -> IssuedTokens {
    IssuedTokens {
        id_token: tokens.id_token.clone(),
        access_token: tokens.access_token.clone(),
        refresh_token: tokens
            .refresh_token
            .clone()
            .unwrap_or_else(|| Secret::new("")),
        expires_in: None,
        token_type: None,
    }
}
