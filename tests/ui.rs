//! Browser tests (wasm-bindgen-test in headless Chromium) of the notes
//! app's own views: the editor's unsaved marker and save, a conflict and
//! "Save mine over theirs", and its message when a draft cannot be kept;
//! the notes list when it cannot load or there is no server.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use session_guard::api::ApiError;
use session_guard::browser::SessionContext;
use session_guard::cognito::Secret;
use session_guard::config::AppConfig;
use session_guard::session::Millis;
use session_guard::testing::{Clock, DraftStore, provide_session_with};
use session_guard_notes::notes_client::Note;
use session_guard_notes::ui::{NoteEditor, NoteFields, NotesWorkspace, SaveNote};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../session-guard/tests/support/mod.rs"]
mod support;
use support::dom::*;
use support::{EMAIL, PASSWORD, eventually, sleep};

/// A stand-in notes API: records what was sent and answers after a moment.
fn fake_saver(sent: Rc<RefCell<Vec<NoteFields>>>, fail: bool) -> SaveNote {
    SaveNote::new(move |fields: NoteFields| {
        sent.borrow_mut().push(fields.clone());
        Box::pin(async move {
            sleep(30).await;
            if fail {
                return Err(ApiError::Network("connection refused".to_owned()));
            }
            Ok(Note {
                id: fields.id.unwrap_or(7),
                title: fields.title,
                body: fields.body,
                created_at: "2025-06-15T10:00:00Z".to_owned(),
                updated_at: "2025-06-15T10:05:00Z".to_owned(),
                version: fields.version.unwrap_or(0) + 1,
            })
        })
    })
}

fn mount_editor(saver: SaveNote) -> (Mounted, Rc<RefCell<Option<SessionContext>>>) {
    let context = Rc::new(RefCell::new(None));
    let config = AppConfig::from_json(CONFIG).unwrap();
    let clock = Clock::manual(NOW);
    let mounted = mount({
        let context = context.clone();
        move || {
            let session = provide_session_with(config, manual_options(&clock));
            *context.borrow_mut() = Some(session);
            let saved = NoteFields {
                id: Some(7),
                version: Some(3),
                title: "Quarterly plan".to_owned(),
                body: "Goals".to_owned(),
            };
            view! { <NoteEditor draft_key="note:7".to_owned() saved save=saver/> }
        }
    });
    (mounted, context)
}

#[wasm_bindgen_test]
async fn the_editor_marks_unsaved_changes_and_clears_the_mark_after_a_save() {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let (mounted, context) = mount_editor(fake_saver(sent.clone(), false));
    let session = context.borrow().unwrap();
    tick().await;
    assert_eq!(
        mounted
            .get("#note-title")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "Quarterly plan"
    );
    assert!(
        mounted.find(".unsaved-marker").is_none(),
        "nothing unsaved yet"
    );

    type_into(&mounted.get("#note-body"), "Goals and budget");
    eventually("the unsaved marker", || {
        mounted.find(".unsaved-marker").is_some()
    })
    .await;
    assert!(
        session
            .unsaved
            .get_untracked()
            .iter()
            .any(|key| key == "note:7"),
        "registered as unsaved work"
    );

    mounted.get(".save-note").click();
    eventually("saved", || mounted.find(".saved-marker").is_some()).await;
    assert!(
        mounted.find(".unsaved-marker").is_none(),
        "mark cleared after the save"
    );
    assert!(session.unsaved.get_untracked().is_empty());
    let sent = sent.borrow();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body, "Goals and budget");
    assert_eq!(
        sent[0].version,
        Some(3),
        "saved against the version it was based on"
    );
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_the_work_marked_unsaved_and_says_why() {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let (mounted, context) = mount_editor(fake_saver(sent.clone(), true));
    let session = context.borrow().unwrap();
    type_into(&mounted.get("#note-title"), "Quarterly plan v2");
    eventually("the unsaved marker", || {
        mounted.find(".unsaved-marker").is_some()
    })
    .await;
    mounted.get(".save-note").click();
    eventually("the error", || mounted.find(".save-error").is_some()).await;
    assert!(mounted.text(".save-error").contains("could not be reached"));
    assert!(mounted.find(".unsaved-marker").is_some(), "still unsaved");
    assert!(
        session
            .unsaved
            .get_untracked()
            .iter()
            .any(|key| key == "note:7")
    );
    assert_eq!(
        mounted
            .get("#note-title")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "Quarterly plan v2",
        "the text stays"
    );
}

#[wasm_bindgen_test]
async fn a_conflict_keeps_the_text_and_saving_mine_over_theirs_builds_on_their_version() {
    let sent = Rc::new(RefCell::new(Vec::<NoteFields>::new()));
    let saver = {
        let sent = sent.clone();
        SaveNote::new(move |fields: NoteFields| {
            sent.borrow_mut().push(fields.clone());
            Box::pin(async move {
                sleep(10).await;
                if fields.version == Some(3) {
                    // Someone saved version 5 meanwhile.
                    return Err(ApiError::Conflict {
                        body: r#"{"message": "stale version", "current": {"id": 7, "version": 5}}"#
                            .to_owned(),
                    });
                }
                Ok(Note {
                    id: 7,
                    title: fields.title,
                    body: fields.body,
                    created_at: "2025-06-15T10:00:00Z".to_owned(),
                    updated_at: "2025-06-15T10:05:00Z".to_owned(),
                    version: fields.version.unwrap_or(0) + 1,
                })
            })
        })
    };
    let (mounted, _context) = mount_editor(saver);
    type_into(&mounted.get("#note-body"), "Goals and budget");
    mounted.get(".save-note").click();
    eventually("the conflict", || mounted.find(".save-conflict").is_some()).await;
    assert!(mounted.find(".unsaved-marker").is_some(), "still unsaved");
    assert_eq!(
        mounted
            .get("#note-body")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Goals and budget",
        "the text stays"
    );
    mounted.get(".overwrite").click();
    eventually("saved", || mounted.find(".saved-marker").is_some()).await;
    assert!(mounted.find(".save-conflict").is_none());
    let sent = sent.borrow();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[1].id, sent[1].version),
        (Some(7), Some(5)),
        "saved over the version the server said it has"
    );
    assert_eq!(sent[1].body, "Goals and budget");
}

/// Mounts the notes workspace for a session nobody is signed in to.
fn mount_workspace(config: &str) -> Mounted {
    let config = AppConfig::from_json(config).unwrap();
    let clock = Clock::manual(NOW);
    mount(move || {
        provide_session_with(config, manual_options(&clock));
        view! { <NotesWorkspace/> }
    })
}

#[wasm_bindgen_test]
async fn a_notes_list_that_cannot_load_says_why_with_a_blank_note_open_meanwhile() {
    let mounted = mount_workspace(
        r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_Test123","client_id":"uitest123","refresh_token_validity":"30d"},"api":{"base_url":"http://127.0.0.1:9"}}"#,
    );
    assert!(
        mounted.find("#note-title").is_some(),
        "a blank note to type into while the list loads"
    );
    eventually("the list's error", || {
        mounted.find(".reload-notes").is_some()
    })
    .await;
    let error = mounted.text(".notes-nav [role=alert]");
    assert!(
        error.starts_with("Notes could not be loaded: you are signed out"),
        "{error}"
    );
    // Trying again (here with the same answer) keeps saying why.
    mounted.get(".reload-notes").click();
    tick().await;
    eventually("the list's error again", || {
        mounted.find(".reload-notes").is_some()
    })
    .await;
    assert!(mounted.find(".notes-list").is_none(), "no list is made up");
}

#[wasm_bindgen_test]
async fn without_a_notes_server_the_list_says_so_and_drafts_still_work() {
    let mounted = mount_workspace(CONFIG);
    tick().await;
    assert!(
        mounted
            .text(".api-unavailable")
            .starts_with("No notes server is configured")
    );
    assert!(mounted.find("#note-title").is_some());
}

/// Fills localStorage until `setItem` throws (the quota), and frees it
/// again when dropped, even if the test fails.
struct FullLocalStorage {
    keys: Vec<String>,
}

impl FullLocalStorage {
    fn fill() -> Self {
        let storage = local_storage();
        let mut keys = Vec::new();
        let mut chunk = "x".repeat(1 << 20);
        while !chunk.is_empty() {
            let key = format!("sg-test-filler-{}", keys.len());
            if storage.set_item(&key, &chunk).is_ok() {
                keys.push(key);
            } else {
                chunk.truncate(chunk.len() / 2);
            }
        }
        assert!(
            storage
                .set_item("sg-test-probe", "a draft-sized text")
                .is_err(),
            "localStorage is full"
        );
        FullLocalStorage { keys }
    }
}

impl Drop for FullLocalStorage {
    fn drop(&mut self) {
        let storage = local_storage();
        for key in &self.keys {
            let _ = storage.remove_item(key);
        }
    }
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_draft_that_cannot_be_kept_is_shown_next_to_the_editor_until_one_is() {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let config = protective_emulator_config();
    let store = DraftStore::for_config(&config);
    let clock = Clock::manual(Millis(js_sys::Date::now() as i64));
    let context = Rc::new(RefCell::new(None));
    let mounted = mount({
        let (context, clock) = (context.clone(), clock.clone());
        move || {
            let session = provide_session_with(config, manual_options(&clock));
            *context.borrow_mut() = Some(session);
            let saved = NoteFields {
                id: Some(7),
                version: Some(3),
                title: "Quarterly plan".to_owned(),
                body: "Goals".to_owned(),
            };
            let saver = fake_saver(Rc::new(RefCell::new(Vec::new())), false);
            view! { <NoteEditor draft_key="note:7".to_owned() saved save=saver/> }
        }
    });
    let session = context.borrow().unwrap();
    eventually("restore finished", || {
        !session.view.get_untracked().restoring
    })
    .await;
    session
        .sign_in(EMAIL.to_owned(), Secret::new(PASSWORD))
        .await
        .unwrap();
    let sub = session.user.get_untracked().unwrap().sub;
    store.delete_all_of(&sub).unwrap();
    let status = mounted.get(".draft-status");
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(
        status.text_content().unwrap_or_default(),
        "",
        "nothing to say yet"
    );

    let full = FullLocalStorage::fill();
    type_into(&mounted.get("#note-body"), "Goals: hire two engineers");
    eventually("the storage-full message", || {
        mounted.text(".draft-status").contains("storage is full")
    })
    .await;
    assert_eq!(
        mounted.text(".draft-status"),
        "This device's storage is full, so your unsaved text could not be kept as a draft; \
         save the note to the server or free space."
    );
    assert!(
        !mounted.text(".draft-status").contains("hire two engineers"),
        "the message never quotes the text"
    );
    assert!(
        mounted.find(".unsaved-marker").is_some(),
        "the work is still on the page, unsaved"
    );
    drop(full);
    assert!(
        store.load(&sub, clock.now()).is_empty(),
        "nothing was kept while the storage was full"
    );

    // Space again: the next draft sticks and the message goes away.
    type_into(
        &mounted.get("#note-body"),
        "Goals: hire two engineers and a designer",
    );
    eventually("the message cleared", || {
        mounted.text(".draft-status").is_empty()
    })
    .await;
    let drafts = store.load(&sub, clock.now());
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].value.contains("and a designer"));
    session.sign_out();
    drop(mounted);
    store.delete_all_of(&sub).unwrap();
}
