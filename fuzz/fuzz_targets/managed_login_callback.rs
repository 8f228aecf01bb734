//! The managed-login answer in the address bar (`?code=…&state=…` or
//! `?error=…`): what is read, written back as a query the way the app
//! writes URLs, reads the same; the pending login accepts only an answer
//! whose first `state` is its own, within 15 minutes, and hands on the code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{Callback, accept_callback, callback, encode_query};

const PENDING: &str = r#"{"state":"c3RhdGUtMQ","nonce":"bm9uY2UtMQ","pkce_verifier":"dmVyaWZpZXI","pkce_challenge":"Y2hhbGxlbmdl","started_at":1750000000000,"reauth":false}"#;
const STARTED_AT: i64 = 1_750_000_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((&minutes, rest)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(rest) else {
        return;
    };
    let answer = callback(query);
    let again = match &answer {
        None => None,
        Some(Callback::Code { code, state }) => {
            assert!(!code.is_empty());
            callback(&encode_query(&[("code", code), ("state", state)]))
        }
        Some(Callback::Error {
            error,
            description,
            state,
        }) => {
            let mut pairs = vec![("error", error.as_str())];
            if let Some(description) = description {
                pairs.push(("error_description", description));
            }
            if let Some(state) = state {
                pairs.push(("state", state));
            }
            callback(&encode_query(&pairs))
        }
    };
    assert_eq!(again, answer, "written back, the answer reads otherwise");
    // Anywhere from before the login started to 4 hours after.
    let now = STARTED_AT + (i64::from(minutes) - 16) * 60_000;
    match accept_callback(PENDING, query, now) {
        None => assert!(answer.is_none()),
        Some(Ok(code)) => {
            assert_eq!(
                answer,
                Some(Callback::Code {
                    code,
                    state: "c3RhdGUtMQ".into()
                })
            );
            assert!((STARTED_AT..=STARTED_AT + 15 * 60_000).contains(&now));
        }
        Some(Err(message)) => assert!(!message.is_empty()),
    }
});
