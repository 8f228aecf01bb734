//! The session state machine.
//!
//! Sans-IO, after quinn-proto's `Connection`: the machine never reads a
//! clock, never sleeps, never calls the network and never draws a random
//! number. The driver feeds it what happened ([`Input`]) with the current
//! instant, performs the I/O it asks for ([`Command`]), hands what changed
//! to the views ([`SessionEvent`]) and arms one timer at
//! [`SessionMachine::poll_timeout`]:
//!
//! ```text
//! machine.handle(Input::Activity { at }, now);
//! while let Some(command) = machine.poll_command() { driver.perform(command) }
//! while let Some(event) = machine.poll_event() { views.show(event) }
//! let wake_at: Option<Millis> = machine.poll_timeout();
//! ```
//!
//! That makes every rule testable natively with a fake clock that jumps
//! straight to the next wake-up (see `tests/sim.rs`).

use std::collections::VecDeque;
use std::time::Duration;

use super::backoff::Jitter;
use super::backoff::retry_delay;
use super::input::{CheckedClaim, Input};
use super::output::{Command, SessionEvent};
use super::policy::SessionPolicy;
use super::reason::SignOutReason;
use super::refresh::Generation;
use super::refresh::RefreshError;
use super::settings::SessionSettings;
use super::skew::ClockOffset;
use super::snapshot::SessionSnapshot;
use super::state::SessionState;
use super::tab_message::TabMessage;
use super::time::{MAX_TIMER_DELAY, Millis, WAKE_GAP};
use super::tokens::TokenSet;
use super::user::SessionUser;
use super::warning::{Warning, WarningKind};

/// Safety valve for [`SessionMachine::advance`]: every due action changes
/// the state so that it is no longer due, so a handful of iterations always
/// suffice; this only guards against a future bug turning into a hung tab.
const MAX_ACTIONS_PER_STEP: usize = 64;

/// One tab's view of the session. See the module docs.
#[derive(Debug)]
pub struct SessionMachine {
    policy: SessionPolicy,
    settings: SessionSettings,
    /// The latest instant the driver gave us; caps [`Self::poll_timeout`].
    now: Millis,
    session: Option<Session>,
    drafts_dirty: bool,
    online: bool,
    next_generation: u64,
    warning: Option<Warning>,
    last_sign_out: Option<SignOutReason>,
    /// Whose session ended last: their drafts are the ones to offer back.
    last_user: Option<SessionUser>,
    /// While a stored session is being checked at page load: give up then.
    restoring_until: Option<Millis>,
    last_heartbeat: Option<Millis>,
    /// When the core last saw the device wake (a late heartbeat or a resume).
    last_wake: Option<Millis>,
    commands: VecDeque<Command>,
    events: VecDeque<SessionEvent>,
}

#[derive(Debug)]
struct Session {
    tokens: TokenSet,
    /// Earliest `auth_time` (provider clock): the refresh validity counts from it.
    started_at: Millis,
    offset: ClockOffset,
    refresh: Refresh,
    /// Local deadline handed to the re-auth dialog, while it is needed.
    reauth: Option<Millis>,
    /// Last activity in any tab (local clock).
    last_activity: Millis,
    activity_broadcast: ActivityBroadcast,
}

/// Where the refresh cycle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refresh {
    /// Nothing outstanding; the next refresh is scheduled from the tokens.
    Scheduled,
    /// `failures` is how many attempts failed before this one; `sent_at`
    /// bounds the clock-offset measurement of the answer, and an answer
    /// that has not come by `sent_at + refresh_answer_limit` counts as a
    /// network failure.
    InFlight {
        generation: Generation,
        failures: u32,
        sent_at: Millis,
    },
    Backoff {
        failures: u32,
        retry_at: Millis,
    },
    /// The browser says it is offline. The flag is only a hint (it can be
    /// wrong behind a VPN or a captive portal), so the refresh is tried
    /// again at `recheck_at` even without an `online` event.
    WaitingForOnline {
        failures: u32,
        recheck_at: Millis,
    },
    /// The blind baseline after a definite rejection: it works on with the
    /// tokens in hand and finds out when they expire.
    Refused,
}

/// Throttle for activity broadcasts: at most one per interval, and the last
/// activity of a burst is sent when the interval ends (trailing edge), so the
/// other tabs are never more than one interval behind.
#[derive(Debug, Clone, Copy, Default)]
struct ActivityBroadcast {
    last_sent: Option<Millis>,
    pending: bool,
}

/// A deadline-driven action, in the order ties are acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    RefusedTokensExpire,
    IdleTimeout,
    SessionEnd,
    RefreshUnanswered,
    Refresh,
    Retry,
    ActivityBroadcast,
    RestoreUnanswered,
}

impl Due {
    /// Actions that end the session run before the others when several are
    /// overdue (a late timer): a refresh or a broadcast due before an idle
    /// sign-out that is also overdue would be wasted.
    fn ends_session(self) -> bool {
        matches!(
            self,
            Due::RefusedTokensExpire | Due::IdleTimeout | Due::SessionEnd
        )
    }
}

/// Who a sign-out comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    ThisTab,
    AnotherTab,
    /// Another tab signed a different user in.
    ReplacedByOtherUser,
}

impl SessionMachine {
    /// A signed-out machine. Validate `policy` and `settings` first with
    /// [`SessionSettings::validate`]; the machine itself never fails.
    pub fn new(policy: SessionPolicy, settings: SessionSettings) -> Self {
        SessionMachine {
            policy,
            settings,
            now: Millis(0),
            session: None,
            drafts_dirty: false,
            online: true,
            next_generation: 1,
            warning: None,
            last_sign_out: None,
            last_user: None,
            restoring_until: None,
            last_heartbeat: None,
            last_wake: None,
            commands: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    // ----------------------------------------------------------------- driving

    /// Feeds one input that happened at local instant `now`.
    ///
    /// Deadlines that passed before `now` are acted on first, in order, once
    /// each (a late timer, a sleeping laptop); then the input.
    pub fn handle(&mut self, input: Input, now: Millis) {
        self.now = now;
        self.advance(now);
        self.apply(input, now);
        self.advance(now);
        self.sync_warning(now);
    }

    /// The next command for the driver to perform, in order.
    pub fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }

    /// The next event for the views, in order. Perform an input's commands
    /// first: a sign-out's drafts flush comes before the view hears of it.
    pub fn poll_event(&mut self) -> Option<SessionEvent> {
        self.events.pop_front()
    }

    /// When to call `handle(Input::TimerFired, ..)` next (local clock).
    /// Never more than [`MAX_TIMER_DELAY`] after the last `now`: a browser
    /// timer cannot be longer, so the driver just polls again then.
    pub fn poll_timeout(&self) -> Option<Millis> {
        let due = self.next_due(|_| true).map(|(at, _)| at);
        let warn = self.next_warning_change(self.now);
        let next = [due, warn, self.restoring_until]
            .into_iter()
            .flatten()
            .min()?;
        Some(next.min(self.now.plus(MAX_TIMER_DELAY)))
    }

    // --------------------------------------------------------------- accessors

    /// The policy this machine enforces (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn policy(&self) -> &SessionPolicy {
        &self.policy
    }

    /// The deployment settings this machine runs with (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn settings(&self) -> &SessionSettings {
        &self.settings
    }

    pub fn state(&self) -> SessionState {
        let Some(s) = &self.session else {
            return SessionState::SignedOut;
        };
        if s.reauth.is_some() {
            return SessionState::ReauthRequired;
        }
        match s.refresh {
            Refresh::InFlight { .. } => SessionState::Refreshing,
            Refresh::Backoff { .. } | Refresh::WaitingForOnline { .. } => {
                SessionState::OfflineRetrying
            }
            Refresh::Scheduled | Refresh::Refused => match self.warning {
                Some(w) => SessionState::Warning(w.kind),
                None => SessionState::Active,
            },
        }
    }

    /// The ID/access tokens if they can be sent now: `None` once they are
    /// expired or within their expiry margin, whatever state the machine is
    /// in. The only way the app should get tokens.
    pub fn usable_tokens(&self, now: Millis) -> Option<&TokenSet> {
        let s = self.session.as_ref()?;
        s.tokens.usable_at(now, s.offset).then_some(&s.tokens)
    }

    /// The tokens if they can be sent now and stay usable for at least
    /// `min_validity` (a request that must not expire on its way). `None`
    /// means: ask for a refresh ([`Input::RefreshRequested`]) and wait.
    pub fn tokens_usable_for(&self, now: Millis, min_validity: Duration) -> Option<&TokenSet> {
        let s = self.session.as_ref()?;
        let tokens = self.usable_tokens(now)?;
        (tokens.expires_at_local(s.offset) >= now.plus(min_validity)).then_some(tokens)
    }

    /// The session's hard end on the local clock (also known to the blind
    /// baseline, which just does not act on it).
    pub fn session_end(&self) -> Option<Millis> {
        self.session.as_ref().map(|s| self.hard_end(s))
    }

    /// When the session began (the original sign-in), on the local clock.
    pub fn session_start(&self) -> Option<Millis> {
        self.session
            .as_ref()
            .map(|s| s.offset.to_local(s.started_at))
    }

    /// Every instant at which a warning of this session starts, as things
    /// stand (the idle warning moves with activity), earliest first: what
    /// a timeline of the session draws.
    pub fn warning_times(&self) -> Vec<Millis> {
        let Some(s) = self.session.as_ref() else {
            return Vec::new();
        };
        let mut starts = Vec::new();
        if let (Some(timeout), Some(lead)) =
            (self.policy.idle_timeout, self.policy.idle_warning_lead)
        {
            starts.push(s.last_activity.plus(timeout).minus(lead));
        }
        if self.policy.watch_session_end {
            let end = self.hard_end(s);
            starts.extend(
                self.policy
                    .session_end_warning_leads
                    .iter()
                    .map(|l| end.minus(*l)),
            );
        }
        // A handful of points: an insertion sort, far smaller in the
        // WebAssembly than the standard library's general-purpose sort.
        for i in 1..starts.len() {
            let mut j = i;
            while j > 0 && starts[j] < starts[j - 1] {
                starts.swap(j, j - 1);
                j -= 1;
            }
        }
        starts
    }

    /// When the idle sign-out will happen, if the policy has one.
    pub fn idle_deadline(&self) -> Option<Millis> {
        let s = self.session.as_ref()?;
        Some(s.last_activity.plus(self.policy.idle_timeout?))
    }

    /// When the next refresh (or retry) will start, if one is planned.
    pub fn next_refresh_at(&self) -> Option<Millis> {
        let s = self.session.as_ref()?;
        match s.refresh {
            Refresh::Scheduled => self.scheduled_refresh(s),
            Refresh::Backoff { retry_at, .. } => Some(retry_at),
            _ => None,
        }
    }

    pub fn refresh_in_flight(&self) -> Option<Generation> {
        match self.session.as_ref()?.refresh {
            Refresh::InFlight { generation, .. } => Some(generation),
            _ => None,
        }
    }

    pub fn current_warning(&self) -> Option<Warning> {
        self.warning
    }

    pub fn reauth_deadline(&self) -> Option<Millis> {
        self.session.as_ref()?.reauth
    }

    pub fn last_sign_out_reason(&self) -> Option<SignOutReason> {
        self.last_sign_out
    }

    /// Whose session ended last in this tab (their drafts were kept).
    pub fn last_user(&self) -> Option<&SessionUser> {
        self.last_user.as_ref()
    }

    /// Whom the session belongs to (from the verified ID token in hand).
    pub fn user(&self) -> Option<&SessionUser> {
        self.session.as_ref().map(|s| &s.tokens.user)
    }

    /// Whether re-authenticating in place with `tokens` continues this
    /// session: only the same person may take over the page and its work.
    pub fn accepts_reauth_by(&self, tokens: &TokenSet) -> bool {
        self.user()
            .is_some_and(|user| user.is_same_person(&tokens.user))
    }

    /// Still checking a stored session found at page load.
    pub fn is_restoring(&self) -> bool {
        self.restoring_until.is_some()
    }

    /// When the device was last seen waking (a late heartbeat or a resume).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn last_wake(&self) -> Option<Millis> {
        self.last_wake
    }

    pub fn clock_offset(&self) -> Option<ClockOffset> {
        self.session.as_ref().map(|s| s.offset)
    }

    /// When the user was last seen active in any tab (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn last_activity(&self) -> Option<Millis> {
        self.session.as_ref().map(|s| s.last_activity)
    }

    pub fn drafts_dirty(&self) -> bool {
        self.drafts_dirty
    }

    pub fn is_online(&self) -> bool {
        self.online
    }

    /// What [`Command::PersistState`] would store now.
    pub fn snapshot(&self) -> Option<SessionSnapshot> {
        self.session.as_ref().map(Session::snapshot)
    }

    // ------------------------------------------------------------------ inputs

    fn apply(&mut self, input: Input, now: Millis) {
        match input {
            Input::ReauthSucceeded { tokens }
                if self.session.is_some() && !self.accepts_reauth_by(&tokens) => {}
            Input::SignedIn { tokens } | Input::ReauthSucceeded { tokens } => {
                self.restoring_until = None;
                let offset = ClockOffset::estimate(None, tokens.issued_at, now, now);
                let started_at = tokens.auth_time;
                self.start_session(tokens, started_at, offset, now);
                let snapshot = self.session.as_ref().map(Session::snapshot);
                if let Some(snapshot) = snapshot {
                    self.command(Command::PersistState(snapshot.clone()));
                    self.command(Command::Broadcast(TabMessage::SignedIn { snapshot }));
                }
                if let Some(s) = &mut self.session {
                    s.activity_broadcast.last_sent = Some(now);
                }
            }
            Input::PageLoaded { stored_session } => {
                if stored_session && self.session.is_none() {
                    self.restoring_until = Some(now.plus(self.settings.refresh_answer_limit));
                }
            }
            Input::Restored { claim } => self.restore(claim, now),
            Input::SessionOffered { claim } => self.session_offered(claim, now),
            Input::RestoreFailed { refused } => self.restore_failed(refused),
            Input::RefreshSucceeded { generation, tokens } => {
                self.refresh_succeeded(generation, tokens, now)
            }
            Input::RefreshFailed {
                generation,
                error,
                jitter,
            } => self.refresh_failed(generation, error, jitter, now),
            Input::RefreshLockAcquired { generation, stored } => {
                self.refresh_lock_acquired(generation, stored, now)
            }
            Input::Activity { at } => self.local_activity(at.min(now), now),
            Input::DraftsChanged { dirty } => {
                let became_dirty = dirty && !self.drafts_dirty;
                self.drafts_dirty = dirty;
                if became_dirty && self.policy.autosave && self.session.is_some() {
                    self.command(Command::FlushDrafts);
                }
            }
            Input::PageHidden => {
                if self.drafts_dirty && self.policy.autosave && self.session.is_some() {
                    self.command(Command::FlushDrafts);
                }
            }
            // Being woken or shown only matters through the deadlines that
            // passed meanwhile, which `handle` acts on around every input.
            Input::PageVisible | Input::TimerFired => {}
            Input::WakeDetected => self.last_wake = Some(now),
            Input::Heartbeat => {
                if self
                    .last_heartbeat
                    .is_some_and(|last| last.until(now) > WAKE_GAP)
                {
                    self.last_wake = Some(now);
                }
                self.last_heartbeat = Some(now);
            }
            Input::Online => {
                self.online = true;
                if let Some(s) = &self.session
                    && let Refresh::WaitingForOnline { failures, .. } = s.refresh
                {
                    self.retry_now(failures, now);
                }
            }
            Input::Offline => {
                self.online = false;
                if let Some(s) = &mut self.session
                    && let Refresh::Backoff { failures, retry_at } = s.refresh
                {
                    s.refresh = Refresh::WaitingForOnline {
                        failures,
                        recheck_at: retry_at,
                    };
                }
            }
            Input::StaySignedIn => {
                if let Some(s) = &mut self.session {
                    s.last_activity = s.last_activity.max(now);
                    s.activity_broadcast = ActivityBroadcast {
                        last_sent: Some(now),
                        pending: false,
                    };
                    self.command(Command::Broadcast(TabMessage::SessionExtended { at: now }));
                    self.persist_snapshot();
                }
            }
            Input::RefreshRequested => {
                if let Some(Session {
                    refresh: Refresh::Scheduled,
                    ..
                }) = self.session
                {
                    self.retry_now(0, now);
                }
            }
            Input::SignOutRequested => self.sign_out(SignOutReason::User, Origin::ThisTab),
            Input::SignOutDeletingDrafts => {
                self.sign_out(SignOutReason::UserDeletedDrafts, Origin::ThisTab)
            }
            Input::FromTab(message) => self.handle_tab_message(message, None, now),
            Input::FromTabVerified { message, verified } => {
                self.handle_tab_message(message, Some(verified), now)
            }
        }
    }

    fn refresh_failed(
        &mut self,
        generation: Generation,
        error: RefreshError,
        jitter: Jitter,
        now: Millis,
    ) {
        let Some(s) = &mut self.session else { return };
        let Refresh::InFlight {
            generation: g,
            failures,
            ..
        } = s.refresh
        else {
            return;
        };
        if g != generation {
            return;
        }
        if error.is_definite_rejection() {
            self.refresh_rejected(now);
            return;
        }
        let p = &self.policy;
        let delay = retry_delay(p.retry_backoff_base, p.retry_backoff_cap, failures, jitter);
        s.refresh = if self.online {
            Refresh::Backoff {
                failures: failures + 1,
                retry_at: now.plus(delay),
            }
        } else {
            Refresh::WaitingForOnline {
                failures: failures + 1,
                recheck_at: now.plus(delay),
            }
        };
    }

    /// Holding the refresh lock: adopt what another tab stored meanwhile if
    /// it supersedes the tokens in hand, else go to the provider.
    fn refresh_lock_acquired(
        &mut self,
        generation: Generation,
        stored: Option<CheckedClaim>,
        now: Millis,
    ) {
        let Some(s) = &self.session else { return };
        // Adopting another tab's broadcast, a sign-out or the answer
        // deadline ended this attempt while it waited: nothing to do.
        if !matches!(s.refresh, Refresh::InFlight { generation: g, .. } if g == generation) {
            return;
        }
        let believed = stored.and_then(|claim| claim.snapshot.believe(&claim.verified, now));
        if let Some(claim) = believed
            && (claim.tokens.supersedes(&s.tokens)
                || !claim.tokens.user.is_same_person(&s.tokens.user))
        {
            self.adopt(claim, now);
            return;
        }
        match s.tokens.refresh_token.clone() {
            Some(refresh_token) => self.command(Command::SendRefresh {
                generation,
                refresh_token,
            }),
            None => self.refresh_rejected(now),
        }
    }

    /// Takes over verified tokens another tab obtained (a refresh, or what
    /// it stored). A different user in them means someone else signed in.
    fn adopt(&mut self, claim: SessionSnapshot, now: Millis) {
        let Some(s) = &mut self.session else { return };
        if !claim.tokens.user.is_same_person(&s.tokens.user) {
            self.other_user_signed_in(claim);
            return;
        }
        if s.reauth.is_some() || !claim.tokens.supersedes(&s.tokens) {
            return;
        }
        s.tokens = claim.tokens.completed_from(&s.tokens);
        s.offset = claim.clock_offset;
        s.started_at = s.started_at.min(claim.session_started_at);
        s.last_activity = s.last_activity.max(claim.last_activity.min(now));
        // Whatever this tab was doing about the refresh is obsolete; a late
        // answer to its own attempt no longer matches.
        s.refresh = Refresh::Scheduled;
        // This tab's own storage follows (per-tab sessionStorage would
        // otherwise keep the old tokens for the next reload or lock check).
        self.persist_snapshot();
    }

    /// Another tab signed a different user in: this tab's work belongs to
    /// the user signed in here, so its drafts are flushed under that user
    /// and the tab signs out with the reason; the new user's session is
    /// what this tab stores from now on (a reload follows it).
    fn other_user_signed_in(&mut self, claim: SessionSnapshot) {
        self.sign_out(
            SignOutReason::OtherUserSignedIn,
            Origin::ReplacedByOtherUser,
        );
        self.command(Command::PersistState(claim));
    }

    /// A message from another tab; `verified` is the token set the driver
    /// rebuilt from the message's tokens, if it carries any and they passed.
    fn handle_tab_message(&mut self, message: TabMessage, verified: Option<TokenSet>, now: Millis) {
        match message {
            TabMessage::TokensRefreshed { snapshot } => {
                // Unverified tokens change nothing.
                if let Some(claim) = verified.and_then(|v| snapshot.believe(&v, now)) {
                    self.adopt(claim, now);
                }
            }
            TabMessage::Activity { at } | TabMessage::SessionExtended { at } => {
                self.remote_activity(at.min(now));
            }
            TabMessage::SignedIn { snapshot } => {
                let Some(claim) = verified.and_then(|v| snapshot.believe(&v, now)) else {
                    return;
                };
                if let Some(s) = &self.session {
                    if !claim.tokens.user.is_same_person(&s.tokens.user) {
                        self.other_user_signed_in(claim);
                        return;
                    }
                    if s.reauth.is_none() && !claim.tokens.supersedes(&s.tokens) {
                        return;
                    }
                } else if self
                    .last_user
                    .as_ref()
                    .is_some_and(|last| !last.is_same_person(&claim.tokens.user))
                {
                    // This tab was last someone else's, and their kept work
                    // waits for them here: another person's sign-in is not
                    // followed into it. The sign-in page says why.
                    self.last_sign_out = Some(SignOutReason::OtherUserSignedIn);
                    return;
                }
                self.restoring_until = None;
                self.start_session(
                    claim.tokens,
                    claim.session_started_at,
                    claim.clock_offset,
                    claim.last_activity,
                );
                if let Some(s) = &mut self.session {
                    s.activity_broadcast.last_sent = Some(now);
                }
                self.persist_snapshot();
            }
            TabMessage::SignedOut {
                reason,
                session_started_at,
            } => {
                // A late message about a session this tab has since replaced
                // (the user signed in again meanwhile) ends nothing.
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.started_at > session_started_at)
                {
                    return;
                }
                self.sign_out(reason.as_seen_from_another_tab(), Origin::AnotherTab)
            }
        }
    }

    fn start_session(
        &mut self,
        tokens: TokenSet,
        started_at: Millis,
        offset: ClockOffset,
        last_activity: Millis,
    ) {
        self.session = Some(Session {
            tokens,
            started_at,
            offset,
            refresh: Refresh::Scheduled,
            reauth: None,
            last_activity,
            activity_broadcast: ActivityBroadcast::default(),
        });
    }

    /// A verified stored session at page load. A restore never replaces a
    /// live session (another tab may have offered one meanwhile).
    fn restore(&mut self, claim: CheckedClaim, now: Millis) {
        self.restoring_until = None;
        if self.session.is_some() {
            return;
        }
        let Some(believed) = claim.snapshot.believe(&claim.verified, now) else {
            self.restore_failed(true);
            return;
        };
        self.start_session(
            believed.tokens,
            believed.session_started_at,
            believed.clock_offset,
            believed.last_activity,
        );
        // What ended the session while the page was closed comes first, with
        // its own reason (idle, session ended) ...
        self.advance_where(now, Due::ends_session);
        // ... then whether there is enough session left to start work in.
        let Some(s) = &self.session else { return };
        if s.reauth.is_some() {
            return;
        }
        if let Some(min) = self.policy.min_remaining_at_load
            && now.until(self.hard_end(s)) < min
        {
            self.sign_out(SignOutReason::SessionEndingSoon, Origin::ThisTab);
        }
    }

    /// A verified offer from an open tab. A signed-in tab takes it like a
    /// refresh broadcast (only if it supersedes what this tab holds, so a
    /// copy of storage made when the tab opened does not send it to the
    /// provider for a lifetime another tab already renewed). A page that has
    /// had no session yet starts from it as from storage; a page whose
    /// session ended does not, as it would not restore after a sign-out.
    fn session_offered(&mut self, claim: CheckedClaim, now: Millis) {
        // An offer that is not what was verified is dropped; unlike a stored
        // session, there is nothing here to clear.
        let Some(believed) = claim.snapshot.clone().believe(&claim.verified, now) else {
            return;
        };
        if self.session.is_some() {
            self.adopt(believed, now);
        } else if self.last_user.is_none() {
            self.restore(claim, now);
            self.persist_snapshot();
        }
    }

    /// The stored session was refused (cleared) or could not be checked
    /// (kept): the sign-in page says which.
    fn restore_failed(&mut self, refused: bool) {
        self.restoring_until = None;
        if self.session.is_some() {
            return;
        }
        self.last_sign_out = Some(if refused {
            self.command(Command::ClearTokens);
            SignOutReason::StoredSessionRefused
        } else {
            SignOutReason::StoredSessionUnchecked
        });
    }

    fn refresh_succeeded(&mut self, generation: Generation, tokens: TokenSet, now: Millis) {
        let Some(s) = &mut self.session else { return };
        let Refresh::InFlight {
            generation: g,
            sent_at,
            ..
        } = s.refresh
        else {
            return;
        };
        if g != generation {
            return;
        }
        s.offset = ClockOffset::estimate(Some(s.offset), tokens.issued_at, sent_at, now);
        // Cognito keeps auth_time on refresh, emulators reset it: the
        // earliest is the original sign-in, and only it bounds the session.
        s.started_at = s.started_at.min(tokens.auth_time);
        s.tokens = tokens.completed_from(&s.tokens);
        s.refresh = Refresh::Scheduled;
        let snapshot = s.snapshot();
        self.command(Command::PersistState(snapshot.clone()));
        self.command(Command::Broadcast(TabMessage::TokensRefreshed { snapshot }));
    }

    fn refresh_rejected(&mut self, now: Millis) {
        if !self.policy.watch_session_end {
            if let Some(s) = &mut self.session {
                s.refresh = Refresh::Refused;
            }
        } else if self.policy.reauth_in_place {
            self.require_reauth(now);
        } else {
            self.sign_out(SignOutReason::RefreshRejected, Origin::ThisTab);
        }
    }

    fn local_activity(&mut self, at: Millis, now: Millis) {
        let Some(s) = &self.session else { return };
        if at <= s.last_activity {
            return;
        }
        // Solution one: coming back after a break to a session about to end
        // would lose the work started now, so end it first.
        if let Some(min) = self.policy.min_remaining_on_return {
            let away = s.last_activity.until(at);
            if s.reauth.is_none()
                && away >= self.policy.return_idle_gap
                && now.until(self.hard_end(s)) < min
            {
                self.sign_out(SignOutReason::SessionEndingSoon, Origin::ThisTab);
                return;
            }
        }
        self.remote_activity(at);
        let interval = self.policy.effective_broadcast_interval();
        let Some(s) = &mut self.session else { return };
        let throttle = &mut s.activity_broadcast;
        match throttle.last_sent {
            Some(sent) if sent.until(at) < interval => throttle.pending = true,
            _ => {
                throttle.last_sent = Some(at);
                throttle.pending = false;
                self.command(Command::Broadcast(TabMessage::Activity { at }));
                self.persist_snapshot();
            }
        }
    }

    /// Records activity without telling anyone (it came from another tab, or
    /// the caller tells them).
    fn remote_activity(&mut self, at: Millis) {
        if let Some(s) = &mut self.session {
            s.last_activity = s.last_activity.max(at);
        }
    }

    fn persist_snapshot(&mut self) {
        if let Some(s) = &self.session {
            let snapshot = s.snapshot();
            self.command(Command::PersistState(snapshot));
        }
    }

    // --------------------------------------------------------------- deadlines

    /// Acts on every deadline at or before `now`: first those that end the
    /// session, then the rest, each in time order.
    fn advance(&mut self, now: Millis) {
        self.advance_where(now, Due::ends_session);
        self.advance_where(now, |_| true);
    }

    fn advance_where(&mut self, now: Millis, filter: impl Fn(Due) -> bool + Copy) {
        for _ in 0..MAX_ACTIONS_PER_STEP {
            let overdue = |next: Option<(Millis, Due)>| next.filter(|(at, _)| *at <= now);
            let next = overdue(self.next_due(|d| filter(d) && d.ends_session()))
                .or_else(|| overdue(self.next_due(filter)));
            match next {
                Some((_, due)) => self.fire(due, now),
                None => return,
            }
        }
        debug_assert!(false, "deadline loop did not settle");
    }

    /// The earliest pending deadline among those accepted by `filter`.
    fn next_due(&self, filter: impl Fn(Due) -> bool) -> Option<(Millis, Due)> {
        let restore = self
            .restoring_until
            .map(|at| (at, Due::RestoreUnanswered))
            .filter(|(_, d)| filter(*d));
        let Some(s) = self.session.as_ref() else {
            return restore;
        };
        let mut candidates: Vec<(Millis, Due)> = Vec::with_capacity(4);
        candidates.extend(restore);
        if s.refresh == Refresh::Refused {
            candidates.push((
                s.tokens.expires_at_local(s.offset),
                Due::RefusedTokensExpire,
            ));
        }
        if let Some(idle) = self.policy.idle_timeout {
            candidates.push((s.last_activity.plus(idle), Due::IdleTimeout));
        }
        if self.policy.watch_session_end && s.reauth.is_none() {
            candidates.push((self.hard_end(s), Due::SessionEnd));
        }
        match s.refresh {
            Refresh::Scheduled => {
                if let Some(at) = self.scheduled_refresh(s) {
                    candidates.push((at, Due::Refresh));
                }
            }
            Refresh::Backoff { retry_at, .. } => candidates.push((retry_at, Due::Retry)),
            Refresh::WaitingForOnline { recheck_at, .. } => {
                candidates.push((recheck_at, Due::Retry))
            }
            Refresh::InFlight { sent_at, .. } => candidates.push((
                sent_at.plus(self.settings.refresh_answer_limit),
                Due::RefreshUnanswered,
            )),
            Refresh::Refused => {}
        }
        if let ActivityBroadcast {
            last_sent: Some(sent),
            pending: true,
        } = s.activity_broadcast
        {
            candidates.push((
                sent.plus(self.policy.effective_broadcast_interval()),
                Due::ActivityBroadcast,
            ));
        }
        candidates.into_iter().filter(|(_, d)| filter(*d)).min()
    }

    fn fire(&mut self, due: Due, now: Millis) {
        match due {
            Due::RefusedTokensExpire => {
                self.sign_out(SignOutReason::RefreshRejected, Origin::ThisTab)
            }
            Due::IdleTimeout => self.sign_out(SignOutReason::Idle, Origin::ThisTab),
            Due::SessionEnd => {
                if self.policy.reauth_in_place {
                    self.require_reauth(now);
                } else {
                    self.sign_out(SignOutReason::SessionEnded, Origin::ThisTab);
                }
            }
            Due::Refresh => self.retry_now(0, now),
            Due::Retry => match self.session.as_ref().map(|s| s.refresh) {
                Some(Refresh::Backoff { failures, .. }) => self.retry_now(failures, now),
                // The offline flag is a hint: try the network anyway.
                Some(Refresh::WaitingForOnline { failures, .. }) => {
                    self.start_refresh(failures, now)
                }
                _ => {}
            },
            Due::RefreshUnanswered => {
                if let Some(generation) = self.refresh_in_flight() {
                    self.refresh_failed(generation, RefreshError::Network, Jitter::MID, now);
                }
            }
            Due::RestoreUnanswered => {
                if self.restoring_until.take().is_some() && self.session.is_none() {
                    self.last_sign_out = Some(SignOutReason::StoredSessionUnchecked);
                }
            }
            Due::ActivityBroadcast => {
                let Some(s) = &mut self.session else { return };
                s.activity_broadcast.pending = false;
                s.activity_broadcast.last_sent = Some(now);
                let at = s.last_activity;
                self.command(Command::Broadcast(TabMessage::Activity { at }));
                self.persist_snapshot();
            }
        }
    }

    /// Starts a refresh now if it can still help, else waits for the network
    /// or gives up before the hard end (where the session-end rule takes over).
    fn retry_now(&mut self, failures: u32, now: Millis) {
        if !self.online {
            let allowed = self
                .session
                .as_ref()
                .is_some_and(|s| self.refresh_allowed(s, now));
            let p = &self.policy;
            let delay = retry_delay(
                p.retry_backoff_base,
                p.retry_backoff_cap,
                failures,
                Jitter::MID,
            );
            if let Some(s) = &mut self.session {
                s.refresh = if allowed {
                    Refresh::WaitingForOnline {
                        failures,
                        recheck_at: now.plus(delay),
                    }
                } else {
                    Refresh::Scheduled
                };
            }
            return;
        }
        self.start_refresh(failures, now);
    }

    /// Asks the driver for the refresh lock (see [`Command::StartRefresh`]),
    /// whatever the browser's online flag says.
    fn start_refresh(&mut self, failures: u32, now: Millis) {
        let allowed = self
            .session
            .as_ref()
            .is_some_and(|s| self.refresh_allowed(s, now));
        let Some(s) = &mut self.session else { return };
        if !allowed {
            s.refresh = Refresh::Scheduled;
            return;
        }
        if s.tokens.refresh_token.is_none() {
            // Nothing to refresh with: as final as a refusal.
            self.refresh_rejected(now);
            return;
        }
        let generation = Generation(self.next_generation);
        self.next_generation += 1;
        s.refresh = Refresh::InFlight {
            generation,
            failures,
            sent_at: now,
        };
        self.command(Command::StartRefresh { generation });
    }

    /// When the tokens in hand should be refreshed: `lead` before they
    /// expire. `None` when a refresh then could not finish before the hard
    /// end (the provider would refuse it; the session-end rule takes over).
    fn scheduled_refresh(&self, s: &Session) -> Option<Millis> {
        let lead = self.policy.refresh_lead_for(s.tokens.lifetime());
        let at = s.tokens.expires_at_local(s.offset).minus(lead);
        // An overdue refresh would start now, not at `at`.
        self.refresh_allowed(s, at.max(self.now)).then_some(at)
    }

    fn refresh_allowed(&self, s: &Session, start: Millis) -> bool {
        !self.policy.watch_session_end
            || start.plus(self.settings.refresh_budget) < self.hard_end(s)
    }

    /// Original sign-in + refresh validity, moved onto the local clock.
    fn hard_end(&self, s: &Session) -> Millis {
        s.offset
            .to_local(s.started_at.plus(self.settings.refresh_token_validity))
    }

    // ----------------------------------------------------------------- endings

    fn require_reauth(&mut self, now: Millis) {
        let dirty = self.drafts_dirty && self.policy.save_drafts_before_sign_out;
        let Some(s) = &mut self.session else { return };
        if s.reauth.is_some() {
            return;
        }
        let deadline = s.tokens.expires_at_local(s.offset).max(now);
        s.reauth = Some(deadline);
        s.refresh = Refresh::Scheduled;
        if dirty {
            self.command(Command::FlushDrafts);
        }
        self.hide_warning();
        self.notify(SessionEvent::ReauthRequested { deadline });
    }

    fn sign_out(&mut self, reason: SignOutReason, origin: Origin) {
        let Some(session) = self.session.take() else {
            return;
        };
        self.last_user = Some(session.tokens.user.clone());
        if reason.deletes_drafts() {
            // Every tab of the user deletes (a tab may have autosaved since
            // the first one did) and none flushes its work back.
            self.command(Command::DeleteDrafts {
                sub: session.tokens.user.sub.clone(),
            });
        } else if self.drafts_dirty && self.policy.save_drafts_before_sign_out {
            self.command(Command::FlushDrafts);
        }
        // Abandoning a still-valid session: make sure it cannot be resumed
        // with a copied refresh token.
        let revoke = match origin {
            Origin::ThisTab => matches!(
                reason,
                SignOutReason::User
                    | SignOutReason::UserDeletedDrafts
                    | SignOutReason::Idle
                    | SignOutReason::SessionEndingSoon
            ),
            Origin::ReplacedByOtherUser => true,
            Origin::AnotherTab => false,
        };
        if let (true, Some(rt)) = (revoke, session.tokens.refresh_token) {
            self.command(Command::RevokeRefreshToken(rt));
        }
        // Storage now holds the other user's session: leave it.
        if origin != Origin::ReplacedByOtherUser {
            self.command(Command::ClearTokens);
        }
        if origin == Origin::ThisTab {
            // The tab that decided persists and announces the reason; the
            // others must not overwrite it with "signed out in another tab".
            self.command(Command::PersistSignOutReason(reason));
            self.command(Command::Broadcast(TabMessage::SignedOut {
                reason,
                session_started_at: session.started_at,
            }));
            self.command(Command::EndProviderSession);
        }
        self.hide_warning();
        self.last_sign_out = Some(reason);
        self.notify(SessionEvent::SignedOut(reason));
    }

    // ---------------------------------------------------------------- warnings

    /// The warning that should be on screen at `now`.
    fn desired_warning(&self, now: Millis) -> Option<Warning> {
        let s = self.session.as_ref()?;
        if s.reauth.is_some() {
            return None;
        }
        let idle = match (self.policy.idle_timeout, self.policy.idle_warning_lead) {
            (Some(timeout), Some(lead)) => {
                let deadline = s.last_activity.plus(timeout);
                (now >= deadline.minus(lead) && now < deadline).then_some(Warning {
                    kind: WarningKind::Idle,
                    deadline,
                    reminder: 0,
                })
            }
            _ => None,
        };
        let ending = if self.policy.watch_session_end {
            let end = self.hard_end(s);
            let crossed = self
                .policy
                .session_end_warning_leads
                .iter()
                .filter(|lead| now >= end.minus(**lead))
                .count();
            (crossed > 0 && now < end).then(|| Warning {
                kind: WarningKind::SessionEnding,
                deadline: end,
                reminder: u8::try_from(crossed - 1).unwrap_or(u8::MAX),
            })
        } else {
            None
        };
        match (idle, ending) {
            (Some(i), Some(e)) => Some(if i.deadline <= e.deadline { i } else { e }),
            (i, e) => i.or(e),
        }
    }

    /// The next instant after `now` at which the desired warning changes by
    /// itself (a warning lead is reached).
    fn next_warning_change(&self, now: Millis) -> Option<Millis> {
        if self.session.as_ref()?.reauth.is_some() {
            return None;
        }
        self.warning_times().into_iter().find(|t| *t > now)
    }

    fn sync_warning(&mut self, now: Millis) {
        let desired = self.desired_warning(now);
        if desired == self.warning {
            return;
        }
        match (self.warning, desired) {
            (None, Some(w)) => self.notify(SessionEvent::WarningShown(w)),
            (Some(_), Some(w)) => self.notify(SessionEvent::WarningChanged(w)),
            (Some(_), None) => self.notify(SessionEvent::WarningHidden),
            (None, None) => {}
        }
        self.warning = desired;
    }

    fn hide_warning(&mut self) {
        if self.warning.take().is_some() {
            self.notify(SessionEvent::WarningHidden);
        }
    }

    fn command(&mut self, command: Command) {
        self.commands.push_back(command);
    }

    fn notify(&mut self, event: SessionEvent) {
        self.events.push_back(event);
    }
}

impl Session {
    fn snapshot(&self) -> SessionSnapshot {
        SessionSnapshot {
            tokens: self.tokens.clone(),
            session_started_at: self.started_at,
            clock_offset: self.offset,
            last_activity: self.last_activity,
        }
    }
}
