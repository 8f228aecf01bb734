//! The root: load the configuration, start the session, then show the page
//! the session's state calls for (loading, sign-in, or the signed-in app).

use leptos::prelude::*;

use super::shell::SignedInShell;
use super::sign_out_banner::SignOutNotice;
use super::{ConfigErrorPage, SignInPage};
use session_guard::browser::{self, DraftStore, provide_session, use_session};
use session_guard::config::AppConfig;
use session_guard::session::{SessionState, SignOutReason};

/// The whole app. While `config.json` loads it shows a short notice; a
/// configuration problem gets its own page instead of a blank screen.
#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(browser::load_config);
    move || match config.get() {
        None => view! { <p class="loading" role="status">"Loading Session Guard…"</p> }.into_any(),
        Some(Ok(config)) => view! { <SessionRoot config/> }.into_any(),
        Some(Err(error)) => view! { <ConfigErrorPage error/> }.into_any(),
    }
}

/// Which page is on screen. Changes only when the page must: a refresh or
/// a warning keeps the signed-in app (and the work in it) mounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    Restoring,
    /// With the reason, so a new reason while signed out (another person
    /// signed in elsewhere) renders the sign-in page's notice again.
    SignedOut(Option<SignOutReason>),
    SignedIn,
    /// Back from managed login: exchanging the code.
    CompletingSignIn,
}

impl Screen {
    /// A screen the user can act on: the sign-in form, or the signed-in
    /// app with its editor (what the start-up benchmark times).
    fn is_interactive(self) -> bool {
        matches!(self, Screen::SignedOut(_) | Screen::SignedIn)
    }
}

/// Starts the session runtime and switches pages by its state.
#[component]
fn SessionRoot(config: AppConfig) -> impl IntoView {
    session_guard::browser::narrow_connect_src(&config);
    let session = provide_session(config.clone());
    // Why the last sign-out happened, carried into the signed-in app so the
    // drafts prompt can say it again.
    let notice = StoredValue::new(None::<SignOutNotice>);
    let screen = Memo::new(move |_| {
        let (restoring, completing, state, reason) = session.view.with(|view| {
            (
                view.restoring,
                view.completing_sign_in,
                view.state,
                view.last_sign_out,
            )
        });
        if completing && state == SessionState::SignedOut {
            Screen::CompletingSignIn
        } else if restoring {
            Screen::Restoring
        } else if state == SessionState::SignedOut {
            Screen::SignedOut(reason)
        } else {
            Screen::SignedIn
        }
    });
    move || {
        let screen = screen.get();
        if screen.is_interactive() {
            // The start-up readiness mark, once the screen built here is in
            // the document: a task spawned now runs after this render.
            leptos::task::spawn_local(async { browser::mark_ready() });
        }
        match screen {
            Screen::Restoring => {
                view! { <p class="loading" role="status">"Restoring your session…"</p> }.into_any()
            }
            Screen::CompletingSignIn => {
                view! { <p class="loading" role="status">"Signing you in…"</p> }.into_any()
            }
            Screen::SignedOut(_) => {
                let last_sub = session
                    .view
                    .with_untracked(|view| view.last_user.as_ref().map(|user| user.sub.clone()));
                let sign_out = sign_out_notice(&config, last_sub);
                notice.set_value(sign_out.clone());
                view! { <SignInPage config=config.clone() sign_out/> }.into_any()
            }
            Screen::SignedIn => {
                let notice = notice.get_value();
                view! { <SignedInShell notice/> }.into_any()
            }
        }
    }
}

/// Why the last sign-out happened (this tab's reason, else the stored one)
/// and which drafts of that user were kept.
fn sign_out_notice(config: &AppConfig, last_sub: Option<String>) -> Option<SignOutNotice> {
    let session = use_session();
    let stored = session.stored_sign_out();
    let reason = session
        .last_sign_out
        .get_untracked()
        .or_else(|| stored.as_ref().and_then(|stored| stored.reason()))?;
    let sub = stored.and_then(|stored| stored.sub).or(last_sub);
    let kept = sub
        .map(|sub| {
            let mut labels: Vec<String> = DraftStore::for_config(config)
                .load(&sub, session.driver().now())
                .into_iter()
                .map(|draft| draft.label)
                .collect();
            labels.dedup();
            labels
        })
        .unwrap_or_default();
    Some(SignOutNotice {
        reason,
        idle_timeout: config.policy.idle_timeout,
        kept,
    })
}
