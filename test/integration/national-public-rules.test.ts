/**
 * Items 1–9 of the public-rules file through real HTTP: the BFF process against the strict sandbox
 * centre (sandbox/national/rules.ts names each rule's source). The centre's answer shapes are
 * switched per test with its /sandbox/national-config dev route.
 */
import { patientApi } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { waitForValue } from '../support/wait';

let stack: TestStack;

beforeAll(async () => {
  // TSX: insuCode is the centre of the hospital's contract, configured apart from the patient's region
  stack = await testStack({ bffConfig: { national: { insuCode: '449900', acctUsedFlag: { byRegion: { '440300': '0' } } } } });
}, 120_000);
afterAll(() => stack?.cleanup());
beforeEach(async () => {
  for (const p of ['national', 'wechat', 'alipay', 'his'] as const) await stack.faults(p).clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
  await postJson(`${stack.urls.national}/sandbox/national-config`, {});
});

async function patient(key: string) {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  return p;
}

const centreOrder = async (orderNo: string) => (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)) as { order: Record<string, unknown>; lastNotification?: Record<string, unknown>; notificationsAcked: number };

describe('the BFF against the strict sandbox centre', () => {
  it('sends every 6203 with the original payAuthNo, which the strict centre requires', async () => {
    await postJson(`${stack.urls.his}/sandbox/config`, { supportsReversal: false });
    await stack.faults('his').add({ op: 'writeBack', kind: 'fail', code: '504', message: '处方已作废', times: -1 });
    const p = await patient('chen');
    const orderNo = await p.payOutpatient();
    const o = await p.waitForState(orderNo, ['reversed', 'manual_review'], 40_000);
    expect(o.state).toBe('reversed');
    const { order } = await centreOrder(orderNo);
    expect(order.refunds).toHaveLength(1);
  });

  it('does not take an unsigned {code≠0} answer to a 6203 as a final refusal', async () => {
    await postJson(`${stack.urls.his}/sandbox/config`, { supportsReversal: false });
    await stack.faults('his').add({ op: 'writeBack', kind: 'fail', code: '504', message: '处方已作废', times: -1 });
    // the first 6203 is answered {code:"9999", message} without encData: nothing proves it was refused
    await stack.faults('national').add({ op: '6203', kind: 'fail', code: '9999', message: '系统繁忙', times: 1 });
    const p = await patient('chen');
    const orderNo = await p.payOutpatient();
    const o = await p.waitForState(orderNo, ['reversed', 'manual_review'], 40_000);
    expect(o.state).toBe('reversed');
    expect((await centreOrder(orderNo)).order.refunds).toHaveLength(1);
  });

  it('sends the configured insuCode and the patient region as insuplcAdmdvs, with mdtrtId from HIS', async () => {
    const p = await patient('zhang');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await p.pay(orderNo);
    const { order } = await centreOrder(orderNo);
    expect([order.insuCode, order.regionCode]).toEqual(['449900', '440100']);
    expect(String(order.mdtrtId)).toMatch(/^MDT/);
  });

  it('acknowledges in the TSX form, and idempotently, a 6302 the centre sealed three hours ago', async () => {
    const p = await patient('zhang');
    const orderNo = await p.payOutpatient();
    const done = await p.waitForState(orderNo, ['completed']);
    const payOrdId = String((await centreOrder(orderNo)).order.payOrdId);
    await postJson(`${stack.urls.national}/sandbox/orders/${payOrdId}/notify?sealedAgoMs=${3 * 3600_000}`, {});
    const old = (await centreOrder(payOrdId)).lastNotification!;
    expect(Number(old.timestamp)).toBeLessThan(Date.now() - 2 * 3600_000);
    const r = await postJson(`${stack.urls.bff}/notify/national/settlement`, old);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, message: '成功' });
    const after = await p.order(orderNo);
    expect(after.state).toBe('completed');
    expect(after.paidAt).toBe(done.paidAt);
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(1);
  });

  it('settles on an HSA-form 6302 that carries ordStas as well', async () => {
    await postJson(`${stack.urls.national}/sandbox/national-config`, { notificationForm: 'hsa' });
    await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999', message: '系统繁忙' });
    const p = await patient('huang');
    const orderNo = await p.payOutpatient();
    const o = await p.waitForState(orderNo, ['completed']);
    expect(o.state).toBe('completed');
  });

  it('brings setl_id to the HIS write-back when 6301 answers setlinfo as a list', async () => {
    await postJson(`${stack.urls.national}/sandbox/national-config`, { setlinfoShape: 'list' });
    const p = await patient('zhang');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = String((await centreOrder(orderNo)).order.payOrdId);
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId }); // only 6301 tells
    await p.confirmInWechat(payment as Record<string, unknown>);
    await p.waitForState(orderNo, ['completed']);
    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);
    expect(ledger.settlements[0].setlId).toMatch(/^SETL/);
  });

  it('keeps a 6202 split with other-fund and hospital parts, never charging the hospital part to the patient', async () => {
    await postJson(`${stack.urls.national}/sandbox/national-config`, { extraAmounts: { otherFundBp: 2000, hospitalPartBp: 1000, familyAccountBp: 0 } });
    const p = await patient('wang'); // no personal-account balance: there is a self-pay part to split
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await p.api.call(patientApi.payOrder, { params: { orderNo }, body: {} });
    const o = await p.order(orderNo);
    const c = (await centreOrder(orderNo)).order as { split: { totalFen: number; cashFen: number }; extra: { othFeeFen: number; hospPartFen: number } };
    expect(o.amountsFinal).toBe(true);
    expect(c.extra.othFeeFen).toBeGreaterThan(0);
    expect(c.extra.hospPartFen).toBeGreaterThan(0);
    expect(o.amounts).toMatchObject({ otherFundFen: c.extra.othFeeFen, hospitalFen: c.extra.hospPartFen, cashFen: c.split.cashFen - c.extra.hospPartFen });
    expect(o.amounts.fundFen + o.amounts.acctFen + o.amounts.cashFen + o.amounts.otherFundFen! + o.amounts.hospitalFen!).toBe(o.amounts.totalFen);
  });

  it('uploads again under fresh keys, never the same medOrgOrd, after a 6201 the centre acted on but did not answer', async () => {
    const p = await patient('zhang');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await stack.faults('national').add({ op: '6201', kind: 'timeout', after: 'act', key: orderNo, times: 1 });
    const first = await p.api.call(patientApi.payOrder, { params: { orderNo }, body: {} });
    expect(first.status).toBeGreaterThanOrEqual(500);
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    const done = await p.waitForState(orderNo, ['completed', 'manual_review']);
    expect(done.state).toBe('completed');
    const orders = ((await getJson(`${stack.urls.national}/sandbox/orders`)).orders as { medOrgOrd: string; ordStas: string }[]).filter((o) => o.medOrgOrd.startsWith(orderNo));
    expect(orders.map((o) => [o.medOrgOrd, o.ordStas]).sort()).toEqual([[orderNo, '0'], [`${orderNo}R1`, '6']]);
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(1);
  }, 60_000);

  it('places a 6302 of an order uploaded again under fresh keys by its medOrgOrd, with no payOrdId index', async () => {
    const p = await patient('wang');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await stack.faults('national').add({ op: '6201', kind: 'timeout', after: 'act', key: orderNo, times: 1 });
    await p.api.call(patientApi.payOrder, { params: { orderNo }, body: {} });
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    await p.waitForState(orderNo, ['completed']);
    const settled = await centreOrder(`${orderNo}R1`);
    expect((settled.order as { ordStas: string }).ordStas).toBe('6');
    // the centre stops sending once we answer it; a 6302 we could not place is refused (404)
    await waitForValue('the 6302 to be acknowledged', async () => ((await centreOrder(`${orderNo}R1`)).notificationsAcked >= 1 ? true : undefined));
  }, 60_000);
});
