//! The pool's key set (session-guard/src/cognito/jwks.rs): only RSA keys
//! for RS256 signatures with a `kid` and base64url `n` and `e` are kept, in
//! order; a document serde_json cannot read (or one naming a member twice)
//! is refused; the modulus is counted in bits from its decoded bytes.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::jwks;
use session_guard_fuzz::{Ordered, serde_read_accepted};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(keys) = jwks(text) else {
        return;
    };
    let Some(document) = serde_read_accepted(text) else {
        return;
    };
    assert!(!document.repeats_a_name());
    let Ordered::Object(members) = &document else {
        panic!("an accepted key set that is not an object");
    };
    let Some((_, Ordered::Array(published))) = members.iter().find(|(key, _)| key == "keys") else {
        panic!("an accepted key set without a keys array");
    };
    let text_of = |key: &Ordered, name: &str| match key {
        Ordered::Object(members) => members.iter().find_map(|(k, v)| match v {
            Ordered::String(text) if k == name => Some(text.clone()),
            _ => None,
        }),
        _ => None,
    };
    let expected: Vec<(String, String, String)> = published
        .iter()
        .filter(|key| {
            text_of(key, "kty").as_deref() == Some("RSA")
                && text_of(key, "alg").is_none_or(|alg| alg == "RS256")
                && text_of(key, "use").is_none_or(|key_use| key_use == "sig")
                && ["n", "e"].iter().all(|name| {
                    text_of(key, name)
                        .is_some_and(|v| !v.is_empty() && URL_SAFE_NO_PAD.decode(&v).is_ok())
                })
        })
        .filter_map(|key| Some((text_of(key, "kid")?, text_of(key, "n")?, text_of(key, "e")?)))
        .collect();
    let kept: Vec<(String, String, String)> = keys
        .iter()
        .map(|(kid, n, e, _)| (kid.clone(), n.clone(), e.clone()))
        .collect();
    assert_eq!(kept, expected, "kept other keys than the rules say");
    for (_, n, _, bits) in &keys {
        let modulus = URL_SAFE_NO_PAD.decode(n).unwrap();
        let significant: Vec<u8> = modulus.iter().copied().skip_while(|b| *b == 0).collect();
        let expected_bits = significant.first().map_or(0, |first| {
            (significant.len() as u64 - 1) * 8 + u64::from(8 - first.leading_zeros())
        });
        assert_eq!(*bits, Some(expected_bits));
    }
});
