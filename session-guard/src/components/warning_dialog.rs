//! The expiry warning, a WAI-ARIA `alertdialog` on the shared [`Modal`]
//! (labelled and described, Tab kept inside, focus returns where it was):
//! focus on the primary action, Escape does the safe thing. The countdown
//! is plain text (no live region speaking every second); a separate polite
//! live region speaks at most twice, at one minute and at 20 seconds left.

use leptos::html;
use leptos::prelude::*;

use super::modal::{DialogLabels, ModalFrame, modal};
use crate::browser::{clock_time_seconds, countdown};
use crate::session::{Millis, WarningKind};

/// What the live region says, by how much time is left: nothing while more
/// than a minute remains, then two coarse steps.
fn announcement(seconds_left: u64) -> &'static str {
    match seconds_left {
        0..=20 => "About 20 seconds left.",
        21..=60 => "About one minute left.",
        _ => "",
    }
}

/// The warning dialog. `deadline` is on the local clock already corrected
/// for the provider's clock (the driver anchors it to token `iat`), `now`
/// is the driver's 1 Hz clock. `on_escape` must be the safe choice: keep
/// the session (idle) or just close (session end); never sign out.
#[component]
pub fn WarningDialog(
    kind: WarningKind,
    #[prop(into)] deadline: Signal<Millis>,
    #[prop(into)] now: Signal<Millis>,
    /// "Stay signed in" (idle) or "Sign in again now" (session end).
    #[prop(into)]
    on_primary: Callback<()>,
    /// "Sign out" (idle) or "Save and sign out" (session end).
    #[prop(into)]
    on_secondary: Callback<()>,
    #[prop(into)] on_escape: Callback<()>,
) -> impl IntoView {
    let primary_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = primary_ref.get() {
            let _ = button.focus();
        }
    });

    let seconds_left = Memo::new(move |_| {
        let left = now.get().until(deadline.get());
        left.as_millis().div_ceil(1000) as u64
    });
    let step = Memo::new(move |_| announcement(seconds_left.get()));
    let deadline_text = move || clock_time_seconds(deadline.get());

    let (title, primary, primary_class, secondary, secondary_class) = match kind {
        WarningKind::Idle => (
            "Are you still there?",
            "Stay signed in",
            "primary stay-signed-in",
            "Sign out",
            "secondary warning-sign-out",
        ),
        WarningKind::SessionEnding => (
            "Your session ends soon",
            "Sign in again now",
            "primary sign-in-again",
            "Save and sign out",
            "secondary save-and-sign-out",
        ),
    };
    let description = Signal::derive(move || match kind {
        WarningKind::Idle => format!(
            "Nothing has happened in this app for a while, so to protect your account \
             you will be signed out at {}. Your unsaved work is kept as a draft.",
            deadline_text()
        ),
        WarningKind::SessionEnding => format!(
            "Your sign-in reaches its maximum length at {}. Sign in again now to keep \
             working: this page and your unsaved work stay as they are.",
            deadline_text()
        ),
    });
    let kind_key = match kind {
        WarningKind::Idle => "idle",
        WarningKind::SessionEnding => "session-ending",
    };

    modal(
        ModalFrame {
            role: "alertdialog",
            class: "dialog warning-dialog",
            labels: DialogLabels::new("warning"),
            title,
            description,
            kind: Some(kind_key),
            blocking: false,
            on_escape: Some(on_escape),
        },
        view! {
            <p class="countdown">
                "Time left: "
                <span class="countdown-value" role="timer">
                    {move || countdown(std::time::Duration::from_secs(seconds_left.get()))}
                </span>
            </p>
            <p class="visually-hidden countdown-announcement" aria-live="polite">
                {move || step.get()}
            </p>
            <div class="dialog-actions">
                <button
                    type="button"
                    class=primary_class
                    node_ref=primary_ref
                    on:click=move |_| on_primary.run(())
                >
                    {primary}
                </button>
                <button type="button" class=secondary_class on:click=move |_| on_secondary.run(())>
                    {secondary}
                </button>
            </div>
        },
    )
}
