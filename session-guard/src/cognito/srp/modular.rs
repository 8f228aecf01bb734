//! Arithmetic modulo the 3072-bit SRP prime, small enough for the size budget.
//!
//! SRP needs three modular exponentiations per sign-in and nothing else of a
//! big-number library, so this is a fixed-width Montgomery implementation
//! (96 limbs of 32 bits: wasm32 multiplies 32×32→64 natively) instead of a
//! general crate. Values are reduced below `N` everywhere except exponents,
//! which are plain little-endian limb vectors of any length.
//!
//! Not constant time: the exponent's window values pick table entries and the
//! final subtraction is a branch. The secrets live in the user's own browser
//! for one sign-in, where such side channels are not observable remotely.

/// Limbs of one residue.
pub(crate) const LIMBS: usize = 96;
/// Bytes of one residue (3072 bits).
pub(crate) const BYTES: usize = LIMBS * 4;

/// A residue modulo `N`, little-endian limbs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Residue([u32; LIMBS]);

/// An exponent or small product of any length, little-endian limbs.
pub(crate) type Wide = Vec<u32>;

/// The modulus with what Montgomery multiplication needs.
pub(crate) struct Modulus {
    n: [u32; LIMBS],
    /// `-N⁻¹ mod 2³²`.
    n0_inv: u32,
    /// `R² mod N` with `R = 2^3072`, to enter Montgomery form.
    r2: Residue,
}

impl Modulus {
    /// `n` big-endian, exactly [`BYTES`] long, odd and with its top bit set.
    pub(crate) fn from_be_bytes(n: &[u8; BYTES]) -> Self {
        let n = limbs_from_be(n);
        debug_assert!(n[0] & 1 == 1, "Montgomery needs an odd modulus");
        // Newton's iteration doubles the correct low bits each step: 1→2→4→…→32.
        let mut inverse: u32 = 1;
        for _ in 0..5 {
            inverse = inverse.wrapping_mul(2u32.wrapping_sub(n[0].wrapping_mul(inverse)));
        }
        let mut modulus = Modulus {
            n,
            n0_inv: inverse.wrapping_neg(),
            r2: Residue([0; LIMBS]),
        };
        // R mod N = 2^3072 − N (N has its top bit set) is the Montgomery form
        // of 1; three doublings make it that of 2³, and ten Montgomery
        // squarings that of (2³)^(2¹⁰) = 2^3072 = R, which is R² mod N.
        let mut r2 = [0u32; LIMBS];
        sub_in_place(&mut r2, &modulus.n);
        for _ in 0..3 {
            modulus.double_in_place(&mut r2);
        }
        for _ in 0..10 {
            r2 = modulus.mont_sqr(&r2);
        }
        modulus.r2 = Residue(r2);
        modulus
    }

    /// `x mod N` for a big-endian number of any length.
    pub(crate) fn reduce_be(&self, bytes: &[u8]) -> Residue {
        let mut value = [0u32; LIMBS];
        for byte in bytes {
            for bit in (0..8).rev() {
                self.double_in_place(&mut value);
                if (byte >> bit) & 1 == 1 {
                    self.add_small_in_place(&mut value, 1);
                }
            }
        }
        Residue(value)
    }

    /// `value ← 2·value mod N` for `value < N`.
    fn double_in_place(&self, value: &mut [u32; LIMBS]) {
        let mut carry = 0u32;
        for limb in value.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry == 1 || !less_than(value, &self.n) {
            sub_in_place(value, &self.n);
        }
    }

    /// `value ← value + small mod N` for `value < N`, `small < N`.
    fn add_small_in_place(&self, value: &mut [u32; LIMBS], small: u32) {
        let mut carry = small as u64;
        for limb in value.iter_mut() {
            let sum = *limb as u64 + carry;
            *limb = sum as u32;
            carry = sum >> 32;
        }
        if carry == 1 || !less_than(value, &self.n) {
            sub_in_place(value, &self.n);
        }
    }

    /// Montgomery product `a·b·R⁻¹ mod N` (CIOS).
    fn mont_mul(&self, a: &[u32; LIMBS], b: &[u32; LIMBS]) -> [u32; LIMBS] {
        let n = &self.n;
        let mut t = [0u32; LIMBS + 2];
        for &a_i in a.iter() {
            let a_i = a_i as u64;
            let mut carry = 0u64;
            for j in 0..LIMBS {
                let sum = t[j] as u64 + a_i * b[j] as u64 + carry;
                t[j] = sum as u32;
                carry = sum >> 32;
            }
            let sum = t[LIMBS] as u64 + carry;
            t[LIMBS] = sum as u32;
            t[LIMBS + 1] = (sum >> 32) as u32;

            let m = t[0].wrapping_mul(self.n0_inv) as u64;
            let mut carry = (t[0] as u64 + m * n[0] as u64) >> 32;
            for j in 1..LIMBS {
                let sum = t[j] as u64 + m * n[j] as u64 + carry;
                t[j - 1] = sum as u32;
                carry = sum >> 32;
            }
            let sum = t[LIMBS] as u64 + carry;
            t[LIMBS - 1] = sum as u32;
            t[LIMBS] = t[LIMBS + 1] + (sum >> 32) as u32;
        }
        let mut result = [0u32; LIMBS];
        result.copy_from_slice(&t[..LIMBS]);
        if t[LIMBS] != 0 || !less_than(&result, n) {
            sub_in_place(&mut result, n);
        }
        result
    }

    /// Montgomery square `a²·R⁻¹ mod N`: the product's cross terms are
    /// computed once and doubled (a quarter fewer multiplications than
    /// [`Self::mont_mul`]), then reduced limb by limb.
    fn mont_sqr(&self, a: &[u32; LIMBS]) -> [u32; LIMBS] {
        let mut t = [0u32; 2 * LIMBS + 1];
        // Cross terms a_i·a_j for i < j.
        for i in 0..LIMBS {
            let a_i = a[i] as u64;
            let mut carry = 0u64;
            for j in i + 1..LIMBS {
                let sum = t[i + j] as u64 + a_i * a[j] as u64 + carry;
                t[i + j] = sum as u32;
                carry = sum >> 32;
            }
            t[i + LIMBS] = carry as u32;
        }
        // Double them, then add the squares a_i².
        let mut top = 0u32;
        for limb in t.iter_mut().take(2 * LIMBS) {
            let next = *limb >> 31;
            *limb = (*limb << 1) | top;
            top = next;
        }
        let mut carry = 0u64;
        for i in 0..LIMBS {
            let square = a[i] as u64 * a[i] as u64;
            let low = t[2 * i] as u64 + (square & 0xffff_ffff) + carry;
            t[2 * i] = low as u32;
            let high = t[2 * i + 1] as u64 + (square >> 32) + (low >> 32);
            t[2 * i + 1] = high as u32;
            carry = high >> 32;
        }
        self.reduce_double_width(&mut t)
    }

    /// Montgomery reduction `t·R⁻¹ mod N` of a product `t < N·R`.
    fn reduce_double_width(&self, t: &mut [u32; 2 * LIMBS + 1]) -> [u32; LIMBS] {
        let n = &self.n;
        for i in 0..LIMBS {
            let m = t[i].wrapping_mul(self.n0_inv) as u64;
            let mut carry = 0u64;
            for j in 0..LIMBS {
                let sum = t[i + j] as u64 + m * n[j] as u64 + carry;
                t[i + j] = sum as u32;
                carry = sum >> 32;
            }
            let mut k = i + LIMBS;
            while carry != 0 && k < t.len() {
                let sum = t[k] as u64 + carry;
                t[k] = sum as u32;
                carry = sum >> 32;
                k += 1;
            }
        }
        let mut result = [0u32; LIMBS];
        result.copy_from_slice(&t[LIMBS..2 * LIMBS]);
        if t[2 * LIMBS] != 0 || !less_than(&result, n) {
            sub_in_place(&mut result, n);
        }
        result
    }

    fn enter_montgomery(&self, value: &Residue) -> [u32; LIMBS] {
        self.mont_mul(&value.0, &self.r2.0)
    }

    fn leave_montgomery(&self, value: &[u32; LIMBS]) -> Residue {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        Residue(self.mont_mul(value, &one))
    }

    /// `a·b mod N`.
    pub(crate) fn mul(&self, a: &Residue, b: &Residue) -> Residue {
        // (a·R)·b·R⁻¹ = a·b: one operand in Montgomery form is enough.
        Residue(self.mont_mul(&self.enter_montgomery(a), &b.0))
    }

    /// `a − b mod N`.
    pub(crate) fn sub(&self, a: &Residue, b: &Residue) -> Residue {
        let mut result = a.0;
        if less_than(&a.0, &b.0) {
            add_in_place(&mut result, &self.n);
        }
        sub_in_place(&mut result, &b.0);
        Residue(result)
    }

    /// `2^exponent mod N`, left to right: a multiplication by the base 2 is a
    /// doubling, so only the squarings cost a Montgomery product.
    pub(crate) fn pow_of_two(&self, exponent: &[u32]) -> Residue {
        let mut accumulator = self.enter_montgomery(&Residue::one());
        let mut started = false;
        for limb in exponent.iter().rev() {
            for bit in (0..32).rev() {
                if started {
                    accumulator = self.mont_sqr(&accumulator);
                }
                if (limb >> bit) & 1 == 1 {
                    self.double_in_place(&mut accumulator);
                    started = true;
                }
            }
        }
        self.leave_montgomery(&accumulator)
    }

    /// `base^exponent mod N`, left to right with a fixed 4-bit window.
    pub(crate) fn pow(&self, base: &Residue, exponent: &[u32]) -> Residue {
        let mut table = [[0u32; LIMBS]; 16];
        table[0] = self.enter_montgomery(&Residue::one());
        table[1] = self.enter_montgomery(base);
        for i in 2..16 {
            table[i] = self.mont_mul(&table[i - 1], &table[1]);
        }
        let mut accumulator = table[0];
        let mut started = false;
        for limb in exponent.iter().rev() {
            for shift in (0..8).rev() {
                let window = ((limb >> (shift * 4)) & 0xf) as usize;
                if started {
                    for _ in 0..4 {
                        accumulator = self.mont_sqr(&accumulator);
                    }
                }
                if window != 0 {
                    accumulator = self.mont_mul(&accumulator, &table[window]);
                    started = true;
                }
            }
        }
        self.leave_montgomery(&accumulator)
    }
}

impl Residue {
    pub(crate) fn one() -> Self {
        Self::small(1)
    }

    /// A value below 2³² (callers keep it below `N`, which is far larger).
    pub(crate) fn small(value: u32) -> Self {
        let mut limbs = [0u32; LIMBS];
        limbs[0] = value;
        Residue(limbs)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.iter().all(|&limb| limb == 0)
    }

    /// Big-endian, exactly [`BYTES`] long.
    pub(crate) fn to_be_bytes(self) -> Vec<u8> {
        wide_to_be(&self.0)
    }
}

/// A big-endian number as little-endian limbs (leading zero bytes allowed).
pub(crate) fn wide_from_be(bytes: &[u8]) -> Wide {
    let mut limbs = vec![0u32; bytes.len().div_ceil(4)];
    for (index, byte) in bytes.iter().rev().enumerate() {
        limbs[index / 4] |= (*byte as u32) << (8 * (index % 4));
    }
    limbs
}

/// Little-endian limbs as big-endian bytes, 4 per limb.
pub(crate) fn wide_to_be(limbs: &[u32]) -> Vec<u8> {
    limbs
        .iter()
        .rev()
        .flat_map(|limb| limb.to_be_bytes())
        .collect()
}

/// `a + b` of any lengths.
pub(crate) fn wide_add(a: &[u32], b: &[u32]) -> Wide {
    let mut result = vec![0u32; a.len().max(b.len()) + 1];
    let mut carry = 0u64;
    for (index, slot) in result.iter_mut().enumerate() {
        let sum = *a.get(index).unwrap_or(&0) as u64 + *b.get(index).unwrap_or(&0) as u64 + carry;
        *slot = sum as u32;
        carry = sum >> 32;
    }
    result
}

/// `a · b` of any lengths (schoolbook; the operands here are 256-bit hashes).
pub(crate) fn wide_mul(a: &[u32], b: &[u32]) -> Wide {
    let mut result = vec![0u32; a.len() + b.len()];
    for (i, &a_i) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &b_j) in b.iter().enumerate() {
            let sum = result[i + j] as u64 + a_i as u64 * b_j as u64 + carry;
            result[i + j] = sum as u32;
            carry = sum >> 32;
        }
        result[i + b.len()] = carry as u32;
    }
    result
}

fn limbs_from_be(bytes: &[u8; BYTES]) -> [u32; LIMBS] {
    let mut limbs = [0u32; LIMBS];
    for (index, chunk) in bytes.rchunks(4).enumerate() {
        limbs[index] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    limbs
}

fn less_than(a: &[u32; LIMBS], b: &[u32; LIMBS]) -> bool {
    for index in (0..LIMBS).rev() {
        if a[index] != b[index] {
            return a[index] < b[index];
        }
    }
    false
}

/// `a ← a − b`, wrapping (callers ensure `a ≥ b` or want the wrap).
fn sub_in_place(a: &mut [u32; LIMBS], b: &[u32; LIMBS]) {
    let mut borrow = 0i64;
    for index in 0..LIMBS {
        let difference = a[index] as i64 - b[index] as i64 - borrow;
        a[index] = difference as u32;
        borrow = (difference < 0) as i64;
    }
}

/// `a ← a + b`, wrapping.
fn add_in_place(a: &mut [u32; LIMBS], b: &[u32; LIMBS]) {
    let mut carry = 0u64;
    for index in 0..LIMBS {
        let sum = a[index] as u64 + b[index] as u64 + carry;
        a[index] = sum as u32;
        carry = sum >> 32;
    }
}
