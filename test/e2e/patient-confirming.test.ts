/**
 * Issue 12, "one truthful order state": after the patient confirmed in the WeChat sheet and before
 * the BFF has heard from WeChat or the centre, every page says 支付确认中 and none offers to pay
 * again; once the peers answer, the order completes. The peers are kept silent with sandbox faults
 * (notifications dropped, queries failing), then released — no sleep proves anything here.
 */
import { type Preview } from '../support/browser';
import { WechatPatient } from '../support/patient';
import { step } from '../support/preview-steps';
import { waitForValue } from '../support/wait';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const e2e = previewSuite();
const { previews } = e2e;

/** Neither WeChat nor the centre tells the BFF anything, and asking them fails, until cleared. */
async function silencePeers(): Promise<void> {
  await e2e.stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
  await e2e.stack.faults('wechat').add({ op: 'med-ins-query', kind: 'fail', times: -1 });
  await e2e.stack.faults('national').add({ op: 'notify', kind: 'drop', times: -1 });
  await e2e.stack.faults('national').add({ op: '6301', kind: 'fail', times: -1 });
}

test('while a payment is being confirmed, every page says 支付确认中 and none offers to pay again', async () => {
  const patient = await new WechatPatient(e2e.stack, 'wang').login();
  await patient.onboard();
  await patient.authorize();
  const orderNo = await patient.createOutpatientOrder();
  const p: Preview = await previews.open('wang', 'confirming');
  await step(p, 'pay-page', async () => {
    await p.onPage('home');
    await p.page.evaluate(`location.hash = '#/pages/pay/index?orderNo=${orderNo}'`);
    await p.onPage('pay');
    await p.$('#pay-button').waitFor();
  });
  await silencePeers();
  await step(p, 'sheet-ok', async () => {
    await p.tap('#pay-button');
    await p.page.locator('#sim-sheet #sim-pay-ok').waitFor();
    await p.sheet('sim-pay-ok');
    // the result page waits, saying so, for as long as nobody has confirmed
    await p.page.locator('.taro_page_show #page-result #state-loading[aria-label^="支付确认中"]').waitFor();
  });

  await step(p, 'orders-list', async () => {
    await p.page.evaluate(`location.hash = '#/pages/orders/index'`);
    await p.onPage('orders');
    await p.$(`#order-${orderNo} .tag[data-state="confirming"]`).waitFor();
  });
  expect(await p.text(`#order-${orderNo} .tag`)).toBe('支付确认中');
  expect(await p.text(`#order-${orderNo}`)).toContain('请不要重复支付');

  await step(p, 'order-page', async () => {
    await p.tap(`#order-${orderNo}`);
    await p.onPage('order');
    await p.$('#order-confirming').waitFor();
  });
  expect(await p.page.locator('.taro_page_show #order-pay').count()).toBe(0);

  // the peers answer again: the BFF's polls find the payment and the order completes
  await e2e.stack.faults('wechat').clear();
  await e2e.stack.faults('national').clear();
  const done = await waitForValue('the order completes', async () => ((await patient.order(orderNo)).state === 'completed' ? true : undefined), 150_000);
  expect(done).toBe(true);
});
