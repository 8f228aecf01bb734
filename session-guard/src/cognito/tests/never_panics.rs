//! Hostile input never panics the token parser, the verifier, the JWKS parser
//! or the error mapping.

use super::support::*;
use crate::cognito::{
    CognitoError, HttpResponse, JwkSet, JwksCache, Operation, TimeCheck, TokenVerifier,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A verifier that already knows the test key, so no download is needed.
fn verifier() -> TokenVerifier<RsaVerifier> {
    let cache = JwksCache::with_keys(JwkSet::from_keys(vec![jwk(KID)]));
    TokenVerifier::with_cache(settings(), RsaVerifier::default(), cache)
}

fn verify_both(token: &str) -> bool {
    let mut verifier = verifier();
    let time = TimeCheck::At { now_secs: NOW };
    let jwks = || async { Ok(HttpResponse::new(200, jwks_json(&[KID]))) };
    let id = block_on(verifier.verify_id_token(token, time, async || jwks().await));
    let access = block_on(verifier.verify_access_token(token, time, async || jwks().await));
    id.is_ok() || access.is_ok()
}

fn base64url_part() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{0,48}"
}

fn claim_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop::collection::vec(".{0,6}", 0..3).prop_map(Value::from),
    ]
}

proptest! {
    #[test]
    fn arbitrary_strings_are_rejected_without_panicking(token in ".{0,200}") {
        prop_assert!(!verify_both(&token));
    }

    #[test]
    fn arbitrary_three_part_base64_is_rejected_without_panicking(
        header in base64url_part(), claims in base64url_part(), signature in base64url_part()
    ) {
        let token = format!("{header}.{claims}.{signature}");
        prop_assert!(!verify_both(&token));
    }

    #[test]
    fn valid_header_with_arbitrary_payload_and_signature_is_rejected(
        claims in prop::collection::vec(any::<u8>(), 0..200),
        signature in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let token = format!("{}.{}.{}", b64(rs256_header(KID).to_string()), b64(claims), b64(signature));
        prop_assert!(!verify_both(&token));
    }

    #[test]
    fn arbitrary_error_answers_map_without_panicking(
        status in 0u16..1000,
        body in prop_oneof![
            ".{0,100}",
            (".{0,40}", ".{0,40}").prop_map(|(t, m)| json!({"__type": t, "message": m}).to_string()),
        ],
    ) {
        let _ = CognitoError::from_error_response(Operation::Refresh, &HttpResponse::new(status, body))
            .retry_class();
    }

    #[test]
    fn arbitrary_jwks_documents_parse_without_panicking(document in ".{0,200}") {
        let _ = JwkSet::parse(&document);
    }
}

// Each case signs two tokens; fewer cases keep unoptimised builds fast.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn genuinely_signed_tokens_with_arbitrary_claim_values_never_panic(
        claim in prop::sample::select(vec![
            "iss", "sub", "aud", "token_use", "auth_time", "iat", "exp", "nbf",
            "cognito:username", "cognito:groups", "email", "origin_jti", "client_id", "scope",
        ]),
        value in claim_value(),
    ) {
        let id = sign(&rs256_header(KID), &with(id_claims(), claim, value.clone()));
        let access = sign(&rs256_header(KID), &with(access_claims(), claim, value));
        let mut verifier = verifier();
        let time = TimeCheck::At { now_secs: NOW };
        let _ = block_on(verifier.verify_id_token(&id, time, async || unreachable!()));
        let _ = block_on(verifier.verify_access_token(&access, time, async || unreachable!()));
    }
}
