//! The session as storage holds it and as tabs send it to each other.
//!
//! Another tab may run an earlier build of the app, and a stored session
//! may have been written by one: the texts below are exactly what earlier
//! builds wrote, and must read and write the same byte for byte.

use std::time::Duration;

use crate::json::{self, FromJson};
use crate::session::tokens::fixtures::tokens;
use crate::session::{ClockOffset, Millis, Secret, SessionSnapshot, SignOutReason, TabMessage};

/// A stored session with a refresh token and an email address.
const STORED: &str = r#"{"tokens":{"id_token":"id-1700000000000","access_token":"access-1700000000000","refresh_token":"refresh-1699999000000","issued_at":1700000000000,"expires_at":1700003600000,"auth_time":1699999000000,"user":{"sub":"alice","username":"user-alice","email":"alice@example.com","groups":[]}},"session_started_at":1699999000000,"clock_offset":-1234,"last_activity":1700000100000}"#;

/// One without them, and with text that needs escaping.
const STORED_WITHOUT_OPTIONS: &str = r#"{"tokens":{"id_token":"id-1700000000000","access_token":"access-1700000000000","refresh_token":null,"issued_at":1700000000000,"expires_at":1700003600000,"auth_time":1699999000000,"user":{"sub":"alice","username":"user-alice","email":null,"groups":["admins","q\"u\\o/te\n\u0001é"]}},"session_started_at":0,"clock_offset":0,"last_activity":-5}"#;

fn stored() -> SessionSnapshot {
    SessionSnapshot {
        tokens: tokens(
            Millis(1_700_000_000_000),
            Duration::from_secs(3600),
            Millis(1_699_999_000_000),
        ),
        session_started_at: Millis(1_699_999_000_000),
        clock_offset: ClockOffset(-1234),
        last_activity: Millis(1_700_000_100_000),
    }
}

fn stored_without_options() -> SessionSnapshot {
    let mut snapshot = stored();
    snapshot.tokens.refresh_token = None;
    snapshot.tokens.user.email = None;
    snapshot.tokens.user.groups = vec!["admins".into(), "q\"u\\o/te\n\u{1}é".into()];
    snapshot.session_started_at = Millis(0);
    snapshot.clock_offset = ClockOffset(0);
    snapshot.last_activity = Millis(-5);
    snapshot
}

#[test]
fn a_stored_session_reads_and_writes_as_earlier_builds_did() {
    for (text, snapshot) in [
        (STORED, stored()),
        (STORED_WITHOUT_OPTIONS, stored_without_options()),
    ] {
        assert_eq!(json::to_string(&snapshot), text);
        assert_eq!(json::from_str::<SessionSnapshot>(text), Ok(snapshot));
    }
}

#[test]
fn every_message_between_tabs_reads_and_writes_as_earlier_builds_did() {
    let messages = [
        (
            format!(r#"{{"TokensRefreshed":{{"snapshot":{STORED}}}}}"#),
            TabMessage::TokensRefreshed { snapshot: stored() },
        ),
        (
            r#"{"Activity":{"at":42}}"#.to_owned(),
            TabMessage::Activity { at: Millis(42) },
        ),
        (
            format!(r#"{{"SignedIn":{{"snapshot":{STORED_WITHOUT_OPTIONS}}}}}"#),
            TabMessage::SignedIn {
                snapshot: stored_without_options(),
            },
        ),
        (
            r#"{"SignedOut":{"reason":"user_deleted_drafts","session_started_at":7}}"#.to_owned(),
            TabMessage::SignedOut {
                reason: SignOutReason::UserDeletedDrafts,
                session_started_at: Millis(7),
            },
        ),
        (
            r#"{"SessionExtended":{"at":43}}"#.to_owned(),
            TabMessage::SessionExtended { at: Millis(43) },
        ),
    ];
    for (text, message) in messages {
        assert_eq!(json::to_string(&message), text);
        assert_eq!(json::from_str::<TabMessage>(&text), Ok(message));
    }
}

#[test]
fn sign_out_reasons_are_their_keys_as_earlier_builds_wrote_them() {
    let written: Vec<String> = SignOutReason::ALL.iter().map(json::to_string).collect();
    assert_eq!(
        written,
        [
            r#""user""#,
            r#""user_deleted_drafts""#,
            r#""idle""#,
            r#""session_ending_soon""#,
            r#""session_ended""#,
            r#""refresh_rejected""#,
            r#""signed_out_in_another_tab""#,
            r#""other_user_signed_in""#,
            r#""stored_session_refused""#,
            r#""stored_session_unchecked""#,
        ]
    );
}

#[test]
fn absent_or_null_optional_fields_are_none_and_unknown_fields_are_ignored() {
    let trimmed = STORED_WITHOUT_OPTIONS
        .replace(r#""refresh_token":null,"#, "")
        .replace(r#""email":null,"#, r#""nickname":"al","#)
        .replacen('{', r#"{"written_by":"a later build","#, 1);
    assert!(!trimmed.contains("refresh_token") && !trimmed.contains("email"));
    assert_eq!(
        json::from_str::<SessionSnapshot>(&trimmed),
        Ok(stored_without_options())
    );
}

/// Why `text` was refused, checking that no token shows in the reason.
fn refusal<T: FromJson + std::fmt::Debug>(text: &str) -> String {
    let error = json::from_str::<T>(text).expect_err("refused").to_string();
    for token in [
        "id-1700000000000",
        "access-1700000000000",
        "refresh-1699999000000",
    ] {
        assert!(!error.contains(token), "{error}");
    }
    error
}

#[test]
fn a_stored_session_missing_a_field_or_with_a_wrong_one_is_refused_by_name() {
    let cases = [
        (r#","groups":[]"#, "", "tokens.user.groups is missing"),
        (
            r#""auth_time":1699999000000,"#,
            "",
            "tokens.auth_time is missing",
        ),
        (
            r#""issued_at":1700000000000"#,
            r#""issued_at":"1700000000000""#,
            "tokens.issued_at is not a whole number",
        ),
        (
            r#""last_activity":1700000100000"#,
            r#""last_activity":1700000100000.5"#,
            "last_activity is not a whole number",
        ),
        (
            r#""clock_offset":-1234"#,
            r#""clock_offset":9223372036854775808"#,
            "clock_offset is not a whole number",
        ),
        (
            r#""id_token":"id-1700000000000""#,
            r#""id_token":["id-1700000000000"]"#,
            "tokens.id_token is not a string",
        ),
        (
            r#""refresh_token":"refresh-1699999000000""#,
            r#""refresh_token":{"value":"refresh-1699999000000"}"#,
            "tokens.refresh_token is not a string",
        ),
        (
            r#""email":"alice@example.com""#,
            r#""email":false"#,
            "tokens.user.email is not a string",
        ),
    ];
    for (from, to, why) in cases {
        assert!(STORED.contains(from), "{from}");
        assert_eq!(refusal::<SessionSnapshot>(&STORED.replace(from, to)), why);
    }
    assert_eq!(
        refusal::<SessionSnapshot>("[]"),
        "the value is not an object"
    );
}

#[test]
fn a_message_that_is_not_one_of_ours_is_refused() {
    let refused = [
        (r#""Activity""#, "the value is not a message between tabs"),
        (
            r#"{"Activity":null}"#,
            "the value is not a message between tabs",
        ),
        (
            r#"{"Activity":{"at":1},"SessionExtended":{"at":1}}"#,
            "the value is not a message between tabs",
        ),
        (
            r#"{"activity":{"at":1}}"#,
            "the value: not a message this app knows",
        ),
        (r#"{"Activity":{}}"#, "Activity.at is missing"),
        (
            r#"{"SignedOut":{"reason":"nope","session_started_at":1}}"#,
            "SignedOut.reason: not a sign-out reason this app knows",
        ),
        (
            r#"{"SignedOut":{"reason":"idle"}}"#,
            "SignedOut.session_started_at is missing",
        ),
    ];
    for (text, why) in refused {
        assert_eq!(refusal::<TabMessage>(text), why, "{text}");
    }
    let forged = format!(
        r#"{{"SignedIn":{{"snapshot":{}}}}}"#,
        STORED.replace(r#""user":"#, r#""owner":"#)
    );
    assert_eq!(
        refusal::<TabMessage>(&forged),
        "SignedIn.snapshot.tokens.user is missing"
    );
}

#[test]
fn a_token_is_written_as_the_plain_string() {
    assert_eq!(json::to_string(&Secret::new("a\"b")), r#""a\"b""#);
    assert_eq!(
        json::from_str::<Secret>(r#""a\"b""#),
        Ok(Secret::new("a\"b"))
    );
}
