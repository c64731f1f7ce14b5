/**
 * Issue 12 (Build 9), large text in a real browser: every page of the patient mini-program (H5
 * preview, real BFF, redis-server and sandbox peers; headless Debian Chromium) at 320 px and
 * 390 px in large-text mode; the test fails when any element of any page overflows its box
 * (test/support/overflow.ts). Screenshots of the pay page at 320 px, normal and large text, are
 * saved as test-artifacts/e2e/large-text/*-pay-320-normal.png and *-pay-320-large.png.
 */
import { familyApi, patientApi as api } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { type Preview } from '../support/browser';
import { overflows } from '../support/overflow';
import { WechatPatient } from '../support/patient';
import { step } from '../support/preview-steps';
import { previewSuite } from '../support/preview-suite';

jest.setTimeout(300_000);

const e2e = previewSuite();
const { previews } = e2e;

interface World {
  deptCode: string;
  doctorCode: string;
  slotId: string;
  billNo: string;
  /** paid and completed: the order page with payments */
  paidNo: string;
  /** created, authorization fresh: the pay page pre-settles it */
  payableNo: string;
}

/** A patient with a paid registration, a fresh authorization and an unpaid outpatient order. */
async function world(key: string): Promise<World> {
  const patient = await new WechatPatient(e2e.stack, key).login();
  await patient.onboard();
  await patient.authorize();
  const { departments } = await patient.api.ok(api.departments);
  const deptCode = departments[0].code;
  const { doctors } = await patient.api.ok(api.doctors, { params: { deptCode } });
  const doctorCode = doctors.find((d) => d.available)!.code;
  const { slots } = await patient.api.ok(api.slots, { params: { doctorCode } });
  const slotId = slots.find((s) => s.remaining > 0)!.slotId;
  const paidNo = await patient.payRegistration();
  await patient.waitForState(paidNo, ['completed'], 60_000);
  await patient.authorize(); // every payment uses up the authorization
  const billNo = await patient.firstBillNo();
  const payableNo = await patient.createOutpatientOrder([billNo]);
  // a family member, so that the 就诊人 page and the booking's 就诊人 choice show one
  const wang = personByKey('wang')!;
  await patient.api.ok(familyApi.addFamily, { body: { name: wang.name, idNo: wang.idNo, relation: 'spouse', regionCode: '440100' } });
  return { deptCode, doctorCode, slotId, billNo, paidNo, payableNo };
}

/** Every page of the mini-program, with what it needs to show its content. */
function pages(w: World): { name: string; hash: string }[] {
  return [
    { name: 'home', hash: '/pages/index/index' },
    { name: 'region', hash: '/pages/region/index' },
    { name: 'status', hash: '/pages/status/index' },
    { name: 'benefit', hash: '/pages/benefit/index' },
    { name: 'auth', hash: '/pages/auth/index' },
    { name: 'departments', hash: '/pages/departments/index' },
    { name: 'doctors', hash: `/pages/doctors/index?deptCode=${w.deptCode}` },
    { name: 'slots', hash: `/pages/slots/index?doctorCode=${w.doctorCode}` },
    { name: 'reg-confirm', hash: `/pages/reg-confirm/index?slotId=${w.slotId}` },
    { name: 'bills', hash: '/pages/bills/index' },
    { name: 'bill', hash: `/pages/bill/index?billNo=${w.billNo}` },
    { name: 'pay', hash: `/pages/pay/index?orderNo=${w.payableNo}` },
    { name: 'orders', hash: '/pages/orders/index' },
    { name: 'order', hash: `/pages/order/index?orderNo=${w.paidNo}` },
    { name: 'result', hash: `/pages/result/index?orderNo=${w.paidNo}&outcome=check` },
    { name: 'family', hash: '/family/pages/index' },
  ];
}

async function visit(p: Preview, page: { name: string; hash: string }): Promise<void> {
  await p.page.evaluate(`location.hash = ${JSON.stringify(`#${page.hash}`)}`);
  await p.onPage(page.name === 'home' ? 'home' : page.name);
  if (page.name === 'pay') await p.$('#pay-button').waitFor();
  if (page.name === 'result') await p.$('#result-state[data-phase="done"]').waitFor({ timeout: 60_000 });
}

async function largeText(p: Preview): Promise<void> {
  await visit(p, { name: 'home', hash: '/pages/index/index' });
  await p.tap('#large-text-toggle');
  await p.$('#page-home.page--large').waitFor();
}

test('at 320 px and 390 px in large-text mode no element of any page overflows its box', async () => {
  const w = await world('zhang');
  const p = await previews.open('zhang', 'large-text');
  await p.page.setViewportSize({ width: 320, height: 640 });
  await step(p, 'home', () => p.onPage('home'));

  const found: string[] = [];
  // the pay page in normal text first, for the screenshot beside the large one
  await step(p, 'pay-320-normal', () => visit(p, pages(w).find((x) => x.name === 'pay')!));
  found.push(...(await overflows(p)).map((o) => `320 normal pay: ${o}`));

  await largeText(p);
  for (const width of [320, 390]) {
    await p.page.setViewportSize({ width, height: width === 320 ? 640 : 844 });
    for (const page of pages(w)) {
      await step(p, page.name === 'pay' ? `pay-${width}-large` : `${page.name}-${width}-large`, () => visit(p, page));
      expect(await p.$(`#page-${page.name}`).getAttribute('class')).toContain('page--large');
      found.push(...(await overflows(p)).map((o) => `${width} large ${page.name}: ${o}`));
    }
  }
  expect(found).toEqual([]);
});

test('the overflow check finds an element that runs out of its box', async () => {
  const p = await previews.open('zhang', 'large-text-check');
  await p.page.setViewportSize({ width: 320, height: 640 });
  await p.onPage('home');
  expect(await overflows(p)).toEqual([]);
  // a long unbreakable word in a box that does not wrap it, as the order number once was
  await p.page.evaluate(`(() => {
    const el = document.createElement('div');
    el.id = 'too-wide';
    el.style.cssText = 'width: 100px; white-space: nowrap; overflow: hidden';
    el.textContent = 'MIP202612061234567890123456';
    document.querySelector('.taro_page_show #page-home').appendChild(el);
  })()`);
  expect((await overflows(p)).join('\n')).toContain('#too-wide');
});
