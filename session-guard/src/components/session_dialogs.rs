//! The session's two dialogs over a signed-in app: the expiry warning
//! (idle, or the session's hard end coming) and re-authentication in place
//! (asked for from the warning, or required once the session reached its
//! end). Wiring only: the session core decides when each is due.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::guard::SaveWork;
#[cfg(feature = "managed-login")]
use super::reauth_dialog::ManagedReauth;
use super::reauth_dialog::ReauthDialog;
use super::warning_dialog::WarningDialog;
use crate::browser::{SignInError, SignInOutcome, clock_time_seconds, use_session};
#[cfg(feature = "managed-login")]
use crate::cognito::SignInFlow;
use crate::cognito::{MfaChallenge, Secret};
use crate::session::{Millis, SessionState, Warning, WarningKind};

/// The warning and re-authentication dialogs. `modal_open` is set while
/// one is open, so the app behind can be made `inert`.
#[component]
pub fn SessionDialogs(
    /// What "Save and sign out" saves first.
    #[prop(optional_no_strip)]
    save_work: Option<SaveWork>,
    /// Set while a dialog is open.
    #[prop(optional, into)]
    modal_open: Option<RwSignal<bool>>,
) -> impl IntoView {
    let session = use_session();
    let save_work = StoredValue::new_local(save_work);

    // The user chose "Sign in again now" on the session-end warning.
    let reauth_requested = RwSignal::new(false);
    // A session-end warning the user closed with Escape (it comes back at
    // the next reminder, which is a different warning).
    let dismissed = RwSignal::new(None::<Warning>);
    let reauth_pending = RwSignal::new(false);
    let reauth_error = RwSignal::new(None::<String>);
    // The password was right and the pool asks for a second step.
    let reauth_mfa = RwSignal::new(None::<MfaChallenge>);

    let reauth_required = Memo::new(move |_| session.state.get() == SessionState::ReauthRequired);
    let warning = session.warning;
    // Settled (in any tab): a request made from the warning lapses with it.
    Effect::new(move |_| {
        if warning.get().is_none() {
            reauth_requested.set(false);
            dismissed.set(None);
        }
    });
    let reauth_open = Memo::new(move |_| reauth_required.get() || reauth_requested.get());
    // A dialog that closes forgets a half-done second step.
    Effect::new(move |_| {
        if !reauth_open.get() {
            reauth_mfa.set(None);
        }
    });
    let warning_kind = Memo::new(move |_| {
        if reauth_open.get() {
            return None;
        }
        warning
            .get()
            .filter(|current| dismissed.get() != Some(*current))
            .map(|current| current.kind)
    });
    if let Some(modal_open) = modal_open {
        Effect::new(move |_| modal_open.set(reauth_open.get() || warning_kind.get().is_some()));
    }

    let user_name = Signal::derive(move || {
        session
            .user
            .with(|user| user.as_ref().map(|user| user.display_name().to_owned()))
            .unwrap_or_default()
    });
    let now = session.now;
    let deadline = Signal::derive(move || warning.get().map(|w| w.deadline).unwrap_or(Millis(0)));
    let sign_out = Callback::new(move |()| session.sign_out());
    let save_and_sign_out = move || {
        let save = save_work.get_value();
        spawn_local(async move {
            if let Some(save) = save {
                save.run().await;
            }
            session.sign_out();
        });
    };

    let warning_dialog = move || {
        warning_kind.get().map(|kind| {
            let (on_primary, on_secondary, on_escape) = match kind {
                WarningKind::Idle => (
                    Callback::new(move |()| session.stay_signed_in()),
                    Callback::new(move |()| session.sign_out()),
                    // Escape is the safe choice: keep the session.
                    Callback::new(move |()| session.stay_signed_in()),
                ),
                WarningKind::SessionEnding => (
                    Callback::new(move |()| {
                        reauth_error.set(None);
                        reauth_requested.set(true);
                    }),
                    Callback::new(move |()| save_and_sign_out()),
                    // Escape closes: keep working, never sign out.
                    Callback::new(move |()| dismissed.set(warning.get_untracked())),
                ),
            };
            view! { <WarningDialog kind deadline now on_primary on_secondary on_escape/> }
        })
    };

    let reauth_dialog = move || {
        reauth_open.get().then(|| {
            // SRP's password-independent half while the user types.
            session.prepare_sign_in_soon();
            let email = user_name.get_untracked();
            let blocking = reauth_required.get();
            let message = Signal::derive(move || {
                if reauth_required.get() {
                    let by = session
                        .reauth_deadline
                        .get()
                        .map(|at| format!(" Sign in again before {} to carry on.", clock_time_seconds(at)))
                        .unwrap_or_default();
                    format!(
                        "Your session reached its maximum length.{by} Everything on this page stays as it is."
                    )
                } else {
                    "Start a fresh session now, without leaving this page: everything on it stays as it is."
                        .to_owned()
                }
            });
            let on_submit = Callback::new(move |password: String| {
                reauth_pending.set(true);
                reauth_error.set(None);
                spawn_local(async move {
                    let result = session.reauthenticate(Secret::new(password)).await;
                    let _ = reauth_pending.try_set(false);
                    match result {
                        Ok(SignInOutcome::SignedIn) => {
                            let _ = reauth_requested.try_set(false);
                        }
                        Ok(SignInOutcome::Mfa(challenge)) => {
                            let _ = reauth_mfa.try_set(Some(challenge));
                        }
                        Ok(SignInOutcome::NewPasswordRequired(_)) => {
                            let _ = reauth_error
                                .try_set(Some(SignInError::NewPasswordRequired.to_string()));
                        }
                        Err(error) => {
                            let _ = reauth_error.try_set(Some(error.to_string()));
                            session.prepare_sign_in();
                        }
                    }
                });
            });
            let on_cancel = (!blocking).then(|| Callback::new(move |()| reauth_requested.set(false)));
            // Pools with managed login sign in again in a window of their own.
            #[cfg(feature = "managed-login")]
            let managed = (session.config().cognito.sign_in_flow == SignInFlow::Hosted)
                .then(|| managed_reauth(session, reauth_error));
            #[cfg(not(feature = "managed-login"))]
            let managed = None;
            let on_mfa_restart = Callback::new(move |message: String| {
                reauth_mfa.set(None);
                reauth_error.set((!message.is_empty()).then_some(message));
                session.prepare_sign_in();
            });
            let on_mfa_done = Callback::new(move |()| {
                reauth_mfa.set(None);
                reauth_requested.set(false);
            });
            view! {
                <ReauthDialog
                    email
                    message
                    pending=reauth_pending
                    error=reauth_error
                    on_submit
                    on_cancel=on_cancel
                    on_sign_out=sign_out
                    managed
                    mfa=reauth_mfa
                    on_mfa_restart
                    on_mfa_done
                />
            }
        })
    };

    view! {
        {warning_dialog}
        {reauth_dialog}
    }
}

/// Re-authentication through managed login: the pool's page in a window of
/// its own, and what the dialog says when that window closed too early or
/// was blocked.
#[cfg(feature = "managed-login")]
fn managed_reauth(
    session: crate::browser::SessionContext,
    reauth_error: RwSignal<Option<String>>,
) -> ManagedReauth {
    let fallback_url = RwSignal::new(None::<String>);
    // A window closed before signing in: said in the dialog.
    Effect::new(move |_| {
        if session.view.with(|view| view.reauth_window_closed) {
            reauth_error.set(Some(
                "The sign-in window was closed before you signed in. Sign in again to carry on."
                    .to_owned(),
            ));
        }
    });
    ManagedReauth {
        start: Callback::new(move |()| {
            reauth_error.set(None);
            fallback_url.set(None);
            if let Err(error) = session.reauthenticate_in_window() {
                if let SignInError::WindowBlocked { url } = &error {
                    fallback_url.set(Some(url.clone()));
                }
                reauth_error.set(Some(error.to_string()));
            }
        }),
        fallback_url: fallback_url.into(),
    }
}
