//! One note being edited: title and body, an unsaved-changes marker, save
//! to the notes API, and the work registered with `use_unsaved_work` so it
//! is autosaved as a draft, flushed before any sign-out the app decides on,
//! and guarded by `beforeunload`.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiError, Note};
use crate::browser::use_unsaved_work;

pub use crate::notes::NoteFields;
use crate::notes::SaveFailure;

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

/// Lets the shell ask the open editor to save ("Save and sign out").
#[derive(Clone, Copy)]
pub struct SaveOpenNote(
    StoredValue<Option<Rc<dyn Fn() -> Pin<Box<dyn Future<Output = bool>>>>>, LocalStorage>,
);

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
    let title = RwSignal::new(start.title.clone());
    let body = RwSignal::new(start.body.clone());
    let saved_title = RwSignal::new(saved.title.clone());
    let saved_body = RwSignal::new(saved.body.clone());
    let saving = RwSignal::new(false);
    let problem = RwSignal::new(None::<SaveFailure>);
    let saved_once = RwSignal::new(false);

    let fields = move || NoteFields {
        id: id.get(),
        version: version.get(),
        title: title.get(),
        body: body.get(),
    };
    let label = Signal::derive(move || {
        title.with(|t| {
            NoteFields {
                title: t.clone(),
                ..NoteFields::default()
            }
            .label()
        })
    });
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

    let run_save: Rc<dyn Fn() -> Pin<Box<dyn Future<Output = bool>>>> = Rc::new(move || {
        let save = save.clone();
        Box::pin(async move {
            if saving.get_untracked() {
                return false;
            }
            if !dirty.get_untracked() && id.get_untracked().is_some() {
                return true;
            }
            let sent = fields_untracked(id, version, title, body);
            saving.set(true);
            problem.set(None);
            let result = save.call(sent.clone()).await;
            let _ = saving.try_set(false);
            match result {
                Ok(note) => {
                    // What the server has now; typing during the save stays unsaved.
                    let _ = saved_title.try_set(note.title.clone());
                    let _ = saved_body.try_set(note.body.clone());
                    let _ = id.try_set(Some(note.id));
                    let _ = version.try_set(Some(note.version));
                    let _ = saved_once.try_set(true);
                    if let Some(on_saved) = on_saved {
                        on_saved.run(note);
                    }
                    true
                }
                Err(error) => {
                    let _ = problem.try_set(Some(SaveFailure::from(error)));
                    false
                }
            }
        })
    });
    let hook = use_context::<SaveOpenNote>();
    if let Some(hook) = hook {
        hook.0.set_value(Some(run_save.clone()));
    }
    on_cleanup(move || {
        if let Some(hook) = hook {
            hook.0.try_set_value(None);
        }
    });
    let run_save = StoredValue::new_local(run_save);
    let save_now = move || {
        if let Some(save) = run_save.try_get_value() {
            spawn_local(async move {
                save().await;
            });
        }
    };
    let overwrite = move |conflict: &crate::notes::NoteConflict| {
        let theirs = conflict.overwrite_with(&fields_untracked(id, version, title, body));
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
