//! Re-authentication in place: a modal dialog (the shared [`Modal`]) over
//! the still-mounted page that asks only for the password (the user is
//! known). The page behind is `inert` while it is open, and focus returns
//! to where the user was, so text and cursor are exactly as they left them.

use leptos::html;
use leptos::prelude::*;

use super::form::submit_button;
#[cfg(feature = "mfa")]
use super::mfa_step::MfaStepForm;
use super::modal::{DialogLabels, ModalFrame, modal};
#[cfg(feature = "mfa")]
use crate::browser::SignInPurpose;
use crate::browser::unique_id;
use crate::cognito::MfaChallenge;

/// Re-authentication through managed login instead of a password: one
/// button opens the pool's page in a window of its own.
#[derive(Clone, Copy)]
pub struct ManagedReauth {
    /// Opens the managed-login window (e.g. `SessionContext::reauthenticate_in_window`).
    pub start: Callback<()>,
    /// Where to open the page by hand when the browser blocked the window.
    pub fallback_url: Signal<Option<String>>,
}

/// The password form. `on_cancel` is `None` when the session has already
/// ended (the dialog then blocks the page: there is nothing to go back to
/// but signing in or signing out).
#[component]
pub fn ReauthDialog(
    /// Who is signing in again (shown, not editable).
    email: String,
    /// Why the dialog is asking.
    #[prop(into)]
    message: Signal<String>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Called with the password typed.
    #[prop(into)]
    on_submit: Callback<String>,
    /// `None` blocks the page: there is no going back.
    #[prop(optional_no_strip)]
    on_cancel: Option<Callback<()>>,
    #[prop(into)] on_sign_out: Callback<()>,
    /// Set for pools that sign in through managed login.
    #[prop(optional_no_strip)]
    managed: Option<ManagedReauth>,
    /// The second sign-in step, once the password was right and the pool
    /// asks for MFA: the dialog then shows it instead of the password.
    #[prop(optional, into)]
    mfa: Option<Signal<Option<MfaChallenge>>>,
    /// Back from the second step to the password, with a message.
    #[prop(optional)]
    on_mfa_restart: Option<Callback<String>>,
    /// The second step finished: the session is renewed.
    #[prop(optional)]
    on_mfa_done: Option<Callback<()>>,
) -> impl IntoView {
    let mfa_challenge = move || mfa.and_then(|challenge| challenge.get());
    // The second step in place of the password (never asked for in a build
    // without MFA: the sign-in is refused instead).
    #[cfg(feature = "mfa")]
    let second_step = move || {
        mfa_challenge().map(|challenge| {
            let restart = on_mfa_restart.unwrap_or_else(|| Callback::new(|_: String| {}));
            view! {
                <MfaStepForm challenge purpose=SignInPurpose::Reauthenticate restart
                    on_signed_in=on_mfa_done.unwrap_or_else(|| Callback::new(|()| {}))/>
                <div class="dialog-actions">
                    <button type="button" class="secondary reauth-sign-out"
                        on:click=move |_| on_sign_out.run(())>
                        "Sign out"
                    </button>
                </div>
            }
        })
    };
    #[cfg(not(feature = "mfa"))]
    let second_step = {
        let _ = (on_mfa_restart, on_mfa_done);
    };
    let password_ref = NodeRef::<html::Input>::new();
    // Focus the password field on open and again after a failed attempt.
    Effect::new(move |_| {
        error.track();
        if let Some(input) = password_ref.get() {
            let _ = input.focus();
            input.select();
        }
    });

    let labels = DialogLabels::new("reauth");
    let description_id = labels.description.clone();
    let error_id = unique_id("reauth-error");
    let on_form_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some(managed) = managed {
            managed.start.run(());
            return;
        }
        if let Some(input) = password_ref.get() {
            let password = input.value();
            if !password.is_empty() {
                on_submit.run(password);
            }
        }
    };
    let described_by = {
        let (description_id, error_id) = (description_id.clone(), error_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{description_id} {error_id}")
            } else {
                description_id.clone()
            }
        }
    };

    modal(
        ModalFrame {
            role: "dialog",
            class: "dialog reauth-dialog",
            labels,
            title: "Sign in again to continue",
            description: message,
            kind: None,
            blocking: on_cancel.is_none(),
            on_escape: on_cancel,
        },
        view! {
            {second_step}
            <form class="reauth-form" on:submit=on_form_submit hidden=move || mfa_challenge().is_some()>
                <p class="reauth-user">
                    "Signed in as " <strong class="reauth-email">{email.clone()}</strong>
                </p>
                {match managed {
                    Some(managed) => view! {
                        <p class="reauth-managed">
                            "You sign in again on your organisation's sign-in page, in a window of its own."
                        </p>
                        <p class="form-error" id=error_id role="alert">
                            {move || error.get()}
                            {move || managed.fallback_url.get().map(|url| view! {
                                " "
                                <a class="reauth-new-tab" href=url target="_blank">
                                    "Open the sign-in page in a new tab"
                                </a>
                            })}
                        </p>
                    }.into_any(),
                    None => view! {
                        <input type="email" name="email" autocomplete="username" value=email hidden readonly/>
                        <label for="reauth-password">"Password"</label>
                        <input
                            id="reauth-password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            node_ref=password_ref
                            aria-invalid=move || error.with(Option::is_some).to_string()
                            aria-describedby=described_by
                        />
                        <p class="form-error" id=error_id role="alert">
                            {move || error.get()}
                        </p>
                    }.into_any(),
                }}
                <div class="dialog-actions">
                    {submit_button("primary", pending, "Sign in", "Signing in…")}
                    {on_cancel
                        .map(|cancel| {
                            view! {
                                <button type="button" class="secondary reauth-cancel"
                                    on:click=move |_| cancel.run(())>
                                    "Not now"
                                </button>
                            }
                        })}
                    <button type="button" class="secondary reauth-sign-out"
                        on:click=move |_| on_sign_out.run(())>
                        "Sign out"
                    </button>
                </div>
            </form>
        },
    )
}
