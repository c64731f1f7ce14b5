/**
 * What a patient does in the H5 preview, step by step, for the browser tests in test/e2e.
 * Every step ends with a screenshot (test-artifacts/e2e/<suite>/); a failing step takes a
 * `FAILED-…` screenshot and adds the page's location and console problems to the error.
 */
import type { Amounts } from '@mip/shared';
import type { SandboxPerson } from '../../sandbox/seed/persons';
import { fenOf, type Preview } from './browser';

export async function step<T>(p: Preview, name: string, fn: () => Promise<T>): Promise<T> {
  let out: T;
  try {
    out = await fn();
  } catch (err) {
    const where = p.page.url();
    const file = await p.shot(`FAILED-${name}`).catch(() => '(no screenshot)');
    const e = err as Error;
    e.message = `step "${name}" failed at ${where}\n${e.message}\nscreenshot: ${file}\nbrowser problems:\n  ${p.problems.slice(-15).join('\n  ') || '(none)'}`;
    throw e;
  }
  await p.shot(name);
  return out;
}

/** The order number the page on screen was opened with (`…?orderNo=…` in the hash). */
export function orderNoInUrl(p: Preview): string {
  const hash = new URL(p.page.url()).hash;
  const q = hash.indexOf('?');
  const no = q >= 0 ? new URLSearchParams(hash.slice(q + 1)).get('orderNo') : null;
  if (!no) throw new Error(`no orderNo in ${p.page.url()}`);
  return no;
}

/**
 * Ids of the page's elements whose id starts with `prefix` (e.g. "dept-"), in page order; with
 * `choosable`, only choices that are not shown as unavailable (`.choice--disabled`: 已约满).
 */
export async function idsStartingWith(p: Preview, prefix: string, opts: { choosable?: boolean } = {}): Promise<string[]> {
  const sel = `.taro_page_show [id^="${prefix}"]${opts.choosable ? ':not(.choice--disabled)' : ''}`;
  return p.page.locator(sel).evaluateAll((els) => els.map((e) => e.id));
}

export interface ShownAmounts extends Amounts {
  insuranceFen: number;
}

/** The amounts the pay page shows (#amount-total … #amount-cash), in fen. */
export async function shownPayAmounts(p: Preview): Promise<ShownAmounts> {
  return {
    totalFen: fenOf(await p.text('#amount-total')),
    insuranceFen: fenOf(await p.text('#amount-insurance')),
    fundFen: fenOf(await p.text('#amount-fund')),
    acctFen: fenOf(await p.text('#amount-acct')),
    cashFen: fenOf(await p.text('#amount-cash')),
  };
}

/** The amounts of an AmountsBlock rendered without ids, inside `container` (result, order pages). */
export async function shownBlockAmounts(p: Preview, container: string): Promise<ShownAmounts> {
  const values = await p.page.locator(`.taro_page_show ${container} .amount__value`).allTextContents();
  if (values.length !== 5) throw new Error(`expected 5 amounts in ${container}, found ${values.length}: ${values.join(' | ')}`);
  const [totalFen, insuranceFen, fundFen, acctFen, cashFen] = values.map(fenOf);
  return { totalFen, insuranceFen, fundFen, acctFen, cashFen };
}

/** C7–C10 from the home page: region → name + ID number → benefit. Ends on the authorization page. */
export async function verifyIdentity(p: Preview, person: SandboxPerson, regionCode: string): Promise<void> {
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
  await step(p, 'status-insured', async () => {
    await p.tap('#status-submit');
    await p.$('#status-result').waitFor();
  });
  await step(p, 'benefit', async () => {
    await p.tap('#status-next');
    await p.onPage('benefit');
    const [first] = (await idsStartingWith(p, 'benefit-')).filter((id) => id !== 'benefit-confirm' && id !== 'benefit-error');
    if (!first) throw new Error('no benefit to choose');
    await p.tap(`#${first}`);
  });
  await step(p, 'benefit-chosen', async () => {
    await p.tap('#benefit-confirm');
    await p.onPage('auth');
  });
}

/** C11 on the authorization page: the simulated e-voucher sheet, "同意授权", then continue. */
export async function authorizeVoucher(p: Preview): Promise<void> {
  await step(p, 'auth-sheet', async () => {
    await p.onPage('auth');
    await p.tap('#auth-start');
    await p.page.locator('#sim-sheet #sim-auth-ok').waitFor();
  });
  await step(p, 'auth-done', async () => {
    await p.sheet('sim-auth-ok');
    await p.$('#auth-done').waitFor();
  });
  await p.tap('#auth-continue');
}

/** Waits for the result page to finish confirming with the BFF in `state`. */
export async function resultSettles(p: Preview, state: string, timeoutMs = 90_000): Promise<void> {
  await p.onPage('result');
  await p.$(`#result-state[data-state="${state}"][data-phase="done"]`).waitFor({ timeout: timeoutMs });
}
