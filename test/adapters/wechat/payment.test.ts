import { ChannelRejectedError } from '../../../bff/src/channels/port';
import { getJson, postJson, startReceiver, type Receiver } from '../../support/channels/servers';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';
import { WechatPayHttp } from '../../../bff/src/channels/wechat/pay-http';

let env: WechatEnv;
let receiver: Receiver;
beforeAll(async () => {
  env = await startWechatEnv();
  receiver = await startReceiver(async (req) => {
    try {
      await env.adapter.parseNotification(req);
      return env.adapter.ackNotification(true);
    } catch {
      return env.adapter.ackNotification(false);
    }
  });
});
afterAll(async () => {
  await env.close();
  await receiver.close();
});

const notifyUrl = () => env.publicUrl(`${receiver.url}/notify/wechat/payment`);
type SandboxOrder = Record<string, unknown> & { transaction?: { trade_state: string; amount: { total: number } } };

describe('WeChat mixed insurance + self-pay orders', () => {
  it('creates the JSAPI prepay and the med-ins order with the amounts in fen and an RSA paySign', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const q = paymentInput('zhang', auth, { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 }, notifyUrl());
    const created = await env.adapter.createPayment(q);
    expect(created.outTradeNo).toBe(q.orderNo);
    expect(created.payParams).toMatchObject({ channel: 'wechat', mixTradeNo: created.channelRef, signType: 'RSA' });
    expect(created.payParams).toHaveProperty('package', expect.stringMatching(/^prepay_id=wx/));
    const o = await getJson<SandboxOrder>(`${env.url}/sandbox/orders/${q.orderNo}`);
    expect(o).toMatchObject({
      mix_pay_type: 'CASH_AND_INSURANCE',
      order_type: 'DIAG_PAY',
      total_fee: 10_000,
      med_ins_gov_fee: 6_000,
      med_ins_self_fee: 1_500,
      med_ins_other_fee: 0,
      med_ins_cash_fee: 2_500,
      wechat_pay_cash_fee: 2_500,
      pay_auth_no: auth.payAuthNo,
      pay_order_id: q.payOrdId,
      // 接入质量检查 #22: serial_no is the 6201 medOrgOrd (our order number), med_inst_no the configured one
      serial_no: q.orderNo,
      med_inst_no: env.cfg.medInstNo,
      callback_url: notifyUrl(),
      med_ins_test_env: true,
      mix_pay_status: 'MIX_PAY_CREATED',
    });
    expect(o.transaction).toMatchObject({ trade_state: 'NOTPAY', amount: { total: 2_500 } });
  });

  it('omits the five signing fields for an insurance-only order and creates no JSAPI prepay', async () => {
    const auth = await authorizeWechat(env, 'huang');
    const q = paymentInput('huang', auth, { totalFen: 3_000, fundFen: 2_000, acctFen: 1_000, cashFen: 0 }, notifyUrl());
    const created = await env.adapter.createPayment(q);
    expect(created.payParams).toEqual({ channel: 'wechat', mixTradeNo: created.channelRef });
    const o = await getJson<SandboxOrder>(`${env.url}/sandbox/orders/${q.orderNo}`);
    expect(o).toMatchObject({ mix_pay_type: 'INSURANCE_ONLY' });
    expect(o.wechat_pay_cash_fee).toBeUndefined(); // 接入质量检查 #6: INSURANCE_ONLY carries no wechat_pay_cash_fee
    expect(o.prepay_id).toBeUndefined();
    expect(o.transaction).toBeUndefined();
  });

  it('refuses a split that does not add up before calling WeChat', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const q = paymentInput('zhang', auth, { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_400 }, notifyUrl());
    await expect(env.adapter.createPayment(q)).rejects.toThrow(/total_fee 10000 ≠/);
  });

  it('has the sandbox refuse a body whose total does not match the parts with 268529477', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const http = new WechatPayHttp(env.cfg);
    const body = {
      mix_pay_type: 'INSURANCE_ONLY', order_type: 'DIAG_PAY', appid: env.cfg.appId, openid: auth.openId, payer: {}, out_trade_no: 'BADSUM0001',
      serial_no: 'BADSUM0001', city_id: '440100', med_inst_name: 'x', med_inst_no: 'x', callback_url: notifyUrl(), med_ins_test_env: true,
      total_fee: 1000, med_ins_gov_fee: 600, med_ins_self_fee: 300, med_ins_other_fee: 0, med_ins_cash_fee: 0,
      pay_order_id: 'ORDX', pay_auth_no: auth.payAuthNo, geo_location: '113.1,23.1', med_ins_order_create_time: '2026-01-01T10:00:00+08:00',
    };
    const err = await http.call('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': env.cfg.wechatpayPublicKeyId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect(err).toMatchObject({ code: 'PARAM_ERROR', message: expect.stringContaining('268529477') });
  });

  it('has the sandbox refuse a self-pay amount that differs from the JSAPI order with 268529476', async () => {
    const http = new WechatPayHttp(env.cfg);
    const jsapi = { appid: env.cfg.appId, mchid: env.cfg.mchId, description: 'x', out_trade_no: 'BADCASH001', notify_url: notifyUrl(), amount: { total: 500, currency: 'CNY' }, payer: { openid: 'sandbox-zhang' } };
    const { data } = await http.call<{ prepay_id: string }>('jsapi', 'POST', '/v3/pay/transactions/jsapi', jsapi);
    const body = {
      mix_pay_type: 'CASH_ONLY', order_type: 'DIAG_PAY', appid: env.cfg.appId, openid: 'sandbox-zhang', payer: {}, out_trade_no: 'BADCASH001',
      serial_no: 'BADCASH001', city_id: '440100', med_inst_name: 'x', med_inst_no: 'x', callback_url: notifyUrl(),
      total_fee: 400, wechat_pay_cash_fee: 400, prepay_id: data.prepay_id,
    };
    await expect(http.call('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': env.cfg.wechatpayPublicKeyId })).rejects.toMatchObject({
      code: 'PARAM_ERROR',
      message: expect.stringContaining('268529476'),
    });
  });

  it('has the sandbox refuse a payer whose ID digest was not MD5-ed before encryption with 268545961', async () => {
    const auth = await authorizeWechat(env, 'liu');
    const q = paymentInput('liu', auth, { totalFen: 2_000, fundFen: 2_000, acctFen: 0, cashFen: 0 }, notifyUrl());
    const { medInsOrderBody } = await import('../../../bff/src/channels/wechat/med-ins');
    const { encryptSensitive } = await import('../../../bff/src/channels/wechat/sensitive');
    const crypto = await import('node:crypto');
    const key = crypto.createPublicKey(env.cfg.wechatpayPublicKeyPem);
    const body = medInsOrderBody(q, {
      appId: env.cfg.appId, cityId: '440100', medInstName: 'x', medInstNo: 'x', medInsTestEnv: true, geoLocation: auth.location,
      passthrough: { repeatAuthFields: false, extra: {} }, encrypt: (plain) => encryptSensitive(plain, key), digest: (idNo) => idNo,
    });
    await expect(new WechatPayHttp(env.cfg).call('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': env.cfg.wechatpayPublicKeyId })).rejects.toMatchObject({
      message: expect.stringContaining('268545961'),
    });
  });

  it('reuses the existing order when the same order number is created again after an unknown outcome', async () => {
    const auth = await authorizeWechat(env, 'zhou');
    const q = paymentInput('zhou', auth, { totalFen: 5_000, fundFen: 3_000, acctFen: 1_000, cashFen: 1_000 }, notifyUrl());
    const first = await env.adapter.createPayment(q);
    const second = await env.adapter.createPayment(q);
    expect(second.channelRef).toBe(first.channelRef);
  });

  it('does not reuse an existing order that belongs to another insurance order (payOrdId)', async () => {
    const auth = await authorizeWechat(env, 'zhou');
    const q = paymentInput('zhou', auth, { totalFen: 5_000, fundFen: 3_000, acctFen: 1_000, cashFen: 1_000 }, notifyUrl());
    await env.adapter.createPayment(q);
    await expect(env.adapter.createPayment({ ...q, payOrdId: `${q.payOrdId}X` })).rejects.toMatchObject({ code: 'ALREADY_EXISTS', httpStatus: 400 });
  });

  it('pays through the dev endpoint: the centre settles, the order is paid and the notification verifies and decrypts', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const q = paymentInput('zhang', auth, { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 }, notifyUrl());
    const created = await env.adapter.createPayment(q);
    const before = receiver.received.length;
    const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...created.payParams });
    expect(res.errMsg).toBe('requestMedicalInsurancePay:ok');
    expect(env.national.pays.at(-1)).toMatchObject({ payOrdId: q.payOrdId, payAuthNo: auth.payAuthNo, channel: 'wechat', cashFen: 2_500 });
    const [n] = (await receiver.waitFor(before + 1)).slice(before);
    const parsed = await env.adapter.parseNotification(n);
    expect(parsed).toMatchObject({ kind: 'payment', outTradeNo: q.orderNo, channelRef: created.channelRef, status: 'paid', cashPaidFen: 2_500, totalFen: 10_000 });
    const st = await env.adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: created.channelRef });
    expect(st).toMatchObject({ status: 'paid', cashPaidFen: 2_500, insurancePaidFen: 7_500, cashTradeNo: expect.stringMatching(/^4200/) });
  });

  it('refuses a pay call with a forged paySign, as the WeChat client would', async () => {
    const auth = await authorizeWechat(env, 'wang');
    const created = await env.adapter.createPayment(paymentInput('wang', auth, { totalFen: 1_000, fundFen: 800, acctFen: 0, cashFen: 200 }, notifyUrl()));
    const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...created.payParams, paySign: 'AAAA' });
    expect(res.errMsg).toMatch(/^requestMedicalInsurancePay:fail .*paySign/);
  });

  it('refuses a pay call from someone who does not own the order', async () => {
    const auth = await authorizeWechat(env, 'wang');
    const created = await env.adapter.createPayment(paymentInput('wang', auth, { totalFen: 1_000, fundFen: 800, acctFen: 0, cashFen: 200 }, notifyUrl()));
    const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: 'sandbox-zhang', ...created.payParams });
    expect(res.errMsg).toMatch(/^requestMedicalInsurancePay:fail/);
  });

  it('reads a centre refusal as a failed order', async () => {
    const auth = await authorizeWechat(env, 'chen');
    const q = paymentInput('chen', auth, { totalFen: 1_000, fundFen: 1_000, acctFen: 0, cashFen: 0 }, notifyUrl());
    const created = await env.adapter.createPayment(q);
    env.national.refuseNextPay = { code: '2003', message: '余额不足' };
    const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, mixTradeNo: created.channelRef });
    expect(res.errMsg).toMatch(/fail/);
    expect(await env.adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: created.channelRef })).toMatchObject({ status: 'failed' });
  });

  it('reads an order not yet paid as pending', async () => {
    const auth = await authorizeWechat(env, 'zhao');
    const q = paymentInput('zhao', auth, { totalFen: 1_000, fundFen: 500, acctFen: 0, cashFen: 500 }, notifyUrl());
    const created = await env.adapter.createPayment(q);
    expect(await env.adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: created.channelRef })).toMatchObject({ status: 'pending' });
  });

  it('says ORDER_NOT_EXIST for an order WeChat does not know', async () => {
    await expect(env.adapter.queryPayment({ outTradeNo: 'NOPE000001', channelRef: '' })).rejects.toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });
});
