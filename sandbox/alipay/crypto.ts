import crypto from 'node:crypto';

/**
 * Alipay's side of RSA2, written apart from the BFF adapter on purpose (a shared mistake would
 * cancel out in tests): requests are checked with the app public key, responses and
 * notifications signed with the Alipay private key.
 */
export class AlipaySide {
  private readonly appKey: crypto.KeyObject;
  private readonly alipayKey: crypto.KeyObject;

  constructor(appPublicKeyPem: string, alipayPrivateKeyPem: string) {
    this.appKey = crypto.createPublicKey(appPublicKeyPem);
    this.alipayKey = crypto.createPrivateKey(alipayPrivateKeyPem);
  }

  static content(params: Record<string, string>, leaveOut: string[]): string {
    const keys = Object.keys(params).filter((k) => !leaveOut.includes(k) && params[k] !== '' && params[k] !== undefined);
    keys.sort();
    return keys.map((k) => k + '=' + params[k]).join('&');
  }

  /** request check: everything but `sign`, sign_type included */
  requestSignatureHolds(params: Record<string, string>): boolean {
    if (!params.sign) return false;
    try {
      return crypto.createVerify('RSA-SHA256').update(AlipaySide.content(params, ['sign']), 'utf8').verify(this.appKey, params.sign, 'base64');
    } catch {
      return false;
    }
  }

  sign(text: string): string {
    return crypto.createSign('RSA-SHA256').update(text, 'utf8').sign(this.alipayKey, 'base64');
  }

  /**
   * {"<method>_response":<json>,"sign":"…"} signed over the exact member text. Slashes are escaped
   * as Alipay does ("https:\/\/…"), so a verifier that re-serialises the JSON fails.
   */
  response(key: string, payload: Record<string, unknown>): string {
    const text = JSON.stringify(payload).replaceAll('/', '\\/');
    return `{"${key}":${text},"sign":"${this.sign(text)}"}`;
  }

  /** async notification: sign over the sorted fields without sign and sign_type */
  signNotification(params: Record<string, string>): Record<string, string> {
    const out = { ...params, sign_type: 'RSA2' };
    return { ...out, sign: this.sign(AlipaySide.content(out, ['sign', 'sign_type'])) };
  }
}

export function digits(n: number): string {
  let s = '';
  while (s.length < n) s += crypto.randomInt(0, 1e9).toString().padStart(9, '0');
  return s.slice(0, n);
}

/** yyyy-MM-dd HH:mm:ss in China time */
export function chinaNow(d = new Date()): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}
