import Koa from 'koa';
import Router from '@koa/router';
import type { AppDeps as Deps } from '../app/deps';
import { createAuthenticator, type StaffResolver } from './authenticate';
import { errorsMiddleware } from './errors-middleware';
import { patientRoutes } from './routes/patient';
import { familyRoutes } from './routes/family';
import { notifyRoutes } from './routes/notify';
import { hisRoutes } from './routes/his';
import { billRoutes } from './routes/bills';
import { kioskRoutes } from './routes/kiosk';
import { staticFiles } from './static';
import { rateLimits } from './rate-limit';
import type { RouteOptions } from './route';

export interface AppExtras {
  staff?: StaffResolver;
  /** more route groups (HIS-facing, staff, kiosk, ops) mounted by the composition root */
  mount?: ((router: Router, opts: RouteOptions) => void)[];
  middleware?: Koa.Middleware[];
}

/** The BFF's HTTP surface. Thin: authentication, validation and mapping; the work is in flows/. */
export function createApp(deps: Deps, extras: AppExtras = {}): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const router = new Router();
  const opts: RouteOptions = {
    authenticate: createAuthenticator({ sessions: deps.sessions, security: deps.config.security, redis: deps.redis, keys: deps.keys, staff: extras.staff }),
    validateResponses: deps.config.validateResponses,
  };
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  patientRoutes(router, deps, opts);
  familyRoutes(router, deps, opts);
  notifyRoutes(router, deps);
  hisRoutes(router, deps, opts);
  billRoutes(router, deps, opts);
  kioskRoutes(router, deps, opts);
  for (const m of extras.mount ?? []) m(router, opts);

  app.use(errorsMiddleware(deps.log));
  for (const m of extras.middleware ?? []) app.use(m);
  app.use(rateLimits({ redis: deps.redis, keys: deps.keys, sessions: deps.sessions, rules: deps.config.rateLimits }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (deps.config.h5Dir) app.use(staticFiles(deps.config.h5Dir));
  return app;
}
