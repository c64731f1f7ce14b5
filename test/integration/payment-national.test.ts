/**
 * Issue 2 through real HTTP: the BFF process, the sandbox centre and WeChat processes, a real
 * redis-server. Settlement notifications, their forgeries and their copies; unknown outcomes
 * resolved by 6301 polling; a split that does not add up to what was ordered.
 */
import { patientApi as api } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;

beforeAll(async () => {
  // lost notifications are confirmed by the background polls, which start once the window has passed
  stack = await testStack({ bffConfig: { national: { notifyWindowMs: 2000 } } });
}, 120_000);
afterAll(() => stack?.cleanup());
beforeEach(async () => {
  for (const p of ['national', 'wechat', 'alipay'] as const) await stack.faults(p).clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {}); // fresh seed bills, no faults
});

async function patient(key: string) {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  return p;
}

/**
 * An order the patient confirmed in WeChat, whose 6302 the centre "lost" (kept for replay) and
 * whose 6301 queries fail for now, so only the replayed notification can settle it.
 */
async function paidWithLostNotification(p: WechatPatient) {
  await p.authorize();
  const orderNo = await p.createOutpatientOrder();
  const { order, payment } = await p.pay(orderNo);
  const payOrdId = (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.payOrdId as string;
  await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId });
  await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999', message: '系统繁忙' });
  await p.confirmInWechat(payment as Record<string, unknown>);
  const envelope = (await getJson(`${stack.urls.national}/sandbox/orders/${payOrdId}`)).lastNotification as Record<string, unknown>;
  return { orderNo, payOrdId, envelope, order };
}

describe('payment through the national centre', () => {
  it('completes an outpatient payment end to end and records it once in HIS', async () => {
    const p = await patient('zhang');
    const orderNo = await p.payOutpatient();
    const done = await p.waitForState(orderNo, ['completed']);
    expect(done.amountsFinal).toBe(true);
    expect(done.amounts.fundFen + done.amounts.acctFen + done.amounts.cashFen).toBe(done.amounts.totalFen);
    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);
    expect(ledger.settlements).toHaveLength(1);
  });

  it('turns 50 concurrent copies of one 6302 notification into one transition and one write-back', async () => {
    const p = await patient('huang');
    const { orderNo, envelope } = await paidWithLostNotification(p);
    const copies = await Promise.all(Array.from({ length: 50 }, () => postJson(`${stack.urls.bff}/notify/national/settlement`, envelope)));
    // acknowledged in the public TSX form: HTTP 200 {success: true, message}
    expect(copies.every((c) => c.status === 200 && c.body.success === true)).toBe(true);
    const order = await p.waitForState(orderNo, ['completed']);
    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);
    expect(ledger.settlements).toHaveLength(1);
    expect(order.state).toBe('completed');
  });

  // four tamperings, four orders: zhang and huang have two bills each
  it.each([
    ['encData', (e: Record<string, unknown>) => ({ ...e, encData: flip(String(e.encData)) })],
    ['signData', (e: Record<string, unknown>) => ({ ...e, signData: Buffer.from(Buffer.from(String(e.signData), 'base64').map((b, i) => (i === 5 ? b ^ 1 : b))).toString('base64') })],
    ['timestamp', (e: Record<string, unknown>) => ({ ...e, timestamp: String(Number(e.timestamp) + 1) })],
    ['appId', (e: Record<string, unknown>) => ({ ...e, appId: flip(String(e.appId)) })],
  ])('refuses a 6302 notification with a tampered %s and changes nothing', async (_field, tamper) => {
    const p = await patient(_field === 'encData' || _field === 'signData' ? 'zhang' : 'huang');
    const { orderNo, envelope } = await paidWithLostNotification(p);
    const before = await p.order(orderNo);
    const r = await postJson(`${stack.urls.bff}/notify/national/settlement`, tamper(envelope));
    expect(r.status).toBe(400);
    const after = await p.order(orderNo);
    expect(after.state).toBe(before.state);
    expect(after.state).not.toBe('completed');
  });

  it('confirms an unanswered 6202 through 6301 polling instead of guessing', async () => {
    const p = await patient('liu');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await stack.faults('national').add({ op: '6202', kind: 'timeout', after: 'act' });
    const r = await p.api.call(api.payOrder, { params: { orderNo }, body: {} });
    expect(r.status).toBe(504);
    expect(r.body.error?.code).toBe('PEER_TIMEOUT');
    // the centre did place the order: polling finds it and the patient can pay
    const o = await p.waitForState(orderNo, ['awaiting_payment']);
    expect(o.amountsFinal).toBe(true);
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    await p.waitForState(orderNo, ['completed']);
  });

  it('treats an unknown ordStas as awaiting confirmation, never as success', async () => {
    const p = await patient('chen');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.payOrdId as string;
    await stack.faults('national').add({ op: 'ordStas', kind: 'fail', code: '23', key: payOrdId, times: 3 });
    // a TSX-form 6302 has no ordStas: only the 6301 answers carry the unknown one
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId });
    await stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
    await p.confirmInWechat(payment as Record<string, unknown>);
    const seen = await p.waitForState(orderNo, ['awaiting_confirmation', 'completed']);
    expect(seen.state).toBe('awaiting_confirmation');
    // once the centre answers with a real status, polling completes it
    await p.waitForState(orderNo, ['completed'], 30_000);
  });

  it('sends a settlement whose split differs from the order to manual review', async () => {
    const p = await patient('zhou');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.payOrdId as string;
    await stack.faults('national').add({ op: 'amounts', kind: 'fail', key: payOrdId, times: -1 });
    await p.confirmInWechat(payment as Record<string, unknown>);
    const o = await p.waitForState(orderNo, ['manual_review', 'completed']);
    expect(o.state).toBe('manual_review');
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(0);
  });

  it('cancels an unpaid order with 6401 and frees it at the centre', async () => {
    const p = await patient('zhang');
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await p.pay(orderNo);
    const r = await p.api.ok(api.cancelOrder, { params: { orderNo } });
    expect(r.order.state).toBe('cancelled');
    expect((await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.ordStas).toBe('12');
  });
});

/** Changes one hex digit's value (not just its case, which the envelope accepts either way). */
function flip(hex: string): string {
  const c = ((parseInt(hex[3], 16) + 1) % 16).toString(16);
  return hex.slice(0, 3) + c + hex.slice(4);
}
