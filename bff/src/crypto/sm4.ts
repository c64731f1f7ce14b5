import { createCipheriv, createDecipheriv } from 'node:crypto';

/** SM4 (GB/T 32907) in ECB mode by OpenSSL through node:crypto. PKCS#7 padding unless `padding: false`. */
export interface Sm4Options {
  /** default true (PKCS#7). Without padding the input must be a multiple of 16 bytes. */
  padding?: boolean;
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 16) throw new RangeError(`SM4 key must be 16 bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
}

export function sm4EcbEncrypt(key16: Buffer, plaintext: Buffer, opts: Sm4Options = {}): Buffer {
  checkKey(key16);
  const c = createCipheriv('sm4-ecb', key16, null);
  c.setAutoPadding(opts.padding ?? true);
  return Buffer.concat([c.update(plaintext), c.final()]);
}

/** Throws when the padding is wrong (wrong key or a damaged ciphertext) or the length is not a multiple of 16. */
export function sm4EcbDecrypt(key16: Buffer, ciphertext: Buffer, opts: Sm4Options = {}): Buffer {
  checkKey(key16);
  const d = createDecipheriv('sm4-ecb', key16, null);
  d.setAutoPadding(opts.padding ?? true);
  return Buffer.concat([d.update(ciphertext), d.final()]);
}
