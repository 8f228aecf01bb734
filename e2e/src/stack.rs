//! Everything one scenario needs, started on free loopback ports: cognito-local
//! (seeded), the fault proxy in front of it, the notes API, and the release
//! build served with a config.json that points at them.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cognito_local::{CognitoLocal, Seed};
use crate::process::{ChildProcess, repo_root};
use crate::proxy::FaultProxy;
use crate::site::StaticSite;

/// The demo notes API (`notes-api/`), built by `make test-e2e`.
pub struct NotesApi {
    _process: ChildProcess,
    pub url: String,
}

impl NotesApi {
    /// Starts the notes API for the app config at `config_path`.
    pub fn start(config_path: &std::path::Path, log: &std::path::Path) -> Self {
        let binary = repo_root().join("target/debug/notes-api");
        assert!(
            binary.exists(),
            "{} is missing; run `cargo build -p session-guard-notes-api` (make test-e2e does)",
            binary.display()
        );
        use std::os::unix::process::CommandExt;
        let mut command = Command::new(binary);
        command.process_group(0);
        command
            .arg("--config")
            .arg(config_path)
            .args(["--listen", "127.0.0.1:0"])
            // Each scenario starts with no notes.
            .args(["--database", "sqlite::memory:"]);
        let stderr = std::fs::File::create(log).expect("notes-api log");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start notes-api");
        let stdout = child.stdout.take().expect("notes-api stdout");
        let mut first_line = String::new();
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("read notes-api's address");
        let url = first_line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("notes-api said {first_line:?}"))
            .to_owned();
        Self {
            _process: ChildProcess::adopt("notes-api", child),
            url,
        }
    }

    /// `GET /stats`: which tokens the API saw and refused.
    pub async fn stats(&self) -> Value {
        let url = format!("{}/stats", self.url);
        tokio::task::spawn_blocking(move || http_get(&url))
            .await
            .expect("stats task")
    }
}

/// A minimal blocking HTTP GET for loopback JSON (no client crate needed).
fn http_get(url: &str) -> Value {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON from {url}: {body}"))
}

/// Calls the Cognito JSON API directly (e.g. to prove a refresh token was
/// revoked): returns the HTTP status and the JSON body.
pub async fn cognito_call(endpoint: &str, action: &str, body: Value) -> (u16, Value) {
    let endpoint = endpoint.trim_end_matches('/').to_owned();
    let action = action.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let host = endpoint.strip_prefix("http://").expect("http endpoint").to_owned();
        let payload = body.to_string();
        let mut stream = std::net::TcpStream::connect(&host).expect("connect to cognito-local");
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AWSCognitoIdentityProviderService.{action}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
            payload.len()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
        // cognito-local may answer with chunked encoding: take the JSON object.
        let json = body.find('{').and_then(|start| body.rfind('}').map(|end| &body[start..=end])).unwrap_or("null");
        (status, serde_json::from_str(json).unwrap_or(Value::Null))
    })
    .await
    .expect("cognito call task")
}

/// The whole system for one scenario.
pub struct Stack {
    pub cognito: CognitoLocal,
    pub proxy: FaultProxy,
    pub notes: NotesApi,
    pub site: StaticSite,
    /// The config.json the app was served with.
    pub config: Value,
}

impl Stack {
    /// Seeds a pool with `seed`'s validities, applies `session_overrides`
    /// (an object of policy knobs) and starts everything.
    pub async fn start(seed: Seed<'_>, session_overrides: Value) -> Self {
        Self::serving(&crate::repo_root().join("dist"), seed, session_overrides).await
    }

    /// [`Stack::start`] serving another release build (an example app's).
    pub async fn serving(dist: &std::path::Path, seed: Seed<'_>, session_overrides: Value) -> Self {
        let cognito = CognitoLocal::start();
        let site = StaticSite::serve_copy_of(dist);
        cognito.seed(&seed, &site.config_path());
        let mut config: Value = serde_json::from_str(
            &std::fs::read_to_string(site.config_path()).expect("seeded config"),
        )
        .expect("config JSON");
        let proxy = FaultProxy::start(&cognito.endpoint).await;
        let pool = config["cognito"]["user_pool_id"]
            .as_str()
            .expect("pool")
            .to_owned();
        // The app talks to Cognito through the proxy; tokens still name the emulator.
        config["cognito"]["endpoint"] = format!("{}/", proxy.url).into();
        config["cognito"]["issuer"] = format!("{}/{pool}", cognito.endpoint).into();
        config["session"]["overrides"] = session_overrides;
        write_config(&site, &config);
        let notes = NotesApi::start(
            &site.config_path(),
            &site.root.with_extension("notes-api.log"),
        );
        config["api"] = serde_json::json!({ "base_url": notes.url });
        write_config(&site, &config);
        Self {
            cognito,
            proxy,
            notes,
            site,
            config,
        }
    }
}

fn write_config(site: &StaticSite, config: &Value) {
    std::fs::write(
        site.config_path(),
        serde_json::to_string_pretty(config).expect("config"),
    )
    .expect("write config.json");
}

/// Polls `probe` until it returns `Some`, or panics naming `what`.
pub async fn wait_until<T>(
    what: &str,
    limit: Duration,
    mut probe: impl AsyncFnMut() -> Option<T>,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        if start.elapsed() > limit {
            panic!("timed out after {limit:?} waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
