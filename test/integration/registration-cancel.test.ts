/**
 * Issue 12 items 6–8 through real HTTP (BFF processes, redis-server, sandbox HIS, centre and
 * WeChat Pay): one registration per patient per doctor session, 退号 with its refund (HIS cancels
 * first, then 6203 + the cash refund + the 医保退款通知), and a refund started by staff — with
 * the money checked against the HIS ledger, the centre and WeChat Pay.
 */
import { patientApi as api, type OrderView } from '@mip/shared';
import type { Order } from '../../bff/src/domain/order';
import type { Deps } from '../../bff/src/flows/deps';
import { staffApi } from '../../bff/src/staff/contract';
import { checkMoney } from '../support/fault-money';
import { WechatPatient } from '../support/patient';
import { getJson, postJson, testStack, type TestStack } from '../support/stack';
import { signedIn, stackDeps, startStaffApp, type StaffTestApp } from '../support/staff';

let stack: TestStack;
let app: StaffTestApp;
let deps: Deps;
const mine = new Set<string>();

beforeAll(async () => {
  stack = await testStack({ sandboxConfig: { his: { oneRegistrationPerSession: true } } });
  app = await startStaffApp(stackDeps(stack.bffConfigFile));
  deps = app.deps;
}, 120_000);
afterAll(async () => {
  await app?.close();
  app?.deps.redis.disconnect();
  await stack?.cleanup();
});

async function patient(key: string) {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  await p.authorize();
  return p;
}

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A slot of a session that starts on a later day than today (China time), so it can still be cancelled. */
async function laterSlot(p: WechatPatient, deptIndex: number): Promise<string> {
  const { departments } = await p.api.ok(api.departments);
  const { doctors } = await p.api.ok(api.doctors, { params: { deptCode: departments[deptIndex].code } });
  for (const d of doctors.filter((x) => x.available)) {
    const { slots } = await p.api.ok(api.slots, { params: { doctorCode: d.code } });
    const s = slots.find((x) => x.remaining > 0 && x.date > chinaToday());
    if (s) return s.slotId;
  }
  throw new Error('no later slot');
}

const book = (p: WechatPatient, slotId: string) =>
  p.api.call(api.createOrder, { body: { kind: 'registration', slotId }, headers: { 'idempotency-key': `k-${Date.now()}-${Math.random().toString(36).slice(2)}` } });

async function paidRegistration(p: WechatPatient, slotId: string): Promise<string> {
  const r = await book(p, slotId);
  if (r.status !== 200) throw new Error(`booking refused: ${r.status} ${JSON.stringify(r.body)}`);
  const orderNo = (r.body.order as OrderView).orderNo;
  mine.add(orderNo);
  const { payment } = await p.pay(orderNo);
  await p.confirmInWechat(payment as Record<string, unknown>);
  await p.waitForState(orderNo, ['completed'], 60_000);
  return orderNo;
}

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const cancel = (p: WechatPatient, orderNo: string) => p.api.call(api.cancelRegistration, { params: { orderNo } });
const stored = async (orderNo: string) => (await deps.orders.get(orderNo))!;

async function expectMoneyMatches(): Promise<void> {
  const orders = new Map<string, Order>();
  for (const no of mine) orders.set(no, await stored(no));
  const r = await checkMoney(stack, orders, mine);
  expect(r.problems).toEqual([]);
}

describe('one registration per patient per doctor session', () => {
  it('a second booking in a session already paid for is refused in plain words with a link to the paid order', async () => {
    const p = await patient('zhang');
    const slotId = await laterSlot(p, 0);
    const first = await paidRegistration(p, slotId);
    const again = await book(p, slotId);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('ALREADY_REGISTERED');
    expect(again.body.error?.message).toContain('您已预约该医生本时段');
    expect(again.body.error?.message).not.toMatch(/[A-Za-z]{2,}|\d{3}/);
    expect((again.body.error as { details?: unknown }).details).toEqual({ orderNo: first });
  }, 120_000);

  it('a second booking while the first is still unpaid is refused too', async () => {
    const p = await patient('liu');
    const slotId = await laterSlot(p, 1);
    const first = await book(p, slotId);
    expect(first.status).toBe(200);
    mine.add(first.body.order.orderNo);
    const again = await book(p, slotId);
    expect(again.body.error?.code).toBe('ALREADY_REGISTERED');
    expect((again.body.error as { details?: unknown }).details).toEqual({ orderNo: first.body.order.orderNo });
    await p.api.ok(api.cancelOrder, { params: { orderNo: first.body.order.orderNo } });
  }, 120_000);
});

describe('退号', () => {
  let p: WechatPatient;
  let orderNo: string;

  beforeAll(async () => {
    p = await patient('wang');
    orderNo = await paidRegistration(p, await laterSlot(p, 0));
  }, 120_000);

  it('a paid registration before its session offers 退号 until the session starts', async () => {
    const o = await p.order(orderNo);
    expect(o.canCancelRegistration).toBe(true);
    expect(Date.parse(o.cancelBefore!)).toBeGreaterThan(Date.now());
  });

  it('a double tap cancels in HIS once and returns the money once: 6203, the cash refund and the notice', async () => {
    const [a, b] = await Promise.all([cancel(p, orderNo), cancel(p, orderNo)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const done = await waitFor('refund', () => p.order(orderNo), (o) => o.state === 'refunded');
    expect(done.refunds).toHaveLength(1);
    expect(done.refunds[0]).toMatchObject({ state: 'succeeded', stateLabel: '已完成', amounts: done.amounts });
    expect(done.canCancelRegistration).toBe(false);

    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);
    expect(ledger.refunds).toHaveLength(1);
    expect(ledger.refunds[0]).toMatchObject({ totalFen: done.amounts.totalFen, fundFen: done.amounts.fundFen, acctFen: done.amounts.acctFen, cashFen: done.amounts.cashFen });
    const o = await waitFor('notice', () => stored(orderNo), (x) => x.refunds[0]?.notice?.state === 'sent');
    expect(o.refunds[0].insurance?.route).toBe('6203');
    expect(o.refunds[0].cash?.outcome).toBe('succeeded');
    await expectMoneyMatches();
  }, 120_000);

  it('the place goes back to the session, so the patient can book it again', async () => {
    const o = await stored(orderNo);
    const again = await book(p, o.detail.slotId!);
    expect(again.status).toBe(200);
    mine.add(again.body.order.orderNo);
    await p.api.ok(api.cancelOrder, { params: { orderNo: again.body.order.orderNo } });
  }, 60_000);

  it('when HIS cancels but its answer is lost, the patient is told it is being confirmed and the money still goes back', async () => {
    const q = await patient('liu');
    const no = await paidRegistration(q, await laterSlot(q, 0));
    await stack.faults('his').add({ op: 'cancelRegistration', kind: 'drop', after: 'act', times: 1 });
    const r = await cancel(q, no);
    expect(r.status).toBe(503);
    expect(r.body.error?.code).toBe('CANCEL_UNCONFIRMED');
    expect(r.body.error?.message).toContain('钱还没有退回');
    const done = await waitFor('refund after the lost answer', () => q.order(no), (o) => o.state === 'refunded', 60_000);
    expect(done.refunds).toEqual([expect.objectContaining({ state: 'succeeded', amounts: done.amounts })]);
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${no}`)).refunds).toHaveLength(1);
    await expectMoneyMatches();
  }, 120_000);

  it('after the hospital cut-off 退号 is refused in plain words and no money moves', async () => {
    const q = await patient('chen');
    const no = await paidRegistration(q, await laterSlot(q, 1));
    await postJson(`${stack.urls.his}/sandbox/config`, { cancelCutoffMinutes: 60 * 24 * 30 });
    try {
      const r = await cancel(q, no);
      expect(r.status).toBe(409);
      expect(r.body.error?.code).toBe('CANCEL_TOO_LATE');
      expect(r.body.error?.message).toContain('钱没有变动');
      expect(r.body.error?.message).not.toMatch(/[A-Za-z]{2,}/);
      const o = await q.order(no);
      expect(o.state).toBe('completed');
      expect(o.refunds).toEqual([]);
      expect((await getJson(`${stack.urls.his}/sandbox/ledger/${no}`)).refunds).toEqual([]);
    } finally {
      await postJson(`${stack.urls.his}/sandbox/config`, { cancelCutoffMinutes: 0 });
    }
  }, 120_000);
});

describe('a refund started by staff', () => {
  let orderNo: string;

  beforeAll(async () => {
    const p = await patient('huang');
    orderNo = await p.payOutpatient();
    mine.add(orderNo);
    await p.waitForState(orderNo, ['completed'], 60_000);
  }, 120_000);

  const ask = (c: Awaited<ReturnType<typeof signedIn>>, body: Record<string, unknown>) => c.call(staffApi.createRefund, { params: { orderNo }, body });

  it('a staff member without a refund role is refused with a stable code and nothing changes', async () => {
    const it = await signedIn(app, ['it']);
    const r = await ask(it, { refundNo: 'STAFFIT001', all: true, reason: '患者要求退费', confirmed: true });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('REFUND_ROLE_REQUIRED');
    expect((await stored(orderNo)).refunds).toEqual([]);
  });

  it('a refund without the second confirmation is refused', async () => {
    const finance = await signedIn(app, ['finance']);
    const r = await ask(finance, { refundNo: 'STAFFNC001', all: true, reason: '患者要求退费' });
    expect(r.status).toBe(400);
    expect((await stored(orderNo)).refunds).toEqual([]);
  });

  it('a partial refund beyond what is left is refused', async () => {
    const finance = await signedIn(app, ['finance']);
    const o = await stored(orderNo);
    const r = await ask(finance, { refundNo: 'STAFFBIG01', amounts: { fundFen: 0, acctFen: 0, cashFen: o.amounts.cashFen + 1 }, reason: '多收费用退回', confirmed: true });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('REFUND_EXCEEDS_PAYMENT');
  });

  it('finance refunds part of the self-pay with a reason; the audit line says who, when, why and how much, and the money matches everywhere', async () => {
    const finance = await signedIn(app, ['finance']);
    const before = await stored(orderNo);
    // a part of the self-pay, or of the personal account where the account paid everything
    const cash = Math.min(100, before.amounts.cashFen);
    const amounts = { fundFen: 0, acctFen: cash > 0 ? 0 : Math.min(100, before.amounts.acctFen), cashFen: cash };
    const part = amounts.acctFen + amounts.cashFen;
    expect(part).toBeGreaterThan(0);
    const r = await ask(finance, { refundNo: 'STAFFPT001', amounts, reason: '检查项目未做，退回费用', confirmed: true });
    expect([r.status, r.body.error]).toEqual([200, undefined]);
    const line = r.body.order.timeline.find((t: { event: string }) => t.event === '退款 STAFFPT001 已申请');
    expect(line).toMatchObject({ by: 'staff' });
    expect(line.reason).toContain('检查项目未做，退回费用');
    expect(line.reason).toMatch(/发起人 \S+/);
    expect(line.reason).toContain(`退款 ¥${(part / 100).toFixed(2)}`);
    expect(Date.parse(line.at)).toBeGreaterThan(Date.parse(before.updatedAt) - 1);
    const after = await waitFor('staff refund', () => stored(orderNo), (o) => o.state === 'partially_refunded' || o.state === 'refunded');
    expect(after.refunds[0]).toMatchObject({ requestedBy: 'staff', state: 'succeeded', amounts });
    await expectMoneyMatches();
  }, 120_000);
});
