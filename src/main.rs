//! Mounts the app; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos::mount::mount_to_body(session_guard_notes::ui::App);
}

/// The app runs in a browser; natively there is nothing to start.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Session Guard is a web app: run `make serve` and open the printed URL.");
    std::process::exit(2);
}
