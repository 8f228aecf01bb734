//! The signed-in app: status bar, settings, notes workspace and timeline,
//! with the warning and re-auth dialogs above them. Thin wiring from the
//! session's signals to the components' plain props; the session core
//! decides every deadline.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::authenticator_settings::AuthenticatorSettings;
use super::note_editor::SaveOpenNote;
use super::notes::NotesWorkspace;
use super::policy_view::PolicyView;
use super::reauth_dialog::{ManagedReauth, ReauthDialog};
use super::sign_out_banner::SignOutNotice;
use super::status_bar::StatusBar;
use super::timeline::{SessionTimeline, TimelinePoints};
use super::warning_dialog::WarningDialog;
use session_guard::browser::clock_time_seconds;
use session_guard::browser::{SignInError, SignInOutcome, SignOutEverywhereError, use_session};
use session_guard::cognito::{MfaChallenge, Secret, SignInFlow};
use session_guard::session::{Millis, SessionState, Warning, WarningKind};

/// The signed-in app. `notice` is why the user was last signed out (shown
/// with the drafts kept from then).
#[component]
pub fn SignedInShell(#[prop(optional_no_strip)] notice: Option<SignOutNotice>) -> impl IntoView {
    let session = use_session();
    let config = session.driver().config().clone();
    let hosted = config.cognito.sign_in_flow == SignInFlow::Hosted;
    let save_open = SaveOpenNote::provide();

    let settings_open = RwSignal::new(false);
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
    let modal_open = Memo::new(move |_| reauth_open.get() || warning_kind.get().is_some());

    let user_name = Signal::derive(move || {
        session
            .user
            .with(|user| {
                user.as_ref()
                    .map(|u| u.email.clone().unwrap_or_else(|| u.username.clone()))
            })
            .unwrap_or_default()
    });
    let online = Signal::derive(move || session.view.with(|v| v.online));
    let now = session.now;
    let deadline = Signal::derive(move || warning.get().map(|w| w.deadline).unwrap_or(Millis(0)));
    let points = {
        let (policy, validity) = (config.policy.clone(), config.cognito.refresh_token_validity);
        Signal::derive(move || {
            session
                .view
                .with(|view| TimelinePoints::from_view(view, &policy, validity, now.get()))
        })
    };

    let sign_out = Callback::new(move |()| session.sign_out());
    let sign_out_deleting_drafts = Callback::new(move |()| session.sign_out_deleting_drafts());
    // What "Sign out everywhere" could not do, said where the user looks.
    let session_notice = RwSignal::new(None::<String>);
    let sign_out_everywhere = Callback::new(move |()| {
        spawn_local(async move {
            // This tab signs out whatever the provider says, except when the
            // tokens cannot sign out anywhere else (then nothing happens).
            if let Err(SignOutEverywhereError::MissingScope) = session.sign_out_everywhere().await {
                let _ =
                    session_notice.try_set(Some(SignOutEverywhereError::MissingScope.to_string()));
            }
        });
    });
    let save_and_sign_out = move || {
        spawn_local(async move {
            save_open.save().await;
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
                            let _ = reauth_error.try_set(Some(
                                session_guard::browser::SignInError::NewPasswordRequired.to_string(),
                            ));
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
            let managed = hosted.then(|| {
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
            });
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

    let settings = {
        let config = config.clone();
        move || {
            settings_open.get().then(|| {
                view! {
                    <div class="settings-panel">
                        <PolicyView
                            preset=config.preset
                            policy=config.policy.clone()
                            refresh_token_validity=config.cognito.refresh_token_validity
                        />
                        {(config.cognito.sign_in_flow != SignInFlow::Hosted)
                            .then(|| view! { <AuthenticatorSettings account=user_name/> })}
                    </div>
                }
            })
        }
    };

    view! {
        <div class="app-shell" inert=move || modal_open.get()>
            <StatusBar
                user=user_name
                state=session.state
                session_end=session.session_end
                now=now
                online=online
                settings_open=settings_open
                on_toggle_settings=move |()| settings_open.update(|open| *open = !*open)
                on_sign_out=sign_out
                on_sign_out_everywhere=sign_out_everywhere
                on_sign_out_deleting_drafts=sign_out_deleting_drafts
            />
            <p class="session-notice" role="alert">{move || session_notice.get()}</p>
            <div class="app-body">
                {settings}
                <main class="workspace">
                    <NotesWorkspace notice=notice/>
                    <aside class="session-panel" aria-labelledby="session-panel-title">
                        <h2 id="session-panel-title">"Your session"</h2>
                        <SessionTimeline points/>
                    </aside>
                </main>
            </div>
        </div>
        {warning_dialog}
        {reauth_dialog}
    }
}
