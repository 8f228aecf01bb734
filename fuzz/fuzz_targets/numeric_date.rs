//! NumericDate claims (`exp`, `iat`, `auth_time`, `nbf`) read from any JSON
//! number without floating point, against exact arithmetic with num-bigint:
//! whole seconds with the fraction dropped, from 0 to the last second of
//! 9999, anything else refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};
use session_guard::fuzzing::numeric_date_of;

const MAX_NUMERIC_DATE: u64 = 253_402_300_799;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(ours) = numeric_date_of(text) else {
        return;
    };
    assert_eq!(ours, exact(text.trim()), "NumericDate of {text:?}");
});

/// The claim's seconds by exact decimal arithmetic on JSON's number grammar.
fn exact(text: &str) -> Option<u64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = BigUint::parse_bytes(format!("{int}{frac}").as_bytes(), 10)?;
    if digits.is_zero() {
        return Some(0);
    }
    if negative {
        return None;
    }
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    // An exponent beyond i64 is as good as infinite either way.
    let exponent: i128 = match exponent.parse::<i64>() {
        Ok(value) => value as i128,
        Err(_) if exponent.starts_with('-') => i64::MIN as i128,
        Err(_) => i64::MAX as i128,
    };
    let scale = exponent - frac.len() as i128;
    let ten = BigUint::from(10u32);
    let max = BigUint::from(MAX_NUMERIC_DATE);
    if scale >= 0 {
        if scale > 40 {
            return None;
        }
        let value = digits * ten.pow(scale as u32);
        return (value <= max).then(|| value.to_u64().unwrap());
    }
    let divisor_digits = -scale;
    if divisor_digits > digits.to_string().len() as i128 {
        return Some(0);
    }
    let divisor = ten.pow(divisor_digits as u32);
    let (whole, rest) = (&digits / &divisor, &digits % &divisor);
    if whole > max || (whole == max && !rest.is_zero()) {
        return None;
    }
    whole.to_u64()
}
