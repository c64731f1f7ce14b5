/**
 * Issue 12 through real HTTP (BFF, redis-server, sandbox HIS and centre): what a patient's order
 * tells them — the deadline of an unpaid order, and the order that already holds a bill.
 */
import { patientApi as api } from '@mip/shared';
import { testStack, type TestStack } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;

beforeAll(async () => {
  stack = await testStack();
}, 120_000);
afterAll(() => stack?.cleanup());

async function patient(key: string) {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  return p;
}

it('an unpaid order says when it is released if not paid, and a paid one does not', async () => {
  const p = await patient('zhang');
  await p.authorize();
  const orderNo = await p.createOutpatientOrder();
  const unpaid = await p.order(orderNo);
  expect(unpaid.canPay).toBe(true);
  const left = Date.parse(unpaid.payBefore!) - Date.now();
  expect(left).toBeGreaterThan(0);
  expect(Date.parse(unpaid.payBefore!)).toBeGreaterThan(Date.parse(unpaid.createdAt));

  const { payment } = await p.pay(orderNo);
  await p.confirmInWechat(payment as Record<string, unknown>);
  const paid = await p.waitForState(orderNo, ['completed'], 60_000);
  expect(paid.payBefore).toBeUndefined();
});

it('a bill already held by another of my orders is answered with that order, not with the hospital system words', async () => {
  const p = await patient('huang');
  const billNo = await p.firstBillNo();
  const first = await p.createOutpatientOrder([billNo]);
  const again = await p.api.call(api.createOrder, { body: { kind: 'outpatient', billNos: [billNo] }, headers: { 'idempotency-key': `other-key-${Date.now()}` } });
  expect(again.status).toBe(409);
  expect(again.body.error?.code).toBe('BILL_IN_OTHER_ORDER');
  expect((again.body.error as { details?: unknown } | undefined)?.details).toEqual({ orderNo: first });
  expect(again.body.error?.message).toContain('没有重复扣款');
  expect(again.body.error?.message).not.toMatch(/[A-Za-z]{2,}|\d{3}/);
});
