//! The demo notes API (`notes-api/`): each user's notes, saved with the ID token.

pub use crate::notes::{Note, NoteSummary};
use crate::notes::{NoteConflict, NoteFields, SaveFailure, SaveKind, ServerAnswer, ServerCopy};
use session_guard::api::{ApiError, AuthorizedClient};
use session_guard::browser::SessionContext;
use session_guard::json::{FromJson, Json, JsonError, ToJson};

struct NoteList {
    notes: Vec<NoteSummary>,
}

impl FromJson for NoteList {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            notes: value.object_or_err()?.field("notes")?,
        })
    }
}

/// Typed calls to the notes API.
#[derive(Clone)]
pub struct NotesClient {
    http: AuthorizedClient,
}

impl NotesClient {
    /// The notes API of the session's configuration.
    pub fn new(session: &SessionContext) -> Result<Self, ApiError> {
        Self::from_client(AuthorizedClient::new(session))
    }

    /// On a client made elsewhere (`None`: the configuration names no API).
    pub fn from_client(http: Option<AuthorizedClient>) -> Result<Self, ApiError> {
        http.map(|http| Self { http })
            .ok_or(ApiError::NotConfigured)
    }

    pub fn http(&self) -> &AuthorizedClient {
        &self.http
    }

    pub async fn list(&self) -> Result<Vec<NoteSummary>, ApiError> {
        let response = self.http.send("GET", "/notes", None).await?;
        parse::<NoteList>(&response.body).map(|list| list.notes)
    }

    pub async fn get(&self, id: u64) -> Result<Note, ApiError> {
        let response = self.http.send("GET", &format!("/notes/{id}"), None).await?;
        parse(&response.body)
    }

    pub async fn create(&self, title: &str, body: &str) -> Result<Note, ApiError> {
        let request = note_body(title, body, None);
        let response = self.http.send("POST", "/notes", Some(&request)).await?;
        parse(&response.body)
    }

    pub async fn update(
        &self,
        id: u64,
        title: &str,
        body: &str,
        version: u64,
    ) -> Result<Note, ApiError> {
        let request = note_body(title, body, Some(version));
        let response = self
            .http
            .send("PUT", &format!("/notes/{id}"), Some(&request))
            .await?;
        parse(&response.body)
    }

    /// Saves `fields`: creates the note or updates it against its base
    /// version, as the notes model decides.
    pub async fn save(&self, fields: &NoteFields) -> Result<Note, ApiError> {
        match fields.save_kind() {
            SaveKind::Update { id, version } => {
                self.update(id, &fields.title, &fields.body, version).await
            }
            SaveKind::Create => self.create(&fields.title, &fields.body).await,
        }
    }

    pub async fn delete(&self, id: u64) -> Result<(), ApiError> {
        self.http
            .send("DELETE", &format!("/notes/{id}"), None)
            .await
            .map(|_| ())
    }
}

/// What a create (no version) or an update (its base version) sends:
/// `{"title":…,"body":…}`, plus `"version"` for an update.
fn note_body(title: &str, body: &str, version: Option<u64>) -> String {
    let mut members = vec![("title", title.to_json()), ("body", body.to_json())];
    if let Some(version) = version {
        members.push(("version", version.to_json()));
    }
    session_guard::json::to_string(&Json::object(members))
}

fn parse<T: FromJson>(body: &str) -> Result<T, ApiError> {
    session_guard::json::from_str(body).map_err(|_| ApiError::Malformed)
}

impl From<ApiError> for SaveFailure {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Conflict { body } => SaveFailure::Conflict(NoteConflict::from_server_copy(
                &ServerCopy::from_conflict_answer(&body),
            )),
            other => SaveFailure::Failed(other.to_string()),
        }
    }
}

impl From<Result<Note, ApiError>> for ServerAnswer {
    fn from(answer: Result<Note, ApiError>) -> Self {
        match answer {
            Ok(note) => ServerAnswer::Found(note),
            Err(ApiError::NotFound) => ServerAnswer::Deleted,
            Err(other) => ServerAnswer::Unreachable(other.to_string()),
        }
    }
}
