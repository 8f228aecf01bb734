//! A minimal QR code encoder (ISO/IEC 18004) for the authenticator-app key
//! URI: byte mode only, error correction L or M, versions 1 to 10 (up to
//! 213 bytes at M). Pure and tested natively.
//!
//! Why our own: the app needs one QR code of about a hundred bytes, and a
//! general encoder (all modes, all 40 versions, four levels) costs more
//! wasm than this whole file. The algorithm follows the standard the way
//! Project Nayuki's reference encoder does; the native tests compare module
//! for module with that encoder.

mod reed_solomon;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use reed_solomon::{divisor, remainder};

/// The highest version this encoder builds (57 × 57 modules).
pub const MAX_VERSION: u8 = 10;

/// Error correction level: how much of the symbol may be damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCorrection {
    /// About 7 % of codewords can be restored (the tests compare it with
    /// the reference encoder; the components draw at `Medium`).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    Low,
    /// About 15 %: what a phone camera on a screen needs comfortably.
    Medium,
}

impl ErrorCorrection {
    /// The two bits the format information carries.
    fn format_bits(self) -> u32 {
        match self {
            Self::Low => 1,
            Self::Medium => 0,
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Low => 0,
            Self::Medium => 1,
        }
    }
}

/// Error-correction codewords per block, by level and version (index 0 unused).
const ECC_PER_BLOCK: [[u8; 11]; 2] = [
    [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18],
    [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26],
];

/// Number of error-correction blocks, by level and version (index 0 unused).
const BLOCKS: [[u8; 11]; 2] = [
    [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4],
    [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5],
];

/// Why no symbol could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the text is too long for a QR code of version {MAX_VERSION} ({length} bytes)")]
    TooLong { length: usize },
}

/// A finished symbol: `size` × `size` modules, `true` is dark.
#[derive(Clone, PartialEq, Eq)]
pub struct QrCode {
    version: u8,
    size: usize,
    mask: u8,
    modules: Vec<bool>,
    function: Vec<bool>,
}

impl std::fmt::Debug for QrCode {
    /// The modules encode the data (a TOTP secret): print only the shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrCode")
            .field("version", &self.version)
            .field("mask", &self.mask)
            .finish_non_exhaustive()
    }
}

impl QrCode {
    /// Encodes `data` in byte mode at `level` in the smallest version that
    /// holds it, with the mask of lowest penalty.
    pub fn encode(data: &[u8], level: ErrorCorrection) -> Result<Self, QrError> {
        let version = (1..=MAX_VERSION)
            .find(|&version| {
                data_bits_needed(data.len(), version) <= data_capacity(version, level) * 8
            })
            .ok_or(QrError::TooLong { length: data.len() })?;
        let codewords = data_codewords(data, version, level);
        let all = add_ecc_and_interleave(&codewords, version, level);
        let mut code = Self::empty(version);
        code.draw_function_patterns();
        code.draw_codewords(&all);
        let mut best = (u32::MAX, 0);
        for mask in 0..8 {
            code.apply_mask(mask);
            code.draw_format_bits(level, mask);
            let penalty = code.penalty();
            if penalty < best.0 {
                best = (penalty, mask);
            }
            code.apply_mask(mask); // XOR again: undone
        }
        code.mask = best.1;
        code.apply_mask(best.1);
        code.draw_format_bits(level, best.1);
        Ok(code)
    }

    /// The version, 1 to [`MAX_VERSION`] (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Modules per side: `4 * version + 17`.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The mask pattern chosen, 0 to 7 (read by the tests).
    #[cfg_attr(any(not(test), target_arch = "wasm32"), allow(dead_code))]
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// Whether the module at column `x`, row `y` is dark (outside: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.modules[y * self.size + x]
    }

    /// An SVG path of the dark modules, one unit square each, merged along
    /// rows: one element instead of hundreds of `<rect>`s. Draw it in a
    /// `viewBox` of `size + 2 * quiet` with a translate of `quiet`.
    #[cfg_attr(feature = "fuzzing", allow(dead_code))] // drawn by the components only
    pub fn svg_path(&self) -> String {
        let mut path = String::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.size && self.is_dark(x, y) {
                        x += 1;
                    }
                    path.push_str(&format!("M{start} {y}h{}v1h-{}z", x - start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        path
    }

    fn empty(version: u8) -> Self {
        let size = usize::from(version) * 4 + 17;
        Self {
            version,
            size,
            mask: 0,
            modules: vec![false; size * size],
            function: vec![false; size * size],
        }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        let at = y * self.size + x;
        self.modules[at] = dark;
        self.function[at] = true;
    }

    fn draw_function_patterns(&mut self) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        self.draw_finder(3, 3);
        self.draw_finder(size - 4, 3);
        self.draw_finder(3, size - 4);
        let positions = alignment_positions(self.version);
        let count = positions.len();
        for (i, &x) in positions.iter().enumerate() {
            for (j, &y) in positions.iter().enumerate() {
                // The three corners the finder patterns already hold.
                let corner = (i == 0 && (j == 0 || j + 1 == count)) || (i + 1 == count && j == 0);
                if !corner {
                    self.draw_alignment(x, y);
                }
            }
        }
        // Reserve the format areas (the real bits come with the mask).
        self.draw_format_bits(ErrorCorrection::Medium, 0);
        self.draw_version();
    }

    /// A finder pattern and its light separator, centred on (x, y).
    fn draw_finder(&mut self, x: usize, y: usize) {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (xx, yy) = (x as i32 + dx, y as i32 + dy);
                if (0..self.size as i32).contains(&xx) && (0..self.size as i32).contains(&yy) {
                    let distance = dx.abs().max(dy.abs());
                    self.set_function(xx as usize, yy as usize, distance != 2 && distance != 4);
                }
            }
        }
    }

    fn draw_alignment(&mut self, x: usize, y: usize) {
        for dy in -2i32..=2 {
            for dx in -2i32..=2 {
                let dark = dx.abs().max(dy.abs()) != 1;
                self.set_function((x as i32 + dx) as usize, (y as i32 + dy) as usize, dark);
            }
        }
    }

    fn draw_format_bits(&mut self, level: ErrorCorrection, mask: u8) {
        let bits = format_bits(level, mask);
        let bit = |i: u32| (bits >> i) & 1 != 0;
        let size = self.size;
        for i in 0..6 {
            self.set_function(8, i as usize, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i as usize, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i as usize, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i as usize, bit(i));
        }
        self.set_function(8, size - 8, true);
    }

    fn draw_version(&mut self) {
        if self.version < 7 {
            return;
        }
        let bits = version_bits(self.version);
        for i in 0..18 {
            let dark = (bits >> i) & 1 != 0;
            let a = self.size - 11 + i % 3;
            let b = i / 3;
            self.set_function(a, b, dark);
            self.set_function(b, a, dark);
        }
    }

    /// Places the codewords in the zigzag of two-module columns.
    fn draw_codewords(&mut self, data: &[u8]) {
        let size = self.size;
        let mut bit = 0usize;
        let mut right = size - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for vertical in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward {
                        size - 1 - vertical
                    } else {
                        vertical
                    };
                    let at = y * size + x;
                    if !self.function[at] && bit < data.len() * 8 {
                        self.modules[at] = (data[bit >> 3] >> (7 - (bit & 7))) & 1 != 0;
                        bit += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        for y in 0..self.size {
            for x in 0..self.size {
                let at = y * self.size + x;
                let invert = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                if invert && !self.function[at] {
                    self.modules[at] = !self.modules[at];
                }
            }
        }
    }

    /// The standard's penalty score: runs, 2×2 blocks, finder look-alikes
    /// and imbalance of dark and light.
    fn penalty(&self) -> u32 {
        const RUN: u32 = 3;
        const BLOCK: u32 = 3;
        const FINDER_LIKE: u32 = 40;
        const BALANCE: u32 = 10;
        let size = self.size;
        let mut result = 0u32;
        for transposed in [false, true] {
            for a in 0..size {
                let mut run_dark = false;
                let mut run = 0usize;
                let mut history = [0usize; 7];
                for b in 0..size {
                    let dark = if transposed {
                        self.is_dark(a, b)
                    } else {
                        self.is_dark(b, a)
                    };
                    if dark == run_dark {
                        run += 1;
                        if run == 5 {
                            result += RUN;
                        } else if run > 5 {
                            result += 1;
                        }
                    } else {
                        add_history(run, &mut history, size);
                        if !run_dark {
                            result += finder_like_count(&history) * FINDER_LIKE;
                        }
                        run_dark = dark;
                        run = 1;
                    }
                }
                if run_dark {
                    add_history(run, &mut history, size);
                    run = 0;
                }
                add_history(run + size, &mut history, size);
                result += finder_like_count(&history) * FINDER_LIKE;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let dark = self.is_dark(x, y);
                if dark == self.is_dark(x + 1, y)
                    && dark == self.is_dark(x, y + 1)
                    && dark == self.is_dark(x + 1, y + 1)
                {
                    result += BLOCK;
                }
            }
        }
        let dark = self.modules.iter().filter(|&&m| m).count() as i64;
        let total = (size * size) as i64;
        let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
        result + k as u32 * BALANCE
    }
}

/// Pushes a run length into the history of the last seven runs; the first
/// run of a line counts the light border before it.
fn add_history(mut run: usize, history: &mut [usize; 7], size: usize) {
    if history[0] == 0 {
        run += size;
    }
    history.copy_within(0..6, 1);
    history[0] = run;
}

/// 1:1:3:1:1 dark-light runs with 4 light modules on either side.
fn finder_like_count(history: &[usize; 7]) -> u32 {
    let n = history[1];
    let core =
        n > 0 && history[2] == n && history[3] == n * 3 && history[4] == n && history[5] == n;
    u32::from(core && history[0] >= n * 4 && history[6] >= n)
        + u32::from(core && history[6] >= n * 4 && history[0] >= n)
}

/// 15 format bits: level and mask, BCH(15,5) protected, XOR-masked.
pub(crate) fn format_bits(level: ErrorCorrection, mask: u8) -> u32 {
    let data = level.format_bits() << 3 | u32::from(mask);
    let mut remainder = data;
    for _ in 0..10 {
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
    }
    (data << 10 | remainder) ^ 0x5412
}

/// 18 version bits (versions 7 and up), BCH(18,6) protected.
pub(crate) fn version_bits(version: u8) -> u32 {
    let data = u32::from(version);
    let mut remainder = data;
    for _ in 0..12 {
        remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
    }
    data << 12 | remainder
}

/// Centres of the alignment patterns along one axis.
fn alignment_positions(version: u8) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let version = usize::from(version);
    let count = version / 7 + 2;
    let size = version * 4 + 17;
    let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// Modules left for data and error correction once the patterns are drawn.
fn raw_data_modules(version: u8) -> usize {
    let v = usize::from(version);
    let mut result = (16 * v + 128) * v + 64;
    if v >= 2 {
        let count = v / 7 + 2;
        result -= (25 * count - 10) * count - 55;
        if v >= 7 {
            result -= 36;
        }
    }
    result
}

/// Data codewords of a version and level.
fn data_capacity(version: u8, level: ErrorCorrection) -> usize {
    let v = usize::from(version);
    raw_data_modules(version) / 8
        - usize::from(ECC_PER_BLOCK[level.index()][v]) * usize::from(BLOCKS[level.index()][v])
}

/// Byte-mode segment bits: mode, count (8 bits to version 9, then 16), data.
fn data_bits_needed(length: usize, version: u8) -> usize {
    let count_bits = if version <= 9 { 8 } else { 16 };
    if length >= 1 << count_bits {
        return usize::MAX;
    }
    4 + count_bits + 8 * length
}

/// The data codewords: segment, terminator, byte padding, pad codewords.
fn data_codewords(data: &[u8], version: u8, level: ErrorCorrection) -> Vec<u8> {
    let capacity_bits = data_capacity(version, level) * 8;
    let mut bits = BitBuffer::default();
    bits.push(0b0100, 4);
    bits.push(data.len() as u32, if version <= 9 { 8 } else { 16 });
    for &byte in data {
        bits.push(u32::from(byte), 8);
    }
    bits.push(0, (capacity_bits - bits.len).min(4));
    bits.push(0, (8 - bits.len % 8) % 8);
    let mut codewords = bits.bytes;
    for pad in [0xEC, 0x11].into_iter().cycle() {
        if codewords.len() * 8 >= capacity_bits {
            break;
        }
        codewords.push(pad);
    }
    codewords
}

/// Splits the data into blocks, appends each block's error correction, and
/// interleaves the blocks codeword by codeword.
fn add_ecc_and_interleave(data: &[u8], version: u8, level: ErrorCorrection) -> Vec<u8> {
    let v = usize::from(version);
    let blocks = usize::from(BLOCKS[level.index()][v]);
    let ecc_len = usize::from(ECC_PER_BLOCK[level.index()][v]);
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks;
    let generator = divisor(ecc_len);
    let mut all_blocks: Vec<Vec<u8>> = Vec::with_capacity(blocks);
    let mut start = 0;
    for i in 0..blocks {
        let length = short_len - ecc_len + usize::from(i >= short_blocks);
        let mut block = data[start..start + length].to_vec();
        start += length;
        let ecc = remainder(&block, &generator);
        if i < short_blocks {
            block.push(0);
        }
        block.extend(ecc);
        all_blocks.push(block);
    }
    let mut result = Vec::with_capacity(raw);
    for i in 0..all_blocks[0].len() {
        for (j, block) in all_blocks.iter().enumerate() {
            if i != short_len - ecc_len || j >= short_blocks {
                result.push(block[i]);
            }
        }
    }
    result
}

#[derive(Default)]
struct BitBuffer {
    bytes: Vec<u8>,
    len: usize,
}

impl BitBuffer {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 != 0
                && let Some(last) = self.bytes.last_mut()
            {
                *last |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}
