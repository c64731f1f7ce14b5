import type Router from '@koa/router';
import type Koa from 'koa';
import type { StaffResolver } from './authenticate';
import type { RouteOptions } from './route';
import { createStaffResolver } from './staff-auth';
import { staffHeaders, staffPage } from './routes/staff-page';
import { staffRoutes } from './routes/staff';
import { createStaffServices, type StaffDeps, type StaffServices } from '../staff';
import type { LoginLimitPolicy } from '../staff/rate-limit';

export interface StaffModule extends StaffServices {
  /** for createApp's `extras.staff`: makes `auth: 'staff'` endpoints work */
  resolver: StaffResolver;
  /** for `extras.mount`: the staff API and the console page */
  mount: (router: Router, opts: RouteOptions) => void;
  /** for `extras.middleware`: no-store / no-frame headers on /staff */
  middleware: Koa.Middleware;
}

/** Everything staff-related as the HTTP app needs it: the staff services (staff/index.ts) and their routes. */
export function createStaffModule(deps: StaffDeps, opts: { loginLimit?: LoginLimitPolicy } = {}): StaffModule {
  const services = createStaffServices(deps, opts);
  return {
    ...services,
    resolver: createStaffResolver(services),
    mount: (router, routeOpts) => {
      // the recheck asks the centre and the channels: only where they are wired (not on a Redis-only console)
      const query = deps.centre && deps.channels ? { ...deps, centre: deps.centre, channels: deps.channels } : undefined;
      staffRoutes(router, { orders: deps.orders, pii: deps.pii, log: deps.log, now: deps.now, refundDays: deps.refundDays, his: deps.his, staff: services, query }, routeOpts);
      staffPage(router);
    },
    middleware: staffHeaders(),
  };
}
