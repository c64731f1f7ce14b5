import type Router from '@koa/router';
import { opsApi } from '@mip/shared';

const { health, metrics } = opsApi;
import { DomainError } from '../domain/errors';
import { bind, type RouteOptions } from '../http/route';
import { isOpsCaller } from './access';
import type { HealthReport } from './health';
import type { MetricsSource } from './bff-metrics';

export interface OpsRouteDeps {
  checkHealth: () => Promise<HealthReport>;
  registry: MetricsSource;
  /** security.opsToken: lets a monitoring host that is not on loopback read details and metrics */
  opsToken?: string;
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
