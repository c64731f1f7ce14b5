/**
 * The WeChat sandbox fails like WeChat Pay does (each rule's source is named in the sandbox code),
 * and the adapter answers those failures as the official checklist asks.
 */
import { personByKey } from '../../../sandbox/seed/persons';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';
import { WechatPayHttp } from '../../../bff/src/channels/wechat/pay-http';
import { getJson, postJson } from '../../support/channels/servers';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';
import { waitForValue } from '../../support/wait';

const CALLBACK = 'https://bff.sandbox-hospital.cn/notify/wechat/payment';
const TEN_MINUTES = 10 * 60_000;
let env: WechatEnv;
let sleeps: number[];
let adapter: WechatChannel;
beforeAll(async () => {
  env = await startWechatEnv({ refundSettleMs: TEN_MINUTES });
  adapter = new WechatChannel(env.cfg, { tokens: env.tokens, sleep: async (ms) => void sleeps.push(ms) });
});
beforeEach(() => {
  sleeps = [];
});
afterAll(() => env.close());
afterEach(() => fetch(`${env.url}/sandbox/faults`, { method: 'DELETE' }));

const fault = (rule: Record<string, unknown>) => postJson(`${env.url}/sandbox/faults`, rule);
const mixed = { totalFen: 2_000, fundFen: 1_000, acctFen: 500, cashFen: 500 };

async function created(personKey: string, amounts = mixed) {
  const auth = await authorizeWechat(env, personKey);
  const q = paymentInput(personKey, auth, amounts, CALLBACK);
  return { auth, q, created: await adapter.createPayment(q) };
}

/** a raw create, to see the sandbox's own answer */
async function rawCreate(body: Record<string, unknown>) {
  return new WechatPayHttp({ ...env.cfg, retry: { attempts: 1, baseMs: 0, maxMs: 0 } })
    .call('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': env.cfg.wechatpayPublicKeyId })
    .catch((e: unknown) => e);
}

describe('duplicates and limits', () => {
  it('answers a second create with the same out_trade_no 400 ALREADY_EXISTS, 268512536 in the Request-ID (排障手册 §2.6 Q5)', async () => {
    const { q } = await created('zhang');
    // the same out_trade_no for another insurance order: not reusable, the refusal stands
    const err = await adapter.createPayment({ ...q, payOrdId: `${q.payOrdId}X` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatus: 400, code: 'ALREADY_EXISTS', numericCode: '268512536' });
  });

  it('retries a rate-limited answer with back-off and gets the order (接入质量检查 #29)', async () => {
    const { q, created: c } = await created('chen');
    await fault({ op: 'med-ins-query', kind: 'fail', status: 429, code: 'FREQUENCY_LIMITED', times: 2 });
    expect((await adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: c.channelRef })).status).toBe('pending');
    expect(sleeps).toEqual([200, 400]);
  });

  it('gives up after the configured attempts and does not retry a parameter error', async () => {
    await fault({ op: 'med-ins-query', kind: 'fail', status: 429, code: 'FREQUENCY_LIMITED', times: 5 });
    await expect(adapter.queryPayment({ outTradeNo: 'NONE0001', channelRef: 'M0' })).rejects.toMatchObject({ code: 'FREQUENCY_LIMITED' });
    expect(sleeps).toHaveLength(2);
    await fetch(`${env.url}/sandbox/faults`, { method: 'DELETE' });
    sleeps = [];
    await expect(adapter.queryPayment({ outTradeNo: 'NONE0002', channelRef: 'M0' })).rejects.toMatchObject({ code: 'ORDER_NOT_EXIST' });
    expect(sleeps).toEqual([]);
  });

  it('limits calls per window when configured, answering 429 FREQUENCY_LIMITED', async () => {
    const limited = await startWechatEnv({ rateLimit: { max: 1, windowMs: 60_000 } });
    try {
      const http = new WechatPayHttp({ ...limited.cfg, retry: { attempts: 1, baseMs: 0, maxMs: 0 } });
      await http.call('q', 'GET', '/v3/med-ins/orders/out-trade-no/A0000001').catch(() => undefined);
      await expect(http.call('q', 'GET', '/v3/med-ins/orders/out-trade-no/A0000002')).rejects.toMatchObject({ httpStatus: 429, code: 'FREQUENCY_LIMITED' });
    } finally {
      await limited.close();
    }
  });
});

describe('field sets and callback URLs', () => {
  it('refuses an http callback_url', async () => {
    const auth = await authorizeWechat(env, 'zhou');
    await expect(adapter.createPayment(paymentInput('zhou', auth, mixed, 'http://bff.sandbox-hospital.cn/notify/wechat/payment'))).rejects.toMatchObject({ message: expect.stringContaining('HTTPS') });
  });

  it('refuses a callback_url on a private address', async () => {
    const auth = await authorizeWechat(env, 'zhou');
    await expect(adapter.createPayment(paymentInput('zhou', auth, mixed, 'https://192.168.1.5/notify/wechat/payment'))).rejects.toMatchObject({ message: expect.stringContaining('内网') });
  });

  it('refuses a CASH_ONLY order carrying a med_ins_* field, even 0, with 268529474', async () => {
    const err = await rawCreate({ mix_pay_type: 'CASH_ONLY', order_type: 'DIAG_PAY', appid: env.cfg.appId, openid: 'o', out_trade_no: 'CO000001', serial_no: 'CO000001', city_id: '440100', med_inst_name: 'x', med_inst_no: 'x', callback_url: CALLBACK, total_fee: 100, wechat_pay_cash_fee: 100, prepay_id: 'p', med_ins_gov_fee: 0 });
    expect(err).toMatchObject({ code: 'PARAM_ERROR', message: expect.stringContaining('268529474') });
  });

  it('refuses a mixed order missing geo_location with 268529475', async () => {
    const err = await rawCreate({ mix_pay_type: 'CASH_AND_INSURANCE', order_type: 'DIAG_PAY', appid: env.cfg.appId, openid: 'o', out_trade_no: 'CI000001', serial_no: 'CI000001', city_id: '440100', med_inst_name: 'x', med_inst_no: 'x', callback_url: CALLBACK, total_fee: 100, med_ins_gov_fee: 0, med_ins_self_fee: 0, med_ins_other_fee: 0, med_ins_cash_fee: 100, wechat_pay_cash_fee: 100, prepay_id: 'p', pay_order_id: 'O', pay_auth_no: 'AUTH1', med_ins_order_create_time: '2026-12-06T10:00:00+08:00' });
    expect(err).toMatchObject({ code: 'PARAM_ERROR', message: expect.stringContaining('268529475') });
  });

  it('accepts and settles an all-self-pay pre-settlement sent as a mixed order', async () => {
    const { auth, q, created: c } = await created('huang', { totalFen: 900, fundFen: 0, acctFen: 0, cashFen: 900 });
    const o = await getJson<Record<string, unknown>>(`${env.url}/sandbox/orders/${q.orderNo}`);
    expect(o).toMatchObject({ mix_pay_type: 'CASH_AND_INSURANCE', med_ins_gov_fee: 0, pay_order_id: q.payOrdId });
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    expect((await adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: c.channelRef })).status).toBe('paid');
  });
});

describe('money a failed mix took, family pay, refunds', () => {
  it('fails the insurance leg after taking the cash when told to: MIX_PAY_FAIL with the cash leg taken', async () => {
    const { auth, q, created: c } = await created('liu');
    await fault({ op: 'insurance-leg', kind: 'fail', key: q.orderNo, message: '医保结算失败' });
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    const st = await adapter.queryPayment({ outTradeNo: q.orderNo, channelRef: c.channelRef });
    expect(st).toMatchObject({ status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } });
    expect(st.raw).toMatchObject({ mix_pay_status: 'MIX_PAY_FAIL', self_pay_status: 'SELF_PAY_SUCCESS' });
  });

  it('authorizes 亲情付 with the voucher holder as payer and accepts the patient as the encrypted relative', async () => {
    const holder = personByKey('wang')!;
    const patient = personByKey('zhang')!;
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: holder.wechatOpenId, forPerson: 'zhang' });
    const auth = await adapter.authorizeInsurance({ openId: holder.wechatOpenId, authCode });
    if (auth.status !== 'authorized') throw new Error('expected an authorization');
    expect(auth.payer).toEqual({ name: holder.name, idNo: holder.idNo, familyPay: true });
    const q = { ...paymentInput('zhang', { openId: holder.wechatOpenId, payAuthNo: auth.payAuthNo, location: auth.location }, mixed, CALLBACK), payer: { name: holder.name, idNo: holder.idNo } };
    await expect(adapter.createPayment({ ...q, orderNo: `${q.orderNo}N` })).rejects.toMatchObject({ message: expect.stringContaining('268545964') });
    const c = await adapter.createPayment({ ...q, relative: { name: patient.name, idNo: patient.idNo } });
    expect(c.channelRef).toBeTruthy();
  });

  it('keeps a refund PROCESSING until the sandbox clock passes the settling time', async () => {
    const { auth, q, created: c } = await created('chen');
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    const refund = { orderNo: q.orderNo, outTradeNo: q.orderNo, channelRef: c.channelRef, refundNo: `RF${q.orderNo}`, refundFen: 500, paidCashFen: 500, reason: '退费' };
    expect((await adapter.refundCash(refund)).status).toBe('processing');
    await postJson(`${env.url}/sandbox/clock`, { advanceMs: TEN_MINUTES - 1_000 });
    expect((await adapter.refundCash(refund)).status).toBe('processing');
    await postJson(`${env.url}/sandbox/clock`, { advanceMs: 1_000 });
    expect((await adapter.refundCash(refund)).status).toBe('succeeded');
  });

  it('settles a refund whose timer fires before the sandbox clock reaches its settling time', async () => {
    // Before: the timer looked once, found the refund not yet due by Date.now, and left it PROCESSING
    // for good (a reversal stayed 'reversing' under the full suite's load).
    const quick = await startWechatEnv({ refundSettleMs: 100 });
    const quickAdapter = new WechatChannel(quick.cfg, { tokens: quick.tokens, sleep: async () => undefined });
    const real = Date.now.bind(Date);
    try {
      const auth = await authorizeWechat(quick, 'chen');
      const q = paymentInput('chen', auth, mixed, CALLBACK);
      const c = await quickAdapter.createPayment(q);
      await postJson(`${quick.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
      const refundNo = `RT${q.orderNo}`;
      expect((await quickAdapter.refundCash({ orderNo: q.orderNo, outTradeNo: q.orderNo, channelRef: c.channelRef, refundNo, refundFen: 500, paidCashFen: 500, reason: '退费' })).status).toBe('processing');
      // from here the wall clock runs 50 ms behind the timers
      jest.spyOn(Date, 'now').mockImplementation(() => real() - 50);
      await waitForValue('the refund to settle', async () => {
        const { refunds } = await getJson<{ refunds: { out_refund_no: string; status: string }[] }>(`${quick.url}/sandbox/refunds`);
        return refunds.find((r) => r.out_refund_no === refundNo && r.status === 'SUCCESS');
      }, 5_000);
    } finally {
      jest.restoreAllMocks();
      await quick.close();
    }
  });

  it('never reads a refund still rate-limited after the retries as a failed refund', async () => {
    const { auth, q, created: c } = await created('liu');
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    await fault({ op: 'refund', kind: 'fail', status: 429, code: 'FREQUENCY_LIMITED', times: 3 });
    const refund = { orderNo: q.orderNo, outTradeNo: q.orderNo, channelRef: c.channelRef, refundNo: `RL${q.orderNo}`, refundFen: 500, paidCashFen: 500, reason: '退费' };
    await expect(adapter.refundCash(refund)).rejects.toMatchObject({ code: 'FREQUENCY_LIMITED' });
    expect(sleeps).toEqual([200, 400]);
  });

  it('answers retry for a refund notice WeChat failed with SYSTEM_ERROR, and throws a final refusal', async () => {
    const { auth, q, created: c } = await created('zhou');
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    const notice = { outTradeNo: q.orderNo, channelRef: c.channelRef, refundNo: `RI${q.orderNo}`, amounts: { totalFen: 1_500, fundFen: 1_000, acctFen: 500 }, refundedAt: new Date().toISOString() };
    await fault({ op: 'med-ins-refund-notify', kind: 'fail', status: 500, code: 'SYSTEM_ERROR', times: 3 });
    expect(await adapter.notifyInsuranceRefund(notice)).toMatchObject({ status: 'retry' });
    await expect(adapter.notifyInsuranceRefund({ ...notice, amounts: { totalFen: 9_000, fundFen: 9_000, acctFen: 0 } })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
    expect(await adapter.notifyInsuranceRefund(notice)).toEqual({ status: 'sent' });
  });

  it('closes an unpaid order so it can no longer be paid, and reports a paid one as paying', async () => {
    const { auth, q, created: c } = await created('huang');
    expect(await adapter.closePayment({ outTradeNo: q.orderNo, channelRef: c.channelRef })).toBe('closed');
    const r = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...c.payParams });
    expect(r.errMsg).toContain('ORDERCLOSED');
    const paid = await created('wang');
    await postJson(`${env.url}/sandbox/dev/pay`, { openid: paid.auth.openId, ...paid.created.payParams });
    expect(await adapter.closePayment({ outTradeNo: paid.q.orderNo, channelRef: paid.created.channelRef })).toBe('paying');
  });
});
