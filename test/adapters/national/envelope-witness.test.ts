/**
 * The sandbox centre's envelope (sandbox/national/envelope.ts: sm-crypto, its own sign text) and the BFF's
 * (bff/src/national/envelope.ts: own SM2/SM4, own canonical JSON) are two implementations of one wire format:
 * each opens what the other seals, and both open the cashier SDK's published callback.
 */
import * as bff from '../../../bff/src/national/envelope';
import { parsePrivateKey, parsePublicKey } from '../../../bff/src/crypto/sm2';
import spc from '../../../bff/src/national/vectors/spc-client-test.json';
import * as sandbox from '../../../sandbox/national/envelope';

const appId = '0F0822652EB7CB91A644E638FBE9941E';
const appSecret = '30BFE2B0C715E516E5EDF21E289DA826';
const hospital = sandbox.generateKeyPair();
const platform = sandbox.generateKeyPair();
const data = { payOrdId: 'ORD350100202208231519582000000067', feeSumamt: '12.34', psnName: '张三', memo: '', list: [{ b: '2', a: '1' }] };

describe('the sandbox centre envelope and the BFF envelope', () => {
  it('both open the cashier SDK sample callback with the platform key', () => {
    const creds = { appId: spc.appId, appSecret: spc.appSecret, peerPublicKey: spc.plafPublicKey };
    expect(sandbox.open(spc.callback, creds)).toEqual(spc.data);
    expect(bff.open(spc.callback, creds)).toEqual(spc.data);
  });

  it('the BFF opens what the sandbox centre seals (a centre answer wrapped in code/message)', () => {
    const env = sandbox.seal(data, { appId, appSecret, privateKey: platform.privateKey }, { timestamp: '1700000000000' });
    expect(bff.open({ code: 0, message: 'success', ...env }, { appId, appSecret, peerPublicKey: platform.publicKey })).toEqual(data);
  });

  it('the sandbox centre opens what the BFF seals (a hospital request)', () => {
    const env = bff.seal(data, { appId, appSecret, privateKey: hospital.privateKey }, { timestamp: '1700000000000' });
    expect(sandbox.open(env, { appId, appSecret, peerPublicKey: hospital.publicKey })).toEqual(data);
  });

  it('agree on upper-case encData, yyyyMMddHHmmss timestamps and the appSecret as SM2 user id', () => {
    const sealed = bff.seal(data, { appId, appSecret, privateKey: hospital.privateKey, userId: appSecret }, { timestamp: '20240102110405', hexCase: 'upper' });
    expect(sandbox.open(sealed, { appId, appSecret, peerPublicKey: hospital.publicKey, userId: appSecret })).toEqual(data);
    const back = sandbox.seal(data, { appId, appSecret, privateKey: platform.privateKey, userId: appSecret }, { timestamp: '20240102110405', hexCase: 'upper' });
    expect(bff.open(back, { appId, appSecret, peerPublicKey: platform.publicKey, userId: appSecret })).toEqual(data);
  });

  it('agree on numbers, signed as numbers or as strings', () => {
    const withNumbers = { refdAmt: 12.3, cnt: 1, refdSn: 'R1' };
    for (const numbersAsStrings of [false, true]) {
      const env = sandbox.seal(withNumbers, { appId, appSecret, privateKey: platform.privateKey }, { signText: { numbersAsStrings } });
      expect(bff.open(env, { appId, appSecret, peerPublicKey: platform.publicKey })).toEqual(withNumbers);
    }
    const ours = bff.seal(withNumbers, { appId, appSecret, privateKey: hospital.privateKey });
    expect(sandbox.open(ours, { appId, appSecret, peerPublicKey: hospital.publicKey })).toEqual(withNumbers);
  });

  it('each refuses the other when the SM2 user ids differ', () => {
    const env = bff.seal(data, { appId, appSecret, privateKey: hospital.privateKey, userId: appSecret });
    expect(() => sandbox.open(env, { appId, appSecret, peerPublicKey: hospital.publicKey })).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    const back = sandbox.seal(data, { appId, appSecret, privateKey: platform.privateKey });
    expect(() => bff.open(back, { appId, appSecret, peerPublicKey: platform.publicKey, userId: appSecret })).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('the sandbox refuses a tampered BFF envelope, by its signature', () => {
    const env = bff.seal(data, { appId, appSecret, privateKey: hospital.privateKey });
    const other = bff.seal({ ...data, feeSumamt: '1.00' }, { appId, appSecret, privateKey: hospital.privateKey });
    expect(() => sandbox.open({ ...env, encData: other.encData }, { appId, appSecret, peerPublicKey: hospital.publicKey })).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });
});

describe('sandbox key pairs (sm-crypto)', () => {
  it('are in the formats the BFF configuration reads: base64 of the 32-byte d and of 04‖X‖Y', () => {
    expect(parsePrivateKey(hospital.privateKey)).toHaveLength(32);
    expect(parsePublicKey(hospital.publicKey)[0]).toBe(4);
    expect(sandbox.publicKeyOf(hospital.privateKey)).toBe(hospital.publicKey);
  });

  it('a 64-byte X‖Y public key (no 04 prefix) is read by the sandbox centre', () => {
    const env = bff.seal(data, { appId, appSecret, privateKey: hospital.privateKey });
    const xy = Buffer.from(hospital.publicKey, 'base64').subarray(1);
    expect(sandbox.open(env, { appId, appSecret, peerPublicKey: xy.toString('base64') })).toEqual(data);
    expect(sandbox.open(env, { appId, appSecret, peerPublicKey: xy.toString('hex') })).toEqual(data);
  });
});
