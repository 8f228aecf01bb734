//! The refresh, once for all tabs: under the Web Lock the core decides
//! whether what another tab stored will do or the provider must be asked.

use super::*;

/// How long the refresh lock is held after a successful refresh, so other
/// tabs see the new tokens before they can take it.
const HANDOVER_GRACE_MS: u32 = 300;
/// How long a refresh holding the lock waits for other tabs' messages that
/// are still being verified (one of them may carry the new tokens).
const CLAIM_CHECK_WAIT: Duration = Duration::from_secs(2);

impl SessionDriver {
    /// Takes the refresh lock shared by every tab, tells the core what
    /// storage holds now, and sends the refresh if the core asks for it.
    pub(super) async fn refresh(&self, generation: Generation) {
        let driver = self.clone();
        let lock = format!("{}.refresh", self.inner.options.channel_name);
        with_lock(&lock, async move || {
            driver.refresh_under_lock(generation).await
        })
        .await;
    }

    /// Runs with the refresh lock held: another tab may have refreshed while
    /// this one waited. Its broadcast may still be in verification, and
    /// storage is read and verified; then the core decides.
    pub(super) async fn refresh_under_lock(&self, generation: Generation) {
        let waited_from = self.now();
        while self.inner.claims_in_check.get() > 0
            && waited_from.until(self.now()) < CLAIM_CHECK_WAIT
            && !self.inner.disposed.get()
        {
            self.inner
                .changes
                .changed_or_after(Duration::from_millis(50))
                .await;
        }
        if self.inner.machine.borrow().refresh_in_flight() != Some(generation) {
            // Another tab's tokens were adopted meanwhile.
            self.bump(|stats| stats.adopted_from_storage += 1);
            return;
        }
        let stored = match self.inner.store.load() {
            Some(snapshot) => self.check(snapshot).await.ok(),
            None => None,
        };
        self.inner.send_refresh.borrow_mut().take();
        self.handle(Input::RefreshLockAcquired { generation, stored });
        let send = self.inner.send_refresh.borrow_mut().take();
        let Some((sent_generation, refresh_token)) = send.filter(|(g, _)| *g == generation) else {
            self.bump(|stats| stats.adopted_from_storage += 1);
            return;
        };
        self.bump(|stats| stats.provider_refreshes += 1);
        let jitter = Jitter::from_fraction(js_sys::Math::random());
        let input = match self.inner.client.renew(&refresh_token).await {
            Ok(tokens) => match self.verify(tokens).await {
                Ok(verified) => Input::RefreshSucceeded {
                    generation: sent_generation,
                    tokens: token_set(&verified),
                },
                Err(error) => {
                    notice(&format!("refreshed tokens were refused: {error}"));
                    let error = if error.is_transient() {
                        RefreshError::Network
                    } else {
                        RefreshError::Server
                    };
                    Input::RefreshFailed {
                        generation: sent_generation,
                        error,
                        jitter,
                    }
                }
            },
            Err(error) => Input::RefreshFailed {
                generation: sent_generation,
                error: refresh_error(&error),
                jitter,
            },
        };
        let refreshed = matches!(input, Input::RefreshSucceeded { .. });
        self.handle(input);
        if refreshed {
            // Keep the lock a moment longer: the new tokens were written to
            // storage and broadcast just now, but another tab's renderer may
            // see localStorage a few milliseconds late (Chromium syncs it
            // between processes asynchronously). A tab waiting for the lock
            // must find them, not refresh the same lifetime again (`make
            // bench` caught that once with five tabs: two refreshes 13 ms apart).
            gloo_timers::future::TimeoutFuture::new(HANDOVER_GRACE_MS).await;
        }
    }
}

/// The only distinction the core needs: definite rejection or retry.
pub(super) fn refresh_error(error: &CognitoError) -> RefreshError {
    match error.retry_class() {
        RetryClass::DefiniteRejection => RefreshError::NotAuthorized,
        RetryClass::RotationReuse => RefreshError::RefreshTokenReuse,
        RetryClass::Retryable => match error {
            CognitoError::Network { .. } | CognitoError::Timeout | CognitoError::Cancelled => {
                RefreshError::Network
            }
            _ => RefreshError::Server,
        },
    }
}
