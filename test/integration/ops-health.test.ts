/**
 * Liveness, readiness, metrics and the request log, over HTTP against a real redis-server and
 * real TCP listeners standing in for the peers.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { orderFixture } from '../../bff/src/domain/fixtures';
import { testRedis } from '../support/redis';
import { waitFor } from '../support/wait';
import { redisOnlyDeps, startStaffApp, type StaffTestApp } from '../support/staff';
import { expectOpenApiMatch } from '../support/staff-openapi';

const OPS_TOKEN = 'ops-token-for-tests-0123456789';
let redis: Awaited<ReturnType<typeof testRedis>>;
let app: StaffTestApp;
let peer: net.Server;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  redis = await testRedis();
  peer = net.createServer((s) => s.end());
  await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(peer.address() as net.AddressInfo).port}`;
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(JSON.parse(chunk.toString('utf8'))), done()) });
  const log = pino({ level: 'info' }, sink);
  const deps = redisOnlyDeps(redis.url, { peers: { his: up, national: up, wechat: up, alipay: 'http://127.0.0.1:9' }, log });
  app = await startStaffApp(deps, { opsToken: OPS_TOKEN });
  await deps.orders.create(orderFixture({ orderNo: 'O2611241000000METRIC', state: 'manual_review', review: { reason: 'x', openedAt: new Date().toISOString(), fromState: 'paid' } }));
  await deps.queue.enqueue({ type: 'his.writeBack', key: 'O2611241000000METRIC', delayMs: 60_000 });
}, 30_000);
afterAll(async () => {
  await app?.close();
  app?.deps.redis.disconnect();
  await new Promise((r) => peer?.close(r));
  await redis?.cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });

describe('liveness and readiness', () => {
  it('answers /healthz without touching Redis or peers', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('reports Redis latency and each peer to a loopback caller', async () => {
    const body: any = await (await get('/health')).json();
    expect(body.redis).toMatchObject({ ok: true, ms: expect.any(Number) });
    expect(body.peers.map((p: { name: string }) => p.name)).toEqual(['his', 'centre', 'wechat-api', 'wechat-pay', 'wechat-mip', 'alipay']);
  });

  it('stays ready (200) but degraded when a peer cannot be reached', async () => {
    const r = await get('/health');
    const body: any = await r.json();
    expect(r.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.peers.find((p: { name: string }) => p.name === 'alipay')).toMatchObject({ ok: false, target: '127.0.0.1:9' });
    expect(body.peers.find((p: { name: string }) => p.name === 'his')).toMatchObject({ ok: true });
  });

  it('shows a caller behind a proxy only the overall status', async () => {
    const body: any = await (await get('/health', { 'x-forwarded-for': '203.0.113.9' })).json();
    expect(Object.keys(body).sort()).toEqual(['checkedAt', 'status']);
  });

  it('shows the details to a caller with the ops token', async () => {
    const body: any = await (await get('/health', { 'x-forwarded-for': '203.0.113.9', 'x-ops-token': OPS_TOKEN })).json();
    expect(body.redis.ok).toBe(true);
  });

  it('answers 503 down when Redis is unreachable', async () => {
    const lost = await testRedis();
    const deps = redisOnlyDeps(lost.url);
    const other = await startStaffApp(deps);
    try {
      await lost.kill();
      const r = await fetch(`${other.url}/health`);
      expect(r.status).toBe(503);
      const body = await r.json();
      expect(body).toMatchObject({ status: 'down', redis: { ok: false } });
      expectOpenApiMatch('GET', '/health', 503, body);
    } finally {
      await other.close();
      deps.redis.disconnect();
      await lost.cleanup();
      // ioredis settles its pending reconnect to the dead server shortly after disconnect().
      await new Promise((r) => setTimeout(r, 2000));
    }
  });
});

describe('metrics', () => {
  async function scrape(): Promise<string> {
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return r.text();
  }

  it('counts HTTP requests by route pattern and status', async () => {
    await get('/staff/api/orders/O2611241000000METRIC');
    await get('/no/such/path');
    const text = await scrape();
    expect(text).toMatch(/mip_http_requests_total\{method="GET",route="\/staff\/api\/orders\/:orderNo",status="401"\} 1/);
    expect(text).toMatch(/mip_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toContain('mip_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/staff/api/orders/:orderNo"} 1');
  });

  it('reports orders by state and the queue depth from Redis', async () => {
    const text = await scrape();
    expect(text).toContain('mip_orders{state="manual_review"} 1');
    expect(text).toContain('mip_queue_jobs{state="delayed"} 1');
  });

  it('reports process metrics', async () => {
    expect(await scrape()).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('refuses a caller behind a proxy without the ops token', async () => {
    const r = await get('/metrics', { 'x-forwarded-for': '203.0.113.9' });
    expect(r.status).toBe(403);
    expect(((await r.json()) as any).error.code).toBe('FORBIDDEN');
  });

  it('refuses a wrong ops token', async () => {
    expect((await get('/metrics', { 'x-ops-token': 'wrong-token-wrong-token-0000' })).status).toBe(403);
  });

  it('serves a caller with the ops token from anywhere', async () => {
    expect((await get('/metrics', { 'x-forwarded-for': '203.0.113.9', 'x-ops-token': OPS_TOKEN })).status).toBe(200);
  });
});

describe('the request log', () => {
  it('writes method, route, status, duration and request id for each request, and no body', async () => {
    await fetch(`${app.url}/staff/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-test-1' },
      body: JSON.stringify({ username: 'nobody', password: 'secret-password-in-body' }),
    });
    await waitFor(() => logLines.some((l) => l.msg === 'request' && l.requestId === 'req-log-test-1'));
    const line = logLines.find((l) => l.msg === 'request' && l.requestId === 'req-log-test-1');
    expect(line).toMatchObject({ method: 'POST', route: '/staff/api/session', status: 401, ms: expect.any(Number) });
    expect(JSON.stringify(logLines)).not.toContain('secret-password-in-body');
  });

  it('leaves health checks and scrapes out of the log', async () => {
    await get('/health', { 'x-request-id': 'req-log-health' });
    // a logged request after it: once its line is there, the health check's would be too
    await get('/staff/api/me', { 'x-request-id': 'req-log-after-health' });
    await waitFor(() => logLines.some((l) => l.requestId === 'req-log-after-health'));
    expect(logLines.find((l) => l.requestId === 'req-log-health')).toBeUndefined();
  });
});
