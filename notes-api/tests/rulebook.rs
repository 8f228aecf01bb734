//! One rulebook, two ends: every case runs through the app's verifier
//! (`session_guard`'s `TokenVerifier` with the native RS256 backend) and
//! through the notes API's (`Verifier::verify`, what its bearer-token gate
//! calls), and both must give the same answer: the same accepted identity,
//! or the same refusal, of the expected kind, counted under the expected
//! `/stats` counter, without a key lookup when the token should be refused
//! before one.

mod support;

use serde_json::{Value, json};
use session_guard::cognito::{
    HttpResponse, IdClaims, NativeRsaVerifier, TimeCheck, TokenError, TokenVerifier,
    VerificationSettings,
};
use session_guard_notes_api::Verifier;
use session_guard_notes_api::rejection;
use session_guard_notes_api::verify::{LEEWAY_SECS, VerifyError};
use std::cell::Cell;
use support::forge::*;
use support::*;

const NOW: u64 = 1_750_000_000;

/// A Cognito ID token's claims at NOW.
fn claims() -> Value {
    json!({
        "sub": ALICE, "cognito:username": "alice", "email": "alice@example.com",
        "aud": CLIENT_ID, "iss": ISSUER, "token_use": "id",
        "auth_time": NOW - 600, "iat": NOW - 10, "exp": NOW + 3590,
        "jti": "jti-id-1", "origin_jti": "origin-1",
    })
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().unwrap().remove(key);
    claims
}

fn good(claims: &Value) -> String {
    sign(&rs256_header(KID), claims)
}

/// The pool's key set: the test key, plus keys that must never verify a
/// token. "not-rsa", "encryption" and "other-alg" publish the test key's own
/// numbers, so only the key set rules keep them from vouching for a token.
fn jwks_document() -> String {
    let test_key = rsa_jwk(KID, private_key());
    let same_numbers = |changes: Value| {
        let mut jwk = test_key.clone();
        jwk.as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        jwk
    };
    // The test key again, its modulus written with a leading zero byte.
    let mut padded_modulus = vec![0u8];
    padded_modulus.extend(rsa::traits::PublicKeyParts::n(private_key()).to_bytes_be());
    json!({ "keys": [
        test_key,
        same_numbers(json!({ "kid": "padded", "n": b64(padded_modulus) })),
        same_numbers(json!({ "kid": "not-rsa", "kty": "EC", "crv": "P-256" })),
        same_numbers(json!({ "kid": "encryption", "use": "enc" })),
        same_numbers(json!({ "kid": "other-alg", "alg": "RS512" })),
        rsa_jwk("weak-1024", weak_key_1024()),
        rsa_jwk("weak-2041", weak_key_2041()),
    ]})
    .to_string()
}

/// What both ends must answer.
enum Verdict {
    Accepted,
    Refused {
        is: Box<dyn Fn(&TokenError) -> bool>,
        /// The notes API's `/stats` counter.
        counted_as: &'static str,
        /// Whether the rules let it get as far as a key lookup.
        keys_looked_up: bool,
    },
}

struct Case {
    name: String,
    token: String,
    verdict: Verdict,
}

fn accepted(name: impl Into<String>, token: String) -> Case {
    Case {
        name: name.into(),
        token,
        verdict: Verdict::Accepted,
    }
}

/// Refused after the key was looked up (signature or claims).
fn refused(
    name: impl Into<String>,
    token: String,
    counted_as: &'static str,
    is: impl Fn(&TokenError) -> bool + 'static,
) -> Case {
    Case {
        name: name.into(),
        token,
        verdict: Verdict::Refused {
            is: Box::new(is),
            counted_as,
            keys_looked_up: true,
        },
    }
}

/// Refused by the structure and header rules, before any key lookup.
fn refused_unread(
    name: impl Into<String>,
    token: String,
    counted_as: &'static str,
    is: impl Fn(&TokenError) -> bool + 'static,
) -> Case {
    Case {
        verdict: Verdict::Refused {
            is: Box::new(is),
            counted_as,
            keys_looked_up: false,
        },
        name: name.into(),
        token,
    }
}

fn cases() -> Vec<Case> {
    let genuine = good(&claims());
    let parts: Vec<&str> = genuine.split('.').collect();
    let bob = good(&with(claims(), "sub", json!(BOB)));
    let bob_payload = bob.split('.').nth(1).unwrap();
    let mut signature =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[2])
            .unwrap();
    signature[17] ^= 0x01;
    let claims_text = claims().to_string();
    let header_text = rs256_header(KID).to_string();
    // `json` with `member` added at its end, whatever it already holds.
    let twice =
        |json: &str, member: &str| format!("{},{member}}}", json.strip_suffix('}').unwrap());
    // The HS256 secret an attacker can read: the published key set.
    let published_keys = jwks_document();

    let mut cases = vec![
        accepted("a genuine ID token", genuine.clone()),
        accepted(
            "exp one second before the boundary",
            good(&with(claims(), "exp", json!(NOW - LEEWAY_SECS + 1))),
        ),
        accepted(
            "iat at the edge of the leeway",
            good(&with(claims(), "iat", json!(NOW + LEEWAY_SECS))),
        ),
        accepted(
            "nbf at the edge of the leeway",
            good(&with(claims(), "nbf", json!(NOW + LEEWAY_SECS))),
        ),
        accepted(
            "exactly 16 KiB",
            token_of_length(&rs256_header(KID), &claims(), 16 * 1024),
        ),
        accepted(
            "a 2048-bit key whose n has a leading zero byte",
            sign(&rs256_header("padded"), &claims()),
        ),
        refused(
            "a bad signature",
            format!("{}.{}.{}", parts[0], parts[1], b64(&signature)),
            "bad_signature",
            |e| matches!(e, TokenError::BadSignature { .. }),
        ),
        refused(
            "another token's payload under this one's header and signature",
            format!("{}.{bob_payload}.{}", parts[0], parts[2]),
            "bad_signature",
            |e| matches!(e, TokenError::BadSignature { .. }),
        ),
        refused(
            "an unknown kid",
            sign(&rs256_header("rotated-away"), &claims()),
            "unknown_kid",
            |e| matches!(e, TokenError::UnknownKeyId { kid, .. } if kid == "rotated-away"),
        ),
        refused(
            "the kid of a non-RSA key",
            sign(&rs256_header("not-rsa"), &claims()),
            "unknown_kid",
            |e| matches!(e, TokenError::UnknownKeyId { .. }),
        ),
        refused(
            "the kid of an encryption key",
            sign(&rs256_header("encryption"), &claims()),
            "unknown_kid",
            |e| matches!(e, TokenError::UnknownKeyId { .. }),
        ),
        refused(
            "the kid of a key published for another algorithm",
            sign(&rs256_header("other-alg"), &claims()),
            "unknown_kid",
            |e| matches!(e, TokenError::UnknownKeyId { .. }),
        ),
        refused(
            "a 1024-bit key",
            sign_json_with(
                weak_key_1024(),
                &rs256_header("weak-1024").to_string(),
                &claims_text,
            ),
            "weak_key",
            |e| {
                matches!(
                    e,
                    TokenError::WeakKey {
                        bits: 1024,
                        minimum: 2048,
                        ..
                    }
                )
            },
        ),
        refused(
            "a 2041-bit key (256 bytes, but 2041 bits)",
            sign_json_with(
                weak_key_2041(),
                &rs256_header("weak-2041").to_string(),
                &claims_text,
            ),
            "weak_key",
            |e| {
                matches!(
                    e,
                    TokenError::WeakKey {
                        bits: 2041,
                        minimum: 2048,
                        ..
                    }
                )
            },
        ),
        refused(
            "a wrong issuer",
            good(&with(
                claims(),
                "iss",
                json!("http://127.0.0.1:9229/local_OtherPool"),
            )),
            "wrong_issuer",
            |e| matches!(e, TokenError::WrongIssuer { .. }),
        ),
        refused(
            "a wrong audience",
            good(&with(claims(), "aud", json!("someotherclient"))),
            "wrong_audience",
            |e| matches!(e, TokenError::WrongAudience { found, .. } if found == "someotherclient"),
        ),
        refused(
            "an audience list without this client",
            good(&with(claims(), "aud", json!(["x", "y"]))),
            "wrong_audience",
            |e| matches!(e, TokenError::WrongAudience { .. }),
        ),
        refused(
            "an access token (client_id, token_use access)",
            good(&with(
                with(without(claims(), "aud"), "client_id", json!(CLIENT_ID)),
                "token_use",
                json!("access"),
            )),
            "not_id_token",
            |e| matches!(e, TokenError::WrongTokenUse { found, .. } if found == "access"),
        ),
        refused(
            "another token_use",
            good(&with(claims(), "token_use", json!("refresh"))),
            "not_id_token",
            |e| matches!(e, TokenError::WrongTokenUse { found, .. } if found == "refresh"),
        ),
        refused(
            "exp an hour ago",
            good(&with(
                with(claims(), "exp", json!(NOW - 3600)),
                "iat",
                json!(NOW - 7200),
            )),
            "expired",
            |e| matches!(e, TokenError::Expired { .. }),
        ),
        refused(
            "exp exactly at the boundary (now = exp + leeway)",
            good(&with(claims(), "exp", json!(NOW - LEEWAY_SECS))),
            "expired",
            |e| matches!(e, TokenError::Expired { exp, now: NOW, .. } if *exp == NOW - LEEWAY_SECS),
        ),
        refused(
            "iat in the future",
            good(&with(claims(), "iat", json!(NOW + LEEWAY_SECS + 1))),
            "issued_in_future",
            |e| matches!(e, TokenError::IssuedInFuture { .. }),
        ),
        refused(
            "nbf in the future",
            good(&with(claims(), "nbf", json!(NOW + LEEWAY_SECS + 1))),
            "not_yet_valid",
            |e| matches!(e, TokenError::NotYetValid { nbf, .. } if *nbf == NOW + LEEWAY_SECS + 1),
        ),
        refused_unread(
            "alg none",
            format!(
                "{}.{}.",
                b64(json!({"alg": "none", "typ": "JWT"}).to_string()),
                parts[1]
            ),
            "unsupported_alg",
            |e| matches!(e, TokenError::UnsupportedAlgorithm { alg, .. } if alg == "none"),
        ),
        refused_unread(
            "HS256 keyed with the published key set",
            sign_hs256(
                &json!({"alg": "HS256", "kid": KID}),
                &claims(),
                published_keys.as_bytes(),
            ),
            "unsupported_alg",
            |e| matches!(e, TokenError::UnsupportedAlgorithm { alg, .. } if alg == "HS256"),
        ),
        refused_unread(
            "RS512, really signed with the pool's key",
            sign_rs512(&json!({"alg": "RS512", "kid": KID}), &claims()),
            "unsupported_alg",
            |e| matches!(e, TokenError::UnsupportedAlgorithm { alg, .. } if alg == "RS512"),
        ),
        refused_unread(
            "PS256, really signed with the pool's key",
            sign_ps256(&json!({"alg": "PS256", "kid": KID}), &claims()),
            "unsupported_alg",
            |e| matches!(e, TokenError::UnsupportedAlgorithm { alg, .. } if alg == "PS256"),
        ),
        refused_unread(
            "one byte over 16 KiB",
            token_of_length(&rs256_header(KID), &claims(), 16 * 1024 + 1),
            "malformed",
            |e| {
                matches!(
                    e,
                    TokenError::TooLarge {
                        limit_bytes: 16384,
                        ..
                    }
                )
            },
        ),
        refused_unread(
            "a payload that is not base64url",
            format!("{}.{}!.{}", parts[0], parts[1], parts[2]),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("base64url")),
        ),
        refused_unread(
            "a padded signature",
            format!("{genuine}=="),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("base64url")),
        ),
        refused_unread(
            "two parts",
            format!("{}.{}", parts[0], parts[1]),
            "malformed",
            |e| matches!(e, TokenError::Malformed { .. }),
        ),
        refused(
            "a claim given twice (sub)",
            sign_json(
                &header_text,
                &twice(&claims_text, &format!(r#""sub":"{BOB}""#)),
            ),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("twice")),
        ),
        refused(
            "a claim given twice under an escaped name (s\\u0075b)",
            sign_json(
                &header_text,
                &twice(&claims_text, &format!(r#""s\u0075b":"{BOB}""#)),
            ),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("twice")),
        ),
        refused(
            "a claim the verifier does not read, given twice (jti)",
            sign_json(&header_text, &twice(&claims_text, r#""jti":"jti-id-2""#)),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("twice")),
        ),
        refused_unread(
            "a header member given twice (kid)",
            sign_json(
                &twice(&header_text, r#""kid":"rotated-away""#),
                &claims_text,
            ),
            "malformed",
            |e| matches!(e, TokenError::Malformed { problem, .. } if problem.contains("twice")),
        ),
        refused_unread(
            "a crit header",
            sign(
                &json!({"alg": "RS256", "kid": KID, "crit": ["exp"]}),
                &claims(),
            ),
            "malformed",
            |e| matches!(e, TokenError::CriticalHeader { .. }),
        ),
        refused_unread(
            "no kid",
            sign(&json!({"alg": "RS256", "typ": "JWT"}), &claims()),
            "malformed",
            |e| matches!(e, TokenError::MissingKeyId { .. }),
        ),
    ];
    for claim in [
        "sub",
        "exp",
        "iat",
        "iss",
        "token_use",
        "aud",
        "auth_time",
        "cognito:username",
    ] {
        cases.push(refused(
            format!("no {claim} claim"),
            good(&without(claims(), claim)),
            "missing_claim",
            move |e| matches!(e, TokenError::MissingClaim { claim: named, .. } if *named == claim),
        ));
    }
    cases
}

fn settings() -> VerificationSettings {
    VerificationSettings {
        issuer: ISSUER.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        clock_leeway_secs: LEEWAY_SECS,
    }
}

/// The app's answer, and how many times it downloaded the key set.
async fn app_verdict(token: &str, jwks: &str) -> (Result<IdClaims, TokenError>, u32) {
    let mut verifier = TokenVerifier::new(settings(), NativeRsaVerifier);
    let downloads = Cell::new(0);
    let result = verifier
        .verify_id_token(token, TimeCheck::At { now_secs: NOW }, async || {
            downloads.set(downloads.get() + 1);
            Ok(HttpResponse::new(200, jwks))
        })
        .await;
    (result, downloads.get())
}

/// Checks one case at both ends; the problems found, if any.
async fn check(case: &Case, jwks: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (app, app_downloads) = app_verdict(&case.token, jwks).await;
    let api_verifier = Verifier::with_jwks(ISSUER, CLIENT_ID, jwks);
    let api = api_verifier.verify(&case.token, NOW).await;
    let api_downloads = api_verifier.jwks_fetches();
    match (&case.verdict, app, api) {
        (Verdict::Accepted, Ok(claims), Ok(identity)) => {
            if (claims.sub, claims.iat, claims.exp) != (identity.sub, identity.iat, identity.exp) {
                problems.push("the two ends read different claims".to_owned());
            }
        }
        (
            Verdict::Refused {
                is,
                counted_as,
                keys_looked_up,
            },
            Err(app),
            Err(VerifyError::Token(api)),
        ) => {
            if app != api {
                problems.push(format!("app refused with {app:?}, API with {api:?}"));
            }
            if !is(&app) {
                problems.push(format!("refused, but with {app:?}"));
            }
            if rejection::kind(&api) != *counted_as {
                problems.push(format!(
                    "counted as {}, expected {counted_as}",
                    rejection::kind(&api)
                ));
            }
            if !rejection::KINDS.contains(counted_as) {
                problems.push(format!("{counted_as} is not a /stats counter"));
            }
            if !keys_looked_up && (app_downloads, api_downloads) != (0, 0) {
                problems.push(format!(
                    "keys were looked up ({app_downloads} app, {api_downloads} API downloads)"
                ));
            }
            let shown = [
                app.to_string(),
                format!("{app:?}"),
                rejection::message(&api),
            ]
            .join("\n");
            for piece in case.token.split('.').filter(|piece| piece.len() >= 16) {
                if shown.contains(piece) {
                    problems.push(format!("a message quotes the token: {shown}"));
                }
            }
        }
        (_, app, api) => problems.push(format!("app: {app:?}; API: {api:?}")),
    }
    problems
}

#[tokio::test]
async fn the_app_and_the_notes_api_give_the_same_verdict_on_every_case() {
    let jwks = jwks_document();
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        for problem in check(case, &jwks).await {
            failures.push(format!("{}: {problem}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A weak-key case proves the floor only if the token would otherwise pass:
/// its signature is genuine, and its key has exactly the size claimed.
#[test]
fn the_weak_key_cases_are_genuine_signatures_by_keys_of_the_sizes_claimed() {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier as _;
    use rsa::traits::PublicKeyParts;
    for (key, bits) in [(weak_key_1024(), 1024), (weak_key_2041(), 2041)] {
        assert_eq!(key.n().bits(), bits);
        let token = sign_json_with(
            key,
            &rs256_header("weak").to_string(),
            &claims().to_string(),
        );
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature)
                .unwrap();
        VerifyingKey::<rsa::sha2::Sha256>::new(key.to_public_key())
            .verify(
                input.as_bytes(),
                &Signature::try_from(signature.as_slice()).unwrap(),
            )
            .expect("a genuine signature");
    }
    assert_eq!(
        weak_key_2041().size(),
        256,
        "as many bytes as a 2048-bit key"
    );
}
