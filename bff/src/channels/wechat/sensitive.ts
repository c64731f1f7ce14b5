import crypto from 'node:crypto';
import { idNumberCheckChar } from '@mip/shared';

/**
 * Sensitive fields (payer.name, payer.id_digest): RSA/ECB/OAEPWithSHA-1AndMGF1Padding with the
 * WeChat Pay public key; the request carries Wechatpay-Serial = the id of that key.
 */
export function encryptSensitive(plain: string, publicKey: crypto.KeyObject): string {
  return crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(plain, 'utf8')).toString('base64');
}

/** 15-digit (pre-1999) ID numbers become 18 digits: century 19 inserted, check character appended. */
export function toEighteenDigits(idNo: string): string {
  const id = idNo.trim().toUpperCase();
  if (/^\d{15}$/.test(id)) {
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    return first17 + idNumberCheckChar(first17);
  }
  if (!/^\d{17}[\dX]$/.test(id)) throw new Error('ID number must have 15 or 18 characters');
  return id;
}

/** MD5 of the upper-cased 18-digit ID number, lower-case hex (before encryption). */
export function idDigest(idNo: string): string {
  return crypto.createHash('md5').update(toEighteenDigits(idNo), 'utf8').digest('hex');
}
