//! The root: the session around the notes app. `<SessionGuard>` loads the
//! configuration, signs the user in and keeps the session; the notes app
//! renders inside it while signed in.

use leptos::prelude::*;

use super::note_editor::SaveOpenNote;
use super::shell::SignedInShell;
use session_guard::components::{SaveWork, SessionGuard};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    // Above the guard, so "Save and sign out" in the session-end warning
    // reaches the open editor.
    let save_open = SaveOpenNote::provide();
    let save_work = SaveWork::new(move || save_open.save());
    view! {
        <SessionGuard save_work>
            <SignedInShell/>
        </SessionGuard>
    }
}
