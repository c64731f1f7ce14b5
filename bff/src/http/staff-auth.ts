import type { Context } from 'koa';
import { STAFF_COOKIE } from '../staff/contract';
import { DomainError } from '../domain/errors';
import type { StaffResolver } from './authenticate';
import type { StaffAccounts } from '../staff/accounts';
import { csrfMatches, type StaffSessions } from '../staff/sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the resolver leaves on ctx.state for the logout and session handlers. */
export interface StaffState {
  staffToken?: string;
  staffCsrf?: string;
  staffUsername?: string;
}

export function cookieToken(ctx: Context): string | undefined {
  return ctx.cookies.get(STAFF_COOKIE) || undefined;
}

/**
 * HttpOnly: page scripts cannot read it; SameSite=Strict: other sites cannot make the browser
 * send it; Path=/staff: it never travels with patient API calls. No Max-Age: Redis decides how
 * long the session lives, the browser forgets the cookie when it closes.
 */
export function setSessionCookie(ctx: Context, token: string): void {
  const secure = ctx.protocol === 'https' ? '; Secure' : '';
  ctx.append('Set-Cookie', `${STAFF_COOKIE}=${token}; Path=/staff; HttpOnly; SameSite=Strict${secure}`);
}

export function clearSessionCookie(ctx: Context): void {
  const secure = ctx.protocol === 'https' ? '; Secure' : '';
  ctx.append('Set-Cookie', `${STAFF_COOKIE}=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
}

/** A browser tells where a request came from; a different origin is a forged cross-site call. */
function sameOrigin(ctx: Context): boolean {
  const origin = ctx.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === ctx.host;
  } catch {
    return false;
  }
}

/**
 * Resolves the staff principal from the session cookie. State-changing calls must also carry
 * the session's CSRF token in X-CSRF-Token (SameSite=Strict already stops most forgeries; the
 * token also covers same-site subdomains and old browsers). The account is read on every call,
 * so disabling it or changing its roles takes effect at once.
 */
export function createStaffResolver(deps: { sessions: StaffSessions; accounts: StaffAccounts }): StaffResolver {
  return async (ctx) => {
    const token = cookieToken(ctx);
    if (!token) return null;
    const session = await deps.sessions.resolve(token);
    if (!session) return null;
    const account = await deps.accounts.get(session.username);
    if (!account || account.disabled || account.staffId !== session.staffId) {
      await deps.sessions.destroy(token);
      return null;
    }
    if (!SAFE_METHODS.has(ctx.method) && (!csrfMatches(ctx.get('x-csrf-token') || undefined, session.csrfToken) || !sameOrigin(ctx))) {
      throw new DomainError('FORBIDDEN', '页面已过期，请刷新页面后重试', { reason: 'CSRF_TOKEN_INVALID' });
    }
    Object.assign(ctx.state as StaffState, { staffToken: token, staffCsrf: session.csrfToken, staffUsername: account.username });
    return { kind: 'staff', staffId: account.staffId, roles: account.roles, sessionId: session.sessionId };
  };
}
