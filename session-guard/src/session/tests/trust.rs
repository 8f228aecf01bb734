//! What comes from outside is a claim: tokens and times from storage or
//! another tab change the session only once verified, and then can only
//! shorten it. One test per rule.

use std::time::Duration;

use super::rules::{drain, events, fresh, machine, policy, signed_in, start_of};
use super::sim::{DAY, HOUR, MIN, SEC, Sim, at};
use crate::session::tokens::fixtures::tokens;
use crate::session::user::fixtures::user;
use crate::session::{
    CheckedClaim, ClockOffset, Command, Input, Millis, PolicyPreset, Secret, SessionEvent,
    SessionMachine, SessionPolicy, SessionSnapshot, SessionState, SignOutReason, TabMessage,
    TokenSet,
};

fn snapshot_of(tokens: TokenSet, started: Millis, last_activity: Millis) -> SessionSnapshot {
    SessionSnapshot {
        session_started_at: started,
        clock_offset: ClockOffset(0),
        last_activity,
        tokens,
    }
}

/// A claim whose tokens verify as `genuine`, with `edit` applied to what
/// storage or the message says.
fn claim(genuine: &TokenSet, edit: impl FnOnce(&mut SessionSnapshot)) -> CheckedClaim {
    let mut snapshot = snapshot_of(genuine.clone(), genuine.auth_time, genuine.issued_at);
    edit(&mut snapshot);
    CheckedClaim {
        snapshot,
        verified: genuine.clone(),
    }
}

/// Strict mode (idle sign-out, a day's minimum at load) with 30-day sessions.
const VALIDITY: Duration = Duration::from_secs(30 * 86_400);

fn restored(claim: CheckedClaim, now: Millis) -> SessionMachine {
    let mut m = machine(policy(PolicyPreset::Strict), VALIDITY);
    m.handle(
        Input::PageLoaded {
            stored_session: true,
        },
        now,
    );
    m.handle(Input::Restored { claim }, now);
    drain(&mut m);
    m
}

/// A protective-mode page that just loaded, with or without a stored session.
fn page_loaded(stored_session: bool, now: Millis) -> SessionMachine {
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    m.handle(Input::PageLoaded { stored_session }, now);
    m
}

fn refreshed_message(snapshot: SessionSnapshot) -> TabMessage {
    TabMessage::TokensRefreshed { snapshot }
}

// ------------------------------------------------------------ page load

#[test]
fn a_stored_session_start_moved_later_does_not_move_the_hard_end() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let forged = claim(&genuine, |s| {
        s.session_started_at = t0.plus(HOUR);
        s.tokens.auth_time = t0.plus(HOUR);
    });
    let m = restored(forged, t0.plus(10 * MIN));
    assert_eq!(m.session_end(), Some(t0.plus(VALIDITY)));
}

#[test]
fn stored_token_times_are_replaced_by_the_verified_claims() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let forged = claim(&genuine, |s| {
        s.tokens.expires_at = t0.plus(DAY);
        s.tokens.issued_at = t0.plus(10 * HOUR);
    });
    let m = restored(forged, t0.plus(10 * MIN));
    // Refresh before the verified expiry; never hand the tokens out after it.
    assert!(m.next_refresh_at().unwrap() < t0.plus(HOUR));
    assert!(m.usable_tokens(t0.plus(HOUR)).is_none());
}

#[test]
fn a_stored_last_activity_in_the_future_does_not_extend_the_idle_deadline() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let now = t0.plus(5 * MIN);
    let forged = claim(&genuine, |s| s.last_activity = t0.plus(10 * HOUR));
    let m = restored(forged, now);
    let idle = policy(PolicyPreset::Strict).idle_timeout.unwrap();
    assert_eq!(m.idle_deadline(), Some(now.plus(idle)));
}

#[test]
fn a_stored_clock_offset_cannot_place_the_tokens_in_the_providers_future() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let forged = claim(&genuine, |s| s.clock_offset = ClockOffset(-10 * 3_600_000));
    let now = t0.plus(10 * MIN);
    let m = restored(forged, now);
    // The token cannot have been issued after "now": the offset is at
    // least -10 min, and the hard end at most 10 min later than the truth.
    assert_eq!(m.clock_offset(), Some(ClockOffset(-10 * 60_000)));
    assert!(m.session_end().unwrap() <= t0.plus(VALIDITY).plus(10 * MIN));
}

#[test]
fn a_refused_stored_session_is_cleared_and_the_user_told_why() {
    let now = at(1, 9, 0);
    let mut m = page_loaded(true, now);
    assert!(m.is_restoring());
    m.handle(Input::RestoreFailed { refused: true }, now.plus(SEC));
    assert_eq!(drain(&mut m), vec![Command::ClearTokens]);
    assert!(!m.is_restoring());
    assert_eq!(m.state(), SessionState::SignedOut);
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::StoredSessionRefused)
    );
}

#[test]
fn a_stored_session_that_cannot_be_checked_now_is_kept_and_named() {
    let now = at(1, 9, 0);
    let mut m = page_loaded(true, now);
    m.handle(Input::RestoreFailed { refused: false }, now.plus(SEC));
    assert!(drain(&mut m).is_empty(), "kept for a later try");
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::StoredSessionUnchecked)
    );
}

#[test]
fn a_claim_whose_tokens_are_not_the_verified_ones_is_refused_at_load() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let swapped = claim(&genuine, |s| {
        s.tokens.id_token = Secret::new("other-id-token")
    });
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    m.handle(Input::Restored { claim: swapped }, t0);
    assert_eq!(m.state(), SessionState::SignedOut);
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::StoredSessionRefused)
    );
}

#[test]
fn restoring_has_a_deadline() {
    let now = at(1, 9, 0);
    let mut m = page_loaded(true, now);
    let limit = m.settings().refresh_answer_limit;
    assert_eq!(m.poll_timeout(), Some(now.plus(limit)));
    m.handle(Input::TimerFired, now.plus(limit));
    assert!(!m.is_restoring());
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::StoredSessionUnchecked)
    );
    // Nothing stored: not restoring at all.
    let m = page_loaded(false, now);
    assert!(!m.is_restoring());
    assert_eq!(m.poll_timeout(), None);
}

// ----------------------------------------------------------- other tabs

#[test]
fn tokens_from_another_tab_change_nothing_unless_verified() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let before = m.snapshot();
    let newer = fresh(t0.plus(MIN), HOUR, t0);
    for message in [
        refreshed_message(snapshot_of(newer.clone(), t0, t0)),
        TabMessage::SignedIn {
            snapshot: snapshot_of(newer.clone(), t0, t0),
        },
    ] {
        m.handle(Input::FromTab(message), t0.plus(2 * MIN));
        assert!(drain(&mut m).is_empty());
        assert_eq!(m.snapshot(), before);
    }
}

#[test]
fn tokens_from_another_tab_take_their_times_from_the_verified_claims() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let genuine = fresh(t0.plus(MIN), HOUR, t0);
    let mut forged = snapshot_of(genuine.clone(), t0.plus(5 * HOUR), t0);
    forged.tokens.expires_at = t0.plus(DAY);
    forged.tokens.auth_time = t0.plus(5 * HOUR);
    m.handle(
        Input::FromTabVerified {
            message: refreshed_message(forged),
            verified: genuine.clone(),
        },
        t0.plus(MIN),
    );
    assert_eq!(m.snapshot().unwrap().tokens.expires_at, genuine.expires_at);
    assert_eq!(m.session_end(), Some(t0.plus(DAY)));
}

#[test]
fn adopted_tokens_are_stored_in_this_tab_too() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let newer = fresh(t0.plus(MIN), HOUR, t0);
    m.handle(
        Input::FromTabVerified {
            message: refreshed_message(snapshot_of(newer.clone(), t0, t0)),
            verified: newer,
        },
        t0.plus(MIN),
    );
    let effects = drain(&mut m);
    assert!(
        matches!(effects.as_slice(), [Command::PersistState(_)]),
        "{effects:?}"
    );
}

#[test]
fn a_different_user_signing_in_elsewhere_signs_this_tab_out_keeping_its_work() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0.plus(MIN));
    drain(&mut m);
    let mut bob = tokens(t0.plus(2 * MIN), HOUR, t0.plus(2 * MIN));
    bob.user = user("bob");
    bob.id_token = Secret::new("bob-id");
    let message = TabMessage::SignedIn {
        snapshot: snapshot_of(bob.clone(), bob.auth_time, bob.issued_at),
    };
    m.handle(
        Input::FromTabVerified {
            message,
            verified: bob.clone(),
        },
        t0.plus(2 * MIN),
    );
    let effects = drain(&mut m);
    // Drafts flushed under the user signed in here, before anything else.
    assert_eq!(effects.first(), Some(&Command::FlushDrafts), "{effects:?}");
    // The abandoned session cannot be resumed with a copied refresh token.
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Command::RevokeRefreshToken(_))),
        "{effects:?}"
    );
    assert_eq!(
        events(&mut m),
        vec![SessionEvent::SignedOut(SignOutReason::OtherUserSignedIn)]
    );
    // The other user's session is not cleared or signed out everywhere.
    assert!(!effects.contains(&Command::ClearTokens), "{effects:?}");
    assert!(
        !effects.iter().any(|e| matches!(e, Command::Broadcast(_))),
        "{effects:?}"
    );
    assert!(
        matches!(effects.last(), Some(Command::PersistState(s)) if s.tokens.user == user("bob")),
        "{effects:?}"
    );
    assert_eq!(m.state(), SessionState::SignedOut);
    assert_eq!(m.user(), None);
}

#[test]
fn a_tab_signed_out_from_elsewhere_does_not_follow_another_persons_sign_in() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::DraftsChanged { dirty: true }, t0.plus(MIN));
    // Alice signs out in another tab: this tab follows, keeping her work ...
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::User,
            session_started_at: t0,
        }),
        t0.plus(MIN),
    );
    drain(&mut m);
    // ... then Bob signs in there: his session is not continued here, in
    // the tab whose kept work is Alice's; the sign-in page says why.
    let mut bob = tokens(t0.plus(2 * MIN), HOUR, t0.plus(2 * MIN));
    bob.user = user("bob");
    bob.id_token = Secret::new("bob-id");
    let message = TabMessage::SignedIn {
        snapshot: snapshot_of(bob.clone(), bob.auth_time, bob.issued_at),
    };
    m.handle(
        Input::FromTabVerified {
            message: message.clone(),
            verified: bob.clone(),
        },
        t0.plus(2 * MIN),
    );
    assert_eq!(m.state(), SessionState::SignedOut);
    assert_eq!(m.user(), None);
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::OtherUserSignedIn)
    );
    assert_eq!(m.last_user(), Some(&user("alice")));
    assert!(drain(&mut m).is_empty());
    // Alice signing in again elsewhere is followed as before.
    let alice = tokens(t0.plus(3 * MIN), HOUR, t0.plus(3 * MIN));
    m.handle(
        Input::FromTabVerified {
            message: TabMessage::SignedIn {
                snapshot: snapshot_of(alice.clone(), alice.auth_time, alice.issued_at),
            },
            verified: alice,
        },
        t0.plus(3 * MIN),
    );
    assert_eq!(m.user(), Some(&user("alice")));
}

#[test]
fn refreshed_tokens_of_a_different_user_are_another_sign_in() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let mut bob = fresh(t0.plus(MIN), HOUR, t0);
    bob.user = user("bob");
    m.handle(
        Input::FromTabVerified {
            message: refreshed_message(snapshot_of(bob.clone(), t0, t0)),
            verified: bob,
        },
        t0.plus(MIN),
    );
    assert_eq!(
        m.last_sign_out_reason(),
        Some(SignOutReason::OtherUserSignedIn)
    );
}

#[test]
fn reauthentication_in_place_is_only_for_the_same_user() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let mut bob = tokens(t0.plus(MIN), HOUR, t0.plus(MIN));
    bob.user = user("bob");
    assert!(!m.accepts_reauth_by(&bob));
    m.handle(Input::ReauthSucceeded { tokens: bob }, t0.plus(MIN));
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.user(), Some(&user("alice")));
    let alice = tokens(t0.plus(MIN), HOUR, t0.plus(MIN));
    assert!(m.accepts_reauth_by(&alice));
}

// ------------------------------------------------------ the refresh lock

#[test]
fn the_lock_holder_adopts_stored_tokens_that_supersede_its_own() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let generation = start_of(&drain(&mut m)).unwrap();
    let newer = fresh(t1, HOUR, t0);
    m.handle(
        Input::RefreshLockAcquired {
            generation,
            stored: Some(claim(&newer, |_| {})),
        },
        t1.plus(SEC),
    );
    let effects = drain(&mut m);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Command::SendRefresh { .. })),
        "{effects:?}"
    );
    assert_eq!(m.state(), SessionState::Active);
    assert_eq!(m.snapshot().unwrap().tokens.id_token, newer.id_token);
}

#[test]
fn the_lock_holder_refreshes_when_storage_has_nothing_newer() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let generation = start_of(&drain(&mut m)).unwrap();
    let same = m.snapshot().unwrap();
    m.handle(
        Input::RefreshLockAcquired {
            generation,
            stored: Some(claim(&same.tokens, |_| {})),
        },
        t1.plus(SEC),
    );
    assert!(matches!(
        drain(&mut m).as_slice(),
        [Command::SendRefresh { generation: g, .. }] if *g == generation
    ));
}

#[test]
fn a_refresh_waiting_for_the_lock_is_dropped_once_another_tabs_tokens_are_adopted() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    let generation = start_of(&drain(&mut m)).unwrap();
    let newer = fresh(t1, HOUR, t0);
    m.handle(
        Input::FromTabVerified {
            message: refreshed_message(snapshot_of(newer.clone(), t0, t0)),
            verified: newer,
        },
        t1.plus(SEC),
    );
    drain(&mut m);
    // This tab's storage (sessionStorage) still holds the old tokens.
    let old = tokens(t0, HOUR, t0);
    m.handle(
        Input::RefreshLockAcquired {
            generation,
            stored: Some(claim(&old, |_| {})),
        },
        t1.plus(2 * SEC),
    );
    assert!(drain(&mut m).is_empty());
}

#[test]
fn two_tabs_refreshing_in_the_same_second_settle_on_one_token_set() {
    let mut sim = Sim::with(
        SessionPolicy::from_preset(PolicyPreset::Protective),
        HOUR,
        DAY,
        2,
        at(1, 9, 0),
    );
    // No Web Locks: both tabs go to the provider at the same instant.
    sim.web_locks = false;
    sim.sign_in(0);
    sim.run_until(at(1, 9, 59));
    let first = sim.provider.refreshes[0];
    assert!(
        sim.provider.refreshes.len() >= 2 && sim.provider.refreshes[1].0 / 1000 == first.0 / 1000,
        "{:?}",
        sim.provider.refreshes
    );
    let ids: Vec<_> = (0..2)
        .map(|tab| sim.machine(tab).snapshot().unwrap().tokens.id_token)
        .collect();
    assert_eq!(ids[0], ids[1]);
    for tab in 0..2 {
        assert_eq!(sim.machine(tab).state(), SessionState::Active);
    }
}

// ------------------------------------------------------------- the device

#[test]
fn a_heartbeat_later_than_the_wake_gap_is_a_wake() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::Heartbeat, t0.plus(5 * SEC));
    m.handle(Input::Heartbeat, t0.plus(10 * SEC));
    assert_eq!(m.last_wake(), None);
    let late = t0
        .plus(10 * SEC)
        .plus(crate::session::time::WAKE_GAP)
        .plus(SEC);
    m.handle(Input::Heartbeat, late);
    assert_eq!(m.last_wake(), Some(late));
}

#[test]
fn the_offline_flag_is_a_hint_and_the_network_is_tried_again() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::Offline, t0);
    let t1 = t0.plus(55 * MIN);
    m.handle(Input::TimerFired, t1);
    assert!(start_of(&drain(&mut m)).is_none());
    assert_eq!(m.state(), SessionState::OfflineRetrying);
    // No `online` event ever comes: the recheck still tries.
    let recheck = m.poll_timeout().expect("a recheck is planned");
    assert!(recheck.until(t1) <= Duration::ZERO && t1.until(recheck) <= 5 * MIN);
    m.handle(Input::TimerFired, recheck);
    assert!(start_of(&drain(&mut m)).is_some());
}

#[test]
fn a_late_sign_out_message_about_an_older_session_ends_nothing() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0.plus(HOUR), HOUR);
    // Another tab's idle sign-out of the session that started at 9:00
    // arrives after this tab signed in anew at 10:00.
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::Idle,
            session_started_at: t0,
        }),
        t0.plus(HOUR),
    );
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.state(), SessionState::Active);
    // The same message about this session does end it.
    m.handle(
        Input::FromTab(TabMessage::SignedOut {
            reason: SignOutReason::Idle,
            session_started_at: t0.plus(HOUR),
        }),
        t0.plus(HOUR),
    );
    assert_eq!(m.state(), SessionState::SignedOut);
}

// ------------------------------------------- sessions offered by open tabs

fn offered(m: &mut SessionMachine, claim: CheckedClaim, now: Millis) {
    m.handle(Input::SessionOffered { claim }, now);
}

#[test]
fn a_signed_in_tab_takes_an_offered_session_only_if_it_supersedes_its_own() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    let own = m.snapshot().unwrap();
    let older = tokens(t0.minus(HOUR), HOUR, t0.minus(HOUR));
    offered(&mut m, claim(&older, |_| {}), t0.plus(MIN));
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.snapshot(), Some(own));

    let newer = fresh(t0.plus(MIN), HOUR, t0);
    offered(&mut m, claim(&newer, |_| {}), t0.plus(2 * MIN));
    assert!(
        matches!(drain(&mut m).as_slice(), [Command::PersistState(s)] if s.tokens.id_token == newer.id_token)
    );
}

#[test]
fn a_tab_opened_with_a_stale_copy_of_storage_takes_the_renewed_session_instead_of_refreshing() {
    // The new tab's storage is a copy made when it opened, holding tokens
    // another tab has renewed since; they are near expiry, so it starts a
    // refresh at once.
    let t0 = at(1, 9, 0);
    let stale = tokens(t0, 10 * MIN, t0);
    let now = t0.plus(9 * MIN + 50 * SEC);
    let mut m = machine(policy(PolicyPreset::Protective), DAY);
    m.handle(
        Input::PageLoaded {
            stored_session: true,
        },
        now,
    );
    m.handle(
        Input::Restored {
            claim: claim(&stale, |_| {}),
        },
        now,
    );
    m.handle(Input::RefreshRequested, now);
    let generation = start_of(&drain(&mut m)).expect("a refresh starts");
    // The open tab's answer arrives while the refresh waits for the lock.
    let renewed = fresh(t0.plus(9 * MIN), 10 * MIN, t0);
    offered(&mut m, claim(&renewed, |_| {}), now.plus(SEC));
    drain(&mut m);
    // Under the lock, this tab's own storage is read as it was at opening.
    m.handle(
        Input::RefreshLockAcquired {
            generation,
            stored: Some(claim(&stale, |_| {})),
        },
        now.plus(2 * SEC),
    );
    assert!(drain(&mut m).is_empty(), "nothing is sent to the provider");
    assert_eq!(m.snapshot().unwrap().tokens.id_token, renewed.id_token);
    assert_eq!(m.state(), SessionState::Active);
}

#[test]
fn a_page_with_no_session_yet_starts_from_an_offer_and_stores_it() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let mut m = page_loaded(false, t0.plus(MIN));
    offered(&mut m, claim(&genuine, |_| {}), t0.plus(MIN));
    assert_eq!(m.user(), Some(&user("alice")));
    assert!(
        drain(&mut m).iter().any(
            |c| matches!(c, Command::PersistState(s) if s.tokens.id_token == genuine.id_token)
        )
    );
}

#[test]
fn a_page_whose_session_ended_does_not_start_again_from_an_offer() {
    let t0 = at(1, 9, 0);
    let mut m = signed_in(PolicyPreset::Protective, t0, HOUR);
    m.handle(Input::SignOutRequested, t0.plus(MIN));
    drain(&mut m);
    let genuine = fresh(t0.plus(2 * MIN), HOUR, t0);
    offered(&mut m, claim(&genuine, |_| {}), t0.plus(2 * MIN));
    assert_eq!(m.state(), SessionState::SignedOut);
    assert!(drain(&mut m).is_empty());
}

#[test]
fn an_offer_whose_tokens_are_not_the_verified_ones_changes_nothing_and_clears_nothing() {
    let t0 = at(1, 9, 0);
    let genuine = tokens(t0, HOUR, t0);
    let mut m = page_loaded(false, t0.plus(MIN));
    let forged = claim(&genuine, |s| s.tokens.id_token = Secret::new("forged"));
    offered(&mut m, forged, t0.plus(MIN));
    assert_eq!(m.state(), SessionState::SignedOut);
    assert!(drain(&mut m).is_empty());
}
