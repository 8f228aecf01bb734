//! The notes API (crate `notes-api/`) through its router: the
//! `Authorization` header and the request bodies of `POST /notes` and
//! `PUT /notes/{id}`, with an in-memory SQLite store and a fixed key set.
//!
//! Input: one byte (bits 0-2: the route; bit 3: send a valid token, else the
//! first line of the rest is the `Authorization` header), then the body.
//!
//! Properties: only a `Bearer` header carrying the valid token gets past
//! the gate (anything else is 401 with `WWW-Authenticate`); no request is
//! answered with a server error; every answer but 204 is JSON, every
//! refusal names its `error`; a body serde_json cannot read as
//! `{"title": string, "body": string}` is refused as `invalid_json`.
#![no_main]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use session_guard_notes_api::{AllowedOrigins, LogSink, Store, Verifier, router};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

const ISSUER: &str = "http://127.0.0.1:9229/local_FuzzPool";
const CLIENT_ID: &str = "fuzz0client0id";
struct Api {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
}

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let jwks = format!(r#"{{"keys":[{}]}}"#, session_guard_test_keys::jwk_json("fuzz-key"));
        // Valid until 2096.
        let claims = format!(
            r#"{{"sub":"fuzz-user","cognito:username":"fuzz","aud":"{CLIENT_ID}","iss":"{ISSUER}","token_use":"id","auth_time":1700000000,"iat":1700000000,"exp":4000000000}}"#
        );
        let token = session_guard_test_keys::sign_json(r#"{"alg":"RS256","kid":"fuzz-key"}"#, &claims);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let store = runtime.block_on(Store::in_memory());
        let (log, _) = LogSink::memory();
        let router = router(
            Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks),
            Arc::new(store),
            &AllowedOrigins::parse(&[]).unwrap(),
            log,
        );
        Api {
            runtime,
            router,
            token,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let api = api();
    let valid = format!("Bearer {}", api.token);
    let (authorization, body): (Vec<u8>, &[u8]) = if flags & 8 == 8 {
        (valid.clone().into_bytes(), rest)
    } else {
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (rest[..end].to_vec(), &rest[end + 1..]),
            None => (rest.to_vec(), &[][..]),
        }
    };
    let (method, path) = match flags & 7 {
        0 | 1 => ("POST", "/notes"),
        2 => ("PUT", "/notes/1"),
        3 => ("PUT", "/notes/18446744073709551615"),
        4 => ("GET", "/notes"),
        5 => ("GET", "/notes/1"),
        6 => ("DELETE", "/notes/1"),
        _ => ("PUT", "/notes/x"),
    };
    let Ok(request) = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, authorization.as_slice())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    let (status, headers, answer) = api.runtime.block_on(async {
        let response = api.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let answer = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, answer)
    });
    assert!(!status.is_server_error(), "{method} {path}: {status}");
    let granted = std::str::from_utf8(&authorization)
        .ok()
        .is_some_and(|header| {
            header.split_once(' ').is_some_and(|(scheme, token)| {
                scheme.eq_ignore_ascii_case("bearer") && token.trim() == api.token
            })
        });
    if !granted {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "let in without the token");
        assert!(headers.contains_key(header::WWW_AUTHENTICATE));
    } else {
        assert_ne!(status, StatusCode::UNAUTHORIZED, "the valid token refused");
    }
    if status == StatusCode::NO_CONTENT {
        return;
    }
    let answer: Value = serde_json::from_slice(&answer).expect("every answer is JSON");
    if !status.is_success() {
        assert!(answer["error"].is_string(), "a refusal without its error");
    }
    if granted && method == "POST" {
        let readable = serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|v| v["title"].is_string() && v["body"].is_string());
        if !readable {
            assert_eq!(answer["error"], "invalid_json", "{status}: {answer}");
        }
        if status == StatusCode::CREATED {
            // Keep the database small: delete what was created.
            let id = answer["id"].as_u64().expect("a created note has an id");
            let request = Request::builder()
                .method("DELETE")
                .uri(format!("/notes/{id}"))
                .header(header::AUTHORIZATION, valid.as_str())
                .body(Body::empty())
                .unwrap();
            let status = api
                .runtime
                .block_on(api.router.clone().oneshot(request))
                .unwrap()
                .status();
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
    }
});
