/**
 * C3 through real HTTP: orders paid through the WeChat sandbox by the BFF process of the stack,
 * refunded through the signed HIS API, then the day bill and reconciliation runs served by an
 * in-process app that mounts the bill routes, against the stack's Redis, centre and channels.
 * Each mismatch is injected into the sandbox's trade bill and must be found, and only it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fenToYuan, hisApi, type Amounts } from '@mip/shared';
import { billsApi, type DayBill, type ReconciliationRun } from '../../shared/src/contract/bills';
import { wire } from '../../bff/src/app/wiring';
import { loadConfig } from '../../bff/src/config';
import type { AppDeps as Deps } from '../../bff/src/app/deps';
import { createApp } from '../../bff/src/http/app';
import { mountBillRoutes } from '../../bff/src/http/routes/bills';
import { chinaDay } from '../../bff/src/reconciliation/days';
import { clearOfChinaMidnight } from '../support/china-day';
import { HisClient } from '../support/his-client';
import { WechatPatient } from '../support/patient';
import { waitForValue } from '../support/wait';
import { postJson, testStack, type TestStack } from '../support/stack';

let stack: TestStack;
let deps: Deps;
let server: http.Server;
let his: HisClient;
let today: string;
const orders: { orderNo: string; amounts: Amounts }[] = [];
let fullyRefunded: string;
let partlyRefunded: string;

const PLAN: [person: string, billNo: string][] = [
  ['zhang', 'MZCF000101'],
  ['zhang', 'MZCF000102'],
  ['huang', 'MZCF000501'],
  ['wang', 'MZCF000201'],
];

async function refundAndWait(orderNo: string, refundNo: string, body: { all: true } | { amounts: { fundFen: number; acctFen: number; cashFen: number } }) {
  const stackHis = HisClient.of(stack);
  await stackHis.ok(hisApi.createRefund, { body: { orderNo, refundNo, reason: '对账测试退费', ...body } });
  await waitForValue(`refund ${refundNo}`, async () => {
    const r = await stackHis.ok(hisApi.getRefund, { params: { orderNo, refundNo } });
    if (r.refund.state === 'failed' || r.refund.state === 'manual_review') throw new Error(`refund ${refundNo} ended ${r.refund.state}`);
    return r.refund.state === 'succeeded' ? r : undefined;
  });
}

beforeAll(async () => {
  await clearOfChinaMidnight();
  today = chinaDay(new Date());
  // the personal account pays nothing, so every order has a self-pay part in WeChat
  stack = await testStack({ sandboxConfig: { national: { policy: { accountPaysSelfPart: false } } } });
  process.env.LOG_LEVEL ??= 'warn'; // the in-process app's logger; the stack's processes log to files
  deps = wire(loadConfig({ MIP_CONFIG: stack.bffConfigFile } as NodeJS.ProcessEnv));
  const app = createApp(deps, { mount: [mountBillRoutes(deps, { boundaryMs: 0 })] });
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  his = HisClient.of(stack, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);

  const patients = new Map<string, WechatPatient>();
  for (const [key, billNo] of PLAN) {
    if (!patients.has(key)) patients.set(key, await (await new WechatPatient(stack, key).login()).onboard());
    const p = patients.get(key)!;
    const orderNo = await p.payOutpatient([billNo]);
    const done = await p.waitForState(orderNo, ['completed']);
    orders.push({ orderNo, amounts: done.amounts });
  }
  const mixed = orders.filter((o) => o.amounts.cashFen > 1 && o.amounts.fundFen > 1);
  if (mixed.length < 3) throw new Error(`need three orders with insurance and self-pay parts, got ${JSON.stringify(orders)}`);
  fullyRefunded = mixed[0].orderNo;
  partlyRefunded = mixed[1].orderNo;
  await refundAndWait(fullyRefunded, 'RFALL0001', { all: true });
  await refundAndWait(partlyRefunded, 'RFPART001', { amounts: { fundFen: 1, acctFen: 0, cashFen: 1 } });
}, 660_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  deps?.redis.disconnect();
  await stack?.cleanup();
});

beforeEach(async () => {
  await fetch(`${stack.urls.wechat}/sandbox/bill-mutations`, { method: 'DELETE' });
  await stack.faults('national').clear();
});

const sum = (list: Amounts[], k: keyof Amounts) => list.reduce((n, a) => n + (a[k] ?? 0), 0);
const mutate = (m: Record<string, unknown>) => postJson(`${stack.urls.wechat}/sandbox/bill-mutations`, { ...m, date: today });
const run = () => his.ok(billsApi.runReconciliation, { body: { date: today } }) as Promise<ReconciliationRun>;
const bill = async () => (await his.ok(billsApi.dayBill, { query: { date: today } })) as DayBill;

describe('the day bill over HTTP', () => {
  it('lists every payment and refund of the day and totals them per channel', async () => {
    const b = await bill();
    expect(b.records.filter((r) => r.type === 'payment').map((r) => r.orderNo).sort()).toEqual(orders.map((o) => o.orderNo).sort());
    expect(b.records.filter((r) => r.type === 'refund').map((r) => r.refundNo).sort()).toEqual(['RFALL0001', 'RFPART001']);
    const wechat = b.totals.find((t) => t.channel === 'wechat')!;
    const paid = orders.map((o) => o.amounts);
    const full = orders.find((o) => o.orderNo === fullyRefunded)!.amounts;
    expect(wechat).toMatchObject({ paymentCount: 4, refundCount: 2, refundsPending: 0 });
    expect(wechat.paid).toEqual({ totalFen: sum(paid, 'totalFen'), fundFen: sum(paid, 'fundFen'), acctFen: sum(paid, 'acctFen'), cashFen: sum(paid, 'cashFen') });
    expect(wechat.refunded).toEqual({ totalFen: full.totalFen + 2, fundFen: full.fundFen + 1, acctFen: full.acctFen, cashFen: full.cashFen + 1 });
    expect(wechat.net.totalFen).toBe(sum(paid, 'totalFen') - full.totalFen - 2);
  });

  it('answers the same bill as CSV with yuan amounts', async () => {
    const r = await his.call(billsApi.dayBill, { query: { date: today, format: 'csv' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = r.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0].startsWith('记录类型,订单号,')).toBe(true);
    expect(lines.filter((l) => l.startsWith('支付,')).length).toBe(4);
    const totals = lines[lines.indexOf('') + 2].split(',');
    expect(totals.slice(0, 3)).toEqual(['微信', '4', fenToYuan(sum(orders.map((o) => o.amounts), 'totalFen'))]);
  });

  it('refuses an unsigned request', async () => {
    const r = await fetch(`${his.base}/his/v1/bills?date=${today}`);
    expect(r.status).toBe(401);
  });
});

describe('reconciliation runs over HTTP', () => {
  it('finds zero differences on a clean day and stores the run', async () => {
    const r = await run();
    expect(r.differences).toEqual([]);
    expect(r.explained).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.summary).toMatchObject({ orders: 4, payments: 4, refunds: 2, matched: 6, mismatchTotal: 0 });
    expect(await his.ok(billsApi.getReconciliation, { params: { runId: r.runId } })).toEqual(r);
  });

  it('finds a payment dropped from the channel bill', async () => {
    const target = orders.find((o) => o.orderNo !== fullyRefunded && o.orderNo !== partlyRefunded)!;
    await mutate({ op: 'drop', outTradeNo: target.orderNo, kind: 'payment' });
    const r = await run();
    expect(r.differences.map((d) => [d.kind, d.orderNo])).toEqual([['missing_in_channel', target.orderNo]]);
  });

  it('finds a payment amount changed in the channel bill', async () => {
    const target = orders.find((o) => o.orderNo === partlyRefunded)!;
    await mutate({ op: 'amount', outTradeNo: target.orderNo, kind: 'payment', amountFen: target.amounts.cashFen + 100 });
    const r = await run();
    expect(r.differences.map((d) => [d.kind, d.orderNo, d.oursFen, d.theirsFen])).toEqual([['amount_mismatch', target.orderNo, target.amounts.cashFen, target.amounts.cashFen + 100]]);
  });

  it('finds a channel row we do not know', async () => {
    await mutate({ op: 'add', outTradeNo: 'UNKNOWN20990101', kind: 'payment', amountFen: 4321 });
    const r = await run();
    expect(r.differences.map((d) => [d.kind, d.outTradeNo, d.theirsFen])).toEqual([['missing_locally', 'UNKNOWN20990101', 4321]]);
  });

  it('finds a refund dropped from the channel bill', async () => {
    await mutate({ op: 'drop', outTradeNo: partlyRefunded, kind: 'refund' });
    const r = await run();
    expect(r.differences.map((d) => [d.kind, d.refundNo])).toEqual([['refund_missing_in_channel', 'RFPART001']]);
  });

  it('finds a refund amount changed in the channel bill', async () => {
    await mutate({ op: 'amount', outTradeNo: fullyRefunded, kind: 'refund', amountFen: 1 });
    const r = await run();
    expect(r.differences.map((d) => [d.kind, d.refundNo, d.theirsFen])).toEqual([['refund_amount_mismatch', 'RFALL0001', 1]]);
  });

  it('leaves the payments unverified and the run incomplete when the centre cannot be asked', async () => {
    await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999', message: '系统繁忙' });
    const r = await run();
    expect(r.differences).toEqual([]);
    expect(r.complete).toBe(false);
    expect(r.sources.find((s) => s.source === 'centre')).toMatchObject({ ok: false, failed: 4 });
    expect(r.summary).toMatchObject({ unverified: 4, matched: 2 });
  });
});
