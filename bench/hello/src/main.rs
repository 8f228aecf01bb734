//! The start-up baseline of `make bench`: Leptos renders one paragraph and
//! sets the same performance mark the app sets when it is interactive.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    leptos::mount::mount_to_body(|| view! { <main><p>"Hello, world!"</p></main> });
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("session-guard-ready");
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the benchmark baseline is a web app; `make bench` builds and serves it");
}
