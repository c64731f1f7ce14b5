import type { Config } from '../config';
import type { AppDeps as Deps } from '../app/deps';
import type { AppExtras } from '../http/app';
import type { StaffResolver } from '../http/authenticate';
import { openapiRoutes } from '../openapi/routes';
import { createStaffModule, type StaffModule } from '../staff';
import type { LoginLimitPolicy } from '../staff/rate-limit';
import { createBffMetrics, type BffMetrics } from './bff-metrics';
import { createHealthCheck, peerTargets } from './health';
import { requestLog } from './request-log';
import { opsRoutes } from './routes';

export interface BffExtras extends AppExtras {
  staff: StaffResolver;
  staffModule: StaffModule;
  metrics: BffMetrics;
  /** stops listening to peer events (tests build several apps in one process) */
  close(): void;
}

/** security.opsToken, or MIP_OPS_TOKEN from the environment. */
export function opsTokenOf(config: Pick<Config, 'security'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = config.security.opsToken ?? env.MIP_OPS_TOKEN;
  // A short token is as good as none: refuse to protect metrics with it.
  return token && token.length >= 24 ? token : undefined;
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
    middleware: [metrics.http, requestLog(deps.log), staff.middleware],
    mount: [
      (router, o) => staff.mount(router, o),
      (router, o) => opsRoutes(router, { checkHealth, registry: metrics.registry, opsToken }, o),
      (router, o) => void openapiRoutes(router, o, { title: `${deps.config.hospital.name} BFF`, serverUrl: deps.config.publicBaseUrl }),
    ],
    close: () => metrics.close(),
  };
}
