import crypto from 'node:crypto';

/**
 * HMAC-SHA256 request signing between the BFF and the hospital's systems (BFF → HIS, HIS → BFF,
 * kiosk → BFF). The signed text binds method, path with query, time, a nonce and the body hash:
 *
 *   METHOD \n PATH?QUERY \n TIMESTAMP_MS \n NONCE \n SHA256_HEX(BODY)
 *
 * Headers: X-Client-Id, X-Timestamp, X-Nonce, X-Signature (base64).
 */
export interface SignedHeaders {
  'x-client-id': string;
  'x-timestamp': string;
  'x-nonce': string;
  'x-signature': string;
}

export function signingText(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: Buffer | string): string {
  const bodyHash = crypto.createHash('sha256').update(body).digest('hex');
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${bodyHash}`;
}

export function signRequest(
  clientId: string,
  secret: string,
  method: string,
  pathWithQuery: string,
  body: Buffer | string = '',
  now = Date.now(),
): SignedHeaders {
  const timestamp = String(now);
  const nonce = crypto.randomBytes(12).toString('hex');
  const signature = crypto.createHmac('sha256', secret).update(signingText(method, pathWithQuery, timestamp, nonce, body)).digest('base64');
  return { 'x-client-id': clientId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature };
}

export type VerifyFailure = 'missing' | 'unknown_client' | 'stale' | 'bad_signature';

/**
 * Checks a signed request. Replay protection (remembering nonces for the skew window) is the
 * caller's job because it needs shared storage across instances.
 */
export function verifyRequest(
  headers: Record<string, string | string[] | undefined>,
  method: string,
  pathWithQuery: string,
  body: Buffer | string,
  secretOf: (clientId: string) => string | undefined,
  maxSkewMs: number,
  now = Date.now(),
): { ok: true; clientId: string; nonce: string; timestamp: number } | { ok: false; failure: VerifyFailure } {
  const h = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const clientId = h('x-client-id');
  const timestamp = h('x-timestamp');
  const nonce = h('x-nonce');
  const signature = h('x-signature');
  if (!clientId || !timestamp || !nonce || !signature || !/^\d{10,16}$/.test(timestamp) || nonce.length > 64) {
    return { ok: false, failure: 'missing' };
  }
  const secret = secretOf(clientId);
  if (!secret) return { ok: false, failure: 'unknown_client' };
  const ts = Number(timestamp);
  if (Math.abs(now - ts) > maxSkewMs) return { ok: false, failure: 'stale' };
  const expected = crypto.createHmac('sha256', secret).update(signingText(method, pathWithQuery, timestamp, nonce, body)).digest();
  let given: Buffer;
  try {
    given = Buffer.from(signature, 'base64');
  } catch {
    return { ok: false, failure: 'bad_signature' };
  }
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, failure: 'bad_signature' };
  return { ok: true, clientId, nonce, timestamp: ts };
}
