//! Opening a note: a draft kept on this device for it wins over a plain
//! open, and a draft of a note the server has is reconciled with the
//! server's copy (still the same, changed elsewhere, deleted elsewhere, or
//! out of reach).

use super::fields::{Note, NoteFields, draft_key};

/// A piece of unsaved work kept on this device for the notes screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptDraft {
    /// `note:42` or `note:new`.
    pub key: String,
    pub label: String,
    pub value: String,
}

/// What the user asked to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenRequest {
    Note(u64),
    New,
    Draft(KeptDraft),
}

/// How the open draft relates to the server's copy of the note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftStanding {
    /// No draft: the note as the server has it.
    NoDraft,
    /// A draft of a note never saved.
    NewNote,
    /// The draft builds on the server's current version: saving updates it.
    OnCurrentVersion,
    /// Someone saved the note after the draft was based on it (or the
    /// server's version is not the one the draft knew): the draft opens,
    /// and saving reports the conflict before anything is overwritten.
    ServerChanged { server_version: u64 },
    /// The server already has exactly the draft's text: the note opens as
    /// saved, on the server's version.
    AlreadySaved,
    /// The note was deleted elsewhere: the draft becomes a new note.
    DeletedElsewhere,
    /// The server could not be asked: the draft opens on its own, and
    /// saving compares with the version it was based on.
    ServerUnreachable,
}

/// The note to put in the editor. `saved` is what the server has (as far
/// as is known), `working` the text to start from when it differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenNote {
    pub key: String,
    pub saved: NoteFields,
    pub working: Option<NoteFields>,
    pub standing: DraftStanding,
}

impl OpenNote {
    /// The id the editor works on.
    pub fn id(&self) -> Option<u64> {
        self.working.as_ref().and_then(|w| w.id).or(self.saved.id)
    }

    /// What the user calls the open note.
    pub fn label(&self) -> String {
        self.working.as_ref().unwrap_or(&self.saved).label()
    }
}

/// The next step of an open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenPlan {
    /// Nothing to ask the server: show this.
    Show(OpenNote),
    /// Ask the server for note `id`, then [`reconcile`] with `draft`.
    Fetch {
        id: u64,
        key: String,
        draft: Option<NoteFields>,
    },
}

/// Plans the open of `request`. `take_draft` hands over (and takes out of
/// the reopen prompt) the draft kept under a key, if any: a request for a
/// note or a new note opens its kept draft instead, so nothing typed
/// earlier is hidden behind an older copy.
pub fn plan_open(
    request: OpenRequest,
    take_draft: impl FnOnce(&str) -> Option<KeptDraft>,
) -> OpenPlan {
    let draft = match request {
        OpenRequest::Draft(draft) => {
            // Reopened from the prompt: it leaves the prompt as it opens.
            let _ = take_draft(&draft.key);
            Some(draft)
        }
        OpenRequest::Note(id) => match take_draft(&draft_key(Some(id))) {
            Some(draft) => Some(draft),
            None => {
                return OpenPlan::Fetch {
                    id,
                    key: draft_key(Some(id)),
                    draft: None,
                };
            }
        },
        OpenRequest::New => take_draft(&draft_key(None)),
    };
    let Some(draft) = draft else {
        return OpenPlan::Show(OpenNote {
            key: draft_key(None),
            saved: NoteFields::default(),
            working: None,
            standing: DraftStanding::NoDraft,
        });
    };
    let fields = NoteFields::from_draft(&draft.value, &draft.label);
    match fields.id {
        Some(id) => OpenPlan::Fetch {
            id,
            key: draft.key,
            draft: Some(fields),
        },
        None => OpenPlan::Show(OpenNote {
            key: draft.key,
            saved: NoteFields::default(),
            working: Some(fields),
            standing: DraftStanding::NewNote,
        }),
    }
}

/// What the server said when asked for a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerAnswer {
    Found(Note),
    /// It has no such note (deleted elsewhere).
    Deleted,
    /// It could not be asked, or failed; why, for the user.
    Unreachable(String),
}

/// Why a note (without a draft) could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenFailure {
    #[error("This note could not be opened: it was deleted elsewhere.")]
    Deleted,
    #[error("This note could not be opened: {0}.")]
    Unreachable(String),
}

/// The result of an open.
pub type Opened = Result<OpenNote, OpenFailure>;

/// Reconciles the draft (if any) kept under `key` with the server's answer.
/// A draft is never dropped here unless the server already has its text.
pub fn reconcile(key: String, draft: Option<NoteFields>, answer: ServerAnswer) -> Opened {
    let Some(draft) = draft else {
        return match answer {
            ServerAnswer::Found(note) => Ok(OpenNote {
                key,
                saved: NoteFields::from_note(&note),
                working: None,
                standing: DraftStanding::NoDraft,
            }),
            ServerAnswer::Deleted => Err(OpenFailure::Deleted),
            ServerAnswer::Unreachable(why) => Err(OpenFailure::Unreachable(why)),
        };
    };
    let (saved, working, standing) = match answer {
        ServerAnswer::Found(note) if draft.same_text_as(&note) => (
            NoteFields::from_note(&note),
            None,
            DraftStanding::AlreadySaved,
        ),
        ServerAnswer::Found(note) => {
            let standing = if draft.version == Some(note.version) {
                DraftStanding::OnCurrentVersion
            } else {
                DraftStanding::ServerChanged {
                    server_version: note.version,
                }
            };
            // The draft keeps the version it was based on: a save over a
            // newer one is then a conflict the user decides on.
            (NoteFields::from_note(&note), Some(draft), standing)
        }
        ServerAnswer::Deleted => (
            NoteFields::default(),
            Some(NoteFields {
                id: None,
                version: None,
                ..draft
            }),
            DraftStanding::DeletedElsewhere,
        ),
        ServerAnswer::Unreachable(_) => (
            NoteFields {
                title: String::new(),
                body: String::new(),
                ..draft.clone()
            },
            Some(draft),
            DraftStanding::ServerUnreachable,
        ),
    };
    Ok(OpenNote {
        key,
        saved,
        working,
        standing,
    })
}
