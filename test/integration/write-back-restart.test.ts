/**
 * Issue 3: the BFF killed between payment and HIS write-back finishes the write-back after it
 * restarts — with the write-back request in flight when it dies. HIS write-back is not idempotent
 * (the sandbox HIS books twice if asked twice), so the restarted BFF must ask HIS first
 * (queryBooking) and write only when HIS has no record. Its own stack: the deadline is long
 * enough that a restart never turns into a reversal (his-flows.test.ts uses a 5 s one).
 */
import { OrderStore, type PeerCallRecord } from '../../bff/src/store/order-store';
import { Keys } from '../../bff/src/store/keys';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;
let redis: RedisClient;
let store: OrderStore;

beforeAll(async () => {
  stack = await testStack({ bffConfig: { his: { writeBack: { deadlineMs: 120_000 } } } });
  redis = connectRedis(stack.redis.url);
  store = new OrderStore(redis, new Keys('mip:'));
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await stack?.cleanup();
});
beforeEach(async () => {
  await stack.faults('his').clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
});

const ledger = (orderNo: string) => getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);

/** The HIS calls of the write-back, in order: writeBack / queryBooking. */
async function hisWriteBackCalls(orderNo: string): Promise<string[]> {
  const calls: PeerCallRecord[] = await store.calls(orderNo);
  return calls.filter((c) => c.peer === 'his' && (c.op === 'writeBack' || c.op === 'queryBooking')).map((c) => c.op);
}

/** Whether HIS's fault on the write-back of this order has fired: its request has arrived and hangs there. */
async function writeBackHangsInHis(orderNo: string): Promise<boolean> {
  const { fired } = (await getJson(`${stack.urls.his}/sandbox/faults`)) as { fired: { op: string; key?: string }[] };
  return fired.some((f) => f.op === 'writeBack' && f.key === orderNo);
}

/**
 * Pays, and kills the BFF while its first write-back request hangs in HIS. That request is the
 * job's first delivery, sent without a write-ahead mark: what tells the restarted BFF to ask is
 * the job's entry, still pending, claimed as a redelivery.
 */
async function payAndKillDuringWriteBack(personKey: string): Promise<{ p: WechatPatient; orderNo: string }> {
  const p = await (await new WechatPatient(stack, personKey).login()).onboard();
  const orderNo = await p.payOutpatient();
  await p.waitForState(orderNo, ['paid', 'completed']);
  for (let i = 0; i < 250 && !(await writeBackHangsInHis(orderNo)); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await writeBackHangsInHis(orderNo)).toBe(true);
  expect((await store.get(orderNo))!.writeBack!.attemptStartedAt).toBeUndefined();
  await stack.bffs[0].kill();
  await stack.bffs[0].start();
  return { p, orderNo };
}

it('writes back once after a restart when the request in flight never reached HIS’s books', async () => {
  await stack.faults('his').add({ op: 'writeBack', kind: 'timeout', times: 1 });
  const { p, orderNo } = await payAndKillDuringWriteBack('zhou');
  const o = await p.waitForState(orderNo, ['completed'], 40_000);
  expect(o.state).toBe('completed');
  expect((await ledger(orderNo)).settlements).toHaveLength(1);
  // the restarted BFF asked before it wrote again
  const calls = await hisWriteBackCalls(orderNo);
  expect(calls.slice(-2)).toEqual(['queryBooking', 'writeBack']);
}, 60_000);

it('does not write again after a restart when HIS had booked the request in flight', async () => {
  // HIS books the settlement, then never answers: the worst case for a blind retry
  await stack.faults('his').add({ op: 'writeBack', kind: 'timeout', after: 'act', times: 1 });
  const { p, orderNo } = await payAndKillDuringWriteBack('wang');
  const o = await p.waitForState(orderNo, ['completed'], 40_000);
  expect(o.state).toBe('completed');
  const l = await ledger(orderNo);
  expect(l.settlements).toHaveLength(1);
  expect(l.duplicateBookings ?? 0).toBe(0);
  expect((await hisWriteBackCalls(orderNo)).at(-1)).toBe('queryBooking');
}, 60_000);
