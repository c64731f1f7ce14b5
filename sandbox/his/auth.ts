import type Koa from 'koa';
import { verifyRequest } from './hmac';
import { readRaw } from '../common/server';
import { CODES, failureReply, HisFailure } from './protocol';

/**
 * Every /api/ call must carry a valid HMAC signature of a known client, a fresh timestamp and an
 * unused nonce. Checked before anything else (before faults, before parsing); a failure is
 * HTTP 401 in the HIS answer format. The raw body is left on ctx.state.rawBody.
 */
export function hisAuth(secretOf: (clientId: string) => string | undefined, maxSkewMs: number): Koa.Middleware {
  const seen = new Map<string, number>(); // nonce -> forget after
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    const raw = await readRaw(ctx.req);
    const v = verifyRequest({ method: ctx.method, target: ctx.originalUrl, body: raw, headers: ctx.headers }, { secretOf, maxSkewMs });
    let failure: HisFailure | undefined;
    if (!v.ok) {
      failure =
        v.failure === 'stale'
          ? new HisFailure(CODES.STALE, '请求时间戳超出有效期', 401)
          : new HisFailure(CODES.SIGNATURE, v.failure === 'unknown_client' ? '签名错误：未知的接入方' : '签名错误', 401);
    } else {
      const now = Date.now();
      for (const [n, until] of seen) if (until < now) seen.delete(n);
      const nonceKey = `${v.clientId}:${v.nonce}`;
      if (seen.has(nonceKey)) failure = new HisFailure(CODES.REPLAY, '重复请求', 401);
      else seen.set(nonceKey, now + 2 * maxSkewMs);
    }
    if (failure) {
      const r = failureReply(failure);
      ctx.status = r.status;
      ctx.body = r.body;
      return;
    }
    ctx.state.rawBody = raw;
    await next();
  };
}

/** The JSON body of an authenticated call ({} when empty); bad JSON is a parameter error. */
export function jsonBody(ctx: Koa.Context): unknown {
  const raw = ctx.state.rawBody as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HisFailure(CODES.PARAM, '参数错误：请求体不是合法的JSON');
  }
}
