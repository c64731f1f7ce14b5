/**
 * Rate limits (bff/src/http/rate-limit.ts): patient login per client address, order creation and
 * payment per patient — counted in Redis, so three BFF instances behind the proxy share them.
 * Over the limit: 429 RATE_LIMITED with Retry-After, and nothing reaches a peer.
 */
import { patientApi as api } from '@mip/shared';
import { testStack, getJson, postJson, type TestStack } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;
// hour-long windows: a test never straddles a window's end in practice
const LIMITS = { login: { limit: 5, windowSeconds: 3600 }, orderCreate: { limit: 3, windowSeconds: 3600 }, orderPay: { limit: 3, windowSeconds: 3600 } };

beforeAll(async () => {
  stack = await testStack({ bffInstances: 3, bffConfig: { rateLimits: LIMITS } });
}, 120_000);
afterAll(() => stack?.cleanup());

async function loginOnce(openid: string): Promise<{ status: number; body: any; headers: Headers }> {
  const { body: c } = await postJson(`${stack.urls.wechat}/sandbox/dev/login-code`, { openid });
  const res = await fetch(`${stack.urls.bff}${api.login.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'wechat', code: c.code }) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function slots(p: WechatPatient, n: number): Promise<string[]> {
  const out: string[] = [];
  const { departments } = await p.api.ok(api.departments);
  for (const d of departments) {
    const { doctors } = await p.api.ok(api.doctors, { params: { deptCode: d.code } });
    for (const doc of doctors.filter((x) => x.available)) {
      const { slots: s } = await p.api.ok(api.slots, { params: { doctorCode: doc.code } });
      for (const x of s) if (x.remaining > 0 && out.length < n) out.push(x.slotId);
    }
    if (out.length >= n) break;
  }
  return out;
}

it('limits patient logins per address across all instances', async () => {
  const answers = [];
  for (let i = 0; i < 7; i++) answers.push(await loginOnce(`sandbox-crowd${String(100 + i).padStart(4, '0')}`));
  expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  for (const a of answers.slice(5)) {
    expect(a.status).toBe(429);
    expect(a.body.error.code).toBe('RATE_LIMITED');
    expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  // the proxy really spread them: more than one instance counted into the same limit
  const stats = await getJson(`${stack.urls.bff}/__proxy/stats`);
  expect(Object.values(stats.perTarget as Record<string, number>).filter((n) => n > 0).length).toBeGreaterThan(1);
});

it('limits order creation and payment per patient, not for everyone', async () => {
  // logins so far used the address's allowance: these sessions are made directly (not counted)
  const a = new WechatPatient(stack, 'crowd0200');
  const b = new WechatPatient(stack, 'crowd0201');
  for (const p of [a, b]) {
    const s = await stackSession(p.openid);
    p.api.token = s;
    await p.onboard();
  }
  const free = await slots(a, 6);
  const create = (p: WechatPatient, slotId: string) =>
    p.api.call(api.createOrder, { body: { kind: 'registration', slotId }, headers: { 'idempotency-key': `rl-${p.key}-${slotId}-${Math.random().toString(36).slice(2, 8)}` } });
  const made = [];
  for (let i = 0; i < 4; i++) made.push(await create(a, free[i]));
  expect(made.map((r) => r.status)).toEqual([200, 200, 200, 429]);
  expect(made[3].body.error?.code).toBe('RATE_LIMITED');
  // another patient is not held back by a's limit
  expect((await create(b, free[4])).status).toBe(200);

  // pay: three taps, then 429 (the HIS pre-settlement of the 4th order was never made: nothing locked)
  await a.authorize();
  const orderNo = made[0].body.order!.orderNo;
  const taps = [];
  for (let i = 0; i < 4; i++) taps.push(await a.api.call(api.payOrder, { params: { orderNo }, body: {} }));
  expect(taps.map((r) => r.status)).toEqual([200, 200, 200, 429]);
  expect(taps[3].body.error?.code).toBe('RATE_LIMITED');
});

/**
 * A session made the way the BFF makes them, straight in Redis: the login limit of this address
 * is spent by the test above, and this test is about the other limits.
 */
async function stackSession(openid: string): Promise<string> {
  const { connectRedis } = await import('../../bff/src/store/redis');
  const { Keys } = await import('../../bff/src/store/keys');
  const { PatientSessions } = await import('../../bff/src/sessions/patient-sessions');
  const redis = connectRedis(stack.redis.url);
  try {
    return (await new PatientSessions(redis, new Keys('mip:'), 3600).create('wechat', openid)).token;
  } finally {
    redis.disconnect();
  }
}
