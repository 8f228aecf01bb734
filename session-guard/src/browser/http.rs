//! HTTP through the browser's `fetch`, with a timeout and cancellation on drop.
//! This is the Cognito client's transport and the JWKS download.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, RequestMode, Response};

use crate::cognito::{CONTENT_TYPE, CognitoTransport, HttpResponse, TARGET_HEADER, TransportError};

/// The Cognito transport for the browser.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl CognitoTransport for FetchTransport {
    async fn post(
        &self,
        url: &str,
        target: &str,
        body: String,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let headers = Headers::new().map_err(network_error)?;
        headers
            .set("Content-Type", CONTENT_TYPE)
            .map_err(network_error)?;
        headers.set(TARGET_HEADER, target).map_err(network_error)?;
        send("POST", url, Some(headers), Some(body), timeout).await
    }
}

/// GETs `url` (e.g. the JWKS) with the given timeout.
pub async fn get(url: &str, timeout: Duration) -> Result<HttpResponse, TransportError> {
    send("GET", url, None, None, timeout).await
}

/// Sends `method url` with `headers` and an optional body: the app's own
/// API calls go through here too, so they get the same timeout and
/// cancellation (dropping the future aborts the request) as Cognito's.
pub async fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    timeout: Duration,
) -> Result<HttpResponse, TransportError> {
    let fetch_headers = Headers::new().map_err(network_error)?;
    for (name, value) in headers {
        fetch_headers.set(name, value).map_err(network_error)?;
    }
    send(method, url, Some(fetch_headers), body, timeout).await
}

/// POSTs a form (`application/x-www-form-urlencoded`, which needs no CORS
/// preflight), e.g. the managed-login code exchange.
#[cfg(any(feature = "managed-login", feature = "testing"))]
pub async fn post_form(
    url: &str,
    body: String,
    timeout: Duration,
) -> Result<HttpResponse, TransportError> {
    let headers = Headers::new().map_err(network_error)?;
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .map_err(network_error)?;
    send("POST", url, Some(headers), Some(body), timeout).await
}

/// Aborts the request when the future that owns it is dropped, which is how
/// a caller cancels (a newer refresh, a sign-out, a closed dialog).
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

async fn send(
    method: &str,
    url: &str,
    headers: Option<Headers>,
    body: Option<String>,
    timeout: Duration,
) -> Result<HttpResponse, TransportError> {
    let window = web_sys::window().ok_or_else(|| TransportError::Network {
        reason: "no browser window".into(),
    })?;
    let controller = AbortController::new().map_err(network_error)?;
    let mut abort_on_drop = AbortOnDrop(Some(controller.clone()));
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        let millis = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        Timeout::new(millis, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let failure = |error: JsValue| {
        if timed_out.get() {
            TransportError::Timeout
        } else {
            network_error(error)
        }
    };

    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&controller.signal()));
    if let Some(headers) = &headers {
        init.set_headers(headers);
    }
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(&failure)?;
    let response: Response = response.dyn_into().map_err(network_error)?;
    let text = JsFuture::from(response.text().map_err(&failure)?)
        .await
        .map_err(&failure)?;
    // Finished: nothing left to abort.
    abort_on_drop.0 = None;
    Ok(HttpResponse::new(
        response.status(),
        text.as_string().unwrap_or_default(),
    ))
}

/// A short description of a failed fetch. The browser's message is kept
/// (e.g. "Failed to fetch"); it never contains the request body.
fn network_error(error: JsValue) -> TransportError {
    let reason = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into());
    TransportError::Network { reason }
}
