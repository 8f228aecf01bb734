//! The sign-in page: email and password, a pending state, errors in plain
//! words next to the form (with a retry when the service was unreachable),
//! and the banner explaining the last sign-out. An account an administrator
//! created continues on the same page with choosing its password
//! (NEW_PASSWORD_REQUIRED), the pool's rules listed and checked as it is typed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::forgot_password::ForgotPasswordForm;
use super::form::{error_area, submit_button};
#[cfg(feature = "mfa")]
use super::mfa_step::MfaStepForm;
use super::new_password_fields::{NewPasswordFields, NewPasswordInput};
use super::sign_out_banner::{SignOutBanner, SignOutNotice};
#[cfg(feature = "mfa")]
use crate::browser::SignInPurpose;
use crate::browser::{SessionContext, SignInError, SignInOutcome, try_use_session};
#[cfg(feature = "managed-login")]
use crate::cognito::SignInFlow;
use crate::cognito::{CognitoError, MfaChallenge, NewPasswordChallenge, RetryClass, Secret};
use crate::config::{AppConfig, PasswordPolicy};

/// A failed sign-in, as the form shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct FormError {
    pub(super) message: String,
    /// Nothing is known about the credentials (offline, timeout): offer a retry.
    pub(super) retryable: bool,
}

impl From<SignInError> for FormError {
    fn from(error: SignInError) -> Self {
        let retryable =
            matches!(&error, SignInError::Cognito(e) if e.retry_class() == RetryClass::Retryable);
        FormError {
            message: error.to_string(),
            retryable,
        }
    }
}

/// Email and password for the configured user pool. Signs in through the
/// session provided above it (`provide_session`); without one (a page
/// preview in tests) the form only renders.
#[component]
pub fn SignInPage(
    config: AppConfig,
    /// Why the last sign-out happened and what was kept.
    #[prop(optional_no_strip)]
    sign_out: Option<SignOutNotice>,
) -> impl IntoView {
    let pool = format!(
        "{} ({})",
        config.cognito.user_pool_id, config.cognito.region
    );
    let session = try_use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    // Set when Cognito answers NEW_PASSWORD_REQUIRED; the page then asks for it.
    let challenge = RwSignal::new(None::<NewPasswordChallenge>);
    // The user asked to reset a forgotten password.
    let forgot = RwSignal::new(false);
    // The password was right; Cognito asks for a second step (MFA).
    let mfa = RwSignal::new(None::<MfaChallenge>);

    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(session) = session else {
            error.set(Some(FormError {
                message: "Signing in is not available on this page.".to_owned(),
                retryable: false,
            }));
            return;
        };
        let (address, secret) = (
            email.get_untracked().trim().to_owned(),
            Secret::new(password.get_untracked()),
        );
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = session.sign_in(address, secret).await;
            // On success this page is replaced by the app; nothing to update.
            match result {
                Ok(SignInOutcome::SignedIn) => {}
                Ok(SignInOutcome::NewPasswordRequired(next)) => {
                    let _ = pending.try_set(false);
                    let _ = password.try_set(String::new());
                    let _ = challenge.try_set(Some(next));
                }
                Ok(SignInOutcome::Mfa(next)) => {
                    let _ = pending.try_set(false);
                    let _ = password.try_set(String::new());
                    let _ = mfa.try_set(Some(next));
                }
                Err(failure) => {
                    let _ = pending.try_set(false);
                    let _ = error.try_set(Some(FormError::from(failure)));
                    session.prepare_sign_in();
                }
            }
        });
    };
    let has_error = move || error.with(Option::is_some);
    if let Some(session) = session {
        // SRP's password-independent half, while the user types.
        session.prepare_sign_in_soon();
    }
    let policy = config.password_policy.clone();
    let sign_in_form = move || {
        view! {
            <form
                class="sign-in-form"
                aria-busy=move || pending.get().to_string()
                on:submit=move |event| {
                    event.prevent_default();
                    submit();
                }
            >
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    prop:value=move || email.get() on:input=move |event| email.set(event_target_value(&event))
                    aria-invalid=move || has_error().to_string()
                    aria-describedby="sign-in-error"/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |event| password.set(event_target_value(&event))
                    aria-invalid=move || has_error().to_string()
                    aria-describedby="sign-in-error"/>
                <div class="form-error" id="sign-in-error" role="alert">
                    {move || error.get().map(|failure| view! {
                        <p class="sign-in-error">{failure.message}</p>
                        {failure.retryable.then(|| view! {
                            <button type="button" class="secondary retry" on:click=move |_| submit()>
                                "Try again"
                            </button>
                        })}
                    })}
                </div>
                {submit_button("primary", pending.into(), "Sign in", "Signing in…")}
                <button type="button" class="link forgot-password" on:click=move |_| {
                    error.set(None);
                    forgot.set(true);
                }>
                    "Forgot your password?"
                </button>
            </form>
        }
    };
    #[cfg(feature = "managed-login")]
    if config.cognito.sign_in_flow == SignInFlow::Hosted {
        return view! {
            <main class="sign-in">
                <h1>"Sign in"</h1>
                <p class="pool">"User pool " <span class="pool-id">{pool}</span></p>
                {sign_out.map(|notice| view! { <SignOutBanner notice/> })}
                <ManagedLoginPanel session/>
            </main>
        }
        .into_any();
    }
    view! {
        <main class="sign-in">
            <h1>{move || if mfa.with(Option::is_some) {
                "Confirm it is you"
            } else if challenge.with(Option::is_some) {
                "Choose your password"
            } else if forgot.get() {
                "Reset your password"
            } else {
                "Sign in"
            }}</h1>
            <p class="pool">"User pool " <span class="pool-id">{pool}</span></p>
            {sign_out.map(|notice| view! { <SignOutBanner notice/> })}
            {move || match (mfa.get(), challenge.get()) {
                #[cfg(feature = "mfa")]
                (Some(second_step), _) => view! {
                    <MfaStepForm
                        challenge=second_step
                        purpose=SignInPurpose::NewSession
                        restart=move |message: String| {
                            mfa.set(None);
                            forgot.set(false);
                            error.set((!message.is_empty()).then_some(FormError { message, retryable: false }));
                            if let Some(session) = session {
                                session.prepare_sign_in();
                            }
                        }
                    />
                }.into_any(),
                (None, Some(pending_challenge)) => view! {
                    <NewPasswordForm
                        challenge=pending_challenge
                        policy=policy.clone()
                        session
                        restart=move |message: String| {
                            challenge.set(None);
                            error.set(Some(FormError { message, retryable: false }));
                        }
                        second_step=move |next: MfaChallenge| {
                            challenge.set(None);
                            mfa.set(Some(next));
                        }
                    />
                }.into_any(),
                (None, None) if forgot.get() => view! {
                    <ForgotPasswordForm session policy=policy.clone() email back=move || forgot.set(false)
                        second_step=move |next: MfaChallenge| mfa.set(Some(next))/>
                }.into_any(),
                // The driver refuses a second step in a build without MFA,
                // so it is never set there.
                #[cfg(not(feature = "mfa"))]
                (Some(_), _) => ().into_any(),
                (None, None) => sign_in_form().into_any(),
            }}
        </main>
    }
    .into_any()
}

/// Managed login: one button to the pool's own sign-in page (providers,
/// passkeys, MFA live there), and why the last attempt failed, if it did.
#[cfg(feature = "managed-login")]
#[component]
fn ManagedLoginPanel(session: Option<SessionContext>) -> impl IntoView {
    let leaving = RwSignal::new(false);
    let start_error = RwSignal::new(None::<String>);
    let returned_error =
        move || session.and_then(|session| session.view.with(|view| view.sign_in_error.clone()));
    let message = move || start_error.get().or_else(returned_error);
    let start = move |_| {
        let Some(session) = session else {
            start_error.set(Some("Signing in is not available on this page.".to_owned()));
            return;
        };
        leaving.set(true);
        if let Err(error) = session.start_managed_login() {
            leaving.set(false);
            start_error.set(Some(error.to_string()));
        }
    };
    view! {
        <div class="managed-login">
            <p class="managed-login-intro">
                "You sign in on your organisation's sign-in page, then come straight back here."
            </p>
            {error_area("sign-in-error", Signal::derive(message))}
            <button type="button" class="primary managed-sign-in" disabled=move || leaving.get()
                aria-describedby="sign-in-error" on:click=start>
                {move || if leaving.get() { "Opening the sign-in page…" } else { "Sign in" }}
            </button>
        </div>
    }
}

/// NEW_PASSWORD_REQUIRED: the new password twice, the pool's rules with what
/// is still missing, and Cognito's own refusal if it has stricter rules.
#[component]
fn NewPasswordForm(
    challenge: NewPasswordChallenge,
    policy: PasswordPolicy,
    session: Option<SessionContext>,
    /// Back to the sign-in form with a message (the challenge ran out).
    restart: impl Fn(String) + Clone + Send + Sync + 'static,
    /// The password is set; Cognito asks for a second step.
    second_step: impl Fn(MfaChallenge) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let input = NewPasswordInput::new(&policy);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let user = challenge_user(&challenge);

    let submit = move || {
        if pending.get_untracked() {
            return;
        }
        input.attempted.set(true);
        let Some(session) = session else { return };
        if let Some(problem) = input.problem() {
            error.set(Some(FormError {
                message: problem.to_owned(),
                retryable: false,
            }));
            return;
        }
        pending.set(true);
        error.set(None);
        let secret = Secret::new(input.new_password.get_untracked());
        let challenge = challenge.clone();
        let restart = restart.clone();
        let second_step = second_step.clone();
        spawn_local(async move {
            match session.choose_new_password(challenge, secret).await {
                Ok(SignInOutcome::SignedIn) => {}
                Ok(SignInOutcome::Mfa(next)) => second_step(next),
                Ok(SignInOutcome::NewPasswordRequired(_)) => {
                    let _ = pending.try_set(false);
                    restart(
                        "The sign-in service asked for a new password again; please sign in again."
                            .to_owned(),
                    );
                }
                Err(SignInError::Cognito(CognitoError::ChallengeExpired)) => {
                    restart(CognitoError::ChallengeExpired.to_string());
                }
                Err(failure) => {
                    let _ = pending.try_set(false);
                    let _ = error.try_set(Some(FormError::from(failure)));
                }
            }
        });
    };
    view! {
        <form
            class="new-password-form"
            aria-busy=move || pending.get().to_string()
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <p class="new-password-intro">
                "This is your first sign-in to " <strong>{user}</strong>
                ". Choose a password only you know; it replaces the temporary one."
            </p>
            <NewPasswordFields input policy error_id="new-password-error"/>
            {error_area(
                "new-password-error",
                Signal::derive(move || error.get().map(|failure| failure.message)),
            )}
            {submit_button("primary", pending.into(), "Set password and sign in", "Saving…")}
        </form>
    }
}

fn challenge_user(challenge: &NewPasswordChallenge) -> String {
    let name = challenge.username();
    // Cognito's internal user id (a UUID) means nothing to the user.
    if name.len() == 36 && name.chars().filter(|&c| c == '-').count() == 4 {
        "your account".to_owned()
    } else {
        name.to_owned()
    }
}
