//! The notes app's own views: the root, the signed-in shell and the notes
//! workspace with its editor. The session's pages and dialogs are the
//! library's components (`session_guard::components`).

mod app;
mod note_editor;
mod notes;
mod shell;

pub use app::App;
pub use note_editor::{NoteEditor, NoteFields, SaveFuture, SaveNote, SaveOpenNote};
pub use notes::NotesWorkspace;
pub use shell::SignedInShell;
