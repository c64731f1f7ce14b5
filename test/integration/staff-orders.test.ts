/**
 * Staff order management (C15) over HTTP against a real redis-server: search, detail, the
 * manual-review list and its resolution, the CSV export and the console page.
 */
import { maskIdNumber } from '@mip/shared';
import { staffApi } from '../../bff/src/staff/contract';
import { orderFixture } from '../../bff/src/domain/fixtures';
import type { Order } from '../../bff/src/domain/order';
import { testRedis } from '../support/redis';
import { redisOnlyDeps, signedIn, startStaffApp, type StaffClient, type StaffTestApp } from '../support/staff';

const ZHANG_ID = '110101199003074514';
const LI_ID = '440106198501012133';

let redis: Awaited<ReturnType<typeof testRedis>>;
let app: StaffTestApp;
let finance: StaffClient;

function order(orderNo: string, createdAt: string, over: Partial<Order> = {}, idNo = ZHANG_ID): Order {
  const patientMasked = { nameMasked: idNo === LI_ID ? '李*' : '张*', idNoMasked: maskIdNumber(idNo) };
  return orderFixture({ orderNo, createdAt, updatedAt: createdAt, patientIdHash: app.deps.pii.lookupHash(idNo), patientMasked, timeline: [{ at: createdAt, from: 'created', to: 'created', event: 'order created', by: 'patient' }], ...over });
}

// China-time days: 2026-11-23T16:30Z is 00:30 on the 24th in Beijing.
const ORDERS = () => [
  order('O2611241000000SRCH01', '2026-11-23T16:30:00.000Z', { state: 'completed', paidAt: '2026-11-23T16:31:00.000Z' }),
  order('O2611241000000SRCH02', '2026-11-24T02:00:00.000Z', { state: 'reversed', channel: 'alipay', reversal: {
    startedAt: '2026-11-24T02:05:00.000Z', reason: 'HIS 未能入账（超过期限）', steps: [
      { step: 'booking_query', at: '2026-11-24T02:05:01.000Z', outcome: 'done', detail: 'HIS 确认未入账' },
      { step: 'his_reversal', at: '2026-11-24T02:05:02.000Z', outcome: 'done', detail: 'HIS 冲正 RV1' },
      { step: 'cash_refund', at: '2026-11-24T02:05:03.000Z', outcome: 'done', detail: '自费退款成功' },
    ] },
    refunds: [{ refundNo: 'O2611241000000SRCH02RV', requestedBy: 'reversal', state: 'succeeded', amounts: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 }, reason: '单边账冲正', createdAt: '2026-11-24T02:05:00.000Z' }] }, LI_ID),
  order('O2611231000000SRCH03', '2026-11-23T15:59:00.000Z', { state: 'completed' }),
  order('O2611241000000SRCH04', '2026-11-24T05:00:00.000Z', { state: 'manual_review', review: { reason: '冲正步骤 cash_refund 未能完成: NOT_ENOUGH', openedAt: '2026-11-24T05:10:00.000Z', fromState: 'reversing' } }),
];

beforeAll(async () => {
  redis = await testRedis();
  app = await startStaffApp(redisOnlyDeps(redis.url));
  for (const o of ORDERS()) await app.deps.orders.create(o);
  await app.deps.orders.appendCall('O2611241000000SRCH02', { at: '2026-11-24T02:04:00.000Z', peer: 'his', op: 'writeBack', ms: 1502, outcome: 'timeout', requestId: 'req-abc123', detail: `HIS said: patient ${LI_ID} unknown` });
  finance = await signedIn(app, ['finance']);
}, 30_000);
afterAll(async () => {
  await app?.close();
  app?.deps.redis.disconnect();
  await redis?.cleanup();
});

const search = (body: Record<string, unknown>) => finance.call(staffApi.searchOrders, { body });
const nos = (r: { body: { orders: { orderNo: string }[] } }) => r.body.orders.map((o) => o.orderNo);

describe('searching orders', () => {
  it('finds the orders of a China-time day, newest first', async () => {
    const r = await search({ from: '2026-11-24', to: '2026-11-24' });
    expect(r.status).toBe(200);
    expect(nos(r)).toEqual(['O2611241000000SRCH04', 'O2611241000000SRCH02', 'O2611241000000SRCH01']);
  });

  it('finds a patient by full ID number without the number appearing in the answer', async () => {
    const r = await search({ from: '2026-11-23', to: '2026-11-24', idNo: LI_ID });
    expect(nos(r)).toEqual(['O2611241000000SRCH02']);
    expect(r.text).not.toContain(LI_ID);
    expect(r.body.orders[0].patient.idNoMasked).toBe('440106********2133');
  });

  it('finds an order by its number, typed in lower case, without a date range', async () => {
    expect(nos(await search({ orderNo: 'o2611231000000srch03' }))).toEqual(['O2611231000000SRCH03']);
  });

  it('filters by state and channel', async () => {
    expect(nos(await search({ from: '2026-11-23', to: '2026-11-24', state: 'completed' }))).toEqual(['O2611241000000SRCH01', 'O2611231000000SRCH03']);
    expect(nos(await search({ from: '2026-11-23', to: '2026-11-24', channel: 'alipay' }))).toEqual(['O2611241000000SRCH02']);
  });

  it('pages the results and reports the total', async () => {
    const r = await search({ from: '2026-11-23', to: '2026-11-24', page: 2, pageSize: 3 });
    expect(r.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(nos(r)).toEqual(['O2611231000000SRCH03']);
  });

  it('refuses a range longer than 31 days', async () => {
    const r = await search({ from: '2026-10-01', to: '2026-11-24' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('shows the refunded amount on each row', async () => {
    const r = await search({ orderNo: 'O2611241000000SRCH02' });
    expect(r.body.orders[0]).toMatchObject({ refundedFen: 10_000, state: 'reversed', stateLabel: '已冲正退回' });
  });
});

describe('an order in detail', () => {
  it('shows amounts, payments, refunds and the reversal steps', async () => {
    const { body } = await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000SRCH02' } });
    const o = body.order;
    expect(o.amounts).toEqual({ totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 });
    expect(o.payments.map((p: { part: string }) => p.part)).toEqual(['insurance', 'self_pay']);
    expect(o.refunds[0]).toMatchObject({ requestedBy: 'reversal', state: 'succeeded' });
    expect(o.reversal.steps.map((s: { step: string }) => s.step)).toEqual(['booking_query', 'his_reversal', 'cash_refund']);
  });

  it('shows the full timeline and the peer-call log, with ID numbers masked', async () => {
    const r = await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000SRCH02' } });
    expect(r.body.order.timeline[0]).toMatchObject({ event: 'order created', by: 'patient' });
    expect(r.body.order.calls).toEqual([expect.objectContaining({ peer: 'his', op: 'writeBack', outcome: 'timeout', requestId: 'req-abc123', detail: 'HIS said: patient 440106********2133 unknown' })]);
    expect(r.text).not.toContain(LI_ID);
  });

  it('never shows tokens or the sealed identity', async () => {
    const r = await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000SRCH01' } });
    for (const secret of ['payToken', 'revsToken', 'piiSealed', 'patientIdHash', 'psnNo']) expect(r.text).not.toContain(secret);
  });

  it('answers ORDER_NOT_FOUND for an unknown order', async () => {
    const r = await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000NONE99' } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('ORDER_NOT_FOUND');
  });
});

describe('manual review', () => {
  it('lists the orders waiting for a person with the reason', async () => {
    const r = await finance.call(staffApi.listReviews);
    expect(r.body.reviews).toEqual([expect.objectContaining({ orderNo: 'O2611241000000SRCH04', review: expect.objectContaining({ reason: expect.stringContaining('cash_refund') }) })]);
  });

  it('offers the states the case may be resolved to', async () => {
    const r = await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000SRCH04' } });
    expect(r.body.order.reviewTargets).toEqual(['completed', 'reversed', 'refunded', 'cancelled', 'failed']);
  });

  it('refuses a resolution without a note', async () => {
    const r = await finance.call(staffApi.resolveReview, { params: { orderNo: 'O2611241000000SRCH04' }, body: { to: 'reversed', note: ' ', version: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a resolution made on an older version of the order', async () => {
    const r = await finance.call(staffApi.resolveReview, { params: { orderNo: 'O2611241000000SRCH04' }, body: { to: 'reversed', note: '已人工退款到微信零钱', version: 2 } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'ORDER_STATE_CONFLICT', details: { reason: 'stale' } });
  });

  it('resolves a case: new state, staff id and note on the timeline, gone from the list', async () => {
    const before = (await finance.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000SRCH04' } })).body.order;
    const me = (await finance.call(staffApi.me)).body.staff;
    const r = await finance.call(staffApi.resolveReview, { params: { orderNo: 'O2611241000000SRCH04' }, body: { to: 'reversed', note: '已在微信商户平台人工退款', version: before.version } });
    expect(r.status).toBe(200);
    expect(r.body.order.state).toBe('reversed');
    expect(r.body.order.timeline.at(-1)).toMatchObject({ from: 'manual_review', to: 'reversed', by: 'staff', reason: '已在微信商户平台人工退款' });
    expect(r.body.order.timeline.at(-1).event).toContain(me.staffId);
    expect(r.body.order.review).toMatchObject({ resolvedBy: me.staffId, resolution: 'reversed' });
    expect((await finance.call(staffApi.listReviews)).body.reviews).toEqual([]);
    expect((await app.deps.orders.countByState()).manual_review).toBe(0);
  });

  it('refuses to resolve an order that is not in review', async () => {
    const r = await finance.call(staffApi.resolveReview, { params: { orderNo: 'O2611241000000SRCH01' }, body: { to: 'completed', note: '重复提交的处理', version: 1 } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ORDER_STATE_CONFLICT');
  });
});

describe('the CSV export', () => {
  it('downloads the search as a UTF-8 CSV with a byte-order mark, amounts in yuan and the patient masked', async () => {
    const res = await fetch(`${app.url}/staff/api/orders/export`, {
      method: 'POST',
      headers: { cookie: finance.cookie!, 'x-csrf-token': finance.csrf!, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '2026-11-24', to: '2026-11-24' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="orders-20261124-20261124.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^订单号,下单时间/);
    expect(lines.find((l) => l.startsWith('O2611241000000SRCH02'))).toContain('440106********2133,100.00,60.00,15.00,25.00,100.00');
    expect(bytes.toString('utf8')).not.toContain(LI_ID);
  });
});

describe('the console page', () => {
  it('is served at /staff/ with a strict content security policy', async () => {
    const r = await fetch(`${app.url}/staff/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(await r.text()).toContain('id="login-form"');
  });

  it('redirects /staff to /staff/', async () => {
    const r = await fetch(`${app.url}/staff`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/staff/');
  });

  it('serves its script and marks staff answers as not cacheable', async () => {
    const js = await fetch(`${app.url}/staff/console.js`);
    expect(js.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    // the state labels are filled in from their one source
    expect(await js.text()).toContain('"manual_review":"待人工核对"');
    const api = await finance.call(staffApi.listReviews);
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});
