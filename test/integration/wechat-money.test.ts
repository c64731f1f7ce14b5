/**
 * Issue 11, the WeChat paths that stranded money, through the real BFF and the sandboxes over HTTP:
 * an all-self-pay pre-settlement (sent as CASH_ONLY before, the centre order never settled) and a
 * create that timed out after WeChat acted (every retry refused until expiry before). Each ends with
 * the patient charged once for a completed order.
 */
import { patientApi } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { Parties } from '../support/parties';

let stack: TestStack;
let parties: Parties;

beforeAll(async () => {
  // nothing is covered and the personal account pays nothing: every bill comes out all self-pay
  const allC = { '0011': 'C', '11': 'C', '25': 'C', X: 'C', Z: 'C', C: 'C' };
  stack = await testStack({
    sandboxConfig: { national: { policy: { accountPaysSelfPart: false, defaultCategory: 'C', prefixes: allC } } },
    bffConfig: { channels: { wechat: { timeoutMs: 1_500 } } },
  });
  parties = new Parties(stack);
}, 120_000);
afterAll(async () => {
  await parties?.close();
  await stack?.cleanup();
});

type SandboxOrder = Record<string, unknown> & { transaction?: { trade_state: string; amount: { total: number } } };

async function wechatOrders(orderNo: string): Promise<SandboxOrder[]> {
  const { orders } = await getJson(`${stack.urls.wechat}/sandbox/orders`);
  return (orders as SandboxOrder[]).filter((o) => o.out_trade_no === orderNo);
}

describe('WeChat money that used to be stranded', () => {
  it('pays an all-self-pay pre-settlement as a mixed order, so the centre settles it and the order completes', async () => {
    const p = await (await new WechatPatient(stack, 'zhang').login()).onboard();
    const orderNo = await p.payOutpatient();
    const done = await p.waitForState(orderNo, ['completed']);
    expect(done.amounts).toMatchObject({ fundFen: 0, acctFen: 0 });
    const [o] = await wechatOrders(orderNo);
    expect(o).toMatchObject({ mix_pay_type: 'CASH_AND_INSURANCE', med_ins_gov_fee: 0, mix_pay_status: 'MIX_PAY_SUCCESS' });
    expect(o.transaction).toMatchObject({ trade_state: 'SUCCESS', amount: { total: done.amounts.cashFen } });
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(1);
    // the centre settled it (ordStas 6) and every party agrees (test/support/fault-money.ts)
    expect(await parties.moneyProblems()).toEqual([]);
  });

  it('reuses the WeChat order a timed-out create made (ALREADY_EXISTS → query), and charges the patient once', async () => {
    const p = await (await new WechatPatient(stack, 'wang').login()).onboard();
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await stack.faults('wechat').add({ op: 'med-ins-create', kind: 'timeout', after: 'act', key: orderNo });
    // the first tap: WeChat made the order but the answer never came
    const first = await p.api.call(patientApi.payOrder, { params: { orderNo }, body: {} });
    expect(first.status).toBeGreaterThanOrEqual(500);
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    const done = await p.waitForState(orderNo, ['completed']);
    const orders = await wechatOrders(orderNo);
    expect(orders).toHaveLength(1);
    expect(orders[0].transaction).toMatchObject({ trade_state: 'SUCCESS', amount: { total: done.amounts.cashFen } });
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(1);
    expect(await parties.moneyProblems()).toEqual([]);
  });

  it('closes the WeChat orders of an order the patient cancels, so it can no longer be paid', async () => {
    const p = await (await new WechatPatient(stack, 'chen').login()).onboard();
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    await p.api.ok(patientApi.cancelOrder, { params: { orderNo } });
    expect((await p.order(orderNo)).state).toBe('cancelled');
    const [o] = await wechatOrders(orderNo);
    expect(o.transaction).toMatchObject({ trade_state: 'CLOSED' });
    const r = await p.confirmInWechat(payment as Record<string, unknown>);
    expect(JSON.stringify(r)).toContain('ORDERCLOSED');
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements ?? []).toHaveLength(0);
    expect(await parties.moneyProblems()).toEqual([]);
  });

  it('keeps an order whose patient is entering the password (MIX_PAY_USER_PAYING) open, not cancellable and not for a person', async () => {
    const p = await (await new WechatPatient(stack, 'zhou').login()).onboard();
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    await postJson(`${stack.urls.wechat}/sandbox/orders/${orderNo}/user-paying`, {});
    expect((await p.order(orderNo)).state).toBe('awaiting_payment');
    const cancel = await p.api.call(patientApi.cancelOrder, { params: { orderNo } });
    expect(cancel.status).toBe(409);
    expect((await p.order(orderNo)).state).toBe('awaiting_payment');
    await p.confirmInWechat(payment as Record<string, unknown>);
    await p.waitForState(orderNo, ['completed']);
  });
});
