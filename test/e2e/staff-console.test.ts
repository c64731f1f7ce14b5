/**
 * The staff console (C15) in headless Chromium against the whole stack. Two patients pay while
 * HIS refuses every write-back: one order is reversed by the BFF (C6); the other's self-pay
 * refund is refused by WeChat Pay, so it goes to manual review. A finance staff member signs in,
 * finds the reversed order by ID number, reads its history, resolves the review and exports CSV.
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
const SHOTS = path.resolve(__dirname, '../../test-artifacts/e2e/staff-console');
const STAFF = { username: 'caiwu01', password: 'finance-password-2026', roles: ['finance'] };

let stack: TestStack;
let app: StaffTestApp;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const problems: string[] = [];
let reversedNo = '';
let reviewNo = '';
let wang: WechatPatient;
let shotNo = 0;

async function shot(name: string): Promise<void> {
  shotNo += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: true, animations: 'disabled' });
}

async function paidPatient(key: string, beforePay?: (orderNo: string) => Promise<void>): Promise<{ p: WechatPatient; orderNo: string }> {
  const p = await new WechatPatient(stack, key).login();
  await p.onboard();
  await p.authorize();
  const orderNo = await p.createOutpatientOrder();
  await beforePay?.(orderNo);
  const { payment } = await p.pay(orderNo);
  await p.confirmInWechat(payment as Record<string, unknown>);
  return { p, orderNo };
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: bash scripts/setup.sh --browser`);
  fs.mkdirSync(SHOTS, { recursive: true });
  stack = await testStack();
  app = await startStaffApp(stackDeps(stack.bffConfigFile));
  await app.extras.staffModule.accounts.create(STAFF);

  // HIS never records a settlement: after the write-back deadline the BFF reverses (C6).
  await stack.faults('his').add({ op: 'writeBack', kind: 'fail', times: -1, code: '500' });
  const a = await paidPatient('wang');
  const b = await paidPatient('chen', (orderNo) =>
    stack.faults('wechat').add({ op: 'refund', key: orderNo, kind: 'fail', times: -1, status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足' }),
  );
  wang = a.p;
  reversedNo = a.orderNo;
  reviewNo = b.orderNo;
  expect((await a.p.waitForState(reversedNo, ['reversed', 'manual_review'], 60_000)).state).toBe('reversed');
  expect((await b.p.waitForState(reviewNo, ['reversed', 'manual_review'], 60_000)).state).toBe('manual_review');

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-staff-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The page asks "am I signed in?" first; the 401 of that question is expected.
    if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`);
  });
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await app?.close();
  app?.deps.redis.disconnect();
  await stack?.cleanup();
});

describe('the staff console in a browser', () => {
  it('signs in', async () => {
    await page.goto(`${app.url}/staff/`);
    await page.locator('#login-form').waitFor({ state: 'visible' });
    await shot('login');
    await page.fill('#login-username', STAFF.username);
    await page.fill('#login-password', STAFF.password);
    await page.click('#login-submit');
    await page.locator('#app-view').waitFor({ state: 'visible' });
    expect(await page.textContent('#whoami')).toContain('caiwu01');
  });

  it('finds the reversed order by the patient ID number', async () => {
    await page.fill('#search-idno', wang.person.idNo);
    await page.click('#search-submit');
    const row = page.locator(`#results tbody tr:has(button[data-order-no="${reversedNo}"])`);
    await row.waitFor({ state: 'visible' });
    expect(await page.locator('#results tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain('已冲正退回');
    expect(await page.content()).not.toContain(wang.person.idNo.slice(6, 14));
    await shot('search-by-id');
  });

  it('shows the reversal in the order history, with the peer calls', async () => {
    await page.click(`#results button[data-order-no="${reversedNo}"]`);
    await page.locator(`#order-detail[data-order-no="${reversedNo}"]`).waitFor({ state: 'visible' });
    expect(await page.textContent('#detail-state')).toContain('已冲正退回');
    await page.locator('#detail-reversal').waitFor({ state: 'visible' });
    const steps = await page.locator('#detail-reversal tbody').textContent();
    expect(steps).toContain('HIS冲正');
    expect(await page.locator('#detail-timeline tbody').textContent()).toContain('冲正中 → 已冲正退回');
    expect(await page.locator('#detail-refunds tbody').textContent()).toContain('成功');
    const calls = (await page.locator('#detail-calls tbody').textContent()) ?? '';
    expect(calls).toContain('HIS入账回写');
    // the operation column is in words, never the program's names
    const ops = await page.locator('#detail-calls tbody tr td:nth-child(3)').allTextContents();
    for (const op of ops) expect(op).not.toMatch(/^[A-Za-z]+$/);
    // the insured region by name
    expect(await page.locator('#order-detail').textContent()).toContain('广州市（440100）');
    // the timeline's events are Chinese sentences, not step names
    expect(await page.locator('#detail-timeline tbody').textContent()).not.toMatch(/booking_query|his_reversal|cash_refund|insurance_refund/);
    await shot('reversed-order-detail');
  });

  it('resolves the manual-review case', async () => {
    await page.click('#tab-reviews');
    await page.locator(`#reviews button[data-order-no="${reviewNo}"]`).waitFor({ state: 'visible' });
    await shot('review-list');
    await page.click(`#reviews button[data-order-no="${reviewNo}"]`);
    await page.locator(`#order-detail[data-order-no="${reviewNo}"]`).waitFor({ state: 'visible' });
    await page.locator('#resolve-form').waitFor({ state: 'visible' });
    expect(await page.locator('#detail-review').textContent()).toContain('自费退款');
    // before deciding, ask the centre and WeChat Pay again: both answers shown and kept on the timeline
    await page.click('#recheck');
    await page.locator('#recheck-result', { hasText: '支付渠道：' }).waitFor({ state: 'visible' });
    expect(await page.textContent('#recheck-result')).toMatch(/^医保中心：ordStas .+；支付渠道：.+/);
    expect(await page.locator('#detail-timeline tbody tr').last().textContent()).toContain('工作人员重新查询');
    await shot('review-rechecked');
    await page.selectOption('#resolve-to', 'reversed');
    await page.fill('#resolve-note', '已在微信支付商户平台充值后人工退款，退款单号 50300001');
    await shot('resolve-form');
    await page.click('#resolve-submit');
    await page.locator('#resolve-done').waitFor({ state: 'visible' });
    expect(await page.textContent('#detail-state')).toContain('已冲正退回');
    expect(await page.locator('#detail-timeline tbody tr').last().textContent()).toContain('已在微信支付商户平台充值后人工退款');
    await shot('review-resolved');
    const stored = await app.deps.orders.get(reviewNo);
    expect(stored?.state).toBe('reversed');
    expect(stored?.timeline.at(-1)).toMatchObject({ by: 'staff', to: 'reversed' });
    await page.locator('#reviews-empty').waitFor({ state: 'attached' });
    expect(await page.locator(`#reviews button[data-order-no="${reviewNo}"]`).count()).toBe(0);
  });

  it('exports the search as a CSV file Excel can open', async () => {
    await page.click('#tab-search');
    await page.fill('#search-idno', '');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = path.join(SHOTS, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^orders-\d{8}-\d{8}\.csv$/);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(reversedNo);
    expect(text).toContain(reviewNo);
    expect(text).toContain('王**');
    expect(text).not.toContain(wang.person.idNo);
    expect(text.split('\r\n')[0]).toContain('订单号');
  });

  it('takes the earlier results away when a search is refused', async () => {
    await page.click('#tab-search');
    await page.fill('#search-idno', wang.person.idNo);
    await page.click('#search-submit');
    await page.locator(`#results tbody tr:has(button[data-order-no="${reversedNo}"])`).waitFor({ state: 'visible' });
    await page.fill('#search-idno', '12345');
    const before = problems.length;
    await page.click('#search-submit');
    await page.locator('#search-error:not(:empty)').waitFor();
    // the refused request itself is expected (the browser logs every 400), nothing else is
    const during = problems.splice(before);
    problems.push(...during.filter((x) => !x.includes('status of 400')));
    expect(await page.locator('#results tbody tr').count()).toBe(0);
    expect(await page.textContent('#results-summary')).toBe('');
    expect(await page.textContent('#search-error')).toMatch(/\p{Script=Han}/u);
    await shot('refused-search');
    await page.fill('#search-idno', '');
  });

  it('signs out', async () => {
    await page.click('#logout');
    await page.locator('#login-view').waitFor({ state: 'visible' });
    await shot('signed-out');
    await page.reload();
    await page.locator('#login-view').waitFor({ state: 'visible' });
  });

  it('showed no script errors', () => {
    expect(problems).toEqual([]);
  });
});
