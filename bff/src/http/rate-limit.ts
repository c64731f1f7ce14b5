/**
 * Rate limits of the patient API, counted in Redis so that every BFF instance sees the same
 * count: patient login per client address, and payment creation (order create, pay) per
 * patient. Over the limit the answer is 429 RATE_LIMITED with Retry-After; nothing reaches HIS,
 * the centre or the channels.
 *
 * Fixed windows (INCR + PEXPIRE in one MULTI on one key, so a crash between the two cannot leave
 * a counter without expiry). The key holds a hash of the address or patient, never the value.
 * Staff sign-in has its own failure-based lock (staff/rate-limit.ts).
 */
import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { patientApi } from '@mip/shared';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { PatientSessions } from '../sessions/patient-sessions';
import { AppError } from './app-error';

const Rule = z.object({
  /** requests allowed per window; 0 switches the limit off */
  limit: z.number().int().min(0),
  windowSeconds: z.number().int().positive(),
});
export type RateRule = z.infer<typeof Rule>;

/**
 * Defaults: a hospital's guest Wi-Fi or a carrier NAT puts many patients behind one address, so
 * the per-address login limit is generous; a patient never creates or pays 20 orders a minute.
 */
export const RateLimitsConfig = z.object({
  login: Rule.default({ limit: 300, windowSeconds: 60 }),
  orderCreate: Rule.default({ limit: 20, windowSeconds: 60 }),
  orderPay: Rule.default({ limit: 30, windowSeconds: 60 }),
});
export type RateLimitsConfig = z.infer<typeof RateLimitsConfig>;

export type LimitName = keyof RateLimitsConfig;

export class RateLimiter {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, readonly rules: RateLimitsConfig) {}

  private key(name: string, subject: string, window: number): string {
    const h = crypto.createHash('sha256').update(`${name}\n${subject}`).digest('base64url').slice(0, 22);
    return `${this.keys.prefix}{rl:${h}}:${name}:${window}`;
  }

  /** Counts one request; returns 0 when allowed, else the seconds until the window ends. */
  async hit(name: LimitName, subject: string, now = Date.now()): Promise<number> {
    const rule = this.rules[name];
    if (!rule || rule.limit === 0) return 0;
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const key = this.key(name, subject, window);
    const res = await this.redis.multi().incr(key).pexpire(key, windowMs + 1000).exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    if (count <= rule.limit) return 0;
    return Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
  }
}

/** `/api/orders/:orderNo/pay` → /^\/api\/orders\/[^/]+\/pay$/ */
function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

const LIMITED: { name: LimitName; method: string; path: RegExp; by: 'ip' | 'patient' }[] = [
  { name: 'login', method: patientApi.login.method, path: pathPattern(patientApi.login.path), by: 'ip' },
  { name: 'orderCreate', method: patientApi.createOrder.method, path: pathPattern(patientApi.createOrder.path), by: 'patient' },
  { name: 'orderPay', method: patientApi.payOrder.method, path: pathPattern(patientApi.payOrder.path), by: 'patient' },
];

/**
 * Koa middleware (mounted before the router). Per-patient limits key on the session's patient;
 * a request without a valid session is left to the route, which answers 401.
 */
export function rateLimits(deps: { redis: RedisClient; keys: Keys; sessions: Pick<PatientSessions, 'resolve'>; rules?: RateLimitsConfig }) {
  // a configuration object built in code (tests) may predate the limits: the defaults apply
  const rules = deps.rules ?? RateLimitsConfig.parse({});
  const limiter = new RateLimiter(deps.redis, deps.keys, rules);
  return async (ctx: Context, next: Next) => {
    const rule = LIMITED.find((r) => r.method === ctx.method && r.path.test(ctx.path));
    if (rule && rules[rule.name].limit > 0) {
      let subject: string | undefined;
      if (rule.by === 'ip') subject = ctx.ip;
      else {
        const m = /^Bearer (.+)$/.exec(ctx.get('authorization'));
        subject = m ? (await deps.sessions.resolve(m[1]))?.ownerKey : undefined;
      }
      if (subject !== undefined) {
        const retryAfter = await limiter.hit(rule.name, subject);
        if (retryAfter > 0) {
          ctx.set('retry-after', String(retryAfter));
          throw new AppError('RATE_LIMITED');
        }
      }
    }
    await next();
  };
}
