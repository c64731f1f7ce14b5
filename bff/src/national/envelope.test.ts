import { sm2 as smCrypto, sm4 as smCryptoSm4 } from 'sm-crypto';
import { generateKeyPair } from '../crypto/sm2';
import { formatShanghaiTimestamp, parseEnvelopeTimestamp } from './envelope-timestamp';
import {
  EnvelopeError,
  businessErrorOf,
  decryptPayload,
  deriveSm4Key,
  encryptPayload,
  open,
  seal,
  type Envelope,
  type EnvelopeErrorCode,
} from './envelope';

// YHGM public vector (reference §3.4)
const appId = '0F0822652EB7CB91A644E638FBE9941E';
const appSecret = '30BFE2B0C715E516E5EDF21E289DA826';

const hospital = generateKeyPair();
const platform = generateKeyPair();
const sealCreds = { appId, appSecret, privateKey: hospital.privateKey };
const openCreds = { appId, appSecret, peerPublicKey: hospital.publicKey };
const T = '1661239946874';
const data = { payOrdId: 'ORD350100202208231519582000000067', amount: '0.00', tradeStatus: 'SUCCESS', amtMerchantId: '', psnName: '张三' };

function codeOf(fn: () => unknown): EnvelopeErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof EnvelopeError ? e.code : 'other error';
  }
}

/**
 * What the platform would send, built without the code under test: the sign text is written out literally,
 * encData is sm-crypto's SM4 under the published derived key (YHGM vector, §3.4), the signature sm-crypto's SM2.
 */
const DERIVED_KEY_HEX = Buffer.from('1819F24C758EB2EB', 'latin1').toString('hex');
function platformEnvelope(plaintext: string, signText: string, head: Record<string, string> = HEAD): Envelope {
  const signHex = smCrypto.doSignature(signText, platformD, { hash: true, der: false, userId: '1234567812345678' });
  return { ...head, encData: smCryptoSm4.encrypt(plaintext, DERIVED_KEY_HEX), signData: Buffer.from(signHex, 'hex').toString('base64') } as Envelope;
}
const HEAD = { appId, encType: 'SM4', signType: 'SM2', timestamp: T, version: '2.0.1' };
/** the sign text of HEAD over a literal canonical data text (§3.2) */
const textOver = (canonicalData: string): string => `appId=${appId}&data=${canonicalData}&encType=SM4&signType=SM2&timestamp=${T}&version=2.0.1&key=${appSecret}`;
const platformD = Buffer.from(platform.privateKey, 'base64').toString('hex');
const fromPlatform = { appId, appSecret, peerPublicKey: platform.publicKey };

describe('SM4 message key (§3.1)', () => {
  it('derives the published key from the published appId and appSecret', () => {
    expect(deriveSm4Key(appId, appSecret).toString('latin1')).toBe('1819F24C758EB2EB');
  });

  it('encrypts "a" to the published ciphertext', () => {
    expect(encryptPayload(appId, appSecret, 'a', 'upper')).toBe('C212E76D030FD8B4790096B02EFA9EEC');
    expect(decryptPayload(appId, appSecret, 'c212e76d030fd8b4790096b02efa9eec')).toBe('a');
  });
});

describe('envelope seal and open', () => {
  it('round-trips data through seal and open', () => {
    const env = seal(data, sealCreds, { timestamp: T });
    expect(env).toMatchObject({ appId, encType: 'SM4', signType: 'SM2', timestamp: T, version: '2.0.1' });
    expect(Buffer.from(env.signData, 'base64')).toHaveLength(64);
    expect(open(env, openCreds)).toEqual(data);
  });

  it('accepts encData in upper and in lower case', () => {
    const env = seal(data, sealCreds, { timestamp: T, hexCase: 'upper' });
    expect(env.encData).toBe(env.encData.toUpperCase());
    expect(open(env, openCreds)).toEqual(data);
    expect(open({ ...env, encData: env.encData.toLowerCase() }, openCreds)).toEqual(data);
  });

  it('accepts a numeric epoch-ms timestamp, as in the centre callback sample', () => {
    const env = seal(data, sealCreds, { timestamp: T });
    expect(open({ ...env, timestamp: Number(T) }, openCreds)).toEqual(data);
  });

  it('accepts a yyyyMMddHHmmss timestamp in Shanghai time within the allowed skew', () => {
    const now = Date.UTC(2024, 0, 2, 3, 4, 5);
    const ts = formatShanghaiTimestamp(now);
    expect(ts).toBe('20240102110405');
    const env = seal(data, sealCreds, { timestamp: ts });
    expect(open(env, openCreds, { maxSkewMs: 60_000, now: () => now + 30_000 })).toEqual(data);
  });

  it('reads both timestamp formats and nothing else', () => {
    expect(parseEnvelopeTimestamp('20220823151958')).toBe(Date.UTC(2022, 7, 23, 7, 19, 58));
    expect(parseEnvelopeTimestamp(1661239946874)).toBe(1661239946874);
    expect(parseEnvelopeTimestamp('20220230120000')).toBeUndefined();
    expect(parseEnvelopeTimestamp('2022-08-23 15:19:58')).toBeUndefined();
    expect(parseEnvelopeTimestamp(1661239946.874)).toBeUndefined();
  });

  it('verifies a platform signature made over the numbers-as-strings form (§3.2 caveat)', () => {
    const plaintext = '{"refdSn":"R1","refdAmt":12.30,"cnt":1,"memo":""}';
    const env = platformEnvelope(plaintext, textOver('{"cnt":"1","refdAmt":"12.30","refdSn":"R1"}'));
    expect(open(env, fromPlatform)).toEqual({ refdSn: 'R1', refdAmt: 12.3, cnt: 1, memo: '' });
  });

  it('verifies a platform signature over numbers as written, keeping their source text (12.30, not 12.3)', () => {
    const env = platformEnvelope('{"refdAmt":12.30,"cnt":1}', textOver('{"cnt":1,"refdAmt":12.30}'));
    expect(open(env, fromPlatform)).toEqual({ refdAmt: 12.3, cnt: 1 });
  });

  it('refuses a platform signature over a data object other than the payload', () => {
    const env = platformEnvelope('{"refdAmt":"12.30","cnt":"1"}', textOver('{"cnt":"1"}'));
    expect(codeOf(() => open(env, fromPlatform))).toBe('SIGNATURE_INVALID');
  });

  it('verifies a platform signature that left empty arrays out (TSX variant)', () => {
    const env = platformEnvelope('{"a":"1","list":[]}', textOver('{"a":"1"}'));
    expect(open(env, fromPlatform)).toEqual({ a: '1', list: [] });
  });

  it('verifies an unsorted plaintext holding empty strings, as the centre sends it', () => {
    const plaintext = JSON.stringify(data);
    const env = platformEnvelope(plaintext, textOver('{"amount":"0.00","payOrdId":"ORD350100202208231519582000000067","psnName":"张三","tradeStatus":"SUCCESS"}'));
    expect(open(env, fromPlatform)).toEqual(data);
  });

  it('ignores unsigned code/message fields around the envelope and returns only the signed data', () => {
    const env = seal(data, sealCreds, { timestamp: T });
    expect(open({ code: 0, message: 'success', ...env }, openCreds)).toEqual(data);
  });

  it('also accepts a signature that covers extra envelope fields (exclusion-list reading of §3.2)', () => {
    const head = { ...HEAD, charset: 'UTF-8' };
    const canonical = '{"amount":"0.00","payOrdId":"ORD350100202208231519582000000067","psnName":"张三","tradeStatus":"SUCCESS"}';
    const text = `appId=${appId}&charset=UTF-8&data=${canonical}&encType=SM4&signType=SM2&timestamp=${T}&version=2.0.1&key=${appSecret}`;
    const env = platformEnvelope(JSON.stringify(data), text, head);
    expect(open(env, fromPlatform)).toEqual(data);
  });

  it('uses a configurable SM2 user id on both sides', () => {
    const env = seal(data, { ...sealCreds, userId: appSecret }, { timestamp: T });
    expect(open(env, { ...openCreds, userId: appSecret })).toEqual(data);
    expect(codeOf(() => open(env, openCreds))).toBe('SIGNATURE_INVALID');
  });
});

describe('envelope open refuses', () => {
  const env = seal(data, sealCreds, { timestamp: T });

  it('tampered encData as undecryptable', () => {
    const c = env.encData[0] === '0' ? '1' : '0';
    expect(codeOf(() => open({ ...env, encData: c + env.encData.slice(1) }, openCreds))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => open({ ...env, encData: env.encData.slice(0, -2) }, openCreds))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => open({ ...env, encData: 'zz' }, openCreds))).toBe('DECRYPT_FAILED');
  });

  it('encData replaced by another valid ciphertext, by the signature', () => {
    const other = seal({ ...data, amount: '999.00' }, sealCreds, { timestamp: T });
    expect(codeOf(() => open({ ...env, encData: other.encData }, openCreds))).toBe('SIGNATURE_INVALID');
  });

  it('tampered signData', () => {
    const sig = Buffer.from(env.signData, 'base64');
    sig[5] ^= 1;
    expect(codeOf(() => open({ ...env, signData: sig.toString('base64') }, openCreds))).toBe('SIGNATURE_INVALID');
    expect(codeOf(() => open({ ...env, signData: env.signData.slice(4) }, openCreds))).toBe('SIGNATURE_INVALID');
  });

  it('a tampered timestamp, by the signature', () => {
    expect(codeOf(() => open({ ...env, timestamp: '1661239946875' }, openCreds))).toBe('SIGNATURE_INVALID');
  });

  it('another appId', () => {
    expect(codeOf(() => open({ ...env, appId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, openCreds))).toBe('APP_ID_MISMATCH');
  });

  it('other algorithms', () => {
    expect(codeOf(() => open({ ...env, encType: 'AES' }, openCreds))).toBe('UNSUPPORTED_ALGORITHM');
    expect(codeOf(() => open({ ...env, signType: 'RSA' }, openCreds))).toBe('UNSUPPORTED_ALGORITHM');
  });

  it('a signature by any key other than the peer key', () => {
    expect(codeOf(() => open(env, { ...openCreds, peerPublicKey: platform.publicKey }))).toBe('SIGNATURE_INVALID');
  });

  it('a tampered signed field even when unsigned fields wrap the envelope', () => {
    expect(codeOf(() => open({ code: 0, message: 'success', ...env, version: '2.0.2' }, openCreds))).toBe('SIGNATURE_INVALID');
  });

  it('bodies that are not envelopes', () => {
    expect(codeOf(() => open(null, openCreds))).toBe('MALFORMED');
    expect(codeOf(() => open([env], openCreds))).toBe('MALFORMED');
    const { signData: _s, ...unsigned } = env;
    expect(codeOf(() => open(unsigned, openCreds))).toBe('MALFORMED');
    expect(codeOf(() => open({ ...env, timestamp: 'yesterday' }, openCreds))).toBe('MALFORMED');
  });

  it('an authentic envelope whose timestamp is outside the allowed skew', () => {
    const now = Number(T) + 11 * 60_000;
    expect(codeOf(() => open(env, openCreds, { maxSkewMs: 10 * 60_000, now: () => now }))).toBe('TIMESTAMP_SKEW');
    expect(open(env, openCreds, { maxSkewMs: 12 * 60_000, now: () => now })).toEqual(data);
  });
});

describe('business error responses', () => {
  it('are recognised when they carry code and message but no encData', () => {
    expect(businessErrorOf({ code: 'E1001', message: '订单不存在' })).toEqual({ code: 'E1001', message: '订单不存在' });
    expect(businessErrorOf({ code: -1, msg: 'busy' })).toEqual({ code: '-1', message: 'busy' });
  });

  it('are not confused with envelopes, and open refuses them as malformed', () => {
    const env = seal(data, sealCreds, { timestamp: T });
    expect(businessErrorOf(env)).toBeUndefined();
    expect(businessErrorOf({ ...env, code: '0' })).toBeUndefined();
    expect(codeOf(() => open({ code: 'E1001', message: 'x' }, openCreds))).toBe('MALFORMED');
  });
});

describe('seal', () => {
  it('refuses data that is not a plain JSON object', () => {
    expect(() => seal([1] as unknown as object, sealCreds)).toThrow(TypeError);
    expect(() => seal({ n: Number.NaN }, sealCreds)).toThrow(TypeError);
  });

  it('stamps the current time in epoch ms by default', () => {
    const env = seal(data, sealCreds, { now: () => 1700000000123 });
    expect(env.timestamp).toBe('1700000000123');
  });
});
