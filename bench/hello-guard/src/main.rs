//! The hello world of `bench/hello/` with Session Guard added as an app
//! would: with the components, `<SessionGuard>` around the paragraph (and
//! the session timeline under it with `timeline`); headless,
//! `provide_session` and a managed-login button (`managed-login`). What it adds over the plain
//! hello world is what the library costs an app in that feature set.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos::mount::mount_to_body(app::App);
}

#[cfg(target_arch = "wasm32")]
mod app {
    use leptos::prelude::*;

    #[cfg(feature = "components")]
    #[component]
    pub fn App() -> impl IntoView {
        use session_guard::components::SessionGuard;
        view! { <SessionGuard><main><p>"Hello, world!"</p><Timeline/></main></SessionGuard> }
    }

    /// With `timeline`: the session's deadlines drawn under the paragraph.
    #[cfg(feature = "timeline")]
    #[component]
    fn Timeline() -> impl IntoView {
        use session_guard::components::{SessionTimeline, TimelinePoints};
        let session = session_guard::browser::use_session();
        let points = Signal::derive(move || {
            session
                .view
                .with(|view| TimelinePoints::from_view(view, session.now.get()))
        });
        view! { <SessionTimeline points/> }
    }

    #[cfg(all(feature = "components", not(feature = "timeline")))]
    #[component]
    fn Timeline() -> impl IntoView {}

    #[cfg(not(feature = "components"))]
    #[component]
    pub fn App() -> impl IntoView {
        let config = LocalResource::new(session_guard::browser::load_config);
        move || {
            config.get().map(|config| match config {
                Ok(config) => view! { <Headless config/> }.into_any(),
                Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
            })
        }
    }

    /// The session without views: who is signed in, and managed login.
    #[cfg(not(feature = "components"))]
    #[component]
    fn Headless(config: session_guard::config::AppConfig) -> impl IntoView {
        let session = session_guard::browser::provide_session(config);
        if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
            let _ = performance.mark("session-guard-ready");
        }
        let user = move || session.user.get().map(|user| user.username);
        #[cfg(feature = "managed-login")]
        let sign_in = view! {
            <button on:click=move |_| { let _ = session.start_managed_login(); }>"Sign in"</button>
        };
        #[cfg(not(feature = "managed-login"))]
        let sign_in = ();
        view! {
            <main>
                <p>"Hello, " {user}</p>
                {sign_in}
                <button on:click=move |_| session.sign_out()>"Sign out"</button>
            </main>
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the benchmark's library measure is a web app; `make bench` builds it");
}
