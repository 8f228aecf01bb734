//! Signature, algorithm, key and claim checks on tokens minted with the test key.

use super::support::*;
use crate::cognito::{
    HttpResponse, JwkSet, JwksCache, JwksError, TimeCheck, TokenError, TokenUse, TokenVerifier,
    TransportError,
};
use hmac::{Hmac, Mac};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::json;
use sha2::Sha256;

#[test]
fn valid_id_and_access_tokens_are_accepted_with_their_claims() {
    let mut harness = Harness::new();
    let tokens = token_set();
    let verified = harness.tokens(tokens.clone()).expect("valid tokens");

    assert_eq!(verified.id.sub, SUB);
    assert_eq!(verified.id.username, "alice");
    assert_eq!(verified.id.email.as_deref(), Some("alice@example.com"));
    assert_eq!(verified.id.groups, ["editors", "admins"]);
    assert_eq!(verified.id.auth_time, NOW - 600);
    assert_eq!(verified.id.iat, NOW - 10);
    assert_eq!(verified.id.exp, NOW + 3590);
    assert_eq!(verified.id.origin_jti.as_deref(), Some("origin-jti-1"));
    assert_eq!(verified.id.token_use, TokenUse::Id);
    assert_eq!(verified.id.aud, CLIENT_ID);

    assert_eq!(verified.access.sub, SUB);
    assert_eq!(verified.access.username, "alice");
    assert_eq!(verified.access.client_id, CLIENT_ID);
    assert_eq!(
        verified.access.scope.as_deref(),
        Some("aws.cognito.signin.user.admin")
    );
    assert_eq!(verified.access.auth_time, NOW - 600);

    assert_eq!(verified.id_token, tokens.id_token);
    assert_eq!(verified.access_token, tokens.access_token);
    assert_eq!(verified.refresh_token, tokens.refresh_token);
    // One download serves both tokens: they share a kid, and the cache keeps it.
    assert_eq!(harness.fetches(), 1);
    assert_eq!(harness.signature_checks(), 2);
}

#[test]
fn cognito_local_shaped_tokens_without_optional_claims_are_accepted() {
    let mut harness = Harness::new();
    let id = without(
        without(without(id_claims(), "origin_jti"), "cognito:groups"),
        "email",
    );
    let claims = harness.id(&sign(&rs256_header(KID), &id)).expect("valid");
    assert!(claims.groups.is_empty());
    assert_eq!(claims.email, None);
    assert_eq!(claims.origin_jti, None);
}

#[test]
fn tampered_signature_is_rejected() {
    let mut harness = Harness::new();
    let token = id_token();
    let (input, signature) = token.rsplit_once('.').unwrap();
    let mut bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature)
            .unwrap();
    bytes[10] ^= 0x01;
    let tampered = format!("{input}.{}", b64(bytes));
    assert_eq!(
        harness.id(&tampered),
        Err(TokenError::BadSignature { kind: TokenUse::Id })
    );
}

#[test]
fn payload_of_another_token_under_the_original_signature_is_rejected() {
    let mut harness = Harness::new();
    let genuine = id_token();
    let (header, _, signature) = split3(&genuine);
    // Same claims but another user: what an attacker would want to swap in.
    let forged_payload = b64(with(id_claims(), "sub", json!("someone-else")).to_string());
    let swapped = format!("{header}.{forged_payload}.{signature}");
    assert_eq!(
        harness.id(&swapped),
        Err(TokenError::BadSignature { kind: TokenUse::Id })
    );
    // And the payload of the (genuinely signed) access token.
    let access = access_token();
    let (_, access_payload, _) = split3(&access);
    let swapped = format!("{header}.{access_payload}.{signature}");
    assert_eq!(
        harness.id(&swapped),
        Err(TokenError::BadSignature { kind: TokenUse::Id })
    );
}

#[test]
fn unknown_kid_triggers_exactly_one_reload_then_fails() {
    let mut harness = Harness::new();
    harness.id(&id_token()).expect("loads the keys");
    assert_eq!(harness.fetches(), 1);

    let token = sign(&rs256_header("rotated-away"), &id_claims());
    assert_eq!(
        harness.id(&token),
        Err(TokenError::UnknownKeyId {
            kind: TokenUse::Id,
            kid: "rotated-away".to_owned()
        })
    );
    assert_eq!(
        harness.fetches(),
        2,
        "one reload for the unknown kid, no more"
    );
    assert_eq!(harness.signature_checks(), 1, "no crypto without a key");
}

#[test]
fn new_kid_is_found_after_reloading_rotated_keys() {
    let mut harness = Harness::new();
    harness.id(&id_token()).expect("loads the keys");
    // The pool rotated to a new key; the old cached set does not know it.
    *harness.jwks.answer.borrow_mut() = Ok(HttpResponse::new(200, jwks_json(&[KID, "key-2"])));
    let token = sign(&rs256_header("key-2"), &id_claims());
    harness.id(&token).expect("found after reload");
    harness.id(&token).expect("now cached");
    assert_eq!(harness.fetches(), 2);
}

#[test]
fn kid_of_a_different_key_fails_the_signature_check() {
    // The JWKS publishes "other-key" with a different modulus: right kid, wrong key.
    let mut other = jwk("other-key");
    let mut modulus =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &other.n)
            .unwrap();
    *modulus.last_mut().unwrap() ^= 0x02;
    other.n = b64(modulus);
    let cache = JwksCache::with_keys(JwkSet::from_keys(vec![jwk(KID), other]));
    let mut verifier = TokenVerifier::with_cache(settings(), RsaVerifier::default(), cache);
    let token = sign(&rs256_header("other-key"), &id_claims());
    let result = block_on(verifier.verify_id_token(
        &token,
        TimeCheck::At { now_secs: NOW },
        async || panic!("cached kid needs no download"),
    ));
    assert_eq!(result, Err(TokenError::BadSignature { kind: TokenUse::Id }));
}

#[test]
fn missing_kid_is_rejected_before_any_download_or_crypto() {
    let mut harness = Harness::new();
    let token = sign(&json!({ "alg": "RS256" }), &id_claims());
    assert_eq!(
        harness.id(&token),
        Err(TokenError::MissingKeyId { kind: TokenUse::Id })
    );
    assert_eq!((harness.fetches(), harness.signature_checks()), (0, 0));
}

#[test]
fn alg_none_is_rejected_before_any_download_or_crypto() {
    let mut harness = Harness::new();
    let input = signing_input(&json!({ "alg": "none", "kid": KID }), &id_claims());
    for token in [format!("{input}."), format!("{input}.{}", b64("x"))] {
        assert_eq!(
            harness.id(&token),
            Err(TokenError::UnsupportedAlgorithm {
                kind: TokenUse::Id,
                alg: "none".to_owned()
            })
        );
    }
    assert_eq!((harness.fetches(), harness.signature_checks()), (0, 0));
}

#[test]
fn hs256_signed_with_the_public_key_as_secret_is_rejected_before_crypto() {
    let mut harness = Harness::new();
    // The classic key-confusion attack: HMAC keyed with the (public) RSA key.
    let public_pem = private_key()
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let input = signing_input(
        &json!({ "alg": "HS256", "kid": KID, "typ": "JWT" }),
        &id_claims(),
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(public_pem.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    let token = format!("{input}.{}", b64(mac.finalize().into_bytes()));
    assert_eq!(
        harness.id(&token),
        Err(TokenError::UnsupportedAlgorithm {
            kind: TokenUse::Id,
            alg: "HS256".to_owned()
        })
    );
    assert_eq!((harness.fetches(), harness.signature_checks()), (0, 0));
}

#[test]
fn other_algorithms_and_case_variants_are_rejected() {
    let mut harness = Harness::new();
    for alg in ["rs256", "RS384", "RS512", "PS256", "ES256", "EdDSA"] {
        let token = sign(&json!({ "alg": alg, "kid": KID }), &id_claims());
        assert!(
            matches!(
                harness.id(&token),
                Err(TokenError::UnsupportedAlgorithm { .. })
            ),
            "{alg} must be rejected"
        );
    }
    assert_eq!(harness.signature_checks(), 0);
}

#[test]
fn wrong_issuer_is_rejected_naming_both_issuers() {
    let mut harness = Harness::new();
    let token = sign(
        &rs256_header(KID),
        &with(
            id_claims(),
            "iss",
            json!("http://127.0.0.1:9229/local_pool"),
        ),
    );
    let error = harness.id(&token).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "The ID token issuer is http://127.0.0.1:9229/local_pool but this app expects {ISSUER}."
        )
    );
}

#[test]
fn wrong_audience_is_rejected() {
    let mut harness = Harness::new();
    let token = sign(
        &rs256_header(KID),
        &with(id_claims(), "aud", json!("other-client")),
    );
    assert_eq!(
        harness.id(&token),
        Err(TokenError::WrongAudience {
            found: "other-client".to_owned(),
            expected: CLIENT_ID.to_owned()
        })
    );
    let missing = sign(&rs256_header(KID), &without(id_claims(), "aud"));
    assert_eq!(
        harness.id(&missing),
        Err(TokenError::MissingClaim {
            kind: TokenUse::Id,
            claim: "aud"
        })
    );
}

#[test]
fn audience_list_must_contain_the_client() {
    let mut harness = Harness::new();
    let listed = sign(
        &rs256_header(KID),
        &with(id_claims(), "aud", json!(["x", CLIENT_ID])),
    );
    assert!(harness.id(&listed).is_ok());
}

#[test]
fn access_token_for_another_client_is_rejected() {
    let mut harness = Harness::new();
    let token = sign(
        &rs256_header(KID),
        &with(access_claims(), "client_id", json!("other-client")),
    );
    assert_eq!(
        harness.access(&token),
        Err(TokenError::WrongClientId {
            found: "other-client".to_owned(),
            expected: CLIENT_ID.to_owned()
        })
    );
}

#[test]
fn access_token_used_as_id_token_and_vice_versa_is_rejected() {
    let mut harness = Harness::new();
    assert_eq!(
        harness.id(&access_token()),
        Err(TokenError::WrongTokenUse {
            expected: TokenUse::Id,
            found: "access".to_owned()
        })
    );
    assert_eq!(
        harness.access(&id_token()),
        Err(TokenError::WrongTokenUse {
            expected: TokenUse::Access,
            found: "id".to_owned()
        })
    );
    let mut swapped = token_set();
    std::mem::swap(&mut swapped.id_token, &mut swapped.access_token);
    assert!(matches!(
        harness.tokens(swapped),
        Err(TokenError::WrongTokenUse { .. })
    ));
}

#[test]
fn expired_token_is_rejected_beyond_the_leeway_only() {
    let mut harness = Harness::new();
    let expired = sign(
        &rs256_header(KID),
        &with(id_claims(), "exp", json!(NOW - LEEWAY)),
    );
    assert_eq!(
        harness.id(&expired),
        Err(TokenError::Expired {
            kind: TokenUse::Id,
            exp: NOW - LEEWAY,
            now: NOW,
            leeway_secs: LEEWAY
        })
    );
    let within_leeway = sign(
        &rs256_header(KID),
        &with(id_claims(), "exp", json!(NOW - LEEWAY + 1)),
    );
    assert!(harness.id(&within_leeway).is_ok());
}

#[test]
fn token_issued_in_the_future_is_rejected_beyond_the_leeway_only() {
    let mut harness = Harness::new();
    let future = sign(
        &rs256_header(KID),
        &with(id_claims(), "iat", json!(NOW + LEEWAY + 1)),
    );
    assert_eq!(
        harness.id(&future),
        Err(TokenError::IssuedInFuture {
            kind: TokenUse::Id,
            iat: NOW + LEEWAY + 1,
            now: NOW,
            leeway_secs: LEEWAY
        })
    );
    let within_leeway = sign(
        &rs256_header(KID),
        &with(id_claims(), "iat", json!(NOW + LEEWAY)),
    );
    assert!(harness.id(&within_leeway).is_ok());
}

#[test]
fn skipping_the_time_check_returns_claims_for_a_skew_corrected_check() {
    let mut harness = Harness::new();
    // The device clock is two hours ahead: the token looks expired locally.
    let device_now = NOW + 7200;
    let token = id_token();
    assert!(matches!(
        harness.id_at(
            &token,
            TimeCheck::At {
                now_secs: device_now
            }
        ),
        Err(TokenError::Expired { .. })
    ));
    let claims = harness
        .id_at(&token, TimeCheck::Skip)
        .expect("time not checked");
    // The caller corrects the clock with the offset it estimated from iat.
    assert_eq!(claims.check_times(device_now - 7200, LEEWAY), Ok(()));
    assert!(claims.check_times(device_now, LEEWAY).is_err());
    // Skip does not skip anything else.
    let wrong_issuer = sign(&rs256_header(KID), &with(id_claims(), "iss", json!("x")));
    assert!(matches!(
        harness.id_at(&wrong_issuer, TimeCheck::Skip),
        Err(TokenError::WrongIssuer { .. })
    ));
}

#[test]
fn missing_required_claims_are_named() {
    let mut harness = Harness::new();
    for claim in [
        "auth_time",
        "exp",
        "iat",
        "sub",
        "iss",
        "token_use",
        "cognito:username",
    ] {
        let token = sign(&rs256_header(KID), &without(id_claims(), claim));
        assert_eq!(
            harness.id(&token),
            Err(TokenError::MissingClaim {
                kind: TokenUse::Id,
                claim
            }),
            "{claim}"
        );
    }
    for claim in ["auth_time", "client_id", "username"] {
        let token = sign(&rs256_header(KID), &without(access_claims(), claim));
        assert_eq!(
            harness.access(&token),
            Err(TokenError::MissingClaim {
                kind: TokenUse::Access,
                claim
            }),
            "{claim}"
        );
    }
}

#[test]
fn claims_of_the_wrong_type_are_malformed() {
    let mut harness = Harness::new();
    for (claim, value) in [
        ("auth_time", json!("yesterday")),
        ("exp", json!(-5)),
        ("exp", json!(u64::MAX)),
        ("cognito:groups", json!("editors")),
    ] {
        let token = sign(&rs256_header(KID), &with(id_claims(), claim, value));
        assert!(
            matches!(harness.id(&token), Err(TokenError::Malformed { .. })),
            "{claim}"
        );
    }
}

#[test]
fn id_and_access_tokens_of_different_users_are_rejected() {
    let mut harness = Harness::new();
    let mut tokens = token_set();
    tokens.access_token = crate::cognito::Secret::new(sign(
        &rs256_header(KID),
        &with(access_claims(), "sub", json!("another-user")),
    ));
    assert_eq!(harness.tokens(tokens), Err(TokenError::SubjectMismatch));
}

#[test]
fn truncated_and_garbage_tokens_are_malformed_without_crypto() {
    let mut harness = Harness::new();
    let token = id_token();
    let (input, _) = token.rsplit_once('.').unwrap();
    for garbage in [
        "",
        ".",
        "..",
        "not a token",
        "a.b",
        "a.b.c.d",
        "%%%.%%%.%%%",
        &token[..token.find('.').unwrap()],
        input,
        &token[..token.len() / 2],
        &token[..20],
    ] {
        let result = harness.id(garbage);
        assert!(
            matches!(result, Err(TokenError::Malformed { .. })),
            "{garbage:?} gave {result:?}"
        );
    }
    assert_eq!(harness.signature_checks(), 0);
    // Cut inside the signature at a base64 quantum: parses, but the signature is wrong.
    assert_eq!(
        harness.id(&token[..token.len() - 6]),
        Err(TokenError::BadSignature { kind: TokenUse::Id })
    );
}

#[test]
fn unavailable_key_set_is_a_transient_failure() {
    for answer in [
        Err(TransportError::Timeout),
        Ok(HttpResponse::new(503, "<html>busy</html>")),
        Ok(HttpResponse::new(200, "<html>captive portal</html>")),
    ] {
        let mut harness = Harness::with_endpoint(JwksEndpoint::answering(answer));
        let error = harness.id(&id_token()).unwrap_err();
        assert!(
            matches!(error, TokenError::KeySetUnavailable { .. }),
            "{error:?}"
        );
        assert!(error.is_transient());
    }
    assert!(!TokenError::BadSignature { kind: TokenUse::Id }.is_transient());
}

#[test]
fn a_failed_reload_keeps_the_cached_keys() {
    let mut harness = Harness::new();
    harness.id(&id_token()).expect("loads the keys");
    *harness.jwks.answer.borrow_mut() = Err(TransportError::Network {
        reason: "offline".to_owned(),
    });
    let unknown = sign(&rs256_header("new-key"), &id_claims());
    assert!(matches!(
        harness.id(&unknown),
        Err(TokenError::KeySetUnavailable {
            source: JwksError::Transport(_),
            ..
        })
    ));
    harness.id(&id_token()).expect("old key still cached");
}

fn split3(token: &str) -> (&str, &str, &str) {
    let mut parts = token.split('.');
    (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    )
}

#[test]
fn claims_and_header_members_are_read_by_kind() {
    let mut harness = Harness::new();
    let malformed =
        |result: Result<(), TokenError>| matches!(result, Err(TokenError::Malformed { .. }));
    // A null claim counts as absent.
    for claim in ["exp", "aud", "sub", "cognito:username"] {
        let token = sign(&rs256_header(KID), &with(id_claims(), claim, json!(null)));
        assert_eq!(
            harness.id(&token),
            Err(TokenError::MissingClaim {
                kind: TokenUse::Id,
                claim
            }),
            "{claim}"
        );
    }
    let token = sign(&rs256_header(KID), &with(id_claims(), "email", json!(null)));
    assert_eq!(harness.id(&token).expect("valid").email, None);
    for (claim, value) in [
        ("aud", json!([CLIENT_ID, 5])),
        ("aud", json!({ "client": CLIENT_ID })),
        ("aud", json!(5)),
        ("iat", json!("1750000000")),
        ("nbf", json!(true)),
        ("email", json!(["alice@example.com"])),
        ("cognito:groups", json!(["editors", 5])),
        ("nonce", json!(5)),
        ("origin_jti", json!({})),
    ] {
        let token = sign(&rs256_header(KID), &with(id_claims(), claim, value));
        assert!(malformed(harness.id(&token).map(drop)), "{claim}");
    }
    for (claim, value) in [
        ("client_id", json!(5)),
        ("scope", json!(["openid"])),
        ("username", json!(1)),
    ] {
        let token = sign(&rs256_header(KID), &with(access_claims(), claim, value));
        assert!(malformed(harness.access(&token).map(drop)), "{claim}");
    }
    for header in [
        json!({ "alg": null, "kid": KID }),
        json!({ "alg": 256, "kid": KID }),
        json!({ "alg": "RS256", "kid": 5 }),
        json!(["RS256", KID]),
    ] {
        assert!(
            malformed(harness.id(&sign(&header, &id_claims())).map(drop)),
            "{header}"
        );
    }
    // A kid of null counts as absent; the claims must be an object.
    assert_eq!(
        harness.id(&sign(&json!({ "alg": "RS256", "kid": null }), &id_claims())),
        Err(TokenError::MissingKeyId { kind: TokenUse::Id })
    );
    assert!(malformed(
        harness
            .id(&sign(&rs256_header(KID), &json!([SUB])))
            .map(drop)
    ));
}

#[test]
fn a_time_claim_is_a_number_of_whole_seconds_from_1970_to_9999() {
    let mut harness = Harness::new();
    let exp_of = |harness: &mut Harness, exp: &str| {
        let claims = id_claims().to_string();
        let claims = claims.replace(
            &format!("\"exp\":{}", NOW + 3590),
            &format!("\"exp\":{exp}"),
        );
        assert!(claims.contains(exp));
        harness
            .id_at(
                &sign_json(&rs256_header(KID).to_string(), &claims),
                TimeCheck::Skip,
            )
            .map(|claims| claims.exp)
    };
    for (exp, read) in [
        ("1750003590", 1_750_003_590),
        ("1750003590.999", 1_750_003_590),
        ("1.75000359e9", 1_750_003_590),
        ("17500035900e-1", 1_750_003_590),
        ("1750003590E0", 1_750_003_590),
        ("175000359.05E+1", 1_750_003_590),
        ("253402300799", 253_402_300_799),
        ("253402300799.0", 253_402_300_799),
        ("2.53402300799e11", 253_402_300_799),
        ("0", 0),
        ("-0", 0),
        ("-0.0", 0),
        ("0.5", 0),
        ("5e-324", 0),
        ("0e999999999999999999999", 0),
    ] {
        assert_eq!(exp_of(&mut harness, exp), Ok(read), "{exp}");
    }
    for exp in [
        "-1",
        "-0.5",
        "-1e-9",
        "253402300800",
        "253402300799.5",
        "2.534023008e11",
        "1e12",
        "1e999999999999999999999",
        "18446744073709551616",
        "99999999999999999999999999",
    ] {
        assert!(
            matches!(exp_of(&mut harness, exp), Err(TokenError::Malformed { .. })),
            "{exp}"
        );
    }
}
