//! Why a save did not reach the server, typed: above all a conflict with a
//! newer version someone else saved, which says which version that is so
//! the user can choose to save theirs over it.

use super::fields::NoteFields;

/// Which note, at which version, the server has now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVersion {
    pub id: u64,
    pub version: u64,
}

/// Someone else saved this note after the edit began. `server` is the
/// version they saved, when the server's answer says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteConflict {
    pub server: Option<ServerVersion>,
}

impl NoteConflict {
    /// The conflict from the server's answer (its `current` field, the
    /// note as the server has it). The answer is a claim: without a whole
    /// number id and version it says nothing.
    pub fn from_server_copy(current: &ServerCopy) -> Self {
        NoteConflict {
            server: current
                .id
                .zip(current.version)
                .map(|(id, version)| ServerVersion { id, version }),
        }
    }

    /// The version the server has now, if it said.
    pub fn server_version(&self) -> Option<u64> {
        self.server.map(|server| server.version)
    }

    /// What "Save mine over theirs" sends: the user's text on top of the
    /// server's version of the same note. Without that version (or with a
    /// version of some other note) the text is saved as a new note, so
    /// nothing is overwritten blindly and nothing is lost.
    pub fn overwrite_with(&self, mine: &NoteFields) -> NoteFields {
        match self.server {
            Some(server) if mine.id == Some(server.id) => NoteFields {
                version: Some(server.version),
                ..mine.clone()
            },
            _ => NoteFields {
                id: None,
                version: None,
                ..mine.clone()
            },
        }
    }
}

/// The `current` member of a conflict answer: of the note the server has,
/// only what a conflict needs, read leniently (see [`crate::json`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ServerCopy {
    #[serde(default, deserialize_with = "crate::json::serde_compat::whole_number")]
    pub id: Option<u64>,
    #[serde(default, deserialize_with = "crate::json::serde_compat::whole_number")]
    pub version: Option<u64>,
}

/// A save that did not happen; the text stays in the editor either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveFailure {
    Conflict(NoteConflict),
    /// Anything else, as a sentence the user can act on.
    Failed(String),
}
