//! The Leptos face of the session runtime: `provide_session(config)` near the
//! root, `use_session()` anywhere, and `use_unsaved_work` for editors. Signals
//! only mirror the driver's view; all timing stays in the driver and the core.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::drafts::{Draft, DraftSaveError, DraftStore};
#[cfg(feature = "mfa")]
use super::driver::SignInPurpose;
use super::driver::{
    DriverOptions, SessionDriver, SessionUnavailable, SessionView, SignInError, SignInOutcome,
    SignOutEverywhereError,
};
use super::resources::{Listener, OwnedInterval, OwnedTimeout};
use super::storage::StoredSignOut;
use crate::cognito::{CodeDelivery, NewPasswordChallenge, Secret};
#[cfg(feature = "mfa")]
use crate::cognito::{MfaChallenge, MfaType, TotpEnrolment};
use crate::config::AppConfig;
use crate::session::{Millis, SessionState, SessionUser, SignOutReason, TokenSet, Warning};

/// How long after a password form appears the next SRP secret is prepared.
const PREPARE_SIGN_IN_DELAY: Duration = Duration::from_millis(300);

/// How long typing must pause before a draft is written.
const AUTOSAVE_DEBOUNCE_MS: u32 = 800;

/// The session, as signals and callbacks. `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct SessionContext {
    /// The three tokens the product is about (the ones in hand; API calls
    /// should use [`SessionContext::fresh_tokens`]).
    pub id_token: Memo<Option<Secret>>,
    /// The access token in hand (for Cognito's own user APIs; the app's API
    /// normally takes the ID token, see [`crate::api::AuthorizedClient`]).
    pub access_token: Memo<Option<Secret>>,
    /// Where the session stands; what the status bar shows.
    pub state: Memo<SessionState>,
    /// Who is signed in, from the verified ID token; `None` when signed out.
    pub user: Memo<Option<SessionUser>>,
    /// The session's hard end (sign-in time plus the app client's refresh
    /// token validity), in ms since the epoch on the local clock. No refresh
    /// goes past it; only signing in again starts a new session.
    pub session_end: Memo<Option<Millis>>,
    /// When the idle sign-out happens if nobody is active in any tab (ms since
    /// the epoch, local clock); `None` when the policy has no idle timeout.
    pub idle_deadline: Memo<Option<Millis>>,
    /// The warning to show now (idle or session ending), with its deadline.
    pub warning: Memo<Option<Warning>>,
    /// While re-authentication is asked for in place: until when the tokens in
    /// hand still work (ms since the epoch, local clock).
    pub reauth_deadline: Memo<Option<Millis>>,
    /// Why the session last ended in this tab, for the sign-in page.
    pub last_sign_out: Memo<Option<SignOutReason>>,
    /// Everything at once (the timeline draws from it).
    pub view: ReadSignal<SessionView>,
    /// The driver's clock, ticking once a second, for countdowns.
    pub now: ReadSignal<Millis>,
    /// Keys of editors holding work not yet saved to the server, each once.
    pub unsaved: RwSignal<Vec<String>>,
    driver: StoredValue<SessionDriver, LocalStorage>,
}

/// Starts the session runtime for the app and provides it to every component below.
pub fn provide_session(config: AppConfig) -> SessionContext {
    let options = DriverOptions::for_app(&config);
    provide_session_with(config, options)
}

/// [`provide_session`] with explicit driver options (tests use a manual clock).
pub fn provide_session_with(config: AppConfig, options: DriverOptions) -> SessionContext {
    let driver = SessionDriver::start(config, options);
    let (view, set_view) = signal(driver.view());
    let (now, set_now) = signal(driver.now());
    driver.on_change({
        let driver = driver.clone();
        move |next: &SessionView| {
            set_now.set(driver.now());
            if view.with_untracked(|current| current != next) {
                set_view.set(next.clone());
            }
        }
    });
    let ticker = (!driver.clock_is_manual()).then(|| {
        let driver = driver.clone();
        OwnedInterval::new(1_000, move || set_now.set(driver.now()))
    });
    let unsaved = RwSignal::new(Vec::new());
    let context = SessionContext {
        id_token: Memo::new(move |_| view.with(|v| v.tokens.as_ref().map(|t| t.id_token.clone()))),
        access_token: Memo::new(move |_| {
            view.with(|v| v.tokens.as_ref().map(|t| t.access_token.clone()))
        }),
        state: Memo::new(move |_| view.with(|v| v.state)),
        user: Memo::new(move |_| view.with(|v| v.user.clone())),
        session_end: Memo::new(move |_| view.with(|v| v.session_end)),
        idle_deadline: Memo::new(move |_| view.with(|v| v.idle_deadline)),
        warning: Memo::new(move |_| view.with(|v| v.warning)),
        reauth_deadline: Memo::new(move |_| view.with(|v| v.reauth_deadline)),
        last_sign_out: Memo::new(move |_| view.with(|v| v.last_sign_out)),
        view,
        now,
        unsaved,
        driver: StoredValue::new_local(driver.clone()),
    };
    // The core flushes drafts before a sign-out only if it knows there are some.
    Effect::new({
        let driver = driver.clone();
        move |_| driver.drafts_changed(unsaved.with(|keys| !keys.is_empty()))
    });
    // Leaving the page with unsaved work asks first.
    let leave_guard = web_sys::window().map(|window| {
        Listener::active(window.unchecked_ref(), &["beforeunload"], move |event| {
            if unsaved.with_untracked(|keys| !keys.is_empty()) {
                event.prevent_default();
                if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                    event.set_return_value("");
                }
            }
        })
    });
    let resources = StoredValue::new_local((ticker, leave_guard));
    let stored_driver = context.driver;
    on_cleanup(move || {
        resources.update_value(|(ticker, guard)| {
            ticker.take();
            guard.take();
        });
        stored_driver.with_value(SessionDriver::dispose);
    });
    provide_context(context);
    context
}

/// The session provided by [`provide_session`] above this component.
///
/// Panics with a message naming the fix when there is none; components that
/// also render outside a session use [`try_use_session`].
///
/// ```no_run
/// use leptos::prelude::*;
/// use session_guard::browser::use_session;
/// use session_guard::session::SessionState;
///
/// #[component]
/// fn Account() -> impl IntoView {
///     let session = use_session();
///     let name = move || session.user.get().map(|user| user.display_name().to_owned());
///     let ending = move || session.state.get() == SessionState::ReauthRequired;
///     view! {
///         <p>"Signed in as " {name}</p>
///         <Show when=ending><p>"Your session has ended; sign in again to keep working."</p></Show>
///         <button on:click=move |_| session.sign_out()>"Sign out"</button>
///     }
/// }
/// ```
#[must_use]
pub fn use_session() -> SessionContext {
    try_use_session().expect("use_session() needs provide_session(config) in a parent component")
}

/// The session provided by [`provide_session`] above this component, if any.
#[must_use]
pub fn try_use_session() -> Option<SessionContext> {
    use_context::<SessionContext>()
}

impl SessionContext {
    pub(crate) fn driver(&self) -> SessionDriver {
        self.driver.get_value()
    }

    /// The configuration the session runs on.
    pub fn config(&self) -> AppConfig {
        self.driver.with_value(|driver| driver.config().clone())
    }

    /// The session clock now, to the millisecond (the [`SessionContext::now`]
    /// signal ticks once a second, for countdowns).
    pub fn read_clock(&self) -> Millis {
        self.driver.with_value(SessionDriver::now)
    }

    /// Signs in with a username (the email) and password, by the flow the
    /// configuration names (SRP or password). Answers with the next step:
    /// signed in, a new password to choose, or a second factor.
    pub async fn sign_in(
        &self,
        email: String,
        password: Secret,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver().sign_in(&email, &password).await
    }

    /// Sends a password-reset code to the account `email`.
    pub async fn forgot_password(&self, email: String) -> Result<CodeDelivery, SignInError> {
        self.driver().forgot_password(&email).await
    }

    /// Sets the new password with the emailed code, then signs in.
    pub async fn reset_password(
        &self,
        email: String,
        code: String,
        new_password: Secret,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver()
            .reset_password(&email, &code, &new_password)
            .await
    }

    /// Re-authenticates with managed login in a window of its own.
    #[cfg(feature = "managed-login")]
    pub fn reauthenticate_in_window(&self) -> Result<(), SignInError> {
        self.driver().reauthenticate_in_window()
    }

    /// Leaves for the pool's managed login page (drafts flushed first).
    #[cfg(feature = "managed-login")]
    pub fn start_managed_login(&self) -> Result<(), SignInError> {
        self.driver().start_managed_login()
    }

    /// See [`SessionDriver::prepare_sign_in`].
    pub fn prepare_sign_in(&self) {
        self.driver().prepare_sign_in();
    }

    /// [`Self::prepare_sign_in`] shortly after a password form appears, so
    /// the form paints first and the work happens while the user types.
    /// A form gone by then (signed in from another tab) finds no session
    /// left to prepare, which is fine.
    pub fn prepare_sign_in_soon(&self) {
        let driver = self.driver;
        set_timeout(
            move || {
                let _ = driver.try_with_value(SessionDriver::prepare_sign_in);
            },
            PREPARE_SIGN_IN_DELAY,
        );
    }

    /// Answers [`SignInOutcome::NewPasswordRequired`] with the user's new
    /// password; the sign-in then goes on (it may still ask for MFA).
    pub async fn choose_new_password(
        &self,
        challenge: NewPasswordChallenge,
        new_password: Secret,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver()
            .choose_new_password(&challenge, &new_password)
            .await
    }

    /// Signs the same user in again in place; a pool with MFA answers with
    /// the second step ([`SignInOutcome::Mfa`]).
    pub async fn reauthenticate(&self, password: Secret) -> Result<SignInOutcome, SignInError> {
        self.driver().reauthenticate(&password).await
    }

    /// The signed-in user's ID token claims read into the app's own type
    /// (feature `serde`), e.g. `custom:tenant` or `cognito:groups`; `None`
    /// while nobody is signed in. Reactive: read in a view or memo, it
    /// follows the tokens as they are renewed.
    #[cfg(feature = "serde")]
    pub fn claims<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Option<Result<T, crate::cognito::ClaimsError>> {
        self.id_token.with(|token| {
            token
                .as_ref()
                .map(crate::cognito::custom_claims::id_token_claims)
        })
    }

    /// Answers an MFA code step of a sign-in for `purpose`.
    #[cfg(feature = "mfa")]
    pub async fn answer_mfa(
        &self,
        challenge: MfaChallenge,
        code: String,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver().answer_mfa(&challenge, &code, purpose).await
    }

    /// Answers SELECT_MFA_TYPE with the user's choice.
    #[cfg(feature = "mfa")]
    pub async fn choose_mfa(
        &self,
        challenge: MfaChallenge,
        choice: MfaType,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver().choose_mfa(&challenge, choice, purpose).await
    }

    /// MFA_SETUP: the new authenticator secret to show.
    #[cfg(feature = "mfa")]
    pub async fn begin_mfa_setup(
        &self,
        challenge: MfaChallenge,
    ) -> Result<TotpEnrolment, SignInError> {
        self.driver().begin_mfa_setup(&challenge).await
    }

    /// MFA_SETUP: the app's first code; the sign-in then goes on.
    #[cfg(feature = "mfa")]
    pub async fn finish_mfa_setup(
        &self,
        challenge: MfaChallenge,
        enrolment: TotpEnrolment,
        code: String,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        self.driver()
            .finish_mfa_setup(&challenge, &enrolment, &code, purpose)
            .await
    }

    /// Settings: a new authenticator secret for the signed-in user.
    #[cfg(feature = "mfa")]
    pub async fn add_authenticator(&self) -> Result<TotpEnrolment, SignInError> {
        self.driver().add_authenticator().await
    }

    /// Settings: verifies the new app's code and turns it on for sign-in.
    #[cfg(feature = "mfa")]
    pub async fn confirm_authenticator(&self, code: String) -> Result<(), SignInError> {
        self.driver().confirm_authenticator(&code).await
    }

    /// Settings: whether sign-in asks for an authenticator app's code.
    #[cfg(feature = "mfa")]
    pub async fn authenticator_enabled(&self) -> Result<bool, SignInError> {
        self.driver().authenticator_enabled().await
    }

    /// Settings: sign-in stops asking for the authenticator app.
    #[cfg(feature = "mfa")]
    pub async fn remove_authenticator(&self) -> Result<(), SignInError> {
        self.driver().remove_authenticator().await
    }

    /// Signs out in every tab: drafts are flushed first (every preset but
    /// `standard`), the refresh token is revoked, and the views switch to
    /// the sign-in page. With managed login the browser then goes through
    /// Cognito's `/logout`, so the next person at this computer is asked
    /// for credentials.
    pub fn sign_out(&self) {
        self.driver().sign_out();
    }

    /// Signs out and deletes every draft of this user from the device (for
    /// a shared computer); nothing is flushed first.
    pub fn sign_out_deleting_drafts(&self) {
        self.driver().sign_out_deleting_drafts();
    }

    /// Signs out here and ends the user's sessions on every other device
    /// (Cognito's `GlobalSignOut`). This tab is signed out whatever the answer;
    /// the error says whether the other devices were reached.
    pub async fn sign_out_everywhere(&self) -> Result<(), SignOutEverywhereError> {
        self.driver().sign_out_everywhere().await
    }

    /// The user answered the idle warning: counts as activity in every tab and
    /// moves the idle deadline.
    pub fn stay_signed_in(&self) {
        self.driver().stay_signed_in();
    }

    /// Calls `callback` each time the session ends in this tab, after the
    /// views have switched, with the reason and the drafts kept. Amplify's
    /// `tokenRefresh_failure` and `signedOut` events in one.
    pub fn on_session_end(&self, callback: impl Fn(&SessionEnded) + 'static) -> Subscription {
        let driver = self.driver();
        let store = DraftStore::for_config(driver.config());
        let id = {
            let driver = driver.clone();
            driver.clone().on_signed_out(move |reason, user| {
                let kept_drafts = user
                    .map(|user| store.kept_labels(&user.sub, driver.now()))
                    .unwrap_or_default();
                callback(&SessionEnded {
                    reason,
                    user: user.cloned(),
                    kept_drafts,
                });
            })
        };
        let remove: Rc<dyn Fn()> = Rc::new(move || driver.remove_signed_out(id));
        if Owner::current().is_some() {
            let remove = remove.clone();
            let remove = StoredValue::new_local(remove);
            on_cleanup(move || {
                let _ = remove.try_with_value(|remove| remove());
            });
        }
        Subscription { remove }
    }

    /// Tokens valid for at least 5 more seconds, never expired ones: closer
    /// to expiry, a refresh is started (one for all callers and tabs) and
    /// awaited for up to 15 s. Send API calls with these, not with the
    /// signals' tokens in hand; [`crate::api::AuthorizedClient`] does it for
    /// you.
    pub async fn fresh_tokens(&self) -> Result<TokenSet, SessionUnavailable> {
        self.driver()
            .fresh_tokens(Duration::from_secs(5), Duration::from_secs(15))
            .await
    }

    /// Why the last sign-out happened, as stored for the sign-in page.
    pub fn stored_sign_out(&self) -> Option<StoredSignOut> {
        self.driver().store().last_sign_out()
    }

    /// Removes the signed-in user's draft `key` (the user discarded it).
    /// A removal that does not stick is noted in the console; the draft
    /// then expires with the others.
    pub fn discard_draft(&self, key: &str) {
        let driver = self.driver();
        if let Some(user) = self.user.get_untracked() {
            let _ = DraftStore::for_config(driver.config()).remove(&user.sub, key, driver.now());
        }
    }

    /// The signed-in user's drafts (offered back after signing in again).
    pub fn drafts(&self) -> Vec<Draft> {
        let driver = self.driver();
        let sub = self.user.get_untracked().map(|user| user.sub);
        sub.map(|sub| DraftStore::for_config(driver.config()).load(&sub, driver.now()))
            .unwrap_or_default()
    }
}

/// The session ended in this tab: why, who was signed in, and which of
/// their drafts this device kept (they come back when that user signs in
/// again). Given to [`SessionContext::on_session_end`] callbacks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionEnded {
    /// Why: the user, idleness, the hard end, a refused refresh, another
    /// tab, another user, or a stored session that could not be trusted.
    pub reason: SignOutReason,
    /// Who was signed in, when anyone was.
    pub user: Option<SessionUser>,
    /// The labels of that user's drafts kept on this device.
    pub kept_drafts: Vec<String>,
}

/// A callback registered with [`SessionContext::on_session_end`]. It stays
/// registered until [`Subscription::unsubscribe`] or until the component
/// that registered it is cleaned up, whichever comes first.
#[must_use = "keep the subscription to unsubscribe early; it also ends with its component"]
pub struct Subscription {
    remove: Rc<dyn Fn()>,
}

impl Subscription {
    /// Stops the callback now.
    pub fn unsubscribe(self) {
        (self.remove)();
    }
}

/// What an editor learns from [`use_unsaved_work`].
#[derive(Clone, Copy)]
pub struct UnsavedWork {
    /// The value differs from what the server has.
    pub dirty: Memo<bool>,
    /// Why the last draft write did not stick (storage full or unavailable);
    /// `None` again after the next write that does.
    pub draft_problem: ReadSignal<Option<DraftSaveError>>,
}

/// Registers editable state: while `value` differs from `saved` (what the
/// server has), it is unsaved work. Where the policy autosaves (`protective`)
/// it is kept as a draft for the signed-in user continuously (debounced) and
/// when the editor unmounts; under every policy that protects drafts it is
/// flushed before any sign-out the app decides on (the blind `standard`
/// baseline does neither: that is the loss the article describes). The draft
/// is removed once `value` equals `saved` again. A write that does not stick
/// is reported in [`UnsavedWork::draft_problem`], never dropped.
#[must_use]
pub fn use_unsaved_work(
    key: String,
    label: Signal<String>,
    value: Signal<String>,
    saved: Signal<String>,
) -> UnsavedWork {
    let session = use_session();
    let driver = session.driver();
    let dirty = Memo::new(move |_| value.with(|value| saved.with(|saved| value != saved)));
    let store = Rc::new(DraftStore::for_config(driver.config()));
    let (draft_problem, set_draft_problem) = signal(None::<DraftSaveError>);
    // Reads with `try_`: a flush may run while the editor is being torn down.
    let write: Rc<dyn Fn()> = {
        let (key, driver) = (key.clone(), driver.clone());
        Rc::new(move || {
            let Some(sub) = session
                .user
                .try_get_untracked()
                .flatten()
                .map(|user| user.sub)
            else {
                return;
            };
            let (Some(is_dirty), Some(label), Some(value)) = (
                dirty.try_get_untracked(),
                label.try_get_untracked(),
                value.try_get_untracked(),
            ) else {
                return;
            };
            let now = driver.now();
            let written = if is_dirty {
                let draft = Draft {
                    key: key.clone(),
                    label,
                    value,
                    saved_at: now.0,
                };
                store.save(&sub, draft, now)
            } else {
                store.remove(&sub, &key, now)
            };
            let problem = written.err();
            if draft_problem.try_get_untracked().flatten() != problem {
                let _ = set_draft_problem.try_set(problem);
            }
        })
    };
    let hook = driver.on_flush_drafts({
        let write = write.clone();
        move || write()
    });
    let autosave = driver.config().policy.autosave;
    let pending = StoredValue::new_local(None::<OwnedTimeout>);
    Effect::new({
        let (key, write) = (key.clone(), write.clone());
        move |_| {
            value.track();
            let is_dirty = dirty.get();
            session.unsaved.update(|keys| {
                if !is_dirty {
                    keys.retain(|k| *k != key);
                } else if !keys.contains(&key) {
                    keys.push(key.clone());
                }
            });
            if !is_dirty {
                pending.set_value(None);
                write();
            } else if autosave {
                let write = write.clone();
                pending.set_value(Some(OwnedTimeout::new(AUTOSAVE_DEBOUNCE_MS, move || {
                    write()
                })));
            }
        }
    });
    // Unmounting an editor writes what the debounce had not yet saved.
    let flush_on_unmount = StoredValue::new_local(write);
    on_cleanup(move || {
        pending.try_set_value(None);
        if autosave {
            let _ = flush_on_unmount.try_with_value(|write| write());
        }
        let _ = session
            .driver
            .try_with_value(|driver| driver.remove_flush_drafts(hook));
        session
            .unsaved
            .try_update(|keys| keys.retain(|k| *k != key));
    });
    UnsavedWork {
        dirty,
        draft_problem,
    }
}
