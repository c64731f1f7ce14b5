/**
 * Issue 14: each BFF process keeps the patient sessions it resolved in memory for a
 * few seconds (security.sessionCacheMs). On a real redis-server, with two instances wired as
 * app/wiring.ts wires a process: what one instance revokes or changes, the other stops answering
 * from memory — told through Redis pub/sub, not by its entry running out (the tests keep entries a
 * minute, far longer than they wait).
 */
import { Keys } from '../../bff/src/store/keys';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { patientState } from '../../bff/src/app/wiring';
import type { PatientProfile } from '../../bff/src/sessions/port';
import { testRedis } from '../support/redis';
import { waitForValue } from '../support/wait';

const keys = new Keys('sc:');
let redis: Awaited<ReturnType<typeof testRedis>>;
const clients: RedisClient[] = [];
let clock = Date.now();

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.cleanup();
});

/** One BFF process's patient state: its own Redis client and subscriber connection. */
function instance(sessionCacheMs = 60_000) {
  const client = connectRedis(redis.url);
  clients.push(client);
  return { client, ...patientState(client, keys, { patientSessionTtlSeconds: 3600, sessionCacheMs }, () => new Date(clock)) };
}

/** How many GETs Redis has run so far (INFO commandstats). */
async function gets(client: RedisClient): Promise<number> {
  const m = /cmdstat_get:calls=(\d+)/.exec(await client.info('commandstats'));
  return m ? Number(m[1]) : 0;
}

/** Resolves until the instance answers from memory (its subscription confirmed), then answers the session. */
async function resolvedFromMemory(p: ReturnType<typeof instance>, token: string) {
  return waitForValue('the session answered from memory', async () => {
    await p.sessions.resolve(token);
    const before = await gets(p.client);
    const s = await p.sessions.resolve(token);
    return (await gets(p.client)) === before ? s : undefined;
  }, 5000);
}

const profile = (regionName: string): PatientProfile => ({
  identitySealed: 'sealed',
  nameMasked: '张*国',
  idNoMasked: '440106********2134',
  regionCode: '440100',
  regionName,
  insured: true,
  benefits: [],
  updatedAt: new Date().toISOString(),
});

describe('patient sessions kept in memory by several BFF processes', () => {
  it('answers a resolved session from memory, without asking Redis', async () => {
    const a = instance();
    const { token, session } = await a.sessions.create('wechat', 'o-memory');
    expect(await resolvedFromMemory(a, token)).toEqual(session);
  });

  it('refuses a session revoked in another process that had it in memory', async () => {
    const [a, b] = [instance(), instance()];
    const { token } = await a.sessions.create('wechat', 'o-revoked');
    await resolvedFromMemory(b, token);
    await a.sessions.revoke(token);
    expect(await a.sessions.resolve(token)).toBeNull();
    await waitForValue('the other process to refuse the session', async () => ((await b.sessions.resolve(token)) === null ? true : undefined), 5000);
  });

  it('refuses a session at its end, even while in memory', async () => {
    const a = instance();
    const { token } = await a.sessions.create('wechat', 'o-ends');
    await resolvedFromMemory(a, token);
    clock += 3600 * 1000 + 1;
    try {
      expect(await a.sessions.resolve(token)).toBeNull();
    } finally {
      clock = Date.now();
    }
  });

  it('asks Redis on every request when the cache is off', async () => {
    const a = instance(0);
    const { token } = await a.sessions.create('wechat', 'o-off');
    const before = await gets(a.client);
    await a.sessions.resolve(token);
    await a.sessions.resolve(token);
    expect((await gets(a.client)) - before).toBe(2);
  });

  it('forgets what it held when its subscriber connection breaks, and keeps again once subscribed anew', async () => {
    const b = instance();
    const { token } = await b.sessions.create('wechat', 'o-broken');
    await resolvedFromMemory(b, token);
    // messages sent while the connection is down are lost: what b holds may be stale, so it asks Redis
    await b.client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitForValue('the process to ask Redis again', async () => {
      const before = await gets(b.client);
      await b.sessions.resolve(token);
      return (await gets(b.client)) > before ? true : undefined;
    }, 5000);
    await resolvedFromMemory(b, token);
  });
});

describe('patient profiles across several BFF processes', () => {
  it('reads a profile changed in another process as changed at once, with no wait for pub/sub', async () => {
    const [a, b] = [instance(), instance()];
    await a.profiles.put('wechat:o-profile', profile('广州市'));
    expect((await b.profiles.get('wechat:o-profile'))?.regionName).toBe('广州市');
    await a.profiles.put('wechat:o-profile', profile('深圳市'));
    expect((await b.profiles.get('wechat:o-profile'))?.regionName).toBe('深圳市');
  });
});
