import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { ERRORS } from '@mip/shared';
import type { Logger } from '../obs/log';
import { requestContext } from '../obs/log';
import { DomainError } from '../domain/errors';
import { asDomainError } from './peer-errors';

/**
 * Request id in and out, and the one place where errors become HTTP answers: a `DomainError` thrown by
 * any layer (or a peer failure, see peer-errors.ts) gets its status from the contract (shared/src/errors.ts),
 * its stable code and its message; anything else is a 500 INTERNAL.
 */
export function errorsMiddleware(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[A-Za-z0-9._-]{6,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    const store = { requestId, peerMs: 0 };
    await requestContext.run(store, async () => {
      try {
        await next();
        if (ctx.status === 404 && ctx.body === undefined) throw new DomainError('NOT_FOUND');
        // the router's own answers (an existing path, another method; an unknown method) in our format
        if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) throw new DomainError('METHOD_NOT_ALLOWED');
      } catch (err) {
        const e = asDomainError(err);
        if (!e) log.error({ err: (err as Error).stack ?? String(err), path: ctx.path }, 'unhandled error');
        const code = e?.code ?? 'INTERNAL';
        ctx.status = ERRORS[code].status;
        if (e && ctx.status >= 500) log.warn({ errorCode: code, path: ctx.path, cause: describeCause(err) }, 'peer failure');
        ctx.body = { error: { code, message: e?.message ?? ERRORS.INTERNAL.message, requestId, ...(e?.details ? { details: e.details } : {}) } };
      }
    });
    // How long the BFF itself took versus waiting on peers (read by the benchmark).
    ctx.set('server-timing', `app;dur=${Math.round((performance.now() - started) * 100) / 100}, peer;dur=${Math.round(store.peerMs * 100) / 100}`);
  };
}

function describeCause(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e instanceof Error; i++, e = e.cause) parts.push(`${e.name}: ${e.message}`);
  return parts.join(' <- ');
}
