//! The verifier alone, with an injected JWKS and a fixed "now": the exact
//! leeway boundaries and the odd corners of tokens and key sets.

mod support;

use serde_json::{Value, json};
use session_guard_notes_api::Verifier;
use session_guard_notes_api::verify::{Identity, LEEWAY_SECS, TokenError, VerifyError};
use support::*;

const NOW: u64 = 1_750_000_000;

fn claims() -> Value {
    json!({"sub": ALICE, "aud": CLIENT_ID, "iss": ISSUER, "token_use": "id",
           "iat": NOW - 10, "exp": NOW + 3590})
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

#[tokio::test]
async fn exp_and_iat_are_allowed_exactly_the_leeway() {
    assert_eq!(LEEWAY_SECS, 5);
    assert!(
        check_claims(with(claims(), "exp", json!(NOW - 5)))
            .await
            .is_ok()
    );
    assert_eq!(
        token_error(check_claims(with(claims(), "exp", json!(NOW - 6))).await),
        TokenError::Expired
    );
    assert!(
        check_claims(with(claims(), "iat", json!(NOW + 5)))
            .await
            .is_ok()
    );
    assert_eq!(
        token_error(check_claims(with(claims(), "iat", json!(NOW + 6))).await),
        TokenError::IssuedInFuture
    );
}

#[tokio::test]
async fn required_claims_must_be_present_and_well_typed() {
    let mut no_sub = claims();
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_eq!(
        token_error(check_claims(no_sub).await),
        TokenError::MissingClaim("sub")
    );
    assert_eq!(
        token_error(check_claims(with(claims(), "exp", json!("tomorrow"))).await),
        TokenError::MissingClaim("exp")
    );
    let mut no_use = claims();
    no_use.as_object_mut().unwrap().remove("token_use");
    assert_eq!(
        token_error(check_claims(no_use).await),
        TokenError::NotIdToken
    );
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
    assert!(matches!(
        token_error(check(&sign(&crit, &claims())).await),
        TokenError::Malformed(_)
    ));
    let no_kid = json!({"alg": "RS256"});
    assert!(matches!(
        token_error(check(&sign(&no_kid, &claims())).await),
        TokenError::Malformed(_)
    ));
    // RS512 is RSA too, but only RS256 is accepted; an absurd alg is not echoed.
    let rs512 = json!({"alg": "RS512", "kid": KID});
    assert_eq!(
        token_error(check(&sign(&rs512, &claims())).await),
        TokenError::UnsupportedAlg("\"RS512\"".to_owned())
    );
    let weird = json!({"alg": "<script>alert(1)</script>", "kid": KID});
    assert_eq!(
        token_error(check(&sign(&weird, &claims())).await),
        TokenError::UnsupportedAlg("(unrecognised)".to_owned())
    );
    for garbage in ["", "a.b", "a.b.c.d", "!!!.e30.x", &"a".repeat(20_000)] {
        assert!(
            matches!(token_error(check(garbage).await), TokenError::Malformed(_)),
            "{garbage:.20}"
        );
    }
}

#[tokio::test]
async fn keys_published_for_other_uses_do_not_verify_tokens() {
    let good: Value = serde_json::from_str(&jwks_json(&[KID])).unwrap();
    let key = &good["keys"][0];
    for (field, value) in [("use", "enc"), ("alg", "RS384"), ("kty", "EC")] {
        let jwks = json!({"keys": [with(key.clone(), field, json!(value))]}).to_string();
        let verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, &jwks);
        let token = sign(&rs256_header(KID), &claims());
        assert_eq!(
            token_error(verifier.verify(&token, NOW).await),
            TokenError::UnknownKid,
            "{field}={value}"
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
