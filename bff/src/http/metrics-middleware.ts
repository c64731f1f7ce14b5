import type { Context, Next } from 'koa';
import type { BffMetrics } from '../ops/bff-metrics';

/** The route pattern a request matched; unmatched paths share one label so scanners cannot blow up the series count. */
export function routeLabel(ctx: Context): string {
  const r = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof r === 'string' ? r : 'unmatched';
}

/** Records every HTTP request in the BFF's metrics (for `extras.middleware`). */
export function httpMetrics(metrics: Pick<BffMetrics, 'startRequest'>) {
  return async (ctx: Context, next: Next) => {
    const done = metrics.startRequest(ctx.method);
    let recorded = false;
    // Counted when the answer has gone out, so the status is the one errorsMiddleware chose.
    const record = () => {
      if (recorded) return;
      recorded = true;
      done(routeLabel(ctx), ctx.status);
    };
    ctx.res.once('finish', record);
    ctx.res.once('close', record);
    await next();
  };
}
