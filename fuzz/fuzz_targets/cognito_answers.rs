//! Every Cognito answer the client reads (InitiateAuth, RespondToAuthChallenge,
//! GetTokensFromRefreshToken, the MFA calls, errors) through the real client
//! with a transport that replays the fuzzer's answers, and the managed
//! login's token endpoint answer.
//!
//! Input (text): a first line `<call> <status> [<status>...]`, then the
//! answers' bodies separated by lines `---`. Call numbers index
//! `session_guard::fuzzing::COGNITO_CALLS`; one past the last is the token
//! endpoint (`/oauth2/token`).
//!
//! Properties: every request the client writes is JSON (checked in the
//! transport); a call succeeds only on 2xx answers; a failed answer that is
//! not a Cognito error document (no `__type`) is worth retrying; no
//! message shown to the user carries a string of the answers longer than an
//! excerpt (tokens, sessions, secrets).
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{
    COGNITO_CALLS, Value, cognito_answers, json_parse, token_endpoint_answer,
};
use session_guard_fuzz::{first_line, long_strings};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, bodies) = first_line(text);
    let mut numbers = head.split(' ').map(str::parse::<u16>);
    let Some(Ok(call)) = numbers.next() else {
        return;
    };
    let statuses: Vec<u16> = numbers.filter_map(Result::ok).take(4).collect();
    let bodies: Vec<&str> = bodies.split("\n---\n").collect();
    let answers: Vec<(u16, String)> = statuses
        .iter()
        .zip(bodies.iter())
        .map(|(status, body)| (*status, (*body).to_owned()))
        .collect();
    let long = long_strings(&bodies);
    let call = usize::from(call) % (COGNITO_CALLS.len() + 1);
    if call == COGNITO_CALLS.len() {
        let Some((status, body)) = answers.first() else {
            return;
        };
        if let Err(message) = token_endpoint_answer(*status, body) {
            for string in &long {
                assert!(
                    !message.contains(string.as_str()),
                    "an answer's string in: {message}"
                );
            }
        } else {
            assert!((200..300).contains(status));
        }
        return;
    }
    let outcome = cognito_answers(call, answers.clone());
    assert!(outcome.calls <= 2 && outcome.calls >= 1);
    let consumed = &answers[..outcome.calls.min(answers.len())];
    match &outcome.message {
        None => {
            assert!(
                outcome.calls <= answers.len(),
                "succeeded without an answer"
            );
            assert!(
                consumed
                    .iter()
                    .all(|(status, _)| (200..300).contains(status))
            );
        }
        Some(message) => {
            for string in &long {
                assert!(
                    !message.contains(string.as_str()),
                    "an answer's string in: {message}"
                );
            }
            if let Some((status, body)) = consumed.last() {
                // Read with the app's reader (compared with serde_json by
                // the json_vs_serde target): an object naming `__type`.
                let is_error_document = matches!(
                    json_parse(body),
                    Ok(Value::Object(members)) if members.iter().any(|(key, _)| key == "__type")
                );
                if !(200..300).contains(status) && !is_error_document {
                    assert!(
                        outcome.outcome.contains("Retryable"),
                        "{} for HTTP {status}: {message}",
                        outcome.outcome
                    );
                }
            }
        }
    }
});
