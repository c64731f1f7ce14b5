/**
 * An order whose self-pay part the channel took while the centre's word never came (its 6302 lost,
 * every 6301 refused) — the order the 1,000-flow fault suite once left open for good — goes to a
 * person when the settlement poll the cash started runs out. Finance staff then ask the centre and
 * the channel again from the console (POST /staff/api/orders/:orderNo/recheck) and see what each
 * says. Real BFF processes, redis-server, sandbox HIS, centre and WeChat Pay.
 */
import type { StaffOrderDetail } from '../../bff/src/staff/contract';
import { staffApi } from '../../bff/src/staff/contract';
import type { AppDeps as Deps } from '../../bff/src/app/deps';
import { WechatPatient } from '../support/patient';
import { getJson, testStack, type TestStack } from '../support/stack';
import { signedIn, stackDeps, startStaffApp, type StaffTestApp } from '../support/staff';

let stack: TestStack;
let app: StaffTestApp;
let deps: Deps;
let orderNo = '';

beforeAll(async () => {
  stack = await testStack();
  app = await startStaffApp(stackDeps(stack.bffConfigFile));
  deps = app.deps;
}, 120_000);
afterAll(async () => {
  await app?.close();
  app?.deps.redis.disconnect();
  await stack?.cleanup();
});

it('gives an order whose cash was taken to a person when the centre never confirms its settlement', async () => {
  await stack.faults('national').add({ op: 'notify', kind: 'drop', times: -1 });
  await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999' });
  const p = await (await new WechatPatient(stack, 'zhang').login()).onboard();
  await p.authorize();
  orderNo = await p.createOutpatientOrder();
  const { payment } = await p.pay(orderNo);
  await p.confirmInWechat(payment as Record<string, unknown>);
  await p.waitForState(orderNo, ['manual_review'], 60_000);
  const o = (await deps.orders.get(orderNo))!;
  expect(o.review?.reason).toMatch(/^(自费部分已收款|支付渠道已确认支付)，医保结算结果查询 \d+ 次仍未确定$/);
  expect(o.evidence.cashPaid).toBeDefined();
  expect(o.evidence.insuranceSettled).toBeUndefined();
  // what the person will find: the centre did settle it, the BFF just never heard
  const centre = await getJson(`${stack.urls.national}/sandbox/orders/${o.national!.payOrdId}`);
  expect((centre.order as { ordStas: string }).ordStas).toBe('6');
});

it('lets finance staff ask the centre and the channel again, and records who asked and what each said', async () => {
  await stack.faults('national').clear();
  const finance = await signedIn(app, ['finance']);
  const r = await finance.call(staffApi.recheckOrder, { params: { orderNo }, body: {} });
  expect(r.status).toBe(200);
  expect(r.body.answers.centre).toMatch(/^ordStas 6 结算完成，统筹 ¥[\d.]+，个账 ¥[\d.]+，自费 ¥[\d.]+$/);
  expect(r.body.answers.channel).toMatch(/^已支付/);
  const order = r.body.order as StaffOrderDetail;
  // a person holds the case: the answers are shown and recorded, the state is theirs to set
  expect(order.state).toBe('manual_review');
  expect(order.timeline.at(-1)).toMatchObject({ event: expect.stringContaining('工作人员重新查询'), by: 'staff', reason: `医保中心：${r.body.answers.centre}；支付渠道：${r.body.answers.channel}` });
  expect(order.calls.slice(-2).map((c) => c.op).sort()).toEqual(['6301', 'queryPayment']);
});

it('refuses the recheck to IT staff, who may read orders but not resolve them, and asks nobody', async () => {
  const it = await signedIn(app, ['it']);
  const before = (await deps.orders.calls(orderNo)).length;
  const r = await it.call(staffApi.recheckOrder, { params: { orderNo }, body: {} });
  expect(r.status).toBe(403);
  expect((await deps.orders.calls(orderNo)).length).toBe(before);
});

it('answers 404 for an order that does not exist', async () => {
  const finance = await signedIn(app, ['finance']);
  const r = await finance.call(staffApi.recheckOrder, { params: { orderNo: 'O2611241000000NONE98' }, body: {} });
  expect(r.status).toBe(404);
  expect(r.body.error.code).toBe('ORDER_NOT_FOUND');
});
