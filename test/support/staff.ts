/**
 * Test support for the staff console, the ops endpoints and the published API: a BFF app built
 * in this process with the extras (exactly what main.ts builds once the extras are wired), a
 * staff HTTP client with a cookie jar and the CSRF token, and seeding helpers.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPath, type Endpoint } from '@mip/shared';
import { loadConfig, type Config } from '../../bff/src/config';
import { wire } from '../../bff/src/app/wiring';
import type { AppDeps as Deps } from '../../bff/src/app/deps';
import { createApp } from '../../bff/src/http/app';
import { createLogger, type Logger } from '../../bff/src/obs/log';
import { bffExtras, type BffExtras } from '../../bff/src/http/extras';
import { PiiCipher } from '../../bff/src/security/pii';
import { PatientSessions } from '../../bff/src/sessions/patient-sessions';
import type { LoginLimitPolicy } from '../../bff/src/staff/rate-limit';
import { Keys } from '../../bff/src/store/keys';
import { OrderStore } from '../../bff/src/store/order-store';
import { JobQueue } from '../../bff/src/store/queue';
import { connectRedis } from '../../bff/src/store/redis';
import { RedisRefundDayIndex } from '../../bff/src/store/named-stores';

export interface StaffTestApp {
  url: string;
  deps: Deps;
  extras: BffExtras;
  close(): Promise<void>;
}

/** Serves createApp(deps, bffExtras(deps)) on a free loopback port. */
export async function startStaffApp(deps: Deps, opts: { opsToken?: string; loginLimit?: LoginLimitPolicy } = {}): Promise<StaffTestApp> {
  const extras = await bffExtras(deps, opts);
  const server = http.createServer(createApp(deps, extras).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    deps,
    extras,
    async close() {
      extras.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const TEST_PII_KEY = crypto.createHash('sha256').update('staff-test-pii-key').digest('base64');

/**
 * Just enough of the BFF's dependencies for the staff and ops routes against one Redis: the
 * patient routes are registered too (createApp always does) but these tests never call the peers.
 */
export function redisOnlyDeps(redisUrl: string, over: { ttlSeconds?: number; now?: () => Date; prefix?: string; peers?: Partial<Record<'his' | 'national' | 'wechat' | 'alipay', string>>; log?: Logger; bootstrapStaff?: { username: string; password: string; roles: string[] } } = {}): Deps {
  const redis = connectRedis(redisUrl);
  const keys = new Keys(over.prefix ?? `st${crypto.randomBytes(3).toString('hex')}:`);
  const p = { his: 'http://127.0.0.1:9', national: 'http://127.0.0.1:9', wechat: 'http://127.0.0.1:9', alipay: 'http://127.0.0.1:9', ...over.peers };
  const config = {
    env: 'test',
    port: 0,
    publicBaseUrl: 'http://127.0.0.1',
    hospital: { name: '乐于医院', code: 'H44010600001' },
    redis: { url: redisUrl, keyPrefix: keys.prefix },
    validateResponses: true,
    security: {
      piiKey: TEST_PII_KEY,
      patientSessionTtlSeconds: 3600,
      staffSessionTtlSeconds: over.ttlSeconds ?? 1800,
      hisClients: [],
      kioskDevices: [],
      maxSkewMs: 300_000,
      ...(over.bootstrapStaff ? { bootstrapStaff: over.bootstrapStaff } : {}),
    },
    national: { baseUrl: p.national, notifyPath: '/notify/national/6302' },
    his: { baseUrl: p.his },
    channels: { wechat: { apiBaseUrl: p.wechat, payBaseUrl: p.wechat, mipBaseUrl: p.wechat }, alipay: { gatewayUrl: p.alipay } },
  } as unknown as Config;
  return {
    config,
    log: over.log ?? createLogger('bff-test', 'silent'),
    redis,
    keys,
    orders: new OrderStore(redis, keys),
    queue: new JobQueue(redis, keys),
    pii: new PiiCipher(TEST_PII_KEY),
    sessions: new PatientSessions(redis, keys, 3600, over.now),
    refundDays: new RedisRefundDayIndex(redis, keys),
    now: over.now ?? (() => new Date()),
  } as unknown as Deps;
}

/** The real wiring of a running test stack (same Redis, peers and keys as its BFF processes). */
export function stackDeps(bffConfigFile: string): Deps {
  process.env.LOG_LEVEL ??= 'warn';
  return wire(loadConfig({ MIP_CONFIG: bffConfigFile }));
}

export interface StaffResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A browser-like staff client: keeps the session cookie and sends the CSRF token when it has one. */
export class StaffClient {
  cookie?: string;
  csrf?: string;

  constructor(readonly base: string, readonly headers: Record<string, string> = {}) {}

  async raw(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; csrf?: boolean; cookie?: boolean } = {}): Promise<StaffResult> {
    const headers: Record<string, string> = { ...this.headers, ...(init.headers ?? {}) };
    if (init.cookie !== false && this.cookie) headers.cookie = this.cookie;
    if (init.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /^([^=]+)=([^;]*)/.exec(set);
      if (m) this.cookie = m[2] ? `${m[1]}=${m[2]}` : undefined;
    }
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) body = text ? JSON.parse(text) : {};
    return { status: res.status, body, headers: res.headers, text };
  }

  call(e: Endpoint, input: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string>; csrf?: boolean; cookie?: boolean } = {}): Promise<StaffResult> {
    return this.raw(e.method, buildPath(e.path, input.params), { ...input, body: e.method === 'GET' ? undefined : (input.body ?? {}) });
  }

  async login(username: string, password: string): Promise<StaffResult> {
    const r = await this.raw('POST', '/staff/api/session', { body: { username, password } });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

/** Creates a staff account straight in Redis and returns a signed-in client. */
export async function signedIn(app: StaffTestApp, roles: string[], headers: Record<string, string> = {}): Promise<StaffClient> {
  const username = `u${crypto.randomBytes(4).toString('hex')}`;
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  await app.extras.staffModule.accounts.create({ username, password, roles });
  const c = new StaffClient(app.url, headers);
  const r = await c.login(username, password);
  if (r.status !== 200) throw new Error(`staff login failed: ${r.status} ${r.text}`);
  return c;
}
