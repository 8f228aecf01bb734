//! One user's drafts as read back from localStorage: an accepted entry's
//! drafts, written as the draft store writes them, read back the same, in
//! the same order; an entry is read whole or not at all.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{stored_drafts, stored_drafts_text};
use session_guard_fuzz::{Ordered, serde_read_accepted};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(drafts) = stored_drafts(text) else {
        return;
    };
    if let Some(read) = serde_read_accepted(text) {
        let Ordered::Array(items) = read else {
            panic!("accepted drafts that are not a JSON array");
        };
        assert_eq!(items.len(), drafts.len());
    }
    let stamped: Vec<(String, String, String, i64)> = drafts
        .iter()
        .map(|(key, label, value, saved_at)| {
            (
                key.clone(),
                label.clone(),
                value.clone(),
                saved_at.unwrap_or(0),
            )
        })
        .collect();
    let written = stored_drafts_text(&stamped);
    let read_back = stored_drafts(&written).expect("the store reads what it writes");
    let expected: Vec<_> = stamped
        .into_iter()
        .map(|(key, label, value, saved_at)| (key, label, value, Some(saved_at)))
        .collect();
    assert_eq!(read_back, expected);
});
