/**
 * Redis Cluster (docs/operations.md): a local 3-master cluster (scripts/stack/cluster.ts), every
 * atomic step's keys in one hash slot, complete payments through BFF instances on the cluster,
 * and the durable queue's take-over of a killed worker's job across cluster nodes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hisApi, patientApi } from '@mip/shared';
import { billsApi } from '../../shared/src/contract/bills';
import { startCluster, type ClusterHandle } from '../../scripts/stack/cluster';
import { nodeArgs } from '../../scripts/stack/service';
import { Keys, SHARDS, shardOf } from '../../bff/src/store/keys';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { JobQueue, Worker, type JobHandler } from '../../bff/src/store/queue';
import { OrderStore } from '../../bff/src/store/order-store';
import { createLogger } from '../../bff/src/obs/log';
import { job } from '../../bff/src/domain/jobs';
import { reconKey } from '../../bff/src/reconciliation/run-store';
import { PayAuthVault } from '../../bff/src/sessions/pay-auth-vault';
import { testStack, getJson, type TestStack } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { AlipayPatient } from '../support/alipay-patient';
import { HisClient } from '../support/his-client';
import { waitFor } from '../support/wait';

let cluster: ClusterHandle;
let stack: TestStack;
let client: RedisClient;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-cluster-'));
  cluster = await startCluster({ dir });
  // two BFF instances behind the proxy, both on the cluster
  stack = await testStack({ redisUrl: cluster.url, bffInstances: 2, sandboxConfig: { national: { policy: { accountPaysSelfPart: false } } } });
  client = connectRedis(cluster.url);
}, 120_000);

afterAll(async () => {
  client?.disconnect();
  await stack?.cleanup();
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('hash tags', () => {
  it('puts the keys of every multi-key step in one slot', async () => {
    const k = new Keys('mip:');
    const sameSlot = async (what: string, keys: string[]) => {
      const slots = new Set(await Promise.all(keys.map((x) => cluster.keyslot(x))));
      expect({ what, slots: slots.size }).toEqual({ what, slots: 1 });
    };
    for (const orderNo of ['O261124120000ABCDEF', 'R261124120001ZZZZZZ', 'O261124120002QWERTY']) {
      const s = shardOf(orderNo);
      // ORDER_WRITE: the order, its shard's queue and indexes (order-store.ts writeArgs)
      await sameSlot(`ORDER_WRITE ${orderNo}`, [k.order(orderNo), k.jobs(s), k.delayed(s), k.states(s), k.review(s), k.open(s), k.day(s, '20261124'), k.calls(orderNo)]);
    }
    for (let s = 0; s < SHARDS; s++) {
      // MOVE_DUE, JOB_SETTLE, ENQUEUE, JOB_KEEP (queue.ts)
      await sameSlot(`queue shard ${s}`, [k.jobs(s), k.delayed(s), k.dead(s)]);
    }
    await sameSlot('reconciliation run (run-store.ts MULTI)', [reconKey(k, 'run:RC1'), reconKey(k, 'runs:20261124')]);
    await sameSlot('kiosk visit end (DEL of two keys)', [k.session('kiosk-visit', 'V1'), `${k.session('kiosk-visit', 'V1')}:orders`]);
    await sameSlot('staff account (MULTI)', ['mip:{staff}:account:admin', 'mip:{staff}:accounts']);
    const vault = new PayAuthVault(client, k);
    await sameSlot('PAYAUTH_TAKE (pay-auth-vault.ts takeForOrder)', [vault.key('wechat:o1', 'payauth-order:R261124120001ZZZZZZ'), vault.key('wechat:o1', 'payauth'), vault.key('wechat:o1', 'payauth-last')]);
  });
});

describe('payments on the cluster', () => {
  it('completes WeChat and Alipay payments, a refund and a clean reconciliation through BFFs on Redis Cluster', async () => {
    const done: string[] = [];
    const w = await (await new WechatPatient(stack, 'crowd0001').login()).onboard();
    done.push(await w.payRegistration(0));
    done.push(await w.payRegistration(1));
    for (const n of done) await w.waitForState(n, ['completed']);
    const zhang = await (await new WechatPatient(stack, 'zhang').login()).onboard();
    const outpatient = await zhang.payOutpatient();
    await zhang.waitForState(outpatient, ['completed']);
    done.push(outpatient);

    const a = await (await new AlipayPatient(stack, 'crowd0002').login()).onboard();
    await a.authorize();
    const { order } = await a.api.ok(patientApi.createOrder, {
      body: { kind: 'registration', slotId: (await firstSlot(w)) },
      headers: { 'idempotency-key': `cluster-${Date.now()}` },
    });
    const { payment } = await a.api.ok(patientApi.payOrder, { params: { orderNo: order.orderNo }, body: {} });
    await a.confirmInAlipay((payment as { tradeNo: string }).tradeNo);
    await a.waitForState(order.orderNo, ['completed']);
    done.push(order.orderNo);

    const his = HisClient.of(stack);
    await his.ok(hisApi.createRefund, { body: { orderNo: done[0], refundNo: 'CLUSTERRF01', reason: '集群测试退费', all: true } });
    await w.waitForState(done[0], ['refunded']);

    const ledger = await getJson(`${stack.urls.his}/sandbox/ledger`);
    for (const n of done) expect(ledger.orders[n]).toMatchObject({ settlements: 1, duplicateBookings: 0 });
    // the orders really are in the cluster, spread over its nodes by shard
    const store = new OrderStore(client, new Keys('mip:'));
    expect((await store.getMany(done)).map((o) => o.state).sort()).toEqual(['completed', 'completed', 'completed', 'refunded']);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const run = (await his.ok(billsApi.runReconciliation, { body: { date: today } })) as { differences: unknown[]; complete: boolean };
    expect(run.differences).toEqual([]);
    expect(run.complete).toBe(true);
  }, 120_000);
});

async function firstSlot(p: WechatPatient): Promise<string> {
  const { departments } = await p.api.ok(patientApi.departments);
  for (const d of departments) {
    const { doctors } = await p.api.ok(patientApi.doctors, { params: { deptCode: d.code } });
    for (const doc of doctors.filter((x) => x.available)) {
      const { slots } = await p.api.ok(patientApi.slots, { params: { doctorCode: doc.code } });
      const s = slots.find((x) => x.remaining > 0);
      if (s) return s.slotId;
    }
  }
  throw new Error('no slot');
}

describe('the durable queue on the cluster', () => {
  it('gives the pending job of a killed worker process to another worker, once', async () => {
    const prefix = 'cq:';
    const queue = new JobQueue(client, new Keys(prefix));
    await queue.ensureGroups();
    const child = spawn(process.execPath, nodeArgs(path.join(__dirname, '../support/worker-child.ts')), {
      env: { ...process.env, REDIS_URL: cluster.url, PREFIX: prefix, CONSUMER: 'doomed' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('"started"'), 30_000);
    // keys on several shards, so several cluster nodes hold pending entries
    const keys = ['CLUSTER-KILLED-1', 'CLUSTER-KILLED-2', 'CLUSTER-KILLED-3', 'CLUSTER-KILLED-4'];
    await queue.enqueue(...keys.map((k) => job('his.writeBack', k)));
    await waitFor(() => keys.every((k) => out.includes(k)));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const seen: string[] = [];
    const handler: JobHandler = async (j) => (seen.push(j.key), 'done');
    const log = createLogger('cluster-test', 'silent');
    const survivor = new Worker(queue, { 'his.writeBack': handler }, { concurrency: 4, claimIdleMs: 400, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 4, blockMs: 100, consumer: 'survivor' }, log);
    await survivor.start();
    await waitFor(() => keys.every((k) => seen.includes(k)));
    await survivor.stop();
    expect([...seen].sort()).toEqual(keys);
    expect((await queue.depth()).pending).toBe(0);
  }, 60_000);
});
