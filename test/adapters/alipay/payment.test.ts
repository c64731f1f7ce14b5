import { AlipaySdk } from 'alipay-sdk';
import { ChannelSignatureError } from '../../../bff/src/channels/port';
import { ALIPAY_MODES, alipayPaymentInput, authorizeAlipay, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';
import { getJson, postJson, startReceiver, type Receiver } from '../../support/channels/servers';

const amounts = { totalFen: 5_000, fundFen: 2_500, acctFen: 1_000, cashFen: 1_500 };

describe.each(ALIPAY_MODES)('Alipay medical trades (%s mode)', (userIdType) => {
  let env: AlipayEnv;
  let receiver: Receiver;
  let reply = 'success';
  beforeAll(async () => {
    env = await startAlipayEnv({ userIdType });
    receiver = await startReceiver(async () => ({ status: 200, contentType: 'text/plain', body: reply }));
  });
  afterAll(async () => {
    await env.close();
    await receiver.close();
  });
  beforeEach(() => {
    reply = 'success';
    receiver.received.length = 0;
  });

  const notifyUrl = () => `${receiver.url}/notify/alipay/payment`;

  async function created(personKey = 'zhang', a = amounts) {
    const auth = await authorizeAlipay(env, personKey);
    const q = alipayPaymentInput(personKey, auth, a, notifyUrl());
    return { q, c: await env.adapter.createPayment(q) };
  }

  async function paid(personKey = 'zhang', a = amounts) {
    const r = await created(personKey, a);
    const res = await postJson<{ ok: boolean; resultCode: string }>(`${env.url}/sandbox/dev/pay`, { tradeNo: r.c.channelRef, outcome: 'ok' });
    expect(res).toMatchObject({ ok: true, resultCode: '9000' });
    return r;
  }

  it('creates the trade with yuan amounts and returns the pay page', async () => {
    const { q, c } = await created();
    expect(c.payParams).toEqual({ channel: 'alipay', payUrl: expect.stringContaining('/sandbox/cashier?trade_no='), tradeNo: c.channelRef });
    const t = await getJson<Record<string, unknown>>(`${env.url}/sandbox/orders/${q.orderNo}`);
    expect(t).toMatchObject({ total_amount: '50.00', gov_amount: '25.00', account_amount: '10.00', other_amount: '0.00', real_amount: '15.00', trade_status: 'WAIT_BUYER_PAY', result_notify_url: notifyUrl() });
  });

  it("sends the patient in its mode's field with the model's store, batch, type, scene and voucher fields", async () => {
    const auth = await authorizeAlipay(env, 'zhou');
    const { createAndPayBiz } = await import('../../../bff/src/channels/alipay/medical');
    const biz = createAndPayBiz(alipayPaymentInput('zhou', auth, amounts, notifyUrl()), env.cfg);
    const [mine, other] = userIdType === 'user_id' ? ['alipay_user_id', 'open_id'] : ['open_id', 'alipay_user_id'];
    expect(biz[mine]).toBe(auth.openId);
    expect(biz).not.toHaveProperty(other);
    expect(biz).not.toHaveProperty('org_name');
    expect(biz).toMatchObject({ order_type: 'INSURANCE_PAY', industry: 'HOSPITAL', insurance_pay_scene: 'REGISTRATION', store_id: 'H44010600001-MZ', chrg_bch_no: expect.stringMatching(/B1$/) });
    expect(biz.extend_params).toEqual({ medical_card_inst_id: 'NATHSA', medical_card_id: auth.medicalCardId });
    if (userIdType === 'user_id') expect(auth.openId).toMatch(/^2088\d{12}$/);
    else expect(auth.openId).not.toMatch(/^2088/);
  });

  it("is refused by the sandbox when the patient is sent in the other mode's field", async () => {
    const auth = await authorizeAlipay(env, 'wang');
    const { createAndPayBiz } = await import('../../../bff/src/channels/alipay/medical');
    const biz = createAndPayBiz(alipayPaymentInput('wang', auth, amounts, notifyUrl()), env.cfg);
    const swapped = userIdType === 'user_id' ? { open_id: biz.alipay_user_id, alipay_user_id: undefined } : { alipay_user_id: biz.open_id, open_id: undefined };
    await expect(env.adapter.gateway.call('alipay.commerce.medical.trade.createandpay', { biz: { ...biz, ...swapped } })).rejects.toMatchObject({ gatewayCode: '40002', code: 'INVALID_PARAMETER' });
  });

  it('reads a closed trade whose cash was taken but whose insurance leg failed as failed, with the cash leg taken', async () => {
    const r = await created('chen');
    await postJson(`${env.url}/sandbox/dev/pay`, { tradeNo: r.c.channelRef, outcome: 'medical_fail_cash_taken' });
    expect(await env.adapter.queryPayment({ outTradeNo: r.q.orderNo, channelRef: r.c.channelRef })).toMatchObject({ status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } });
    const [n] = await receiver.waitFor(1);
    expect(await env.adapter.parseNotification(n)).toMatchObject({ kind: 'payment', status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } });
  });

  it('has the sandbox refuse a total that is not the sum of the parts', async () => {
    const auth = await authorizeAlipay(env, 'wang');
    const { createAndPayBiz } = await import('../../../bff/src/channels/alipay/medical');
    const biz = { ...createAndPayBiz(alipayPaymentInput('wang', auth, amounts, notifyUrl()), env.cfg), total_amount: '50.01' };
    await expect(env.adapter.gateway.call('alipay.commerce.medical.trade.createandpay', { biz })).rejects.toMatchObject({ code: 'TOTAL_AMOUNT_NOT_MATCH', gatewayCode: '40004' });
  });

  it('pays through the dev endpoint: the centre settles and a signed notification arrives that the adapter verifies', async () => {
    const { q, c } = await paid();
    expect(env.national.pays.at(-1)).toMatchObject({ payOrdId: q.payOrdId, channel: 'alipay', cashFen: 1_500 });
    const [n] = await receiver.waitFor(1);
    expect(await env.adapter.parseNotification(n)).toMatchObject({ kind: 'payment', outTradeNo: q.orderNo, channelRef: c.channelRef, status: 'paid', cashPaidFen: 1_500, totalFen: 5_000, cashTradeNo: expect.stringMatching(/^\d+$/) });
    expect(await env.adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: c.channelRef })).toMatchObject({ status: 'paid', cashPaidFen: 1_500, insurancePaidFen: 3_500 });
  });

  it('keeps a subject with %, +, a comma and quotes intact: values are URL-decoded exactly once', async () => {
    await paid();
    const [n] = await receiver.waitFor(1);
    expect(new URLSearchParams(n.rawBody.toString()).get('subject')).toBe('挂号费 100%+专家,"特需"');
    await expect(env.adapter.parseNotification(n)).resolves.toMatchObject({ status: 'paid' });
  });

  it('refuses a notification whose amount was changed', async () => {
    await paid();
    const [n] = await receiver.waitFor(1);
    const body = Buffer.from(n.rawBody.toString().replace('real_amount=15.00', 'real_amount=0.01'));
    await expect(env.adapter.parseNotification({ headers: n.headers, rawBody: body })).rejects.toBeInstanceOf(ChannelSignatureError);
  });

  it('is accepted by alipay-sdk checkNotifySignV2, an independent verifier', async () => {
    await paid();
    const [n] = await receiver.waitFor(1);
    const sdk = new AlipaySdk({ appId: env.creds.appId, privateKey: env.creds.appPrivateKeyPem, alipayPublicKey: env.creds.alipayPublicKeyPem, keyType: 'PKCS8' });
    const postData = Object.fromEntries(new URLSearchParams(n.rawBody.toString()));
    expect(sdk.checkNotifySignV2(postData)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...postData, total_amount: '0.01' })).toBe(false);
  });

  it('verifies a notification signed by alipay-sdk with the Alipay key', async () => {
    const asAlipay = new AlipaySdk({ appId: env.creds.appId, privateKey: env.creds.alipayPrivateKeyPem, keyType: 'PKCS8' });
    const form = asAlipay.sdkExecute('alipay.trade.notify', {
      notifyId: 'sdk-signed-1', outTradeNo: 'GH000001', tradeNo: '2026X', tradeStatus: 'TRADE_SUCCESS', totalAmount: '12.30', realAmount: '2.30', bizContent: {},
    });
    const n = await env.adapter.parseNotification({ headers: {}, rawBody: Buffer.from(form) });
    expect(n).toMatchObject({ eventId: 'sdk-signed-1', outTradeNo: 'GH000001', status: 'paid', totalFen: 1_230, cashPaidFen: 230 });
  });

  it('answers plain success when the notification was taken', () => {
    expect(env.adapter.ackNotification(true)).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
  });

  it('retries the notification until the merchant answers success', async () => {
    reply = 'fail';
    const { q } = await paid();
    await receiver.waitFor(1);
    reply = 'success';
    await receiver.waitFor(2);
    const { deliveries } = await getJson<{ deliveries: { key: string; attempt: number }[] }>(`${env.url}/sandbox/notifications`);
    expect(deliveries.filter((d) => d.key === q.orderNo).map((d) => d.attempt)).toEqual([1, 2]);
  });

  it('loses a dropped notification, so only the query tells the trade was paid', async () => {
    const r = await created('huang');
    await postJson(`${env.url}/sandbox/faults`, { op: 'notify', kind: 'drop', key: r.q.orderNo });
    await postJson(`${env.url}/sandbox/dev/pay`, { tradeNo: r.c.channelRef, outcome: 'ok' });
    await new Promise((res) => setTimeout(res, 300));
    expect(receiver.received).toHaveLength(0);
    expect((await env.adapter.queryPayment({ outTradeNo: r.q.orderNo, channelRef: r.c.channelRef })).status).toBe('paid');
  });

  it('reads an unpaid trade as pending and a centre refusal as failed', async () => {
    const r = await created('liu', { totalFen: 1_000, fundFen: 1_000, acctFen: 0, cashFen: 0 });
    expect((await env.adapter.queryPayment({ outTradeNo: r.q.orderNo, channelRef: r.c.channelRef })).status).toBe('pending');
    env.national.refuseNextPay = { code: '2003', message: '余额不足' };
    await postJson(`${env.url}/sandbox/dev/pay`, { tradeNo: r.c.channelRef, outcome: 'ok' });
    expect((await env.adapter.queryPayment({ outTradeNo: r.q.orderNo, channelRef: r.c.channelRef })).status).toBe('failed');
  });

  it('lets alipay-sdk query our gateway: its request signature passes and it verifies our response', async () => {
    const { q } = await created('zhou');
    const sdk = new AlipaySdk({
      appId: env.creds.appId, privateKey: env.creds.appPrivateKeyPem, alipayPublicKey: env.creds.alipayPublicKeyPem, keyType: 'PKCS8', gateway: env.cfg.gatewayUrl,
    });
    const r = await sdk.exec('alipay.commerce.medical.trade.query', { bizContent: { out_trade_no: q.orderNo } }, { validateSign: true });
    expect(r).toMatchObject({ code: '10000', outTradeNo: q.orderNo, tradeStatus: 'WAIT_BUYER_PAY' });
  });

  it('signs a request exactly as alipay-sdk does for the same parameters', async () => {
    const biz = { out_trade_no: 'GH1', trade_no: '2026X' };
    const ts = '2026-01-02 03:04:05';
    const ours = env.adapter.gateway.signedParams('alipay.commerce.medical.trade.query', {}, biz, ts);
    const sdk = new AlipaySdk({ appId: env.creds.appId, privateKey: env.creds.appPrivateKeyPem, keyType: 'PKCS8' });
    const theirs = new URLSearchParams(sdk.sdkExecute('alipay.commerce.medical.trade.query', { bizContent: biz, timestamp: ts, format: 'JSON' }));
    expect(ours.sign).toBe(theirs.get('sign'));
  });
});
