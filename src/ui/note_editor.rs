//! One note being edited: title and body, an unsaved-changes marker, save
//! to the notes API through an `Action`, and the work registered with
//! `use_unsaved_work` so it is autosaved as a draft, flushed before any
//! sign-out the app decides on, and guarded by `beforeunload`. What a save
//! sends and what a conflict carries is the notes model's (`crate::notes`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_channel::oneshot;
use leptos::prelude::*;

pub use crate::notes::NoteFields;
use crate::notes::{NoteConflict, SaveFailure};
use crate::notes_client::Note;
use session_guard::api::ApiError;
use session_guard::browser::use_unsaved_work;

/// The future a save returns.
pub type SaveFuture = Pin<Box<dyn Future<Output = Result<Note, ApiError>>>>;

/// How the editor saves: create (no id) or update (with the base version).
/// The workspace passes the notes API; tests pass a stand-in.
#[derive(Clone)]
pub struct SaveNote(Rc<dyn Fn(NoteFields) -> SaveFuture>);

impl SaveNote {
    pub fn new(save: impl Fn(NoteFields) -> SaveFuture + 'static) -> Self {
        SaveNote(Rc::new(save))
    }

    fn call(&self, fields: NoteFields) -> SaveFuture {
        (self.0)(fields)
    }
}

type SaveHook = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = bool>>>>;

/// Lets the shell ask the open editor to save ("Save and sign out").
#[derive(Clone, Copy)]
pub struct SaveOpenNote(StoredValue<Option<SaveHook>, LocalStorage>);

impl SaveOpenNote {
    pub fn provide() -> Self {
        let hook = SaveOpenNote(StoredValue::new_local(None));
        provide_context(hook);
        hook
    }

    /// The one provided above (the shell's, which "Save and sign out"
    /// asks), else a new one: a second provider below the shell would take
    /// the editor's registration away from the shell.
    pub fn use_or_provide() -> Self {
        use_context::<SaveOpenNote>().unwrap_or_else(Self::provide)
    }

    /// Saves the open note if it has unsaved changes; `true` when nothing is left unsaved.
    pub async fn save(self) -> bool {
        let save = self.0.try_get_value().flatten();
        match save {
            Some(save) => save().await,
            None => true,
        }
    }
}

/// One dispatch of the save action: what is sent, and who waits for the
/// outcome (`true` once saved).
struct SaveRun {
    fields: NoteFields,
    reply: Cell<Option<oneshot::Sender<bool>>>,
}

/// The editor. `draft_key` names the draft (`note:42`, `note:new`), `saved`
/// is what the server has, `working` (a restored draft) what to start from.
#[component]
pub fn NoteEditor(
    draft_key: String,
    saved: NoteFields,
    #[prop(optional_no_strip)] working: Option<NoteFields>,
    save: SaveNote,
    /// Told about every successful save (the list shows the new title).
    #[prop(optional, into)]
    on_saved: Option<Callback<Note>>,
) -> impl IntoView {
    let start = working.unwrap_or_else(|| saved.clone());
    let id = RwSignal::new(start.id.or(saved.id));
    let version = RwSignal::new(start.version);
    let title = RwSignal::new(start.title);
    let body = RwSignal::new(start.body);
    let saved_title = RwSignal::new(saved.title);
    let saved_body = RwSignal::new(saved.body);
    let saved_once = RwSignal::new(false);

    let fields = move || NoteFields {
        id: id.get(),
        version: version.get(),
        title: title.get(),
        body: body.get(),
    };
    let label = Signal::derive(move || crate::notes::title_or_untitled(&title.read()));
    let value = Signal::derive(move || fields().to_draft());
    let saved_value = Signal::derive(move || {
        NoteFields {
            id: id.get(),
            version: version.get(),
            title: saved_title.get(),
            body: saved_body.get(),
        }
        .to_draft()
    });
    let work = use_unsaved_work(draft_key, label, value, saved_value);
    let dirty = work.dirty;
    let draft_problem = work.draft_problem;

    // The save itself; its pending state and last failure are the action's.
    // Held in a stored value so that a late call after the editor closed
    // finds nothing instead of a disposed action.
    let save_action = ArcAction::new_unsync(move |run: &SaveRun| {
        let (save, sent, reply) = (save.clone(), run.fields.clone(), run.reply.take());
        async move {
            let failure = match save.call(sent).await {
                Ok(note) => {
                    // What the server has now; typing during the save stays unsaved.
                    let _ = saved_title.try_set(note.title.clone());
                    let _ = saved_body.try_set(note.body.clone());
                    let _ = id.try_set(Some(note.id));
                    let _ = version.try_set(Some(note.version));
                    let _ = saved_once.try_set(true);
                    if let Some(on_saved) = on_saved {
                        let _ = on_saved.try_run(note);
                    }
                    None
                }
                Err(error) => Some(SaveFailure::from(error)),
            };
            if let Some(reply) = reply {
                let _ = reply.send(failure.is_none());
            }
            failure
        }
    });
    let saving = Memo::from(save_action.pending());
    let last_failure = MappedSignal::from(save_action.value());
    let save_action = StoredValue::new_local(save_action);
    let problem = Memo::new(move |_| {
        if saving.get() {
            None
        } else {
            last_failure.get().flatten()
        }
    });

    // Starts a save of the fields as they are; `reply` hears the outcome.
    // `false` at once when one is already under way.
    let start_save = move |reply: Option<oneshot::Sender<bool>>| -> bool {
        if saving.try_get_untracked().unwrap_or(true) {
            return false;
        }
        let run = SaveRun {
            fields: fields_untracked(id, version, title, body),
            reply: Cell::new(reply),
        };
        save_action
            .try_with_value(|action| action.dispatch_local(run))
            .is_some()
    };
    let nothing_to_save = move || !dirty.get_untracked() && id.get_untracked().is_some();
    let hook: SaveHook = Rc::new(move || {
        if nothing_to_save() {
            return Box::pin(std::future::ready(true));
        }
        let (reply, outcome) = oneshot::channel();
        if !start_save(Some(reply)) {
            return Box::pin(std::future::ready(false));
        }
        Box::pin(async move { outcome.await.unwrap_or(false) })
    });
    let provided = use_context::<SaveOpenNote>();
    if let Some(provided) = provided {
        provided.0.set_value(Some(hook));
    }
    on_cleanup(move || {
        if let Some(provided) = provided {
            provided.0.try_set_value(None);
        }
    });
    let save_now = move || {
        if !nothing_to_save() {
            start_save(None);
        }
    };
    let overwrite = move |conflict: &NoteConflict| {
        let mine = fields_untracked(id, version, title, body);
        let theirs = conflict.overwrite_with(&mine);
        id.set(theirs.id);
        version.set(theirs.version);
        save_now();
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("s") {
            event.prevent_default();
            save_now();
        }
    };

    view! {
        <form
            class="note-editor"
            aria-label="Note editor"
            on:submit=move |event| {
                event.prevent_default();
                save_now();
            }
            on:keydown=on_keydown
        >
            <label class="visually-hidden" for="note-title">"Title"</label>
            <input
                id="note-title"
                class="note-title"
                type="text"
                placeholder="Title"
                autocomplete="off"
                prop:value=move || title.get()
                on:input=move |event| title.set(event_target_value(&event))
            />
            <label class="visually-hidden" for="note-body">"Note"</label>
            <textarea
                id="note-body"
                class="note-body"
                placeholder="Write here. Your work is kept even if your session ends."
                prop:value=move || body.get()
                on:input=move |event| body.set(event_target_value(&event))
            ></textarea>
            <div class="editor-footer">
                <span class="save-state" aria-live="polite">
                    {move || {
                        if saving.get() {
                            view! { <span class="saving-marker">"Saving…"</span> }.into_any()
                        } else if dirty.get() {
                            view! {
                                <span class="unsaved-marker" title="Kept as a draft on this device until you save">
                                    "Unsaved changes"
                                </span>
                            }
                                .into_any()
                        } else if saved_once.get() {
                            view! { <span class="saved-marker">"Saved"</span> }.into_any()
                        } else {
                            ().into_any()
                        }
                    }}
                </span>
                <button type="submit" class="primary save-note" disabled=move || saving.get()>
                    "Save"
                </button>
            </div>
            // Polite: it must be noticed, but never interrupt typing.
            <p class="draft-status" role="status">
                {move || draft_problem.get().map(|problem| problem.to_string())}
            </p>
            {move || {
                problem
                    .get()
                    .map(|problem| match problem {
                        SaveFailure::Failed(message) => {
                            view! {
                                <p class="form-error save-error" role="alert">
                                    {format!("Not saved: {message}.")}
                                </p>
                            }
                                .into_any()
                        }
                        SaveFailure::Conflict(conflict) => {
                            view! {
                                <div class="form-error save-conflict" role="alert">
                                    <p>
                                        "Someone else changed this note since you opened it. Your text is still here."
                                    </p>
                                    <button type="button" class="secondary overwrite" on:click=move |_| overwrite(&conflict)>
                                        "Save mine over theirs"
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </form>
    }
}

fn fields_untracked(
    id: RwSignal<Option<u64>>,
    version: RwSignal<Option<u64>>,
    title: RwSignal<String>,
    body: RwSignal<String>,
) -> NoteFields {
    NoteFields {
        id: id.get_untracked(),
        version: version.get_untracked(),
        title: title.get_untracked(),
        body: body.get_untracked(),
    }
}
