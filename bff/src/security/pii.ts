import crypto from 'node:crypto';

/**
 * Personal data at rest (ID number and name on an order, identity in a session) is sealed with
 * AES-256-GCM under a key from the configuration. Redis dumps and AOF files then hold no
 * readable ID numbers. Format: base64(iv 12 | tag 16 | ciphertext).
 */
export interface Identity {
  idNo: string;
  name: string;
}

export class PiiCipher {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('security.piiKey must be 32 bytes, base64-encoded');
  }

  seal(value: Identity): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  /** A keyed hash of an ID number: lets staff find a patient's orders without storing the number. */
  lookupHash(idNo: string): string {
    return crypto.createHmac('sha256', this.key).update(`id:${idNo.trim().toUpperCase()}`).digest('base64url').slice(0, 22);
  }

  open(sealed: string): Identity {
    const buf = Buffer.from(sealed, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    d.setAuthTag(buf.subarray(12, 28));
    const pt = Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    return JSON.parse(pt) as Identity;
  }
}
