//! The other tabs: every message from the BroadcastChannel is an input; the
//! token-carrying ones are verified first, since another tab's word is a
//! claim.

use super::*;

impl SessionDriver {
    pub(super) fn open_channel(&self) {
        let weak = self.weak();
        let channel = TabChannel::open(&self.inner.options.channel_name, move |event| {
            if let Some(driver) = upgrade(&weak) {
                driver.on_tab_event(event);
            }
        });
        if channel.is_none() {
            notice(
                "BroadcastChannel is not available; other tabs learn of changes through storage only",
            );
        }
        *self.inner.channel.borrow_mut() = channel;
    }

    pub(super) fn on_tab_event(&self, event: TabEvent) {
        match event {
            TabEvent::Session(
                message @ (TabMessage::SignedIn { .. } | TabMessage::TokensRefreshed { .. }),
            ) => {
                let (TabMessage::SignedIn { snapshot } | TabMessage::TokensRefreshed { snapshot }) =
                    &message
                else {
                    return;
                };
                let checking = self.check_from_tab(snapshot.clone());
                let driver = self.clone();
                spawn_local(async move {
                    match checking.await {
                        Ok(claim) => driver.handle(Input::FromTabVerified {
                            message,
                            verified: claim.verified,
                        }),
                        Err(error) => driver.refused_from_tab(&format!(
                            "tokens from another tab were refused ({error}); this tab keeps its own"
                        )),
                    }
                });
            }
            TabEvent::Session(message) => self.handle(Input::FromTab(message)),
            TabEvent::SessionWanted => {
                let snapshot = self.inner.machine.borrow().snapshot();
                if let Some(snapshot) = snapshot {
                    self.post(TabEvent::SessionOffered(snapshot));
                }
            }
            TabEvent::SessionOffered(snapshot) => {
                let id_token = snapshot.tokens.id_token.clone();
                let known = self
                    .inner
                    .machine
                    .borrow()
                    .snapshot()
                    .is_some_and(|own| own.tokens.id_token == id_token);
                if known || self.inner.offers_in_check.borrow().contains(&id_token) {
                    return;
                }
                self.inner
                    .offers_in_check
                    .borrow_mut()
                    .push(id_token.clone());
                let checking = self.check_from_tab(snapshot);
                let driver = self.clone();
                spawn_local(async move {
                    let checked = checking.await;
                    driver
                        .inner
                        .offers_in_check
                        .borrow_mut()
                        .retain(|t| *t != id_token);
                    match checked {
                        Ok(claim) => driver.handle(Input::SessionOffered { claim }),
                        Err(error) => driver.refused_from_tab(&format!(
                            "a session offered by another tab was refused ({error})"
                        )),
                    }
                });
            }
        }
    }

    /// Verifies a session another tab sent (a broadcast or an offer). It
    /// counts as in check from this call on, not from when the returned
    /// future first runs: a refresh about to take the lock waits for it, as
    /// it may carry the tokens another tab already renewed.
    fn check_from_tab(
        &self,
        snapshot: SessionSnapshot,
    ) -> impl Future<Output = Result<CheckedClaim, TokenError>> + use<> {
        let inner = &self.inner;
        inner.claims_in_check.set(inner.claims_in_check.get() + 1);
        let driver = self.clone();
        async move {
            let checked = driver.check(snapshot).await;
            let inner = &driver.inner;
            inner.claims_in_check.set(inner.claims_in_check.get() - 1);
            checked
        }
    }

    /// Another tab's claim failed verification: counted, said, nothing adopted.
    fn refused_from_tab(&self, message: &str) {
        self.bump(|stats| stats.refused_claims += 1);
        notice(message);
        self.publish();
    }
}
