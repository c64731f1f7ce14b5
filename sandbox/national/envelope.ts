/**
 * The sandbox centre's own envelope (reference national-mobile-pay-2.0.md §2–§3), independent of the BFF's
 * (bff/src/national/envelope.ts): SM2/SM4 from `sm-crypto` (./sm.ts), sign text written again
 * (./envelope-sign-text.ts). Same exported names and call shapes as the BFF's, so app.ts / kiosk.ts read alike.
 *
 *   key     = ASCII(UPPER(HEX(SM4-ECB-PKCS7(k0 = appId[0..16), UTF-8 appSecret)))[0..16))     §3.1
 *   encData = HEX(SM4-ECB-PKCS7(key, UTF-8 JSON of data)), either hex case accepted           §2.1
 *   signData = Base64(SM2 r‖s over the sign text, user id 1234567812345678 by default)        §3.2, §3.3
 */
import { DEFAULT_SM2_USER_ID, sm2Sign, sm2Verify, sm4Decrypt, sm4Encrypt } from './sm';
import { formsToTry, signText, type SignTextForm } from './envelope-sign-text';

export { generateKeyPair, publicKeyOf } from './sm';

export type EnvelopeErrorCode = 'MALFORMED' | 'APP_ID_MISMATCH' | 'UNSUPPORTED_ALGORITHM' | 'DECRYPT_FAILED' | 'SIGNATURE_INVALID' | 'TIMESTAMP_SKEW';

/** A refusal to open (or a body that is no envelope), with its stable code. */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
  constructor(readonly code: EnvelopeErrorCode, message: string) {
    super(message);
  }
}

/** §2.1: the head members, all strings, beside encData and signData; the algorithms are fixed. */
export type Envelope = Record<'appId' | 'timestamp' | 'version' | 'encData' | 'signData', string> & { encType: 'SM4'; signType: 'SM2' };

/**
 * The channel's shared values (§3.1: appId and appSecret make the SM4 key and end the sign text) and the SM2
 * user id (§3.3: `1234567812345678` verified against the centre, appSecret seen in SYN), with one SM2 key:
 * the signer's private key (base64 or hex of d) to seal, the sender's public key (base64 or hex of 04‖X‖Y,
 * or of X‖Y) to open.
 */
type Channel = { appId: string; appSecret: string; userId?: string };
export type SealCredentials = Channel & { privateKey: string };
export type OpenCredentials = Channel & { peerPublicKey: string };

/**
 * Sealing, each with a default: timestamp — epoch ms (SDK, SPC) or yyyyMMddHHmmss Asia/Shanghai (Shanxi,
 * TSX), §2.1, default now in epoch ms; version — default 2.0.1 (§1); hexCase — SYN writes lower case,
 * YHGM/TSX upper case, default lower as in the centre's own sample; signText — how data enters the sign
 * text (envelope-sign-text.ts).
 */
export type SealOptions = Partial<{ timestamp: string; version: string; hexCase: 'upper' | 'lower'; signText: SignTextForm; now: () => number }>;

/** Opening: maxSkewMs — refuse a timestamp further than this from now (absent or 0: not checked). */
export type OpenOptions = Partial<{ maxSkewMs: number; now: () => number }>;

const VERSION = '2.0.1';

function sm4Key(appId: string, appSecret: string): Buffer {
  if (appId.length < 16) throw new TypeError('appId must have at least 16 characters');
  const c = sm4Encrypt(Buffer.from(appId.slice(0, 16), 'utf8'), Buffer.from(appSecret, 'utf8'));
  return Buffer.from(c.toString('hex').toUpperCase().slice(0, 16), 'ascii');
}

/** Epoch ms of an envelope timestamp: 13-digit epoch ms (string or number) or yyyyMMddHHmmss at UTC+8. */
export function timestampMs(ts: unknown): number | undefined {
  const text = typeof ts === 'number' && Number.isInteger(ts) ? String(ts) : ts;
  if (typeof text !== 'string') return undefined;
  if (/^\d{13}$/.test(text)) return Number(text);
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
  const ms = Date.parse(iso);
  // Date.parse refuses month 13 and hour 25 but rolls 31 February over: compare back
  if (Number.isNaN(ms) || new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) !== iso.slice(0, 19)) return undefined;
  return ms;
}

export function seal(data: object, creds: SealCredentials, opts: SealOptions = {}): Envelope {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new TypeError('envelope data must be a JSON object');
  const timestamp = opts.timestamp ?? String((opts.now ?? Date.now)());
  if (timestampMs(timestamp) === undefined) throw new TypeError(`timestamp ${timestamp} is neither epoch ms nor yyyyMMddHHmmss`);
  const head = { appId: creds.appId, encType: 'SM4' as const, signType: 'SM2' as const, timestamp, version: opts.version ?? VERSION };
  const text = signText(head, data as Record<string, unknown>, creds.appSecret, opts.signText);
  const hex = sm4Encrypt(sm4Key(creds.appId, creds.appSecret), Buffer.from(JSON.stringify(data), 'utf8')).toString('hex');
  const signData = sm2Sign(text, creds.privateKey, creds.userId ?? DEFAULT_SM2_USER_ID).toString('base64');
  return { ...head, encData: opts.hexCase === 'upper' ? hex.toUpperCase() : hex, signData };
}

const MEMBERS = ['appId', 'encType', 'signType', 'version', 'encData', 'signData'] as const;

function text(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0) throw new EnvelopeError('MALFORMED', `${field} is missing`);
  return v;
}

function decrypt(appId: string, appSecret: string, encData: string): Record<string, unknown> {
  if (!/^([0-9a-fA-F]{2})+$/.test(encData)) throw new EnvelopeError('DECRYPT_FAILED', 'encData is not hex');
  let plain: string;
  try {
    plain = new TextDecoder('utf-8', { fatal: true }).decode(sm4Decrypt(sm4Key(appId, appSecret), Buffer.from(encData, 'hex')));
  } catch {
    throw new EnvelopeError('DECRYPT_FAILED', 'encData does not decrypt with the derived key');
  }
  let data: unknown;
  try {
    data = JSON.parse(plain);
  } catch {
    throw new EnvelopeError('DECRYPT_FAILED', 'decrypted encData is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new EnvelopeError('DECRYPT_FAILED', 'decrypted encData is not a JSON object');
  return data as Record<string, unknown>;
}

/**
 * Decrypts and verifies a body (the hospital's request) with the sender's public key; answers its data.
 * The sign text covers every envelope member but signData/encData/extra (§3.2); a wrapper's `code`/`message`
 * around a response is tried without as well.
 */
export function open(body: unknown, creds: OpenCredentials, opts: OpenOptions = {}): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EnvelopeError('MALFORMED', 'the body is not a JSON object');
  const env = body as Record<string, unknown>;
  // §2.1/§2.2: every member a non-empty string (version is read only to be present)
  const { appId, encType, signType, encData, signData } = Object.fromEntries(MEMBERS.map((k) => [k, text(env, k)])) as Record<(typeof MEMBERS)[number], string>;
  const ts = timestampMs(env.timestamp);
  if (ts === undefined) throw new EnvelopeError('MALFORMED', 'timestamp is neither epoch ms nor yyyyMMddHHmmss');
  if (appId !== creds.appId) throw new EnvelopeError('APP_ID_MISMATCH', `appId ${appId} is not known here`);
  if (encType !== 'SM4' || signType !== 'SM2') throw new EnvelopeError('UNSUPPORTED_ALGORITHM', `${encType}/${signType} is not SM4/SM2`);

  const data = decrypt(appId, creds.appSecret, encData);
  const rs = Buffer.from(signData, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signData) || rs.length !== 64) throw new EnvelopeError('SIGNATURE_INVALID', 'signData is not base64 of 64 bytes r||s');
  const { code: _code, message: _message, ...unwrapped } = env;
  const memberSets = 'code' in env || 'message' in env ? [env, unwrapped] : [env];
  const userId = creds.userId ?? DEFAULT_SM2_USER_ID;
  const ok = memberSets.some((members) => formsToTry(data).some((form) => sm2Verify(signText(members, data, creds.appSecret, form), rs, creds.peerPublicKey, userId)));
  if (!ok) throw new EnvelopeError('SIGNATURE_INVALID', 'the SM2 signature does not verify with the sender public key');

  if (opts.maxSkewMs) {
    const now = (opts.now ?? Date.now)();
    if (Math.abs(now - ts) > opts.maxSkewMs) throw new EnvelopeError('TIMESTAMP_SKEW', 'timestamp too far from now');
  }
  return data;
}
