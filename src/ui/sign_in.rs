//! The sign-in page.

use leptos::prelude::*;

use crate::config::AppConfig;

/// Email and password for the configured user pool.
#[component]
pub fn SignInPage(config: AppConfig) -> impl IntoView {
    let pool = format!(
        "{} ({})",
        config.cognito.user_pool_id, config.cognito.region
    );
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    crate::browser::mark_ready();
    view! {
        <main class="sign-in">
            <h1>"Sign in"</h1>
            <p class="pool">"User pool " <span class="pool-id">{pool}</span></p>
            <form class="sign-in-form" on:submit=move |event| event.prevent_default()>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    prop:value=move || email.get() on:input=move |event| email.set(event_target_value(&event))/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |event| password.set(event_target_value(&event))/>
                <button type="submit">"Sign in"</button>
            </form>
        </main>
    }
}
