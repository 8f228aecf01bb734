//! Forgotten password: the account's email, then the code Cognito sent and
//! a new password that follows the pool's rules; on success the user is
//! signed in. A wrong or expired code and Cognito's own refusals are said
//! in plain words next to the form.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form::{error_area, submit_button};
use super::new_password_fields::{NewPasswordFields, NewPasswordInput};
use super::sign_in::FormError;
use crate::browser::{SessionContext, SignInOutcome};
use crate::cognito::MfaChallenge;
use crate::config::PasswordPolicy;

/// Where the reset stands.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// Asking for the account.
    Email,
    /// The code went out (to `destination`, masked, when Cognito says).
    Code { destination: Option<String> },
}

#[component]
pub fn ForgotPasswordForm(
    session: Option<SessionContext>,
    policy: PasswordPolicy,
    /// Prefilled from the sign-in form.
    email: RwSignal<String>,
    /// Back to the sign-in form.
    back: impl Fn() + Clone + Send + Sync + 'static,
    /// Signed in with the new password, and Cognito asks for a second step.
    second_step: impl Fn(MfaChallenge) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let second_step = Callback::new(move |next: MfaChallenge| second_step(next));
    let step = RwSignal::new(Step::Email);
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let input = NewPasswordInput::new(&policy);
    let fail = move |message: String| {
        let _ = pending.try_set(false);
        let _ = error.try_set(Some(FormError {
            message,
            retryable: false,
        }));
    };

    let send_code = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            fail("Resetting a password is not available on this page.".to_owned());
            return;
        };
        let address = email.get_untracked().trim().to_owned();
        if address.is_empty() {
            fail("Type the email address of your account first.".to_owned());
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.forgot_password(address).await {
                Ok(delivery) => {
                    let _ = pending.try_set(false);
                    let _ = step.try_set(Step::Code {
                        destination: delivery.destination,
                    });
                }
                Err(failure) => fail(failure.to_string()),
            }
        });
    };

    let reset = move || {
        if pending.get_untracked() {
            return;
        }
        input.attempted.set(true);
        let Some(session) = session else { return };
        if code.with_untracked(|c| c.trim().is_empty()) {
            fail("Type the code from the message you were sent.".to_owned());
            return;
        }
        if let Some(problem) = input.problem() {
            fail(problem.to_owned());
            return;
        }
        pending.set(true);
        error.set(None);
        let (address, typed_code, secret) = (
            email.get_untracked().trim().to_owned(),
            code.get_untracked(),
            crate::cognito::Secret::new(input.new_password.get_untracked()),
        );
        spawn_local(async move {
            match session.reset_password(address, typed_code, secret).await {
                // Signed in: this page is replaced by the app.
                Ok(SignInOutcome::SignedIn) => {}
                Ok(SignInOutcome::Mfa(next)) => second_step.run(next),
                Ok(SignInOutcome::NewPasswordRequired(_)) => fail(
                    "The password was reset, but the account must choose another one; sign in with the new password."
                        .to_owned(),
                ),
                Err(failure) => fail(failure.to_string()),
            }
        });
    };

    let message = Signal::derive(move || error.get().map(|failure| failure.message));
    let error_area = move || error_area("reset-error", message);
    let back_link = {
        let back = back.clone();
        move || {
            let back = back.clone();
            view! {
                <button type="button" class="link back-to-sign-in" on:click=move |_| back()>
                    "Back to sign in"
                </button>
            }
        }
    };
    move || {
        match step.get() {
        Step::Email => view! {
            <form class="forgot-password-form" aria-busy=move || pending.get().to_string()
                on:submit=move |event| { event.prevent_default(); send_code(); }>
                <p class="forgot-password-intro">
                    "Type your account's email address. We will send a code to reset your password."
                </p>
                <label for="reset-email">"Email"</label>
                <input id="reset-email" name="email" type="email" autocomplete="username" required
                    prop:value=move || email.get() on:input=move |event| email.set(event_target_value(&event))
                    aria-describedby="reset-error"/>
                {error_area()}
                {submit_button("primary send-code", pending.into(), "Send code", "Sending…")}
                {back_link()}
            </form>
        }
        .into_any(),
        Step::Code { destination } => {
            let sent_to = destination.unwrap_or_else(|| "your account's email".to_owned());
            view! {
                <form class="reset-password-form" aria-busy=move || pending.get().to_string()
                    on:submit=move |event| { event.prevent_default(); reset(); }>
                    <p class="reset-code-sent" role="status">
                        "We sent a code to " <strong>{sent_to}</strong> ". It is valid for one hour."
                    </p>
                    <label for="reset-code">"Code"</label>
                    <input id="reset-code" name="code" type="text" inputmode="numeric"
                        autocomplete="one-time-code" required
                        prop:value=move || code.get() on:input=move |event| code.set(event_target_value(&event))
                        aria-describedby="reset-error"/>
                    <NewPasswordFields input policy=policy.clone() error_id="reset-error"/>
                    {error_area()}
                    {submit_button("primary reset-password", pending.into(), "Set password and sign in", "Saving…")}
                    <button type="button" class="link resend-code" on:click=move |_| send_code()>
                        "Send a new code"
                    </button>
                    {back_link()}
                </form>
            }
            .into_any()
        }
    }
    }
}
