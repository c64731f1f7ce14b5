/**
 * Staff sign-in, sessions, CSRF and roles (C15) against a real redis-server, through HTTP.
 */
import { staffApi, STAFF_COOKIE } from '../../bff/src/staff/contract';
import { orderFixture } from '../../bff/src/domain/fixtures';
import { testRedis } from '../support/redis';
import { redisOnlyDeps, signedIn, StaffClient, startStaffApp, type StaffTestApp } from '../support/staff';

let redis: Awaited<ReturnType<typeof testRedis>>;
let app: StaffTestApp;
const BOOT = { username: 'Finance.Lead', password: 'first-password-123', roles: ['finance', 'admin'] };
const REVIEW_NO = 'O2611231000000AUTH01';

beforeAll(async () => {
  redis = await testRedis();
  app = await startStaffApp(redisOnlyDeps(redis.url, { bootstrapStaff: BOOT }));
  await app.deps.orders.create(
    orderFixture({ orderNo: REVIEW_NO, state: 'manual_review', review: { reason: 'amount mismatch', openedAt: new Date().toISOString(), fromState: 'paid' } }),
  );
}, 30_000);
afterAll(async () => {
  await app?.close();
  app?.deps.redis.disconnect();
  await redis?.cleanup();
});

const newClient = (headers: Record<string, string> = {}) => new StaffClient(app.url, headers);
const login = (c: StaffClient, username: string, password: string) => c.login(username, password);

describe('signing in', () => {
  it('creates the configured first account when no staff exists, and it can sign in', async () => {
    const r = await login(newClient(), 'finance.lead', BOOT.password);
    expect(r.status).toBe(200);
    expect(r.body.staff).toMatchObject({ username: 'finance.lead', roles: ['finance', 'admin'] });
  });

  it('stores the password only as a salted scrypt hash', async () => {
    const account = await app.extras.staffModule.accounts.get('finance.lead');
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(account)).not.toContain(BOOT.password);
  });

  it('does not create the first account again once staff exist', async () => {
    expect(await app.extras.staffModule.bootstrap()).toBe('exists');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie limited to /staff', async () => {
    const c = newClient();
    const r = await c.raw('POST', '/staff/api/session', { body: { username: BOOT.username, password: BOOT.password } });
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${STAFF_COOKIE}=[A-Za-z0-9_-]{40,}; Path=/staff; HttpOnly; SameSite=Strict`));
  });

  it('returns the CSRF token at sign-in and again to the signed-in page', async () => {
    const c = newClient();
    const r = await login(c, BOOT.username, BOOT.password);
    const me = await c.call(staffApi.me);
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(r.body.csrfToken);
  });

  it('refuses a wrong password with LOGIN_FAILED and sets no cookie', async () => {
    const c = newClient();
    const r = await login(c, BOOT.username, 'not-the-password');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('LOGIN_FAILED');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const r = await login(newClient(), 'nobody-here', 'whatever-password');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'LOGIN_FAILED', message: '用户名或密码不正确' });
  });
});

describe('the sign-in rate limit', () => {
  async function account() {
    const username = `rl${Math.random().toString(36).slice(2, 8)}`;
    await app.extras.staffModule.accounts.create({ username, password: 'right-password-1', roles: ['it'] });
    return username;
  }

  it('locks a user name and address for 15 minutes after 5 failed sign-ins', async () => {
    const u = await account();
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await login(newClient(), u, `wrong-${i}`)).status);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const locked = await login(newClient(), u, 'right-password-1');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
  });

  it('does not lock the same user signing in from another address', async () => {
    const u = await account();
    for (let i = 0; i < 5; i++) await login(newClient({ 'x-forwarded-for': '10.0.0.1' }), u, `wrong-${i}`);
    expect((await login(newClient({ 'x-forwarded-for': '10.0.0.2' }), u, 'right-password-1')).status).toBe(200);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const u = await account();
    for (let i = 0; i < 4; i++) await login(newClient(), u, `wrong-${i}`);
    expect((await login(newClient(), u, 'right-password-1')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(newClient(), u, `wrong-again-${i}`)).status).toBe(401);
  });
});

describe('sessions', () => {
  it('signs out: the old cookie no longer works', async () => {
    const c = await signedIn(app, ['finance']);
    const cookie = c.cookie;
    expect((await c.call(staffApi.logout)).status).toBe(200);
    const stale = new StaffClient(app.url);
    stale.cookie = cookie;
    const r = await stale.call(staffApi.me);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('clears the cookie in the browser at sign-out', async () => {
    const c = await signedIn(app, ['finance']);
    const r = await c.call(staffApi.logout);
    expect(r.headers.get('set-cookie')).toMatch(new RegExp(`^${STAFF_COOKIE}=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0`));
  });

  it('ends a session left idle for longer than staffSessionTtlSeconds', async () => {
    // the BFF's clock, advanced by the test instead of waiting
    let offsetMs = 0;
    const short = await startStaffApp(redisOnlyDeps(redis.url, { ttlSeconds: 60, now: () => new Date(Date.now() + offsetMs) }));
    try {
      const c = await signedIn(short, ['finance']);
      offsetMs = 59_000;
      expect((await c.call(staffApi.me)).status).toBe(200);
      offsetMs += 61_000;
      expect((await c.call(staffApi.me)).status).toBe(401);
    } finally {
      await short.close();
      short.deps.redis.disconnect();
    }
  });
});

describe('CSRF protection', () => {
  const resolveBody = { to: 'completed', note: '已与HIS核对入账', version: 99 };

  it('refuses a state-changing call without the CSRF token', async () => {
    const c = await signedIn(app, ['finance']);
    const r = await c.call(staffApi.resolveReview, { params: { orderNo: REVIEW_NO }, body: resolveBody, csrf: false });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CSRF_TOKEN_INVALID' } });
  });

  it("refuses another session's CSRF token", async () => {
    const a = await signedIn(app, ['finance']);
    const b = await signedIn(app, ['finance']);
    const r = await a.call(staffApi.logout, { csrf: false, headers: { 'x-csrf-token': b.csrf! } });
    expect(r.status).toBe(403);
  });

  it('refuses a call made from another origin even with the token', async () => {
    const c = await signedIn(app, ['finance']);
    const r = await c.call(staffApi.logout, { headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
  });

  it('needs no token to read', async () => {
    const c = await signedIn(app, ['it']);
    expect((await c.call(staffApi.listReviews)).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets IT staff read orders and reviews', async () => {
    const c = await signedIn(app, ['it']);
    expect((await c.call(staffApi.getOrder, { params: { orderNo: REVIEW_NO } })).status).toBe(200);
  });

  it('does not let IT staff resolve a review', async () => {
    const c = await signedIn(app, ['it']);
    const r = await c.call(staffApi.resolveReview, { params: { orderNo: REVIEW_NO }, body: { to: 'completed', note: '已与HIS核对入账', version: 1 } });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'ROLE_REQUIRED' } });
    expect((await app.deps.orders.get(REVIEW_NO))?.state).toBe('manual_review');
  });
});

describe('callers that are not staff', () => {
  const guarded = Object.values(staffApi).filter((e) => e.auth === 'staff');
  const input = (e: (typeof guarded)[number]) => ({
    params: e.path.includes(':orderNo') ? { orderNo: REVIEW_NO } : undefined,
    body: {},
  });

  it.each(guarded.map((e) => [e.id, e] as const))('refuses an anonymous request to %s with 401 UNAUTHENTICATED', async (_id, e) => {
    const r = await newClient().call(e, input(e));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
  });

  it.each(guarded.map((e) => [e.id, e] as const))('refuses a patient bearer session on %s with 401 UNAUTHENTICATED', async (_id, e) => {
    const { token } = await app.deps.sessions.create('wechat', 'sandbox-zhang');
    const r = await newClient({ authorization: `Bearer ${token}` }).call(e, input(e));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('covers every staff endpoint but sign-in', () => {
    expect(guarded.map((e) => e.id).sort()).toEqual(Object.values(staffApi).filter((e) => e.id !== 'staff.login').map((e) => e.id).sort());
  });

  it('sends no staff cookie or header on patient paths', async () => {
    const r = await fetch(`${app.url}/api/orders`);
    expect(r.status).toBe(401);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBeNull();
  });
});
