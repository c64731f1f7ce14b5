import type Router from '@koa/router';
import { opsApi } from '@mip/shared';

const { health, metrics } = opsApi;
import { DomainError } from '../../domain/errors';
import { bind, type RouteOptions } from '../route';
import type { Context } from 'koa';
import { isOpsCaller as opsCallerAllowed } from '../../ops/access';
import type { HealthReport } from '../../ops/health';
import type { MetricsSource } from '../../ops/bff-metrics';

export interface OpsRouteDeps {
  checkHealth: () => Promise<HealthReport>;
  registry: MetricsSource;
  /** security.opsToken: lets a monitoring host that is not on loopback read details and metrics */
  opsToken?: string;
}

/** ops/access.ts's question, asked about this request. */
function isOpsCaller(ctx: Context, opsToken: string | undefined): boolean {
  const proxied = !!(ctx.get('x-forwarded-for') || ctx.get('forwarded') || ctx.get('x-real-ip'));
  return opsCallerAllowed({ presentedToken: ctx.get('x-ops-token'), remoteAddress: ctx.req.socket.remoteAddress ?? '', proxied }, opsToken);
}

/** GET /health (readiness) and GET /metrics. GET /healthz (liveness) is app.ts's own. */
export function opsRoutes(router: Router, deps: OpsRouteDeps, opts: RouteOptions): void {
  bind(router, health, opts, async ({ ctx }) => {
    const report = await deps.checkHealth();
    // Outsiders learn only whether the instance is ready, not which peer is down or how slow Redis is.
    const body = isOpsCaller(ctx, deps.opsToken) ? report : { status: report.status, checkedAt: report.checkedAt };
    ctx.set('Cache-Control', 'no-store');
    // Set before returning: bind() turns an empty-bodied answer into a 200.
    ctx.status = report.status === 'down' ? 503 : 200;
    ctx.body = body;
    return body;
  });

  bind(router, metrics, opts, async ({ ctx }) => {
    if (!isOpsCaller(ctx, deps.opsToken)) throw new DomainError('FORBIDDEN', 'metrics are for loopback or the ops token');
    const text = await deps.registry.render();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    return text;
  });
}
