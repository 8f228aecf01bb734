//! The structural, key and time rules the app shares with the notes API
//! (size cap, duplicate members, `crit`, key length, `nbf`, the boundaries).
//! The notes API's `tests/rulebook.rs` runs the same cases through both ends.

use super::support::*;
use crate::cognito::{
    Jwk, JwkSet, JwksCache, MAX_TOKEN_BYTES, TimeCheck, TokenError, TokenTimes, TokenUse,
    TokenVerifier, check_token_times,
};
use serde_json::json;

fn jwk_with_modulus(modulus: &[u8]) -> Jwk {
    Jwk {
        n: b64(modulus),
        ..jwk("k")
    }
}

#[test]
fn modulus_length_is_counted_in_bits_without_leading_zeros() {
    let with_top_byte = |top: u8, rest: usize| {
        let mut modulus = vec![top];
        modulus.extend(std::iter::repeat_n(0xff, rest));
        modulus
    };
    assert_eq!(jwk("k").modulus_bits(), Some(2048));
    // 256 bytes, but only one bit of the first is used.
    assert_eq!(
        jwk_with_modulus(&with_top_byte(0x01, 255)).modulus_bits(),
        Some(2041)
    );
    assert_eq!(
        jwk_with_modulus(&with_top_byte(0x80, 255)).modulus_bits(),
        Some(2048)
    );
    // A zero byte in front (as an ASN.1-minded encoder might write it).
    let mut padded = vec![0, 0];
    padded.extend(with_top_byte(0x80, 255));
    assert_eq!(jwk_with_modulus(&padded).modulus_bits(), Some(2048));
    let mut padded_short = vec![0];
    padded_short.extend(with_top_byte(0x7f, 255));
    assert_eq!(jwk_with_modulus(&padded_short).modulus_bits(), Some(2047));
    assert_eq!(jwk_with_modulus(&[0, 0]).modulus_bits(), Some(0));
    let not_base64 = Jwk {
        n: "not base64!".to_owned(),
        ..jwk("k")
    };
    assert_eq!(not_base64.modulus_bits(), None);
}

#[test]
fn keys_whose_numbers_are_not_base64url_are_not_usable() {
    let document = json!({ "keys": [
        published_jwk("good"),
        { "kty": "RSA", "kid": "bad-n", "use": "sig", "n": "a+b/", "e": "AQAB" },
        { "kty": "RSA", "kid": "empty-e", "use": "sig", "n": "AQAB", "e": "" },
    ]});
    let set = JwkSet::parse(&document.to_string()).expect("parses");
    let kids: Vec<_> = set.keys().iter().map(|key| key.kid.as_str()).collect();
    assert_eq!(kids, ["good"]);
}

/// A verifier knowing the test key under KID and `key` under its own kid.
fn verifier_with(key: Jwk) -> TokenVerifier<RsaVerifier> {
    let cache = JwksCache::with_keys(JwkSet::from_keys(vec![jwk(KID), key]));
    TokenVerifier::with_cache(settings(), RsaVerifier::default(), cache)
}

#[test]
fn a_short_modulus_is_refused_before_the_signature_is_checked() {
    // The test key's modulus with its top bits cleared: 2041 bits in 256 bytes.
    let mut modulus = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        jwk(KID).n,
    )
    .unwrap();
    modulus[0] = 0x01;
    let mut verifier = verifier_with(Jwk {
        kid: "short".to_owned(),
        ..jwk_with_modulus(&modulus)
    });
    let token = sign(&rs256_header("short"), &id_claims());
    let result = block_on(verifier.verify_id_token(
        &token,
        TimeCheck::At { now_secs: NOW },
        async || unreachable!("the key is cached"),
    ));
    assert_eq!(
        result,
        Err(TokenError::WeakKey {
            kind: TokenUse::Id,
            bits: 2041,
            minimum: 2048
        })
    );
    assert_eq!(verifier.signature_verifier().calls.get(), 0);
}

#[test]
fn a_full_length_modulus_written_with_a_leading_zero_is_accepted() {
    let mut modulus = vec![0];
    modulus.extend(
        base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwk(KID).n,
        )
        .unwrap(),
    );
    let mut verifier = verifier_with(Jwk {
        kid: "padded".to_owned(),
        ..jwk_with_modulus(&modulus)
    });
    let token = sign(&rs256_header("padded"), &id_claims());
    block_on(
        verifier.verify_id_token(&token, TimeCheck::At { now_secs: NOW }, async || {
            unreachable!("the key is cached")
        }),
    )
    .expect("2048 bits once the zero byte is stripped");
}

#[test]
fn time_boundaries_are_the_documented_ones() {
    let leeway = 5;
    let now = NOW;
    let times = |iat, exp, nbf| TokenTimes { iat, exp, nbf };
    let check = |times| check_token_times(TokenUse::Id, times, now, leeway);
    // Valid only before exp + leeway.
    assert!(matches!(
        check(times(now - 100, now - leeway, None)),
        Err(TokenError::Expired { .. })
    ));
    assert_eq!(check(times(now - 100, now - leeway + 1, None)), Ok(()));
    // Valid from nbf - leeway on.
    assert_eq!(check(times(now, now + 60, Some(now + leeway))), Ok(()));
    assert_eq!(
        check(times(now, now + 60, Some(now + leeway + 1))),
        Err(TokenError::NotYetValid {
            kind: TokenUse::Id,
            nbf: now + leeway + 1,
            now,
            leeway_secs: leeway
        })
    );
    // Issued at most leeway seconds ahead.
    assert_eq!(check(times(now + leeway, now + 60, None)), Ok(()));
    assert!(matches!(
        check(times(now + leeway + 1, now + 60, None)),
        Err(TokenError::IssuedInFuture { .. })
    ));
}

#[test]
fn nbf_is_honoured_and_kept_for_the_skew_corrected_check() {
    let mut harness = Harness::new();
    let nbf = NOW + LEEWAY + 1;
    let token = sign(&rs256_header(KID), &with(id_claims(), "nbf", json!(nbf)));
    assert!(matches!(
        harness.id(&token),
        Err(TokenError::NotYetValid { nbf: found, .. }) if found == nbf
    ));
    let claims = harness
        .id_at(&token, TimeCheck::Skip)
        .expect("time not checked");
    assert_eq!(claims.nbf, Some(nbf));
    assert!(claims.check_times(NOW, LEEWAY).is_err());
    assert_eq!(claims.check_times(NOW + 1, LEEWAY), Ok(()));
    let claims = harness.id(&id_token()).expect("no nbf is fine");
    assert_eq!(claims.nbf, None);
}

#[test]
fn a_member_named_twice_is_refused_in_claims_and_header() {
    let mut harness = Harness::new();
    let claims = id_claims().to_string();
    let header = rs256_header(KID).to_string();
    // `json` with `member` added at its end.
    let twice =
        |json: &str, member: &str| format!("{},{member}}}", json.strip_suffix('}').unwrap());
    for (header, claims) in [
        (header.clone(), twice(&claims, r#""sub":"someone-else""#)),
        // The same name spelt with an escape is the same name.
        (
            header.clone(),
            twice(&claims, r#""s\u0075b":"someone-else""#),
        ),
        // A name the verifier does not read is still not allowed twice.
        (header.clone(), twice(&claims, r#""jti":"again""#)),
        (twice(&header, r#""alg":"RS256""#), claims.clone()),
    ] {
        let result = harness.id(&sign_json(&header, &claims));
        assert!(
            matches!(&result, Err(TokenError::Malformed { problem, .. }) if problem.contains("twice")),
            "{header} {claims}: {result:?}"
        );
    }
}

#[test]
fn a_critical_header_extension_is_refused_before_any_download() {
    let mut harness = Harness::new();
    for crit in [json!(["exp"]), json!([]), json!(null)] {
        let header = json!({ "alg": "RS256", "kid": KID, "crit": crit });
        assert_eq!(
            harness.id(&sign(&header, &id_claims())),
            Err(TokenError::CriticalHeader { kind: TokenUse::Id })
        );
    }
    assert_eq!((harness.fetches(), harness.signature_checks()), (0, 0));
}

/// A genuinely signed ID token exactly `length` bytes long (a filler claim
/// and a header member take up the slack).
fn id_token_of_length(length: usize) -> String {
    let signature_chars = 342; // 256 bytes, unpadded base64url
    let base64_len = |bytes: usize| (bytes * 4).div_ceil(3);
    for header_pad in 0..3 {
        let header = with(rs256_header(KID), "x", json!("h".repeat(header_pad)));
        let header_chars = base64_len(header.to_string().len());
        let claims_base = with(id_claims(), "filler", json!("")).to_string().len();
        let fixed = header_chars + 1 + 1 + signature_chars;
        for filler in 0..length {
            let total = fixed + base64_len(claims_base + filler);
            if total == length {
                let claims = with(id_claims(), "filler", json!("f".repeat(filler)));
                let token = sign(&header, &claims);
                assert_eq!(token.len(), length);
                return token;
            }
            if total > length {
                break;
            }
        }
    }
    panic!("no token of {length} bytes");
}

#[test]
fn tokens_over_16_kib_are_refused_unread() {
    let mut harness = Harness::new();
    assert_eq!(MAX_TOKEN_BYTES, 16 * 1024);
    harness
        .id(&id_token_of_length(MAX_TOKEN_BYTES))
        .expect("exactly at the cap");
    let checks = harness.signature_checks();
    let fetches = harness.fetches();
    assert_eq!(
        harness.id(&id_token_of_length(MAX_TOKEN_BYTES + 1)),
        Err(TokenError::TooLarge {
            kind: TokenUse::Id,
            limit_bytes: MAX_TOKEN_BYTES
        })
    );
    assert_eq!(
        (harness.fetches(), harness.signature_checks()),
        (fetches, checks)
    );
}

#[test]
fn an_empty_sub_counts_as_missing() {
    let mut harness = Harness::new();
    let token = sign(&rs256_header(KID), &with(id_claims(), "sub", json!("")));
    assert_eq!(
        harness.id(&token),
        Err(TokenError::MissingClaim {
            kind: TokenUse::Id,
            claim: "sub"
        })
    );
}

#[test]
fn fractional_times_are_read_as_whole_seconds() {
    let mut harness = Harness::new();
    let token = sign(
        &rs256_header(KID),
        &with(id_claims(), "exp", json!((NOW + 100) as f64 + 0.75)),
    );
    assert_eq!(harness.id(&token).expect("valid").exp, NOW + 100);
}
