//! `<SessionGuard>`: the whole session around an app in one component. It
//! loads the configuration (unless given one), starts the session, shows
//! the sign-in page while signed out and the app (its children) while
//! signed in, with the expiry-warning and re-authentication dialogs above
//! it. A refresh or a warning never unmounts the children, so the work in
//! them stays exactly as it is.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

use super::config_error::ConfigErrorPage;
use super::session_dialogs::SessionDialogs;
use super::sign_in::SignInPage;
use super::sign_out_banner::SignOutNotice;
use crate::browser::{self, DraftStore, provide_session, use_session};
use crate::config::AppConfig;
use crate::session::{SessionState, SignOutReason};

/// Saves the app's open work to its server before a sign-out the user
/// chose from the session-end warning ("Save and sign out"). Resolves to
/// `true` when nothing is left unsaved.
#[derive(Clone)]
pub struct SaveWork(Rc<dyn Fn() -> Pin<Box<dyn Future<Output = bool>>>>);

impl SaveWork {
    /// Wraps the app's save action.
    pub fn new<F>(save: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = bool> + 'static,
    {
        SaveWork(Rc::new(move || Box::pin(save())))
    }

    pub(crate) async fn run(&self) -> bool {
        (self.0)().await
    }
}

/// Why the user was last signed out and which drafts were kept, as the
/// sign-in page showed it; the signed-in app reads it with
/// [`use_sign_out_notice`] to offer those drafts again.
#[derive(Clone, Copy)]
struct LastSignOutNotice(StoredValue<Option<SignOutNotice>>);

/// The notice of the sign-out before this sign-in (inside `<SessionGuard>`).
#[must_use]
pub fn use_sign_out_notice() -> Option<SignOutNotice> {
    use_context::<LastSignOutNotice>().and_then(|notice| notice.0.get_value())
}

/// The session around `children`, which render only while signed in.
///
/// Without `config` it loads `config.json` next to the page; a broken one
/// gets a page naming the field, never a blank screen.
#[component]
pub fn SessionGuard(
    /// The configuration, when the app has it already (from Rust or its
    /// own loader); otherwise `config.json` is fetched.
    #[prop(optional, into)]
    config: Option<AppConfig>,
    /// What "Save and sign out" saves first.
    #[prop(optional)]
    save_work: Option<SaveWork>,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    let save_work = StoredValue::new_local(save_work);
    match config {
        Some(config) => {
            view! { <GuardedApp config save_work=save_work.get_value() children=children.get_value()/> }
                .into_any()
        }
        None => {
            // A signal set once the file is read (lighter in the WebAssembly
            // than a resource, which brings the async-derived machinery).
            let loaded = RwSignal::new(None);
            leptos::task::spawn_local(async move {
                let _ = loaded.try_set(Some(browser::load_config().await));
            });
            (move || match loaded.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(Ok(config)) => view! {
                    <GuardedApp config save_work=save_work.get_value() children=children.get_value()/>
                }
                .into_any(),
                Some(Err(error)) => view! { <ConfigErrorPage error/> }.into_any(),
            })
            .into_any()
        }
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
    /// app (what the start-up benchmark times).
    fn is_interactive(self) -> bool {
        matches!(self, Screen::SignedOut(_) | Screen::SignedIn)
    }
}

/// Starts the session runtime and switches pages by its state.
#[component]
fn GuardedApp(
    config: AppConfig,
    save_work: Option<SaveWork>,
    children: ChildrenFn,
) -> impl IntoView {
    browser::narrow_connect_src(&config);
    let session = provide_session(config.clone());
    let notice = StoredValue::new(None::<SignOutNotice>);
    provide_context(LastSignOutNotice(notice));
    let save_work = StoredValue::new_local(save_work);
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
                let modal_open = RwSignal::new(false);
                view! {
                    <div class="session-guard-app" inert=move || modal_open.get()>
                        {children()}
                    </div>
                    <SessionDialogs save_work=save_work.get_value() modal_open/>
                }
                .into_any()
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
        .map(|sub| DraftStore::for_config(config).kept_labels(&sub, session.read_clock()))
        .unwrap_or_default();
    Some(SignOutNotice {
        reason,
        idle_timeout: config.policy.idle_timeout,
        kept,
    })
}
