//! Mounting views and acting on them as a user would, for the browser
//! tests of components (included through `support`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::sleep;
use session_guard::config::AppConfig;
use session_guard::session::Millis;
use session_guard::testing::{Clock, DriverOptions};

/// A mounted view, unmounted (and its cleanups run) when dropped.
pub struct Mounted {
    pub container: web_sys::HtmlElement,
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.container.remove();
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view into a fresh container.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), move || view().into_any());
    Mounted {
        container,
        handle: Some(handle),
    }
}

impl Mounted {
    pub fn find(&self, selector: &str) -> Option<web_sys::HtmlElement> {
        self.container
            .query_selector(selector)
            .unwrap()
            .map(|element| element.unchecked_into())
    }

    pub fn get(&self, selector: &str) -> web_sys::HtmlElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("{selector} not rendered"))
    }

    pub fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.container
            .query_selector_all(selector)
            .unwrap()
            .length()
    }
}

/// Lets reactive updates reach the DOM (Leptos applies them asynchronously).
pub async fn tick() {
    sleep(10).await;
}

pub fn active_element() -> Option<web_sys::Element> {
    document().active_element()
}

pub fn is_active(element: &web_sys::HtmlElement) -> bool {
    active_element().is_some_and(|active| &active == element.unchecked_ref::<web_sys::Element>())
}

pub fn press(target: &web_sys::HtmlElement, key: &str, shift: bool) -> web_sys::KeyboardEvent {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    event
}

/// Types into an input or textarea the way a user would (value, then `input`).
pub fn type_into(element: &web_sys::HtmlElement, text: &str) {
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(text);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    element
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// A manual clock and a channel of the test's own, without the page's listeners.
pub fn manual_options(clock: &Clock) -> DriverOptions {
    DriverOptions {
        clock: clock.clone(),
        channel_name: format!("sg-ui-test-{}", (js_sys::Math::random() * 1e12) as u64),
        listen_to_page: false,
    }
}

/// A fixed start for manual clocks.
pub const NOW: Millis = Millis(1_750_000_000_000);

/// A pool that signs in by password (no emulator needed to render).
pub const CONFIG: &str = r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_Test123","client_id":"uitest123","refresh_token_validity":"30d"}}"#;

/// The seeded cognito-local pool, under the protective policy, tokens in session storage.
pub fn protective_emulator_config() -> AppConfig {
    super::emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |value| {
            value["session"]["preset"] = "protective".into();
            value["storage"] = "session".into();
        },
    )
}
