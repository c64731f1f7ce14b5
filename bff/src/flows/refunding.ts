/**
 * Refunds of completed orders (C2, M6) requested by HIS or staff: admitted here, carried out by
 * job refund.run (flows/money-back.ts, policy in domain/money-back.ts).
 */
import { requestRefund, RefundRefused, type RefundRequest } from '../domain/refund';
import type { Order } from '../domain/order';
import { DomainError } from '../domain/errors';
import type { Deps } from './deps';
import { chinaDay } from '@mip/shared';

export type RefundingDeps = Pick<Deps, 'orders' | 'now' | 'refundDays' | 'log'>;

export async function createRefund(deps: RefundingDeps, orderNo: string, req: RefundRequest): Promise<Order> {
  const order = await deps.orders.get(orderNo);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  try {
    const after = (await deps.orders.update(orderNo, (o) => requestRefund(o, req, deps.now()))).order;
    // the day's bill lists refunds by the day they were asked for, not the day the order was made
    const r = after.refunds.find((x) => x.refundNo === req.refundNo);
    if (r) await deps.refundDays.note(orderNo, chinaDay(r.createdAt)).catch((e: Error) => deps.log.warn({ err: e.message, orderNo }, 'refund-day index not written'));
    return after;
  } catch (err) {
    if (err instanceof RefundRefused) throw new DomainError(err.code, err.message);
    throw err;
  }
}
