//! The session driver: runs one pure [`SessionMachine`] in this tab, feeds it
//! what the browser reports (timers, activity, visibility, network, other
//! tabs) and performs what it asks for (refresh under a Web Lock, storage,
//! broadcasts, revocation). It knows nothing of Leptos: views subscribe to
//! [`SessionView`] through `on_change` (see `browser::context`).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use super::clock::Clock;
use super::drafts::DraftStore;
use super::http::{FetchTransport, get};
use super::performance::{IDLE_SIGN_OUT_MARK, IDLE_WARNING_MARK, mark_deadline};
use super::resources::{Listener, OwnedInterval, OwnedTimeout};
use super::storage::{SessionStore, StoredSignOut, notice};
use super::tab_channel::{TabChannel, TabEvent};
use super::waiters::Waiters;
use super::web_lock::with_lock;
use super::webcrypto::WebCryptoVerifier;
use crate::cognito::srp::{SECRET_BYTES, SrpClient};
use crate::cognito::{
    CognitoClient, CognitoError, HttpResponse, IssuedTokens, JwksCache, NewPasswordChallenge,
    RetryClass, Secret, SignInFlow, SignInStep, TimeCheck, TokenError, TokenVerifier,
    VerificationSettings, VerifiedTokens,
};
use crate::config::AppConfig;
use crate::session::time::HEARTBEAT;
use crate::session::{
    CheckedClaim, ClockOffset, Effect, Generation, Input, Jitter, Millis, RefreshError,
    SessionMachine, SessionPolicy, SessionSnapshot, SessionState, SessionUser, SignOutReason,
    TabMessage, TokenSet, Warning, WarningKind,
};

/// How long the refresh lock is held after a successful refresh, so other
/// tabs see the new tokens before they can take it.
const HANDOVER_GRACE_MS: u32 = 300;
/// A key set kept in storage larger than this is not read (Cognito's has
/// two keys, about 1 KB).
const MAX_STORED_JWKS_BYTES: usize = 64 * 1024;
/// How long a refresh holding the lock waits for other tabs' messages that
/// are still being verified (one of them may carry the new tokens).
const CLAIM_CHECK_WAIT: Duration = Duration::from_secs(2);
/// Activity events closer together than this are one activity: a burst of
/// pointer moves costs a clock read and a comparison each.
const ACTIVITY_THROTTLE_MS: f64 = 1_000.0;
/// Browsers fire timers longer than 2^31-1 ms at once.
const MAX_TIMER_MS: i64 = 2_147_483_647;

const ACTIVITY_EVENTS: &[&str] = &[
    "pointerdown",
    "pointermove",
    "keydown",
    "wheel",
    "touchstart",
    "scroll",
];

/// How the driver runs: the real page, or a test harness.
#[derive(Clone, Debug)]
pub struct DriverOptions {
    pub clock: Clock,
    /// Name of the BroadcastChannel and prefix of the Web Lock: every tab of
    /// one app uses the same; tests use their own.
    pub channel_name: String,
    /// Listen to the page's activity, visibility and network events.
    pub listen_to_page: bool,
}

impl DriverOptions {
    pub fn for_app(config: &AppConfig) -> Self {
        Self {
            clock: Clock::System,
            channel_name: format!("session-guard.{}", config.cognito.client_id),
            listen_to_page: true,
        }
    }
}

/// Everything a view shows about the session, read from the machine after
/// every input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionView {
    pub state: SessionState,
    /// The tokens in hand (the three the product is about). Use
    /// [`SessionDriver::fresh_tokens`] to send one: these may be expiring.
    pub tokens: Option<TokenSet>,
    /// Who is signed in (the core's, from the verified ID token).
    pub user: Option<SessionUser>,
    /// Whose session ended last in this tab (their drafts were kept).
    pub last_user: Option<SessionUser>,
    /// When the tokens in hand were issued and expire, on the local clock.
    pub tokens_issued_at: Option<Millis>,
    pub tokens_expire_at: Option<Millis>,
    pub next_refresh_at: Option<Millis>,
    pub session_end: Option<Millis>,
    pub idle_deadline: Option<Millis>,
    pub warning: Option<Warning>,
    pub reauth_deadline: Option<Millis>,
    pub last_sign_out: Option<SignOutReason>,
    pub clock_offset: Option<ClockOffset>,
    pub online: bool,
    /// Still deciding whether a stored session can be restored.
    pub restoring: bool,
}

/// Why signing in (or re-authenticating) did not work, in words for the form.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SignInError {
    #[error("{0}")]
    Cognito(#[from] CognitoError),
    #[error("The sign-in service sent tokens this app cannot accept: {0}")]
    Token(#[from] TokenError),
    #[error("You signed in as a different user; sign in as {expected} to keep this page's work.")]
    DifferentUser { expected: String },
    #[error("Nobody is signed in.")]
    NotSignedIn,
    /// The account must choose its password before this step can finish.
    #[error(
        "This account must choose a new password first; sign out and sign in again to choose it."
    )]
    NewPasswordRequired,
    /// The browser offers no secure random numbers, which SRP needs.
    #[error(
        "This browser cannot generate secure random numbers, which signing in needs; use a current browser."
    )]
    NoSecureRandom,
}

/// Where a sign-in stands: done, or the account must choose a password first.
pub enum SignInOutcome {
    SignedIn,
    NewPasswordRequired(NewPasswordChallenge),
}

/// Why no token can be handed to an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionUnavailable {
    #[error("you are signed out; sign in again to continue")]
    SignedOut,
    #[error("your session has ended; sign in again in place to continue")]
    ReauthRequired,
    #[error(
        "the session could not be renewed in time (the sign-in service is unreachable); your work is kept, try again"
    )]
    Timeout,
}

/// Counters the tests and benchmarks read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DriverStats {
    /// Refreshes this tab sent to the provider.
    pub provider_refreshes: u32,
    /// Refreshes this tab skipped because storage already had newer tokens.
    pub adopted_from_storage: u32,
    pub inputs: u32,
    /// Token-carrying messages from other tabs refused by verification.
    pub refused_claims: u32,
    /// Writes of the session to storage that failed (quota, disabled).
    pub storage_failures: u32,
}

/// The session runtime of one tab. Cheap to clone; dropped with
/// [`SessionDriver::dispose`] (every listener, timer and channel goes).
#[derive(Clone)]
pub struct SessionDriver {
    inner: Rc<Inner>,
}

struct Inner {
    config: AppConfig,
    options: DriverOptions,
    machine: RefCell<SessionMachine>,
    store: SessionStore,
    client: CognitoClient<FetchTransport>,
    crypto: WebCryptoVerifier,
    jwks: RefCell<JwksCache>,
    /// Messages from other tabs whose tokens are being verified now.
    claims_in_check: Cell<u32>,
    /// The refresh the core asked to send ([`Effect::SendRefresh`]), taken
    /// by the task holding the refresh lock.
    send_refresh: RefCell<Option<(Generation, Secret)>>,
    /// An SRP secret with `A` already computed (the slower half of an SRP
    /// sign-in), made while the user types; used by the next attempt only.
    srp: RefCell<Option<SrpClient>>,
    channel: RefCell<Option<TabChannel>>,
    timer: RefCell<Option<OwnedTimeout>>,
    armed_at: Cell<Option<Millis>>,
    heartbeat: RefCell<Option<OwnedInterval>>,
    listeners: RefCell<Vec<Listener>>,
    last_activity_event: Cell<f64>,
    on_change: RefCell<Option<Rc<dyn Fn(&SessionView)>>>,
    flush_drafts: RefCell<Vec<(u64, Rc<dyn Fn()>)>>,
    next_hook_id: Cell<u64>,
    changes: Waiters,
    stats: Cell<DriverStats>,
    disposed: Cell<bool>,
}

impl SessionDriver {
    /// Starts the runtime: opens the tab channel, listens to the page, and
    /// restores a stored session (verified first) in the background.
    pub fn start(config: AppConfig, options: DriverOptions) -> Self {
        let machine = SessionMachine::new(config.policy.clone(), config.settings.clone());
        let store = SessionStore::new(config.storage, &config.cognito.client_id);
        let driver = SessionDriver {
            inner: Rc::new(Inner {
                client: CognitoClient::new(config.cognito.clone(), FetchTransport),
                config,
                machine: RefCell::new(machine),
                store,
                crypto: WebCryptoVerifier::default(),
                // Keys come from the JWKS URL; the stored copy is only a
                // fallback while it cannot be reached (see `verify`).
                jwks: RefCell::new(JwksCache::default()),
                claims_in_check: Cell::new(0),
                send_refresh: RefCell::new(None),
                srp: RefCell::new(None),
                channel: RefCell::new(None),
                timer: RefCell::new(None),
                armed_at: Cell::new(None),
                heartbeat: RefCell::new(None),
                listeners: RefCell::new(Vec::new()),
                last_activity_event: Cell::new(f64::NEG_INFINITY),
                on_change: RefCell::new(None),
                flush_drafts: RefCell::new(Vec::new()),
                next_hook_id: Cell::new(0),
                changes: Waiters::default(),
                stats: Cell::new(DriverStats::default()),
                disposed: Cell::new(false),
                options,
            }),
        };
        driver.open_channel();
        if driver.inner.options.listen_to_page {
            driver.listen_to_page();
        }
        if !driver.inner.options.clock.is_manual() {
            driver.start_heartbeat();
        }
        // Read storage now, so the first render already knows whether a
        // stored session is being checked (no flash of the sign-in page).
        let stored = driver.inner.store.load();
        driver.handle(Input::PageLoaded {
            stored_session: stored.is_some(),
        });
        let restoring = driver.clone();
        spawn_local(async move { restoring.restore(stored).await });
        driver
    }

    /// Releases every listener, timer and channel. The machine stays
    /// readable, but nothing drives it any more.
    pub fn dispose(&self) {
        self.inner.disposed.set(true);
        self.inner.listeners.borrow_mut().clear();
        self.inner.timer.borrow_mut().take();
        self.inner.heartbeat.borrow_mut().take();
        self.inner.channel.borrow_mut().take();
        self.inner.on_change.borrow_mut().take();
        self.inner.flush_drafts.borrow_mut().clear();
        self.inner.changes.wake_all();
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub fn now(&self) -> Millis {
        self.inner.options.clock.now()
    }

    pub fn clock_is_manual(&self) -> bool {
        self.inner.options.clock.is_manual()
    }

    pub fn stats(&self) -> DriverStats {
        self.inner.stats.get()
    }

    /// When the single timer is armed for (the machine's next wake-up).
    pub fn armed_at(&self) -> Option<Millis> {
        self.inner.armed_at.get()
    }

    /// Called with the new view after every input.
    pub fn on_change(&self, callback: impl Fn(&SessionView) + 'static) {
        *self.inner.on_change.borrow_mut() = Some(Rc::new(callback));
        self.publish();
    }

    /// Registers what to do on [`Effect::FlushDrafts`] (before any sign-out
    /// the app decides on).
    /// Returns an id for [`SessionDriver::remove_flush_drafts`].
    pub fn on_flush_drafts(&self, flush: impl Fn() + 'static) -> u64 {
        let id = self.inner.next_hook_id.get() + 1;
        self.inner.next_hook_id.set(id);
        self.inner
            .flush_drafts
            .borrow_mut()
            .push((id, Rc::new(flush)));
        id
    }

    pub fn remove_flush_drafts(&self, id: u64) {
        self.inner
            .flush_drafts
            .borrow_mut()
            .retain(|(hook, _)| *hook != id);
    }

    pub fn view(&self) -> SessionView {
        let machine = self.inner.machine.borrow();
        let offset = machine.clock_offset();
        let tokens = machine.snapshot().map(|snapshot| snapshot.tokens);
        SessionView {
            state: machine.state(),
            tokens_issued_at: tokens
                .as_ref()
                .zip(offset)
                .map(|(t, o)| o.to_local(t.issued_at)),
            tokens_expire_at: tokens
                .as_ref()
                .zip(offset)
                .map(|(t, o)| t.expires_at_local(o)),
            tokens,
            user: machine.user().cloned(),
            last_user: machine.last_user().cloned(),
            next_refresh_at: machine.next_refresh_at(),
            session_end: machine.session_end(),
            idle_deadline: machine.idle_deadline(),
            warning: machine.current_warning(),
            reauth_deadline: machine.reauth_deadline(),
            last_sign_out: machine.last_sign_out_reason(),
            clock_offset: offset,
            online: machine.is_online(),
            restoring: machine.is_restoring(),
        }
    }

    /// The store this driver persists to (tests plant entries in it).
    pub fn store(&self) -> &SessionStore {
        &self.inner.store
    }

    // ------------------------------------------------------------ driving

    /// Feeds one input at the clock's `now`, performs the effects in order,
    /// re-arms the timer and publishes the new view.
    pub fn handle(&self, input: Input) {
        if self.inner.disposed.get() {
            return;
        }
        let now = self.now();
        let (effects, idle_marks) = {
            let mut machine = self.inner.machine.borrow_mut();
            let before = IdleProgress::of(&machine);
            machine.handle(input, now);
            let effects: Vec<Effect> = std::iter::from_fn(|| machine.poll_effect()).collect();
            (effects, before.marks(&machine, &self.inner.config.policy))
        };
        for (name, due) in idle_marks {
            mark_deadline(name, due.0, now.0);
        }
        let mut stats = self.inner.stats.get();
        stats.inputs += 1;
        self.inner.stats.set(stats);
        for effect in effects {
            self.perform(effect, now);
        }
        self.rearm(now);
        self.publish();
    }

    /// Manual clock only: moves time forward and fires the timer if due, as
    /// the browser would.
    pub fn advance(&self, by: Duration) {
        self.inner.options.clock.advance(by);
        if self.inner.armed_at.get().is_some_and(|at| at <= self.now()) {
            self.handle(Input::TimerFired);
        }
    }

    fn perform(&self, effect: Effect, now: Millis) {
        match effect {
            Effect::StartRefresh { generation } => {
                let driver = self.clone();
                spawn_local(async move { driver.refresh(generation).await });
            }
            Effect::SendRefresh {
                generation,
                refresh_token,
            } => {
                *self.inner.send_refresh.borrow_mut() = Some((generation, refresh_token));
            }
            Effect::PersistState(snapshot) => {
                // A failure is reported by the store (console notice); the
                // session goes on in this tab's memory.
                if self.inner.store.save(&snapshot).is_err() {
                    self.bump(|stats| stats.storage_failures += 1);
                }
            }
            Effect::ClearTokens => self.inner.store.clear(),
            Effect::Broadcast(message) => self.post(TabEvent::Session(message)),
            // The view reads the warning and the re-auth deadline from the machine.
            Effect::ShowWarning(_)
            | Effect::UpdateWarning(_)
            | Effect::HideWarning
            | Effect::RequestReauth { .. } => {}
            Effect::FlushDrafts => {
                let hooks: Vec<_> = self
                    .inner
                    .flush_drafts
                    .borrow()
                    .iter()
                    .map(|(_, hook)| hook.clone())
                    .collect();
                for flush in hooks {
                    flush();
                }
            }
            Effect::DeleteDrafts { sub } => {
                if let Err(error) = DraftStore::for_config(&self.inner.config).delete_all_of(&sub) {
                    notice(&format!("drafts could not be deleted: {error}"));
                }
            }
            Effect::PersistSignOutReason(reason) => {
                let sub = self
                    .inner
                    .machine
                    .borrow()
                    .last_user()
                    .map(|user| user.sub.clone());
                self.inner.store.save_sign_out(&StoredSignOut {
                    reason: reason.key().to_owned(),
                    at: now.0,
                    sub,
                });
            }
            Effect::RevokeRefreshToken(refresh_token) => {
                let driver = self.clone();
                spawn_local(async move {
                    if let Err(error) = driver.inner.client.revoke_token(&refresh_token).await {
                        notice(&format!("the refresh token could not be revoked: {error}"));
                    }
                });
            }
            Effect::SignedOut(_) => {}
        }
    }

    fn rearm(&self, now: Millis) {
        let wake_at = self.inner.machine.borrow().poll_timeout();
        self.inner.armed_at.set(wake_at);
        if self.inner.options.clock.is_manual() {
            return;
        }
        let timer = wake_at.map(|at| {
            let delay = now.until(at).as_millis().min(MAX_TIMER_MS as u128) as u32;
            let weak = self.weak();
            OwnedTimeout::new(delay, move || {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(Input::TimerFired);
                }
            })
        });
        *self.inner.timer.borrow_mut() = timer;
    }

    fn publish(&self) {
        let callback = self.inner.on_change.borrow().clone();
        if let Some(callback) = callback {
            callback(&self.view());
        }
        self.inner.changes.wake_all();
    }

    fn weak(&self) -> Weak<Inner> {
        Rc::downgrade(&self.inner)
    }

    fn post(&self, event: TabEvent) {
        if let Some(channel) = self.inner.channel.borrow().as_ref() {
            channel.post(event);
        }
    }

    // ------------------------------------------------------- page and tabs

    fn open_channel(&self) {
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

    fn on_tab_event(&self, event: TabEvent) {
        match event {
            TabEvent::Session(
                message @ (TabMessage::SignedIn { .. } | TabMessage::TokensRefreshed { .. }),
            ) => {
                // A claim: verified before it reaches the core.
                let driver = self.clone();
                self.inner
                    .claims_in_check
                    .set(self.inner.claims_in_check.get() + 1);
                spawn_local(async move {
                    let (TabMessage::SignedIn { snapshot }
                    | TabMessage::TokensRefreshed { snapshot }) = &message
                    else {
                        return;
                    };
                    let verified = driver.verify(issued(&snapshot.tokens)).await;
                    let inner = &driver.inner;
                    inner.claims_in_check.set(inner.claims_in_check.get() - 1);
                    match verified {
                        Ok(verified) => driver.handle(Input::FromTabVerified {
                            message,
                            verified: token_set(&verified),
                        }),
                        Err(error) => {
                            driver.bump(|stats| stats.refused_claims += 1);
                            notice(&format!(
                                "tokens from another tab were refused ({error}); this tab keeps its own"
                            ));
                            driver.publish();
                        }
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
                if self.inner.machine.borrow().state() == SessionState::SignedOut {
                    let driver = self.clone();
                    spawn_local(async move {
                        if let Ok(claim) = driver.check(snapshot).await {
                            driver.handle(Input::Restored { claim });
                        }
                    });
                }
            }
        }
    }

    fn listen_to_page(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(document) = window.document() else {
            return;
        };
        let mut listeners = Vec::new();

        let weak = self.weak();
        listeners.push(Listener::passive(
            window.unchecked_ref(),
            ACTIVITY_EVENTS,
            move |_event| {
                let Some(driver) = upgrade(&weak) else { return };
                let now = driver.now().0 as f64;
                if now - driver.inner.last_activity_event.get() < ACTIVITY_THROTTLE_MS {
                    return;
                }
                driver.inner.last_activity_event.set(now);
                driver.handle(Input::Activity {
                    at: Millis(now as i64),
                });
            },
        ));

        let weak = self.weak();
        let visible_document = document.clone();
        listeners.push(Listener::passive(
            document.unchecked_ref(),
            &["visibilitychange"],
            move |_event| {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(if visible_document.hidden() {
                        Input::PageHidden
                    } else {
                        Input::PageVisible
                    });
                }
            },
        ));

        let weak = self.weak();
        listeners.push(Listener::passive(
            window.unchecked_ref(),
            &["focus", "pageshow"],
            move |_event| {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(Input::PageVisible);
                }
            },
        ));

        let weak = self.weak();
        listeners.push(Listener::passive(
            document.unchecked_ref(),
            &["resume"],
            move |_event| {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(Input::WakeDetected);
                }
            },
        ));

        let weak = self.weak();
        listeners.push(Listener::passive(
            window.unchecked_ref(),
            &["online"],
            move |_event| {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(Input::Online);
                }
            },
        ));

        let weak = self.weak();
        listeners.push(Listener::passive(
            window.unchecked_ref(),
            &["offline"],
            move |_event| {
                if let Some(driver) = upgrade(&weak) {
                    driver.handle(Input::Offline);
                }
            },
        ));
        *self.inner.listeners.borrow_mut() = listeners;
    }

    /// Re-checks deadlines every few seconds; a late beat means the device
    /// slept or the page was frozen, and time asleep counts as idle.
    fn start_heartbeat(&self) {
        let weak = self.weak();
        let interval = OwnedInterval::new(HEARTBEAT.as_millis() as u32, move || {
            if let Some(driver) = upgrade(&weak) {
                driver.handle(Input::Heartbeat);
            }
        });
        *self.inner.heartbeat.borrow_mut() = Some(interval);
    }

    // ------------------------------------------------------ provider calls

    /// Verifies tokens against the pool's keys, downloaded from the JWKS URL
    /// once per page and cached in memory. Time claims are left to the
    /// session core, which corrects for clock skew.
    ///
    /// The copy of the keys kept in storage is a fallback only: it serves
    /// while the JWKS URL cannot be reached (a reload while offline), is
    /// never kept in memory (the next verification asks the URL again), and
    /// is replaced by every successful download, so a planted key set is
    /// never used once the real one can be had.
    async fn verify(&self, tokens: IssuedTokens) -> Result<VerifiedTokens, TokenError> {
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
    async fn check(&self, snapshot: SessionSnapshot) -> Result<CheckedClaim, TokenError> {
        let verified = self.verify(issued(&snapshot.tokens)).await?;
        Ok(CheckedClaim {
            verified: token_set(&verified),
            snapshot,
        })
    }

    async fn restore(&self, stored: Option<SessionSnapshot>) {
        match stored {
            Some(snapshot) => match self.check(snapshot).await {
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
            },
            None => {
                if self.inner.config.storage == crate::config::TokenStorage::Memory {
                    // Another open tab may hold the session in its memory.
                    self.post(TabEvent::SessionWanted);
                }
            }
        }
    }

    /// Takes the refresh lock shared by every tab, tells the core what
    /// storage holds now, and sends the refresh if the core asks for it.
    async fn refresh(&self, generation: Generation) {
        let driver = self.clone();
        let lock = format!("{}.refresh", self.inner.options.channel_name);
        with_lock(&lock, async move || driver.refresh_under_lock(generation).await).await;
    }

    /// Runs with the refresh lock held: another tab may have refreshed while
    /// this one waited. Its broadcast may still be in verification, and
    /// storage is read and verified; then the core decides.
    async fn refresh_under_lock(&self, generation: Generation) {
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
        let Some((sent_generation, refresh_token)) = send.filter(|(g, _)| *g == generation)
        else {
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

    fn bump(&self, change: impl FnOnce(&mut DriverStats)) {
        let mut stats = self.inner.stats.get();
        change(&mut stats);
        self.inner.stats.set(stats);
    }

    // ------------------------------------------------------- user actions

    /// Signs in with email and password; on success the session starts in
    /// every tab. A first sign-in of an account an administrator created
    /// returns the challenge to answer with [`Self::choose_new_password`].
    pub async fn sign_in(
        &self,
        email: &str,
        password: &Secret,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self.password_step(email, password).await?;
        self.finish_sign_in(step).await
    }

    /// Computes the next SRP sign-in's `A = g^a` now, so that submitting the
    /// form only does the password-dependent half. Called by the sign-in and
    /// re-authentication forms once they are on screen; a no-op for the
    /// password flow or when one is ready.
    pub fn prepare_sign_in(&self) {
        if self.inner.config.cognito.sign_in_flow == SignInFlow::Srp
            && self.inner.srp.borrow().is_none()
            && let Ok(srp) = new_srp_client()
        {
            *self.inner.srp.borrow_mut() = Some(srp);
        }
    }

    /// Answers NEW_PASSWORD_REQUIRED; on success the session starts.
    pub async fn choose_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &Secret,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self
            .inner
            .client
            .answer_new_password(challenge, new_password)
            .await?;
        self.finish_sign_in(step).await
    }

    async fn finish_sign_in(&self, step: SignInStep) -> Result<SignInOutcome, SignInError> {
        let issued = match step {
            SignInStep::SignedIn(issued) => issued,
            SignInStep::NewPasswordRequired(challenge) => {
                return Ok(SignInOutcome::NewPasswordRequired(challenge));
            }
        };
        let verified = self.verify(issued).await?;
        let tokens = token_set(&verified);
        self.inner.store.clear_sign_out();
        self.handle(Input::SignedIn { tokens });
        Ok(SignInOutcome::SignedIn)
    }

    /// One password check with the configured flow (SRP or plain password).
    async fn password_step(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<SignInStep, SignInError> {
        let client = &self.inner.client;
        match self.inner.config.cognito.sign_in_flow {
            SignInFlow::Password => Ok(client.sign_in_password(username, password).await?),
            SignInFlow::Srp => {
                // Each attempt uses a fresh secret: take the prepared one.
                let prepared = self.inner.srp.borrow_mut().take();
                let srp = match prepared {
                    Some(srp) => srp,
                    None => new_srp_client()?,
                };
                // Cognito checks the signed timestamp against its own clock:
                // use the provider's time when a session has measured the skew.
                let offset = self.inner.machine.borrow().clock_offset();
                let now = || {
                    let local = Millis(js_sys::Date::now() as i64);
                    let provider = offset.map_or(local, |offset| offset.to_provider(local));
                    (provider.0.max(0) / 1000) as u64
                };
                Ok(client.sign_in_srp(username, password, srp, now).await?)
            }
        }
    }

    /// Signs the same user in again without leaving the page (the work in
    /// it stays): a new session with a new hard end.
    pub async fn reauthenticate(&self, password: &Secret) -> Result<(), SignInError> {
        let user = self
            .inner
            .machine
            .borrow()
            .user()
            .cloned()
            .ok_or(SignInError::NotSignedIn)?;
        let username = user.display_name().to_owned();
        let issued = match self.password_step(&username, password).await? {
            SignInStep::SignedIn(issued) => issued,
            SignInStep::NewPasswordRequired(_) => return Err(SignInError::NewPasswordRequired),
        };
        let verified = self.verify(issued).await?;
        let tokens = token_set(&verified);
        if !self.inner.machine.borrow().accepts_reauth_by(&tokens) {
            return Err(SignInError::DifferentUser { expected: username });
        }
        self.handle(Input::ReauthSucceeded { tokens });
        Ok(())
    }

    pub fn sign_out(&self) {
        self.handle(Input::SignOutRequested);
    }

    /// Signs out and deletes every draft of this user from the device; see
    /// [`Input::SignOutDeletingDrafts`].
    pub fn sign_out_deleting_drafts(&self) {
        self.handle(Input::SignOutDeletingDrafts);
    }

    /// Signs out every device (GlobalSignOut), then this session. A failure
    /// to reach the provider is returned, but this tab signs out anyway.
    pub async fn sign_out_everywhere(&self) -> Result<(), CognitoError> {
        let access = self
            .inner
            .machine
            .borrow()
            .snapshot()
            .map(|snapshot| snapshot.tokens.access_token);
        let result = match access {
            Some(access) => self.inner.client.global_sign_out(&access).await,
            None => Ok(()),
        };
        self.sign_out();
        result
    }

    pub fn stay_signed_in(&self) {
        self.handle(Input::StaySignedIn);
    }

    /// Tells the core whether unsaved work exists (it flushes drafts before
    /// any sign-out it decides on).
    pub fn drafts_changed(&self, dirty: bool) {
        if self.inner.machine.borrow().drafts_dirty() != dirty {
            self.handle(Input::DraftsChanged { dirty });
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
            let expiring = {
                let machine = self.inner.machine.borrow();
                let now = self.now();
                let usable = machine.usable_tokens(now).zip(machine.clock_offset());
                if let Some((tokens, offset)) = usable
                    && tokens.expires_at_local(offset) >= now.plus(min_validity)
                {
                    return Ok(tokens.clone());
                }
                match machine.state() {
                    SessionState::SignedOut => return Err(SessionUnavailable::SignedOut),
                    SessionState::ReauthRequired => return Err(SessionUnavailable::ReauthRequired),
                    _ => {}
                }
                machine.refresh_in_flight().is_none()
            };
            if expiring {
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

fn upgrade(weak: &Weak<Inner>) -> Option<SessionDriver> {
    weak.upgrade().map(|inner| SessionDriver { inner })
}

/// The core's view of verified tokens: secrets plus provider-clock times.
fn token_set(verified: &VerifiedTokens) -> TokenSet {
    TokenSet {
        id_token: verified.id_token.clone(),
        access_token: verified.access_token.clone(),
        refresh_token: Some(verified.refresh_token.clone()),
        issued_at: Millis::from_unix_secs(verified.id.iat as i64),
        expires_at: Millis::from_unix_secs(verified.id.exp.min(verified.access.exp) as i64),
        auth_time: Millis::from_unix_secs(verified.id.auth_time as i64),
        user: SessionUser {
            sub: verified.id.sub.clone(),
            username: verified.id.username.clone(),
            email: verified.id.email.clone(),
            groups: verified.id.groups.clone(),
        },
    }
}

fn issued(tokens: &TokenSet) -> IssuedTokens {
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

/// The only distinction the core needs: definite rejection or retry.
fn refresh_error(error: &CognitoError) -> RefreshError {
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

/// Where the idle policy stood before an input, to tell afterwards whether
/// the input showed the idle warning or signed out for idleness, and how late
/// that came after its deadline (performance marks the benchmark reads).
struct IdleProgress {
    deadline: Option<Millis>,
    warned: bool,
    signed_in: bool,
}

impl IdleProgress {
    fn of(machine: &SessionMachine) -> Self {
        Self {
            deadline: machine.idle_deadline(),
            warned: machine
                .current_warning()
                .is_some_and(|warning| warning.kind == WarningKind::Idle),
            signed_in: machine.state() != SessionState::SignedOut,
        }
    }

    /// `(mark, due)` for what this input did.
    fn marks(
        &self,
        machine: &SessionMachine,
        policy: &SessionPolicy,
    ) -> Vec<(&'static str, Millis)> {
        let Some(deadline) = self.deadline else {
            return Vec::new();
        };
        let mut marks = Vec::new();
        let now = Self::of(machine);
        if !self.warned
            && now.warned
            && let Some(lead) = policy.idle_warning_lead
        {
            marks.push((
                IDLE_WARNING_MARK,
                Millis(deadline.0 - lead.as_millis() as i64),
            ));
        }
        if self.signed_in
            && !now.signed_in
            && machine.last_sign_out_reason() == Some(SignOutReason::Idle)
        {
            marks.push((IDLE_SIGN_OUT_MARK, deadline));
        }
        marks
    }
}

/// One SRP exchange's secret from the browser's CSPRNG, with `A` computed.
fn new_srp_client() -> Result<SrpClient, SignInError> {
    let crypto = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .ok_or(SignInError::NoSecureRandom)?;
    let mut random = [0u8; SECRET_BYTES];
    crypto
        .get_random_values_with_u8_array(&mut random)
        .map_err(|_| SignInError::NoSecureRandom)?;
    let srp = SrpClient::new(&random).map_err(CognitoError::from)?;
    // The bytes are the secret exponent; do not leave a copy behind.
    random.fill(0);
    Ok(srp)
}
