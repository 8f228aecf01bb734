//! `make bench` (scripts/bench-notes-api.sh): the notes API under load on
//! loopback, on SQLite and on PostgreSQL (when `NOTES_TEST_POSTGRES_URL`
//! names a server, as scripts/with-postgres.sh sets it).
//!
//! For 1, 16 and 64 concurrent clients, each with its own user and ID token
//! and its own keep-alive connection: saves (`PUT /notes/{id}` on the
//! client's own note, so every save commits) and list reads (`GET /notes`
//! of 10 notes). Each phase is bounded in time and in count. Then, to see
//! where one request's time goes, one client's requests interleaved with the
//! same save and list straight on the store (no HTTP, no token) and with
//! checks of its token (keys cached). Writes a Markdown report.
//!
//!   cargo run --release -p session-guard-notes-api --example load_bench -- \
//!     --out bench/notes-api-report.md [--seconds 3]

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::json;
use session_guard_notes_api::store::Note;
use session_guard_notes_api::{AllowedOrigins, LogSink, Store, Verifier, router};
use sqlx::Connection;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const CONCURRENCY: [usize; 3] = [1, 16, 64];
const MAX_REQUESTS_PER_PHASE: usize = 50_000;
const NOTES_PER_USER: usize = 10;
/// The interleaved measurement of one request's parts: this many rounds per
/// operation at most, and at most [`BREAKDOWN_SECONDS`].
const BREAKDOWN_ROUNDS: usize = 1000;
const BREAKDOWN_SECONDS: f64 = 2.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Save,
    List,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Self::Save => "save",
            Self::List => "list (10 notes)",
        }
    }
}

struct Phase {
    backend: &'static str,
    clients: usize,
    operation: Operation,
    latencies_us: Vec<u64>,
    errors: usize,
    elapsed: Duration,
}

/// One client's requests, each followed by the same operation straight on
/// the store (awaited inline, then from a task of its own) and by a check of
/// its token: microseconds each (the token check in nanoseconds).
struct Breakdown {
    backend: &'static str,
    operation: Operation,
    client_us: Vec<u64>,
    /// From the server's request log (0.1 ms resolution).
    server_us: Vec<u64>,
    inline_us: Vec<u64>,
    spawned_us: Vec<u64>,
    token_ns: Vec<u64>,
}

/// Everything measured, for the report.
#[derive(Default)]
struct Results {
    phases: Vec<Phase>,
    breakdowns: Vec<Breakdown>,
}

/// The `p` quantile of sorted microsecond samples, in milliseconds.
fn percentile_ms(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    sorted_us[index] as f64 / 1000.0
}

fn mean_us(samples_us: &[u64]) -> f64 {
    samples_us.iter().sum::<u64>() as f64 / samples_us.len().max(1) as f64
}

fn micros_since(started: Instant) -> u64 {
    started.elapsed().as_micros() as u64
}

struct Client {
    http: reqwest::Client,
    token: String,
    note_id: u64,
    version: u64,
}

impl Client {
    /// Makes one request; true when it was answered 200 (a save then moves
    /// the client's version on).
    async fn send(&mut self, base: &str, operation: Operation) -> bool {
        let request = match operation {
            Operation::Save => self
                .http
                .put(format!("{base}/notes/{}", self.note_id))
                .bearer_auth(&self.token)
                .body(
                    json!({
                        "title": "bench",
                        "body": format!("saved at version {}", self.version),
                        "version": self.version,
                    })
                    .to_string(),
                ),
            Operation::List => self
                .http
                .get(format!("{base}/notes"))
                .bearer_auth(&self.token),
        };
        let ok = match request.send().await {
            Ok(response) => response.status().as_u16() == 200 && response.bytes().await.is_ok(),
            Err(_) => false,
        };
        if ok && operation == Operation::Save {
            self.version += 1;
        }
        ok
    }
}

async fn server(store: Arc<Store>, jwks_url: &str) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let verifier = Verifier::new(ISSUER, CLIENT_ID, jwks_url).unwrap();
    let (log, lines) = LogSink::memory();
    let app = router(verifier, store, &AllowedOrigins::Any, log);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, lines)
}

/// `clients` users, each with its own token, connection and 10 notes.
async fn prepare(base: &str, label: &str, clients: usize) -> Vec<Client> {
    let mut prepared = Vec::new();
    for n in 0..clients {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let token = sign(
            &rs256_header(KID),
            &id_claims(&format!("bench-{label}-{n}")),
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
    operation: Operation,
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
                while Instant::now() < deadline && latencies.len() + errors < per_client {
                    let sent = Instant::now();
                    if client.send(&base, operation).await {
                        latencies.push(micros_since(sent));
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

/// The same operation straight on the store, for user `sub` whose last
/// note is `note`.
async fn direct(store: &Store, sub: &str, note: &mut Note, operation: Operation) {
    match operation {
        Operation::Save => {
            let body = format!("saved at version {}", note.version);
            *note = store
                .update(sub, note.id, "bench".into(), body, note.version)
                .await
                .unwrap();
        }
        Operation::List => {
            assert_eq!(store.list(sub).await.unwrap().len(), NOTES_PER_USER);
        }
    }
}

/// Where one request's time goes: one client's requests, each followed by
/// the same operation straight on the store (awaited inline, then from a
/// task of its own, as a request handler runs on the runtime's workers) and
/// by a check of the client's token. Interleaved, so a busy moment of the
/// machine falls on every part alike.
async fn breakdown(
    base: &str,
    store: &Arc<Store>,
    backend: &'static str,
    logs: &std::sync::Mutex<Vec<String>>,
) -> Vec<Breakdown> {
    let mut client = prepare(base, &format!("{backend}-parts"), 1)
        .await
        .remove(0);
    let sub = format!("bench-{backend}-direct");
    let mut note = None;
    for i in 0..NOTES_PER_USER {
        let created = store.create(&sub, format!("note {i}"), "x".repeat(500));
        note = Some(created.await.unwrap());
    }
    let mut note = note.unwrap();
    let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks_json(&[KID]));
    verifier.verify(&client.token, now()).await.unwrap();
    let mut parts = Vec::new();
    for operation in [Operation::Save, Operation::List] {
        logs.lock().unwrap().clear();
        let mut part = Breakdown {
            backend,
            operation,
            client_us: Vec::new(),
            server_us: Vec::new(),
            inline_us: Vec::new(),
            spawned_us: Vec::new(),
            token_ns: Vec::new(),
        };
        let started = Instant::now();
        while part.client_us.len() < BREAKDOWN_ROUNDS
            && started.elapsed().as_secs_f64() < BREAKDOWN_SECONDS
        {
            let sent = Instant::now();
            assert!(
                client.send(base, operation).await,
                "{backend} {}",
                operation.name()
            );
            part.client_us.push(micros_since(sent));

            let sent = Instant::now();
            direct(store, &sub, &mut note, operation).await;
            part.inline_us.push(micros_since(sent));

            let sent = Instant::now();
            let (task_store, task_sub, mut task_note) = (store.clone(), sub.clone(), note.clone());
            note = tokio::spawn(async move {
                direct(&task_store, &task_sub, &mut task_note, operation).await;
                task_note
            })
            .await
            .unwrap();
            part.spawned_us.push(micros_since(sent));

            let sent = Instant::now();
            verifier.verify(&client.token, now()).await.unwrap();
            part.token_ns.push(sent.elapsed().as_nanos() as u64);
        }
        part.server_us = logs
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains(" 200 sub="))
            .filter_map(|line| line.rsplit(' ').next()?.strip_suffix("ms")?.parse().ok())
            .map(|ms: f64| (ms * 1000.0) as u64)
            .collect();
        parts.push(part);
    }
    parts
}

async fn bench_backend(
    backend: &'static str,
    url: &str,
    jwks_url: &str,
    seconds: f64,
    results: &mut Results,
) -> String {
    let store = Arc::new(
        Store::open(url)
            .await
            .unwrap_or_else(|error| panic!("{error}")),
    );
    let (base, logs) = server(store.clone(), jwks_url).await;
    for clients in CONCURRENCY {
        let mut prepared = prepare(&base, &format!("{backend}-{clients}"), clients).await;
        for operation in [Operation::Save, Operation::List] {
            let (phase, back) = run_phase(&base, backend, operation, prepared, seconds).await;
            eprintln!(
                "bench: {backend} {clients:>2} clients {}: {} ok, {} errors",
                operation.name(),
                phase.latencies_us.len(),
                phase.errors
            );
            results.phases.push(phase);
            prepared = back;
        }
        logs.lock().unwrap().clear();
    }
    results
        .breakdowns
        .extend(breakdown(&base, &store, backend, &logs).await);
    // The engine's version, for the report.
    let version: String = match backend {
        "sqlite" => {
            let mut connection = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar("SELECT 'SQLite ' || sqlite_version()")
                .fetch_one(&mut connection)
                .await
                .unwrap()
        }
        _ => {
            let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar("SELECT version()")
                .fetch_one(&mut connection)
                .await
                .unwrap()
        }
    };
    version.split(" on ").next().unwrap_or(&version).to_owned()
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
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
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
    format!(
        "{cpu} (`model name` in /proc/cpuinfo), {cores} cores (nproc), {memory} RAM, \
         Linux {kernel}; load average {load} when the bench started"
    )
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
    let machine = machine();
    let jwks = JwksServer::start(&[KID]).await;
    let mut results = Results::default();
    let mut engines = Vec::new();

    let folder = std::env::temp_dir().join(format!("notes-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let sqlite_url = format!("sqlite://{}", folder.join("bench.db").display());
    engines.push(bench_backend("sqlite", &sqlite_url, &jwks.url, seconds, &mut results).await);

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
            engines.push(bench_backend("postgres", &url, &jwks.url, seconds, &mut results).await);
        }
        _ => eprintln!("bench: NOTES_TEST_POSTGRES_URL is not set; PostgreSQL is left out"),
    }
    let _ = std::fs::remove_dir_all(&folder);
    let Results { phases, breakdowns } = results;
    let mut verification_ns: Vec<u64> = breakdowns
        .iter()
        .flat_map(|part| part.token_ns.iter().copied())
        .collect();
    verification_ns.sort_unstable();
    let verify_mean = mean_us(&verification_ns) / 1000.0;
    let verify_p50 = percentile_ms(&verification_ns, 0.50);
    let verify_p99 = percentile_ms(&verification_ns, 0.99);

    let mut report = String::new();
    let _ = writeln!(report, "# Notes API under load\n");
    let _ = writeln!(
        report,
        "Written by `make bench` (`scripts/bench-notes-api.sh`, `notes-api/examples/load_bench.rs`, \
         the workspace's release profile, as `cargo build --release` gives it) on {} UTC.\n",
        session_guard_notes_api::time::rfc3339(session_guard_notes_api::time::now_ms())
    );
    let _ = writeln!(report, "- Machine: {machine}");
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
         verified (RS256, keys cached) and logged (one line each, kept in memory). Each phase runs {seconds} s or {MAX_REQUESTS_PER_PHASE} \
         requests, whichever comes first.
- One run, not an average: on a busy machine the figures move by tens of percent from run \
         to run (the load average above says how busy this one was). Compare runs made on the \
         same machine.\n"
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
            phase.operation.name(),
            phase.latencies_us.len(),
            phase.errors,
            phase.latencies_us.len() as f64 / phase.elapsed.as_secs_f64(),
            percentile_ms(&phase.latencies_us, 0.50),
            percentile_ms(&phase.latencies_us, 0.99),
        );
    }
    let _ = writeln!(
        report,
        "\nToken verification per request (RS256 signature and claim checks, keys cached; {} \
         checks, interleaved with the requests below): mean {verify_mean:.1} µs, p50 \
         {verify_p50:.1} µs, p99 {verify_p99:.1} µs.\n",
        verification_ns.len()
    );
    let _ = writeln!(
        report,
        "Where one request's time goes (means, one client): each round makes one request over \
         HTTP, then the same operation straight on the store, awaited inline and then from a task \
         of its own (as a request handler runs on the runtime's worker threads), then one check of \
         the client's token; up to {BREAKDOWN_ROUNDS} rounds or {BREAKDOWN_SECONDS} s per \
         operation, interleaved so a busy moment of the machine falls on every part alike. \"In \
         the server\" comes from the server's request log (from the request arriving to the \
         answer), so \"HTTP and client\" (hyper and reqwest on loopback, outside the handler) is \
         the difference for the same requests. The last column is the token check plus the \
         database call (inline) as a share of the time in the server: near 100% means the API's \
         own code (routing, JSON, the log line) adds little to them. Those two are measured next \
         to the requests, not inside them, so the share is an estimate and can pass 100%.\n"
    );
    let _ = writeln!(
        report,
        "| database | operation | rounds | client sees (µs) | in the server (µs) | HTTP and client (µs) | token check (µs) | database, inline (µs) | database, from a task (µs) | token check + database, share of the server's time |"
    );
    let _ = writeln!(
        report,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for part in &breakdowns {
        let client = mean_us(&part.client_us);
        let server = mean_us(&part.server_us);
        let token = mean_us(&part.token_ns) / 1000.0;
        let database = mean_us(&part.inline_us);
        let _ = writeln!(
            report,
            "| {} | {} | {} | {client:.0} | {server:.0} | {:.0} | {token:.0} | {database:.0} | {:.0} | {:.0}% |",
            part.backend,
            part.operation.name(),
            part.client_us.len(),
            client - server,
            mean_us(&part.spawned_us),
            (token + database) / server * 100.0,
        );
    }
    print!("{report}");
    if let Some(out) = out {
        std::fs::write(&out, &report).unwrap();
        eprintln!("bench: wrote {out}");
    }
}
