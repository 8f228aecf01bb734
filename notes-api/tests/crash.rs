//! The real binary killed with SIGKILL in the middle of a write storm and
//! started again: every save it acknowledged is there, at its version or a
//! later one that a writer really sent, and the database opens clean. Then
//! SIGTERM: requests in flight finish before the process exits.

mod support;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use support::db::{Engine, TestDb};
use support::process::Server;
use support::*;

on_both_backends!(every_acknowledged_save_survives_a_sigkill_mid_write_storm);

/// One writer's last acknowledged state per note: id → (version, body).
type Acknowledged = BTreeMap<u64, (u64, String)>;

fn body_for(sub: &str, id: u64, version: u64) -> String {
    format!("{sub} note {id} save v{version}")
}

async fn writer(base: String, sub: String, stop_at: Instant) -> Acknowledged {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let token = sign(&rs256_header(KID), &id_claims(&sub));
    let mut acknowledged = Acknowledged::new();
    'storm: while Instant::now() < stop_at {
        // A new note, then a few saves on it.
        let Ok(created) = client
            .post(format!("{base}/notes"))
            .bearer_auth(&token)
            .body(json!({"title": "storm", "body": format!("{sub} new")}).to_string())
            .send()
            .await
        else {
            break;
        };
        if created.status().as_u16() != 201 {
            break;
        }
        let Ok(text) = created.text().await else {
            break;
        };
        let note: Value = serde_json::from_str(&text).unwrap();
        let id = note["id"].as_u64().unwrap();
        acknowledged.insert(id, (1, format!("{sub} new")));
        for version in 1..6 {
            let body = body_for(&sub, id, version + 1);
            let Ok(saved) = client
                .put(format!("{base}/notes/{id}"))
                .bearer_auth(&token)
                .body(json!({"title": "storm", "body": body, "version": version}).to_string())
                .send()
                .await
            else {
                break 'storm;
            };
            // Only a complete 200 answer counts as acknowledged.
            if saved.status().as_u16() != 200 || saved.text().await.is_err() {
                break 'storm;
            }
            acknowledged.insert(id, (version + 1, body));
        }
    }
    acknowledged
}

async fn every_acknowledged_save_survives_a_sigkill_mid_write_storm(db: TestDb) {
    let jwks = JwksServer::start(&[KID]).await;
    let logs = std::env::temp_dir().join(format!(
        "notes-crash-{}-{:?}",
        std::process::id(),
        db.engine
    ));
    std::fs::create_dir_all(&logs).unwrap();
    let mut server = Server::start(&jwks.url, &["--database", &db.url], &logs.join("first.log"));

    let stop_at = Instant::now() + Duration::from_secs(10);
    let writers: Vec<_> = (0..12)
        .map(|n| {
            tokio::spawn(writer(
                server.base.clone(),
                format!("storm-user-{n}"),
                stop_at,
            ))
        })
        .collect();
    // Let the storm build up, then pull the plug without warning.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap();
    let exit = server.wait(Duration::from_secs(5));
    assert!(!exit.success());
    let mut acknowledged = BTreeMap::new();
    for (n, writer) in writers.into_iter().enumerate() {
        acknowledged.insert(format!("storm-user-{n}"), writer.await.unwrap());
    }
    let saves: usize = acknowledged.values().map(|notes| notes.len()).sum();
    assert!(
        saves > 20,
        "the storm was too small to prove anything: {saves} notes"
    );

    // Started again on the same database: it opens (SQLite recovers its WAL).
    let mut again = Server::start(
        &jwks.url,
        &["--database", &db.url],
        &logs.join("second.log"),
    );
    let client = client();
    for (sub, notes) in &acknowledged {
        let token = sign(&rs256_header(KID), &id_claims(sub));
        for (id, (version, body)) in notes {
            let read = client
                .get(format!("{}/notes/{id}", again.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                read.status().as_u16(),
                200,
                "{sub}'s acknowledged note {id} is gone"
            );
            let note = json_body(read).await;
            let stored = note["version"].as_u64().unwrap();
            // A save can commit and be cut off before its answer: then the
            // stored version is one later, with the body that save sent.
            assert!(
                stored == *version || stored == version + 1,
                "{sub} {id}: {note} after v{version}"
            );
            if stored == *version {
                assert_eq!(note["body"], body.as_str());
            } else {
                assert_eq!(note["body"], body_for(sub, *id, stored).as_str());
            }
        }
    }
    again.signal("TERM");
    assert!(
        again.wait(Duration::from_secs(10)).success(),
        "{}",
        again.stderr()
    );

    if db.engine == Engine::Sqlite {
        use sqlx::Connection;
        let mut connection = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut connection)
            .await
            .unwrap();
        assert_eq!(check, "ok");
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut connection)
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        connection.close().await.unwrap();
    }
    let _ = std::fs::remove_dir_all(&logs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_request_in_flight_finish() {
    let jwks = JwksServer::start(&[KID]).await;
    let db = TestDb::sqlite("graceful");
    let log = std::env::temp_dir().join(format!("notes-graceful-{}.log", std::process::id()));
    let mut server = Server::start(&jwks.url, &["--database", &db.url], &log);
    let address = server.base.trim_start_matches("http://").to_owned();
    let body = json!({"title": "in flight", "body": "x".repeat(10_000)}).to_string();
    let token = id_token(ALICE);
    let (first_half, second_half) = body.as_bytes().split_at(body.len() / 2);
    // Headers and half the body are sent; then the server is asked to stop.
    let mut tcp = std::net::TcpStream::connect(&address).unwrap();
    write!(
        tcp,
        "POST /notes HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    tcp.write_all(first_half).unwrap();
    tcp.flush().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );
    tcp.write_all(second_half).unwrap();
    let mut answer = String::new();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = tcp.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(server.wait(Duration::from_secs(10)).success());
    let stderr = server.stderr();
    assert!(
        stderr.contains(&format!("POST /notes 201 sub={ALICE}")),
        "{stderr}"
    );
    assert!(stderr.contains("shut down"), "{stderr}");
    // And what it saved is in the database.
    let store = db.open().await;
    assert_eq!(store.list(ALICE).await.unwrap()[0].title, "in flight");
    let _ = std::fs::remove_file(&log);
}
