/**
 * Outside vectors for the centre's envelope (issue 10 point 2): the official cashier SDK's published sample,
 * and messages made by another SM2/SM4 implementation (sm-crypto). No expectation here is computed with the
 * code under test.
 *
 * Source of the sample: the 收银台 SDK's `SpcClientTest.java` (package `hsa.spc.sdk`; reference
 * national-mobile-pay-2.0.md §2.3, §3.4, §17 item 3): its test channel credentials, the platform public key,
 * and the back-end callback body of `decAndVerifyRequest()`, which `SpcClientUtils.decAndVerifyPlafRequest`
 * decrypts and verifies.
 */
import { sm2 as smCrypto, sm4 as smCryptoSm4 } from 'sm-crypto';
import { EnvelopeError, deriveSm4Key, open, seal } from './envelope';
import spc from './vectors/spc-client-test.json';

const { data: SPC_DATA, ...SPC } = spc;

const fromPlatform = { appId: SPC.appId, appSecret: SPC.appSecret, peerPublicKey: SPC.plafPublicKey };
const hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');
/** §3.1 with sm-crypto: ASCII(UPPER(HEX(SM4(k0 = appId[0..16), appSecret)))[0..16)) */
const smCryptoKey = (appId: string, appSecret: string): string =>
  smCryptoSm4.encrypt(appSecret, Buffer.from(appId.slice(0, 16), 'latin1').toString('hex')).toUpperCase().slice(0, 16);
const smCryptoKeyHex = Buffer.from(smCryptoKey(SPC.appId, SPC.appSecret), 'latin1').toString('hex');

function errorCode(fn: () => unknown): string {
  try {
    fn();
    return 'opened';
  } catch (e) {
    return e instanceof EnvelopeError ? e.code : String(e);
  }
}

describe('the cashier SDK sample callback (SpcClientTest.java)', () => {
  it('is opened and verified with the platform public key and SM2 user id 1234567812345678', () => {
    expect(open(SPC.callback, { ...fromPlatform, userId: '1234567812345678' })).toEqual(SPC_DATA);
  });

  it('does not verify with the appSecret as SM2 user id (the default is the right one, §3.3)', () => {
    expect(errorCode(() => open(SPC.callback, { ...fromPlatform, userId: SPC.appSecret }))).toBe('SIGNATURE_INVALID');
  });

  it('does not verify with the channel key instead of the platform key', () => {
    expect(errorCode(() => open(SPC.callback, { ...fromPlatform, peerPublicKey: SPC.appPublicKey }))).toBe('SIGNATURE_INVALID');
  });

  it('does not verify once a signed value is changed', () => {
    expect(errorCode(() => open({ ...SPC.callback, timestamp: 1661239946875 }, fromPlatform))).toBe('SIGNATURE_INVALID');
  });

  it('decrypts with the key sm-crypto derives from appId and appSecret (§3.1)', () => {
    expect(deriveSm4Key(SPC.appId, SPC.appSecret).toString('latin1')).toBe(smCryptoKey(SPC.appId, SPC.appSecret));
    expect(JSON.parse(smCryptoSm4.decrypt(SPC.callback.encData, smCryptoKeyHex))).toEqual(SPC_DATA);
  });

  it('has a channel key pair whose private key derives the published public key (checked with sm-crypto)', () => {
    expect(smCrypto.getPublicKeyFromPrivateKey(hex(SPC.appPrivateKey))).toBe(hex(SPC.appPublicKey));
  });

  it('is signed over the literal sign text of §3.2, as sm-crypto confirms', () => {
    const text =
      'appId=8680E5AB99D74DBE96F8CAC5CEFAC232&data={"amount":"0.00","outTradeNo":"OORD350100202208231519582000000067",' +
      '"payOrdId":"ORD350100202208231519582000000067","payType":"PSNACCT","psnAcctMerchantId":"102053180622009",' +
      '"psnAcctPayAmt":"0.01","queryId":"MP0000000000034698","traceId":"78968599c79b4419beebccef77d022ae",' +
      '"tradeStatus":"SUCCESS"}&encType=SM4&signType=SM2&timestamp=1661239946874&version=2.0.1&key=F75E27032F5541A7943C2A7F2615F80A';
    const ok = smCrypto.doVerifySignature(text, hex(SPC.callback.signData), hex(SPC.plafPublicKey), { hash: true, der: false, userId: '1234567812345678' });
    expect(ok).toBe(true);
  });
});

describe('envelopes between our envelope and sm-crypto, with the SPC test channel key', () => {
  const data = { payOrdId: 'ORD350100202208231519582000000067', amount: '12.34', psnName: '张三', memo: '' };
  const literalText = (timestamp: string): string =>
    `appId=${SPC.appId}&data={"amount":"12.34","payOrdId":"ORD350100202208231519582000000067","psnName":"张三"}` +
    `&encType=SM4&signType=SM2&timestamp=${timestamp}&version=2.0.1&key=${SPC.appSecret}`;

  it('ours is verified by sm-crypto over the literal sign text, and decrypted by sm-crypto', () => {
    const env = seal(data, { appId: SPC.appId, appSecret: SPC.appSecret, privateKey: SPC.appPrivateKey }, { timestamp: '1700000000000' });
    const ok = smCrypto.doVerifySignature(literalText('1700000000000'), hex(env.signData), hex(SPC.appPublicKey), { hash: true, der: false, userId: '1234567812345678' });
    expect(ok).toBe(true);
    expect(JSON.parse(smCryptoSm4.decrypt(env.encData, smCryptoKeyHex))).toEqual(data);
  });

  it('one sealed with sm-crypto is opened by ours', () => {
    const signHex = smCrypto.doSignature(literalText('1700000000000'), hex(SPC.appPrivateKey), { hash: true, der: false, userId: '1234567812345678' });
    const env = {
      appId: SPC.appId,
      encType: 'SM4',
      signType: 'SM2',
      timestamp: '1700000000000',
      version: '2.0.1',
      encData: smCryptoSm4.encrypt(JSON.stringify(data), smCryptoKeyHex).toUpperCase(),
      signData: Buffer.from(signHex, 'hex').toString('base64'),
    };
    expect(open(env, { appId: SPC.appId, appSecret: SPC.appSecret, peerPublicKey: SPC.appPublicKey })).toEqual(data);
  });
});
