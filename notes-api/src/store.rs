//! Notes per user (keyed by the token's `sub`), in memory and optionally
//! persisted to a JSON file after every change.
//!
//! A change is applied to a copy, written to disk (temp file + rename), and
//! only then made visible: when the write fails the request fails with 500
//! and nothing changed. The file is small and written synchronously under
//! the lock, which is fine for a demo and keeps the file consistent.

use crate::time::{now_ms, rfc3339};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_BYTES: usize = 100 * 1024;

/// A note as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub title: String,
    pub body: String,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub version: u64,
}

/// A note as answered by the API.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub id: u64,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

/// One row of `GET /notes`.
#[derive(Debug, Clone, Serialize)]
pub struct NoteSummary {
    pub id: u64,
    pub title: String,
    pub updated_at: String,
    pub version: u64,
}

impl Note {
    pub fn view(&self) -> NoteView {
        NoteView {
            id: self.id,
            title: self.title.clone(),
            body: self.body.clone(),
            created_at: rfc3339(self.created_ms),
            updated_at: rfc3339(self.updated_ms),
            version: self.version,
        }
    }

    pub fn summary(&self) -> NoteSummary {
        NoteSummary {
            id: self.id,
            title: self.title.clone(),
            updated_at: rfc3339(self.updated_ms),
            version: self.version,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such note")]
    NotFound,
    #[error("the note is at version {}, not {sent}; reload it and reapply the change", current.version)]
    VersionConflict { sent: u64, current: Box<Note> },
    #[error("{0}")]
    Invalid(String),
    #[error("the notes could not be saved to {path}: {reason}")]
    Persist { path: String, reason: String },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Data {
    next_id: u64,
    /// sub → id → note.
    users: BTreeMap<String, BTreeMap<u64, Note>>,
}

pub struct Store {
    data: Mutex<Data>,
    file: Option<PathBuf>,
}

impl Store {
    pub fn in_memory() -> Self {
        Self {
            data: Mutex::new(Data::default()),
            file: None,
        }
    }

    /// Loads `path` when it exists (an unreadable or corrupt file is an
    /// error, never silently replaced); creates it on the first change.
    pub fn open(path: &Path) -> Result<Self, String> {
        let data = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                format!(
                    "{} is not a notes data file ({error}); move it away or pick another --data-file",
                    path.display()
                )
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Data::default(),
            Err(error) => return Err(format!("{} cannot be read: {error}", path.display())),
        };
        Ok(Self {
            data: Mutex::new(data),
            file: Some(path.to_owned()),
        })
    }

    /// The user's notes, most recently updated first.
    pub fn list(&self, sub: &str) -> Vec<Note> {
        let data = self.data.lock().expect("store lock");
        let mut notes: Vec<Note> = data
            .users
            .get(sub)
            .map(|notes| notes.values().cloned().collect())
            .unwrap_or_default();
        notes.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms).then(b.id.cmp(&a.id)));
        notes
    }

    pub fn get(&self, sub: &str, id: u64) -> Result<Note, StoreError> {
        let data = self.data.lock().expect("store lock");
        data.users
            .get(sub)
            .and_then(|notes| notes.get(&id))
            .cloned()
            .ok_or(StoreError::NotFound)
    }

    pub fn create(&self, sub: &str, title: String, body: String) -> Result<Note, StoreError> {
        validate(&title, &body)?;
        self.change(|data| {
            data.next_id += 1;
            let now = now_ms();
            let note = Note {
                id: data.next_id,
                title,
                body,
                created_ms: now,
                updated_ms: now,
                version: 1,
            };
            data.users
                .entry(sub.to_owned())
                .or_default()
                .insert(note.id, note.clone());
            Ok(note)
        })
    }

    /// Replaces title and body when `version` is the note's current one.
    pub fn update(
        &self,
        sub: &str,
        id: u64,
        title: String,
        body: String,
        version: u64,
    ) -> Result<Note, StoreError> {
        validate(&title, &body)?;
        self.change(|data| {
            let note = data
                .users
                .get_mut(sub)
                .and_then(|notes| notes.get_mut(&id))
                .ok_or(StoreError::NotFound)?;
            if note.version != version {
                return Err(StoreError::VersionConflict {
                    sent: version,
                    current: Box::new(note.clone()),
                });
            }
            note.title = title;
            note.body = body;
            note.version += 1;
            note.updated_ms = now_ms().max(note.updated_ms);
            Ok(note.clone())
        })
    }

    pub fn delete(&self, sub: &str, id: u64) -> Result<(), StoreError> {
        self.change(|data| {
            data.users
                .get_mut(sub)
                .and_then(|notes| notes.remove(&id))
                .map(|_| ())
                .ok_or(StoreError::NotFound)
        })
    }

    /// Applies `edit` to a copy, persists it, then publishes it.
    fn change<T>(
        &self,
        edit: impl FnOnce(&mut Data) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut data = self.data.lock().expect("store lock");
        let Some(path) = &self.file else {
            return edit(&mut data);
        };
        let mut next = data.clone();
        let answer = edit(&mut next)?;
        save(path, &next).map_err(|reason| StoreError::Persist {
            path: path.display().to_string(),
            reason,
        })?;
        *data = next;
        Ok(answer)
    }
}

fn validate(title: &str, body: &str) -> Result<(), StoreError> {
    let title_chars = title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(StoreError::Invalid(format!(
            "title is {title_chars} characters; the limit is {MAX_TITLE_CHARS}"
        )));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(StoreError::Invalid(format!(
            "body is {} bytes; the limit is {MAX_BODY_BYTES} (100 KB)",
            body.len()
        )));
    }
    Ok(())
}

fn save(path: &Path, data: &Data) -> Result<(), String> {
    let json = serde_json::to_vec_pretty(data).map_err(|error| error.to_string())?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, json).map_err(|error| error.to_string())?;
    std::fs::rename(&temp, path).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test's data file, removed afterwards.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("notes-api-store-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn file(&self) -> PathBuf {
            self.0.join("notes.json")
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn changes_survive_reopening_the_data_file() {
        let dir = TempDir::new("reopen");
        let path = dir.file();
        let store = Store::open(&path).unwrap();
        let kept = store.create("alice", "kept".into(), "one".into()).unwrap();
        let gone = store.create("alice", "gone".into(), "two".into()).unwrap();
        store
            .update("alice", kept.id, "kept".into(), "one!".into(), 1)
            .unwrap();
        store.delete("alice", gone.id).unwrap();

        let reopened = Store::open(&path).unwrap();
        let notes = reopened.list("alice");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].body, "one!");
        assert_eq!(notes[0].version, 2);
        // Ids keep counting after a restart: a deleted id is never reused.
        let next = reopened
            .create("alice", "new".into(), String::new())
            .unwrap();
        assert_eq!(next.id, gone.id + 1);
    }

    #[test]
    fn a_corrupt_data_file_is_refused_not_overwritten() {
        let dir = TempDir::new("corrupt");
        let path = dir.file();
        std::fs::write(&path, "{not json").unwrap();
        let error = Store::open(&path).err().expect("corrupt file refused");
        assert!(error.contains("is not a notes data file"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
    }

    #[test]
    fn a_failed_save_changes_nothing() {
        let dir = TempDir::new("unwritable");
        let path = dir.file();
        let store = Store::open(&path).unwrap();
        store
            .create("alice", "first".into(), String::new())
            .unwrap();
        // A directory where the temp file should go makes the next write fail.
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        std::fs::create_dir_all(PathBuf::from(&temp)).unwrap();
        let error = store
            .create("alice", "second".into(), String::new())
            .unwrap_err();
        assert!(matches!(error, StoreError::Persist { .. }), "{error}");
        assert_eq!(store.list("alice").len(), 1);
        std::fs::remove_dir_all(PathBuf::from(&temp)).unwrap();
    }

    #[test]
    fn limits_are_exact() {
        let store = Store::in_memory();
        assert!(
            store
                .create("a", "t".repeat(MAX_TITLE_CHARS), "b".repeat(MAX_BODY_BYTES))
                .is_ok()
        );
        // Characters, not bytes, for the title.
        assert!(
            store
                .create("a", "é".repeat(MAX_TITLE_CHARS), String::new())
                .is_ok()
        );
        assert!(matches!(
            store.create("a", "t".repeat(MAX_TITLE_CHARS + 1), String::new()),
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            store.create("a", String::new(), "b".repeat(MAX_BODY_BYTES + 1)),
            Err(StoreError::Invalid(_))
        ));
    }
}
