import { DomainError } from '../domain/errors';
import type { StaffRole } from './contract';

/** Role check per endpoint; an empty list admits any signed-in staff member. */
export function requireRole(principal: { roles: readonly string[] }, roles: readonly StaffRole[]): void {
  if (roles.length && !principal.roles.some((r) => (roles as readonly string[]).includes(r))) {
    throw new DomainError('FORBIDDEN', '您的账号没有此操作的权限', { reason: 'ROLE_REQUIRED', roles });
  }
}
