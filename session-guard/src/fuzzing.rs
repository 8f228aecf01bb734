//! Entry points for the fuzz targets in `fuzz/`; not an API.
//!
//! Thin wrappers around the crate's own readers of untrusted text, compiled
//! only with the `fuzzing` feature. They reach the readers through `crate::`
//! paths, so they keep working whatever the crate makes public, and they
//! return plain values (text, bytes, numbers) instead of the crate's types.
//! The properties themselves live in the targets.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::cognito::claims::numeric_date;
use crate::cognito::client::{CognitoClient, SignInStep};
use crate::cognito::config::CognitoConfig;
use crate::cognito::error::CognitoError;
use crate::cognito::jwks::{Jwk, JwkSet};
use crate::cognito::managed_login::{self, CallbackAnswer, PendingLogin};
use crate::cognito::mfa::{MfaChallenge, MfaStep, MfaType, TotpEnrolment};
use crate::cognito::secret::Secret;
use crate::cognito::transport::{CognitoTransport, HttpResponse, TransportError};
use crate::cognito::verify::{
    SignatureCheckError, SignatureVerifier, TimeCheck, TokenVerifier, VerificationSettings,
};
use crate::json::{self, Json, Number};
use crate::session::snapshot::SessionSnapshot;
use crate::session::wire_format::{self, Draft};

/// A JSON value as the app's reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A whole number from 0 to `u64::MAX`.
    Whole(u64),
    /// A whole number below 0, down to `i64::MIN`.
    Negative(i64),
    /// Any other number, as written.
    OtherNumber(String),
    String(String),
    Array(Vec<Value>),
    /// Members in document order.
    Object(Vec<(String, Value)>),
}

fn value_of(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(value) => Value::Bool(*value),
        Json::Number(Number::Whole(value)) => Value::Whole(*value),
        Json::Number(Number::Negative(value)) => Value::Negative(*value),
        Json::Number(Number::Other(text)) => Value::OtherNumber(text.to_string()),
        Json::String(text) => Value::String(text.clone()),
        Json::Array(items) => Value::Array(items.iter().map(value_of).collect()),
        Json::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| (key.to_owned(), value_of(value)))
                .collect(),
        ),
    }
}

/// The JSON reader: the value of `text`, or the refusal's message.
pub fn json_parse(text: &str) -> Result<Value, String> {
    json::parse(text)
        .map(|json| value_of(&json))
        .map_err(|error| error.to_string())
}

/// The JSON reader then writer: `text` rewritten compactly, if accepted.
pub fn json_rewrite(text: &str) -> Option<String> {
    json::parse(text).ok().map(|json| json::to_string(&json))
}

/// A NumericDate claim read from the JSON number `text` (`None` when `text`
/// is not a number): whole seconds, or `None` outside 1970 to 9999.
pub fn numeric_date_of(text: &str) -> Option<Option<u64>> {
    match json::parse(text).ok()? {
        Json::Number(number) => Some(numeric_date(&number)),
        _ => None,
    }
}

/// The issuer every token the fuzzed verifier accepts must carry.
pub const FUZZ_ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fuzz";
/// The app client the fuzzed verifier accepts tokens of.
pub const FUZZ_CLIENT_ID: &str = "fuzz-client";
/// A `kid` the fuzzed key set does not know.
pub const UNKNOWN_KID: &str = "unknown-key";
/// A `kid` the fuzzed key set publishes with a 1024-bit modulus.
pub const WEAK_KID: &str = "weak-key";

/// Any signature that is not empty is valid: the fuzzer cannot forge RS256,
/// and everything after the signature check must be reachable.
struct AnySignature;

impl SignatureVerifier for AnySignature {
    fn verify_rs256(
        &self,
        _jwk: &Jwk,
        _signing_input: &[u8],
        signature: &[u8],
    ) -> impl Future<Output = Result<bool, SignatureCheckError>> {
        std::future::ready(Ok(!signature.is_empty()))
    }
}

fn fuzz_key(kid: &str, modulus_bytes: usize) -> Jwk {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Jwk {
        kid: kid.to_owned(),
        kty: "RSA".to_owned(),
        alg: Some("RS256".to_owned()),
        key_use: Some("sig".to_owned()),
        n: Base64UrlUnpadded::encode_string(&vec![0xc5; modulus_bytes]),
        e: "AQAB".to_owned(),
    }
}

/// What the verifier accepted: the claims it hands on.
pub struct AcceptedClaims {
    pub sub: String,
    pub username: String,
    pub iat: u64,
    pub exp: u64,
    pub auth_time: u64,
    pub nbf: Option<u64>,
}

/// The whole token verifier (structure, key, a signature check that accepts
/// any non-empty signature, claims, and the times at `now_secs` when given)
/// for [`FUZZ_ISSUER`] and [`FUZZ_CLIENT_ID`]; the refusal's message otherwise.
pub fn verify_token(
    access: bool,
    token: &str,
    now_secs: Option<u64>,
) -> Result<AcceptedClaims, String> {
    let settings = VerificationSettings {
        issuer: FUZZ_ISSUER.to_owned(),
        client_id: FUZZ_CLIENT_ID.to_owned(),
        clock_leeway_secs: 30,
    };
    let time = match now_secs {
        Some(now_secs) => TimeCheck::At { now_secs },
        None => TimeCheck::Skip,
    };
    let keys = JwkSet::from_keys(vec![fuzz_key("fuzz-key", 256), fuzz_key(WEAK_KID, 128)]);
    let mut verifier = TokenVerifier::with_cache(
        settings,
        AnySignature,
        crate::cognito::jwks::JwksCache::with_keys(keys),
    );
    let jwks = || {
        std::future::ready(Ok(HttpResponse::new(
            200,
            r#"{"keys":[{"kid":"rotated","kty":"RSA","n":"AQAB","e":"AQAB"}]}"#,
        )))
    };
    let result = if access {
        block_on(verifier.verify_access_token(token, time, async || jwks().await)).map(|claims| {
            AcceptedClaims {
                sub: claims.sub,
                username: claims.username,
                iat: claims.iat,
                exp: claims.exp,
                auth_time: claims.auth_time,
                nbf: claims.nbf,
            }
        })
    } else {
        block_on(verifier.verify_id_token(token, time, async || jwks().await)).map(|claims| {
            AcceptedClaims {
                sub: claims.sub,
                username: claims.username,
                iat: claims.iat,
                exp: claims.exp,
                auth_time: claims.auth_time,
                nbf: claims.nbf,
            }
        })
    };
    result.map_err(|error| error.to_string())
}

/// A usable key of a key set: `(kid, n, e, modulus bits)`.
pub type KeyFields = (String, String, String, Option<u64>);

/// The pool's key set: each usable key.
pub fn jwks(text: &str) -> Result<Vec<KeyFields>, String> {
    JwkSet::parse(text)
        .map(|set| {
            set.keys()
                .iter()
                .map(|key| {
                    (
                        key.kid.clone(),
                        key.n.clone(),
                        key.e.clone(),
                        key.modulus_bits(),
                    )
                })
                .collect()
        })
        .map_err(|error| error.to_string())
}

/// `config.json`: the configuration read (its `Debug` form) or the error
/// page's text.
pub fn config(text: &str) -> Result<String, String> {
    crate::config::AppConfig::from_json(text)
        .map(|config| format!("{config:?}"))
        .map_err(|error| error.to_string())
}

/// A stored session entry read back and written again, or why it was cleared.
pub fn stored_session(raw: &str) -> Result<String, &'static str> {
    wire_format::read_stored_session(raw)
        .map(|snapshot| wire_format::stored_session_text(&snapshot))
}

/// A session snapshot (as offered to another tab) read and written again.
pub fn snapshot(text: &str) -> Option<String> {
    json::from_str::<SessionSnapshot>(text)
        .ok()
        .map(|snapshot| json::to_string(&snapshot))
}

/// A message from another tab read and written again; `None` when ignored.
pub fn tab_message(text: &str) -> Option<String> {
    wire_format::read_tab_message(text).map(|event| wire_format::tab_message_text(&event))
}

/// A draft as read from storage: `(key, label, value, saved_at)`.
pub type DraftFields = (String, String, String, Option<i64>);

/// One user's stored drafts as read.
pub fn stored_drafts(raw: &str) -> Option<Vec<DraftFields>> {
    wire_format::read_stored_drafts(raw).map(|drafts| {
        drafts
            .into_iter()
            .map(|draft| (draft.key, draft.label, draft.value, draft.saved_at))
            .collect()
    })
}

/// The stored text of these drafts `(key, label, value, saved_at)`.
pub fn stored_drafts_text(drafts: &[(String, String, String, i64)]) -> String {
    let drafts: Vec<Draft> = drafts
        .iter()
        .map(|(key, label, value, saved_at)| Draft {
            key: key.clone(),
            label: label.clone(),
            value: value.clone(),
            saved_at: *saved_at,
        })
        .collect();
    wire_format::stored_drafts_text(&drafts)
}

/// The pending managed login kept in `sessionStorage`, read and written again.
pub fn pending_login(raw: &str) -> Option<String> {
    json::from_str::<PendingLogin>(raw)
        .ok()
        .map(|pending| json::to_string(&pending))
}

/// What the managed-login answer in the address bar says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callback {
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

/// The query of the page managed login returned to; `None` when the page
/// was not opened as an answer.
pub fn callback(query: &str) -> Option<Callback> {
    CallbackAnswer::parse(query).map(|answer| match answer {
        CallbackAnswer::Code { code, state } => Callback::Code { code, state },
        CallbackAnswer::Error {
            error,
            description,
            state,
        } => Callback::Error {
            error,
            description,
            state,
        },
    })
}

/// `name=value&...` with each part percent-encoded, as the app writes URLs.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    managed_login::url::encode_query(pairs)
}

/// The stored pending login `pending` checking the answer in `query` at
/// `now_ms`: the code to exchange, or why not.
pub fn accept_callback(pending: &str, query: &str, now_ms: i64) -> Option<Result<String, String>> {
    let pending: PendingLogin = json::from_str(pending).ok()?;
    let answer = CallbackAnswer::parse(query)?;
    Some(
        pending
            .accept(answer, now_ms)
            .map(|accepted| accepted.code)
            .map_err(|error| error.to_string()),
    )
}

/// The `/oauth2/token` answer: whether it gave tokens, or the message.
pub fn token_endpoint_answer(status: u16, body: &str) -> Result<(), String> {
    managed_login::parse_token_answer(status, body)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// The Cognito calls whose answers the client reads.
pub const COGNITO_CALLS: &[&str] = &[
    "InitiateAuth USER_PASSWORD_AUTH",
    "InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge NEW_PASSWORD_REQUIRED",
    "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
    "RespondToAuthChallenge SELECT_MFA_TYPE",
    "AssociateSoftwareToken (MFA_SETUP)",
    "VerifySoftwareToken, then RespondToAuthChallenge MFA_SETUP",
    "InitiateAuth REFRESH_TOKEN_AUTH",
    "GetTokensFromRefreshToken",
    "RevokeToken",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "GlobalSignOut",
    "AssociateSoftwareToken (signed in)",
    "VerifySoftwareToken (signed in)",
    "SetUserMFAPreference",
    "GetUser",
];

/// How a call ended, in words, and the message a user would see.
pub struct CognitoOutcome {
    /// `ok: …` or `error: <retry class>`.
    pub outcome: String,
    /// The error's message, when it failed.
    pub message: Option<String>,
    /// How many answers the client asked for.
    pub calls: usize,
}

/// Answers each request with the next of the given answers, then fails.
struct Answers {
    answers: RefCell<VecDeque<(u16, String)>>,
    calls: RefCell<usize>,
}

impl CognitoTransport for Answers {
    fn post(
        &self,
        _url: &str,
        _target: &str,
        body: String,
        _timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        *self.calls.borrow_mut() += 1;
        // Every request the client writes must be JSON the reader accepts.
        assert!(
            json::parse(&body).is_ok(),
            "a request body that is not JSON"
        );
        let answer = self.answers.borrow_mut().pop_front();
        std::future::ready(match answer {
            Some((status, body)) => Ok(HttpResponse::new(status, body)),
            None => Err(TransportError::Network {
                reason: "no more answers".into(),
            }),
        })
    }
}

fn step_summary(step: SignInStep) -> String {
    match step {
        SignInStep::SignedIn(tokens) => {
            format!("signed in (expires_in {:?})", tokens.expires_in)
        }
        SignInStep::NewPasswordRequired(challenge) => {
            format!("new password required for {:?}", challenge.username().len())
        }
        SignInStep::Mfa(challenge) => format!("mfa {:?}", challenge.step()),
    }
}

/// Runs Cognito call number `call` (an index into [`COGNITO_CALLS`]) against
/// the given answers, `(status, body)` each, in order.
pub fn cognito_answers(call: usize, answers: Vec<(u16, String)>) -> CognitoOutcome {
    let mut config = CognitoConfig::new("eu-west-1", "eu-west-1_Fuzz", FUZZ_CLIENT_ID);
    config.request_timeout = Duration::from_secs(5);
    let client = CognitoClient::new(
        config,
        Answers {
            answers: RefCell::new(answers.into()),
            calls: RefCell::new(0),
        },
    );
    let password = Secret::new("correct horse battery staple");
    let token = Secret::new("eyJraWQiOiJrIn0.e30.c2ln");
    let challenge = |step| MfaChallenge {
        step,
        session: Secret::new("session-1"),
        username: "user-1".to_owned(),
        account: "alice@example.com".to_owned(),
    };
    let code_step = MfaStep::Code {
        factor: MfaType::AuthenticatorApp,
        destination: None,
    };
    let result: Result<String, CognitoError> = block_on(async {
        match call % COGNITO_CALLS.len() {
            0 => client
                .sign_in_password("alice", &password)
                .await
                .map(step_summary),
            1 => sign_in_srp(&client, &password).await,
            2 => {
                let first = client.sign_in_password("alice", &password).await;
                match first {
                    Ok(SignInStep::NewPasswordRequired(challenge)) => client
                        .answer_new_password(&challenge, &password)
                        .await
                        .map(step_summary),
                    other => other.map(step_summary),
                }
            }
            3 => client
                .answer_mfa_code(&challenge(code_step), "123 456")
                .await
                .map(step_summary),
            4 => client
                .choose_mfa(
                    &challenge(MfaStep::Choose {
                        options: vec![MfaType::AuthenticatorApp],
                    }),
                    MfaType::AuthenticatorApp,
                )
                .await
                .map(step_summary),
            5 => client
                .begin_mfa_setup(&challenge(MfaStep::SetUpAuthenticator))
                .await
                .map(|enrolment| format!("enrolment of {} characters", enrolment.secret().len())),
            6 => {
                let enrolment = TotpEnrolment {
                    secret: Secret::new("JBSWY3DPEHPK3PXP"),
                    session: Some(Secret::new("session-2")),
                };
                client
                    .finish_mfa_setup(
                        &challenge(MfaStep::SetUpAuthenticator),
                        &enrolment,
                        "123456",
                    )
                    .await
                    .map(step_summary)
            }
            7 => client.refresh(&token).await.map(|_| "renewed".to_owned()),
            8 => client
                .get_tokens_from_refresh_token(&token)
                .await
                .map(|_| "renewed".to_owned()),
            9 => client
                .revoke_token(&token)
                .await
                .map(|()| "revoked".to_owned()),
            10 => client
                .forgot_password("alice")
                .await
                .map(|delivery| format!("{delivery:?}")),
            11 => client
                .confirm_forgot_password("alice", "123456", &password)
                .await
                .map(|()| "reset".to_owned()),
            12 => client
                .global_sign_out(&token)
                .await
                .map(|()| "signed out".to_owned()),
            13 => client
                .associate_authenticator(&token)
                .await
                .map(|enrolment| format!("enrolment of {} characters", enrolment.secret().len())),
            14 => client
                .verify_authenticator(&token, "123456")
                .await
                .map(|()| "verified".to_owned()),
            15 => client
                .set_authenticator_mfa(&token, true)
                .await
                .map(|()| "set".to_owned()),
            _ => client
                .authenticator_enabled(&token)
                .await
                .map(|enabled| format!("enabled {enabled}")),
        }
    });
    let calls = *client.transport().calls.borrow();
    match result {
        Ok(outcome) => CognitoOutcome {
            outcome: format!("ok: {outcome}"),
            message: None,
            calls,
        },
        Err(error) => CognitoOutcome {
            outcome: format!("error: {:?}", error.retry_class()),
            message: Some(error.to_string()),
            calls,
        },
    }
}

#[cfg(feature = "srp")]
async fn sign_in_srp(
    client: &CognitoClient<Answers>,
    password: &Secret,
) -> Result<String, CognitoError> {
    use crate::cognito::srp::{SECRET_BYTES, SrpClient};
    let srp = SrpClient::new(&[0x5a; SECRET_BYTES]).map_err(CognitoError::Srp)?;
    client
        .sign_in_srp("alice", password, srp, || 1_750_000_000)
        .await
        .map(step_summary)
}

#[cfg(not(feature = "srp"))]
async fn sign_in_srp(
    client: &CognitoClient<Answers>,
    password: &Secret,
) -> Result<String, CognitoError> {
    client
        .sign_in_password("alice", password)
        .await
        .map(step_summary)
}

/// The Cognito error mapping alone: `(retry class, message)` of a failed
/// answer of call number `call`.
pub fn cognito_error(call: usize, status: u16, body: &str) -> (String, String) {
    use crate::cognito::api::Operation;
    const OPERATIONS: &[Operation] = &[
        Operation::PasswordSignIn,
        Operation::SrpSignIn,
        Operation::PasswordVerifier,
        Operation::NewPassword,
        Operation::Refresh,
        Operation::RotatingRefresh,
        Operation::RevokeRefreshToken,
        Operation::GlobalSignOut,
        Operation::ForgotPassword,
        Operation::ConfirmForgotPassword,
        Operation::MfaCode,
        Operation::MfaSelection,
        Operation::MfaSetupAssociate,
        Operation::MfaSetupVerify,
        Operation::MfaSetupFinish,
        Operation::AuthenticatorAssociate,
        Operation::AuthenticatorVerify,
        Operation::MfaPreference,
        Operation::MfaStatus,
    ];
    let operation = OPERATIONS[call % OPERATIONS.len()];
    let error = CognitoError::from_error_response(operation, &HttpResponse::new(status, body));
    (format!("{:?}", error.retry_class()), error.to_string())
}

/// Results of the SRP arithmetic for one modulus, big-endian, each exactly
/// 384 bytes.
#[cfg(feature = "srp")]
pub struct ModularResults {
    /// The modulus used: `n` with its top and bottom bits set.
    pub n: Vec<u8>,
    pub a: Vec<u8>,
    pub b: Vec<u8>,
    pub product: Vec<u8>,
    pub difference: Vec<u8>,
    pub power: Vec<u8>,
    pub power_of_two: Vec<u8>,
}

/// The 3072-bit arithmetic of SRP: with `n` (384 bytes; the SRP prime when
/// `None`) made odd and of full length, `a mod n` and `b mod n` reduced from
/// any big-endian bytes, their product and difference, `a^exponent` and
/// `2^exponent` (exponent big-endian).
#[cfg(feature = "srp")]
pub fn srp_modular(n: Option<&[u8; 384]>, a: &[u8], b: &[u8], exponent: &[u8]) -> ModularResults {
    use crate::cognito::srp::modular::{Modulus, wide_from_be};
    let mut modulus_bytes = match n {
        Some(n) => *n,
        None => crate::cognito::srp::n_bytes(),
    };
    modulus_bytes[0] |= 0x80;
    modulus_bytes[383] |= 1;
    let modulus = Modulus::from_be_bytes(&modulus_bytes);
    let a = modulus.reduce_be(a);
    let b = modulus.reduce_be(b);
    let exponent = wide_from_be(exponent);
    ModularResults {
        n: modulus_bytes.to_vec(),
        a: a.to_be_bytes(),
        b: b.to_be_bytes(),
        product: modulus.mul(&a, &b).to_be_bytes(),
        difference: modulus.sub(&a, &b).to_be_bytes(),
        power: modulus.pow(&a, &exponent).to_be_bytes(),
        power_of_two: modulus.pow_of_two(&exponent).to_be_bytes(),
    }
}

/// The QR encoder: `(version, mask, size, modules row by row)`, or the
/// length it refused.
pub fn qr(data: &[u8], medium: bool) -> Result<(u8, u8, usize, Vec<bool>), usize> {
    use crate::qr::{ErrorCorrection, QrCode, QrError};
    let level = if medium {
        ErrorCorrection::Medium
    } else {
        ErrorCorrection::Low
    };
    match QrCode::encode(data, level) {
        Ok(code) => {
            let size = code.size();
            let modules = (0..size)
                .flat_map(|y| (0..size).map(move |x| (x, y)))
                .map(|(x, y)| code.is_dark(x, y))
                .collect();
            Ok((code.version(), code.mask(), size, modules))
        }
        Err(QrError::TooLong { length }) => Err(length),
    }
}

/// Runs a future whose every await is already ready (the fakes above
/// answer at once).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("a future of the fuzzing harness never finished");
}
