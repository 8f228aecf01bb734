//! The parts the app's forms share, each built by one function so the
//! WebAssembly holds them once: where a form says what went wrong, and its
//! submit button.

use leptos::prelude::*;

/// Where a form says what went wrong: a live region (`role="alert"`) that
/// the form's fields name in `aria-describedby`, empty while all is well.
pub(super) fn error_area(id: &'static str, message: Signal<Option<String>>) -> AnyView {
    view! {
        <div class="form-error" id=id role="alert">
            {move || message.get().map(|text| view! { <p class="sign-in-error">{text}</p> })}
        </div>
    }
    .into_any()
}

/// A form's submit button (`class` beside `primary`): disabled, and saying
/// `busy` instead of `idle`, while the form's request is pending.
pub(super) fn submit_button(
    class: &'static str,
    pending: Signal<bool>,
    idle: &'static str,
    busy: &'static str,
) -> AnyView {
    view! {
        <button type="submit" class=class disabled=move || pending.get()>
            {move || if pending.get() { busy } else { idle }}
        </button>
    }
    .into_any()
}
