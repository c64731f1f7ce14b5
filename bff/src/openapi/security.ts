import type { Auth, Method } from '@mip/shared';
import { CSRF_HEADER, STAFF_COOKIE } from '../staff/contract';

/** How each kind of caller proves who it is, as OpenAPI security schemes. */
const HMAC_TEXT = [
  'HIS and kiosk calls are signed with HMAC-SHA256 under the secret issued to the client (HIS) or device (kiosk).',
  'Signing text (lines joined with \\n):',
  '`METHOD` (upper case), `PATH?QUERY` (exactly as sent), `X-Timestamp` (Unix ms), `X-Nonce`, `hex(SHA-256(raw body))` (empty body: hash of the empty string).',
  'X-Signature = base64(HMAC-SHA256(secret, signing text)).',
  'The timestamp must be within 5 minutes of the BFF clock; a nonce is accepted once (a replay answers 409 REPLAYED),',
  'except on POST /his/v1/messages, whose eventId is accepted once instead: a replay there answers as a duplicate and changes nothing.',
].join(' ');

export const SECURITY_SCHEMES = {
  patientBearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'Patient session token from POST /api/session (WeChat wx.login / Alipay my.getAuthCode code exchange).',
  },
  hmacClientId: { type: 'apiKey', in: 'header', name: 'X-Client-Id', description: `HIS client id or kiosk device id. ${HMAC_TEXT}` },
  hmacTimestamp: { type: 'apiKey', in: 'header', name: 'X-Timestamp', description: 'Unix time in milliseconds when the request was signed.' },
  hmacNonce: { type: 'apiKey', in: 'header', name: 'X-Nonce', description: 'Random string (≤ 64 characters), new for every request.' },
  hmacSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'base64 HMAC-SHA256 of the signing text (see X-Client-Id).' },
  staffSession: {
    type: 'apiKey',
    in: 'cookie',
    name: STAFF_COOKIE,
    description: 'Staff session cookie set by POST /staff/api/session (HttpOnly; SameSite=Strict; Path=/staff); idle expiry moves forward on every call.',
  },
  staffCsrf: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description: 'CSRF token returned by POST and GET /staff/api/session; required on every state-changing staff call (403 FORBIDDEN without it).',
  },
} as const;

export const HMAC_DESCRIPTION = HMAC_TEXT;

const HMAC = [{ hmacClientId: [], hmacTimestamp: [], hmacNonce: [], hmacSignature: [] }];

/** The security requirement of one operation; [] means public. */
export function securityFor(auth: Auth, method: Method): Record<string, string[]>[] {
  switch (auth) {
    case 'none':
      return [];
    case 'patient':
      return [{ patientBearer: [] }];
    case 'his':
    case 'kiosk':
      return HMAC;
    case 'staff':
      return method === 'GET' ? [{ staffSession: [] }] : [{ staffSession: [], staffCsrf: [] }];
  }
}
