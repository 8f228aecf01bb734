//! The seam between the Cognito client and whatever carries HTTP.
//!
//! The browser implements [`CognitoTransport`] with `fetch` (in `src/browser/`);
//! native tests implement it with a fake that records requests. Keeping HTTP
//! out of this module is what lets every protocol rule be tested natively.

use std::fmt;
use std::future::Future;
use std::time::Duration;

/// `Content-Type` of every Cognito Identity Provider call.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Name of the header that carries the action (`AWSCognitoIdentityProviderService.<Action>`).
pub const TARGET_HEADER: &str = "X-Amz-Target";

/// What came back from the server. Only status and body: Cognito's error
/// headers are not exposed cross-origin, so the error type is read from the body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// A response of `status` with `body`.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
        }
    }

    /// 2xx: the body is the action's answer, not an error document.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The body of a successful sign-in holds tokens, so it is never printed.
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Why no HTTP answer arrived. None of these says anything about the
/// credentials, so the session core retries them instead of signing out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The request could not be sent or the connection broke (offline, DNS,
    /// CORS refusal). `reason` is the transport's own short description and
    /// never contains the request body.
    #[error("the network request failed ({reason})")]
    Network {
        /// The transport's description of the failure.
        reason: String,
    },
    /// No answer within the timeout handed to the transport.
    #[error("the server did not answer in time")]
    Timeout,
    /// The caller aborted the request (page hidden, user signed out, newer refresh).
    #[error("the request was cancelled")]
    Cancelled,
}

/// Sends one Cognito JSON API call.
///
/// An implementation must POST `body` to `url` with the headers
/// `Content-Type: application/x-amz-json-1.1` ([`CONTENT_TYPE`]) and
/// `X-Amz-Target: <target>` ([`TARGET_HEADER`]), give up after `timeout`
/// with [`TransportError::Timeout`] (in the browser: an `AbortController`
/// aborted by a timer), and return any HTTP status with its body, including
/// 4xx/5xx: mapping them is the client's job. Dropping the returned future
/// should abort the request and is how callers cancel.
///
/// No `Send` bound: the browser is single-threaded and `fetch` futures are not `Send`.
pub trait CognitoTransport {
    /// POSTs `body` to `url` with `target` as `X-Amz-Target`, giving up
    /// after `timeout`.
    fn post(
        &self,
        url: &str,
        target: &str,
        body: String,
        timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}
