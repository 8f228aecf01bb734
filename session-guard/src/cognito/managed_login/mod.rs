//! Managed login (Cognito's Hosted UI): the OAuth 2.0 authorization code
//! flow with PKCE, as pure functions the browser driver calls.
//!
//! The round trip, and what each step checks:
//! 1. [`PendingLogin::new`] makes a fresh PKCE verifier, `state` and `nonce`
//!    from the browser's CSPRNG; the driver keeps them in this tab's
//!    `sessionStorage` (so the answer is bound to the tab that asked) and
//!    navigates to [`ManagedLogin::authorize_url`].
//! 2. Cognito redirects back with `?code=…&state=…` or `?error=…`;
//!    [`CallbackAnswer::parse`] reads the query (hostile input never panics)
//!    and [`PendingLogin::accept`] checks `state` against the pending login
//!    (taken once: a replayed answer finds none) and its age.
//! 3. The code is exchanged at `/oauth2/token` with the verifier
//!    ([`ManagedLogin::token_request_body`]); [`parse_token_answer`] reads
//!    the answer, and the ID token's `nonce` is checked ([`NonceRule`]).
//! 4. Sign-out ends the managed-login session too ([`ManagedLogin::logout_url`]).

mod pkce;
pub mod url;

pub use pkce::{Pkce, VERIFIER_BYTES};

use base64ct::{Base64UrlUnpadded, Encoding};

use crate::json::{FromJson, Json, JsonError, ToJson};

use super::untrusted_text::excerpt;
use super::{IssuedTokens, Secret};

/// Random bytes behind `state` and `nonce` each (128 bits).
pub const STATE_BYTES: usize = 16;

/// A pending login older than this is refused on return: the user left the
/// managed login page open for too long, or an old answer is replayed.
pub const MAX_PENDING_AGE_MS: i64 = 15 * 60 * 1000;

/// Scopes asked for when the config names none.
pub const DEFAULT_SCOPES: &[&str] = &["openid", "email", "profile"];

/// The scope "Sign out everywhere" (GlobalSignOut) needs in the access token.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// How strictly the ID token's `nonce` is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonceRule {
    /// Real Cognito echoes the `nonce` of the authorization request in the
    /// ID token: it must be there and equal.
    Required,
    /// cognito-local 5.3.0 does not put `nonce` in its ID tokens: against an
    /// overridden endpoint a missing nonce is accepted, a wrong one is not.
    IfPresent,
}

/// A pool's managed login, from `config.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedLogin {
    /// `https://<prefix>.auth.<region>.amazoncognito.com` or a custom
    /// domain, without a trailing slash.
    pub domain: String,
    /// Where Cognito sends the answer: one of the app client's callback URLs.
    pub redirect_uri: String,
    /// Where Cognito's `/logout` returns to: one of the sign-out URLs.
    pub logout_uri: String,
    pub scopes: Vec<String>,
    /// Skips the provider chooser (e.g. `Google`, a SAML provider's name).
    pub identity_provider: Option<String>,
    pub nonce_rule: NonceRule,
}

impl ManagedLogin {
    /// The page to send the browser to.
    pub fn authorize_url(&self, client_id: &str, pending: &PendingLogin) -> String {
        let scope = self.scopes.join(" ");
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("scope", scope.as_str()),
            ("state", pending.state.as_str()),
            ("nonce", pending.nonce.as_str()),
            ("code_challenge", pending.pkce_challenge.as_str()),
            ("code_challenge_method", Pkce::METHOD),
        ];
        if let Some(provider) = &self.identity_provider {
            pairs.push(("identity_provider", provider.as_str()));
        }
        format!(
            "{}/oauth2/authorize?{}",
            self.domain,
            url::encode_query(&pairs)
        )
    }

    /// `/oauth2/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.domain)
    }

    /// The form body that exchanges `code` (public client: no secret).
    pub fn token_request_body(&self, client_id: &str, code: &str, verifier: &Secret) -> String {
        url::encode_query(&[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", verifier.expose()),
        ])
    }

    /// Ends the managed-login session (its cookie on Cognito's domain), so
    /// the next person at the computer is asked for credentials.
    pub fn logout_url(&self, client_id: &str) -> String {
        format!(
            "{}/logout?{}",
            self.domain,
            url::encode_query(&[("client_id", client_id), ("logout_uri", &self.logout_uri)])
        )
    }

    /// Whether the granted scopes allow "Sign out everywhere".
    pub fn allows_global_sign_out(granted_scope: Option<&str>) -> bool {
        granted_scope.is_some_and(|scope| scope.split(' ').any(|s| s == ADMIN_SCOPE))
    }
}

/// What this tab remembers while the user is on the managed login page.
/// Kept in `sessionStorage`, so only the tab that asked can finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: Secret,
    pub pkce_challenge: String,
    /// Local instant the login started, milliseconds since the epoch.
    pub started_at: i64,
    /// Started by re-authentication in place: it finishes in a window of
    /// its own, which closes itself and leaves the page that asked as it was.
    /// Absent from pending logins stored before it existed.
    pub reauth: bool,
}

impl ToJson for PendingLogin {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("state", self.state.to_json()),
            ("nonce", self.nonce.to_json()),
            ("pkce_verifier", self.pkce_verifier.expose().to_json()),
            ("pkce_challenge", self.pkce_challenge.to_json()),
            ("started_at", self.started_at.to_json()),
            ("reauth", self.reauth.to_json()),
        ])
    }
}

impl FromJson for PendingLogin {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(PendingLogin {
            state: object.field("state")?,
            nonce: object.field("nonce")?,
            pkce_verifier: Secret::new(object.field::<String>("pkce_verifier")?),
            pkce_challenge: object.field("pkce_challenge")?,
            started_at: object.field("started_at")?,
            reauth: match object.get("reauth") {
                None => false,
                Some(_) => object.field("reauth")?,
            },
        })
    }
}

impl PendingLogin {
    /// A fresh login: `random` holds bytes from the browser's CSPRNG.
    pub fn new(random: &[u8; VERIFIER_BYTES + 2 * STATE_BYTES], now_ms: i64) -> Self {
        let (verifier, rest) = random.split_at(VERIFIER_BYTES);
        let (state, nonce) = rest.split_at(STATE_BYTES);
        let mut verifier_bytes = [0u8; VERIFIER_BYTES];
        verifier_bytes.copy_from_slice(verifier);
        let pkce = Pkce::from_random(&verifier_bytes);
        PendingLogin {
            state: Base64UrlUnpadded::encode_string(state),
            nonce: Base64UrlUnpadded::encode_string(nonce),
            pkce_verifier: pkce.verifier,
            pkce_challenge: pkce.challenge,
            started_at: now_ms,
            reauth: false,
        }
    }

    /// The same login, for re-authentication in place (see [`Self::reauth`]).
    pub fn for_reauth(mut self) -> Self {
        self.reauth = true;
        self
    }

    /// Checks an answer against this pending login (taken out of storage
    /// first, so a second use of the same answer finds nothing): the code
    /// and the verifier to exchange it with, or why not.
    pub fn accept(
        self,
        answer: CallbackAnswer,
        now_ms: i64,
    ) -> Result<Accepted, ManagedLoginError> {
        let (code, state) = match answer {
            CallbackAnswer::Code { code, state } => (code, state),
            CallbackAnswer::Error {
                error, description, ..
            } => {
                return Err(ManagedLoginError::Refused { error, description });
            }
        };
        if !constant_time_eq(state.as_bytes(), self.state.as_bytes()) {
            return Err(ManagedLoginError::StateMismatch);
        }
        if now_ms.saturating_sub(self.started_at) > MAX_PENDING_AGE_MS || now_ms < self.started_at {
            return Err(ManagedLoginError::Expired);
        }
        Ok(Accepted {
            code,
            verifier: self.pkce_verifier,
            nonce: self.nonce,
            reauth: self.reauth,
        })
    }
}

/// A checked answer, ready for the code exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub code: String,
    pub verifier: Secret,
    pub nonce: String,
    pub reauth: bool,
}

/// The answer managed login put in the address bar.
#[derive(Clone, PartialEq, Eq)]
pub enum CallbackAnswer {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

impl std::fmt::Debug for CallbackAnswer {
    // The code is a credential until it is exchanged.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallbackAnswer::Code { .. } => f.write_str("CallbackAnswer::Code { <redacted> }"),
            CallbackAnswer::Error { error, .. } => write!(f, "CallbackAnswer::Error({error:?})"),
        }
    }
}

impl CallbackAnswer {
    /// Reads `?code=…&state=…` or `?error=…[&error_description=…][&state=…]`
    /// from a query string. `None` when the page was not opened as an
    /// answer. Any input is safe: nothing here panics or trusts a length.
    pub fn parse(query: &str) -> Option<CallbackAnswer> {
        let params = url::parse_query(query);
        let get = |name: &str| {
            params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        if let Some(error) = get("error") {
            return Some(CallbackAnswer::Error {
                error: excerpt(&error),
                description: get("error_description").map(|d| excerpt(&d)),
                state: get("state"),
            });
        }
        match (get("code"), get("state")) {
            (Some(code), Some(state)) if !code.is_empty() => {
                Some(CallbackAnswer::Code { code, state })
            }
            (Some(_), _) => Some(CallbackAnswer::Error {
                error: "invalid_request".into(),
                description: Some("the answer has no state or no code".into()),
                state: None,
            }),
            (None, _) => None,
        }
    }

    /// The `state` the answer carries, if any.
    pub fn state(&self) -> Option<&str> {
        match self {
            CallbackAnswer::Code { state, .. } => Some(state),
            CallbackAnswer::Error { state, .. } => state.as_deref(),
        }
    }

    /// The names the app removes from the address bar before rendering.
    pub const PARAMETERS: &'static [&'static str] =
        &["code", "state", "error", "error_description", "error_uri"];
}

/// Why managed login did not sign the user in, in words for the sign-in page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ManagedLoginError {
    /// Cognito's page answered with an OAuth error (`access_denied`, a
    /// misconfigured callback URL, ...); the user can try again, or an
    /// administrator fixes the app client.
    #[error("The sign-in page answered \"{error}\"{}. Try signing in again.", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// The OAuth `error` code, shortened.
        error: String,
        /// The `error_description`, shortened, if sent.
        description: Option<String>,
    },
    /// The answer's `state` is not the one this tab sent: an answer meant for
    /// another tab, or a forged link. Nothing was signed in.
    #[error(
        "This sign-in answer does not belong to this tab (its state does not match). Nothing was signed in; start the sign-in again from this tab."
    )]
    StateMismatch,
    /// No sign-in was started from this tab, or its answer was already used
    /// (a reload of the callback address).
    #[error(
        "This sign-in answer was already used or was not asked for by this tab. Nothing was signed in; start the sign-in again."
    )]
    NotPending,
    /// The sign-in came back more than 15 minutes after it started.
    #[error("The sign-in took too long to come back (over 15 minutes). Please sign in again.")]
    Expired,
    /// The token endpoint refused the authorization code; holds its OAuth error.
    #[error("The sign-in service did not accept the sign-in code ({0}). Please sign in again.")]
    ExchangeRefused(String),
    /// The token endpoint's answer could not be read; holds what is wrong.
    #[error(
        "The sign-in service's answer is not what this app expects ({0}). Please sign in again."
    )]
    BadTokenAnswer(String),
    /// The ID token does not carry this sign-in's nonce: it answers another
    /// sign-in and is refused.
    #[error(
        "The ID token does not carry this sign-in's nonce: it was not issued for this sign-in. Nothing was signed in; please sign in again."
    )]
    NonceMismatch,
}

/// The `/oauth2/token` answer: tokens, or the OAuth error.
pub fn parse_token_answer(status: u16, body: &str) -> Result<IssuedTokens, ManagedLoginError> {
    if !(200..300).contains(&status) {
        let error = crate::json::parse(body)
            .ok()
            .and_then(|answer| Some(excerpt(answer.as_object()?.get("error")?.as_str()?)))
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(ManagedLoginError::ExchangeRefused(error));
    }
    let tokens: TokenAnswer = crate::json::from_str(body)
        .map_err(|_| ManagedLoginError::BadTokenAnswer("it is not the expected JSON".into()))?;
    let missing = |name: &str| ManagedLoginError::BadTokenAnswer(format!("it has no {name}"));
    Ok(IssuedTokens {
        id_token: Secret::new(tokens.id_token.ok_or_else(|| missing("id_token"))?),
        access_token: Secret::new(tokens.access_token.ok_or_else(|| missing("access_token"))?),
        refresh_token: Secret::new(
            tokens
                .refresh_token
                .ok_or_else(|| missing("refresh_token"))?,
        ),
        expires_in: tokens.expires_in,
        token_type: tokens.token_type,
    })
}

/// The members of a successful `/oauth2/token` answer.
struct TokenAnswer {
    id_token: Option<String>,
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
    token_type: Option<String>,
}

impl FromJson for TokenAnswer {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let answer = value.object_or_err()?;
        Ok(Self {
            id_token: answer.field("id_token")?,
            access_token: answer.field("access_token")?,
            refresh_token: answer.field("refresh_token")?,
            expires_in: answer.field("expires_in")?,
            token_type: answer.field("token_type")?,
        })
    }
}

/// Checks the verified ID token's `nonce` claim against the login's.
pub fn check_nonce(
    rule: NonceRule,
    expected: &str,
    found: Option<&str>,
) -> Result<(), ManagedLoginError> {
    match (rule, found) {
        (_, Some(found)) if constant_time_eq(found.as_bytes(), expected.as_bytes()) => Ok(()),
        (NonceRule::IfPresent, None) => Ok(()),
        _ => Err(ManagedLoginError::NonceMismatch),
    }
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// Property tests use proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
