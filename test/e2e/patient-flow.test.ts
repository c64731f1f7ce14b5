/**
 * Issue 5, the happy paths in a real browser: the client's H5 build served by the REAL BFF (its
 * own process), a real redis-server and the sandbox HIS, centre and WeChat processes; headless
 * Debian Chromium clicks through it as a patient would. Screenshots of every step go to
 * test-artifacts/e2e/<test>/.
 *
 * Needs client/dist/h5 (npm test builds it; alone: npm run build:h5 -w @mip/client) and
 * /usr/bin/chromium; without either every test here FAILS with the reason.
 */
import { patientApi as api, type OrderView } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { type Preview } from '../support/browser';
import { WechatPatient } from '../support/patient';
import { authorizeVoucher, idsStartingWith, orderNoInUrl, resultSettles, shownBlockAmounts, shownPayAmounts, step, verifyIdentity } from '../support/preview-steps';
import { getJson } from '../support/stack';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const e2e = previewSuite();
const { previews } = e2e;

function preview(patient: string, suite: string): Promise<Preview> {
  return previews.open(patient, suite);
}

/** The same patient over the BFF API (same openid → same owner), to read what the BFF holds. */
async function asApi(key: string): Promise<WechatPatient> {
  return new WechatPatient(e2e.stack, key).login();
}

/** A registration with `doctorCode`'s first free slot, paid in WeChat over the API (uses up the authorization). */
async function payRegistrationOverApi(patient: WechatPatient, doctorCode: string): Promise<string> {
  const { slots } = await patient.api.ok(api.slots, { params: { doctorCode } });
  const { order } = await patient.api.ok(api.createOrder, {
    body: { kind: 'registration', slotId: slots.find((s) => s.remaining > 0)!.slotId },
    headers: { 'idempotency-key': `e2e-${patient.key}-${Date.now()}` },
  });
  const { payment } = await patient.pay(order.orderNo);
  await patient.confirmInWechat(payment as Record<string, unknown>);
  return order.orderNo;
}

function addsUp(a: OrderView['amounts']): void {
  expect(a.fundFen + a.acctFen + a.cashFen).toBe(a.totalFen);
}

test('a patient verifies insurance, authorizes the e-voucher, books a registration and pays it in the browser', async () => {
  const person = personByKey('zhang')!;
  const p = await preview('zhang', 'registration');

  await verifyIdentity(p, person, '440100');
  await authorizeVoucher(p);

  await step(p, 'departments', async () => {
    await p.onPage('home');
    await p.tap('#go-registration');
    await p.onPage('departments');
  });
  await step(p, 'doctors', async () => {
    const [dept] = await idsStartingWith(p, 'dept-', { choosable: true });
    await p.tap(`#${dept}`);
    await p.onPage('doctors');
  });
  await step(p, 'slots', async () => {
    const [doctor] = await idsStartingWith(p, 'doctor-', { choosable: true });
    await p.tap(`#${doctor}`);
    await p.onPage('slots');
  });
  const fee = await step(p, 'reg-confirm', async () => {
    const [slot] = await idsStartingWith(p, 'slot-', { choosable: true });
    await p.tap(`#${slot}`);
    await p.onPage('reg-confirm');
    return p.text('#reg-fee');
  });

  const shown = await step(p, 'pay-page', async () => {
    await p.tap('#confirm-registration');
    await p.onPage('pay');
    return shownPayAmounts(p);
  });
  const orderNo = orderNoInUrl(p);
  const patient = await asApi('zhang');
  const before = await patient.order(orderNo);
  // opening the page pre-settled with the centre: the page shows the centre's split (not HIS's
  // estimate), the parts add up to the total, and nothing was charged before the tap
  expect(before.state).toBe('awaiting_payment');
  expect(before.amountsFinal).toBe(true);
  expect(before.payments).toEqual([]);
  expect(await p.text('#pay-button')).toBe(`确认支付 ¥${(before.amounts.cashFen / 100).toFixed(2)}`);
  expect(shown).toEqual({ ...before.amounts, insuranceFen: before.amounts.fundFen + before.amounts.acctFen });
  addsUp(before.amounts);
  expect(shown.insuranceFen + shown.cashFen).toBe(shown.totalFen);
  expect(fee).toBe(await p.text('#amount-total'));
  expect(await p.text('#pay-title')).toBe(before.title);
  expect(await p.text('#payer-name')).toBe(before.patient.nameMasked);

  await step(p, 'pay-sheet', async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-ok').waitFor();
  });
  await step(p, 'result-paid', async () => {
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });

  expect(await p.text('#result-heading')).toBe('支付成功');
  expect(await p.text('#result-text')).toContain('挂号成功');
  const after = await patient.order(orderNo);
  expect(after.state).toBe('completed');
  expect(after.amountsFinal).toBe(true);
  expect(after.paidAt).toBeDefined();
  addsUp(after.amounts);
  // the result page shows the centre's final split, not HIS's estimate
  expect(await shownBlockAmounts(p, '#result-amounts')).toEqual({ ...after.amounts, insuranceFen: after.amounts.fundFen + after.amounts.acctFen });
  // the subscription was asked inside the pay tap, before the payment
  const sim = (await p.page.evaluate('window.__mipPreview')) as { subscribeRequests: string[][]; payCalls: unknown[] };
  expect(sim.subscribeRequests.length).toBeGreaterThanOrEqual(1);
  expect(sim.payCalls).toEqual([expect.objectContaining({ outcome: 'ok' })]);
  // HIS recorded the settlement exactly once
  const ledger = await getJson(`${e2e.stack.urls.his}/sandbox/ledger/${orderNo}`);
  expect(ledger.settlements).toHaveLength(1);
});

test('an insured, authorized patient pays an outpatient bill: bills, bill detail, pay, paid', async () => {
  const patient = await asApi('huang');
  await patient.onboard('440100');
  await patient.authorize();
  const p = await preview('huang', 'outpatient');

  await step(p, 'home', async () => {
    await p.onPage('home');
    await p.$('#go-auth').waitFor({ state: 'detached' }); // both steps done: no step button
  });
  const billNo = await step(p, 'bills', async () => {
    await p.tap('#go-outpatient');
    await p.onPage('bills');
    const [id] = await idsStartingWith(p, 'bill-');
    return id.slice('bill-'.length);
  });
  const { bill } = await patient.api.ok(api.bill, { params: { billNo } });
  await step(p, 'bill-detail', async () => {
    await p.tap(`#bill-${billNo}`);
    await p.onPage('bill');
    await p.$('#bill-items').waitFor();
  });
  expect(await p.text('#bill-total')).toBe(`¥${(bill.totalFen / 100).toFixed(2)}`);
  for (const item of bill.items) expect(await p.text('#bill-items')).toContain(item.name);

  const shown = await step(p, 'pay-page', async () => {
    await p.tap('#bill-pay');
    await p.onPage('pay');
    return shownPayAmounts(p);
  });
  const orderNo = orderNoInUrl(p);
  const before = await patient.order(orderNo);
  expect(before.kind).toBe('outpatient');
  expect(shown).toEqual({ ...before.amounts, insuranceFen: before.amounts.fundFen + before.amounts.acctFen });
  expect(shown.totalFen).toBe(bill.totalFen);
  addsUp(before.amounts);

  await step(p, 'pay-sheet', async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-ok').waitFor();
  });
  await step(p, 'result-paid', async () => {
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });
  expect(await p.text('#result-text')).toContain('门诊费用已缴清');
  const after = await patient.order(orderNo);
  expect(after.state).toBe('completed');
  addsUp(after.amounts);
  // the bill is no longer unpaid
  const { bills } = await patient.api.ok(api.bills);
  expect(bills.map((b) => b.billNo)).not.toContain(billNo);
});

test('a second payment asks for a fresh e-voucher authorization, then comes back to the same order and pays it', async () => {
  const patient = await asApi('liu');
  await patient.onboard();
  await patient.authorize();
  const first = await payRegistrationOverApi(patient, 'D1003');
  await patient.waitForState(first, ['completed'], 60_000);

  const p = await preview('liu', 'second-payment');
  await step(p, 'pay-page', async () => {
    await p.onPage('home');
    await p.$('#go-auth').waitFor(); // the home page knows the authorization was used up
    await p.tap('#go-outpatient');
    await p.onPage('bills');
    const [bill] = await idsStartingWith(p, 'bill-');
    await p.tap(`#${bill}`);
    await p.onPage('bill');
    await p.tap('#bill-pay');
    await p.onPage('pay');
  });
  const orderNo = orderNoInUrl(p);
  await step(p, 'authorization-needed', async () => {
    await p.$('#pay-error').waitFor(); // the pre-settlement on opening needs a fresh authorization
  });
  expect(await p.page.locator('.taro_page_show #pay-button').count()).toBe(0);
  expect(await p.text('#pay-error')).toContain('请先完成医保电子凭证授权');
  // the authorization is offered on the pay page itself (issue 12 item 5) and the page stays on this order
  await step(p, 'auth-again', async () => {
    await p.tap('#pay-authorize');
    await p.sheet('sim-auth-ok');
  });
  await step(p, 'back-on-pay-page', async () => {
    await p.onPage('pay');
    await p.$('#pay-button').waitFor();
  });
  expect(orderNoInUrl(p)).toBe(orderNo);
  await step(p, 'result-paid', async () => {
    await p.tap('#pay-button');
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });
  expect((await patient.order(orderNo)).state).toBe('completed');
});

test("my orders lists the patient's paid orders with their amounts, and an order shows its payments", async () => {
  // two orders paid over the API (the browser tests above cover paying in the page)
  const patient = await asApi('chen');
  await patient.onboard('440100');
  const paidNos: string[] = [];
  paidNos.push(await patient.payOutpatient());
  await patient.authorize(); // every payment uses up the e-voucher authorization
  const regNo = await payRegistrationOverApi(patient, 'D1002');
  paidNos.push(regNo);
  const orders = await Promise.all(paidNos.map((no) => patient.waitForState(no, ['completed'], 60_000)));

  const p = await preview('chen', 'my-orders');
  await step(p, 'home', () => p.onPage('home'));
  await step(p, 'orders', async () => {
    await p.tap('#go-orders');
    await p.onPage('orders');
    for (const o of orders) await p.$(`#order-${o.orderNo}`).waitFor();
  });
  for (const o of orders) {
    const text = await p.text(`#order-${o.orderNo}`);
    expect(text).toContain(o.title);
    expect(text).toContain('支付成功');
    expect(text).toContain(`总额 ¥${(o.amounts.totalFen / 100).toFixed(2)}`);
    expect(text).toContain(`自付 ¥${(o.amounts.cashFen / 100).toFixed(2)}`);
  }
  // newest first
  const listed = (await idsStartingWith(p, 'order-')).map((id) => id.slice('order-'.length));
  expect(listed.indexOf(regNo)).toBeLessThan(listed.indexOf(paidNos[0]));

  const shownOrder = orders[1];
  await step(p, 'order-detail', async () => {
    await p.tap(`#order-${shownOrder.orderNo}`);
    await p.onPage('order');
    await p.$('#order-paid-at').waitFor();
  });
  expect(await p.$('#order-state').getAttribute('data-state')).toBe('completed');
  expect(await shownBlockAmounts(p, '#order-amounts')).toEqual({ ...shownOrder.amounts, insuranceFen: shownOrder.amounts.fundFen + shownOrder.amounts.acctFen });
  expect(await p.$('#order-no-refunds').isVisible()).toBe(true);
  // the individual payment records: the insurance part, and the self-pay part when there was one
  const view = await patient.order(shownOrder.orderNo);
  expect(view.payments.length).toBeGreaterThanOrEqual(1);
  for (const pay of view.payments) {
    const row = await p.text(`#payment-${pay.kind}`);
    expect(row).toContain(`¥${(pay.amountFen / 100).toFixed(2)}`);
  }
});

