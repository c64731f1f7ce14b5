import crypto from 'node:crypto';
import { Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { ChannelRejectedError, ChannelSignatureError } from '../../../bff/src/channels/port';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';
import { decryptResource } from '../../../bff/src/channels/wechat/aead';
import { encryptSensitive, idDigest, toEighteenDigits } from '../../../bff/src/channels/wechat/sensitive';

let env: WechatEnv;
beforeAll(async () => {
  env = await startWechatEnv();
});
afterAll(() => env.close());

describe('WeChat Pay sensitive fields and signatures', () => {
  it("matches WeChat's documented ID digest vector 44030019000101123x → 09eb26e839ff3a2e3980352ae45ef09e", () => {
    expect(idDigest('44030019000101123x')).toBe('09eb26e839ff3a2e3980352ae45ef09e');
  });

  it('turns a 15-digit ID number into 18 digits before hashing', () => {
    expect(toEighteenDigits('110105491231002')).toBe('11010519491231002X');
    expect(idDigest('110105491231002')).toBe(idDigest('11010519491231002x'));
  });

  it('encrypts with RSA-OAEP-SHA1 so that wechatpay-axios-plugin decrypts it with the WeChat Pay private key', () => {
    const c = encryptSensitive('张建国', crypto.createPublicKey(env.creds.wechatpayPublicKeyPem));
    expect(Rsa.decrypt(c, Rsa.from(env.creds.wechatpayPrivateKeyPem, Rsa.KEY_TYPE_PRIVATE))).toBe('张建国');
  });

  it('signs paySign over appId, timeStamp, nonceStr and package so that wechatpay-axios-plugin verifies it', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const { payParams } = await env.adapter.createPayment(paymentInput('zhang', auth, { totalFen: 300, fundFen: 100, acctFen: 100, cashFen: 100 }, 'https://bff.sandbox-hospital.cn/notify/wechat/payment'));
    if (payParams.channel !== 'wechat' || !payParams.paySign) throw new Error('expected signing fields');
    const message = Formatter.joinedByLineFeed(env.cfg.appId, payParams.timeStamp!, payParams.nonceStr!, payParams.package!);
    expect(Rsa.verify(message, payParams.paySign, Rsa.from(env.creds.merchantPublicKeyPem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
  });

  it('refuses a GCM resource whose associated data was changed', () => {
    const key = 'k'.repeat(32);
    const c = crypto.createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from('0123456789ab'));
    c.setAAD(Buffer.from('transaction'));
    const ct = Buffer.concat([c.update('{"a":1}'), c.final(), c.getAuthTag()]).toString('base64');
    expect(decryptResource(key, { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct, nonce: '0123456789ab', associated_data: 'transaction' })).toBe('{"a":1}');
    expect(() => decryptResource(key, { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct, nonce: '0123456789ab', associated_data: 'refund' })).toThrow();
  });

  it('refuses a sandbox answer signed by a key other than the configured WeChat Pay public key', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const adapter = new WechatChannel({ ...env.cfg, wechatpayPublicKeyPem: other }, { tokens: env.tokens });
    await expect(adapter.queryPayment({ outTradeNo: 'NOPE000001', channelRef: '' })).rejects.toBeInstanceOf(ChannelSignatureError);
  });

  it('is answered 401 SIGN_ERROR by the sandbox when the merchant key is wrong', async () => {
    const wrong = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const adapter = new WechatChannel({ ...env.cfg, merchantPrivateKeyPem: wrong }, { tokens: env.tokens });
    const err = await adapter.queryPayment({ outTradeNo: 'NOPE000001', channelRef: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect(err).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('speaks APIv3 well enough for wechatpay-axios-plugin: its signed request passes, our signed answer verifies', async () => {
    const wxpay = new Wechatpay({
      mchid: env.creds.mchId,
      serial: env.creds.merchantSerialNo,
      privateKey: env.creds.merchantPrivateKeyPem,
      certs: { [env.creds.wechatpayPublicKeyId]: env.creds.wechatpayPublicKeyPem },
      baseURL: env.url,
    } as ConstructorParameters<typeof Wechatpay>[0]);
    const res = await wxpay.v3.pay.transactions.jsapi.post({
      appid: env.cfg.appId,
      mchid: env.creds.mchId,
      description: '挂号费',
      out_trade_no: `PLUGIN${Date.now()}`,
      notify_url: 'https://example.invalid/notify',
      amount: { total: 100, currency: 'CNY' },
      payer: { openid: 'sandbox-zhang' },
    });
    expect(res.status).toBe(200);
    expect((res.data as unknown as { prepay_id: string }).prepay_id).toMatch(/^wx/);
  });

  it('is refused by wechatpay-axios-plugin when it is given another WeChat Pay public key', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wxpay = new Wechatpay({
      mchid: env.creds.mchId,
      serial: env.creds.merchantSerialNo,
      privateKey: env.creds.merchantPrivateKeyPem,
      certs: { [env.creds.wechatpayPublicKeyId]: other },
      baseURL: env.url,
    } as ConstructorParameters<typeof Wechatpay>[0]);
    const order = { appid: env.cfg.appId, mchid: env.creds.mchId, description: '挂号费', out_trade_no: `PLUGINX${Date.now()}`, notify_url: 'https://example.invalid/n', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'sandbox-zhang' } };
    await expect(wxpay.v3.pay.transactions.jsapi.post(order)).rejects.toThrow(/signature|verif/i);
  });
});
