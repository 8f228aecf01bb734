//! The authorized HTTP client every call to the app's own API goes through.

use std::time::Duration;

use crate::browser::{SessionContext, SessionDriver, SessionUnavailable, request};
use crate::cognito::TransportError;
use crate::config::ApiToken;
use crate::json::{FromJson, Json, JsonError};
use crate::session::TokenSet;

/// A token must stay valid at least this long to be sent; closer to expiry
/// the call waits for the refresh the core has already started.
const MIN_VALIDITY: Duration = Duration::from_secs(5);
/// How long a call waits for the session to be renewed before giving up.
const RENEWAL_LIMIT: Duration = Duration::from_secs(15);

/// Why an API call failed. The caller's data is never touched by a failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// No token could be sent: signed out, waiting for re-authentication, or
    /// the renewal timed out (the message says which).
    #[error("{0}")]
    Session(#[from] SessionUnavailable),
    /// The API answered 401 twice, before and after a refresh: its verifier
    /// does not accept this pool's tokens (check its pool, client id and token
    /// kind), or the user lost access.
    #[error("the server refused your session even after renewing it; sign in again")]
    Unauthorized,
    /// HTTP 404.
    #[error("not found")]
    NotFound,
    /// The server has a newer version (HTTP 409). `body` is its answer as
    /// sent, for the app to read the server's copy from.
    #[error("someone else changed this in the meantime")]
    Conflict {
        /// The server's answer, as sent.
        body: String,
    },
    /// HTTP 400, 413 or 422: the server refused the request; holds its
    /// `message`, or "the request was refused".
    #[error("{0}")]
    Invalid(String),
    /// The API could not be reached (offline, DNS, CORS); holds the reason.
    #[error("the server could not be reached ({0}); your work is kept, try again")]
    Network(String),
    /// No answer within `api.request_timeout`.
    #[error("the server did not answer in time; your work is kept, try again")]
    Timeout,
    /// Any other error status (5xx and the rest); holds it.
    #[error("the server had a problem (HTTP {0}); your work is kept, try again")]
    Server(u16),
    /// An answer the app could not read: for the app's own decoding of
    /// [`ApiResponse::body`], which the client itself never parses on success.
    #[error("the server sent an answer this app cannot read")]
    Malformed,
    /// The configuration names no API (`api.base_url`).
    #[error("no API is configured (api.base_url in config.json)")]
    NotConfigured,
}

/// An error answer: `{"message": …}`, optional.
struct ErrorBody {
    message: String,
}

impl FromJson for ErrorBody {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = value.object_or_err()?;
        Ok(Self {
            message: o.field_or_default("message")?,
        })
    }
}

/// An answer from the API: status and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    /// The HTTP status (2xx once returned by [`AuthorizedClient::send`]).
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// Sends requests to the configured API (`api.base_url`) with
/// `Authorization: Bearer` and the configured token (`api.token`: the ID
/// token unless it says `access`).
///
/// Never sends an expired token: closer than 5 s to expiry it waits (up to
/// 15 s) for the refresh the session starts, and on a 401 it refreshes once
/// and retries once. Failures leave the caller's data alone; show the
/// [`ApiError`]'s message and let the user retry.
///
/// ```no_run
/// use session_guard::api::{ApiError, AuthorizedClient};
/// use session_guard::browser::SessionContext;
///
/// // `session` from `use_session()` in the component that saves.
/// async fn save_note(session: SessionContext, id: &str, text: &str) -> Result<(), ApiError> {
///     let client = AuthorizedClient::new(&session).ok_or(ApiError::NotConfigured)?;
///     let body = session_guard::json::to_string(text);
///     client.send("PUT", &format!("/notes/{id}"), Some(body.as_str())).await?;
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct AuthorizedClient {
    driver: SessionDriver,
    base_url: String,
    token: ApiToken,
    timeout: Duration,
}

impl AuthorizedClient {
    /// A client for the session's configured API; `None` when the
    /// configuration names no API.
    pub fn new(session: &SessionContext) -> Option<Self> {
        Self::for_driver(session.driver())
    }

    pub(crate) fn for_driver(driver: SessionDriver) -> Option<Self> {
        let api = driver.config().api.clone();
        Some(Self {
            base_url: api.base_url?,
            token: api.token,
            timeout: api.request_timeout,
            driver,
        })
    }

    /// Sends `method path` with an optional JSON body. Waits for a refresh
    /// under way when the token is about to expire (concurrent calls share
    /// that one refresh); on a 401 it refreshes once and retries once.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<ApiResponse, ApiError> {
        let tokens = self
            .driver
            .fresh_tokens(MIN_VALIDITY, RENEWAL_LIMIT)
            .await?;
        let response = self.send_with(&tokens, method, path, body).await?;
        if response.status != 401 {
            return check(response);
        }
        let renewed = self
            .driver
            .tokens_after_rejection(&tokens, RENEWAL_LIMIT)
            .await?;
        let retried = self.send_with(&renewed, method, path, body).await?;
        if retried.status == 401 {
            return Err(ApiError::Unauthorized);
        }
        check(retried)
    }

    async fn send_with(
        &self,
        tokens: &TokenSet,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<ApiResponse, ApiError> {
        let token = match self.token {
            ApiToken::Id => &tokens.id_token,
            ApiToken::Access => &tokens.access_token,
        };
        let authorization = format!("Bearer {}", token.expose());
        let mut headers = vec![("Authorization", authorization.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let url = format!("{}{path}", self.base_url);
        let response = request(
            method,
            &url,
            &headers,
            body.map(str::to_owned),
            self.timeout,
        )
        .await
        .map_err(|error| match error {
            TransportError::Timeout => ApiError::Timeout,
            TransportError::Network { reason } => ApiError::Network(reason),
            TransportError::Cancelled => ApiError::Network("the request was cancelled".into()),
        })?;
        Ok(ApiResponse {
            status: response.status,
            body: response.body,
        })
    }
}

fn check(response: ApiResponse) -> Result<ApiResponse, ApiError> {
    let error = || crate::json::from_str::<ErrorBody>(&response.body).ok();
    match response.status {
        200..=299 => Ok(response),
        404 => Err(ApiError::NotFound),
        409 => Err(ApiError::Conflict {
            body: response.body,
        }),
        // The server's reason when it gave one; an empty, `null` or
        // unreadable reason still says what happened.
        400 | 413 | 422 => Err(ApiError::Invalid(
            error()
                .map(|e| e.message)
                .filter(|message| !message.trim().is_empty())
                .unwrap_or_else(|| "the request was refused".into()),
        )),
        status => Err(ApiError::Server(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn refusal(body: &str) -> ApiError {
        let response = ApiResponse {
            status: 400,
            body: body.to_owned(),
        };
        check(response).expect_err("a 400 is an error")
    }

    #[wasm_bindgen_test]
    fn a_refused_request_says_the_servers_reason_or_that_it_was_refused() {
        assert_eq!(
            refusal(r#"{"message": "the title is too long"}"#),
            ApiError::Invalid("the title is too long".into())
        );
        for no_reason in [
            r#"{"message": null}"#,
            r#"{"message": "  "}"#,
            "{}",
            "not JSON",
            "",
        ] {
            assert_eq!(
                refusal(no_reason),
                ApiError::Invalid("the request was refused".into()),
                "{no_reason}"
            );
        }
    }
}
