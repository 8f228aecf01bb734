//! The article's example, exactly, under each preset.
//!
//! Access tokens last 60 minutes, the refresh token one day. The user signs
//! in at 9:00 and types a little, is back at 10:30 and works until noon, the
//! laptop sleeps overnight, and the next day the user is back at 8:30 and
//! types until 9:31. The session's hard end is 9:00 on day 2.

use super::sim::{DAY, HOUR, MIN, Output, Sim, at};
use crate::session::{
    Command, Millis, PolicyPreset, SessionEvent, SessionPolicy, SessionState, SignOutReason,
    Warning, WarningKind,
};

fn article(preset: PolicyPreset) -> Sim {
    let mut sim = Sim::with(
        SessionPolicy::from_preset(preset),
        HOUR,
        DAY,
        1,
        at(1, 9, 0),
    );
    sim.sign_in(0);
    sim.type_between(0, at(1, 9, 0), at(1, 9, 5), MIN);
    sim.type_between(0, at(1, 10, 30), at(1, 12, 0), 5 * MIN);
    sim.run_until(at(1, 18, 0));
    sim.sleep_until(at(2, 8, 30));
    sim.type_between(0, at(2, 8, 30), at(2, 9, 31), MIN);
    sim.run_until(at(2, 9, 45));
    sim
}

fn between(t: Millis, from: Millis, to: Millis) -> bool {
    from <= t && t < to
}

/// Deadlines carry the clock-offset measurement, which is late by up to the
/// simulated network latency (200 ms); "at 9:00" means within a second.
fn near(t: Millis, expected: Millis) -> bool {
    between(
        t,
        expected,
        expected.plus(std::time::Duration::from_secs(1)),
    )
}

/// The warnings shown or updated in tab 0, as (minute, kind, deadline minute, reminder).
fn warnings(sim: &Sim) -> Vec<(i64, WarningKind, i64, u8)> {
    sim.events_of(0, |e| {
        matches!(
            e,
            SessionEvent::WarningShown(_) | SessionEvent::WarningChanged(_)
        )
    })
    .into_iter()
    .map(|(t, e)| match e {
        SessionEvent::WarningShown(w) | SessionEvent::WarningChanged(w) => {
            (t.0 / 60_000, w.kind, w.deadline.0 / 60_000, w.reminder)
        }
        _ => unreachable!(),
    })
    .collect()
}

fn minute(t: Millis) -> i64 {
    t.0 / 60_000
}

#[test]
fn standard_signs_the_user_out_mid_work_at_9_30_with_the_work_at_risk() {
    let sim = article(PolicyPreset::Standard);

    // The refresh after the hard end (9:25, five minutes before the 8:30
    // tokens expire) is refused by the provider ...
    assert_eq!(sim.provider.rejections.len(), 1);
    assert!(between(
        sim.provider.rejections[0],
        at(2, 9, 25),
        at(2, 9, 26)
    ));

    // ... but the blind baseline works on with the tokens in hand and only
    // finds out when they expire at 9:30: signed out mid-work.
    let outs = sim.sign_outs();
    assert_eq!(outs.len(), 1, "{outs:?}");
    let (when, _, reason) = outs[0];
    assert_eq!(reason, SignOutReason::RefreshRejected);
    assert!(between(when, at(2, 9, 30), at(2, 9, 31)), "{when:?}");

    // Nothing flushed the drafts: the work typed since 8:30 is lost.
    assert_eq!(sim.lost_work(), vec![(0, when)]);
    assert!(
        sim.commands_of(0, |e| *e == Command::FlushDrafts)
            .is_empty()
    );
    // No warning ever told the user.
    assert!(
        sim.events_of(0, |e| matches!(e, SessionEvent::WarningShown(_)))
            .is_empty()
    );
    // The next keystroke finds the sign-in page.
    assert_eq!(sim.sign_ins.len(), 2);
    assert!(when <= sim.sign_ins[1] && sim.sign_ins[1] <= at(2, 9, 31));
}

#[test]
fn solution_one_ends_the_session_on_return_at_8_30_before_new_work_starts() {
    let sim = article(PolicyPreset::SolutionOne);

    // Back at 10:30 on day 1: 22.5 h left, plenty; nothing happens.
    // Back at 8:30 on day 2: only 30 minutes left, less than 60.
    let outs = sim.sign_outs();
    assert_eq!(
        outs,
        vec![(at(2, 8, 30), 0, SignOutReason::SessionEndingSoon)]
    );
    assert_eq!(sim.storage.reason, Some(SignOutReason::SessionEndingSoon));

    // Drafts were flushed before the sign-out; nothing lost.
    let flush_then_out: Vec<_> = sim
        .outputs_of(0, |e| {
            matches!(
                e,
                Output::Command(Command::FlushDrafts) | Output::Event(SessionEvent::SignedOut(_))
            )
        })
        .into_iter()
        .filter(|(t, _)| *t == at(2, 8, 30))
        .map(|(_, e)| e)
        .collect();
    assert_eq!(
        flush_then_out,
        vec![
            Output::Command(Command::FlushDrafts),
            Output::Event(SessionEvent::SignedOut(SignOutReason::SessionEndingSoon))
        ]
    );
    assert!(sim.lost_work().is_empty());

    // The user signs in at 8:31 and works until 9:31 in a fresh session
    // with tokens all along.
    assert_eq!(sim.sign_ins, vec![at(1, 9, 0), at(2, 8, 31)]);
    assert_eq!(sim.keystrokes_without_tokens(0), vec![at(2, 8, 30)]);
    assert_eq!(sim.machine(0).state(), SessionState::Active);
    assert!(near(sim.machine(0).session_end().unwrap(), at(3, 8, 31)));
}

#[test]
fn strict_signs_out_after_15_idle_minutes_with_a_warning_2_minutes_before() {
    let sim = article(PolicyPreset::Strict);

    let outs = sim.sign_outs();
    assert_eq!(
        outs,
        vec![
            (at(1, 9, 20), 0, SignOutReason::Idle),
            (at(1, 12, 15), 0, SignOutReason::Idle)
        ]
    );
    let idle = WarningKind::Idle;
    assert_eq!(
        warnings(&sim),
        vec![
            (minute(at(1, 9, 18)), idle, minute(at(1, 9, 20)), 0),
            (minute(at(1, 12, 13)), idle, minute(at(1, 12, 15)), 0),
            // After the last keystroke at 9:31 on day 2, the next warning.
            (minute(at(2, 9, 44)), idle, minute(at(2, 9, 46)), 0),
        ]
    );
    let first = sim.events_of(0, |e| matches!(e, SessionEvent::WarningShown(_)))[0].clone();
    assert_eq!(
        first,
        (
            at(1, 9, 18),
            SessionEvent::WarningShown(Warning {
                kind: idle,
                deadline: at(1, 9, 20),
                reminder: 0
            })
        )
    );
    assert!(sim.lost_work().is_empty());
    assert_eq!(
        SignOutReason::Idle.message(sim.machine(0).policy().idle_timeout),
        "You were signed out after 15 minutes without activity."
    );

    // Every return starts a fresh session; day 2 from 8:30 runs to 9:31
    // without interruption.
    assert_eq!(sim.sign_ins, vec![at(1, 9, 0), at(1, 10, 30), at(2, 8, 30)]);
    assert!(sim.keystrokes_without_tokens(0).is_empty());
    assert!(near(sim.machine(0).session_end().unwrap(), at(3, 8, 30)));
}

#[test]
fn protective_warns_then_asks_for_reauth_in_place_at_9_and_never_drops_the_work() {
    let sim = article(PolicyPreset::Protective);

    assert!(sim.sign_outs().is_empty(), "{:?}", sim.sign_outs());
    assert!(sim.lost_work().is_empty());
    // No refresh was wasted on the provider after the hard end.
    assert!(sim.provider.rejections.is_empty());

    let end = at(2, 9, 0);
    let ending = WarningKind::SessionEnding;
    assert_eq!(
        warnings(&sim),
        vec![
            (minute(at(2, 8, 45)), ending, minute(end), 0),
            (minute(at(2, 8, 58)), ending, minute(end), 1),
        ]
    );
    assert!(near(sim.machine(0).session_end().unwrap(), at(3, 9, 1)));
    let reauth = sim.events_of(0, |e| matches!(e, SessionEvent::ReauthRequested { .. }));
    assert_eq!(reauth.len(), 1);
    assert!(near(reauth[0].0, end), "{:?}", reauth[0]);
    // The deadline is when the tokens in hand (refreshed at 8:30) stop working.
    let SessionEvent::ReauthRequested { deadline } = reauth[0].1 else {
        unreachable!()
    };
    assert!(
        between(deadline, at(2, 9, 30), at(2, 9, 31)),
        "{deadline:?}"
    );

    // The user signs in again in place at 9:01 and keeps typing until 9:31
    // with usable tokens at every keystroke but the one at the instant of
    // waking (the refresh was on its way).
    assert_eq!(sim.sign_ins.len(), 2);
    assert!(near(sim.sign_ins[1], at(2, 9, 1)));
    assert_eq!(sim.keystrokes_without_tokens(0), vec![at(2, 8, 30)]);
    // Drafts were saved continuously.
    assert!(sim.tabs[0].flushes >= 2);
}

#[test]
fn every_preset_survives_the_local_clock_an_hour_off() {
    for skew_h in [-1i64, 1] {
        for preset in PolicyPreset::ALL {
            let plain = article(preset);
            let mut sim = Sim::with(
                SessionPolicy::from_preset(preset),
                HOUR,
                DAY,
                1,
                at(1, 9, 0),
            );
            sim.skew_ms = skew_h * 3_600_000;
            sim.sign_in(0);
            sim.type_between(0, at(1, 9, 0), at(1, 9, 5), MIN);
            sim.type_between(0, at(1, 10, 30), at(1, 12, 0), 5 * MIN);
            sim.run_until(at(1, 18, 0));
            sim.sleep_until(at(2, 8, 30));
            sim.type_between(0, at(2, 8, 30), at(2, 9, 31), MIN);
            sim.run_until(at(2, 9, 45));
            // Same story on the local clock: every deadline follows the provider.
            let reasons = |s: &Sim| {
                s.sign_outs()
                    .iter()
                    .map(|(t, _, r)| (t.0 / 60_000, *r))
                    .collect::<Vec<_>>()
            };
            assert_eq!(reasons(&sim), reasons(&plain), "{preset} skew {skew_h} h");
            assert_eq!(sim.sign_ins, plain.sign_ins, "{preset} skew {skew_h} h");
            assert_eq!(
                sim.provider.refreshes.len(),
                plain.provider.refreshes.len(),
                "{preset}"
            );
            let offset = sim
                .machine(0)
                .clock_offset()
                .expect("signed in")
                .as_millis();
            assert!(
                (offset - skew_h * 3_600_000).abs() < 2_000,
                "{preset}: {offset}"
            );
        }
    }
}

#[test]
fn the_timeline_draws_exactly_the_instants_the_warnings_appear() {
    let mut sim = Sim::with(
        SessionPolicy::from_preset(PolicyPreset::Strict),
        HOUR,
        DAY,
        1,
        at(1, 9, 0),
    );
    sim.sign_in(0);
    sim.type_between(0, at(1, 9, 0), at(1, 9, 5), MIN);
    let machine = sim.machine(0);
    assert!(near(machine.session_start().unwrap(), at(1, 9, 0)));
    let drawn = machine.warning_times();
    let idle_deadline = machine.idle_deadline().unwrap();
    let end = machine.session_end().unwrap();
    let policy = machine.policy().clone();
    // The idle warning, then each session-end reminder, earliest first.
    let mut expected = vec![idle_deadline.minus(policy.idle_warning_lead.unwrap())];
    if policy.watch_session_end {
        expected.extend(
            policy
                .session_end_warning_leads
                .iter()
                .map(|lead| end.minus(*lead)),
        );
    }
    expected.sort();
    assert_eq!(drawn, expected);
    assert!(drawn.windows(2).all(|pair| pair[0] <= pair[1]));
    // The first drawn instant is the minute the warning appears.
    sim.run_until(at(1, 9, 19));
    assert_eq!(warnings(&sim).first().map(|w| w.0), Some(minute(drawn[0])));
}

#[test]
fn warning_instants_come_out_in_time_order_whatever_order_the_leads_are_given_in() {
    let mut policy = SessionPolicy::from_preset(PolicyPreset::Strict);
    policy.watch_session_end = true;
    policy.session_end_warning_leads = vec![2 * MIN, 15 * MIN, 5 * MIN];
    policy.idle_warning_lead = Some(2 * MIN);
    let mut sim = Sim::with(policy, HOUR, DAY, 1, at(1, 9, 0));
    sim.sign_in(0);
    let machine = sim.machine(0);
    let (idle, end) = (
        machine.idle_deadline().unwrap(),
        machine.session_end().unwrap(),
    );
    assert_eq!(
        machine.warning_times(),
        vec![
            idle.minus(2 * MIN),
            end.minus(15 * MIN),
            end.minus(5 * MIN),
            end.minus(2 * MIN)
        ]
    );
}
