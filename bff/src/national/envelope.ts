/**
 * The envelope of the national medical-insurance mobile-payment centre (移动支付中心, reference §2–§3):
 * business `data` travels only as `encData` = HEX(SM4-ECB-PKCS7(derived key, JSON)), and `signData` =
 * Base64(SM2 r‖s) over the sign text built from the envelope fields and the canonical `data`.
 *
 * We seal with our own channel private key; we open the centre's responses and 6302 callbacks with the
 * platform (peer) public key. Opening fails closed: nothing from a body is returned unless its SM2 signature
 * verifies, and every refusal is an EnvelopeError with a stable code.
 */
import { sm4EcbDecrypt, sm4EcbEncrypt } from '../crypto/sm4';
import { sign, verify, type KeyInput } from '../crypto/sm2';
import { BoundedCache } from '../crypto/lru';
import {
  buildSignText,
  canonicalJson,
  containsEmptyContainers,
  containsNumbers,
  parseJsonKeepingNumbers,
  toPlain,
  UNSIGNED_FIELDS,
  type CanonicalOptions,
} from './envelope-canonical';
import { parseEnvelopeTimestamp } from './envelope-timestamp';

export type Envelope = {
  appId: string;
  encType: 'SM4';
  signType: 'SM2';
  timestamp: string | number;
  version: string;
  encData: string;
  signData: string;
};

export type EnvelopeErrorCode = 'MALFORMED' | 'APP_ID_MISMATCH' | 'UNSUPPORTED_ALGORITHM' | 'DECRYPT_FAILED' | 'SIGNATURE_INVALID' | 'TIMESTAMP_SKEW';

export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface SealCredentials {
  appId: string;
  appSecret: string;
  /** our channel private key (base64 of d, or hex) */
  privateKey: KeyInput;
  /** SM2 user id, default 1234567812345678 */
  userId?: string;
}

export interface OpenCredentials {
  appId: string;
  appSecret: string;
  /** the platform's public key (base64 or hex of 04‖X‖Y) */
  peerPublicKey: KeyInput;
  userId?: string;
}

export interface SealOptions {
  /** default: now in epoch ms; also accepts `yyyyMMddHHmmss` (see formatShanghaiTimestamp) */
  timestamp?: string;
  /** default 2.0.1 */
  version?: string;
  /** encData hex case; default lower (the SDK and the centre's own messages), the centre accepts both */
  hexCase?: 'upper' | 'lower';
  /** canonicalisation of data in the sign text; default: SDK form without number conversion */
  canonical?: CanonicalOptions;
  now?: () => number;
}

export interface OpenOptions {
  /** refuse timestamps further than this from now (either direction); absent or 0: no check (as NationalConfig.maxSkewMs) */
  maxSkewMs?: number;
  now?: () => number;
}

export const ENVELOPE_VERSION = '2.0.1';

// ---------------------------------------------------------------- SM4 key and payload

const keyCache = new BoundedCache<string, Buffer>(32);

function derivedKey(appId: string, appSecret: string): Buffer {
  const cacheKey = appId + '\u0000' + appSecret;
  let key = keyCache.get(cacheKey);
  if (!key) {
    if (!/^[\x20-\x7e]{16}/.test(appId)) throw new TypeError('appId must start with 16 printable ASCII characters');
    const k0 = Buffer.from(appId.slice(0, 16), 'latin1');
    const c = sm4EcbEncrypt(k0, Buffer.from(appSecret, 'utf8'));
    key = Buffer.from(c.toString('hex').toUpperCase().slice(0, 16), 'latin1');
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** §3.1: k0 = appId[0..16), c = SM4-ECB-PKCS7(k0, appSecret), key = ASCII(UPPER(HEX(c))[0..16)). */
export function deriveSm4Key(appId: string, appSecret: string): Buffer {
  return Buffer.from(derivedKey(appId, appSecret));
}

/** HEX(SM4-ECB-PKCS7(derived key, UTF-8 text)) */
export function encryptPayload(appId: string, appSecret: string, plaintext: string, hexCase: 'upper' | 'lower' = 'lower'): string {
  const hex = sm4EcbEncrypt(derivedKey(appId, appSecret), Buffer.from(plaintext, 'utf8')).toString('hex');
  return hexCase === 'upper' ? hex.toUpperCase() : hex;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Inverse of encryptPayload; hex in either case. Throws EnvelopeError DECRYPT_FAILED. */
export function decryptPayload(appId: string, appSecret: string, encData: string): string {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(encData)) throw new EnvelopeError('DECRYPT_FAILED', 'encData is not hex');
  let pt: Buffer;
  try {
    pt = sm4EcbDecrypt(derivedKey(appId, appSecret), Buffer.from(encData, 'hex'));
  } catch {
    throw new EnvelopeError('DECRYPT_FAILED', 'encData does not decrypt with our key (bad padding or length)');
  }
  try {
    return utf8.decode(pt);
  } catch {
    throw new EnvelopeError('DECRYPT_FAILED', 'decrypted encData is not UTF-8');
  }
}

// ---------------------------------------------------------------- seal / open

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Encrypts and signs `data` with our private key. */
export function seal(data: object, creds: SealCredentials, opts: SealOptions = {}): Envelope {
  if (!isPlainObject(data)) throw new TypeError('envelope data must be a plain JSON object');
  const timestamp = opts.timestamp ?? String((opts.now ?? Date.now)());
  if (parseEnvelopeTimestamp(timestamp) === undefined) throw new TypeError('timestamp must be epoch ms or yyyyMMddHHmmss');
  const head = { appId: creds.appId, encType: 'SM4' as const, signType: 'SM2' as const, timestamp, version: opts.version ?? ENVELOPE_VERSION };
  // canonical first: it refuses values JSON.stringify would silently change (NaN, Date, class instances)
  const text = buildSignText(head, data, creds.appSecret, opts.canonical);
  const encData = encryptPayload(creds.appId, creds.appSecret, JSON.stringify(data), opts.hexCase);
  const signData = sign(text, creds.privateKey, { userId: creds.userId }).toString('base64');
  return { ...head, encData, signData };
}

function requireString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new EnvelopeError('MALFORMED', `envelope field ${field} is missing or not a non-empty string`);
  return v;
}

/** The envelope fields §3.2 lists as signed, besides data. */
const SIGNED_FIELDS = ['appId', 'encType', 'signType', 'timestamp', 'version'] as const;

/**
 * Field sets tried on verification. First exactly the documented fields (a gateway may wrap the envelope with
 * unsigned `code`/`message`); then, if the body has other fields, the exclusion-list reading (every field but
 * signData/encData/extra, as FUWU/TSX build it). Either way only the decrypted data is returned.
 */
function signedFieldSets(envelope: Record<string, unknown>): Record<string, unknown>[] {
  const documented: Record<string, unknown> = {};
  for (const k of SIGNED_FIELDS) documented[k] = envelope[k];
  const sets = [documented];
  if (Object.keys(envelope).some((k) => !UNSIGNED_FIELDS.has(k) && !(SIGNED_FIELDS as readonly string[]).includes(k))) sets.push(envelope);
  return sets;
}

/** Canonical forms tried on verification: as received; numbers as strings (§3.2); without empty containers. */
function canonicalVariants(data: unknown): CanonicalOptions[] {
  const variants: CanonicalOptions[] = [{}];
  if (containsNumbers(data)) variants.push({ numbersAsStrings: true });
  if (containsEmptyContainers(data)) for (const v of [...variants]) variants.push({ ...v, dropEmptyContainers: true });
  return variants;
}

/**
 * Decrypts and verifies a body from the centre with the platform public key and returns its data object.
 * Throws EnvelopeError (MALFORMED, APP_ID_MISMATCH, UNSUPPORTED_ALGORITHM, DECRYPT_FAILED, SIGNATURE_INVALID,
 * TIMESTAMP_SKEW); an invalid peer public key is a configuration error (Sm2KeyError).
 * A `{code, message}` body without encData is reported as MALFORMED: check `businessErrorOf` first.
 */
export function open(envelope: unknown, creds: OpenCredentials, opts: OpenOptions = {}): Record<string, unknown> {
  // 1. shape
  if (!isPlainObject(envelope)) throw new EnvelopeError('MALFORMED', 'envelope is not a JSON object');
  if (envelope.encData === undefined && businessErrorOf(envelope)) {
    throw new EnvelopeError('MALFORMED', 'no encData: this is a business error response, not an envelope');
  }
  const appId = requireString(envelope, 'appId');
  const encType = requireString(envelope, 'encType');
  const signType = requireString(envelope, 'signType');
  requireString(envelope, 'version');
  const encData = requireString(envelope, 'encData');
  const signData = requireString(envelope, 'signData');
  const ts = envelope.timestamp;
  const tsMs = parseEnvelopeTimestamp(ts);
  if (tsMs === undefined) throw new EnvelopeError('MALFORMED', 'timestamp is neither epoch ms nor yyyyMMddHHmmss');

  // 2. addressed to us, 3. algorithms
  if (appId !== creds.appId) throw new EnvelopeError('APP_ID_MISMATCH', 'envelope appId is not ours');
  if (encType !== 'SM4' || signType !== 'SM2') throw new EnvelopeError('UNSUPPORTED_ALGORITHM', `unsupported encType/signType ${encType}/${signType}`);

  // 4. decrypt and parse
  const plaintext = decryptPayload(appId, creds.appSecret, encData);
  let data: unknown;
  try {
    data = parseJsonKeepingNumbers(plaintext);
  } catch {
    throw new EnvelopeError('DECRYPT_FAILED', 'decrypted encData is not JSON');
  }
  if (!isPlainObject(data)) throw new EnvelopeError('DECRYPT_FAILED', 'decrypted encData is not a JSON object');

  // 5. signature over the rebuilt sign text, with the peer's key
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signData)) throw new EnvelopeError('SIGNATURE_INVALID', 'signData is not base64');
  const sig = Buffer.from(signData, 'base64');
  if (sig.length !== 64) throw new EnvelopeError('SIGNATURE_INVALID', `signData must be 64 bytes r||s, got ${sig.length}`);
  const userId = creds.userId;
  const variants = canonicalVariants(data);
  const verified = signedFieldSets(envelope).some((fields) =>
    variants.some((variant) => verify(buildSignText(fields, data, creds.appSecret, variant), sig, creds.peerPublicKey, { userId })),
  );
  if (!verified) throw new EnvelopeError('SIGNATURE_INVALID', 'SM2 signature does not verify with the platform public key');

  // 6. freshness (after the signature: a refused timestamp is then an authentic but stale message)
  if (opts.maxSkewMs !== undefined && opts.maxSkewMs > 0) {
    const now = (opts.now ?? Date.now)();
    if (Math.abs(now - tsMs) > opts.maxSkewMs) throw new EnvelopeError('TIMESTAMP_SKEW', `timestamp is ${Math.round((now - tsMs) / 1000)} s from now`);
  }
  return toPlain(data) as Record<string, unknown>;
}

// ---------------------------------------------------------------- business errors

export interface BusinessErrorResponse {
  code: string;
  message: string;
}

/**
 * A `{code, message}` body without encData/signData (reference §2.2): the centre refused the call. It is NOT
 * authenticated: use it to report "the call failed", never as evidence about an order's state.
 * Returns undefined for anything else (an envelope, or a body that is neither).
 */
export function businessErrorOf(body: unknown): BusinessErrorResponse | undefined {
  if (!isPlainObject(body)) return undefined;
  const present = (k: string): boolean => body[k] !== undefined && body[k] !== null && body[k] !== '';
  if (present('encData') || present('signData')) return undefined;
  const code = body.code;
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  const msg = typeof body.message === 'string' ? body.message : typeof body.msg === 'string' ? body.msg : '';
  return { code: String(code), message: msg };
}

export function isBusinessErrorResponse(body: unknown): boolean {
  return businessErrorOf(body) !== undefined;
}

/** The canonical data text as this module signs it (for logs and tests; never log the sign text: it holds the secret). */
export { canonicalJson, buildSignText };
