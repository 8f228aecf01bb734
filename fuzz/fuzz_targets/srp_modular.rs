//! The 3072-bit arithmetic of SRP sign-in (session-guard/src/cognito/srp/
//! modular.rs, a fixed-width Montgomery implementation) against num-bigint:
//! reduction of any big-endian number, multiplication, subtraction,
//! exponentiation and powers of two, modulo the SRP prime or any odd
//! 3072-bit modulus.
//!
//! Input: one byte (odd: the modulus is the next 384 bytes, even: the SRP
//! prime), then `a`, `b` and the exponent, each one length byte and that
//! many bytes (the exponent at most 48 bytes, so a run tries many; the
//! window and squaring code is the same for the client's 128-byte secret); an
//! `a` or `b` of 200 bytes or more is stretched to four times its length
//! with the input's tail, so numbers longer than the modulus are reduced too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;
use session_guard::fuzzing::srp_modular;

fuzz_target!(|data: &[u8]| {
    let Some((&which, mut rest)) = data.split_first() else {
        return;
    };
    let mut modulus = None;
    if which % 2 == 1 {
        if rest.len() < 384 {
            return;
        }
        let (n, tail) = rest.split_at(384);
        modulus = Some(<[u8; 384]>::try_from(n).unwrap());
        rest = tail;
    }
    let mut take = |limit: usize| -> Vec<u8> {
        let Some((&length, tail)) = rest.split_first() else {
            return Vec::new();
        };
        let length = usize::from(length).min(limit).min(tail.len());
        let (taken, tail) = tail.split_at(length);
        rest = tail;
        taken.to_vec()
    };
    let a = take(255);
    let b = take(255);
    let exponent = take(48);
    let (a, b) = (widen(&a, rest), widen(&b, rest));
    let ours = srp_modular(modulus.as_ref(), &a, &b, &exponent);
    let n = BigUint::from_bytes_be(&ours.n);
    let a_ref = BigUint::from_bytes_be(&a) % &n;
    let b_ref = BigUint::from_bytes_be(&b) % &n;
    let e = BigUint::from_bytes_be(&exponent);
    let bytes = |value: &BigUint| {
        let raw = value.to_bytes_be();
        let mut out = vec![0u8; 384 - raw.len().min(384)];
        out.extend_from_slice(&raw);
        out
    };
    assert_eq!(ours.a, bytes(&a_ref), "a mod N");
    assert_eq!(ours.b, bytes(&b_ref), "b mod N");
    assert_eq!(ours.product, bytes(&(&a_ref * &b_ref % &n)), "a·b mod N");
    assert_eq!(
        ours.difference,
        bytes(&((&a_ref + &n - &b_ref) % &n)),
        "a − b mod N"
    );
    assert_eq!(ours.power, bytes(&a_ref.modpow(&e, &n)), "a^e mod N");
    assert_eq!(
        ours.power_of_two,
        bytes(&BigUint::from(2u32).modpow(&e, &n)),
        "2^e mod N"
    );
});

/// Numbers longer than the modulus: `bytes` followed by copies of `fill`.
fn widen(bytes: &[u8], fill: &[u8]) -> Vec<u8> {
    if bytes.len() < 200 || fill.is_empty() {
        return bytes.to_vec();
    }
    let mut out = bytes.to_vec();
    while out.len() < 4 * bytes.len() {
        out.extend_from_slice(fill);
    }
    out.truncate(4 * bytes.len());
    out
}
