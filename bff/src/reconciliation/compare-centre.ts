/**
 * Insurance leg: each of our ordered orders against the centre's 6301 answer (pure). The
 * centre's status (ordStas, classified as settled / refunded / cancelled…) must fit our state
 * and refunds, and its split must equal ours once 6202 fixed it.
 */
import type { OrderState, Split } from '@mip/shared';
import { classifyOrdStas, ordStasText, type OrdStasClass } from '../domain/ord-stas';
import type { Order } from '../domain/order';
import { orderRef } from './compare-channel';
import type { RecordOfDay } from './records';
import type { ExplainReason, Findings, ReconInput } from './types';

const OPEN: readonly OrderState[] = ['fee_uploaded', 'awaiting_payment', 'awaiting_confirmation', 'reversing'];

/** Why a difference of this order is expected for now, if it is. */
export function inFlightReason(o: Order): ExplainReason | undefined {
  if (o.state === 'manual_review' || o.refunds.some((r) => r.state === 'manual_review')) return 'manual_review';
  if (OPEN.includes(o.state)) return 'in_flight';
  if (o.refunds.some((r) => ['requested', 'insurance_refunded', 'awaiting_confirmation'].includes(r.state))) return 'refund_processing';
  return undefined;
}

/** The centre statuses our record of the order allows. */
export function expectedCentre(o: Order): readonly OrdStasClass[] {
  const insurance = o.amounts.fundFen + o.amounts.acctFen;
  const insuranceBack = o.refunds.some((r) => r.amounts.fundFen + r.amounts.acctFen > 0 && (r.state === 'succeeded' || r.state === 'insurance_refunded'));
  switch (o.state) {
    case 'created':
    case 'fee_uploaded':
    case 'awaiting_payment':
    case 'awaiting_confirmation':
    case 'cancelled':
      return ['processing', 'cancelled', 'failed'];
    case 'failed':
      // a failed payment whose settled insurance went back (domain/money-back.ts) ends refunded at the centre
      return insuranceBack ? ['processing', 'cancelled', 'failed', 'refunded'] : ['processing', 'cancelled', 'failed'];
    case 'reversing':
      return ['settled', 'refunded', 'cancelled'];
    case 'reversed':
      return insurance > 0 ? ['refunded', 'cancelled'] : ['settled', 'refunded', 'cancelled'];
    default:
      // paid, completed, partially_refunded, refunded, manual_review
      return insuranceBack ? ['refunded'] : ['settled'];
  }
}

export function sameSplit(a: Split, b: Split): boolean {
  return a.totalFen === b.totalFen && a.fundFen === b.fundFen && a.acctFen === b.acctFen && a.cashFen === b.cashFen;
}

/**
 * The centre's order took nothing on its split: saved or pre-settled (ordStas 0, 1), withdrawn or
 * failed. Its split may still differ from ours — a 6202 the proxy delayed reached the sandbox centre
 * after 6301 had fixed our split, and the centre worked the split out again (fault suite, seed
 * 1495875319; whether a real centre does so is not public) — but no money moved on it, so finance
 * has nothing to reconcile there. A status our state does not allow is still reported above.
 */
function nothingMoved(ordStas: string, cls: OrdStasClass): boolean {
  return ordStas === '0' || ordStas === '1' || cls === 'cancelled' || cls === 'failed';
}

export function compareCentre(input: ReconInput, records: readonly RecordOfDay[], f: Findings): void {
  const paymentRecord = new Map(records.filter((r) => r.type === 'payment').map((r) => [r.order.orderNo, r.id]));
  for (const o of input.orders) {
    const res = input.centre.get(o.orderNo);
    if (!res || !o.national) continue;
    const recordId = paymentRecord.get(o.orderNo);
    if (!res.ok) {
      if (recordId) f.unverified.add(recordId);
      continue;
    }
    const reason = inFlightReason(o);
    const cls = classifyOrdStas(res.ordStas, input.settledOrdStas);
    const base = { ...orderRef(o), source: 'centre' as const, ourState: o.state, theirState: ordStasText(res.ordStas) };
    if (cls === 'anomaly' || cls === 'unknown') {
      f.add({ ...base, kind: 'unexplained', detail: `the centre reports status ${ordStasText(res.ordStas)}` }, reason, recordId);
    } else if (!expectedCentre(o).includes(cls)) {
      f.add({ ...base, kind: 'status_mismatch', detail: `we say ${o.state}, the centre says ${cls} (${ordStasText(res.ordStas)})` }, reason, recordId);
    }
    if (res.split && o.amountsFinal && !nothingMoved(res.ordStas, cls) && !sameSplit(res.split, o.amounts)) {
      f.add({ ...base, kind: 'amount_mismatch', oursSplit: { ...o.amounts }, theirsSplit: { ...res.split }, detail: 'the insurance split differs from the centre' }, reason, recordId);
    }
  }
}
