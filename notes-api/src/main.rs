//! `notes-api`: serves the demo notes API until SIGTERM or ctrl-c.

use session_guard_notes_api::config::USAGE;
use session_guard_notes_api::{
    AllowedOrigins, ConfigError, LogSink, Settings, Store, Verifier, router,
};
use std::io::Write;
use std::process::ExitCode;

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
    let store = match &settings.data_file {
        Some(path) => Store::open(path)?,
        None => Store::in_memory(),
    };
    let verifier = Verifier::new(&settings.issuer, &settings.client_id, &settings.jwks_url);
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
        "notes-api: issuer {} | client {} | jwks {} | origins {} | data {}",
        settings.issuer,
        settings.client_id,
        settings.jwks_url,
        match &origins {
            AllowedOrigins::Any => "*".to_owned(),
            AllowedOrigins::List(_) => settings.allow_origins.join(","),
        },
        settings
            .data_file
            .as_ref()
            .map_or("memory only".to_owned(), |path| path.display().to_string()),
    );
    let app = router(verifier, store, &origins, LogSink::Stderr);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("server error: {error}"))?;
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
