//! The root: load the configuration, then show the app or what is wrong with it.

use leptos::prelude::*;

use super::{ConfigErrorPage, SignInPage};
use crate::browser;

/// The whole app. While `config.json` loads it shows a short notice; a
/// configuration problem gets its own page instead of a blank screen.
#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(browser::load_config);
    move || match config.get() {
        None => view! { <p class="loading" role="status">"Loading Session Guard…"</p> }.into_any(),
        Some(Ok(config)) => view! { <SignInPage config/> }.into_any(),
        Some(Err(error)) => view! { <ConfigErrorPage error/> }.into_any(),
    }
}
