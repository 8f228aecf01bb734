//! Unsaved work is sacred: drafts are kept per user (`sub`) in localStorage,
//! so they survive a sign-out, a reload and a closed tab, and come back only
//! for the same user. They are not kept forever: every read or write of the
//! store deletes the drafts, of any user, that [`DraftRetention`] says have
//! expired, so a draft nobody came back for is not left on a shared
//! computer. A write that does not stick is returned as a
//! [`DraftSaveError`] for the editor to show, never dropped.

use super::storage::{KeyValueArea, StorageError, notice};
use crate::config::{AppConfig, TokenStorage};
use crate::session::wire_format::{read_stored_drafts, stored_drafts_text};
use crate::session::{DraftFate, DraftRetention, Millis};

pub use crate::session::wire_format::Draft;

/// Why a draft could not be kept on this device. The work itself is still
/// on the page; the message says what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftSaveError {
    /// The device's storage is full: the user saves to the server or frees
    /// space.
    #[error(
        "This device's storage is full, so your unsaved text could not be kept as a draft; \
         save the note to the server or free space."
    )]
    StorageFull,
    /// The browser refuses storage (disabled, private mode); holds its reason.
    /// The text is only on the page.
    #[error(
        "This browser does not let the app keep drafts on this device ({0}), so your unsaved \
         text is only on this page; save the note to the server before leaving it."
    )]
    StorageUnavailable(String),
}

impl From<StorageError> for DraftSaveError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::QuotaExceeded => DraftSaveError::StorageFull,
            StorageError::Unavailable(why) => DraftSaveError::StorageUnavailable(why),
        }
    }
}

/// Drafts of every user of this app on this browser.
pub struct DraftStore {
    area: KeyValueArea,
    prefix: String,
    retention: DraftRetention,
}

impl DraftStore {
    /// The drafts of the app client `client_id`, in `localStorage`, kept as
    /// `retention` says.
    pub fn new(client_id: &str, retention: DraftRetention) -> Self {
        Self {
            area: KeyValueArea::new(TokenStorage::Local),
            prefix: format!("session-guard.{client_id}.drafts."),
            retention,
        }
    }

    /// The store for the app client and draft retention in `config`.
    pub fn for_config(config: &AppConfig) -> Self {
        Self::new(&config.cognito.client_id, config.drafts)
    }

    fn key(&self, sub: &str) -> String {
        format!("{}{sub}", self.prefix)
    }

    /// The labels of `sub`'s drafts kept now, each once (what a sign-out
    /// notice says was kept).
    pub fn kept_labels(&self, sub: &str, now: Millis) -> Vec<String> {
        let mut labels: Vec<String> = self
            .load(sub, now)
            .into_iter()
            .map(|draft| draft.label)
            .collect();
        labels.dedup();
        labels
    }

    /// The user's drafts at `now`, newest first. Expired drafts of every
    /// user are deleted first; unreadable entries are dropped with a notice.
    pub fn load(&self, sub: &str, now: Millis) -> Vec<Draft> {
        let own = self.key(sub);
        let mut drafts = Vec::new();
        match self.area.keys_starting_with(&self.prefix) {
            Ok(keys) => {
                for key in keys {
                    let kept = self.tidy(&key, now);
                    if key == own {
                        drafts = kept;
                    }
                }
            }
            Err(_) => drafts = self.tidy(&own, now),
        }
        // Newest first. An insertion sort: a handful of drafts, and far
        // smaller in the WebAssembly than the general-purpose sort.
        for i in 1..drafts.len() {
            let mut j = i;
            while j > 0 && drafts[j].saved_at > drafts[j - 1].saved_at {
                drafts.swap(j, j - 1);
                j -= 1;
            }
        }
        drafts
    }

    /// Saves (or replaces) one draft. When it does not stick, the work stays
    /// on the page and the error says why.
    pub fn save(&self, sub: &str, draft: Draft, now: Millis) -> Result<(), DraftSaveError> {
        let mut drafts = self.load(sub, now);
        drafts.retain(|existing| existing.key != draft.key);
        drafts.push(draft);
        self.write(sub, &drafts)
    }

    /// Removes the user's draft `key` (saved to the server, or discarded).
    pub fn remove(&self, sub: &str, key: &str, now: Millis) -> Result<(), DraftSaveError> {
        let mut drafts = self.load(sub, now);
        let before = drafts.len();
        drafts.retain(|existing| existing.key != key);
        if drafts.len() == before {
            return Ok(());
        }
        self.write(sub, &drafts)
    }

    /// Deletes every draft of the user from this device (the user asked,
    /// leaving a shared computer).
    pub fn delete_all_of(&self, sub: &str) -> Result<(), DraftSaveError> {
        self.area
            .delete(&self.key(sub))
            .map_err(DraftSaveError::from)
    }

    /// The drafts under storage key `key` that are still kept at `now`;
    /// expired ones are deleted and missing stamps written, so the next
    /// read counts from the same instant.
    fn tidy(&self, key: &str, now: Millis) -> Vec<Draft> {
        let Ok(Some(raw)) = self.area.get(key) else {
            return Vec::new();
        };
        let Some(stored) = read_stored_drafts(&raw) else {
            notice("stored drafts were unreadable and have been removed");
            self.area.remove(key);
            return Vec::new();
        };
        let mut changed = false;
        let mut kept = Vec::with_capacity(stored.len());
        for draft in stored {
            match self.retention.fate(draft.saved_at.map(Millis), now) {
                DraftFate::Expired => changed = true,
                DraftFate::Keep { saved_at } => {
                    changed |= draft.saved_at != Some(saved_at.0);
                    kept.push(Draft {
                        key: draft.key,
                        label: draft.label,
                        value: draft.value,
                        saved_at: saved_at.0,
                    });
                }
            }
        }
        if changed && let Err(error) = self.put(key, &kept) {
            notice(&format!("expired drafts could not be tidied: {error}"));
        }
        kept
    }

    fn write(&self, sub: &str, drafts: &[Draft]) -> Result<(), DraftSaveError> {
        let result = self.put(&self.key(sub), drafts);
        if let Err(error) = &result {
            notice(&format!("a draft could not be saved: {error}"));
        }
        result
    }

    fn put(&self, key: &str, drafts: &[Draft]) -> Result<(), DraftSaveError> {
        if drafts.is_empty() {
            return self.area.delete(key).map_err(DraftSaveError::from);
        }
        let text = stored_drafts_text(drafts);
        self.area.set(key, &text).map_err(DraftSaveError::from)
    }
}
