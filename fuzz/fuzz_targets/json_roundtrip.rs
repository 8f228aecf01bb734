//! The app's JSON reader (session-guard/src/json.rs): whatever it accepts,
//! its writer rewrites into a text it reads back as the same value, and
//! that rewrite is a fixed point. A refusal names a line and column inside
//! the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{json_parse, json_rewrite};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match json_parse(text) {
        Ok(value) => {
            let rewritten = json_rewrite(text).expect("accepted once, accepted again");
            assert_eq!(
                json_parse(&rewritten).as_ref(),
                Ok(&value),
                "the rewrite reads back as another value"
            );
            assert_eq!(
                json_rewrite(&rewritten).as_deref(),
                Some(rewritten.as_str()),
                "the rewrite is not a fixed point"
            );
            assert!(rewritten.len() <= text.len() + 5 * text.chars().count());
        }
        Err(message) => {
            assert!(json_rewrite(text).is_none());
            let (line, column) = position(&message).expect("a syntax error gives its position");
            let lines = text.split('\n').count();
            assert!(
                line >= 1 && line <= lines,
                "{message}: line out of the text"
            );
            let line_text = text.split('\n').nth(line - 1).unwrap_or("");
            assert!(
                column >= 1 && column <= line_text.chars().count() + 1,
                "{message}: column out of the line"
            );
        }
    }
});

/// `(line, column)` of "… at line L column C".
fn position(message: &str) -> Option<(usize, usize)> {
    let (_, place) = message.rsplit_once(" at line ")?;
    let (line, column) = place.split_once(" column ")?;
    Some((line.parse().ok()?, column.parse().ok()?))
}
