//! The second sign-in step, on the sign-in page and in the re-authentication
//! dialog alike: a code from the authenticator app or from a message, a
//! choice between the account's factors, or setting up an authenticator app
//! when the pool requires one (QR code and key, then its first code).

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::authenticator_key::AuthenticatorKey;
use super::form::{error_area, submit_button};
use crate::browser::{SignInError, SignInOutcome, SignInPurpose, try_use_session};
use crate::cognito::{CognitoError, MfaChallenge, MfaStep, MfaType, TotpEnrolment};

/// What the form says for a code step.
fn code_prompt(step: &MfaStep) -> (String, &'static str) {
    match step {
        MfaStep::Code {
            factor: MfaType::AuthenticatorApp,
            ..
        } => (
            "Open your authenticator app and type the 6-digit code it shows for this account."
                .to_owned(),
            "Code from your authenticator app",
        ),
        MfaStep::Code {
            factor: factor @ (MfaType::Sms | MfaType::Email),
            destination,
        } => {
            let how = if *factor == MfaType::Sms {
                "by text message"
            } else {
                "by email"
            };
            let to = destination
                .as_deref()
                .map(|to| format!(" to {to}"))
                .unwrap_or_default();
            (
                format!("We sent a code {how}{to}. Type it here to finish signing in."),
                "Code from the message",
            )
        }
        MfaStep::SetUpAuthenticator => (
            "Your account must use an authenticator app to sign in. Scan the QR code with the app \
             (or type the key into it), then type the 6-digit code it shows."
                .to_owned(),
            "Code from your authenticator app",
        ),
        MfaStep::Choose { .. } => (String::new(), ""),
    }
}

/// Errors that end the attempt: the user starts again from the password.
fn ends_attempt(error: &SignInError) -> bool {
    matches!(
        error,
        SignInError::Cognito(CognitoError::ChallengeExpired | CognitoError::TooManyCodeAttempts)
    )
}

#[component]
pub fn MfaStepForm(
    challenge: MfaChallenge,
    purpose: SignInPurpose,
    /// Back to the password with a message (empty: the user asked to go back).
    #[prop(into)]
    restart: Callback<String>,
    /// Called when the sign-in finished (the re-authentication dialog closes).
    #[prop(optional)]
    on_signed_in: Option<Callback<()>>,
) -> impl IntoView {
    let session = try_use_session();
    let current = RwSignal::new(challenge);
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    // The password form this step replaces had the focus: move it to the
    // code field whenever one appears.
    let code_field = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = code_field.get() {
            let _ = input.focus();
        }
    });

    let fail = move |message: String| {
        let _ = pending.try_set(false);
        let _ = error.try_set(Some(message));
    };
    let settle = move |result: Result<SignInOutcome, SignInError>| {
        match result {
        Ok(SignInOutcome::SignedIn) => {
            let _ = pending.try_set(false);
            if let Some(done) = on_signed_in {
                done.run(());
            }
        }
        Ok(SignInOutcome::Mfa(next)) => {
            let _ = pending.try_set(false);
            let _ = code.try_set(String::new());
            let _ = enrolment.try_set(None);
            let _ = current.try_set(next);
        }
        Ok(SignInOutcome::NewPasswordRequired(_)) => restart.run(
            "The sign-in service asks this account to choose a new password; sign in again to choose it."
                .to_owned(),
        ),
        Err(failure) if ends_attempt(&failure) => restart.run(failure.to_string()),
        Err(failure) => fail(failure.to_string()),
    }
    };

    let submit_code = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            fail("Signing in is not available on this page.".to_owned());
            return;
        };
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            fail("Type the code first.".to_owned());
            return;
        }
        let challenge = current.get_untracked();
        let setup = enrolment.get_untracked();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match setup {
                Some(enrolment) => {
                    session
                        .finish_mfa_setup(challenge, enrolment, typed, purpose)
                        .await
                }
                None => session.answer_mfa(challenge, typed, purpose).await,
            };
            settle(result);
        });
    };

    let choose = move |choice: MfaType| {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else { return };
        pending.set(true);
        error.set(None);
        let challenge = current.get_untracked();
        spawn_local(async move {
            settle(session.choose_mfa(challenge, choice, purpose).await);
        });
    };

    let begin_setup = move |_| {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else { return };
        pending.set(true);
        error.set(None);
        let challenge = current.get_untracked();
        spawn_local(async move {
            match session.begin_mfa_setup(challenge).await {
                Ok(key) => {
                    let _ = pending.try_set(false);
                    let _ = enrolment.try_set(Some(key));
                }
                Err(failure) if ends_attempt(&failure) => restart.run(failure.to_string()),
                Err(failure) => fail(failure.to_string()),
            }
        });
    };

    let error_area = move || error_area("mfa-error", error.into());
    let back = move |_| restart.run(String::new());

    let form = move || {
        let step = current.get();
        match step.step().clone() {
            MfaStep::Choose { options } => view! {
                <div class="mfa-form mfa-choose" aria-busy=move || pending.get().to_string()>
                    <fieldset class="mfa-choice" aria-describedby="mfa-error">
                        <legend>"How do you want to confirm it is you?"</legend>
                        {options
                            .into_iter()
                            .map(|option| view! {
                                <button type="button" class="secondary mfa-option"
                                    data-factor=option.challenge_name()
                                    disabled=move || pending.get()
                                    on:click=move |_| choose(option)>
                                    {option.label()}
                                </button>
                            })
                            .collect_view()}
                    </fieldset>
                    {error_area()}
                    <button type="button" class="link back-to-sign-in" on:click=back>"Back to sign in"</button>
                </div>
            }
            .into_any(),
            MfaStep::SetUpAuthenticator if enrolment.with(Option::is_none) => {
                let (intro, _) = code_prompt(&MfaStep::SetUpAuthenticator);
                view! {
                    <div class="mfa-form mfa-setup" aria-busy=move || pending.get().to_string()>
                        <p class="mfa-intro">{intro}</p>
                        {error_area()}
                        <button type="button" class="primary begin-setup" disabled=move || pending.get()
                            aria-describedby="mfa-error" on:click=begin_setup>
                            {move || if pending.get() { "Preparing…" } else { "Set up an authenticator app" }}
                        </button>
                        <button type="button" class="link back-to-sign-in" on:click=back>"Back to sign in"</button>
                    </div>
                }
                .into_any()
            }
            code_step => {
                let (intro, label) = code_prompt(&code_step);
                let account = step.account().to_owned();
                view! {
                    <form class="mfa-form mfa-code-form" aria-busy=move || pending.get().to_string()
                        on:submit=move |event| {
                            event.prevent_default();
                            submit_code();
                        }>
                        <p class="mfa-intro" id="mfa-intro">{intro}</p>
                        {move || enrolment.get().map(|key| view! {
                            <AuthenticatorKey enrolment=key account=account.clone()/>
                        })}
                        <label for="mfa-code">{label}</label>
                        <input id="mfa-code" name="code" type="text" inputmode="numeric"
                            autocomplete="one-time-code" required node_ref=code_field
                            prop:value=move || code.get()
                            on:input=move |event| code.set(event_target_value(&event))
                            aria-invalid=move || error.with(Option::is_some).to_string()
                            aria-describedby="mfa-intro mfa-error"/>
                        {error_area()}
                        {submit_button("primary verify-code", pending.into(), "Verify", "Checking…")}
                        <button type="button" class="link back-to-sign-in" on:click=back>"Back to sign in"</button>
                    </form>
                }
                .into_any()
            }
        }
    };
    view! { <div class="mfa-step">{form}</div> }
}
