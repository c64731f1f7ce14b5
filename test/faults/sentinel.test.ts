/**
 * Redis Sentinel (docs/operations.md): a master with AOF, one replica and a sentinel on loopback.
 * The BFF's connection (`redis-sentinel://host:port/name`, bff/src/store/redis.ts) finds the
 * master through the sentinel; when the master is killed the sentinel promotes the replica, and
 * the same connection reads the orders written before and writes new ones on the new master.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Draft } from '../../bff/src/domain/change';
import { orderFixture } from '../../bff/src/domain/fixtures';
import { Keys } from '../../bff/src/store/keys';
import { OrderStore } from '../../bff/src/store/order-store';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { freePort, waitForPort } from '../../scripts/stack/ports';
import { redisServerPath } from '../../scripts/stack/redis';
import { waitForValue } from '../support/wait';

const MASTER_NAME = 'mip-master';
let dir: string;
const children: ChildProcess[] = [];
let ports: { master: number; replica: number; sentinel: number };
let client: RedisClient;

async function server(name: string, port: number, args: string[]): Promise<ChildProcess> {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  const log = fs.openSync(path.join(d, 'redis.log'), 'a');
  const child = spawn(redisServerPath(), [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', d, '--daemonize', 'no'], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.push(child);
  await waitForPort(port, 10_000);
  return child;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-sentinel-'));
  ports = { master: await freePort(), replica: await freePort(), sentinel: await freePort() };
  const aof = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  await server('master', ports.master, aof);
  await server('replica', ports.replica, [...aof, '--replicaof', '127.0.0.1', String(ports.master)]);
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(
    conf,
    [
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${ports.master} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 10000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  const d = path.join(dir, 'sentinel');
  fs.mkdirSync(d, { recursive: true });
  const log = fs.openSync(path.join(d, 'sentinel.log'), 'a');
  children.push(spawn(redisServerPath(), [conf, '--sentinel', '--port', String(ports.sentinel), '--bind', '127.0.0.1', '--daemonize', 'no'], { stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  await waitForPort(ports.sentinel, 10_000);
  // the sentinel must know the replica before it can promote it
  const s = new Redis(ports.sentinel, '127.0.0.1');
  await waitForValue('the sentinel to see the replica', async () => ((await s.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[]).length > 0 || undefined, 30_000);
  s.disconnect();
  // …and the replica must have finished its first full sync, or WAIT counts no replica (a loaded machine takes seconds)
  const m = new Redis(ports.master, '127.0.0.1');
  await waitForValue('the replica to be in sync', async () => /slave0:.*state=online/.test(await m.info('replication')) || undefined, 30_000);
  m.disconnect();
  // connection errors are expected while the failover runs: commands wait and are retried
  client = connectRedis(`redis-sentinel://127.0.0.1:${ports.sentinel}/${MASTER_NAME}`, { onError: () => undefined });
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps the orders and takes new writes through a failover to the replica', async () => {
  const store = new OrderStore(client, new Keys('sn:'));
  const orderNo = 'O261206000000SENTNL';
  await store.create(orderFixture({ orderNo, state: 'created', timeline: [] }));
  // replication is asynchronous: wait until the replica acknowledged the write (docs: min-replicas-to-write)
  expect(await client.call('WAIT', '1', '15000')).toBe(1);

  children[0].kill('SIGKILL'); // the master
  const sentinel = new Redis(ports.sentinel, '127.0.0.1');
  const promoted = await waitForValue('the failover', async () => {
    const [, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
    return Number(port) === ports.replica ? port : undefined;
  }, 30_000);
  sentinel.disconnect();
  expect(Number(promoted)).toBe(ports.replica);

  // the same connection, now on the promoted replica: the order is there and can change
  // (commands fail while the connection moves over: that is "not yet")
  const after = await waitForValue('a write on the new master', async () => {
    const r = await store.update(orderNo, (o) => new Draft(o, new Date()).note('哨兵切换后写入', 'system').done()).catch(() => undefined);
    return r?.change ? r.order : undefined;
  }, 30_000);
  expect(after.version).toBe(2);
  expect((await store.get(orderNo))!.timeline.at(-1)!.event).toBe('哨兵切换后写入');
  const direct = new Redis(ports.replica, '127.0.0.1');
  expect(await direct.call('ROLE')).toEqual(expect.arrayContaining(['master']));
  direct.disconnect();
}, 60_000);
