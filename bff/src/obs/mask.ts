import { maskIdNumber, maskName } from '@mip/shared';

/**
 * Personal data never reaches a log line in clear. Keys are matched case-insensitively on
 * their normalised name so that idNo, id_no, certno, user_card_no and friends are all caught.
 */
const ID_KEYS = new Set(['idno', 'certno', 'idcard', 'usercardno', 'cardno', 'mdtrtcertno', 'iddigest', 'psncertno']);
const NAME_KEYS = new Set(['name', 'username', 'psnname', 'patientname', 'payername', 'relsusername']);
const SECRET_KEYS = new Set([
  'payauthno', 'paytoken', 'ectoken', 'sessionkey', 'accesstoken', 'refreshtoken', 'token', 'authcode', 'code',
  'appsecret', 'secret', 'password', 'privatekey', 'apiv3key', 'authorization', 'paysign', 'signdata', 'encdata',
  'revstoken', 'qrcode', 'phone', 'mobile',
]);

function norm(key: string): string {
  return key.replace(/[_-]/g, '').toLowerCase();
}

export function maskValue(key: string, value: unknown): unknown {
  const k = norm(key);
  if (typeof value === 'string') {
    if (ID_KEYS.has(k)) return maskIdNumber(value);
    if (NAME_KEYS.has(k)) return maskName(value);
    if (SECRET_KEYS.has(k)) return value.length ? `[${value.length} chars]` : value;
  }
  return undefined;
}

/** Deep copy with personal data and secrets masked. Cycles and depth are bounded. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskDeep(v, depth + 1));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const masked = maskValue(k, v);
    out[k] = masked !== undefined ? masked : maskDeep(v, depth + 1);
  }
  return out;
}

/** Masks ID-number-looking runs inside free text (error messages from peers quote them). */
export function maskText(text: string): string {
  return text.replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2');
}
