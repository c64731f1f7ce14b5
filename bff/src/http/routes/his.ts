import type Router from '@koa/router';
import { hisApi as api } from '@mip/shared';
import type { Deps } from '../../flows/deps';
import { acceptPaidEvent, EVENT_RECORD_TTL_SECONDS, messageStatus } from '../../flows/messages';
import { createRefund } from '../../flows/refunding';
import { refundableLeft } from '../../domain/order';
import { DomainError } from '../../domain/errors';
import { bind, type RouteOptions } from '../route';

/** HIS-facing API (shared/src/contract/his.ts): message events and refunds. */
export function hisRoutes(router: Router, deps: Deps, opts: RouteOptions): void {
  // A replay of a push (the same signed bytes, within the signature's time window) carries the same
  // eventId and content: acceptPaidEvent answers it as a duplicate and changes nothing, as long as
  // the event's record outlives the window a nonce would be kept (2 × maxSkewMs, authenticate.ts).
  // Then the eventId is the once-only guard and the nonce is not stored as well (issue 14).
  const replaySafe = EVENT_RECORD_TTL_SECONDS * 1000 > 2 * deps.config.security.maxSkewMs;
  bind(router, api.pushMessage, { ...opts, replaySafe }, async ({ principal, body }) => acceptPaidEvent(deps, principal.clientId, body));
  bind(router, api.messageStatus, opts, async ({ params }) => messageStatus(deps, params.eventId));

  bind(router, api.createRefund, opts, async ({ body }) => {
    const order = await deps.orders.get(body.orderNo);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    let amounts = body.amounts;
    if (body.all) {
      if (amounts) throw new DomainError('VALIDATION_FAILED', 'give either amounts or all, not both');
      const left = refundableLeft(order);
      amounts = { fundFen: left.fundFen, acctFen: left.acctFen, cashFen: left.cashFen };
    }
    if (!amounts) throw new DomainError('VALIDATION_FAILED', 'amounts or all is required');
    const after = await createRefund(deps, body.orderNo, { refundNo: body.refundNo, amounts, reason: body.reason, requestedBy: 'his' });
    const refund = after.refunds.find((r) => r.refundNo === body.refundNo)!;
    return { orderNo: after.orderNo, orderState: after.state, refund: view(refund) };
  });

  bind(router, api.getRefund, opts, async ({ params }) => {
    const order = await deps.orders.get(params.orderNo);
    const refund = order?.refunds.find((r) => r.refundNo === params.refundNo);
    if (!order || !refund) throw new DomainError('NOT_FOUND');
    return { orderNo: order.orderNo, orderState: order.state, refund: view(refund) };
  });
}

function view(r: import('../../domain/order').Refund) {
  return { refundNo: r.refundNo, state: r.state, amounts: { ...r.amounts }, reason: r.reason, createdAt: r.createdAt, ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}) };
}
