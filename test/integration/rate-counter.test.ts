/** Issue 13: the one rate limiter's counter is atomic — a hit never leaves a counter without expiry. */
import { Keys } from '../../bff/src/store/keys';
import { RateCounter } from '../../bff/src/store/rate-counter';
import type { RedisClient } from '../../bff/src/store/redis';
import { LoginLimiter } from '../../bff/src/staff/rate-limit';
import { testOrderStore, type TestOrderStore } from '../support/redis';

const keys = new Keys('rc:');
let t: TestOrderStore;
let client: RedisClient;
let counter: RateCounter;

beforeAll(async () => {
  t = await testOrderStore(keys);
  client = t.client;
  counter = new RateCounter(client, keys);
});
afterAll(() => t.cleanup());

it('sets the expiry in the same step as the first count', async () => {
  const key = counter.key('window', 'a');
  expect(await counter.hit(key, 60_000)).toMatchObject({ count: 1 });
  expect(await client.pttl(key)).toBeGreaterThan(59_000);
});

it('gives an expiry to a counter a crash left without one', async () => {
  const key = counter.key('window', 'orphan');
  await client.set(key, '7'); // what INCR without its EXPIRE used to leave behind
  expect((await counter.hit(key, 30_000)).count).toBe(8);
  expect(await client.pttl(key)).toBeGreaterThan(29_000);
});

it('keeps a fixed window and restarts a lock on every failure', async () => {
  const fixed = counter.key('window', 'fixed');
  await counter.hit(fixed, 60_000);
  await client.pexpire(fixed, 10_000);
  await counter.hit(fixed, 60_000);
  expect(await client.pttl(fixed)).toBeLessThanOrEqual(10_000);
  const lock = counter.key('lock', 'x');
  await counter.hit(lock, 60_000, true);
  await client.pexpire(lock, 10_000);
  await counter.hit(lock, 60_000, true);
  expect(await client.pttl(lock)).toBeGreaterThan(59_000);
});

it('locks staff sign-in after the fifth failure, for the lock time from the last failure', async () => {
  const limiter = new LoginLimiter(client, keys, { maxFailures: 5, lockSeconds: 900 });
  for (let i = 0; i < 4; i++) expect(await limiter.fail('wang', '10.0.0.1')).toBe(0);
  expect(await limiter.lockedFor('wang', '10.0.0.1')).toBe(0);
  expect(await limiter.fail('wang', '10.0.0.1')).toBe(900);
  expect(await limiter.lockedFor('wang', '10.0.0.1')).toBeGreaterThan(890);
  await limiter.succeed('wang', '10.0.0.1');
  expect(await limiter.lockedFor('wang', '10.0.0.1')).toBe(0);
});
