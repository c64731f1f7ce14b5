/**
 * Point arithmetic on the SM2 curve: Jacobian coordinates (x = X/Z², y = Y/Z³, Z = 0 is the point at
 * infinity), mixed additions with affine table points, fixed-base tables with signed windows, and wNAF for
 * a variable base. All of it is variable-time; see the note in sm2.ts.
 */
import { P, GX, GY, finv } from './sm2-field';

/** Mutable accumulator in Jacobian coordinates. */
export interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

export function infinity(): Jacobian {
  return { x: 1n, y: 1n, z: 0n };
}

/*
 * Lazy reduction: a BigInt `%` costs several times a 256×256 multiplication, so products are combined into
 * one wider product before a single `%` wherever the intermediate value is only an operand (measured: one
 * `(a·b·c) % p` takes ~60 % of `((a·b) % p · c) % p`). Differences are fixed up with one `+ p` after `%`.
 */

/** p ← 2p. dbl-2001-b for a = −3 (3M + 5S), 6 reductions. */
export function dblInPlace(p: Jacobian): void {
  const { x, y, z } = p;
  if (z === 0n || y === 0n) {
    p.z = 0n;
    return;
  }
  const delta = (z * z) % P;
  const gamma = (y * y) % P;
  const beta = x * gamma; // unreduced, < p²
  let xm = x - delta;
  if (xm < 0n) xm += P;
  const alpha = (3n * xm * (x + delta)) % P;
  let x3 = (alpha * alpha - (beta << 3n)) % P;
  if (x3 < 0n) x3 += P;
  let y3 = (alpha * ((beta << 2n) - x3) - ((gamma * gamma) << 3n)) % P;
  if (y3 < 0n) y3 += P;
  p.x = x3;
  p.y = y3;
  p.z = ((y * z) << 1n) % P;
}

/** p ← p + (x2, y2) with (x2, y2) affine (8M + 3S, 7 reductions); handles p = ∞ and p = ±q. */
export function maddInPlace(p: Jacobian, x2: bigint, y2: bigint): void {
  const { x: x1, y: y1, z: z1 } = p;
  if (z1 === 0n) {
    p.x = x2;
    p.y = y2;
    p.z = 1n;
    return;
  }
  const z1z1 = (z1 * z1) % P;
  let h = (x2 * z1z1) % P - x1;
  if (h < 0n) h += P;
  let r = (y2 * z1 * z1z1) % P - y1;
  if (r < 0n) r += P;
  if (h === 0n) {
    if (r === 0n) dblInPlace(p);
    else p.z = 0n;
    return;
  }
  const hh = (h * h) % P;
  // x3 = r² − h³ − 2·x1·h²,  y3 = r·(x1·h² − x3) − y1·h³,  z3 = z1·h
  let x3 = (r * r - hh * (h + (x1 << 1n))) % P;
  if (x3 < 0n) x3 += P;
  let y3 = (r * (x1 * hh - x3) - y1 * h * hh) % P;
  if (y3 < 0n) y3 += P;
  p.x = x3;
  p.y = y3;
  p.z = (z1 * h) % P;
}

export function toAffine(p: Jacobian): { x: bigint; y: bigint } {
  if (p.z === 0n) throw new RangeError('point at infinity has no affine form');
  const zi = finv(p.z);
  const zi2 = (zi * zi) % P;
  return { x: (p.x * zi2) % P, y: (((p.y * zi2) % P) * zi) % P };
}

/** Affine forms of many finite points with one inversion (Montgomery's trick). */
export function batchToAffine(pts: readonly Jacobian[]): { xs: bigint[]; ys: bigint[] } {
  const n = pts.length;
  const xs = new Array<bigint>(n);
  const ys = new Array<bigint>(n);
  if (n === 0) return { xs, ys };
  const prefix = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    const z = pts[i].z;
    if (z === 0n) throw new RangeError('point at infinity in a table');
    acc = (acc * z) % P;
    prefix[i] = acc;
  }
  let inv = finv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const pt = pts[i];
    const zi = i > 0 ? (inv * prefix[i - 1]) % P : inv;
    inv = (inv * pt.z) % P;
    const zi2 = (zi * zi) % P;
    xs[i] = (pt.x * zi2) % P;
    ys[i] = (((pt.y * zi2) % P) * zi) % P;
  }
  return { xs, ys };
}

// ---- scalar recoding (plain numbers on a bit array: cheaper than BigInt shifts) ----

/** Little-endian bits of a scalar in [0, 2²⁵⁶), with `extra` zero bits of head room. */
function scalarBits(k: bigint, extra: number): Uint8Array {
  const hex = k.toString(16).padStart(64, '0');
  if (hex.length > 64 || k < 0n) throw new RangeError('scalar out of range');
  const bits = new Uint8Array(256 + extra);
  for (let i = 0; i < 64; i++) {
    const nib = parseInt(hex[63 - i], 16);
    const o = i * 4;
    bits[o] = nib & 1;
    bits[o + 1] = (nib >> 1) & 1;
    bits[o + 2] = (nib >> 2) & 1;
    bits[o + 3] = (nib >> 3) & 1;
  }
  return bits;
}

/** k = Σ dᵢ·2^(w·i) with dᵢ ∈ [−2^(w−1)+1, 2^(w−1)]. */
export function recodeSigned(k: bigint, w: number, windows: number): Int32Array {
  const bits = scalarBits(k, windows * w - 256 + 1);
  const digits = new Int32Array(windows);
  const half = 1 << (w - 1);
  let carry = 0;
  for (let i = 0; i < windows; i++) {
    let raw = 0;
    const o = i * w;
    for (let b = 0; b < w; b++) raw |= bits[o + b] << b;
    let d = raw + carry;
    if (d > half) {
      d -= 1 << w;
      carry = 1;
    } else carry = 0;
    digits[i] = d;
  }
  if (carry !== 0) throw new RangeError('scalar too large for the table');
  return digits;
}

/** Width-w non-adjacent form: odd digits in (−2^(w−1), 2^(w−1)), at least w−1 zeros after each non-zero one. */
export function wnaf(k: bigint, w: number): Int8Array {
  const bits = scalarBits(k, w + 2);
  const len = bits.length;
  const naf = new Int8Array(len);
  const full = 1 << w;
  const half = full >> 1;
  let i = 0;
  while (i < len - w) {
    if (bits[i] === 0) {
      i++;
      continue;
    }
    let d = 0;
    for (let b = 0; b < w; b++) {
      d |= bits[i + b] << b;
      bits[i + b] = 0;
    }
    if (d >= half) {
      d -= full;
      // borrow 2^w: add 1 at bit i+w and propagate the carry
      let j = i + w;
      while (bits[j] === 1) bits[j++] = 0;
      bits[j] = 1;
    }
    naf[i] = d;
    i += w;
  }
  return naf;
}

// ---- fixed-base tables ----

/** Affine multiples j·2^(w·i)·B for j = 1..2^(w−1), window i; entry (i, j) at index i·2^(w−1) + j − 1. */
export interface FixedBaseTable {
  readonly w: number;
  readonly windows: number;
  readonly half: number;
  readonly xs: bigint[];
  readonly ys: bigint[];
}

export function buildFixedBaseTable(bx: bigint, by: bigint, w: number): FixedBaseTable {
  if (w < 2 || w > 10) throw new RangeError('window width out of range');
  const half = 1 << (w - 1);
  const windows = Math.floor(256 / w) + 1;
  const pts: Jacobian[] = [];
  let x = bx;
  let y = by;
  for (let i = 0; i < windows; i++) {
    const acc: Jacobian = { x, y, z: 1n };
    pts.push({ ...acc });
    for (let j = 2; j <= half; j++) {
      maddInPlace(acc, x, y);
      pts.push({ ...acc });
    }
    if (i < windows - 1) {
      dblInPlace(acc); // 2^w · (base of this window)
      ({ x, y } = toAffine(acc));
    }
  }
  const { xs, ys } = batchToAffine(pts);
  return { w, windows, half, xs, ys };
}

/** acc ← acc + k·B, B the table's base, 0 ≤ k < 2²⁵⁶. One mixed addition per non-zero window, no doublings. */
export function mulFixedAdd(acc: Jacobian, t: FixedBaseTable, k: bigint): void {
  const digits = recodeSigned(k, t.w, t.windows);
  const { half, xs, ys } = t;
  for (let i = 0; i < t.windows; i++) {
    const d = digits[i];
    if (d === 0) continue;
    if (d > 0) {
      const idx = i * half + d - 1;
      maddInPlace(acc, xs[idx], ys[idx]);
    } else {
      const idx = i * half - d - 1;
      maddInPlace(acc, xs[idx], P - ys[idx]);
    }
  }
}

/** k·(px, py) by wNAF (width w, odd multiples normalised to affine in one batch). */
export function mulVar(px: bigint, py: bigint, k: bigint, w = 5): Jacobian {
  const count = 1 << (w - 2); // P, 3P, …, (2^(w−1) − 1)P
  const two: Jacobian = { x: px, y: py, z: 1n };
  dblInPlace(two);
  const t2 = toAffine(two);
  const odd: Jacobian[] = [{ x: px, y: py, z: 1n }];
  const acc: Jacobian = { x: px, y: py, z: 1n };
  for (let j = 1; j < count; j++) {
    maddInPlace(acc, t2.x, t2.y);
    odd.push({ ...acc });
  }
  const { xs, ys } = batchToAffine(odd);
  const naf = wnaf(k, w);
  const r = infinity();
  for (let i = naf.length - 1; i >= 0; i--) {
    dblInPlace(r);
    const d = naf[i];
    if (d > 0) maddInPlace(r, xs[(d - 1) >> 1], ys[(d - 1) >> 1]);
    else if (d < 0) maddInPlace(r, xs[(-d - 1) >> 1], P - ys[(-d - 1) >> 1]);
  }
  return r;
}

/** Window width of the generator's table: 33 windows × 128 points (≈4.2k affine points, built once, lazily). */
export const G_TABLE_WIDTH = 8;
let gTable: FixedBaseTable | undefined;

export function generatorTable(): FixedBaseTable {
  if (!gTable) gTable = buildFixedBaseTable(GX, GY, G_TABLE_WIDTH);
  return gTable;
}

/** k·G, affine. */
export function mulG(k: bigint): { x: bigint; y: bigint } {
  const acc = infinity();
  mulFixedAdd(acc, generatorTable(), k);
  return toAffine(acc);
}
