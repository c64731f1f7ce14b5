/**
 * Issue 12 items 6–7 in headless Chromium against the whole stack (H5 build served by the real
 * BFF, redis-server, sandbox peers): a second booking of a session already paid is refused in
 * plain words with the way to that order, and 退号 from the order page — confirmed in a dialog —
 * shows the refund coming back until it is done.
 */
import { patientApi as api } from '@mip/shared';
import { WechatPatient } from '../support/patient';
import { overflows } from '../support/overflow';
import { step } from '../support/preview-steps';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const e2e = previewSuite({ sandboxConfig: { his: { oneRegistrationPerSession: true } } });
const { previews } = e2e;

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Over the API: a paid registration of a session on a later day (so 退号 is still open), and its slot. */
async function paidLaterRegistration(key: string): Promise<{ orderNo: string; slotId: string }> {
  const patient = await new WechatPatient(e2e.stack, key).login();
  await patient.onboard();
  await patient.authorize();
  const { departments } = await patient.api.ok(api.departments);
  for (const dept of departments) {
    const { doctors } = await patient.api.ok(api.doctors, { params: { deptCode: dept.code } });
    for (const d of doctors.filter((x) => x.available)) {
      const { slots } = await patient.api.ok(api.slots, { params: { doctorCode: d.code } });
      const s = slots.find((x) => x.remaining > 0 && x.date > chinaToday());
      if (!s) continue;
      const { order } = await patient.api.ok(api.createOrder, { body: { kind: 'registration', slotId: s.slotId }, headers: { 'idempotency-key': `e2e-${Date.now()}` } });
      const { payment } = await patient.pay(order.orderNo);
      await patient.confirmInWechat(payment as Record<string, unknown>);
      await patient.waitForState(order.orderNo, ['completed'], 60_000);
      return { orderNo: order.orderNo, slotId: s.slotId };
    }
  }
  throw new Error('no later slot');
}

test('a second booking of a session already paid is refused in plain words and leads to the paid order', async () => {
  const { orderNo, slotId } = await paidLaterRegistration('zhang');
  const p = await previews.open('zhang', 'registration-twice');
  await step(p, 'slots', async () => {
    await p.onPage('home');
    // the slot id starts with the doctor's code (sandbox/his/schedule.ts)
    const doctorCode = slotId.replace(/-\d{8}-(AM|PM)$/, '');
    await p.page.evaluate(`location.hash = ${JSON.stringify(`#/pages/slots/index?doctorCode=${doctorCode}`)}`);
    await p.onPage('slots');
  });
  await step(p, 'reg-confirm', async () => {
    await p.tap(`[id="slot-${slotId}"]`);
    await p.onPage('reg-confirm');
  });
  const message = await step(p, 'refused', async () => {
    await p.tap('#confirm-registration');
    await p.$('#reg-error').waitFor();
    return p.text('#reg-error');
  });
  expect(message).toContain('您已预约该医生本时段');
  // no code, no English, no peer name (the hospital phone number is the only digits)
  expect(message).not.toMatch(/[A-Za-z]{2,}|HIS|50\d|51\d/);
  await step(p, 'to-the-order', async () => {
    expect(await p.text('#error-action')).toBe('查看已预约的订单');
    await p.tap('#error-action');
    await p.onPage('order');
  });
  expect(p.page.url()).toContain(orderNo);
  expect(p.pageErrors).toEqual([]);
});

test('退号 from the order page, confirmed in a dialog, shows the refund until it is done', async () => {
  const { orderNo } = await paidLaterRegistration('wang');
  const patient = await new WechatPatient(e2e.stack, 'wang').login();
  const p = await previews.open('wang', 'registration-cancel');
  await step(p, 'order', async () => {
    await p.onPage('home');
    await p.page.evaluate(`location.hash = ${JSON.stringify(`#/pages/order/index?orderNo=${orderNo}`)}`);
    await p.onPage('order');
    await p.$('#order-cancel-registration').waitFor();
  });
  expect(await p.text('#order-cancel-before')).toContain('就诊开始前可以退号');
  // the 退号 button and its deadline fit at 320 px in large-text mode
  await step(p, 'large-text-320', async () => {
    await p.page.evaluate(`location.hash = '#/pages/index/index'`);
    await p.onPage('home');
    await p.tap('#large-text-toggle');
    await p.$('#page-home.page--large').waitFor();
    await p.page.setViewportSize({ width: 320, height: 640 });
    await p.page.evaluate(`location.hash = ${JSON.stringify(`#/pages/order/index?orderNo=${orderNo}`)}`);
    await p.onPage('order');
    await p.$('#order-cancel-registration').waitFor();
  });
  expect(await overflows(p)).toEqual([]);
  await step(p, 'dialog', async () => {
    await p.tap('#order-cancel-registration');
    // the dialog is drawn outside the page
    await p.page.locator('.taro-modal__content').waitFor();
    expect(await p.page.locator('.taro-modal__text').textContent()).toContain('挂号费原路退回');
  });
  await step(p, 'refund-requested', async () => {
    await p.page.locator('.taro-model__confirm').click();
    await p.$('#order-refunds').waitFor();
  });
  expect(await p.$('#order-cancel-registration').count()).toBe(0);
  await patient.waitForState(orderNo, ['refunded'], 60_000);
  await step(p, 'refund-done', async () => {
    await p.page.reload({ waitUntil: 'domcontentloaded' });
    await p.onPage('order');
    await p.$('#order-refunds').waitFor();
  });
  const [refund] = (await patient.order(orderNo)).refunds;
  expect(await p.text(`#refund-state-${refund.refundNo}`)).toBe('已完成');
  expect(await overflows(p)).toEqual([]);
  expect(await p.text('#order-state')).not.toMatch(/[A-Za-z]{2,}/);
  expect(p.pageErrors).toEqual([]);
});
