/**
 * Regression tests for the defects the fault suite found (issue 7). Each one drives the exact
 * situation with a real Redis and stand-in peers, without the whole stack.
 */
import { Keys } from '../../bff/src/store/keys';
import type { RedisClient } from '../../bff/src/store/redis';
import type { OrderStore } from '../../bff/src/store/order-store';
import { JobQueue, Worker } from '../../bff/src/store/queue';
import { RedisIdempotencyClaims, RedisLocks } from '../../bff/src/store/named-stores';
import { createLogger } from '../../bff/src/obs/log';
import { job } from '../../bff/src/domain/jobs';
import { orderFixture } from '../../bff/src/domain/fixtures';
import type { Order } from '../../bff/src/domain/order';
import type { Deps } from '../../bff/src/flows/deps';
import { writeBackJob } from '../../bff/src/flows/write-back';
import { expireJob } from '../../bff/src/flows/cancelling';
import { paymentPollJob, settlementPollJob } from '../../bff/src/flows/confirming';
import { jobHandlers } from '../../bff/src/worker/handlers';
import { onCashReport } from '../../bff/src/domain/settlement';
import { shardOf } from '../../bff/src/store/keys';
import type { Job } from '../../bff/src/domain/jobs';
import type { QueryOutcome, RevokeOutcome } from '../../bff/src/national/port';
import { buildOrder, type OrderOwner } from '../../bff/src/flows/order-draft';
import { PeerError } from '../../bff/src/peers/http-client';
import type { PreSettlement } from '../../bff/src/his/port';
import { testOrderStore, type TestOrderStore } from '../support/redis';
import { waitFor } from '../support/wait';
import { startHis } from '../../sandbox/his/testing';
import { adapterFor, preSettledBills, settlementOf, ZHANG } from '../support/his-fixtures';

const log = createLogger('regressions', 'silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const keys = new Keys('rg:');
let t: TestOrderStore;
let client: RedisClient;
let store: OrderStore;

beforeAll(async () => {
  t = await testOrderStore(keys);
  ({ client, store } = t);
});
afterAll(() => t.cleanup());

/** Just enough of Deps for one flow: real orders in Redis, peers given per test. */
function depsWith(over: Record<string, unknown>): Deps {
  return {
    log,
    orders: store,
    // the named stores flows take since issue 13.2 (Idempotency-Key claims, pay-step leases)
    idempotency: new RedisIdempotencyClaims(client, keys),
    locks: new RedisLocks(client, keys),
    now: () => new Date(),
    pii: { open: () => ({ idNo: '440106196503122134', name: '张建国' }) },
    vault: { dropOrder: async () => undefined },
    // cancelling closes the channel's unpaid order first (issue 11): nothing was paid here
    channels: { wechat: { closePayment: async () => 'closed' }, alipay: {} },
    config: {
      his: { writeBack: { baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 60_000 } },
      national: { settledOrdStas: ['6'], pollBaseMs: 100, pollMaxMs: 1000, pollMaxAttempts: 5 },
    },
    ...over,
  } as unknown as Deps;
}

function paidOrder(orderNo: string): Order {
  return orderFixture({
    orderNo,
    version: 1,
    state: 'paid',
    paidAt: new Date().toISOString(),
    evidence: { insuranceSettled: { source: 'notify_6302', ordStas: '6', at: new Date().toISOString() }, cashPaid: { source: 'channel_notify', at: new Date().toISOString() } },
    writeBack: { attempts: 0, deadlineAt: new Date(Date.now() + 60_000).toISOString() },
  });
}

describe('the durable queue keeps the lease of a job that is still running', () => {
  it('does not let another process claim and run a job that takes longer than claimIdleMs', async () => {
    // Before: XAUTOCLAIM in a second process took any entry idle for claimIdleMs, even one still
    // being worked on — a HIS write-back slower than that ran twice at once (a double booking).
    const queue = new JobQueue(client, keys);
    const opts = { concurrency: 4, claimIdleMs: 300, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 4, blockMs: 100 };
    const runs: string[] = [];
    const slow = async (consumer: string) => {
      runs.push(consumer);
      await sleep(2000);
      return 'done' as const;
    };
    const a = new Worker(queue, { 'his.writeBack': () => slow('a') }, { ...opts, consumer: 'a' }, log);
    await a.start();
    await queue.enqueue(job('his.writeBack', 'O-LEASE-1'));
    while (!runs.length) await sleep(20);
    const b = new Worker(queue, { 'his.writeBack': () => slow('b') }, { ...opts, consumer: 'b' }, log);
    await b.start();
    await sleep(2300);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs).toEqual(['a']);
    expect((await queue.depth()).pending).toBe(0);
  }, 20_000);
});

describe('HIS write-back after a process died with the request in flight', () => {
  it('asks HIS whether it booked before writing again after a first delivery died unmarked (HIS write-back is not idempotent)', async () => {
    // Before: the next run found the order "paid" with nothing recorded and wrote back again:
    // HIS booked the settlement twice.
    const orderNo = 'O261124000000WBAHD1';
    await store.create(paidOrder(orderNo));
    const calls: string[] = [];
    const hanging = depsWith({
      his: {
        writeBackSettlement: () => (calls.push('writeBack'), new Promise(() => undefined)), // the process dies here
        queryBooking: async () => (calls.push('queryBooking'), { booked: false }),
      },
    });
    void writeBackJob(hanging, orderNo, { firstDelivery: true });
    await waitFor(() => calls.length > 0);
    expect(calls).toEqual(['writeBack']);
    // the first delivery leaves no mark on the order: its pending entry is the mark
    expect((await store.get(orderNo))!.writeBack!.attemptStartedAt).toBeUndefined();

    // another process claims the job: a redelivery
    const next = depsWith({
      his: {
        writeBackSettlement: async () => (calls.push('writeBack'), { outcome: 'recorded', hisReceiptNo: 'SJ2' }),
        queryBooking: async () => (calls.push('queryBooking'), { booked: true, hisReceiptNo: 'SJ1' }),
      },
    });
    expect(await writeBackJob(next, orderNo, { firstDelivery: false })).toBe('done');
    expect(calls).toEqual(['writeBack', 'queryBooking']);
    const o = (await store.get(orderNo))!;
    expect(o.state).toBe('completed');
    expect(o.writeBack!.hisReceiptNo).toBe('SJ1');
  });

  it('marks a request a later run sends, and the run after it asks HIS first', async () => {
    const orderNo = 'O261124000000WBAHD3';
    const o = paidOrder(orderNo);
    o.writeBack!.attempts = 1; // an earlier request's answer (HIS unreachable) is on the order
    await store.create(o);
    const calls: string[] = [];
    const hanging = depsWith({
      his: {
        writeBackSettlement: () => (calls.push('writeBack'), new Promise(() => undefined)),
        queryBooking: async () => (calls.push('queryBooking'), { booked: false }),
      },
    });
    void writeBackJob(hanging, orderNo, { firstDelivery: false });
    await waitFor(() => calls.length > 0);
    expect(calls).toEqual(['writeBack']);
    expect((await store.get(orderNo))!.writeBack!.attemptStartedAt).toBeDefined();

    const next = depsWith({
      his: {
        writeBackSettlement: async () => (calls.push('writeBack'), { outcome: 'recorded', hisReceiptNo: 'SJ5' }),
        queryBooking: async () => (calls.push('queryBooking'), { booked: true, hisReceiptNo: 'SJ4' }),
      },
    });
    expect(await writeBackJob(next, orderNo, { firstDelivery: false })).toBe('done');
    expect(calls).toEqual(['writeBack', 'queryBooking']);
    const done = (await store.get(orderNo))!;
    expect(done.writeBack!.hisReceiptNo).toBe('SJ4');
    expect(done.writeBack!.attemptStartedAt).toBeUndefined();
  });

  it('writes again once HIS says it has no record', async () => {
    const orderNo = 'O261124000000WBAHD2';
    const o = paidOrder(orderNo);
    o.writeBack!.attemptStartedAt = new Date().toISOString();
    await store.create(o);
    const calls: string[] = [];
    const deps = depsWith({
      his: {
        writeBackSettlement: async () => (calls.push('writeBack'), { outcome: 'recorded', hisReceiptNo: 'SJ3' }),
        queryBooking: async () => (calls.push('queryBooking'), { booked: false }),
      },
    });
    expect(await writeBackJob(deps, orderNo)).toBe('done');
    expect(calls).toEqual(['queryBooking', 'writeBack']);
    expect((await store.get(orderNo))!.state).toBe('completed');
  });
});

describe('expiry of an unpaid order when the centre refuses 6401 for a passing reason', () => {
  it('tries the cancellation again instead of leaving the order open for good', async () => {
    // Before: any 6401 refusal was taken for "paid meanwhile"; the job ended and an unpaid order
    // stayed awaiting_payment forever (its polls had ended too).
    const orderNo = 'O261124000000EXP401';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment' }));
    let busy = true;
    const deps = depsWith({
      centre: {
        revokeUpload: async (): Promise<RevokeOutcome> => (busy ? { kind: 'refused', code: '9999', reason: '9999 系统繁忙' } : { kind: 'revoked' }),
        querySettlement: async (): Promise<QueryOutcome> => ({ kind: 'answered', status: { payOrdId: 'ORD1', ordStas: '1', split: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 } } }),
      },
    });
    const first = await expireJob(deps, orderNo, 1);
    expect(first).toEqual({ retryInMs: expect.any(Number) });
    expect((await store.get(orderNo))!.state).toBe('awaiting_payment');
    busy = false;
    expect(await expireJob(deps, orderNo, 2)).toBe('done');
    expect((await store.get(orderNo))!.state).toBe('cancelled');
  });

  it('expires an order the polls made payable again after it had been awaiting confirmation at its expiry', async () => {
    // Before: the expiry ended on an order awaiting confirmation ("polling decides"); 6301 then said
    // the insurance order existed, the order became payable again, and nothing was left to close it.
    const orderNo = 'O261124000000EXP403';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_confirmation' }));
    const deps = depsWith({ centre: { revokeUpload: async (): Promise<RevokeOutcome> => ({ kind: 'revoked' }) } });
    expect(await expireJob(deps, orderNo, 1)).toEqual({ retryInMs: expect.any(Number) });
    await store.update(orderNo, (o) => ({ order: { ...o, state: 'awaiting_payment' }, jobs: [] }));
    expect(await expireJob(deps, orderNo, 2)).toBe('done');
    expect((await store.get(orderNo))!.state).toBe('cancelled');
  });

  it('still ends the job when the centre refuses because the order was paid', async () => {
    const orderNo = 'O261124000000EXP402';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment' }));
    const deps = depsWith({
      centre: {
        revokeUpload: async (): Promise<RevokeOutcome> => ({ kind: 'refused', code: '2004', reason: '2004 订单已结算' }),
        querySettlement: async (): Promise<QueryOutcome> => ({ kind: 'answered', status: { payOrdId: 'ORD1', ordStas: '6', split: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 } } }),
      },
    });
    expect(await expireJob(deps, orderNo, 1)).toBe('done');
    const o = (await store.get(orderNo))!;
    expect(o.state).toBe('awaiting_payment');
    expect(o.evidence.insuranceSettled).toBeDefined();
  });
});

describe('an open order with one leg paid whose other leg was never confirmed', () => {
  // Seen once in the 1,000-flow fault suite beside two others (seed 1126543163): the cash was taken,
  // the centre's 6302 was lost (the suite drops 5 %), 6301 did not answer in time under the load;
  // the settlement poll ran out and ended, the expiry ended because money had moved, and the order
  // stayed awaiting_payment with the cash taken and ordStas 6 at the centre, with no job left.
  const cashPaid = () => ({ cashPaid: { source: 'channel_notify' as const, at: new Date().toISOString() } });
  const unanswered = async (): Promise<QueryOutcome> => ({ kind: 'unknown', why: 'timeout', reason: '6301 timed out' });
  const policy = { settledOrdStas: ['6'], pollBaseMs: 100, pollMaxMs: 1000, pollMaxAttempts: 5, writeBackDeadlineMs: 60_000 };

  it('gives the order to a person when the settlement poll the cash started runs out', async () => {
    const orderNo = 'O261124000000POL001';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment' }));
    const deps = depsWith({ centre: { querySettlement: unanswered } });
    // the cash report, recorded as the notification records it: its poll goes to the delayed set
    await store.update(orderNo, (o) => onCashReport(o, { source: 'channel_notify', status: 'paid', cashPaidFen: o.amounts.cashFen }, policy, new Date()));
    const delayed = (await client.zrange(keys.delayed(shardOf(orderNo)), '0', '-1')).map((m) => JSON.parse(m) as Job & { attempt: number });
    const poll = delayed.find((j) => j.key === orderNo && j.type === 'settlement.poll')!;
    expect(poll.data).toEqual({ after: 'cash' });
    // that poll, run through the worker's handlers at its last attempts
    const run = (attempt: number) => jobHandlers(deps)['settlement.poll']!({ ...poll, attempt, redelivered: false });
    expect(await run(4)).toEqual({ retryInMs: expect.any(Number) });
    expect((await store.get(orderNo))!.state).toBe('awaiting_payment');
    expect(await run(5)).toBe('done');
    const o = (await store.get(orderNo))!;
    expect(o.state).toBe('manual_review');
    expect(o.review?.reason).toMatch(/自费部分已收款/);
  });

  it('gives the order to a person at the last attempt even when the centre cannot be reached at all', async () => {
    const orderNo = 'O261124000000POL004';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment', evidence: cashPaid() }));
    const deps = depsWith({ centre: { querySettlement: async (): Promise<QueryOutcome> => ({ kind: 'unavailable', reason: 'connect ECONNREFUSED' }) } });
    await expect(settlementPollJob(deps, orderNo, 4, 'cash')).rejects.toThrow(/unavailable/);
    expect(await settlementPollJob(deps, orderNo, 5, 'cash')).toBe('done');
    expect((await store.get(orderNo))!.state).toBe('manual_review');
  });

  it('does not hand the order over when an older settlement poll, from before the cash came, runs out', async () => {
    const orderNo = 'O261124000000POL003';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment', evidence: cashPaid() }));
    const deps = depsWith({ centre: { querySettlement: unanswered } });
    expect(await settlementPollJob(deps, orderNo, 5)).toBe('done');
    expect((await store.get(orderNo))!.state).toBe('awaiting_payment');
  });

  it('gives the order to a person when the payment poll the settlement started runs out', async () => {
    const orderNo = 'O261124000000POL002';
    const expired = new Date(Date.now() - 60_000).toISOString();
    await store.create(
      orderFixture({
        orderNo,
        version: 1,
        state: 'awaiting_payment',
        evidence: { insuranceSettled: { source: 'notify_6302', ordStas: '6', at: expired } },
        payment: { channel: 'wechat', channelRef: 'wx1', outTradeNo: orderNo, createdAt: expired, expiresAt: expired },
      }),
    );
    const deps = depsWith({ channels: { wechat: { queryPayment: async () => ({ status: 'pending' }) }, alipay: {} } });
    expect(await paymentPollJob(deps, orderNo, 12, 'insurance')).toBe('done');
    expect((await store.get(orderNo))!.review?.reason).toMatch(/医保已结算/);
  });

  it('gives an order its expiry could not cancel in twenty tries to a person instead of ending', async () => {
    const orderNo = 'O261124000000EXP404';
    await store.create(orderFixture({ orderNo, version: 1, state: 'awaiting_payment' }));
    const deps = depsWith({
      centre: { revokeUpload: async (): Promise<RevokeOutcome> => ({ kind: 'unknown', why: 'timeout', reason: '6401 timed out' }) },
    });
    expect(await expireJob(deps, orderNo, 19)).toEqual({ retryInMs: expect.any(Number) });
    expect(await expireJob(deps, orderNo, 20)).toBe('done');
    expect((await store.get(orderNo))!.state).toBe('manual_review');
  });
});

describe('an Idempotency-Key whose first request died before its order was stored', () => {
  const owner: OrderOwner = {
    ownerKey: 'wechat:sandbox-zhang',
    idempotencyScope: 'wechat:sandbox-zhang',
    channel: 'wechat',
    openId: 'sandbox-zhang',
    by: 'patient',
    identitySealed: 'sealed',
    hisPatientId: 'P1',
    regionCode: '440100',
    psnNo: '44000000000000001001',
    insutype: '310',
  };
  const pre = (key: string): PreSettlement => ({
    preSettlementId: `PS-${key}`,
    totalFen: 1000,
    estimate: { fundFen: 600, acctFen: 0, cashFen: 400 },
    items: [{ feedetlSn: '1', medListCodg: 'X', medinsListCodg: 'Y', name: '诊察费', quantity: '1', unitPriceFen: 1000, amountFen: 1000, category: '甲类', bilgDeptCodg: 'D', bilgDeptName: '内科', bilgDrCodg: 'DR', bilgDrName: '李', feeOcurTime: '2026-11-24 09:00:00' }],
    visit: { iptOtpNo: 'MZ1', deptCode: 'D1', deptName: '内科', caty: 'A03', drCode: 'DR1', drName: '李医生', medType: '12', begntime: '2026-11-24 10:00:00', diseases: [] },
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  }) as PreSettlement;
  const orderDeps = (preSettle: (key: string) => Promise<PreSettlement>) =>
    depsWith({
      his: { preSettleRegistration: (_q: unknown, ctx: { idempotencyKey: string }) => preSettle(ctx.idempotencyKey), timeoutMs: 100 },
      pii: { open: () => ({ idNo: '440106196503122134', name: '张建国' }), seal: () => 'sealed', lookupHash: () => 'h' },
      config: { unpaidOrderTtlMs: 600_000, his: { timeoutMs: 100, writeBack: { baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 60_000 } } },
      now: () => new Date(clockStart + clockOffsetMs),
    });
  /** the flows' clock (Deps.now): stands still however slow the machine, and the test advances it */
  const clockStart = Date.now();
  let clockOffsetMs = 0;
  const body = { kind: 'registration' as const, slotId: 'D1001-20261124-AM' };

  it('finishes the order under the same order number once the first request is taken for dead', async () => {
    // Before: the key answered "上一次请求仍在处理中" (409) for 24 hours, and a new key made a second
    // pre-settlement while the first one held the slot.
    const keysSeen: string[] = [];
    const dying = orderDeps((k) => (keysSeen.push(k), new Promise(() => undefined))); // the process dies in the HIS call
    void buildOrder(dying, owner, body, 'idem-crash-0001', async () => undefined).catch(() => undefined);
    await waitFor(() => keysSeen.length > 0);
    const early = await buildOrder(orderDeps(async (k) => (keysSeen.push(k), pre(k))), owner, body, 'idem-crash-0001', async () => undefined).catch((e: { code?: string }) => e.code);
    expect(early).toBe('ORDER_STATE_CONFLICT'); // still within the time the first one may legitimately take
    clockOffsetMs += 5300; // past 2 × the HIS timeout + 5 s (flows/order-draft.ts staleAfterMs)
    const added: string[] = [];
    const order = await buildOrder(orderDeps(async (k) => (keysSeen.push(k), pre(k))), owner, body, 'idem-crash-0001', async (o) => void added.push(o.orderNo));
    expect(keysSeen).toEqual([keysSeen[0], keysSeen[0]]);
    expect(order.orderNo).toBe(keysSeen[0]);
    expect(added).toEqual([order.orderNo]);
    // and the key now answers that order
    const again = await buildOrder(orderDeps(async () => Promise.reject(new Error('HIS must not be asked again'))), owner, body, 'idem-crash-0001', async () => undefined);
    expect(again.orderNo).toBe(order.orderNo);
  }, 20_000);

  it('repeats an unanswered pre-settlement under the same order number at once', async () => {
    const keysSeen: string[] = [];
    let first = true;
    const deps = orderDeps(async (k) => {
      keysSeen.push(k);
      if (first) {
        first = false;
        throw new PeerError('his', 'preSettleRegistration', 'timeout', 'timed out');
      }
      return pre(k);
    });
    await expect(buildOrder(deps, owner, body, 'idem-unclear-0001', async () => undefined)).rejects.toMatchObject({ code: 'PEER_UNAVAILABLE' });
    const order = await buildOrder(deps, owner, body, 'idem-unclear-0001', async () => undefined);
    expect(keysSeen).toEqual([order.orderNo, order.orderNo]);
  });
});

describe('HIS write-back of an order whose 6202 answer had other-fund and hospital-borne parts', () => {
  it('books the settlement with every part, so HIS finds them adding up to the total', async () => {
    // Before (fault suite, 6202 with othFeeAmt / hospPartAmt): the write-back sent only fund,
    // account and cash; HIS refused it as malformed (101, parts ≠ total) and the paid order went
    // to a person.
    const his = await startHis();
    try {
      const port = adapterFor(his);
      const s = settlementOf('ORD-XPARTS', await preSettledBills(port, ZHANG, 'ORD-XPARTS'));
      expect(s.amounts.totalFen).toBe(7850);
      // 7850 = fund 4000 + account 0 + patient's cash 2850 + other fund 600 + hospital 400
      const parts = { ...s, amounts: { totalFen: 7850, fundFen: 4000, acctFen: 0, cashFen: 2850, otherFundFen: 600, hospitalFen: 400 } };
      expect(await port.writeBackSettlement(parts, { idempotencyKey: s.orderNo })).toEqual({ outcome: 'recorded', hisReceiptNo: expect.stringMatching(/^SJ\d+/) });
      expect((await his.ledger(s.orderNo)).settlements).toEqual([expect.objectContaining({ totalFen: 7850, fundFen: 4000, acctFen: 0, cashFen: 2850 })]);
    } finally {
      await his.stop();
    }
  });
});
