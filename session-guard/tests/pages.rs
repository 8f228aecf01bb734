//! Browser tests (wasm-bindgen-test in headless Chromium): the app's pages
//! mount and render what the configuration says.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use session_guard::components::{ConfigErrorPage, SignInPage};
use session_guard::config::AppConfig;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_Test123","client_id":"abc123","refresh_token_validity":"30d"}}"#;

/// Mounts a view into a fresh container and returns the container.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    std::mem::forget(handle);
    container
}

fn text_of(container: &web_sys::HtmlElement, selector: &str) -> String {
    container
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} not rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn sign_in_page_shows_the_pool_and_the_form() {
    let config = AppConfig::from_json(CONFIG).unwrap();
    let container = mount(move || view! { <SignInPage config/> });
    assert_eq!(text_of(&container, "h1"), "Sign in");
    assert_eq!(
        text_of(&container, ".pool-id"),
        "eu-west-1_Test123 (eu-west-1)"
    );
    assert!(
        container
            .query_selector("input#email[type=email]")
            .unwrap()
            .is_some()
    );
    assert!(
        container
            .query_selector("input#password[type=password]")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
fn config_error_page_names_field_problem_and_fix() {
    let error = AppConfig::from_json(r#"{"cognito":{"region":"eu-west-1"}}"#).unwrap_err();
    let container = mount(move || view! { <ConfigErrorPage error/> });
    assert_eq!(
        text_of(&container, ".config-error-field"),
        "cognito.user_pool_id"
    );
    assert_eq!(text_of(&container, ".config-error-problem"), "is missing");
    assert!(text_of(&container, ".config-error-fix").contains("user pool id"));
    let main = container.query_selector("main").unwrap().unwrap();
    assert_eq!(main.get_attribute("role").as_deref(), Some("alert"));
}

#[wasm_bindgen_test]
async fn a_missing_config_file_is_a_config_error_not_a_crash() {
    let error = session_guard::browser::load_config_from("/no-such-config.json")
        .await
        .unwrap_err();
    assert_eq!(error.field, "config.json");
    assert!(error.problem.contains("HTTP 404"), "{}", error.problem);
    assert!(error.fix.contains("config.example.json"));
}
