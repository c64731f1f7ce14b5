/**
 * The hospital's request signing as the sandbox HIS speaks it (both ways: the BFF calling the HIS, the HIS
 * pushing to the BFF). Written again here from the wire format — NOT imported from the BFF
 * (bff/src/security/hmac-request.ts) — so a change on either side that breaks the other is caught by tests.
 *
 * Wire format (this product's HIS interface, see sandbox/his/README.md):
 *   X-Client-Id:  the caller's id
 *   X-Timestamp:  epoch milliseconds (10–16 digits accepted)
 *   X-Nonce:      a fresh random value (≤ 64 characters)
 *   X-Signature:  Base64(HMAC-SHA256(secret, UPPER(method) LF path?query LF timestamp LF nonce LF hex(SHA-256(raw body)))))
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export interface SignedHeaders {
  'x-client-id': string;
  'x-timestamp': string;
  'x-nonce': string;
  'x-signature': string;
}

export type VerifyFailure = 'missing' | 'unknown_client' | 'stale' | 'bad_signature';

function mac(secret: string, method: string, target: string, timestamp: string, nonce: string, body: Buffer | string): Buffer {
  const lines = [method.toUpperCase(), target, timestamp, nonce, createHash('sha256').update(body).digest('hex')];
  return createHmac('sha256', secret).update(lines.join('\n')).digest();
}

export function signRequest(clientId: string, secret: string, method: string, pathWithQuery: string, body: Buffer | string = '', now = Date.now()): SignedHeaders {
  const timestamp = String(now);
  const nonce = randomUUID().replace(/-/g, '');
  return { 'x-client-id': clientId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': mac(secret, method, pathWithQuery, timestamp, nonce, body).toString('base64') };
}

/** Checks a signed request; remembering nonces (replays) is the caller's job (auth.ts). */
export function verifyRequest(
  headers: Record<string, string | string[] | undefined>,
  method: string,
  pathWithQuery: string,
  body: Buffer | string,
  secretOf: (clientId: string) => string | undefined,
  maxSkewMs: number,
  now = Date.now(),
): { ok: true; clientId: string; nonce: string; timestamp: number } | { ok: false; failure: VerifyFailure } {
  const one = (name: keyof SignedHeaders): string | undefined => {
    const v = headers[name];
    return typeof v === 'string' ? v : v?.[0];
  };
  const clientId = one('x-client-id');
  const timestamp = one('x-timestamp');
  const nonce = one('x-nonce');
  const signature = one('x-signature');
  if (!clientId || !nonce || !signature || !timestamp || nonce.length > 64 || !/^\d{10,16}$/.test(timestamp)) return { ok: false, failure: 'missing' };
  const secret = secretOf(clientId);
  if (secret === undefined || secret === '') return { ok: false, failure: 'unknown_client' };
  if (Math.abs(now - Number(timestamp)) > maxSkewMs) return { ok: false, failure: 'stale' };
  const expected = mac(secret, method, pathWithQuery, timestamp, nonce, body);
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, failure: 'bad_signature' };
  return { ok: true, clientId, nonce, timestamp: Number(timestamp) };
}
