//! Notes per user (keyed by the token's `sub`) in a database: SQLite (the
//! embedded default, one file) or PostgreSQL, through one code path.
//!
//! Why it is safe to acknowledge a save:
//! - Every change is one SQL statement that commits before the answer is
//!   sent; SQLite runs in WAL mode with `synchronous = FULL`, so a commit is
//!   on disk (fsync) before it returns, and PostgreSQL's defaults do the same.
//! - An update names the version it was made from and only applies while the
//!   note is still at that version (`... WHERE version = $n`), so two writers
//!   can never both win: the loser gets [`StoreError::VersionConflict`] with
//!   the server's copy.
//! - Every statement is scoped by `owner = sub`: an id alone never reaches
//!   another user's row.
//! - A database that refuses writes (read-only, full, unreachable) is
//!   [`StoreError::Unavailable`], answered 503, while reads go on.

use crate::time::{now_ms, rfc3339};
use serde::{Deserialize, Serialize};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_BYTES: usize = 100 * 1024;

/// How long a request waits for a database connection before it is told the
/// database is unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// The database cannot take the request now (read-only, full, not
    /// answering): not the client's fault, and worth a retry later (503).
    #[error("{0}")]
    Unavailable(String),
    /// Anything else the database refused (500).
    #[error("the database failed: {0}")]
    Failed(String),
}

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// What `--import-json` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The file's notes were added (ids and versions kept).
    Imported { notes: u64, users: u64 },
    /// This database already took a JSON import; nothing was added again.
    AlreadyImported { source: String },
}

/// The JSON data file written by earlier versions of the notes API.
#[derive(Deserialize)]
struct LegacyData {
    #[serde(default)]
    next_id: u64,
    /// sub → id → note.
    #[serde(default)]
    users: BTreeMap<String, BTreeMap<String, Note>>,
}

pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "notes",
    include_str!("../migrations/sqlite/0001_notes.sql"),
)];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "notes",
    include_str!("../migrations/postgres/0001_notes.sql"),
)];

fn migrator(backend: Backend) -> Migrator {
    let files = match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    };
    let migrations = files
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

const NOTE_COLUMNS: &str = "id, title, body, created_ms, updated_ms, version";

fn note_from(row: &AnyRow) -> Result<Note, sqlx::Error> {
    let number = |column: &str| -> Result<u64, sqlx::Error> {
        let value: i64 = row.try_get(column)?;
        Ok(value.max(0) as u64)
    };
    Ok(Note {
        id: number("id")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        created_ms: number("created_ms")?,
        updated_ms: number("updated_ms")?,
        version: number("version")?,
    })
}

/// Adds `mode=rwc` to a SQLite URL that says nothing about its mode, so the
/// file is created on first start.
fn sqlite_url_creating_the_file(url: &str) -> String {
    if url.contains(":memory:") || url.contains("mode=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode=rwc")
}

/// What an operator may set about the store besides its URL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreOptions {
    /// SQLite only: the largest the database file may grow, in bytes
    /// (`--max-database-mb`). A save that would grow it further is refused
    /// as if the disk were full (503), so the notes cannot fill the host's
    /// disk; reads and deletes go on. A file already larger takes no growth.
    pub max_sqlite_bytes: Option<u64>,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH`, `sqlite::memory:`, or
    /// `postgres://…`), creating a SQLite file if needed, and applies every
    /// migration not yet applied.
    pub async fn open(url: &str) -> Result<Self, String> {
        Self::open_with(url, StoreOptions::default()).await
    }

    /// [`Store::open`] with `options`.
    pub async fn open_with(url: &str, options: StoreOptions) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(format!(
                "--database {:?} is neither sqlite://PATH nor postgres://USER@HOST/DB",
                redact(url)
            ));
        };
        if backend == Backend::Postgres && options.max_sqlite_bytes.is_some() {
            return Err(
                "--max-database-mb caps a SQLite file only; PostgreSQL's space is set on its \
                 server (a quota or a tablespace on a volume of that size)"
                    .to_owned(),
            );
        }
        let max_sqlite_bytes = options.max_sqlite_bytes;
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_the_file(url),
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|error| format!("--database {}: {error}", redact(&url)))?;
        // An in-memory SQLite database exists once per connection: keep one.
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = AnyPoolOptions::new()
            .max_connections(match (backend, memory) {
                (Backend::Sqlite, true) => 1,
                (Backend::Sqlite, false) => 4,
                (Backend::Postgres, _) => 16,
            })
            .min_connections(u32::from(memory))
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(1800))
            })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Every commit is fsynced before it returns; readers
                        // never wait for the writer; a busy writer is waited
                        // for, not failed.
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *connection)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *connection)
                            .await?;
                        // The size cap is a per-connection setting: SQLite
                        // then answers SQLITE_FULL, as on a full disk.
                        if let Some(bytes) = max_sqlite_bytes {
                            let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
                                .fetch_one(&mut *connection)
                                .await?;
                            let pages = (bytes / page_size.max(512) as u64).max(1);
                            sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
                                .execute(&mut *connection)
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|error| {
                format!(
                    "cannot open the database {}: {}",
                    redact(&url),
                    describe(&error)
                )
            })?;
        let store = Self { pool, backend };
        if backend == Backend::Sqlite && !memory {
            // WAL is a property of the file: set once, kept. A read-only file
            // keeps whatever mode it has.
            if let Err(error) = sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&store.pool)
                .await
                && !is_read_only(&error)
            {
                return Err(format!(
                    "cannot switch {} to WAL mode: {}",
                    redact(&url),
                    describe(&error)
                ));
            }
        }
        store
            .migrate()
            .await
            .map_err(|error| format!("cannot prepare the database {}: {error}", redact(&url)))?;
        Ok(store)
    }

    /// A private SQLite database in memory (tests, demos).
    pub async fn in_memory() -> Self {
        Self::open("sqlite::memory:")
            .await
            .expect("an in-memory SQLite database always opens")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations. A read-only database whose schema is
    /// already current is accepted (it serves reads; writes answer 503).
    async fn migrate(&self) -> Result<(), String> {
        let migrator = migrator(self.backend);
        match migrator.run(&self.pool).await {
            Ok(()) => Ok(()),
            Err(error) => {
                let applied: Result<i64, _> = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = TRUE",
                )
                .fetch_one(&self.pool)
                .await;
                let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
                match (&error, applied) {
                    (sqlx::migrate::MigrateError::Execute(inner), Ok(version))
                        if is_read_only(inner) && version >= latest =>
                    {
                        Ok(())
                    }
                    (sqlx::migrate::MigrateError::VersionMissing(version), _) => Err(format!(
                        "it has migration {version}, which this notes-api does not know (its \
                         latest is {latest}): a newer notes-api migrated it; run that version \
                         or a later one"
                    )),
                    _ => Err(error.to_string()),
                }
            }
        }
    }

    /// Whether the database answers a query now (for `/health`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(database_error)
    }

    /// Closes every connection (SQLite checkpoints its WAL into the file).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The user's notes, most recently updated first.
    pub async fn list(&self, sub: &str) -> Result<Vec<Note>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE owner = $1 ORDER BY updated_ms DESC, id DESC"
        ))
        .bind(sub)
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        rows.iter()
            .map(|row| note_from(row).map_err(database_error))
            .collect()
    }

    pub async fn get(&self, sub: &str, id: u64) -> Result<Note, StoreError> {
        self.find(sub, id).await?.ok_or(StoreError::NotFound)
    }

    async fn find(&self, sub: &str, id: u64) -> Result<Option<Note>, StoreError> {
        let Some(id) = db_id(id) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE owner = $1 AND id = $2"
        ))
        .bind(sub)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(database_error)?;
        row.as_ref()
            .map(note_from)
            .transpose()
            .map_err(database_error)
    }

    pub async fn create(&self, sub: &str, title: String, body: String) -> Result<Note, StoreError> {
        validate(&title, &body)?;
        let now = now_ms() as i64;
        let row = sqlx::query(&format!(
            "INSERT INTO notes (owner, title, body, created_ms, updated_ms, version) \
             VALUES ($1, $2, $3, $4, $4, 1) RETURNING {NOTE_COLUMNS}"
        ))
        .bind(sub)
        .bind(title)
        .bind(body)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(database_error)?;
        note_from(&row).map_err(database_error)
    }

    /// Replaces title and body when `version` is the note's current one.
    pub async fn update(
        &self,
        sub: &str,
        id: u64,
        title: String,
        body: String,
        version: u64,
    ) -> Result<Note, StoreError> {
        validate(&title, &body)?;
        let (Some(db_id), Some(db_version)) = (db_id(id), i64::try_from(version).ok()) else {
            // No stored id or version is that large.
            return match self.find(sub, id).await? {
                Some(current) => Err(StoreError::VersionConflict {
                    sent: version,
                    current: Box::new(current),
                }),
                None => Err(StoreError::NotFound),
            };
        };
        let now = now_ms() as i64;
        let row = sqlx::query(&format!(
            "UPDATE notes SET title = $1, body = $2, version = version + 1, \
             updated_ms = CASE WHEN updated_ms > $3 THEN updated_ms ELSE $3 END \
             WHERE owner = $4 AND id = $5 AND version = $6 RETURNING {NOTE_COLUMNS}"
        ))
        .bind(title)
        .bind(body)
        .bind(now)
        .bind(sub)
        .bind(db_id)
        .bind(db_version)
        .fetch_optional(&self.pool)
        .await
        .map_err(database_error)?;
        if let Some(row) = row {
            return note_from(&row).map_err(database_error);
        }
        match self.find(sub, id).await? {
            Some(current) => Err(StoreError::VersionConflict {
                sent: version,
                current: Box::new(current),
            }),
            None => Err(StoreError::NotFound),
        }
    }

    pub async fn delete(&self, sub: &str, id: u64) -> Result<(), StoreError> {
        let Some(id) = db_id(id) else {
            return Err(StoreError::NotFound);
        };
        let done = sqlx::query("DELETE FROM notes WHERE owner = $1 AND id = $2")
            .bind(sub)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(database_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Imports the JSON data file of earlier versions, keeping every note's
    /// id, owner, times and version, in one transaction. A database takes
    /// one such import only: a second run (of any file) adds nothing, so
    /// `--import-json` can stay in a start script.
    pub async fn import_json(&self, path: &Path) -> Result<ImportOutcome, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("--import-json {}: {error}", path.display()))?;
        let data: LegacyData = serde_json::from_str(&text).map_err(|error| {
            format!(
                "--import-json {} is not a notes data file: {error}",
                path.display()
            )
        })?;
        let failed = |error: sqlx::Error| {
            format!(
                "importing {} failed, nothing was imported: {}",
                path.display(),
                describe(&error)
            )
        };
        let mut transaction = self.pool.begin().await.map_err(failed)?;
        let earlier: Option<String> = sqlx::query_scalar("SELECT source FROM json_imports LIMIT 1")
            .fetch_optional(&mut *transaction)
            .await
            .map_err(failed)?;
        if let Some(source) = earlier {
            return Ok(ImportOutcome::AlreadyImported { source });
        }
        let mut notes = 0u64;
        let mut highest = data.next_id;
        for (sub, user_notes) in &data.users {
            for note in user_notes.values() {
                let id = db_id(note.id)
                    .ok_or_else(|| format!("--import-json: note id {} is out of range", note.id))?;
                highest = highest.max(note.id);
                let added = sqlx::query(
                    "INSERT INTO notes (id, owner, title, body, created_ms, updated_ms, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(sub.as_str())
                .bind(note.title.as_str())
                .bind(note.body.as_str())
                .bind(note.created_ms as i64)
                .bind(note.updated_ms as i64)
                .bind(note.version as i64)
                .execute(&mut *transaction)
                .await
                .map_err(failed)?;
                notes += added.rows_affected();
            }
        }
        // New notes get ids above every id the file ever handed out,
        // including deleted ones.
        if highest > 0 {
            let highest = highest as i64;
            match self.backend {
                Backend::Sqlite => {
                    sqlx::query(
                        "INSERT INTO sqlite_sequence (name, seq) SELECT 'notes', 0 \
                         WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'notes')",
                    )
                    .execute(&mut *transaction)
                    .await
                    .map_err(failed)?;
                    sqlx::query(
                        "UPDATE sqlite_sequence SET seq = $1 WHERE name = 'notes' AND seq < $1",
                    )
                    .bind(highest)
                    .execute(&mut *transaction)
                    .await
                    .map_err(failed)?;
                }
                Backend::Postgres => {
                    sqlx::query(
                        "SELECT setval(pg_get_serial_sequence('notes', 'id'), \
                         GREATEST($1, (SELECT COALESCE(MAX(id), 0) FROM notes)))",
                    )
                    .bind(highest)
                    .execute(&mut *transaction)
                    .await
                    .map_err(failed)?;
                }
            }
        }
        sqlx::query("INSERT INTO json_imports (source, notes, imported_ms) VALUES ($1, $2, $3)")
            .bind(path.display().to_string())
            .bind(notes as i64)
            .bind(now_ms() as i64)
            .execute(&mut *transaction)
            .await
            .map_err(failed)?;
        transaction.commit().await.map_err(failed)?;
        Ok(ImportOutcome::Imported {
            notes,
            users: data.users.len() as u64,
        })
    }
}

/// A client-chosen id as stored (ids are positive 64-bit integers).
fn db_id(id: u64) -> Option<i64> {
    i64::try_from(id).ok().filter(|id| *id > 0)
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// SQLite's primary result code of a database error (the low byte of the
/// extended code), if it is one.
fn sqlite_code(error: &sqlx::Error) -> Option<i64> {
    let sqlx::Error::Database(database) = error else {
        return None;
    };
    let sqlite = database.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    let code: i64 = sqlx::error::DatabaseError::code(sqlite)?.parse().ok()?;
    Some(code & 0xff)
}

/// PostgreSQL's SQLSTATE of a database error, if it is one.
fn postgres_state(error: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(database) = error else {
        return None;
    };
    let postgres = database.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    Some(postgres.code().to_owned())
}

const SQLITE_READONLY: i64 = 8;
const SQLITE_FULL: i64 = 13;
const SQLITE_IOERR: i64 = 10;
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_CANTOPEN: i64 = 14;
const SQLITE_PERM: i64 = 3;

fn is_read_only(error: &sqlx::Error) -> bool {
    sqlite_code(error) == Some(SQLITE_READONLY) || postgres_state(error).as_deref() == Some("25006")
}

/// A database error as the API reports it: what can pass (read-only, full,
/// unreachable) is [`StoreError::Unavailable`] with a message an operator can
/// act on; the rest is [`StoreError::Failed`].
pub fn database_error(error: sqlx::Error) -> StoreError {
    let unavailable = |message: &str| StoreError::Unavailable(message.to_owned());
    if is_read_only(&error) {
        return unavailable(
            "the database is read-only: saves are refused until it is writable again; reading notes still works",
        );
    }
    match sqlite_code(&error) {
        Some(SQLITE_FULL) => {
            return unavailable(
                "the database is full (no space left on its disk, or the --max-database-mb cap reached): \
                 saves are refused until space is freed or the cap raised; reading notes still works",
            );
        }
        Some(SQLITE_IOERR | SQLITE_CANTOPEN | SQLITE_PERM) => {
            return unavailable("the database file cannot be written (I/O error); try again later");
        }
        Some(SQLITE_BUSY | SQLITE_LOCKED) => {
            return unavailable("the database is busy; try again shortly");
        }
        _ => {}
    }
    if let Some(state) = postgres_state(&error) {
        if state == "53100" {
            return unavailable(
                "the database's disk is full: saves are refused until space is freed; reading notes still works",
            );
        }
        if state.starts_with("08") || state.starts_with("53") || state.starts_with("57P") {
            return unavailable("the database is not answering; try again shortly");
        }
    }
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_) => {
            unavailable("the database is not answering; try again shortly")
        }
        other => StoreError::Failed(describe(&other)),
    }
}

/// A database error's text (never a URL with a password: sqlx does not put
/// the URL in its errors).
fn describe(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(database) => database.message().to_owned(),
        other => other.to_string(),
    }
}

fn validate(title: &str, body: &str) -> Result<(), StoreError> {
    // PostgreSQL cannot store NUL in text; refused on every back-end alike.
    if title.contains('\0') || body.contains('\0') {
        return Err(StoreError::Invalid(
            "title and body must not contain NUL characters".to_owned(),
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_database_url_is_never_shown() {
        assert_eq!(
            redact("postgres://notes:s3cret@127.0.0.1:5432/notes"),
            "postgres://notes:***@127.0.0.1:5432/notes"
        );
        assert_eq!(redact("postgres://notes@h/db"), "postgres://notes@h/db");
        assert_eq!(redact("sqlite://.run/notes.db"), "sqlite://.run/notes.db");
    }

    #[test]
    fn a_sqlite_file_is_created_unless_the_url_names_a_mode() {
        assert_eq!(
            sqlite_url_creating_the_file("sqlite://a.db"),
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url_creating_the_file("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(
            sqlite_url_creating_the_file("sqlite::memory:"),
            "sqlite::memory:"
        );
    }
}
