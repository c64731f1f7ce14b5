import crypto from 'node:crypto';

/**
 * Alipay OpenAPI v2 RSA2: the parameters sorted by key, empty values and `sign` left out, joined
 * as k=v&k=v (raw values, no URL encoding), RSA-SHA256, base64.
 */
export function signContent(params: Record<string, string | undefined>, exclude: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function rsa2Sign(content: string, key: crypto.KeyObject): string {
  return crypto.sign('sha256', Buffer.from(content, 'utf8'), key).toString('base64');
}

export function rsa2Verify(content: string, signature: string, key: crypto.KeyObject): boolean {
  try {
    return crypto.verify('sha256', Buffer.from(content, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Accepts a PEM or the bare base64 body Alipay's key tool prints (PKCS8 first, then PKCS1). */
export function loadPrivateKey(text: string): crypto.KeyObject {
  const t = text.trim();
  if (t.includes('-----BEGIN')) return crypto.createPrivateKey(t);
  const der = Buffer.from(t.replace(/\s+/g, ''), 'base64');
  try {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

export function loadPublicKey(text: string): crypto.KeyObject {
  const t = text.trim();
  if (t.includes('-----BEGIN')) return crypto.createPublicKey(t);
  return crypto.createPublicKey({ key: Buffer.from(t.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

/**
 * An async notification: form-urlencoded, every value URL-decoded exactly once (URLSearchParams),
 * `sign` and `sign_type` removed, the rest sorted. Some Alipay products sign with sign_type kept,
 * so that variant is tried second (as alipay-sdk's checkNotifySignV2 does).
 */
export function verifyNotificationParams(params: Record<string, string>, key: crypto.KeyObject): boolean {
  const sig = params.sign;
  if (!sig) return false;
  if (rsa2Verify(signContent(params, ['sign', 'sign_type']), sig, key)) return true;
  return rsa2Verify(signContent(params, ['sign']), sig, key);
}
