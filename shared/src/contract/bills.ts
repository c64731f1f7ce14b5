import { z } from 'zod';
import { endpointGroup } from './define';
import { Amounts, Channel, OrderKind } from './schemas';
import { ORDER_STATES, REFUND_STATES } from '../order-state';

const hisEndpoint = endpointGroup('his', 'his');

/**
 * C3: the day bill HIS downloads for its reconciliation (对账), and the BFF's own reconciliation
 * run of our orders against the channels' trade bills and the centre's settlement results.
 * Amounts are integer fen; the CSV form of the bill carries yuan text. Days are China time.
 */

export const BillDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 yyyy-MM-dd')
  // Date.parse first: toISOString() throws on an impossible date (2026-13-45), and a refinement
  // that throws is a 500 instead of a validation error (found by the fuzz tests)
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, '日期不存在');

/** One money movement of the day: a payment (insurance + self-pay) or a refund / reversal. */
export const BillRecord = z.object({
  type: z.enum(['payment', 'refund']),
  orderNo: z.string(),
  kind: OrderKind,
  channel: Channel,
  /** the centre's payment order id (6201 payOrdId) and settlement id, when known */
  payOrdId: z.string().optional(),
  setlId: z.string().optional(),
  /** the channel's out_trade_no and trade number of the self-pay leg */
  outTradeNo: z.string().optional(),
  cashTradeNo: z.string().optional(),
  /** refunds only: our refund number (the channel's out_refund_no / out_request_no) */
  refundNo: z.string().optional(),
  /** refunds only: 'reversal' marks a one-sided reversal (C6) */
  requestedBy: z.enum(['his', 'staff', 'patient', 'reversal']).optional(),
  amounts: Amounts,
  /** payment: paid time; refund: finished time, or request time while unfinished (ISO) */
  time: z.string(),
  /** refunds only: when it was requested (its bill day) */
  requestedAt: z.string().optional(),
  /** payment: the order's state now; refund: the refund's state */
  state: z.union([z.enum(ORDER_STATES), z.enum(REFUND_STATES)]),
  patient: z.object({ nameMasked: z.string(), idNoMasked: z.string() }),
});
export type BillRecord = z.infer<typeof BillRecord>;

/** net can be negative: refunds of earlier days' payments */
const NetAmounts = z.object({ totalFen: z.number().int(), fundFen: z.number().int(), acctFen: z.number().int(), cashFen: z.number().int() });

export const ChannelTotals = z.object({
  channel: Channel,
  paymentCount: z.number().int().min(0),
  paid: Amounts,
  /** only refunds that succeeded count here */
  refundCount: z.number().int().min(0),
  refunded: Amounts,
  /** refunds of the day not finished yet (not in refunded) */
  refundsPending: z.number().int().min(0),
  net: NetAmounts,
});
export type ChannelTotals = z.infer<typeof ChannelTotals>;

export const DayBill = z.object({
  date: BillDate,
  channel: Channel.optional(),
  generatedAt: z.string(),
  records: z.array(BillRecord),
  totals: z.array(ChannelTotals),
});
export type DayBill = z.infer<typeof DayBill>;

export const dayBill = hisEndpoint.get('his.bills.get', '/his/v1/bills', {
  summary:
    "One day's payments and refunds (China time) from the BFF's orders, insurance and self-pay split in fen, with day totals per channel (C3). format=csv answers text/csv (UTF-8, amounts in yuan, refunds negative)",
  query: z.object({
    date: BillDate,
    channel: Channel.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  }),
  response: z.union([DayBill, z.string().describe('text/csv when format=csv')]),
  alsoProduces: 'text/csv; charset=utf-8',
});

export const MISMATCH_KINDS = [
  'missing_in_channel',
  'missing_locally',
  'amount_mismatch',
  'status_mismatch',
  'refund_missing_in_channel',
  'refund_amount_mismatch',
  'unexplained',
] as const;
export const MismatchKind = z.enum(MISMATCH_KINDS);
export type MismatchKind = z.infer<typeof MismatchKind>;

export const EXPLAIN_REASONS = ['day_boundary', 'in_flight', 'refund_processing', 'manual_review'] as const;

export const Difference = z.object({
  kind: MismatchKind,
  /** the side we compared with */
  source: z.enum(['channel', 'centre']),
  channel: Channel.optional(),
  orderNo: z.string().optional(),
  outTradeNo: z.string().optional(),
  cashTradeNo: z.string().optional(),
  refundNo: z.string().optional(),
  payOrdId: z.string().optional(),
  /** cash amounts (fen) on our side and theirs */
  oursFen: z.number().int().optional(),
  theirsFen: z.number().int().optional(),
  /** the insurance split on our side and the centre's */
  oursSplit: Amounts.optional(),
  theirsSplit: Amounts.optional(),
  ourState: z.string().optional(),
  theirState: z.string().optional(),
  detail: z.string(),
});
export type Difference = z.infer<typeof Difference>;

/** A difference that an order still in flight accounts for; `kind` is what it would be otherwise. */
export const Explained = Difference.extend({ reason: z.enum(EXPLAIN_REASONS) });
export type Explained = z.infer<typeof Explained>;

export const SourceStatus = z.object({
  source: z.enum(['wechat', 'alipay', 'cashier', 'centre']),
  ok: z.boolean(),
  /** bill rows read, or centre queries answered */
  count: z.number().int().min(0),
  failed: z.number().int().min(0),
  error: z.string().optional(),
});

export const ReconciliationSummary = z.object({
  orders: z.number().int().min(0),
  payments: z.number().int().min(0),
  refunds: z.number().int().min(0),
  /** payments and refunds with no difference and nothing to explain */
  matched: z.number().int().min(0),
  /** payments and refunds that could not be compared with a side (bill or centre unavailable) */
  unverified: z.number().int().min(0),
  mismatches: z.record(MismatchKind, z.number().int().min(0)),
  mismatchTotal: z.number().int().min(0),
  explained: z.number().int().min(0),
});
export type ReconciliationSummary = z.infer<typeof ReconciliationSummary>;

export const ReconciliationRun = z.object({
  runId: z.string(),
  date: BillDate,
  startedAt: z.string(),
  finishedAt: z.string(),
  /** false when a channel bill or some centre queries could not be had: compare again later */
  complete: z.boolean(),
  sources: z.array(SourceStatus),
  summary: ReconciliationSummary,
  differences: z.array(Difference),
  explained: z.array(Explained),
});
export type ReconciliationRun = z.infer<typeof ReconciliationRun>;

export const RunId = z.string().regex(/^RC\d{14}[0-9A-F]{6}$/);

export const runReconciliation = hisEndpoint.post('his.reconciliations.run', '/his/v1/reconciliations', {
  summary: "Reconcile one day: our orders against each channel's trade bill (self-pay) and the centre's 6301 results (insurance); stored with a run id",
  body: z.object({ date: BillDate }),
  response: ReconciliationRun,
});

export const getReconciliation = hisEndpoint.get('his.reconciliations.get', '/his/v1/reconciliations/:runId', {
  summary: 'The stored result of one reconciliation run',
  params: z.object({ runId: RunId }),
  response: ReconciliationRun,
});

export const billsApi = { dayBill, runReconciliation, getReconciliation } as const;
