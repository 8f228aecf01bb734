//! The notes workspace: the list, the open note, the prompt to reopen drafts
//! kept from before a sign-out, and the guard that stops a switch to another
//! note from dropping unsaved changes. Talks to the notes API; the editor
//! itself only edits.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::note_editor::{NoteEditor, NoteFields, SaveNote, SaveOpenNote};
use super::sign_out_banner::SignOutNotice;
use crate::api::{ApiError, Note, NoteSummary, NotesClient};
use crate::browser::{Draft, use_session};
use crate::browser::{clock_time_with_day, parse_instant, wall_clock_now};

/// The note in the editor. `nonce` re-mounts the editor for each opening.
#[derive(Clone, Debug, PartialEq)]
struct OpenNote {
    nonce: u64,
    key: String,
    saved: NoteFields,
    working: Option<NoteFields>,
}

/// What the user asked to open.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Note(u64),
    New,
    Draft(Draft),
}

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    Loading,
    Ready,
    Failed(String),
    Unavailable(String),
}

fn draft_key(id: Option<u64>) -> String {
    match id {
        Some(id) => format!("note:{id}"),
        None => "note:new".to_owned(),
    }
}

fn updated_text(updated_at: &str) -> String {
    match parse_instant(updated_at) {
        Some(at) => clock_time_with_day(at, wall_clock_now()),
        None => updated_at.to_owned(),
    }
}

fn summary_of(note: &Note) -> NoteSummary {
    NoteSummary {
        id: note.id,
        title: note.title.clone(),
        updated_at: note.updated_at.clone(),
        version: note.version,
    }
}

/// The notes workspace (`.notes-workspace`). `notice` is why the user was
/// last signed out, shown with the drafts kept from then.
#[component]
pub fn NotesWorkspace(#[prop(optional_no_strip)] notice: Option<SignOutNotice>) -> impl IntoView {
    let session = use_session();
    let client = NotesClient::new(session.driver());
    let unavailable = client.as_ref().err().map(|error| match error {
        ApiError::NotConfigured => "No notes server is configured (api.base_url in config.json), \
             so notes cannot be saved to a server here. Your drafts are still kept on this device."
            .to_owned(),
        other => other.to_string(),
    });
    let client = StoredValue::new_local(client.ok());
    let notes = RwSignal::new(Vec::<NoteSummary>::new());
    let list = RwSignal::new(match &unavailable {
        Some(message) => ListState::Unavailable(message.clone()),
        None => ListState::Loading,
    });
    let open = RwSignal::new(None::<OpenNote>);
    let opening = RwSignal::new(false);
    let open_error = RwSignal::new(None::<String>);
    let drafts = RwSignal::new(session.drafts());
    let guard = RwSignal::new(None::<Target>);
    let nonce = StoredValue::new(0_u64);
    let save_open = SaveOpenNote::use_or_provide();

    let load_list = move || {
        let Some(client) = client.get_value() else {
            return;
        };
        list.set(ListState::Loading);
        spawn_local(async move {
            match client.list().await {
                Ok(found) => {
                    let _ = notes.try_set(found);
                    let _ = list.try_set(ListState::Ready);
                }
                Err(error) => {
                    let _ = list.try_set(ListState::Failed(error.to_string()));
                }
            }
        });
    };
    load_list();

    let show = move |key: String, saved: NoteFields, working: Option<NoteFields>| {
        nonce.update_value(|n| *n += 1);
        open_error.set(None);
        open.set(Some(OpenNote {
            nonce: nonce.get_value(),
            key,
            saved,
            working,
        }));
    };
    let fetch_then = move |id: u64, then: Box<dyn FnOnce(Result<Note, ApiError>)>| {
        let Some(client) = client.get_value() else {
            then(Err(ApiError::NotConfigured));
            return;
        };
        opening.set(true);
        spawn_local(async move {
            let result = client.get(id).await;
            let _ = opening.try_set(false);
            then(result);
        });
    };
    let take_draft = move |key: &str| -> Option<Draft> {
        let found = drafts.with_untracked(|all| all.iter().find(|d| d.key == key).cloned());
        if found.is_some() {
            drafts.update(|all| all.retain(|d| d.key != key));
        }
        found
    };
    let do_open = move |target: Target| {
        let target = match target {
            Target::Note(id) => {
                take_draft(&draft_key(Some(id))).map_or(Target::Note(id), Target::Draft)
            }
            Target::New => take_draft(&draft_key(None)).map_or(Target::New, Target::Draft),
            draft => draft,
        };
        match target {
            Target::New => show(draft_key(None), NoteFields::default(), None),
            Target::Note(id) => fetch_then(
                id,
                Box::new(move |result| match result {
                    Ok(note) => show(draft_key(Some(id)), NoteFields::from_note(&note), None),
                    Err(error) => {
                        let _ = open_error
                            .try_set(Some(format!("This note could not be opened: {error}.")));
                    }
                }),
            ),
            Target::Draft(draft) => {
                drafts.update(|all| all.retain(|d| d.key != draft.key));
                let fields = NoteFields::from_draft(&draft.value, &draft.label);
                match fields.id {
                    None => show(draft.key, NoteFields::default(), Some(fields)),
                    Some(id) => fetch_then(
                        id,
                        Box::new(move |result| match result {
                            Ok(note) => show(draft.key, NoteFields::from_note(&note), Some(fields)),
                            // Deleted meanwhile: the draft becomes a new note.
                            Err(ApiError::NotFound) => show(
                                draft.key,
                                NoteFields::default(),
                                Some(NoteFields {
                                    id: None,
                                    version: None,
                                    ..fields
                                }),
                            ),
                            // Server unreachable: the draft still opens; saving
                            // later compares against the version it was based on.
                            Err(_) => {
                                let saved = NoteFields {
                                    title: String::new(),
                                    body: String::new(),
                                    ..fields.clone()
                                };
                                show(draft.key, saved, Some(fields))
                            }
                        }),
                    ),
                }
            }
        }
    };
    let open_is_dirty = move || {
        open.with_untracked(|open| {
            open.as_ref().is_some_and(|open| {
                session
                    .unsaved
                    .with_untracked(|keys| keys.contains(&open.key))
            })
        })
    };
    let request = move |target: Target| {
        if open_is_dirty() {
            guard.set(Some(target));
        } else {
            do_open(target);
        }
    };
    let discard_stored = { move |key: &str| session.discard_draft(key) };
    let discard_stored = StoredValue::new_local(discard_stored);

    // A blank note to type into, unless drafts wait to be reopened first.
    if drafts.with_untracked(Vec::is_empty) {
        do_open(Target::New);
    }
    crate::browser::mark_ready();

    let saver = SaveNote::new(move |fields: NoteFields| {
        let client = client.get_value();
        Box::pin(async move {
            let Some(client) = client else {
                return Err(ApiError::NotConfigured);
            };
            match (fields.id, fields.version) {
                (Some(id), Some(version)) => {
                    client
                        .update(id, &fields.title, &fields.body, version)
                        .await
                }
                _ => client.create(&fields.title, &fields.body).await,
            }
        })
    });
    let on_saved = Callback::new(move |note: Note| {
        let summary = summary_of(&note);
        notes.update(|all| match all.iter_mut().find(|s| s.id == note.id) {
            Some(existing) => *existing = summary,
            None => all.insert(0, summary),
        });
        if list.get_untracked() != ListState::Ready
            && !matches!(list.get_untracked(), ListState::Unavailable(_))
        {
            list.set(ListState::Ready);
        }
    });
    let open_id = Memo::new(move |_| {
        open.with(|open| {
            open.as_ref()
                .and_then(|o| o.working.as_ref().and_then(|w| w.id).or(o.saved.id))
        })
    });

    let restore_prompt = move || {
        let pending = drafts.get();
        if pending.is_empty() {
            return None;
        }
        let labels: Vec<String> = pending.iter().map(|d| d.label.clone()).collect();
        let intro = match &notice {
            Some(notice) => {
                let kept = SignOutNotice {
                    kept: labels,
                    ..notice.clone()
                };
                format!(
                    "{} {}: reopen to carry on where you left off.",
                    kept.reason_text(),
                    kept.kept_text().unwrap_or_default()
                )
            }
            None => "Work you had not saved yet was kept on this device: reopen to carry on where you left off."
                .to_owned(),
        };
        Some(view! {
            <section class="restore-drafts" aria-labelledby="restore-drafts-title">
                <h2 id="restore-drafts-title">"Unsaved work kept for you"</h2>
                <p class="restore-intro">{intro}</p>
                <ul>
                    {pending
                        .into_iter()
                        .map(|draft| {
                            let saved_at = clock_time_with_day(
                                crate::session::Millis(draft.saved_at),
                                wall_clock_now(),
                            );
                            let (label, key) = (draft.label.clone(), draft.key.clone());
                            view! {
                                <li class="draft-row">
                                    <span class="draft-label">{label.clone()}</span>
                                    <span class="draft-saved-at">{format!("kept {saved_at}")}</span>
                                    <button type="button" class="primary restore-draft"
                                        aria-label=format!("Reopen {label}")
                                        on:click=move |_| request(Target::Draft(draft.clone()))>
                                        "Reopen"
                                    </button>
                                    <button type="button" class="secondary discard-draft"
                                        aria-label=format!("Discard the draft of {label}")
                                        on:click=move |_| {
                                            discard_stored.with_value(|discard| discard(&key));
                                            drafts.update(|all| all.retain(|d| d.key != key));
                                        }>
                                        "Discard"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        })
    };

    let guard_prompt = move || {
        guard.get().map(|target| {
            let label = open.with_untracked(|open| {
                open.as_ref()
                    .map(|o| o.working.as_ref().unwrap_or(&o.saved).label())
                    .unwrap_or_default()
            });
            let (save_target, discard_target) = (target.clone(), target);
            view! {
                <div class="switch-guard" role="alert">
                    <p>"The open note has unsaved changes. Save them before switching?"</p>
                    <div class="guard-actions">
                        <button type="button" class="primary guard-save" on:click=move |_| {
                            let target = save_target.clone();
                            spawn_local(async move {
                                if save_open.save().await {
                                    let _ = guard.try_set(None);
                                    do_open(target);
                                }
                            });
                        }>"Save and switch"</button>
                        <button type="button" class="secondary guard-discard" on:click=move |_| {
                            if let Some(key) = open.with_untracked(|o| o.as_ref().map(|o| o.key.clone())) {
                                discard_stored.with_value(|discard| discard(&key));
                            }
                            guard.set(None);
                            open.set(None);
                            do_open(discard_target.clone());
                        }>"Discard changes"</button>
                        <button type="button" class="ghost guard-cancel" on:click=move |_| guard.set(None)>
                            "Keep editing"
                        </button>
                    </div>
                    <span class="visually-hidden">{label}</span>
                </div>
            }
        })
    };

    let list_view = move || {
        match list.get() {
        ListState::Loading => view! { <p class="list-status" role="status">"Loading notes…"</p> }.into_any(),
        ListState::Unavailable(message) => {
            view! { <p class="list-status api-unavailable" role="status">{message}</p> }.into_any()
        }
        ListState::Failed(message) => view! {
            <div class="list-status" role="alert">
                <p>{format!("Notes could not be loaded: {message}.")}</p>
                <button type="button" class="secondary reload-notes" on:click=move |_| load_list()>"Try again"</button>
            </div>
        }
        .into_any(),
        ListState::Ready => view! {
            <ul class="notes-list">
                {move || {
                    let current = open_id.get();
                    notes
                        .get()
                        .into_iter()
                        .map(|note| {
                            let id = note.id;
                            let title = if note.title.trim().is_empty() { "Untitled note".to_owned() } else { note.title.clone() };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="note-link"
                                        data-note-id=id
                                        aria-current=(current == Some(id)).then_some("true")
                                        on:click=move |_| request(Target::Note(id))
                                    >
                                        <span class="note-link-title">{title}</span>
                                        <span class="note-link-updated">{updated_text(&note.updated_at)}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || notes.with(Vec::is_empty).then(|| view! { <p class="list-status">"No notes yet."</p> })}
        }
        .into_any(),
    }
    };

    let saver = StoredValue::new_local(saver);
    let editor = move || match open.get() {
        Some(note) => {
            let saver = saver.get_value();
            view! {
                <NoteEditor
                    draft_key=note.key
                    saved=note.saved
                    working=note.working
                    save=saver
                    on_saved=on_saved
                />
            }
            .into_any()
        }
        None => view! {
            <div class="editor-empty">
                <p>"Open a note from the list, reopen a kept draft, or start a new note."</p>
            </div>
        }
        .into_any(),
    };

    view! {
        <section class="notes-workspace" aria-label="Notes">
            {restore_prompt}
            <div class="notes-columns">
                <nav class="notes-nav" aria-label="Your notes">
                    <div class="notes-nav-head">
                        <h2>"Notes"</h2>
                        <button type="button" class="secondary new-note" on:click=move |_| request(Target::New)>
                            "New note"
                        </button>
                    </div>
                    {list_view}
                </nav>
                <div class="editor-pane">
                    {guard_prompt}
                    {move || opening.get().then(|| view! { <p class="list-status" role="status">"Opening…"</p> })}
                    {move || open_error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    {editor}
                </div>
            </div>
        </section>
    }
}
