import type Router from '@koa/router';
import type Koa from 'koa';
import type { AppDeps as Deps } from '../app/deps';
import type { StaffResolver } from '../http/authenticate';
import type { RouteOptions } from '../http/route';
import { StaffAccounts } from './accounts';
import { createStaffResolver } from './auth';
import { staffHeaders, staffPage } from './page';
import { DEFAULT_LOGIN_LIMIT, LoginLimiter, type LoginLimitPolicy } from './rate-limit';
import { staffRoutes, type StaffServices } from './routes';
import { StaffSessions } from './sessions';

export type StaffDeps = Pick<Deps, 'config' | 'redis' | 'keys' | 'orders' | 'pii' | 'log' | 'now' | 'refundDays'> & Partial<Pick<Deps, 'his'>>;

export interface StaffModule extends StaffServices {
  /** for createApp's `extras.staff`: makes `auth: 'staff'` endpoints work */
  resolver: StaffResolver;
  /** for `extras.mount`: the staff API and the console page */
  mount: (router: Router, opts: RouteOptions) => void;
  /** for `extras.middleware`: no-store / no-frame headers on /staff */
  middleware: Koa.Middleware;
  /** creates security.bootstrapStaff when no staff account exists yet */
  bootstrap(): Promise<'created' | 'exists' | 'none'>;
}

/** Everything staff-related, built from the BFF's dependencies. */
export function createStaffModule(deps: StaffDeps, opts: { loginLimit?: LoginLimitPolicy } = {}): StaffModule {
  const accounts = new StaffAccounts(deps.redis, deps.keys);
  const sessions = new StaffSessions(deps.redis, deps.keys, deps.config.security.staffSessionTtlSeconds, deps.now);
  const limiter = new LoginLimiter(deps.redis, deps.keys, opts.loginLimit ?? DEFAULT_LOGIN_LIMIT);
  const services = { accounts, sessions, limiter };
  return {
    ...services,
    resolver: createStaffResolver({ sessions, accounts }),
    mount: (router, routeOpts) => {
      staffRoutes(router, { orders: deps.orders, pii: deps.pii, log: deps.log, now: deps.now, refundDays: deps.refundDays, his: deps.his, staff: services }, routeOpts);
      staffPage(router);
    },
    middleware: staffHeaders(),
    async bootstrap() {
      const r = await accounts.bootstrap(deps.config.security.bootstrapStaff);
      if (r === 'created') deps.log.info({ event: 'staff.bootstrap' }, 'first staff account created from security.bootstrapStaff');
      return r;
    },
  };
}
