//! The HTTP surface: routes, the bearer-token gate, CORS, JSON errors and the
//! one-line-per-request log.

use crate::rejection;
use crate::stats::{MISSING_TOKEN, Stats};
use crate::store::{Note, Store, StoreError};
use crate::time::{now_ms, now_secs, rfc3339};
use crate::verify::{Verifier, VerifyError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request bodies larger than this are refused (413) before parsing; a
/// 100 KB note body can take several times its size once JSON-escaped.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// Paths are logged at most this long (they are client-chosen text).
const MAX_LOGGED_PATH: usize = 120;

/// Where the request log goes.
#[derive(Clone, Default)]
pub enum LogSink {
    #[default]
    Stderr,
    /// Kept in memory (tests read it back).
    Memory(Arc<Mutex<Vec<String>>>),
}

impl LogSink {
    pub fn memory() -> (Self, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        (Self::Memory(lines.clone()), lines)
    }

    pub fn line(&self, line: String) {
        match self {
            Self::Stderr => eprintln!("notes-api: {line}"),
            Self::Memory(lines) => lines.lock().expect("log lock").push(line),
        }
    }
}

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedOrigins {
    Any,
    List(Vec<HeaderValue>),
}

impl AllowedOrigins {
    /// `*` anywhere in `origins` (or none given) means any origin.
    pub fn parse(origins: &[String]) -> Result<Self, String> {
        if origins.is_empty() || origins.iter().any(|origin| origin == "*") {
            return Ok(Self::Any);
        }
        origins
            .iter()
            .map(|origin| {
                let trimmed = origin.trim_end_matches('/');
                if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) {
                    return Err(format!(
                        "--allow-origin {origin:?} is not an origin; use scheme://host[:port], e.g. http://127.0.0.1:8080"
                    ));
                }
                HeaderValue::from_str(trimmed)
                    .map_err(|_| format!("--allow-origin {origin:?} is not a valid header value"))
            })
            .collect::<Result<_, _>>()
            .map(Self::List)
    }

    fn layer(&self) -> CorsLayer {
        let origin = match self {
            Self::Any => AllowOrigin::any(),
            Self::List(origins) => AllowOrigin::list(origins.clone()),
        };
        // Nothing is exposed: the app reads only the body and the status.
        CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([AUTHORIZATION, CONTENT_TYPE])
            .max_age(Duration::from_secs(600))
    }
}

struct Shared {
    verifier: Verifier,
    store: Arc<Store>,
    stats: Stats,
    log: LogSink,
}

#[derive(Clone)]
struct AppState(Arc<Shared>);

/// The authenticated caller, put in the request by [`authenticate`].
#[derive(Clone)]
struct User {
    sub: String,
}

/// Tells the logger whose request it was.
#[derive(Clone)]
struct LoggedSub(String);

/// The whole API. `store` is shared so the caller can close it after the
/// server stops.
pub fn router(
    verifier: Verifier,
    store: Arc<Store>,
    origins: &AllowedOrigins,
    log: LogSink,
) -> Router {
    let state = AppState(Arc::new(Shared {
        verifier,
        store,
        stats: Stats::default(),
        log,
    }));
    let notes = Router::new()
        .route("/notes", get(list_notes).post(create_note))
        .route(
            "/notes/{id}",
            get(read_note).put(update_note).delete(delete_note),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .route("/health", get(health))
        .route("/stats", get(stats))
        .merge(notes)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(origins.layer())
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state)
}

/// An error answer: `{"error": code, "message": ...}` plus extra fields.
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    extra: Option<(&'static str, serde_json::Value)>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            extra: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.code, "message": self.message });
        if let Some((key, value)) = self.extra {
            body[key] = value;
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such note")
            }
            StoreError::Invalid(message) => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_note", message)
            }
            StoreError::VersionConflict { ref current, .. } => {
                let current = json!(current.view());
                ApiError {
                    extra: Some(("current", current)),
                    ..ApiError::new(StatusCode::CONFLICT, "version_conflict", error.to_string())
                }
            }
            StoreError::Unavailable(message) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                message,
            ),
            StoreError::Failed(message) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage_failed", message)
            }
        }
    }
}

fn unauthorized(code: &'static str, message: String, challenge: &'static str) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, code, message).into_response();
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    response
}

/// The token from `Authorization: Bearer <token>`, or why there is none.
fn bearer_token(request: &Request) -> Result<String, &'static str> {
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .ok_or("send the Cognito ID token as Authorization: Bearer <token>")?;
    let value = header
        .to_str()
        .map_err(|_| "the Authorization header is not text")?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or("the Authorization header is not Bearer <token>")?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err("the Authorization header is not Bearer <token>");
    }
    Ok(token.to_owned())
}

/// Admits only requests with a valid Cognito ID token.
async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let shared = &state.0;
    let token = match bearer_token(&request) {
        Ok(token) => token,
        Err(message) => {
            shared.stats.rejected(MISSING_TOKEN);
            return unauthorized(MISSING_TOKEN, message.to_owned(), "Bearer realm=\"notes\"");
        }
    };
    let verified = shared.verifier.verify(&token, now_secs()).await;
    drop(token);
    match verified {
        Ok(identity) => {
            shared.stats.accepted(&identity);
            let logged = LoggedSub(identity.sub.clone());
            request.extensions_mut().insert(User { sub: identity.sub });
            let mut response = next.run(request).await;
            response.extensions_mut().insert(logged);
            response
        }
        Err(VerifyError::Token(error)) => {
            shared.stats.rejected(rejection::kind(&error));
            unauthorized(
                "invalid_token",
                rejection::message(&error),
                "Bearer error=\"invalid_token\"",
            )
        }
        Err(error @ (VerifyError::Jwks(_) | VerifyError::SignatureCheck { .. })) => {
            shared.log.line(format!(
                "cannot check tokens with the keys from {}: {error}",
                shared.verifier.jwks_source()
            ));
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "jwks_unavailable",
                "the user pool's signing keys could not be loaded; try again shortly",
            )
            .into_response()
        }
    }
}

/// One stderr line per request: when it started (UTC), method, path (no
/// query), status, the user's `sub` (`-` without a valid token) and how long
/// it took. Headers (so the token) and query strings are never logged.
async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let started_at = rfc3339(now_ms());
    let method = request.method().clone();
    let path: String = request
        .uri()
        .path()
        .chars()
        .take(MAX_LOGGED_PATH)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let response = next.run(request).await;
    let sub = response
        .extensions()
        .get::<LoggedSub>()
        .map_or("-", |logged| logged.0.as_str());
    state.0.log.line(format!(
        "{started_at} {method} {path} {} sub={sub} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
}

/// 200 while the database answers a query, else 503 with the reason (for a
/// load balancer or an orchestrator's readiness check).
async fn health(State(state): State<AppState>) -> Response {
    let database = state.0.store.backend().name();
    match state.0.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok", "database": database })).into_response(),
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "database": database,
                "message": error.to_string(),
            })),
        )
            .into_response(),
    }
}

async fn stats(State(state): State<AppState>) -> impl IntoResponse {
    Json(state.0.stats.snapshot(state.0.verifier.jwks_fetches()))
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

#[derive(Deserialize)]
struct NewNote {
    title: String,
    body: String,
}

#[derive(Deserialize)]
struct NoteUpdate {
    title: String,
    body: String,
    version: u64,
}

/// Parses a JSON body, answering 400 with serde's description of the problem.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
    shape: &str,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|rejection| {
        ApiError::new(rejection.status(), "invalid_body", rejection.body_text())
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the request body is empty; send JSON {shape}"),
        ));
    }
    serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the request body is not JSON {shape}: {error}"),
        )
    })
}

/// A path id that is not a number names no note.
fn note_id(id: &str) -> Result<u64, ApiError> {
    id.parse().map_err(|_| StoreError::NotFound.into())
}

async fn list_notes(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let notes: Vec<_> = state
        .0
        .store
        .list(&user.sub)
        .await?
        .iter()
        .map(Note::summary)
        .collect();
    Ok(Json(json!({ "notes": notes })))
}

async fn create_note(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let new: NewNote = parse_body(body, r#"{"title": "...", "body": "..."}"#)?;
    let note = state.0.store.create(&user.sub, new.title, new.body).await?;
    let location = HeaderValue::from_str(&format!("/notes/{}", note.id)).expect("digits");
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        Json(note.view()),
    )
        .into_response())
}

async fn read_note(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let note = state.0.store.get(&user.sub, note_id(&id)?).await?;
    Ok(Json(note.view()).into_response())
}

async fn update_note(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = note_id(&id)?;
    let update: NoteUpdate = parse_body(body, r#"{"title": "...", "body": "...", "version": N}"#)?;
    let note = state
        .0
        .store
        .update(&user.sub, id, update.title, update.body, update.version)
        .await?;
    Ok(Json(note.view()).into_response())
}

async fn delete_note(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.0.store.delete(&user.sub, note_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
