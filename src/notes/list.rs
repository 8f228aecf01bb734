//! How a successful save changes the notes list.

use super::fields::{Note, NoteSummary};

/// Puts a saved note in the list: its row is replaced where it is, or a
/// new note goes on top.
pub fn record_saved(list: &mut Vec<NoteSummary>, note: &Note) {
    let summary = NoteSummary::from(note);
    match list.iter_mut().find(|row| row.id == note.id) {
        Some(row) => *row = summary,
        None => list.insert(0, summary),
    }
}
