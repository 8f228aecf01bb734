//! A note as the server has it, as the list shows it, and as the editor
//! holds it, with the rule that decides whether a save creates or updates.

use session_guard::json::{FromJson, Json, JsonError, ToJson};

/// One row of the notes list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSummary {
    pub id: u64,
    pub title: String,
    pub updated_at: String,
    pub version: u64,
}

/// A whole note. `version` guards against overwriting someone else's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: u64,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

/// A row of the API's list, every field required.
impl FromJson for NoteSummary {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        Ok(Self {
            id: o.field("id")?,
            title: o.field("title")?,
            updated_at: o.field("updated_at")?,
            version: o.field("version")?,
        })
    }
}

/// A note as the API sends it, every field required.
impl FromJson for Note {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        Ok(Self {
            id: o.field("id")?,
            title: o.field("title")?,
            body: o.field("body")?,
            created_at: o.field("created_at")?,
            updated_at: o.field("updated_at")?,
            version: o.field("version")?,
        })
    }
}

/// The draft text: `{"id":42,"version":3,"title":…,"body":…}`, with `null`
/// for a note not saved yet; drafts already kept on devices read the same.
impl ToJson for NoteFields {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("id", self.id.to_json()),
            ("version", self.version.to_json()),
            ("title", self.title.to_json()),
            ("body", self.body.to_json()),
        ])
    }
}

impl FromJson for NoteFields {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        Ok(Self {
            id: o.field("id")?,
            version: o.field("version")?,
            title: o.field("title")?,
            body: o.field("body")?,
        })
    }
}

impl From<&Note> for NoteSummary {
    fn from(note: &Note) -> Self {
        NoteSummary {
            id: note.id,
            title: note.title.clone(),
            updated_at: note.updated_at.clone(),
            version: note.version,
        }
    }
}

/// A note's editable fields plus where it stands on the server: `id` is
/// `None` until it was first saved, `version` is the server version the
/// edit is based on (a save against an older one is a conflict).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteFields {
    pub id: Option<u64>,
    pub version: Option<u64>,
    pub title: String,
    pub body: String,
}

/// How a save reaches the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    /// A note the server does not have yet.
    Create,
    /// A change to note `id`, based on its server version `version`.
    Update { id: u64, version: u64 },
}

impl NoteFields {
    pub fn from_note(note: &Note) -> Self {
        NoteFields {
            id: Some(note.id),
            version: Some(note.version),
            title: note.title.clone(),
            body: note.body.clone(),
        }
    }

    /// The draft text stored for these fields.
    pub fn to_draft(&self) -> String {
        session_guard::json::to_string(self)
    }

    /// Fields from a stored draft; a draft that is not ours is kept as the body.
    pub fn from_draft(value: &str, label: &str) -> Self {
        session_guard::json::from_str(value).unwrap_or_else(|_| NoteFields {
            title: label.to_owned(),
            body: value.to_owned(),
            ..NoteFields::default()
        })
    }

    /// What the user calls it, for drafts and prompts.
    pub fn label(&self) -> String {
        title_or_untitled(&self.title)
    }

    /// Whether the title and body are the same as `note`'s.
    pub fn same_text_as(&self, note: &Note) -> bool {
        self.title == note.title && self.body == note.body
    }

    /// Create or update. A note whose server version is unknown is saved as
    /// a new note: the text is kept, and nobody's newer change is
    /// overwritten without the user having seen it.
    pub fn save_kind(&self) -> SaveKind {
        match (self.id, self.version) {
            (Some(id), Some(version)) => SaveKind::Update { id, version },
            _ => SaveKind::Create,
        }
    }
}

/// A title as the user reads it: a blank one is "Untitled note".
pub fn title_or_untitled(title: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        "Untitled note".to_owned()
    } else {
        title.to_owned()
    }
}

/// The draft key of a note (`note:42`), or of the note not saved yet (`note:new`).
pub fn draft_key(id: Option<u64>) -> String {
    match id {
        Some(id) => format!("note:{id}"),
        None => "note:new".to_owned(),
    }
}
