//! What every modal dialog here does the same way (WAI-ARIA dialog
//! pattern): remember where focus was, keep Tab inside the dialog, and give
//! focus back when it closes, so the user continues exactly where they were.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;

/// Elements Tab can reach inside a dialog.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]):not([type=hidden]):not([hidden]), \
     textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

thread_local! {
    /// Where focus was outside every dialog when the first of a chain of
    /// dialogs opened (a warning handing over to the re-auth dialog).
    static OUTSIDE_FOCUS: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A document-unique id prefix, so labels and descriptions of two dialogs
/// (or two test mounts) never point at each other.
pub fn unique_id(prefix: &str) -> String {
    NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id + 1);
        format!("{prefix}-{id}")
    })
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|window| window.document())
}

/// The element focus should return to when the dialog opening now closes.
/// If focus is inside another dialog (closing as this one opens), the
/// answer is where that dialog's user was before it.
pub fn capture_focus() -> Option<web_sys::HtmlElement> {
    let active = document()?.active_element()?;
    let in_dialog = active
        .closest("[aria-modal='true']")
        .ok()
        .flatten()
        .is_some();
    if in_dialog {
        return OUTSIDE_FOCUS.with(|outside| outside.borrow().clone());
    }
    let active = active.dyn_into::<web_sys::HtmlElement>().ok();
    OUTSIDE_FOCUS.with(|outside| *outside.borrow_mut() = active.clone());
    active
}

/// Gives focus back (text fields keep their cursor and selection). An
/// element that left the page meanwhile is skipped.
pub fn restore_focus(target: Option<web_sys::HtmlElement>) {
    if let Some(target) = target
        && target.is_connected()
    {
        let _ = target.focus();
    }
}

/// The dialog's focusable elements, in document order.
pub fn focusable_elements(container: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = container.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Keeps Tab and Shift+Tab inside `container`: past the last element focus
/// wraps to the first, before the first to the last.
pub fn trap_tab(container: &web_sys::Element, event: &web_sys::KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let focusables = focusable_elements(container);
    let (Some(first), Some(last)) = (focusables.first(), focusables.last()) else {
        event.prevent_default();
        return;
    };
    let active = document().and_then(|document| document.active_element());
    let inside = active
        .as_ref()
        .is_some_and(|active| container.contains(Some(active.unchecked_ref())));
    let at = |element: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|active| active == element.unchecked_ref::<web_sys::Element>())
    };
    if event.shift_key() {
        if !inside || at(first) {
            event.prevent_default();
            let _ = last.focus();
        }
    } else if !inside || at(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}
