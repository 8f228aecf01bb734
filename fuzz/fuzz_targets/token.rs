//! Token parsing and the verifier's checks (session-guard/src/cognito/jws.rs,
//! claims.rs, verify.rs): size cap, three parts of strict base64url, header
//! (`alg`, `crit`, `kid`), then the claims, with a signature check that
//! takes any non-empty signature so the fuzzer reaches everything after it.
//!
//! Input: one flag byte (bit 0: access token, bit 1: check the times at a
//! fixed instant, bit 2: the rest is a whole token; otherwise the rest is
//! the header's JSON, a line break, and the claims' JSON, which the target
//! encodes and signs with a dummy signature).
//!
//! Properties: strict base64url agrees with the `base64` crate's strict
//! URL-safe unpadded decoding; an accepted token has a non-empty `sub`, the
//! configured issuer and client, times up to 9999, claims that serde_json
//! reads with no member named twice; no message quotes a token part or a
//! claim longer than an excerpt.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{
    FUZZ_CLIENT_ID, FUZZ_ISSUER, Value, json_parse, numeric_date_of, verify_token,
};
use session_guard_fuzz::{Ordered, first_line, long_strings, serde_read_accepted};

const NOW: u64 = 1_750_000_000;
const MAX_TOKEN_BYTES: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let access = flags & 1 == 1;
    let now = (flags & 2 == 2).then_some(NOW);
    let token = if flags & 4 == 4 {
        rest.to_owned()
    } else {
        let (header, claims) = first_line(rest);
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        )
    };
    let parts: Vec<&str> = token.split('.').collect();
    let strict_base64 = parts.len() == 3
        && parts
            .iter()
            .all(|part| URL_SAFE_NO_PAD.decode(part).is_ok());
    match verify_token(access, &token, now) {
        Ok(claims) => {
            assert!(token.len() <= MAX_TOKEN_BYTES);
            assert!(strict_base64, "accepted a part the base64 crate refuses");
            assert!(!claims.sub.is_empty());
            for time in [claims.iat, claims.exp, claims.auth_time] {
                assert!(time <= 253_402_300_799);
            }
            if let Some(now) = now {
                // token_times.rs: valid before exp, from nbf and iat on, each
                // widened by the leeway (30 s here).
                assert!(now < claims.exp + 30, "accepted an expired token");
                assert!(
                    claims.iat <= now + 30,
                    "accepted a token issued in the future"
                );
                assert!(
                    claims.nbf.is_none_or(|nbf| nbf <= now + 30),
                    "accepted before nbf"
                );
            }
            let payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
            let payload = std::str::from_utf8(&payload).expect("claims are UTF-8");
            // The times handed on are the claims' NumericDates.
            if let Ok(Value::Object(raw)) = json_parse(payload) {
                for (name, seconds) in [
                    ("exp", Some(claims.exp)),
                    ("iat", Some(claims.iat)),
                    ("auth_time", Some(claims.auth_time)),
                    ("nbf", claims.nbf),
                ] {
                    let text = match raw.iter().find(|(key, _)| key == name).map(|(_, v)| v) {
                        Some(Value::Whole(n)) => n.to_string(),
                        Some(Value::OtherNumber(text)) => text.clone(),
                        _ => continue,
                    };
                    assert_eq!(numeric_date_of(&text), Some(seconds), "{name}");
                }
            }
            let Some(read) = serde_read_accepted(payload) else {
                return;
            };
            assert!(
                !read.repeats_a_name(),
                "accepted claims naming a member twice"
            );
            let Ordered::Object(members) = &read else {
                panic!("claims that are not an object");
            };
            let claim = |name: &str| members.iter().find(|(key, _)| key == name).map(|(_, v)| v);
            assert_eq!(claim("iss"), Some(&Ordered::String(FUZZ_ISSUER.into())));
            assert_eq!(claim("sub"), Some(&Ordered::String(claims.sub.clone())));
            let token_use = if access { "access" } else { "id" };
            assert_eq!(claim("token_use"), Some(&Ordered::String(token_use.into())));
            if access {
                assert_eq!(
                    claim("client_id"),
                    Some(&Ordered::String(FUZZ_CLIENT_ID.into()))
                );
                assert_eq!(
                    claim("username"),
                    Some(&Ordered::String(claims.username.clone()))
                );
            } else {
                assert_eq!(
                    claim("cognito:username"),
                    Some(&Ordered::String(claims.username.clone()))
                );
            }
        }
        Err(message) => {
            if message.contains("not base64url") {
                assert!(
                    !strict_base64,
                    "refused as base64url what the base64 crate reads: {message}"
                );
            }
            if token.len() <= MAX_TOKEN_BYTES
                && parts.len() == 3
                && URL_SAFE_NO_PAD.decode(parts[0]).is_err()
            {
                assert!(message.contains("not base64url"), "{message}");
            }
            for part in &parts {
                assert!(
                    part.len() <= 80 || !message.contains(part),
                    "a token part in: {message}"
                );
            }
            let decoded: Vec<String> = parts
                .iter()
                .filter_map(|part| URL_SAFE_NO_PAD.decode(part).ok())
                .filter_map(|bytes| String::from_utf8(bytes).ok())
                .collect();
            let decoded: Vec<&str> = decoded.iter().map(String::as_str).collect();
            for long in long_strings(&decoded) {
                assert!(!message.contains(&long), "a whole claim in: {message}");
            }
        }
    }
});
