//! Browser tests (wasm-bindgen-test in headless Chromium) of the ready-made
//! components: the warning dialog's roles, labels, focus, Tab trap, Escape
//! and focus return; the re-authentication dialog; the timeline's markers;
//! the sign-out banner; the status bar; the authenticator key; and sign-in
//! against the cognito-local started by `make test-browser`.
#![cfg(all(target_arch = "wasm32", feature = "components"))]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use session_guard::browser::{SessionView, clock_time};
use session_guard::components::{
    AuthenticatorKey, ReauthDialog, SessionTimeline, SignInPage, SignOutBanner, SignOutNotice,
    StatusBar, TimelinePoints, WarningDialog,
};
use session_guard::config::AppConfig;
use session_guard::session::{Millis, SessionState, SignOutReason, WarningKind};
use session_guard::testing::{Clock, provide_session_with};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::dom::*;
use support::{EMAIL, PASSWORD, eventually, sleep};

/// An idle warning 2 minutes ahead, with counters for each callback.
struct WarningHarness {
    mounted: Mounted,
    now: RwSignal<Millis>,
    primary: RwSignal<u32>,
    secondary: RwSignal<u32>,
    escape: RwSignal<u32>,
}

fn mount_warning(kind: WarningKind) -> WarningHarness {
    let now = RwSignal::new(NOW);
    let (primary, secondary, escape) = (RwSignal::new(0), RwSignal::new(0), RwSignal::new(0));
    let mounted = mount(move || {
        view! {
            <WarningDialog
                kind
                deadline=Signal::derive(|| NOW.plus(Duration::from_secs(120)))
                now=now
                on_primary=move |()| primary.update(|n| *n += 1)
                on_secondary=move |()| secondary.update(|n| *n += 1)
                on_escape=move |()| escape.update(|n| *n += 1)
            />
        }
    });
    WarningHarness {
        mounted,
        now,
        primary,
        secondary,
        escape,
    }
}

#[wasm_bindgen_test]
async fn the_warning_is_a_labelled_and_described_alertdialog_with_a_quiet_countdown() {
    let harness = mount_warning(WarningKind::Idle);
    let dialog = harness.mounted.get("[role=alertdialog]");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let labelled_by = dialog.get_attribute("aria-labelledby").expect("labelled");
    let described_by = dialog.get_attribute("aria-describedby").expect("described");
    assert_eq!(
        harness.mounted.text(&format!("#{labelled_by}")),
        "Are you still there?"
    );
    let description = harness.mounted.text(&format!("#{described_by}"));
    assert!(description.contains("signed out at"), "{description}");
    assert_eq!(harness.mounted.text(".stay-signed-in"), "Stay signed in");
    assert_eq!(harness.mounted.text(".warning-sign-out"), "Sign out");

    // The countdown ticks in plain text, never in a live region...
    assert_eq!(harness.mounted.text(".countdown-value"), "2:00");
    let countdown = harness.mounted.get(".countdown-value");
    assert!(countdown.closest("[aria-live]").unwrap().is_none());
    assert_eq!(countdown.get_attribute("role").as_deref(), Some("timer"));
    // ...while the polite live region speaks only at coarse steps.
    let live = harness
        .mounted
        .get("[aria-live=polite].countdown-announcement");
    assert_eq!(live.text_content().unwrap(), "");
    harness.now.set(NOW.plus(Duration::from_secs(30)));
    tick().await;
    assert_eq!(harness.mounted.text(".countdown-value"), "1:30");
    assert_eq!(live.text_content().unwrap(), "", "nothing said at 90 s");
    harness.now.set(NOW.plus(Duration::from_secs(70)));
    tick().await;
    assert_eq!(harness.mounted.text(".countdown-value"), "0:50");
    assert_eq!(live.text_content().unwrap(), "About one minute left.");
    harness.now.set(NOW.plus(Duration::from_secs(101)));
    tick().await;
    assert_eq!(live.text_content().unwrap(), "About 20 seconds left.");
    assert_eq!(harness.mounted.text(".countdown-value"), "0:19");
}

#[wasm_bindgen_test]
async fn the_session_end_warning_offers_sign_in_again_and_save_and_sign_out() {
    let harness = mount_warning(WarningKind::SessionEnding);
    assert_eq!(harness.mounted.text(".sign-in-again"), "Sign in again now");
    assert_eq!(
        harness.mounted.text(".save-and-sign-out"),
        "Save and sign out"
    );
    harness.mounted.get(".sign-in-again").click();
    harness.mounted.get(".save-and-sign-out").click();
    assert_eq!(
        (
            harness.primary.get_untracked(),
            harness.secondary.get_untracked()
        ),
        (1, 1)
    );
    // Escape closes without signing out.
    sleep(20).await;
    press(&harness.mounted.get(".sign-in-again"), "Escape", false);
    assert_eq!(harness.escape.get_untracked(), 1);
    assert_eq!(
        harness.secondary.get_untracked(),
        1,
        "Escape never signs out"
    );
}

#[wasm_bindgen_test]
async fn focus_moves_to_the_primary_action_and_returns_where_it_was() {
    let outside = mount(|| view! { <textarea class="outside">"draft text"</textarea> });
    let field = outside.get(".outside");
    let area: &web_sys::HtmlTextAreaElement = field.unchecked_ref();
    field.focus().unwrap();
    area.set_selection_range(3, 5).unwrap();
    assert!(is_active(&field));

    let open = RwSignal::new(true);
    let dialog = mount(move || {
        move || {
            open.get().then(|| {
                view! {
                    <WarningDialog
                        kind=WarningKind::Idle
                        deadline=Signal::derive(|| NOW.plus(Duration::from_secs(60)))
                        now=Signal::derive(|| NOW)
                        on_primary=|()| {}
                        on_secondary=|()| {}
                        on_escape=|()| {}
                    />
                }
            })
        }
    });
    eventually("focus on the primary action", || {
        dialog
            .find(".stay-signed-in")
            .is_some_and(|b| is_active(&b))
    })
    .await;

    open.set(false);
    sleep(20).await;
    assert!(dialog.find("[role=alertdialog]").is_none(), "closed");
    assert!(is_active(&field), "focus is back in the text field");
    assert_eq!(
        (
            area.selection_start().unwrap(),
            area.selection_end().unwrap()
        ),
        (Some(3), Some(5)),
        "with its selection intact"
    );
}

#[wasm_bindgen_test]
async fn tab_stays_inside_the_warning_dialog() {
    let harness = mount_warning(WarningKind::Idle);
    let (first, last) = (
        harness.mounted.get(".stay-signed-in"),
        harness.mounted.get(".warning-sign-out"),
    );
    eventually("focus on open", || is_active(&first)).await;
    // Shift+Tab before the first wraps to the last...
    let event = press(&first, "Tab", true);
    assert!(event.default_prevented());
    assert!(is_active(&last));
    // ...and Tab past the last wraps to the first.
    let event = press(&last, "Tab", false);
    assert!(event.default_prevented());
    assert!(is_active(&first));
    // In between, the browser moves focus as usual.
    let event = press(&first, "Tab", false);
    assert!(!event.default_prevented());
}

#[wasm_bindgen_test]
async fn escape_on_the_idle_warning_keeps_the_session() {
    let harness = mount_warning(WarningKind::Idle);
    let first = harness.mounted.get(".stay-signed-in");
    eventually("focus on open", || is_active(&first)).await;
    let event = press(&first, "Escape", false);
    assert!(event.default_prevented());
    assert_eq!(
        harness.escape.get_untracked(),
        1,
        "Escape = the safe action"
    );
    assert_eq!(harness.secondary.get_untracked(), 0, "no sign-out");
    harness.mounted.get(".stay-signed-in").click();
    assert_eq!(harness.primary.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn the_reauth_dialog_asks_only_for_the_password() {
    let submitted = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let cancelled = RwSignal::new(0);
    let mounted = mount({
        move || {
            view! {
                <ReauthDialog
                    email="ana@example.com".to_owned()
                    message="Your session reached its maximum length.".to_owned()
                    pending=false
                    error=error
                    on_submit=move |password: String| submitted.update(|all| all.push(password))
                    on_cancel=Some(Callback::new(move |()| cancelled.update(|n| *n += 1)))
                    on_sign_out=|()| {}
                />
            }
        }
    });
    let dialog = mounted.get(".reauth-dialog");
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        mounted.text(&format!("#{title}")),
        "Sign in again to continue"
    );
    assert_eq!(mounted.text(".reauth-email"), "ana@example.com");
    assert_eq!(
        mounted.count("input:not([hidden])"),
        1,
        "only the password is asked for"
    );
    let password = mounted.get("#reauth-password");
    eventually("focus on the password", || is_active(&password)).await;
    type_into(&password, "Secret-1");
    mounted.get("button[type=submit]").click();
    assert_eq!(submitted.get_untracked(), vec!["Secret-1".to_owned()]);
    error.set(Some("Incorrect username or password.".to_owned()));
    tick().await;
    assert_eq!(
        mounted.text("[role=alert]"),
        "Incorrect username or password."
    );
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    press(&password, "Escape", false);
    assert_eq!(cancelled.get_untracked(), 1, "Escape = Not now");
}

#[wasm_bindgen_test]
async fn at_the_hard_end_the_reauth_dialog_blocks_the_page() {
    let signed_out = RwSignal::new(0);
    let mounted = mount(move || {
        view! {
            <ReauthDialog
                email="ana@example.com".to_owned()
                message="Your session reached its maximum length.".to_owned()
                pending=false
                error={None::<String>}
                on_submit=|_password: String| {}
                on_cancel=None
                on_sign_out=move |()| signed_out.update(|n| *n += 1)
            />
        }
    });
    assert!(mounted.find(".reauth-cancel").is_none(), "no way around it");
    assert!(mounted.find(".modal-backdrop.blocking").is_some());
    let password = mounted.get("#reauth-password");
    eventually("focus on the password", || is_active(&password)).await;
    press(&password, "Escape", false);
    assert!(
        mounted.find(".reauth-dialog").is_some(),
        "Escape does not close it"
    );
    // Tab cycles between the password and the buttons only.
    let last = mounted.get(".reauth-sign-out");
    press(&last, "Tab", false);
    assert!(is_active(&password));
    last.click();
    assert_eq!(signed_out.get_untracked(), 1);
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

#[wasm_bindgen_test]
fn the_timeline_takes_every_point_from_the_session_core() {
    let view = SessionView {
        session_start: Some(NOW.minus(minutes(60))),
        session_end: Some(NOW.plus(minutes(60))),
        idle_deadline: Some(NOW.plus(minutes(20))),
        warning_times: vec![NOW.plus(minutes(18)), NOW.plus(minutes(45))],
        reauth_deadline: Some(NOW.plus(minutes(70))),
        ..SessionView::default()
    };
    let points = TimelinePoints::from_view(&view, NOW);
    assert_eq!(points.warnings, view.warning_times);
    assert_eq!(points.session_start, view.session_start);
    assert_eq!(points.session_end, view.session_end);
    assert_eq!(points.idle_deadline, view.idle_deadline);
    assert_eq!(points.reauth_deadline, view.reauth_deadline);
    assert_eq!(points.now, NOW);
}

#[wasm_bindgen_test]
fn the_timeline_draws_the_deadlines_it_is_given() {
    let points = TimelinePoints {
        now: NOW,
        tokens_issued_at: Some(NOW.minus(minutes(30))),
        tokens_expire_at: Some(NOW.plus(minutes(30))),
        next_refresh_at: Some(NOW.plus(minutes(25))),
        session_start: Some(NOW.minus(minutes(60))),
        session_end: Some(NOW.plus(minutes(60))),
        idle_deadline: Some(NOW.plus(minutes(15))),
        warnings: vec![NOW.plus(minutes(13)), NOW.plus(minutes(45))],
        reauth_deadline: None,
    };
    let mounted =
        mount(move || view! { <SessionTimeline points=Signal::derive(move || points.clone())/> });
    assert!(mounted.find(".timeline svg").is_some());
    for marker in [
        "token-expiry",
        "next-refresh",
        "session-end",
        "idle-deadline",
        "now-tokens",
        "now-session",
    ] {
        assert_eq!(
            mounted.count(&format!(".timeline svg [data-marker={marker}]")),
            1,
            "{marker}"
        );
    }
    assert_eq!(mounted.count(".timeline svg [data-marker=warning]"), 2);
    assert_eq!(
        mounted.count("[data-marker=reauth-deadline]"),
        0,
        "not given, not drawn"
    );
    // "Now" sits halfway along both lanes (each lane has its own scale).
    let now_x = |lane: &str| {
        mounted
            .get(&format!("[data-marker={lane}] line"))
            .get_attribute("x1")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    // Each lane starts at x = 8 and ends at the expiry / hard-end line.
    let middle = (8.0 + now_x("token-expiry")) / 2.0;
    assert!((now_x("session-end") - now_x("token-expiry")).abs() < 0.5);
    assert!(
        (now_x("now-tokens") - middle).abs() < 0.5,
        "{}",
        now_x("now-tokens")
    );
    assert!((now_x("now-session") - middle).abs() < 0.5);
    // Local times, in the picture and in the legend.
    let end = clock_time(NOW.plus(minutes(60)));
    assert!(
        mounted
            .text(".lane-session")
            .contains(&format!("ends {end}"))
    );
    assert!(mounted.text("[data-legend=session-end]").contains(&end));
    assert!(
        mounted
            .text("[data-legend=idle-deadline]")
            .contains(&clock_time(NOW.plus(minutes(15))))
    );
}

#[wasm_bindgen_test]
async fn the_timeline_moves_with_now_and_skips_what_is_unknown() {
    let now = RwSignal::new(NOW);
    let mounted = mount(move || {
        let points = Signal::derive(move || TimelinePoints {
            now: now.get(),
            tokens_issued_at: Some(NOW),
            tokens_expire_at: Some(NOW.plus(minutes(10))),
            next_refresh_at: None,
            session_start: None,
            session_end: None,
            idle_deadline: None,
            warnings: Vec::new(),
            reauth_deadline: None,
        });
        view! { <SessionTimeline points/> }
    });
    let x = || {
        mounted
            .get("[data-marker=now-tokens] line")
            .get_attribute("x1")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let before = x();
    now.set(NOW.plus(minutes(5)));
    tick().await;
    assert!(x() > before + 150.0, "now moved right");
    assert_eq!(mounted.count("[data-marker=session-end]"), 0);
    assert_eq!(mounted.count("[data-marker=next-refresh]"), 0);
}

#[wasm_bindgen_test]
fn the_sign_out_banner_says_why_and_how_many_drafts_were_kept_without_titles() {
    let notice = SignOutNotice {
        reason: SignOutReason::Idle,
        idle_timeout: Some(minutes(15)),
        kept: vec!["Quarterly plan".to_owned()],
    };
    let mounted = mount(move || view! { <SignOutBanner notice/> });
    let banner = mounted.get(".sign-out-banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(banner.get_attribute("data-reason").as_deref(), Some("idle"));
    assert_eq!(
        mounted.text(".sign-out-reason"),
        "You were signed out after 15 minutes without activity."
    );
    // Anyone at the computer can read the sign-in page: a count, no title.
    let kept = mounted.text(".sign-out-kept");
    assert!(
        kept.starts_with("One unsaved draft was kept on this device"),
        "{kept}"
    );
    assert!(
        !mounted.text(".sign-out-banner").contains("Quarterly plan"),
        "no draft title before sign-in"
    );
}

#[wasm_bindgen_test]
fn after_deleting_drafts_the_banner_says_so_and_claims_nothing_kept() {
    let notice = SignOutNotice {
        reason: SignOutReason::UserDeletedDrafts,
        idle_timeout: None,
        kept: Vec::new(),
    };
    let mounted = mount(move || view! { <SignOutBanner notice/> });
    let banner = mounted.get(".sign-out-banner");
    assert_eq!(
        banner.get_attribute("data-reason").as_deref(),
        Some("user_deleted_drafts")
    );
    assert!(banner.class_list().contains("info"));
    assert!(
        mounted
            .text(".sign-out-reason")
            .contains("drafts were deleted from this device")
    );
    assert!(mounted.find(".sign-out-kept").is_none());
}

#[wasm_bindgen_test]
fn the_sign_in_page_shows_the_banner_above_the_form() {
    let config = AppConfig::from_json(CONFIG).unwrap();
    let notice = SignOutNotice {
        reason: SignOutReason::SessionEnded,
        idle_timeout: None,
        kept: Vec::new(),
    };
    let mounted = mount(move || view! { <SignInPage config sign_out=Some(notice)/> });
    assert!(
        mounted
            .text(".sign-in .sign-out-banner")
            .contains("maximum length")
    );
    assert!(
        mounted.find(".sign-out-kept").is_none(),
        "nothing kept, nothing claimed"
    );
    assert!(mounted.find("#email").is_some());
}

#[wasm_bindgen_test]
async fn the_status_bar_shows_user_state_and_the_ways_out() {
    let state = RwSignal::new(SessionState::Active);
    let signed_out = RwSignal::new(0);
    let everywhere = RwSignal::new(0);
    let deleting = RwSignal::new(0);
    let mounted = mount(move || {
        view! {
            <StatusBar
                user="ana@example.com".to_owned()
                state=state
                session_end=Some(NOW.plus(minutes(90)))
                now=NOW
                online=true
                settings_open=false
                on_toggle_settings=|()| {}
                on_sign_out=move |()| signed_out.update(|n| *n += 1)
                on_sign_out_everywhere=move |()| everywhere.update(|n| *n += 1)
                on_sign_out_deleting_drafts=move |()| deleting.update(|n| *n += 1)
            />
        }
    });
    assert_eq!(mounted.text(".signed-in-user"), "ana@example.com");
    assert_eq!(mounted.text(".session-state"), "Active");
    assert!(mounted.text(".session-end").contains("in 1 h 30 min"));
    state.set(SessionState::OfflineRetrying);
    tick().await;
    assert_eq!(
        mounted
            .get(".session-state")
            .get_attribute("data-state")
            .as_deref(),
        Some("offline-retrying")
    );
    assert_eq!(mounted.text(".session-state"), "Offline, retrying");
    // For a shared computer: a real button whose name says what it does.
    let delete = mounted.get(".status-bar button.sign-out-delete-drafts");
    assert_eq!(delete.tag_name(), "BUTTON");
    assert_eq!(delete.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(
        delete.text_content().unwrap_or_default(),
        "Sign out and delete my drafts on this device"
    );
    mounted.get(".status-bar .sign-out").click();
    assert_eq!(
        deleting.get_untracked(),
        0,
        "a plain sign-out deletes nothing"
    );
    mounted.get(".status-bar .sign-out-everywhere").click();
    delete.click();
    assert_eq!(
        (
            signed_out.get_untracked(),
            everywhere.get_untracked(),
            deleting.get_untracked()
        ),
        (1, 1, 1)
    );
}

#[wasm_bindgen_test]
async fn signing_in_shows_wrong_credentials_next_to_the_form_then_signs_in() {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let config = protective_emulator_config();
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let context = Rc::new(RefCell::new(None));
    let mounted = mount({
        let context = context.clone();
        move || {
            let session = provide_session_with(config.clone(), manual_options(&clock));
            *context.borrow_mut() = Some(session);
            view! { <SignInPage config/> }
        }
    });
    let session = context.borrow().unwrap();
    eventually("restore finished", || {
        !session.view.get_untracked().restoring
    })
    .await;

    type_into(&mounted.get("#email"), EMAIL);
    type_into(&mounted.get("#password"), "not-the-password");
    mounted.get("button[type=submit]").click();
    tick().await;
    assert_eq!(
        mounted.text("button[type=submit]"),
        "Signing in…",
        "pending state"
    );
    eventually("the error", || mounted.find(".sign-in-error").is_some()).await;
    assert_eq!(
        mounted.text(".sign-in-error"),
        "Incorrect username or password."
    );
    assert!(
        mounted.find(".retry").is_none(),
        "no retry for a definite answer"
    );
    assert_eq!(
        mounted
            .get("#password")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(session.state.get_untracked(), SessionState::SignedOut);

    type_into(&mounted.get("#password"), PASSWORD);
    mounted.get("button[type=submit]").click();
    eventually("signed in", || {
        session.state.get_untracked() != SessionState::SignedOut
    })
    .await;
    assert_eq!(
        session
            .user
            .get_untracked()
            .and_then(|user| user.email)
            .as_deref(),
        Some(EMAIL)
    );
    session.sign_out();
}

#[wasm_bindgen_test]
fn the_authenticator_key_is_drawn_as_one_svg_path_and_shown_as_grouped_text() {
    use session_guard::cognito::{Secret, TotpEnrolment};
    let enrolment = TotpEnrolment::from_secret(Secret::new("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
    let mounted = mount(move || {
        view! { <AuthenticatorKey enrolment account="ana@example.com".to_owned()/> }
    });
    let svg = mounted.get("svg.qr-code");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(
        svg.get_attribute("aria-label")
            .is_some_and(|label| label.contains("QR code"))
    );
    // A key URI of 111 bytes at level M needs version 7: 45 modules plus 8 of quiet zone.
    assert_eq!(svg.get_attribute("viewBox").as_deref(), Some("0 0 53 53"));
    let path = mounted
        .get("svg.qr-code path")
        .get_attribute("d")
        .unwrap_or_default();
    assert!(
        path.starts_with("M0 0h7v1h-7z"),
        "the top-left finder's first row: {path}"
    );
    assert_eq!(
        mounted.text(".totp-secret"),
        "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    );
}
