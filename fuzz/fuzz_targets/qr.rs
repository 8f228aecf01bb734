//! The QR encoder of the authenticator-app key (session-guard/src/qr/)
//! against Project Nayuki's reference encoder (qrcodegen), over arbitrary
//! payloads at both levels the app uses: the same version, mask and every
//! module; a payload refused as too long needs a version above 10.
//!
//! Input: one byte (bit 0: level M, else L), then the payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use session_guard::fuzzing::qr;

fuzz_target!(|data: &[u8]| {
    let Some((&level, payload)) = data.split_first() else {
        return;
    };
    let medium = level & 1 == 1;
    let ecc = if medium {
        QrCodeEcc::Medium
    } else {
        QrCodeEcc::Low
    };
    let segments = [QrSegment::make_bytes(payload)];
    let reference =
        QrCode::encode_segments_advanced(&segments, ecc, Version::MIN, Version::MAX, None, false);
    match qr(payload, medium) {
        Ok((version, mask, size, modules)) => {
            let reference = reference.expect("the reference encodes what ours does");
            assert_eq!(version, reference.version().value(), "version");
            assert_eq!(i32::from(mask), i32::from(reference.mask().value()), "mask");
            assert_eq!(size as i32, reference.size(), "size");
            for y in 0..size {
                for x in 0..size {
                    assert_eq!(
                        modules[y * size + x],
                        reference.get_module(x as i32, y as i32),
                        "module ({x}, {y})"
                    );
                }
            }
        }
        Err(length) => {
            assert_eq!(length, payload.len());
            if let Ok(reference) = reference {
                assert!(
                    reference.version().value() > 10,
                    "refused what fits version 10"
                );
            }
        }
    }
});
