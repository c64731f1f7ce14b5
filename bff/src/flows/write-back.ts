/**
 * Job his.writeBack (M5): record the settlement in HIS. After an unclear answer the next run
 * first asks HIS whether it booked it (queryBooking) — a blind retry would book twice on a HIS
 * that is not idempotent. The policy itself is domain/write-back.ts.
 */
import { onWriteBack, onWriteBackAttempt, unmarkedFirstRequest, writeBackAction, type WriteBackOutcome } from '../domain/write-back';
import { HisUnclearError, type SettlementRecord } from '../his/port';
import { PeerError } from '../domain/peer-error';
import type { Order } from '../domain/order';
import type { JobOutcome } from '../store/port';
import type { Config } from '../config';
import type { Deps } from './deps';
import { tracked } from './calls';

function settlementRecord(o: Order, now: Date): SettlementRecord {
  // a self-pay (自费) order never reached the centre: no payOrdId, no settlement ids
  const n: Partial<NonNullable<Order['national']>> = o.national ?? {};
  return {
    orderNo: o.orderNo,
    preSettlementId: o.preSettlement.preSettlementId,
    ...(n.payOrdId ? { payOrdId: n.payOrdId } : { payMode: 'self' as const }),
    amounts: { ...o.amounts },
    traceTime: n.traceTime ?? o.paidAt ?? now.toISOString(),
    ...(n.setlId ? { setlId: n.setlId } : {}),
    ...(n.mdtrtId ? { mdtrtId: n.mdtrtId } : {}),
    channel: o.channel,
    ...(o.payment?.cashTradeNo ? { cashTradeNo: o.payment.cashTradeNo } : {}),
  };
}

function classify(err: unknown): WriteBackOutcome {
  if (err instanceof PeerError && err.failure === 'not_delivered') return { kind: 'not_delivered', reason: err.message };
  if (err instanceof HisUnclearError || err instanceof PeerError) return { kind: 'unclear', reason: (err as Error).message };
  throw err;
}

export type WriteBackDeps = Pick<Deps, 'his' | 'orders' | 'now' | 'log'> & { config: Pick<Config, 'his'> };

/**
 * @param run `firstDelivery`: the queue handed this job out for the first time (attempt 1, read
 *   new, not claimed from another consumer) — the one run that may send its first request
 *   without the write-ahead step (domain/write-back.ts unmarkedFirstRequest).
 */
export async function writeBackJob(deps: WriteBackDeps, orderNo: string, run: { firstDelivery: boolean } = { firstDelivery: false }): Promise<JobOutcome> {
  const policy = { baseDelayMs: deps.config.his.writeBack.baseDelayMs, maxDelayMs: deps.config.his.writeBack.maxDelayMs };
  for (let round = 0; round < 3; round++) {
    const order = await deps.orders.get(orderNo);
    if (!order || order.state !== 'paid' || !order.writeBack) return 'done';
    let outcome: WriteBackOutcome;
    let latest = order;
    const action = writeBackAction(order, deps.now(), round === 0 && !run.firstDelivery);
    if (action === 'query') {
      try {
        const check = await tracked(deps, orderNo, 'his', 'queryBooking', () => deps.his.queryBooking({ orderNo, kind: 'settlement' }));
        outcome = check.booked ? { kind: 'booked', hisReceiptNo: check.hisReceiptNo } : { kind: 'not_booked' };
      } catch (err) {
        outcome = classify(err);
      }
    } else if (action === 'past_deadline') {
      // Past the deadline with no unclear answer outstanding: HIS certainly has not booked it.
      outcome = { kind: 'not_booked' };
    } else {
      // write-ahead: a process killed with this request in flight leaves the mark, and the next
      // run asks HIS before writing again (HIS write-back is not idempotent: a blind repeat books twice).
      // The job's first delivery needs none: its pending entry is the mark (unmarkedFirstRequest).
      if (!(round === 0 && unmarkedFirstRequest(order, run.firstDelivery))) {
        const marked = await deps.orders.update(orderNo, (o) => onWriteBackAttempt(o, deps.now()), order);
        if (!marked.change) return 'done';
        latest = marked.order;
      }
      try {
        const r = await tracked(deps, orderNo, 'his', 'writeBack', () => deps.his.writeBackSettlement(settlementRecord(order, deps.now()), { idempotencyKey: orderNo }));
        outcome = r.outcome === 'recorded' ? { kind: 'recorded', hisReceiptNo: r.hisReceiptNo } : { kind: 'rejected', code: r.code, reason: r.reason, refusal: r.refusal };
      } catch (err) {
        outcome = classify(err);
      }
    }
    let decision: ReturnType<typeof onWriteBack> = { change: null };
    await deps.orders.update(
      orderNo,
      (o) => {
        decision = onWriteBack(o, outcome, policy, deps.now());
        return decision.change;
      },
      latest,
    );
    if (decision.retryInMs === undefined) return 'done';
    if (decision.retryInMs > 0) return { retryInMs: decision.retryInMs };
    // retryInMs 0: HIS has no record, write again right away
  }
  return { retryInMs: policy.baseDelayMs };
}
