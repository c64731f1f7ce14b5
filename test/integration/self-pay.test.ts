/**
 * Issue 12 point 3, 自费: 赵丽华 (not insured) pays a registration and an outpatient bill through
 * WeChat Pay alone, and one of them is refunded — through the real BFF and the sandboxes over HTTP.
 * The centre sees nothing (no 6201/6202/6203), the WeChat order is CASH_ONLY without any insurance
 * field (wechatpay-skills 开发参数与业务规则 §四, 接入质量检查 #6), HIS books an all-cash settlement.
 */
import { hisApi, patientApi } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { HisClient } from '../support/his-client';
import { AlipayPatient } from '../support/alipay-patient';
import { wire } from '../../bff/src/app/wiring';
import { loadConfig } from '../../bff/src/config';
import { chinaDay } from '../../bff/src/reconciliation/days';
import { clearOfChinaMidnight } from '../support/china-day';
import { runReconciliation } from '../../bff/src/reconciliation/runner';

let stack: TestStack;
let his: HisClient;

beforeAll(async () => {
  await clearOfChinaMidnight(); // the reconciliation below is of the day the payments were made
  stack = await testStack();
  his = HisClient.of(stack);
}, 540_000);
afterAll(() => stack?.cleanup());

// 开发参数与业务规则 §四 CASH_ONLY: pay_order_id / pay_auth_no / geo_location / med_ins_order_create_time 禁填; 接入质量检查 #6: no med_ins_* fee
const INSURANCE_FIELDS = ['pay_order_id', 'pay_auth_no', 'geo_location', 'med_ins_order_create_time', 'med_ins_gov_fee', 'med_ins_self_fee', 'med_ins_other_fee', 'med_ins_cash_fee'];

async function wechatOrder(orderNo: string): Promise<Record<string, unknown>> {
  return getJson(`${stack.urls.wechat}/sandbox/orders/${orderNo}`);
}

async function centreOrders(): Promise<unknown[]> {
  return (await getJson(`${stack.urls.national}/sandbox/orders`)).orders as unknown[];
}

/** 赵丽华 in the WeChat mini-program: her identity checked (not insured), nothing authorized. */
async function zhao(): Promise<WechatPatient> {
  const p = await new WechatPatient(stack, 'zhao').login();
  const st = await p.api.ok(patientApi.insuranceStatus, { body: { regionCode: '440100', idNo: p.person.idNo, name: p.person.name } });
  expect(st.insured).toBe(false);
  return p;
}

async function selfPayOrder(p: WechatPatient, body: { kind: 'registration'; slotId: string } | { kind: 'outpatient'; billNos: string[] }): Promise<string> {
  const { order } = await p.api.ok(patientApi.createOrder, { body: { ...body, payMode: 'self' }, headers: { 'idempotency-key': `k-${Date.now()}-${Math.random().toString(36).slice(2)}` } });
  expect(order).toMatchObject({ payMode: 'self', amounts: { fundFen: 0, acctFen: 0, cashFen: order.amounts.totalFen } });
  return order.orderNo;
}

async function firstSlot(p: Pick<WechatPatient, 'api'>): Promise<string> {
  const { departments } = await p.api.ok(patientApi.departments);
  for (const dept of departments) {
    const { doctors } = await p.api.ok(patientApi.doctors, { params: { deptCode: dept.code } });
    for (const d of doctors.filter((x) => x.available)) {
      const { slots } = await p.api.ok(patientApi.slots, { params: { doctorCode: d.code } });
      const slot = slots.find((x) => x.remaining > 0);
      if (slot) return slot.slotId;
    }
  }
  throw new Error('no bookable slot');
}

describe('self-pay (自费) on WeChat', () => {
  let registrationNo: string;

  it('pays a self-pay registration as a CASH_ONLY WeChat order, without any insurance field, and completes it', async () => {
    const centreBefore = (await centreOrders()).length;
    const p = await zhao();
    registrationNo = await selfPayOrder(p, { kind: 'registration', slotId: await firstSlot(p) });
    const { payment } = await p.pay(registrationNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    const done = await p.waitForState(registrationNo, ['completed']);
    expect(done.payments).toEqual([expect.objectContaining({ kind: 'self_pay', amountFen: done.amounts.totalFen })]);
    const w = await wechatOrder(registrationNo);
    expect(w).toMatchObject({ mix_pay_type: 'CASH_ONLY', mix_pay_status: 'MIX_PAY_SUCCESS', wechat_pay_cash_fee: done.amounts.totalFen });
    expect(INSURANCE_FIELDS.filter((f) => w[f] !== undefined)).toEqual([]);
    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger/${registrationNo}`);
    expect(ledger.settlements).toEqual([expect.objectContaining({ fundFen: 0, acctFen: 0, cashFen: done.amounts.totalFen, payOrdId: '' })]);
    expect(await centreOrders()).toHaveLength(centreBefore);
  });

  it('pays a self-pay outpatient bill without any e-voucher authorization, the centre never asked', async () => {
    const centreBefore = (await centreOrders()).length;
    const p = await zhao();
    const { bills } = await p.api.ok(patientApi.bills);
    expect(bills.length).toBeGreaterThan(0);
    const orderNo = await selfPayOrder(p, { kind: 'outpatient', billNos: [bills[0].billNo] });
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    const done = await p.waitForState(orderNo, ['completed']);
    expect(done.amounts).toEqual({ totalFen: bills[0].totalFen, fundFen: 0, acctFen: 0, cashFen: bills[0].totalFen });
    expect((await wechatOrder(orderNo)).mix_pay_type).toBe('CASH_ONLY');
    expect(await centreOrders()).toHaveLength(centreBefore);
  });

  it('refunds a self-pay registration in cash only, with no 医保退款通知 and nothing at the centre', async () => {
    const centreBefore = (await centreOrders()).length;
    const r = await his.ok(hisApi.createRefund, { body: { orderNo: registrationNo, refundNo: 'RF-ZHAO-1', all: true, reason: '退号' } });
    expect(r.refund.amounts).toMatchObject({ fundFen: 0, acctFen: 0 });
    const p = await new WechatPatient(stack, 'zhao').login();
    const o = await p.waitForState(registrationNo, ['refunded']);
    expect(o.refunds).toEqual([expect.objectContaining({ state: 'succeeded' })]);
    const { refunds, insuranceRefundNotices } = await getJson(`${stack.urls.wechat}/sandbox/refunds`);
    expect((refunds as { out_trade_no?: string; outTradeNo?: string }[]).filter((x) => (x.out_trade_no ?? x.outTradeNo) === registrationNo)).toHaveLength(1);
    expect(JSON.stringify(insuranceRefundNotices)).not.toContain(registrationNo);
    expect(await centreOrders()).toHaveLength(centreBefore);
  });

  it('still asks an insured patient paying with insurance for the e-voucher authorization', async () => {
    const p = await (await new WechatPatient(stack, 'zhang').login()).onboard();
    const orderNo = await p.createOutpatientOrder();
    const r = await p.api.call(patientApi.payOrder, { params: { orderNo }, body: {} });
    expect(r.status).toBe(409);
  });

  it('reconciles the self-pay payments and refund against the WeChat bill, with nothing compared at the centre', async () => {
    const deps = wire(loadConfig({ MIP_CONFIG: stack.bffConfigFile } as NodeJS.ProcessEnv));
    try {
      const r = await runReconciliation(deps, chinaDay(new Date()), { boundaryMs: 0 });
      expect(r.differences).toEqual([]);
      expect(r.summary).toMatchObject({ payments: 2, refunds: 1, matched: 3, mismatchTotal: 0 });
    } finally {
      deps.redis.disconnect();
    }
  });
});

describe('self-pay (自费) on Alipay', () => {
  /** 赵丽华 in the Alipay mini-program: identity checked (not insured), nothing authorized */
  async function zhaoOnAlipay(): Promise<AlipayPatient> {
    const p = await new AlipayPatient(stack, 'zhao').login();
    await p.api.ok(patientApi.insuranceStatus, { body: { regionCode: '440100', idNo: p.person.idNo, name: p.person.name } });
    return p;
  }

  async function payInAlipay(p: AlipayPatient, body: Parameters<typeof selfPayOrder>[1]): Promise<string> {
    const { order } = await p.api.ok(patientApi.createOrder, { body: { ...body, payMode: 'self' }, headers: { 'idempotency-key': `k-ali-${Date.now()}-${Math.random().toString(36).slice(2)}` } });
    const { payment } = await p.api.ok(patientApi.payOrder, { params: { orderNo: order.orderNo }, body: {} });
    // a plain trade: no medical pay page, the mini-program's my.tradePay (channels/alipay/plain.ts)
    expect(payment).toEqual({ channel: 'alipay', tradeNo: expect.any(String) });
    await p.confirmInAlipay((payment as { tradeNo: string }).tradeNo);
    await p.waitForState(order.orderNo, ['completed']);
    return order.orderNo;
  }

  it('pays a self-pay registration and an outpatient bill as plain Alipay trades, the centre never asked, and refunds one', async () => {
    const centreBefore = (await centreOrders()).length;
    const p = await zhaoOnAlipay();
    const reg = await payInAlipay(p, { kind: 'registration', slotId: await firstSlot(p) });
    await postJson(`${stack.urls.his}/sandbox/bills`, { personKey: 'zhao', template: 7 });
    const { bills } = await p.api.ok(patientApi.bills);
    const out = await payInAlipay(p, { kind: 'outpatient', billNos: [bills[0].billNo] });
    for (const no of [reg, out]) {
      const t = await getJson(`${stack.urls.alipay}/sandbox/orders/${no}`);
      expect(t).toMatchObject({ trade_status: 'TRADE_SUCCESS' });
      expect(t.pay_order_id ?? '').toBe('');
    }
    await his.ok(hisApi.createRefund, { body: { orderNo: out, refundNo: 'RF-ZHAO-ALI', all: true, reason: '退费' } });
    const refunded = await p.waitForState(out, ['refunded']);
    // alipay.trade.refund on the plain trade, the whole amount (wechat-alipay-channels.md §2.5)
    expect((await getJson(`${stack.urls.alipay}/sandbox/orders/${out}`)).refund_amount).toBe((refunded.amounts.totalFen / 100).toFixed(2));
    expect(refunded.refunds).toEqual([expect.objectContaining({ state: 'succeeded', amounts: expect.objectContaining({ fundFen: 0, acctFen: 0 }) })]);
    expect(await centreOrders()).toHaveLength(centreBefore);
  });
});
