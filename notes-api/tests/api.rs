//! The API over real HTTP on 127.0.0.1:0, with keys downloaded from a JWKS
//! server on 127.0.0.1:0.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use session_guard_notes_api::{AllowedOrigins, LogSink, Store, Verifier, router};
use std::time::Duration;
use support::forge::hmac_sha256;
use support::*;

fn invalid_token_message(
    status: u16,
    body: &Value,
    headers: &reqwest::header::HeaderMap,
) -> String {
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_token", "{body}");
    assert_eq!(
        headers["www-authenticate"],
        r#"Bearer error="invalid_token""#
    );
    body["message"].as_str().expect("a message").to_owned()
}

#[tokio::test]
async fn crud_works_end_to_end_with_a_valid_id_token() {
    let api = Api::start().await;
    let token = id_token(ALICE);
    let token = Some(token.as_str());

    let (status, created, headers) = api
        .call(
            Method::POST,
            "/notes",
            token,
            Some(json!({"title": "Groceries", "body": "milk"})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_u64().expect("numeric id");
    assert_eq!(headers["location"], format!("/notes/{id}").as_str());
    assert_eq!(created["title"], "Groceries");
    assert_eq!(created["body"], "milk");
    assert_eq!(created["version"], 1);
    assert!(
        created["updated_at"].as_str().unwrap().ends_with('Z'),
        "{created}"
    );

    let (status, read, _) = api
        .call(Method::GET, &format!("/notes/{id}"), token, None)
        .await;
    assert_eq!((status, &read), (200, &created));

    let (status, list, _) = api.call(Method::GET, "/notes", token, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({"notes": [{"id": id, "title": "Groceries", "updated_at": created["updated_at"], "version": 1}]})
    );

    let (status, updated, _) = api
        .call(
            Method::PUT,
            &format!("/notes/{id}"),
            token,
            Some(json!({"title": "Groceries", "body": "milk, eggs", "version": 1})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["body"], "milk, eggs");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["created_at"], created["created_at"]);

    let (status, body, _) = api
        .call(Method::DELETE, &format!("/notes/{id}"), token, None)
        .await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, body, _) = api
        .call(Method::GET, &format!("/notes/{id}"), token, None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    let (_, list, _) = api.call(Method::GET, "/notes", token, None).await;
    assert_eq!(list, json!({"notes": []}));

    // One log line per request, naming the user.
    let logs = api.log_text();
    assert!(logs.contains("POST /notes 201 sub=0f1e2d3c"), "{logs}");
    assert!(
        logs.contains(&format!("DELETE /notes/{id} 204 sub=0f1e2d3c")),
        "{logs}"
    );
    assert_eq!(api.logs.lock().unwrap().len(), 7, "{logs}");
}

#[tokio::test]
async fn another_users_note_is_not_found() {
    let api = Api::start().await;
    let (alice, bob) = (id_token(ALICE), id_token(BOB));
    let (_, note, _) = api
        .call(
            Method::POST,
            "/notes",
            Some(&alice),
            Some(json!({"title": "mine", "body": "secret"})),
        )
        .await;
    let path = format!("/notes/{}", note["id"]);

    let (status, body, _) = api.call(Method::GET, &path, Some(&bob), None).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.to_string().contains("secret"));
    let update = json!({"title": "bob was here", "body": "", "version": 1});
    assert_eq!(
        api.call(Method::PUT, &path, Some(&bob), Some(update))
            .await
            .0,
        404
    );
    assert_eq!(
        api.call(Method::DELETE, &path, Some(&bob), None).await.0,
        404
    );
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&bob), None).await.1,
        json!({"notes": []})
    );

    let (status, still, _) = api.call(Method::GET, &path, Some(&alice), None).await;
    assert_eq!(
        (status, &still["body"], &still["version"]),
        (200, &json!("secret"), &json!(1))
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    let api = Api::start().await;
    let token = id_token(ALICE);
    let (_, note, _) = api
        .call(
            Method::POST,
            "/notes",
            Some(&token),
            Some(json!({"title": "t", "body": "v1"})),
        )
        .await;
    let path = format!("/notes/{}", note["id"]);
    let edit = |body: &str| json!({"title": "t", "body": body, "version": 1});

    assert_eq!(
        api.call(Method::PUT, &path, Some(&token), Some(edit("tab A")))
            .await
            .0,
        200
    );
    let (status, conflict, _) = api
        .call(Method::PUT, &path, Some(&token), Some(edit("tab B")))
        .await;
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(conflict["error"], "version_conflict");
    assert_eq!(conflict["current"]["version"], 2);
    assert_eq!(conflict["current"]["body"], "tab A");
    // The losing write changed nothing.
    let (_, now, _) = api.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!(
        (&now["body"], &now["version"]),
        (&json!("tab A"), &json!(2))
    );
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_clear_message() {
    let api = Api::start().await;
    let token = id_token(ALICE);
    let post = |body: String| {
        let request = api
            .client
            .post(api.url("/notes"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body);
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), json_body(response).await)
        }
    };

    let (status, body) = post("{\"title\": \"x\",".to_owned()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_json")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("not JSON"),
        "{body}"
    );

    let (status, body) = post(json!({"title": "x"}).to_string()).await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("missing field `body`"),
        "{body}"
    );

    let (status, body) = post(String::new()).await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("empty"),
        "{body}"
    );

    let (status, body) = post(json!({"title": "t".repeat(201), "body": ""}).to_string()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_note")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("title is 201 characters"),
        "{body}"
    );

    let (status, body) =
        post(json!({"title": "t", "body": "b".repeat(100 * 1024 + 1)}).to_string()).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("limit is 102400"),
        "{body}"
    );

    let (status, _) =
        post(json!({"title": "t".repeat(200), "body": "b".repeat(100 * 1024)}).to_string()).await;
    assert_eq!(status, 201, "exactly at the limits is fine");

    let (status, body) = post("x".repeat(2 * 1024 * 1024)).await;
    assert_eq!(status, 413, "{body}");

    let (status, body, _) = api
        .call(
            Method::PUT,
            "/notes/1",
            Some(&token),
            Some(json!({"title": "t", "body": "b"})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("missing field `version`"),
        "{body}"
    );
}

#[tokio::test]
async fn health_needs_no_token_and_notes_do() {
    let api = Api::start().await;
    assert_eq!(api.call(Method::GET, "/health", None, None).await.0, 200);

    let (status, body, headers) = api.call(Method::GET, "/notes", None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "missing_token");
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );

    let basic = api
        .client
        .get(api.url("/notes"))
        .header("authorization", "Basic YWxpY2U6cGFzcw==")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status().as_u16(), 401);
    assert_eq!(json_body(basic).await["error"], "missing_token");
    assert_eq!(api.stats().await["rejected"]["missing_token"], 2);
}

#[tokio::test]
async fn wrong_audience_is_refused() {
    let api = Api::start().await;
    let token = sign(
        &rs256_header(KID),
        &with(id_claims(ALICE), "aud", json!("someotherclient")),
    );
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&token), None).await;
    let message = invalid_token_message(status, &body, &headers);
    assert!(message.contains("audience"), "{message}");
    assert_eq!(api.stats().await["rejected"]["wrong_audience"], 1);
}

#[tokio::test]
async fn wrong_issuer_is_refused() {
    let api = Api::start().await;
    let token = sign(
        &rs256_header(KID),
        &with(
            id_claims(ALICE),
            "iss",
            json!("http://127.0.0.1:9229/local_OtherPool"),
        ),
    );
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&token), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("issued"),
        "{body}"
    );
    assert_eq!(api.stats().await["rejected"]["wrong_issuer"], 1);
}

#[tokio::test]
async fn an_access_token_is_refused_and_the_body_says_so() {
    let api = Api::start().await;
    let token = sign(&rs256_header(KID), &access_claims(ALICE));
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&token), None).await;
    let message = invalid_token_message(status, &body, &headers);
    assert!(message.contains("access token"), "{message}");
    assert!(message.contains("ID token"), "{message}");
    assert_eq!(api.stats().await["rejected"]["not_id_token"], 1);
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let api = Api::start().await;
    let now = now();
    let claims = with(
        with(id_claims(ALICE), "exp", json!(now - 30)),
        "iat",
        json!(now - 3630),
    );
    let token = sign(&rs256_header(KID), &claims);
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&token), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("expired"),
        "{body}"
    );
    let stats = api.stats().await;
    assert_eq!(stats["rejected"]["expired"], 1);
    assert_eq!(stats["requests_with_valid_token"], 0);
}

#[tokio::test]
async fn a_token_issued_in_the_future_is_refused() {
    let api = Api::start().await;
    let token = sign(
        &rs256_header(KID),
        &with(id_claims(ALICE), "iat", json!(now() + 120)),
    );
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&token), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("iat"),
        "{body}"
    );
    assert_eq!(api.stats().await["rejected"]["issued_in_future"], 1);
}

#[tokio::test]
async fn tampered_payload_or_signature_fails_the_signature_check() {
    let api = Api::start().await;
    let genuine = id_token(ALICE);
    let parts: Vec<&str> = genuine.split('.').collect();

    // Bob's claims under Alice's signature.
    let forged_payload = b64(id_claims(BOB).to_string());
    let tampered_payload = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
    // One bit of the signature flipped.
    let mut signature =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[2])
            .unwrap();
    signature[17] ^= 0x01;
    let tampered_signature = format!("{}.{}.{}", parts[0], parts[1], b64(&signature));
    // The signature cut short.
    let truncated = format!("{}.{}.{}", parts[0], parts[1], &parts[2][..40]);

    for token in [&tampered_payload, &tampered_signature, &truncated] {
        let (status, body, headers) = api.call(Method::GET, "/notes", Some(token), None).await;
        assert!(
            invalid_token_message(status, &body, &headers).contains("signature"),
            "{body}"
        );
    }
    assert_eq!(api.stats().await["rejected"]["bad_signature"], 3);
    // The genuine token still works.
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&genuine), None)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn alg_none_and_hs256_are_refused_before_any_key_is_fetched() {
    let api = Api::start().await;
    let claims = id_claims(ALICE);
    let unsigned = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "typ": "JWT"}).to_string()),
        b64(claims.to_string())
    );
    // The classic confusion attack: HS256 keyed with the published public key.
    let hs_input = format!(
        "{}.{}",
        b64(json!({"alg": "HS256", "kid": KID, "typ": "JWT"}).to_string()),
        b64(claims.to_string())
    );
    let hs256 = format!(
        "{hs_input}.{}",
        b64(hmac_sha256(
            jwks_json(&[KID]).as_bytes(),
            hs_input.as_bytes()
        ))
    );

    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&unsigned), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("\"none\""),
        "{body}"
    );
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&hs256), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("\"HS256\""),
        "{body}"
    );

    let stats = api.stats().await;
    assert_eq!(stats["rejected"]["unsupported_alg"], 2);
    assert_eq!(api.jwks.hits(), 0, "refused before any key lookup");
    assert_eq!(stats["jwks_fetches"], 0);
}

#[tokio::test]
async fn an_unknown_kid_triggers_one_refetch_then_401() {
    let api = Api::start().await;
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&id_token(ALICE)), None)
            .await
            .0,
        200
    );
    assert_eq!(api.jwks.hits(), 1, "keys are downloaded on first use");
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&id_token(ALICE)), None)
            .await
            .0,
        200
    );
    assert_eq!(api.jwks.hits(), 1, "and then cached");

    let stranger = sign(&rs256_header("rotated-away"), &id_claims(ALICE));
    let (status, body, headers) = api.call(Method::GET, "/notes", Some(&stranger), None).await;
    assert!(
        invalid_token_message(status, &body, &headers).contains("kid"),
        "{body}"
    );
    assert_eq!(
        api.jwks.hits(),
        2,
        "exactly one refetch for the unknown kid"
    );

    // Right after a miss, more unknown kids do not hammer the JWKS.
    let another = sign(&rs256_header("made-up"), &id_claims(ALICE));
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&another), None)
            .await
            .0,
        401
    );
    assert_eq!(api.jwks.hits(), 2);
    let stats = api.stats().await;
    assert_eq!(stats["rejected"]["unknown_kid"], 2);
    assert_eq!(stats["jwks_fetches"], 2);
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_by_the_refetch() {
    let api = Api::start().await;
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&id_token(ALICE)), None)
            .await
            .0,
        200
    );
    api.jwks.publish(&[KID, "test-key-2"]);
    let rotated = sign(&rs256_header("test-key-2"), &id_claims(ALICE));
    assert_eq!(
        api.call(Method::GET, "/notes", Some(&rotated), None)
            .await
            .0,
        200
    );
    assert_eq!(api.jwks.hits(), 2);
}

#[tokio::test]
async fn an_unreachable_jwks_is_503_not_401() {
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let verifier = Verifier::new(ISSUER, CLIENT_ID, &format!("http://{closed}/jwks.json")).unwrap();
    let (log, _) = LogSink::memory();
    let app = router(
        verifier,
        std::sync::Arc::new(Store::in_memory().await),
        &AllowedOrigins::Any,
        log,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let response = client()
        .get(format!("{base}/notes"))
        .bearer_auth(id_token(ALICE))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(json_body(response).await["error"], "jwks_unavailable");
}

#[tokio::test]
async fn cors_preflight_is_answered_for_allowed_origins_only() {
    let origins = AllowedOrigins::parse(&["http://127.0.0.1:8080".to_owned()]).unwrap();
    let api = Api::start_with(&origins, Duration::from_secs(10)).await;
    let preflight = |origin: &'static str| {
        api.client
            .request(Method::OPTIONS, api.url("/notes/7"))
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };

    let allowed = preflight("http://127.0.0.1:8080").await.unwrap();
    assert_eq!(allowed.status().as_u16(), 200);
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "POST", "PUT", "DELETE", "OPTIONS"] {
        assert!(methods.contains(method), "{methods}");
    }
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed_headers.contains("authorization"),
        "{allowed_headers}"
    );
    assert!(
        allowed_headers.contains("content-type"),
        "{allowed_headers}"
    );
    assert!(headers.get("access-control-expose-headers").is_none());
    assert!(headers.get("access-control-allow-credentials").is_none());

    let other = preflight("http://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    // A refusal is readable by the app (so it can tell "expired" from "offline").
    let refused = api
        .client
        .get(api.url("/notes"))
        .header("origin", "http://127.0.0.1:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(
        refused.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    assert!(
        api.log_text().contains("OPTIONS /notes/7 200 sub=-"),
        "{}",
        api.log_text()
    );
}

#[tokio::test]
async fn cors_defaults_to_any_origin() {
    let api = Api::start().await;
    let response = api
        .client
        .request(Method::OPTIONS, api.url("/notes"))
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn stats_count_valid_requests_rejections_and_distinct_tokens() {
    let api = Api::start().await;
    // The expected iat/exp are read from these very claims: computing them
    // again later can cross a second boundary.
    let claims = id_claims(ALICE);
    let first = sign(&rs256_header(KID), &claims);
    // A refreshed token: issued later, so its iat and exp differ.
    let now = now();
    let second = sign(
        &rs256_header(KID),
        &with(
            with(id_claims(ALICE), "iat", json!(now)),
            "exp",
            json!(now + 3600),
        ),
    );
    let bob_claims = id_claims(BOB);
    let bob = sign(&rs256_header(KID), &bob_claims);
    for token in [&first, &first, &second, &bob] {
        assert_eq!(
            api.call(Method::GET, "/notes", Some(token), None).await.0,
            200
        );
    }
    let expired = sign(
        &rs256_header(KID),
        &with(id_claims(ALICE), "exp", json!(now - 60)),
    );
    api.call(Method::GET, "/notes", Some(&expired), None).await;
    api.call(Method::GET, "/notes", None, None).await;
    api.call(Method::GET, "/health", None, None).await;

    let stats = api.stats().await;
    assert_eq!(stats["requests_with_valid_token"], 4, "{stats}");
    assert_eq!(stats["rejected"]["expired"], 1);
    assert_eq!(stats["rejected"]["missing_token"], 1);
    assert_eq!(
        stats["rejected"]["bad_signature"], 0,
        "every kind is listed"
    );
    assert_eq!(
        stats["tokens_seen"],
        json!([
            {"iat": claims["iat"], "exp": claims["exp"], "sub_prefix": "0f1e2d3c", "requests": 2},
            {"iat": now, "exp": now + 3600, "sub_prefix": "0f1e2d3c", "requests": 1},
            {"iat": bob_claims["iat"], "exp": bob_claims["exp"], "sub_prefix": "9b8a7f6e", "requests": 1},
        ]),
        "{stats}"
    );
    assert!(!stats.to_string().contains(&first[..40]));
}

#[tokio::test]
async fn neither_401_bodies_nor_logs_ever_contain_the_token() {
    let api = Api::start().await;
    let now = now();
    let genuine = id_token(ALICE);
    let parts: Vec<&str> = genuine.split('.').collect();
    let refused = [
        sign(
            &rs256_header(KID),
            &with(id_claims(ALICE), "exp", json!(now - 60)),
        ),
        sign(
            &rs256_header(KID),
            &with(id_claims(ALICE), "aud", json!("other")),
        ),
        sign(&rs256_header(KID), &access_claims(ALICE)),
        sign(&rs256_header("unknown"), &id_claims(ALICE)),
        format!(
            "{}.{}.{}",
            parts[0],
            b64(id_claims(BOB).to_string()),
            parts[2]
        ),
        format!("{}.{}.", b64(r#"{"alg":"none"}"#), parts[1]),
        "not-a-jwt-at-all-but-a-long-secret-looking-string".to_owned(),
        format!("{}.{}", parts[0], parts[1]),
    ];
    let mut bodies = String::new();
    for token in &refused {
        let (status, body, _) = api.call(Method::GET, "/notes", Some(token), None).await;
        assert_eq!(status, 401, "{body}");
        bodies.push_str(&body.to_string());
    }
    // And a valid token, whose requests are logged too.
    api.call(
        Method::POST,
        "/notes",
        Some(&genuine),
        Some(json!({"title": "t", "body": "b"})),
    )
    .await;

    let logs = api.log_text();
    assert_eq!(api.logs.lock().unwrap().len(), refused.len() + 1, "{logs}");
    for token in refused.iter().chain([&genuine]) {
        for piece in token.split('.').filter(|piece| piece.len() >= 16) {
            assert!(
                !bodies.contains(piece),
                "a 401 body echoed part of a token: {bodies}"
            );
            assert!(
                !logs.contains(piece),
                "the log holds part of a token: {logs}"
            );
        }
    }
    assert!(!logs.to_lowercase().contains("bearer"), "{logs}");
}

#[tokio::test]
async fn every_request_is_one_log_line_with_time_method_path_status_user_and_duration() {
    use session_guard_notes_api::time::{now_ms, rfc3339};
    let api = Api::start().await;
    let token = id_token(ALICE);
    let before = rfc3339(now_ms());
    api.call(Method::GET, "/health", None, None).await;
    api.call(
        Method::POST,
        "/notes",
        Some(&token),
        Some(json!({"title": "t", "body": "b"})),
    )
    .await;
    api.call(Method::GET, "/notes/999?q=private", Some(&token), None)
        .await;
    api.call(Method::GET, "/notes", None, None).await;
    let after = rfc3339(now_ms());

    let lines = api.logs.lock().unwrap().clone();
    let expected = [
        ("GET", "/health", "200", "-".to_owned()),
        ("POST", "/notes", "201", ALICE.to_owned()),
        // The query string is never logged.
        ("GET", "/notes/999", "404", ALICE.to_owned()),
        ("GET", "/notes", "401", "-".to_owned()),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, (method, path, status, sub)) in lines.iter().zip(expected) {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 6, "{line}");
        // When the request started: RFC 3339 in UTC, within the test's run.
        let started = fields[0];
        assert!(
            started.len() == before.len() && started.ends_with('Z'),
            "{line}"
        );
        assert!(
            before.as_str() <= started && started <= after.as_str(),
            "{line}"
        );
        assert_eq!(
            (fields[1], fields[2], fields[3]),
            (method, path, status),
            "{line}"
        );
        // The whole `sub`, as the token says it.
        assert_eq!(fields[4], format!("sub={sub}"), "{line}");
        // How long it took.
        let took = fields[5].strip_suffix("ms").expect("a duration in ms");
        assert!(took.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{line}");
    }
}
