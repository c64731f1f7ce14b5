import { sm4 as smCryptoSm4 } from 'sm-crypto';
import { sm4EcbDecrypt, sm4EcbEncrypt } from './sm4';

const kat = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

describe('SM4-ECB', () => {
  it('encrypts the GB/T 32907 example block to its published ciphertext', () => {
    expect(sm4EcbEncrypt(kat, kat, { padding: false }).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('pads with PKCS#7 by default, so the example block gains a second block', () => {
    const ct = sm4EcbEncrypt(kat, kat);
    expect(ct).toHaveLength(32);
    expect(ct.subarray(0, 16).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('agrees with sm-crypto (another implementation) on a padded multi-block text', () => {
    const pt = '医保移动支付 2.0 — {"payOrdId":"ORD350100202208231519582000000067"}';
    expect(sm4EcbEncrypt(kat, Buffer.from(pt, 'utf8')).toString('hex')).toBe(smCryptoSm4.encrypt(pt, kat.toString('hex')));
  });

  it('decrypts what it encrypts', () => {
    const pt = Buffer.from('医保移动支付 2.0', 'utf8');
    expect(sm4EcbDecrypt(kat, sm4EcbEncrypt(kat, pt))).toEqual(pt);
  });

  it('throws when the padding does not check out under another key', () => {
    const other = Buffer.alloc(16, 7);
    const ct = sm4EcbEncrypt(kat, Buffer.from('hello'));
    expect(() => sm4EcbDecrypt(other, ct)).toThrow();
  });

  it('refuses a key that is not 16 bytes', () => {
    expect(() => sm4EcbEncrypt(Buffer.alloc(15), Buffer.from('x'))).toThrow(RangeError);
  });
});
