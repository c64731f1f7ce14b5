/**
 * Rate limits of the patient API, counted in Redis so that every BFF instance sees the same
 * count: patient login per client address, and payment creation (order create, pay) per
 * patient. Over the limit the answer is 429 RATE_LIMITED with Retry-After; nothing reaches HIS,
 * the centre or the channels.
 *
 * Fixed windows on the one atomic counter (store/rate-counter.ts), which the staff sign-in lock
 * (staff/rate-limit.ts) uses too. The limits themselves are configuration (config/rate-limits.ts).
 */
import type { Context, Next } from 'koa';
import { patientApi } from '@mip/shared';
import { RateLimitsConfig } from '../config/rate-limits';
import type { Keys } from '../store/keys';
import { RateCounter } from '../store/rate-counter';
import type { RedisClient } from '../store/redis';
import type { PatientSessions } from '../sessions/patient-sessions';
import { DomainError } from '../domain/errors';
import { patientSessionOf } from './authenticate';

export { RateLimitsConfig, type RateRule } from '../config/rate-limits';

export type LimitName = keyof RateLimitsConfig;

export class RateLimiter {
  private readonly counter: RateCounter;
  constructor(redis: RedisClient, keys: Keys, readonly rules: RateLimitsConfig) {
    this.counter = new RateCounter(redis, keys);
  }

  /** Counts one request; returns 0 when allowed, else the seconds until the window ends. */
  async hit(name: LimitName, subject: string, now = Date.now()): Promise<number> {
    const rule = this.rules[name];
    if (!rule || rule.limit === 0) return 0;
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const { count } = await this.counter.hit(this.counter.key(name, subject, window), windowMs + 1000);
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
      else subject = (await patientSessionOf(ctx, deps.sessions))?.ownerKey;
      if (subject !== undefined) {
        const retryAfter = await limiter.hit(rule.name, subject);
        if (retryAfter > 0) {
          ctx.set('retry-after', String(retryAfter));
          throw new DomainError('RATE_LIMITED');
        }
      }
    }
    await next();
  };
}
