import type { Context, Next } from 'koa';
import { currentRequestId, type Logger } from '../obs/log';
import { routeLabel } from './metrics-middleware';

/**
 * One structured line per request: method, route pattern, status, duration and (through the
 * errors middleware) the request id. Never bodies, query strings or headers: they carry ID numbers,
 * codes and tokens. Health checks and metric scrapes are left out, or they would drown the log.
 */
const QUIET = new Set(['/healthz', '/health', '/metrics']);

export function requestLog(log: Pick<Logger, 'info' | 'warn'>) {
  return async (ctx: Context, next: Next) => {
    if (QUIET.has(ctx.path)) return next();
    const started = performance.now();
    // Read now: the 'finish' event runs outside the request's async context.
    const requestId = currentRequestId();
    const done = () => {
      const fields = { method: ctx.method, route: routeLabel(ctx), status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10, requestId };
      if (ctx.status >= 500) log.warn(fields, 'request');
      else log.info(fields, 'request');
    };
    // Logged when the answer is out, so the status is the one errorsMiddleware set.
    ctx.res.once('finish', done);
    await next();
  };
}
