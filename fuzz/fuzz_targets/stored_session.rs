//! The stored session as read back from storage (`{"v":2,"snapshot":…}`,
//! session-guard/src/session/wire_format.rs) and a snapshot as another tab
//! offers it: an accepted entry is written again as an entry that reads
//! back to the same text; a refusal is one of the fixed reasons.
//!
//! Input: one byte (even: a stored entry, odd: a bare snapshot), then the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{snapshot, stored_session};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which % 2 == 0 {
        match stored_session(text) {
            Ok(rewritten) => {
                assert_eq!(stored_session(&rewritten).as_ref(), Ok(&rewritten));
            }
            Err(reason) => assert!(
                [
                    "corrupt (not JSON)",
                    "not in a format this app knows",
                    "written by another version of the app",
                    "incomplete or corrupt",
                ]
                .contains(&reason)
            ),
        }
    } else if let Some(rewritten) = snapshot(text) {
        assert_eq!(snapshot(&rewritten).as_ref(), Some(&rewritten));
        let entry = format!(r#"{{"v":2,"snapshot":{rewritten}}}"#);
        assert!(
            stored_session(&entry).is_ok(),
            "a snapshot the stored entry refuses"
        );
    }
});
