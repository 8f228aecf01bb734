//! Several tabs are one session.

use super::sim::{DAY, HOUR, MIN, SEC, Sim, at};
use crate::session::{
    Command, Input, PolicyPreset, SessionEvent, SessionPolicy, SessionState, SignOutReason,
    TabMessage, WarningKind,
};

fn three_tabs(preset: PolicyPreset) -> Sim {
    let mut sim = Sim::with(
        SessionPolicy::from_preset(preset),
        HOUR,
        30 * DAY,
        3,
        at(1, 9, 0),
    );
    sim.sign_in(0);
    sim.run_until(at(1, 9, 0));
    sim
}

#[test]
fn signing_in_in_one_tab_signs_in_all() {
    let sim = three_tabs(PolicyPreset::Protective);
    for tab in 0..3 {
        assert_eq!(sim.machine(tab).state(), SessionState::Active, "tab {tab}");
        assert!(sim.machine(tab).usable_tokens(sim.now).is_some());
    }
}

#[test]
fn three_tabs_refresh_exactly_once_per_token_lifetime() {
    let mut sim = three_tabs(PolicyPreset::Protective);
    // Ten lifetimes, the user working in tab 0, checking every minute that
    // every tab has tokens it can send.
    let mut t = at(1, 9, 0);
    while t < at(1, 19, 0) {
        sim.run_until(t);
        if t.0 % (10 * 60_000) == 0 {
            sim.keystroke(0);
        }
        for tab in 0..3 {
            assert!(
                sim.machine(tab).usable_tokens(sim.now).is_some(),
                "tab {tab} without tokens at {t:?}"
            );
        }
        t = t.plus(MIN);
    }
    // One refresh per lifetime (every 55 minutes: 5 minutes early), for all
    // three tabs together.
    let refreshes = &sim.provider.refreshes;
    assert_eq!(refreshes.len(), 10, "{refreshes:?}");
    for pair in refreshes.windows(2) {
        let gap = pair[0].until(pair[1]);
        assert!(gap >= 55 * MIN && gap < 55 * MIN + 2 * SEC, "{gap:?}");
    }
    // Every tab asked, the lock let one through, the others adopted its tokens.
    for tab in 0..3 {
        let asked = sim
            .commands_of(tab, |e| matches!(e, Command::StartRefresh { .. }))
            .len();
        assert_eq!(asked, 10, "tab {tab}");
        assert_eq!(
            sim.machine(tab).snapshot().unwrap().tokens,
            sim.storage.snapshot.as_ref().unwrap().tokens
        );
    }
}

#[test]
fn activity_in_one_tab_keeps_the_others_from_idling() {
    let mut sim = three_tabs(PolicyPreset::Strict);
    // Two hours of typing in tab 0 only, a keystroke every 5 seconds.
    let last = at(1, 11, 0);
    sim.type_between(0, at(1, 9, 0), last, 5 * SEC);
    sim.run_until(last.plus(14 * MIN));
    assert!(sim.sign_outs().is_empty(), "{:?}", sim.sign_outs());
    for tab in 1..3 {
        let warnings = sim.events_of(tab, |e| matches!(e, SessionEvent::WarningShown(_)));
        assert_eq!(
            warnings.len(),
            1,
            "only the final idle warning, tab {tab}: {warnings:?}"
        );
        assert_eq!(warnings[0].0, last.plus(13 * MIN));
    }
    // Then everyone is idle at the same instant, 15 minutes after the last keystroke.
    sim.run_until(last.plus(16 * MIN));
    let outs = sim.sign_outs();
    assert_eq!(outs.len(), 3, "{outs:?}");
    for (when, _, reason) in outs {
        assert_eq!((when, reason), (last.plus(15 * MIN), SignOutReason::Idle));
    }
}

#[test]
fn activity_broadcasts_are_throttled_with_a_trailing_edge() {
    let mut sim = three_tabs(PolicyPreset::Strict);
    sim.type_between(0, at(1, 9, 0), at(1, 9, 10), SEC);
    sim.run_until(at(1, 9, 11));
    let sent: Vec<_> = sim
        .commands_of(0, |e| {
            matches!(e, Command::Broadcast(TabMessage::Activity { .. }))
        })
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    // 601 keystrokes in ten minutes, at most one broadcast per 15 s.
    assert!(sent.len() <= 10 * 4 + 1, "{}", sent.len());
    for pair in sent.windows(2) {
        assert!(pair[0].until(pair[1]) >= 15 * SEC);
    }
    // The trailing broadcast carried the very last keystroke to the others.
    for tab in 1..3 {
        assert_eq!(
            sim.machine(tab).last_activity(),
            Some(at(1, 9, 10)),
            "tab {tab}"
        );
    }
}

#[test]
fn sign_out_in_one_tab_reaches_all() {
    let mut sim = three_tabs(PolicyPreset::Protective);
    sim.keystroke(0);
    sim.keystroke(2);
    sim.run_until(at(1, 9, 30));
    sim.input(1, Input::SignOutRequested);
    sim.run_until(at(1, 9, 31));

    let mut outs: Vec<_> = sim
        .sign_outs()
        .into_iter()
        .map(|(t, tab, r)| (tab, t, r))
        .collect();
    outs.sort_by_key(|(tab, _, _)| *tab);
    assert_eq!(
        outs,
        vec![
            (0, at(1, 9, 30), SignOutReason::SignedOutInAnotherTab),
            (1, at(1, 9, 30), SignOutReason::User),
            (2, at(1, 9, 30), SignOutReason::SignedOutInAnotherTab),
        ]
    );
    // The deciding tab's reason is what the sign-in page shows.
    assert_eq!(sim.storage.reason, Some(SignOutReason::User));
    assert_eq!(sim.storage.snapshot, None);
    assert_eq!(sim.provider.revocations, 1);
    // Tabs 0 and 2 had unsaved work; it was flushed, not lost.
    assert!(sim.lost_work().is_empty());
    assert!(sim.tabs[0].flushes >= 1 && sim.tabs[2].flushes >= 1);
    for tab in 0..3 {
        assert_eq!(sim.machine(tab).state(), SessionState::SignedOut);
        assert!(sim.machine(tab).usable_tokens(sim.now).is_none());
    }
}

#[test]
fn stay_signed_in_in_one_tab_extends_all() {
    let mut sim = three_tabs(PolicyPreset::Strict);
    sim.run_until(at(1, 9, 13));
    for tab in 0..3 {
        assert_eq!(
            sim.machine(tab).state(),
            SessionState::Warning(WarningKind::Idle),
            "tab {tab}"
        );
    }
    sim.run_until(at(1, 9, 14));
    sim.input(2, Input::StaySignedIn);
    sim.run_until(at(1, 9, 14));
    for tab in 0..3 {
        assert_eq!(sim.machine(tab).current_warning(), None, "tab {tab}");
        assert_eq!(
            sim.machine(tab).idle_deadline(),
            Some(at(1, 9, 29)),
            "tab {tab}"
        );
        assert!(
            sim.events_of(tab, |e| *e == SessionEvent::WarningHidden)
                .len()
                == 1,
            "tab {tab}"
        );
    }
    sim.run_until(at(1, 9, 28));
    assert!(sim.sign_outs().is_empty());
    sim.run_until(at(1, 9, 29));
    assert_eq!(sim.sign_outs().len(), 3);
}

#[test]
fn reauth_in_one_tab_starts_the_new_session_in_all() {
    let mut sim = Sim::with(
        SessionPolicy::from_preset(PolicyPreset::Protective),
        HOUR,
        DAY,
        3,
        at(1, 9, 0),
    );
    sim.user.reauth_after = None;
    sim.sign_in(0);
    sim.run_until(at(2, 9, 1));
    for tab in 0..3 {
        assert_eq!(
            sim.machine(tab).state(),
            SessionState::ReauthRequired,
            "tab {tab}"
        );
    }
    let tokens = sim.provider.sign_in(sim.provider_now());
    sim.input(1, Input::ReauthSucceeded { tokens });
    sim.run_until(at(2, 9, 1));
    for tab in 0..3 {
        assert_eq!(sim.machine(tab).state(), SessionState::Active, "tab {tab}");
        assert_eq!(
            sim.machine(tab).session_end(),
            Some(at(3, 9, 1)),
            "tab {tab}"
        );
    }
    assert!(sim.sign_outs().is_empty());
}

#[test]
fn signing_out_and_deleting_drafts_deletes_them_in_every_tab_and_flushes_none() {
    let mut sim = three_tabs(PolicyPreset::Protective);
    sim.keystroke(0);
    sim.keystroke(2);
    sim.run_until(at(1, 9, 30));
    let flushes_before: Vec<usize> = sim.tabs.iter().map(|t| t.flushes).collect();
    sim.input(1, Input::SignOutDeletingDrafts);
    sim.run_until(at(1, 9, 31));

    let mut outs: Vec<_> = sim
        .sign_outs()
        .into_iter()
        .map(|(t, tab, r)| (tab, t, r))
        .collect();
    outs.sort_by_key(|(tab, _, _)| *tab);
    assert_eq!(
        outs,
        vec![
            (0, at(1, 9, 30), SignOutReason::UserDeletedDrafts),
            (1, at(1, 9, 30), SignOutReason::UserDeletedDrafts),
            (2, at(1, 9, 30), SignOutReason::UserDeletedDrafts),
        ],
        "every tab says the drafts were deleted"
    );
    let flushes_after: Vec<usize> = sim.tabs.iter().map(|t| t.flushes).collect();
    assert_eq!(flushes_after, flushes_before, "no tab writes its work back");
    assert!(sim.tabs.iter().all(|t| t.drafts_deleted == 1));
    assert!(sim.lost_work().is_empty(), "discarded on request, not lost");
    assert_eq!(sim.storage.reason, Some(SignOutReason::UserDeletedDrafts));
    assert_eq!(sim.storage.snapshot, None);
    assert_eq!(sim.provider.revocations, 1);
}
