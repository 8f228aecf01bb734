//! The status bar: who is signed in, the session's state and hard end, and
//! the ways out (sign out here, sign out everywhere).

use leptos::prelude::*;

use crate::browser::{clock_time_with_day, distance};
use crate::session::{Millis, SessionState, WarningKind};

/// The state in a word or two, and a stable key for styling and tests.
pub fn state_label(state: SessionState) -> (&'static str, &'static str) {
    match state {
        SessionState::Active => ("Active", "active"),
        SessionState::Refreshing => ("Renewing tokens…", "refreshing"),
        SessionState::OfflineRetrying => ("Offline, retrying", "offline-retrying"),
        SessionState::Warning(WarningKind::Idle) => ("Idle: signing out soon", "warning-idle"),
        SessionState::Warning(WarningKind::SessionEnding) => {
            ("Session ending soon", "warning-session-ending")
        }
        SessionState::ReauthRequired => ("Sign-in needed", "reauth-required"),
        SessionState::SignedOut => ("Signed out", "signed-out"),
    }
}

/// The bar at the top of the signed-in app. Plain props; the shell wires
/// them to the session.
#[component]
pub fn StatusBar(
    /// Who is signed in (email, or username without one).
    #[prop(into)]
    user: Signal<String>,
    #[prop(into)] state: Signal<SessionState>,
    #[prop(into)] session_end: Signal<Option<Millis>>,
    #[prop(into)] now: Signal<Millis>,
    #[prop(into)] online: Signal<bool>,
    #[prop(into)] settings_open: Signal<bool>,
    #[prop(into)] on_toggle_settings: Callback<()>,
    #[prop(into)] on_sign_out: Callback<()>,
    #[prop(into)] on_sign_out_everywhere: Callback<()>,
    /// "Sign out and delete my drafts", for a shared computer. Without it
    /// the button is not offered.
    #[prop(optional, into)]
    on_sign_out_deleting_drafts: Option<Callback<()>>,
) -> impl IntoView {
    let label = Memo::new(move |_| state_label(state.get()));
    let end_text = move || {
        session_end.get().map(|end| {
            let now = now.get();
            format!(
                "Session ends {} (in {})",
                clock_time_with_day(end, now),
                distance(now.until(end))
            )
        })
    };
    view! {
        <header class="status-bar">
            <span class="brand" aria-hidden="true">"Session Guard"</span>
            <span class="signed-in-user" title="Signed in as">{move || user.get()}</span>
            <span class="session-state" data-state=move || label.get().1>
                <span class="dot" aria-hidden="true"></span>
                {move || label.get().0}
            </span>
            {move || (!online.get()).then(|| view! { <span class="offline-badge">"No network"</span> })}
            <span class="session-end">{end_text}</span>
            <span class="status-actions">
                <button
                    type="button"
                    class="ghost settings-toggle"
                    aria-expanded=move || settings_open.get().to_string()
                    aria-controls="policy-view"
                    on:click=move |_| on_toggle_settings.run(())
                >
                    "Settings"
                </button>
                <button type="button" class="ghost sign-out" on:click=move |_| on_sign_out.run(())>
                    "Sign out"
                </button>
                {on_sign_out_deleting_drafts.map(|on_click| {
                    view! {
                        <button
                            type="button"
                            class="ghost sign-out-delete-drafts"
                            title="For a shared computer: your unsaved drafts are deleted from this device, then you are signed out"
                            on:click=move |_| on_click.run(())
                        >
                            "Sign out and delete my drafts on this device"
                        </button>
                    }
                })}
                <button
                    type="button"
                    class="ghost sign-out-everywhere"
                    on:click=move |_| on_sign_out_everywhere.run(())
                >
                    "Sign out everywhere"
                </button>
            </span>
        </header>
    }
}
