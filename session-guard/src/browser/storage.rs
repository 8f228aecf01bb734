//! Where the session survives a reload: memory, `sessionStorage` or
//! `localStorage`, as configured, under a versioned schema. A corrupt,
//! foreign-version or unreadable entry is cleared with a console notice and
//! the user simply signs in again; a full storage (quota) keeps the session in
//! memory and says so. Notices never quote the stored text (it holds tokens).

use std::cell::RefCell;

use crate::config::TokenStorage;
use crate::json::{self, FromJson, Json, JsonError, ToJson};
use crate::session::wire_format::{read_stored_session, stored_session_text};
use crate::session::{SessionSnapshot, SignOutReason};

pub use crate::session::wire_format::SCHEMA_VERSION;

/// What the sign-in page tells the user after a sign-out the app decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignOut {
    /// The reason's key as stored (read it with [`StoredSignOut::reason`]).
    pub reason: String,
    /// Local instant of the sign-out (milliseconds since the epoch).
    pub at: i64,
    /// The user whose drafts were kept (`sub`), to offer them back.
    pub sub: Option<String>,
}

impl StoredSignOut {
    /// The reason, if this version knows its key.
    pub fn reason(&self) -> Option<SignOutReason> {
        self.reason.parse().ok()
    }
}

/// `sub` may be absent; a reason this version does not know is still read
/// (and then not explained).
impl FromJson for StoredSignOut {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let sign_out = value.object_or_err()?;
        Ok(StoredSignOut {
            reason: sign_out.field("reason")?,
            at: sign_out.field("at")?,
            sub: sign_out.field("sub")?,
        })
    }
}

impl ToJson for StoredSignOut {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("reason", self.reason.to_json()),
            ("at", self.at.to_json()),
            ("sub", self.sub.to_json()),
        ])
    }
}

/// Why a write did not stick.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The storage is full (quota): the session lives in this tab's memory
    /// until the next reload.
    #[error("the browser's storage is full; the session is kept in this tab's memory only")]
    QuotaExceeded,
    /// The storage cannot be used (disabled, private mode, a sandbox); holds
    /// the browser's reason.
    #[error(
        "the browser's storage is not available ({0}); the session is kept in this tab's memory only"
    )]
    Unavailable(String),
}

/// One key-value area: a Web Storage object, or this tab's memory.
pub struct KeyValueArea {
    kind: TokenStorage,
    /// This tab's memory: a few entries, kept as a plain list (smaller in
    /// the WebAssembly than a hash map).
    memory: RefCell<Vec<(String, String)>>,
}

impl KeyValueArea {
    /// The area of this kind (memory starts empty).
    pub fn new(kind: TokenStorage) -> Self {
        Self {
            kind,
            memory: RefCell::new(Vec::new()),
        }
    }

    fn web_storage(&self) -> Result<Option<web_sys::Storage>, StorageError> {
        let window =
            web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
        let storage = match self.kind {
            TokenStorage::Memory => return Ok(None),
            TokenStorage::Session => window.session_storage(),
            TokenStorage::Local => window.local_storage(),
        };
        storage
            .map_err(|_| StorageError::Unavailable("access denied".into()))?
            .map(Some)
            .ok_or_else(|| StorageError::Unavailable("disabled".into()))
    }

    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self.web_storage()? {
            None => Ok(self
                .memory
                .borrow()
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())),
            Some(storage) => storage
                .get_item(key)
                .map_err(|_| StorageError::Unavailable("read failed".into())),
        }
    }

    /// Stores `value` under `key`.
    pub fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        match self.web_storage()? {
            None => {
                let mut memory = self.memory.borrow_mut();
                memory.retain(|(name, _)| name != key);
                memory.push((key.to_owned(), value.to_owned()));
                Ok(())
            }
            // The only way setItem fails on an available storage is the quota.
            Some(storage) => storage
                .set_item(key, value)
                .map_err(|_| StorageError::QuotaExceeded),
        }
    }

    /// Removes `key`, saying whether the storage could be reached.
    pub fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.web_storage()? {
            None => {
                self.memory.borrow_mut().retain(|(name, _)| name != key);
                Ok(())
            }
            Some(storage) => storage
                .remove_item(key)
                .map_err(|_| StorageError::Unavailable("remove failed".into())),
        }
    }

    /// Every key in the area that starts with `prefix`.
    pub fn keys_starting_with(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        match self.web_storage()? {
            None => Ok(self
                .memory
                .borrow()
                .iter()
                .map(|(key, _)| key)
                .filter(|key| key.starts_with(prefix))
                .cloned()
                .collect()),
            Some(storage) => {
                let length = storage
                    .length()
                    .map_err(|_| StorageError::Unavailable("read failed".into()))?;
                Ok((0..length)
                    .filter_map(|index| storage.key(index).ok().flatten())
                    .filter(|key| key.starts_with(prefix))
                    .collect())
            }
        }
    }

    /// Removes `key`, ignoring a storage that cannot be reached.
    pub fn remove(&self, key: &str) {
        match self.web_storage() {
            Ok(None) | Err(_) => {
                self.memory.borrow_mut().retain(|(name, _)| name != key);
            }
            Ok(Some(storage)) => {
                let _ = storage.remove_item(key);
            }
        }
    }
}

/// The session's own entries, namespaced by app client so two apps (or two
/// pools) on one origin never read each other's tokens.
pub struct SessionStore {
    tokens: KeyValueArea,
    /// Non-secret notes shared by every tab and reload: the last sign-out.
    shared: KeyValueArea,
    prefix: String,
}

impl SessionStore {
    /// The entries of the app client `client_id` in the configured storage.
    pub fn new(kind: TokenStorage, client_id: &str) -> Self {
        Self {
            tokens: KeyValueArea::new(kind),
            shared: KeyValueArea::new(TokenStorage::Local),
            prefix: format!("session-guard.{client_id}"),
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}.{name}", self.prefix)
    }

    /// The stored session, if there is a readable one. Anything unreadable
    /// is removed with a notice, so the next load starts clean.
    pub fn load(&self) -> Option<SessionSnapshot> {
        let key = self.key("session");
        let raw = match self.tokens.get(&key) {
            Ok(raw) => raw?,
            Err(error) => {
                notice(&format!(
                    "the stored session could not be read: {error}; please sign in again"
                ));
                return None;
            }
        };
        match read_stored_session(&raw) {
            Ok(snapshot) => Some(snapshot),
            Err(problem) => {
                notice(&format!(
                    "the stored session was {problem} and has been cleared; please sign in again"
                ));
                self.tokens.remove(&key);
                None
            }
        }
    }

    /// Stores the session for the next load and the other tabs.
    pub fn save(&self, snapshot: &SessionSnapshot) -> Result<(), StorageError> {
        let result = self
            .tokens
            .set(&self.key("session"), &stored_session_text(snapshot));
        if let Err(error) = &result {
            notice(&error.to_string());
        }
        result
    }

    /// Removes the stored session.
    pub fn clear(&self) {
        self.tokens.remove(&self.key("session"));
    }

    /// Notes why the session ended, for the sign-in page.
    pub fn save_sign_out(&self, sign_out: &StoredSignOut) {
        if let Err(error) = self
            .shared
            .set(&self.key("signed-out"), &json::to_string(sign_out))
        {
            notice(&error.to_string());
        }
    }

    /// Why the last sign-out happened, if noted.
    pub fn last_sign_out(&self) -> Option<StoredSignOut> {
        let raw = self.shared.get(&self.key("signed-out")).ok()??;
        json::from_str(&raw).ok()
    }

    /// Forgets the noted sign-out.
    pub fn clear_sign_out(&self) {
        self.shared.remove(&self.key("signed-out"));
    }

    /// The signing keys (public data) last fetched, so a reload can verify
    /// the stored tokens while the provider is unreachable.
    pub fn save_jwks(&self, json: &str) {
        let _ = self.shared.set(&self.key("jwks"), json);
    }

    /// The signing keys last saved with [`SessionStore::save_jwks`].
    pub fn jwks(&self) -> Option<String> {
        self.shared.get(&self.key("jwks")).ok().flatten()
    }

    /// The raw area, for tests that plant corrupt entries.
    #[cfg(feature = "testing")]
    pub fn session_key(&self) -> String {
        self.key("session")
    }

    /// The area the session's entries live in.
    #[cfg(feature = "testing")]
    pub fn tokens_area(&self) -> &KeyValueArea {
        &self.tokens
    }
}

pub(crate) fn notice(message: &str) {
    web_sys::console::warn_1(&format!("Session Guard: {message}").into());
}
