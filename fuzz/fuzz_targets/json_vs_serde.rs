//! The app's JSON reader against serde_json, the library it replaces: the
//! same texts accepted and refused, and the same values (members in
//! document order, strings exactly, numbers as serde_json reads them).
//!
//! The deliberate differences, listed here and nowhere else:
//! 1. An object that names a member twice is refused (serde_json reads the
//!    last one): two readers must never see different claims in one token.
//! 2. A number too large for an `f64` (`1e400`) is kept as written (serde_json
//!    refuses it): a NumericDate claim reads it as "not a time", not as an
//!    unreadable token.
//! 3. `-0` is the whole number 0 (serde_json reads the float -0.0).
//! 4. Whole numbers beyond `u64`/`i64` are kept as written (serde_json reads
//!    them as the nearest `f64`); they are compared as that `f64` here.
//! 5. Arrays and objects nest up to 128 levels (`json::MAX_DEPTH`); serde_json
//!    stops at 127.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_guard::fuzzing::{Value, json_parse};
use session_guard_fuzz::{Ordered, serde_read};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json_parse(text);
    let theirs = serde_read(text);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => assert!(
            same(ours, theirs),
            "different values: {ours:?} and {theirs:?}"
        ),
        (Err(_), Ok(theirs)) => assert!(
            theirs.repeats_a_name(),
            "refused what serde_json accepts: {ours:?}"
        ),
        (Ok(ours), Err(error)) => assert!(
            (error.to_string().contains("number out of range") && has_huge_number(ours))
                || (error.to_string().contains("recursion limit exceeded") && depth(ours) == 128),
            "accepted what serde_json refuses ({error})"
        ),
        (Err(_), Err(_)) => {}
    }
});

fn same(ours: &Value, theirs: &Ordered) -> bool {
    match (ours, theirs) {
        (Value::Null, Ordered::Null) => true,
        (Value::Bool(a), Ordered::Bool(b)) => a == b,
        (Value::Whole(a), Ordered::U64(b)) => a == b,
        // Difference 3: `-0`.
        (Value::Whole(0), Ordered::F64(b)) => *b == 0.0,
        (Value::Negative(a), Ordered::I64(b)) => a == b,
        (Value::OtherNumber(text), Ordered::F64(b)) => text.parse::<f64>().ok() == Some(*b),
        (Value::String(a), Ordered::String(b)) => a == b,
        (Value::Array(a), Ordered::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Ordered::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

/// Difference 5: how deeply arrays and objects nest.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Difference 2: a number whose `f64` is infinite.
fn has_huge_number(value: &Value) -> bool {
    match value {
        Value::OtherNumber(text) => text.parse::<f64>().is_ok_and(f64::is_infinite),
        Value::Array(items) => items.iter().any(has_huge_number),
        Value::Object(members) => members.iter().any(|(_, value)| has_huge_number(value)),
        _ => false,
    }
}
