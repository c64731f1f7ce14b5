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

/** A request as the HIS received it: `target` is the path with its query, `body` the raw bytes. */
export interface Received {
  method: string;
  target: string;
  body: Buffer | string;
  headers: Record<string, string | string[] | undefined>;
}

/** Who may call (a secret per client id) and how old a timestamp may be. */
export interface Callers {
  secretOf: (clientId: string) => string | undefined;
  maxSkewMs: number;
  now?: number;
}

export type Verdict = { ok: true; clientId: string; nonce: string; timestamp: number } | { ok: false; failure: VerifyFailure };

const HEADERS = ['x-client-id', 'x-timestamp', 'x-nonce', 'x-signature'] as const;

/** The four headers, each present once (a repeated header counts by its first value), or undefined. */
function signedHeadersOf(headers: Received['headers']): SignedHeaders | undefined {
  const out: Partial<SignedHeaders> = {};
  for (const name of HEADERS) {
    const v = headers[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (!value) return undefined;
    out[name] = value;
  }
  return out as SignedHeaders;
}

/**
 * Checks a signed request against the wire format above, in its order: all four headers well
 * formed, a known client, a fresh timestamp, the signature. Remembering nonces (replays) is the
 * caller's job (auth.ts).
 */
export function verifyRequest(req: Received, callers: Callers): Verdict {
  const h = signedHeadersOf(req.headers);
  if (!h || h['x-nonce'].length > 64 || !/^\d{10,16}$/.test(h['x-timestamp'])) return { ok: false, failure: 'missing' };
  const clientId = h['x-client-id'];
  const secret = callers.secretOf(clientId);
  if (!secret) return { ok: false, failure: 'unknown_client' };
  const timestamp = Number(h['x-timestamp']);
  if (Math.abs((callers.now ?? Date.now()) - timestamp) > callers.maxSkewMs) return { ok: false, failure: 'stale' };
  const expected = mac(secret, req.method, req.target, h['x-timestamp'], h['x-nonce'], req.body);
  const given = Buffer.from(h['x-signature'], 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, failure: 'bad_signature' };
  return { ok: true, clientId, nonce: h['x-nonce'], timestamp };
}
