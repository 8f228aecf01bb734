//! The notes model, natively: opening, reconciling a kept draft with the
//! server's copy, create-or-update, conflicts, and the list after a save.

use super::*;

fn server_note(id: u64, version: u64, title: &str, body: &str) -> Note {
    Note {
        id,
        title: title.to_owned(),
        body: body.to_owned(),
        created_at: "2025-06-15T09:00:00Z".to_owned(),
        updated_at: "2025-06-15T10:00:00Z".to_owned(),
        version,
    }
}

fn fields(id: Option<u64>, version: Option<u64>, title: &str, body: &str) -> NoteFields {
    NoteFields {
        id,
        version,
        title: title.to_owned(),
        body: body.to_owned(),
    }
}

fn kept(key: &str, fields: &NoteFields) -> KeptDraft {
    KeptDraft {
        key: key.to_owned(),
        label: fields.label(),
        value: fields.to_draft(),
    }
}

fn no_drafts(_: &str) -> Option<KeptDraft> {
    None
}

// ----------------------------------------------------------------- opening

#[test]
fn a_new_note_without_a_draft_opens_blank_at_once() {
    let plan = plan_open(OpenRequest::New, no_drafts);
    let OpenPlan::Show(open) = plan else {
        panic!("nothing to fetch: {plan:?}")
    };
    assert_eq!(open.key, "note:new");
    assert_eq!(open.saved, NoteFields::default());
    assert_eq!(open.working, None);
    assert_eq!(open.standing, DraftStanding::NoDraft);
}

#[test]
fn opening_a_note_asks_the_server_and_shows_its_copy() {
    let plan = plan_open(OpenRequest::Note(42), no_drafts);
    assert_eq!(
        plan,
        OpenPlan::Fetch {
            id: 42,
            key: "note:42".to_owned(),
            draft: None
        }
    );
    let note = server_note(42, 3, "Quarterly plan", "Goals");
    let open = reconcile(
        "note:42".to_owned(),
        None,
        ServerAnswer::Found(note.clone()),
    )
    .unwrap();
    assert_eq!(open.saved, NoteFields::from_note(&note));
    assert_eq!(open.working, None);
    assert_eq!(open.id(), Some(42));
    assert_eq!(open.label(), "Quarterly plan");
}

#[test]
fn a_note_that_cannot_be_fetched_does_not_open_and_says_why() {
    assert_eq!(
        reconcile("note:42".to_owned(), None, ServerAnswer::Deleted),
        Err(OpenFailure::Deleted)
    );
    let failure = reconcile(
        "note:42".to_owned(),
        None,
        ServerAnswer::Unreachable("the server did not answer in time".to_owned()),
    )
    .unwrap_err();
    assert_eq!(
        failure.to_string(),
        "This note could not be opened: the server did not answer in time."
    );
}

#[test]
fn opening_a_note_with_a_kept_draft_opens_the_draft_and_takes_it_from_the_prompt() {
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let mut asked = Vec::new();
    let plan = plan_open(OpenRequest::Note(42), |key| {
        asked.push(key.to_owned());
        (key == "note:42").then(|| kept(key, &draft))
    });
    assert_eq!(asked, ["note:42"]);
    assert_eq!(
        plan,
        OpenPlan::Fetch {
            id: 42,
            key: "note:42".to_owned(),
            draft: Some(draft)
        }
    );
}

#[test]
fn a_new_note_with_a_kept_draft_opens_the_draft_without_asking_the_server() {
    let draft = fields(None, None, "Offer letter", "Dear candidate");
    let plan = plan_open(OpenRequest::New, |key| Some(kept(key, &draft)));
    let OpenPlan::Show(open) = plan else {
        panic!("a note never saved has nothing on the server: {plan:?}")
    };
    assert_eq!(open.key, "note:new");
    assert_eq!(open.working, Some(draft));
    assert_eq!(open.saved, NoteFields::default(), "nothing saved yet");
    assert_eq!(open.standing, DraftStanding::NewNote);
}

#[test]
fn a_draft_that_is_not_note_fields_is_kept_as_the_body() {
    let draft = KeptDraft {
        key: "note:new".to_owned(),
        label: "Old format".to_owned(),
        value: "plain text from an older version".to_owned(),
    };
    let OpenPlan::Show(open) = plan_open(OpenRequest::Draft(draft), no_drafts) else {
        panic!("no id: nothing to fetch")
    };
    let working = open.working.unwrap();
    assert_eq!(working.title, "Old format");
    assert_eq!(working.body, "plain text from an older version");
}

// ------------------------------------------------------------ reconciling

#[test]
fn a_draft_on_the_current_server_version_opens_as_unsaved_changes_on_top() {
    let note = server_note(42, 3, "Quarterly plan", "Goals");
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let open = reconcile(
        "note:42".to_owned(),
        Some(draft.clone()),
        ServerAnswer::Found(note.clone()),
    )
    .unwrap();
    assert_eq!(open.standing, DraftStanding::OnCurrentVersion);
    assert_eq!(open.saved, NoteFields::from_note(&note));
    assert_eq!(open.working, Some(draft.clone()));
    assert_eq!(
        draft.save_kind(),
        SaveKind::Update { id: 42, version: 3 },
        "saving updates the note the draft was based on"
    );
}

#[test]
fn a_draft_older_than_the_server_copy_opens_and_keeps_its_base_version_so_saving_reports_the_conflict()
 {
    // Another device saved version 5 after this draft was based on version 3.
    let note = server_note(42, 5, "Quarterly plan", "Goals, reviewed by Ana");
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let open = reconcile(
        "note:42".to_owned(),
        Some(draft.clone()),
        ServerAnswer::Found(note),
    )
    .unwrap();
    assert_eq!(
        open.standing,
        DraftStanding::ServerChanged { server_version: 5 }
    );
    let working = open.working.unwrap();
    assert_eq!(working.body, "Goals and budget", "the user's text is kept");
    assert_eq!(
        working.save_kind(),
        SaveKind::Update { id: 42, version: 3 },
        "never silently saved over version 5"
    );
}

#[test]
fn a_draft_newer_than_the_server_version_is_also_a_change_on_the_server() {
    // The server's copy is older than the one the draft was based on
    // (restored from a backup): the draft still wins the editor, and a
    // save asks before replacing what the server has.
    let note = server_note(42, 2, "Quarterly plan", "Goals");
    let draft = fields(Some(42), Some(4), "Quarterly plan", "Goals and budget");
    let open = reconcile(
        "note:42".to_owned(),
        Some(draft.clone()),
        ServerAnswer::Found(note),
    )
    .unwrap();
    assert_eq!(
        open.standing,
        DraftStanding::ServerChanged { server_version: 2 }
    );
    assert_eq!(open.working, Some(draft));
}

#[test]
fn a_draft_the_server_already_has_opens_as_saved_on_the_servers_version() {
    // Saved from another tab after the draft was kept: nothing unsaved is
    // left, and editing on continues from the server's version.
    let note = server_note(42, 6, "Quarterly plan", "Goals and budget");
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let open = reconcile(
        "note:42".to_owned(),
        Some(draft),
        ServerAnswer::Found(note.clone()),
    )
    .unwrap();
    assert_eq!(open.standing, DraftStanding::AlreadySaved);
    assert_eq!(open.working, None);
    assert_eq!(open.saved.version, Some(6));
}

#[test]
fn a_draft_of_a_note_deleted_elsewhere_becomes_a_new_note_with_the_text() {
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let mut asked = Vec::new();
    let plan = plan_open(OpenRequest::Draft(kept("note:42", &draft)), |key| {
        asked.push(key.to_owned());
        None
    });
    assert_eq!(asked, ["note:42"], "the reopened draft leaves the prompt");
    let OpenPlan::Fetch { id, key, draft } = plan else {
        panic!("a saved note is checked with the server: {plan:?}")
    };
    assert_eq!(id, 42);
    let open = reconcile(key, draft, ServerAnswer::Deleted).unwrap();
    assert_eq!(open.standing, DraftStanding::DeletedElsewhere);
    let working = open.working.unwrap();
    assert_eq!((working.id, working.version), (None, None));
    assert_eq!(working.body, "Goals and budget", "nothing lost");
    assert_eq!(working.save_kind(), SaveKind::Create);
    assert_eq!(open.saved, NoteFields::default());
}

#[test]
fn a_draft_opens_when_the_server_is_out_of_reach_and_saves_against_its_base_version() {
    let draft = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let open = reconcile(
        "note:42".to_owned(),
        Some(draft.clone()),
        ServerAnswer::Unreachable("the server could not be reached".to_owned()),
    )
    .unwrap();
    assert_eq!(open.standing, DraftStanding::ServerUnreachable);
    assert_eq!(open.working, Some(draft.clone()));
    assert_eq!((open.saved.id, open.saved.version), (Some(42), Some(3)));
    assert!(
        open.saved.title.is_empty() && open.saved.body.is_empty(),
        "the server's text is unknown, so the draft counts as unsaved"
    );
    assert_eq!(open.id(), Some(42));
}

// ----------------------------------------------------------------- saving

#[test]
fn a_note_never_saved_is_created_and_a_saved_one_updated_against_its_version() {
    assert_eq!(NoteFields::default().save_kind(), SaveKind::Create);
    assert_eq!(
        fields(Some(7), Some(3), "t", "b").save_kind(),
        SaveKind::Update { id: 7, version: 3 }
    );
}

#[test]
fn a_note_whose_server_version_is_unknown_is_saved_as_a_new_note() {
    assert_eq!(
        fields(Some(7), None, "t", "b").save_kind(),
        SaveKind::Create
    );
}

#[test]
fn a_conflict_carries_the_servers_version_and_overwriting_builds_on_it() {
    let answer = r#"{
        "id": 42, "title": "Quarterly plan", "body": "Goals, reviewed by Ana",
        "created_at": "2025-06-15T09:00:00Z", "updated_at": "2025-06-15T11:00:00Z",
        "version": 5
    }"#;
    let conflict = NoteConflict::from_server_copy(&server_copy(answer));
    assert_eq!(conflict.server, Some(ServerVersion { id: 42, version: 5 }));
    assert_eq!(conflict.server_version(), Some(5));
    let mine = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    let overwrite = conflict.overwrite_with(&mine);
    assert_eq!(overwrite.body, "Goals and budget");
    assert_eq!(
        overwrite.save_kind(),
        SaveKind::Update { id: 42, version: 5 }
    );
}

#[test]
fn a_conflict_without_a_readable_server_version_saves_the_text_as_a_new_note() {
    for answer in [
        "null",
        r#"{ "id": 42, "version": "five" }"#,
        r#"{ "id": 42, "version": -1 }"#,
        r#"{ "id": 42, "version": 5.0 }"#,
        r#"{ "id": 42, "version": 1e2 }"#,
        r#"{ "id": 42, "version": 18446744073709551616 }"#,
        r#"{ "id": 42, "version": null }"#,
        r#"{ "version": 5 }"#,
        r#""garbage""#,
    ] {
        let conflict = NoteConflict::from_server_copy(&server_copy(answer));
        assert_eq!(conflict.server, None, "{answer}");
        let mine = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
        let overwrite = conflict.overwrite_with(&mine);
        assert_eq!(overwrite.save_kind(), SaveKind::Create, "{answer}");
        assert_eq!(overwrite.body, "Goals and budget");
    }
}

#[test]
fn a_conflict_naming_another_note_never_overwrites_it() {
    let conflict = NoteConflict::from_server_copy(&server_copy(r#"{ "id": 9, "version": 5 }"#));
    let mine = fields(Some(42), Some(3), "Quarterly plan", "Goals and budget");
    assert_eq!(conflict.overwrite_with(&mine).save_kind(), SaveKind::Create);
}

#[test]
fn note_fields_survive_the_draft_round_trip() {
    let original = fields(
        Some(42),
        Some(3),
        "Quarterly plan",
        "Goals \"and\" budget\n",
    );
    assert_eq!(
        NoteFields::from_draft(&original.to_draft(), "ignored"),
        original
    );
}

#[test]
fn a_draft_is_kept_in_the_form_earlier_versions_wrote() {
    let saved = fields(Some(42), Some(3), "Plan", "Goals \"and\" budget\n");
    assert_eq!(
        saved.to_draft(),
        r#"{"id":42,"version":3,"title":"Plan","body":"Goals \"and\" budget\n"}"#
    );
    let new = fields(None, None, "", "");
    assert_eq!(
        new.to_draft(),
        r#"{"id":null,"version":null,"title":"","body":""}"#
    );
    // Members may come in any order, unknown ones are ignored, and an absent
    // id or version is a note not saved yet.
    assert_eq!(
        NoteFields::from_draft(r#"{"body":"b","title":"t","extra":1}"#, "ignored"),
        fields(None, None, "t", "b")
    );
}

#[test]
fn a_draft_that_is_not_a_notes_fields_is_kept_as_the_body() {
    for value in [
        "plain text",
        r#"{"id":"42","version":3,"title":"t","body":"b"}"#,
        r#"{"id":42,"version":3,"title":"t"}"#,
    ] {
        assert_eq!(
            NoteFields::from_draft(value, "Kept"),
            fields(None, None, "Kept", value),
            "{value}"
        );
    }
}

#[test]
fn a_note_from_the_server_needs_every_field_of_its_kind() {
    let note: Note = session_guard::json::from_str(
        r#"{"id":42,"title":"Plan","body":"Goals","created_at":"2025-06-15T09:00:00Z",
            "updated_at":"2025-06-15T10:00:00Z","version":5,"owner":"ignored"}"#,
    )
    .expect("a note");
    assert_eq!(note, server_note(42, 5, "Plan", "Goals"));
    let error = session_guard::json::from_str::<Note>(
        r#"{"id":42,"title":"Plan","body":"Goals","created_at":"","updated_at":"","version":"5"}"#,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "version is not a whole number from 0 up");
    let error = session_guard::json::from_str::<Vec<NoteSummary>>(
        r#"[{"id":1,"title":"Plan","updated_at":"2025-06-15T10:00:00Z","version":2},{"id":2}]"#,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "[1].title is missing");
}

// ------------------------------------------------------------------- list

#[test]
fn a_saved_new_note_goes_on_top_of_the_list_and_a_saved_change_replaces_its_row() {
    let mut list = vec![
        NoteSummary::from(&server_note(1, 1, "Old", "")),
        NoteSummary::from(&server_note(2, 4, "Plan", "")),
    ];
    record_saved(&mut list, &server_note(3, 1, "New", ""));
    assert_eq!(list.iter().map(|n| n.id).collect::<Vec<_>>(), [3, 1, 2]);
    record_saved(&mut list, &server_note(2, 5, "Plan v2", ""));
    assert_eq!(list.iter().map(|n| n.id).collect::<Vec<_>>(), [3, 1, 2]);
    assert_eq!(list[2].title, "Plan v2");
    assert_eq!(list[2].version, 5);
}

#[test]
fn a_blank_title_reads_as_untitled() {
    assert_eq!(title_or_untitled("   "), "Untitled note");
    assert_eq!(title_or_untitled(" Plan "), "Plan");
}

/// The `current` member of a conflict answer as the API client reads it:
/// what is not an object reads as a copy that says nothing.
fn server_copy(current: &str) -> ServerCopy {
    session_guard::json::from_str(current).unwrap_or_default()
}

#[test]
fn a_conflict_answer_gives_the_servers_copy_from_its_current_member() {
    assert_eq!(
        ServerCopy::from_conflict_answer(
            r#"{"message": "stale version", "current": {"id": 7, "version": 5, "title": "t"}}"#
        ),
        ServerCopy {
            id: Some(7),
            version: Some(5),
        }
    );
    for unreadable in [
        r#"{"message": "stale version"}"#,
        r#"{"current": null}"#,
        r#"{"current": "seven"}"#,
        "[]",
        "not JSON",
        "",
    ] {
        assert_eq!(
            ServerCopy::from_conflict_answer(unreadable),
            ServerCopy::default(),
            "{unreadable}"
        );
    }
}
