//! Test doubles: a fixed test RSA key, token minting, a JWKS server on
//! 127.0.0.1:0 that counts downloads, and the API served on 127.0.0.1:0.
//! `forge` makes the tokens the rulebook must refuse.
#![allow(dead_code)]

pub mod db;
pub mod forge;
pub mod tls;
// Only test targets have the binary built for them.
#[cfg(test)]
pub mod process;

use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};
use session_guard_notes_api::{AllowedOrigins, LogSink, Store, Verifier, router};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const ISSUER: &str = "http://127.0.0.1:9229/local_TestPool";
pub const CLIENT_ID: &str = "5test0client0id0abcdefghij";
pub const KID: &str = "test-key-1";
pub const ALICE: &str = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
pub const BOB: &str = "9b8a7f6e-dddd-eeee-ffff-abcdef012345";

pub use session_guard_test_keys::{b64, private_key};

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A JWKS publishing the test key under each of `kids`.
pub fn jwks_json(kids: &[&str]) -> String {
    let keys: Vec<String> = kids
        .iter()
        .map(|kid| session_guard_test_keys::jwk_json(kid))
        .collect();
    format!(r#"{{"keys":[{}]}}"#, keys.join(","))
}

pub fn rs256_header(kid: &str) -> Value {
    json!({ "alg": "RS256", "kid": kid, "typ": "JWT" })
}

/// A JWT signed RS256 with the test key, whatever `header` says.
pub fn sign(header: &Value, claims: &Value) -> String {
    forge::sign_json(&header.to_string(), &claims.to_string())
}

/// A Cognito-shaped ID token's claims for `sub`, issued 10 s ago, valid 1 h.
pub fn id_claims(sub: &str) -> Value {
    let now = now();
    json!({
        "sub": sub, "cognito:username": "alice", "email": "alice@example.com",
        "aud": CLIENT_ID, "iss": ISSUER, "token_use": "id",
        "auth_time": now - 600, "iat": now - 10, "exp": now + 3590,
        "jti": "jti-id-1", "origin_jti": "origin-1",
    })
}

pub fn access_claims(sub: &str) -> Value {
    let now = now();
    json!({
        "sub": sub, "username": "alice", "client_id": CLIENT_ID, "iss": ISSUER,
        "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": now - 600, "iat": now - 10, "exp": now + 3590,
    })
}

pub fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

pub fn id_token(sub: &str) -> String {
    sign(&rs256_header(KID), &id_claims(sub))
}

/// A JWKS endpoint on 127.0.0.1:0 whose document can change and which
/// counts its downloads.
pub struct JwksServer {
    pub url: String,
    pub document: Arc<Mutex<String>>,
    pub hits: Arc<AtomicU64>,
}

impl JwksServer {
    pub async fn start(kids: &[&str]) -> Self {
        let document = Arc::new(Mutex::new(jwks_json(kids)));
        let hits = Arc::new(AtomicU64::new(0));
        let app = Router::new().route(
            "/local_TestPool/.well-known/jwks.json",
            get({
                let document = document.clone();
                let hits = hits.clone();
                move || async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    document.lock().unwrap().clone()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            url: format!("http://{address}/local_TestPool/.well-known/jwks.json"),
            document,
            hits,
        }
    }

    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn publish(&self, kids: &[&str]) {
        *self.document.lock().unwrap() = jwks_json(kids);
    }
}

/// The API on 127.0.0.1:0 (in memory, log kept in memory) and its JWKS.
pub struct Api {
    pub base: String,
    pub jwks: JwksServer,
    pub logs: Arc<Mutex<Vec<String>>>,
    pub client: reqwest::Client,
}

impl Api {
    pub async fn start() -> Self {
        Self::start_with(&AllowedOrigins::Any, Duration::from_secs(10)).await
    }

    pub async fn start_with(origins: &AllowedOrigins, refetch_cooldown: Duration) -> Self {
        let jwks = JwksServer::start(&[KID]).await;
        let verifier = Verifier::new(ISSUER, CLIENT_ID, &jwks.url)
            .unwrap()
            .with_refetch_cooldown(refetch_cooldown);
        Self::serve(verifier, jwks, origins, Store::in_memory().await).await
    }

    /// The API with this verifier and store (its JWKS server kept alive).
    pub async fn serve(
        verifier: Verifier,
        jwks: JwksServer,
        origins: &AllowedOrigins,
        store: Store,
    ) -> Self {
        let (log, logs) = LogSink::memory();
        let app = router(verifier, std::sync::Arc::new(store), origins, log);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base: format!("http://{address}"),
            jwks,
            logs,
            client: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `method path` with `token` (if any) and a JSON `body` (if any);
    /// answers (status, JSON body or Null, response).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, json, headers)
    }

    pub async fn stats(&self) -> Value {
        self.call(reqwest::Method::GET, "/stats", None, None)
            .await
            .1
    }

    pub fn log_text(&self) -> String {
        self.logs.lock().unwrap().join("\n")
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// A response's JSON body (reqwest's `json` feature is not enabled).
pub async fn json_body(response: reqwest::Response) -> Value {
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}
