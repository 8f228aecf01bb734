//! A fresh database for one test, on either back-end.
//!
//! SQLite: a file in a temporary folder. PostgreSQL: a new database on the
//! server named by `NOTES_TEST_POSTGRES_URL` (scripts/with-postgres.sh starts
//! one and sets it). Without that variable the PostgreSQL tests are skipped
//! on a developer's machine but FAIL under CI (`CI=true`), so the suite can
//! never silently run on one back-end only.

use session_guard_notes_api::Store;
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub const POSTGRES_URL_VARIABLE: &str = "NOTES_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// One test's database; removed when dropped (SQLite) or left for the
/// throw-away server to take away (PostgreSQL).
pub struct TestDb {
    pub engine: Engine,
    /// What `--database` / [`Store::open`] takes.
    pub url: String,
    /// The SQLite file, if it is one.
    pub file: Option<PathBuf>,
    folder: Option<PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(folder) = &self.folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

fn unique(name: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}_{}_{}",
        name.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect::<String>(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

impl TestDb {
    pub fn sqlite(name: &str) -> Self {
        let folder = std::env::temp_dir().join(format!("notes-api-db-{}", unique(name)));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("notes.db");
        Self {
            engine: Engine::Sqlite,
            url: format!("sqlite://{}", file.display()),
            file: Some(file),
            folder: Some(folder),
        }
    }

    /// A new, empty PostgreSQL database, or `None` (skip) outside CI when no
    /// server is configured.
    pub async fn postgres(name: &str) -> Option<Self> {
        let Some(server) = std::env::var(POSTGRES_URL_VARIABLE)
            .ok()
            .filter(|url| !url.is_empty())
        else {
            if std::env::var("CI").is_ok_and(|ci| ci == "true" || ci == "1") {
                panic!(
                    "{POSTGRES_URL_VARIABLE} is not set under CI: the PostgreSQL store tests must run. \
                     Run the tests through scripts/with-postgres.sh (make test does)"
                );
            }
            eprintln!(
                "skipping the PostgreSQL run of {name}: {POSTGRES_URL_VARIABLE} is not set \
                 (scripts/with-postgres.sh CMD sets it)"
            );
            return None;
        };
        let database = unique(&format!("notes_{name}")).to_lowercase();
        let mut admin = sqlx::PgConnection::connect(&server)
            .await
            .unwrap_or_else(|error| panic!("cannot reach {POSTGRES_URL_VARIABLE}: {error}"));
        sqlx::query(&format!("CREATE DATABASE \"{database}\""))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let base = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(base, _)| base);
        Some(Self {
            engine: Engine::Postgres,
            url: format!("{base}/{database}"),
            file: None,
            folder: None,
        })
    }

    /// This database under another URL (e.g. read-only); the original keeps
    /// ownership of the files.
    pub fn same_database_as(&self, url: String) -> TestDb {
        TestDb {
            engine: self.engine,
            url,
            file: self.file.clone(),
            folder: None,
        }
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url)
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// A connection to this database outside the store (either engine).
    async fn connect_directly(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url)
            .await
            .unwrap_or_else(|error| panic!("cannot connect to {}: {error}", self.url))
    }

    /// Runs one statement on this database outside the store (test set-up).
    pub async fn execute_directly(&self, sql: &str) {
        let mut connection = self.connect_directly().await;
        sqlx::query(sql).execute(&mut connection).await.unwrap();
        connection.close().await.unwrap();
    }

    /// The versions of the migrations applied to this database, in order.
    pub async fn applied_migrations(&self) -> Vec<i64> {
        let mut connection = self.connect_directly().await;
        let versions = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap();
        connection.close().await.unwrap();
        versions
    }
}

/// Declares each listed `async fn NAME(db: TestDb)` as two tests,
/// `sqlite::NAME` and `postgres::NAME`: the same suite on both back-ends.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::support::db::TestDb::sqlite(stringify!($name))).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(db) = $crate::support::db::TestDb::postgres(stringify!($name)).await {
                        super::$name(db).await;
                    }
                }
            )*
        }
    };
}
