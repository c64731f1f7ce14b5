/**
 * Issue 12 items 4 and 5 in a real browser (the H5 build served by the real BFF with redis and the
 * sandbox peers, headless Chromium; screenshots in test-artifacts/e2e/<test>/): a patient adds a
 * family member and pays their registration with 亲情付 authorized from the pay page; an expired
 * authorization is shown as expired and renewed on the pay page for the same order. The BFF holds
 * an authorization for 8 s here (security.payAuthMaxTtlSeconds) instead of ~240 s: expiry is
 * driven by that configuration, never by sleeping.
 */
import { familyApi, patientApi as api } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { type Preview } from '../support/browser';
import { WechatPatient } from '../support/patient';
import { authorizeVoucher, idsStartingWith, orderNoInUrl, resultSettles, step } from '../support/preview-steps';
import { getJson } from '../support/stack';
import { waitForValue } from '../support/wait';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(240_000);

const HELD_SECONDS = 8;
const e2e = previewSuite({ bffConfig: { security: { payAuthMaxTtlSeconds: HELD_SECONDS } } });
const { previews } = e2e;

/** Home → departments → first doctor → first free slot → the confirm page. */
async function toRegConfirm(p: Preview): Promise<void> {
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
  await step(p, 'reg-confirm', async () => {
    const [slot] = await idsStartingWith(p, 'slot-', { choosable: true });
    await p.tap(`#${slot}`);
    await p.onPage('reg-confirm');
  });
}

test('a patient adds their husband as a family member and pays his registration with 亲情付 authorized on the pay page', async () => {
  const holder = await (await new WechatPatient(e2e.stack, 'wang').login()).onboard();
  const husband = personByKey('zhang')!;
  const p = await previews.open('wang', 'family-pay');

  await step(p, 'family-page', async () => {
    await p.onPage('home');
    await p.tap('#go-family');
    await p.onPage('family');
    await p.tap('#family-add');
  });
  await step(p, 'family-added', async () => {
    await p.fill('family-name-input', husband.name);
    await p.fill('family-id-input', husband.idNo);
    await p.tap('#relation-spouse');
    await p.tap('#family-region-440100');
    await p.tap('#family-add-submit');
    await p.$('[id^="member-fm"]').waitFor();
  });
  const listed = await p.text('[id^="member-fm"]');
  expect(listed).toContain('配偶：张**');
  expect(listed).toContain('440106********2134');
  expect(listed).not.toContain(husband.idNo);
  const [{ memberId }] = (await holder.api.ok(familyApi.listFamily)).members;

  await p.page.goBack();
  await toRegConfirm(p);
  await step(p, 'who-for-husband', async () => {
    await p.tap(`#who-${memberId}`);
    await p.$(`#who-${memberId}.choice--selected`).waitFor();
  });
  await step(p, 'pay-page-asks-family-pay', async () => {
    await p.tap('#confirm-registration');
    await p.onPage('pay');
    await p.$('#pay-authorize').waitFor();
  });
  const orderNo = orderNoInUrl(p);
  expect(await p.text('#pay-error')).toContain('家人用医保支付需要先开通亲情付');
  expect(await p.text('#payer-name')).toBe('配偶 张**');
  expect(await p.$('#pay-button').count()).toBe(0);

  await step(p, 'family-pay-sheet', async () => {
    await p.tap('#pay-authorize');
    await p.page.locator('#sim-sheet #sim-auth-relative').fill('zhang');
    await p.sheet('sim-auth-ok');
    await p.$('#pay-button').waitFor();
  });
  expect(orderNoInUrl(p)).toBe(orderNo);
  await step(p, 'pay-sheet', async () => {
    await p.tap('#pay-button');
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });

  const order = await holder.order(orderNo);
  expect(order.patient).toMatchObject({ nameMasked: '张**', relationLabel: '配偶' });
  const { orders } = await getJson(`${e2e.stack.urls.wechat}/sandbox/orders`);
  const wx = (orders as Array<Record<string, unknown>>).find((o) => o.out_trade_no === orderNo);
  // 接入质量检查 #17/#18: the holder pays, the husband is the relative (the sandbox checked both identities)
  expect(wx).toMatchObject({ pay_for_relatives: true, mix_pay_status: 'MIX_PAY_SUCCESS' });
});

test('an authorization that expired is shown as expired and renewed on the pay page for the same order', async () => {
  const patient = await (await new WechatPatient(e2e.stack, 'huang').login()).onboard('440100');
  const p = await previews.open('huang', 'auth-expired');

  await step(p, 'authorize', async () => {
    await p.onPage('home');
    await p.tap('#go-auth');
    await authorizeVoucher(p);
    await p.onPage('home');
  });
  expect(await p.text('#step-auth-state')).toMatch(/已授权，还可用 \d+秒，只能用于一笔支付/);
  await step(p, 'home-expired', async () => {
    await p.page.locator('.taro_page_show #step-auth-state', { hasText: '已过期' }).waitFor({ timeout: 15_000 });
  });
  expect(await p.text('#step-auth-state')).not.toContain('已完成');
  // the page counts down from the BFF's whole seconds, so it says 已过期 up to a second early, never late
  await waitForValue('the BFF to call the authorization expired', async () => {
    const a = (await patient.api.ok(api.insuranceProfile)).authorization;
    return a?.state === 'expired' ? a : undefined;
  }, 5_000);

  await step(p, 'pay-page-asks-again', async () => {
    await p.tap('#go-outpatient');
    await p.onPage('bills');
    const [bill] = await idsStartingWith(p, 'bill-');
    await p.tap(`#${bill}`);
    await p.onPage('bill');
    await p.tap('#bill-pay');
    await p.onPage('pay');
    await p.$('#pay-authorize').waitFor();
  });
  const orderNo = orderNoInUrl(p);
  expect(await p.$('#pay-button').count()).toBe(0);
  expect(await p.text('#pay-auth-needed')).toContain('只能用于一笔支付');

  await step(p, 'renewed-on-pay-page', async () => {
    await p.tap('#pay-authorize');
    await p.sheet('sim-auth-ok');
    await p.$('#pay-button').waitFor();
  });
  expect(orderNoInUrl(p)).toBe(orderNo);
  await step(p, 'paid', async () => {
    await p.tap('#pay-button');
    await p.sheet('sim-pay-ok');
    await resultSettles(p, 'completed');
  });
  expect((await patient.order(orderNo)).state).toBe('completed');
});
