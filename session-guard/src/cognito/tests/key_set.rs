//! JWKS parsing and the reload-once cache rule.

use super::support::*;
use crate::cognito::{HttpResponse, JwkSet, JwksCache, JwksError, KeyLookup, TransportError};
use serde_json::json;

#[test]
fn only_rsa_signature_keys_are_kept() {
    let document = json!({ "keys": [
        published_jwk("good"),
        { "kty": "RSA", "kid": "no-alg-no-use", "n": "AQAB", "e": "AQAB" },
        { "kty": "RSA", "kid": "encryption", "use": "enc", "alg": "RS256", "n": "AQAB", "e": "AQAB" },
        { "kty": "RSA", "kid": "other-alg", "alg": "RS512", "n": "AQAB", "e": "AQAB" },
        { "kty": "EC", "kid": "ec", "crv": "P-256", "x": "AQAB", "y": "AQAB" },
        { "kty": "RSA", "alg": "RS256", "n": "AQAB", "e": "AQAB" },
        { "kty": "RSA", "kid": "no-modulus", "e": "AQAB" },
    ]});
    let set = JwkSet::parse(&document.to_string()).expect("parses");
    let kids: Vec<_> = set.keys().iter().map(|key| key.kid.as_str()).collect();
    assert_eq!(kids, ["good", "no-alg-no-use"]);
    assert_eq!(set.find("good"), Some(&jwk("good")));
}

#[test]
fn malformed_documents_are_errors() {
    for document in ["", "[]", "{}", r#"{"keys": {}}"#, "<html>"] {
        assert!(
            matches!(JwkSet::parse(document), Err(JwksError::Malformed { .. })),
            "{document}"
        );
    }
    assert_eq!(JwkSet::parse(r#"{"keys": []}"#), Ok(JwkSet::default()));
}

#[test]
fn cached_kid_needs_no_download_and_unknown_kid_reloads_once() {
    let mut cache = JwksCache::new();
    let endpoint = JwksEndpoint::serving(&[KID]);

    let found = block_on(cache.key_for(KID, async || endpoint.fetch())).unwrap();
    assert_eq!(found, KeyLookup::Found(jwk(KID)));
    assert_eq!(endpoint.fetches.get(), 1, "empty cache loads");

    block_on(cache.key_for(KID, async || endpoint.fetch())).unwrap();
    assert_eq!(endpoint.fetches.get(), 1, "cached");

    let unknown = block_on(cache.key_for("nope", async || endpoint.fetch())).unwrap();
    assert_eq!(
        unknown,
        KeyLookup::Unknown {
            kid: "nope".to_owned()
        }
    );
    assert_eq!(endpoint.fetches.get(), 2, "exactly one reload");
    assert_eq!(cache.loads(), 2);
}

#[test]
fn download_failures_are_typed() {
    let cases = [
        (
            Err(TransportError::Timeout),
            JwksError::Transport(TransportError::Timeout),
        ),
        (
            Ok(HttpResponse::new(404, "missing")),
            JwksError::HttpStatus { status: 404 },
        ),
    ];
    for (answer, expected) in cases {
        let endpoint = JwksEndpoint::answering(answer);
        let mut cache = JwksCache::new();
        assert_eq!(
            block_on(cache.key_for(KID, async || endpoint.fetch())),
            Err(expected)
        );
    }
}

#[test]
fn a_key_set_is_read_strictly_but_ignores_members_it_does_not_need() {
    let good = |extra: &str| {
        format!(r#"{{"keys":[{{"kid":"k","kty":"RSA","n":"AQAB","e":"AQAB"{extra}}}],"other":1}}"#)
    };
    for extra in [
        "",
        r#","alg":null,"use":null"#,
        r#","x5c":["AQAB"],"kid2":5"#,
    ] {
        let set = JwkSet::parse(&good(extra)).expect("parses");
        assert_eq!(set.keys().len(), 1, "{extra}");
        assert_eq!(
            (
                set.keys()[0].alg.as_deref(),
                set.keys()[0].key_use.as_deref()
            ),
            (None, None)
        );
    }
    for document in [
        r#"{"keys":[{"kid":5,"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#,
        r#"{"keys":[{"kid":"k","kty":"RSA","alg":256,"n":"AQAB","e":"AQAB"}]}"#,
        r#"{"keys":[{"kid":"k","kty":"RSA","use":["sig"],"n":"AQAB","e":"AQAB"}]}"#,
        r#"{"keys":[{"kid":"k","kty":"RSA","n":"AQAB","e":"AQAB"}, 5]}"#,
        r#"{"keys":null}"#,
        r#"{"keys":[{"kid":"k","kid":"k2","kty":"RSA","n":"AQAB","e":"AQAB"}]}"#,
    ] {
        assert!(
            matches!(JwkSet::parse(document), Err(JwksError::Malformed { .. })),
            "{document}"
        );
    }
}
