//! The page shown when `config.json` is missing, broken or invalid.

use leptos::prelude::*;

use crate::config::ConfigError;

/// Names the field, the problem and the fix, so whoever deployed the app can
/// correct it without reading source code.
#[component]
pub fn ConfigErrorPage(error: ConfigError) -> impl IntoView {
    view! {
        <main class="config-error" role="alert" aria-labelledby="config-error-title">
            <h1 id="config-error-title">"Session Guard cannot start"</h1>
            <p>"The configuration (config.json) has a problem:"</p>
            <dl>
                <dt>"Field"</dt>
                <dd><code class="config-error-field">{error.field}</code></dd>
                <dt>"Problem"</dt>
                <dd class="config-error-problem">{error.problem}</dd>
                <dt>"How to fix it"</dt>
                <dd class="config-error-fix">{error.fix}</dd>
            </dl>
        </main>
    }
}
