/**
 * SM2 digital signature (GB/T 32918.2, "SM3withSM2") on the recommended curve, raw r‖s output.
 *
 *   ZA = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA),  e = SM3(ZA ‖ M)
 *   sign:   (x1, ·) = k·G, r = (e + x1) mod n, s = (1 + d)⁻¹·(k − r·d) mod n
 *   verify: t = (r + s) mod n, (x1, ·) = s·G + t·PA, accept iff (e + x1) mod n = r
 *
 * Speed: k·G and s·G use a lazily built fixed-base table (8-bit signed windows: 33 mixed additions and no
 * doublings); t·PA uses wNAF, and once a public key has been seen twice (the platform key is fixed per
 * deployment) a fixed-base table for it is built and kept in a small LRU, so a verification costs about 70
 * mixed additions and no inversion (the x-coordinate is compared projectively). ZA per (user id, public key)
 * and (1 + d)⁻¹ and the public key per private key are cached.
 *
 * Side channels: BigInt arithmetic and the table walk are not constant-time (operation time depends on
 * operand sizes and on which window digits are zero). Verification handles only public data. Signing handles
 * d and k: what mitigates it here is that k is fresh from the OS CSPRNG for every signature, that signing
 * happens only for our own outbound requests to the insurance centre (an attacker cannot ask for signatures
 * at will, nor choose the message), and that the few microseconds of data-dependent variation are far below
 * the network and queueing jitter an outside observer sees. The private key must not be used by a service
 * that signs attacker-chosen messages on demand; where that or a co-resident attacker is a concern, use an
 * HSM or a constant-time implementation.
 */
import { randomBytes } from 'node:crypto';
import { A, B, GX, GY, N, P, bigintToBytes32, bytesToBigint, isOnCurve, modInverse, modN } from './sm2-field';
import { buildFixedBaseTable, generatorTable, infinity, mulFixedAdd, mulG, mulVar, toAffine, type FixedBaseTable } from './sm2-point';
import { sm3, toBytes, type BytesLike } from './sm3';
import { BoundedCache } from './lru';

export const DEFAULT_USER_ID = '1234567812345678';

export class Sm2KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sm2KeyError';
  }
}

/** base64 or hex text, or raw bytes */
export type KeyInput = string | Uint8Array;
export interface Sm2Options {
  /** SM2 distinguishing identifier (UTF-8), default `1234567812345678` */
  userId?: string;
}

// ---------------------------------------------------------------- key parsing

const HEX = /^[0-9a-fA-F]+$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function decodeKeyText(text: string, hexLengths: number[]): Buffer {
  const s = text.trim();
  if (HEX.test(s) && hexLengths.includes(s.length)) return Buffer.from(s, 'hex');
  const compact = s.replace(/\s+/g, '');
  if (!B64.test(compact)) throw new Sm2KeyError('key is neither hex nor base64');
  return Buffer.from(compact, 'base64'); // node decodes standard and URL-safe alphabets
}

function toKeyBytes(input: KeyInput, hexLengths: number[]): Buffer {
  if (typeof input === 'string') return decodeKeyText(input, hexLengths);
  if (input instanceof Uint8Array) return Buffer.from(input);
  throw new Sm2KeyError('key must be a string or bytes');
}

function privateScalar(input: KeyInput): bigint {
  let b = toKeyBytes(input, [64, 66]);
  if (b.length === 33 && b[0] === 0) b = b.subarray(1);
  if (b.length !== 32) throw new Sm2KeyError(`private key must be 32 bytes (or 33 with a leading 0x00), got ${b.length}`);
  const d = bytesToBigint(b);
  // d = n − 1 is excluded: 1 + d must be invertible mod n
  if (d < 1n || d > N - 2n) throw new Sm2KeyError('private key out of range [1, n-2]');
  return d;
}

interface PublicPoint {
  x: bigint;
  y: bigint;
  /** 04 ‖ X ‖ Y */
  bytes: Buffer;
  hex: string;
}

function publicPoint(input: KeyInput): PublicPoint {
  let b = toKeyBytes(input, [130, 128]);
  // a bare 64-byte X‖Y (as TSX and several provincial key files give it) is the uncompressed point without its 04
  if (b.length === 64) b = Buffer.concat([Buffer.from([4]), b]);
  if (b.length !== 65 || b[0] !== 0x04) throw new Sm2KeyError(`public key must be 65 bytes 04||X||Y, got ${b.length} bytes`);
  const x = bytesToBigint(b.subarray(1, 33));
  const y = bytesToBigint(b.subarray(33));
  // affine coordinates cannot encode the point at infinity; the cofactor is 1, so on-curve means in the group
  if (!isOnCurve(x, y)) throw new Sm2KeyError('public key is not a point on the SM2 curve');
  return { x, y, bytes: b, hex: b.toString('hex') };
}

function encodePoint(x: bigint, y: bigint): Buffer {
  return Buffer.concat([Buffer.from([4]), bigintToBytes32(x), bigintToBytes32(y)]);
}

/** 32-byte d from base64 (32 bytes, or 33 with a leading 0x00), hex, or bytes. Throws Sm2KeyError. */
export function parsePrivateKey(input: KeyInput): Buffer {
  return bigintToBytes32(privateScalar(input));
}

/** 65-byte 04‖X‖Y from base64, hex or bytes, checked to be on the curve. Throws Sm2KeyError. */
export function parsePublicKey(input: KeyInput): Buffer {
  return Buffer.from(publicPoint(input).bytes);
}

// ---------------------------------------------------------------- caches

interface PrivateContext {
  d: bigint;
  /** (1 + d)⁻¹ mod n */
  inv1pd: bigint;
  pub: PublicPoint;
}

const privateCache = new BoundedCache<string, PrivateContext>(16);
const publicCache = new BoundedCache<string, PublicPoint>(64);
const zaCache = new BoundedCache<string, Buffer>(64);
/** fixed-base tables for public keys verified more than once */
const PUBLIC_TABLE_WIDTH = 7;
const publicTables = new BoundedCache<string, FixedBaseTable>(16);
const publicSeen = new BoundedCache<string, number>(256);

function cacheKey(input: KeyInput): string {
  return typeof input === 'string' ? 's:' + input : 'b:' + Buffer.from(input).toString('hex');
}

function privateContext(input: KeyInput): PrivateContext {
  const key = cacheKey(input);
  let ctx = privateCache.get(key);
  if (!ctx) {
    const d = privateScalar(input);
    const q = mulG(d);
    const bytes = encodePoint(q.x, q.y);
    ctx = { d, inv1pd: modInverse(d + 1n, N), pub: { x: q.x, y: q.y, bytes, hex: bytes.toString('hex') } };
    privateCache.set(key, ctx);
  }
  return ctx;
}

function publicContext(input: KeyInput): PublicPoint {
  const key = cacheKey(input);
  let pub = publicCache.get(key);
  if (!pub) {
    pub = publicPoint(input);
    publicCache.set(key, pub);
  }
  return pub;
}

function tableFor(pub: PublicPoint): FixedBaseTable | undefined {
  const hit = publicTables.get(pub.hex);
  if (hit) return hit;
  const seen = (publicSeen.get(pub.hex) ?? 0) + 1;
  publicSeen.set(pub.hex, seen);
  if (seen < 2) return undefined;
  const t = buildFixedBaseTable(pub.x, pub.y, PUBLIC_TABLE_WIDTH);
  publicTables.set(pub.hex, t);
  return t;
}

const CURVE_BYTES = Buffer.concat([A, B, GX, GY].map(bigintToBytes32));

function za(userId: string, pub: PublicPoint): Buffer {
  const key = userId + '\u0000' + pub.hex;
  let z = zaCache.get(key);
  if (!z) {
    const id = Buffer.from(userId, 'utf8');
    const entl = id.length * 8;
    if (entl > 0xffff) throw new RangeError('SM2 user id longer than 8191 bytes');
    z = sm3(Buffer.from([entl >> 8, entl & 0xff]), id, CURVE_BYTES, pub.bytes.subarray(1));
    zaCache.set(key, z);
  }
  return z;
}

// ---------------------------------------------------------------- API

/** e = SM3(ZA ‖ M): the value that is actually signed. */
export function digest(message: BytesLike, publicKey: KeyInput, opts: Sm2Options = {}): Buffer {
  return sm3(za(opts.userId ?? DEFAULT_USER_ID, publicContext(publicKey)), message);
}

export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const d = randomScalar(N - 2n);
  const q = mulG(d);
  return { privateKey: bigintToBytes32(d).toString('base64'), publicKey: encodePoint(q.x, q.y).toString('base64') };
}

/** Base64 of 04‖X‖Y for a private key. */
export function publicKeyFromPrivate(privateKey: KeyInput): string {
  return privateContext(privateKey).pub.bytes.toString('base64');
}

/** Uniform in [1, max] by rejection sampling on 32 random bytes. */
function randomScalar(max: bigint): bigint {
  for (;;) {
    const k = bytesToBigint(randomBytes(32));
    if (k >= 1n && k <= max) return k;
  }
}

/** SM3withSM2 signature, 64 bytes r‖s. Strings are signed as UTF-8. */
export function sign(message: BytesLike, privateKey: KeyInput, opts: Sm2Options = {}): Buffer {
  const ctx = privateContext(privateKey);
  const e = bytesToBigint(sm3(za(opts.userId ?? DEFAULT_USER_ID, ctx.pub), message));
  return signDigest(e, ctx, () => randomScalar(N - 1n));
}

function signDigest(e: bigint, ctx: PrivateContext, nonce: () => bigint): Buffer {
  for (;;) {
    const k = nonce();
    const x1 = mulG(k).x;
    const r = modN(e + x1);
    if (r === 0n || r + k === N) continue;
    const s = modN(ctx.inv1pd * modN(k - r * ctx.d));
    if (s === 0n) continue;
    return Buffer.concat([bigintToBytes32(r), bigintToBytes32(s)]);
  }
}

/**
 * Known-answer tests only (GB/T 32918 examples fix k): signs with the given nonce. Never use in production.
 * @internal
 */
export function signWithNonceForTest(message: BytesLike, privateKey: KeyInput, k: bigint, opts: Sm2Options = {}): Buffer {
  const ctx = privateContext(privateKey);
  const e = bytesToBigint(sm3(za(opts.userId ?? DEFAULT_USER_ID, ctx.pub), message));
  let used = false;
  return signDigest(e, ctx, () => {
    if (used) throw new RangeError('the fixed nonce gives an invalid signature');
    used = true;
    return k;
  });
}

/**
 * Checks a 64-byte r‖s signature. Returns false for any bad or malformed signature; throws Sm2KeyError only
 * when the public key itself is invalid (a configuration error, not an attacker-controlled input).
 */
export function verify(message: BytesLike, signature: Uint8Array, publicKey: KeyInput, opts: Sm2Options = {}): boolean {
  const pub = publicContext(publicKey);
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  const r = bytesToBigint(signature.subarray(0, 32));
  const s = bytesToBigint(signature.subarray(32, 64));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = modN(r + s);
  if (t === 0n) return false;
  const e = bytesToBigint(sm3(za(opts.userId ?? DEFAULT_USER_ID, pub), toBytes(message)));

  const table = tableFor(pub);
  let acc;
  if (table) {
    acc = infinity();
    mulFixedAdd(acc, table, t);
  } else {
    acc = mulVar(pub.x, pub.y, t);
  }
  mulFixedAdd(acc, generatorTable(), s);
  if (acc.z === 0n) return false;

  // (e + x1) mod n = r  ⇔  x1 ∈ {c, c + n} with c = (r − e) mod n, x1 = X/Z²  ⇔  X = x1·Z² (no inversion)
  const c = modN(r - e);
  const z2 = (acc.z * acc.z) % P;
  if ((c * z2) % P === acc.x) return true;
  const c2 = c + N;
  return c2 < P && (c2 * z2) % P === acc.x;
}

/** For tests: the affine form of k·Q (wNAF path), to cross-check the table paths. @internal */
export function mulPointForTest(k: bigint, publicKey: KeyInput): { x: bigint; y: bigint } {
  const pub = publicContext(publicKey);
  return toAffine(mulVar(pub.x, pub.y, k));
}
