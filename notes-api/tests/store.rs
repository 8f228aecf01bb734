//! The store suite, run on SQLite and on PostgreSQL alike (`sqlite::*` and
//! `postgres::*`): versions and conflicts, users kept apart whatever ids are
//! tried, concurrent writers on one note over HTTP, restarts, the one-time
//! import of the old JSON data file, and a read-only database.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use session_guard_notes_api::store::{MAX_BODY_BYTES, MAX_TITLE_CHARS, StoreError};
use session_guard_notes_api::{AllowedOrigins, ImportOutcome, Verifier};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use support::db::TestDb;
use support::*;

on_both_backends!(
    versions_advance_and_a_stale_version_is_a_conflict_with_the_current_copy,
    notes_and_id_counting_survive_reopening_the_database,
    one_users_token_never_reaches_another_users_notes_whatever_ids_it_tries,
    concurrent_writers_on_one_note_every_200_is_kept_and_every_loser_gets_409,
    concurrent_creates_are_all_kept,
    the_old_json_data_file_is_imported_once_with_ids_and_versions,
    limits_are_exact,
    a_read_only_database_refuses_saves_with_503_and_keeps_serving_reads,
    health_says_the_database_answers,
    migrations_are_versioned_applied_once_and_a_newer_database_is_refused,
    the_owner_is_the_tokens_sub_whatever_the_request_says,
);

async fn api_on(db: &TestDb) -> Api {
    let jwks = JwksServer::start(&[KID]).await;
    let verifier = Verifier::new(ISSUER, CLIENT_ID, &jwks.url).unwrap();
    Api::serve(verifier, jwks, &AllowedOrigins::Any, db.open().await).await
}

async fn versions_advance_and_a_stale_version_is_a_conflict_with_the_current_copy(db: TestDb) {
    let store = db.open().await;
    let note = store.create(ALICE, "t".into(), "v1".into()).await.unwrap();
    assert_eq!(note.version, 1);
    let second = store
        .update(ALICE, note.id, "t".into(), "v2".into(), 1)
        .await
        .unwrap();
    assert_eq!((second.version, second.body.as_str()), (2, "v2"));
    assert!(second.updated_ms >= note.updated_ms);
    assert_eq!(second.created_ms, note.created_ms);
    match store
        .update(ALICE, note.id, "t".into(), "lost?".into(), 1)
        .await
    {
        Err(StoreError::VersionConflict { sent, current }) => {
            assert_eq!(sent, 1);
            assert_eq!(*current, second);
        }
        other => panic!("{other:?}"),
    }
    // A version from the future is no better.
    assert!(matches!(
        store
            .update(ALICE, note.id, "t".into(), "x".into(), 9)
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    assert!(matches!(
        store
            .update(ALICE, note.id, "t".into(), "x".into(), u64::MAX)
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    assert_eq!(store.get(ALICE, note.id).await.unwrap(), second);
    store.delete(ALICE, note.id).await.unwrap();
    assert!(matches!(
        store.get(ALICE, note.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete(ALICE, note.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .update(ALICE, note.id, "t".into(), "x".into(), 2)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn notes_and_id_counting_survive_reopening_the_database(db: TestDb) {
    let store = db.open().await;
    let kept = store
        .create(ALICE, "kept".into(), "one".into())
        .await
        .unwrap();
    let gone = store
        .create(ALICE, "gone".into(), "two".into())
        .await
        .unwrap();
    store
        .update(ALICE, kept.id, "kept".into(), "one!".into(), 1)
        .await
        .unwrap();
    store.delete(ALICE, gone.id).await.unwrap();
    store.close().await;

    let reopened = db.open().await;
    let notes = reopened.list(ALICE).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!((notes[0].body.as_str(), notes[0].version), ("one!", 2));
    // A deleted note's id is never handed out again.
    let next = reopened
        .create(ALICE, "new".into(), String::new())
        .await
        .unwrap();
    assert!(next.id > gone.id, "{} after {}", next.id, gone.id);
    // Most recently updated first.
    let listed: Vec<u64> = reopened
        .list(ALICE)
        .await
        .unwrap()
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(listed, [next.id, kept.id]);
}

async fn one_users_token_never_reaches_another_users_notes_whatever_ids_it_tries(db: TestDb) {
    let api = api_on(&db).await;
    let (alice, bob) = (id_token(ALICE), id_token(BOB));
    let mut alice_ids = Vec::new();
    for i in 0..5 {
        let (status, note, _) = api
            .call(
                Method::POST,
                "/notes",
                Some(&alice),
                Some(json!({"title": format!("alice {i}"), "body": format!("secret {i}")})),
            )
            .await;
        assert_eq!(status, 201, "{note}");
        alice_ids.push(note["id"].as_u64().unwrap());
    }
    // Bob's own note, so his list is not trivially empty.
    let (_, bobs, _) = api
        .call(
            Method::POST,
            "/notes",
            Some(&bob),
            Some(json!({"title": "bob", "body": "his"})),
        )
        .await;
    let bobs_id = bobs["id"]
        .as_u64()
        .expect("Bob's note has an id")
        .to_string();
    let max = *alice_ids.iter().max().unwrap();
    let mut tried: BTreeSet<String> = (0..=max + 3).map(|id| id.to_string()).collect();
    tried.extend(
        [
            "-1",
            "01",
            "1.0",
            "18446744073709551615",
            "9223372036854775808",
            "%20",
        ]
        .map(String::from),
    );
    for id in alice_ids.iter().map(u64::to_string).chain(tried) {
        if id == bobs_id {
            continue;
        }
        let path = format!("/notes/{id}");
        for (method, body) in [
            (Method::GET, None),
            (
                Method::PUT,
                Some(json!({"title": "bob was here", "body": "", "version": 1})),
            ),
            (Method::DELETE, None),
        ] {
            let (status, answer, _) = api.call(method.clone(), &path, Some(&bob), body).await;
            assert_eq!(status, 404, "{method} {path}: {answer}");
            assert!(!answer.to_string().contains("secret"), "{answer}");
        }
    }
    let (_, list, _) = api.call(Method::GET, "/notes", Some(&bob), None).await;
    let listed: Vec<&Value> = list["notes"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 1, "{list}");
    assert_eq!(listed[0]["id"], bobs["id"]);
    // Alice's notes are untouched.
    for (i, id) in alice_ids.iter().enumerate() {
        let (status, note, _) = api
            .call(Method::GET, &format!("/notes/{id}"), Some(&alice), None)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                note["body"].as_str().unwrap(),
                note["version"].as_u64().unwrap()
            ),
            (format!("secret {i}").as_str(), 1)
        );
    }
    // And Alice cannot reach Bob's either.
    let path = format!("/notes/{}", bobs["id"]);
    assert_eq!(
        api.call(Method::GET, &path, Some(&alice), None).await.0,
        404
    );
    assert_eq!(
        api.call(Method::DELETE, &path, Some(&alice), None).await.0,
        404
    );
    assert_eq!(api.call(Method::GET, &path, Some(&bob), None).await.0, 200);
}

/// What one writer saw for one attempt.
struct Attempt {
    status: u16,
    body_sent: String,
    answer: Value,
}

async fn concurrent_writers_on_one_note_every_200_is_kept_and_every_loser_gets_409(db: TestDb) {
    const WRITERS: usize = 16;
    const ATTEMPTS: usize = 12;
    let api = Arc::new(api_on(&db).await);
    let token = Arc::new(id_token(ALICE));
    let (_, note, _) = api
        .call(
            Method::POST,
            "/notes",
            Some(&token),
            Some(json!({"title": "shared", "body": "v1"})),
        )
        .await;
    let path = Arc::new(format!("/notes/{}", note["id"]));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (api, token, path) = (api.clone(), token.clone(), path.clone());
        writers.push(tokio::spawn(async move {
            let mut attempts = Vec::new();
            for attempt in 0..ATTEMPTS {
                let (_, current, _) = api.call(Method::GET, &path, Some(&token), None).await;
                let version = current["version"].as_u64().unwrap();
                let body_sent = format!("writer {writer} attempt {attempt} from v{version}");
                let (status, answer, _) = api
                    .call(
                        Method::PUT,
                        &path,
                        Some(&token),
                        Some(json!({"title": "shared", "body": body_sent, "version": version})),
                    )
                    .await;
                attempts.push(Attempt {
                    status,
                    body_sent,
                    answer,
                });
            }
            attempts
        }));
    }
    let mut attempts = Vec::new();
    for writer in writers {
        attempts.extend(writer.await.unwrap());
    }
    let mut won_versions = BTreeSet::new();
    let mut last_win: Option<(u64, String)> = None;
    let mut conflicts = 0;
    for attempt in &attempts {
        match attempt.status {
            200 => {
                let version = attempt.answer["version"].as_u64().unwrap();
                assert_eq!(attempt.answer["body"], attempt.body_sent.as_str());
                assert!(
                    won_versions.insert(version),
                    "two writers both got version {version}"
                );
                if last_win.as_ref().is_none_or(|(v, _)| version > *v) {
                    last_win = Some((version, attempt.body_sent.clone()));
                }
            }
            409 => {
                conflicts += 1;
                assert_eq!(attempt.answer["error"], "version_conflict");
                // The loser is handed the server's copy, which is newer than
                // the version it sent.
                let sent: u64 = attempt
                    .body_sent
                    .rsplit('v')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(attempt.answer["current"]["version"].as_u64().unwrap() > sent);
            }
            other => panic!("unexpected {other}: {}", attempt.answer),
        }
    }
    assert_eq!(won_versions.len() + conflicts, WRITERS * ATTEMPTS);
    assert!(
        conflicts > 0,
        "the writers never raced; the test proves nothing"
    );
    // Every acknowledged save is one step of the history: versions 2..=N.
    let (final_version, final_body) = last_win.expect("someone won");
    assert_eq!(won_versions, (2..=final_version).collect::<BTreeSet<_>>());
    // And the last one is what a fresh store, on the same database, reads.
    let reopened = db.open().await;
    let stored = reopened
        .get(ALICE, note["id"].as_u64().unwrap())
        .await
        .unwrap();
    assert_eq!((stored.version, stored.body), (final_version, final_body));
}

async fn concurrent_creates_are_all_kept(db: TestDb) {
    let store = Arc::new(db.open().await);
    let mut tasks = Vec::new();
    for user in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let sub = format!("writer-{user}");
            let mut ids = Vec::new();
            for n in 0..25 {
                let note = store
                    .create(&sub, format!("{n}"), format!("{user}/{n}"))
                    .await
                    .unwrap();
                ids.push(note.id);
            }
            (sub, ids)
        }));
    }
    let mut every_id = BTreeSet::new();
    let mut per_user = Vec::new();
    for task in tasks {
        let (sub, ids) = task.await.unwrap();
        for id in &ids {
            assert!(every_id.insert(*id), "id {id} handed out twice");
        }
        per_user.push((sub, ids));
    }
    store.close().await;
    let reopened = db.open().await;
    for (sub, ids) in per_user {
        let listed: BTreeSet<u64> = reopened
            .list(&sub)
            .await
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(listed, ids.into_iter().collect::<BTreeSet<_>>(), "{sub}");
    }
}

async fn the_old_json_data_file_is_imported_once_with_ids_and_versions(db: TestDb) {
    // The data file as earlier versions wrote it (id 4 was deleted there).
    let legacy = json!({
        "next_id": 4,
        "users": {
            ALICE: {
                "1": {"id": 1, "title": "first", "body": "kept", "created_ms": 1_700_000_000_000u64,
                       "updated_ms": 1_700_000_100_000u64, "version": 3},
                "3": {"id": 3, "title": "third", "body": "also", "created_ms": 1_700_000_200_000u64,
                       "updated_ms": 1_700_000_300_000u64, "version": 1}
            },
            BOB: {
                "2": {"id": 2, "title": "bob's", "body": "his", "created_ms": 1_700_000_000_000u64,
                       "updated_ms": 1_700_000_000_000u64, "version": 7}
            }
        }
    });
    let folder = std::env::temp_dir().join(format!(
        "notes-import-{}-{:?}",
        std::process::id(),
        db.engine
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("notes.json");
    std::fs::write(&file, legacy.to_string()).unwrap();

    let store = db.open().await;
    assert_eq!(
        store.import_json(&file).await.unwrap(),
        ImportOutcome::Imported { notes: 3, users: 2 }
    );
    let alice = store.list(ALICE).await.unwrap();
    assert_eq!(
        alice.iter().map(|n| (n.id, n.version)).collect::<Vec<_>>(),
        [(3, 1), (1, 3)]
    );
    assert_eq!(alice[1].body, "kept");
    assert_eq!(alice[1].created_ms, 1_700_000_000_000);
    let bob = store.get(BOB, 2).await.unwrap();
    assert_eq!((bob.title.as_str(), bob.version), ("bob's", 7));
    // The history continues: the next update is version 4, a stale one loses.
    assert_eq!(
        store
            .update(ALICE, 1, "first".into(), "more".into(), 3)
            .await
            .unwrap()
            .version,
        4
    );
    assert!(matches!(
        store
            .update(ALICE, 1, "first".into(), "old".into(), 3)
            .await,
        Err(StoreError::VersionConflict { .. })
    ));
    // New ids go past every id the old file handed out, deleted ones too.
    assert!(
        store
            .create(ALICE, "new".into(), String::new())
            .await
            .unwrap()
            .id
            > 4
    );
    store.delete(BOB, 2).await.unwrap();

    // A second import (at the next start) adds nothing back.
    store.close().await;
    let again = db.open().await;
    assert!(matches!(
        again.import_json(&file).await.unwrap(),
        ImportOutcome::AlreadyImported { .. }
    ));
    assert_eq!(again.list(ALICE).await.unwrap().len(), 3);
    assert!(
        again.list(BOB).await.unwrap().is_empty(),
        "a deleted note came back"
    );
    assert_eq!(again.get(ALICE, 1).await.unwrap().body, "more");

    // A file that is not the old format is refused and nothing changes.
    std::fs::write(&file, "{not json").unwrap();
    let fresh = TestDb::sqlite("import_refused");
    let error = fresh.open().await.import_json(&file).await.unwrap_err();
    assert!(error.contains("is not a notes data file"), "{error}");
    let _ = std::fs::remove_dir_all(&folder);
}

async fn limits_are_exact(db: TestDb) {
    let store = db.open().await;
    assert!(
        store
            .create("a", "t".repeat(MAX_TITLE_CHARS), "b".repeat(MAX_BODY_BYTES))
            .await
            .is_ok()
    );
    // Characters, not bytes, for the title; text round-trips exactly.
    let accents = "é".repeat(MAX_TITLE_CHARS);
    let note = store
        .create("a", accents.clone(), "ß\u{1F600}\n\tx".into())
        .await
        .unwrap();
    let read = store.get("a", note.id).await.unwrap();
    assert_eq!(
        (read.title, read.body.as_str()),
        (accents, "ß\u{1F600}\n\tx")
    );
    assert!(matches!(
        store
            .create("a", "t".repeat(MAX_TITLE_CHARS + 1), String::new())
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .create("a", String::new(), "b".repeat(MAX_BODY_BYTES + 1))
            .await,
        Err(StoreError::Invalid(_))
    ));
    // NUL is refused on both back-ends (PostgreSQL text cannot hold it).
    assert!(matches!(
        store.create("a", "t".into(), "a\0b".into()).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn a_read_only_database_refuses_saves_with_503_and_keeps_serving_reads(db: TestDb) {
    let store = db.open().await;
    let note = store
        .create(ALICE, "kept".into(), "readable".into())
        .await
        .unwrap();
    store.close().await;
    // The database turns read-only (a read-only mount, a standby, an
    // operator's switch); the API is started on it.
    let read_only = match db.engine {
        support::db::Engine::Sqlite => db.same_database_as(format!("{}?mode=ro", db.url)),
        support::db::Engine::Postgres => {
            let name = db.url.rsplit('/').next().unwrap().to_owned();
            db.execute_directly(&format!(
                "ALTER DATABASE \"{name}\" SET default_transaction_read_only = on"
            ))
            .await;
            db.same_database_as(db.url.clone())
        }
    };
    let api = api_on(&read_only).await;
    let token = id_token(ALICE);
    let (status, list, _) = api.call(Method::GET, "/notes", Some(&token), None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["notes"][0]["id"], note.id);
    let path = format!("/notes/{}", note.id);
    let (status, read, _) = api.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, read["body"].as_str()), (200, Some("readable")));
    for (method, path, body) in [
        (
            Method::POST,
            "/notes".to_owned(),
            Some(json!({"title": "new", "body": ""})),
        ),
        (
            Method::PUT,
            path.clone(),
            Some(json!({"title": "x", "body": "y", "version": 1})),
        ),
        (Method::DELETE, path.clone(), None),
    ] {
        let (status, answer, _) = api.call(method.clone(), &path, Some(&token), body).await;
        assert_eq!(status, 503, "{method} {path}: {answer}");
        assert_eq!(answer["error"], "storage_unavailable");
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.contains("read-only") && message.contains("reading notes still works"),
            "{message}"
        );
    }
    // Nothing changed, and the database still answers.
    let (status, read, _) = api.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, read["version"].as_u64()), (200, Some(1)));
    assert_eq!(api.call(Method::GET, "/health", None, None).await.0, 200);
    let logs = api.log_text();
    assert!(
        logs.contains(&format!("POST /notes 503 sub={ALICE}")),
        "{logs}"
    );
}

async fn health_says_the_database_answers(db: TestDb) {
    let store = Arc::new(db.open().await);
    let jwks = JwksServer::start(&[KID]).await;
    let verifier = Verifier::new(ISSUER, CLIENT_ID, &jwks.url).unwrap();
    let (log, _) = session_guard_notes_api::LogSink::memory();
    let app = session_guard_notes_api::router(verifier, store.clone(), &AllowedOrigins::Any, log);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = client();
    let health = client.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let body = json_body(health).await;
    let engine = match db.engine {
        support::db::Engine::Sqlite => "sqlite",
        support::db::Engine::Postgres => "postgres",
    };
    assert_eq!(body, json!({"status": "ok", "database": engine}));
    // The database goes away: health says so (503) within the acquire timeout.
    store.close().await;
    let health = tokio::time::timeout(
        Duration::from_secs(10),
        client.get(format!("{base}/health")).send(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(health.status().as_u16(), 503);
    let body = json_body(health).await;
    assert_eq!(body["status"], "unavailable");
    assert!(
        body["message"].as_str().unwrap().contains("not answering"),
        "{body}"
    );
}

async fn migrations_are_versioned_applied_once_and_a_newer_database_is_refused(db: TestDb) {
    // A new database is created (SQLite: the file too) and migrated at start.
    let store = db.open().await;
    store.create(ALICE, "kept".into(), "".into()).await.unwrap();
    store.close().await;
    assert_eq!(db.applied_migrations().await, [1]);
    // Opening it again applies nothing twice and keeps the notes.
    let store = db.open().await;
    assert_eq!(store.list(ALICE).await.unwrap().len(), 1);
    store.close().await;
    assert_eq!(db.applied_migrations().await, [1]);
    // A database migrated by a newer version of the API is not opened by
    // this one (it would not know the newer schema).
    let checksum = match db.engine {
        support::db::Engine::Sqlite => "X'00'",
        support::db::Engine::Postgres => "decode('00', 'hex')",
    };
    db.execute_directly(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (2, 'from a newer version', TRUE, {checksum}, 0)"
    ))
    .await;
    let error = match session_guard_notes_api::Store::open(&db.url).await {
        Ok(_) => panic!("a database at a newer migration was opened"),
        Err(error) => error,
    };
    assert!(
        error.contains("cannot prepare the database")
            && error.contains("migration 2, which this notes-api does not know")
            && error.contains("a newer notes-api migrated it"),
        "{error}"
    );
}

async fn the_owner_is_the_tokens_sub_whatever_the_request_says(db: TestDb) {
    let api = api_on(&db).await;
    let (alice, bob) = (id_token(ALICE), id_token(BOB));
    // Alice's request names Bob every way a client could: body fields and
    // headers. The note is still Alice's.
    let response = api
        .client
        .post(api.url("/notes"))
        .bearer_auth(&alice)
        .header("x-user", BOB)
        .header("x-sub", BOB)
        .header("x-amz-cognito-sub", BOB)
        .body(
            json!({"title": "mine", "body": "alice's", "owner": BOB, "sub": BOB,
                   "user": BOB, "user_id": BOB})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let note = json_body(response).await;
    let path = format!("/notes/{}", note["id"]);
    assert_eq!(
        api.call(Method::GET, &path, Some(&alice), None).await.0,
        200
    );
    assert_eq!(api.call(Method::GET, &path, Some(&bob), None).await.0, 404);
    let (_, list, _) = api.call(Method::GET, "/notes", Some(&bob), None).await;
    assert_eq!(list, json!({"notes": []}));
    // An update that names Bob as the owner does not hand the note over.
    let (status, _, _) = api
        .call(
            Method::PUT,
            &path,
            Some(&alice),
            Some(json!({"title": "mine", "body": "still", "version": 1, "owner": BOB, "sub": BOB})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(api.call(Method::GET, &path, Some(&bob), None).await.0, 404);
    let (_, list, _) = api.call(Method::GET, "/notes", Some(&alice), None).await;
    assert_eq!(list["notes"][0]["id"], note["id"]);
    // In the database the row's owner is Alice's sub.
    let store = db.open().await;
    assert_eq!(store.list(ALICE).await.unwrap().len(), 1);
    assert!(store.list(BOB).await.unwrap().is_empty());
}
