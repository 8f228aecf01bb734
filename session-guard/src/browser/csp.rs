//! Narrows the page's Content-Security-Policy to this deployment's
//! endpoints once `config.json` is known.
//!
//! `index.html` carries a static policy that allows the app itself and
//! connections to loopback (emulators, the local notes API) and AWS; the
//! exact Cognito endpoint, JWKS host and API come from `config.json` at run
//! time. A second policy can only narrow the first (a request must satisfy
//! every policy), so adding one here, right after the configuration loads
//! and before any other request, limits `connect-src` to exactly what the
//! configuration names.

use crate::config::AppConfig;

/// `scheme://host:port` of a URL, or `None` if it does not parse.
fn origin(url: &str) -> Option<String> {
    let origin = web_sys::Url::new(url).ok()?.origin();
    (origin != "null").then_some(origin)
}

/// The `connect-src` sources the configuration needs: the page itself
/// (`config.json`), Cognito, the signing keys, the managed login domain
/// (its token endpoint) and the notes API.
pub fn connect_sources(config: &AppConfig) -> Vec<String> {
    let mut sources = vec!["'self'".to_owned()];
    let urls = [
        Some(config.cognito.endpoint_url()),
        Some(config.cognito.jwks_url()),
        config
            .cognito
            .managed_login
            .as_ref()
            .map(|login| login.domain.clone()),
        config.api.base_url.clone(),
    ];
    for url in urls.into_iter().flatten() {
        if let Some(origin) = origin(&url)
            && !sources.contains(&origin)
        {
            sources.push(origin);
        }
    }
    sources
}

/// Adds `<meta http-equiv="Content-Security-Policy" content="connect-src …">`
/// to the document head (once).
pub fn narrow_connect_src(config: &AppConfig) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(head) = document.head() else { return };
    if document
        .query_selector("meta[data-csp=runtime]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let Ok(meta) = document.create_element("meta") else {
        return;
    };
    let policy = format!("connect-src {}", connect_sources(config).join(" "));
    let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
    let _ = meta.set_attribute("content", &policy);
    let _ = meta.set_attribute("data-csp", "runtime");
    let _ = head.append_child(&meta);
}
