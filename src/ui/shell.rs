//! The signed-in app: status bar, settings, notes workspace and timeline.
//! The session's dialogs are `<SessionGuard>`'s, above this shell. Thin
//! wiring from the session's signals to the components' plain props; the
//! session core decides every deadline.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notes::NotesWorkspace;
use session_guard::browser::{SignOutEverywhereError, use_session};
use session_guard::cognito::SignInFlow;
use session_guard::components::{
    AuthenticatorSettings, PolicyView, SessionTimeline, StatusBar, TimelinePoints,
    use_sign_out_notice,
};

/// The signed-in app. The notice of the last sign-out (with the drafts
/// kept from then) comes from `<SessionGuard>`.
#[component]
pub fn SignedInShell() -> impl IntoView {
    let session = use_session();
    let notice = use_sign_out_notice();
    let config = session.config();
    let settings_open = RwSignal::new(false);
    let user_name = Signal::derive(move || {
        session
            .user
            .with(|user| user.as_ref().map(|user| user.display_name().to_owned()))
            .unwrap_or_default()
    });
    let online = Signal::derive(move || session.view.with(|v| v.online));
    let now = session.now;
    let points = Signal::derive(move || {
        session
            .view
            .with(|view| TimelinePoints::from_view(view, now.get()))
    });

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
        <div class="app-shell">
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
    }
}
