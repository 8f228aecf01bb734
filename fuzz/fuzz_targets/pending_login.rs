//! The pending managed login kept in sessionStorage while the user is on
//! Cognito's page: an accepted entry is written again as one that reads
//! back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::pending_login;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(rewritten) = pending_login(text) {
        assert_eq!(pending_login(&rewritten).as_ref(), Some(&rewritten));
    }
});
