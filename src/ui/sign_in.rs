//! The sign-in page: email and password, a pending state, errors in plain
//! words next to the form (with a retry when the service was unreachable),
//! and the banner explaining the last sign-out.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::sign_out_banner::{SignOutBanner, SignOutNotice};
use crate::browser::{SessionContext, SignInError};
use crate::cognito::{RetryClass, Secret};
use crate::config::AppConfig;

/// A failed sign-in, as the form shows it.
#[derive(Clone, Debug, PartialEq)]
struct FormError {
    message: String,
    /// Nothing is known about the credentials (offline, timeout): offer a retry.
    retryable: bool,
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
    let session = use_context::<SessionContext>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);

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
            if let Err(failure) = result {
                let _ = pending.try_set(false);
                let _ = error.try_set(Some(FormError::from(failure)));
            }
        });
    };
    let has_error = move || error.with(Option::is_some);
    crate::browser::mark_ready();
    view! {
        <main class="sign-in">
            <h1>"Sign in"</h1>
            <p class="pool">"User pool " <span class="pool-id">{pool}</span></p>
            {sign_out.map(|notice| view! { <SignOutBanner notice/> })}
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
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
