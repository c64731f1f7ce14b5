/**
 * Issue 12 item 8 in headless Chromium against the whole stack: a finance staff member opens a
 * completed order in the staff console, starts a full refund with a reason, confirms it a second
 * time, and sees it done with the audit line on the order's history; an IT colleague is offered
 * no refund at all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WechatPatient } from '../support/patient';
import { testStack, type TestStack } from '../support/stack';
import { stackDeps, startStaffApp, type StaffTestApp } from '../support/staff';
import { CHROMIUM_ARGS as ARGS, CHROMIUM_PATH } from '../../scripts/chromium';

const CHROMIUM = process.env.CHROMIUM_PATH ?? CHROMIUM_PATH;
const SHOTS = path.resolve(__dirname, '../../test-artifacts/e2e/staff-refund');
const FINANCE = { username: 'caiwu02', password: 'finance-password-2026', roles: ['finance'] };
const IT = { username: 'xinxi02', password: 'it-password-2026-x', roles: ['it'] };

jest.setTimeout(180_000);

let stack: TestStack;
let app: StaffTestApp;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let orderNo = '';
const problems: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: bash scripts/setup.sh --browser`);
  fs.mkdirSync(SHOTS, { recursive: true });
  stack = await testStack();
  app = await startStaffApp(stackDeps(stack.bffConfigFile));
  await app.extras.staffModule.accounts.create(FINANCE);
  await app.extras.staffModule.accounts.create(IT);
  const p = await new WechatPatient(stack, 'chen').login();
  await p.onboard();
  orderNo = await p.payOutpatient();
  await p.waitForState(orderNo, ['completed'], 60_000);

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-staff-refund-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timeout: 60_000 });
  context.setDefaultTimeout(20_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await app?.close();
  app?.deps.redis.disconnect();
  await stack?.cleanup();
});

async function signIn(who: { username: string; password: string }) {
  await page.goto(`${app.url}/staff/`);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.fill('#login-username', who.username);
  await page.fill('#login-password', who.password);
  await page.click('#login-submit');
  await page.locator('#app-view').waitFor({ state: 'visible' });
}

async function openOrder() {
  await page.fill('#search-orderno', orderNo);
  await page.click('#search-submit');
  await page.click(`#results button[data-order-no="${orderNo}"]`);
  await page.locator(`#order-detail[data-order-no="${orderNo}"]`).waitFor({ state: 'visible' });
}

it('offers no refund to a staff member without the refund role', async () => {
  await signIn(IT);
  await openOrder();
  expect(await page.locator('#refund-form').isHidden()).toBe(true);
  await page.click('#logout');
  await page.locator('#login-form').waitFor({ state: 'visible' });
});

it('a finance staff member starts a full refund with a reason and a second confirmation, and sees it done with the audit line', async () => {
  await signIn(FINANCE);
  await openOrder();
  await page.locator('#refund-form').waitFor({ state: 'visible' });
  await page.screenshot({ path: path.join(SHOTS, '01-refund-form.png'), fullPage: true });
  await page.fill('#refund-reason', '患者放弃检查，全额退费');
  await page.click('#refund-submit');
  await page.locator('#refund-done').waitFor({ state: 'visible' });
  expect(dialogs).toHaveLength(1);
  expect(dialogs[0]).toContain('确认为订单');
  expect(dialogs[0]).toContain('患者放弃检查，全额退费');
  const stored = await (async () => {
    const until = Date.now() + 60_000;
    for (;;) {
      const o = await app.deps.orders.get(orderNo);
      if (o?.state === 'refunded' || Date.now() > until) return o!;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  expect(stored.state).toBe('refunded');
  expect(stored.refunds).toEqual([expect.objectContaining({ requestedBy: 'staff', state: 'succeeded', reason: '患者放弃检查，全额退费' })]);
  await openOrder();
  // the detail is re-read: wait until it shows the finished refund
  await page.locator('#detail-refunds tbody', { hasText: '成功' }).waitFor();
  const history = (await page.locator('#detail-timeline tbody').textContent()) ?? '';
  expect(history).toContain('患者放弃检查，全额退费｜发起人');
  expect(history).toContain(`退款 ¥${(stored.amounts.totalFen / 100).toFixed(2)}`);
  expect(await page.locator('#detail-refunds tbody').textContent()).toContain('成功');
  expect(await page.locator('#refund-form').isHidden()).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, '02-refunded.png'), fullPage: true });
  expect(problems).toEqual([]);
});
