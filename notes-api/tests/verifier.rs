//! The verifier alone, with an injected JWKS and a fixed "now": the exact
//! leeway boundaries and the odd corners of tokens and key sets.

mod support;

use serde_json::{Value, json};
use session_guard_notes_api::Verifier;
use session_guard_notes_api::rejection;
use session_guard_notes_api::verify::{Identity, LEEWAY_SECS, TokenError, VerifyError};
use support::*;

const NOW: u64 = 1_750_000_000;

fn claims() -> Value {
    json!({"sub": ALICE, "cognito:username": "alice", "aud": CLIENT_ID, "iss": ISSUER,
           "token_use": "id", "auth_time": NOW - 600, "iat": NOW - 10, "exp": NOW + 3590})
}

async fn check(token: &str) -> Result<Identity, VerifyError> {
    Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks_json(&[KID]))
        .verify(token, NOW)
        .await
}

async fn check_claims(claims: Value) -> Result<Identity, VerifyError> {
    check(&sign(&rs256_header(KID), &claims)).await
}

fn token_error(result: Result<Identity, VerifyError>) -> TokenError {
    match result {
        Err(VerifyError::Token(error)) => error,
        other => panic!("expected a token error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_valid_id_token_yields_the_identity() {
    assert_eq!(
        check_claims(claims()).await.unwrap(),
        Identity {
            sub: ALICE.to_owned(),
            iat: NOW - 10,
            exp: NOW + 3590
        }
    );
}

/// The boundaries are the app crate's (`session_guard::cognito::token_times`):
/// valid while `now < exp + leeway`, from `nbf - leeway` and `iat - leeway` on.
#[tokio::test]
async fn exp_nbf_and_iat_follow_the_shared_boundaries() {
    assert_eq!(LEEWAY_SECS, 5);
    assert!(
        check_claims(with(claims(), "exp", json!(NOW - 4)))
            .await
            .is_ok()
    );
    assert!(matches!(
        token_error(check_claims(with(claims(), "exp", json!(NOW - 5))).await),
        TokenError::Expired { .. }
    ));
    assert!(
        check_claims(with(claims(), "iat", json!(NOW + 5)))
            .await
            .is_ok()
    );
    assert!(matches!(
        token_error(check_claims(with(claims(), "iat", json!(NOW + 6))).await),
        TokenError::IssuedInFuture { .. }
    ));
    assert!(
        check_claims(with(claims(), "nbf", json!(NOW + 5)))
            .await
            .is_ok()
    );
    assert!(matches!(
        token_error(check_claims(with(claims(), "nbf", json!(NOW + 6))).await),
        TokenError::NotYetValid { .. }
    ));
}

#[tokio::test]
async fn required_claims_must_be_present_and_well_typed() {
    let mut no_sub = claims();
    no_sub.as_object_mut().unwrap().remove("sub");
    let error = token_error(check_claims(no_sub).await);
    assert!(
        matches!(error, TokenError::MissingClaim { claim: "sub", .. }),
        "{error:?}"
    );
    assert_eq!(rejection::kind(&error), "missing_claim");
    let error = token_error(check_claims(with(claims(), "exp", json!("tomorrow"))).await);
    assert!(matches!(error, TokenError::Malformed { .. }), "{error:?}");
    assert_eq!(rejection::kind(&error), "malformed");
    let error = token_error(check_claims(with(claims(), "token_use", json!("refresh"))).await);
    assert!(
        matches!(&error, TokenError::WrongTokenUse { found, .. } if found == "refresh"),
        "{error:?}"
    );
    assert_eq!(rejection::kind(&error), "not_id_token");
}

#[tokio::test]
async fn an_audience_list_must_contain_the_client() {
    assert!(
        check_claims(with(claims(), "aud", json!(["x", CLIENT_ID])))
            .await
            .is_ok()
    );
    assert!(matches!(
        token_error(check_claims(with(claims(), "aud", json!(["x", "y"]))).await),
        TokenError::WrongAudience { .. }
    ));
}

#[tokio::test]
async fn headers_that_cannot_be_honoured_are_refused() {
    let crit = json!({"alg": "RS256", "kid": KID, "crit": ["exp"]});
    let error = token_error(check(&sign(&crit, &claims())).await);
    assert!(matches!(error, TokenError::CriticalHeader { .. }));
    assert_eq!(rejection::kind(&error), "malformed");
    let no_kid = json!({"alg": "RS256"});
    let error = token_error(check(&sign(&no_kid, &claims())).await);
    assert!(matches!(error, TokenError::MissingKeyId { .. }));
    assert_eq!(rejection::kind(&error), "malformed");
    // RS512 is RSA too, but only RS256 is accepted; an absurd alg is not echoed.
    let rs512 = json!({"alg": "RS512", "kid": KID});
    let error = token_error(check(&sign(&rs512, &claims())).await);
    assert!(matches!(&error, TokenError::UnsupportedAlgorithm { alg, .. } if alg == "RS512"));
    assert_eq!(
        rejection::message(&error),
        "the token's algorithm \"RS512\" is not accepted; only RS256 is"
    );
    let weird = json!({"alg": "<script>alert(1)</script>", "kid": KID});
    let error = token_error(check(&sign(&weird, &claims())).await);
    assert_eq!(rejection::kind(&error), "unsupported_alg");
    assert_eq!(
        rejection::message(&error),
        "the token's algorithm (unrecognised) is not accepted; only RS256 is"
    );
    for garbage in ["", "a.b", "a.b.c.d", "!!!.e30.x"] {
        assert!(
            matches!(
                token_error(check(garbage).await),
                TokenError::Malformed { .. }
            ),
            "{garbage:.20}"
        );
    }
    assert!(matches!(
        token_error(check(&"a".repeat(20_000)).await),
        TokenError::TooLarge { .. }
    ));
}

#[tokio::test]
async fn keys_published_for_other_uses_do_not_verify_tokens() {
    let good: Value = serde_json::from_str(&jwks_json(&[KID])).unwrap();
    let key = &good["keys"][0];
    for (field, value) in [("use", "enc"), ("alg", "RS384"), ("kty", "EC")] {
        let jwks = json!({"keys": [with(key.clone(), field, json!(value))]}).to_string();
        let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks);
        let token = sign(&rs256_header(KID), &claims());
        let error = token_error(verifier.verify(&token, NOW).await);
        assert!(
            matches!(error, TokenError::UnknownKeyId { .. }),
            "{field}={value}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_broken_jwks_is_a_key_problem_not_a_token_problem() {
    let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, "<html>not json</html>");
    let token = sign(&rs256_header(KID), &claims());
    assert!(matches!(
        verifier.verify(&token, NOW).await,
        Err(VerifyError::Jwks(_))
    ));
}

#[tokio::test]
async fn a_key_the_rsa_backend_cannot_use_is_a_key_problem_not_a_token_problem() {
    // The test key's modulus with a public exponent of 1: published as an
    // RS256 signing key, long enough, but no RSA implementation takes it.
    let mut jwks: Value = serde_json::from_str(&jwks_json(&[KID])).unwrap();
    jwks["keys"][0]["e"] = json!("AQ");
    let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks.to_string());
    let token = sign(&rs256_header(KID), &claims());
    assert!(matches!(
        verifier.verify(&token, NOW).await,
        Err(VerifyError::SignatureCheck { .. })
    ));
}
