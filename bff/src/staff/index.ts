import type { AppDeps as Deps } from '../app/deps';
import { StaffAccounts } from './accounts';
import { DEFAULT_LOGIN_LIMIT, LoginLimiter, type LoginLimitPolicy } from './rate-limit';
import { StaffSessions } from './sessions';

export type StaffDeps = Pick<Deps, 'config' | 'redis' | 'keys' | 'orders' | 'pii' | 'log' | 'now' | 'refundDays'> & Partial<Pick<Deps, 'his' | 'centre' | 'channels'>>;

export interface StaffServices {
  accounts: StaffAccounts;
  sessions: StaffSessions;
  limiter: LoginLimiter;
  /** creates security.bootstrapStaff when no staff account exists yet */
  bootstrap(): Promise<'created' | 'exists' | 'none'>;
}

/** Staff accounts, sessions and the login limiter, built from the BFF's dependencies (their routes: http/staff-module.ts). */
export function createStaffServices(deps: StaffDeps, opts: { loginLimit?: LoginLimitPolicy } = {}): StaffServices {
  const accounts = new StaffAccounts(deps.redis, deps.keys);
  return {
    accounts,
    sessions: new StaffSessions(deps.redis, deps.keys, deps.config.security.staffSessionTtlSeconds, deps.now),
    limiter: new LoginLimiter(deps.redis, deps.keys, opts.loginLimit ?? DEFAULT_LOGIN_LIMIT),
    async bootstrap() {
      const r = await accounts.bootstrap(deps.config.security.bootstrapStaff);
      if (r === 'created') deps.log.info({ event: 'staff.bootstrap' }, 'first staff account created from security.bootstrapStaff');
      return r;
    },
  };
}
