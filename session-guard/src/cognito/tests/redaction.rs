//! Token values never reach `Debug` output or error messages.

use super::support::*;
use crate::cognito::{HttpResponse, TokenError};
use serde_json::json;

fn assert_hidden(shown: &str, secret: &str) {
    assert!(!secret.is_empty());
    assert!(!shown.contains(secret), "{shown:?} reveals {secret:?}");
}

#[test]
fn debug_of_every_type_holding_tokens_hides_them() {
    let tokens = token_set();
    let mut harness = Harness::new();
    let verified = harness.tokens(tokens.clone()).expect("valid");
    let response = HttpResponse::new(
        200,
        json!({ "AuthenticationResult": { "IdToken": tokens.id_token.expose() } }).to_string(),
    );
    let shown = [
        format!("{tokens:?}"),
        format!("{tokens:#?}"),
        format!("{verified:?}"),
        format!("{verified:#?}"),
        format!("{response:?}"),
        format!("{:?}", harness.verifier),
    ];
    for shown in &shown {
        for secret in [
            &tokens.id_token,
            &tokens.access_token,
            &tokens.refresh_token,
        ] {
            assert_hidden(shown, secret.expose());
            // Not even a part of a JWT (its payload or signature).
            for part in secret.expose().split('.') {
                if part.len() > 16 {
                    assert_hidden(shown, part);
                }
            }
        }
    }
    // The claims themselves are not secret and stay readable for debugging.
    assert!(format!("{verified:?}").contains("alice"));
}

#[test]
fn token_errors_never_contain_the_token() {
    let mut harness = Harness::new();
    let id = id_token();
    let (input, signature) = id.rsplit_once('.').unwrap();
    let broken_tokens = [
        format!("{input}.{}", b64([7u8; 256])),
        format!("{input}x.{signature}"),
        access_token(),
        sign(
            &rs256_header(KID),
            &with(id_claims(), "iss", json!(id.clone())),
        ),
        sign(
            &rs256_header(KID),
            &with(id_claims(), "aud", json!(id.clone())),
        ),
        sign(&rs256_header(&id), &id_claims()),
        sign(&json!({ "alg": id.clone(), "kid": KID }), &id_claims()),
        sign(
            &rs256_header(KID),
            &with(id_claims(), "exp", json!(NOW - 3600)),
        ),
        sign(
            &rs256_header(KID),
            &with(id_claims(), "exp", json!(id.clone())),
        ),
        id[..id.len() / 2].to_owned(),
    ];
    for token in &broken_tokens {
        let error: TokenError = harness.id(token).unwrap_err();
        for shown in [error.to_string(), format!("{error:?}")] {
            assert_hidden(&shown, token);
            assert_hidden(&shown, &id);
            assert_hidden(&shown, signature);
            assert!(shown.len() < 400, "{shown}");
        }
    }
}
