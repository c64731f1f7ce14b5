/**
 * SM2 recommended curve (GB/T 32918.5 / GM/T 0003.5) parameters and arithmetic in GF(p) and Z/nZ on BigInt.
 *
 * Reduction: one native `%` per product. Measured on Node 20, V8's BigInt remainder on a 512-bit product
 * is several times faster than a Solinas shift-and-add reduction written with BigInt operators (every BigInt
 * operation allocates, so fewer, larger operations win). Additions and subtractions use a compare and one
 * conditional ±p instead of `%`.
 */

export const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
/** a = p − 3 (the doubling formula relies on it) */
export const A = P - 3n;
export const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
export const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
export const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

// ---- GF(p); inputs are in [0, p) ----

export function fmul(a: bigint, b: bigint): bigint {
  return (a * b) % P;
}

export function fadd(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s >= P ? s - P : s;
}

export function fsub(a: bigint, b: bigint): bigint {
  const d = a - b;
  return d < 0n ? d + P : d;
}

/** a⁻¹ mod m by the extended Euclidean algorithm (faster on BigInt than Fermat's a^(m−2)). a must be non-zero mod m. */
export function modInverse(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = a % m;
  if (r1 < 0n) r1 += m;
  if (r1 === 0n) throw new RangeError('0 has no inverse');
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    const r2 = r0 - q * r1;
    r0 = r1;
    r1 = r2;
    const t2 = t0 - q * t1;
    t0 = t1;
    t1 = t2;
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return t0 < 0n ? t0 + m : t0;
}

export function finv(a: bigint): bigint {
  return modInverse(a, P);
}

/** y² = x³ − 3x + b with 0 ≤ x, y < p */
export function isOnCurve(x: bigint, y: bigint): boolean {
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  const rhs = fadd(fsub(fmul(fmul(x, x), x), fmul(3n, x)), B);
  return fmul(y, y) === rhs;
}

// ---- Z/nZ ----

export function modN(a: bigint): bigint {
  const r = a % N;
  return r < 0n ? r + N : r;
}

// ---- bytes ----

export function bytesToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

/** 32-byte big-endian encoding; x must be in [0, 2²⁵⁶). */
export function bigintToBytes32(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
}
