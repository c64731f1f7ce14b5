/**
 * One day's reconciliation, pure: our payments and refunds of the day against each channel's
 * trade bill and the centre's answers. Every difference gets a stable kind; the ones an order
 * still in flight accounts for are listed apart as explained, with the reason.
 */
import { compareCentre } from './compare-centre';
import { compareChannel } from './compare-channel';
import { MISMATCH_KINDS, type Difference, type Explained, type MismatchKind, type ReconciliationSummary } from './contract';
import { chinaDay } from './days';
import { recordsOfDay, uniqueOrders } from './records';
import { Findings, type ReconInput } from './types';

export interface ReconOutcome {
  summary: ReconciliationSummary;
  differences: Difference[];
  explained: Explained[];
  /** some record could not be compared with one side */
  incomplete: boolean;
}

const KIND_ORDER = (k: MismatchKind) => MISMATCH_KINDS.indexOf(k);

function byKind<T extends Difference>(list: T[]): T[] {
  const key = (d: Difference) => `${d.orderNo ?? ''}|${d.outTradeNo ?? ''}|${d.refundNo ?? ''}|${d.source}`;
  return [...list].sort((a, b) => KIND_ORDER(a.kind) - KIND_ORDER(b.kind) || key(a).localeCompare(key(b)));
}

export function reconcile(raw: ReconInput): ReconOutcome {
  const input: ReconInput = { ...raw, orders: uniqueOrders(raw.orders) };
  const records = recordsOfDay(input.orders, input.date);
  const f = new Findings();
  for (const bill of input.channels) compareChannel(input, bill, records, f);
  compareCentre(input, records, f);

  const mismatches = Object.fromEntries(MISMATCH_KINDS.map((k) => [k, 0])) as Record<MismatchKind, number>;
  for (const d of f.differences) mismatches[d.kind]++;
  const orders = new Set(records.map((r) => r.order.orderNo));
  for (const o of input.orders) if (chinaDay(o.createdAt) === input.date) orders.add(o.orderNo);
  const summary: ReconciliationSummary = {
    orders: orders.size,
    payments: records.filter((r) => r.type === 'payment').length,
    refunds: records.filter((r) => r.type === 'refund').length,
    matched: records.filter((r) => !f.flagged.has(r.id) && !f.unverified.has(r.id)).length,
    unverified: records.filter((r) => f.unverified.has(r.id)).length,
    mismatches,
    mismatchTotal: f.differences.length,
    explained: f.explained.length,
  };
  return { summary, differences: byKind(f.differences), explained: byKind(f.explained), incomplete: f.unverified.size > 0 };
}
