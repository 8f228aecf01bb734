//! `make bench` (scripts/bench-notes-api.sh): the notes API under load on
//! loopback, on SQLite and on PostgreSQL (when `NOTES_TEST_POSTGRES_URL`
//! names a server, as scripts/with-postgres.sh sets it).
//!
//! For 1, 16 and 64 concurrent clients, each with its own user and ID token
//! and its own keep-alive connection: saves (`PUT /notes/{id}` on the
//! client's own note, so every save commits) and list reads (`GET /notes`
//! of 10 notes). Each phase is bounded in time and in count. Then the cost
//! of checking one token with the keys cached. Writes a Markdown report.
//!
//!   cargo run --release -p session-guard-notes-api --example load_bench -- \
//!     --out bench/notes-api-report.md [--seconds 3]

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::json;
use session_guard_notes_api::{AllowedOrigins, LogSink, Store, Verifier, router};
use sqlx::Connection;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const CONCURRENCY: [usize; 3] = [1, 16, 64];
const MAX_REQUESTS_PER_PHASE: usize = 50_000;
const NOTES_PER_USER: usize = 10;

struct Phase {
    backend: &'static str,
    clients: usize,
    operation: &'static str,
    latencies_us: Vec<u64>,
    errors: usize,
    elapsed: Duration,
}

impl Phase {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let index = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[index] as f64 / 1000.0
    }
}

struct Client {
    http: reqwest::Client,
    token: String,
    note_id: u64,
    version: u64,
}

async fn server(store: Store, jwks_url: &str) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let verifier = Verifier::new(ISSUER, CLIENT_ID, jwks_url).unwrap();
    let (log, lines) = LogSink::memory();
    let app = router(verifier, Arc::new(store), &AllowedOrigins::Any, log);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, lines)
}

async fn prepare(base: &str, backend: &str, clients: usize) -> Vec<Client> {
    let mut prepared = Vec::new();
    for n in 0..clients {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let token = sign(
            &rs256_header(KID),
            &id_claims(&format!("bench-{backend}-{clients}-{n}")),
        );
        let mut note_id = 0;
        for i in 0..NOTES_PER_USER {
            let created = http
                .post(format!("{base}/notes"))
                .bearer_auth(&token)
                .body(json!({"title": format!("note {i}"), "body": "x".repeat(500)}).to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(created.status().as_u16(), 201);
            note_id = json_body(created).await["id"].as_u64().unwrap();
        }
        prepared.push(Client {
            http,
            token,
            note_id,
            version: 1,
        });
    }
    prepared
}

async fn run_phase(
    base: &str,
    backend: &'static str,
    operation: &'static str,
    clients: Vec<Client>,
    seconds: f64,
) -> (Phase, Vec<Client>) {
    let count = clients.len();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let per_client = MAX_REQUESTS_PER_PHASE / count;
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut client| {
            let base = base.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let mut text = String::with_capacity(600);
                while Instant::now() < deadline && latencies.len() + errors < per_client {
                    let sent = Instant::now();
                    let request = if operation == "save" {
                        text.clear();
                        let _ = write!(text, "saved at version {}", client.version);
                        client
                            .http
                            .put(format!("{base}/notes/{}", client.note_id))
                            .bearer_auth(&client.token)
                            .body(
                                json!({"title": "bench", "body": text, "version": client.version})
                                    .to_string(),
                            )
                    } else {
                        client
                            .http
                            .get(format!("{base}/notes"))
                            .bearer_auth(&client.token)
                    };
                    let ok = match request.send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            let body = response.bytes().await;
                            status == 200 && body.is_ok()
                        }
                        Err(_) => false,
                    };
                    if ok {
                        latencies.push(sent.elapsed().as_micros() as u64);
                        if operation == "save" {
                            client.version += 1;
                        }
                    } else {
                        errors += 1;
                    }
                }
                (client, latencies, errors)
            })
        })
        .collect();
    let mut phase = Phase {
        backend,
        clients: count,
        operation,
        latencies_us: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    let mut back = Vec::new();
    for task in tasks {
        let (client, latencies, errors) = task.await.unwrap();
        phase.latencies_us.extend(latencies);
        phase.errors += errors;
        back.push(client);
    }
    phase.elapsed = started.elapsed();
    phase.latencies_us.sort_unstable();
    (phase, back)
}

async fn bench_backend(
    backend: &'static str,
    url: &str,
    jwks_url: &str,
    seconds: f64,
    phases: &mut Vec<Phase>,
) -> String {
    let store = Store::open(url)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let (base, logs) = server(store, jwks_url).await;
    for clients in CONCURRENCY {
        let prepared = prepare(&base, backend, clients).await;
        let (save, prepared) = run_phase(&base, backend, "save", prepared, seconds).await;
        eprintln!(
            "bench: {backend} {clients:>2} clients save: {} ok, {} errors",
            save.latencies_us.len(),
            save.errors
        );
        let (list, _) = run_phase(&base, backend, "list (10 notes)", prepared, seconds).await;
        eprintln!(
            "bench: {backend} {clients:>2} clients list: {} ok, {} errors",
            list.latencies_us.len(),
            list.errors
        );
        phases.push(save);
        phases.push(list);
        logs.lock().unwrap().clear();
    }
    // The engine's version, for the report.
    let version_query = match backend {
        "sqlite" => "SELECT 'SQLite ' || sqlite_version()",
        _ => "SELECT version()",
    };
    let version: String = match backend {
        "sqlite" => {
            let mut connection = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar(version_query)
                .fetch_one(&mut connection)
                .await
                .unwrap()
        }
        _ => {
            let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(version_query)
                .fetch_one(&mut connection)
                .await
                .unwrap()
        }
    };
    version.split(" on ").next().unwrap_or(&version).to_owned()
}

/// Microseconds per token check with the keys already cached.
async fn verification_cost() -> (f64, f64, usize) {
    let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks_json(&[KID]));
    let token = id_token(ALICE);
    verifier.verify(&token, now()).await.unwrap();
    let rounds = 2000;
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        verifier.verify(&token, now()).await.unwrap();
        samples.push(started.elapsed().as_nanos() as u64);
    }
    samples.sort_unstable();
    let mean = samples.iter().sum::<u64>() as f64 / rounds as f64 / 1000.0;
    let p99 = samples[(rounds * 99) / 100] as f64 / 1000.0;
    (mean, p99, rounds)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("?".to_owned(), |kb| format!("{} GiB", kb / 1024 / 1024));
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .unwrap_or_default()
        .trim()
        .to_owned();
    format!("{cpu}, {cores} cores, {memory} RAM, Linux {kernel}")
}

#[tokio::main]
async fn main() {
    let mut out = None;
    let mut seconds = 3.0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next(),
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds N")
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let jwks = JwksServer::start(&[KID]).await;
    let mut phases = Vec::new();
    let mut engines = Vec::new();

    let folder = std::env::temp_dir().join(format!("notes-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let sqlite_url = format!("sqlite://{}", folder.join("bench.db").display());
    engines.push(bench_backend("sqlite", &sqlite_url, &jwks.url, seconds, &mut phases).await);

    match std::env::var("NOTES_TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
            let name = format!("notes_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            engines.push(bench_backend("postgres", &url, &jwks.url, seconds, &mut phases).await);
        }
        _ => eprintln!("bench: NOTES_TEST_POSTGRES_URL is not set; PostgreSQL is left out"),
    }
    let _ = std::fs::remove_dir_all(&folder);
    let (verify_mean, verify_p99, rounds) = verification_cost().await;

    let mut report = String::new();
    let _ = writeln!(report, "# Notes API under load\n");
    let _ = writeln!(
        report,
        "Written by `make bench` (`scripts/bench-notes-api.sh`, `notes-api/examples/load_bench.rs`, \
         release build) on {} UTC.\n",
        session_guard_notes_api::time::rfc3339(session_guard_notes_api::time::now_ms())
    );
    let _ = writeln!(report, "- Machine: {}", machine());
    let _ = writeln!(report, "- Databases: {}", engines.join("; "));
    let _ = writeln!(
        report,
        "- SQLite in WAL mode with `synchronous = FULL` (every acknowledged save fsynced); \
         PostgreSQL with its defaults (`fsync`, `synchronous_commit` on), a throw-away server on loopback."
    );
    let _ = writeln!(
        report,
        "- Server and clients in one process on 127.0.0.1 (they share the cores). Each client has \
         its own user, ID token and keep-alive connection; every request carries its token and is \
         verified (RS256, keys cached) and logged. Each phase runs {seconds} s or {MAX_REQUESTS_PER_PHASE} \
         requests, whichever comes first.\n"
    );
    let _ = writeln!(
        report,
        "| database | clients | operation | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |"
    );
    let _ = writeln!(
        report,
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for phase in &phases {
        let _ = writeln!(
            report,
            "| {} | {} | {} | {} | {} | {:.0} | {:.2} | {:.2} |",
            phase.backend,
            phase.clients,
            phase.operation,
            phase.latencies_us.len(),
            phase.errors,
            phase.latencies_us.len() as f64 / phase.elapsed.as_secs_f64(),
            phase.percentile(0.50),
            phase.percentile(0.99),
        );
    }
    let _ = writeln!(
        report,
        "\nToken verification per request (RS256 signature and claim checks, keys cached, \
         {rounds} checks in a row): mean {verify_mean:.1} µs, p99 {verify_p99:.1} µs."
    );
    print!("{report}");
    if let Some(out) = out {
        std::fs::write(&out, &report).unwrap();
        eprintln!("bench: wrote {out}");
    }
}
