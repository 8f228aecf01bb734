//! The notes workspace: the list, the open note, the prompt to reopen drafts
//! kept from before a sign-out, and the guard that stops a switch to another
//! note from dropping unsaved changes. Which copy opens and how a save
//! changes the list are the notes model's (`crate::notes`); this module
//! renders it and carries out its plans with the notes API.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::note_editor::{NoteEditor, SaveNote, SaveOpenNote};
use crate::notes::{
    DraftStanding, KeptDraft, NoteFields, OpenNote, OpenPlan, OpenRequest, ServerAnswer, plan_open,
    reconcile, record_saved, title_or_untitled,
};
use crate::notes_client::{Note, NoteSummary, NotesClient};
use session_guard::api::ApiError;
use session_guard::browser::{Draft, use_session};
use session_guard::browser::{clock_time_with_day, parse_instant, wall_clock_now};
use session_guard::components::SignOutNotice;

/// The note in the editor. `nonce` re-mounts the editor for each opening.
#[derive(Clone, Debug, PartialEq)]
struct ShownNote {
    nonce: u64,
    note: OpenNote,
}

/// A note to fetch before it opens: its id, draft key and kept draft.
type Fetch = (u64, String, Option<NoteFields>);

fn kept(draft: &Draft) -> KeptDraft {
    KeptDraft {
        key: draft.key.clone(),
        label: draft.label.clone(),
        value: draft.value.clone(),
    }
}

fn updated_text(updated_at: &str) -> String {
    match parse_instant(updated_at) {
        Some(at) => clock_time_with_day(at, wall_clock_now()),
        None => updated_at.to_owned(),
    }
}

/// What the editor pane says about a draft that opened next to a server
/// copy it does not simply build on.
fn standing_text(standing: DraftStanding) -> Option<&'static str> {
    match standing {
        DraftStanding::ServerChanged { .. } => Some(
            "This note was changed elsewhere after your draft was kept; saving will ask before replacing that change.",
        ),
        DraftStanding::DeletedElsewhere => {
            Some("This note was deleted elsewhere; your draft will be saved as a new note.")
        }
        DraftStanding::ServerUnreachable => Some(
            "The notes server could not be reached, so your draft opened on its own; save it when the server is back.",
        ),
        _ => None,
    }
}

/// The notes workspace (`.notes-workspace`). `notice` is why the user was
/// last signed out, shown with the drafts kept from then.
#[component]
pub fn NotesWorkspace(#[prop(optional_no_strip)] notice: Option<SignOutNotice>) -> impl IntoView {
    let session = use_session();
    let client = NotesClient::new(&session);
    let unavailable = client.as_ref().err().map(|error| match error {
        ApiError::NotConfigured => "No notes server is configured (api.base_url in config.json), \
             so notes cannot be saved to a server here. Your drafts are still kept on this device."
            .to_owned(),
        other => other.to_string(),
    });
    let client = StoredValue::new_local(client.ok());
    let with_client = move || client.try_get_value().flatten();
    // The list, loaded when there is a server to ask (again on "Try
    // again"); a save puts the saved note in it without asking again.
    // `None` while loading. A signal set by one task per load, lighter in
    // the WebAssembly than a resource and its async-derived machinery.
    let notes = unavailable.is_none().then(|| {
        let list = RwSignal::new(None::<Result<Vec<NoteSummary>, ApiError>>);
        let load = move || {
            let _ = list.try_set(None);
            let client = with_client();
            spawn_local(async move {
                let answer = match client {
                    Some(client) => client.list().await,
                    None => Err(ApiError::NotConfigured),
                };
                let _ = list.try_set(Some(answer));
            });
        };
        load();
        (list, load)
    });
    let open = RwSignal::new(None::<ShownNote>);
    let open_error = RwSignal::new(None::<String>);
    let drafts = RwSignal::new(session.drafts());
    let guard = RwSignal::new(None::<OpenRequest>);
    let nonce = StoredValue::new(0_u64);
    let save_open = SaveOpenNote::use_or_provide();

    let show = move |note: OpenNote| {
        nonce.try_update_value(|n| *n += 1);
        let _ = open_error.try_set(None);
        let _ = open.try_set(Some(ShownNote {
            nonce: nonce.try_get_value().unwrap_or_default(),
            note,
        }));
    };
    // Asks the server for a note, then opens what the model makes of it.
    let opening = RwSignal::new(false);
    let fetch = move |(id, key, draft): Fetch| {
        let client = with_client();
        opening.set(true);
        spawn_local(async move {
            let answer = match client {
                Some(client) => client.get(id).await,
                None => Err(ApiError::NotConfigured),
            };
            let _ = opening.try_set(false);
            match reconcile(key, draft, ServerAnswer::from(answer)) {
                Ok(note) => show(note),
                Err(failure) => {
                    let _ = open_error.try_set(Some(failure.to_string()));
                }
            }
        });
    };
    let take_draft = move |key: &str| -> Option<KeptDraft> {
        let found = drafts.with_untracked(|all| all.iter().find(|d| d.key == key).map(kept));
        if found.is_some() {
            drafts.update(|all| all.retain(|d| d.key != key));
        }
        found
    };
    let do_open = move |request: OpenRequest| match plan_open(request, take_draft) {
        OpenPlan::Show(note) => show(note),
        OpenPlan::Fetch { id, key, draft } => {
            fetch((id, key, draft));
        }
    };
    let open_is_dirty = move || {
        open.with_untracked(|open| {
            open.as_ref().is_some_and(|open| {
                session
                    .unsaved
                    .with_untracked(|keys| keys.contains(&open.note.key))
            })
        })
    };
    let request = move |target: OpenRequest| {
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
        do_open(OpenRequest::New);
    }

    let saver = SaveNote::new(move |fields: NoteFields| {
        let client = with_client();
        Box::pin(async move {
            match client {
                Some(client) => client.save(&fields).await,
                None => Err(ApiError::NotConfigured),
            }
        })
    });
    // A list that failed to load keeps its error and "Try again": one
    // saved note is not the list.
    let on_saved = Callback::new(move |note: Note| {
        if let Some((notes, _)) = notes {
            notes.update(|loaded| {
                if let Some(Ok(list)) = loaded {
                    record_saved(list, &note);
                }
            });
        }
    });
    let open_id = Memo::new(move |_| open.with(|open| open.as_ref().and_then(|o| o.note.id())));

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
                                session_guard::session::Millis(draft.saved_at),
                                wall_clock_now(),
                            );
                            let (label, key) = (draft.label.clone(), draft.key.clone());
                            let reopen = kept(&draft);
                            view! {
                                <li class="draft-row">
                                    <span class="draft-label">{label.clone()}</span>
                                    <span class="draft-saved-at">{format!("kept {saved_at}")}</span>
                                    <button type="button" class="primary restore-draft"
                                        aria-label=format!("Reopen {label}")
                                        on:click=move |_| request(OpenRequest::Draft(reopen.clone()))>
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
                    .map(|o| o.note.label())
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
                            if let Some(key) = open.with_untracked(|o| o.as_ref().map(|o| o.note.key.clone())) {
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

    let list_rows = move |list: &[NoteSummary]| {
        if list.is_empty() {
            return view! { <p class="list-status">"No notes yet."</p> }.into_any();
        }
        let rows = list
            .iter()
            .map(|note| {
                let id = note.id;
                view! {
                    <li>
                        <button
                            type="button"
                            class="note-link"
                            data-note-id=id
                            aria-current=move || (open_id.get() == Some(id)).then_some("true")
                            on:click=move |_| request(OpenRequest::Note(id))
                        >
                            <span class="note-link-title">{title_or_untitled(&note.title)}</span>
                            <span class="note-link-updated">{updated_text(&note.updated_at)}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="notes-list">{rows}</ul> }.into_any()
    };
    let list_view = match (notes, unavailable) {
        (Some((notes, reload)), _) => (move || match notes.get() {
            None => view! { <p class="list-status" role="status">"Loading notes…"</p> }.into_any(),
            Some(Ok(list)) => list_rows(&list),
            Some(Err(error)) => view! {
                <div class="list-status" role="alert">
                    <p>{format!("Notes could not be loaded: {error}.")}</p>
                    <button type="button" class="secondary reload-notes" on:click=move |_| reload()>
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
        })
        .into_any(),
        (None, message) => view! {
            <p class="list-status api-unavailable" role="status">{message}</p>
        }
        .into_any(),
    };

    let saver = StoredValue::new_local(saver);
    let editor = move || match open.get() {
        Some(ShownNote { note, .. }) => {
            let saver = saver.get_value();
            let standing = standing_text(note.standing)
                .map(|text| view! { <p class="open-notice" role="status">{text}</p> });
            view! {
                {standing}
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
                        <button type="button" class="secondary new-note" on:click=move |_| request(OpenRequest::New)>
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
