import crypto from 'node:crypto';

/**
 * WeChat Pay's side of the cryptography, written separately from the BFF adapter on purpose: a
 * shared mistake would otherwise cancel out in the tests.
 */
export class WechatpaySide {
  private readonly merchantKey: crypto.KeyObject;
  private readonly platformKey: crypto.KeyObject;

  constructor(
    merchantPublicKeyPem: string,
    platformPrivateKeyPem: string,
    readonly publicKeyId: string,
    private readonly apiV3Key: string,
  ) {
    this.merchantKey = crypto.createPublicKey(merchantPublicKeyPem);
    this.platformKey = crypto.createPrivateKey(platformPrivateKeyPem);
  }

  /** Checks `Authorization: WECHATPAY2-SHA256-RSA2048 k="v",…`; returns a reason when it fails. */
  checkAuthorization(header: string | undefined, method: string, pathWithQuery: string, body: string, mchId: string, serialNo: string, skewSeconds: number): string | undefined {
    if (!header?.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return 'Authorization 头缺失或认证类型错误';
    const fields = new Map<string, string>();
    for (const m of header.slice(26).matchAll(/(\w+)="([^"]*)"/g)) fields.set(m[1], m[2]);
    const ts = fields.get('timestamp') ?? '';
    const nonce = fields.get('nonce_str') ?? '';
    const signature = fields.get('signature') ?? '';
    if (fields.get('mchid') !== mchId) return 'mchid 错误';
    if (fields.get('serial_no') !== serialNo) return '商户证书序列号错误';
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > skewSeconds) return '时间戳超出允许范围';
    if (!nonce || !signature) return '签名参数缺失';
    const message = `${method}\n${pathWithQuery}\n${ts}\n${nonce}\n${body}\n`;
    return crypto.verify('RSA-SHA256', Buffer.from(message), this.merchantKey, Buffer.from(signature, 'base64')) ? undefined : '签名错误';
  }

  /** Wechatpay-* headers over TIMESTAMP\nNONCE\nBODY\n */
  signHeaders(body: string | Buffer, at = Math.floor(Date.now() / 1000)): Record<string, string> {
    const timestamp = String(at);
    const nonce = crypto.randomBytes(16).toString('hex');
    const msg = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from('\n')]);
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': crypto.sign('RSA-SHA256', msg, this.platformKey).toString('base64'),
      'Wechatpay-Serial': this.publicKeyId,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  encryptResource(plain: string, associatedData: string): { algorithm: string; ciphertext: string; nonce: string; associated_data: string } {
    const nonce = crypto.randomBytes(6).toString('hex'); // 12 characters
    const c = crypto.createCipheriv('aes-256-gcm', Buffer.from(this.apiV3Key), Buffer.from(nonce));
    c.setAAD(Buffer.from(associatedData));
    const data = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), nonce, associated_data: associatedData };
  }

  /** payer.name / payer.id_digest: RSA-OAEP(SHA-1) with the WeChat Pay key */
  decryptSensitive(b64: string): string | undefined {
    try {
      return crypto
        .privateDecrypt({ key: this.platformKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(b64, 'base64'))
        .toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** paySign as the WeChat client checks it: appId\ntimeStamp\nnonceStr\npackage\n */
  checkPaySign(appId: string, timeStamp: string, nonceStr: string, pkg: string, paySign: string): boolean {
    try {
      return crypto.verify('RSA-SHA256', Buffer.from(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`), this.merchantKey, Buffer.from(paySign, 'base64'));
    } catch {
      return false;
    }
  }
}

/** god-portal-signature = hex(HMAC-SHA256(partnerSecret, partnerId + timestamp)) */
export function godPortalSignature(secret: string, partnerId: string, timestamp: string): string {
  return crypto.createHmac('sha256', secret).update(partnerId + timestamp).digest('hex');
}

export function md5IdDigest(idNo: string): string {
  return crypto.createHash('md5').update(idNo.trim().toUpperCase()).digest('hex');
}

export function randomDigits(n: number): string {
  let s = '';
  while (s.length < n) s += crypto.randomInt(0, 1e9).toString().padStart(9, '0');
  return s.slice(0, n);
}
