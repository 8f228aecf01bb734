//! The session driver: runs one pure [`SessionMachine`] in this tab, feeds it
//! what the browser reports (timers, activity, visibility, network, other
//! tabs) and performs what it asks for (refresh under a Web Lock, storage,
//! broadcasts, revocation). It knows nothing of Leptos: views subscribe to
//! [`SessionView`] through `on_change` (see `browser::context`).
//!
//! The driver carries decisions out and makes none: every rule about
//! tokens, times and users is the core's. One file per concept:
//! - this file: the runtime, the input loop (`handle`: feed, perform the
//!   commands, hand on the events, re-arm the one timer, publish the view);
//! - `listeners`: the page events and the heartbeat, as a table;
//! - `tabs`: the BroadcastChannel to the other tabs;
//! - `refresh`: the refresh under the Web Lock;
//! - `tokens`: verification, restoring at page load, tokens for API calls;
//! - `sign_in`: the user's actions (sign in, re-authenticate, sign out);
//! - `managed_login`: signing in on Cognito's managed login page;
//! - `instrumentation`: counters and performance marks for tests and the
//!   benchmark.

mod instrumentation;
mod listeners;
#[cfg(feature = "managed-login")]
mod managed_login;
#[cfg(feature = "mfa")]
mod mfa;
mod refresh;
mod sign_in;
mod tabs;
mod tokens;

pub use instrumentation::DriverStats;
pub use sign_in::{SignInError, SignInOutcome, SignInPurpose, SignOutEverywhereError};
pub use tokens::SessionUnavailable;

use instrumentation::IdleProgress;
#[cfg(feature = "managed-login")]
use sign_in::random_bytes;
use tokens::{issued, token_set};

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
#[cfg(feature = "managed-login")]
use super::storage::KeyValueArea;
use super::storage::{SessionStore, StoredSignOut, notice};
use super::tab_channel::{TabChannel, TabEvent};
use super::waiters::Waiters;
use super::web_lock::with_lock;
use super::webcrypto::WebCryptoVerifier;
#[cfg(feature = "managed-login")]
use crate::cognito::managed_login::ManagedLoginError;
#[cfg(feature = "srp")]
use crate::cognito::srp::{SECRET_BYTES, SrpClient};
use crate::cognito::{
    CodeDelivery, CognitoClient, CognitoError, HttpResponse, IssuedTokens, JwksCache, MfaChallenge,
    NewPasswordChallenge, RetryClass, Secret, SignInFlow, SignInStep, TimeCheck, TokenError,
    TokenVerifier, VerificationSettings, VerifiedTokens,
};
#[cfg(feature = "mfa")]
use crate::cognito::{MfaType, TotpEnrolment};
use crate::config::AppConfig;
use crate::session::time::HEARTBEAT;
use crate::session::{
    CheckedClaim, ClockOffset, Command, Generation, Input, Jitter, Millis, RefreshError,
    SessionEvent, SessionMachine, SessionPolicy, SessionSnapshot, SessionState, SessionUser,
    SignOutReason, TabMessage, TokenSet, Warning, WarningKind,
};

/// Browsers fire timers longer than 2^31-1 ms at once.
const MAX_TIMER_MS: i64 = 2_147_483_647;

/// How the driver runs: the real page, or a test harness.
#[derive(Clone, Debug)]
pub struct DriverOptions {
    /// Where `now` comes from: the system clock, or a manual one a test moves.
    pub clock: Clock,
    /// Name of the BroadcastChannel and prefix of the Web Lock: every tab of
    /// one app uses the same; tests use their own.
    pub channel_name: String,
    /// Listen to the page's activity, visibility and network events.
    pub listen_to_page: bool,
}

impl DriverOptions {
    /// The real page's options: system clock, the app's channel, page listeners on.
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
    /// Where the session stands.
    pub state: SessionState,
    /// The tokens in hand (the three the product is about). Use
    /// [`SessionDriver::fresh_tokens`] to send one: these may be expiring.
    pub tokens: Option<TokenSet>,
    /// Who is signed in (the core's, from the verified ID token).
    pub user: Option<SessionUser>,
    /// Whose session ended last in this tab (their drafts were kept).
    pub last_user: Option<SessionUser>,
    /// When the tokens in hand were issued (ms since the epoch, local clock).
    pub tokens_issued_at: Option<Millis>,
    /// When the tokens in hand expire (ms since the epoch, local clock).
    pub tokens_expire_at: Option<Millis>,
    /// When the next refresh is due (ms since the epoch, local clock).
    pub next_refresh_at: Option<Millis>,
    /// When the session began (the original sign-in), on the local clock.
    pub session_start: Option<Millis>,
    /// The session's hard end (ms since the epoch, local clock).
    pub session_end: Option<Millis>,
    /// When the idle sign-out happens without activity (ms since the epoch).
    pub idle_deadline: Option<Millis>,
    /// Every instant a warning of this session starts, earliest first (the
    /// core's, from the policy; the idle one moves with activity).
    pub warning_times: Vec<Millis>,
    /// The warning to show now, if any.
    pub warning: Option<Warning>,
    /// While re-authentication is asked for: until when the tokens in hand
    /// still work (ms since the epoch).
    pub reauth_deadline: Option<Millis>,
    /// Why the session last ended in this tab.
    pub last_sign_out: Option<SignOutReason>,
    /// How far the local clock is from the identity provider's, as measured
    /// from the tokens.
    pub clock_offset: Option<ClockOffset>,
    /// Whether the browser says it is online.
    pub online: bool,
    /// Still deciding whether a stored session can be restored.
    pub restoring: bool,
    /// Finishing a managed-login sign-in (exchanging the code).
    pub completing_sign_in: bool,
    /// Why the last managed-login sign-in failed, for the sign-in page.
    pub sign_in_error: Option<String>,
    /// The managed-login window of a re-authentication was closed before
    /// the user signed in.
    pub reauth_window_closed: bool,
}

/// Told of every published view.
type ViewHook = Rc<dyn Fn(&SessionView)>;
/// Asked to save the unsaved work to drafts now.
type FlushHook = Rc<dyn Fn()>;
/// Told of the end of a session: why, and whose it was.
type SignedOutHook = Rc<dyn Fn(SignOutReason, Option<&SessionUser>)>;

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
    /// ID tokens of the sessions other tabs offered that are being verified
    /// now: every open tab answers a request for the session, usually with
    /// the same tokens, and one check of them is enough.
    offers_in_check: RefCell<Vec<Secret>>,
    /// The refresh the core asked to send ([`Command::SendRefresh`]), taken
    /// by the task holding the refresh lock.
    send_refresh: RefCell<Option<(Generation, Secret)>>,
    completing_sign_in: Cell<bool>,
    /// Refresh-token revocations still on their way to the provider.
    revocations: Cell<u32>,
    reauth_window_closed: Cell<bool>,
    sign_in_error: RefCell<Option<String>>,
    /// An SRP secret with `A` already computed (the slower half of an SRP
    /// sign-in), made while the user types; used by the next attempt only.
    #[cfg(feature = "srp")]
    srp: RefCell<Option<SrpClient>>,
    channel: RefCell<Option<TabChannel>>,
    timer: RefCell<Option<OwnedTimeout>>,
    armed_at: Cell<Option<Millis>>,
    heartbeat: RefCell<Option<OwnedInterval>>,
    listeners: RefCell<Vec<Listener>>,
    last_activity_event: Cell<f64>,
    on_change: RefCell<Option<ViewHook>>,
    flush_drafts: RefCell<Vec<(u64, FlushHook)>>,
    /// Told of every end of the session in this tab, after the view is published.
    signed_out: RefCell<Vec<(u64, SignedOutHook)>>,
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
                offers_in_check: RefCell::new(Vec::new()),
                send_refresh: RefCell::new(None),
                completing_sign_in: Cell::new(false),
                revocations: Cell::new(0),
                reauth_window_closed: Cell::new(false),
                sign_in_error: RefCell::new(None),
                #[cfg(feature = "srp")]
                srp: RefCell::new(None),
                channel: RefCell::new(None),
                timer: RefCell::new(None),
                armed_at: Cell::new(None),
                heartbeat: RefCell::new(None),
                listeners: RefCell::new(Vec::new()),
                last_activity_event: Cell::new(f64::NEG_INFINITY),
                on_change: RefCell::new(None),
                flush_drafts: RefCell::new(Vec::new()),
                signed_out: RefCell::new(Vec::new()),
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
        // A managed-login answer leaves the address bar before anything
        // renders; the page shows "signing in" until it is settled.
        #[cfg(feature = "managed-login")]
        if let Some(answer) = driver.take_managed_login_answer() {
            driver.inner.completing_sign_in.set(true);
            let finishing = driver.clone();
            spawn_local(async move { finishing.finish_managed_login(answer).await });
        }
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
        self.inner.signed_out.borrow_mut().clear();
        self.inner.changes.wake_all();
    }

    /// The configuration this driver runs on.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// The driver's clock now (ms since the epoch).
    pub fn now(&self) -> Millis {
        self.inner.options.clock.now()
    }

    /// Whether the clock is a test's manual one.
    pub fn clock_is_manual(&self) -> bool {
        self.inner.options.clock.is_manual()
    }

    /// The counters so far.
    #[cfg(feature = "testing")]
    pub fn stats(&self) -> DriverStats {
        self.inner.stats.get()
    }

    /// When the single timer is armed for (the machine's next wake-up).
    #[cfg(feature = "testing")]
    pub fn armed_at(&self) -> Option<Millis> {
        self.inner.armed_at.get()
    }

    /// Called with the new view after every input.
    pub fn on_change(&self, callback: impl Fn(&SessionView) + 'static) {
        *self.inner.on_change.borrow_mut() = Some(Rc::new(callback));
        self.publish();
    }

    /// Registers what to do when the core asks for the drafts to be flushed (before any sign-out
    /// the app decides on).
    /// Returns an id for [`SessionDriver::remove_flush_drafts`].
    pub fn on_flush_drafts(&self, flush: impl Fn() + 'static) -> u64 {
        let id = self.next_hook_id();
        self.inner
            .flush_drafts
            .borrow_mut()
            .push((id, Rc::new(flush)));
        id
    }

    /// Removes a hook registered with [`SessionDriver::on_flush_drafts`].
    pub fn remove_flush_drafts(&self, id: u64) {
        self.inner
            .flush_drafts
            .borrow_mut()
            .retain(|(hook, _)| *hook != id);
    }

    /// The session as the views show it, read from the core now.
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
            session_start: machine.session_start(),
            session_end: machine.session_end(),
            idle_deadline: machine.idle_deadline(),
            warning_times: machine.warning_times(),
            warning: machine.current_warning(),
            reauth_deadline: machine.reauth_deadline(),
            last_sign_out: machine.last_sign_out_reason(),
            clock_offset: offset,
            online: machine.is_online(),
            restoring: machine.is_restoring(),
            completing_sign_in: self.inner.completing_sign_in.get(),
            sign_in_error: self.inner.sign_in_error.borrow().clone(),
            reauth_window_closed: self.inner.reauth_window_closed.get(),
        }
    }

    /// The store this driver persists to (tests plant entries in it).
    pub fn store(&self) -> &SessionStore {
        &self.inner.store
    }

    // ------------------------------------------------------------ driving

    /// Feeds one input at the clock's `now`, performs the commands in order,
    /// hands on the events, re-arms the timer and publishes the new view.
    pub(crate) fn handle(&self, input: Input) {
        if self.inner.disposed.get() {
            return;
        }
        let now = self.now();
        let (commands, events, idle_before) = {
            let mut machine = self.inner.machine.borrow_mut();
            let idle_before = IdleProgress::of(&machine);
            machine.handle(input, now);
            let commands: Vec<Command> = std::iter::from_fn(|| machine.poll_command()).collect();
            let events: Vec<SessionEvent> = std::iter::from_fn(|| machine.poll_event()).collect();
            (commands, events, idle_before)
        };
        self.bump(|stats| stats.inputs += 1);
        for command in commands {
            self.perform(command, now);
        }
        // The views read the state from the machine; the events only feed
        // the instrumentation (how late the idle warning and sign-out came).
        idle_before.mark(&events, &self.inner.config.policy, now);
        self.rearm(now);
        self.publish();
        let ended = events.iter().find_map(|event| match event {
            SessionEvent::SignedOut(reason) => Some(*reason),
            _ => None,
        });
        if let Some(reason) = ended {
            let user = self.inner.machine.borrow().last_user().cloned();
            let hooks: Vec<_> = self
                .inner
                .signed_out
                .borrow()
                .iter()
                .map(|(_, hook)| hook.clone())
                .collect();
            for hook in hooks {
                hook(reason, user.as_ref());
            }
        }
    }

    fn next_hook_id(&self) -> u64 {
        let id = self.inner.next_hook_id.get() + 1;
        self.inner.next_hook_id.set(id);
        id
    }

    /// Registers what to do when the session ends in this tab (with why,
    /// and who was signed in). Returns an id for [`SessionDriver::remove_signed_out`].
    pub fn on_signed_out(
        &self,
        hook: impl Fn(SignOutReason, Option<&SessionUser>) + 'static,
    ) -> u64 {
        let id = self.next_hook_id();
        self.inner.signed_out.borrow_mut().push((id, Rc::new(hook)));
        id
    }

    /// Removes a hook registered with [`SessionDriver::on_signed_out`].
    pub fn remove_signed_out(&self, id: u64) {
        self.inner
            .signed_out
            .borrow_mut()
            .retain(|(hook, _)| *hook != id);
    }

    /// Manual clock only: moves time forward and fires the timer if due, as
    /// the browser would.
    #[cfg(feature = "testing")]
    pub fn advance(&self, by: Duration) {
        self.inner.options.clock.advance(by);
        if self.inner.armed_at.get().is_some_and(|at| at <= self.now()) {
            self.handle(Input::TimerFired);
        }
    }

    fn perform(&self, command: Command, now: Millis) {
        match command {
            Command::StartRefresh { generation } => {
                let driver = self.clone();
                spawn_local(async move { driver.refresh(generation).await });
            }
            Command::SendRefresh {
                generation,
                refresh_token,
            } => {
                *self.inner.send_refresh.borrow_mut() = Some((generation, refresh_token));
            }
            Command::PersistState(snapshot) => {
                // A failure is reported by the store (console notice); the
                // session goes on in this tab's memory.
                if self.inner.store.save(&snapshot).is_err() {
                    self.bump(|stats| stats.storage_failures += 1);
                }
            }
            Command::ClearTokens => self.inner.store.clear(),
            Command::Broadcast(message) => self.post(TabEvent::Session(message)),
            Command::FlushDrafts => self.flush_drafts_now(),
            Command::EndProviderSession => {
                #[cfg(feature = "managed-login")]
                self.end_managed_login_session();
            }
            Command::DeleteDrafts { sub } => {
                if let Err(error) = DraftStore::for_config(&self.inner.config).delete_all_of(&sub) {
                    notice(&format!("drafts could not be deleted: {error}"));
                }
            }
            Command::PersistSignOutReason(reason) => {
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
            Command::RevokeRefreshToken(refresh_token) => {
                let driver = self.clone();
                let inner = &self.inner;
                inner.revocations.set(inner.revocations.get() + 1);
                spawn_local(async move {
                    if let Err(error) = driver.inner.client.revoke_token(&refresh_token).await {
                        notice(&format!("the refresh token could not be revoked: {error}"));
                    }
                    let inner = &driver.inner;
                    inner
                        .revocations
                        .set(inner.revocations.get().saturating_sub(1));
                    inner.changes.wake_all();
                });
            }
        }
    }

    /// Runs every registered drafts flush (before the page leaves or a
    /// sign-out).
    fn flush_drafts_now(&self) {
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
}

fn upgrade(weak: &Weak<Inner>) -> Option<SessionDriver> {
    weak.upgrade().map(|inner| SessionDriver { inner })
}
