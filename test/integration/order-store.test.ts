import { Keys, shardOf } from '../../bff/src/store/keys';
import type { RedisClient } from '../../bff/src/store/redis';
import { OrderStore } from '../../bff/src/store/order-store';
import { orderFixture } from '../../bff/src/domain/fixtures';
import { onCashReport, onSettlementReport, type SettlementPolicy } from '../../bff/src/domain/settlement';
import { testOrderStore, type TestOrderStore } from '../support/redis';
import { job } from '../../bff/src/domain/jobs';
import { onCancelled } from '../../bff/src/domain/payment';
import { RedisPayParams } from '../../bff/src/store/named-stores';

const policy: SettlementPolicy = { settledOrdStas: ['6'], pollBaseMs: 1000, pollMaxMs: 10_000, pollMaxAttempts: 5, writeBackDeadlineMs: 60_000 };
const amounts = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 };

describe('orders in Redis', () => {
  const keys = new Keys('t:');
  let t: TestOrderStore;
  let client: RedisClient;
  let store: OrderStore;

  beforeAll(async () => {
    t = await testOrderStore(keys);
    ({ client, store } = t);
  });
  afterAll(() => t.cleanup());

  async function paidByChannel(orderNo: string) {
    await store.create(orderFixture({ orderNo, version: 1 }));
    await store.update(orderNo, (o) => onCashReport(o, { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, new Date()));
  }

  it('applies 50 concurrent copies of one settlement notification as exactly one transition and one queued job', async () => {
    const orderNo = 'O2611231000000CONC50';
    await paidByChannel(orderNo);
    const stream = keys.jobs(shardOf(orderNo));
    const before = await client.xlen(stream);
    const report = { source: 'notify_6302' as const, payOrdId: 'ORD1', ordStas: '6', amounts };
    const results = await Promise.all(Array.from({ length: 50 }, () => store.update(orderNo, (o) => onSettlementReport(o, report, policy, new Date()))));
    const transitions = results.filter((r) => r.change?.transition).map((r) => r.change!.transition);
    expect(transitions).toEqual([{ from: 'awaiting_payment', to: 'paid' }]);
    const entries = await client.xrange(stream, '-', '+');
    const jobs = entries.slice(before).map(([, f]) => JSON.parse(f[1]) as { type: string; key: string }).filter((j) => j.key === orderNo);
    expect(jobs.map((j) => j.type)).toEqual(['his.writeBack']);
    const stored = (await store.get(orderNo))!;
    expect(stored.state).toBe('paid');
    expect(stored.timeline.filter((t) => t.event === '支付完成')).toHaveLength(1);
  });

  it('refuses to create an order number twice', async () => {
    await store.create(orderFixture({ orderNo: 'O2611231000000TWICE1' }));
    await expect(store.create(orderFixture({ orderNo: 'O2611231000000TWICE1' }))).rejects.toThrow('already exists');
  });

  it('keeps the state counters and the manual-review list in step with the orders', async () => {
    await store.create(orderFixture({ orderNo: 'O2611231000000REVIEW' }));
    await store.update('O2611231000000REVIEW', (o) => onSettlementReport(o, { source: 'notify_6302', payOrdId: 'OTHER', ordStas: '6' }, policy, new Date()));
    expect(await store.reviewOrderNos()).toContain('O2611231000000REVIEW');
    const counts = await store.countByState();
    expect(counts.manual_review).toBeGreaterThanOrEqual(1);
  });

  it('counts open orders by their state and finished ones by their entry into a final state', async () => {
    const counting = new OrderStore(client, new Keys('count:'));
    await counting.create(orderFixture({ orderNo: 'O2611231000000COUNT1' }));
    await counting.create(orderFixture({ orderNo: 'O2611231000000COUNT2' }));
    await counting.update('O2611231000000COUNT2', (o) => onCancelled(o, '患者取消', 'patient', new Date()));
    const counts = await counting.countByState();
    expect(counts).toMatchObject({ awaiting_payment: 1, cancelled: 1, paid: 0, completed: 0 });
    // one HINCRBY, for the entry into a final state only
    expect(await client.hgetall(new Keys('count:').states(shardOf('O2611231000000COUNT2')))).toEqual({ 'awaiting_payment>cancelled': '1' });
  });

  it('takes the expiry and the first polls off the schedule in the step that leaves the unpaid states', async () => {
    const orderNo = 'O2611231000000CANCEL';
    const later = { delayMs: 60_000, attempt: 1 };
    await store.create(orderFixture({ orderNo }), [job('order.expire', orderNo, later), job('settlement.poll', orderNo, later), job('payment.poll', orderNo, later)]);
    const scheduled = async () => (await client.zrange(keys.delayed(shardOf(orderNo)), '0', '-1')).filter((m) => m.includes(orderNo)).map((m) => (JSON.parse(m) as { type: string }).type);
    expect((await scheduled()).sort()).toEqual(['order.expire', 'payment.poll', 'settlement.poll']);
    await store.update(orderNo, (o) => onCashReport(o, { source: 'channel_notify', status: 'paid', cashPaidFen: 2_500 }, policy, new Date()));
    // still awaiting the centre, an unpaid state: nothing is taken off, and the cash adds its own poll (domain/jobs.ts AFTER_CASH)
    expect((await scheduled()).sort()).toEqual(['order.expire', 'payment.poll', 'settlement.poll', 'settlement.poll']);
    await store.update(orderNo, (o) => onSettlementReport(o, { source: 'notify_6302', payOrdId: 'ORD1', ordStas: '6', amounts }, policy, new Date()));
    expect((await store.get(orderNo))?.state).toBe('paid');
    expect(await scheduled()).toEqual([]);
  });

  it('keeps a delayed job its step schedules even when the step also cancels one that looks the same', async () => {
    const orderNo = 'O2611231000000RESCHD';
    const later = { delayMs: 60_000, attempt: 1 };
    await store.create(orderFixture({ orderNo }), [job('settlement.poll', orderNo, later)]);
    const scheduled = async () => (await client.zrange(keys.delayed(shardOf(orderNo)), '0', '-1', 'WITHSCORES')).filter((m, i, all) => all[i - 1]?.includes(orderNo) ?? false).map(Number);
    const [first] = await scheduled();
    // a step that leaves the unpaid states and schedules the same first poll again, later
    await store.update(orderNo, (o) => {
      const change = onCancelled(o, 'test', 'system', new Date())!;
      return { ...change, jobs: [job('settlement.poll', orderNo, { delayMs: 120_000, attempt: 1 })] };
    });
    const after = await scheduled();
    expect(after).toHaveLength(1);
    expect(after[0]).toBeGreaterThan(first);
  });

  it('keeps the pay parameters beside the order and hands them out only within the pay window', async () => {
    const orderNo = 'O2611231000000PAYPRM';
    let now = new Date('2026-12-06T10:00:00Z');
    const params = new RedisPayParams(client, keys, () => now);
    await store.create(orderFixture({ orderNo }));
    const payment = { channel: 'wechat' as const, mixTradeNo: 'MIX1', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'RSA' as const, paySign: 's' };
    await store.update(orderNo, (o) => ({ order: { ...o, updatedAt: now.toISOString() }, jobs: [] }), undefined, { payParams: { params: payment, expiresAt: '2026-12-06T10:30:00Z' } });
    expect(await params.get(orderNo)).toEqual(payment);
    now = new Date('2026-12-06T10:30:00Z');
    expect(await params.get(orderNo)).toBeNull();
  });

  it('writes a peer-call record with the order step that follows it, with no command of its own', async () => {
    const orderNo = 'O2611231000000CALLS1';
    await store.create(orderFixture({ orderNo }));
    const call = { at: new Date().toISOString(), peer: 'national', op: '6201', ms: 12, outcome: 'ok' };
    await store.appendCall(orderNo, call);
    await store.update(orderNo, (o) => onCancelled(o, '患者取消', 'patient', new Date()));
    expect(await client.exists(keys.calls(orderNo))).toBe(0);
    expect(await store.calls(orderNo)).toEqual([call]);
  });

  it('writes a peer-call record alone when no step of its order follows', async () => {
    const orderNo = 'O2611231000000CALLS2';
    await store.create(orderFixture({ orderNo }));
    const call = { at: new Date().toISOString(), peer: 'his', op: 'queryBooking', ms: 3, outcome: 'ok' };
    await store.appendCall(orderNo, call);
    while ((await client.llen(keys.calls(orderNo))) === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await store.calls(orderNo)).toEqual([call]);
  });

  it('still hands out pay parameters kept under their former key (an order paying across a deploy)', async () => {
    const orderNo = 'O2611231000000PAYOLD';
    await store.create(orderFixture({ orderNo }));
    const payment = { channel: 'wechat' as const, mixTradeNo: 'MIX2' };
    await client.set(keys.vault('payparams', orderNo), JSON.stringify(payment), 'PX', 60_000);
    expect(await new RedisPayParams(client, keys).get(orderNo)).toEqual(payment);
  });

  it('keeps an acknowledged order across a Redis crash and restart (AOF)', async () => {
    const orderNo = 'O2611231000000AOFOK1';
    await paidByChannel(orderNo);
    await t.redis.restart(); // SIGKILL, then start on the same data directory
    const back = await store.get(orderNo);
    expect(back?.state).toBe('awaiting_payment');
    expect(back?.evidence.cashPaid?.source).toBe('channel_notify');
    expect(back?.version).toBe(2);
  });
});
