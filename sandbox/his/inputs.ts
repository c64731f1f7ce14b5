/**
 * The bodies of the sandbox HIS's settlement calls (write-back, reversal, refund), checked at the
 * edge (routes.ts) and read by the ledger (ledger.ts): one schema, its type inferred.
 */
import { z } from 'zod';

export const str = z.string().trim().min(1).max(64);
const fen = z.int().nonnegative();

// oth_fee_fen / hosp_part_fen: the centre's other-fund and hospital-borne parts (6202 othFeeAmt / hospPartAmt),
// in the total and not in the patient's cash
const Amounts = z.object({ total_fen: fen, fund_fen: fen, acct_fen: fen, cash_fen: fen, oth_fee_fen: fen.optional(), hosp_part_fen: fen.optional() });
export type AmountsIn = z.infer<typeof Amounts>;

export const WriteBackIn = Amounts.extend({
  order_no: str,
  pre_settlement_id: str,
  // absent only for a self-pay (自费) pre-settlement (ledger.ts checks which)
  pay_ord_id: str.optional(),
  trace_time: str,
  setl_id: str.optional(),
  mdtrt_id: str.optional(),
  channel: z.enum(['wechat', 'alipay', 'kiosk']),
  cash_trade_no: str.optional(),
});
export const ReversalIn = Amounts.extend({ pay_ord_id: str, revs_token: z.string().max(256).optional() });
export const RefundIn = Amounts.extend({ order_no: str, refund_no: str });
export type WriteBackIn = z.infer<typeof WriteBackIn>;
