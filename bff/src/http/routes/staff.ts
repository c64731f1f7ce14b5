import type Router from '@koa/router';
import type { Context } from 'koa';
import { staffApi as api, type StaffOrderDetail, type StaffRole } from '../../staff/contract';
import type { Order } from '../../domain/order';
import { resolveReview, ReviewError } from '../../domain/review';
import type { AppDeps as Deps } from '../../app/deps';
import { DomainError } from '../../domain/errors';
import type { PrincipalOf } from '../principal';
import { bind, type RouteOptions } from '../route';
import { normalizeUsername } from '../../staff/accounts';
import { clearSessionCookie, setSessionCookie, type StaffState } from '../staff-auth';
import { requireRole } from '../../staff/auth';
import type { StaffServices } from '../../staff';
import { exportFileName, toCsv } from '../../staff/csv';
import { paginate, searchOrders } from '../../staff/search';
import { toStaffDetail, toStaffRow } from '../../staff/views';
import { listRegions } from '../../flows/insurance';
import { staffRefundRoute } from './staff-refund';
import { recheckOrder } from '../../flows/recheck';
import type { QueryDeps } from '../../flows/confirming';

export type StaffRouteDeps = Pick<Deps, 'orders' | 'pii' | 'log' | 'now' | 'refundDays'> & {
  staff: Pick<StaffServices, 'accounts' | 'sessions' | 'limiter'>;
  his?: Deps['his'];
  /** the centre and the channels, for the recheck; without them (a console on Redis alone) it answers 502 PEER_UNAVAILABLE */
  query?: QueryDeps;
};


function rateLimited(ctx: Context, seconds: number): DomainError {
  ctx.set('Retry-After', String(seconds));
  return new DomainError('RATE_LIMITED', `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`, { retryAfterSeconds: seconds });
}

/** The staff API (shared/src/contract/staff.ts). Every handler checks the endpoint's roles first. */
export function staffRoutes(router: Router, deps: StaffRouteDeps, opts: RouteOptions): void {
  const { accounts, sessions, limiter } = deps.staff;
  const allow = (p: PrincipalOf<'staff'>, e: { roles: readonly StaffRole[] }) => requireRole(p, e.roles);
  const idHash = (idNo: string) => deps.pii.lookupHash(idNo);

  bind(router, api.login, opts, async ({ body, ctx }) => {
    const username = normalizeUsername(body.username);
    const locked = await limiter.lockedFor(username, ctx.ip);
    if (locked) throw rateLimited(ctx, locked);
    const account = await accounts.authenticate(username, body.password);
    if (!account) {
      const lock = await limiter.fail(username, ctx.ip);
      // `staffUser`, not `username`: the log masker treats *name keys as personal names.
      deps.log.warn({ event: 'staff.login.failed', staffUser: username, locked: lock > 0 }, 'staff sign-in failed');
      if (lock) throw rateLimited(ctx, lock);
      throw new DomainError('LOGIN_FAILED', '用户名或密码不正确');
    }
    await limiter.succeed(username, ctx.ip);
    const { token, session, expiresAt } = await sessions.create(account);
    setSessionCookie(ctx, token);
    deps.log.info({ event: 'staff.login', staffId: account.staffId }, 'staff signed in');
    return { staff: { staffId: account.staffId, username: account.username, roles: account.roles }, csrfToken: session.csrfToken, expiresAt };
  });

  bind(router, api.logout, opts, async ({ principal, ctx }) => {
    const token = (ctx.state as StaffState).staffToken;
    if (token) await sessions.destroy(token);
    clearSessionCookie(ctx);
    deps.log.info({ event: 'staff.logout', staffId: principal.staffId }, 'staff signed out');
    return { loggedOut: true as const };
  });

  bind(router, api.me, opts, async ({ principal, ctx }) => {
    const st = ctx.state as StaffState;
    return {
      staff: { staffId: principal.staffId, username: st.staffUsername ?? '', roles: [...principal.roles] as StaffRole[] },
      csrfToken: st.staffCsrf ?? '',
      expiresAt: sessions.idleExpiry(),
    };
  });

  bind(router, api.searchOrders, opts, async ({ principal, body }) => {
    allow(principal, api.searchOrders);
    const { page, pageSize, ...criteria } = body;
    const rows = await searchOrders({ orders: deps.orders, idHash }, criteria);
    return { orders: paginate(rows, page, pageSize), total: rows.length, page, pageSize };
  });

  bind(router, api.exportOrders, opts, async ({ principal, body, ctx }) => {
    allow(principal, api.exportOrders);
    const rows = await searchOrders({ orders: deps.orders, idHash }, body);
    deps.log.info({ event: 'staff.export', staffId: principal.staffId, rows: rows.length, from: body.from, to: body.to, byId: !!body.idNo }, 'staff exported orders');
    ctx.attachment(exportFileName(body.from, body.to, body.orderNo));
    ctx.type = 'text/csv; charset=utf-8';
    return toCsv(rows);
  });

  bind(router, api.getOrder, opts, async ({ principal, params }) => {
    allow(principal, api.getOrder);
    const order = await deps.orders.get(params.orderNo);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    return { order: await withRegionName(deps, toStaffDetail(order, await deps.orders.calls(order.orderNo))) };
  });

  bind(router, api.listReviews, opts, async ({ principal }) => {
    allow(principal, api.listReviews);
    const orders = await deps.orders.getMany(await deps.orders.reviewOrderNos());
    const open = orders.filter((o) => o.state === 'manual_review' && o.review);
    open.sort((a, b) => (a.review!.openedAt < b.review!.openedAt ? -1 : 1));
    return { reviews: open.map((o) => ({ ...toStaffRow(o), review: o.review! })) };
  });

  staffRefundRoute(router, deps, opts);

  bind(router, api.recheckOrder, opts, async ({ principal, params }) => {
    allow(principal, api.recheckOrder);
    if (!deps.query) throw new DomainError('PEER_UNAVAILABLE', '这台服务没有连接医保中心和支付渠道，暂时无法重新查询');
    const { order, answers } = await recheckOrder(deps.query, params.orderNo, principal.staffId);
    return { order: await withRegionName(deps, toStaffDetail(order, await deps.orders.calls(order.orderNo))), answers };
  });

  bind(router, api.resolveReview, opts, async ({ principal, params, body }) => {
    allow(principal, api.resolveReview);
    if (!(await deps.orders.get(params.orderNo))) throw new DomainError('ORDER_NOT_FOUND');
    let stored: Order;
    try {
      ({ order: stored } = await deps.orders.update(params.orderNo, (o) =>
        resolveReview(o, { to: body.to, note: body.note, staffId: principal.staffId, expectedVersion: body.version }, deps.now()),
      ));
    } catch (err) {
      if (!(err instanceof ReviewError)) throw err;
      if (err.refusal === 'not_in_review' || err.refusal === 'stale') throw new DomainError('ORDER_STATE_CONFLICT', undefined, { reason: err.refusal });
      throw new DomainError('VALIDATION_FAILED', undefined, [{ path: err.refusal === 'note' ? 'note' : 'to', message: err.message }]);
    }
    // The note is free text and may name the patient: it stays on the order, not in the log.
    deps.log.info({ event: 'staff.review.resolved', orderNo: stored.orderNo, staffId: principal.staffId, to: body.to }, 'manual review resolved');
    return { order: await withRegionName(deps, toStaffDetail(stored, await deps.orders.calls(stored.orderNo))) };
  });
}

/** Staff read the insured region by name (HIS's region list, cached); the code stays beside it. */
async function withRegionName(deps: StaffRouteDeps, d: StaffOrderDetail): Promise<StaffOrderDetail> {
  const his = deps.his;
  if (!his) return d;
  const name = await listRegions({ his, now: deps.now }).then(
    (rs) => rs.find((r) => r.code === d.regionCode)?.name,
    () => undefined,
  );
  return name ? { ...d, regionName: name } : d;
}
