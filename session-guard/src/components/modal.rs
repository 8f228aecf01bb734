//! The one modal dialog both dialogs here are built on (WAI-ARIA dialog
//! and alertdialog patterns): a backdrop, the role with `aria-modal`,
//! labelled by its title and described by its description, focus taken
//! from the page on open and given back on close, Tab kept inside, and
//! Escape handled by the dialog (never by the page behind it). Where focus
//! goes first is the dialog's own choice (its primary action, or a field).

use leptos::html;
use leptos::prelude::*;

use crate::browser::{capture_focus, restore_focus, trap_tab, unique_id};

/// The ids that tie a dialog to its title and description, unique in the
/// document so two dialogs (or two test mounts) never point at each other.
/// A dialog's fields may point at the description too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogLabels {
    pub title: String,
    pub description: String,
}

impl DialogLabels {
    /// `warning` gives `warning-title-N` and `warning-description-N`.
    pub fn new(prefix: &str) -> Self {
        DialogLabels {
            title: unique_id(&format!("{prefix}-title")),
            description: unique_id(&format!("{prefix}-description")),
        }
    }
}

/// How a modal dialog presents itself. `role` is `dialog` or
/// `alertdialog`; `class` the dialog element's classes; `blocking` marks a
/// backdrop with no way around it; `kind` is set as `data-kind`.
/// `on_escape` is what Escape does (the safe choice); without it Escape
/// does nothing, and still never reaches the page.
pub struct ModalFrame {
    pub role: &'static str,
    pub class: &'static str,
    pub labels: DialogLabels,
    pub title: &'static str,
    pub description: Signal<String>,
    pub kind: Option<&'static str>,
    pub blocking: bool,
    pub on_escape: Option<Callback<()>>,
}

/// A modal dialog over the page: `frame` around `content`. A plain
/// function rather than a `#[component]`: the dialogs call it from their
/// own component, so it adds no component boundary (nor its code) of its own.
pub fn modal(frame: ModalFrame, content: impl IntoView) -> impl IntoView {
    let ModalFrame {
        role,
        class,
        labels,
        title,
        description,
        kind,
        blocking,
        on_escape,
    } = frame;
    let (dialog_ref, on_keydown) = modal_behaviour(on_escape);
    let (labelled_by, described_by) = (labels.title.clone(), labels.description.clone());

    view! {
        <div class="modal-backdrop" class:blocking=blocking>
            <div
                class=class
                role=role
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                data-kind=kind
                node_ref=dialog_ref
                on:keydown=on_keydown
            >
                <h2 id=labels.title>{title}</h2>
                <p id=labels.description>{description}</p>
                {content}
            </div>
        </div>
    }
}

/// What every modal does whatever its content (kept out of the generic
/// component so it exists once): focus taken now and given back when the
/// dialog closes, Tab kept inside the dialog, Escape handled here.
fn modal_behaviour(
    on_escape: Option<Callback<()>>,
) -> (
    NodeRef<html::Div>,
    impl Fn(web_sys::KeyboardEvent) + Copy + 'static,
) {
    let previous = StoredValue::new_local(capture_focus());
    on_cleanup(move || {
        previous.try_update_value(|previous| restore_focus(previous.take()));
    });
    let dialog_ref = NodeRef::<html::Div>::new();
    let on_keydown = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            event.stop_propagation();
            if let Some(escape) = on_escape {
                escape.run(());
            }
        }
        "Tab" => {
            if let Some(dialog) = dialog_ref.get() {
                trap_tab(&dialog, &event);
            }
        }
        _ => {}
    };
    (dialog_ref, on_keydown)
}
