//! Session Guard Notes: a notes app built on the Session Guard library's
//! public API. `notes` is the pure model of the notes screen (tested
//! natively), `notes_client` calls the notes API through the library's
//! authorized client, and `ui` only renders state.

pub mod notes;

// Browser-only: compiled for wasm32.
#[cfg(target_arch = "wasm32")]
pub mod notes_client;
#[cfg(target_arch = "wasm32")]
pub mod ui;
