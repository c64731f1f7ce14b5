/**
 * Issue 5, the refusals in a real browser: patients the hospital cannot serve with insurance,
 * and payments that do not go through. Same set-up as patient-flow.test.ts: the H5 build served
 * by the REAL BFF process with a real redis-server and the sandbox peers; headless Debian
 * Chromium; screenshots in test-artifacts/e2e/<test>/. Without client/dist/h5 or
 * /usr/bin/chromium every test here FAILS with the reason.
 */
import { patientApi as api } from '@mip/shared';
import { personByKey, SUPPORTED_REGIONS } from '../../sandbox/seed/persons';
import { type Preview } from '../support/browser';
import { WechatPatient } from '../support/patient';
import { idsStartingWith, orderNoInUrl, resultSettles, shownPayAmounts, step } from '../support/preview-steps';
import { getJson } from '../support/stack';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const e2e = previewSuite();
const { previews } = e2e;
afterEach(async () => {
  await e2e.stack.faults('wechat').clear();
});

function preview(patient: string, suite: string): Promise<Preview> {
  return previews.open(patient, suite);
}

/** Home → region → name + ID number → submit, for someone the HIS will not find insured. */
async function checkStatus(p: Preview, key: string, regionCode: string): Promise<void> {
  const person = personByKey(key)!;
  await step(p, 'home', () => p.onPage('home'));
  await step(p, 'region', async () => {
    await p.tap('#start-verify');
    await p.onPage('region');
  });
  await step(p, 'status-form', async () => {
    await p.tap(`#region-${regionCode}`);
    await p.onPage('status');
    await p.fill('name-input', person.name);
    await p.fill('id-input', person.idNo);
  });
  await step(p, 'not-insured', async () => {
    await p.tap('#status-submit');
    await p.$('#not-insured-notice').waitFor();
  });
}

/** A ready patient (verified + authorized over the API) with an outpatient order on the pay page. */
async function onPayPage(key: string, suite: string) {
  const patient = await new WechatPatient(e2e.stack, key).login();
  await patient.onboard();
  await patient.authorize();
  const p = await preview(key, suite);
  await step(p, 'bills', async () => {
    await p.onPage('home');
    await p.tap('#go-outpatient');
    await p.onPage('bills');
  });
  await step(p, 'pay-page', async () => {
    const [bill] = await idsStartingWith(p, 'bill-');
    await p.tap(`#${bill}`);
    await p.onPage('bill');
    await p.tap('#bill-pay');
    await p.onPage('pay');
    await p.$('#pay-button').waitFor();
  });
  return { p, patient, orderNo: orderNoInUrl(p) };
}

/** Nothing of this order counts as paid: the BFF, the WeChat order, the centre and HIS agree. */
async function expectNothingPaid(patient: WechatPatient, orderNo: string): Promise<void> {
  const order = await patient.order(orderNo);
  expect(['created', 'fee_uploaded', 'awaiting_payment']).toContain(order.state);
  expect(order.canPay).toBe(true);
  expect(order.paidAt).toBeUndefined();
  expect(order.payments).toEqual([]);
  const wx = await getJson(`${e2e.stack.urls.wechat}/sandbox/orders/${orderNo}`);
  expect(wx.mix_pay_status).toBe('MIX_PAY_CREATED');
  const centre = await getJson(`${e2e.stack.urls.national}/sandbox/orders/${orderNo}`);
  expect(centre.order.ordStas).not.toBe('6');
  const ledger = await getJson(`${e2e.stack.urls.his}/sandbox/ledger/${orderNo}`);
  expect(ledger.settlements ?? []).toHaveLength(0);
}

test('a patient not enrolled in the chosen region is told so plainly and cannot go on to pay', async () => {
  const p = await preview('zhao', 'not-insured-zhao');
  await checkStatus(p, 'zhao', '440100');

  const notice = await p.text('#not-insured-notice');
  expect(notice).toContain('没有查到您在广州市的医保参保信息');
  expect(await p.$('#change-region').isVisible()).toBe(true);
  expect(await p.page.locator('.taro_page_show #status-next').count()).toBe(0);
  expect(await p.page.locator('.taro_page_show [id^="benefit-"]').count()).toBe(0);

  // the BFF did not make them an insured patient: nothing can be paid with insurance (自费 is
  // offered instead, patient-self-pay.test.ts)
  const patient = await new WechatPatient(e2e.stack, 'zhao').login();
  expect(await patient.api.ok(api.insuranceProfile)).toMatchObject({ ready: false, insured: false });
  const insured = await patient.api.call(api.createOrder, { body: { kind: 'outpatient', billNos: ['MZCF000701'] }, headers: { 'idempotency-key': `e2e-zhao-${Date.now()}` } });
  expect(insured.status).toBe(409);
  expect(insured.body.error?.code).toBe('IDENTITY_REQUIRED');

  await step(p, 'home-still-unverified', async () => {
    await p.tap('#go-home');
    await p.onPage('home');
    await p.$('#start-verify').waitFor();
  });
  expect(await p.text('#step-verify-state')).toContain('未完成');
  await step(p, 'outpatient-insurance-refused', async () => {
    await p.tap('#go-outpatient');
    await p.onPage('bills');
    await p.tap('#bill-MZCF000701');
    await p.onPage('bill');
    await p.tap('#bill-pay');
    await p.$('#bill-error').waitFor();
  });
  expect(await p.text('#bill-error')).toContain('请先完成医保身份核验');
  expect(await p.$('#error-action').isVisible()).toBe(true);
  expect(await p.$('#pay-self').isVisible()).toBe(true); // 不用医保，自费支付
  expect((await patient.api.ok(api.listOrders)).orders).toEqual([]);
});

test('a patient insured only in Beijing finds no Beijing to choose and is told Guangzhou has no insurance for them', async () => {
  const p = await preview('li', 'not-insured-li');
  await step(p, 'home', () => p.onPage('home'));
  await step(p, 'regions', async () => {
    await p.tap('#start-verify');
    await p.onPage('region');
  });
  const offered = (await idsStartingWith(p, 'region-')).map((id) => id.slice('region-'.length));
  expect(offered.sort()).toEqual(SUPPORTED_REGIONS.map((r) => r.code).sort());
  expect(offered).not.toContain('110100');
  await p.page.goBack(); // start again from home, as checkStatus does
  await checkStatus(p, 'li', '440100');
  expect(await p.text('#not-insured-notice')).toContain('如果您在其他地方参保，请选择对应的参保地');
  expect(await p.page.locator('.taro_page_show #status-next').count()).toBe(0);
  const patient = await new WechatPatient(e2e.stack, 'li').login();
  expect(await patient.api.ok(api.insuranceProfile)).toMatchObject({ ready: false, insured: false });
});

test('a payment that fails in WeChat ends on "支付未完成" with 重新支付, and nothing is marked paid', async () => {
  const { p, patient, orderNo } = await onPayPage('wang', 'pay-failed');
  await step(p, 'pay-sheet', async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-fail').waitFor();
  });
  await step(p, 'result-failed', async () => {
    await p.sheet('sim-pay-fail');
    await resultSettles(p, 'awaiting_payment');
  });
  expect(await p.text('#result-heading')).toBe('支付未完成');
  expect(await p.text('#result-text')).toContain('您可以重新支付'); // the heading already says it did not go through (result-wording.ts)
  expect(await p.$('#retry-pay').isVisible()).toBe(true);
  await expectNothingPaid(patient, orderNo);

  // the way to retry leads back to the same order, payable
  await step(p, 'retry-pay-page', async () => {
    await p.tap('#retry-pay');
    await p.onPage('pay');
    await p.$('#pay-button').waitFor();
  });
  expect(orderNoInUrl(p)).toBe(orderNo);
  expect(await p.$('#pay-button').isEnabled()).toBe(true);
});

test('when WeChat Pay refuses to prepare the payment, the pay page says so, nothing is charged, and trying again pays', async () => {
  const patient = await new WechatPatient(e2e.stack, 'huang').login();
  await patient.onboard();
  await patient.authorize();
  const orderNo = await patient.createOutpatientOrder();
  // the sandbox WeChat answers SYSTEM_ERROR to creating this order's mixed payment on every one of
  // the BFF's tries of that tap (channels.wechat.retry.attempts, 3 by default; 排障手册 §2.5 Q4)
  await e2e.stack.faults('wechat').add({ op: 'med-ins-create', kind: 'fail', key: orderNo, times: 3 });
  const p = await preview('huang', 'pay-refused');
  await step(p, 'pay-error', async () => {
    await p.onPage('home');
    await p.page.evaluate(`location.hash = '#/pages/pay/index?orderNo=${orderNo}'`);
    await p.onPage('pay');
    await p.$('#pay-error').waitFor();
  });
  expect(await p.page.locator('#sim-sheet').count()).toBe(0); // nothing was offered to pay
  expect(await p.text('#pay-error')).toContain('没有扣款');
  expect(await p.text('#pay-error #help-line')).toContain('020-8888 0000'); // the service phone from the configuration
  expect(await p.page.locator('.taro_page_show #pay-button').count()).toBe(0);
  const refused = await patient.order(orderNo);
  expect(refused.paidAt).toBeUndefined();
  expect(refused.payments).toEqual([]);
  expect(refused.canPay).toBe(true);

  await step(p, 'pay-again', async () => {
    await p.tap('#retry');
    await p.$('#pay-button').waitFor();
  });
  const shown = await shownPayAmounts(p);
  await step(p, 'pay-sheet', async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-ok').waitFor();
  });
  await step(p, 'result-paid', async () => {
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });
  const paid = await patient.order(orderNo);
  expect(paid.amounts.totalFen).toBe(shown.totalFen);
  const ledger = await getJson(`${e2e.stack.urls.his}/sandbox/ledger/${orderNo}`);
  expect(ledger.settlements).toHaveLength(1);
});
