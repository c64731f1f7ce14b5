import pino from 'pino';
import { AsyncLocalStorage } from 'node:async_hooks';
import { maskDeep, maskText } from './mask';

/** Request id carried across every peer call made while serving one request or queue job. */
export interface RequestContext {
  requestId: string;
  /** time spent waiting on peers while serving this request (for Server-Timing) */
  peerMs?: number;
}
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export type Logger = pino.Logger;

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { svc: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const id = currentRequestId();
      return id ? { requestId: id } : {};
    },
    formatters: {
      // Every structured field passes the masker: a forgotten field cannot leak an ID number.
      log: (obj) => maskDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>;
        return method.apply(this, masked);
      },
    },
  });
}
