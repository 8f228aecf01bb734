//! The smallest app on Session Guard. `<SessionGuard>` loads `config.json`
//! (the user pool), shows the sign-in page until someone signs in, keeps the
//! tokens fresh, warns before the session ends and lets the user sign in
//! again in place; `Home` is all the app itself has to write.

use leptos::prelude::*;
use session_guard::browser::use_session;
use session_guard::components::SessionGuard;

/// What a signed-in user sees.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let name = move || {
        session
            .user
            .get()
            .map(|user| user.display_name().to_owned())
    };
    view! {
        <main class="home">
            <p>"Signed in as " <strong class="user">{name}</strong></p>
            <button class="sign-out" on:click=move |_| session.sign_out()>"Sign out"</button>
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(|| view! { <SessionGuard><Home/></SessionGuard> });
}
