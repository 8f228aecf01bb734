//! What the notes screen decides, kept apart from how it is drawn: which
//! copy of a note opens (the server's, a draft kept on this device, or the
//! two reconciled), whether a save creates or updates, what a conflict with
//! someone else's save carries, and how a save changes the list. Pure: no
//! browser, no Leptos, so every rule is tested natively; `ui::notes` and
//! `ui::note_editor` only render this model and send it what happened.

mod conflict;
mod fields;
mod list;
mod opening;

#[cfg(test)]
mod tests;

pub use conflict::{NoteConflict, SaveFailure, ServerCopy, ServerVersion};
pub use fields::{Note, NoteFields, NoteSummary, SaveKind, draft_key, title_or_untitled};
pub use list::record_saved;
pub use opening::{
    DraftStanding, KeptDraft, OpenFailure, OpenNote, OpenPlan, OpenRequest, Opened, ServerAnswer,
    plan_open, reconcile,
};
