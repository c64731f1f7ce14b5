/**
 * Issue 12 point 3 in a real browser: 赵丽华 (not insured) chooses 自费 on the not-insured page,
 * books a registration and pays an outpatient bill through WeChat alone — no insurance
 * verification, no e-voucher authorization, a pay page with 自费 ¥x and no insurance rows.
 * The H5 build is served by the real BFF with Redis and the sandbox peers (see patient-flow.test.ts).
 */
import { personByKey } from '../../sandbox/seed/persons';
import { fenOf, type Preview } from '../support/browser';
import { WechatPatient } from '../support/patient';
import { idsStartingWith, orderNoInUrl, resultSettles, step } from '../support/preview-steps';
import { getJson } from '../support/stack';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const e2e = previewSuite();
const { previews } = e2e;

/** Home → region → name + ID → "not insured" → 自费看病缴费 → home. */
async function chooseSelfPay(p: Preview): Promise<void> {
  const person = personByKey('zhao')!;
  await step(p, 'home', () => p.onPage('home'));
  await step(p, 'status-form', async () => {
    await p.tap('#start-verify');
    await p.onPage('region');
    await p.tap('#region-440100');
    await p.onPage('status');
    await p.fill('name-input', person.name);
    await p.fill('id-input', person.idNo);
  });
  await step(p, 'not-insured', async () => {
    await p.tap('#status-submit');
    await p.$('#not-insured-notice').waitFor();
  });
  await step(p, 'home-self-pay', async () => {
    await p.tap('#choose-self-pay');
    await p.onPage('home');
    await p.$('#home-self-pay').waitFor();
  });
}

/** On the pay page of a self-pay order: 自费 ¥x, no insurance rows; pays in the simulated sheet. */
async function paySelf(p: Preview, name: string): Promise<string> {
  const shown = await step(p, `${name}-pay-page`, async () => {
    await p.onPage('pay');
    await p.$('#pay-self-mark').waitFor();
    return p.text('#amount-self');
  });
  const orderNo = orderNoInUrl(p);
  const patient = await new WechatPatient(e2e.stack, 'zhao').login();
  const before = await patient.order(orderNo);
  expect(before).toMatchObject({ payMode: 'self', state: 'awaiting_payment', amounts: { fundFen: 0, acctFen: 0 } });
  expect(fenOf(shown)).toBe(before.amounts.totalFen);
  expect(await p.page.locator('.taro_page_show #amount-insurance, .taro_page_show #amount-fund, .taro_page_show #amount-acct').count()).toBe(0);
  expect(await p.text('#pay-button')).toBe(`确认支付 ¥${(before.amounts.cashFen / 100).toFixed(2)}`);
  await step(p, `${name}-pay-sheet`, async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-ok').waitFor();
  });
  await step(p, `${name}-result`, async () => {
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });
  expect(await p.text('#result-heading')).toBe('支付成功');
  return orderNo;
}

test('赵丽华, not insured, books a registration and pays it 自费 in the browser, without insurance steps', async () => {
  const p = await previews.open('zhao', 'self-pay-registration');
  await chooseSelfPay(p);
  await step(p, 'departments', async () => {
    await p.tap('#go-registration');
    await p.onPage('departments');
    const [dept] = await idsStartingWith(p, 'dept-', { choosable: true });
    await p.tap(`#${dept}`);
    await p.onPage('doctors');
    const [doctor] = await idsStartingWith(p, 'doctor-', { choosable: true });
    await p.tap(`#${doctor}`);
    await p.onPage('slots');
    const [slot] = await idsStartingWith(p, 'slot-', { choosable: true });
    await p.tap(`#${slot}`);
    await p.onPage('reg-confirm');
    await p.$('#self-pay-note').waitFor();
  });
  await p.tap('#confirm-registration');
  const orderNo = await paySelf(p, 'registration');
  const ledger = await getJson(`${e2e.stack.urls.his}/sandbox/ledger/${orderNo}`);
  expect(ledger.settlements).toEqual([expect.objectContaining({ fundFen: 0, acctFen: 0 })]);
  expect((await getJson(`${e2e.stack.urls.wechat}/sandbox/orders/${orderNo}`)).mix_pay_type).toBe('CASH_ONLY');
});

test('赵丽华 pays an outpatient bill 自费 in the browser', async () => {
  const p = await previews.open('zhao', 'self-pay-outpatient');
  await chooseSelfPay(p);
  await step(p, 'bill', async () => {
    await p.tap('#go-outpatient');
    await p.onPage('bills');
    const [bill] = (await idsStartingWith(p, 'bill-')).filter((id) => /^bill-MZ/.test(id));
    if (!bill) throw new Error('no bill for 赵丽华');
    await p.tap(`#${bill}`);
    await p.onPage('bill');
    await p.$('#self-pay-note').waitFor();
  });
  await p.tap('#bill-pay');
  const orderNo = await paySelf(p, 'outpatient');
  expect((await getJson(`${e2e.stack.urls.wechat}/sandbox/orders/${orderNo}`)).mix_pay_type).toBe('CASH_ONLY');
});
