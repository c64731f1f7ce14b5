/**
 * The sandbox centre's SM2 / SM4, from `sm-crypto-v2` (npm, Cubelrti/sm-crypto-v2: sm-crypto's API on
 * @noble/curves' point arithmetic) — deliberately NOT the BFF's own implementation (bff/src/crypto), so that a
 * mistake in either shows up as a refusal between the two. Not the original `sm-crypto` 0.5 (which the tests
 * still use for outside vectors): its pure-JS SM2 verifies ~60 signatures a second on this machine, so the
 * sandbox centre, not the BFF, was what a load test measured; sm-crypto-v2 verifies ~340 and signs ~2,600.
 *
 * Key text formats (reference national-mobile-pay-2.0.md §3.3, SPC `SpcClientTest.java` comments):
 *   private key: base64 of the 32-byte scalar d (33 bytes with a leading 0x00 also seen, YHGM), or 64 hex digits;
 *   public key:  base64 of 04‖X‖Y (65 bytes), or 130 hex digits; 64-byte X‖Y without the 04 prefix is also
 *                read (some providers publish it so: public-rules item 11).
 * sm-crypto(-v2) itself wants hex: d as 64 hex digits, the public key as "04"+X+Y.
 */
import { sm2, sm4 } from 'sm-crypto-v2';

export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** n of the SM2 recommended curve (GB/T 32918.5), to keep generated d in [1, n-2] */
const CURVE_ORDER = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

function keyBytes(text: string, hexLengths: number[]): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]+$/.test(s) && hexLengths.includes(s.length)) return Buffer.from(s, 'hex');
  const b64 = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) throw new Error('SM2 key is neither hex nor base64');
  return Buffer.from(b64, 'base64');
}

/** d as the 64 hex digits sm-crypto wants */
export function privateKeyHex(key: string): string {
  let b = keyBytes(key, [64, 66]);
  if (b.length === 33 && b[0] === 0) b = b.subarray(1);
  if (b.length !== 32) throw new Error(`SM2 private key must be 32 bytes, got ${b.length}`);
  return b.toString('hex');
}

/** "04"+X+Y as sm-crypto wants it; accepts 65-byte 04‖X‖Y and 64-byte X‖Y; checked to be on the curve */
export function publicKeyHex(key: string): string {
  const b = keyBytes(key, [128, 130]);
  let hex: string;
  if (b.length === 65 && b[0] === 4) hex = b.toString('hex');
  else if (b.length === 64) hex = '04' + b.toString('hex');
  else throw new Error(`SM2 public key must be 04||X||Y (65 bytes) or X||Y (64 bytes), got ${b.length} bytes`);
  if (!isOnCurve(hex)) throw new Error('SM2 public key is not a point on the curve');
  return hex;
}

/** sm-crypto-v2 throws where sm-crypto answered false */
function isOnCurve(hex: string): boolean {
  try {
    return sm2.verifyPublicKey(hex);
  } catch {
    return false;
  }
}

/** d → public key hex: sm-crypto would otherwise recompute it (a scalar multiplication) for every signature */
const publicOfPrivate = new Map<string, string>();

/** SM3withSM2 over UTF-8(text) with the ZA pre-hash; answers raw r‖s (64 bytes) */
export function sm2Sign(text: string, privateKey: string, userId = DEFAULT_SM2_USER_ID): Buffer {
  const d = privateKeyHex(privateKey);
  let publicKey = publicOfPrivate.get(d);
  if (!publicKey) {
    if (publicOfPrivate.size >= 16) publicOfPrivate.clear();
    publicKey = sm2.getPublicKeyFromPrivateKey(d);
    publicOfPrivate.set(d, publicKey);
  }
  const sigHex = sm2.doSignature(text, d, { hash: true, der: false, userId, publicKey });
  return Buffer.from(sigHex, 'hex');
}

export function sm2Verify(text: string, rs: Buffer, publicKey: string, userId = DEFAULT_SM2_USER_ID): boolean {
  if (rs.length !== 64) return false;
  return sm2.doVerifySignature(text, rs.toString('hex'), publicKeyHex(publicKey), { hash: true, der: false, userId });
}

/** A key pair in the formats the BFF's configuration reads: base64 of d, base64 of 04‖X‖Y. */
export function generateKeyPair(): { privateKey: string; publicKey: string } {
  for (;;) {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    // the signer needs 1 + d invertible mod n: d = n - 1 is refused by strict implementations
    if (BigInt('0x' + privateKey) >= CURVE_ORDER - 1n) continue;
    return { privateKey: Buffer.from(privateKey, 'hex').toString('base64'), publicKey: Buffer.from(publicKey, 'hex').toString('base64') };
  }
}

/** The public key (base64 of 04‖X‖Y) of a private key. */
export function publicKeyOf(privateKey: string): string {
  return Buffer.from(sm2.getPublicKeyFromPrivateKey(privateKeyHex(privateKey)), 'hex').toString('base64');
}

/** SM4-ECB with PKCS#7 padding */
export function sm4Encrypt(key: Buffer, plaintext: Buffer): Buffer {
  return Buffer.from(sm4.encrypt(new Uint8Array(plaintext), key.toString('hex'), { mode: 'ecb', padding: 'pkcs#7', output: 'array' }));
}

/** Inverse of sm4Encrypt; throws on a bad length or padding */
export function sm4Decrypt(key: Buffer, ciphertext: Buffer): Buffer {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw new Error('SM4 ciphertext is not a whole number of blocks');
  // padding checked here, not by the library (sm-crypto 0.5 let a final byte of 0 through as "no padding")
  const padded = Buffer.from(sm4.decrypt(new Uint8Array(ciphertext), key.toString('hex'), { mode: 'ecb', padding: 'none', output: 'array' }));
  const n = padded[padded.length - 1];
  if (n < 1 || n > 16 || !padded.subarray(padded.length - n).every((b) => b === n)) throw new Error('SM4 padding is invalid');
  return padded.subarray(0, padded.length - n);
}
