import crypto from 'node:crypto';
import { Formatter, Rsa, Aes } from 'wechatpay-axios-plugin';
import { ChannelSignatureError, type NotificationRequest } from '../../../bff/src/channels/port';
import { getJson, postJson, startReceiver, type Receiver } from '../../support/channels/servers';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';

let env: WechatEnv;
let receiver: Receiver;
let answerStatus = 204;
beforeAll(async () => {
  env = await startWechatEnv();
  receiver = await startReceiver(async () => ({ status: answerStatus }));
});
afterAll(async () => {
  await env.close();
  await receiver.close();
});
beforeEach(() => {
  answerStatus = 204;
  receiver.received.length = 0;
});

async function paidNotification(opts: { fault?: Record<string, unknown> } = {}): Promise<{ orderNo: string; mixTradeNo: string }> {
  const auth = await authorizeWechat(env, 'zhang');
  const q = paymentInput('zhang', auth, { totalFen: 8_800, fundFen: 5_000, acctFen: 1_000, cashFen: 2_800 }, env.publicUrl(`${receiver.url}/notify/wechat/payment`));
  const created = await env.adapter.createPayment(q);
  if (opts.fault) await postJson(`${env.url}/sandbox/faults`, { ...opts.fault, key: q.orderNo });
  const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...created.payParams });
  expect(res.errMsg).toBe('requestMedicalInsurancePay:ok');
  return { orderNo: q.orderNo, mixTradeNo: created.channelRef };
}

const h = (n: NotificationRequest, name: string) => n.headers[name.toLowerCase()]!;

function resign(body: Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const nonce = crypto.randomBytes(8).toString('hex');
  const msg = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]);
  const sig = crypto.sign('sha256', msg, crypto.createPrivateKey(env.creds.wechatpayPrivateKeyPem)).toString('base64');
  return { 'wechatpay-timestamp': String(timestamp), 'wechatpay-nonce': nonce, 'wechatpay-signature': sig, 'wechatpay-serial': env.creds.wechatpayPublicKeyId };
}

describe('WeChat Pay notifications', () => {
  it('accepts the untouched notification and decrypts the order inside', async () => {
    const { orderNo } = await paidNotification();
    const [n] = await receiver.waitFor(1);
    await expect(env.adapter.parseNotification(n)).resolves.toMatchObject({ kind: 'payment', outTradeNo: orderNo, status: 'paid' });
  });

  it('refuses a notification whose body was changed after signing', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    const body = Buffer.from(n.rawBody.toString('utf8').replace('MEDICAL_INSURANCE.SUCCESS', 'MEDICAL_INSURANCE.SUCCESS '));
    await expect(env.adapter.parseNotification({ headers: n.headers, rawBody: body })).rejects.toBeInstanceOf(ChannelSignatureError);
  });

  it('refuses a notification when the configured WeChat Pay public key is another one', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const adapter = new WechatChannel({ ...env.cfg, wechatpayPublicKeyPem: other }, { tokens: env.tokens });
    await expect(adapter.parseNotification(n)).rejects.toThrow(/does not verify/);
  });

  it('refuses a properly signed notification whose timestamp is six minutes old', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    const stale = { ...n.headers, ...resign(n.rawBody, Math.floor(Date.now() / 1000) - 360) };
    await expect(env.adapter.parseNotification({ headers: stale, rawBody: n.rawBody })).rejects.toThrow(/s away from now/);
  });

  it('refuses a WECHATPAY/SIGNTEST/ signature probe through ordinary verification, with no branch of its own', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    const probe = { ...n.headers, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${h(n, 'wechatpay-signature')}` };
    await expect(env.adapter.parseNotification({ headers: probe, rawBody: n.rawBody })).rejects.toThrow(/signature does not verify/);
    expect(env.adapter.ackNotification(false).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses a notification signed under an unknown Wechatpay-Serial', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    await expect(env.adapter.parseNotification({ headers: { ...n.headers, 'wechatpay-serial': 'PUB_KEY_ID_0000' }, rawBody: n.rawBody })).rejects.toThrow(/unknown Wechatpay-Serial/);
  });

  it('refuses a signed notification whose AES-GCM tag was altered', async () => {
    await paidNotification();
    const [n] = await receiver.waitFor(1);
    const event = JSON.parse(n.rawBody.toString('utf8')) as { resource: { ciphertext: string } };
    const buf = Buffer.from(event.resource.ciphertext, 'base64');
    buf[buf.length - 1] ^= 0x01;
    event.resource.ciphertext = buf.toString('base64');
    const body = Buffer.from(JSON.stringify(event));
    await expect(env.adapter.parseNotification({ headers: resign(body), rawBody: body })).rejects.toThrow(/does not decrypt/);
  });

  it('is accepted by wechatpay-axios-plugin, an independent verifier and AES-GCM decrypter', async () => {
    const { orderNo } = await paidNotification();
    const [n] = await receiver.waitFor(1);
    const message = Formatter.response(h(n, 'wechatpay-timestamp'), h(n, 'wechatpay-nonce'), n.rawBody.toString('utf8'));
    expect(Rsa.verify(message, h(n, 'wechatpay-signature'), Rsa.from(env.creds.wechatpayPublicKeyPem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
    const { resource } = JSON.parse(n.rawBody.toString('utf8')) as { resource: { ciphertext: string; nonce: string; associated_data: string } };
    const plain = JSON.parse(Aes.AesGcm.decrypt(resource.ciphertext, env.creds.apiV3Key, resource.nonce, resource.associated_data)) as { out_trade_no: string };
    expect(plain.out_trade_no).toBe(orderNo);
  });

  it('sends a notification as many times as a duplicate fault says, with one event id', async () => {
    await paidNotification({ fault: { op: 'notify', kind: 'duplicate', count: 3 } });
    const got = await receiver.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(3);
    const ids = await Promise.all(got.map(async (n) => (await env.adapter.parseNotification(n)).eventId));
    expect(new Set(ids).size).toBe(1);
  });

  it('loses a dropped notification, so only a query tells the order was paid', async () => {
    const { orderNo, mixTradeNo } = await paidNotification({ fault: { op: 'notify', kind: 'drop' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(0);
    await expect(env.adapter.queryPayment({ outTradeNo: orderNo, channelRef: mixTradeNo })).resolves.toMatchObject({ status: 'paid' });
  });

  it('sends a reordered notification after the next one', async () => {
    const first = await paidNotification({ fault: { op: 'notify', kind: 'reorder', ms: 2000 } });
    const second = await paidNotification();
    const got = await receiver.waitFor(2);
    const order = await Promise.all(got.map(async (n) => (await env.adapter.parseNotification(n)).outTradeNo));
    expect(order).toEqual([second.orderNo, first.orderNo]);
  });

  it('retries a notification the merchant did not accept', async () => {
    answerStatus = 500;
    const { orderNo } = await paidNotification();
    await receiver.waitFor(1);
    answerStatus = 204;
    await receiver.waitFor(2);
    const log = await getJson<{ deliveries: { key: string; status: number }[] }>(`${env.url}/sandbox/notifications`);
    expect(log.deliveries.filter((d) => d.key === orderNo).map((d) => d.status)).toEqual([500, 204]);
  });
});
