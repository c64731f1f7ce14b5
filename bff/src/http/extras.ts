import type { AppDeps as Deps } from '../app/deps';
import type { AppExtras } from './app';
import type { StaffResolver } from './authenticate';
import { openapiRoutes } from './routes/openapi';
import { createStaffModule, type StaffModule } from './staff-module';
import type { LoginLimitPolicy } from '../staff/rate-limit';
import { createBffMetrics, type BffMetrics } from '../ops/bff-metrics';
import { opsTokenOf } from '../ops/access';
import { createHealthCheck, peerTargets } from '../ops/health';
import { httpMetrics } from './metrics-middleware';
import { requestLog } from './request-log';
import { opsRoutes } from './routes/ops';

export interface BffExtras extends AppExtras {
  staff: StaffResolver;
  staffModule: StaffModule;
  metrics: BffMetrics;
  /** stops listening to peer events (tests build several apps in one process) */
  close(): void;
}

/**
 * Staff console, operations endpoints and the published API, as createApp extras:
 *   const extras = await bffExtras(deps); const app = createApp(deps, extras); … extras.close()
 */
export async function bffExtras(deps: Deps, opts: { opsToken?: string; loginLimit?: LoginLimitPolicy } = {}): Promise<BffExtras> {
  const staff = createStaffModule(deps, { loginLimit: opts.loginLimit });
  try {
    await staff.bootstrap();
  } catch (err) {
    // Not fatal: the account is created by the next process start; every other route works.
    deps.log.error({ err: (err as Error).message }, 'could not create the bootstrap staff account');
  }
  const metrics = createBffMetrics(deps);
  const checkHealth = createHealthCheck({ redis: deps.redis, peers: peerTargets(deps.config) });
  const opsToken = opts.opsToken ?? opsTokenOf(deps.config);
  return {
    staff: staff.resolver,
    staffModule: staff,
    metrics,
    // metrics first, so it times everything below it; all run inside errorsMiddleware.
    middleware: [httpMetrics(metrics), requestLog(deps.log), staff.middleware],
    mount: [
      (router, o) => staff.mount(router, o),
      (router, o) => opsRoutes(router, { checkHealth, registry: metrics.registry, opsToken }, o),
      (router, o) => void openapiRoutes(router, o, { title: `${deps.config.hospital.name} BFF`, serverUrl: deps.config.publicBaseUrl }),
    ],
    close: () => metrics.close(),
  };
}
