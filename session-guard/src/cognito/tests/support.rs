//! Test doubles: a test RSA key, token minting, a counting native RS256
//! verifier, a fake JWKS endpoint, a recording Cognito transport and a tiny
//! executor.

use crate::cognito::{
    AccessClaims, CognitoTransport, HttpResponse, IdClaims, IssuedTokens, Jwk, NativeRsaVerifier,
    Secret, SignatureCheckError, SignatureVerifier, TimeCheck, TokenError, TokenVerifier,
    TransportError, VerificationSettings, VerifiedTokens,
};
use serde_json::{Value, json};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

pub const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool";
pub const CLIENT_ID: &str = "5test0client0id0abcdefghij";
pub const KID: &str = "test-key-1";
pub const SUB: &str = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
/// The test's "now", seconds since the epoch.
pub const NOW: u64 = 1_750_000_000;
pub const LEEWAY: u64 = 60;

/// Runs a future that never waits on anything (all doubles answer at once).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a test future waited on something; the doubles never do"),
    }
}

pub use session_guard_test_keys::{b64, private_key};

/// The public half of the test key as a JWK under `kid`.
pub fn jwk(kid: &str) -> Jwk {
    let (n, e) = session_guard_test_keys::public_n_e();
    Jwk {
        kid: kid.to_owned(),
        kty: "RSA".to_owned(),
        alg: Some("RS256".to_owned()),
        key_use: Some("sig".to_owned()),
        n,
        e,
    }
}

/// A JWKS document publishing the test key under each of `kids`.
pub fn jwks_json(kids: &[&str]) -> String {
    json!({ "keys": kids.iter().map(|kid| published_jwk(kid)).collect::<Vec<_>>() }).to_string()
}

/// [`jwk`] as a JWKS document publishes it.
pub fn published_jwk(kid: &str) -> Value {
    let Jwk {
        kid,
        kty,
        alg,
        key_use,
        n,
        e,
    } = jwk(kid);
    json!({ "kid": kid, "kty": kty, "alg": alg, "use": key_use, "n": n, "e": e })
}

pub fn rs256_header(kid: &str) -> Value {
    json!({ "alg": "RS256", "kid": kid, "typ": "JWT" })
}

/// `header.payload` as the JWS signing input.
pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(header.to_string()), b64(claims.to_string()))
}

/// A JWT signed RS256 with the test key, whatever `header` says.
pub fn sign(header: &Value, claims: &Value) -> String {
    sign_json(&header.to_string(), &claims.to_string())
}

/// A JWT of exactly this header and claims text (e.g. JSON with a member
/// named twice, which a `Value` cannot hold), signed RS256 with the test key.
pub fn sign_json(header: &str, claims: &str) -> String {
    session_guard_test_keys::sign_json(header, claims)
}

pub fn id_claims() -> Value {
    json!({
        "sub": SUB,
        "cognito:username": "alice",
        "cognito:groups": ["editors", "admins"],
        "email": "alice@example.com",
        "email_verified": true,
        "aud": CLIENT_ID,
        "iss": ISSUER,
        "token_use": "id",
        "auth_time": NOW - 600,
        "iat": NOW - 10,
        "exp": NOW + 3590,
        "origin_jti": "origin-jti-1",
        "jti": "jti-id-1",
        "event_id": "event-1",
    })
}

pub fn access_claims() -> Value {
    json!({
        "sub": SUB,
        "username": "alice",
        "client_id": CLIENT_ID,
        "scope": "aws.cognito.signin.user.admin",
        "iss": ISSUER,
        "token_use": "access",
        "auth_time": NOW - 600,
        "iat": NOW - 10,
        "exp": NOW + 3590,
        "origin_jti": "origin-jti-1",
        "jti": "jti-access-1",
        "event_id": "event-1",
    })
}

/// `claims` with `key` set to `value`.
pub fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

/// `claims` without `key`.
pub fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().expect("claims object").remove(key);
    claims
}

pub fn id_token() -> String {
    sign(&rs256_header(KID), &id_claims())
}

pub fn access_token() -> String {
    sign(&rs256_header(KID), &access_claims())
}

pub fn token_set() -> IssuedTokens {
    IssuedTokens {
        id_token: Secret::new(id_token()),
        access_token: Secret::new(access_token()),
        refresh_token: Secret::new("opaque-refresh-token-value"),
        expires_in: Some(3600),
        token_type: Some("Bearer".to_owned()),
    }
}

/// The native RS256 backend, counting the signature checks it is asked for.
#[derive(Debug, Default)]
pub struct RsaVerifier {
    pub calls: Cell<u32>,
}

impl SignatureVerifier for RsaVerifier {
    async fn verify_rs256(
        &self,
        jwk: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<bool, SignatureCheckError> {
        self.calls.set(self.calls.get() + 1);
        NativeRsaVerifier
            .verify_rs256(jwk, signing_input, signature)
            .await
    }
}

/// A JWKS endpoint that counts downloads.
pub struct JwksEndpoint {
    pub answer: RefCell<Result<HttpResponse, TransportError>>,
    pub fetches: Cell<u32>,
}

impl JwksEndpoint {
    pub fn serving(kids: &[&str]) -> Self {
        Self::answering(Ok(HttpResponse::new(200, jwks_json(kids))))
    }

    pub fn answering(answer: Result<HttpResponse, TransportError>) -> Self {
        Self {
            answer: RefCell::new(answer),
            fetches: Cell::new(0),
        }
    }

    pub fn fetch(&self) -> Result<HttpResponse, TransportError> {
        self.fetches.set(self.fetches.get() + 1);
        self.answer.borrow().clone()
    }
}

pub fn settings() -> VerificationSettings {
    VerificationSettings {
        issuer: ISSUER.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        clock_leeway_secs: LEEWAY,
    }
}

/// A verifier with an empty key cache plus the JWKS endpoint it loads from.
pub struct Harness {
    pub verifier: TokenVerifier<RsaVerifier>,
    pub jwks: JwksEndpoint,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_endpoint(JwksEndpoint::serving(&[KID]))
    }

    pub fn with_endpoint(jwks: JwksEndpoint) -> Self {
        Self {
            verifier: TokenVerifier::new(settings(), RsaVerifier::default()),
            jwks,
        }
    }

    pub fn id(&mut self, token: &str) -> Result<IdClaims, TokenError> {
        self.id_at(token, TimeCheck::At { now_secs: NOW })
    }

    pub fn id_at(&mut self, token: &str, time: TimeCheck) -> Result<IdClaims, TokenError> {
        let jwks = &self.jwks;
        block_on(
            self.verifier
                .verify_id_token(token, time, async || jwks.fetch()),
        )
    }

    pub fn access(&mut self, token: &str) -> Result<AccessClaims, TokenError> {
        let jwks = &self.jwks;
        block_on(self.verifier.verify_access_token(
            token,
            TimeCheck::At { now_secs: NOW },
            async || jwks.fetch(),
        ))
    }

    pub fn tokens(&mut self, tokens: IssuedTokens) -> Result<VerifiedTokens, TokenError> {
        let jwks = &self.jwks;
        block_on(
            self.verifier
                .verify_tokens(tokens, TimeCheck::At { now_secs: NOW }, async || {
                    jwks.fetch()
                }),
        )
    }

    pub fn fetches(&self) -> u32 {
        self.jwks.fetches.get()
    }

    pub fn signature_checks(&self) -> u32 {
        self.verifier.signature_verifier().calls.get()
    }
}

/// One call as the fake transport saw it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub url: String,
    pub target: String,
    pub body: Value,
    /// The body as sent, for what `body` cannot show (the order of members).
    pub text: String,
    pub timeout: Duration,
}

/// A Cognito endpoint that answers from a script and records every call.
#[derive(Default)]
pub struct FakeTransport {
    pub answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    pub requests: RefCell<Vec<RecordedRequest>>,
}

impl FakeTransport {
    pub fn answering(
        answers: impl IntoIterator<Item = Result<HttpResponse, TransportError>>,
    ) -> Self {
        Self {
            answers: RefCell::new(answers.into_iter().collect()),
            requests: RefCell::default(),
        }
    }

    pub fn ok(body: Value) -> Self {
        Self::answering([Ok(HttpResponse::new(200, body.to_string()))])
    }

    pub fn only_request(&self) -> RecordedRequest {
        let requests = self.requests.borrow();
        assert_eq!(requests.len(), 1, "expected exactly one call");
        requests[0].clone()
    }
}

impl CognitoTransport for FakeTransport {
    async fn post(
        &self,
        url: &str,
        target: &str,
        body: String,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(RecordedRequest {
            url: url.to_owned(),
            target: target.to_owned(),
            body: serde_json::from_str(&body).expect("the client sends JSON"),
            text: body,
            timeout,
        });
        self.answers
            .borrow_mut()
            .pop_front()
            .expect("the test scripted no answer for this call")
    }
}
