/**
 * Issue 14 through real HTTP: the patient's status request waits server-side for the order's state
 * to change instead of being polled, and never asks the centre itself; a late 6302 is confirmed
 * by the background 6301 poll. The sandbox centre's own record of the transactions it received
 * is the witness of what the BFF asked.
 */
import { patientApi as api, type OrderState } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;

beforeAll(async () => {
  stack = await testStack();
}, 120_000);
afterAll(() => stack?.cleanup());
beforeEach(async () => {
  for (const p of ['national', 'wechat'] as const) await stack.faults(p).clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
});

async function patient(key: string) {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  await p.authorize();
  return p;
}

/** the status request with a server-side wait: answers once the state is no longer `from`, or at the deadline */
function waitingRequest(p: WechatPatient, orderNo: string, from: OrderState, seconds: number) {
  return p.api.ok(api.getOrder, { params: { orderNo }, query: { waitFor: from, timeout: String(seconds) } });
}

async function payOrdIdOf(orderNo: string): Promise<string> {
  return (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.payOrdId as string;
}

/** what the centre received for the order: 6201 names our order number, the later ones its payOrdId */
async function centreCalls(orderNo: string, payOrdId: string): Promise<string[]> {
  const r = await getJson(`${stack.urls.national}/sandbox/calls?key=${orderNo}&key=${payOrdId}`);
  return (r.calls as { infno: string }[]).map((c) => c.infno);
}

describe('the status request waits for the order instead of being polled', () => {
  it('returns a waiting status request when the 6302 notification settles the order', async () => {
    const p = await patient('zhang');
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = await payOrdIdOf(orderNo);
    // the centre keeps the 6302 for replay and cannot be asked: only the notification can settle it
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId });
    await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999', message: '系统繁忙' });
    await p.confirmInWechat(payment as Record<string, unknown>);
    const before = await p.order(orderNo);
    expect(before.state).toBe('awaiting_payment');
    const envelope = (await getJson(`${stack.urls.national}/sandbox/orders/${payOrdId}`)).lastNotification as Record<string, unknown>;

    const started = Date.now();
    const waiting = waitingRequest(p, orderNo, before.state, 25);
    expect((await postJson(`${stack.urls.bff}/notify/national/settlement`, envelope)).status).toBe(200);
    const { order } = await waiting;
    expect(['paid', 'completed']).toContain(order.state);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('returns the unchanged order at the deadline of a waiting status request', async () => {
    const p = await patient('huang');
    const orderNo = await p.createOutpatientOrder();
    await p.pay(orderNo); // the patient never confirms in WeChat
    const started = Date.now();
    const { order } = await waitingRequest(p, orderNo, 'awaiting_payment', 1);
    expect(order.state).toBe('awaiting_payment');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('sends no 6301 to the centre for status requests while the notification is still expected', async () => {
    const p = await patient('chen');
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = await payOrdIdOf(orderNo);
    // the 6302 comes 1.5 s late and WeChat's word comes only through its own poll (30 s on)
    await stack.faults('national').add({ op: 'notify', kind: 'delay', ms: 1500, key: payOrdId });
    await stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
    await p.confirmInWechat(payment as Record<string, unknown>);
    for (let i = 0; i < 5; i++) expect((await p.order(orderNo)).state).toBe('awaiting_payment');
    // the delayed 6302 arrives and the order goes on without any 6301
    const { order } = await waitingRequest(p, orderNo, 'awaiting_payment', 25);
    expect(['paid', 'completed']).toContain(order.state);
    expect(await centreCalls(orderNo, payOrdId)).toEqual(['6201', '6202']);
  });

  it('confirms a lost 6302 notification with 6301 from the background poll', async () => {
    const p = await patient('zhou');
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    const payOrdId = await payOrdIdOf(orderNo);
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId });
    await p.confirmInWechat(payment as Record<string, unknown>);
    let order = (await waitingRequest(p, orderNo, 'awaiting_payment', 25)).order;
    if (order.state === 'paid') order = (await waitingRequest(p, orderNo, 'paid', 25)).order;
    expect(order.state).toBe('completed');
    expect(await centreCalls(orderNo, payOrdId)).toContain('6301');
  });
});
