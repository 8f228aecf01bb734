//! Unsaved work is sacred: drafts are kept per user (`sub`) in localStorage,
//! so they survive a sign-out, a reload and a closed tab, and come back only
//! for the same user.

use serde::{Deserialize, Serialize};

use super::storage::{KeyValueArea, notice};
use crate::config::TokenStorage;

/// One piece of unsaved work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Which editor it belongs to (e.g. `note:42` or `note:new`).
    pub key: String,
    /// What the user calls it ("Quarterly plan"), for the restore prompt.
    pub label: String,
    pub value: String,
    /// Local instant it was saved (milliseconds since the epoch).
    pub saved_at: i64,
}

/// Drafts of every user of this app on this browser.
pub struct DraftStore {
    area: KeyValueArea,
    prefix: String,
}

impl DraftStore {
    pub fn new(client_id: &str) -> Self {
        Self {
            area: KeyValueArea::new(TokenStorage::Local),
            prefix: format!("session-guard.{client_id}.drafts"),
        }
    }

    fn key(&self, sub: &str) -> String {
        format!("{}.{sub}", self.prefix)
    }

    /// The user's drafts, newest first. Unreadable entries are dropped with a notice.
    pub fn load(&self, sub: &str) -> Vec<Draft> {
        let Ok(Some(raw)) = self.area.get(&self.key(sub)) else {
            return Vec::new();
        };
        match serde_json::from_str::<Vec<Draft>>(&raw) {
            Ok(mut drafts) => {
                drafts.sort_by(|a, b| b.saved_at.cmp(&a.saved_at));
                drafts
            }
            Err(_) => {
                notice("stored drafts were unreadable and have been removed");
                self.area.remove(&self.key(sub));
                Vec::new()
            }
        }
    }

    /// Saves (or replaces) one draft. A full storage is reported, and the
    /// work stays on the page.
    pub fn save(&self, sub: &str, draft: Draft) -> bool {
        let mut drafts = self.load(sub);
        drafts.retain(|existing| existing.key != draft.key);
        drafts.push(draft);
        self.write(sub, &drafts)
    }

    pub fn remove(&self, sub: &str, key: &str) {
        let mut drafts = self.load(sub);
        let before = drafts.len();
        drafts.retain(|existing| existing.key != key);
        if drafts.len() != before {
            self.write(sub, &drafts);
        }
    }

    fn write(&self, sub: &str, drafts: &[Draft]) -> bool {
        let result = if drafts.is_empty() {
            self.area.remove(&self.key(sub));
            Ok(())
        } else {
            self.area.set(
                &self.key(sub),
                &serde_json::to_string(drafts).unwrap_or_default(),
            )
        };
        match result {
            Ok(()) => true,
            Err(error) => {
                notice(&format!("a draft could not be saved: {error}"));
                false
            }
        }
    }
}
