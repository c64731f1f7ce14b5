/**
 * Issue 12 item 8: a staff member with a refund role (finance, or admin standing in) starts a
 * refund of a completed order with a reason and a second confirmation. It is the same refund as
 * one HIS asks for (flows/refunding.ts → domain/money-back.ts); the audit line (who, when, why,
 * amounts) is the request's line on the order's timeline. Without the role: 403 REFUND_ROLE_REQUIRED.
 */
import type Router from '@koa/router';
import { formatFen } from '@mip/shared';
import { staffApi as api } from '../../staff/contract';
import { refundableLeft } from '../../domain/order';
import type { AppDeps as Deps } from '../../app/deps';
import { createRefund } from '../../flows/refunding';
import { DomainError } from '../../domain/errors';
import { bind, type RouteOptions } from '../route';
import { toStaffDetail } from '../../staff/views';

export type StaffRefundDeps = Pick<Deps, 'orders' | 'now' | 'refundDays' | 'log'>;

export function staffRefundRoute(router: Router, deps: StaffRefundDeps, opts: RouteOptions): void {
  bind(router, api.createRefund, opts, async ({ principal, params, body }) => {
    if (!principal.roles.some((r) => (api.createRefund.roles as readonly string[]).includes(r))) {
      throw new DomainError('REFUND_ROLE_REQUIRED', undefined, { roles: api.createRefund.roles });
    }
    const order = await deps.orders.get(params.orderNo);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    if (!!body.all === !!body.amounts) throw new DomainError('VALIDATION_FAILED', '请填写退款金额，或选择全部退款（二者选一）');
    const left = refundableLeft(order);
    const amounts = body.amounts ?? { fundFen: left.fundFen, acctFen: left.acctFen, cashFen: left.cashFen };
    const total = amounts.fundFen + amounts.acctFen + amounts.cashFen;
    const audit = `${body.reason}｜发起人 ${principal.staffId}｜退款 ${formatFen(total)}（统筹 ${formatFen(amounts.fundFen)}，个账 ${formatFen(amounts.acctFen)}，自费 ${formatFen(amounts.cashFen)}）`;
    const after = await createRefund(deps, order.orderNo, { refundNo: body.refundNo, amounts, reason: body.reason, requestedBy: 'staff', audit });
    // the reason is free text and may name the patient: it stays on the order, not in the log
    deps.log.info({ event: 'staff.refund.requested', orderNo: order.orderNo, refundNo: body.refundNo, staffId: principal.staffId, amounts }, 'staff started a refund');
    return { order: toStaffDetail(after, await deps.orders.calls(after.orderNo)) };
  });
}
