//! Fetches `config.json` at start and turns every way it can fail into a
//! `ConfigError` the error page can show: the app never starts blank.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

use crate::config::{AppConfig, ConfigError};

/// Where the app expects its runtime configuration: next to index.html.
pub const CONFIG_URL: &str = "config.json";

/// Loads and validates the configuration from [`CONFIG_URL`].
pub async fn load_config() -> Result<AppConfig, ConfigError> {
    load_config_from(CONFIG_URL).await
}

/// Loads and validates the configuration from `url` (tests point it elsewhere).
pub async fn load_config_from(url: &str) -> Result<AppConfig, ConfigError> {
    let text = fetch_text(url).await?;
    let config = AppConfig::from_json(&text)?;
    for note in &config.notes {
        web_sys::console::info_1(&format!("Session Guard config: {note}").into());
    }
    Ok(config)
}

fn unreachable_config(url: &str, problem: String) -> ConfigError {
    ConfigError::new(
        "config.json",
        problem,
        format!(
            "Deploy config.json next to index.html (it is read from \"{url}\"); copy config.example.json and fill it in."
        ),
    )
}

async fn fetch_text(url: &str) -> Result<String, ConfigError> {
    let window = web_sys::window().ok_or_else(|| {
        unreachable_config(url, "cannot be loaded outside a browser window".into())
    })?;
    let init = RequestInit::new();
    // A stale cached config after a redeploy would point at the wrong pool:
    // "no-cache" always asks the server (a cheap 304 when unchanged) and,
    // unlike "no-store", lets the fetch use the page's preload of it.
    init.set_cache(RequestCache::NoCache);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| {
            unreachable_config(
                url,
                "could not be loaded (the server did not answer)".into(),
            )
        })?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| unreachable_config(url, "could not be loaded (unexpected answer)".into()))?;
    if !response.ok() {
        return Err(unreachable_config(
            url,
            format!("could not be loaded (HTTP {})", response.status()),
        ));
    }
    let body = response
        .text()
        .map_err(|_| unreachable_config(url, "could not be read".into()))?;
    let body = JsFuture::from(body).await.map_err(|_| {
        unreachable_config(url, "could not be read (the download broke off)".into())
    })?;
    body.as_string()
        .ok_or_else(|| unreachable_config(url, "is not text".into()))
}
