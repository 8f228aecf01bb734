//! The user pool's keys over HTTPS (rustls): a certificate the roots vouch
//! for is accepted, any other is refused before a byte of JWKS is read, and
//! the timeout and size cap hold over TLS too.

mod support;

use session_guard::cognito::{JwksError, TransportError};
use session_guard_notes_api::Verifier;
use session_guard_notes_api::verify::{JwksOptions, MAX_JWKS_BYTES, VerifyError};
use std::time::{Duration, Instant};
use support::tls::{HttpsJwksServer, TestPki};
use support::*;

fn trusting(ca_pem: &str) -> JwksOptions {
    let mut options = JwksOptions::default();
    options.extra_roots_pem.push(ca_pem.as_bytes().to_vec());
    options
}

#[tokio::test]
async fn keys_fetched_over_https_from_a_trusted_authority_verify_tokens() {
    let pki = TestPki::new();
    let server = HttpsJwksServer::start(&pki, jwks_json(&[KID])).await;
    for url in [
        server.url.clone(),
        format!("https://127.0.0.1:{}/jwks.json", server.port),
    ] {
        let verifier =
            Verifier::with_options(ISSUER, CLIENT_ID, &url, &trusting(&pki.ca_pem)).unwrap();
        let identity = verifier.verify(&id_token(ALICE), now()).await.unwrap();
        assert_eq!(identity.sub, ALICE);
        // Cached: a second token needs no second download.
        verifier.verify(&id_token(BOB), now()).await.unwrap();
        assert_eq!(verifier.jwks_fetches(), 1);
    }
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_certificate_no_trusted_root_vouches_for_is_refused() {
    let pki = TestPki::new();
    let server = HttpsJwksServer::start(&pki, jwks_json(&[KID])).await;
    // The web PKI roots only: the test CA is unknown to them.
    let verifier = Verifier::new(ISSUER, CLIENT_ID, &server.url).unwrap();
    let error = verifier.verify(&id_token(ALICE), now()).await.unwrap_err();
    assert!(
        matches!(error, VerifyError::Jwks(JwksError::Transport(_))),
        "{error:?}"
    );
    // Another authority's root does not help either.
    let other = TestPki::new();
    let verifier =
        Verifier::with_options(ISSUER, CLIENT_ID, &server.url, &trusting(&other.ca_pem)).unwrap();
    let error = verifier.verify(&id_token(ALICE), now()).await.unwrap_err();
    assert!(matches!(error, VerifyError::Jwks(_)), "{error:?}");
    assert_eq!(
        server.hits(),
        0,
        "no request was sent over an untrusted connection"
    );
}

#[tokio::test]
async fn an_oversized_key_set_over_https_is_refused() {
    let pki = TestPki::new();
    let padding = " ".repeat(MAX_JWKS_BYTES);
    let body = format!("{}{padding}", jwks_json(&[KID]));
    let server = HttpsJwksServer::start(&pki, body).await;
    let verifier =
        Verifier::with_options(ISSUER, CLIENT_ID, &server.url, &trusting(&pki.ca_pem)).unwrap();
    let error = verifier.verify(&id_token(ALICE), now()).await.unwrap_err();
    match error {
        VerifyError::Jwks(JwksError::Malformed { problem }) => {
            assert!(problem.contains("larger than"), "{problem}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_jwks_server_that_never_answers_times_out() {
    // Accepts connections and never says a word (nor completes TLS).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((tcp, _)) = listener.accept().await {
            held.push(tcp);
        }
    });
    let mut options = JwksOptions::default();
    options.timeout = Some(Duration::from_millis(500));
    let url = format!("https://localhost:{port}/jwks.json");
    let verifier = Verifier::with_options(ISSUER, CLIENT_ID, &url, &options).unwrap();
    let started = Instant::now();
    let error = verifier.verify(&id_token(ALICE), now()).await.unwrap_err();
    assert_eq!(
        error,
        VerifyError::Jwks(JwksError::Transport(TransportError::Timeout))
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused_when_the_verifier_is_built() {
    let error = Verifier::new(ISSUER, CLIENT_ID, "http://keys.example.com/jwks.json")
        .err()
        .expect("refused");
    assert!(error.contains("not loopback"), "{error}");
    assert!(Verifier::new(ISSUER, CLIENT_ID, "http://[::1]:9/jwks.json").is_ok());
}
