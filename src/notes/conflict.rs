//! Why a save did not reach the server, typed: above all a conflict with a
//! newer version someone else saved, which says which version that is so
//! the user can choose to save theirs over it.

use super::fields::NoteFields;
use session_guard::json::{FromJson, Json, JsonError};

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
/// only what a conflict needs, read leniently: an id or version that is
/// not a whole number from 0 up is not known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerCopy {
    pub id: Option<u64>,
    pub version: Option<u64>,
}

impl ServerCopy {
    /// The server's copy in a conflict answer (`{"current": …}`); an answer
    /// without a readable one gives a copy that says nothing.
    pub fn from_conflict_answer(body: &str) -> Self {
        struct Answer(Option<ServerCopy>);
        impl FromJson for Answer {
            fn from_json(value: &Json) -> Result<Self, JsonError> {
                Ok(Self(value.object_or_err()?.field("current")?))
            }
        }
        session_guard::json::from_str::<Answer>(body)
            .ok()
            .and_then(|answer| answer.0)
            .unwrap_or_default()
    }
}

impl FromJson for ServerCopy {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        let whole = |key| o.get(key).and_then(Json::as_u64);
        Ok(Self {
            id: whole("id"),
            version: whole("version"),
        })
    }
}

/// A save that did not happen; the text stays in the editor either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveFailure {
    Conflict(NoteConflict),
    /// Anything else, as a sentence the user can act on.
    Failed(String),
}
