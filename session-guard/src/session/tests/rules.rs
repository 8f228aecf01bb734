//! One group of tests per session rule: refresh (1), the hard end (2), clock
//! skew (3), idle and warnings, several tabs, the network.

use std::time::Duration;

use super::sim::{DAY, HOUR, MIN, SEC, Sim, at};
use crate::session::time::MAX_TIMER_DELAY;
use crate::session::tokens::fixtures::tokens;
use crate::session::{
    CheckedClaim, ClockOffset, Command, Generation, Input, Jitter, Millis, PolicyOverrides,
    PolicyPreset, RefreshError, SessionEvent, SessionMachine, SessionPolicy, SessionSettings,
    SessionSnapshot, SessionState, SignOutReason, TabMessage, TokenSet,
};

pub(super) fn policy(preset: PolicyPreset) -> SessionPolicy {
    SessionPolicy::from_preset(preset)
}

pub(super) fn machine(policy: SessionPolicy, validity: Duration) -> SessionMachine {
    SessionMachine::new(policy, SessionSettings::new(validity))
}

/// The commands the machine put out since the last drain.
pub(super) fn drain(m: &mut SessionMachine) -> Vec<Command> {
    std::iter::from_fn(|| m.poll_command()).collect()
}

/// The events the machine put out since the last call.
pub(super) fn events(m: &mut SessionMachine) -> Vec<SessionEvent> {
    std::iter::from_fn(|| m.poll_event()).collect()
}

pub(super) fn start_of(effects: &[Command]) -> Option<Generation> {
    effects.iter().find_map(|e| match e {
        Command::StartRefresh { generation, .. } => Some(*generation),
        _ => None,
    })
}

pub(super) fn signed_in(preset: PolicyPreset, now: Millis, lifetime: Duration) -> SessionMachine {
    let mut m = machine(policy(preset), DAY);
    m.handle(
        Input::SignedIn {
            tokens: tokens(now, lifetime, now),
        },
        now,
    );
    drain(&mut m);
    m
}

pub(super) fn fresh(now: Millis, lifetime: Duration, auth: Millis) -> TokenSet {
    let mut t = tokens(now, lifetime, auth);
    t.refresh_token = None;
    t
}

// ------------------------------------------------------------------ rule 1

#[test]
fn rule1_a_requested_refresh_starts_once_now() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::RefreshRequested, t0.plus(10 * MIN));
    let g = start_of(&drain(&mut m)).expect("a 401 starts a refresh at once");
    assert_eq!(m.refresh_in_flight(), Some(g));
    // A second 401 while that refresh runs does not start another.
    m.handle(Input::RefreshRequested, t0.plus(10 * MIN + SEC));
    assert_eq!(start_of(&drain(&mut m)), None);
    // Signed out: nothing to refresh.
    let mut out = machine(policy(PolicyPreset::Protective), DAY);
    out.handle(Input::RefreshRequested, t0);
    assert!(drain(&mut out).is_empty());
}

#[test]
fn rule1_refreshes_at_the_auto_lead_before_expiry() {
    let t0 = at(1, 9, 0);
    let m = signed_in(PolicyPreset::Protective, t0, HOUR);
    assert_eq!(m.next_refresh_at(), Some(t0.plus(55 * MIN)));
    let m = signed_in(PolicyPreset::Protective, t0, 10 * SEC);
    assert_eq!(m.next_refresh_at(), Some(t0.plus(8 * SEC)));
}

#[test]
fn rule1_configured_lead_is_used() {
    let t0 = at(1, 9, 0);
    let p = policy(PolicyPreset::Strict)
        .with_overrides(&PolicyOverrides {
            refresh_lead: Some(Some(10 * MIN)),
            ..Default::default()
        })
        .unwrap();
    let mut m = machine(p, DAY);
    m.handle(
        Input::SignedIn {
            tokens: tokens(t0, HOUR, t0),
        },
        t0,
    );
    assert_eq!(m.next_refresh_at(), Some(t0.plus(50 * MIN)));
}

#[test]
fn rule1_ten_second_emulator_tokens_refresh_two_seconds_early_and_never_loop() {
    let mut sim = Sim::with(
        policy(PolicyPreset::Protective),
        10 * SEC,
        HOUR,
        1,
        at(1, 9, 0),
    );
    sim.sign_in(0);
    sim.run_until(at(1, 9, 2));
    // 120 s of 10-s tokens refreshed 2 s early: one refresh about every 8 s.
    let n = sim.provider.refreshes.len();
    assert!((14..=15).contains(&n), "{n} refreshes");
    for pair in sim.provider.refreshes.windows(2) {
        let gap = pair[0].until(pair[1]);
        assert!(gap >= 7 * SEC && gap <= 9 * SEC, "{gap:?}");
    }
}

#[test]
fn rule1_tokens_are_handed_out_only_with_the_validity_a_request_needs() {
    let t0 = at(1, 9, 0);
    let m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(59 * MIN);
    assert!(m.tokens_usable_for(t1, 30 * SEC).is_some());
    assert!(m.tokens_usable_for(t1, 2 * MIN).is_none());
    assert!(
        m.usable_tokens(t1).is_some(),
        "still usable, just not for that long"
    );
}

#[test]
fn rule1_only_one_refresh_in_flight_until_its_answer_is_overdue() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let g = start_of(&drain(&mut m)).expect("refresh started");
    assert_eq!(m.state(), SessionState::Refreshing);
    // No answer yet: nothing else starts a second refresh.
    for (i, input) in [
        Input::TimerFired,
        Input::Activity { at: t1.plus(SEC) },
        Input::WakeDetected,
        Input::PageVisible,
        Input::Online,
        Input::RefreshRequested,
    ]
    .into_iter()
    .enumerate()
    {
        m.handle(input, t1.plus((i as u32 + 1) * SEC));
        assert_eq!(start_of(&drain(&mut m)), None);
        assert_eq!(m.refresh_in_flight(), Some(g));
    }
}

#[test]
fn rule1_an_unanswered_refresh_counts_as_a_network_failure_at_its_deadline() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let g = start_of(&drain(&mut m)).expect("refresh started");
    let limit = m.settings().refresh_answer_limit;
    // The deadline is a wake-up: the tab is never stuck "Refreshing".
    assert_eq!(m.poll_timeout(), Some(t1.plus(limit)));
    m.handle(Input::TimerFired, t1.plus(limit));
    drain(&mut m);
    assert_eq!(m.refresh_in_flight(), None);
    assert_eq!(m.state(), SessionState::OfflineRetrying);
    // The late answer no longer matches; the retry starts a new generation.
    m.handle(
        Input::RefreshSucceeded {
            generation: g,
            tokens: fresh(t1, HOUR, t0),
        },
        t1.plus(limit).plus(SEC),
    );
    assert_eq!(m.state(), SessionState::OfflineRetrying);
    let retry_at = m.next_refresh_at().expect("a retry is planned");
    m.handle(Input::TimerFired, retry_at);
    let retry = start_of(&drain(&mut m)).expect("retried");
    assert_ne!(retry, g);
    // Expired tokens are never handed out meanwhile.
    assert!(m.usable_tokens(t0.plus(2 * HOUR)).is_none());
}

#[test]
fn rule1_answer_for_an_old_generation_is_ignored() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let g1 = start_of(&drain(&mut m)).unwrap();
    m.handle(
        Input::RefreshFailed {
            generation: g1,
            error: RefreshError::Network,
            jitter: Jitter::MIN,
        },
        t1.plus(SEC),
    );
    let retry_at = m.next_refresh_at().unwrap();
    m.handle(Input::TimerFired, retry_at);
    let g2 = start_of(&drain(&mut m)).unwrap();
    assert_ne!(g1, g2);
    // The first request's answer shows up late: ignored.
    let late = fresh(t1.plus(5 * SEC), HOUR, t1);
    m.handle(
        Input::RefreshSucceeded {
            generation: g1,
            tokens: late.clone(),
        },
        retry_at.plus(SEC),
    );
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.refresh_in_flight(), Some(g2));
    assert_ne!(m.snapshot().unwrap().tokens.issued_at, late.issued_at);
    // The current one is applied, persisted and shared.
    let current = fresh(retry_at.plus(SEC), HOUR, retry_at);
    m.handle(
        Input::RefreshSucceeded {
            generation: g2,
            tokens: current.clone(),
        },
        retry_at.plus(SEC),
    );
    let effects = drain(&mut m);
    assert!(matches!(effects[0], Command::PersistState(_)));
    assert!(matches!(
        effects[1],
        Command::Broadcast(TabMessage::TokensRefreshed { .. })
    ));
    assert_eq!(m.snapshot().unwrap().tokens.issued_at, current.issued_at);
    // The refresh answer had no refresh token: the old one is kept.
    assert!(m.snapshot().unwrap().tokens.refresh_token.is_some());
    assert_eq!(m.state(), SessionState::Active);
}

#[test]
fn rule1_another_tab_refreshing_cancels_the_need_here() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let g = start_of(&drain(&mut m)).unwrap();
    let snapshot = SessionSnapshot {
        tokens: fresh(t1, HOUR, t1),
        session_started_at: t0,
        clock_offset: ClockOffset(0),
        last_activity: t0,
    };
    let verified = snapshot.tokens.clone();
    m.handle(
        Input::FromTabVerified {
            message: TabMessage::TokensRefreshed { snapshot },
            verified,
        },
        t1.plus(SEC),
    );
    drain(&mut m);
    assert_eq!(m.refresh_in_flight(), None);
    assert_eq!(m.next_refresh_at(), Some(t1.plus(55 * MIN)));
    // Our own late answer no longer matches anything.
    m.handle(
        Input::RefreshSucceeded {
            generation: g,
            tokens: fresh(t1, HOUR, t1),
        },
        t1.plus(2 * SEC),
    );
    assert!(drain(&mut m).is_empty());
    // The session still counts from the original sign-in.
    assert_eq!(m.session_end(), Some(t0.plus(DAY)));
}

// ------------------------------------------------------------------ rule 2

#[test]
fn rule2_refresh_never_moves_the_session_end_even_when_auth_time_resets() {
    let mut sim = Sim::with(policy(PolicyPreset::Protective), HOUR, DAY, 1, at(1, 9, 0));
    sim.sign_in(0);
    let end = sim.machine(0).session_end().unwrap();
    assert_eq!(end, at(2, 9, 0));
    for h in 1..20 {
        sim.run_until(at(1, 9, 0).plus(h * HOUR));
        let got = sim.machine(0).session_end().unwrap();
        // Only by the measurement error of the clock offset (iat is whole
        // seconds, plus latency), never by the refresh itself.
        assert!(end.until(got) <= 2 * SEC, "session end moved to {got:?}");
    }
    // The emulator did reset auth_time in every refresh answer.
    assert!(sim.provider.refreshes.len() >= 18);
    assert!(sim.machine(0).snapshot().unwrap().tokens.auth_time > at(1, 9, 0));
    assert_eq!(
        sim.machine(0).snapshot().unwrap().session_started_at,
        at(1, 9, 0)
    );
}

#[test]
fn rule2_reauthentication_starts_a_new_session() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = at(1, 20, 0);
    m.handle(
        Input::ReauthSucceeded {
            tokens: tokens(t1, HOUR, t1),
        },
        t1,
    );
    assert_eq!(m.session_end(), Some(at(2, 20, 0)));
    let effects = drain(&mut m);
    let persisted = effects
        .iter()
        .position(|e| matches!(e, Command::PersistState(s) if s.session_started_at == t1));
    let told = effects
        .iter()
        .position(|e| matches!(e, Command::Broadcast(TabMessage::SignedIn { .. })));
    assert!(persisted.unwrap() < told.unwrap(), "{effects:?}");
}

#[test]
fn rule2_no_refresh_is_started_that_would_finish_after_the_hard_end() {
    // Hard end at 9:00 + 1 h 50 min 5 s; refreshes due at 9:55 and 10:50:
    // the second would have 5 s left, less than the 10 s budget.
    let validity = 110 * MIN + 5 * SEC;
    let p = policy(PolicyPreset::Strict)
        .with_overrides(&PolicyOverrides {
            idle_timeout: Some(None),
            idle_warning_lead: Some(None),
            min_remaining_at_load: Some(None),
            ..Default::default()
        })
        .unwrap();
    let mut sim = Sim::with(p, HOUR, validity, 1, at(1, 9, 0));
    sim.sign_in(0);
    sim.run_until(at(1, 11, 30));
    assert_eq!(sim.provider.refreshes.len(), 1);
    assert!(sim.provider.rejections.is_empty());
    let outs = sim.sign_outs();
    assert_eq!(outs.len(), 1);
    assert_eq!(outs[0].2, SignOutReason::SessionEnded);
    // At the hard end, give or take the clock-offset measurement error.
    let end = at(1, 10, 50).plus(5 * SEC);
    assert!(end.until(outs[0].0) < SEC && outs[0].0 >= end, "{outs:?}");
}

#[test]
fn rule2_hard_end_signs_out_when_reauth_in_place_is_off() {
    let mut sim = Sim::with(policy(PolicyPreset::SolutionOne), HOUR, DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(2, 9, 10), 5 * MIN);
    let outs = sim.sign_outs();
    // Working through the hard end without a break: solution one only checks
    // on return, so the hard end itself ends the session (drafts flushed).
    assert_eq!(outs[0].2, SignOutReason::SessionEnded);
    assert!(outs[0].0 >= at(2, 9, 0) && outs[0].0 < at(2, 9, 0).plus(SEC));
    assert!(sim.lost_work().is_empty());
}

// ------------------------------------------------------------------ rule 3

#[test]
fn rule3_offset_is_measured_from_iat_at_receipt() {
    // The local clock is an hour behind the provider.
    let local = at(1, 9, 0);
    let provider = local.plus(HOUR);
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    m.handle(
        Input::SignedIn {
            tokens: tokens(provider, HOUR, provider),
        },
        local,
    );
    assert_eq!(m.clock_offset(), Some(ClockOffset(3_600_000)));
    assert_eq!(m.next_refresh_at(), Some(local.plus(55 * MIN)));
    assert_eq!(m.session_end(), Some(local.plus(DAY)));
    assert!(m.usable_tokens(local.plus(57 * MIN)).is_some());
    assert!(m.usable_tokens(local.plus(HOUR)).is_none());
}

#[test]
fn rule3_restored_tokens_keep_the_offset_measured_at_receipt() {
    let local = at(1, 9, 0);
    let snapshot = SessionSnapshot {
        // Issued at provider 9:00 = local 8:00 (local clock an hour ahead? no:
        // behind by an hour means provider = local + 1 h). Received at local 8:00.
        tokens: tokens(local, HOUR, local),
        session_started_at: local,
        clock_offset: ClockOffset(3_600_000),
        last_activity: local.minus(HOUR),
    };
    // Reloaded 40 minutes after receipt: the token's iat is 40 minutes old,
    // which says nothing about the clock; the stored offset is kept.
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    let verified = snapshot.tokens.clone();
    let claim = CheckedClaim { snapshot, verified };
    m.handle(Input::Restored { claim }, local.minus(20 * MIN));
    assert_eq!(m.clock_offset(), Some(ClockOffset(3_600_000)));
    assert_eq!(m.next_refresh_at(), Some(local.minus(5 * MIN)));
}

#[test]
fn rule3_refresh_count_and_expiry_follow_the_provider_with_the_local_clock_an_hour_off() {
    for skew in [-3_600_000i64, 3_600_000] {
        let mut sim = Sim::with(
            policy(PolicyPreset::Protective),
            HOUR,
            30 * DAY,
            2,
            at(1, 9, 0),
        );
        sim.skew_ms = skew;
        sim.sign_in(0);
        // The sim asserts at every step that no tab hands out tokens expired
        // on the provider's clock; run ten lifetimes checking they exist.
        let mut t = at(1, 9, 0);
        while t < at(1, 19, 0) {
            sim.run_until(t);
            assert!(
                sim.machine(1).usable_tokens(t).is_some(),
                "skew {skew} at {t:?}"
            );
            t = t.plus(MIN);
        }
        assert_eq!(sim.provider.refreshes.len(), 10, "skew {skew}");
    }
}

// ------------------------------------------------------------------ rule 4

#[test]
fn rule4_network_failure_keeps_tokens_and_retries_with_capped_backoff() {
    let mut sim = Sim::with(policy(PolicyPreset::Protective), HOUR, DAY, 1, at(1, 9, 0));
    sim.set_jitters(vec![Jitter::MIN]);
    sim.sign_in(0);
    sim.provider.fail_next.extend([RefreshError::Network; 9]);
    sim.run_until(at(1, 10, 10));
    let r = &sim.provider.refreshes;
    assert_eq!(r.len(), 10, "{r:?}");
    let gaps: Vec<u64> = r.windows(2).map(|p| p[0].until(p[1]).as_secs()).collect();
    // Jitter 0 = half the exponential delay: 1, 2, 4, ... capped at 60 s.
    assert_eq!(gaps, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
    assert!(sim.sign_outs().is_empty());
    assert_eq!(sim.machine(0).state(), SessionState::Active);
}

#[test]
fn rule4_jitter_comes_from_the_caller() {
    let t0 = at(1, 9, 0);
    let retry_at = |jitter: Jitter| {
        let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
        m.handle(Input::TimerFired, t0.plus(55 * MIN));
        let g = start_of(&drain(&mut m)).unwrap();
        m.handle(
            Input::RefreshFailed {
                generation: g,
                error: RefreshError::Server,
                jitter,
            },
            t0.plus(55 * MIN),
        );
        assert_eq!(m.state(), SessionState::OfflineRetrying);
        assert!(m.usable_tokens(t0.plus(56 * MIN)).is_some(), "tokens kept");
        m.next_refresh_at().unwrap()
    };
    assert_eq!(retry_at(Jitter::MIN), t0.plus(55 * MIN + SEC));
    assert_eq!(retry_at(Jitter::MAX), t0.plus(55 * MIN + 2 * SEC));
    assert_eq!(
        retry_at(Jitter::from_fraction(0.5)),
        t0.plus(55 * MIN).plus(Duration::from_millis(1500))
    );
}

#[test]
fn rule4_offline_waits_for_online_then_refreshes_at_once() {
    let mut sim = Sim::with(policy(PolicyPreset::Protective), HOUR, DAY, 1, at(1, 9, 0));
    sim.sign_in(0);
    sim.run_until(at(1, 9, 50));
    sim.set_online(false);
    sim.run_until(at(1, 11, 0));
    // No refresh attempt reached the provider while offline, none was
    // scheduled, and the tab did not sign out.
    assert!(sim.provider.refreshes.is_empty());
    assert_eq!(sim.machine(0).state(), SessionState::OfflineRetrying);
    assert_eq!(
        sim.machine(0).poll_timeout().map(|t| t > at(1, 11, 0)),
        Some(true)
    );
    assert!(
        sim.machine(0).usable_tokens(sim.now).is_none(),
        "expired meanwhile"
    );
    sim.set_online(true);
    sim.run_for(SEC);
    assert_eq!(sim.provider.refreshes.len(), 1);
    assert_eq!(sim.machine(0).state(), SessionState::Active);
    assert!(sim.sign_outs().is_empty());
}

#[test]
fn rule4_definite_rejection_signs_out_or_asks_for_reauth() {
    for (preset, error) in [
        (PolicyPreset::Strict, RefreshError::NotAuthorized),
        (PolicyPreset::SolutionOne, RefreshError::RefreshTokenReuse),
    ] {
        let mut sim = Sim::with(policy(preset), HOUR, DAY, 1, at(1, 9, 0));
        sim.provider.fail_next.push_back(error);
        sim.type_between(0, at(1, 9, 0), at(1, 9, 56), MIN);
        assert_eq!(
            sim.sign_outs(),
            vec![(
                at(1, 9, 55).plus(sim.latency),
                0,
                SignOutReason::RefreshRejected
            )],
            "{preset}"
        );
        assert!(sim.lost_work().is_empty());
    }
    let mut sim = Sim::with(policy(PolicyPreset::Protective), HOUR, DAY, 1, at(1, 9, 0));
    sim.user.reauth_after = None;
    sim.provider
        .fail_next
        .push_back(RefreshError::NotAuthorized);
    sim.type_between(0, at(1, 9, 0), at(1, 9, 56), MIN);
    assert!(sim.sign_outs().is_empty());
    assert_eq!(sim.machine(0).state(), SessionState::ReauthRequired);
    assert_eq!(sim.machine(0).reauth_deadline(), Some(at(1, 10, 0)));
}

#[test]
fn rule4_network_failures_until_the_hard_end_sign_out_only_at_the_hard_end() {
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, DAY, 1, at(1, 9, 0));
    sim.input(0, Input::SignOutRequested); // no-op while signed out
    sim.sign_in(0);
    sim.provider
        .fail_next
        .extend(std::iter::repeat_n(RefreshError::Network, 10_000));
    // Keep the user active so idle does not interfere.
    sim.type_between(0, at(1, 9, 0), at(2, 9, 5), 10 * MIN);
    let outs = sim.sign_outs();
    assert_eq!(outs.len(), 1, "{outs:?}");
    assert_eq!(outs[0].2, SignOutReason::SessionEnded);
    assert_eq!(outs[0].0, at(2, 9, 0));
}

// ------------------------------------------------------------------ rule 5

#[test]
fn rule5_a_reload_cannot_reset_the_idle_clock() {
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, 30 * DAY, 1, at(1, 9, 0));
    sim.sign_in(0);
    sim.type_between(0, at(1, 9, 0), at(1, 9, 2), MIN);
    sim.run_until(at(1, 9, 12));
    sim.reload(0);
    assert_eq!(sim.machine(0).state(), SessionState::Active);
    assert_eq!(sim.machine(0).idle_deadline(), Some(at(1, 9, 17)));
    sim.run_until(at(1, 9, 18));
    assert_eq!(
        sim.sign_outs(),
        vec![(at(1, 9, 17), 0, SignOutReason::Idle)]
    );
}

#[test]
fn rule5_reload_after_the_idle_deadline_signs_out_as_idle() {
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, 30 * DAY, 1, at(1, 9, 0));
    sim.sign_in(0);
    sim.tabs[0].machine = SessionMachine::new(
        policy(PolicyPreset::Strict),
        sim.machine(0).settings().clone(),
    );
    // The page was closed at 9:00 and opened again at 10:00.
    sim.run_until(at(1, 10, 0));
    sim.reload(0);
    assert_eq!(
        sim.sign_outs(),
        vec![(at(1, 10, 0), 0, SignOutReason::Idle)]
    );
    assert!(
        sim.provider.refreshes.is_empty(),
        "no refresh for a session that is over"
    );
}

#[test]
fn rule5_time_asleep_counts_as_idle() {
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, 30 * DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(1, 9, 5), MIN);
    sim.run_until(at(1, 9, 6));
    sim.sleep_until(at(1, 9, 40));
    assert_eq!(
        sim.sign_outs(),
        vec![(at(1, 9, 40), 0, SignOutReason::Idle)]
    );
    // The warning that would have shown at 9:18 never flashes up after the fact.
    assert!(
        sim.events_of(0, |e| matches!(e, SessionEvent::WarningShown(_)))
            .is_empty()
    );
    assert!(sim.lost_work().is_empty());
}

// ------------------------------------------------------------------ rule 6

#[test]
fn rule6_strict_signs_out_at_page_load_when_less_than_a_day_is_left() {
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, 30 * DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(1, 9, 1), MIN);
    sim.reload(0);
    assert!(sim.sign_outs().is_empty(), "29 days left");
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(1, 9, 1), MIN);
    sim.reload(0);
    assert_eq!(
        sim.sign_outs(),
        vec![(at(1, 9, 1), 0, SignOutReason::SessionEndingSoon)]
    );
    assert_eq!(sim.storage.reason, Some(SignOutReason::SessionEndingSoon));
}

#[test]
fn rule6_solution_one_signs_out_at_page_load_when_less_than_an_hour_is_left() {
    let mut sim = Sim::with(policy(PolicyPreset::SolutionOne), HOUR, DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(2, 7, 59), 30 * MIN);
    sim.reload(0);
    assert!(sim.sign_outs().is_empty(), "61 minutes left");
    sim.run_until(at(2, 8, 1));
    sim.reload(0);
    assert_eq!(
        sim.sign_outs(),
        vec![(at(2, 8, 1), 0, SignOutReason::SessionEndingSoon)]
    );
}

#[test]
fn rule6_solution_one_only_checks_after_a_real_break() {
    let mut sim = Sim::with(policy(PolicyPreset::SolutionOne), HOUR, DAY, 1, at(1, 9, 0));
    // Continuous work (gaps of 9 min < the 10-min idle gap) into the last hour.
    sim.type_between(0, at(1, 9, 0), at(2, 8, 30), 9 * MIN);
    assert!(sim.sign_outs().is_empty());
    // A 10-minute break, then the next keystroke ends the session.
    let last = sim.tabs[0].keystrokes.last().unwrap().0;
    sim.run_until(last.plus(10 * MIN));
    sim.keystroke(0);
    assert_eq!(
        sim.sign_outs()[0],
        (last.plus(10 * MIN), 0, SignOutReason::SessionEndingSoon)
    );
}

#[test]
fn rule6_autosave_flushes_when_drafts_become_dirty_and_on_hide() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    assert_eq!(drain(&mut m), vec![Command::FlushDrafts]);
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    assert_eq!(drain(&mut m), vec![], "already asked");
    m.handle(Input::PageHidden, t0);
    assert_eq!(drain(&mut m), vec![Command::FlushDrafts]);
    let mut m = signed_in(PolicyPreset::Strict, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    m.handle(Input::PageHidden, t0);
    assert_eq!(drain(&mut m), vec![], "no autosave under strict");
}

#[test]
fn rule6_a_plain_sign_out_flushes_drafts_but_deleting_them_flushes_nothing() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    drain(&mut m);
    m.handle(Input::SignOutRequested, t0);
    let effects = drain(&mut m);
    assert!(effects.contains(&Command::FlushDrafts));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Command::DeleteDrafts { .. }))
    );

    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let sub = m.user().map(|u| u.sub.clone()).unwrap_or_default();
    assert!(!sub.is_empty());
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    drain(&mut m);
    m.handle(Input::SignOutDeletingDrafts, t0);
    let effects = drain(&mut m);
    assert!(!effects.contains(&Command::FlushDrafts), "{effects:?}");
    assert!(effects.contains(&Command::DeleteDrafts { sub }));
    assert!(effects.contains(&Command::PersistSignOutReason(
        SignOutReason::UserDeletedDrafts
    )));
    assert!(events(&mut m).contains(&SessionEvent::SignedOut(SignOutReason::UserDeletedDrafts)));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Command::RevokeRefreshToken(_)))
    );
    assert_eq!(m.state(), SessionState::SignedOut);
}

#[test]
fn rule6_overrides_reach_the_machine() {
    let p = policy(PolicyPreset::Strict)
        .with_overrides(&PolicyOverrides {
            idle_timeout: Some(Some(30 * SEC)),
            idle_warning_lead: Some(Some(10 * SEC)),
            ..Default::default()
        })
        .unwrap();
    let mut sim = Sim::with(p, 10 * SEC, HOUR, 1, at(1, 9, 0));
    sim.sign_in(0);
    sim.run_until(at(1, 9, 1));
    assert_eq!(
        sim.sign_outs(),
        vec![(at(1, 9, 0).plus(30 * SEC), 0, SignOutReason::Idle)]
    );
    let warned = sim.events_of(0, |e| matches!(e, SessionEvent::WarningShown(_)));
    assert_eq!(warned[0].0, at(1, 9, 0).plus(20 * SEC));
}

// ------------------------------------------------------------------ rule 7

#[test]
fn rule7_a_late_timer_acts_on_what_is_due_in_order_once_each() {
    // Strict, one-day session. Idle at 9:20, hard end 9:00 the next day,
    // refreshes due every 55 min: all overdue when the laptop wakes.
    let mut sim = Sim::with(policy(PolicyPreset::Strict), HOUR, DAY, 1, at(1, 9, 0));
    sim.type_between(0, at(1, 9, 0), at(1, 9, 5), MIN);
    sim.sleep_until(at(2, 12, 0));
    // Exactly one sign-out, for the earliest reason, and no refresh.
    assert_eq!(
        sim.sign_outs(),
        vec![(at(2, 12, 0), 0, SignOutReason::Idle)]
    );
    assert!(sim.provider.refreshes.is_empty());
}

#[test]
fn rule7_deadlines_are_absolute_not_intervals() {
    // A throttled tab gets its timers late, in bursts: the refresh still
    // happens once per lifetime at the right instants.
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::TimerFired, t0.plus(30 * MIN));
    assert_eq!(m.next_refresh_at(), Some(t0.plus(55 * MIN)));
    assert!(drain(&mut m).is_empty());
    // Fires 3 minutes late: refresh at once, only one.
    m.handle(Input::TimerFired, t0.plus(58 * MIN));
    let effects = drain(&mut m);
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Command::StartRefresh { .. }))
            .count(),
        1
    );
}

#[test]
fn rule7_no_wake_up_further_than_the_browser_timer_limit() {
    // 100-day tokens in a 10-year session: the next refresh is months away.
    let t0 = at(1, 9, 0);
    let mut m = machine(policy(PolicyPreset::Protective), 3650 * DAY);
    m.handle(
        Input::SignedIn {
            tokens: tokens(t0, 100 * DAY, t0),
        },
        t0,
    );
    drain(&mut m);
    assert_eq!(m.poll_timeout(), Some(t0.plus(MAX_TIMER_DELAY)));
    // Firing then does nothing but ask to be polled again.
    let t1 = t0.plus(MAX_TIMER_DELAY);
    m.handle(Input::TimerFired, t1);
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.poll_timeout(), Some(t1.plus(MAX_TIMER_DELAY)));
    // And eventually the refresh happens at its absolute instant.
    let due = t0.plus(100 * DAY).minus(5 * MIN);
    m.handle(Input::TimerFired, due);
    assert!(start_of(&drain(&mut m)).is_some());
}

// ------------------------------------------------------------------ rule 8

#[test]
fn rule8_every_sign_out_says_why_persists_it_and_flushes_first() {
    let t0 = at(1, 9, 0);
    type Trigger = fn(&mut SessionMachine, Millis);
    let cases: Vec<(PolicyPreset, SignOutReason, Trigger)> = vec![
        (PolicyPreset::Protective, SignOutReason::User, |m, t| {
            m.handle(Input::SignOutRequested, t)
        }),
        (PolicyPreset::Strict, SignOutReason::Idle, |m, t| {
            m.handle(Input::TimerFired, t.plus(15 * MIN))
        }),
        (
            PolicyPreset::SolutionOne,
            SignOutReason::SessionEndingSoon,
            |m, t| {
                m.handle(
                    Input::Activity {
                        at: t.plus(23 * HOUR + 30 * MIN),
                    },
                    t.plus(23 * HOUR + 30 * MIN),
                )
            },
        ),
        (
            PolicyPreset::SolutionOne,
            SignOutReason::SessionEnded,
            |m, t| {
                // Working without a break (5-minute gaps) right up to the end.
                for i in 1..288 {
                    let ti = t.plus(i * 5 * MIN);
                    m.handle(Input::Activity { at: ti }, ti);
                    assert!(
                        !std::iter::from_fn(|| m.poll_event())
                            .any(|e| matches!(e, SessionEvent::SignedOut(_)))
                    );
                }
                m.handle(Input::TimerFired, t.plus(DAY));
            },
        ),
        (
            PolicyPreset::SolutionOne,
            SignOutReason::RefreshRejected,
            |m, t| {
                let t1 = t.plus(55 * MIN);
                m.handle(Input::TimerFired, t1);
                let g = std::iter::from_fn(|| m.poll_command()).find_map(|e| match e {
                    Command::StartRefresh { generation, .. } => Some(generation),
                    _ => None,
                });
                m.handle(
                    Input::RefreshFailed {
                        generation: g.unwrap(),
                        error: RefreshError::NotAuthorized,
                        jitter: Jitter::MID,
                    },
                    t1,
                );
            },
        ),
    ];
    for (preset, reason, trigger) in cases {
        let mut m = signed_in(preset, t0, HOUR);
        m.handle(Input::DraftsChanged { dirty: true }, t0);
        drain(&mut m);
        events(&mut m);
        trigger(&mut m, t0);
        let effects = drain(&mut m);
        let pos = |want: &Command| effects.iter().position(|e| e == want);
        let flush = pos(&Command::FlushDrafts)
            .unwrap_or_else(|| panic!("{reason}: no flush in {effects:?}"));
        let persist = pos(&Command::PersistSignOutReason(reason)).expect("reason persisted");
        effects
            .iter()
            .find(|e| matches!(e, Command::Broadcast(TabMessage::SignedOut { reason: r, .. }) if *r == reason))
            .expect("other tabs told");
        assert!(flush < persist, "{reason}: {effects:?}");
        // The views hear of it after the driver performed all of that.
        assert!(
            events(&mut m).contains(&SessionEvent::SignedOut(reason)),
            "{reason}: signed out"
        );
        assert!(effects.contains(&Command::ClearTokens));
        assert_eq!(m.last_sign_out_reason(), Some(reason));
        assert_eq!(m.state(), SessionState::SignedOut);
        let revoked = effects
            .iter()
            .any(|e| matches!(e, Command::RevokeRefreshToken(_)));
        assert_eq!(
            revoked,
            matches!(
                reason,
                SignOutReason::User | SignOutReason::Idle | SignOutReason::SessionEndingSoon
            ),
            "{reason}"
        );
    }
}

#[test]
fn rule8_a_sign_out_from_another_tab_does_not_overwrite_the_reason() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::Idle,
            session_started_at: t0,
        }),
        t0,
    );
    assert_eq!(drain(&mut m), vec![Command::ClearTokens]);
    assert_eq!(
        events(&mut m),
        vec![SessionEvent::SignedOut(SignOutReason::Idle)]
    );
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::User,
            session_started_at: t0,
        }),
        t0,
    );
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::SignedOutInAnotherTab)
    );
}

#[test]
fn rule8_the_blind_baseline_does_not_flush() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Standard, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0);
    m.handle(Input::SignOutRequested, t0);
    let effects = drain(&mut m);
    assert!(!effects.contains(&Command::FlushDrafts), "{effects:?}");
    assert!(events(&mut m).contains(&SessionEvent::SignedOut(SignOutReason::User)));
}

// ------------------------------------------------------------------ rule 9

#[test]
fn rule9_token_values_never_appear_in_debug_output() {
    let t0 = at(1, 9, 0);
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    let t = tokens(t0, HOUR, t0);
    let secrets = [
        t.id_token.expose().to_owned(),
        t.access_token.expose().to_owned(),
        t.refresh_token.as_ref().unwrap().expose().to_owned(),
    ];
    m.handle(Input::SignedIn { tokens: t.clone() }, t0);
    m.handle(Input::TimerFired, t0.plus(55 * MIN));
    let printed = format!(
        "{m:?} {:?} {:?} {:?}",
        drain(&mut m),
        Input::SignedIn { tokens: t },
        m.snapshot()
    );
    assert!(printed.contains("redacted"));
    for s in secrets {
        assert!(!printed.contains(&s), "{s} leaked");
    }
}

#[test]
fn rule8_a_sign_out_this_tab_decides_ends_the_providers_session_too_and_one_heard_from_another_tab_does_not()
 {
    let t0 = at(1, 9, 0);
    for input in [Input::SignOutRequested, Input::SignOutDeletingDrafts] {
        let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
        m.handle(input, t0);
        let commands = drain(&mut m);
        assert_eq!(
            commands.last(),
            Some(&Command::EndProviderSession),
            "{commands:?}"
        );
    }
    // Idle: strict mode signs out on its own.
    let mut m = signed_in(PolicyPreset::Strict, t0, HOUR);
    m.handle(Input::TimerFired, t0.plus(HOUR));
    assert!(drain(&mut m).contains(&Command::EndProviderSession));
    assert_eq!(m.last_sign_out_reason(), Some(SignOutReason::Idle));
    // Another tab decided: it ends the provider session, not this one.
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::User,
            session_started_at: t0,
        }),
        t0,
    );
    assert!(!drain(&mut m).contains(&Command::EndProviderSession));
}
