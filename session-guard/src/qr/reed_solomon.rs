//! Reed-Solomon error correction over GF(2^8) with QR's polynomial
//! x^8 + x^4 + x^3 + x^2 + 1 (0x11D).

/// The generator polynomial of `degree` (leading 1 left out), highest term first.
pub(super) fn divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    if let Some(last) = result.last_mut() {
        *last = 1;
    }
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = multiply(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = multiply(root, 0x02);
    }
    result
}

/// The remainder of `data` · x^degree divided by the generator: the error-correction codewords.
pub(super) fn remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for &byte in data {
        let factor = byte ^ result[0];
        result.remove(0);
        result.push(0);
        for (value, &coefficient) in result.iter_mut().zip(divisor) {
            *value ^= multiply(coefficient, factor);
        }
    }
    result
}

/// Product in GF(2^8) modulo 0x11D.
pub(super) fn multiply(x: u8, y: u8) -> u8 {
    let mut z: u32 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= ((u32::from(y) >> i) & 1) * u32::from(x);
    }
    (z & 0xFF) as u8
}
