//! The config reader (`config.json`, session-guard/src/config/): any text
//! gives a configuration or an error page's text, never a panic; the same
//! document written compactly by the app's JSON writer reads the same way;
//! an accepted configuration is a document serde_json reads too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{config, json_rewrite};
use session_guard_fuzz::serde_read_accepted;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let read = config(text);
    if let Err(message) = &read {
        assert!(!message.trim().is_empty());
    }
    if let Some(rewritten) = json_rewrite(text) {
        assert_eq!(
            config(&rewritten),
            read,
            "the compact rewrite reads otherwise"
        );
    }
    if read.is_ok()
        && let Some(document) = serde_read_accepted(text)
    {
        assert!(!document.repeats_a_name());
    }
});
