//! The real `notes-api` binary: reads the app's config.json, prints the bound
//! address first, logs one line per request without tokens, persists notes
//! and exits cleanly on SIGTERM.

mod support;

use serde_json::json;
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
    let data = dir.join("notes.db");
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
        .arg("--database")
        .arg(format!("sqlite://{}", data.display()))
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

    // The note outlived the process, in the SQLite file the binary created.
    let store = session_guard_notes_api::Store::open(&format!("sqlite://{}", data.display()))
        .await
        .unwrap();
    let notes = store.list(ALICE).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, "on disk");
    store.close().await;
    let file = std::fs::read(&data).unwrap();
    assert!(
        !file
            .windows(30)
            .any(|window| window == &token.as_bytes()[..30]),
        "the database holds a token"
    );
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

#[test]
fn plain_http_keys_from_a_remote_host_are_refused_at_start_with_the_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-api"))
        .args([
            "--issuer",
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
        ])
        .args(["--client-id", "abc"])
        .args([
            "--jwks-url",
            "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not loopback"), "{stderr}");
    assert!(
        stderr.contains("swap the user pool's signing keys"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_takes_keys_over_https_from_a_ca_named_by_flag() {
    let pki = support::tls::TestPki::new();
    let https = support::tls::HttpsJwksServer::start(&pki, jwks_json(&[KID])).await;
    let db = support::db::TestDb::sqlite("binary_https");
    let folder = db.file.as_ref().unwrap().parent().unwrap().to_owned();
    let ca = folder.join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let server = support::process::Server::start(
        &https.url,
        &[
            "--database",
            &db.url,
            "--jwks-ca-file",
            ca.to_str().unwrap(),
        ],
        &folder.join("stderr.log"),
    );
    let response = client()
        .get(format!("{}/notes", server.base))
        .bearer_auth(id_token(ALICE))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{}", server.stderr());
    assert_eq!(https.hits(), 1);

    // Without the CA flag the same pool's keys are not trusted: 503, not 401.
    let untrusted = support::process::Server::start(
        &https.url,
        &["--database", &db.url],
        &folder.join("stderr2.log"),
    );
    let response = client()
        .get(format!("{}/notes", untrusted.base))
        .bearer_auth(id_token(ALICE))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(https.hits(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_json_at_start_brings_the_old_notes_over_once() {
    let jwks = JwksServer::start(&[KID]).await;
    let db = support::db::TestDb::sqlite("binary_import");
    let folder = db.file.as_ref().unwrap().parent().unwrap().to_owned();
    let legacy = folder.join("notes.json");
    std::fs::write(
        &legacy,
        json!({"next_id": 7, "users": {ALICE: {"7": {"id": 7, "title": "old", "body": "kept",
            "created_ms": 1, "updated_ms": 2, "version": 5}}}})
        .to_string(),
    )
    .unwrap();
    let flags = [
        "--database",
        &db.url,
        "--import-json",
        legacy.to_str().unwrap(),
    ];
    for (run, expected) in [
        (1, "imported 1 notes of 1 users"),
        (2, "already took the import"),
    ] {
        let mut server = support::process::Server::start(
            &jwks.url,
            &flags,
            &folder.join(format!("run{run}.log")),
        );
        let list = client()
            .get(format!("{}/notes", server.base))
            .bearer_auth(id_token(ALICE))
            .send()
            .await
            .unwrap();
        let list = json_body(list).await;
        assert_eq!(list["notes"].as_array().unwrap().len(), 1, "{list}");
        assert_eq!(
            (
                list["notes"][0]["id"].as_u64(),
                list["notes"][0]["version"].as_u64()
            ),
            (Some(7), Some(5))
        );
        server.signal("TERM");
        assert!(server.wait(Duration::from_secs(10)).success());
        assert!(server.stderr().contains(expected), "{}", server.stderr());
    }
}

/// A note body of `bytes` characters, different for every `seed`.
fn body_of(bytes: usize, seed: usize) -> String {
    let mut body = format!("note {seed}: ");
    while body.len() < bytes {
        body.push(char::from(b'a' + (body.len() * 7 + seed) as u8 % 26));
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_database_refuses_saves_with_503_and_keeps_serving_reads() {
    // The SQLite file is capped at 1 MB (`--max-database-mb`): once a save
    // needs more, SQLite answers SQLITE_FULL, exactly as on a full disk.
    let jwks = JwksServer::start(&[KID]).await;
    let db = support::db::TestDb::sqlite("binary_full");
    let folder = db.file.as_ref().unwrap().parent().unwrap().to_owned();
    let mut server = support::process::Server::start(
        &jwks.url,
        &["--database", &db.url, "--max-database-mb", "1"],
        &folder.join("stderr.log"),
    );
    let client = client();
    let token = id_token(ALICE);
    let notes = format!("{}/notes", server.base);
    let save = |title: String, body: String| {
        client
            .post(&notes)
            .bearer_auth(&token)
            .body(json!({"title": title, "body": body}).to_string())
            .send()
    };
    let mut kept = Vec::new();
    let refusal = loop {
        assert!(kept.len() < 40, "1 MB took {} notes of 90 KB", kept.len());
        let seed = kept.len();
        let response = save(format!("note {seed}"), body_of(90_000, seed))
            .await
            .unwrap();
        match response.status().as_u16() {
            201 => kept.push((json_body(response).await["id"].as_u64().unwrap(), seed)),
            503 => break json_body(response).await,
            other => panic!("save {seed}: {other} {}", response.text().await.unwrap()),
        }
    };
    assert!(kept.len() >= 5, "only {} notes fit in 1 MB", kept.len());
    assert_eq!(refusal["error"], "storage_unavailable", "{refusal}");
    let message = refusal["message"].as_str().unwrap();
    assert!(
        message.contains("full")
            && message.contains("--max-database-mb")
            && message.contains("reading notes still works"),
        "{message}"
    );

    // Reads go on: the list holds every acknowledged note, each one reads back.
    let list = client.get(&notes).bearer_auth(&token).send().await.unwrap();
    assert_eq!(list.status().as_u16(), 200);
    let list = json_body(list).await;
    let mut listed: Vec<u64> = list["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| note["id"].as_u64().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, kept.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    let on_note = |method: reqwest::Method, id: u64| {
        client
            .request(method, format!("{notes}/{id}"))
            .bearer_auth(&token)
            .send()
    };
    for (id, seed) in &kept {
        let note = on_note(reqwest::Method::GET, *id).await.unwrap();
        assert_eq!(note.status().as_u16(), 200);
        assert_eq!(json_body(note).await["body"], body_of(90_000, *seed));
    }
    let health = client.get(format!("{}/health", server.base)).send().await;
    assert_eq!(health.unwrap().status().as_u16(), 200);

    // Deleting a note frees its space, and saves are taken again.
    let (first, _) = kept[0];
    let deleted = on_note(reqwest::Method::DELETE, first).await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let again = save("after a delete".into(), body_of(50_000, 99))
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 201);

    server.signal("TERM");
    assert!(server.wait(Duration::from_secs(10)).success());
    let stderr = server.stderr();
    assert!(stderr.contains("(at most 1 MB)"), "{stderr}");
    assert!(
        stderr.contains(&format!("POST /notes 503 sub={ALICE}")),
        "{stderr}"
    );
    // The file never grew past its cap.
    let size = std::fs::metadata(db.file.as_ref().unwrap()).unwrap().len();
    assert!(size <= 1 << 20, "{size} bytes");
}

#[test]
fn a_size_cap_on_postgres_is_refused_at_start_with_the_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-api"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            ISSUER,
            "--client-id",
            CLIENT_ID,
        ])
        .args(["--database", "postgres://notes@127.0.0.1:1/notes"])
        .args(["--max-database-mb", "100"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("caps a SQLite file only"), "{stderr}");
    assert!(output.stdout.is_empty());
}
