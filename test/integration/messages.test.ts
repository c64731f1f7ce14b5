/**
 * HIS paid-event messages (flows/messages.ts) on a real redis-server: accepted once per eventId
 * with their delivery job, delivered once, and what that costs in Redis commands (issue 14:
 * INFO commandstats, commands inside Lua steps included). The channel is a counting stand-in:
 * the WeChat and Alipay message adapters have their own tests (test/adapters).
 */
import { Keys, shardOf } from '../../bff/src/store/keys';
import { RedisMessageRecords } from '../../bff/src/store/named-stores';
import { JobQueue, Worker } from '../../bff/src/store/queue';
import { acceptPaidEvent, deliverJob, messageStatus, type MessagesDeps, type MessageRecord, type PaidEvent } from '../../bff/src/flows/messages';
import type { MessageInput, MessageResult } from '../../bff/src/channels/port';
import { orderFixture } from '../../bff/src/domain/fixtures';
import { createLogger } from '../../bff/src/obs/log';
import { testOrderStore, type TestOrderStore } from '../support/redis';
import { waitForValue } from '../support/wait';

const keys = new Keys('m:');
let t: TestOrderStore;
let deps: MessagesDeps;
const sent: MessageInput[] = [];

beforeAll(async () => {
  t = await testOrderStore(keys);
  const wechat = { sendMessage: async (q: MessageInput): Promise<MessageResult> => (sent.push(q), { status: 'sent', messageId: `MSG${sent.length}` }) };
  deps = { messages: new RedisMessageRecords<MessageRecord>(t.client, keys), orders: t.store, channels: { wechat } as unknown as MessagesDeps['channels'] };
  await new JobQueue(t.client, keys).ensureGroups();
});
afterAll(() => t.cleanup());

let n = 0;
/** a paid event of a new WeChat order (each test its own) */
async function paidEvent(): Promise<PaidEvent> {
  const orderNo = `O2612061200000MSG${String(++n).padStart(3, '0')}`;
  await t.store.create(orderFixture({ orderNo, version: 1, state: 'completed' }));
  return { eventId: `EVT-${orderNo}`, type: 'outpatient_paid', orderNo, occurredAt: '2026-12-06T04:00:00.000Z', summary: { title: '门诊缴费', amountFen: 2_500 } };
}

/** calls per command (lower case) since the last reset, from INFO commandstats */
async function commandCalls(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of (await t.client.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** the delivery job accept queued for an event, as the stream holds it */
async function queuedJob(eventId: string) {
  const entries = await t.client.xrange(keys.jobs(shardOf(eventId)), '-', '+');
  const jobs = entries.map(([, f]) => JSON.parse(f[1]) as { type: string; key: string; data?: Record<string, string>; attempt: number }).filter((j) => j.key === eventId);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

describe('accepting a paid event once', () => {
  it('claims a new event id with one SET and queues its job with one XADD, reading nothing', async () => {
    const e = await paidEvent();
    await t.client.config('RESETSTAT');
    expect(await acceptPaidEvent(deps, 'his-1', e)).toEqual({ accepted: true, duplicate: false });
    const calls = await commandCalls();
    expect(calls.get).toBeUndefined();
    expect(calls.set).toBe(1);
    expect(calls.xadd).toBe(1);
    expect((await queuedJob(e.eventId)).type).toBe('message.deliver');
  });

  it('answers the same event again as a duplicate and queues nothing more', async () => {
    const e = await paidEvent();
    await acceptPaidEvent(deps, 'his-1', e);
    expect(await acceptPaidEvent(deps, 'his-1', e)).toEqual({ accepted: true, duplicate: true });
    await queuedJob(e.eventId);
    expect(await messageStatus(deps, e.eventId)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('refuses the same event id with another amount as IDEMPOTENCY_CONFLICT', async () => {
    const e = await paidEvent();
    await acceptPaidEvent(deps, 'his-1', e);
    await expect(acceptPaidEvent(deps, 'his-1', { ...e, summary: { ...e.summary, amountFen: 2_600 } })).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    await queuedJob(e.eventId);
  });
});

describe('delivering a paid event', () => {
  it('delivers on the first run from the record its job carries, without reading the record back', async () => {
    const e = await paidEvent();
    await acceptPaidEvent(deps, 'his-1', e);
    const j = await queuedJob(e.eventId);
    const before = sent.length;
    await t.client.config('RESETSTAT');
    expect(await deliverJob(deps, { ...j, redelivered: false })).toBe('done');
    expect((await commandCalls()).get).toBeUndefined();
    expect(sent.slice(before)).toEqual([expect.objectContaining({ openId: 'sandbox-zhang', page: `pages/order-detail/index?orderNo=${e.orderNo}` })]);
    expect(await messageStatus(deps, e.eventId)).toEqual({ eventId: e.eventId, status: 'sent', attempts: 1, detail: `MSG${sent.length}` });
  });

  it('sends nothing again when a claimed entry of a job that already sent its message runs once more', async () => {
    const e = await paidEvent();
    await acceptPaidEvent(deps, 'his-1', e);
    const j = await queuedJob(e.eventId);
    await deliverJob(deps, { ...j, redelivered: false });
    const before = sent.length;
    // the first run sent and saved, but its process died before the entry was acknowledged
    expect(await deliverJob(deps, { ...j, redelivered: true })).toBe('done');
    expect(sent.length).toBe(before);
  });

  it('reads the stored record on a retry instead of the one its job carries', async () => {
    const e = await paidEvent();
    await acceptPaidEvent(deps, 'his-1', e);
    const j = await queuedJob(e.eventId);
    await deliverJob(deps, { ...j, redelivered: false });
    const before = sent.length;
    expect(await deliverJob(deps, { ...j, attempt: 2, redelivered: false })).toBe('done');
    expect(sent.length).toBe(before);
  });

  it('delivers one message through the durable queue and shows it as sent', async () => {
    const worker = new Worker(new JobQueue(t.client, keys), { 'message.deliver': (j) => deliverJob(deps, j) }, { concurrency: 2, claimIdleMs: 60_000, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 4, blockMs: 100 }, createLogger('messages-test', 'silent'));
    await worker.start();
    try {
      const e = await paidEvent();
      const before = sent.length;
      await acceptPaidEvent(deps, 'his-1', e);
      await waitForValue('the message sent', async () => ((await messageStatus(deps, e.eventId)).status === 'sent' ? true : undefined));
      // (the jobs earlier tests left in the stream run too)
      expect(sent.slice(before).filter((m) => m.page.endsWith(e.orderNo))).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
