//! Settings: whether sign-in asks for an authenticator app's code (read
//! from the account), adding one (scan the key, type its first code; sign-in
//! then asks for its code) or removing it (sign-in stops asking).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::authenticator_key::AuthenticatorKey;
use super::form::{error_area, submit_button};
use crate::browser::try_use_session;
use crate::cognito::TotpEnrolment;

/// Where adding or removing stands.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Idle,
    /// A key was made; waiting for the app's first code.
    Enrolling(TotpEnrolment),
    Added,
    Removed,
}

#[component]
pub fn AuthenticatorSettings(
    /// The account's name as the app will list it.
    #[prop(into)]
    account: Signal<String>,
) -> impl IntoView {
    let session = try_use_session();
    let stage = RwSignal::new(Stage::Idle);
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let fail = move |message: String| {
        let _ = pending.try_set(false);
        let _ = error.try_set(Some(message));
    };
    let unavailable = "Changing sign-in settings is not available on this page.";
    // Whether sign-in asks for an authenticator app now; `None` until the
    // account's settings have been read (then both choices are offered).
    let enabled = RwSignal::new(None::<bool>);
    if let Some(session) = session {
        spawn_local(async move {
            match session.authenticator_enabled().await {
                Ok(on) => {
                    let _ = enabled.try_set(Some(on));
                }
                Err(failure) => {
                    let _ = error.try_set(Some(format!(
                        "Whether an authenticator app is on could not be checked: {failure}"
                    )));
                }
            }
        });
    }

    let add = move |_| {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            return fail(unavailable.to_owned());
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.add_authenticator().await {
                Ok(enrolment) => {
                    let _ = pending.try_set(false);
                    let _ = code.try_set(String::new());
                    let _ = stage.try_set(Stage::Enrolling(enrolment));
                }
                Err(failure) => fail(failure.to_string()),
            }
        });
    };
    let confirm = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            return fail(unavailable.to_owned());
        };
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            return fail("Type the code your authenticator app shows.".to_owned());
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.confirm_authenticator(typed).await {
                Ok(()) => {
                    let _ = pending.try_set(false);
                    let _ = enabled.try_set(Some(true));
                    let _ = stage.try_set(Stage::Added);
                }
                Err(failure) => fail(failure.to_string()),
            }
        });
    };
    let remove = move |_| {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            return fail(unavailable.to_owned());
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.remove_authenticator().await {
                Ok(()) => {
                    let _ = pending.try_set(false);
                    let _ = enabled.try_set(Some(false));
                    let _ = stage.try_set(Stage::Removed);
                }
                Err(failure) => fail(failure.to_string()),
            }
        });
    };

    let error_area = move || error_area("authenticator-error", error.into());
    let status = move || match (stage.get(), enabled.get()) {
        (Stage::Added, _) => {
            Some("Done: from now on, signing in asks for a code from your authenticator app.")
        }
        (Stage::Removed, _) => {
            Some("Signing in no longer asks for a code from an authenticator app.")
        }
        (Stage::Enrolling(_), _) => None,
        (Stage::Idle, Some(true)) => {
            Some("On: signing in asks for a code from your authenticator app.")
        }
        (Stage::Idle, Some(false)) => Some("Off: signing in asks for your password only."),
        (Stage::Idle, None) => None,
    };
    let body = move || {
        match stage.get() {
        Stage::Enrolling(enrolment) => view! {
            <form class="authenticator-enrol" aria-busy=move || pending.get().to_string()
                on:submit=move |event| {
                    event.prevent_default();
                    confirm();
                }>
                <p id="authenticator-intro">
                    "Scan the QR code with your authenticator app (or type the key into it), then type the 6-digit code it shows."
                </p>
                <AuthenticatorKey enrolment account=account.get_untracked()/>
                <label for="authenticator-code">"Code from your authenticator app"</label>
                <input id="authenticator-code" name="code" type="text" inputmode="numeric"
                    autocomplete="one-time-code" required
                    prop:value=move || code.get()
                    on:input=move |event| code.set(event_target_value(&event))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="authenticator-intro authenticator-error"/>
                {error_area()}
                {submit_button("primary confirm-authenticator", pending.into(), "Turn on", "Checking…")}
                <button type="button" class="secondary cancel-authenticator"
                    on:click=move |_| { error.set(None); stage.set(Stage::Idle); }>
                    "Cancel"
                </button>
            </form>
        }
        .into_any(),
        _ => view! {
            <div class="authenticator-actions">
                {error_area()}
                <button type="button" class="secondary add-authenticator" disabled=move || pending.get()
                    hidden=move || enabled.get() == Some(true)
                    aria-describedby="authenticator-error" on:click=add>
                    "Add an authenticator app"
                </button>
                <button type="button" class="secondary remove-authenticator" disabled=move || pending.get()
                    hidden=move || enabled.get() == Some(false)
                    aria-describedby="authenticator-error" on:click=remove>
                    "Remove the authenticator app"
                </button>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <section class="authenticator-settings" aria-labelledby="authenticator-title">
            <h2 id="authenticator-title">"Authenticator app"</h2>
            <p class="authenticator-summary">
                "With an authenticator app, signing in asks for the code it shows as well as your password."
            </p>
            <p class="authenticator-status" role="status">{status}</p>
            {body}
        </section>
    }
}
