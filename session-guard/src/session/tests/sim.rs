//! A fake-clock, multi-tab simulator for the session core.
//!
//! Like quinn-proto's test harness, it never sleeps: the clock jumps straight
//! to the next thing that happens (a scheduled event or the earliest
//! `poll_timeout` of any tab). It plays the browser driver for every tab: a
//! shared storage, a broadcast bus, a Web Lock around refreshes, and a fake
//! identity provider that behaves like Cognito's emulators (it resets
//! `auth_time` on refresh and refuses a refresh token after its validity).
//!
//! It checks the core's invariants at every step, so every scenario built on
//! it also tests them:
//! - a tab never hands out tokens that are expired on the provider's clock;
//! - a tab never starts a refresh while one is in flight, and the provider
//!   never serves two refreshes at once (the lock);
//! - a sign-out is preceded by a drafts flush when drafts are dirty (unless
//!   the policy is the blind baseline).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use crate::session::user::fixtures::user;
use crate::session::{
    CheckedClaim, Command, Generation, Input, Jitter, Millis, RefreshError, Secret, SessionEvent,
    SessionMachine, SessionPolicy, SessionSettings, SessionSnapshot, SessionState, SessionUser,
    SignOutReason, TabMessage, TokenSet,
};

pub const SEC: Duration = Duration::from_secs(1);
pub const MIN: Duration = Duration::from_secs(60);
pub const HOUR: Duration = Duration::from_secs(3600);
pub const DAY: Duration = Duration::from_secs(86_400);

/// 2024-03-04 00:00 UTC: day 1 of the scenarios.
pub const DAY1: i64 = 1_709_510_400_000;

/// Local instant: day `day` (1-based) at `h:m`.
pub fn at(day: i64, h: i64, m: i64) -> Millis {
    Millis(DAY1 + (day - 1) * 86_400_000 + h * 3_600_000 + m * 60_000)
}

/// An identity provider that answers like the Cognito emulators do.
#[derive(Debug)]
pub struct FakeProvider {
    pub token_lifetime: Duration,
    pub refresh_validity: Duration,
    /// Issued refresh tokens: value -> (original auth_time, revoked, user).
    refresh_tokens: HashMap<String, (Millis, bool, SessionUser)>,
    /// Failures to answer the next refreshes with, before any other check.
    pub fail_next: VecDeque<RefreshError>,
    /// Provider instants of every refresh request that reached it.
    pub refreshes: Vec<Millis>,
    pub rejections: Vec<Millis>,
    pub revocations: usize,
    /// Who signs in next.
    pub user: SessionUser,
    /// Every token set issued, by ID token: what verifying a token recovers
    /// (its signed claims), whatever a stored or broadcast copy says.
    issued: HashMap<String, TokenSet>,
    next_id: u64,
}

impl FakeProvider {
    pub fn new(token_lifetime: Duration, refresh_validity: Duration) -> Self {
        FakeProvider {
            token_lifetime,
            refresh_validity,
            refresh_tokens: HashMap::new(),
            fail_next: VecDeque::new(),
            refreshes: Vec::new(),
            rejections: Vec::new(),
            revocations: 0,
            user: user("alice"),
            issued: HashMap::new(),
            next_id: 0,
        }
    }

    fn issue(&mut self, now: Millis, auth_time: Millis, refresh_token: Option<Secret>) -> TokenSet {
        self.next_id += 1;
        // JWT numeric dates are whole seconds.
        let iat = Millis::from_unix_secs(now.0.div_euclid(1000));
        let tokens = TokenSet {
            id_token: Secret::new(format!("id-token-{}", self.next_id)),
            access_token: Secret::new(format!("access-token-{}", self.next_id)),
            refresh_token,
            issued_at: iat,
            expires_at: iat.plus(self.token_lifetime),
            auth_time,
            user: self.user.clone(),
        };
        self.issued
            .insert(tokens.id_token.expose().to_owned(), tokens.clone());
        tokens
    }

    /// What the driver's verification makes of `claimed`: the token set as
    /// issued (times and user from the signed claims), or `None` for tokens
    /// this provider never signed.
    pub fn verify(&self, claimed: &TokenSet) -> Option<TokenSet> {
        let genuine = self.issued.get(claimed.id_token.expose())?;
        (genuine.access_token == claimed.access_token).then(|| TokenSet {
            refresh_token: claimed.refresh_token.clone(),
            ..genuine.clone()
        })
    }

    /// A fresh sign-in at provider instant `now`.
    pub fn sign_in(&mut self, now: Millis) -> TokenSet {
        let rt = format!("refresh-token-{}", self.next_id + 1);
        let auth_time = Millis::from_unix_secs(now.0.div_euclid(1000));
        self.refresh_tokens
            .insert(rt.clone(), (auth_time, false, self.user.clone()));
        self.issue(now, auth_time, Some(Secret::new(rt)))
    }

    /// A refresh at provider instant `now`. Like Cognito, the answer has no
    /// refresh token; like the emulators, `auth_time` is reset to now.
    pub fn refresh(
        &mut self,
        refresh_token: &Secret,
        now: Millis,
    ) -> Result<TokenSet, RefreshError> {
        self.refreshes.push(now);
        if let Some(e) = self.fail_next.pop_front() {
            if e.is_definite_rejection() {
                self.rejections.push(now);
            }
            return Err(e);
        }
        match self.refresh_tokens.get(refresh_token.expose()).cloned() {
            Some((auth, false, user)) if now < auth.plus(self.refresh_validity) => {
                let reset_auth_time = Millis::from_unix_secs(now.0.div_euclid(1000));
                let next_user = std::mem::replace(&mut self.user, user);
                let tokens = self.issue(now, reset_auth_time, None);
                self.user = next_user;
                Ok(tokens)
            }
            _ => {
                self.rejections.push(now);
                Err(RefreshError::NotAuthorized)
            }
        }
    }

    pub fn revoke(&mut self, refresh_token: &Secret) {
        if let Some(entry) = self.refresh_tokens.get_mut(refresh_token.expose()) {
            entry.1 = true;
            self.revocations += 1;
        }
    }
}

/// How the simulated user reacts.
#[derive(Debug, Clone, Copy)]
pub struct UserModel {
    /// Typing into a signed-out tab: sign in first (the user sees the
    /// sign-in page and signs in) rather than typing into nothing.
    pub sign_in_when_signed_out: bool,
    /// Answer a re-auth request after this long.
    pub reauth_after: Option<Duration>,
}

impl Default for UserModel {
    fn default() -> Self {
        UserModel {
            sign_in_when_signed_out: true,
            reauth_after: Some(MIN),
        }
    }
}

#[derive(Debug)]
pub struct Tab {
    pub machine: SessionMachine,
    pub drafts_dirty: bool,
    pub flushes: usize,
    /// `DeleteDrafts` effects performed here (the user asked to discard).
    pub drafts_deleted: usize,
    /// Sign-outs this tab decided that ended the provider's session too.
    pub provider_sessions_ended: usize,
    /// Local instants at which the tab was signed out with unsaved work.
    pub lost_work: Vec<Millis>,
    /// Each keystroke: when, and whether the tab had usable tokens to save with.
    pub keystrokes: Vec<(Millis, bool)>,
}

/// What a tab's machine put out, in the order the driver handles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Command(Command),
    Event(SessionEvent),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub at: Millis,
    pub tab: usize,
    pub output: Output,
}

#[derive(Debug, Default)]
pub struct Storage {
    pub snapshot: Option<SessionSnapshot>,
    pub reason: Option<SignOutReason>,
}

#[derive(Debug)]
enum Event {
    Input {
        tab: usize,
        input: Input,
    },
    RefreshAnswer {
        tab: usize,
        generation: Generation,
        result: Result<TokenSet, RefreshError>,
    },
    Reauth {
        tab: usize,
    },
    /// The app finished saving (or discarding) drafts and reports what is
    /// dirty now (the user may have typed meanwhile).
    DraftsReport {
        tab: usize,
    },
}

pub struct Sim {
    /// The local clock (what `Date.now()` says in every tab).
    pub now: Millis,
    /// The truth: provider clock minus local clock.
    pub skew_ms: i64,
    pub provider: FakeProvider,
    pub tabs: Vec<Tab>,
    pub storage: Storage,
    pub user: UserModel,
    pub network_online: bool,
    pub latency: Duration,
    /// Whether the browser has Web Locks. Without them (an old browser, or
    /// a lock the browser dropped) tabs can refresh at the same time.
    pub web_locks: bool,
    pub log: Vec<Logged>,
    pub sign_ins: Vec<Millis>,
    jitters: Vec<Jitter>,
    jitter_next: usize,
    events: BTreeMap<(Millis, u64), Event>,
    seq: u64,
    lock: Option<usize>,
    lock_queue: VecDeque<(usize, Generation)>,
    /// The lock holder asked the provider (else the lock is released at once).
    lock_sent: bool,
    provider_busy_until: Millis,
    steps: u64,
}

impl Sim {
    /// `tabs` open tabs at local instant `start`, all signed out.
    pub fn new(
        policy: SessionPolicy,
        settings: SessionSettings,
        tabs: usize,
        provider: FakeProvider,
        start: Millis,
    ) -> Sim {
        Sim {
            now: start,
            skew_ms: 0,
            provider,
            tabs: (0..tabs)
                .map(|_| Tab {
                    machine: SessionMachine::new(policy.clone(), settings.clone()),
                    drafts_dirty: false,
                    flushes: 0,
                    drafts_deleted: 0,
                    provider_sessions_ended: 0,
                    lost_work: Vec::new(),
                    keystrokes: Vec::new(),
                })
                .collect(),
            storage: Storage::default(),
            user: UserModel::default(),
            network_online: true,
            latency: Duration::from_millis(200),
            web_locks: true,
            log: Vec::new(),
            sign_ins: Vec::new(),
            jitters: vec![Jitter::MID],
            jitter_next: 0,
            events: BTreeMap::new(),
            seq: 0,
            lock: None,
            lock_queue: VecDeque::new(),
            lock_sent: false,
            provider_busy_until: Millis(i64::MIN),
            steps: 0,
        }
    }

    /// The usual setup: `tabs` tabs, tokens of `lifetime`, sessions of `validity`.
    pub fn with(
        policy: SessionPolicy,
        lifetime: Duration,
        validity: Duration,
        tabs: usize,
        start: Millis,
    ) -> Sim {
        let settings = SessionSettings {
            access_token_validity: Some(lifetime),
            endpoint: crate::session::IdentityEndpoint::Overridden,
            ..SessionSettings::new(validity)
        };
        Sim::new(
            policy,
            settings,
            tabs,
            FakeProvider::new(lifetime, validity),
            start,
        )
    }

    pub fn set_jitters(&mut self, jitters: Vec<Jitter>) {
        assert!(!jitters.is_empty());
        self.jitters = jitters;
    }

    pub fn provider_now(&self) -> Millis {
        Millis(self.now.0 + self.skew_ms)
    }

    pub fn machine(&self, tab: usize) -> &SessionMachine {
        &self.tabs[tab].machine
    }

    // ------------------------------------------------------------ user actions

    /// The user signs in on the sign-in page of `tab`, now.
    pub fn sign_in(&mut self, tab: usize) {
        let tokens = self.provider.sign_in(self.provider_now());
        self.sign_ins.push(self.now);
        self.deliver(tab, Input::SignedIn { tokens });
    }

    /// A keystroke in `tab`, now: activity and dirty drafts.
    pub fn keystroke(&mut self, tab: usize) {
        if self.tabs[tab].machine.state() == SessionState::SignedOut {
            if !self.user.sign_in_when_signed_out {
                return;
            }
            self.sign_in(tab);
        }
        let usable = self.tabs[tab].machine.usable_tokens(self.now).is_some();
        self.tabs[tab].keystrokes.push((self.now, usable));
        self.deliver(tab, Input::Activity { at: self.now });
        if !self.tabs[tab].drafts_dirty {
            self.tabs[tab].drafts_dirty = true;
            self.deliver(tab, Input::DraftsChanged { dirty: true });
        }
    }

    /// Keystrokes in `tab` every `every` from `from` through `to`.
    pub fn type_between(&mut self, tab: usize, from: Millis, to: Millis, every: Duration) {
        let mut t = from;
        while t <= to {
            self.run_until(t);
            self.keystroke(tab);
            t = t.plus(every);
        }
    }

    pub fn input(&mut self, tab: usize, input: Input) {
        self.deliver(tab, input);
    }

    /// The device sleeps from now until `until`: nothing runs, timers fire
    /// late, then every tab notices the wake.
    pub fn sleep_until(&mut self, until: Millis) {
        let postponed: Vec<_> = std::mem::take(&mut self.events).into_iter().collect();
        for ((t, seq), e) in postponed {
            self.events.insert((t.max(until), seq), e);
        }
        self.now = self.now.max(until);
        for tab in 0..self.tabs.len() {
            self.deliver(tab, Input::WakeDetected);
        }
    }

    /// The user reloads `tab`: a fresh machine restores what storage holds.
    pub fn reload(&mut self, tab: usize) {
        let policy = self.tabs[tab].machine.policy().clone();
        let settings = self.tabs[tab].machine.settings().clone();
        self.tabs[tab].machine = SessionMachine::new(policy, settings);
        // The old page is gone with its requests and its Web Lock; a new
        // page restarts generations at 1, so an old answer must not reach it.
        let gone: Vec<_> = self
            .events
            .iter()
            .filter(|(_, e)| matches!(e, Event::RefreshAnswer { tab: t, .. } if *t == tab))
            .map(|(k, _)| *k)
            .collect();
        for key in gone {
            self.events.remove(&key);
        }
        self.lock_queue.retain(|(t, ..)| *t != tab);
        if self.lock == Some(tab) {
            // Its request was aborted with the page.
            self.provider_busy_until = self.now;
            self.release_lock();
        }
        // The page's memory is gone; what autosave kept is restored by the app.
        self.tabs[tab].drafts_dirty = false;
        let stored = self.storage.snapshot.clone();
        self.deliver(
            tab,
            Input::PageLoaded {
                stored_session: stored.is_some(),
            },
        );
        if let Some(snapshot) = stored {
            let input = match self.checked(snapshot) {
                Some(claim) => Input::Restored { claim },
                None => Input::RestoreFailed { refused: true },
            };
            self.deliver(tab, input);
        }
    }

    pub fn set_online(&mut self, online: bool) {
        self.network_online = online;
        for tab in 0..self.tabs.len() {
            self.deliver(
                tab,
                if online {
                    Input::Online
                } else {
                    Input::Offline
                },
            );
        }
    }

    // ------------------------------------------------------------ running time

    /// Runs every event and timer up to and including local instant `t`.
    pub fn run_until(&mut self, t: Millis) {
        loop {
            let event = self.events.keys().next().map(|k| k.0);
            let timer = (0..self.tabs.len())
                .filter_map(|i| self.tabs[i].machine.poll_timeout().map(|w| (w, i)))
                .min();
            let next_is_event = match (event, timer) {
                (Some(e), Some((w, _))) => e <= w,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if next_is_event {
                event.unwrap()
            } else {
                timer.unwrap().0
            };
            if next > t {
                break;
            }
            self.steps += 1;
            assert!(
                self.steps < 2_000_000,
                "simulation does not settle at {:?}",
                self.now
            );
            self.now = self.now.max(next);
            if next_is_event {
                let key = *self.events.keys().next().unwrap();
                let e = self.events.remove(&key).unwrap();
                self.process(e);
            } else {
                let tab = timer.unwrap().1;
                self.deliver(tab, Input::TimerFired);
            }
        }
        self.now = self.now.max(t);
    }

    pub fn run_for(&mut self, d: Duration) {
        self.run_until(self.now.plus(d));
    }

    fn schedule(&mut self, at: Millis, e: Event) {
        self.seq += 1;
        self.events.insert((at, self.seq), e);
    }

    fn process(&mut self, e: Event) {
        match e {
            Event::Input { tab, input } => self.deliver(tab, input),
            Event::RefreshAnswer {
                tab,
                generation,
                result,
            } => {
                let jitter = self.jitters[self.jitter_next % self.jitters.len()];
                self.jitter_next += 1;
                let input = match result {
                    Ok(tokens) => Input::RefreshSucceeded { generation, tokens },
                    Err(error) => Input::RefreshFailed {
                        generation,
                        error,
                        jitter,
                    },
                };
                self.deliver(tab, input);
                self.release_lock();
            }
            Event::DraftsReport { tab } => {
                let dirty = self.tabs[tab].drafts_dirty;
                self.deliver(tab, Input::DraftsChanged { dirty });
            }
            Event::Reauth { tab } => {
                if self.tabs[tab].machine.state() == SessionState::ReauthRequired {
                    let tokens = self.provider.sign_in(self.provider_now());
                    self.sign_ins.push(self.now);
                    self.deliver(tab, Input::ReauthSucceeded { tokens });
                }
            }
        }
    }

    // ------------------------------------------------------------- the driver

    /// Hands `input` to `tab`'s machine, checks invariants and performs the
    /// effects like the browser driver would.
    fn deliver(&mut self, tab: usize, input: Input) {
        // Like the driver: a token-carrying message from another tab is
        // verified before it reaches the machine.
        let input = match input {
            Input::FromTab(
                message @ (TabMessage::TokensRefreshed { .. } | TabMessage::SignedIn { .. }),
            ) => {
                let (TabMessage::TokensRefreshed { snapshot } | TabMessage::SignedIn { snapshot }) =
                    &message
                else {
                    unreachable!()
                };
                match self.provider.verify(&snapshot.tokens) {
                    Some(verified) => Input::FromTabVerified { message, verified },
                    None => Input::FromTab(message),
                }
            }
            other => other,
        };
        let now = self.now;
        self.check_tokens(tab);
        let machine = &mut self.tabs[tab].machine;
        let in_flight_before = machine.refresh_in_flight();
        let replaces_tokens = match &input {
            Input::RefreshSucceeded { generation, .. }
            | Input::RefreshFailed { generation, .. } => Some(*generation) == in_flight_before,
            Input::SignedIn { .. } | Input::ReauthSucceeded { .. } | Input::Restored { .. } => true,
            Input::FromTabVerified { .. } | Input::RefreshLockAcquired { .. } => true,
            _ => false,
        };
        machine.handle(input, now);
        let commands: Vec<Command> = std::iter::from_fn(|| machine.poll_command()).collect();
        let events: Vec<SessionEvent> = std::iter::from_fn(|| machine.poll_event()).collect();

        let starts = commands
            .iter()
            .filter(|e| matches!(e, Command::StartRefresh { .. }))
            .count();
        assert!(starts <= 1, "two refreshes started at once: {commands:?}");
        assert!(
            starts == 0 || in_flight_before.is_none() || replaces_tokens,
            "refresh started while {in_flight_before:?} in flight"
        );
        let flush_first = self.tabs[tab].machine.policy().save_drafts_before_sign_out;
        // The driver performs the commands before the views hear the
        // events: a sign-out with dirty drafts must command a flush.
        if flush_first
            && self.tabs[tab].drafts_dirty
            && events
                .iter()
                .any(|e| matches!(e, SessionEvent::SignedOut(_)))
        {
            assert!(
                commands.contains(&Command::FlushDrafts),
                "signed out with dirty drafts and no flush first: {commands:?}"
            );
        }

        // No state without a way out: only the states that wait for the
        // user (signed out, re-authentication) may have no deadline.
        let state = self.tabs[tab].machine.state();
        if !matches!(
            state,
            SessionState::SignedOut | SessionState::ReauthRequired
        ) {
            assert!(
                self.tabs[tab].machine.poll_timeout().is_some(),
                "tab {tab} is {state:?} with no deadline"
            );
        }
        if let Some(wake) = self.tabs[tab].machine.poll_timeout() {
            assert!(wake > now, "wake-up {wake:?} not in the future of {now:?}");
            assert!(
                wake <= now.plus(crate::session::time::MAX_TIMER_DELAY),
                "wake-up too far ahead"
            );
        }

        for command in commands {
            self.log.push(Logged {
                at: now,
                tab,
                output: Output::Command(command.clone()),
            });
            self.perform(tab, command);
        }
        for event in events {
            self.log.push(Logged {
                at: now,
                tab,
                output: Output::Event(event.clone()),
            });
            self.notice(tab, event);
        }
        self.check_tokens(tab);
    }

    /// Tokens handed out must not be expired on the provider's clock.
    fn check_tokens(&self, tab: usize) {
        if let Some(tokens) = self.tabs[tab].machine.usable_tokens(self.now) {
            assert!(
                self.provider_now() < tokens.expires_at,
                "tab {tab} hands out tokens expired at {:?} (provider now {:?})",
                tokens.expires_at,
                self.provider_now()
            );
        }
    }

    fn perform(&mut self, tab: usize, command: Command) {
        let now = self.now;
        match command {
            Command::StartRefresh { generation } => {
                if !self.web_locks {
                    self.lock_acquired(tab, generation);
                } else if self.lock.is_none() {
                    self.lock = Some(tab);
                    self.lock_acquired(tab, generation);
                } else {
                    self.lock_queue.push_back((tab, generation));
                }
            }
            Command::SendRefresh {
                generation,
                refresh_token,
            } => {
                if self.web_locks {
                    assert_eq!(self.lock, Some(tab), "a refresh sent without the lock");
                }
                self.lock_sent = true;
                self.call_provider(tab, generation, refresh_token);
            }
            Command::PersistState(snapshot) => self.storage.snapshot = Some(snapshot),
            Command::ClearTokens => self.storage.snapshot = None,
            Command::Broadcast(message) => {
                for other in (0..self.tabs.len()).filter(|o| *o != tab) {
                    self.schedule(
                        now,
                        Event::Input {
                            tab: other,
                            input: Input::FromTab(message.clone()),
                        },
                    );
                }
            }
            Command::FlushDrafts => {
                let t = &mut self.tabs[tab];
                t.flushes += 1;
                if t.drafts_dirty {
                    t.drafts_dirty = false;
                    self.schedule(now, Event::DraftsReport { tab });
                }
            }
            Command::DeleteDrafts { .. } => {
                // Discarded on purpose: the work on the page is not "lost".
                let t = &mut self.tabs[tab];
                t.drafts_deleted += 1;
                if t.drafts_dirty {
                    t.drafts_dirty = false;
                    self.schedule(now, Event::DraftsReport { tab });
                }
            }
            Command::PersistSignOutReason(reason) => self.storage.reason = Some(reason),
            Command::EndProviderSession => self.tabs[tab].provider_sessions_ended += 1,
            Command::RevokeRefreshToken(token) => self.provider.revoke(&token),
        }
    }

    /// What the views and the simulated user do with an event.
    fn notice(&mut self, tab: usize, event: SessionEvent) {
        let now = self.now;
        match event {
            SessionEvent::WarningShown(_)
            | SessionEvent::WarningChanged(_)
            | SessionEvent::WarningHidden => {}
            SessionEvent::ReauthRequested { .. } => {
                if let Some(after) = self.user.reauth_after {
                    self.schedule(now.plus(after), Event::Reauth { tab });
                }
            }
            SessionEvent::SignedOut(_) => {
                if self.tabs[tab].drafts_dirty {
                    self.tabs[tab].lost_work.push(now);
                    // The page is replaced by the sign-in page: the work is gone.
                    self.tabs[tab].drafts_dirty = false;
                    self.schedule(now, Event::DraftsReport { tab });
                }
            }
        }
    }

    /// The stored snapshot as the driver would hand it to the core:
    /// verified, or `None` when its tokens were never issued.
    pub fn checked(&self, snapshot: SessionSnapshot) -> Option<CheckedClaim> {
        let verified = self.provider.verify(&snapshot.tokens)?;
        Some(CheckedClaim { snapshot, verified })
    }

    /// Holding the lock: hand the core what storage holds now; it decides
    /// whether to call the provider ([`Command::SendRefresh`]).
    fn lock_acquired(&mut self, tab: usize, generation: Generation) {
        let stored = self
            .storage
            .snapshot
            .clone()
            .and_then(|snapshot| self.checked(snapshot));
        self.lock_sent = false;
        self.deliver(tab, Input::RefreshLockAcquired { generation, stored });
        if self.web_locks && !self.lock_sent && self.lock == Some(tab) {
            self.release_lock();
        }
    }

    fn call_provider(&mut self, tab: usize, generation: Generation, refresh_token: Secret) {
        let now = self.now;
        assert!(
            !self.web_locks || now >= self.provider_busy_until,
            "two refreshes reached the provider at once"
        );
        self.provider_busy_until = now.plus(self.latency);
        let result = if self.network_online {
            let served_at = Millis(now.0 + self.skew_ms).plus(self.latency / 2);
            self.provider.refresh(&refresh_token, served_at)
        } else {
            Err(RefreshError::Network)
        };
        self.schedule(
            now.plus(self.latency),
            Event::RefreshAnswer {
                tab,
                generation,
                result,
            },
        );
    }

    fn release_lock(&mut self) {
        self.lock = None;
        self.lock_sent = false;
        if let Some((tab, generation)) = self.lock_queue.pop_front() {
            self.lock = Some(tab);
            self.lock_acquired(tab, generation);
        }
    }

    // ---------------------------------------------------------------- queries

    pub fn sign_outs(&self) -> Vec<(Millis, usize, SignOutReason)> {
        self.log
            .iter()
            .filter_map(|l| match l.output {
                Output::Event(SessionEvent::SignedOut(r)) => Some((l.at, l.tab, r)),
                _ => None,
            })
            .collect()
    }

    /// Everything `tab` put out that `pred` accepts, commands and events in
    /// the order the driver handled them.
    pub fn outputs_of(&self, tab: usize, pred: impl Fn(&Output) -> bool) -> Vec<(Millis, Output)> {
        self.log
            .iter()
            .filter(|l| l.tab == tab && pred(&l.output))
            .map(|l| (l.at, l.output.clone()))
            .collect()
    }

    pub fn commands_of(
        &self,
        tab: usize,
        pred: impl Fn(&Command) -> bool,
    ) -> Vec<(Millis, Command)> {
        self.log
            .iter()
            .filter(|l| l.tab == tab)
            .filter_map(|l| match &l.output {
                Output::Command(c) if pred(c) => Some((l.at, c.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn events_of(
        &self,
        tab: usize,
        pred: impl Fn(&SessionEvent) -> bool,
    ) -> Vec<(Millis, SessionEvent)> {
        self.log
            .iter()
            .filter(|l| l.tab == tab)
            .filter_map(|l| match &l.output {
                Output::Event(e) if pred(e) => Some((l.at, e.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn lost_work(&self) -> Vec<(usize, Millis)> {
        self.tabs
            .iter()
            .enumerate()
            .flat_map(|(i, t)| t.lost_work.iter().map(move |m| (i, *m)))
            .collect()
    }

    /// Keystrokes made while the tab had no usable tokens.
    pub fn keystrokes_without_tokens(&self, tab: usize) -> Vec<Millis> {
        self.tabs[tab]
            .keystrokes
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(t, _)| *t)
            .collect()
    }
}
