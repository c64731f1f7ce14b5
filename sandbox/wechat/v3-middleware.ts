import type Koa from 'koa';
import { readRaw } from '../common/server';
import type { WechatCtx } from './context';

/**
 * Every /v3/ request must carry the merchant's Authorization signature (401 SIGN_ERROR like WeChat
 * Pay otherwise); every /v3/ answer except the bill file is signed with the WeChat Pay key.
 */
export function v3Middleware(w: WechatCtx): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/v3/')) return next();
    const raw = await readRaw(ctx.req);
    ctx.state.rawBody = raw;
    const reason = w.side.checkAuthorization(ctx.get('authorization') || undefined, ctx.method, ctx.originalUrl, raw.toString('utf8'), w.cfg.mchId, w.cfg.merchantSerialNo, w.cfg.maxClockSkewSeconds);
    if (reason) {
      ctx.status = 401;
      ctx.body = { code: 'SIGN_ERROR', message: reason };
    } else if (rateLimited(w, `${ctx.method} ${ctx.path.replace(/\/[^/]*\d[^/]*$/, '/:id')}`)) {
      ctx.status = 429;
      ctx.body = { code: 'FREQUENCY_LIMITED', message: '请求频率超过限制，请降低频率后重试' };
    } else {
      await next();
    }
    if (ctx.respond === false || ctx.path.startsWith('/v3/billdownload/')) return;
    const text = ctx.body === undefined || ctx.body === null ? '' : typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
    const status = ctx.status;
    if (text) {
      ctx.body = text;
      ctx.type = 'application/json';
    }
    ctx.status = status;
    for (const [k, v] of Object.entries(w.side.signHeaders(text))) ctx.set(k, v);
    // 排障手册 §排障流程 1: the numeric error code is the Request-Id's suffix after the last '-'
    const errNo = ctx.state.errNo as string | undefined;
    ctx.set('Request-ID', `sandbox-${Date.now().toString(36)}${errNo ? `-${errNo}` : ''}`);
  };
}

export function jsonBody(ctx: Koa.Context): Record<string, unknown> | undefined {
  const raw = ctx.state.rawBody as Buffer | undefined;
  if (!raw?.length) return {};
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function fail(ctx: Koa.Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { code, message };
}

/** a sliding window per operation on the sandbox clock (config rateLimit; 0 = off) */
function rateLimited(w: WechatCtx, op: string): boolean {
  const { max, windowMs } = w.cfg.rateLimit;
  if (!max) return false;
  const now = w.state.now();
  const recent = (w.state.calls.get(op) ?? []).filter((t) => t > now - windowMs);
  const limited = recent.length >= max;
  if (!limited) recent.push(now);
  w.state.calls.set(op, recent);
  return limited;
}
