//! The encoder against the standard's published constants and, module for
//! module, against Project Nayuki's reference encoder (`qrcodegen`, a
//! native-only dev-dependency).

use super::reed_solomon::{divisor, multiply, remainder};
use super::*;
use qrcodegen::{QrCode as Reference, QrCodeEcc, QrSegment, Version};

fn reference(data: &[u8], level: ErrorCorrection) -> Reference {
    let ecc = match level {
        ErrorCorrection::Low => QrCodeEcc::Low,
        ErrorCorrection::Medium => QrCodeEcc::Medium,
    };
    let segments = [QrSegment::make_bytes(data)];
    Reference::encode_segments_advanced(&segments, ecc, Version::MIN, Version::new(40), None, false)
        .expect("reference encoder")
}

fn assert_same(data: &[u8], level: ErrorCorrection) {
    let ours = QrCode::encode(data, level).expect("encodes");
    let theirs = reference(data, level);
    assert_eq!(
        ours.version(),
        theirs.version().value(),
        "version for {} bytes",
        data.len()
    );
    assert_eq!(
        ours.mask(),
        theirs.mask().value() as u8,
        "mask for {} bytes",
        data.len()
    );
    assert_eq!(ours.size() as i32, theirs.size());
    for y in 0..ours.size() {
        for x in 0..ours.size() {
            assert_eq!(
                ours.is_dark(x, y),
                theirs.get_module(x as i32, y as i32),
                "module ({x}, {y}) of a {}-byte symbol at {level:?}",
                data.len()
            );
        }
    }
}

#[test]
fn an_authenticator_key_uri_matches_the_reference_encoder_module_for_module() {
    let uri = b"otpauth://totp/Session%20Guard:demo%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Session%20Guard";
    assert_same(uri, ErrorCorrection::Medium);
    assert_same(uri, ErrorCorrection::Low);
}

#[test]
fn every_version_up_to_ten_matches_the_reference_encoder() {
    // Lengths that land in every version at both levels, including the
    // largest each version holds (block sizes differ there).
    for level in [ErrorCorrection::Low, ErrorCorrection::Medium] {
        let mut seen = std::collections::BTreeSet::new();
        for length in (0..=213usize)
            .step_by(3)
            .chain([14, 15, 16, 26, 106, 134, 154, 192, 230, 271])
        {
            if length > data_capacity(MAX_VERSION, level) - 3 {
                continue;
            }
            let data: Vec<u8> = (0..length).map(|i| (i * 37 % 251) as u8).collect();
            assert_same(&data, level);
            seen.insert(
                QrCode::encode(&data, level)
                    .map(|c| c.version())
                    .unwrap_or(0),
            );
        }
        assert_eq!(
            seen,
            (1..=MAX_VERSION).collect(),
            "{level:?} covers every version"
        );
    }
}

#[test]
fn text_longer_than_version_ten_holds_is_refused() {
    let data = vec![b'a'; 214];
    assert_eq!(
        QrCode::encode(&data, ErrorCorrection::Medium),
        Err(QrError::TooLong { length: 214 })
    );
    assert!(QrCode::encode(&vec![b'a'; 213], ErrorCorrection::Medium).is_ok());
}

#[test]
fn format_and_version_bits_equal_the_standards_tables() {
    // ISO/IEC 18004 Annex C: level M mask 0, level L mask 0, level M mask 5.
    assert_eq!(format_bits(ErrorCorrection::Medium, 0), 0b101010000010010);
    assert_eq!(format_bits(ErrorCorrection::Low, 0), 0b111011111000100);
    assert_eq!(format_bits(ErrorCorrection::Medium, 5), 0b100000011001110);
    // Annex D: version 7 and version 10.
    assert_eq!(version_bits(7), 0x07C94);
    assert_eq!(version_bits(10), 0x0A4D3);
}

#[test]
fn the_symbol_carries_its_format_twice_and_the_dark_module() {
    let code = QrCode::encode(b"otpauth://totp/x", ErrorCorrection::Medium).expect("encodes");
    let size = code.size();
    let mut first = 0u32;
    let mut second = 0u32;
    let first_positions: Vec<(usize, usize)> = (0..6)
        .map(|i| (8, i))
        .chain([(8, 7), (8, 8), (7, 8)])
        .chain((9..15).map(|i| (14 - i, 8)))
        .collect();
    for (i, &(x, y)) in first_positions.iter().enumerate() {
        first |= u32::from(code.is_dark(x, y)) << i;
    }
    for i in 0..8 {
        second |= u32::from(code.is_dark(size - 1 - i, 8)) << i;
    }
    for i in 8..15 {
        second |= u32::from(code.is_dark(8, size - 15 + i)) << i;
    }
    assert_eq!(first, second);
    assert_eq!(first, format_bits(ErrorCorrection::Medium, code.mask()));
    assert!(code.is_dark(8, size - 8));
}

#[test]
fn finder_patterns_sit_in_three_corners_with_light_separators() {
    let code = QrCode::encode(&[0u8; 60], ErrorCorrection::Medium).expect("encodes");
    let size = code.size();
    for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
        for d in 0..=3usize {
            // Ring 0 (centre), 1: dark; 2: light; 3: dark.
            let expect_dark = d != 2;
            assert_eq!(
                code.is_dark(cx + d, cy),
                expect_dark,
                "finder at ({cx},{cy}) ring {d}"
            );
            assert_eq!(code.is_dark(cx - d, cy), expect_dark);
        }
    }
    // Separators are light.
    assert!(!code.is_dark(7, 0) && !code.is_dark(0, 7) && !code.is_dark(size - 8, 0));
    // Timing pattern alternates between the finders.
    for i in 8..size - 8 {
        assert_eq!(code.is_dark(i, 6), i % 2 == 0);
        assert_eq!(code.is_dark(6, i), i % 2 == 0);
    }
}

#[test]
fn reed_solomon_matches_a_worked_example() {
    // "HELLO WORLD" 1-M data codewords and their published ECC codewords.
    let data = [
        32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17,
    ];
    let ecc = remainder(&data, &divisor(10));
    assert_eq!(ecc, vec![196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
    assert_eq!(multiply(0x80, 0x02), 0x1D);
}

#[test]
fn the_svg_path_draws_exactly_the_dark_modules() {
    let code = QrCode::encode(b"abc", ErrorCorrection::Low).expect("encodes");
    let path = code.svg_path();
    let mut drawn = 0usize;
    for part in path.split('M').filter(|p| !p.is_empty()) {
        let width: usize = part
            .split('h')
            .nth(1)
            .and_then(|rest| rest.split('v').next())
            .and_then(|w| w.parse().ok())
            .expect("a run width");
        drawn += width;
    }
    let dark = (0..code.size())
        .flat_map(|y| (0..code.size()).map(move |x| (x, y)))
        .filter(|&(x, y)| code.is_dark(x, y))
        .count();
    assert_eq!(drawn, dark);
}

#[test]
fn debug_output_shows_the_shape_not_the_modules() {
    let code = QrCode::encode(b"secret", ErrorCorrection::Low).expect("encodes");
    let printed = format!("{code:?}");
    assert!(printed.contains("version: 1"), "{printed}");
    assert!(!printed.contains("true"), "{printed}");
}
