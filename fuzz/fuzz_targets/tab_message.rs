//! Messages from other tabs (`{"v":2,"event":…}` over the BroadcastChannel,
//! session-guard/src/session/wire_format.rs): a message read is written
//! again as a message that reads back to the same text; other versions and
//! other shapes are ignored, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::tab_message;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(rewritten) = tab_message(text) {
        assert_eq!(tab_message(&rewritten).as_ref(), Some(&rewritten));
        assert!(rewritten.starts_with(r#"{"v":2,"event":"#));
    }
});
