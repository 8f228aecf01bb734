//! The real `notes-api` binary: reads the app's config.json, prints the bound
//! address first, logs one line per request without tokens, persists notes
//! and exits cleanly on SIGTERM.

mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_logs_without_tokens_and_stops_on_sigterm() {
    let jwks = JwksServer::start(&[KID]).await;
    // cognito-local style: issuer = endpoint + pool id, JWKS under the issuer.
    let endpoint = jwks
        .url
        .trim_end_matches("local_TestPool/.well-known/jwks.json")
        .to_owned();
    let dir = std::env::temp_dir().join(format!("notes-api-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    let data = dir.join("notes.json");
    let _ = std::fs::remove_file(&data);
    std::fs::write(
        &config,
        json!({"cognito": {"region": "us-east-1", "user_pool_id": "local_TestPool", "client_id": CLIENT_ID,
                           "endpoint": endpoint, "refresh_token_validity": "20m"},
               "session": {"preset": "protective"}})
        .to_string(),
    )
    .unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_notes-api"))
        .args(["--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .arg("--data-file")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("notes-api starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first stdout line: {first:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let client = client();
    assert_eq!(
        client
            .get(format!("{base}/health"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    // The binary's issuer came from the endpoint; the tokens must match it.
    let issuer = format!("{endpoint}local_TestPool");
    let token = sign(
        &rs256_header(KID),
        &with(id_claims(ALICE), "iss", json!(issuer)),
    );
    let created = client
        .post(format!("{base}/notes"))
        .bearer_auth(&token)
        .body(json!({"title": "persisted", "body": "on disk"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let refused = client
        .get(format!("{base}/notes"))
        .bearer_auth(sign(&rs256_header(KID), &access_claims(ALICE)))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "notes-api did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");

    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("POST /notes 201 sub=0f1e2d3c"), "{stderr}");
    assert!(stderr.contains("GET /notes 401 sub=-"), "{stderr}");
    assert!(stderr.contains("shut down"), "{stderr}");
    for piece in token.split('.') {
        assert!(
            !stderr.contains(piece),
            "stderr holds part of a token:\n{stderr}"
        );
    }

    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert!(saved.to_string().contains("on disk"), "{saved}");
    assert!(!saved.to_string().contains(&token[..30]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_exit_2_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-api"))
        .args(["--client-id", "abc"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the issuer is not set"), "{stderr}");
    assert!(stderr.contains("usage: notes-api"), "{stderr}");
    assert!(output.stdout.is_empty());
}
