//! A fault-injecting HTTP proxy on loopback, between the app and the Cognito
//! emulator. It counts requests per action (`InitiateAuth:REFRESH_TOKEN_AUTH`,
//! `RevokeToken`, ...) and, on command, refuses connections, answers 500,
//! delays answers, holds requests until released, or answers a definite
//! rejection, for the actions chosen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

/// What the proxy does to the requests it is told to disturb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward everything.
    None,
    /// Drop the connection without an answer (the browser sees a network error).
    RefuseConnections,
    /// Answer HTTP 500 with a body that is not Cognito's.
    ServerError,
    /// Forward, but answer only after this long.
    Delay(Duration),
    /// Answer 400 `NotAuthorizedException` "Refresh Token has been revoked".
    Revoked,
    /// Keep each request (not yet forwarded) until [`FaultProxy::release`]:
    /// requests released together reach the emulator within milliseconds,
    /// so their tokens are issued in the same second.
    Hold,
}

/// The action key of refresh requests (what faults apply to by default).
pub const REFRESH: &str = "InitiateAuth:REFRESH_TOKEN_AUTH";

struct State {
    target: String,
    fault: Mutex<Fault>,
    /// Actions the fault applies to; the others are forwarded.
    disturbed: Mutex<Vec<String>>,
    counts: Mutex<HashMap<String, u32>>,
    arrivals: Mutex<HashMap<String, Vec<std::time::Instant>>>,
    /// Path and query of every request that is not a Cognito API call
    /// (managed login: `/oauth2/...`, `/logout`).
    pages: Mutex<Vec<String>>,
    /// When each forwarded request of an action was answered upstream.
    answers: Mutex<HashMap<String, Vec<std::time::Instant>>>,
    /// Requests held now ([`Fault::Hold`]).
    held: std::sync::atomic::AtomicU32,
    /// Re-issue access tokens without the admin scope (see [`crate::scope`]).
    without_admin_scope: Mutex<Option<rsa::RsaPrivateKey>>,
    /// Bodies of the GlobalSignOut requests, which the proxy answers itself.
    global_sign_outs: Mutex<Vec<Bytes>>,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    pub url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Starts a proxy to `target` (e.g. `http://127.0.0.1:9229`).
    pub async fn start(target: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let state = Arc::new(State {
            target: target.trim_end_matches('/').to_owned(),
            fault: Mutex::new(Fault::None),
            disturbed: Mutex::new(vec![REFRESH.to_owned()]),
            counts: Mutex::new(HashMap::new()),
            arrivals: Mutex::new(HashMap::new()),
            pages: Mutex::new(Vec::new()),
            answers: Mutex::new(HashMap::new()),
            held: std::sync::atomic::AtomicU32::new(0),
            without_admin_scope: Mutex::new(None),
            global_sign_outs: Mutex::new(Vec::new()),
            client: Client::builder(TokioExecutor::new()).build_http(),
        });
        let serving = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = serving.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(state.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { url, state, task }
    }

    pub fn set_fault(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
    }

    /// Which actions faults apply to (default: refreshes only).
    pub fn disturb(&self, actions: &[&str]) {
        *self.state.disturbed.lock().unwrap() = actions.iter().map(|a| (*a).to_owned()).collect();
    }

    /// Path and query of each managed-login request that arrived, in order.
    pub fn pages(&self) -> Vec<String> {
        self.state.pages.lock().unwrap().clone()
    }

    /// How many requests of `action` arrived (disturbed ones included).
    pub fn count(&self, action: &str) -> u32 {
        self.state
            .counts
            .lock()
            .unwrap()
            .get(action)
            .copied()
            .unwrap_or(0)
    }

    /// When each request of `action` arrived.
    pub fn arrivals(&self, action: &str) -> Vec<std::time::Instant> {
        self.state
            .arrivals
            .lock()
            .unwrap()
            .get(action)
            .cloned()
            .unwrap_or_default()
    }

    /// When each forwarded request of `action` got its answer from the emulator.
    pub fn answers(&self, action: &str) -> Vec<std::time::Instant> {
        self.state
            .answers
            .lock()
            .unwrap()
            .get(action)
            .cloned()
            .unwrap_or_default()
    }

    /// How many requests [`Fault::Hold`] keeps now.
    pub fn held(&self) -> u32 {
        self.state.held.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Forwards every held request at once and stops holding.
    pub fn release(&self) {
        self.set_fault(Fault::None);
    }

    /// From now on, access tokens the emulator issues reach the app without
    /// the `aws.cognito.signin.user.admin` scope.
    pub fn withhold_admin_scope(&self) {
        *self.state.without_admin_scope.lock().unwrap() = Some(crate::scope::cognito_local_key());
    }

    /// The bodies of the GlobalSignOut requests that arrived.
    pub fn global_sign_outs(&self) -> Vec<serde_json::Value> {
        self.state
            .global_sign_outs
            .lock()
            .unwrap()
            .iter()
            .map(|body| serde_json::from_slice(body).unwrap_or(serde_json::Value::Null))
            .collect()
    }

    pub fn counts(&self) -> HashMap<String, u32> {
        self.state.counts.lock().unwrap().clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The action of a Cognito JSON API call: the `X-Amz-Target` operation, and
/// for `InitiateAuth` its `AuthFlow`.
fn action_of(target: Option<&str>, body: &[u8]) -> Option<String> {
    let operation = target?.rsplit('.').next()?.to_owned();
    if operation == "InitiateAuth" {
        let flow = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|json| json["AuthFlow"].as_str().map(str::to_owned))
            .unwrap_or_default();
        return Some(format!("{operation}:{flow}"));
    }
    Some(operation)
}

/// The `logout_uri` of a `/logout` query, decoded.
fn logout_uri(query: &str) -> Option<String> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("logout_uri="))?;
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&value[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok());
    let action = action_of(target, &body);
    if target.is_none() {
        let page = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        state.pages.lock().unwrap().push(page);
        // cognito-local 5.3.0 has no `/logout`: answer as Cognito does,
        // with a redirect to the `logout_uri` asked for.
        if parts.uri.path() == "/logout"
            && let Some(back) = logout_uri(parts.uri.query().unwrap_or_default())
        {
            return Ok(Response::builder()
                .status(StatusCode::FOUND)
                .header("location", back)
                .body(Full::new(Bytes::new()))
                .expect("a valid response"));
        }
    }
    let mut fault = Fault::None;
    if let Some(action) = &action {
        *state
            .counts
            .lock()
            .unwrap()
            .entry(action.clone())
            .or_default() += 1;
        state
            .arrivals
            .lock()
            .unwrap()
            .entry(action.clone())
            .or_default()
            .push(std::time::Instant::now());
        if state.disturbed.lock().unwrap().contains(action) {
            fault = state.fault.lock().unwrap().clone();
        }
    }
    let origin = parts
        .headers
        .get("origin")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("*")
        .to_owned();
    let local_answer = |status: StatusCode, body: &str| {
        Response::builder()
            .status(status)
            .header("content-type", "application/x-amz-json-1.1")
            .header("access-control-allow-origin", origin.as_str())
            .body(Full::new(Bytes::from(body.to_owned())))
            .expect("a valid response")
    };
    // cognito-local 5.3.0 has no GlobalSignOut: answer as Cognito does
    // (200, empty object) and keep the request for the test to inspect.
    if action.as_deref() == Some("GlobalSignOut") && fault == Fault::None {
        state.global_sign_outs.lock().unwrap().push(body.clone());
        return Ok(local_answer(StatusCode::OK, "{}"));
    }
    match fault {
        Fault::RefuseConnections => {
            return Err(std::io::Error::other(
                "connection refused by the fault proxy",
            ));
        }
        Fault::ServerError => {
            return Ok(local_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<html>upstream failure</html>",
            ));
        }
        Fault::Revoked => {
            return Ok(local_answer(
                StatusCode::BAD_REQUEST,
                r#"{"__type":"NotAuthorizedException","message":"Refresh Token has been revoked"}"#,
            ));
        }
        Fault::Delay(delay) => tokio::time::sleep(delay).await,
        Fault::Hold => {
            use std::sync::atomic::Ordering;
            state.held.fetch_add(1, Ordering::SeqCst);
            while *state.fault.lock().unwrap() == Fault::Hold {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            state.held.fetch_sub(1, Ordering::SeqCst);
        }
        Fault::None => {}
    }
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let mut forward = Request::builder()
        .method(parts.method.clone())
        .uri(format!("{}{path}", state.target));
    for (name, value) in &parts.headers {
        if name != "host" {
            forward = forward.header(name, value);
        }
    }
    let forward = forward
        .body(Full::new(body))
        .map_err(std::io::Error::other)?;
    let answer = state
        .client
        .request(forward)
        .await
        .map_err(std::io::Error::other)?;
    let (parts, body) = answer.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(std::io::Error::other)?;
    let issues_tokens = action.as_deref().is_some_and(|action| {
        action.starts_with("InitiateAuth") || action == "RespondToAuthChallenge"
    }) || path.starts_with("/oauth2/token");
    let key = state.without_admin_scope.lock().unwrap().clone();
    let (mut parts, mut body) = (parts, body);
    if issues_tokens
        && let Some(key) = key
        && let Some(rewritten) = crate::scope::answer_without_admin_scope(&body, &key)
    {
        body = Bytes::from(rewritten);
        parts.headers.remove(hyper::header::CONTENT_LENGTH);
    }
    if let Some(action) = action {
        state
            .answers
            .lock()
            .unwrap()
            .entry(action)
            .or_default()
            .push(std::time::Instant::now());
    }
    Ok(Response::from_parts(parts, Full::new(body)))
}
