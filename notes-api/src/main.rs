//! `notes-api`: serves the demo notes API until SIGTERM or ctrl-c.

use session_guard_notes_api::config::USAGE;
use session_guard_notes_api::store::redact;
use session_guard_notes_api::{
    AllowedOrigins, ConfigError, ImportOutcome, JwksOptions, LogSink, Settings, Store,
    StoreOptions, Verifier, router,
};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    {
        Ok(settings) => settings,
        Err(ConfigError::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("notes-api: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("notes-api: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), String> {
    let origins = AllowedOrigins::parse(&settings.allow_origins)?;
    let mut jwks_options = JwksOptions::default();
    if let Some(path) = &settings.jwks_ca_file {
        let pem = std::fs::read(path)
            .map_err(|error| format!("--jwks-ca-file {}: {error}", path.display()))?;
        jwks_options.extra_roots_pem.push(pem);
    }
    let verifier = Verifier::with_options(
        &settings.issuer,
        &settings.client_id,
        &settings.jwks_url,
        &jwks_options,
    )?;
    let store_options = StoreOptions {
        max_sqlite_bytes: settings.max_database_mb.map(|mb| mb << 20),
    };
    let store = Arc::new(Store::open_with(&settings.database, store_options).await?);
    if let Some(path) = &settings.import_json {
        match store.import_json(path).await? {
            ImportOutcome::Imported { notes, users } => eprintln!(
                "notes-api: imported {notes} notes of {users} users from {}",
                path.display()
            ),
            ImportOutcome::AlreadyImported { source } => eprintln!(
                "notes-api: not importing {}: this database already took the import of {source}",
                path.display()
            ),
        }
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", settings.listen))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;
    // The first stdout line: scripts read the port from it.
    // (A closed stdout must not stop the server: scripts may read one line and go.)
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on http://{address}");
    let _ = stdout.flush();
    eprintln!(
        "notes-api: issuer {} | client {} | jwks {} | origins {} | database {}{}",
        settings.issuer,
        settings.client_id,
        settings.jwks_url,
        match &origins {
            AllowedOrigins::Any => "*".to_owned(),
            AllowedOrigins::List(_) => settings.allow_origins.join(","),
        },
        redact(&settings.database),
        match settings.max_database_mb {
            Some(mb) => format!(" (at most {mb} MB)"),
            None => String::new(),
        },
    );
    let app = router(verifier, store.clone(), &origins, LogSink::Stderr);
    // On SIGTERM or ctrl-c: stop accepting, let requests in flight finish,
    // then close the database (SQLite folds its WAL back into the file).
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("server error: {error}"))?;
    store.close().await;
    eprintln!("notes-api: shut down");
    Ok(())
}

/// Resolves on ctrl-c or SIGTERM; in-flight requests then finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
